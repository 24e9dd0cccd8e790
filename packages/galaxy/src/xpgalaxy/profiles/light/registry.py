"""Example parameters for every light profile (merged by ``xpgalaxy.profiles.registry``).

Each entry gives valid parameters and, in ``singular``, complete parameter sets at the
profile's singular points: the centre at the origin (so a grid containing (0, 0) samples
r = 0 exactly) and ``ell_comps = (0, 0)`` (axis ratio exactly 1, angle 0), alone and
together. Values and JAX gradients must be finite there.
"""

from __future__ import annotations

from xpgalaxy.profiles.light.chameleon import Chameleon, ChameleonSph
from xpgalaxy.profiles.light.dev_vaucouleurs import DevVaucouleurs, DevVaucouleursSph
from xpgalaxy.profiles.light.exponential import Exponential, ExponentialSph
from xpgalaxy.profiles.light.gaussian import Gaussian, GaussianSph
from xpgalaxy.profiles.light.moffat import Moffat, MoffatSph
from xpgalaxy.profiles.light.sersic import Sersic, SersicSph
from xpgalaxy.profiles.light.sersic_core import SersicCore, SersicCoreSph
from xpgalaxy.profiles.registry import ProfileExample

__all__ = ["LIGHT_EXAMPLES"]

_CENTRE = (0.1, -0.2)
_ELL = (0.15, -0.1)
_ORIGIN = (0.0, 0.0)


def _ell(cls, **params) -> ProfileExample:
    """An elliptical profile: singular at the origin, at q = 1, and at both."""
    base = {"centre": _CENTRE, "ell_comps": _ELL, **params}
    singular = (
        {**base, "centre": _ORIGIN},
        {**base, "ell_comps": _ORIGIN},
        {**base, "centre": _ORIGIN, "ell_comps": _ORIGIN},
    )
    return ProfileExample(cls, base, singular=singular)


def _sph(cls, **params) -> ProfileExample:
    """A spherical profile: singular at the origin."""
    base = {"centre": _CENTRE, **params}
    return ProfileExample(cls, base, singular=({**base, "centre": _ORIGIN},))


_SERSIC = {"intensity": 2.5, "effective_radius": 0.8, "sersic_index": 3.2}
_CORE = {
    "intensity": 1.5,
    "effective_radius": 0.8,
    "sersic_index": 3.2,
    "radius_break": 0.05,
    "gamma": 0.4,
    "alpha": 2.5,
}

LIGHT_EXAMPLES: list[ProfileExample] = [
    _ell(Sersic, **_SERSIC),
    # n < 1: (R/R_e)^(1/n) has a zero derivative at R = 0 (a flat core).
    _ell(Sersic, intensity=0.7, effective_radius=1.3, sersic_index=0.6),
    _sph(SersicSph, **_SERSIC),
    _ell(SersicCore, **_CORE),
    _sph(SersicCoreSph, **_CORE),
    _ell(Exponential, intensity=2.5, effective_radius=0.8),
    _sph(ExponentialSph, intensity=2.5, effective_radius=0.8),
    _ell(DevVaucouleurs, intensity=2.5, effective_radius=0.8),
    _sph(DevVaucouleursSph, intensity=2.5, effective_radius=0.8),
    _ell(Gaussian, intensity=2.5, sigma=0.7),
    _sph(GaussianSph, intensity=2.5, sigma=0.7),
    _ell(Moffat, intensity=2.5, alpha=0.6, beta=2.3),
    _sph(MoffatSph, intensity=2.5, alpha=0.6, beta=2.3),
    _ell(Chameleon, intensity=2.5, core_radius_0=0.1, core_radius_1=0.4),
    _sph(ChameleonSph, intensity=2.5, core_radius_0=0.1, core_radius_1=0.4),
]

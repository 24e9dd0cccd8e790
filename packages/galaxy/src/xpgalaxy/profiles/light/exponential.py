"""Exponential light profiles: the Sersic profile with n = 1 (Freeman 1970, ApJ 160, 811).

PyAutoGalaxy ``Exponential``, ``ExponentialSph``: ``intensity`` is the brightness at the
circularised half-light radius ``effective_radius`` (eccentric radius, see ``sersic.py``),
not the central brightness ``I_e exp(b_1)``.
"""

from __future__ import annotations

from xpgalaxy.profiles.light.base import (
    CENTRE_PRIORS,
    ELL_COMPS_PRIORS,
    INTENSITY_PRIOR,
    uniform_prior,
)
from xpgalaxy.profiles.light.sersic import Sersic

__all__ = ["Exponential", "ExponentialSph"]


class Exponential(Sersic):
    """The elliptical exponential light profile (``Sersic`` with ``sersic_index = 1``).

    Parameters
    ----------
    centre
        (y, x) arcsec.
    ell_comps
        Elliptical components ``(e_y, e_x)``.
    intensity
        Brightness at the effective radius, e-/s.
    effective_radius
        Circularised half-light radius (arcsec).
    """

    default_priors = {
        **CENTRE_PRIORS,
        **ELL_COMPS_PRIORS,
        **INTENSITY_PRIOR,
        "effective_radius": uniform_prior(0.0, 30.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        intensity: float = 0.1,
        effective_radius: float = 0.6,
    ):
        super().__init__(
            centre=centre,
            ell_comps=ell_comps,
            intensity=intensity,
            effective_radius=effective_radius,
            sersic_index=1.0,
        )


class ExponentialSph(Exponential):
    """The spherical exponential light profile (``ell_comps = (0, 0)``)."""

    default_priors = {
        **CENTRE_PRIORS,
        **INTENSITY_PRIOR,
        "effective_radius": uniform_prior(0.0, 30.0),
    }

    def __init__(self, centre=(0.0, 0.0), intensity: float = 0.1, effective_radius: float = 0.6):
        super().__init__(
            centre=centre,
            ell_comps=(0.0, 0.0),
            intensity=intensity,
            effective_radius=effective_radius,
        )

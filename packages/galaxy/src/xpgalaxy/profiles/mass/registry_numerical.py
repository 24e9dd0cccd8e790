"""Example parameters of the NFW family (see ``profiles/registry.py``).

``singular`` entries put the profile at its singular points: centre (0, 0) so a grid point
at the origin samples r = 0; ``ell_comps = (0, 0)`` (axis ratio exactly 1); and
``scale_radius = 1`` with centre (0, 0), so every grid point at distance 1 from the origin
(e.g. (0.6, 0.8), (0, 1)) sits at X = 1 for the spherical profiles and on the x-axis
(y = 0) for the elliptical ones. Inner slopes 1 (NFW, logarithmic cusp) and 2
(``kappa ~ 1 / r``) are the gNFW's steepest usual cases.

Tolerance: the default 1e-10. NumPy and JAX run the same fixed quadrature and tables, so
they agree to ~1e-14.
"""

from __future__ import annotations

from xpgalaxy.profiles.mass.gnfw import gNFW, gNFWSph
from xpgalaxy.profiles.mass.nfw import NFW, NFWSph
from xpgalaxy.profiles.registry import ProfileExample

__all__ = ["NUMERICAL_MASS_EXAMPLES"]

_O = (0.0, 0.0)
_C = (0.1, -0.05)
_E = (0.12, -0.08)

NUMERICAL_MASS_EXAMPLES = [
    ProfileExample(
        NFW,
        dict(centre=_C, ell_comps=_E, kappa_s=0.2, scale_radius=2.0),
        singular=(
            dict(centre=_O, ell_comps=_O, kappa_s=0.2, scale_radius=1.0),
            dict(centre=_O, ell_comps=_E, kappa_s=0.2, scale_radius=1.0),
        ),
    ),
    ProfileExample(
        NFWSph,
        dict(centre=_C, kappa_s=0.2, scale_radius=2.0),
        singular=(dict(centre=_O, kappa_s=0.2, scale_radius=1.0),),
    ),
    ProfileExample(
        gNFW,
        dict(centre=_C, ell_comps=_E, kappa_s=0.2, inner_slope=1.5, scale_radius=2.0),
        singular=(
            dict(centre=_O, ell_comps=_O, kappa_s=0.2, inner_slope=1.0, scale_radius=1.0),
            dict(centre=_O, ell_comps=_E, kappa_s=0.2, inner_slope=2.0, scale_radius=1.0),
        ),
    ),
    ProfileExample(
        gNFWSph,
        dict(centre=_C, kappa_s=0.2, inner_slope=0.7, scale_radius=2.0),
        singular=(dict(centre=_O, kappa_s=0.2, inner_slope=2.0, scale_radius=1.0),),
    ),
]

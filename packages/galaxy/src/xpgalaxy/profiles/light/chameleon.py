"""Chameleon light profiles (PyAutoGalaxy ``Chameleon``, ``ChameleonSph``).

The difference of two cored elliptical isothermal profiles, which mimics a Sersic profile
while keeping lensing quantities analytic (Dutton et al. 2011, MNRAS 417, 1621; Suyu et
al. 2014, ApJ 788, L35, eq. 2):

    I(R) = I_0 / (1 + q) [ (R^2 + 4 w_0^2 / (1 + q)^2)^(-1/2)
                         - (R^2 + 4 w_1^2 / (1 + q)^2)^(-1/2) ],

with ``R`` the *elliptical* radius ``sqrt(x'^2 + y'^2 / q^2)`` (arcsec; not the eccentric
radius of the other light profiles), ``w_0 = core_radius_0`` and ``w_1 = core_radius_1``
(arcsec; ``w_0 < w_1`` for a positive profile) and ``I_0 = intensity`` (e-/s; the central
brightness is ``I_0 (1/w_0 - 1/w_1) / 2``). As in PyAutoGalaxy the axis ratio is capped
at ``0.99999`` (the isothermal deflections it pairs with are singular at ``q = 1``), so
``ChameleonSph`` also uses ``q = 0.99999``.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from xpgalaxy.profiles.light.base import (
    CENTRE_PRIORS,
    ELL_COMPS_PRIORS,
    INTENSITY_PRIOR,
    LightProfile,
    raw_radii,
    uniform_prior,
)

__all__ = ["CHAMELEON_AXIS_RATIO_MAXIMUM", "Chameleon", "ChameleonSph", "chameleon_image_from"]

#: PyAutoGalaxy's cap on the Chameleon axis ratio.
CHAMELEON_AXIS_RATIO_MAXIMUM = 0.99999


def chameleon_image_from(
    radii, intensity, core_radius_0, core_radius_1, axis_ratio, xp: ModuleType = np
):
    """Chameleon surface brightness (e-/s) at elliptical radii (arcsec); see module docstring."""
    one_plus_q = 1.0 + axis_ratio
    r2 = radii * radii
    s0_2 = 4.0 * core_radius_0**2 / one_plus_q**2
    s1_2 = 4.0 * core_radius_1**2 / one_plus_q**2
    return intensity / one_plus_q * (1.0 / xp.sqrt(r2 + s0_2) - 1.0 / xp.sqrt(r2 + s1_2))


class Chameleon(LightProfile):
    """The elliptical Chameleon light profile (PyAutoGalaxy ``Chameleon``).

    Parameters
    ----------
    centre
        (y, x) arcsec.
    ell_comps
        Elliptical components ``(e_y, e_x)``.
    intensity
        Normalisation ``I_0`` (e-/s; see module docstring).
    core_radius_0
        Core radius (arcsec) of the first (positive) cored isothermal.
    core_radius_1
        Core radius (arcsec) of the second (subtracted) cored isothermal.
    """

    radius_type = "elliptical"
    default_priors = {
        **CENTRE_PRIORS,
        **ELL_COMPS_PRIORS,
        **INTENSITY_PRIOR,
        "core_radius_0": uniform_prior(0.0, 30.0),
        "core_radius_1": uniform_prior(0.0, 30.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        intensity: float = 0.1,
        core_radius_0: float = 0.01,
        core_radius_1: float = 0.05,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps, intensity=intensity)
        self.core_radius_0 = core_radius_0
        self.core_radius_1 = core_radius_1

    def axis_ratio(self, xp=np):
        """Axis ratio from ``ell_comps``, capped at ``CHAMELEON_AXIS_RATIO_MAXIMUM``."""
        return xp.minimum(super().axis_ratio(xp=xp), CHAMELEON_AXIS_RATIO_MAXIMUM)

    def image_2d_via_radii_from(self, grid_radii, xp=np, **kwargs):
        """Image (e-/s) from elliptical radii (arcsec); a raw array."""
        return chameleon_image_from(
            raw_radii(grid_radii, xp=xp),
            self._intensity,
            self.core_radius_0,
            self.core_radius_1,
            self.axis_ratio(xp=xp),
            xp=xp,
        )

    def total_luminosity(self, xp=np):
        """Total flux ``4 pi q I_0 (w_1 - w_0) / (1 + q)^2`` (e-/s).

        ``int_0^inf R [(R^2 + s_0^2)^-1/2 - (R^2 + s_1^2)^-1/2] dR = s_1 - s_0`` with
        ``s_i = 2 w_i / (1 + q)``, and an isophote of elliptical radius ``R`` encloses
        area ``pi q R^2``.
        """
        q = self.axis_ratio(xp=xp)
        return (
            4.0
            * np.pi
            * q
            * self._intensity
            * (self.core_radius_1 - self.core_radius_0)
            / (1.0 + q) ** 2
        )


class ChameleonSph(Chameleon):
    """The spherical Chameleon light profile (``ell_comps = (0, 0)``, so ``q = 0.99999``)."""

    default_priors = {
        **CENTRE_PRIORS,
        **INTENSITY_PRIOR,
        "core_radius_0": uniform_prior(0.0, 30.0),
        "core_radius_1": uniform_prior(0.0, 30.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        intensity: float = 0.1,
        core_radius_0: float = 0.01,
        core_radius_1: float = 0.05,
    ):
        super().__init__(
            centre=centre,
            ell_comps=(0.0, 0.0),
            intensity=intensity,
            core_radius_0=core_radius_0,
            core_radius_1=core_radius_1,
        )

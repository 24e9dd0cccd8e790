"""Gaussian light profiles (PyAutoGalaxy ``Gaussian``, ``GaussianSph``).

PyAutoGalaxy's convention: ``I = I_0 exp(-q R^2 / (2 sigma^2))`` with ``R`` the eccentric
radius (arcsec), i.e. ``I_0 exp(-(q^2 x'^2 + y'^2) / (2 sigma^2))`` in the profile frame:
``sigma`` is the dispersion along the *minor* axis and ``sigma / q`` along the major axis.
``intensity`` is the central (peak) brightness in e-/s, not the total flux; the total flux
is ``2 pi I_0 sigma^2 / q``.
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

__all__ = ["Gaussian", "GaussianSph", "gaussian_image_from"]


def gaussian_image_from(radii, intensity, sigma, axis_ratio, xp: ModuleType = np):
    """``I_0 exp(-q R^2 / (2 sigma^2))`` (e-/s) at eccentric radii ``R`` (arcsec).

    The bivariate normal density (e.g. Binney & Merrifield 1998, eq. B.23) without its
    ``1 / (2 pi sigma_x sigma_y)`` normalisation, with ``sigma_y = sigma``,
    ``sigma_x = sigma / q``.
    """
    return intensity * xp.exp(-0.5 * axis_ratio * radii * radii / (sigma * sigma))


class Gaussian(LightProfile):
    """The elliptical Gaussian light profile (PyAutoGalaxy ``Gaussian``).

    Parameters
    ----------
    centre
        (y, x) arcsec.
    ell_comps
        Elliptical components ``(e_y, e_x)``.
    intensity
        Central brightness, e-/s.
    sigma
        Dispersion (arcsec) along the minor axis (``sigma / q`` along the major axis).
    """

    default_priors = {
        **CENTRE_PRIORS,
        **ELL_COMPS_PRIORS,
        **INTENSITY_PRIOR,
        "sigma": uniform_prior(0.0, 25.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        intensity: float = 0.1,
        sigma: float = 1.0,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps, intensity=intensity)
        self.sigma = sigma

    def image_2d_via_radii_from(self, grid_radii, xp=np, **kwargs):
        """Image (e-/s) from eccentric radii (arcsec); a raw array."""
        return gaussian_image_from(
            raw_radii(grid_radii, xp=xp),
            self._intensity,
            self.sigma,
            self.axis_ratio(xp=xp),
            xp=xp,
        )

    def total_luminosity(self, xp=np):
        """Total flux ``2 pi I_0 sigma^2 / q`` (e-/s): the Gaussian integral over the plane."""
        return 2.0 * np.pi * self._intensity * self.sigma**2 / self.axis_ratio(xp=xp)


class GaussianSph(Gaussian):
    """The spherical Gaussian light profile (``ell_comps = (0, 0)``)."""

    default_priors = {
        **CENTRE_PRIORS,
        **INTENSITY_PRIOR,
        "sigma": uniform_prior(0.0, 25.0),
    }

    def __init__(self, centre=(0.0, 0.0), intensity: float = 0.1, sigma: float = 1.0):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0), intensity=intensity, sigma=sigma)

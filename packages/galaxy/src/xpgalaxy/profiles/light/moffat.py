"""Moffat light profiles (PyAutoGalaxy ``Moffat``, ``MoffatSph``).

Moffat (1969, A&A 3, 455), in the form of Trujillo et al. (2001, MNRAS 328, 977), eq. 1:
``I(r) = I_0 [1 + (r / alpha)^2]^(-beta)``. PyAutoGalaxy evaluates it at
``r^2 = q R^2`` with ``R`` the eccentric radius (arcsec), i.e. ``q^2 x'^2 + y'^2`` in the
profile frame: ``alpha`` is the core width along the *minor* axis (``alpha / q`` along the
major axis). ``intensity`` is the central brightness (e-/s). For a PSF the FWHM is
``2 alpha sqrt(2^(1/beta) - 1)`` (for ``q = 1``).
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

__all__ = ["Moffat", "MoffatSph", "moffat_image_from"]


def moffat_image_from(radii, intensity, alpha, beta, axis_ratio, xp: ModuleType = np):
    """``I_0 [1 + q R^2 / alpha^2]^(-beta)`` (e-/s) at eccentric radii ``R`` (arcsec).

    Trujillo et al. (2001), eq. 1, with ``r^2 = q R^2`` (see module docstring).
    """
    return intensity * (1.0 + axis_ratio * radii * radii / (alpha * alpha)) ** (-beta)


class Moffat(LightProfile):
    """The elliptical Moffat light profile (PyAutoGalaxy ``Moffat``).

    Parameters
    ----------
    centre
        (y, x) arcsec.
    ell_comps
        Elliptical components ``(e_y, e_x)``.
    intensity
        Central brightness, e-/s.
    alpha
        Core width (arcsec) along the minor axis.
    beta
        Power of the wings (smaller: heavier wings).
    """

    default_priors = {
        **CENTRE_PRIORS,
        **ELL_COMPS_PRIORS,
        **INTENSITY_PRIOR,
        "alpha": uniform_prior(0.0, 1.0),
        "beta": uniform_prior(1.0, 5.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        intensity: float = 0.1,
        alpha: float = 0.5,
        beta: float = 2.0,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps, intensity=intensity)
        self.alpha = alpha
        self.beta = beta

    def image_2d_via_radii_from(self, grid_radii, xp=np, **kwargs):
        """Image (e-/s) from eccentric radii (arcsec); a raw array."""
        return moffat_image_from(
            raw_radii(grid_radii, xp=xp),
            self._intensity,
            self.alpha,
            self.beta,
            self.axis_ratio(xp=xp),
            xp=xp,
        )

    def total_luminosity(self, xp=np):
        """Total flux ``pi I_0 alpha^2 / ((beta - 1) q)`` (e-/s); ``inf`` for ``beta <= 1``.

        ``int_0^inf 2 pi r (1 + r^2/alpha^2)^-beta dr = pi alpha^2 / (beta - 1)`` (the
        inverse of the PSF normalisation ``(beta - 1) / (pi alpha^2)`` of Trujillo et al.
        2001, eq. 1), and the map ``(x', y') -> (q x', y')`` has Jacobian ``q``.
        """
        converges = self.beta > 1.0
        denominator = xp.where(converges, self.beta - 1.0, 1.0)
        flux = np.pi * self._intensity * self.alpha**2 / (denominator * self.axis_ratio(xp=xp))
        return xp.where(converges, flux, np.inf)


class MoffatSph(Moffat):
    """The spherical Moffat light profile (``ell_comps = (0, 0)``)."""

    default_priors = {
        **CENTRE_PRIORS,
        **INTENSITY_PRIOR,
        "alpha": uniform_prior(0.0, 1.0),
        "beta": uniform_prior(1.0, 5.0),
    }

    def __init__(
        self, centre=(0.0, 0.0), intensity: float = 0.1, alpha: float = 0.5, beta: float = 2.0
    ):
        super().__init__(
            centre=centre, ell_comps=(0.0, 0.0), intensity=intensity, alpha=alpha, beta=beta
        )

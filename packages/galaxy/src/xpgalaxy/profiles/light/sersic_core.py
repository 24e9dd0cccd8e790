"""Cored-Sersic light profiles (PyAutoGalaxy ``SersicCore``, ``SersicCoreSph``).

Graham et al. (2003, AJ 125, 2951), eq. 5 (also Trujillo et al. 2004, AJ 127, 1917,
eq. 1): an inner power law of logarithmic slope ``-gamma`` inside ``radius_break``
joined, with sharpness ``alpha``, to an outer Sersic profile:

    I(R) = I' [1 + (R_b / R)^alpha]^(gamma / alpha)
              exp(-b_n [(R^alpha + R_b^alpha) / R_e^alpha]^(1 / (alpha n))),
    I'   = I_b 2^(-gamma / alpha) exp(b_n (2^(1/alpha) R_b / R_e)^(1/n)),

with ``R`` the eccentric radius (arcsec, as for ``Sersic``) and ``I_b = intensity`` the
brightness at ``R = R_b`` (e-/s). For ``gamma > 0`` the centre is a true cusp
(``I ~ R^-gamma``): radii below ``SERSIC_CORE_RADIUS_MINIMUM`` are raised to it, so the
value at ``R = 0`` is finite (PyAutoGalaxy returns ``inf`` there) and equals PyAutoGalaxy's
value at that radius; everywhere else the two agree.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy.profiles.light.base import (
    CENTRE_PRIORS,
    ELL_COMPS_PRIORS,
    LightProfile,
    constant,
    log_uniform_prior,
    raw_radii,
    uniform_prior,
)
from xpgalaxy.profiles.light.sersic import Sersic, sersic_constant_from

__all__ = [
    "SERSIC_CORE_RADIUS_MINIMUM",
    "SersicCore",
    "SersicCoreSph",
    "sersic_core_image_from",
]

#: Smallest radius (arcsec) at which the cored Sersic cusp is evaluated: far below any
#: pixel or sub-pixel size, so only a sample exactly at the centre is affected.
SERSIC_CORE_RADIUS_MINIMUM = 1.0e-8


def sersic_core_image_from(
    radii,
    intensity,
    effective_radius,
    sersic_index,
    radius_break,
    gamma,
    alpha,
    xp: ModuleType = np,
):
    """Cored-Sersic surface brightness (e-/s) at radii (arcsec): Graham et al. 2003, eq. 5.

    Evaluated in logs, ``log(R^alpha + R_b^alpha) = logaddexp(alpha log R, alpha log R_b)``,
    so neither ``(R_b / R)^alpha`` nor ``R^alpha`` can overflow for any alpha.
    """
    b = sersic_constant_from(sersic_index)
    r = xp.where(radii > SERSIC_CORE_RADIUS_MINIMUM, radii, SERSIC_CORE_RADIUS_MINIMUM)
    log_r = xp.log(r)
    log_sum = xp.logaddexp(alpha * log_r, alpha * xp.log(radius_break))
    log_norm = -(gamma / alpha) * np.log(2.0) + b * (
        (2.0 ** (1.0 / alpha)) * radius_break / effective_radius
    ) ** (1.0 / sersic_index)
    log_core = (gamma / alpha) * (log_sum - alpha * log_r)
    outer = -b * xp.exp((log_sum - alpha * xp.log(effective_radius)) / (alpha * sersic_index))
    return intensity * xp.exp(log_norm + log_core + outer)


class SersicCore(Sersic):
    """The elliptical cored-Sersic light profile (PyAutoGalaxy ``SersicCore``).

    Parameters
    ----------
    centre
        (y, x) arcsec.
    ell_comps
        Elliptical components ``(e_y, e_x)``.
    effective_radius
        Circularised half-light radius of the outer Sersic (arcsec).
    sersic_index
        Sersic index n of the outer profile.
    radius_break
        Break radius (arcsec) between the inner power law and the outer Sersic.
    intensity
        Brightness at the break radius, e-/s.
    gamma
        Logarithmic slope of the inner power law (``I ~ R^-gamma``).
    alpha
        Sharpness of the transition (large alpha: sharp).
    """

    default_priors = {
        **CENTRE_PRIORS,
        **ELL_COMPS_PRIORS,
        "effective_radius": uniform_prior(0.0, 30.0),
        "sersic_index": uniform_prior(0.8, 5.0),
        "intensity": log_uniform_prior(1.0e-5, 1.0e3),
        "radius_break": constant(0.025),
        "gamma": constant(0.25),
        "alpha": constant(3.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        effective_radius: float = 0.6,
        sersic_index: float = 4.0,
        radius_break: float = 0.025,
        intensity: float = 0.05,
        gamma: float = 0.25,
        alpha: float = 3.0,
    ):
        super().__init__(
            centre=centre,
            ell_comps=ell_comps,
            intensity=intensity,
            effective_radius=effective_radius,
            sersic_index=sersic_index,
        )
        self.radius_break = radius_break
        self.gamma = gamma
        self.alpha = alpha

    def intensity_prime(self, xp=np):
        """Normalisation ``I'`` of Graham et al. (2003), eq. 5 (e-/s); see module docstring."""
        b = sersic_constant_from(self.sersic_index)
        return (
            self._intensity
            * 2.0 ** (-self.gamma / self.alpha)
            * xp.exp(
                b
                * ((2.0 ** (1.0 / self.alpha)) * self.radius_break / self.effective_radius)
                ** (1.0 / self.sersic_index)
            )
        )

    # its own formula in R, not the Sersic's in R^2
    image_2d_via_radii_squared_from = LightProfile.image_2d_via_radii_squared_from

    def image_2d_via_radii_from(self, grid_radii, xp=np, **kwargs):
        """Image (e-/s) from eccentric radii (arcsec); a raw array."""
        return sersic_core_image_from(
            raw_radii(grid_radii, xp=xp),
            self._intensity,
            self.effective_radius,
            self.sersic_index,
            self.radius_break,
            self.gamma,
            self.alpha,
            xp=xp,
        )

    def total_luminosity(self, xp=np):
        """Total flux (e-/s) by numerical quadrature (no closed form); NumPy only."""
        if xp is not np:
            raise aa.BackendError(
                "SersicCore.total_luminosity integrates with scipy.integrate.quad and runs "
                "on NumPy only; call it with xp=np on concrete parameters"
            )
        return self.luminosity_within_circle_from(np.inf)


class SersicCoreSph(SersicCore):
    """The spherical cored-Sersic light profile (``ell_comps = (0, 0)``).

    PyAutoGalaxy's default ``radius_break`` is 0.01 arcsec here (0.025 for ``SersicCore``).
    """

    default_priors = {
        **CENTRE_PRIORS,
        "effective_radius": uniform_prior(0.0, 30.0),
        "sersic_index": uniform_prior(0.8, 5.0),
        "intensity": log_uniform_prior(1.0e-5, 1.0e3),
        "radius_break": constant(0.025),
        "gamma": constant(0.25),
        "alpha": constant(3.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        effective_radius: float = 0.6,
        sersic_index: float = 4.0,
        radius_break: float = 0.01,
        intensity: float = 0.05,
        gamma: float = 0.25,
        alpha: float = 3.0,
    ):
        super().__init__(
            centre=centre,
            ell_comps=(0.0, 0.0),
            effective_radius=effective_radius,
            sersic_index=sersic_index,
            radius_break=radius_break,
            intensity=intensity,
            gamma=gamma,
            alpha=alpha,
        )

"""Cored (non-singular) isothermal ellipsoid / sphere: ``IsothermalCore``, ``IsothermalCoreSph``.

Convergence (PyAutoGalaxy's convention; profile frame, major axis along +x; ``s`` the core
radius in arcsec):

    kappa = einstein_radius / (1 + q) / sqrt(s^2 + x^2 + y^2 / q^2)

PyAutoGalaxy integrates the deflections and potential numerically (``PowerLawCore`` with
slope 2, ``scipy.integrate.quad``); here they are the closed forms of Keeton (2001,
astro-ph/0102341, section 3.1, the alpha = 1 "isothermal ellipsoid with core" case; also
Keeton & Kochanek 1998, ApJ 495, 157), with ``b = 2 einstein_radius / (1 + q)``,
``s' = sqrt(1 - q^2)`` and ``psi = sqrt(q^2 (s^2 + x^2) + y^2)``:

    alpha_x = b q / s' arctan(s' x / (psi + s))
    alpha_y = b q / s' arctanh(s' y / (psi + q^2 s))
    phi     = x alpha_x + y alpha_y - b q s ln sqrt((psi + s)^2 + s'^2 x^2) + b q s ln((1 + q) s)

(the last constant makes ``phi(0) = 0``, as PyAutoGalaxy's integral does). They agree with
PyAutoGalaxy's quadrature to its tolerance (~1e-8). Near q = 1 the arctan / arctanh ratios
use the same series as ``Isothermal``. A core radius of exactly 0 reduces to the SIE.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.isothermal import arctan_and_arctanh_over_s
from xpgalaxy.profiles.mass.power_law import (
    SOFTENING_SQUARED,
    centre_priors,
    ell_comps_priors,
    floored_square,
    polar_from,
    uniform_prior,
)

__all__ = [
    "IsothermalCore",
    "IsothermalCoreSph",
    "isothermal_core_convergence_from",
    "isothermal_core_deflections_from",
    "isothermal_core_potential_from",
]


def _s_log_ratio(s, numerator, scale, power: int, xp: ModuleType = np):
    """``s * ln(numerator / (scale * s^power))``: 0 (value and gradient finite) at s = 0.

    One log of the ratio, so that the potential is exactly 0 at the centre (ratio 1).
    """
    positive = s > 0.0
    s_safe = xp.where(positive, s, 1.0)
    ratio = xp.where(positive, numerator / (scale * s_safe**power), 1.0)
    return xp.where(positive, s * xp.log(ratio), 0.0)


def isothermal_core_convergence_from(
    y, x, einstein_radius, core_radius, axis_ratio, xp: ModuleType = np
):
    """``kappa = einstein_radius / (1 + q) / sqrt(s^2 + x^2 + y^2 / q^2)`` (profile frame)."""
    eta2 = floored_square(core_radius**2 + x * x + (y / axis_ratio) ** 2, xp=xp)
    return einstein_radius / (1.0 + axis_ratio) / xp.sqrt(eta2)


def _psi_from(y, x, core_radius, q, xp: ModuleType = np):
    # Softened by 1e-16 arcsec^2 as PyAutoGalaxy's psi_from, for core_radius = 0 at r = 0.
    return xp.sqrt(q * q * (core_radius**2 + x * x) + y * y + SOFTENING_SQUARED)


def isothermal_core_deflections_from(
    y, x, einstein_radius, core_radius, axis_ratio, xp: ModuleType = np
):
    """Cored SIE deflections ``(alpha_y, alpha_x)``, arcsec, profile frame (module docstring)."""
    q = axis_ratio
    s = core_radius
    psi = _psi_from(y, x, s, q, xp=xp)
    factor = 2.0 * einstein_radius / (1.0 + q) * q
    atan, atanh = arctan_and_arctanh_over_s(
        1.0 - q * q, x / (psi + s), y / (psi + q * q * s), xp=xp, scale=factor
    )
    return atanh, atan


def isothermal_core_potential_from(
    y, x, einstein_radius, core_radius, axis_ratio, xp: ModuleType = np
):
    """Cored SIE potential (arcsec^2), zero at the centre (module docstring)."""
    q = axis_ratio
    s = core_radius
    alpha_y, alpha_x = isothermal_core_deflections_from(y, x, einstein_radius, s, q, xp=xp)
    psi = _psi_from(y, x, s, q, xp=xp)
    bq = 2.0 * einstein_radius / (1.0 + q) * q
    # ln sqrt((psi + s)^2 + s'^2 x^2) - ln((1 + q) s), as one log of the squared ratio.
    log_term = 0.5 * _s_log_ratio(
        s, (psi + s) ** 2 + (1.0 - q * q) * x * x, (1.0 + q) ** 2, 2, xp=xp
    )
    return x * alpha_x + y * alpha_y - bq * log_term


class IsothermalCore(MassProfile):
    """Cored isothermal ellipsoid (PyAutoGalaxy ``IsothermalCore``; slope fixed at 2).

    Parameters: ``centre`` (y, x) arcsec; ``ell_comps``; ``einstein_radius`` arcsec;
    ``core_radius`` arcsec.
    """

    slope = 2.0

    default_priors = {
        **centre_priors(),
        **ell_comps_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
        "core_radius": uniform_prior(0.0, 0.2),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        einstein_radius: float = 1.0,
        core_radius: float = 0.01,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps)
        self.einstein_radius = einstein_radius
        self.core_radius = core_radius

    def einstein_radius_rescaled(self, xp: ModuleType = np):
        """``einstein_radius / (1 + q)`` (convergence normalisation)."""
        return self.einstein_radius / (1.0 + self.axis_ratio(xp=xp))

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        """Convergence at (raw) elliptical radii ``grid_radius`` (arcsec)."""
        return self.einstein_radius_rescaled(xp=xp) / xp.sqrt(self.core_radius**2 + grid_radius**2)

    def _args(self, xp):
        return self.einstein_radius, self.core_radius, self.axis_ratio(xp=xp)

    def _convergence_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_core_convergence_from(y, x, *self._args(xp), xp=xp)

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_core_potential_from(y, x, *self._args(xp), xp=xp)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_core_deflections_from(y, x, *self._args(xp), xp=xp)


def isothermal_core_sph_deflections_from(y, x, einstein_radius, core_radius, xp: ModuleType = np):
    """``alpha_r = einstein_radius (sqrt(s^2 + r^2) - s) / r = einstein_radius r / (sqrt(s^2 + r^2) + s)``.

    (Keeton 2001 section 3.1 with q = 1; written without the cancellation of the first form.)
    """
    r, sin_phi, cos_phi = polar_from(y, x, xp=xp)
    root = xp.sqrt(floored_square(core_radius**2 + r * r, xp=xp))
    alpha = einstein_radius * r / (root + core_radius)
    return alpha * sin_phi, alpha * cos_phi


def isothermal_core_sph_potential_from(y, x, einstein_radius, core_radius, xp: ModuleType = np):
    """``phi = b (root - s) - b s ln((root + s) / (2 s))``, ``root = sqrt(s^2 + r^2)``; phi(0) = 0."""
    s = core_radius
    r, _, _ = polar_from(y, x, xp=xp)
    root = xp.sqrt(floored_square(s * s + r * r, xp=xp))
    # root - s = r^2 / (root + s) avoids cancellation for r << s.
    log_term = _s_log_ratio(s, root + s, 2.0, 1, xp=xp)
    return einstein_radius * (r * r / (root + s) - log_term)


class IsothermalCoreSph(IsothermalCore):
    """Cored isothermal sphere (PyAutoGalaxy ``IsothermalCoreSph``).

    ``kappa = einstein_radius / 2 / sqrt(s^2 + r^2)``.
    """

    default_priors = {
        **centre_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
        "core_radius": uniform_prior(0.0, 0.2),
    }

    def __init__(self, centre=(0.0, 0.0), einstein_radius: float = 1.0, core_radius: float = 0.01):
        super().__init__(
            centre=centre,
            ell_comps=(0.0, 0.0),
            einstein_radius=einstein_radius,
            core_radius=core_radius,
        )

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_core_sph_potential_from(
            y, x, self.einstein_radius, self.core_radius, xp=xp
        )

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_core_sph_deflections_from(
            y, x, self.einstein_radius, self.core_radius, xp=xp
        )

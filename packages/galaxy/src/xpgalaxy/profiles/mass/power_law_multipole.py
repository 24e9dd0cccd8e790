"""``PowerLawMultipole``: an angular multipole perturbation of a power-law mass profile.

PyAutoGalaxy's ``PowerLawMultipole`` (Chu et al. 2013, ApJ 765, 134, section 2; the
power-law multipole convention of O'Riordan et al. 2024 as PyAutoGalaxy implements it). In polar coordinates about the centre,
``k_m cos(m (phi - phi_m))`` with ``(k_m, phi_m)`` from ``multipole_comps`` (see
``xpgalaxy.convert.multipole_k_m_and_phi_m_from``):

    kappa   = 1/2 (theta_E / r)^(slope - 1) k_m cos(m (phi - phi_m))
    psi     = -theta_E^(slope - 1) r^(3 - slope) k_m cos(m (phi - phi_m)) / (m^2 - (3 - slope)^2)
    alpha_r = d psi / dr,   alpha_phi = (1 / r) d psi / d phi

(``psi`` solves Poisson's equation ``laplacian psi = 2 kappa`` for the r^(1 - slope) cos(m phi)
mode.) PyAutoGalaxy returns a zero potential for this profile; here the potential is the one
whose gradient is the deflection field (the deflections are identical to PyAutoGalaxy's).

``k_m cos(m (phi - phi_m)) = c_1 cos(m phi) + c_0 sin(m phi)`` with
``(c_0, c_1) = multipole_comps`` (since ``c_0 = k_m sin(m phi_m)``, ``c_1 = k_m cos(m phi_m)``), so
the profile is evaluated linearly in the components: no polar conversion, and exact JAX
gradients at ``multipole_comps = (0, 0)``. At ``r = 0`` the angle is 0 (PyAutoGalaxy's
``arctan2(0, 0)``) and diverging powers of r use r = 1e-8 arcsec (``radial_power_from``).

``m = 1`` with ``slope = 2`` is degenerate (the denominator vanishes) and is rejected for
concrete parameters, as in PyAutoGalaxy.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy import convert
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.power_law import (
    centre_priors,
    polar_from,
    radial_power_from,
    uniform_prior,
)

__all__ = [
    "PowerLawMultipole",
    "multipole_convergence_from",
    "multipole_deflections_from",
    "multipole_potential_from",
]


def _angular_from(y, x, m: int, multipole_comps, xp: ModuleType = np):
    """``r``, ``sin phi``, ``cos phi``, ``k_m cos(m (phi - phi_m))``, ``k_m sin(m (phi - phi_m))``."""
    r, sin_phi, cos_phi = polar_from(y, x, xp=xp)
    m_phi = m * xp.arctan2(sin_phi, cos_phi)
    c_0, c_1 = multipole_comps[0], multipole_comps[1]
    cos_term = c_1 * xp.cos(m_phi) + c_0 * xp.sin(m_phi)
    sin_term = c_1 * xp.sin(m_phi) - c_0 * xp.cos(m_phi)
    return r, sin_phi, cos_phi, cos_term, sin_term


def multipole_convergence_from(
    y, x, m: int, einstein_radius, slope, multipole_comps, xp: ModuleType = np
):
    """``kappa = 1/2 (theta_E / r)^(slope - 1) k_m cos(m (phi - phi_m))`` (module docstring)."""
    r, _, _, cos_term, _ = _angular_from(y, x, m, multipole_comps, xp=xp)
    radial = einstein_radius ** (slope - 1.0) * radial_power_from(r * r, 1.0 - slope, xp=xp)
    return 0.5 * radial * cos_term


def multipole_potential_from(
    y, x, m: int, einstein_radius, slope, multipole_comps, xp: ModuleType = np
):
    """``psi = -theta_E^(slope-1) r^(3-slope) k_m cos(m(phi - phi_m)) / (m^2 - (3-slope)^2)``."""
    r, _, _, cos_term, _ = _angular_from(y, x, m, multipole_comps, xp=xp)
    amplitude = einstein_radius ** (slope - 1.0) / (m**2 - (3.0 - slope) ** 2)
    return -amplitude * radial_power_from(r * r, 3.0 - slope, xp=xp) * cos_term


def multipole_deflections_from(
    y, x, m: int, einstein_radius, slope, multipole_comps, xp: ModuleType = np
):
    """``(alpha_y, alpha_x)`` from ``alpha_r = d psi / dr``, ``alpha_phi = d psi / (r d phi)``."""
    r, sin_phi, cos_phi, cos_term, sin_term = _angular_from(y, x, m, multipole_comps, xp=xp)
    radial = radial_power_from(r * r, 2.0 - slope, xp=xp)
    amplitude = einstein_radius ** (slope - 1.0) * radial / (m**2 - (3.0 - slope) ** 2)
    alpha_r = -(3.0 - slope) * amplitude * cos_term
    alpha_phi = m * amplitude * sin_term
    return (
        alpha_r * sin_phi + alpha_phi * cos_phi,
        alpha_r * cos_phi - alpha_phi * sin_phi,
    )


class PowerLawMultipole(MassProfile):
    """Multipole perturbation of order ``m`` (PyAutoGalaxy ``PowerLawMultipole``).

    Parameters: ``m`` (int, static, default 4); ``centre`` (y, x) arcsec; ``einstein_radius``
    arcsec and ``slope`` (shared with the base ``PowerLaw``); ``multipole_comps``
    ``(c_0, c_1) = (k_m sin(m phi_m), k_m cos(m phi_m))``.
    """

    __pytree_no_flatten__ = ("m",)

    default_priors = {
        **centre_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
        "slope": uniform_prior(1.5, 3.0),
        "multipole_comps_0": uniform_prior(-0.1, 0.1),
        "multipole_comps_1": uniform_prior(-0.1, 0.1),
    }

    def __init__(
        self,
        m: int = 4,
        centre=(0.0, 0.0),
        einstein_radius: float = 1.0,
        slope: float = 2.0,
        multipole_comps=(0.0, 0.0),
    ):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0))
        self.m = int(m)
        if self.m == 1 and isinstance(slope, int | float) and slope == 2.0:
            raise aa.InputError(
                "PowerLawMultipole m=1 with slope=2 is degenerate: the power-law denominator "
                "m^2 - (3 - slope)^2 vanishes (Chu et al. 2013); exclude slope=2 for m=1."
            )
        self.einstein_radius = einstein_radius
        self.slope = slope
        self.multipole_comps = tuple(multipole_comps)

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def k_m_and_angle_m_from(self, xp: ModuleType = np):
        """Multipole strength ``k_m`` and orientation ``phi_m`` in RADIANS."""
        k_m, phi_m = convert.multipole_k_m_and_phi_m_from(self.multipole_comps, self.m, xp=xp)
        return k_m, phi_m * (np.pi / 180.0)

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        """Azimuthal mean convergence: 0 (the cos(m phi) mode carries no net mass)."""
        return xp.zeros_like(grid_radius)

    def _args(self):
        return self.m, self.einstein_radius, self.slope, self.multipole_comps

    # maths in the profile frame; MassProfile's decorated methods do the rest
    def _convergence_in_frame(self, y, x, xp: ModuleType = np):
        """Convergence (dimensionless)."""
        return multipole_convergence_from(y, x, *self._args(), xp=xp)

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        """Lensing potential (arcsec^2); PyAutoGalaxy returns 0 here (see module docstring)."""
        return multipole_potential_from(y, x, *self._args(), xp=xp)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        """Deflection angles (alpha_y, alpha_x) in arcsec."""
        return multipole_deflections_from(y, x, *self._args(), xp=xp)

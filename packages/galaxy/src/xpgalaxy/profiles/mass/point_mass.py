"""``PointMass``: a point mass lens (PyAutoGalaxy ``PointMass``).

Schneider, Ehlers & Falco (1992, eqs. 8.8-8.9 for a point lens): with ``theta_E`` the
Einstein radius and ``(y, x)`` measured from the centre,

    psi = theta_E^2 ln r,   alpha = theta_E^2 (y, x) / r^2,   kappa = pi theta_E^2 delta(theta),
    (gamma_1, gamma_2) = theta_E^2 (y^2 - x^2, -2 x y) / r^4.

As in PyAutoGalaxy, ``r^2`` is softened by 1e-20 arcsec^2 (finite values at the centre,
where the deflection is 0), and the convergence grid is 0 (the delta function is not
sampled).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.power_law import centre_priors, uniform_prior

__all__ = ["PointMass"]

#: arcsec^2 added to r^2, PyAutoGalaxy's value.
POINT_MASS_SOFTENING_SQUARED = 1.0e-20


class PointMass(MassProfile):
    """Point mass with Einstein radius ``einstein_radius`` (arcsec) at ``centre`` (y, x)."""

    default_priors = {**centre_priors(), "einstein_radius": uniform_prior(0.0, 8.0)}

    def __init__(self, centre=(0.0, 0.0), einstein_radius: float = 1.0):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0))
        self.einstein_radius = einstein_radius

    @property
    def is_point_mass(self) -> bool:
        return True

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        return xp.zeros_like(grid_radius)

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Zero on any grid (the delta function at the centre is not sampled)."""
        return xp.zeros(grid.array.shape[0])

    @aa.decorators.to_array
    @aa.decorators.transform
    def potential_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """``psi = theta_E^2 ln r`` (arcsec^2)."""
        g = grid.array
        r2 = g[:, 0] ** 2 + g[:, 1] ** 2 + POINT_MASS_SOFTENING_SQUARED
        return self.einstein_radius**2 * 0.5 * xp.log(r2)

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """``alpha = theta_E^2 (y, x) / r^2`` (arcsec)."""
        g = grid.array
        r2 = g[:, 0] ** 2 + g[:, 1] ** 2 + POINT_MASS_SOFTENING_SQUARED
        return (self.einstein_radius**2 / r2)[:, None] * g

    @aa.decorators.to_vector_yx
    @aa.decorators.transform
    def shear_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Shear as (gamma_2, gamma_1): ``theta_E^2 (-2 x y, y^2 - x^2) / r^4``."""
        g = grid.array
        y, x = g[:, 0], g[:, 1]
        r2 = y * y + x * x + POINT_MASS_SOFTENING_SQUARED
        scale = self.einstein_radius**2 / (r2 * r2)
        return xp.stack([-2.0 * x * y * scale, (y * y - x * x) * scale], axis=-1)

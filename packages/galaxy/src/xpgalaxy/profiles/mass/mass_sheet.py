"""``MassSheet``: a uniform convergence sheet (PyAutoGalaxy ``MassSheet``).

Gorenstein, Falco & Shapiro (1988, ApJ 327, 693): for a constant convergence ``kappa``
about ``centre``, with ``(y, x)`` measured from the centre,

    kappa(theta) = kappa,   alpha = kappa (y, x),   psi = 1/2 kappa (x^2 + y^2),   shear = 0.

PyAutoGalaxy's potential omits the centre shift (it uses ``r`` about the origin), which
differs from the gradient of its deflections by a linear term when ``centre != (0, 0)``;
here the potential is measured from the centre, consistent with the deflections.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.power_law import centre_priors, uniform_prior

__all__ = ["MassSheet"]


class MassSheet(MassProfile):
    """Uniform convergence ``kappa`` (dimensionless) centred on ``centre`` (y, x) arcsec."""

    default_priors = {**centre_priors(), "kappa": uniform_prior(-1.0, 1.0)}

    def __init__(self, centre=(0.0, 0.0), kappa: float = 0.0):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0))
        self.kappa = kappa

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        return xp.zeros_like(grid_radius) + self.kappa

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """The constant ``kappa`` at every point."""
        return xp.zeros(grid.array.shape[0]) + self.kappa

    @aa.decorators.to_array
    @aa.decorators.transform
    def potential_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """``psi = kappa r^2 / 2`` (arcsec^2), r from the centre."""
        g = grid.array
        return 0.5 * self.kappa * (g[:, 0] ** 2 + g[:, 1] ** 2)

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """``alpha = kappa (y, x)`` (arcsec), radial from the centre."""
        return self.kappa * grid.array

    @aa.decorators.to_vector_yx
    def shear_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Zero shear, as (gamma_2, gamma_1)."""
        return xp.zeros((grid.array.shape[0], 2))

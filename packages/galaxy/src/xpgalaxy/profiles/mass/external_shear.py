"""``ExternalShear``: a constant external shear field (PyAutoGalaxy ``ExternalShear``).

With shear components ``(gamma_1, gamma_2)`` (Schneider, Ehlers & Falco 1992, eq. 8.19; the
convention of ``LensCalc.shear_yx_2d_via_hessian_from``) the potential, deflections and
shear about the origin are

    psi     = 1/2 gamma_1 (x^2 - y^2) + gamma_2 x y
    alpha_x = gamma_1 x + gamma_2 y,    alpha_y = gamma_2 x - gamma_1 y
    kappa   = 0,                        shear = (gamma_2, gamma_1) everywhere.

PyAutoGalaxy writes the same field through the magnitude ``sqrt(gamma_1^2 + gamma_2^2)`` and
angle ``arctan2(gamma_2, gamma_1) / 2`` (``psi = 1/2 |gamma| r^2 cos 2(phi - phi_gamma)``);
evaluating it linearly in the components gives the same numbers without the polar
singularity, so values and JAX gradients are exact at zero shear.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy import convert
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.power_law import uniform_prior

__all__ = [
    "ExternalShear",
    "external_shear_deflections_from",
    "external_shear_potential_from",
]


def external_shear_potential_from(y, x, gamma_1, gamma_2, xp: ModuleType = np):
    """``psi = 1/2 gamma_1 (x^2 - y^2) + gamma_2 x y`` (arcsec^2)."""
    return 0.5 * gamma_1 * (x * x - y * y) + gamma_2 * x * y


def external_shear_deflections_from(y, x, gamma_1, gamma_2, xp: ModuleType = np):
    """``(alpha_y, alpha_x) = (gamma_2 x - gamma_1 y, gamma_1 x + gamma_2 y)`` (arcsec)."""
    return gamma_2 * x - gamma_1 * y, gamma_1 * x + gamma_2 * y


class ExternalShear(MassProfile):
    """Constant external shear about the origin (y, x) = (0, 0).

    Parameters: ``gamma_1`` (stretch along the x / y axes), ``gamma_2`` (along the diagonals);
    dimensionless. ``magnitude(xp)`` and ``angle(xp)`` (degrees counter-clockwise from +x, in
    PyAutoGalaxy's branch) come from ``xpgalaxy.convert``.
    """

    default_priors = {
        "gamma_1": uniform_prior(-0.3, 0.3),
        "gamma_2": uniform_prior(-0.3, 0.3),
    }

    def __init__(self, gamma_1: float = 0.0, gamma_2: float = 0.0):
        super().__init__(centre=(0.0, 0.0), ell_comps=(0.0, 0.0))
        self.gamma_1 = gamma_1
        self.gamma_2 = gamma_2

    def magnitude(self, xp: ModuleType = np):
        """Shear strength ``sqrt(gamma_1^2 + gamma_2^2)``."""
        return convert.shear_magnitude_from(self.gamma_1, self.gamma_2, xp=xp)

    def angle(self, xp: ModuleType = np):
        """Shear angle ``arctan2(gamma_2, gamma_1) / 2`` in degrees (PyAutoGalaxy's branch)."""
        return convert.shear_angle_from(self.gamma_1, self.gamma_2, xp=xp)

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        return xp.zeros_like(grid_radius)

    @aa.decorators.to_array
    def convergence_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Zero: a pure shear carries no mass."""
        return xp.zeros(grid.array.shape[0])

    @aa.decorators.to_array
    def potential_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Lensing potential (arcsec^2), about the origin."""
        g = grid.array
        return external_shear_potential_from(g[:, 0], g[:, 1], self.gamma_1, self.gamma_2, xp=xp)

    @aa.decorators.to_vector_yx
    def deflections_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Deflection angles (alpha_y, alpha_x) in arcsec."""
        g = grid.array
        alpha_y, alpha_x = external_shear_deflections_from(
            g[:, 0], g[:, 1], self.gamma_1, self.gamma_2, xp=xp
        )
        return xp.stack([alpha_y, alpha_x], axis=-1)

    def deflections_yx_pair_from(self, y, x, xp: ModuleType = np):
        """Deflections (alpha_y, alpha_x), arcsec, as two raw arrays (see MassProfile)."""
        return external_shear_deflections_from(y, x, self.gamma_1, self.gamma_2, xp=xp)

    @aa.decorators.to_vector_yx
    def shear_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Shear as (gamma_2, gamma_1) per point (PyAutoGalaxy's ShearYX ordering)."""
        g = grid.array
        zero = 0.0 * g[:, 0]
        return xp.stack([zero + self.gamma_2, zero + self.gamma_1], axis=-1)

"""Grouping galaxies into planes by redshift, and multi-plane ray tracing.

Multi-plane lens equation (Schneider, Ehlers & Falco 1992, eq. 9.7; Petkova et al. 2014,
eq. 2): the position in plane j is

    theta_j = theta_0 - sum_{i<j} beta_ij alpha_i(theta_i),

with alpha_i the deflection of plane i scaled to the final (source) plane and
``beta_ij = D_ij D_s / (D_j D_is)`` the cosmology's scaling factor. Redshifts are static
Python floats, so the scaling factors are computed once with NumPy.
"""

from __future__ import annotations

import numpy as np

from xpgalaxy import Galaxies, Galaxy

__all__ = [
    "planes_from",
    "scaling_factors_from",
    "traced_points_list_from",
    "traced_yx_list_from",
]


def planes_from(galaxies: list[Galaxy]) -> tuple[list[float], list[Galaxies]]:
    """Sorted unique redshifts and the galaxies in each plane (stable order within)."""
    redshifts = sorted({g.redshift for g in galaxies})
    planes = [Galaxies([g for g in galaxies if g.redshift == z]) for z in redshifts]
    return redshifts, planes


def scaling_factors_from(redshifts: list[float], cosmology) -> np.ndarray:
    """Matrix ``beta[i, j]`` for i < j (NumPy floats; 1 where j is the final plane)."""
    n = len(redshifts)
    beta = np.zeros((n, n))
    for j in range(1, n):
        for i in range(j):
            beta[i, j] = float(
                cosmology.scaling_factor_between_redshifts_from(
                    redshift_0=redshifts[i], redshift_1=redshifts[j], redshift_final=redshifts[-1]
                )
            )
    return beta


def traced_points_list_from(
    points, planes: list[Galaxies], beta: np.ndarray, xp=np, plane_index_limit: int | None = None
) -> list:
    """Raw (N, 2) positions in every plane for image-plane positions ``points``."""
    traced = traced_yx_list_from(points[:, 0], points[:, 1], planes, beta, xp, plane_index_limit)
    return [points] + [xp.stack(pair, axis=-1) for pair in traced[1:]]


def traced_yx_list_from(
    y, x, planes: list[Galaxies], beta: np.ndarray, xp=np, plane_index_limit: int | None = None
) -> list[tuple]:
    """``(y, x)`` raw arrays (arcsec) in every plane for image-plane points ``y``, ``x``.

    Traced as separate y and x arrays (``deflections_yx_pair_from``): under XLA an (N, 2)
    stack is a concatenate, whose fusion re-evaluates the deflection maths once per output
    element (reference ss1 value and gradient, with ``image_2d_yx_from``: 0.74 -> 0.6 ms).
    """
    last = len(planes) - 1 if plane_index_limit is None else plane_index_limit
    traced, deflections = [], []
    for j in range(last + 1):
        theta_y, theta_x = y, x
        for i in range(j):
            # beta is static: skip the product where it is 1 (always into the last plane)
            scale = float(beta[i, j])
            alpha_y, alpha_x = deflections[i]
            if scale != 1.0:
                alpha_y, alpha_x = scale * alpha_y, scale * alpha_x
            theta_y, theta_x = theta_y - alpha_y, theta_x - alpha_x
        traced.append((theta_y, theta_x))
        if j < last:
            deflections.append(planes[j].deflections_yx_pair_from(theta_y, theta_x, xp=xp))
    return traced

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

import xparray as aa
from xpgalaxy import Galaxies, Galaxy

__all__ = ["planes_from", "scaling_factors_from", "traced_points_list_from"]


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
    last = len(planes) - 1 if plane_index_limit is None else plane_index_limit
    traced, deflections = [], []
    for j in range(last + 1):
        theta = points
        for i in range(j):
            theta = theta - beta[i, j] * deflections[i]
        traced.append(theta)
        if j < last:
            has_mass = any(g.mass_profile_list for g in planes[j])
            deflections.append(
                aa.structures.unwrap(planes[j].deflections_yx_2d_from(theta, xp=xp))
                if has_mass
                else xp.zeros_like(theta)
            )
    return traced

"""Conversions between the sampled parameters of a profile and its physical shape.

Same conventions and numbers as PyAutoGalaxy's ``autogalaxy.convert``:

* angles are in degrees, counter-clockwise from the +x axis;
* ellipticity: ``ell_comps = (e_y, e_x) = (f sin 2phi, f cos 2phi)``, ``f = (1 - q) / (1 + q)``,
  ``q`` the axis ratio b/a (minor over major);
* external shear: ``(gamma_1, gamma_2) = (g cos 2phi, g sin 2phi)``;
* multipoles of order m: ``(c_0, c_1) = (k_m sin(m phi_m), k_m cos(m phi_m))``.

The inverse conversions put the angle on the same branch as PyAutoGalaxy, so posteriors
marginalised over angle do not straddle a branch cut: ellipse ``[-45, 135)``, shear
``(-45, 135]``, multipole ``[-90/m, 270/m)`` degrees.

Every function takes ``xp`` (NumPy default, ``jax.numpy`` for the traced path). Inputs may be
Python floats, tuples, NumPy arrays or (traced) JAX values; pairs come back as tuples. The
polar conversions are singular at the origin (``sqrt`` and ``arctan2`` of (0, 0)); there the
values match PyAutoGalaxy (magnitude 0, angle 0) and a double ``where`` keeps JAX gradients
finite (PyAutoGalaxy nudges traced inputs instead; the values are the same).
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import numpy as np

__all__ = [
    "ELL_COMPS_MAGNITUDE_CLAMP",
    "ell_comps_from",
    "axis_ratio_and_angle_from",
    "axis_ratio_from",
    "angle_from",
    "shear_gamma_1_2_from",
    "shear_magnitude_and_angle_from",
    "shear_magnitude_from",
    "shear_angle_from",
    "multipole_comps_from",
    "multipole_k_m_and_phi_m_from",
]

# PyAutoGalaxy caps the ellipticity magnitude f at 0.999 (axis ratio >= 0.0005) when
# converting ell_comps back to an axis ratio, so q never reaches 0 (a degenerate line).
ELL_COMPS_MAGNITUDE_CLAMP = 0.999

_DEG_PER_RAD = 180.0 / np.pi
_RAD_PER_DEG = np.pi / 180.0


def _safe_hypot(a, b, xp: ModuleType = np):
    """``sqrt(a^2 + b^2)`` whose value (0) and gradient (0) are finite at ``a = b = 0``.

    The inner ``where`` keeps ``sqrt`` away from 0 (its derivative there is infinite and would
    poison the gradient through the outer ``where`` as ``0 * inf = nan``). NumPy has no
    gradient to protect: ``hypot`` is already 0 there (and 1 call, not 6, on scalars).
    """
    if xp is np:
        return np.hypot(a, b)
    r2 = a * a + b * b
    positive = r2 > 0.0
    return xp.where(positive, xp.sqrt(xp.where(positive, r2, 1.0)), 0.0)


def _safe_arctan2(y, x, xp: ModuleType = np):
    """``arctan2(y, x)`` in radians, 0 at the origin with a finite (zero) gradient there.

    On NumPy ``arctan2(y, x + 0.0)``: IEEE ``arctan2(+-0, +0)`` is already +-0, and adding
    +0 turns ``x = -0`` (whose ``arctan2`` is +-pi) into +0.
    """
    if xp is np:
        return np.arctan2(y, x + 0.0)
    origin = xp.logical_and(y == 0.0, x == 0.0)
    x_safe = xp.where(origin, 1.0, x)
    return xp.where(origin, 0.0, xp.arctan2(y, x_safe))


def ell_comps_from(axis_ratio: Any, angle: Any, xp: ModuleType = np) -> tuple[Any, Any]:
    """Elliptical components ``(e_y, e_x)`` from an axis ratio and a position angle.

    ``e_y = f sin(2 phi)``, ``e_x = f cos(2 phi)``, ``f = (1 - q) / (1 + q)``.

    Parameters
    ----------
    axis_ratio
        Minor over major axis, b/a, in (0, 1].
    angle
        Position angle of the major axis in degrees, counter-clockwise from +x.
    """
    two_phi = 2.0 * angle * _RAD_PER_DEG
    fac = (1.0 - axis_ratio) / (1.0 + axis_ratio)
    return (fac * xp.sin(two_phi), fac * xp.cos(two_phi))


def axis_ratio_and_angle_from(ell_comps: Any, xp: ModuleType = np) -> tuple[Any, Any]:
    """Axis ratio and position angle (degrees, in ``[-45, 135)``) from ``(e_y, e_x)``.

    ``f = min(sqrt(e_y^2 + e_x^2), 0.999)``, ``q = (1 - f) / (1 + f)``,
    ``phi = arctan2(e_y, e_x) / 2``, moved by +180 when below -45 degrees.
    At ``ell_comps = (0, 0)``: ``q = 1`` and ``phi = 0``.
    """
    return axis_ratio_from(ell_comps, xp=xp), angle_from(ell_comps, xp=xp)


def axis_ratio_from(ell_comps: Any, xp: ModuleType = np) -> Any:
    """Axis ratio b/a from ``(e_y, e_x)`` (see ``axis_ratio_and_angle_from``)."""
    fac = xp.minimum(_safe_hypot(ell_comps[0], ell_comps[1], xp=xp), ELL_COMPS_MAGNITUDE_CLAMP)
    return (1.0 - fac) / (1.0 + fac)


def angle_from(ell_comps: Any, xp: ModuleType = np) -> Any:
    """Position angle in degrees, in ``[-45, 135)``, from ``(e_y, e_x)``."""
    angle = 0.5 * _safe_arctan2(ell_comps[0], ell_comps[1], xp=xp) * _DEG_PER_RAD
    return xp.where(angle < -45.0, angle + 180.0, angle)


def shear_gamma_1_2_from(magnitude: Any, angle: Any, xp: ModuleType = np) -> tuple[Any, Any]:
    """Shear components ``(gamma_1, gamma_2) = (g cos 2phi, g sin 2phi)``.

    Parameters
    ----------
    magnitude
        Shear strength g (dimensionless).
    angle
        Shear angle phi in degrees, counter-clockwise from +x.
    """
    two_phi = 2.0 * angle * _RAD_PER_DEG
    return (magnitude * xp.cos(two_phi), magnitude * xp.sin(two_phi))


def shear_magnitude_and_angle_from(
    gamma_1: Any, gamma_2: Any, xp: ModuleType = np
) -> tuple[Any, Any]:
    """Shear magnitude and angle (degrees, in ``(-45, 135]``) from ``gamma_1, gamma_2``.

    ``g = sqrt(gamma_1^2 + gamma_2^2)``, ``phi = arctan2(gamma_2, gamma_1) / 2`` moved into
    ``[0, 180)`` and then angles above 135 moved down by 180 (PyAutoGalaxy's branch).
    Zero shear gives ``(0, 0)``.
    """
    angle = 0.5 * _safe_arctan2(gamma_2, gamma_1, xp=xp) * _DEG_PER_RAD
    angle = xp.where(angle < 0.0, angle + 180.0, angle)
    angle = xp.where(
        xp.logical_and(xp.abs(angle - 90.0) > 45.0, angle > 90.0), angle - 180.0, angle
    )
    magnitude = _safe_hypot(gamma_1, gamma_2, xp=xp)
    return magnitude, angle


def shear_magnitude_from(gamma_1: Any, gamma_2: Any, xp: ModuleType = np) -> Any:
    """Shear magnitude ``sqrt(gamma_1^2 + gamma_2^2)``."""
    return shear_magnitude_and_angle_from(gamma_1, gamma_2, xp=xp)[0]


def shear_angle_from(gamma_1: Any, gamma_2: Any, xp: ModuleType = np) -> Any:
    """Shear angle in degrees, in ``(-45, 135]``."""
    return shear_magnitude_and_angle_from(gamma_1, gamma_2, xp=xp)[1]


def multipole_comps_from(k_m: Any, phi_m: Any, m: int, xp: ModuleType = np) -> tuple[Any, Any]:
    """Multipole components ``(k_m sin(m phi_m), k_m cos(m phi_m))``.

    PyAutoGalaxy's parameterisation of a multipole perturbation of order ``m`` whose
    convergence goes as ``k_m cos(m (theta - phi_m))`` (power-law multipoles: Chu et al.
    2013, ApJ 765, 134; Evans & Witt 2003, MNRAS 345, 1351).

    Parameters
    ----------
    k_m
        Multipole strength (dimensionless).
    phi_m
        Multipole orientation in degrees, counter-clockwise from +x.
    m
        Multipole order (a Python int, static).
    """
    m_phi = phi_m * float(m) * _RAD_PER_DEG
    return (k_m * xp.sin(m_phi), k_m * xp.cos(m_phi))


def multipole_k_m_and_phi_m_from(
    multipole_comps: Any, m: int, xp: ModuleType = np
) -> tuple[Any, Any]:
    """Multipole strength ``k_m`` and angle ``phi_m`` (degrees, in ``[-90/m, 270/m)``).

    ``k_m = sqrt(c_0^2 + c_1^2)``, ``phi_m = arctan2(c_0, c_1) / m``, moved up by ``360/m``
    when below ``-90/m``. Zero components give ``(0, 0)``.
    """
    c_0, c_1 = multipole_comps[0], multipole_comps[1]
    m = float(m)
    phi_m = _safe_arctan2(c_0, c_1, xp=xp) * _DEG_PER_RAD / m
    phi_m = xp.where(phi_m < -90.0 / m, phi_m + 360.0 / m, phi_m)
    k_m = _safe_hypot(c_0, c_1, xp=xp)
    return k_m, phi_m

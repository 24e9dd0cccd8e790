"""Fixed quadrature rules and log-space interpolation for the NFW family (private).

Every rule below has fixed nodes computed once with NumPy at import (module constants),
so the same arithmetic runs on NumPy and under ``jax.jit`` / ``jax.vmap`` / ``jax.grad``
and both backends give identical numbers. Node counts were chosen by comparison with
``scipy.integrate.quad`` (epsrel 1e-13) over the ranges quoted below; the unit tests
``tests/mass/test_mass_nfw.py`` and ``test_mass_gnfw.py`` repeat the comparison at a few
points.

* ``keeton_deflections`` / ``keeton_potential``: Keeton (2001, astro-ph/0102341) eqs. 7-9,
  the one-dimensional integrals over ``u`` in [0, 1] that give the deflections and the
  potential of any convergence constant on ellipses ``xi^2 = x^2 + y^2 / q^2``. The
  integrands have integrable endpoint singularities at ``u = 0`` (``ln u`` for the NFW,
  ``u^((1 - gamma)/2)`` for the gNFW) and a transition at ``u ~ (r_s / r)^2``; the
  tanh-sinh (double-exponential) rule of Takahasi & Mori (1974, Publ. RIMS 9, 721)
  handles both with exponential convergence: 41 nodes (NFW) / 55 nodes (gNFW, inner
  slopes up to 2.5) give ~1e-12 relative for r / r_s in [3e-5, 20] and q in [0.3, 1].
* ``LOS_COSH`` / ``LOS_WEIGHTS``: the trapezoid rule in ``s`` for line-of-sight integrals
  ``int_0^inf f(X cosh s) ds`` whose integrand is even and analytic in ``s`` (so the
  trapezoid rule converges exponentially, Trefethen & Weideman 2014, SIAM Rev. 56, 385,
  sec. 5); 141 nodes give ~1e-12 relative for X in [1e-12, 1e6].
* ``quintic_hermite``: interpolation of a table on a uniform grid in ``L = ln X`` from
  values and first and second derivatives (error ~ h^6); linear extrapolation in ``L``
  outside the table (log-log power laws).
"""

from __future__ import annotations

from types import ModuleType
from typing import NamedTuple

import numpy as np

__all__ = [
    "X2_FLOOR",
    "TanhSinhRule",
    "tanh_sinh_rule",
    "NFW_RULE",
    "GNFW_RULE",
    "LOS_COSH",
    "LOS_WEIGHTS",
    "CELL_NODES",
    "CELL_WEIGHTS",
    "keeton_deflections",
    "keeton_potential",
    "quintic_hermite_coefficients",
    "quintic_hermite",
]

#: Floor on (xi / r_s)^2 inside the Keeton integrands. It only acts at the exact profile
#: centre (where every xi(u) is 0) to keep logarithms finite; the region it changes
#: elsewhere carries a fraction < 1e-20 of any integral.
X2_FLOOR = 1.0e-60


class TanhSinhRule(NamedTuple):
    """Nodes ``u`` on [0, 1], weights, and weights / u (NumPy constants)."""

    u: np.ndarray
    weights: np.ndarray
    weights_over_u: np.ndarray


def tanh_sinh_rule(step: float, n_half: int) -> TanhSinhRule:
    """Tanh-sinh nodes on [0, 1]: ``u = (1 + tanh(pi/2 sinh t)) / 2``, trapezoid in ``t``.

    ``t = step * k`` for ``k = -n_half..n_half`` (``2 n_half + 1`` nodes). All three arrays
    are computed without cancellation, so the nodes near ``u = 0`` (down to ~1e-38 for
    ``t = -4``) keep full relative precision.
    """
    t = step * np.arange(-n_half, n_half + 1)
    a = 0.5 * np.pi * np.sinh(t)
    u = 1.0 / (1.0 + np.exp(-2.0 * a))
    one_minus_tanh = 2.0 / (1.0 + np.exp(2.0 * a))  # 1 - tanh(a), exact for large a
    du_dt = 0.5 * np.pi * np.cosh(t) * one_minus_tanh * u  # (pi/2) cosh t sech^2(a) / 2
    weights = step * du_dt
    weights_over_u = step * 0.5 * np.pi * np.cosh(t) * one_minus_tanh
    return TanhSinhRule(u, weights, weights_over_u)


#: NFW rule: step 0.15, |t| <= 3 (41 nodes, smallest node ~2e-14; the ``ln u`` endpoint
#: needs no more). Max relative error 8e-13 against quad (epsrel 1e-13) over 384 points:
#: r in [1e-3, 20] arcsec, r_s in [1, 30] arcsec, q in [0.3, 1]; 35 nodes give 7e-11.
NFW_RULE = tanh_sinh_rule(step=0.15, n_half=20)

#: gNFW rule: step 0.15, |t| <= 4.05 (55 nodes, smallest node ~1e-39), so the
#: ``u^((1 - gamma)/2)`` endpoint of inner slopes up to 2.5 is resolved: ~3e-12 relative
#: for gamma <= 2 and ~1e-10 at gamma = 2.5 (same range as NFW_RULE).
GNFW_RULE = tanh_sinh_rule(step=0.15, n_half=27)


def _trapezoid_half_line(step: float, s_max: float) -> tuple[np.ndarray, np.ndarray]:
    s = np.arange(0.0, s_max + 0.5 * step, step)
    weights = np.full_like(s, step)
    weights[0] = 0.5 * step
    return np.cosh(s), weights


#: Trapezoid rule in ``s`` on [0, 42] (step 0.3, 141 nodes) for ``int_0^inf f(X cosh s) ds``.
#: The integrand decays like exp(-2 s) beyond ``s ~ ln(2 / X)``; 42 covers X >= 1e-12.
LOS_COSH, LOS_WEIGHTS = _trapezoid_half_line(step=0.3, s_max=42.0)

#: 4-point Gauss-Legendre nodes / weights on [0, 1] (integrals over one table cell).
_gl_x, _gl_w = np.polynomial.legendre.leggauss(4)
CELL_NODES = 0.5 * (_gl_x + 1.0)
CELL_WEIGHTS = 0.5 * _gl_w


def _ellipse_radius2(y, x, q, r_s, rule: TanhSinhRule, xp: ModuleType = np):
    """(xi(u) / r_s)^2 at every node of ``rule`` (Keeton 2001, sec. 2), shape (N, n).

    ``xi(u)^2 = u (x^2 + y^2 / (1 - (1 - q^2) u))``; also returns ``1 - (1 - q^2) u``.
    """
    u = xp.asarray(rule.u)
    one_minus = 1.0 - (1.0 - q**2) * u
    x2 = (u * (x[:, None] ** 2 + y[:, None] ** 2 / one_minus)) / r_s**2
    return xp.where(x2 > X2_FLOOR, x2, X2_FLOOR), one_minus


def keeton_deflections(y, x, q, r_s, kappa_of_x2, rule: TanhSinhRule, xp: ModuleType = np):
    """Deflections (alpha_y, alpha_x) of a convergence constant on ellipses.

    Keeton (2001) eqs. 7-8 with ``xi = r_s X``::

        alpha_x = q x int_0^1 kappa(xi(u)) (1 - (1 - q^2) u)^(-1/2) du
        alpha_y = q y int_0^1 kappa(xi(u)) (1 - (1 - q^2) u)^(-3/2) du

    ``y, x``: (N,) profile-frame coordinates (arcsec, major axis along x); ``q`` axis
    ratio; ``r_s`` scale radius (arcsec); ``kappa_of_x2(X^2)`` the convergence as a function
    of ``X^2 = (xi / r_s)^2`` (raw arrays, any shape).
    """
    x2, one_minus = _ellipse_radius2(y, x, q, r_s, rule, xp=xp)
    w = xp.asarray(rule.weights) / xp.sqrt(one_minus)
    # The weighted sums as one (N, n) @ (n, 2) product: XLA then evaluates the integrand
    # in a vectorised elementwise pass instead of fusing it into a slow row reduction.
    integrals = xp.matmul(kappa_of_x2(x2), xp.stack([w / one_minus, w], axis=-1))
    return q * y * integrals[:, 0], q * x * integrals[:, 1]


def keeton_potential(y, x, q, r_s, mass_of_x2, rule: TanhSinhRule, xp: ModuleType = np):
    """Lensing potential (arcsec^2) of a convergence constant on ellipses, zero at the centre.

    Keeton (2001) eq. 9: ``psi = (q / 2) int_0^1 (xi / u) alpha_c(xi(u)) (1 - (1 - q^2) u)^(-1/2)
    du`` with ``alpha_c(xi) = (2 / xi) int_0^xi xi' kappa(xi') dxi'`` the deflection of the
    circular profile. With ``xi alpha_c = 2 r_s^2 M(X)``, ``M(X) = int_0^X X' kappa dX'``,
    ``psi = q r_s^2 int_0^1 M(X(u)) / u (1 - (1 - q^2) u)^(-1/2) du``;
    ``mass_of_x2(X^2)`` returns ``M`` (dimensionless).
    """
    x2, one_minus = _ellipse_radius2(y, x, q, r_s, rule, xp=xp)
    w_over_u = xp.asarray(rule.weights_over_u) / xp.sqrt(one_minus)
    return q * r_s**2 * xp.matmul(mass_of_x2(x2), w_over_u)


#: Quintic Hermite basis on [0, 1] in monomials: row j holds the t^j coefficient of the
#: interpolant in terms of (f_0, h f'_0, h^2 f''_0, f_1, h f'_1, h^2 f''_1).
_HERMITE_TO_MONOMIAL = np.array(
    [
        [1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        [0.0, 0.0, 0.5, 0.0, 0.0, 0.0],
        [-10.0, -6.0, -1.5, 10.0, -4.0, 0.5],
        [15.0, 8.0, 1.5, -15.0, 7.0, -1.0],
        [-6.0, -3.0, -0.5, 6.0, -3.0, 0.5],
    ]
)


def quintic_hermite_coefficients(f, f1, f2, step: float, xp: ModuleType = np):
    """Per-cell monomial coefficients of the quintic Hermite interpolant of a table.

    ``f, f1, f2``: (n,) values and first / second derivatives in ``L`` at ``L_k``. Returns
    ``c`` of shape (6, n - 1) with ``p_k(t) = sum_j c[j, k] t^j``, ``t = (L - L_k) / step``,
    matching value, slope and curvature at both ends of each cell (error ~ step^6 f^(6) /
    46080). One row per power, so evaluation gathers from contiguous 1-D tables.
    """
    ends = xp.stack(
        [f[:-1], step * f1[:-1], step**2 * f2[:-1], f[1:], step * f1[1:], step**2 * f2[1:]]
    )
    return xp.matmul(xp.asarray(_HERMITE_TO_MONOMIAL), ends)


def quintic_hermite(big_l, l_first: float, step: float, coefficients, end_slopes, xp=np):
    """Evaluate the interpolant of ``quintic_hermite_coefficients`` at ``big_l`` (any shape).

    The table nodes are ``l_first + k step``. Outside the table the interpolant continues
    linearly with the end slopes ``(f1[0], f1[-1])`` (C1): a power law in ``X = e^L``.
    Traceable: the cell index comes from ``floor`` (zero gradient) and the gradient flows
    through the local coordinate ``t``.
    """
    n_cells = coefficients.shape[-1]
    position = xp.clip((big_l - l_first) / step, 0.0, float(n_cells))
    index = xp.minimum(xp.floor(position), n_cells - 1).astype(np.int32)
    t = position - index
    value = xp.take(coefficients[5], index, mode="clip")
    for j in (4, 3, 2, 1, 0):
        value = value * t + xp.take(coefficients[j], index, mode="clip")
    below = xp.minimum(big_l - l_first, 0.0)
    above = xp.maximum(big_l - (l_first + n_cells * step), 0.0)
    return value + end_slopes[0] * below + end_slopes[1] * above

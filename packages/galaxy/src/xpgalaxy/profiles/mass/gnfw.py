"""Generalised NFW halo: ``gNFW`` (elliptical) and ``gNFWSph``.

3D density (Zhao 1996, MNRAS 278, 488; Wyithe, Turner & Spergel 2001, ApJ 555, 504)::

    rho(r) = rho_s / ((r / r_s)^gamma (1 + r / r_s)^(3 - gamma)),  kappa_s = rho_s r_s / Sigma_cr

with ``gamma = inner_slope`` (``gamma = 1`` is the NFW). PyAutoGalaxy's conventions: the
convergence is constant on ellipses ``xi^2 = x^2 + y^2 / q^2`` (profile frame, major axis
along +x, arcsec) and ``kappa = 2 kappa_s K(xi / r_s)`` with the line-of-sight integral::

    K(X) = int_0^inf phi(X cosh s) ds,   phi(t) = t^(1 - gamma) (1 + t)^(gamma - 3)

(``z = X sinh s`` in ``int_0^inf rho(sqrt(X^2 + z^2)) dz``; equal to the form of Wyithe et
al. 2001 that PyAutoGalaxy integrates with ``scipy.integrate.quad``, see the tests).

Numerics (traceable, fixed cost): per call, ``K``, ``dlnK/dlnX`` and ``d2lnK/dlnX2`` are
computed at 415 nodes uniform in ``ln X`` over [1e-12, 1e6] with the 141-node trapezoid
rule of ``_nfw_quadrature`` (~1e-12), then interpolated in log-log space by quintic Hermite
polynomials (~1e-10 relative). The enclosed mass ``m(X) = int_0^X X' K(X') dX'`` is
integrated cell by cell (4-point Gauss-Legendre on the interpolant) and tabulated the same
way. Deflections and potential use Keeton's (2001) integrals on these tables. Outside the
table both are continued as power laws (exact for ``X -> 0`` when ``gamma > 1``; the regions
involved carry < 1e-10 of any deflection for r / r_s > 1e-5).
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

import xparray as aa
from xpgalaxy.profiles.mass import _nfw_quadrature as nq
from xpgalaxy.profiles.mass.base import MassProfile

__all__ = [
    "gNFW",
    "gNFWSph",
    "GNFWTables",
    "gnfw_tables_from",
    "gnfw_kappa_hat_from",
    "gnfw_mass_hat_from",
    "check_scale_radius",
    "nfw_family_priors",
    "X2_MIN",
]

#: Floor on (xi / r_s)^2 for pointwise quantities (convergence, spherical deflections):
#: radii below 1e-10 r_s are evaluated at 1e-10 r_s, where the convergence of an inner
#: slope >= 1 diverges.
X2_MIN = 1.0e-20

_TABLE_L_FIRST = math.log(1.0e-12)
_TABLE_L_LAST = math.log(1.0e6)
_TABLE_SIZE = 415
_TABLE_STEP = (_TABLE_L_LAST - _TABLE_L_FIRST) / (_TABLE_SIZE - 1)
_TABLE_L = np.linspace(_TABLE_L_FIRST, _TABLE_L_LAST, _TABLE_SIZE)


def nfw_family_priors(elliptical: bool, inner_slope: bool) -> dict:
    """PyAutoGalaxy's prior config for NFW / gNFW (``config/priors/mass/dark/*.yaml``).

    centre: Gaussian(0, 0.1) arcsec; ell_comps: TruncatedGaussian(0, 0.3, -1, 1);
    kappa_s: Uniform(0, 1); inner_slope: Uniform(0, 2); scale_radius: Uniform(0, 30) arcsec.
    Priors are imported lazily so importing the profiles does not import the inference code.
    """

    def centre():
        from xparray.inference import GaussianPrior

        return GaussianPrior(mean=0.0, sigma=0.1)

    def ell():
        from xparray.inference import TruncatedGaussianPrior

        return TruncatedGaussianPrior(mean=0.0, sigma=0.3, lower_limit=-1.0, upper_limit=1.0)

    def uniform(lower, upper):
        def factory():
            from xparray.inference import UniformPrior

            return UniformPrior(lower_limit=lower, upper_limit=upper)

        return factory

    priors = {"centre_0": centre, "centre_1": centre}
    if elliptical:
        priors.update({"ell_comps_0": ell, "ell_comps_1": ell})
    priors["kappa_s"] = uniform(0.0, 1.0)
    if inner_slope:
        priors["inner_slope"] = uniform(0.0, 2.0)
    priors["scale_radius"] = uniform(0.0, 30.0)
    return priors


def check_scale_radius(scale_radius) -> None:
    """Reject a concrete non-positive scale radius (traced values pass through)."""
    if isinstance(scale_radius, int | float | np.integer | np.floating) and not (
        math.isfinite(scale_radius) and scale_radius > 0.0
    ):
        raise aa.InputError(
            f"scale_radius must be a finite number > 0 (arcsec), got {scale_radius!r}: "
            "the profile divides every radius by it."
        )


# ---------------------------------------------------------------------- formulas


class GNFWTables(NamedTuple):
    """Quintic Hermite coefficients (6, n - 1) and end slopes of ``ln K`` and ``ln m``."""

    kappa: Any
    kappa_end_slopes: tuple
    mass: Any
    mass_end_slopes: tuple


def gnfw_tables_from(inner_slope, xp: ModuleType = np) -> GNFWTables:
    """Log-log tables of ``K`` and ``m`` at the nodes ``L = ln X`` (module docstring).

    With ``ln phi = (1 - g) ln t + (g - 3) ln(1 + t)``, ``v = t / (1 + t)`` and
    ``a = 1 - g + (g - 3) v``: ``dK/dL = int phi a`` and
    ``d2K/dL2 = int phi (a^2 + (g - 3) v (1 - v))`` on the same line-of-sight nodes.
    """
    g = inner_slope
    t = xp.exp(xp.asarray(_TABLE_L))[:, None] * xp.asarray(nq.LOS_COSH)[None, :]
    w = xp.asarray(nq.LOS_WEIGHTS)
    v = t / (1.0 + t)
    phi = xp.exp((1.0 - g) * xp.log(t) + (g - 3.0) * xp.log1p(t))
    a = (1.0 - g) + (g - 3.0) * v
    k = xp.sum(w * phi, axis=-1)
    f1 = xp.sum(w * phi * a, axis=-1) / k
    f2 = xp.sum(w * phi * (a * a + (g - 3.0) * v * (1.0 - v)), axis=-1) / k - f1 * f1
    f = xp.log(k)
    kappa = nq.quintic_hermite_coefficients(f, f1, f2, _TABLE_STEP, xp=xp)
    kappa_ends = (f1[0], f1[-1])

    # m(X) = int_0^X X' K dX' = int_-inf^L e^(2L) K dL: start from the local power law
    # K ~ X^f1 below the table (m = X^2 K / (2 + f1)), then add each cell's integral.
    cell_l = xp.asarray(_TABLE_L[:-1, None] + _TABLE_STEP * nq.CELL_NODES[None, :])
    cell_f = nq.quintic_hermite(cell_l, _TABLE_L_FIRST, _TABLE_STEP, kappa, kappa_ends, xp=xp)
    cell_sums = _TABLE_STEP * xp.sum(
        xp.asarray(nq.CELL_WEIGHTS) * xp.exp(2.0 * cell_l + cell_f), axis=-1
    )
    big_g = xp.exp(2.0 * xp.asarray(_TABLE_L) + f)  # X^2 K = dm/dL
    m = big_g[0] / (2.0 + f1[0]) + xp.concatenate([xp.zeros(1), xp.cumsum(cell_sums)])
    m1 = big_g / m
    m2 = m1 * (2.0 + f1) - m1 * m1
    mass = nq.quintic_hermite_coefficients(xp.log(m), m1, m2, _TABLE_STEP, xp=xp)
    return GNFWTables(kappa, kappa_ends, mass, (m1[0], m1[-1]))


def _log_interp(x2, coefficients, end_slopes, xp: ModuleType = np):
    big_l = 0.5 * xp.log(x2)
    return xp.exp(
        nq.quintic_hermite(big_l, _TABLE_L_FIRST, _TABLE_STEP, coefficients, end_slopes, xp=xp)
    )


def gnfw_kappa_hat_from(x2, tables: GNFWTables, xp: ModuleType = np):
    """``K(X) = kappa / (2 kappa_s)`` at ``X^2 = (xi / r_s)^2`` from ``gnfw_tables_from``."""
    return _log_interp(x2, tables.kappa, tables.kappa_end_slopes, xp=xp)


def gnfw_mass_hat_from(x2, tables: GNFWTables, xp: ModuleType = np):
    """``m(X) = int_0^X X' K(X') dX'`` (dimensionless enclosed mass) from the tables."""
    return _log_interp(x2, tables.mass, tables.mass_end_slopes, xp=xp)


# ---------------------------------------------------------------------- classes


class gNFW(MassProfile):
    """Elliptical generalised NFW (PyAutoGalaxy ``gNFW``).

    Parameters: ``centre`` (y, x) arcsec; ``ell_comps``; ``kappa_s`` (dimensionless,
    ``rho_s r_s / Sigma_cr``); ``inner_slope`` gamma (< 3; 1 is the NFW); ``scale_radius``
    r_s in arcsec.
    """

    default_priors = nfw_family_priors(elliptical=True, inner_slope=True)

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        kappa_s: float = 0.05,
        inner_slope: float = 1.0,
        scale_radius: float = 1.0,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps)
        check_scale_radius(scale_radius)
        self.kappa_s = kappa_s
        self.inner_slope = inner_slope
        self.scale_radius = scale_radius

    def _x2_from(self, grid, xp=np):
        """(xi / r_s)^2 on a profile-frame grid, floored at ``X2_MIN``."""
        g = grid.array
        q = self.axis_ratio(xp=xp)
        x2 = (g[:, 1] ** 2 + (g[:, 0] / q) ** 2) / self.scale_radius**2
        return xp.where(x2 > X2_MIN, x2, X2_MIN)

    @aa.decorators.to_array
    @aa.decorators.transform
    def convergence_2d_from(self, grid, xp=np, **kwargs):
        """Convergence ``2 kappa_s K(xi / r_s)`` (dimensionless)."""
        tables = gnfw_tables_from(self.inner_slope, xp=xp)
        return 2.0 * self.kappa_s * gnfw_kappa_hat_from(self._x2_from(grid, xp=xp), tables, xp=xp)

    @aa.decorators.to_array
    @aa.decorators.transform
    def potential_2d_from(self, grid, xp=np, **kwargs):
        """Lensing potential (arcsec^2), Keeton (2001) eq. 9; zero at the centre."""
        tables = gnfw_tables_from(self.inner_slope, xp=xp)
        g = grid.array
        return nq.keeton_potential(
            g[:, 0],
            g[:, 1],
            self.axis_ratio(xp=xp),
            self.scale_radius,
            lambda x2: 2.0 * self.kappa_s * gnfw_mass_hat_from(x2, tables, xp=xp),
            nq.GNFW_RULE,
            xp=xp,
        )

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        """Deflections (y, x) in arcsec, Keeton (2001) eqs. 7-8."""
        tables = gnfw_tables_from(self.inner_slope, xp=xp)
        g = grid.array
        alpha_y, alpha_x = nq.keeton_deflections(
            g[:, 0],
            g[:, 1],
            self.axis_ratio(xp=xp),
            self.scale_radius,
            lambda x2: 2.0 * self.kappa_s * gnfw_kappa_hat_from(x2, tables, xp=xp),
            nq.GNFW_RULE,
            xp=xp,
        )
        return xp.stack([alpha_y, alpha_x], axis=-1)


class gNFWSph(gNFW):
    """Spherical generalised NFW (PyAutoGalaxy ``gNFWSph``): ``gNFW`` with q = 1.

    Deflections are radial, ``alpha(r) = 4 kappa_s r_s m(X) / X`` (enclosed mass,
    ``X = r / r_s``); the potential is Keeton's integral at q = 1.
    """

    default_priors = nfw_family_priors(elliptical=False, inner_slope=True)

    def __init__(
        self,
        centre=(0.0, 0.0),
        kappa_s: float = 0.05,
        inner_slope: float = 1.0,
        scale_radius: float = 1.0,
    ):
        super().__init__(
            centre=centre,
            ell_comps=(0.0, 0.0),
            kappa_s=kappa_s,
            inner_slope=inner_slope,
            scale_radius=scale_radius,
        )

    def axis_ratio(self, xp=np):
        return xp.asarray(1.0)

    def angle(self, xp=np):
        return xp.asarray(0.0)

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        """Radial deflections (y, x) in arcsec: ``4 kappa_s m(X) / X^2 (y, x)``."""
        tables = gnfw_tables_from(self.inner_slope, xp=xp)
        g = grid.array
        factor = 4.0 * self.kappa_s * gnfw_mass_hat_from(self._x2_from(grid, xp=xp), tables, xp=xp)
        factor = factor / self._x2_from(grid, xp=xp)
        return factor[:, None] * g

"""LensCalc: lensing quantities derived from any deflection-angle function.

The hessian ``H_ij = d alpha_i / d theta_j`` of the deflection field gives the convergence
``kappa = (H_xx + H_yy) / 2``, the shear ``gamma_1 = (H_xx - H_yy) / 2``, ``gamma_2 = H_xy``,
the magnification ``mu = 1 / det(I - H)`` and the tangential / radial eigenvalues
``1 - kappa -+ |gamma|`` (Schneider, Ehlers & Falco 1992, section 5.2).

NumPy path: central finite differences with one Richardson extrapolation step (error
O(h^4)). JAX path: ``jax.jacfwd`` of the deflections at each point (exact), returning raw
``jax.Array`` so these methods can be the outermost operation under ``jax.jit``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import xparray as aa

__all__ = ["LensCalc"]


def _wrap(values, grid, kind: str):
    """Wrap a NumPy result like the input grid (structures on NumPy only)."""
    if isinstance(grid, aa.Grid2D):
        return (
            aa.VectorYX2D(values, grid.mask) if kind == "vector" else aa.Array2D(values, grid.mask)
        )
    if isinstance(grid, aa.Grid2DIrregular):
        return aa.VectorYX2DIrregular(values) if kind == "vector" else aa.ArrayIrregular(values)
    return values


class LensCalc:
    """Hessian-based lensing calculus for a deflection function ``f(grid, xp) -> (N, 2)``."""

    def __init__(self, deflections_yx_2d_from: Callable):
        self._deflections = deflections_yx_2d_from

    @classmethod
    def from_mass_obj(cls, mass_obj) -> LensCalc:
        """From a mass profile, Galaxy, Galaxies or tracer (anything with deflections)."""
        if not hasattr(mass_obj, "deflections_yx_2d_from"):
            raise aa.InputError(
                f"{type(mass_obj).__name__} has no deflections_yx_2d_from: pass a mass "
                "profile, Galaxy, Galaxies or Tracer"
            )
        return cls(mass_obj.deflections_yx_2d_from)

    def deflections_yx_2d_from(self, grid, xp=np):
        return aa.structures.unwrap(self._deflections(grid, xp=xp))

    # ---------------------------------------------------------------- hessian
    def hessian_from(self, grid, buffer: float = 0.01, xp=np):
        """(H_yy, H_xy, H_yx, H_xx), raw arrays, at every (y, x) point of ``grid``.

        ``buffer`` (arcsec) is the NumPy finite-difference step; unused on JAX.
        """
        points = aa.structures.unwrap(grid)
        if xp is not np:
            return self._hessian_jax(points, xp)
        points = np.asarray(points, dtype=float)

        def diff(h):
            dy = np.array([h, 0.0])
            dx = np.array([0.0, h])
            a_yp = self.deflections_yx_2d_from(points + dy)
            a_ym = self.deflections_yx_2d_from(points - dy)
            a_xp = self.deflections_yx_2d_from(points + dx)
            a_xm = self.deflections_yx_2d_from(points - dx)
            d_dy = (a_yp - a_ym) / (2 * h)
            d_dx = (a_xp - a_xm) / (2 * h)
            return d_dy, d_dx

        dy1, dx1 = diff(buffer)
        dy2, dx2 = diff(buffer / 2)
        d_dy = (4 * dy2 - dy1) / 3  # Richardson: cancels the O(h^2) term
        d_dx = (4 * dx2 - dx1) / 3
        return d_dy[:, 0], d_dx[:, 0], d_dy[:, 1], d_dx[:, 1]

    def _hessian_jax(self, points, xp):
        import jax

        def alpha(point):
            return self.deflections_yx_2d_from(point[None, :], xp=xp)[0]

        jac = jax.vmap(jax.jacfwd(alpha))(xp.asarray(points))  # (N, 2, 2): d alpha_i / d theta_j
        return jac[:, 0, 0], jac[:, 0, 1], jac[:, 1, 0], jac[:, 1, 1]

    # -------------------------------------------------------------- derived
    def convergence_2d_via_hessian_from(self, grid, buffer: float = 0.01, xp=np):
        h_yy, _, _, h_xx = self.hessian_from(grid, buffer=buffer, xp=xp)
        out = 0.5 * (h_yy + h_xx)
        return out if xp is not np else _wrap(out, grid, "array")

    def shear_yx_2d_via_hessian_from(self, grid, buffer: float = 0.01, xp=np):
        """(gamma_2, gamma_1) per point (PyAutoGalaxy's (y, x) ordering of the shear)."""
        h_yy, h_xy, h_yx, h_xx = self.hessian_from(grid, buffer=buffer, xp=xp)
        gamma_1 = 0.5 * (h_xx - h_yy)
        gamma_2 = 0.5 * (h_xy + h_yx)
        out = xp.stack([gamma_2, gamma_1], axis=-1)
        return out if xp is not np else _wrap(out, grid, "vector")

    def magnification_2d_via_hessian_from(self, grid, buffer: float = 0.01, xp=np):
        h_yy, h_xy, h_yx, h_xx = self.hessian_from(grid, buffer=buffer, xp=xp)
        det = (1.0 - h_xx) * (1.0 - h_yy) - h_xy * h_yx
        out = 1.0 / det
        return out if xp is not np else _wrap(out, grid, "array")

    def magnification_2d_from(self, grid, buffer: float = 0.01, xp=np):
        """Magnification 1 / det(A), A = I - H the lensing Jacobian."""
        return self.magnification_2d_via_hessian_from(grid, buffer=buffer, xp=xp)

    def _kappa_and_gamma(self, grid, buffer, xp):
        h_yy, h_xy, h_yx, h_xx = self.hessian_from(grid, buffer=buffer, xp=xp)
        kappa = 0.5 * (h_yy + h_xx)
        gamma = xp.sqrt((0.5 * (h_xx - h_yy)) ** 2 + (0.5 * (h_xy + h_yx)) ** 2)
        return kappa, gamma

    def tangential_eigen_value_from(self, grid, buffer: float = 0.01, xp=np):
        """1 - kappa - |gamma|: zero on the tangential critical curve."""
        kappa, gamma = self._kappa_and_gamma(grid, buffer, xp)
        out = 1.0 - kappa - gamma
        return out if xp is not np else _wrap(out, grid, "array")

    def radial_eigen_value_from(self, grid, buffer: float = 0.01, xp=np):
        """1 - kappa + |gamma|: zero on the radial critical curve."""
        kappa, gamma = self._kappa_and_gamma(grid, buffer, xp)
        out = 1.0 - kappa + gamma
        return out if xp is not np else _wrap(out, grid, "array")

    # ----------------------------------------------- critical curves (NumPy)
    def tangential_critical_curve_list_from(self, grid, buffer: float = 0.01) -> list:
        return self._critical_curves(grid, self.tangential_eigen_value_from, buffer)

    def radial_critical_curve_list_from(self, grid, buffer: float = 0.01) -> list:
        return self._critical_curves(grid, self.radial_eigen_value_from, buffer)

    def tangential_caustic_list_from(self, grid, buffer: float = 0.01) -> list:
        return [self._to_source(c) for c in self.tangential_critical_curve_list_from(grid, buffer)]

    def radial_caustic_list_from(self, grid, buffer: float = 0.01) -> list:
        return [self._to_source(c) for c in self.radial_critical_curve_list_from(grid, buffer)]

    def _to_source(self, curve: aa.Grid2DIrregular) -> aa.Grid2DIrregular:
        pts = curve.array
        return aa.Grid2DIrregular(pts - self.deflections_yx_2d_from(pts))

    def _critical_curves(self, grid, eigen_from, buffer) -> list:
        """Zero contours of an eigenvalue on a uniform Grid2D, as closed (y, x) curves."""
        from xpgalaxy.lens_calc.contours import zero_contours_from

        if not isinstance(grid, aa.Grid2D):
            raise aa.InputError("critical curves need a uniform Grid2D, e.g. Grid2D.uniform(...)")
        eigen = eigen_from(grid, buffer=buffer)
        native = np.asarray(eigen.native)
        native = np.where(grid.mask.mask, np.nan, native)
        return [aa.Grid2DIrregular(c) for c in zero_contours_from(native, grid.mask)]

    def einstein_radius_list_from(self, grid, buffer: float = 0.01) -> list[float]:
        """Radius of the circle with the area of each tangential critical curve (arcsec)."""
        from xpgalaxy.lens_calc.contours import polygon_area

        return [
            float(np.sqrt(polygon_area(c.array) / np.pi))
            for c in self.tangential_critical_curve_list_from(grid, buffer)
        ]

    def einstein_radius_from(self, grid, buffer: float = 0.01) -> float:
        """Einstein radius (arcsec) from the area inside the tangential critical curve(s)."""
        radii = self.einstein_radius_list_from(grid, buffer)
        if not radii:
            raise aa.InputError(
                "no tangential critical curve on this grid: the lens is sub-critical or the "
                "grid is too small; use a larger Grid2D"
            )
        return float(np.sqrt(np.sum(np.square(radii))))

    def einstein_mass_angular_from(self, grid, buffer: float = 0.01) -> float:
        """pi * R_E^2 (arcsec^2): the angular Einstein mass (multiply by Sigma_crit for M_sun)."""
        return float(np.pi * self.einstein_radius_from(grid, buffer) ** 2)

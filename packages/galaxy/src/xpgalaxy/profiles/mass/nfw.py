"""Navarro-Frenk-White halo: ``NFW`` (elliptical) and ``NFWSph``.

The gNFW of ``gnfw.py`` with ``inner_slope = 1`` (PyAutoGalaxy's ``NFW(gNFW)``): convergence
``kappa = 2 kappa_s g(X)`` constant on ellipses ``xi^2 = x^2 + y^2 / q^2``, ``X = xi / r_s``
(arcsec, profile frame, major axis along +x). Closed forms of the circular profile
(Bartelmann 1996, A&A 313, 697; Wright & Brainerd 2000, ApJ 534, 34), with
``s = 1 - X^2`` and ``F(X) = arctanh(sqrt(s)) / sqrt(s)`` (``= arctan(sqrt(-s)) / sqrt(-s)``
for X > 1; ``arctanh(sqrt s) = ln((1 + sqrt s) / X)``)::

    g(X) = (1 - F) / (X^2 - 1)                     kappa / (2 kappa_s)    (WB00 eq. 11)
    h(X) = ln(X / 2) + F                           alpha = 4 kappa_s r_s h / X
    kappa_bar = 4 kappa_s h / X^2                  mean inside X          (WB00 eq. 13)
    psi  = 2 kappa_s r_s^2 (ln^2(X / 2) - s F^2)   potential, psi(0) = 0
    gamma = kappa_bar - kappa                      shear magnitude

All three are analytic in ``s`` at X = 1: ``F = sum s^k / (2k + 1)``, so for ``|s| <= 0.02``
the series (9 terms, error < 3e-17) replaces the 0/0 forms, with a double ``where`` so
values and gradients are finite through X = 1. For X < 1 the forms are rearranged to avoid
the cancellation of ``ln(X / 2)`` against ``F`` at small X (see ``nfw_h_from``).
The elliptical deflections and potential are Keeton's (2001) integrals of ``g`` and ``h``
(``_nfw_quadrature``; PyAutoGalaxy uses Heyrovsky & Karamazov 2024's closed form for the
deflections and an MGE for the potential: same numbers to their accuracy).
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Any, NamedTuple

import numpy as np

import xparray as aa
from xpgalaxy.profiles.elementary import arctan
from xpgalaxy.profiles.mass import _nfw_quadrature as nq
from xpgalaxy.profiles.mass.gnfw import gNFW, nfw_family_priors

__all__ = [
    "NFW",
    "NFWSph",
    "nfw_f_from",
    "nfw_g_from",
    "nfw_h_from",
    "nfw_psi_hat_from",
]

#: |1 - X^2| below which the series in s = 1 - X^2 is used.
SERIES_HALF_WIDTH = 0.02
_N_SERIES = 9
_LN2 = math.log(2.0)


def _horner(s, coefficients, xp: ModuleType = np):
    out = xp.zeros_like(s) + coefficients[-1]
    for c in coefficients[-2::-1]:
        out = out * s + c
    return out


_F_SERIES = [1.0 / (2 * k + 1) for k in range(_N_SERIES)]  # F(s)
_G_SERIES = [1.0 / (2 * k + 3) for k in range(_N_SERIES)]  # (F - 1) / s


class _Branches(NamedTuple):
    s: Any  # 1 - X^2
    inner: Any  # mask s > SERIES_HALF_WIDTH (X < 1)
    outer: Any  # mask s < -SERIES_HALF_WIDTH (X > 1)
    x2_in: Any  # X^2 on inner points, 0.25 elsewhere
    s_in: Any
    root_in: Any  # sqrt(s) on inner points
    log_x2_in: Any
    s_out: Any  # s on outer points, -1 elsewhere
    root_out: Any  # sqrt(-s) on outer points
    s_near: Any  # s on |s| <= SERIES_HALF_WIDTH, 0 elsewhere


def _branches(x2, xp: ModuleType = np) -> _Branches:
    """Masks and safe inputs for X < 1 (``inner``), X > 1 (``outer``) and |s| <= 0.02.

    Each branch sees only inputs in its own domain (double ``where``), so no unused branch
    produces inf / nan values or gradients.
    """
    s = 1.0 - x2
    inner = s > SERIES_HALF_WIDTH
    outer = s < -SERIES_HALF_WIDTH
    near = xp.logical_not(xp.logical_or(inner, outer))
    # X^2 itself (not 1 - s) feeds the logarithms: 1 - s loses X^2 below ~1e-16.
    x2_in = xp.where(inner, x2, 0.25)
    s_in = 1.0 - x2_in
    root_in = xp.sqrt(s_in)
    log_x2_in = xp.log(x2_in)
    s_out = xp.where(outer, s, -1.0)
    root_out = xp.sqrt(-s_out)
    s_near = xp.where(near, s, 0.0)
    return _Branches(s, inner, outer, x2_in, s_in, root_in, log_x2_in, s_out, root_out, s_near)


def _f_outer_or_near(b: _Branches, xp: ModuleType = np):
    """``F`` on X > 1 and |s| <= 0.02 (its value on inner points is unused)."""
    return xp.where(
        b.outer, arctan(b.root_out, xp=xp) / b.root_out, _horner(b.s_near, _F_SERIES, xp=xp)
    )


def nfw_f_from(x2, xp: ModuleType = np):
    """``F(X)`` at ``X^2 = x2``: ``ln((1 + sqrt s) / X) / sqrt s`` (X < 1), arctan form (X > 1)."""
    b = _branches(x2, xp=xp)
    f_in = (xp.log1p(b.root_in) - 0.5 * b.log_x2_in) / b.root_in
    f_out = arctan(b.root_out, xp=xp) / b.root_out
    f_near = _horner(b.s_near, _F_SERIES, xp=xp)
    return xp.where(b.inner, f_in, xp.where(b.outer, f_out, f_near))


def nfw_g_from(x2, xp: ModuleType = np):
    """``g(X) = (1 - F) / (X^2 - 1) = kappa / (2 kappa_s)`` (Wright & Brainerd 2000 eq. 11)."""
    b = _branches(x2, xp=xp)
    f_in = (xp.log1p(b.root_in) - 0.5 * b.log_x2_in) / b.root_in
    f_out = arctan(b.root_out, xp=xp) / b.root_out
    g_near = _horner(b.s_near, _G_SERIES, xp=xp)
    g_in = (f_in - 1.0) / b.s_in
    return xp.where(b.inner, g_in, xp.where(b.outer, (f_out - 1.0) / b.s_out, g_near))


def nfw_h_from(x2, xp: ModuleType = np):
    """``h(X) = ln(X / 2) + F``: deflection ``4 kappa_s r_s h / X``, enclosed mass ``2 kappa_s h``.

    For X < 1 with ``a = X^2 / (1 + sqrt s)``:
    ``h = (a ln(2 / X) + ln(1 - a / 2)) / sqrt s`` (no cancellation as X -> 0).
    """
    b = _branches(x2, xp=xp)
    a = b.x2_in / (1.0 + b.root_in)
    h_in = (a * (_LN2 - 0.5 * b.log_x2_in) + xp.log1p(-0.5 * a)) / b.root_in
    f_rest = _f_outer_or_near(b, xp=xp)
    x2_rest = xp.where(b.inner, 1.0, x2)
    return xp.where(b.inner, h_in, 0.5 * xp.log(x2_rest) - _LN2 + f_rest)


def nfw_psi_hat_from(x2, xp: ModuleType = np):
    """``ln^2(X / 2) - s F^2`` (potential / (2 kappa_s r_s^2)), zero at X = 0.

    For X < 1 it is ``ln^2(X/2) - arctanh^2(sqrt s)``, factorised as
    ``ln(X^2 / (2 (1 + sqrt s))) ln(1 - X^2 / (2 (1 + sqrt s)))`` (no cancellation).
    """
    b = _branches(x2, xp=xp)
    c = 2.0 * (1.0 + b.root_in)
    psi_in = (b.log_x2_in - xp.log(c)) * xp.log1p(-b.x2_in / c)
    f_rest = _f_outer_or_near(b, xp=xp)
    s_rest = xp.where(b.inner, 0.0, b.s)
    ln_half_x = 0.5 * xp.log(xp.where(b.inner, 1.0, x2)) - _LN2
    return xp.where(b.inner, psi_in, ln_half_x**2 - s_rest * f_rest**2)


# ---------------------------------------------------------------------- classes


class NFW(gNFW):
    """Elliptical NFW (PyAutoGalaxy ``NFW``): a ``gNFW`` with ``inner_slope = 1``.

    Parameters: ``centre`` (y, x) arcsec; ``ell_comps``; ``kappa_s`` (dimensionless);
    ``scale_radius`` r_s in arcsec.
    """

    default_priors = nfw_family_priors(elliptical=True, inner_slope=False)

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        kappa_s: float = 0.05,
        scale_radius: float = 1.0,
    ):
        super().__init__(
            centre=centre,
            ell_comps=ell_comps,
            kappa_s=kappa_s,
            inner_slope=1.0,
            scale_radius=scale_radius,
        )

    @aa.decorators.to_array
    @aa.decorators.transform
    def convergence_2d_from(self, grid, xp=np, **kwargs):
        """Convergence ``2 kappa_s g(xi / r_s)`` (Wright & Brainerd 2000 eq. 11)."""
        return 2.0 * self.kappa_s * nfw_g_from(self._x2_from(grid, xp=xp), xp=xp)

    @aa.decorators.to_array
    @aa.decorators.transform
    def potential_2d_from(self, grid, xp=np, **kwargs):
        """Lensing potential (arcsec^2), Keeton (2001) eq. 9 with ``M = 2 kappa_s h``."""
        g = grid.array
        return nq.keeton_potential(
            g[:, 0],
            g[:, 1],
            self.axis_ratio(xp=xp),
            self.scale_radius,
            lambda x2: 2.0 * self.kappa_s * nfw_h_from(x2, xp=xp),
            nq.NFW_RULE,
            xp=xp,
        )

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        """Deflections (y, x) in arcsec, Keeton (2001) eqs. 7-8 of ``kappa = 2 kappa_s g``."""
        g = grid.array
        alpha_y, alpha_x = nq.keeton_deflections(
            g[:, 0],
            g[:, 1],
            self.axis_ratio(xp=xp),
            self.scale_radius,
            lambda x2: 2.0 * self.kappa_s * nfw_g_from(x2, xp=xp),
            nq.NFW_RULE,
            xp=xp,
        )
        return xp.stack([alpha_y, alpha_x], axis=-1)


class NFWSph(NFW):
    """Spherical NFW (PyAutoGalaxy ``NFWSph``): closed forms for everything (module docstring)."""

    default_priors = nfw_family_priors(elliptical=False, inner_slope=False)

    def __init__(self, centre=(0.0, 0.0), kappa_s: float = 0.05, scale_radius: float = 1.0):
        super().__init__(
            centre=centre, ell_comps=(0.0, 0.0), kappa_s=kappa_s, scale_radius=scale_radius
        )

    def axis_ratio(self, xp=np):
        return xp.asarray(1.0)

    def angle(self, xp=np):
        return xp.asarray(0.0)

    @aa.decorators.to_array
    @aa.decorators.transform
    def potential_2d_from(self, grid, xp=np, **kwargs):
        """``2 kappa_s r_s^2 (ln^2(X/2) - arctanh^2(sqrt(1 - X^2)))`` in arcsec^2."""
        x2 = self._x2_from(grid, xp=xp)
        return 2.0 * self.kappa_s * self.scale_radius**2 * nfw_psi_hat_from(x2, xp=xp)

    @aa.decorators.to_vector_yx
    @aa.decorators.transform(rotate_back=True)
    def deflections_yx_2d_from(self, grid, xp=np, **kwargs):
        """Radial deflections (y, x) in arcsec: ``alpha / r = 4 kappa_s h(X) / X^2``."""
        x2 = self._x2_from(grid, xp=xp)
        factor = 4.0 * self.kappa_s * nfw_h_from(x2, xp=xp) / x2
        return factor[:, None] * grid.array

    @aa.decorators.to_vector_yx
    @aa.decorators.transform
    def shear_yx_2d_from(self, grid, xp=np, **kwargs):
        """Shear ``(gamma_2, gamma_1)`` (PyAutoGalaxy's y, x order), tangential.

        ``gamma = kappa_bar - kappa = 2 kappa_s (2 h / X^2 - g)`` (Wright & Brainerd 2000),
        ``gamma_1 = -gamma cos 2phi``, ``gamma_2 = -gamma sin 2phi``; 0 at the centre.
        """
        g = grid.array
        x2 = self._x2_from(grid, xp=xp)
        magnitude = 2.0 * self.kappa_s * (2.0 * nfw_h_from(x2, xp=xp) / x2 - nfw_g_from(x2, xp=xp))
        r2 = x2 * self.scale_radius**2
        cos_2phi = (g[:, 1] ** 2 - g[:, 0] ** 2) / r2
        sin_2phi = 2.0 * g[:, 0] * g[:, 1] / r2
        return xp.stack([-magnitude * sin_2phi, -magnitude * cos_2phi], axis=-1)

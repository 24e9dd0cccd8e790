"""Singular isothermal ellipsoid / sphere: ``Isothermal`` (SIE) and ``IsothermalSph`` (SIS).

Convergence (PyAutoGalaxy's convention; profile frame, major axis along +x):

    kappa = einstein_radius / (1 + q) / sqrt(x^2 + y^2 / q^2)

i.e. the power law with slope 2. Deflections: Kormann, Schneider & Bartelmann (1994,
A&A 284, 285) eqs. 27a-b, in Keeton's (2001, astro-ph/0102341, eqs. 33-34 with s = 0) form

    alpha_x = b q / s' arctan(s' x / psi),   alpha_y = b q / s' arctanh(s' y / psi),

with ``s' = sqrt(1 - q^2)``, ``psi = sqrt(q^2 x^2 + y^2)`` and ``b = 2 einstein_radius /
(1 + q)``. Potential: ``psi = x alpha_x + y alpha_y`` (Keeton 2001 eq. 34, s = 0).
Shear: ``gamma = -kappa e^{2 i phi}`` (tangential, |gamma| = kappa).

Near q = 1 the closed form is 0/0; for ``1 - q^2 < 1e-4`` the Taylor series of
``arctan(s' t) / s'`` and ``arctanh(s' t) / s'`` in ``s'^2`` is used instead (truncated after
``s'^6 t^7``: error < s'^8 / 9 ~ 1e-17). A double ``where`` keeps the unused branch finite so
values and gradients are exact through q = 1, as in PyAutoGalaxy.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from xpgalaxy.profiles.elementary import arctan, log
from xpgalaxy.profiles.mass.power_law import (
    SOFTENING_SQUARED,
    PowerLaw,
    centre_priors,
    ell_comps_priors,
    polar_from,
    uniform_prior,
)

__all__ = [
    "Isothermal",
    "IsothermalSph",
    "isothermal_deflections_from",
    "arctan_and_arctanh_over_s",
]

#: Below this 1 - q^2 the series replaces the closed form (PyAutoGalaxy's threshold).
SERIES_THRESHOLD = 1.0e-4


def arctan_and_arctanh_over_s(s2, t_x, t_y, xp: ModuleType = np, scale=1.0):
    """``scale * (arctan(s t_x) / s, arctanh(s t_y) / s)`` for ``s = sqrt(s2)``, finite
    through s2 = 0.

    For ``s2 < 1e-4`` the Taylor series ``t -+ s^2 t^3 / 3 + s^4 t^5 / 5 -+ s^6 t^7 / 7`` is used.
    ``scale`` (a scalar, e.g. the deflection's ``b q``) is folded into the scalar factors of
    the closed form, saving two array products on NumPy.
    """
    if xp is np and np.ndim(s2) == 0:
        # One scalar s2 on NumPy: evaluate only the branch in use (on JAX both are traced).
        if s2 < SERIES_THRESHOLD:
            series_x, series_y = _series_over_s(s2, t_x, t_y)
            return scale * series_x, scale * series_y
        return _closed_over_s(np.sqrt(s2), t_x, t_y, xp=np, scale=scale)
    small = s2 < SERIES_THRESHOLD
    # The unused closed form is evaluated at s = 0.5, where |s t_y| <= 0.5 stays inside
    # arctanh's domain (|t_y| <= 1), so neither its value nor its gradient is inf / NaN.
    closed_x, closed_y = _closed_over_s(xp.sqrt(xp.where(small, 0.25, s2)), t_x, t_y, xp=xp)
    series_x, series_y = _series_over_s(s2, t_x, t_y)
    return (
        scale * xp.where(small, series_x, closed_x),
        scale * xp.where(small, series_y, closed_y),
    )


def _closed_over_s(s, t_x, t_y, xp: ModuleType = np, scale=1.0):
    """``scale * (arctan(s t_x) / s, arctanh(s t_y) / s)`` in closed form (s > 0)."""
    # arctanh(u) = 1/2 ln((1 + u) / (1 - u)): one log where XLA lowers arctanh to two log1p
    # calls, and XLA's float64 log costs 7 ns per point where log1p costs 10 (AVX2):
    # SIE step 0.115 -> 0.093 ms per reference vector. For small u the absolute error stays
    # ~2e-16 (deflections are needed to absolute, not relative, precision).
    v_y = s * t_y
    if xp is not np:
        # divided, not multiplied by a folded 1 / s: with the product XLA CPU fuses
        # differently and the reference jit ss4 likelihood takes 1.73 instead of 1.43 ms
        atan, atanh = arctan(s * t_x, xp=xp) / s, 0.5 * log((1.0 + v_y) / (1.0 - v_y), xp=xp) / s
        return scale * atan, scale * atanh
    over_s = scale / s  # NumPy: one scalar factor, one array product per component
    return over_s * np.arctan(s * t_x), (0.5 * over_s) * np.log((1.0 + v_y) / (1.0 - v_y))


def _series_over_s(s2, t_x, t_y):
    """The same ratios as Taylor series in ``s2`` (error < s2^4 / 9, for s2 < 1e-4)."""
    u_x = -s2 * t_x * t_x
    u_y = s2 * t_y * t_y
    series_x = t_x * (1.0 + u_x * (1.0 / 3.0 + u_x * (1.0 / 5.0 + u_x / 7.0)))
    series_y = t_y * (1.0 + u_y * (1.0 / 3.0 + u_y * (1.0 / 5.0 + u_y / 7.0)))
    return series_x, series_y


def isothermal_deflections_from(y, x, einstein_radius, axis_ratio, xp: ModuleType = np):
    """SIE deflections ``(alpha_y, alpha_x)``, arcsec, in the profile frame (module docstring).

    ``psi`` is softened by 1e-16 arcsec^2 as in PyAutoGalaxy, so the centre gives 0.
    """
    q = axis_ratio
    psi = xp.sqrt(q * q * x * x + y * y + SOFTENING_SQUARED)
    factor = 2.0 * einstein_radius / (1.0 + q) * q
    atan, atanh = arctan_and_arctanh_over_s(1.0 - q * q, x / psi, y / psi, xp=xp, scale=factor)
    return atanh, atan


class Isothermal(PowerLaw):
    """Singular isothermal ellipsoid (PyAutoGalaxy ``Isothermal``): a ``PowerLaw`` with slope 2.

    Parameters: ``centre`` (y, x) arcsec; ``ell_comps``; ``einstein_radius`` arcsec.
    """

    default_priors = {
        **centre_priors(),
        **ell_comps_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
    }

    def __init__(self, centre=(0.0, 0.0), ell_comps=(0.0, 0.0), einstein_radius: float = 1.0):
        super().__init__(
            centre=centre, ell_comps=ell_comps, einstein_radius=einstein_radius, slope=2.0
        )

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return isothermal_deflections_from(
            y, x, self.einstein_radius, self.axis_ratio(xp=xp), xp=xp
        )

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        alpha_y, alpha_x = self._deflections_in_frame(y, x, xp=xp)
        return x * alpha_x + y * alpha_y


class IsothermalSph(Isothermal):
    """Singular isothermal sphere (PyAutoGalaxy ``IsothermalSph``).

    ``kappa = einstein_radius / (2 r)``, ``alpha = einstein_radius r_hat``,
    ``psi = einstein_radius r``.
    """

    default_priors = {**centre_priors(), "einstein_radius": uniform_prior(0.0, 8.0)}

    def __init__(self, centre=(0.0, 0.0), einstein_radius: float = 1.0):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0), einstein_radius=einstein_radius)

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        _, sin_phi, cos_phi = polar_from(y, x, xp=xp)
        return self.einstein_radius * sin_phi, self.einstein_radius * cos_phi

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        r, _, _ = polar_from(y, x, xp=xp)
        return self.einstein_radius * r

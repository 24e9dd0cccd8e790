"""Elliptical power-law mass profiles (EPL / PEMD): ``PowerLaw`` and ``PowerLawSph``.

Convergence (PyAutoGalaxy's convention, major-axis elliptical radius
``eta = sqrt(x^2 + y^2 / q^2)`` in the profile frame, major axis along +x):

    kappa = (3 - slope) / (1 + q) * einstein_radius^(slope - 1) * eta^(1 - slope)

Deflections: Tessore & Metcalf (2015, A&A 580, A79), eq. 13 with the angular function
``Omega`` evaluated by their fast recurrence (section 4, eq. 29) for a FIXED number of
terms (``POWER_LAW_SERIES_TERMS``), so the code traces under ``jax.jit`` with no
data-dependent loop. Potential: the homogeneity relation (Tessore & Metcalf 2015, eq. 15)
``psi = (x alpha_x + y alpha_y) / (3 - slope)``. Shear: Euler's relation for the
homogeneous deflection field, ``gamma = ((2 - slope) alpha - z kappa) / conj(z)`` in
complex notation (``z = x + i y``), rotated back as a spin-2 field.

Like PyAutoGalaxy the radius entering the elliptical deflections is softened,
``R^2 -> R^2 + 1e-16 arcsec^2`` (1e-8 arcsec), so the centre gives finite values and
gradients; elsewhere the change is below 1e-16 / R^2 relative. Convergences and the
spherical deflections are not softened (as in PyAutoGalaxy) except exactly at the centre
(``radial_power_from``), where PyAutoGalaxy returns inf / NaN for a diverging quantity.
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

import xparray as aa
from xpgalaxy.profiles.mass.base import MassProfile

__all__ = [
    "POWER_LAW_SERIES_TERMS",
    "SOFTENING_SQUARED",
    "PowerLaw",
    "PowerLawSph",
    "omega_series_from",
    "floored_square",
    "polar_from",
    "radial_power_from",
    "power_law_convergence_from",
    "power_law_deflections_from",
    "power_law_sph_deflections_from",
]

#: arcsec^2 added to squared radii at the (integrable) centre singularities, as
#: PyAutoGalaxy does in ``PowerLaw`` / ``psi_from``.
SOFTENING_SQUARED = 1.0e-16

#: Terms of the Tessore & Metcalf (2015) eq. 29 series. The n-th term is bounded by
#: f^n with f = (1 - q) / (1 + q); measured against a 6000-term sum over the minor-axis
#: worst case and slopes 1.5 - 3: max relative error 4e-16 at q = 0.3, 3e-16 at q = 0.2,
#: 3e-13 at q = 0.15, 4.3e-9 at q = 0.1 (so < 1e-8 for q >= 0.1), ~1e-5 at q = 0.05.
POWER_LAW_SERIES_TERMS = 96


def _prior_tables():
    from xparray.inference import GaussianPrior, TruncatedGaussianPrior, UniformPrior

    return GaussianPrior, TruncatedGaussianPrior, UniformPrior


def centre_priors() -> dict:
    """PyAutoGalaxy's default centre priors: Gaussian(0, 0.1) arcsec per component."""

    def centre():
        return _prior_tables()[0](mean=0.0, sigma=0.1)

    return {"centre_0": centre, "centre_1": centre}


def ell_comps_priors() -> dict:
    """PyAutoGalaxy's default ellipticity priors: TruncatedGaussian(0, 0.3, -1, 1)."""

    def ell():
        return _prior_tables()[1](mean=0.0, sigma=0.3, lower_limit=-1.0, upper_limit=1.0)

    return {"ell_comps_0": ell, "ell_comps_1": ell}


def uniform_prior(lower_limit: float, upper_limit: float):
    """A zero-argument factory of ``UniformPrior(lower_limit, upper_limit)``."""

    def factory():
        return _prior_tables()[2](lower_limit=lower_limit, upper_limit=upper_limit)

    return factory


# ---------------------------------------------------------------------- formulas


def polar_from(y, x, xp: ModuleType = np):
    """Radius and radial unit vector ``(sin phi, cos phi)`` of profile-frame coordinates.

    At ``r = 0`` the unit vector is (0, 1), PyAutoGalaxy's ``arctan2(0, 0) = 0`` direction;
    the double ``where`` keeps values and JAX gradients finite there.
    """
    r2 = y * y + x * x
    positive = r2 > 0.0
    r_safe = xp.sqrt(xp.where(positive, r2, 1.0))
    r = xp.where(positive, r_safe, 0.0)
    sin_phi = xp.where(positive, y / r_safe, 0.0)
    cos_phi = xp.where(positive, x / r_safe, 1.0)
    return r, sin_phi, cos_phi


def floored_square(r2, xp: ModuleType = np):
    """``r2`` with exact zeros replaced by ``SOFTENING_SQUARED`` (finite 1 / r at r = 0)."""
    return xp.where(r2 > 0.0, r2, SOFTENING_SQUARED)


def radial_power_from(r2, exponent, xp: ModuleType = np):
    """``r^exponent`` from ``r2 = r^2``, unsoftened, finite (value and gradient) at r = 0.

    At ``r = 0``: 0 for a positive exponent, 1 for exponent 0 (PyAutoGalaxy's ``0 ** 0``) and
    ``(1e-8 arcsec)^exponent`` for a negative one (where PyAutoGalaxy gives inf).
    """
    positive = r2 > 0.0
    r2_safe = xp.where(positive, r2, 1.0)
    at_zero = xp.where(exponent > 0.0, 0.0, SOFTENING_SQUARED ** (0.5 * exponent))
    return xp.where(positive, r2_safe ** (0.5 * exponent), at_zero)


def omega_series_from(z_x, z_y, t, f, n_terms: int = POWER_LAW_SERIES_TERMS, xp: ModuleType = np):
    """Tessore & Metcalf (2015) eq. 29: ``Omega(phi) = sum_n Omega_n`` (real arithmetic).

    ``Omega_0 = e^{i phi}``, ``Omega_n = -f (2n - (2 - t)) / (2n + (2 - t)) e^{2 i phi}
    Omega_{n-1}``, i.e. ``Omega = z * sum_n a_n w^n`` with ``w = -f z^2``,
    ``a_n = prod_{k<=n} (2k - (2 - t)) / (2k + (2 - t))``, summed by Horner's rule over a
    fixed ``n_terms``. ``z = z_x + i z_y = e^{i phi}``; returns ``(Re Omega, Im Omega)``.
    """
    k = xp.arange(1.0, float(n_terms))
    two_minus_t = 2.0 - t
    ratios = (2.0 * k - two_minus_t) / (2.0 * k + two_minus_t)
    # a_0 .. a_{N-1}, reversed for Horner's rule (highest order first).
    coefficients = xp.concatenate([xp.ones(1), xp.cumprod(ratios)])[::-1]
    w_x = -f * (z_x * z_x - z_y * z_y)
    w_y = -f * (2.0 * z_x * z_y)

    def step(p, a_n):
        p_x, p_y = p
        return (p_x * w_x - p_y * w_y + a_n, p_x * w_y + p_y * w_x)

    p = (coefficients[0] + 0.0 * w_x, 0.0 * w_y)
    if xp is np:
        for a_n in coefficients[1:]:
            p = step(p, a_n)
    else:
        # A scan, not an unrolled loop: a 96-step unrolled graph takes minutes to compile
        # under jax.grad.
        import jax

        p, _ = jax.lax.scan(lambda carry, a_n: (step(carry, a_n), None), p, coefficients[1:])
    p_x, p_y = p
    return z_x * p_x - z_y * p_y, z_x * p_y + z_y * p_x


def power_law_convergence_from(y, x, einstein_radius, slope, axis_ratio, xp: ModuleType = np):
    """``kappa = (3 - slope) / (1 + q) * theta_E^(slope - 1) * eta^(1 - slope)`` (profile frame).

    ``eta^2 = x^2 + y^2 / q^2`` (major-axis elliptical radius, arcsec); exactly at the
    centre ``eta^2 = 1e-16`` stands in, so the value and gradient there are finite.
    """
    eta2 = x * x + (y / axis_ratio) ** 2
    rescaled = (3.0 - slope) / (1.0 + axis_ratio) * einstein_radius ** (slope - 1.0)
    return rescaled * radial_power_from(eta2, 1.0 - slope, xp=xp)


def power_law_deflections_from(
    y, x, einstein_radius, slope, axis_ratio, n_terms: int = POWER_LAW_SERIES_TERMS, xp=np
):
    """Elliptical power-law deflections ``(alpha_y, alpha_x)`` in the profile frame, arcsec.

    Tessore & Metcalf (2015) eq. 13, ``alpha = 2 b / (1 + q) (b / R)^(t - 1) Omega(phi)``,
    with ``t = slope - 1``, ``R = sqrt(q^2 x^2 + y^2)`` and ``e^{i phi} = (q x + i y) / R``;
    ``b = 2 q / (1 + q) * einstein_radius`` and PyAutoGalaxy's extra factor
    ``((1 + q) / 2)^(t - 1)``, which make ``einstein_radius`` the major-axis Einstein radius.
    """
    q = axis_ratio
    t = slope - 1.0
    b = 2.0 * q / (1.0 + q) * einstein_radius
    f = (1.0 - q) / (1.0 + q)
    qx = q * x
    rho2 = qx * qx + y * y
    positive = rho2 > 0.0
    rho_safe = xp.sqrt(xp.where(positive, rho2, 1.0))
    # e^{i phi}; at the exact centre phi = 0 as PyAutoGalaxy's arctan2(0, 0).
    z_x = xp.where(positive, qx / rho_safe, 1.0)
    z_y = xp.where(positive, y / rho_safe, 0.0)
    big_r = xp.sqrt(rho2 + SOFTENING_SQUARED)
    omega_x, omega_y = omega_series_from(z_x, z_y, t, f, n_terms=n_terms, xp=xp)
    prefactor = 2.0 * b / (1.0 + q) * ((1.0 + q) / 2.0) ** (t - 1.0) * (b / big_r) ** (t - 1.0)
    return prefactor * omega_y, prefactor * omega_x


def power_law_sph_deflections_from(y, x, einstein_radius, slope, xp: ModuleType = np):
    """Spherical power law: ``alpha_r = einstein_radius^(slope - 1) r^(2 - slope)``.

    The mean convergence inside r times r (Schneider, Ehlers & Falco 1992, eq. 8.3) for
    ``kappa = (3 - slope) / 2 (einstein_radius / r)^(slope - 1)``; finite at r = 0.
    """
    r, sin_phi, cos_phi = polar_from(y, x, xp=xp)
    alpha = einstein_radius ** (slope - 1.0) * radial_power_from(r * r, 2.0 - slope, xp=xp)
    return alpha * sin_phi, alpha * cos_phi


def homogeneous_shear_from(y, x, alpha_y, alpha_x, kappa, slope, xp: ModuleType = np):
    """Shear ``(gamma_2, gamma_1)`` of a deflection field homogeneous of degree 2 - slope.

    Euler's theorem ``z d alpha + conj(z) dbar alpha = (2 - slope) alpha`` with
    ``d alpha = kappa`` and ``dbar alpha = gamma = gamma_1 + i gamma_2`` (Schneider, Ehlers &
    Falco 1992, ch. 8 complex notation) gives ``gamma = ((2 - slope) alpha - z kappa) / conj(z)``.
    At ``z = 0`` the shear of a homogeneous field is undefined; 0 is returned there.
    """
    num_x = (2.0 - slope) * alpha_x - x * kappa
    num_y = (2.0 - slope) * alpha_y - y * kappa
    r2 = x * x + y * y
    positive = r2 > 0.0
    r2_safe = xp.where(positive, r2, 1.0)
    # (num_x + i num_y) / (x - i y) = (num_x + i num_y)(x + i y) / r^2
    gamma_1 = xp.where(positive, (num_x * x - num_y * y) / r2_safe, 0.0)
    gamma_2 = xp.where(positive, (num_x * y + num_y * x) / r2_safe, 0.0)
    return gamma_2, gamma_1


# ---------------------------------------------------------------------- classes


class PowerLaw(MassProfile):
    """Elliptical power-law mass profile (PyAutoGalaxy ``PowerLaw``; see module docstring).

    Parameters: ``centre`` (y, x) arcsec; ``ell_comps`` (e1, e2); ``einstein_radius``
    (major-axis convention, arcsec); ``slope`` (3D density slope gamma, 2 = isothermal).
    """

    default_priors = {
        **centre_priors(),
        **ell_comps_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
        "slope": uniform_prior(1.5, 3.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ell_comps=(0.0, 0.0),
        einstein_radius: float = 1.0,
        slope: float = 2.0,
    ):
        super().__init__(centre=centre, ell_comps=ell_comps)
        self.einstein_radius = einstein_radius
        self.slope = slope

    def einstein_radius_rescaled(self, xp: ModuleType = np):
        """``(3 - slope) / (1 + q) * einstein_radius^(slope - 1)`` (convergence normalisation)."""
        return (
            (3.0 - self.slope)
            / (1.0 + self.axis_ratio(xp=xp))
            * self.einstein_radius ** (self.slope - 1.0)
        )

    def ellipticity_rescale(self, xp: ModuleType = np):
        """``(1 + q) / 2``."""
        return (1.0 + self.axis_ratio(xp=xp)) / 2.0

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        """Convergence at (raw) elliptical radii ``grid_radius`` (arcsec)."""
        return self.einstein_radius_rescaled(xp=xp) * grid_radius ** (1.0 - self.slope)

    # -- maths in the profile frame (raw arrays): MassProfile's convergence_2d_from,
    # potential_2d_from and deflections_yx_2d_from do the rest; subclasses override these
    def _convergence_in_frame(self, y, x, xp: ModuleType = np):
        return power_law_convergence_from(
            y, x, self.einstein_radius, self.slope, self.axis_ratio(xp=xp), xp=xp
        )

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return power_law_deflections_from(
            y, x, self.einstein_radius, self.slope, self.axis_ratio(xp=xp), xp=xp
        )

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        alpha_y, alpha_x = self._deflections_in_frame(y, x, xp=xp)
        return (x * alpha_x + y * alpha_y) / (3.0 - self.slope)

    @aa.decorators.to_vector_yx
    @aa.decorators.transform
    def shear_yx_2d_from(self, grid, xp: ModuleType = np, **kwargs):
        """Shear as (gamma_2, gamma_1) per point (PyAutoGalaxy's ShearYX ordering)."""
        g = grid.array
        y, x = g[:, 0], g[:, 1]
        alpha_y, alpha_x = self._deflections_in_frame(y, x, xp=xp)
        kappa = self._convergence_in_frame(y, x, xp=xp)
        gamma_2, gamma_1 = homogeneous_shear_from(y, x, alpha_y, alpha_x, kappa, self.slope, xp=xp)
        # A spin-2 field rotates by twice the profile angle.
        return self.rotated_grid_from_reference_frame_from(
            xp.stack([gamma_2, gamma_1], axis=-1), xp=xp, angle=2.0 * self.angle(xp=xp)
        )


class PowerLawSph(PowerLaw):
    """Spherical power law (PyAutoGalaxy ``PowerLawSph``): ``PowerLaw`` with q = 1."""

    default_priors = {
        **centre_priors(),
        "einstein_radius": uniform_prior(0.0, 8.0),
        "slope": uniform_prior(1.5, 3.0),
    }

    def __init__(self, centre=(0.0, 0.0), einstein_radius: float = 1.0, slope: float = 2.0):
        super().__init__(
            centre=centre, ell_comps=(0.0, 0.0), einstein_radius=einstein_radius, slope=slope
        )

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return power_law_sph_deflections_from(y, x, self.einstein_radius, self.slope, xp=xp)

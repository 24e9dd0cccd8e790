"""Dual pseudo-isothermal elliptical mass (dPIE), as PyAutoGalaxy implements it.

``dPIEMassB0`` / ``dPIEMassB0Sph``: parameters (``ell_comps``, ``ra``, ``rs``, ``b0``).
``dPIEMass`` / ``dPIEMassSph``: PyAutoGalaxy's defaults, in Lenstool's parameters
(``ellipticity``, ``angle_pos``, ``sigma``, ``r_core``, ``r_cut``, redshifts, ``H0``, ``Om0``),
converted to the former.

Convergence (Kassiola & Kovner 1993, ApJ 417, 450, eq. 4.1.1 for one PIE; Elíasdóttir et
al. 2007, arXiv:0710.5636, eq. A11 for the dual profile), with the pseudo-elliptical radius
``R^2 = x^2 / (1 + eps)^2 + y^2 / (1 - eps)^2`` (KK93 eq. 2.3.6), ``eps = |ell_comps|``:

    kappa = b0 / 2 * rs / (rs - ra) * (1 / sqrt(ra^2 + R^2) - 1 / sqrt(rs^2 + R^2))

Deflections: the difference of two KK93 eq. 4.1.2 PIE deflections, ``alpha_x + i alpha_y =
-i b0 rs / (rs - ra) * (1 - eps^2) / (2 sqrt(eps)) * ln(w)`` with ``w`` the ratio of Lenstool's
``ci05f`` factors (see ``dpie_deflections_from``). Potential: Lenstool's ``pi05`` (KK93
I0.5 potential), ``psi = b0 rs / (rs - ra) (pi05(ra) - pi05(rs))``. Like PyAutoGalaxy (and
Lenstool's ``set_lens.c``), ``eps`` is clipped to [1e-5, 0.99999]: the formulas are 0/0 at
``eps = 0``. The spherical classes use the exact circular forms (Elíasdóttir et al. 2007,
eqs. A19-A20) for deflections and potential (PyAutoGalaxy's spherical potential reuses the
elliptical one at eps = 1e-5, a 1e-5 relative difference).

Singular points handled here where PyAutoGalaxy gives NaN: the centre (potential 0), the
removable 0/0 of ``ci05f`` on the minor axis at ``y = 2 r sqrt(eps)`` (and at the centre
when ``ra = 0``), and ``ra = 0`` in the potential (``ra = 1e-8`` arcsec stands in).
"""

from __future__ import annotations

from types import ModuleType

import numpy as np

from xparray.backend import is_jax_array, jax_numpy
from xpgalaxy import convert
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.power_law import (
    centre_priors,
    ell_comps_priors,
    floored_square,
    polar_from,
    uniform_prior,
)

__all__ = ["dPIEMass", "dPIEMassB0", "dPIEMassB0Sph", "dPIEMassSph", "b0_from_lenstool_sigma"]

MIN_ELLIP, MAX_ELLIP = 1.0e-5, 0.99999
#: Speed of light in km/s; 648000 = arcsec in pi radians (Lenstool's pia_c2 = 648000 / c^2).
C_KM_S, ARCSEC_PER_PI_RAD = 299792.458, 648000.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(64)


def ellip_from(ell_comps, xp: ModuleType = np):
    """``eps = |ell_comps|`` clipped to [1e-5, 0.99999] (finite gradient at (0, 0))."""
    e2 = ell_comps[0] ** 2 + ell_comps[1] ** 2
    big = e2 > MIN_ELLIP**2
    eps = xp.where(big, xp.sqrt(xp.where(big, e2, 1.0)), MIN_ELLIP)
    return xp.minimum(eps, MAX_ELLIP)


def dpie_convergence_from(y, x, eps, ra, rs, b0, xp: ModuleType = np):
    """Dual-PIE convergence (module docstring), profile frame."""
    r2 = x * x / (1.0 + eps) ** 2 + y * y / (1.0 - eps) ** 2
    inner = 1.0 / xp.sqrt(floored_square(ra * ra + r2, xp=xp))
    return 0.5 * b0 * rs / (rs - ra) * (inner - 1.0 / xp.sqrt(rs * rs + r2))


def dpie_deflections_from(y, x, eps, ra, rs, b0, xp: ModuleType = np):
    """Dual-PIE deflections ``(alpha_y, alpha_x)`` (arcsec) in the profile frame.

    Lenstool ``ci05f``: with ``q = (1 - eps) / (1 + eps)``, ``R^2`` as above,
    ``n_r = q x + i (2 sqrt(eps) sqrt(r^2 + R^2) - y / q)``, ``d_r = x + i (2 r sqrt(eps) - y)``,
    ``w = n_ra d_rs / (d_ra n_rs)`` and ``alpha_x + i alpha_y = -i c ln w``,
    ``c = b0 rs / (rs - ra) (1 - eps^2) / (2 sqrt(eps))`` (principal log, as Lenstool).
    """
    sqe = xp.sqrt(eps)
    q = (1.0 - eps) / (1.0 + eps)
    # n_r / d_r is 0/0 (removable) at x = 0, y = 2 r sqrt(eps): evaluate just beside it.
    on_axis = xp.logical_and(x == 0.0, xp.logical_or(y == 2.0 * ra * sqe, y == 2.0 * rs * sqe))
    x = xp.where(on_axis, 1.0e-9, x)
    rem2 = x * x / (1.0 + eps) ** 2 + y * y / (1.0 - eps) ** 2
    nr_re = q * x
    na_im = 2.0 * sqe * xp.sqrt(ra * ra + rem2) - y / q
    ns_im = 2.0 * sqe * xp.sqrt(rs * rs + rem2) - y / q
    da_im = 2.0 * ra * sqe - y
    ds_im = 2.0 * rs * sqe - y
    # A = n_ra d_rs, B = d_ra n_rs (d_r has real part x); w = A / B.
    a_re, a_im = nr_re * x - na_im * ds_im, nr_re * ds_im + na_im * x
    b_re, b_im = x * nr_re - da_im * ns_im, x * ns_im + da_im * nr_re
    log_abs_w = 0.5 * (xp.log(a_re * a_re + a_im * a_im) - xp.log(b_re * b_re + b_im * b_im))
    arg_w = xp.arctan2(a_im * b_re - a_re * b_im, a_re * b_re + a_im * b_im)
    c = b0 * rs / (rs - ra) * 0.5 * (1.0 - eps * eps) / sqe
    return -c * log_abs_w, c * arg_w


def _pi05_from(y, x, eps, rcore, xp: ModuleType = np):
    """Lenstool ``pi05``: the KK93 I0.5 PIE potential / b0 (complex intermediates)."""
    sqe = xp.sqrt(eps)
    rem2 = x * x / (1.0 + eps) ** 2 + y * y / (1.0 - eps) ** 2
    r2 = x * x + y * y
    centre = r2 == 0.0
    # The centre (psi = 0 there) is evaluated at a safe point so no NaN enters gradients.
    x = xp.where(centre, 1.0, x)
    rem2 = xp.where(centre, 1.0, rem2)
    z = xp.sqrt(xp.where(centre, 1.0, r2))
    eta = -0.5 * xp.arcsinh(2.0 * sqe / (1.0 - eps) * y / z) + 0.5j * xp.arcsin(
        2.0 * sqe / (1.0 + eps) * x / z
    )
    zeta = 0.5 * xp.log((xp.sqrt(rem2) + xp.sqrt(rcore * rcore + rem2)) / rcore) + 0.0j
    b1, b2 = xp.cosh(eta + zeta), xp.cosh(eta - zeta)
    ckk = xp.sinh(2.0 * eta) * xp.log(xp.cosh(eta) ** 2 / (b1 * b2)) + xp.sinh(2.0 * zeta) * xp.log(
        b1 / b2
    )
    ci = 0.5 * (1.0 - eps * eps) / sqe
    psi = ci * rcore / xp.sqrt(rem2) * (xp.imag(ckk) * x - xp.real(ckk) * y)
    return xp.where(centre, 0.0, psi)


def dpie_potential_from(y, x, eps, ra, rs, b0, xp: ModuleType = np):
    """``psi = b0 rs / (rs - ra) (pi05(ra) - pi05(rs))`` (Lenstool e_pot.c case 81), arcsec^2."""
    ra_safe = xp.where(ra > 0.0, ra, 1.0e-8)
    core = _pi05_from(y, x, eps, ra_safe, xp=xp)
    return b0 * rs / (rs - ra) * (core - _pi05_from(y, x, eps, rs, xp=xp))


def _sph_terms(y, x, ra, rs, xp: ModuleType = np):
    r, sin_phi, cos_phi = polar_from(y, x, xp=xp)
    root_a = xp.sqrt(floored_square(r * r + ra * ra, xp=xp))
    root_s = xp.sqrt(r * r + rs * rs)
    return r, sin_phi, cos_phi, root_a, root_s


def dpie_sph_deflections_from(y, x, ra, rs, b0, xp: ModuleType = np):
    """``alpha_r = b0 rs / (rs - ra) [r / (sqrt(r^2 + ra^2) + ra) - r / (sqrt(r^2 + rs^2) + rs)]``.

    (Elíasdóttir et al. 2007 eq. A20, written without cancellation.)
    """
    r, sin_phi, cos_phi, root_a, root_s = _sph_terms(y, x, ra, rs, xp=xp)
    alpha = b0 * rs / (rs - ra) * (r / (root_a + ra) - r / (root_s + rs))
    return alpha * sin_phi, alpha * cos_phi


def dpie_sph_potential_from(y, x, ra, rs, b0, xp: ModuleType = np):
    """Circular dPIE potential with ``psi(0) = 0`` (integral of ``alpha_r``; Elíasdóttir A19).

    ``psi = K [F(ra) - F(rs)]``, ``F(a) = r^2 / (sqrt(r^2 + a^2) + a) - a ln((a + sqrt(r^2 + a^2)) / 2a)``.
    """
    r, _, _, root_a, root_s = _sph_terms(y, x, ra, rs, xp=xp)
    positive = ra > 0.0
    ra_safe = xp.where(positive, ra, 1.0)
    log_a = xp.where(positive, ra * xp.log((ra_safe + root_a) / (2.0 * ra_safe)), 0.0)
    f_a = r * r / (root_a + ra) - log_a
    f_s = r * r / (root_s + rs) - rs * xp.log((rs + root_s) / (2.0 * rs))
    return b0 * rs / (rs - ra) * (f_a - f_s)


class dPIEMassB0(MassProfile):
    """Dual PIE in (``ell_comps``, ``ra`` core, ``rs`` cut, ``b0`` strength), arcsec.

    PyAutoGalaxy ``dPIEMassB0``; ``b0`` is the Einstein radius for ra -> 0, rs -> inf, q -> 1.
    """

    default_priors = {
        **centre_priors(),
        **ell_comps_priors(),
        "ra": uniform_prior(0.0, 10.0),
        "rs": uniform_prior(0.0, 10.0),
        "b0": uniform_prior(0.0, 10.0),
    }

    def __init__(self, centre=(0.0, 0.0), ell_comps=(0.0, 0.0), ra=0.0, rs=2.0, b0=0.1):
        super().__init__(centre=centre, ell_comps=ell_comps)
        self.ra = ra
        self.rs = rs
        self.b0 = b0

    def _ellip(self, xp: ModuleType = np):
        return ellip_from(self.ell_comps, xp=xp)

    def _args(self, xp):
        return self._ellip(xp=xp), self.ra, self.rs, self.b0

    def convergence_func(self, grid_radius, xp: ModuleType = np):
        """Convergence at pseudo-elliptical radii ``grid_radius`` (arcsec)."""
        a, s = self.ra, self.rs
        r2 = grid_radius**2
        return 0.5 * self.b0 * s / (s - a) * (1 / xp.sqrt(a * a + r2) - 1 / xp.sqrt(s * s + r2))

    def _convergence_in_frame(self, y, x, xp: ModuleType = np):
        return dpie_convergence_from(y, x, *self._args(xp), xp=xp)

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        return dpie_potential_from(y, x, *self._args(xp), xp=xp)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return dpie_deflections_from(y, x, *self._args(xp), xp=xp)


class dPIEMassB0Sph(dPIEMassB0):
    """Circular dual PIE (PyAutoGalaxy ``dPIEMassB0Sph``) in (``ra``, ``rs``, ``b0``)."""

    default_priors = {
        **centre_priors(),
        "ra": uniform_prior(0.0, 10.0),
        "rs": uniform_prior(0.0, 10.0),
        "b0": uniform_prior(0.0, 10.0),
    }

    def __init__(self, centre=(0.0, 0.0), ra=0.1, rs=2.0, b0=1.0):
        super().__init__(centre=centre, ell_comps=(0.0, 0.0), ra=ra, rs=rs, b0=b0)

    def axis_ratio(self, xp: ModuleType = np):
        return xp.asarray(1.0)

    def angle(self, xp: ModuleType = np):
        return xp.asarray(0.0)

    def _args(self, xp):
        return 0.0, self.ra, self.rs, self.b0  # ellipticity exactly 0: circular

    def _potential_in_frame(self, y, x, xp: ModuleType = np):
        return dpie_sph_potential_from(y, x, self.ra, self.rs, self.b0, xp=xp)

    def _deflections_in_frame(self, y, x, xp: ModuleType = np):
        return dpie_sph_deflections_from(y, x, self.ra, self.rs, self.b0, xp=xp)


# ------------------------------------------------------------------ Lenstool parameters


def _comoving_integral(z1, z2, h0, om0, xp: ModuleType = np):
    """``int_z1^z2 dz / E(z)`` for PyAutoGalaxy's ``FlatLambdaCDM(H0, Om0)`` defaults.

    Tcmb0 = 2.7255 K, Neff = 3.046, m_nu = 0: ``Omega_r h^2 = 2.469e-5 (1 + 0.2271 Neff)``,
    ``E^2 = Om0 (1+z)^3 + Omega_r (1+z)^4 + (1 - Om0 - Omega_r)`` (Hogg 1999 eq. 14); 64-point
    Gauss-Legendre (traceable in every argument, exact to rounding for z < 20).
    """
    omega_r = 2.469e-5 * (1.0 + 0.2271 * 3.046) / (h0 / 100.0) ** 2
    half = 0.5 * (z2 - z1)
    zp1 = 1.0 + z1 + half * (1.0 + xp.asarray(_GL_NODES))
    e = xp.sqrt(om0 * zp1**3 + omega_r * zp1**4 + (1.0 - om0 - omega_r))
    return half * xp.sum(xp.asarray(_GL_WEIGHTS) / e)


def b0_from_lenstool_sigma(
    sigma, redshift_object, redshift_source, H0=67.66, Om0=0.30966, xp: ModuleType = np
):
    """``b0 = 6 * 648000 (sigma / c)^2 D_LS / D_S`` arcsec (Lenstool fiducial sigma, km/s).

    (Elíasdóttir et al. 2007 eq. A24 coefficient, as PyAutoGalaxy's ``_b0_from_lenstool_sigma``.)
    In a flat universe ``D_LS / D_S = int_zl^zs dz/E / int_0^zs dz/E`` (Hogg 1999 eqs. 15, 19).
    """
    ratio = _comoving_integral(redshift_object, redshift_source, H0, Om0, xp=xp) / (
        _comoving_integral(0.0, redshift_source, H0, Om0, xp=xp)
    )
    return 6.0 * ARCSEC_PER_PI_RAD * (sigma / C_KM_S) ** 2 * ratio


def _xp_of(*values):
    return jax_numpy() if any(is_jax_array(v) for v in values) else np


_LENSTOOL_PRIORS = {
    **centre_priors(),
    "sigma": uniform_prior(0.0, 1000.0),
    "r_core": uniform_prior(0.0, 10.0),
    "r_cut": uniform_prior(0.0, 100.0),
    "redshift_object": uniform_prior(0.0, 1.0),
    "redshift_source": uniform_prior(0.0, 1.0),
    "H0": uniform_prior(50.0, 100.0),
    "Om0": uniform_prior(0.1, 0.5),
}


class dPIEMass(dPIEMassB0):
    """Dual PIE in Lenstool's parameters (PyAutoGalaxy's default ``dPIEMass``).

    ``ellipticity`` = (a^2 - b^2) / (a^2 + b^2) (so q = sqrt((1 - e) / (1 + e))); ``angle_pos``
    degrees counter-clockwise from +x; ``sigma`` Lenstool fiducial dispersion (km/s);
    ``r_core`` / ``r_cut`` arcsec; ``b0`` from ``b0_from_lenstool_sigma``.
    """

    default_priors = {
        **_LENSTOOL_PRIORS,
        "ellipticity": uniform_prior(0.0, 0.9),
        "angle_pos": uniform_prior(0.0, 180.0),
    }

    def __init__(
        self,
        centre=(0.0, 0.0),
        ellipticity=0.0,
        angle_pos=0.0,
        sigma=200.0,
        r_core=0.1,
        r_cut=20.0,
        redshift_object=0.5,
        redshift_source=1.0,
        H0=67.66,
        Om0=0.30966,
    ):
        xp = _xp_of(ellipticity, angle_pos, sigma, redshift_object, redshift_source, H0, Om0)
        axis_ratio = xp.sqrt((1.0 - ellipticity) / (1.0 + ellipticity))
        super().__init__(
            centre=centre,
            ell_comps=convert.ell_comps_from(axis_ratio, angle_pos, xp=xp),
            ra=r_core,
            rs=r_cut,
            b0=b0_from_lenstool_sigma(sigma, redshift_object, redshift_source, H0, Om0, xp=xp),
        )
        self.ellipticity, self.angle_pos, self.sigma = ellipticity, angle_pos, sigma
        self.r_core, self.r_cut = r_core, r_cut
        self.redshift_object, self.redshift_source = redshift_object, redshift_source
        self.H0, self.Om0 = H0, Om0


class dPIEMassSph(dPIEMassB0Sph):
    """Circular dual PIE in Lenstool's parameters (PyAutoGalaxy ``dPIEMassSph``)."""

    default_priors = _LENSTOOL_PRIORS

    def __init__(
        self,
        centre=(0.0, 0.0),
        sigma=200.0,
        r_core=0.1,
        r_cut=20.0,
        redshift_object=0.5,
        redshift_source=1.0,
        H0=67.66,
        Om0=0.30966,
    ):
        xp = _xp_of(sigma, redshift_object, redshift_source, H0, Om0)
        super().__init__(
            centre=centre,
            ra=r_core,
            rs=r_cut,
            b0=b0_from_lenstool_sigma(sigma, redshift_object, redshift_source, H0, Om0, xp=xp),
        )
        self.sigma, self.r_core, self.r_cut = sigma, r_core, r_cut
        self.redshift_object, self.redshift_source = redshift_object, redshift_source
        self.H0, self.Om0 = H0, Om0

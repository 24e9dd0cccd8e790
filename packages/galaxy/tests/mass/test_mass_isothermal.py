"""Isothermal (SIE) and IsothermalSph (SIS) against analytic references (NumPy path)."""

import numpy as np
import pytest
from scipy import integrate

from xpgalaxy.profiles.mass.isothermal import Isothermal, IsothermalSph
from xpgalaxy.profiles.mass.power_law import PowerLaw

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0], [-1.5, -0.3]])


def keeton_deflections(kappa_of_xi, y, x, q):
    """Deflection of an ellipsoidal convergence kappa(xi), xi^2 = x^2 + y^2 / q^2 (profile frame).

    Keeton (2001, astro-ph/0102341) section 2 / Schramm (1990):
    alpha_x = q x J_0, alpha_y = q y J_1, J_n = int_0^1 kappa(xi(u)) / (1 - (1 - q^2) u)^(n + 1/2) du,
    xi(u)^2 = u (x^2 + y^2 / (1 - (1 - q^2) u)). Substituting u = v^4 removes the u^(-1/2) cusp.
    """

    def j(n):
        def integrand(v):
            u = v**4
            d = 1.0 - (1.0 - q * q) * u
            return kappa_of_xi(np.sqrt(u * (x * x + y * y / d))) / d ** (n + 0.5) * 4.0 * v**3

        return integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-13, limit=200)[0]

    return q * y * j(1), q * x * j(0)


def test_mass_isothermal_sis_deflection_magnitude_is_einstein_radius():
    # SIS: |alpha| = theta_E everywhere (Schneider, Ehlers & Falco 1992, eq. 8.34), radial.
    sis = IsothermalSph(centre=(0.2, -0.1), einstein_radius=1.3)
    alpha = np.asarray(sis.deflections_yx_2d_from(POINTS))
    np.testing.assert_allclose(np.linalg.norm(alpha, axis=1), 1.3, rtol=1e-14)
    offset = POINTS - np.array([0.2, -0.1])
    np.testing.assert_allclose(
        alpha, 1.3 * offset / np.linalg.norm(offset, axis=1)[:, None], rtol=1e-14
    )
    # kappa = theta_E / (2 r), psi = theta_E r (SEF 1992 eqs. 8.33, 8.35).
    r = np.linalg.norm(offset, axis=1)
    np.testing.assert_allclose(
        np.asarray(sis.convergence_2d_from(POINTS)), 1.3 / (2.0 * r), rtol=1e-14
    )
    np.testing.assert_allclose(np.asarray(sis.potential_2d_from(POINTS)), 1.3 * r, rtol=1e-14)


def test_mass_isothermal_sie_axis_values_match_kormann():
    # ell_comps = (0, f): major axis along +x, q = (1 - f) / (1 + f) = 2/3 for f = 0.2.
    # Kormann et al. 1994 eqs. 27a-b (Keeton form): on the major axis alpha_x = b q / s'
    # arctan(s' / q), on the minor axis alpha_y = b q / s' arctanh(s'), s' = sqrt(1 - q^2),
    # b = 2 theta_E / (1 + q) (PyAutoGalaxy's normalisation).
    q, theta_e = 2.0 / 3.0, 1.1
    sie = Isothermal(ell_comps=(0.0, 0.2), einstein_radius=theta_e)
    s, b = np.sqrt(1.0 - q * q), 2.0 * theta_e / (1.0 + q)
    major = np.asarray(sie.deflections_yx_2d_from(np.array([[0.0, 0.4], [0.0, -2.0]])))
    minor = np.asarray(sie.deflections_yx_2d_from(np.array([[0.4, 0.0], [-2.0, 0.0]])))
    np.testing.assert_allclose(
        major[:, 1], [b * q / s * np.arctan(s / q), -b * q / s * np.arctan(s / q)], rtol=1e-14
    )
    np.testing.assert_allclose(
        minor[:, 0], [b * q / s * np.arctanh(s), -b * q / s * np.arctanh(s)], rtol=1e-14
    )
    np.testing.assert_allclose(major[:, 0], 0.0, atol=1e-15)
    np.testing.assert_allclose(minor[:, 1], 0.0, atol=1e-15)


@pytest.mark.parametrize("ell_comps", [(0.0, 0.2), (0.0, 0.6), (0.0, 1e-3)])
def test_mass_isothermal_sie_matches_deflection_integral(ell_comps):
    q = (1.0 - ell_comps[1]) / (1.0 + ell_comps[1])
    sie = Isothermal(ell_comps=ell_comps, einstein_radius=1.2)
    alpha = np.asarray(sie.deflections_yx_2d_from(POINTS))
    for point, value in zip(POINTS, alpha):
        ref = keeton_deflections(lambda xi: 1.2 / (1.0 + q) / xi, point[0], point[1], q)
        np.testing.assert_allclose(value, ref, rtol=1e-10)


def test_mass_isothermal_sie_equals_power_law_with_slope_two():
    # Tessore & Metcalf 2015 section 5.1: the EPL with t = 1 (slope 2) is the SIE.
    kwargs = dict(centre=(0.1, -0.2), ell_comps=(0.25, -0.3), einstein_radius=1.4)
    sie, epl = Isothermal(**kwargs), PowerLaw(slope=2.0, **kwargs)
    for method in (
        "convergence_2d_from",
        "potential_2d_from",
        "deflections_yx_2d_from",
        "shear_yx_2d_from",
    ):
        np.testing.assert_allclose(
            np.asarray(getattr(sie, method)(POINTS)),
            np.asarray(getattr(epl, method)(POINTS)),
            rtol=1e-12,
        )


def test_mass_isothermal_sie_shear_is_tangential_with_magnitude_kappa():
    # Any isothermal (psi = r F(phi)) lens has gamma = -kappa e^{2 i phi} (Kormann et al. 1994).
    sie = Isothermal(centre=(0.1, -0.2), ell_comps=(0.25, -0.3), einstein_radius=1.4)
    shear = np.asarray(sie.shear_yx_2d_from(POINTS))
    kappa = np.asarray(sie.convergence_2d_from(POINTS))
    np.testing.assert_allclose(np.linalg.norm(shear, axis=1), kappa, rtol=1e-13)
    y, x = (POINTS - np.array([0.1, -0.2])).T
    phi = np.arctan2(y, x)
    np.testing.assert_allclose(shear[:, 1], -kappa * np.cos(2 * phi), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(shear[:, 0], -kappa * np.sin(2 * phi), rtol=1e-12, atol=1e-14)


def test_mass_isothermal_sie_is_continuous_through_axis_ratio_one():
    sis = np.asarray(IsothermalSph(einstein_radius=1.2).deflections_yx_2d_from(POINTS))
    at_one = np.asarray(
        Isothermal(ell_comps=(0.0, 0.0), einstein_radius=1.2).deflections_yx_2d_from(POINTS)
    )
    np.testing.assert_allclose(at_one, sis, rtol=1e-14)
    # Either side of the series threshold (1 - q^2 = 1e-4, f ~ 2.5e-5) the two branches agree.
    below = Isothermal(ell_comps=(0.0, 2.4999e-5), einstein_radius=1.2).deflections_yx_2d_from(
        POINTS
    )
    above = Isothermal(ell_comps=(0.0, 2.5001e-5), einstein_radius=1.2).deflections_yx_2d_from(
        POINTS
    )
    np.testing.assert_allclose(np.asarray(below), np.asarray(above), rtol=1e-8)


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
AG_POINTS = np.array([[0.7, -0.4], [-1.2, 0.9]])


def test_mass_isothermal_matches_autogalaxy():
    sie = Isothermal(centre=(0.1, -0.05), ell_comps=(0.12, -0.08), einstein_radius=1.2)
    np.testing.assert_allclose(
        sie.convergence_2d_from(AG_POINTS), [0.7883965974468757, 0.33297947964719143], rtol=1e-12
    )
    np.testing.assert_allclose(
        sie.potential_2d_from(AG_POINTS), [0.8388143101929851, 1.9594933793351088], rtol=1e-12
    )
    np.testing.assert_allclose(
        sie.deflections_yx_2d_from(AG_POINTS),
        [[0.9938993871081478, -0.6927847940802754], [-0.9328258607688378, 0.7861260635111786]],
        rtol=1e-12,
    )
    sis = IsothermalSph(centre=(0.1, -0.05), einstein_radius=1.2)
    np.testing.assert_allclose(
        sis.convergence_2d_from(AG_POINTS), [0.8637789008984333, 0.3726420564267221], rtol=1e-12
    )
    np.testing.assert_allclose(
        sis.potential_2d_from(AG_POINTS), [0.8335466393669883, 1.9321490625725541], rtol=1e-12
    )
    np.testing.assert_allclose(
        sis.deflections_yx_2d_from(AG_POINTS),
        [[1.0365346810781202, -0.6046452306289035], [-0.9688693467094776, 0.708019907210772]],
        rtol=1e-12,
    )

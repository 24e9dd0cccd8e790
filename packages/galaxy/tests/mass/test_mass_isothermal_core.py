"""IsothermalCore and IsothermalCoreSph against independent references (NumPy path)."""

import numpy as np
import pytest
from scipy import integrate

from xpgalaxy.profiles.mass.isothermal import Isothermal, IsothermalSph
from xpgalaxy.profiles.mass.isothermal_core import IsothermalCore, IsothermalCoreSph

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0], [-0.05, 0.02], [0.0, 0.3]])


def keeton_deflections(kappa_of_xi, y, x, q):
    """Deflection of an ellipsoidal convergence kappa(xi), xi^2 = x^2 + y^2 / q^2 (profile frame).

    Keeton (2001, astro-ph/0102341) section 2 / Schramm (1990):
    alpha_x = q x J_0, alpha_y = q y J_1, J_n = int_0^1 kappa(xi(u)) / (1 - (1 - q^2) u)^(n + 1/2) du,
    xi(u)^2 = u (x^2 + y^2 / (1 - (1 - q^2) u)).
    """

    def j(n):
        def integrand(u):
            d = 1.0 - (1.0 - q * q) * u
            return kappa_of_xi(np.sqrt(u * (x * x + y * y / d))) / d ** (n + 0.5)

        return integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-13, limit=200)[0]

    return q * y * j(1), q * x * j(0)


@pytest.mark.parametrize("f", [0.0, 0.3, 0.6])
def test_mass_isothermal_core_matches_deflection_integral(f):
    q, s = (1.0 - f) / (1.0 + f), 0.2
    profile = IsothermalCore(ell_comps=(0.0, f), einstein_radius=1.2, core_radius=s)
    alpha = np.asarray(profile.deflections_yx_2d_from(POINTS))
    for point, value in zip(POINTS, alpha):
        ref = keeton_deflections(
            lambda xi: 1.2 / (1.0 + q) / np.sqrt(s * s + xi * xi), point[0], point[1], q
        )
        np.testing.assert_allclose(value, ref, rtol=1e-10, atol=1e-14)


def test_mass_isothermal_core_zero_core_is_isothermal():
    kwargs = dict(centre=(0.1, -0.2), ell_comps=(0.25, -0.3), einstein_radius=1.4)
    cored, sie = IsothermalCore(core_radius=0.0, **kwargs), Isothermal(**kwargs)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            np.asarray(getattr(cored, method)(POINTS)),
            np.asarray(getattr(sie, method)(POINTS)),
            rtol=1e-12,
        )
    sph = IsothermalCoreSph(centre=(0.1, -0.2), einstein_radius=1.4, core_radius=0.0)
    sis = IsothermalSph(centre=(0.1, -0.2), einstein_radius=1.4)
    np.testing.assert_allclose(
        np.asarray(sph.potential_2d_from(POINTS)),
        np.asarray(sis.potential_2d_from(POINTS)),
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        np.asarray(sph.deflections_yx_2d_from(POINTS)),
        np.asarray(sis.deflections_yx_2d_from(POINTS)),
        rtol=1e-12,
    )


def test_mass_isothermal_core_sph_closed_form_and_elliptical_limit():
    # alpha(r) = theta_E (sqrt(s^2 + r^2) - s) / r = (2 / r) int_0^r kappa(r') r' dr'.
    theta_e, s = 1.3, 0.25
    sph = IsothermalCoreSph(einstein_radius=theta_e, core_radius=s)
    r = np.linalg.norm(POINTS, axis=1)
    alpha = np.linalg.norm(np.asarray(sph.deflections_yx_2d_from(POINTS)), axis=1)
    enclosed = [
        integrate.quad(lambda t: theta_e / 2.0 / np.sqrt(s * s + t * t) * t, 0.0, ri, epsrel=1e-13)[
            0
        ]
        for ri in r
    ]
    np.testing.assert_allclose(alpha, 2.0 * np.array(enclosed) / r, rtol=1e-12)
    # The potential is the radial integral of alpha from the centre.
    psi = [
        integrate.quad(lambda t: theta_e * (np.sqrt(s * s + t * t) - s) / t, 0.0, ri, epsrel=1e-13)[
            0
        ]
        for ri in r
    ]
    np.testing.assert_allclose(np.asarray(sph.potential_2d_from(POINTS)), psi, rtol=1e-11)
    ell = IsothermalCore(ell_comps=(0.0, 0.0), einstein_radius=theta_e, core_radius=s)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            np.asarray(getattr(ell, method)(POINTS)),
            np.asarray(getattr(sph, method)(POINTS)),
            rtol=1e-12,
        )


def test_mass_isothermal_core_potential_is_zero_at_centre():
    profile = IsothermalCore(
        centre=(0.3, 0.1), ell_comps=(0.2, 0.1), einstein_radius=1.0, core_radius=0.1
    )
    assert abs(float(np.asarray(profile.potential_2d_from(np.array([[0.3, 0.1]])))[0])) < 1e-15


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12), which integrates these numerically with
# scipy quad (default tolerance 1.5e-8), at (y, x) = (0.7, -0.4), (-1.2, 0.9).
AG_POINTS = np.array([[0.7, -0.4], [-1.2, 0.9]])


def test_mass_isothermal_core_matches_autogalaxy():
    ell = IsothermalCore(
        centre=(0.1, -0.05), ell_comps=(0.12, -0.08), einstein_radius=1.2, core_radius=0.15
    )
    np.testing.assert_allclose(
        ell.convergence_2d_from(AG_POINTS), [0.776953916363775, 0.3321017475821013], rtol=1e-12
    )
    np.testing.assert_allclose(
        ell.potential_2d_from(AG_POINTS), [0.5193584481806485, 1.519059683130192], rtol=1e-8
    )
    np.testing.assert_allclose(
        ell.deflections_yx_2d_from(AG_POINTS),
        [[0.8229986660306987, -0.5886440153621346], [-0.8593859057139837, 0.7315770393076356]],
        rtol=1e-8,
    )
    sph = IsothermalCoreSph(centre=(0.1, -0.05), einstein_radius=1.2, core_radius=0.15)
    np.testing.assert_allclose(
        sph.convergence_2d_from(AG_POINTS), [0.8443170536763502, 0.37103544846186376], rtol=1e-12
    )
    np.testing.assert_allclose(
        sph.potential_2d_from(AG_POINTS), [0.483060691155197, 1.4413195202635858], rtol=1e-8
    )
    np.testing.assert_allclose(
        sph.deflections_yx_2d_from(AG_POINTS),
        [[0.8365930249282242, -0.4880125978747975], [-0.8828042484444406, 0.6451261815555527]],
        rtol=1e-12,
    )

"""PowerLaw (EPL) and PowerLawSph against independent references (NumPy path)."""

import numpy as np
import pytest
from scipy import integrate, special

from xpgalaxy.profiles.mass.isothermal import Isothermal
from xpgalaxy.profiles.mass.power_law import PowerLaw, PowerLawSph, omega_series_from

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0], [-1.5, -0.3], [0.0, 0.8]])


def keeton_deflections(kappa_of_xi, y, x, q):
    """Deflection of an ellipsoidal convergence kappa(xi), xi^2 = x^2 + y^2 / q^2 (profile frame).

    Keeton (2001, astro-ph/0102341) section 2 / Schramm (1990):
    alpha_x = q x J_0, alpha_y = q y J_1, J_n = int_0^1 kappa(xi(u)) / (1 - (1 - q^2) u)^(n + 1/2) du,
    xi(u)^2 = u (x^2 + y^2 / (1 - (1 - q^2) u)). Substituting u = v^8 removes the u^((1-slope)/2) cusp.
    """

    def j(n):
        def integrand(v):
            u = v**8
            d = 1.0 - (1.0 - q * q) * u
            return kappa_of_xi(np.sqrt(u * (x * x + y * y / d))) / d ** (n + 0.5) * 8.0 * v**7

        return integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-13, limit=400)[0]

    return q * y * j(1), q * x * j(0)


@pytest.mark.parametrize(("f", "slope"), [(0.25, 2.3), (0.5, 1.7), (0.0, 2.6), (0.7, 2.05)])
def test_mass_power_law_matches_deflection_integral(f, slope):
    # ell_comps = (0, f): major axis along +x, q = (1 - f) / (1 + f).
    q = (1.0 - f) / (1.0 + f)
    epl = PowerLaw(ell_comps=(0.0, f), einstein_radius=1.3, slope=slope)
    norm = (3.0 - slope) / (1.0 + q) * 1.3 ** (slope - 1.0)
    alpha = np.asarray(epl.deflections_yx_2d_from(POINTS))
    for point, value in zip(POINTS, alpha):
        ref = keeton_deflections(lambda xi: norm * xi ** (1.0 - slope), point[0], point[1], q)
        np.testing.assert_allclose(value, ref, rtol=1e-9, atol=1e-13)


@pytest.mark.parametrize("q", [0.1, 0.3, 0.8])
@pytest.mark.parametrize("t", [0.5, 1.0, 1.5, 1.99])
def test_mass_power_law_omega_series_matches_hypergeometric(q, t):
    # Tessore & Metcalf 2015 eq. 13: Omega(phi) = e^{i phi} 2F1(1, t/2; 2 - t/2; -f e^{2 i phi}),
    # here from scipy's complex hyp2f1. The fixed 96-term series is 1e-8 accurate down to q = 0.1.
    f = (1.0 - q) / (1.0 + q)
    z = np.exp(1j * np.linspace(-np.pi, np.pi, 61))
    ref = z * special.hyp2f1(1.0, t / 2.0, 2.0 - t / 2.0, -f * z * z)
    o_x, o_y = omega_series_from(z.real, z.imag, t, f)
    np.testing.assert_array_less(np.abs(o_x + 1j * o_y - ref) / np.abs(ref), 1e-8)


def test_mass_power_law_slope_two_is_isothermal():
    kwargs = dict(centre=(0.2, 0.1), ell_comps=(-0.2, 0.35), einstein_radius=0.9)
    np.testing.assert_allclose(
        np.asarray(PowerLaw(slope=2.0, **kwargs).deflections_yx_2d_from(POINTS)),
        np.asarray(Isothermal(**kwargs).deflections_yx_2d_from(POINTS)),
        rtol=1e-12,
    )


@pytest.mark.parametrize("slope", [1.6, 2.0, 2.5])
def test_mass_power_law_sph_closed_form(slope):
    # alpha(r) = theta_E^(slope-1) r^(2-slope) (mean convergence inside r times r, SEF 1992 eq. 8.3).
    sph = PowerLawSph(centre=(0.1, 0.1), einstein_radius=1.4, slope=slope)
    offset = POINTS - 0.1
    r = np.linalg.norm(offset, axis=1)
    alpha = np.asarray(sph.deflections_yx_2d_from(POINTS))
    np.testing.assert_allclose(
        alpha, (1.4 ** (slope - 1) * r ** (1.0 - slope))[:, None] * offset, rtol=1e-13
    )
    kappa = (3.0 - slope) / 2.0 * (1.4 / r) ** (slope - 1.0)
    np.testing.assert_allclose(np.asarray(sph.convergence_2d_from(POINTS)), kappa, rtol=1e-13)
    psi = 1.4 ** (slope - 1) * r ** (3.0 - slope) / (3.0 - slope)
    np.testing.assert_allclose(np.asarray(sph.potential_2d_from(POINTS)), psi, rtol=1e-13)
    # The elliptical class at q = 1 reduces to it.
    ell = PowerLaw(centre=(0.1, 0.1), ell_comps=(0.0, 0.0), einstein_radius=1.4, slope=slope)
    np.testing.assert_allclose(np.asarray(ell.deflections_yx_2d_from(POINTS)), alpha, rtol=1e-13)


def test_mass_power_law_potential_is_homogeneous():
    # psi(lambda theta) = lambda^(3 - slope) psi(theta) about the centre (Tessore & Metcalf eq. 15).
    epl = PowerLaw(ell_comps=(0.3, 0.1), einstein_radius=1.1, slope=2.35)
    psi = np.asarray(epl.potential_2d_from(POINTS))
    np.testing.assert_allclose(
        np.asarray(epl.potential_2d_from(1.7 * POINTS)), 1.7**0.65 * psi, rtol=1e-12
    )


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
# Its NumPy omega series stops at a 1e-10 bound (17 terms at q = 0.67 here), so 1e-9.
AG_POINTS = np.array([[0.7, -0.4], [-1.2, 0.9]])


def test_mass_power_law_matches_autogalaxy():
    epl = PowerLaw(centre=(0.1, -0.05), ell_comps=(0.12, -0.08), einstein_radius=1.2, slope=2.2)
    np.testing.assert_allclose(
        epl.convergence_2d_from(AG_POINTS), [0.6724927598984107, 0.23905337958783573], rtol=1e-12
    )
    np.testing.assert_allclose(
        epl.potential_2d_from(AG_POINTS), [1.1286914248057893, 2.2231702263005193], rtol=1e-9
    )
    np.testing.assert_allclose(
        epl.deflections_yx_2d_from(AG_POINTS),
        [[1.0774670206266002, -0.7327797927676318], [-0.8531278572698591, 0.7047052279890508]],
        rtol=1e-9,
    )
    sph = PowerLawSph(centre=(0.1, -0.05), einstein_radius=1.2, slope=1.8)
    np.testing.assert_allclose(
        sph.convergence_2d_from(AG_POINTS), [0.9291745802570301, 0.4742515305910242], rtol=1e-12
    )
    np.testing.assert_allclose(
        sph.potential_2d_from(AG_POINTS), [0.622676020797246, 1.7076348514683757], rtol=1e-12
    )
    np.testing.assert_allclose(
        sph.deflections_yx_2d_from(AG_POINTS),
        [[0.9291745802570303, -0.5420185051499344], [-1.0275449829472192, 0.7508982567691217]],
        rtol=1e-12,
    )

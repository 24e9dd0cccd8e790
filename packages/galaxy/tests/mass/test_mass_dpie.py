"""dPIE profiles against independent references (NumPy path).

Convergence: Kassiola & Kovner 1993 eq. 4.1.1 per PIE, dual form Elíasdóttir et al. 2007
eq. A11, with R^2 = x^2 / (1 + eps)^2 + y^2 / (1 - eps)^2 (KK93 eq. 2.3.6).
"""

import numpy as np
import pytest
from scipy import integrate

from xpgalaxy.profiles.mass.dpie import (
    b0_from_lenstool_sigma,
    dPIEMass,
    dPIEMassB0,
    dPIEMassB0Sph,
    dPIEMassSph,
)

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0], [-0.03, 0.01], [0.0, 0.5]])


def dual_kappa(r, ra, rs, b0):
    return (
        0.5
        * b0
        * rs
        / (rs - ra)
        * (1.0 / np.sqrt(ra * ra + r * r) - 1.0 / np.sqrt(rs * rs + r * r))
    )


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


@pytest.mark.parametrize(("eps", "ra"), [(0.2, 0.15), (0.45, 0.05), (0.1, 0.0)])
def test_mass_dpie_deflections_match_deflection_integral(eps, ra):
    # ell_comps = (0, eps): major axis along +x; R = xi / (1 + eps) with q = (1 - eps) / (1 + eps).
    q, rs, b0 = (1.0 - eps) / (1.0 + eps), 3.0, 1.2
    profile = dPIEMassB0(ell_comps=(0.0, eps), ra=ra, rs=rs, b0=b0)
    alpha = np.asarray(profile.deflections_yx_2d_from(POINTS))
    for point, value in zip(POINTS, alpha):
        ref = keeton_deflections(
            lambda xi: dual_kappa(xi / (1.0 + eps), ra, rs, b0), point[0], point[1], q
        )
        np.testing.assert_allclose(value, ref, rtol=1e-10, atol=1e-13)


def test_mass_dpie_sph_deflection_and_potential_from_enclosed_mass():
    ra, rs, b0 = 0.2, 4.0, 1.1
    sph = dPIEMassB0Sph(centre=(0.1, -0.1), ra=ra, rs=rs, b0=b0)
    d = POINTS - np.array([0.1, -0.1])
    r = np.linalg.norm(d, axis=1)
    # alpha(r) = (2 / r) int_0^r kappa r' dr' (Schneider, Ehlers & Falco 1992 eq. 8.3).
    enclosed = np.array(
        [
            integrate.quad(lambda t: dual_kappa(t, ra, rs, b0) * t, 0.0, ri, epsrel=1e-13)[0]
            for ri in r
        ]
    )
    alpha = np.asarray(sph.deflections_yx_2d_from(POINTS))
    np.testing.assert_allclose(alpha, (2.0 * enclosed / r**2)[:, None] * d, rtol=1e-11)
    np.testing.assert_allclose(
        np.asarray(sph.convergence_2d_from(POINTS)), dual_kappa(r, ra, rs, b0), rtol=1e-13
    )
    psi = [
        integrate.quad(
            lambda t: 2.0 * integrate.quad(lambda u: dual_kappa(u, ra, rs, b0) * u, 0.0, t)[0] / t,
            0.0,
            ri,
            epsrel=1e-12,
        )[0]
        for ri in r
    ]
    np.testing.assert_allclose(np.asarray(sph.potential_2d_from(POINTS)), psi, rtol=1e-9)


def test_mass_dpie_round_elliptical_is_sph_to_the_ellipticity_floor():
    # eps is clipped at 1e-5 (Lenstool / PyAutoGalaxy), so q = 1 differs from circular at ~2e-5.
    ell = dPIEMassB0(ell_comps=(0.0, 0.0), ra=0.1, rs=3.0, b0=1.0)
    sph = dPIEMassB0Sph(ra=0.1, rs=3.0, b0=1.0)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            np.asarray(getattr(ell, method)(POINTS)),
            np.asarray(getattr(sph, method)(POINTS)),
            rtol=1e-4,
            atol=1e-9,
        )


def test_mass_dpie_lenstool_b0_distance_ratio():
    # b0 = 6 * 648000 (sigma / c)^2 D_LS / D_S (Elíasdóttir et al. 2007 eq. A24 coefficient).
    # Flat universe: D_LS / D_S = int_zl^zs dz / E / int_0^zs dz / E (Hogg 1999 eqs. 15, 19), with
    # PyAutoGalaxy's FlatLambdaCDM defaults (H0 67.66, Om0 0.30966, Tcmb0 2.7255 K -> Omega_gamma
    # h^2 = 2.469e-5, Neff 3.046 massless neutrinos at 0.2271 Neff Omega_gamma), by scipy quad.
    omega_r = 2.469e-5 * (1.0 + 0.2271 * 3.046) / 0.6766**2

    def inverse_e(z):
        return 1.0 / np.sqrt(
            0.30966 * (1 + z) ** 3 + omega_r * (1 + z) ** 4 + 1.0 - 0.30966 - omega_r
        )

    ratio = (
        integrate.quad(inverse_e, 0.4, 1.5, epsrel=1e-13)[0]
        / integrate.quad(inverse_e, 0.0, 1.5, epsrel=1e-13)[0]
    )
    expected = 6.0 * 648000.0 * (250.0 / 299792.458) ** 2 * ratio
    assert b0_from_lenstool_sigma(250.0, 0.4, 1.5) == pytest.approx(expected, rel=1e-13)
    profile = dPIEMass(
        ellipticity=0.3, angle_pos=30.0, sigma=250.0, redshift_object=0.4, redshift_source=1.5
    )
    # ellipticity = (a^2 - b^2) / (a^2 + b^2) -> q = sqrt(0.7 / 1.3).
    assert float(profile.axis_ratio()) == pytest.approx(np.sqrt(0.7 / 1.3), rel=1e-14)
    assert float(profile.angle()) == pytest.approx(30.0, rel=1e-14)


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
AG_POINTS = np.array([[0.7, -0.4], [-1.2, 0.9]])


def test_mass_dpie_matches_autogalaxy():
    ell = dPIEMassB0(centre=(0.1, -0.05), ell_comps=(0.12, -0.08), ra=0.15, rs=3.0, b0=1.2)
    np.testing.assert_allclose(
        ell.convergence_2d_from(AG_POINTS), [0.6101636446023356, 0.16882250400915716], rtol=1e-12
    )
    np.testing.assert_allclose(
        ell.potential_2d_from(AG_POINTS), [0.46690110787635164, 1.2700789299890558], rtol=1e-12
    )
    np.testing.assert_allclose(
        ell.deflections_yx_2d_from(AG_POINTS),
        [[0.7204898584135911, -0.5119824945958238], [-0.6382408450546956, 0.5323674495815811]],
        rtol=1e-12,
    )
    sph = dPIEMassB0Sph(centre=(0.1, -0.05), ra=0.15, rs=3.0, b0=1.2)
    np.testing.assert_allclose(
        sph.convergence_2d_from(AG_POINTS), [0.683654529331478, 0.20506568919979296], rtol=1e-12
    )
    # PyAutoGalaxy's spherical potential is its elliptical one at eps = 1e-5.
    np.testing.assert_allclose(
        sph.potential_2d_from(AG_POINTS), [0.4580310091982542, 1.2532775469077744], rtol=1e-4
    )
    np.testing.assert_allclose(
        sph.deflections_yx_2d_from(AG_POINTS),
        [[0.7559575141410899, -0.44097521658230254], [-0.6728800141247312, 0.491720010321919]],
        rtol=1e-12,
    )
    lenstool = dPIEMass(
        centre=(0.1, -0.05),
        ellipticity=0.3,
        angle_pos=30.0,
        sigma=250.0,
        r_core=0.15,
        r_cut=20.0,
        redshift_object=0.4,
        redshift_source=1.5,
    )
    assert lenstool.b0 == pytest.approx(1.7380447564491712, rel=1e-12)
    assert dPIEMass().b0 == pytest.approx(0.7388422307523791, rel=1e-12)
    assert dPIEMassSph(sigma=250.0, redshift_object=0.4, redshift_source=1.5).b0 == pytest.approx(
        1.7380447564491712, rel=1e-12
    )
    np.testing.assert_allclose(
        lenstool.convergence_2d_from(AG_POINTS),
        [1.005861341815609, 0.41651661398521883],
        rtol=1e-12,
    )
    np.testing.assert_allclose(
        lenstool.potential_2d_from(AG_POINTS), [0.7400332404790971, 2.1394719469688805], rtol=1e-12
    )
    np.testing.assert_allclose(
        lenstool.deflections_yx_2d_from(AG_POINTS),
        [[1.248707256316309, -0.7268611407351226], [-1.2886339530367037, 0.9021052927149856]],
        rtol=1e-12,
    )

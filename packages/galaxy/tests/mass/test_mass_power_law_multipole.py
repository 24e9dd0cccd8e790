"""PowerLawMultipole against analytic references (NumPy path).

kappa = 1/2 (theta_E / r)^(slope - 1) k_m cos(m (phi - phi_m)) (Chu et al. 2013, ApJ 765, 134;
PyAutoGalaxy's convention); its potential solves Poisson's equation (laplacian psi = 2 kappa),
which the generic registry test checks by finite differences.
"""

import numpy as np
import pytest
from scipy import integrate

from xparray import InputError
from xpgalaxy import convert
from xpgalaxy.profiles.mass.power_law_multipole import PowerLawMultipole

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0], [-1.5, -0.3]])


@pytest.mark.parametrize("m", [1, 3, 4])
def test_mass_power_law_multipole_convergence_pattern(m):
    k_m, phi_m = 0.05, 17.0
    comps = convert.multipole_comps_from(k_m, phi_m, m)
    profile = PowerLawMultipole(m=m, einstein_radius=1.3, slope=2.2, multipole_comps=comps)
    y, x = POINTS.T
    r, phi = np.hypot(y, x), np.arctan2(y, x)
    expected = 0.5 * (1.3 / r) ** 1.2 * k_m * np.cos(m * (phi - np.deg2rad(phi_m)))
    np.testing.assert_allclose(
        np.asarray(profile.convergence_2d_from(POINTS)), expected, rtol=1e-12
    )

    # Zero net mass: the azimuthal mean of cos(m phi) vanishes.
    def ring(t):
        point = np.array([[np.sin(t), np.cos(t)]])
        return float(np.asarray(profile.convergence_2d_from(point))[0])

    assert abs(integrate.quad(ring, 0.0, 2.0 * np.pi, epsabs=1e-13)[0]) < 1e-12


def test_mass_power_law_multipole_potential_closed_form():
    # psi = -theta_E^(slope-1) r^(3-slope) k_m cos(m (phi - phi_m)) / (m^2 - (3 - slope)^2).
    m, slope, k_m, phi_m = 4, 1.9, 0.03, -8.0
    profile = PowerLawMultipole(
        m=m,
        centre=(0.1, 0.2),
        einstein_radius=0.9,
        slope=slope,
        multipole_comps=convert.multipole_comps_from(k_m, phi_m, m),
    )
    y, x = (POINTS - np.array([0.1, 0.2])).T
    r, phi = np.hypot(y, x), np.arctan2(y, x)
    psi = (
        -(0.9 ** (slope - 1))
        * r ** (3 - slope)
        * k_m
        * np.cos(m * (phi - np.deg2rad(phi_m)))
        / (m**2 - (3 - slope) ** 2)
    )
    np.testing.assert_allclose(np.asarray(profile.potential_2d_from(POINTS)), psi, rtol=1e-12)


def test_mass_power_law_multipole_is_linear_in_components():
    a = PowerLawMultipole(multipole_comps=(0.02, -0.01), slope=2.1)
    b = PowerLawMultipole(multipole_comps=(0.0, 0.03), slope=2.1)
    ab = PowerLawMultipole(multipole_comps=(0.02, 0.02), slope=2.1)
    np.testing.assert_allclose(
        np.asarray(ab.deflections_yx_2d_from(POINTS)),
        np.asarray(a.deflections_yx_2d_from(POINTS)) + np.asarray(b.deflections_yx_2d_from(POINTS)),
        rtol=1e-13,
    )
    zero = PowerLawMultipole(multipole_comps=(0.0, 0.0))
    assert np.all(np.asarray(zero.deflections_yx_2d_from(POINTS)) == 0.0)


def test_mass_power_law_multipole_rejects_degenerate_dipole():
    with pytest.raises(InputError):
        PowerLawMultipole(m=1, slope=2.0)


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
# (Its potential_2d_from returns zeros, so only convergence and deflections are compared.)
def test_mass_power_law_multipole_matches_autogalaxy():
    profile = PowerLawMultipole(
        m=4, centre=(0.1, -0.05), einstein_radius=1.2, slope=2.2, multipole_comps=(0.04, -0.03)
    )
    points = np.array([[0.7, -0.4], [-1.2, 0.9]])
    np.testing.assert_allclose(
        profile.convergence_2d_from(points), [0.04792873878912504, 0.016730639448488262], rtol=1e-12
    )
    np.testing.assert_allclose(
        profile.deflections_yx_2d_from(points),
        [
            [-0.0021012708380475265, 0.003280445368630678],
            [0.004917520080795842, 0.0019732969120752498],
        ],
        rtol=1e-12,
    )

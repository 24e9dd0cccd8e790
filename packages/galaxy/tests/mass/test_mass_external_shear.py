"""ExternalShear against its defining potential (NumPy path).

psi = 1/2 gamma_1 (x^2 - y^2) + gamma_2 x y (Schneider, Ehlers & Falco 1992, eq. 8.19), so the
hessian is [[gamma_1, gamma_2], [gamma_2, -gamma_1]] and the convergence is 0.
"""

import numpy as np

from xpgalaxy.profiles.mass.external_shear import ExternalShear

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.0, 0.0], [2.0, 0.5]])


def test_mass_external_shear_fields():
    shear = ExternalShear(gamma_1=0.05, gamma_2=-0.03)
    y, x = POINTS.T
    np.testing.assert_allclose(
        shear.potential_2d_from(POINTS), 0.025 * (x * x - y * y) - 0.03 * x * y, rtol=1e-14
    )
    np.testing.assert_allclose(
        shear.deflections_yx_2d_from(POINTS),
        np.stack([-0.03 * x - 0.05 * y, 0.05 * x - 0.03 * y], axis=-1),
        rtol=1e-14,
    )
    assert np.all(np.asarray(shear.convergence_2d_from(POINTS)) == 0.0)
    np.testing.assert_allclose(
        shear.shear_yx_2d_from(POINTS), np.tile([-0.03, 0.05], (4, 1)), rtol=1e-15
    )


def test_mass_external_shear_magnitude_and_angle():
    # gamma = g (cos 2 phi, sin 2 phi): g = 0.1, phi = 30 deg -> (0.05, 0.0866...).
    shear = ExternalShear(gamma_1=0.05, gamma_2=0.1 * np.sin(np.deg2rad(60.0)))
    assert abs(float(shear.magnitude()) - 0.1) < 1e-15
    assert abs(float(shear.angle()) - 30.0) < 1e-12


def test_mass_external_shear_zero_is_identity():
    shear = ExternalShear()
    assert np.all(np.asarray(shear.deflections_yx_2d_from(POINTS)) == 0.0)
    assert np.all(np.asarray(shear.potential_2d_from(POINTS)) == 0.0)


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
def test_mass_external_shear_matches_autogalaxy():
    shear = ExternalShear(gamma_1=0.05, gamma_2=-0.03)
    points = np.array([[0.7, -0.4], [-1.2, 0.9]])
    np.testing.assert_allclose(
        shear.potential_2d_from(points), [0.00015000000000001264, 0.01665000000000002], rtol=1e-12
    )
    np.testing.assert_allclose(
        shear.deflections_yx_2d_from(points),
        [[-0.02299999999999998, -0.041000000000000016], [0.03299999999999996, 0.08100000000000003]],
        rtol=1e-12,
    )

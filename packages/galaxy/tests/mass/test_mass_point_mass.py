"""PointMass against the point-lens formulas (Schneider, Ehlers & Falco 1992, eqs. 8.8-8.9)."""

import numpy as np

from xpgalaxy.profiles.mass.point_mass import PointMass

POINTS = np.array([[0.7, -0.4], [-1.2, 0.9], [0.05, 2.0]])


def test_mass_point_mass_deflection_is_theta_e_squared_over_r():
    point = PointMass(centre=(0.1, -0.2), einstein_radius=0.8)
    d = POINTS - np.array([0.1, -0.2])
    r = np.linalg.norm(d, axis=1)
    alpha = np.asarray(point.deflections_yx_2d_from(POINTS))
    np.testing.assert_allclose(np.linalg.norm(alpha, axis=1), 0.64 / r, rtol=1e-14)
    np.testing.assert_allclose(alpha, (0.64 / r**2)[:, None] * d, rtol=1e-14)
    np.testing.assert_allclose(point.potential_2d_from(POINTS), 0.64 * np.log(r), rtol=1e-14)
    # On the Einstein ring |alpha| = theta_E.
    ring = np.asarray(point.deflections_yx_2d_from(np.array([[0.1 + 0.8, -0.2]])))
    np.testing.assert_allclose(ring, [[0.8, 0.0]], rtol=1e-14, atol=1e-16)
    # Shear of the point lens: (gamma_1, gamma_2) = theta_E^2 (y^2 - x^2, -2 x y) / r^4.
    y, x = d.T
    shear = np.asarray(point.shear_yx_2d_from(POINTS))
    np.testing.assert_allclose(shear[:, 1], 0.64 * (y * y - x * x) / r**4, rtol=1e-13)
    np.testing.assert_allclose(shear[:, 0], -1.28 * x * y / r**4, rtol=1e-13)


def test_mass_point_mass_centre_is_finite():
    point = PointMass(centre=(0.0, 0.0), einstein_radius=1.0)
    centre = np.zeros((1, 2))
    assert np.all(np.asarray(point.deflections_yx_2d_from(centre)) == 0.0)
    assert np.isfinite(np.asarray(point.potential_2d_from(centre))).all()


# PyAutoGalaxy (autogalaxy 2026.10.26.1, Python 3.12) at (y, x) = (0.7, -0.4), (-1.2, 0.9).
def test_mass_point_mass_matches_autogalaxy():
    point = PointMass(centre=(0.1, -0.05), einstein_radius=0.8)
    points = np.array([[0.7, -0.4], [-1.2, 0.9]])
    np.testing.assert_allclose(
        point.potential_2d_from(points), [-0.23320779462499086, 0.3048392515588946], rtol=1e-12
    )
    np.testing.assert_allclose(
        point.deflections_yx_2d_from(points),
        [[0.7958549222797927, -0.4642487046632125], [-0.3209257473481196, 0.23452266152362589]],
        rtol=1e-12,
    )

"""Tests of xpgalaxy.convert (NumPy path).

Expected numbers are derived by hand from PyAutoGalaxy's definitions, restated here:
  ell_comps = (f sin 2phi, f cos 2phi), f = (1 - q) / (1 + q), angle branch [-45, 135);
  (gamma_1, gamma_2) = (g cos 2phi, g sin 2phi), angle branch (-45, 135];
  multipole_comps = (k sin(m phi), k cos(m phi)), angle branch [-90/m, 270/m);
  f is capped at 0.999 when converting back to an axis ratio.
"""

import math

import numpy as np
import pytest

from xpgalaxy import convert


# ------------------------------------------------------------------ ellipticity
@pytest.mark.parametrize(
    ("axis_ratio", "angle", "expected"),
    [
        # q = 0.5 -> f = 0.5 / 1.5 = 1/3; phi = 0 -> (sin 0, cos 0) = (0, 1).
        (0.5, 0.0, (0.0, 1.0 / 3.0)),
        # phi = 45 deg -> 2 phi = 90 deg -> (1, 0).
        (0.5, 45.0, (1.0 / 3.0, 0.0)),
        # phi = 90 deg -> 2 phi = 180 deg -> (0, -1).
        (0.5, 90.0, (0.0, -1.0 / 3.0)),
        # q = 0.8 -> f = 0.2 / 1.8 = 1/9; phi = 22.5 -> 2 phi = 45 -> (sqrt2/2, sqrt2/2).
        (0.8, 22.5, (math.sqrt(2.0) / 18.0, math.sqrt(2.0) / 18.0)),
        # phi = -30 -> 2 phi = -60 -> (-sqrt3/2, 1/2), f = 1/3.
        (0.5, -30.0, (-math.sqrt(3.0) / 6.0, 1.0 / 6.0)),
        # Round galaxy: f = 0 whatever the angle.
        (1.0, 37.0, (0.0, 0.0)),
    ],
)
def test_ell_comps_from_hand_derived_values(axis_ratio, angle, expected):
    ell_comps = convert.ell_comps_from(axis_ratio=axis_ratio, angle=angle)
    assert isinstance(ell_comps, tuple) and len(ell_comps) == 2
    np.testing.assert_allclose(ell_comps, expected, rtol=1e-14, atol=1e-16)


@pytest.mark.parametrize(
    ("ell_comps", "axis_ratio", "angle"),
    [
        ((0.0, 0.0), 1.0, 0.0),  # the origin: round, angle 0 (PyAutoGalaxy's guarded value)
        ((0.0, 1.0 / 3.0), 0.5, 0.0),
        ((1.0 / 3.0, 0.0), 0.5, 45.0),
        ((0.0, -1.0 / 3.0), 0.5, 90.0),  # arctan2(+0, -x) = 180 deg -> 90
        ((-1.0 / 3.0, 0.0), 0.5, -45.0),  # lower edge of [-45, 135) is kept
        # f = sqrt(0.3^2 + 0.4^2) = 0.5 -> q = 0.5 / 1.5 = 1/3; angle = atan2(0.3, 0.4) / 2.
        ((0.3, 0.4), 1.0 / 3.0, 0.5 * math.degrees(math.atan2(0.3, 0.4))),
        # 2 phi = atan2(-0.3, -0.4) = -143.13 deg -> phi = -71.57 < -45 -> +180 = 108.43.
        ((-0.3, -0.4), 1.0 / 3.0, 0.5 * math.degrees(math.atan2(-0.3, -0.4)) + 180.0),
    ],
)
def test_axis_ratio_and_angle_from_hand_derived_values(ell_comps, axis_ratio, angle):
    q, phi = convert.axis_ratio_and_angle_from(ell_comps)
    np.testing.assert_allclose([q, phi], [axis_ratio, angle], rtol=1e-13, atol=1e-13)
    assert convert.axis_ratio_from(ell_comps) == q
    assert convert.angle_from(ell_comps) == phi


def test_axis_ratio_is_capped_like_pyautogalaxy():
    # f is capped at 0.999, so q >= (1 - 0.999) / (1 + 0.999) even for |e| >= 1.
    q_floor = (1.0 - 0.999) / (1.0 + 0.999)
    for ell_comps in [(0.0, 0.9995), (0.0, 2.0), (-3.0, 4.0)]:
        np.testing.assert_allclose(convert.axis_ratio_from(ell_comps), q_floor, rtol=1e-14)
    # Just below the cap the conversion is untouched.
    np.testing.assert_allclose(convert.axis_ratio_from((0.0, 0.998)), 0.002 / 1.998, rtol=1e-13)


def test_ellipticity_round_trip():
    rng = np.random.default_rng(1)
    q = rng.uniform(0.05, 0.999, 200)
    angle = rng.uniform(-45.0, 135.0, 200)
    ell_comps = convert.ell_comps_from(q, angle)
    q_back, angle_back = convert.axis_ratio_and_angle_from(ell_comps)
    np.testing.assert_allclose(q_back, q, rtol=1e-12)
    np.testing.assert_allclose(angle_back, angle, rtol=0, atol=1e-10)


def test_ellipse_angle_is_periodic_with_period_180():
    # An ellipse rotated by 180 degrees is the same ellipse; the inverse maps into [-45, 135).
    for angle, expected in [(150.0, -30.0), (-60.0, 120.0), (200.0, 20.0), (300.0, 120.0)]:
        ell_comps = convert.ell_comps_from(0.6, angle)
        np.testing.assert_allclose(convert.angle_from(ell_comps), expected, atol=1e-10)


def test_ell_comps_accept_arrays_and_tuples():
    ell_comps = np.array([[0.1, -0.2, 0.0], [0.05, 0.3, 0.0]])
    q, phi = convert.axis_ratio_and_angle_from(ell_comps)
    assert q.shape == (3,) and phi.shape == (3,)
    for i in range(3):
        qi, phii = convert.axis_ratio_and_angle_from(
            (float(ell_comps[0, i]), float(ell_comps[1, i]))
        )
        assert q[i] == pytest.approx(qi, rel=1e-15)
        assert phi[i] == pytest.approx(phii, rel=1e-15, abs=1e-15)


# ------------------------------------------------------------------ shear
def test_shear_gamma_1_2_from_hand_derived_values():
    # g = 0.1, phi = 30 deg -> 2 phi = 60 deg: (0.1 * 1/2, 0.1 * sqrt3/2).
    np.testing.assert_allclose(
        convert.shear_gamma_1_2_from(magnitude=0.1, angle=30.0),
        (0.05, 0.05 * math.sqrt(3.0)),
        rtol=1e-14,
    )
    # phi = 45 -> (0, g); phi = 90 -> (-g, 0).
    np.testing.assert_allclose(convert.shear_gamma_1_2_from(0.2, 45.0), (0.0, 0.2), atol=1e-16)
    np.testing.assert_allclose(convert.shear_gamma_1_2_from(0.2, 90.0), (-0.2, 0.0), atol=1e-16)


@pytest.mark.parametrize(
    ("gamma_1", "gamma_2", "magnitude", "angle"),
    [
        (0.0, 0.0, 0.0, 0.0),  # no shear: magnitude 0, angle 0
        (0.05, 0.0, 0.05, 0.0),
        (0.0, 0.05, 0.05, 45.0),
        (-0.05, 0.0, 0.05, 90.0),  # atan2(+0, -g) = 180 -> 90
        (0.0, -0.05, 0.05, 135.0),  # atan2(-g, 0) = -90 -> -45 -> +180 = 135 (kept: upper edge)
        # (3, -4)/100: g = 0.05; 2 phi = atan2(-4, 3) = -53.13 -> phi = -26.57 -> +180 = 153.43
        # -> above 135 -> -180 = -26.57.
        (0.03, -0.04, 0.05, 0.5 * math.degrees(math.atan2(-0.04, 0.03))),
    ],
)
def test_shear_magnitude_and_angle_hand_derived_values(gamma_1, gamma_2, magnitude, angle):
    g, phi = convert.shear_magnitude_and_angle_from(gamma_1=gamma_1, gamma_2=gamma_2)
    np.testing.assert_allclose([g, phi], [magnitude, angle], rtol=1e-13, atol=1e-13)
    assert convert.shear_magnitude_from(gamma_1, gamma_2) == g
    assert convert.shear_angle_from(gamma_1, gamma_2) == phi


def test_shear_round_trip_and_branch():
    rng = np.random.default_rng(2)
    magnitude = rng.uniform(0.001, 0.3, 200)
    angle = rng.uniform(-44.9, 135.0, 200)
    gamma_1, gamma_2 = convert.shear_gamma_1_2_from(magnitude, angle)
    g, phi = convert.shear_magnitude_and_angle_from(gamma_1, gamma_2)
    np.testing.assert_allclose(g, magnitude, rtol=1e-13)
    np.testing.assert_allclose(phi, angle, atol=1e-10)
    # Angles outside the branch come back shifted by the 180-degree period.
    gamma = convert.shear_gamma_1_2_from(0.1, 140.0)
    np.testing.assert_allclose(convert.shear_angle_from(*gamma), -40.0, atol=1e-10)
    gamma = convert.shear_gamma_1_2_from(0.1, -50.0)
    np.testing.assert_allclose(convert.shear_angle_from(*gamma), 130.0, atol=1e-10)


# ------------------------------------------------------------------ multipoles
def test_multipole_comps_from_hand_derived_values():
    # k = 0.1, phi = 10 deg, m = 4 -> m phi = 40 deg.
    np.testing.assert_allclose(
        convert.multipole_comps_from(k_m=0.1, phi_m=10.0, m=4),
        (0.1 * math.sin(math.radians(40.0)), 0.1 * math.cos(math.radians(40.0))),
        rtol=1e-14,
    )
    # m = 3, phi = 30 -> m phi = 90 deg -> (k, 0).
    np.testing.assert_allclose(convert.multipole_comps_from(0.2, 30.0, 3), (0.2, 0.0), atol=1e-16)


@pytest.mark.parametrize("m", [1, 2, 3, 4, 6])
def test_multipole_round_trip_and_branch(m):
    rng = np.random.default_rng(m)
    k_m = rng.uniform(0.001, 0.2, 100)
    phi_m = rng.uniform(-90.0 / m, 270.0 / m, 100)
    comps = convert.multipole_comps_from(k_m, phi_m, m)
    k_back, phi_back = convert.multipole_k_m_and_phi_m_from(comps, m)
    np.testing.assert_allclose(k_back, k_m, rtol=1e-13)
    np.testing.assert_allclose(phi_back, phi_m, atol=1e-10)
    # Period 360/m: an angle past the branch comes back shifted by one period.
    comps = convert.multipole_comps_from(0.1, 275.0 / m, m)
    np.testing.assert_allclose(
        convert.multipole_k_m_and_phi_m_from(comps, m)[1], (275.0 - 360.0) / m, atol=1e-10
    )


@pytest.mark.parametrize(
    ("comps", "m", "k_m", "phi_m"),
    [
        ((0.0, 0.0), 4, 0.0, 0.0),  # origin: (0, 0)
        ((0.0, 0.1), 4, 0.1, 0.0),
        ((0.1, 0.0), 4, 0.1, 90.0 / 4),  # atan2(k, 0) = 90 deg
        ((0.0, -0.1), 4, 0.1, 180.0 / 4),  # atan2(+0, -k) = 180 deg
        ((-0.1, 0.0), 4, 0.1, -90.0 / 4),  # atan2(-k, 0) = -90 deg: lower edge kept
        # (-0.06, -0.08): k = 0.1; atan2 = -126.87 deg -> /3 = -42.29 < -30 -> +120 = 77.71.
        ((-0.06, -0.08), 3, 0.1, math.degrees(math.atan2(-0.06, -0.08)) / 3 + 120.0),
    ],
)
def test_multipole_k_m_and_phi_m_hand_derived_values(comps, m, k_m, phi_m):
    k, phi = convert.multipole_k_m_and_phi_m_from(comps, m)
    np.testing.assert_allclose([k, phi], [k_m, phi_m], rtol=1e-13, atol=1e-13)


def test_conversions_are_finite_at_the_origin():
    # The singular point of every polar conversion returns finite values with no warning
    # (pytest turns RuntimeWarnings such as divide-by-zero into errors).
    values = [
        *convert.axis_ratio_and_angle_from((0.0, 0.0)),
        *convert.shear_magnitude_and_angle_from(0.0, 0.0),
        *convert.multipole_k_m_and_phi_m_from((0.0, 0.0), 4),
    ]
    assert np.all(np.isfinite(values))

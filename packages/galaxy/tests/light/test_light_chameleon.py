"""Chameleon light profile (Dutton et al. 2011; Suyu et al. 2014, eq. 2)."""

from __future__ import annotations

import numpy as np
import pytest

import xpgalaxy.profiles.light as lp
from xpgalaxy import convert


def test_matches_difference_of_cored_isothermals_in_elliptical_radius():
    ell_comps = (-0.1, 0.3)
    profile = lp.Chameleon(
        centre=(0.1, 0.1), ell_comps=ell_comps, intensity=2.0, core_radius_0=0.05, core_radius_1=0.3
    )
    q, phi_deg = convert.axis_ratio_and_angle_from(ell_comps)
    phi = np.deg2rad(phi_deg)
    points = np.random.default_rng(3).uniform(-1.0, 1.0, size=(30, 2))
    y, x = points[:, 0] - 0.1, points[:, 1] - 0.1
    x_p = x * np.cos(phi) + y * np.sin(phi)
    y_p = -x * np.sin(phi) + y * np.cos(phi)
    r2 = x_p**2 + (y_p / q) ** 2  # elliptical radius, not eccentric
    s0, s1 = 2 * 0.05 / (1 + q), 2 * 0.3 / (1 + q)
    expected = 2.0 / (1 + q) * (1 / np.sqrt(r2 + s0**2) - 1 / np.sqrt(r2 + s1**2))
    np.testing.assert_allclose(profile.image_2d_from(points), expected, rtol=1e-12)


def test_central_value_and_axis_ratio_cap():
    # At R = 0: I_0 / (1 + q) * (1 + q) / 2 * (1/w_0 - 1/w_1), independent of q.
    for profile in [
        lp.Chameleon(ell_comps=(0.2, 0.0), intensity=3.0, core_radius_0=0.1, core_radius_1=0.5),
        lp.ChameleonSph(intensity=3.0, core_radius_0=0.1, core_radius_1=0.5),
    ]:
        value = profile.image_2d_from(np.array([[0.0, 0.0]]))
        np.testing.assert_allclose(value, 1.5 * (1 / 0.1 - 1 / 0.5), rtol=1e-13)
    # PyAutoGalaxy caps q at 0.99999 (the paired isothermal deflections need q < 1).
    assert lp.ChameleonSph().axis_ratio() == 0.99999
    assert lp.Chameleon(ell_comps=(0.0, 1e-7)).axis_ratio() == 0.99999


def test_flux_inside_an_ellipse_by_summing_pixels():
    # Inside elliptical radius R (area pi q R^2):
    # 2 pi q I_0/(1+q) [sqrt(R^2+s0^2) - s0 - sqrt(R^2+s1^2) + s1], s_i = 2 w_i/(1+q).
    profile = lp.Chameleon(
        ell_comps=(0.0, 0.3), intensity=1.0, core_radius_0=0.05, core_radius_1=0.2
    )
    q = profile.axis_ratio()
    s0, s1 = 2 * 0.05 / (1 + q), 2 * 0.2 / (1 + q)
    r_max = 0.8
    expected = (
        2 * np.pi * q / (1 + q) * (np.sqrt(r_max**2 + s0**2) - s0 - np.sqrt(r_max**2 + s1**2) + s1)
    )
    pixel = 0.002
    coords = (np.arange(900) - 449.5) * pixel
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    points = np.stack([yy.ravel(), xx.ravel()], axis=-1)
    inside = points[:, 1] ** 2 + (points[:, 0] / q) ** 2 < r_max**2  # angle 0: x' = x
    flux = np.sum(profile.image_2d_from(points[inside])) * pixel**2
    assert flux == pytest.approx(expected, rel=2e-3)
    # The closed-form total is the R -> infinity limit, 2 pi q I_0 (s1 - s0) / (1 + q).
    assert profile.total_luminosity() == pytest.approx(
        2 * np.pi * q / (1 + q) * (s1 - s0), rel=1e-14
    )

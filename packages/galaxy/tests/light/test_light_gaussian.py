"""Gaussian light profile: normalisation and PyAutoGalaxy's sigma convention."""

from __future__ import annotations

import numpy as np
import pytest

import xpgalaxy.profiles.light as lp


def _axis_point(profile, distance, axis):
    phi = np.deg2rad(profile.angle()) + (0.0 if axis == "major" else np.pi / 2.0)
    return np.array(
        [[profile.centre[0] + distance * np.sin(phi), profile.centre[1] + distance * np.cos(phi)]]
    )


def test_peak_and_sigma_along_minor_and_major_axes():
    # I = I_0 exp(-(q^2 x'^2 + y'^2) / (2 sigma^2)): one sigma is sigma on the minor axis
    # and sigma / q on the major axis, where the value is I_0 exp(-1/2).
    profile = lp.Gaussian(centre=(0.3, 0.2), ell_comps=(0.2, 0.1), intensity=4.0, sigma=0.35)
    q = profile.axis_ratio()
    assert q < 0.7
    np.testing.assert_allclose(profile.image_2d_from(np.array([[0.3, 0.2]])), 4.0, rtol=1e-15)
    for distance, axis in [(0.35, "minor"), (0.35 / q, "major")]:
        np.testing.assert_allclose(
            profile.image_2d_from(_axis_point(profile, distance, axis)),
            4.0 * np.exp(-0.5),
            rtol=1e-12,
        )


@pytest.mark.parametrize("ell_comps", [(0.0, 0.0), (0.15, -0.25)])
def test_total_flux_is_two_pi_sigma_squared_over_q(ell_comps):
    # The bivariate normal integral: int exp(-(x^2/sx^2 + y^2/sy^2)/2) = 2 pi sx sy with
    # sy = sigma, sx = sigma / q. Checked by summing a fine pixel grid.
    profile = lp.Gaussian(centre=(0.05, -0.02), ell_comps=ell_comps, intensity=1.3, sigma=0.2)
    q = profile.axis_ratio()
    pixel = 0.01
    coords = (np.arange(600) - 299.5) * pixel
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    flux = np.sum(profile.image_2d_from(np.stack([yy.ravel(), xx.ravel()], axis=-1))) * pixel**2
    expected = 2.0 * np.pi * 1.3 * 0.2**2 / q
    assert flux == pytest.approx(expected, rel=1e-8)
    assert profile.total_luminosity() == pytest.approx(expected, rel=1e-14)


def test_gaussian_sph_is_circular():
    profile = lp.GaussianSph(intensity=2.0, sigma=0.5)
    theta = np.linspace(0.0, 2.0 * np.pi, 7)
    points = 0.4 * np.stack([np.sin(theta), np.cos(theta)], axis=-1)
    np.testing.assert_allclose(profile.image_2d_from(points), 2.0 * np.exp(-0.5 * 0.64), rtol=1e-14)

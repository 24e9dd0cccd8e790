"""Moffat light profile against Moffat (1969) / Trujillo et al. (2001, MNRAS 328, 977)."""

from __future__ import annotations

import numpy as np
import pytest

import xpgalaxy.profiles.light as lp
from xpgalaxy import convert


def test_matches_trujillo_2001_eq1_in_the_profile_frame():
    # I = I_0 [1 + r^2 / alpha^2]^-beta (Trujillo et al. 2001, eq. 1, unnormalised) with
    # PyAutoGalaxy's r^2 = q^2 x'^2 + y'^2 (alpha along the minor axis).
    ell_comps = (0.2, -0.15)
    profile = lp.Moffat(
        centre=(-0.1, 0.3), ell_comps=ell_comps, intensity=2.2, alpha=0.45, beta=3.1
    )
    q, phi_deg = convert.axis_ratio_and_angle_from(ell_comps)
    phi = np.deg2rad(phi_deg)
    points = np.random.default_rng(7).uniform(-1.5, 1.5, size=(40, 2))
    y, x = points[:, 0] + 0.1, points[:, 1] - 0.3
    x_p = x * np.cos(phi) + y * np.sin(phi)
    y_p = -x * np.sin(phi) + y * np.cos(phi)
    expected = 2.2 * (1.0 + (q**2 * x_p**2 + y_p**2) / 0.45**2) ** -3.1
    np.testing.assert_allclose(profile.image_2d_from(points), expected, rtol=1e-12)


@pytest.mark.parametrize("beta", [1.5, 2.5, 4.765])
def test_half_maximum_at_half_fwhm(beta):
    # FWHM = 2 alpha sqrt(2^(1/beta) - 1) (Moffat 1969; Trujillo et al. 2001).
    profile = lp.MoffatSph(intensity=3.0, alpha=0.7, beta=beta)
    half_width = 0.7 * np.sqrt(2.0 ** (1.0 / beta) - 1.0)
    np.testing.assert_allclose(
        profile.image_2d_from(np.array([[0.0, half_width]])), 1.5, rtol=1e-13
    )


def test_total_flux_matches_normalisation():
    # The normalised Moffat (beta - 1) / (pi alpha^2) [1 + r^2/alpha^2]^-beta integrates to
    # 1 (Trujillo et al. 2001, eq. 1), so the total is pi I_0 alpha^2 / ((beta - 1) q).
    profile = lp.Moffat(ell_comps=(0.1, 0.1), intensity=1.0, alpha=0.1, beta=4.0)
    q = profile.axis_ratio()
    pixel = 0.005
    coords = (np.arange(800) - 399.5) * pixel
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    flux = np.sum(profile.image_2d_from(np.stack([yy.ravel(), xx.ravel()], axis=-1))) * pixel**2
    expected = np.pi * 0.1**2 / (3.0 * q)
    # The r^-8 tail outside the 2" box holds ~1e-9 of the flux.
    assert flux == pytest.approx(expected, rel=1e-5)
    assert profile.total_luminosity() == pytest.approx(expected, rel=1e-14)
    assert np.isinf(lp.MoffatSph(beta=1.0).total_luminosity())

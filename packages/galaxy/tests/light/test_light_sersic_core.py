"""Cored Sersic (Graham et al. 2003, AJ 125, 2951, eq. 5) on the NumPy path."""

from __future__ import annotations

import types

import numpy as np
import pytest

import xparray as aa
import xpgalaxy.profiles.light as lp
from xpgalaxy.profiles.light.sersic import sersic_constant_from
from xpgalaxy.profiles.light.sersic_core import SERSIC_CORE_RADIUS_MINIMUM

PARAMS = {
    "centre": (0.2, -0.1),
    "ell_comps": (0.1, 0.2),
    "effective_radius": 0.9,
    "sersic_index": 2.5,
    "radius_break": 0.08,
    "intensity": 1.7,
    "gamma": 0.6,
    "alpha": 3.5,
}


def _graham_2003(r, intensity, r_e, n, r_b, gamma, alpha):
    """Eq. 5 of Graham et al. (2003) written out directly with I' from their eq. 6 form."""
    b = sersic_constant_from(n)
    i_prime = (
        intensity
        * 2.0 ** (-gamma / alpha)
        * np.exp(b * (2.0 ** (1.0 / alpha) * r_b / r_e) ** (1.0 / n))
    )
    return (
        i_prime
        * (1.0 + (r_b / r) ** alpha) ** (gamma / alpha)
        * np.exp(-b * ((r**alpha + r_b**alpha) / r_e**alpha) ** (1.0 / (alpha * n)))
    )


def test_matches_direct_formula_and_intensity_prime():
    profile = lp.SersicCoreSph(**{k: v for k, v in PARAMS.items() if k != "ell_comps"})
    radii = np.array([1e-4, 0.01, 0.08, 0.5, 3.0])
    expected = _graham_2003(radii, 1.7, 0.9, 2.5, 0.08, 0.6, 3.5)
    np.testing.assert_allclose(profile.image_2d_via_radii_from(radii), expected, rtol=1e-12)
    b = sersic_constant_from(2.5)
    expected_prime = (
        1.7 * 2.0 ** (-0.6 / 3.5) * np.exp(b * (2.0 ** (1 / 3.5) * 0.08 / 0.9) ** (1 / 2.5))
    )
    assert profile.intensity_prime() == pytest.approx(expected_prime, rel=1e-14)


def test_intensity_is_the_brightness_at_the_break_radius():
    profile = lp.SersicCore(**PARAMS)
    q, phi = profile.axis_ratio(), np.deg2rad(profile.angle())
    d = PARAMS["radius_break"] / np.sqrt(q)  # eccentric radius R_b on the major axis
    point = np.array([[0.2 + d * np.sin(phi), -0.1 + d * np.cos(phi)]])
    np.testing.assert_allclose(profile.image_2d_from(point), 1.7, rtol=1e-12)


def test_inner_logarithmic_slope_is_minus_gamma():
    profile = lp.SersicCoreSph(radius_break=0.1, gamma=0.6, alpha=3.0, sersic_index=2.0)
    r = np.array([1e-5, 1.0001e-5])
    image = profile.image_2d_via_radii_from(r)
    slope = np.diff(np.log(image)) / np.diff(np.log(r))
    assert slope[0] == pytest.approx(-0.6, abs=1e-3)


def test_outer_profile_is_sersic_shaped():
    # For R >> R_b the core terms vanish: I -> I' exp(-b (R / R_e)^(1/n)).
    profile = lp.SersicCoreSph(
        effective_radius=0.9, sersic_index=2.5, radius_break=0.01, gamma=0.3, alpha=4.0
    )
    r = np.array([0.5, 1.0, 3.0])
    b = sersic_constant_from(2.5)
    outer = profile.intensity_prime() * np.exp(-b * (r / 0.9) ** (1.0 / 2.5))
    np.testing.assert_allclose(profile.image_2d_via_radii_from(r), outer, rtol=1e-6)


def test_centre_is_evaluated_at_the_radius_floor():
    profile = lp.SersicCoreSph(centre=(0.0, 0.0), gamma=0.25)
    at_zero = profile.image_2d_from(np.array([[0.0, 0.0]]))
    at_floor = profile.image_2d_via_radii_from(np.array([SERSIC_CORE_RADIUS_MINIMUM]))
    assert np.isfinite(at_zero[0])
    np.testing.assert_allclose(at_zero, at_floor, rtol=1e-14)
    np.testing.assert_allclose(
        at_floor,
        _graham_2003(SERSIC_CORE_RADIUS_MINIMUM, 0.05, 0.6, 4.0, 0.01, 0.25, 3.0),
        rtol=1e-10,
    )


def test_large_alpha_does_not_overflow():
    # (R_b / R)^alpha would overflow at alpha = 200; the log form does not.
    profile = lp.SersicCoreSph(radius_break=0.05, alpha=200.0, gamma=0.5)
    image = profile.image_2d_via_radii_from(np.array([1e-6, 0.01, 0.02, 1.0]))
    assert np.all(np.isfinite(image)) and np.all(image > 0.0)
    # alpha -> infinity: a sharp break; inside R_b the profile is a pure R^-gamma law.
    assert image[1] == pytest.approx(image[2] * (0.01 / 0.02) ** -0.5, rel=1e-12)


def test_total_luminosity_by_quadrature_and_numpy_only():
    profile = lp.SersicCoreSph(radius_break=0.05, gamma=0.3, sersic_index=1.0, effective_radius=0.5)
    pixel = 0.01
    coords = (np.arange(800) - 399.5) * pixel
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    image = profile.image_2d_from(np.stack([yy.ravel(), xx.ravel()], axis=-1))
    assert profile.total_luminosity() == pytest.approx(np.sum(image) * pixel**2, rel=1e-3)
    with pytest.raises(aa.BackendError):
        profile.total_luminosity(xp=types.SimpleNamespace())


def test_pyautogalaxy_defaults():
    assert lp.SersicCore().radius_break == 0.025
    assert lp.SersicCoreSph().radius_break == 0.01
    core = lp.SersicCore()
    assert (core.intensity, core.gamma, core.alpha, core.sersic_index) == (0.05, 0.25, 3.0, 4.0)

"""Sersic, Exponential and DevVaucouleurs against the literature (NumPy path)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, special

import xpgalaxy.profiles.light as lp
from xpgalaxy import convert
from xpgalaxy.profiles.light.sersic import (
    sersic_constant_from,
    sersic_image_from,
    sersic_total_luminosity_from,
)


def _point_on_axis(profile, distance, axis="major"):
    """(y, x) at ``distance`` arcsec from the centre along the major or minor axis."""
    phi = np.deg2rad(profile.angle()) + (0.0 if axis == "major" else np.pi / 2.0)
    return np.array(
        [[profile.centre[0] + distance * np.sin(phi), profile.centre[1] + distance * np.cos(phi)]]
    )


# Ciotti & Bertin (1999) eq. 18 is an asymptotic expansion in 1/n: its relative error
# shrinks fast with n (measured here: 2e-4 at n = 0.6, 2.5e-5 at 1, 7e-8 at 4).
B_N_RTOL = [(0.6, 3e-4), (1.0, 3e-5), (2.0, 2e-6), (4.0, 1e-7), (8.0, 1e-8)]


@pytest.mark.parametrize(("n", "rtol"), B_N_RTOL)
def test_sersic_constant_halves_the_light(n, rtol):
    # Exact definition (Graham & Driver 2005, eq. 2): gamma(2n, b) = Gamma(2n) / 2, i.e. the
    # regularised lower incomplete gamma P(2n, b) = 1/2.
    exact = special.gammaincinv(2.0 * n, 0.5)
    assert sersic_constant_from(n) == pytest.approx(exact, rel=rtol)
    assert lp.Sersic(sersic_index=n).sersic_constant == sersic_constant_from(n)


@pytest.mark.parametrize("ell_comps", [(0.0, 0.0), (0.2, -0.1), (-0.3, 0.25)])
def test_image_at_effective_radius_equals_intensity_on_both_axes(ell_comps):
    # Eccentric radius sqrt(q x'^2 + y'^2/q) = R_e at x' = R_e/sqrt(q) and at y' = R_e sqrt(q).
    profile = lp.Sersic(
        centre=(0.3, -0.4),
        ell_comps=ell_comps,
        intensity=3.7,
        effective_radius=1.2,
        sersic_index=2.7,
    )
    q = profile.axis_ratio()
    r_e = profile.effective_radius
    assert profile.elliptical_effective_radius() == pytest.approx(r_e / np.sqrt(q), rel=1e-14)
    major = profile.image_2d_from(_point_on_axis(profile, r_e / np.sqrt(q), "major"))
    minor = profile.image_2d_from(_point_on_axis(profile, r_e * np.sqrt(q), "minor"))
    np.testing.assert_allclose(major, 3.7, rtol=1e-12)
    np.testing.assert_allclose(minor, 3.7, rtol=1e-12)


def test_central_value_is_intensity_times_exp_b():
    # I(0) = I_e exp(b_n) (Graham & Driver 2005, eq. 1 at R = 0).
    profile = lp.Sersic(ell_comps=(0.1, 0.2), intensity=0.5, effective_radius=0.7, sersic_index=3.0)
    value = profile.image_2d_from(np.array([[0.0, 0.0]]))
    np.testing.assert_allclose(value, 0.5 * np.exp(sersic_constant_from(3.0)), rtol=1e-14)


def test_image_matches_sersic_formula_in_the_profile_frame():
    # Independent evaluation: rotate by hand with the convert module's (q, phi).
    ell_comps = (-0.2, 0.15)
    profile = lp.Sersic(
        centre=(0.2, 0.1),
        ell_comps=ell_comps,
        intensity=1.3,
        effective_radius=0.9,
        sersic_index=1.7,
    )
    q, phi_deg = convert.axis_ratio_and_angle_from(ell_comps)
    phi = np.deg2rad(phi_deg)
    rng = np.random.default_rng(1)
    points = rng.uniform(-2.0, 2.0, size=(50, 2))
    y, x = points[:, 0] - 0.2, points[:, 1] - 0.1
    x_p = x * np.cos(phi) + y * np.sin(phi)
    y_p = -x * np.sin(phi) + y * np.cos(phi)
    radius = np.sqrt(q * x_p**2 + y_p**2 / q)
    b = sersic_constant_from(1.7)
    expected = 1.3 * np.exp(-b * ((radius / 0.9) ** (1.0 / 1.7) - 1.0))
    np.testing.assert_allclose(profile.image_2d_from(points), expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("n", "half_tol"), [(0.8, 1e-4), (1.0, 3e-5), (2.5, 3e-6), (4.0, 1e-6), (6.0, 1e-6)]
)
def test_total_luminosity_closed_form_and_half_light_radius(n, half_tol):
    # Graham & Driver (2005), eq. 4: L = 2 pi n R_e^2 I_e e^b Gamma(2n) / b^(2n) for a
    # circular profile; an eccentric-radius isophote R encloses area pi R^2 whatever q is
    # (semi-axes R/sqrt(q), R sqrt(q)), so no q appears. Checked against direct
    # quadrature of int 2 pi R I(R) dR (scipy.integrate.quad, independent of the class).
    intensity, r_e = 2.0, 0.8
    b = sersic_constant_from(n)
    closed = 2.0 * np.pi * n * r_e**2 * intensity * np.exp(b) * special.gamma(2 * n) / b ** (2 * n)

    def integrand(r):
        return 2.0 * np.pi * r * sersic_image_from(np.array(r), intensity, r_e, n)

    total = (
        integrate.quad(integrand, 0.0, r_e, limit=200)[0]
        + integrate.quad(integrand, r_e, np.inf, limit=200)[0]
    )
    assert closed == pytest.approx(total, rel=1e-8)
    assert sersic_total_luminosity_from(intensity, r_e, n) == pytest.approx(closed, rel=1e-12)
    profile = lp.Sersic(
        ell_comps=(0.3, 0.1), intensity=intensity, effective_radius=r_e, sersic_index=n
    )
    assert profile.total_luminosity() == pytest.approx(closed, rel=1e-12)
    # Half the light inside R_e, to the accuracy of the b_n expansion.
    assert profile.luminosity_within_circle_from(r_e) / closed == pytest.approx(0.5, abs=half_tol)


def test_total_luminosity_of_flattened_profile_by_summing_pixels():
    # A 2D pixel sum over the image plane: checks that q does not enter the total flux
    # (eccentric radius convention). Exponential (n = 1) so a finite box holds the flux.
    profile = lp.Exponential(ell_comps=(0.25, 0.3), intensity=1.5, effective_radius=0.5)
    assert profile.axis_ratio() < 0.5
    pixel = 0.02
    coords = (np.arange(800) - 399.5) * pixel
    yy, xx = np.meshgrid(coords, coords, indexing="ij")
    image = profile.image_2d_from(np.stack([yy.ravel(), xx.ravel()], axis=-1))
    assert np.sum(image) * pixel**2 == pytest.approx(profile.total_luminosity(), rel=2e-4)


def test_exponential_and_dev_vaucouleurs_are_sersic_with_fixed_index():
    points = np.array([[0.0, 0.0], [0.3, -0.2], [1.5, 2.0]])
    common = {
        "centre": (0.1, 0.0),
        "ell_comps": (0.1, -0.2),
        "intensity": 1.1,
        "effective_radius": 0.6,
    }
    for cls, n in [(lp.Exponential, 1.0), (lp.DevVaucouleurs, 4.0)]:
        np.testing.assert_allclose(
            cls(**common).image_2d_from(points),
            lp.Sersic(**common, sersic_index=n).image_2d_from(points),
            rtol=1e-15,
        )
    assert lp.ExponentialSph().sersic_index == 1.0
    assert lp.DevVaucouleursSph().sersic_index == 4.0


def test_pyautogalaxy_defaults_and_half_light_radius():
    profile = lp.Sersic()
    assert (profile.centre, profile.ell_comps) == ((0.0, 0.0), (0.0, 0.0))
    assert (profile.intensity, profile.effective_radius, profile.sersic_index) == (0.1, 0.6, 4.0)
    assert profile.half_light_radius == 0.6
    assert lp.Gaussian().half_light_radius is None

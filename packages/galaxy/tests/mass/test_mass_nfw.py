"""NFW / NFWSph against the literature, independent quadrature and PyAutoGalaxy.

References:
* Wright & Brainerd 2000 (ApJ 534, 34; "WB00"): eq. 11 (surface density, three branches
  written with arctanh / arctan of sqrt((1 - x) / (1 + x))) and eq. 13 (mean surface
  density inside x); the shear is their mean minus local, gamma = kappa_bar - kappa.
* Keeton 2001 (astro-ph/0102341) eqs. 7-9, evaluated here with ``scipy.integrate.quad``
  (epsrel 1e-12) on the WB00 convergence: an independent check of the fixed tanh-sinh rule.
* PyAutoGalaxy 2026.10.26.1 (autogalaxy on PyPI), numbers hard-coded below: NFWSph closed
  forms; NFW deflections from Heyrovsky & Karamazov 2024's closed form (independent of
  Keeton's integrals); NFW potential from its MGE approximation (agrees to ~5e-5).
"""

import numpy as np
import pytest
from scipy.integrate import quad

from xpgalaxy.profiles.mass.nfw import NFW, NFWSph, nfw_g_from, nfw_h_from, nfw_psi_hat_from

KAPPA_S = 0.2


def wb_kappa(x, kappa_s=KAPPA_S):
    """WB00 eq. 11 divided by Sigma_cr (kappa_s = delta_c rho_c r_s / Sigma_cr).

    Evaluated in long double: the bracket cancels (to ~(1 - x^2) / 3) near x = 1.
    """
    x = np.longdouble(x)
    if x < 1.0:
        root = np.sqrt(1.0 - x * x)
        bracket = 1.0 - 2.0 / root * np.arctanh(np.sqrt((1.0 - x) / (1.0 + x)))
        return float(2.0 * kappa_s / (x * x - 1.0) * bracket)
    if x == 1.0:
        return 2.0 * kappa_s / 3.0
    root = np.sqrt(x * x - 1.0)
    bracket = 1.0 - 2.0 / root * np.arctan(np.sqrt((x - 1.0) / (1.0 + x)))
    return float(2.0 * kappa_s / (x * x - 1.0) * bracket)


def wb_mean_kappa(x, kappa_s=KAPPA_S):
    """WB00 eq. 13 divided by Sigma_cr: mean convergence inside x (long double)."""
    x = np.longdouble(x)
    if x < 1.0:
        root = np.sqrt(1.0 - x * x)
        term = 2.0 / root * np.arctanh(np.sqrt((1.0 - x) / (1.0 + x)))
    elif x == 1.0:
        term = 1.0
    else:
        root = np.sqrt(x * x - 1.0)
        term = 2.0 / root * np.arctan(np.sqrt((x - 1.0) / (1.0 + x)))
    return float(4.0 * kappa_s / (x * x) * (term + np.log(x / 2.0)))


RADII_OVER_RS = [1e-4, 0.01, 0.3, 0.97, 0.999, 1.0, 1.001, 1.03, 2.5, 40.0]
SCALE_RADIUS = 1.7
DIRECTION = np.array([0.6, 0.8])  # unit vector (y, x)


def _sph_grid():
    return np.array([DIRECTION * r * SCALE_RADIUS for r in RADII_OVER_RS])


def _x_of_grid(grid):
    """x = r / r_s; the grid point built from x = 1 is 1 to rounding: use WB00's x = 1 case."""
    x = np.hypot(grid[:, 0], grid[:, 1]) / SCALE_RADIUS
    x[np.isclose(x, 1.0, rtol=1e-14, atol=0.0)] = 1.0
    return x


def test_sph_convergence_matches_wright_brainerd_eq_11():
    grid = _sph_grid()
    profile = NFWSph(centre=(0.0, 0.0), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    x = _x_of_grid(grid)
    expected = [wb_kappa(v) for v in x]
    np.testing.assert_allclose(profile.convergence_2d_from(grid), expected, rtol=1e-12)


def test_sph_deflections_are_radius_times_wright_brainerd_mean_convergence():
    # Circular lens: alpha(r) = r kappa_bar(r), directed along (y, x) / r.
    # x >= 0.01 only: WB00's bracket cancels as x^2 ln x (small x: test_small_x_forms_...).
    grid = _sph_grid()[1:]
    profile = NFWSph(centre=(0.0, 0.0), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    x = _x_of_grid(grid)
    magnitude = np.array([wb_mean_kappa(v) for v in x]) * x * SCALE_RADIUS
    expected = magnitude[:, None] * DIRECTION[None, :]
    np.testing.assert_allclose(profile.deflections_yx_2d_from(grid), expected, rtol=1e-11)


def test_sph_shear_is_mean_minus_local_convergence_and_tangential():
    grid = _sph_grid()[1:]
    profile = NFWSph(centre=(0.0, 0.0), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    x = _x_of_grid(grid)
    gamma = np.array([wb_mean_kappa(v) - wb_kappa(v) for v in x])
    phi = np.arctan2(DIRECTION[0], DIRECTION[1])
    expected = np.stack([-gamma * np.sin(2 * phi), -gamma * np.cos(2 * phi)], axis=-1)
    np.testing.assert_allclose(profile.shear_yx_2d_from(grid), expected, rtol=1e-10)


def test_sph_shear_matches_finite_difference_hessian_of_deflections():
    profile = NFWSph(centre=(0.2, -0.1), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    points = np.array([[0.7, 1.1], [-2.0, 0.4], [0.05, -0.3], [3.0, -4.0]])
    h = 1e-5
    dy = profile.deflections_yx_2d_from(points + [h, 0])
    dy -= profile.deflections_yx_2d_from(points - [h, 0])
    dx = profile.deflections_yx_2d_from(points + [0, h])
    dx -= profile.deflections_yx_2d_from(points - [0, h])
    psi_yy, psi_xy = dy[:, 0] / (2 * h), dy[:, 1] / (2 * h)
    psi_xx = dx[:, 1] / (2 * h)
    shear = profile.shear_yx_2d_from(points)
    np.testing.assert_allclose(shear[:, 1], 0.5 * (psi_xx - psi_yy), rtol=1e-7)
    np.testing.assert_allclose(shear[:, 0], psi_xy, rtol=1e-7)


def test_sph_potential_closed_form_and_zero_at_centre():
    # psi = 2 kappa_s r_s^2 (ln^2(x/2) - arctanh^2(sqrt(1 - x^2))), continued to x > 1 with
    # complex arithmetic (as PyAutoGalaxy does); psi -> 0 at the centre.
    grid = _sph_grid()
    profile = NFWSph(centre=(0.0, 0.0), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    x = _x_of_grid(grid)
    closed = np.real(np.log(x / 2) ** 2 - np.arctanh(np.sqrt(1 - x**2 + 0j)) ** 2)
    expected = 2 * KAPPA_S * SCALE_RADIUS**2 * closed
    # The textbook form cancels catastrophically at small x (ln^2 ~ 100 for a result ~1e-7).
    ok = x > 0.01
    np.testing.assert_allclose(profile.potential_2d_from(grid)[ok], expected[ok], rtol=1e-11)
    centre = profile.potential_2d_from(np.array([[0.0, 0.0]]))
    assert np.isfinite(centre[0]) and abs(centre[0]) < 1e-15


def test_small_x_forms_have_no_cancellation():
    # Leading terms of the series at X -> 0 (from arccosh(1/X) = ln(2/X) - X^2/4 + O(X^4)):
    # g = ln(2/X) - 1 + O(X^2 ln X), h = psi_hat = X^2 ln(2/X) / 2 - X^2 / 4 (psi_hat: + X^2/4).
    x = np.array([1e-6, 1e-7, 1e-9])
    x2 = x * x
    ln = np.log(2.0 / x)
    np.testing.assert_allclose(nfw_g_from(x2), ln - 1.0, rtol=1e-10)
    np.testing.assert_allclose(nfw_h_from(x2), x2 / 2 * (ln - 0.5), rtol=1e-10)
    np.testing.assert_allclose(nfw_psi_hat_from(x2), x2 / 2 * ln, rtol=1e-10)


@pytest.mark.parametrize("offset", [0.0, 1e-13, -1e-13, 1e-9, -1e-9, 0.0199, -0.0199, 0.0201])
def test_closed_forms_are_continuous_through_x_equals_1(offset):
    # Series in s = 1 - X^2 (|s| <= 0.02) against WB00 (0.02 boundary) and against the
    # Taylor coefficients g = 1/3 + s/5 + s^2/7, h = ln(1/2) + 1 + ... at X -> 1.
    x2 = np.array([1.0 + offset])
    s = -offset
    if abs(offset) > 0.01:
        np.testing.assert_allclose(nfw_g_from(x2), wb_kappa(np.sqrt(x2[0]), 0.5), rtol=1e-12)
        mean = wb_mean_kappa(np.sqrt(x2[0]), 0.25) * x2[0]  # = h(X)
        np.testing.assert_allclose(nfw_h_from(x2), mean, rtol=1e-12)
    else:
        np.testing.assert_allclose(nfw_g_from(x2), 1 / 3 + s / 5 + s * s / 7, rtol=1e-15)
        f = 1 + s / 3 + s * s / 5
        np.testing.assert_allclose(nfw_h_from(x2), 0.5 * np.log(x2) - np.log(2) + f, rtol=1e-14)


# --------------------------------------------------------------------------- elliptical


def keeton_reference(y, x, q, r_s, kappa_s=KAPPA_S):
    """Keeton (2001) eqs. 7-9 by scipy quad on the WB00 convergence and mean convergence."""
    e2 = 1.0 - q * q

    def big_x(u):
        return np.sqrt(u * (x * x + y * y / (1.0 - e2 * u))) / r_s

    def kappa(u):
        return wb_kappa(max(big_x(u), 1e-300), kappa_s)

    u_t = min(r_s**2 / (x * x + y * y), 1.0)  # where xi(u) ~ r_s
    points = [u_t * 1e-4, u_t * 1e-2, u_t]

    def integral(f):
        return quad(f, 0.0, 1.0, points=points, epsabs=0.0, epsrel=1e-12, limit=400)[0]

    def enclosed(big):
        """xi^2 kappa_bar(xi) / r_s^2: WB00 eq. 13, or its series below X = 1e-3 where the
        bracket cancels: X^2 kappa_bar / (4 kappa_s) = X^2/2 (ln(2/X) - 1/2)
        + X^4 (3/8 ln(2/X) - 7/32) + O(X^6 ln X), from arccosh(1/X) = ln(2/X) - X^2/4
        - 3 X^4/32 and (1 - X^2)^(-1/2) = 1 + X^2/2 + 3 X^4/8."""
        if big > 1e-3:
            return big * big * wb_mean_kappa(big, kappa_s)
        ln = np.log(2.0 / big)
        return 4.0 * kappa_s * big**2 * (0.5 * (ln - 0.5) + big**2 * (0.375 * ln - 7.0 / 32.0))

    alpha_x = q * x * integral(lambda u: kappa(u) / np.sqrt(1.0 - e2 * u))
    alpha_y = q * y * integral(lambda u: kappa(u) / (1.0 - e2 * u) ** 1.5)
    # Keeton eq. 9: (xi / u) alpha_circ(xi) = xi^2 kappa_bar(xi) / u
    psi = 0.5 * q * r_s**2 * integral(lambda u: enclosed(big_x(u)) / u / np.sqrt(1.0 - e2 * u))
    return np.array([alpha_y, alpha_x]), psi


@pytest.mark.parametrize(
    "point, ell_comps, r_s",
    [
        ((0.3, 0.4), (0.0, 0.25), 1.0),  # q = 0.6
        ((-1.2, 2.5), (0.0, 0.5), 0.8),  # q = 1/3: strongly elongated, r / r_s ~ 3.5
        ((12.0, -15.0), (0.0, 0.1), 1.0),  # r / r_s ~ 19
        ((0.002, -0.0015), (0.0, 0.3), 30.0),  # r / r_s ~ 1e-4
    ],
)
def test_elliptical_matches_quad_of_keeton_integrals(point, ell_comps, r_s):
    # ell_comps = (0, e_x > 0): position angle 0, so the profile frame is the image frame.
    profile = NFW(centre=(0.0, 0.0), ell_comps=ell_comps, kappa_s=KAPPA_S, scale_radius=r_s)
    q = float(profile.axis_ratio())
    alpha, psi = keeton_reference(point[0], point[1], q, r_s)
    grid = np.array([point])
    np.testing.assert_allclose(profile.deflections_yx_2d_from(grid)[0], alpha, rtol=1e-10)
    np.testing.assert_allclose(profile.potential_2d_from(grid)[0], psi, rtol=1e-10)


def test_elliptical_tends_to_spherical_as_axis_ratio_tends_to_one():
    points = np.array([[0.0, 0.0], [0.3, 0.4], [1.02, 1.36], [-2.0, 5.0], [1e-3, 0.0]])
    sph = NFWSph(centre=(0.0, 0.0), kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS)
    for ell_comps, rtol, atol in (((0.0, 0.0), 1e-12, 0.0), ((1e-9, -1e-9), 1e-8, 1e-11)):
        ell = NFW(
            centre=(0.0, 0.0), ell_comps=ell_comps, kappa_s=KAPPA_S, scale_radius=SCALE_RADIUS
        )
        for method in ("convergence_2d_from", "deflections_yx_2d_from"):
            np.testing.assert_allclose(
                getattr(ell, method)(points),
                getattr(sph, method)(points),
                rtol=rtol,
                atol=atol,
            )
        # Potentials: the centre value is ~1e-20 for both (0 to the floor on X).
        np.testing.assert_allclose(
            ell.potential_2d_from(points), sph.potential_2d_from(points), rtol=rtol, atol=1e-18
        )


# ------------------------------------------------------------------ PyAutoGalaxy numbers

POINTS = np.array([[0.3, 0.4], [1.0, -2.0], [-1.3, 0.2], [5.0, 7.0]])

# autogalaxy 2026.10.26.1: ag.mp.NFWSph(centre=(0.1, -0.05), kappa_s=0.2, scale_radius=2.0)
AG_SPH = {
    "convergence_2d_from": [
        0.4876439191653727,
        0.12228130982067666,
        0.19599621059619407,
        0.015608145137510151,
    ],
    "potential_2d_from": [
        0.1035971563802832,
        0.841433554192013,
        0.4904325286531277,
        3.7879050702925525,
    ],
    "deflections_yx_2d_from": [
        [0.13335784509424167, 0.3000551514620438],
        [0.2068478936336886, -0.4481704362063255],
        [-0.46098455819192075, 0.08231867110570011],
        [0.23053138002691279, 0.3316829039162725],
    ],
    "shear_yx_2d_from": [
        [-0.13297383560846332, -0.12004582381319463],
        [0.08184268568039235, -0.06977613586853966],
        [0.04612851998943094, 0.12504123811420806],
        [-0.029467535503868336, -0.010958093152889519],
    ],
}

# autogalaxy 2026.10.26.1: ag.mp.NFW(centre=(0.1, -0.05), ell_comps=(0.12, -0.08),
# kappa_s=0.2, scale_radius=2.0). Deflections: Heyrovsky & Karamazov (2024) closed form.
# Potential: PyAutoGalaxy's MGE approximation (hence the looser tolerance).
AG_ELL = {
    "convergence_2d_from": (
        [0.4452706962750013, 0.08420025584419706, 0.1697885172075966, 0.013718495720596434],
        1e-12,
    ),
    "deflections_yx_2d_from": (
        [
            [0.08670940314321839, 0.28497830939587737],
            [0.1905523748073703, -0.4016063358786006],
            [-0.39327558040600274, 0.11600168905100958],
            [0.16858369063179818, 0.2813065047674758],
        ],
        1e-11,
    ),
    "potential_2d_from": (
        [0.09446541800292187, 0.7948899288970817, 0.43619334718576047, 3.14516655346698],
        1e-4,
    ),
}


@pytest.mark.parametrize("method", sorted(AG_SPH))
def test_sph_matches_autogalaxy(method):
    profile = NFWSph(centre=(0.1, -0.05), kappa_s=0.2, scale_radius=2.0)
    np.testing.assert_allclose(getattr(profile, method)(POINTS), AG_SPH[method], rtol=1e-12)


@pytest.mark.parametrize("method", sorted(AG_ELL))
def test_elliptical_matches_autogalaxy(method):
    profile = NFW(centre=(0.1, -0.05), ell_comps=(0.12, -0.08), kappa_s=0.2, scale_radius=2.0)
    expected, rtol = AG_ELL[method]
    np.testing.assert_allclose(getattr(profile, method)(POINTS), expected, rtol=rtol)

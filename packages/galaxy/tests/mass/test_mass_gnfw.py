"""gNFW / gNFWSph against independent quadrature, the NFW closed forms and PyAutoGalaxy.

References:
* Wyithe, Turner & Spergel 2001 (ApJ 555, 504), in the form PyAutoGalaxy integrates:
  ``kappa = 2 kappa_s X^(1-g) [(1 + X)^(g-3) + (3 - g) int_0^1 (y + X)^(g-4)
  (1 - sqrt(1 - y^2)) dy]``, here by ``scipy.integrate.quad`` (a different integral from
  the line-of-sight one the code tabulates).
* The projected mass inside a cylinder of radius X (units r_s) is the 3D mass of the
  halo inside it: ``m(X) = int_0^inf t^2 rho(t) [1 - sqrt(1 - X^2 / t^2)]_+ dt`` with
  ``rho(t) = t^-g (1 + t)^(g-3)``; deflection ``alpha(r) = 4 kappa_s r_s m(X) / X``.
* Keeton 2001 (astro-ph/0102341) eqs. 7-8 by quad on the convergence above.
* inner_slope = 1 is the NFW: Wright & Brainerd 2000 closed forms in ``nfw.py``.
* PyAutoGalaxy 2026.10.26.1 numbers hard-coded below (convergence by its quad; deflections
  and potential by its multi-Gaussian expansion, an approximation good to ~1e-4).
"""

import numpy as np
import pytest
from scipy.integrate import quad

from xpgalaxy.profiles.mass.gnfw import (
    gNFW,
    gnfw_kappa_hat_from,
    gnfw_mass_hat_from,
    gnfw_tables_from,
    gNFWSph,
)
from xpgalaxy.profiles.mass.nfw import NFW, NFWSph


def kappa_hat_reference(big_x, g):
    """Wyithe et al. 2001 convergence (PyAutoGalaxy's form) divided by 2 kappa_s, by quad."""
    points = [p for p in (big_x, 10.0 * big_x, 100.0 * big_x) if p < 1.0] or None
    integral = quad(
        # 1 - sqrt(1 - y^2) written without cancellation at small y
        lambda y: (y + big_x) ** (g - 4.0) * y * y / (1.0 + np.sqrt(1.0 - y * y)),
        0.0,
        1.0,
        points=points,
        epsabs=0.0,
        epsrel=1e-13,
        limit=200,
    )[0]
    return big_x ** (1.0 - g) * ((1.0 + big_x) ** (g - 3.0) + (3.0 - g) * integral)


def mass_hat_reference(big_x, g):
    """Cylinder mass ``m(X)`` from the 3D density (module docstring), by quad."""

    def rho(t):
        return t ** (-g) * (1.0 + t) ** (g - 3.0)

    sphere = quad(lambda t: t * t * rho(t), 0.0, big_x, epsabs=0.0, epsrel=1e-13, limit=200)[0]
    # Outside the sphere, t = X cosh s: 1 - sqrt(1 - X^2/t^2) = 1 - tanh s = 2 / (1 + e^2s).
    outside = sum(
        quad(
            lambda s: (
                (big_x * np.cosh(s)) ** 2
                * rho(big_x * np.cosh(s))
                * 2.0
                / (1.0 + np.exp(2.0 * s))
                * big_x
                * np.sinh(s)
            ),
            lo,
            hi,
            epsabs=0.0,
            epsrel=1e-13,
            limit=200,
        )[0]
        for lo, hi in ((0.0, 1.0), (1.0, 5.0), (5.0, 15.0), (15.0, 45.0))
    )
    return sphere + outside


SLOPES = [-0.5, 0.3, 1.0, 1.7, 2.0, 2.5]
RADII = [1e-5, 3e-4, 0.02, 0.5, 0.999, 1.0, 3.0, 70.0, 2e3]


@pytest.mark.parametrize("g", SLOPES)
def test_tabulated_convergence_matches_wyithe_form(g):
    tables = gnfw_tables_from(g)
    expected = [kappa_hat_reference(x, g) for x in RADII]
    np.testing.assert_allclose(gnfw_kappa_hat_from(np.square(RADII), tables), expected, rtol=1e-9)


@pytest.mark.parametrize("g", SLOPES)
def test_tabulated_enclosed_mass_matches_3d_cylinder_mass(g):
    tables = gnfw_tables_from(g)
    expected = [mass_hat_reference(x, g) for x in RADII]
    np.testing.assert_allclose(gnfw_mass_hat_from(np.square(RADII), tables), expected, rtol=1e-9)


POINTS = np.array([[0.0, 0.0], [0.3, 0.4], [1.02, 1.36], [-2.0, 5.0], [1e-3, 0.0], [12.0, 3.0]])


@pytest.mark.parametrize("ell_comps", [(0.0, 0.0), (0.12, -0.08), (0.0, 0.45)])
def test_inner_slope_one_is_the_nfw(ell_comps):
    gnfw = gNFW(
        centre=(0.05, 0.1), ell_comps=ell_comps, kappa_s=0.3, inner_slope=1.0, scale_radius=1.7
    )
    nfw = NFW(centre=(0.05, 0.1), ell_comps=ell_comps, kappa_s=0.3, scale_radius=1.7)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            getattr(gnfw, method)(POINTS), getattr(nfw, method)(POINTS), rtol=1e-9, atol=1e-15
        )


def test_spherical_inner_slope_one_is_nfw_sph():
    gnfw = gNFWSph(centre=(0.05, 0.1), kappa_s=0.3, inner_slope=1.0, scale_radius=1.7)
    nfw = NFWSph(centre=(0.05, 0.1), kappa_s=0.3, scale_radius=1.7)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            getattr(gnfw, method)(POINTS), getattr(nfw, method)(POINTS), rtol=1e-9, atol=1e-15
        )


@pytest.mark.parametrize("g", [0.3, 1.5, 2.0])
def test_spherical_deflections_are_the_enclosed_cylinder_mass(g):
    profile = gNFWSph(centre=(0.0, 0.0), kappa_s=0.25, inner_slope=g, scale_radius=2.5)
    points = np.array([[0.3, 0.4], [-3.0, 4.0], [0.0, 40.0]])
    r = np.hypot(points[:, 0], points[:, 1])
    x = r / 2.5
    magnitude = np.array([4.0 * 0.25 * 2.5 * mass_hat_reference(v, g) / v for v in x])
    expected = magnitude[:, None] * points / r[:, None]
    np.testing.assert_allclose(profile.deflections_yx_2d_from(points), expected, rtol=1e-9)


def test_elliptical_q_to_one_matches_spherical():
    points = POINTS[1:]
    ell = gNFW(
        centre=(0.0, 0.0), ell_comps=(0.0, 0.0), kappa_s=0.25, inner_slope=1.8, scale_radius=2.5
    )
    sph = gNFWSph(centre=(0.0, 0.0), kappa_s=0.25, inner_slope=1.8, scale_radius=2.5)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        np.testing.assert_allclose(
            getattr(ell, method)(points), getattr(sph, method)(points), rtol=1e-10, atol=1e-15
        )


def keeton_deflections_reference(y, x, q, r_s, kappa_s, g):
    """Keeton (2001) eqs. 7-8 by quad on ``kappa_hat_reference`` (nested quadrature)."""
    e2 = 1.0 - q * q

    def kappa(u):
        big_x = np.sqrt(u * (x * x + y * y / (1.0 - e2 * u))) / r_s
        return 2.0 * kappa_s * kappa_hat_reference(big_x, g)

    u_t = min(r_s**2 / (x * x + y * y), 1.0)
    points = [u_t * 1e-2, u_t]

    def integral(power):
        return quad(
            lambda u: kappa(u) / (1.0 - e2 * u) ** power,
            0.0,
            1.0,
            points=points,
            epsabs=0.0,
            epsrel=1e-10,
            limit=200,
        )[0]

    return np.array([q * y * integral(1.5), q * x * integral(0.5)])


@pytest.mark.parametrize(
    "point, ell_comps, r_s, g",
    [
        ((0.3, 0.4), (0.0, 0.25), 1.0, 0.5),  # q = 0.6
        ((-1.2, 2.5), (0.0, 0.5), 0.8, 2.0),  # q = 1/3, kappa ~ 1/r cusp
    ],
)
@pytest.mark.slow
def test_elliptical_deflections_match_quad_of_keeton_integrals(point, ell_comps, r_s, g):
    # ell_comps = (0, e_x > 0): position angle 0, so the profile frame is the image frame.
    profile = gNFW(
        centre=(0.0, 0.0), ell_comps=ell_comps, kappa_s=0.2, inner_slope=g, scale_radius=r_s
    )
    q = float(profile.axis_ratio())
    expected = keeton_deflections_reference(point[0], point[1], q, r_s, 0.2, g)
    np.testing.assert_allclose(
        profile.deflections_yx_2d_from(np.array([point]))[0], expected, rtol=1e-9
    )


# ------------------------------------------------------------------ PyAutoGalaxy numbers

AG_POINTS = np.array([[0.3, 0.4], [1.0, -2.0], [-1.3, 0.2], [5.0, 7.0]])

# autogalaxy 2026.10.26.1: ag.mp.gNFW(centre=(0.1, -0.05), ell_comps=(0.12, -0.08),
# kappa_s=0.2, inner_slope=1.5, scale_radius=2.0) and ag.mp.gNFWSph(centre=(0.1, -0.05),
# kappa_s=0.2, inner_slope=0.7, scale_radius=2.0). Convergence: quad of Wyithe's form
# (agrees to ~1e-11); deflections / potential: MGE approximation (agrees to ~1e-4).
AG = {
    "gNFW": {
        "convergence_2d_from": (
            [0.7859429780508385, 0.10324760154737951, 0.23077472469667093, 0.014805891016772176],
            1e-9,
        ),
        "potential_2d_from": (
            [0.25551703301851747, 1.45244660169707, 0.8914990315490554, 4.670173726647741],
            3e-4,
        ),
        "deflections_yx_2d_from": (
            [
                [0.1996487038145864, 0.6227006682491474],
                [0.2888730152641003, -0.61091686680605],
                [-0.6627515790380094, 0.18554198058808152],
                [0.21743161897259222, 0.35614098090649526],
            ],
            3e-4,
        ),
    },
    "gNFWSph": {
        "convergence_2d_from": (
            [0.34589513886980683, 0.10538137087222628, 0.1611797824388371, 0.014866132279734486],
            1e-9,
        ),
        "potential_2d_from": (
            [0.06149691544666255, 0.6037031787119543, 0.3350671121572819, 3.0851941968588714],
            3e-4,
        ),
        "deflections_yx_2d_from": (
            [
                [0.08614766130261872, 0.19383223793089213],
                [0.16174529505794527, -0.35044813929221474],
                [-0.343668734378055, 0.061369416853224106],
                [0.20203537827849402, 0.29068355446191485],
            ],
            3e-4,
        ),
    },
}


@pytest.mark.parametrize(
    "method", ["convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"]
)
def test_matches_autogalaxy(method):
    profiles = {
        "gNFW": gNFW(
            centre=(0.1, -0.05),
            ell_comps=(0.12, -0.08),
            kappa_s=0.2,
            inner_slope=1.5,
            scale_radius=2.0,
        ),
        "gNFWSph": gNFWSph(centre=(0.1, -0.05), kappa_s=0.2, inner_slope=0.7, scale_radius=2.0),
    }
    for name, profile in profiles.items():
        expected, rtol = AG[name][method]
        np.testing.assert_allclose(getattr(profile, method)(AG_POINTS), expected, rtol=rtol)

"""Generic consistency checks for every entry of ``ANALYTIC_MASS_EXAMPLES`` (NumPy path).

References (exact identities of lensing, Schneider, Ehlers & Falco 1992, eqs. 5.5, 5.7, 5.9):
deflection = grad(potential); convergence = half the laplacian of the potential = half the
divergence of the deflection; shear (gamma_1, gamma_2) = (psi_xx - psi_yy) / 2, psi_xy.
Derivatives are central finite differences, whose truncation and rounding errors bound the
tolerances (h = 1e-5 for first, 1e-4 for second derivatives on points >= 0.2 arcsec from the
centre). Spherical profiles: the mean convergence inside the Einstein radius is 1
(Schneider et al. 1992, eq. 8.3), checked by radial quadrature.
"""

import inspect

import numpy as np
import pytest
from scipy import integrate

from xparray.inference import Prior
from xpgalaxy.profiles.mass import (
    dpie,
    external_shear,
    isothermal,
    isothermal_core,
    mass_sheet,
    point_mass,
    power_law,
    power_law_multipole,
)
from xpgalaxy.profiles.mass.base import MassProfile
from xpgalaxy.profiles.mass.registry_analytic import ANALYTIC_MASS_EXAMPLES

EXAMPLES = ANALYTIC_MASS_EXAMPLES
IDS = [f"{e.cls.__name__}-{i}" for i, e in enumerate(EXAMPLES)]
MODULES = [
    dpie,
    external_shear,
    isothermal,
    isothermal_core,
    mass_sheet,
    point_mass,
    power_law,
    power_law_multipole,
]


def _points(centre, n=24, seed=3):
    """Points 0.2 - 2.5 arcsec from ``centre`` at random angles (fixed seed)."""
    rng = np.random.default_rng(seed)
    r = rng.uniform(0.2, 2.5, n)
    phi = rng.uniform(0.0, 2.0 * np.pi, n)
    return np.stack([centre[0] + r * np.sin(phi), centre[1] + r * np.cos(phi)], axis=-1)


def _centre(example):
    return example.params.get("centre", (0.0, 0.0))


def _fd(func, points, h):
    """Central differences of ``func`` along y and x: arrays d/dy, d/dx (same shape as func)."""
    dy, dx = np.array([h, 0.0]), np.array([0.0, h])
    d_dy = (np.asarray(func(points + dy)) - np.asarray(func(points - dy))) / (2.0 * h)
    d_dx = (np.asarray(func(points + dx)) - np.asarray(func(points - dx))) / (2.0 * h)
    return d_dy, d_dx


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_mass_analytic_registry_deflections_are_potential_gradient(example):
    profile = example.make()
    points = _points(_centre(example))
    d_dy, d_dx = _fd(profile.potential_2d_from, points, 1.0e-5)
    alpha = np.asarray(profile.deflections_yx_2d_from(points))
    scale = np.linalg.norm(alpha, axis=1) + 1e-3
    np.testing.assert_array_less(np.abs(alpha[:, 0] - d_dy) / scale, 1e-7)
    np.testing.assert_array_less(np.abs(alpha[:, 1] - d_dx) / scale, 1e-7)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_mass_analytic_registry_deflection_pair_equals_deflection_grid(example):
    # the ray-tracing path (two raw arrays, no (N, 2) stack) must be the same maths
    for params in [example.params, *example.singular]:
        profile = example.cls(**params)
        points = np.concatenate([_points(_centre(example)), [list(_centre(example))]])
        alpha = np.asarray(profile.deflections_yx_2d_from(points))
        alpha_y, alpha_x = profile.deflections_yx_pair_from(points[:, 0], points[:, 1])
        np.testing.assert_allclose(alpha_y, alpha[:, 0], rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(alpha_x, alpha[:, 1], rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_mass_analytic_registry_convergence_is_half_divergence(example):
    profile = example.make()
    points = _points(_centre(example))
    d_dy, d_dx = _fd(profile.deflections_yx_2d_from, points, 1.0e-4)
    kappa_fd = 0.5 * (d_dy[:, 0] + d_dx[:, 1])
    kappa = np.asarray(profile.convergence_2d_from(points))
    # Normalised by the size of the hessian (a zero convergence, e.g. shear, is tested too).
    scale = np.abs(d_dy[:, 0]) + np.abs(d_dx[:, 1]) + np.abs(d_dx[:, 0]) + 1e-3
    np.testing.assert_array_less(np.abs(kappa - kappa_fd) / scale, 1e-6)


@pytest.mark.parametrize("example", [e for e in EXAMPLES if hasattr(e.cls, "shear_yx_2d_from")])
def test_mass_analytic_registry_shear_matches_hessian(example):
    profile = example.make()
    points = _points(_centre(example))
    d_dy, d_dx = _fd(profile.deflections_yx_2d_from, points, 1.0e-4)
    gamma_1 = 0.5 * (d_dx[:, 1] - d_dy[:, 0])
    gamma_2 = 0.5 * (d_dy[:, 1] + d_dx[:, 0])
    shear = np.asarray(profile.shear_yx_2d_from(points))
    scale = np.abs(d_dy[:, 0]) + np.abs(d_dx[:, 1]) + np.abs(d_dx[:, 0]) + 1e-3
    np.testing.assert_array_less(np.abs(shear[:, 0] - gamma_2) / scale, 1e-6)
    np.testing.assert_array_less(np.abs(shear[:, 1] - gamma_1) / scale, 1e-6)


_SINGULAR = [(e, p) for e in EXAMPLES for p in e.singular]


@pytest.mark.parametrize(
    ("example", "params"),
    _SINGULAR,
    ids=[f"{e.cls.__name__}-{i}" for i, (e, _) in enumerate(_SINGULAR)],
)
def test_mass_analytic_registry_finite_at_singular_points(example, params):
    profile = example.cls(**params)
    c = np.asarray(params.get("centre", (0.0, 0.0)))
    points = c + np.array([[0.0, 0.0], [1e-9, 1e-9], [0.0, 1e-12], [0.3, 0.0]])
    points = np.concatenate([points, _points(tuple(c), n=6)])
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        assert np.all(np.isfinite(np.asarray(getattr(profile, method)(points)))), method
    if hasattr(profile, "shear_yx_2d_from"):
        assert np.all(np.isfinite(np.asarray(profile.shear_yx_2d_from(points))))


def test_mass_analytic_registry_covers_every_profile_class():
    classes = {
        obj
        for module in MODULES
        for obj in vars(module).values()
        if inspect.isclass(obj)
        and issubclass(obj, MassProfile)
        and obj.__module__ == module.__name__
    }
    assert classes == {e.cls for e in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=IDS)
def test_mass_analytic_registry_default_priors_cover_constructor(example):
    for name, param in inspect.signature(example.cls.__init__).parameters.items():
        if name in ("self", "m"):
            continue
        keys = [f"{name}_0", f"{name}_1"] if isinstance(param.default, tuple) else [name]
        for key in keys:
            factory = example.cls.default_priors[key]
            assert isinstance(factory(), Prior), (example.cls.__name__, key)
    assert example.rtol <= 1e-10 or example.reason


def _mean_convergence_inside(profile, radius):
    """(1 / pi R^2) int_0^R 2 pi r <kappa>_phi dr with r = R u^2 (kills the r^(1-slope) cusp)."""
    c = np.asarray(profile.centre)
    phis = np.linspace(0.0, 2.0 * np.pi, 8, endpoint=False)

    def integrand(u):
        r = radius * u * u
        pts = c + r * np.stack([np.sin(phis), np.cos(phis)], axis=-1)
        return 2.0 * r * np.mean(np.asarray(profile.convergence_2d_from(pts))) * 2.0 * radius * u

    value, _ = integrate.quad(integrand, 0.0, 1.0, epsabs=0.0, epsrel=1e-11, limit=200)
    return value / radius**2


@pytest.mark.parametrize(
    "profile",
    [
        isothermal.IsothermalSph(centre=(0.1, -0.2), einstein_radius=1.4),
        isothermal.Isothermal(centre=(0.1, -0.2), ell_comps=(0.0, 0.0), einstein_radius=1.4),
        power_law.PowerLawSph(centre=(0.1, -0.2), einstein_radius=1.4, slope=2.4),
        power_law.PowerLawSph(centre=(0.0, 0.0), einstein_radius=0.9, slope=1.6),
        power_law.PowerLaw(centre=(0.0, 0.0), ell_comps=(0.0, 0.0), einstein_radius=0.9, slope=2.1),
    ],
    ids=lambda p: type(p).__name__,
)
def test_mass_analytic_registry_mean_convergence_inside_einstein_radius_is_one(profile):
    radius = profile.einstein_radius
    assert _mean_convergence_inside(profile, radius) == pytest.approx(1.0, rel=1e-9)
    # Equivalently the deflection on the Einstein ring has magnitude theta_E.
    ring = np.asarray(profile.centre) + radius * np.array([[0.6, 0.8], [-1.0, 0.0]])
    magnitude = np.linalg.norm(np.asarray(profile.deflections_yx_2d_from(ring)), axis=1)
    np.testing.assert_allclose(magnitude, radius, rtol=1e-12)

"""Registry-driven checks of the NFW family (``NUMERICAL_MASS_EXAMPLES``), NumPy path.

For every example and every singular parameter set:
* values are finite everywhere, including the centre (r = 0), q = 1 and X = r / r_s = 1;
* deflection = gradient of the potential (central finite differences);
* convergence = half the divergence of the deflections, i.e. half the trace of the
  hessian of the potential (Poisson's equation of lensing, e.g. Schneider, Ehlers &
  Falco 1992 eq. 5.6);
and the default priors are PyAutoGalaxy's (``autogalaxy/config/priors/mass/dark/*.yaml``).
"""

import numpy as np
import pytest

import xparray as aa
from xparray.inference import GaussianPrior, Model, TruncatedGaussianPrior, UniformPrior
from xpgalaxy.profiles.mass.gnfw import gNFW, gNFWSph
from xpgalaxy.profiles.mass.nfw import NFW, NFWSph
from xpgalaxy.profiles.mass.registry_numerical import NUMERICAL_MASS_EXAMPLES

# (0, 0): the centre of the singular sets; (0.6, 0.8), (0, 1), (1, 0): X = 1 for their
# scale_radius = 1 (on the major axis for the elliptical ones).
GRID = np.array(
    [
        [0.0, 0.0],
        [0.6, 0.8],
        [0.0, 1.0],
        [1.0, 0.0],
        [0.05, -0.02],
        [0.3, 0.45],
        [-1.3, 0.2],
        [2.2, -3.1],
        [-6.0, 8.5],
    ]
)

CASES = [
    pytest.param(example.cls, params, id=f"{example.cls.__name__}-{i}")
    for example in NUMERICAL_MASS_EXAMPLES
    for i, params in enumerate((example.params, *example.singular))
]


def test_registry_covers_every_class_of_the_family():
    assert {e.cls for e in NUMERICAL_MASS_EXAMPLES} == {NFW, NFWSph, gNFW, gNFWSph}
    assert all(e.singular for e in NUMERICAL_MASS_EXAMPLES)


@pytest.mark.parametrize("cls, params", CASES)
def test_values_finite_at_singular_points(cls, params):
    profile = cls(**params)
    for method in ("convergence_2d_from", "potential_2d_from", "deflections_yx_2d_from"):
        assert np.all(np.isfinite(getattr(profile, method)(GRID))), method


@pytest.mark.parametrize("cls, params", CASES)
def test_deflection_pair_equals_deflection_grid(cls, params):
    # the ray-tracing path (two raw arrays) falls back to the grid method for this family
    profile = cls(**params)
    alpha = np.asarray(profile.deflections_yx_2d_from(GRID))
    alpha_y, alpha_x = profile.deflections_yx_pair_from(GRID[:, 0], GRID[:, 1])
    np.testing.assert_array_equal(alpha_y, alpha[:, 0])
    np.testing.assert_array_equal(alpha_x, alpha[:, 1])


def _off_centre(profile):
    """Grid points at least 0.01 arcsec from the centre (finite differences span 2e-5)."""
    r = np.hypot(GRID[:, 0] - profile.centre[0], GRID[:, 1] - profile.centre[1])
    return GRID[r > 0.01]


@pytest.mark.parametrize("cls, params", CASES)
def test_deflections_are_the_gradient_of_the_potential(cls, params):
    profile = cls(**params)
    points = _off_centre(profile)
    h = 1e-5
    grad = np.stack(
        [
            (profile.potential_2d_from(points + step) - profile.potential_2d_from(points - step))
            / (2 * h)
            for step in (np.array([h, 0.0]), np.array([0.0, h]))
        ],
        axis=-1,
    )
    np.testing.assert_allclose(profile.deflections_yx_2d_from(points), grad, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("cls, params", CASES)
def test_convergence_is_half_the_divergence_of_the_deflections(cls, params):
    profile = cls(**params)
    points = _off_centre(profile)
    h = 1e-5
    d_yy = profile.deflections_yx_2d_from(points + [h, 0.0])[:, 0]
    d_yy -= profile.deflections_yx_2d_from(points - [h, 0.0])[:, 0]
    d_xx = profile.deflections_yx_2d_from(points + [0.0, h])[:, 1]
    d_xx -= profile.deflections_yx_2d_from(points - [0.0, h])[:, 1]
    half_trace = 0.5 * (d_yy + d_xx) / (2 * h)
    np.testing.assert_allclose(profile.convergence_2d_from(points), half_trace, rtol=1e-6)


GAUSSIAN_CENTRE = (GaussianPrior, {"mean": 0.0, "sigma": 0.1})
TRUNCATED_ELL = (
    TruncatedGaussianPrior,
    {"mean": 0.0, "sigma": 0.3, "lower_limit": -1.0, "upper_limit": 1.0},
)
KAPPA_S = (UniformPrior, {"lower_limit": 0.0, "upper_limit": 1.0})
INNER_SLOPE = (UniformPrior, {"lower_limit": 0.0, "upper_limit": 2.0})
SCALE_RADIUS = (UniformPrior, {"lower_limit": 0.0, "upper_limit": 30.0})


@pytest.mark.parametrize(
    "cls, expected",
    [
        (NFW, [GAUSSIAN_CENTRE] * 2 + [TRUNCATED_ELL] * 2 + [KAPPA_S, SCALE_RADIUS]),
        (NFWSph, [GAUSSIAN_CENTRE] * 2 + [KAPPA_S, SCALE_RADIUS]),
        (gNFW, [GAUSSIAN_CENTRE] * 2 + [TRUNCATED_ELL] * 2 + [KAPPA_S, INNER_SLOPE, SCALE_RADIUS]),
        (gNFWSph, [GAUSSIAN_CENTRE] * 2 + [KAPPA_S, INNER_SLOPE, SCALE_RADIUS]),
    ],
)
def test_default_priors_are_autogalaxy_config(cls, expected):
    # Order: the constructor's (centre, [ell_comps], kappa_s, [inner_slope], scale_radius).
    priors = Model(cls).priors_ordered_by_id
    assert [(type(p), p.parameters()) for p in priors] == expected


def test_non_positive_scale_radius_is_rejected():
    for cls in (NFW, NFWSph, gNFW, gNFWSph):
        with pytest.raises(aa.InputError, match="scale_radius"):
            cls(scale_radius=0.0)

"""Registry-driven checks that every light profile must pass (NumPy path).

Every class in ``xpgalaxy.profiles.light`` has at least one entry in
``LIGHT_EXAMPLES``; each entry is checked for finite values at its singular points,
the spherical limit, invariance under moving and rotating the profile with the grid,
consistency of ``image_2d_via_radii_from`` with ``image_2d_from``, structure wrapping,
and its ``default_priors``.
"""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import xparray as aa
import xpgalaxy.profiles.light as lp
from xparray.inference import priors as priors_module
from xpgalaxy import convert
from xpgalaxy.profiles.light.registry import LIGHT_EXAMPLES

# Includes the origin (the singular examples put the centre there) and the examples'
# regular centre (0.1, -0.2).
POINTS = np.array(
    [[0.0, 0.0], [0.1, -0.2], [0.1, 0.2], [-0.35, 0.6], [1.3, -0.7], [0.05, 0.01], [-2.0, 1.5]]
)

IDS = [f"{e.cls.__name__}-{i}" for i, e in enumerate(LIGHT_EXAMPLES)]


def _all_param_sets(example):
    return [example.params, *example.singular]


def test_registry_covers_every_light_profile_class():
    classes = {getattr(lp, name) for name in lp.__all__} - {lp.LightProfile}
    assert classes == {e.cls for e in LIGHT_EXAMPLES}


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=IDS)
def test_image_finite_and_positive_including_singular_points(example):
    grid_2d = aa.Grid2D.uniform(shape_native=(5, 5), pixel_scales=0.1, over_sample_size=3)
    for params in _all_param_sets(example):
        profile = example.cls(**params)
        image = np.asarray(profile.image_2d_from(POINTS))
        assert np.all(np.isfinite(image)) and np.all(image > 0.0), params
        # Over-sampled: the central pixel's middle sub-pixel is exactly the origin.
        binned = np.asarray(profile.image_2d_from(grid_2d).array)
        assert np.all(np.isfinite(binned)) and np.all(binned > 0.0), params


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=IDS)
def test_result_type_follows_grid_type(example):
    profile = example.make()
    grid_2d = aa.Grid2D.uniform(shape_native=(3, 4), pixel_scales=0.2, over_sample_size=1)
    assert isinstance(profile.image_2d_from(grid_2d), aa.Array2D)
    assert isinstance(profile.image_2d_from(aa.Grid2DIrregular(POINTS)), aa.ArrayIrregular)
    raw = profile.image_2d_from(POINTS)
    assert isinstance(raw, np.ndarray) and raw.shape == (len(POINTS),)
    np.testing.assert_allclose(
        np.asarray(profile.image_2d_from(grid_2d).array),
        profile.image_2d_from(np.asarray(grid_2d.array)),
        rtol=1e-14,
    )


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=IDS)
def test_image_of_squared_radii_equals_image_of_radii(example):
    # a profile may evaluate its formula from R^2 (the Sersic); it must be the same formula
    radii = np.array([0.0, 1e-9, 0.03, 0.4, 1.0, 2.7, 9.0])
    for params in _all_param_sets(example):
        profile = example.cls(**params)
        np.testing.assert_allclose(
            profile.image_2d_via_radii_squared_from(radii * radii),
            profile.image_2d_via_radii_from(radii),
            rtol=1e-13,
            atol=0.0,
        )


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=IDS)
def test_image_of_y_and_x_arrays_equals_image_of_points(example):
    # the ray-tracing path (two raw arrays, no (N, 2) stack) must be the same maths
    for params in _all_param_sets(example):
        profile = example.cls(**params)
        expected = profile.image_2d_from(POINTS)
        got = profile.image_2d_yx_from(POINTS[:, 0], POINTS[:, 1])
        np.testing.assert_allclose(got, expected, rtol=1e-14, atol=0.0)


ELLIPTICAL = [e for e in LIGHT_EXAMPLES if "ell_comps" in e.params]


@pytest.mark.parametrize("example", ELLIPTICAL, ids=[e.cls.__name__ for e in ELLIPTICAL])
def test_zero_ell_comps_equals_spherical_variant(example):
    sph_cls = getattr(lp, example.cls.__name__ + "Sph")
    params = {k: v for k, v in example.params.items() if k != "ell_comps"}
    # The spherical variants of Exponential / DevVaucouleurs take no sersic_index.
    sph_args = set(inspect.signature(sph_cls).parameters)
    ell = example.cls(**params, ell_comps=(0.0, 0.0))
    sph = sph_cls(**{k: v for k, v in params.items() if k in sph_args})
    np.testing.assert_allclose(ell.image_2d_from(POINTS), sph.image_2d_from(POINTS), rtol=1e-14)


@pytest.mark.parametrize("example", ELLIPTICAL, ids=[e.cls.__name__ for e in ELLIPTICAL])
def test_moving_and_rotating_profile_with_grid_leaves_image_unchanged(example):
    q, angle = convert.axis_ratio_and_angle_from(example.params["ell_comps"])
    offsets = POINTS - np.array(example.params["centre"])
    reference = example.make(centre=(0.0, 0.0)).image_2d_from(offsets)
    for delta, centre in [(30.0, (0.4, -1.1)), (-75.0, (-2.0, 0.3)), (180.0, (0.0, 0.0))]:
        phi = np.deg2rad(delta)
        y, x = offsets[:, 0], offsets[:, 1]
        moved = np.stack(
            [x * np.sin(phi) + y * np.cos(phi), x * np.cos(phi) - y * np.sin(phi)], axis=-1
        ) + np.array(centre)
        turned = example.make(centre=centre, ell_comps=convert.ell_comps_from(q, angle + delta))
        np.testing.assert_allclose(turned.image_2d_from(moved), reference, rtol=1e-12)


@pytest.mark.parametrize("example", LIGHT_EXAMPLES, ids=IDS)
def test_image_via_radii_matches_image_along_major_axis(example):
    profile = example.make()
    q = profile.axis_ratio()
    angle = np.deg2rad(profile.angle())
    radii = np.array([0.0, 0.03, 0.4, 1.7])
    # Distance along the major axis whose profile radius is ``radii``.
    distance = radii if profile.radius_type == "elliptical" else radii / np.sqrt(q)
    points = np.array(profile.centre) + np.stack(
        [distance * np.sin(angle), distance * np.cos(angle)], axis=-1
    )
    np.testing.assert_allclose(
        profile.image_2d_from(points), profile.image_2d_via_radii_from(radii), rtol=1e-12
    )
    # Radii may also come as a structure, as in PyAutoGalaxy.
    np.testing.assert_allclose(
        profile.image_2d_via_radii_from(aa.ArrayIrregular(radii)),
        profile.image_2d_via_radii_from(radii),
        rtol=0.0,
    )


def _free_parameter_names(cls) -> set[str]:
    names = set()
    for name in inspect.signature(cls).parameters:
        if name in ("centre", "ell_comps"):
            names |= {f"{name}_0", f"{name}_1"}
        else:
            names.add(name)
    return names


@pytest.mark.parametrize("cls", sorted({e.cls for e in LIGHT_EXAMPLES}, key=lambda c: c.__name__))
def test_default_priors_cover_exactly_the_constructor_parameters(cls):
    assert set(cls.default_priors) == _free_parameter_names(cls)
    for name, make in cls.default_priors.items():
        prior = make()
        assert isinstance(prior, priors_module.Prior | float), name
    # PyAutoGalaxy's shared priors (config/priors/light/standard/*.yaml).
    centre = cls.default_priors["centre_0"]()
    assert isinstance(centre, priors_module.GaussianPrior)
    assert (centre.mean, centre.sigma) == (0.0, 0.3)
    intensity = cls.default_priors["intensity"]()
    assert isinstance(intensity, priors_module.LogUniformPrior)


def test_default_priors_match_pyautogalaxy_config_specifics():
    # Values from autogalaxy 2026.10.26.1, config/priors/light/standard/*.yaml, as built
    # by autofit.Model (Sersic's ell_comps are untruncated; the others truncated to +-1).
    ell = lp.Sersic.default_priors["ell_comps_0"]()
    assert type(ell) is priors_module.GaussianPrior
    ell = lp.Gaussian.default_priors["ell_comps_1"]()
    assert isinstance(ell, priors_module.TruncatedGaussianPrior)
    assert (ell.lower_limit, ell.upper_limit) == (-1.0, 1.0)
    n = lp.SersicSph.default_priors["sersic_index"]()
    assert (n.lower_limit, n.upper_limit) == (0.8, 5.0)
    core = lp.SersicCore.default_priors
    assert core["intensity"]().lower_limit == 1.0e-5 and core["intensity"]().upper_limit == 1.0e3
    assert (core["radius_break"](), core["gamma"](), core["alpha"]()) == (0.025, 0.25, 3.0)
    sigma = lp.GaussianSph.default_priors["sigma"]()
    assert (sigma.lower_limit, sigma.upper_limit) == (0.0, 25.0)
    beta = lp.Moffat.default_priors["beta"]()
    assert (beta.lower_limit, beta.upper_limit) == (1.0, 5.0)
    w1 = lp.ChameleonSph.default_priors["core_radius_1"]()
    assert (w1.lower_limit, w1.upper_limit) == (0.0, 30.0)


CLOSED_FORM = [e for e in LIGHT_EXAMPLES if e.cls not in (lp.SersicCore, lp.SersicCoreSph)]


@pytest.mark.parametrize("example", CLOSED_FORM, ids=[e.cls.__name__ for e in CLOSED_FORM])
def test_total_luminosity_closed_form_equals_radial_quadrature(example):
    profile = example.make()
    np.testing.assert_allclose(
        profile.total_luminosity(), profile.luminosity_within_circle_from(np.inf), rtol=1e-7
    )


def test_sersic_index_must_be_positive():
    with pytest.raises(aa.InputError, match="sersic_index"):
        lp.Sersic(sersic_index=0.0)
    with pytest.raises(aa.InputError, match="sersic_index"):
        lp.SersicCoreSph(sersic_index=-1.0)

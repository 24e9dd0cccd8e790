"""In-process tests of the pieces behind the ``xplens`` command (NumPy only).

The command itself is run in subprocesses in test_cli_command.py / test_cli_errors.py.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from astropy.io import fits

import xplens as al
from xplens.cli.dataset import DatasetSpec, dataset_fingerprint, load_dataset, same_dataset
from xplens.cli.errors import CLIError
from xplens.cli.presets import (
    ModelSpec,
    canonical_mass,
    canonical_source,
    fixed_model_dict,
    model_from,
    true_parameters,
)
from xplens.cli.summary import einstein_radius_of
from xplens.examples import EXAMPLES, example_from

# ------------------------------------------------------------------ presets


def test_reference_preset_has_the_21_parameters_of_benchmark_md():
    # BENCHMARK.md: "Model (21 free parameters)": Sersic lens light (7), SIE (5), shear (2),
    # Sersic source (7).
    model = model_from(ModelSpec(mass="sie+shear", lens_light=True, source="sersic"))
    assert model.prior_count == 21
    names = [".".join(p) for p in model.paths]
    assert "galaxies.lens.mass.einstein_radius" in names
    assert "galaxies.lens.bulge.sersic_index" in names


def test_power_law_without_lens_light_adds_slope_and_drops_bulge():
    # 5 SIE parameters + slope = 6 mass, 2 shear, 7 source (SersicCore's core is fixed).
    model = model_from(ModelSpec(mass="power-law+shear", lens_light=False, source="sersic-core"))
    assert model.prior_count == 6 + 2 + 7
    names = [".".join(p) for p in model.paths]
    assert "galaxies.lens.mass.slope" in names
    assert not any(n.startswith("galaxies.lens.bulge") for n in names)


def test_centre_priors_follow_the_mask_centre():
    model = model_from(ModelSpec(lens_light=False, centre=(0.4, -0.2)))
    priors = dict(zip((".".join(p) for p in model.paths), model.priors_ordered_by_id))
    assert priors["galaxies.lens.mass.centre_0"].median == pytest.approx(0.4)
    assert priors["galaxies.source.bulge.centre_1"].median == pytest.approx(-0.2)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("SIE", "sie+shear"), ("power_law+shear", "power-law+shear"), ("PowerLaw", "power-law+shear")],
)
def test_mass_preset_aliases(name, expected):
    assert canonical_mass(name) == expected


def test_source_aliases_and_unknown_names():
    assert canonical_source("SersicCore") == "sersic-core"
    assert canonical_source("Sersic") == "sersic"
    with pytest.raises(CLIError, match="--preset with one of sie\\+shear, power-law\\+shear"):
        canonical_mass("nfw")
    with pytest.raises(CLIError, match="--source"):
        canonical_source("shapelets")


def test_fixed_model_dict_round_trips_the_true_values():
    from xparray import model_from_dict, model_to_dict

    spec = ModelSpec(lens_light=False, source="sersic")
    model = model_from(spec)
    values = true_parameters(model, spec)
    by_id = {p.id: values[".".join(t)] for p, t in zip(model.priors_ordered_by_id, model.paths)}
    fixed = model_from_dict(fixed_model_dict(model_to_dict(model), by_id))
    assert fixed.prior_count == 0
    instance = fixed.instance_from_vector(np.zeros(0))
    # BENCHMARK.md reference values
    assert instance.galaxies.lens.mass.einstein_radius == 1.6
    assert instance.galaxies.source.bulge.effective_radius == 0.1


# ------------------------------------------------------------------ Einstein radius


@pytest.mark.parametrize("ell_comps", [(0.0, 0.0), (0.05, 0.1), (0.0, 0.176)])
def test_derived_einstein_radius_matches_the_sie_critical_ellipse(ell_comps):
    # PyAutoGalaxy SIE: kappa = theta_E / (1 + q) / sqrt(x^2 + y^2 / q^2); the tangential
    # critical curve is the kappa = 1/2 ellipse (Kormann et al. 1994), semi-axes
    # a = 2 theta_E / (1 + q) and q a, so sqrt(area / pi) = theta_E * 2 sqrt(q) / (1 + q).
    theta_e = 1.3
    mass = al.mp.Isothermal(centre=(0.1, -0.2), ell_comps=ell_comps, einstein_radius=theta_e)
    lens = al.Galaxy(redshift=0.5, mass=mass, shear=al.mp.ExternalShear(0.05, -0.03))
    q, _ = al.convert.axis_ratio_and_angle_from(ell_comps)
    expected = theta_e * 2.0 * math.sqrt(q) / (1.0 + q)

    class Instance:  # what a model instance offers: .galaxies with items()
        galaxies = {"lens": lens}

    assert einstein_radius_of(Instance, half_width=3.0, n_pixels=161) == pytest.approx(
        expected, rel=2e-3
    )


def test_derived_einstein_radius_retries_on_a_wider_grid():
    # the circle of radius 1.5" is outside a 1" half-width grid: the grid is widened
    lens = al.Galaxy(redshift=0.5, mass=al.mp.IsothermalSph(einstein_radius=1.5))

    class Instance:
        galaxies = {"lens": lens}

    assert einstein_radius_of(Instance, half_width=1.0) == pytest.approx(1.5, rel=2e-3)


# ------------------------------------------------------------------ dataset loading


def _write(path, values):
    fits.PrimaryHDU(np.asarray(values, dtype=float)).writeto(path)
    return path


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(3)
    data = rng.normal(0.0, 0.1, (20, 20))
    noise = np.full((20, 20), 0.1)
    y, x = np.indices((5, 5)) - 2.0
    psf = np.exp(-0.5 * (x**2 + y**2))
    return {
        "data": data,
        "noise": noise,
        "psf": psf,
        "paths": (
            _write(tmp_path / "d.fits", data),
            _write(tmp_path / "n.fits", noise),
            _write(tmp_path / "p.fits", psf * 7.0),
        ),
        "tmp": tmp_path,
    }


def _spec(paths, **kwargs):
    d, n, p = paths
    options = {"pixel_scale": 0.1, "mask_radius": 0.8, "over_sampling": "1"}
    options.update(kwargs)
    return DatasetSpec("t", d, n, p, **options)


def test_loader_masks_flagged_noise_and_normalises_the_psf(files):
    noise = files["noise"].copy()
    noise[10, 10] = 1.0e8  # the PyAutoLens flag for a pixel to ignore
    _write(files["tmp"] / "flag.fits", noise)
    d, _, p = files["paths"]
    plain = load_dataset(_spec(files["paths"]))
    flagged = load_dataset(_spec((d, files["tmp"] / "flag.fits", p)))
    assert flagged.mask.pixels_in_mask == plain.mask.pixels_in_mask - 1
    assert flagged.mask.mask[10, 10]
    assert np.sum(plain.psf.native) == pytest.approx(1.0, abs=1e-12)


def test_loader_ignores_nan_outside_the_mask(files):
    data = files["data"].copy()
    data[0, 0] = np.nan  # corner pixel, 1.3" from the centre, outside the 0.8" mask
    _write(files["tmp"] / "nan.fits", data)
    _, n, p = files["paths"]
    imaging = load_dataset(_spec((files["tmp"] / "nan.fits", n, p)))
    assert np.all(np.isfinite(imaging.data.array))


def test_loader_adaptive_over_sampling_uses_pyautolens_radial_bins(files):
    imaging = load_dataset(_spec(files["paths"], over_sampling="adaptive"))
    sizes = np.asarray(imaging.over_sample_size_lp)
    r = np.hypot(*np.asarray(imaging.grids.lp.array).T)
    assert np.all(sizes[r < 0.3] == 8)
    assert np.all(sizes[(r >= 0.3) & (r < 0.6)] == 4)
    assert np.all(sizes[r >= 0.6] == 1)


def test_fingerprint_changes_with_the_mask_but_not_the_file_location(files):
    spec = _spec(files["paths"])
    first = dataset_fingerprint(load_dataset(spec), spec)
    moved = dict(first, files={"data": "elsewhere.fits"})
    assert same_dataset(first, moved)
    other = _spec(files["paths"], mask_radius=0.7)
    assert not same_dataset(first, dataset_fingerprint(load_dataset(other), other))


# ------------------------------------------------------------------ bundled examples


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_bundled_examples_load(name):
    example = example_from(name)
    with example.paths() as (data, noise, psf):
        spec = DatasetSpec(
            name,
            data,
            noise,
            psf,
            example.pixel_scale,
            example.mask_radius,
            example.mask_inner_radius,
            example.mask_centre,
            example.psf_shape,
            "1",
        )
        imaging = load_dataset(spec)
    assert imaging.pixel_scales == (example.pixel_scale, example.pixel_scale)
    assert np.sum(imaging.psf.native) == pytest.approx(1.0, abs=1e-12)
    # every unmasked pixel lies within the mask radius (BENCHMARK.md: 2,828 for reference)
    r = np.hypot(*np.asarray(imaging.grids.lp.array).T)
    assert r.max() <= example.mask_radius + 1e-9
    if name == "reference":
        assert imaging.mask.pixels_in_mask == 2828
    assert example.readme() is None or "Reference values" in example.readme()


def test_slacs_psf_is_trimmed_around_its_peak():
    # README: the 61x61 PSF peaks at its centre pixel (30, 30); trimmed to 21x21 it must
    # still peak at the centre.
    example = example_from("slacs1430+4105")
    with example.paths() as paths:
        imaging = load_dataset(
            DatasetSpec("s", *paths, 0.05, 2.7, psf_shape=(21, 21), over_sampling="1")
        )
    psf = np.asarray(imaging.psf.native)
    assert psf.shape == (21, 21)
    assert np.unravel_index(np.argmax(psf), psf.shape) == (10, 10)


def test_unknown_example_lists_the_choices():
    with pytest.raises(al.InputError, match="reference, slacs1430\\+4105, slacs2303\\+1422"):
        example_from("slacs9999")


# ------------------------------------------------------------------ figure geometry


def test_extent_puts_row_zero_at_the_top():
    from xplens.plot._mpl import extent_of, zoom_slices

    mask = al.Mask2D.circular((10, 10), radius=0.25, pixel_scales=0.1)
    rows, cols = zoom_slices(mask, margin=0)
    x_min, x_max, y_min, y_max = extent_of(mask, rows, cols)
    grid = al.Grid2D.from_mask(mask, over_sample_size=1)
    native = np.asarray(grid.native)
    # top-left unmasked cut-out pixel centre = (y_max - half pixel, x_min + half pixel)
    top_row = native[rows.start][~mask.mask[rows.start]]
    assert top_row[0, 0] == pytest.approx(y_max - 0.05)
    assert y_max > y_min and x_max > x_min
    left_col = native[:, cols.start][~mask.mask[:, cols.start]]
    assert left_col[0, 1] == pytest.approx(x_min + 0.05)


# ------------------------------------------------------------------ option resolution


def _resolved_inputs(*argv):
    import contextlib

    from xplens.cli import build_parser
    from xplens.cli.fit import _inputs_from

    args = build_parser().parse_args(["fit", *argv])
    with contextlib.ExitStack() as stack:
        return _inputs_from(args, stack)


def test_no_data_arguments_fit_the_reference_example():
    spec, model, reference = _resolved_inputs()
    assert spec.name == "reference" and spec.mask_radius == 3.0  # BENCHMARK.md fit region
    assert spec.over_sampling == "1"  # the reference data were simulated at pixel centres
    assert (model.mass, model.lens_light, model.source) == ("sie+shear", True, "sersic")
    assert reference["value"] == pytest.approx(1.590)


def test_slacs2303_example_settings_follow_its_readme():
    # README: lens light pre-subtracted, arcs at 1.1-2.0", z = 0.1553 / 0.5170, b_SIE 1.62"
    spec, model, reference = _resolved_inputs("--example", "slacs2303+1422")
    assert spec.pixel_scale == 0.05 and spec.psf_shape == (21, 21)
    assert spec.mask_inner_radius < 1.1 and spec.mask_radius > 2.0
    assert model.lens_light is False and model.source == "sersic-core"
    assert (model.redshift_lens, model.redshift_source) == (0.1553, 0.5170)
    assert reference["value"] == 1.62


def test_options_override_the_example():
    spec, model, _ = _resolved_inputs(
        "--example", "slacs1430+4105", "--mask-radius", "2.0", "--preset", "power-law+shear",
        "--no-lens-light", "--source", "sersic",
    )  # fmt: skip
    assert spec.mask_radius == 2.0
    assert (model.mass, model.lens_light, model.source) == ("power-law+shear", False, "sersic")


def test_corner_labels_name_symbol_and_component():
    from xplens.plot import corner_label

    assert corner_label("galaxies.lens.mass.einstein_radius") == r"$\theta_{\rm E}$ (mass)"
    assert corner_label("galaxies.lens.bulge.sersic_index") == "$n$ (light)"
    assert corner_label("galaxies.source.bulge.centre_0") == "$y$ (source)"


def test_no_corner_plot_without_a_posterior(tmp_path):
    # an optimiser's samples: weight 1 on the best start, 0 elsewhere
    from xparray.inference.search.samples import Samples
    from xplens.plot import plot_corner

    samples = Samples(["a", "b"], [[0.0, 1.0], [0.5, 2.0]], weights=[1.0, 0.0])
    assert plot_corner(samples, tmp_path / "corner.png") is None
    assert not (tmp_path / "corner.png").exists()

"""The staged-fit plan of ``xplens fit``: stage roles and the arcs' mass guess (NumPy)."""

import numpy as np
import pytest

import xplens as al
from xparray.inference.search.zspace import UnboundedSpace
from xplens.cli.presets import ModelSpec, model_from
from xplens.strategy import ArcGuess, arc_pixels_from, lens_stages_from, mass_guesses_from

THETA_E = 1.2  # true Einstein radius of the mock below (arcsec)


@pytest.fixture(scope="module")
def mock():
    """A 60x60 mock at 0.1"/px: SIE + shear lens without light, a compact Sersic source."""
    lens = al.Galaxy(
        0.5,
        mass=al.mp.Isothermal(centre=(0.0, 0.0), ell_comps=(0.05, -0.05), einstein_radius=THETA_E),
        shear=al.mp.ExternalShear(gamma_1=0.02, gamma_2=-0.01),
    )
    source = al.Galaxy(
        1.0,
        bulge=al.lp.Sersic(
            centre=(0.08, -0.05), intensity=1.0, effective_radius=0.12, sersic_index=1.0
        ),
    )
    psf = al.Kernel2D.from_gaussian((5, 5), sigma=0.1, pixel_scales=0.1)
    simulator = al.SimulatorImaging(
        exposure_time=1000.0, background_sky_level=0.1, psf=psf, noise_seed=3
    )
    dataset = simulator.via_galaxies_from([lens, source], al.Grid2D.uniform((60, 60), 0.1))
    mask = al.Mask2D.circular((60, 60), radius=2.5, pixel_scales=0.1)
    return dataset.apply_mask(mask)


def _model(lens_light: bool):
    return model_from(ModelSpec(lens_light=lens_light, source="sersic"))


def test_stages_with_lens_light_free_light_then_mass_and_source_then_all(mock):
    model = _model(lens_light=True)
    initial, stages = lens_stages_from(model, mock, mask_radius=2.5)
    assert [s.name for s in stages] == ["lens light", "mass + source", "all"]
    names = [".".join(p) for p in model.paths]
    light = [names[i] for i in stages[0].indices(names)]
    assert light and all(n.startswith("galaxies.lens.bulge.") for n in light)
    second = {names[i] for i in stages[1].indices(names)}
    assert second == {n for n in names if not n.startswith("galaxies.lens.bulge.")}
    assert len(stages[2].indices(names)) == len(names)
    # the source is switched off for the first stage: intensity near its prior's floor
    (path,) = initial
    assert path == "galaxies.source.bulge.intensity" and initial[path] < 1e-5
    assert stages[0].scan == ("galaxies.lens.bulge.intensity",)


def test_stages_without_lens_light_start_with_mass_and_source(mock):
    _, stages = lens_stages_from(_model(lens_light=False), mock, mask_radius=2.5)
    assert [s.name for s in stages] == ["mass + source", "all"]


def test_the_final_stage_also_starts_from_zero_shear(mock):
    model = _model(lens_light=False)
    _, stages = lens_stages_from(model, mock, mask_radius=2.5)
    vector = np.asarray(model.vector_from_unit_vector(np.full(len(model.paths), 0.5)))
    starts = stages[-1].starts(vector, np.random.default_rng(0))
    shear = {"galaxies.lens.shear.gamma_1": 0.0, "galaxies.lens.shear.gamma_2": 0.0}
    assert starts == [{}, shear]  # the current point, then the same point without shear
    # without an external shear only the current point
    lens = al.Model(al.Galaxy, redshift=0.5, mass=al.mp.Isothermal)
    source = al.Model(al.Galaxy, redshift=1.0, bulge=al.lp.Sersic)
    no_shear = al.Collection(galaxies=al.Collection(lens=lens, source=source))
    _, stages = lens_stages_from(no_shear, mock, mask_radius=2.5)
    assert stages[-1].starts(vector, np.random.default_rng(0)) == [{}]


def test_a_model_that_is_not_lens_plus_source_gets_one_stage(mock):
    model = al.Collection(
        galaxies=al.Collection(only=al.Model(al.Galaxy, redshift=0.5, bulge=al.Model(al.lp.Sersic)))
    )
    initial, stages = lens_stages_from(model, mock)
    assert initial == {} and [s.name for s in stages] == ["all"] and stages[0].n_starts == 8


def _guess(mock, model):
    """ArcGuess of ``model`` on the mock's residuals with the source switched off."""
    names = [".".join(p) for p in model.paths]
    space = UnboundedSpace(model)
    vector = np.array([p.median for p in space.priors])
    vector[names.index("galaxies.source.bulge.intensity")] = 1e-6
    fit = al.AnalysisImaging(mock).fit_from(model.instance_from_vector(vector))
    positions, weights = arc_pixels_from(fit)
    mass = [
        i
        for i, n in enumerate(names)
        if n.startswith(("galaxies.lens.mass", "galaxies.lens.shear"))
    ]
    return ArcGuess(model, vector, mass, positions, weights), names, space, mass


def test_arcs_trace_back_to_a_compact_source_only_for_the_right_mass(mock):
    model = _model(lens_light=False)
    guess, names, _, mass = _guess(mock, model)
    true = dict.fromkeys(names[i] for i in mass)
    values = {
        "galaxies.lens.mass.centre_0": 0.0,
        "galaxies.lens.mass.centre_1": 0.0,
        "galaxies.lens.mass.ell_comps_0": 0.05,
        "galaxies.lens.mass.ell_comps_1": -0.05,
        "galaxies.lens.mass.einstein_radius": THETA_E,
        "galaxies.lens.shear.gamma_1": 0.02,
        "galaxies.lens.shear.gamma_2": -0.01,
    }
    true = np.array([values[n] for n in true])
    at_truth, centre = guess.scatter_and_centre(true)
    # the arcs are the images of an exponential source (R_e = 0.12", scale length h =
    # R_e / 1.678, Graham & Driver 2005 eq. 4 b_1): traced back with the true mass their
    # flux-weighted rms radius is at most the profile's, sqrt(6) h = 0.175"
    assert at_truth < 0.175
    assert np.hypot(*(centre - np.array([0.08, -0.05]))) < 0.05
    k = [names[i] for i in mass].index("galaxies.lens.mass.einstein_radius")
    for factor in (0.8, 1.2):  # a ring of radius |1 - factor| theta_E instead of a blob
        wrong = true.copy()
        wrong[k] *= factor
        assert guess.scatter_and_centre(wrong)[0] > 1.5 * at_truth


def test_mass_guess_from_the_arcs_finds_the_einstein_radius(mock):
    model = _model(lens_light=False)
    guess, names, space, mass = _guess(mock, model)
    k = [names[i] for i in mass].index("galaxies.lens.mass.einstein_radius")
    z = space.z_from(guess.vector)
    starts = []
    for theta in (0.6, 2.0):  # both far from the truth (1.2")
        zk = z.copy()
        zk[mass[k]] = space.z_of(mass[k], theta)
        for i in mass:
            if "ell_comps" in names[i] or "gamma" in names[i]:
                zk[i] = space.z_of(i, 0.0)
        starts.append(zk[mass])
    found = mass_guesses_from(guess, space, starts)
    scatter, values, centre = found[0]
    assert values[k] == pytest.approx(THETA_E, rel=0.05)
    assert np.hypot(*(centre - np.array([0.08, -0.05]))) < 0.1

"""SimulatorImaging: reproducible, and its noise map is the noise it adds."""

import numpy as np
import pytest

import xplens as al


def _tracer():
    lens = al.Galaxy(
        0.5,
        mass=al.mp.IsothermalSph(einstein_radius=1.0),
        light=al.lp.SersicSph(intensity=0.5, effective_radius=0.8, sersic_index=2.0),
    )
    source = al.Galaxy(
        1.0, light=al.lp.ExponentialSph(centre=(0.05, 0.0), intensity=0.4, effective_radius=0.3)
    )
    return al.Tracer([lens, source])


def _simulator(seed, exposure_time=300.0, background_sky_level=0.1, **kw):
    psf = al.Kernel2D.from_gaussian((7, 7), sigma=0.1, pixel_scales=0.1)
    return al.SimulatorImaging(
        exposure_time=exposure_time,
        background_sky_level=background_sky_level,
        psf=psf,
        noise_seed=seed,
        **kw,
    )


def test_same_seed_same_data_other_seed_other_data():
    grid = al.Grid2D.uniform((40, 40), 0.1, over_sample_size=2)
    a = _simulator(1).via_tracer_from(_tracer(), grid)
    b = _simulator(1).via_tracer_from(_tracer(), grid)
    c = _simulator(2).via_tracer_from(_tracer(), grid)
    np.testing.assert_array_equal(a.data.array, b.data.array)
    assert not np.array_equal(a.data.array, c.data.array)
    assert a.psf is not None and a.shape_native == (40, 40)


def test_noise_has_the_variance_the_noise_map_claims():
    grid = al.Grid2D.uniform((100, 100), 0.1, over_sample_size=1)
    # >= 3000 counts per pixel, so the noise map (sqrt of the *noisy* counts, PyAutoArray's
    # definition) is within ~1e-3 of the true Poisson sigma
    kw = dict(exposure_time=3000.0, background_sky_level=1.0)
    noiseless = _simulator(0, add_poisson_noise_to_data=False, **kw).via_tracer_from(
        _tracer(), grid
    )
    noisy = _simulator(7, **kw).via_tracer_from(_tracer(), grid)
    pulls = (noisy.data.array - noiseless.data.array) / noisy.noise_map.array
    # N = 10^4 pulls: the sample variance has a standard error of sqrt(2 / N) = 0.014
    assert np.var(pulls) == pytest.approx(1.0, abs=0.05)
    assert abs(np.mean(pulls)) < 0.05


def test_psf_blurs_light_from_outside_the_field():
    # a point-like source just outside the field still puts light inside after blurring
    psf = al.Kernel2D.from_gaussian((11, 11), sigma=0.2, pixel_scales=0.1)
    galaxy = al.Galaxy(0.5, light=al.lp.GaussianSph(centre=(0.0, 1.05), intensity=1.0, sigma=0.05))
    sim = al.SimulatorImaging(exposure_time=1.0, psf=psf, add_poisson_noise_to_data=False)
    data = sim.via_tracer_from(
        al.Tracer([galaxy]), al.Grid2D.uniform((20, 20), 0.1, over_sample_size=1)
    )
    assert data.data.native[10, -1] > 1e-3


def test_bad_settings_are_refused():
    with pytest.raises(al.InputError, match="exposure_time"):
        al.SimulatorImaging(exposure_time=0.0)
    with pytest.raises(al.InputError, match="background_sky_level"):
        al.SimulatorImaging(exposure_time=1.0, background_sky_level=-1.0)

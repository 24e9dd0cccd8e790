"""FitImaging (lens layer): hand-computed likelihood, reference data, dataset model."""

from pathlib import Path

import numpy as np
import pytest
from scipy.signal import convolve2d

import xplens as al
from xparray.dataset.fixtures import make_imaging_7x7, make_masked_imaging_7x7

REFERENCE = Path(__file__).resolve().parents[4] / "shared" / "data" / "reference"


def _gaussian_galaxy(z=0.5, centre=(0.0, 0.0)):
    return al.Galaxy(z, light=al.lp.GaussianSph(centre=centre, intensity=1.5, sigma=1.0))


def test_log_likelihood_on_the_7x7_fixture_equals_a_hand_computation():
    dataset = make_masked_imaging_7x7()  # data 1, noise 2, cross PSF, 3x3 centre unmasked
    galaxy = _gaussian_galaxy()
    fit = al.FitImaging(dataset, al.Tracer([galaxy]))
    # by hand: the galaxy's image on every pixel of the 7x7 frame (light outside the mask
    # and its blurring ring is never seen), convolved with the PSF, read inside the mask
    mask = dataset.mask.mask
    frame = al.Grid2D.uniform((7, 7), 1.0, over_sample_size=1)
    image = galaxy.image_2d_from(frame).native
    blur_region = ~dataset.mask.blurring_mask_from((3, 3)).mask
    image = np.where(np.logical_or(~mask, blur_region), image, 0.0)
    model = convolve2d(image, np.asarray(dataset.psf.native), mode="same")[~mask]
    chi2 = np.sum(((1.0 - model) / 2.0) ** 2)
    noise_norm = 9 * np.log(2 * np.pi * 2.0**2)
    assert fit.chi_squared == pytest.approx(chi2, rel=1e-12)
    assert fit.noise_normalization == pytest.approx(noise_norm, rel=1e-12)
    assert fit.log_likelihood == pytest.approx(-0.5 * (chi2 + noise_norm), rel=1e-12)
    assert fit.figure_of_merit == fit.log_likelihood
    np.testing.assert_allclose(fit.model_data.array, model, rtol=1e-12)
    np.testing.assert_allclose(fit.residual_map.array, 1.0 - model, rtol=1e-12)


def test_dataset_model_sky_and_grid_offset():
    dataset = make_masked_imaging_7x7()
    plain = al.FitImaging(dataset, al.Tracer([_gaussian_galaxy()]))
    sky = al.FitImaging(
        dataset, al.Tracer([_gaussian_galaxy()]), al.DatasetModel(background_sky_level=0.25)
    )
    np.testing.assert_allclose(sky.model_data.array, plain.model_data.array + 0.25, rtol=1e-12)
    # the grid offset is subtracted from the grid (theta - offset), the same as moving the
    # galaxy by +offset
    offset = (0.3, -0.2)
    shifted = al.FitImaging(
        dataset, al.Tracer([_gaussian_galaxy()]), al.DatasetModel(grid_offset=offset)
    )
    moved = al.FitImaging(dataset, al.Tracer([_gaussian_galaxy(centre=(0.3, -0.2))]))
    np.testing.assert_allclose(shifted.model_data.array, moved.model_data.array, rtol=1e-12)


def test_unmasked_dataset_is_refused():
    with pytest.raises(al.InputError, match="apply_mask"):
        al.FitImaging(make_imaging_7x7(), al.Tracer([_gaussian_galaxy()]))


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="../shared/data/reference not present")
def test_reference_data_at_the_true_parameters_has_reduced_chi_squared_near_one(
    reference_lens_and_source,
):
    # ../shared/BENCHMARK.md: the data were made from these parameters with Poisson noise,
    # so chi^2 per pixel should be 1 within a few sqrt(2/N) (N = 2828: 0.027)
    dataset = al.Imaging.from_fits(
        REFERENCE / "data.fits", 0.1, REFERENCE / "noise_map.fits", REFERENCE / "psf.fits"
    )
    dataset = dataset.apply_mask(al.Mask2D.circular(dataset.shape_native, 3.0, 0.1))
    dataset = dataset.apply_over_sampling(1)
    fit = al.FitImaging(dataset, al.Tracer(list(reference_lens_and_source)))
    assert dataset.mask.pixels_in_mask == 2828
    assert 0.9 < fit.reduced_chi_squared < 1.1
    # PyAutoLens 2026.10 reports log L = 5773 at these parameters (issue 9)
    assert fit.log_likelihood == pytest.approx(5773.1, abs=0.5)


def test_numpy_model_image_in_threads_equals_one_thread(monkeypatch, reference_lens_and_source):
    # 4 x 4 over-sampling of a 3" mask: ~46,000 points, split over threads on NumPy
    lens, source = reference_lens_and_source
    shape = (100, 100)
    mask = al.Mask2D.circular(shape, radius=3.0, pixel_scales=0.1)
    psf = al.Kernel2D.from_gaussian((11, 11), sigma=0.1, pixel_scales=0.1, normalize=True)
    data = al.Array2D.no_mask(np.ones(shape), pixel_scales=0.1)
    dataset = al.Imaging(data, data, psf, over_sample_size_lp=4).apply_mask(mask)
    tracer = al.Tracer([lens, source])
    images = {}
    for threads in ("1", "2"):
        monkeypatch.setenv("XPLENS_NUMPY_THREADS", threads)
        images[threads] = al.FitImaging(dataset, tracer).model_data.array
    np.testing.assert_array_equal(images["1"], images["2"])

"""FitImaging (array layer): a model image against the 7x7 fixture dataset (NumPy path).

Expected values are computed by hand in each test from the fixture: data 1, noise 2 on the
9 unmasked pixels of the 3x3-centre mask.
"""

import numpy as np
import pytest

import xparray as aa
from xparray.dataset.fixtures import make_masked_imaging_7x7
from xparray.errors import InputError
from xparray.fit import FitImaging


def test_constant_model_log_likelihood_by_hand():
    ds = make_masked_imaging_7x7()
    fit = FitImaging(ds, np.full(9, 0.5))
    # residual 0.5, normalized 0.25, chi2 per pixel 0.0625, 9 pixels
    np.testing.assert_array_equal(fit.residual_map.array, np.full(9, 0.5))
    np.testing.assert_array_equal(fit.normalized_residual_map.array, np.full(9, 0.25))
    np.testing.assert_array_equal(fit.chi_squared_map.array, np.full(9, 0.0625))
    assert fit.chi_squared == pytest.approx(0.5625, rel=1e-15)
    assert fit.reduced_chi_squared == pytest.approx(0.0625, rel=1e-15)
    # noise normalization 9 ln(2 pi 2^2) = 9 ln(8 pi)
    assert fit.noise_normalization == pytest.approx(9 * np.log(8 * np.pi), rel=1e-15)
    expected = -0.5 * (0.5625 + 9 * np.log(8 * np.pi))
    assert fit.log_likelihood == pytest.approx(expected, rel=1e-15)
    assert fit.figure_of_merit == fit.log_likelihood
    assert isinstance(fit.residual_map, aa.Array2D) and fit.residual_map.mask is ds.mask


def test_model_from_the_dataset_convolver_and_blurring_grid():
    # Light 0.1 on the lp and blurring grids, blurred by the normalised cross PSF (sum 6):
    # every footprint lies in mask + blurring ring, so the model is 0.1 everywhere.
    ds = make_masked_imaging_7x7()
    image = aa.Array2D(np.full(9, 0.1), ds.mask)
    blurring = aa.Array2D(np.full(ds.grids.blurring.shape[0], 0.1), ds.grids.blurring.mask)
    model = ds.psf.normalized.convolved_image_from(image, blurring)
    fit = FitImaging(ds, model)
    np.testing.assert_allclose(fit.model_data.array, np.full(9, 0.1), rtol=1e-14)
    # residual 0.9, chi2 per pixel (0.9 / 2)^2 = 0.2025
    assert fit.chi_squared == pytest.approx(9 * 0.2025, rel=1e-13)
    expected = -0.5 * (9 * 0.2025 + 9 * np.log(8 * np.pi))
    assert fit.log_likelihood == pytest.approx(expected, rel=1e-14)


def test_model_data_forms_agree():
    ds = make_masked_imaging_7x7()
    rng = np.random.default_rng(2)
    native = rng.normal(size=(7, 7))
    slim = native[2:5, 2:5].ravel()
    values = [
        slim,
        native,
        aa.Array2D(slim, ds.mask),
        aa.Array2D.no_mask(native, 1.0),
    ]
    logls = [FitImaging(ds, v).log_likelihood for v in values]
    np.testing.assert_allclose(logls, logls[0], rtol=1e-15)
    with pytest.raises(InputError, match="model_data has shape"):
        FitImaging(ds, np.ones(10))
    with pytest.raises(InputError, match="model_data has native shape"):
        FitImaging(ds, aa.Array2D.ones((5, 5), 1.0))


def test_dataset_is_declared_static_for_pytrees():
    fit = FitImaging(make_masked_imaging_7x7(), np.zeros(9))
    assert "dataset" in FitImaging.__pytree_no_flatten__
    assert fit.dataset is not None and set(vars(fit)) == {"dataset", "_model_data"}

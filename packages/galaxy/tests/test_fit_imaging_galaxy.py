"""ag.FitImaging / ag.AnalysisImaging: galaxies' light fitted without lensing."""

import numpy as np
import pytest
from scipy.signal import convolve2d

import xpgalaxy as ag
from xparray.dataset.fixtures import make_imaging_7x7, make_masked_imaging_7x7


def _galaxy():
    return ag.Galaxy(0.5, light=ag.lp.GaussianSph(centre=(0.2, 0.0), intensity=1.5, sigma=1.0))


def test_log_likelihood_on_the_7x7_fixture_equals_a_hand_computation():
    dataset = make_masked_imaging_7x7()  # data 1, noise 2, cross PSF, 3x3 centre unmasked
    fit = ag.FitImaging(dataset, [_galaxy()])
    # by hand: light on every pixel of the mask and its blurring ring, PSF-convolved
    mask = dataset.mask.mask
    frame = ag.Grid2D.uniform((7, 7), 1.0, over_sample_size=1)
    image = _galaxy().image_2d_from(frame).native
    seen = np.logical_or(~mask, ~dataset.mask.blurring_mask_from((3, 3)).mask)
    model = convolve2d(np.where(seen, image, 0.0), np.asarray(dataset.psf.native), "same")[~mask]
    chi2 = np.sum(((1.0 - model) / 2.0) ** 2)
    log_l = -0.5 * (chi2 + 9 * np.log(2 * np.pi * 2.0**2))
    assert fit.log_likelihood == pytest.approx(log_l, rel=1e-12)
    sky = ag.FitImaging(dataset, [_galaxy()], ag.DatasetModel(background_sky_level=0.1))
    np.testing.assert_allclose(sky.model_data.array, model + 0.1, rtol=1e-12)


def test_analysis_builds_the_fit_from_a_model_instance():
    analysis = ag.AnalysisImaging(make_masked_imaging_7x7())
    model = ag.Collection(
        galaxies=ag.Collection(g=ag.Model(ag.Galaxy, redshift=0.5, light=ag.lp.GaussianSph))
    )
    instance = model.instance_from_prior_medians()
    fit = analysis.fit_from(instance)
    assert isinstance(fit, ag.FitImaging)
    assert analysis.log_likelihood_function(instance) == fit.log_likelihood
    with pytest.raises(ag.InputError, match="apply_mask"):
        ag.AnalysisImaging(make_imaging_7x7())

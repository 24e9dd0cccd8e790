"""AnalysisImaging with a model: instances become tracers and fits."""

import numpy as np
import pytest

import xplens as al
from xparray.dataset.fixtures import make_imaging_7x7, make_masked_imaging_7x7


def _model(source_light=True):
    lens = al.Model(al.Galaxy, redshift=0.5, mass=al.mp.IsothermalSph)
    source = (
        al.Model(al.Galaxy, redshift=1.0, light=al.lp.GaussianSph)
        if source_light
        else al.Model(al.Galaxy, redshift=1.0)
    )
    return al.Collection(galaxies=al.Collection(lens=lens, source=source))


def test_fit_from_and_log_likelihood_function_agree():
    analysis = al.AnalysisImaging(make_masked_imaging_7x7())
    model = _model()
    instance = model.instance_from_prior_medians()
    fit = analysis.fit_from(instance)
    assert isinstance(fit, al.FitImaging)
    assert analysis.log_likelihood_function(instance) == fit.log_likelihood
    tracer = analysis.tracer_from(instance)
    assert tracer.plane_redshifts == [0.5, 1.0]
    # the same fit by hand
    by_hand = al.FitImaging(analysis.dataset, al.Tracer(list(instance.galaxies.dict.values())))
    assert fit.log_likelihood == pytest.approx(by_hand.log_likelihood, rel=1e-14)


def test_dataset_model_in_the_instance_is_used():
    analysis = al.AnalysisImaging(make_masked_imaging_7x7())
    model = _model()
    model.dataset_model = al.Model(al.DatasetModel, background_sky_level=0.5)
    instance = model.instance_from_prior_medians()
    fit = analysis.fit_from(instance)
    plain = al.FitImaging(analysis.dataset, analysis.tracer_from(instance))
    np.testing.assert_allclose(fit.model_data.array, plain.model_data.array + 0.5)


def test_bad_inputs_name_the_fix():
    with pytest.raises(al.InputError, match="apply_mask"):
        al.AnalysisImaging(make_imaging_7x7())
    analysis = al.AnalysisImaging(make_masked_imaging_7x7())
    with pytest.raises(al.InputError, match="no 'galaxies'"):
        analysis.fit_from(
            al.Collection(lens=al.Model(al.Galaxy, redshift=0.5)).instance_from_prior_medians()
        )
    no_light = _model(source_light=False).instance_from_prior_medians()
    with pytest.raises(al.InputError, match="no light profile"):
        analysis.fit_from(no_light)

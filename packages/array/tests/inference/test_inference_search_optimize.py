"""LBFGS (NumPy finite differences in the logit-unit space) on analytic objectives."""

import math
import pickle

import numpy as np
import pytest

from xparray.errors import InputError
from xparray.inference import LBFGS, NUTS, GaussianPrior, Model, Optimize, UniformPrior, fixtures
from xparray.inference.fixtures import Triple

MEAN = np.array([0.3, -0.2, 1.5])
SIGMA = np.array([0.1, 0.2, 0.5])
SETTINGS = dict(n_starts=3, seed=11, quiet=True)


class GaussianAnalysis(fixtures.GaussianAnalysis):
    """Normalised independent Gaussian (MEAN, SIGMA); counts calls, killed after ``kill_after``."""

    def __init__(self, kill_after=None):
        super().__init__(("a", "b", "c"), MEAN, SIGMA, kill_after=kill_after)


def make_model():
    return Model(
        Triple, a=UniformPrior(-1.0, 1.0), b=UniformPrior(-1.0, 1.0), c=UniformPrior(0.0, 3.0)
    )


PEAK = float(-np.sum(np.log(SIGMA) + 0.5 * math.log(2.0 * math.pi)))


def test_inference_search_lbfgs_finds_the_maximum(tmp_path):
    analysis = GaussianAnalysis()
    result = LBFGS("lbfgs", output_path=tmp_path, **SETTINGS).fit(make_model(), analysis)
    # Central differences with h = 1e-5 in z: gradient error ~h^2, so the optimum is
    # located to far better than 1e-5 (the objective is smooth and unimodal).
    np.testing.assert_allclose(result.samples.max_log_likelihood_vector, MEAN, atol=1e-5)
    assert result.log_likelihood == pytest.approx(PEAK, abs=1e-8)
    # Every start converges to the single maximum.
    values = result.summary["info"]["start_objective_values"]
    np.testing.assert_allclose(values, PEAK, atol=1e-8)
    assert result.median_pdf_instance.c == pytest.approx(MEAN[2], abs=1e-5)
    assert result.summary["n_evaluations"] == analysis.calls
    again = GaussianAnalysis()
    LBFGS("lbfgs", output_path=tmp_path, **SETTINGS).fit(make_model(), again)
    assert again.calls == 0


def test_inference_search_optimize_stays_in_prior_box(tmp_path):
    """The likelihood peaks at c = 1.5 but the prior box ends at 1.0: the optimum is the
    box edge (sigmoid never leaves the cube), and every evaluation is inside the box."""
    seen = []

    class Recording(GaussianAnalysis):
        def log_likelihood_function(self, instance):
            seen.append(instance.c)
            return super().log_likelihood_function(instance)

    model = Model(
        Triple, a=UniformPrior(-1.0, 1.0), b=UniformPrior(-1.0, 1.0), c=UniformPrior(0.0, 1.0)
    )
    result = Optimize("edge", output_path=tmp_path, **SETTINGS).fit(model, Recording())
    assert 0.0 <= min(seen) and max(seen) <= 1.0
    assert result.max_log_likelihood_instance.c == pytest.approx(1.0, abs=1e-3)


def test_inference_search_optimize_maximum_a_posteriori(tmp_path):
    """Gaussian prior N(0, s0) times Gaussian likelihood N(m, s): the MAP is the
    precision-weighted mean m s0^2 / (s^2 + s0^2) (conjugate normal, e.g. Gelman et al.
    2013, Bayesian Data Analysis, eq. 2.12)."""
    prior_sigma = np.array([0.1, 0.2, 1.0])
    model = Model(
        Triple,
        a=GaussianPrior(0.0, prior_sigma[0]),
        b=GaussianPrior(0.0, prior_sigma[1]),
        c=GaussianPrior(0.0, prior_sigma[2]),
    )
    result = Optimize("map", output_path=tmp_path, maximum_a_posteriori=True, **SETTINGS).fit(
        model, GaussianAnalysis()
    )
    expected = MEAN * prior_sigma**2 / (SIGMA**2 + prior_sigma**2)
    np.testing.assert_allclose(result.samples.max_log_likelihood_vector, expected, atol=1e-5)
    # The log_likelihood column excludes the prior.
    chi = (result.samples.max_log_likelihood_vector - MEAN) / SIGMA
    assert result.log_likelihood == pytest.approx(PEAK - 0.5 * np.sum(chi**2), abs=1e-10)


def test_inference_search_optimize_resumes_after_kill(tmp_path):
    fresh = GaussianAnalysis()
    LBFGS("fresh", output_path=tmp_path, **SETTINGS).fit(make_model(), fresh)
    kill_after = int(0.6 * fresh.calls)
    with pytest.raises(KeyboardInterrupt):
        LBFGS("killed", output_path=tmp_path, checkpoint_interval=0.0, **SETTINGS).fit(
            make_model(), GaussianAnalysis(kill_after)
        )
    saved = pickle.loads((tmp_path / "killed" / "checkpoint.pkl").read_bytes())
    assert len(saved["state"]["finished"]) >= 1  # finished starts are kept
    resumed_analysis = GaussianAnalysis()
    result = LBFGS("killed", output_path=tmp_path, **SETTINGS).fit(make_model(), resumed_analysis)
    assert resumed_analysis.calls < fresh.calls
    np.testing.assert_allclose(result.samples.max_log_likelihood_vector, MEAN, atol=1e-5)
    assert result.summary["timing"]["sessions"] == 2


def test_inference_search_nuts_needs_jax_and_optimize_checks_input(tmp_path):
    with pytest.raises(InputError, match="use_jax"):
        NUTS("nuts", output_path=tmp_path, quiet=True).fit(make_model(), GaussianAnalysis())
    with pytest.raises(InputError, match="method"):
        Optimize(method="newton")
    with pytest.raises(InputError, match="log_likelihood_function"):
        LBFGS("bad", output_path=tmp_path, quiet=True).fit(make_model(), object())

"""Emcee on a 2-D Gaussian likelihood with a wide uniform prior box (NumPy path).

With a uniform prior >= 4 sigma wide on each side, the posterior is the likelihood's
Gaussian: mean MEAN and standard deviations SIGMA (truncation changes them by < 1e-3).
"""

import json
import pickle

import numpy as np
import pytest

from xparray.errors import InputError
from xparray.inference import Emcee, Model, UniformPrior, fixtures
from xparray.inference.fixtures import Point
from xparray.inference.search.output import read_samples_csv

MEAN = np.array([0.3, -0.2])
SIGMA = np.array([0.1, 0.2])
SETTINGS = dict(nwalkers=16, nsteps=400, burn_in=100, seed=7, quiet=True)


class GaussianAnalysis(fixtures.GaussianAnalysis):
    """Normalised independent Gaussian (MEAN, SIGMA); counts calls, killed after ``kill_after``."""

    def __init__(self, kill_after=None):
        super().__init__(("x", "y"), MEAN, SIGMA, kill_after=kill_after)

    def fit_from(self, instance):
        return ("fit", instance.x, instance.y)


def make_model():
    return Model(Point, x=UniformPrior(-0.5, 1.0), y=UniformPrior(-1.2, 0.8))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("emcee")
    analysis = GaussianAnalysis()
    result = Emcee("fresh", output_path=root, **SETTINGS).fit(make_model(), analysis)
    return root, analysis.calls, result


def test_inference_search_emcee_recovers_gaussian(fresh):
    root, calls, result = fresh
    # nwalkers at the start, then nwalkers per step (vectorised).
    assert calls == SETTINGS["nwalkers"] * (SETTINGS["nsteps"] + 1)
    samples = result.samples
    # 300 post-burn-in steps x 16 walkers with an integrated autocorrelation time of ~18
    # steps (emcee.autocorr.integrated_time on this set-up) give ~270 independent draws:
    # the mean's standard error is ~0.06 sigma, the sigma estimate's ~4.5%.
    # Tolerances: 0.3 sigma and 20% (> 4 standard errors).
    assert np.all(np.abs(samples.mean_vector - MEAN) < 0.3 * SIGMA)
    assert np.all(np.abs(samples.median_pdf_vector - MEAN) < 0.3 * SIGMA)
    np.testing.assert_allclose(np.sqrt(np.diag(samples.covariance_matrix)), SIGMA, rtol=0.2)
    np.testing.assert_allclose(samples.errors_at_sigma(1.0).mean(axis=1), SIGMA, rtol=0.2)
    # Burn-in rows are written with weight 0; the rest share the weight equally.
    table = read_samples_csv(root / "fresh" / "samples.csv")
    assert table["parameters"].shape == (SETTINGS["nsteps"] * SETTINGS["nwalkers"], 2)
    n_kept = (SETTINGS["nsteps"] - SETTINGS["burn_in"]) * SETTINGS["nwalkers"]
    assert np.count_nonzero(table["weight"]) == n_kept
    # log_likelihood column is the pure likelihood: recompute it for a few rows.
    analysis = GaussianAnalysis()
    for row in (0, len(table["weight"]) // 2, len(table["weight"]) - 1):
        x, y = table["parameters"][row]
        expected = analysis.log_likelihood_function(Point(x, y))
        assert table["log_likelihood"][row] == pytest.approx(expected, abs=1e-9)
    assert result.summary["log_evidence"] is None and result.log_evidence is None
    assert 0.2 < result.summary["info"]["acceptance_fraction"] < 0.9
    assert result.max_log_likelihood_fit == ("fit", *result.samples.max_log_likelihood_vector)
    with pytest.raises(AttributeError, match="tracer_from"):
        _ = result.max_log_likelihood_tracer


def test_inference_search_emcee_finished_run_reloads_without_evaluating(fresh):
    root, _, result = fresh
    analysis = GaussianAnalysis()
    again = Emcee("fresh", output_path=root, **SETTINGS).fit(make_model(), analysis)
    assert analysis.calls == 0
    np.testing.assert_array_equal(again.samples.parameters, result.samples.parameters)
    summary = json.loads((root / "fresh" / "summary.json").read_text())
    assert summary["settings"]["nwalkers"] == SETTINGS["nwalkers"]
    # Other settings in the same folder are refused.
    other = dict(SETTINGS, nsteps=700)
    with pytest.raises(InputError, match="different search settings"):
        Emcee("fresh", output_path=root, **other).fit(make_model(), analysis)


def test_inference_search_emcee_resumes_after_kill(fresh, tmp_path):
    _, fresh_calls, fresh_result = fresh
    kill_after = fresh_calls // 2 + 5  # mid-step
    with pytest.raises(KeyboardInterrupt):
        Emcee("killed", output_path=tmp_path, checkpoint_interval=0.0, **SETTINGS).fit(
            make_model(), GaussianAnalysis(kill_after)
        )
    saved = pickle.loads((tmp_path / "killed" / "checkpoint.pkl").read_bytes())
    # Checkpoint after every step: only the step in flight is lost.
    assert saved["ledger"]["n_evaluations"] == kill_after - kill_after % SETTINGS["nwalkers"]
    analysis = GaussianAnalysis()
    resumed = Emcee("killed", output_path=tmp_path, **SETTINGS).fit(make_model(), analysis)
    assert analysis.calls == fresh_calls - saved["ledger"]["n_evaluations"] < fresh_calls
    # Backend and random state restored: the chain is the uninterrupted one.
    np.testing.assert_array_equal(resumed.samples.parameters, fresh_result.samples.parameters)
    assert resumed.summary["n_evaluations"] == fresh_calls


def test_inference_search_emcee_rejects_too_few_walkers(tmp_path):
    search = Emcee("few", output_path=tmp_path, nwalkers=3, nsteps=10, quiet=True)
    with pytest.raises(InputError, match="nwalkers"):
        search.fit(make_model(), GaussianAnalysis())

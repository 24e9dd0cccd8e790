"""Nautilus on a 2-D Gaussian likelihood with a uniform prior box (NumPy path).

Reference: for L(x) = N(x; mu, diag sigma^2) (normalised) and a uniform prior on the box
[lo, hi], the evidence is Z = prod_i [Phi((hi_i - mu_i)/sigma_i) - Phi((lo_i - mu_i)/sigma_i)]
/ (hi_i - lo_i), with Phi the normal CDF (Abramowitz & Stegun 1964, eq. 26.2.2; here
scipy.stats.norm.cdf). The box is >= 4 sigma wide on each side, so the posterior is the
Gaussian itself to ~1e-4 and its mean/sigma are mu/sigma.
"""

import json
import math
import pickle

import numpy as np
import pytest
from scipy.stats import norm

from xparray.inference import Model, Nautilus, UniformPrior, fixtures, model_to_dict
from xparray.inference.fixtures import Point
from xparray.inference.search.output import read_samples_csv

MEAN = np.array([0.3, -0.2])
SIGMA = np.array([0.1, 0.2])
LOWER = np.array([-0.5, -1.2])
UPPER = np.array([1.0, 0.8])
#: Small nautilus settings (1 small network per bound, f_live=0.1 ends the exploration
#: early): a run takes ~2 CPU seconds.
SETTINGS = dict(
    n_live=100,
    n_eff=300,
    f_live=0.1,
    n_networks=1,
    neural_network_kwargs={"hidden_layer_sizes": (32, 16)},
    discard_exploration=True,
    seed=3,
    quiet=True,
)


class GaussianAnalysis(fixtures.GaussianAnalysis):
    """Normalised independent Gaussian (MEAN, SIGMA); counts calls, killed after ``kill_after``."""

    def __init__(self, kill_after=None):
        super().__init__(("x", "y"), MEAN, SIGMA, kill_after=kill_after)


def make_model():
    return Model(Point, x=UniformPrior(LOWER[0], UPPER[0]), y=UniformPrior(LOWER[1], UPPER[1]))


def analytic_log_evidence():
    mass = norm.cdf((UPPER - MEAN) / SIGMA) - norm.cdf((LOWER - MEAN) / SIGMA)
    return float(np.sum(np.log(mass / (UPPER - LOWER))))


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    root = tmp_path_factory.mktemp("nautilus")
    analysis = GaussianAnalysis()
    model = make_model()
    result = Nautilus("fresh", output_path=root, **SETTINGS).fit(model, analysis)
    return root, model, analysis.calls, result


def test_inference_search_nautilus_recovers_gaussian_and_evidence(fresh):
    _, _, _, result = fresh
    samples = result.samples
    n_eff = result.summary["info"]["n_eff"]
    assert n_eff >= SETTINGS["n_eff"]
    # Mean of n_eff independent draws scatters by sigma / sqrt(n_eff) (~0.06 sigma):
    # 0.25 sigma is ~4 standard errors.
    assert np.all(np.abs(samples.mean_vector - MEAN) < 0.25 * SIGMA)
    assert np.all(np.abs(samples.median_pdf_vector - MEAN) < 0.25 * SIGMA)
    # The 1-sigma half-width of a Gaussian is sigma; its sampling error ~ 1/sqrt(2 n_eff)
    # relative (~4%); allow 20%.
    half_width = samples.errors_at_sigma(1.0).mean(axis=1)
    np.testing.assert_allclose(half_width, SIGMA, rtol=0.2)
    np.testing.assert_allclose(np.sqrt(np.diag(samples.covariance_matrix)), SIGMA, rtol=0.2)
    # Importance-sampling evidence: scatter of log Z ~ 1/sqrt(n_eff) ~ 0.06 (Lange 2023,
    # MNRAS 525, 3181); 0.2 is > 3 of those.
    assert result.log_evidence == pytest.approx(analytic_log_evidence(), abs=0.2)
    # Maximum likelihood: the peak value of the normalised Gaussian, -log(2 pi sx sy).
    peak = -math.log(2.0 * math.pi * SIGMA[0] * SIGMA[1])
    assert result.log_likelihood == pytest.approx(peak, abs=0.05)
    assert result.max_log_likelihood_instance.x == pytest.approx(MEAN[0], abs=0.05)
    assert isinstance(result.median_pdf_instance, Point)


def test_inference_search_nautilus_writes_parseable_files(fresh):
    root, model, calls, result = fresh
    folder = root / "fresh"
    assert json.loads((folder / "model.json").read_text()) == json.loads(
        json.dumps(model_to_dict(model))
    )
    search = json.loads((folder / "search.json").read_text())
    assert search["search"] == "Nautilus" and search["settings"]["n_live"] == 100
    table = read_samples_csv(folder / "samples.csv")
    assert table["names"] == ["x", "y"]
    np.testing.assert_array_equal(table["parameters"], result.samples.parameters)
    np.testing.assert_allclose(table["weight"].sum(), 1.0, rtol=1e-12)
    # log_prior of the uniform box: -log(area) for every in-box sample.
    np.testing.assert_allclose(table["log_prior"], -np.log(np.prod(UPPER - LOWER)))
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["completed"] is True
    assert summary["n_evaluations"] == calls
    assert summary["log_evidence"] == pytest.approx(result.log_evidence)
    x = summary["median_pdf"]["x"]
    assert x["values_1_sigma"][0] < x["median"] < x["values_1_sigma"][1]
    assert x["errors_3_sigma"][1] > x["errors_1_sigma"][1] > 0.0
    timing = summary["timing"]
    assert 0.0 < timing["likelihood_time"] < timing["wall_time"]
    assert timing["sampler_time"] >= 0.0
    assert not (folder / "checkpoint.pkl").exists()
    assert "Log evidence" in result.info


def test_inference_search_nautilus_finished_run_reloads_without_evaluating(fresh):
    root, model, _, result = fresh
    analysis = GaussianAnalysis()
    again = Nautilus("fresh", output_path=root, **SETTINGS).fit(model, analysis)
    assert analysis.calls == 0
    np.testing.assert_array_equal(again.samples.parameters, result.samples.parameters)
    assert again.log_evidence == result.log_evidence
    # A different model in the same folder is refused rather than silently mixed.
    other = Model(Point, x=UniformPrior(-1.0, 1.0), y=UniformPrior(-1.0, 1.0))
    with pytest.raises(ValueError, match="different model"):
        Nautilus("fresh", output_path=root, **SETTINGS).fit(other, analysis)


def test_inference_search_nautilus_resumes_after_kill(fresh, tmp_path):
    _, _, fresh_calls, fresh_result = fresh
    model = make_model()
    kill_after = fresh_calls // 2
    with pytest.raises(KeyboardInterrupt):
        Nautilus("killed", output_path=tmp_path, checkpoint_interval=0.0, **SETTINGS).fit(
            model, GaussianAnalysis(kill_after)
        )
    folder = tmp_path / "killed"
    assert not (folder / "summary.json").exists()
    saved = pickle.loads((folder / "checkpoint.pkl").read_bytes())["ledger"]["n_evaluations"]
    # Checkpoints follow every batch: at most the batch in flight (100 points) is lost.
    assert kill_after - 100 <= saved <= kill_after
    analysis = GaussianAnalysis()
    resumed = Nautilus("killed", output_path=tmp_path, **SETTINGS).fit(model, analysis)
    assert analysis.calls == fresh_calls - saved < fresh_calls
    # The restored sampler (random state included) continues exactly the fresh run.
    np.testing.assert_array_equal(resumed.samples.parameters, fresh_result.samples.parameters)
    assert resumed.log_evidence == fresh_result.log_evidence
    assert resumed.summary["n_evaluations"] == fresh_calls
    assert resumed.summary["timing"]["sessions"] == 2

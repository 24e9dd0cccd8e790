"""Searches on the JAX path (float64, CPU): NUTS, gradient optimisers, vmapped Nautilus.

Toy problem: a normalised 2-D Gaussian likelihood N(MEAN, diag SIGMA^2) inside a uniform
prior box >= 4 sigma wide, so the posterior is that Gaussian and the analytic evidence is
prod_i [Phi((hi-mu)/s) - Phi((lo-mu)/s)] / (hi - lo) (Abramowitz & Stegun 1964, 26.2.2).
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
import pytest
from scipy.stats import norm

from xparray.inference import LBFGS, NUTS, Adam, Emcee, Fitness, Model, Nautilus, UniformPrior
from xparray.inference.fixtures import Point
from xparray.inference.search import base as search_base
from xparray.inference.search.base import Objective
from xparray.inference.search.optimize import Optimize
from xparray.inference.search.output import SearchOutput, read_samples_csv
from xparray.inference.search.progress import Progress

jax.config.update("jax_enable_x64", True)

MEAN = np.array([0.3, -0.2])
SIGMA = np.array([0.1, 0.2])
LOWER = np.array([-0.5, -1.2])
UPPER = np.array([1.0, 0.8])
PEAK = float(-np.sum(np.log(SIGMA) + 0.5 * math.log(2.0 * math.pi)))


def log_gaussian(x, y, xp):
    chi = (xp.stack([x, y]) - MEAN) / SIGMA
    return xp.sum(-0.5 * chi**2 - np.log(SIGMA) - 0.5 * math.log(2.0 * math.pi))


class JaxGaussian:
    use_jax = True

    def log_likelihood_function(self, instance):
        return log_gaussian(instance.x, instance.y, jnp)


class NumpyGaussian:
    def log_likelihood_function(self, instance):
        return float(log_gaussian(instance.x, instance.y, np))


def make_model():
    return Model(Point, x=UniformPrior(LOWER[0], UPPER[0]), y=UniformPrior(LOWER[1], UPPER[1]))


def test_search_jax_nuts_recovers_gaussian_and_resumes(tmp_path, monkeypatch):
    settings = dict(num_warmup=300, num_samples=1000, chunk_size=250, seed=1, quiet=True)
    settings["checkpoint_interval"] = 0.0
    real_count = Objective.count
    calls = {"n": 0}

    def count_then_kill(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:  # warm-up, chunk 1 (checkpointed), then killed in chunk 2
            raise KeyboardInterrupt
        return real_count(self, *args, **kwargs)

    monkeypatch.setattr(search_base.Objective, "count", count_then_kill)
    with pytest.raises(KeyboardInterrupt):
        NUTS("nuts", output_path=tmp_path, **settings).fit(make_model(), JaxGaussian())
    monkeypatch.setattr(search_base.Objective, "count", real_count)
    result = NUTS("nuts", output_path=tmp_path, **settings).fit(make_model(), JaxGaussian())
    info = result.summary["info"]
    assert result.summary["timing"]["sessions"] == 2
    # The warm-up ran once: every evaluation is either warm-up or one of the 1000 draws.
    assert result.summary["n_evaluations"] > info["warmup_evaluations"] > 0
    assert result.samples.total_samples == settings["num_samples"]
    assert info["n_divergent"] == 0 and 0.6 < info["mean_acceptance_rate"] <= 1.0
    samples = result.samples
    # 1000 NUTS draws of a 2-D Gaussian have an ESS of several hundred: the mean's
    # standard error is < 0.05 sigma and the sigma estimate's < 4%. Tolerances 0.2 sigma
    # and 15% (> 4 standard errors).
    assert np.all(np.abs(samples.mean_vector - MEAN) < 0.2 * SIGMA)
    np.testing.assert_allclose(np.sqrt(np.diag(samples.covariance_matrix)), SIGMA, rtol=0.15)
    # The log_likelihood column is the likelihood alone (the logistic Jacobian removed).
    table = read_samples_csv(tmp_path / "nuts" / "samples.csv")
    expected = [float(log_gaussian(x, y, np)) for x, y in table["parameters"][:50]]
    np.testing.assert_allclose(table["log_likelihood"][:50], expected, atol=1e-9)
    assert np.all(table["parameters"] > LOWER) and np.all(table["parameters"] < UPPER)


def test_search_jax_optimisers_find_the_maximum(tmp_path):
    lbfgs = LBFGS("lbfgs", output_path=tmp_path, n_starts=3, seed=2, quiet=True)
    result = lbfgs.fit(make_model(), JaxGaussian())
    np.testing.assert_allclose(result.samples.max_log_likelihood_vector, MEAN, atol=1e-7)
    np.testing.assert_allclose(result.summary["info"]["start_objective_values"], PEAK, atol=1e-10)
    assert result.summary["timing"]["compile_time"] > 0.0
    adam = Adam("adam", output_path=tmp_path, n_starts=2, n_steps=300, learning_rate=0.1, seed=2)
    adam.quiet = True
    result = adam.fit(make_model(), JaxGaussian())
    # Adam with a fixed step converges to ~lr-limited accuracy; 1e-4 is far below sigma.
    np.testing.assert_allclose(result.samples.max_log_likelihood_vector, MEAN, atol=1e-4)


def test_search_jax_chain_rule_gradient_matches_numpy_finite_differences(tmp_path):
    """d f / d z on JAX (Fitness._grad x jvp of the prior map x u(1-u)) against NumPy
    central differences in z."""
    model = make_model()
    z = np.array([0.7, -1.3])
    grads = []
    for analysis in (JaxGaussian(), NumpyGaussian()):
        fitness = Fitness(model, analysis, use_log_prior=False)
        output = SearchOutput(tmp_path / type(analysis).__name__)
        objective = Objective(fitness, model, Progress("t", quiet=True), output)
        grads.append(Optimize(quiet=True)._value_and_grad_z(model, objective)(z))
    assert grads[0][0] == pytest.approx(grads[1][0], rel=1e-12)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-6)


def test_search_jax_nautilus_vmapped_likelihood(tmp_path):
    search = Nautilus(
        "nautilus",
        output_path=tmp_path,
        n_live=100,
        n_eff=300,
        f_live=0.1,
        n_networks=1,
        neural_network_kwargs={"hidden_layer_sizes": (32, 16)},
        discard_exploration=True,
        seed=3,
        quiet=True,
    )
    result = search.fit(make_model(), JaxGaussian())
    samples = result.samples
    assert np.all(np.abs(samples.mean_vector - MEAN) < 0.25 * SIGMA)
    mass = norm.cdf((UPPER - MEAN) / SIGMA) - norm.cdf((LOWER - MEAN) / SIGMA)
    assert result.log_evidence == pytest.approx(np.sum(np.log(mass / (UPPER - LOWER))), abs=0.2)
    timing = result.summary["timing"]
    assert timing["use_jax"] and timing["compile_time"] > 0.0
    assert result.summary["n_evaluations"] == result.summary["info"]["n_like"]


def test_search_jax_emcee_chain_matches_numpy_path(tmp_path):
    """Same seed, same moves: the JAX-batched and NumPy chains agree to float64 round-off."""
    chains = []
    for analysis in (JaxGaussian(), NumpyGaussian()):
        name = type(analysis).__name__
        search = Emcee(name, output_path=tmp_path, nwalkers=8, nsteps=100, seed=5, quiet=True)
        chains.append(search.fit(make_model(), analysis).samples)
    np.testing.assert_allclose(chains[0].parameters, chains[1].parameters, rtol=0, atol=1e-10)
    np.testing.assert_allclose(
        chains[0].log_likelihood_list, chains[1].log_likelihood_list, rtol=0, atol=1e-10
    )


def test_search_jax_staged_importance_matches_numpy_and_analytic(tmp_path):
    """StagedImportance with exact JAX gradients (L-BFGS, Newton polish) against the same
    seed on the NumPy path (finite differences): the optimum differs by the difference
    error only, so the proposals and draws differ slightly and both runs must agree with
    the analytic posterior and evidence to within their sampling errors."""
    from xparray.inference import StagedImportance

    runs = []
    for analysis in (JaxGaussian(), NumpyGaussian()):
        search = StagedImportance(
            type(analysis).__name__, output_path=tmp_path, n_eff=1000, n_batch=512, seed=4
        )
        search.quiet = True
        runs.append(search.fit(make_model(), analysis))
    jax_run, numpy_run = runs
    assert jax_run.summary["timing"]["use_jax"] and not numpy_run.summary["timing"]["use_jax"]
    mass = norm.cdf((UPPER - MEAN) / SIGMA) - norm.cdf((LOWER - MEAN) / SIGMA)
    analytic = float(np.sum(np.log(mass / (UPPER - LOWER))))
    errors = []
    for run in runs:
        info = run.summary["info"]
        assert info["converged"] and info["pareto_khat"] < 0.7
        ess = info["n_eff"]
        # Weighted mean of ESS effective draws: standard error SIGMA / sqrt(ESS); 4 of them.
        assert np.all(np.abs(run.samples.mean_vector - MEAN) < 4.0 * SIGMA / math.sqrt(ess))
        # Evidence within 3 reported errors (+0.01: the box truncation is ~1e-5).
        errors.append(info["log_evidence_error"])
        assert abs(run.log_evidence - analytic) < 3.0 * errors[-1] + 0.01
    # The two paths agree with each other to within their combined sampling errors.
    assert abs(jax_run.log_evidence - numpy_run.log_evidence) < 3.0 * math.hypot(*errors) + 0.01
    ess = min(run.summary["info"]["n_eff"] for run in runs)
    difference = jax_run.samples.mean_vector - numpy_run.samples.mean_vector
    assert np.all(np.abs(difference) < 4.0 * math.sqrt(2.0) * SIGMA / math.sqrt(ess))
    # Stronger: with the same seed both runs draw the same random numbers, and the mode
    # they start from differs only by the optimiser's stopping error (L-BFGS gtol 1e-6 on
    # a peak of curvature ~10-100 in z: ~1e-7) and the NumPy difference error (~h^2 =
    # 1e-10), so the proposals and draws are smooth functions of nearly equal inputs:
    # agreement to 1e-5, far below the sampling errors above (~1e-2). (The k-hat and ESS
    # decisions, the only discrete steps, are far from their thresholds here.)
    assert jax_run.samples.total_samples == numpy_run.samples.total_samples
    np.testing.assert_allclose(
        jax_run.samples.parameters, numpy_run.samples.parameters, rtol=0, atol=1e-5
    )
    assert jax_run.log_evidence == pytest.approx(numpy_run.log_evidence, abs=1e-5)
    # JAX path: one exact gradient costs one evaluation, so far fewer are spent optimising.
    assert jax_run.summary["n_evaluations"] < numpy_run.summary["n_evaluations"]

"""Fitness on a Gaussian toy analysis (NumPy path): analytic log likelihood and rejection."""

import pickle

import numpy as np
import pytest
from scipy import stats

from xparray.errors import InputError
from xparray.inference import FitException, Fitness, GaussianPrior, Model, UniformPrior

DATA = np.array([0.8, 1.3, 0.95, 1.6, 1.1])
NOISE = 0.3


class Level:
    def __init__(self, mu=0.0, log_scale=0.0):
        self.mu = mu
        self.log_scale = log_scale


class GaussianAnalysis:
    """Data ~ Normal(mu, NOISE * exp(log_scale)), no use_jax attribute (NumPy default)."""

    def log_likelihood_function(self, instance):
        sigma = NOISE * np.exp(instance.log_scale)
        chi = (DATA - instance.mu) / sigma
        return float(np.sum(-0.5 * chi**2 - np.log(sigma) - 0.5 * np.log(2.0 * np.pi)))


class BadAnalysis:
    use_jax = False

    def log_likelihood_function(self, instance):
        if instance.mu > 1.5:
            raise FitException("invalid model")
        return np.log(instance.mu - 1.0)  # NaN below mu = 1 (with a RuntimeWarning)


def make_model():
    return Model(Level, mu=GaussianPrior(1.0, 0.5), log_scale=UniformPrior(-1.0, 1.0))


def analytic_log_likelihood(mu, log_scale):
    return stats.norm(mu, NOISE * np.exp(log_scale)).logpdf(DATA).sum()


def test_inference_call_is_analytic_log_likelihood_plus_log_prior():
    model = make_model()
    vector = np.array([1.1, 0.2])
    like = analytic_log_likelihood(1.1, 0.2)
    prior = stats.norm(1.0, 0.5).logpdf(1.1) + stats.uniform(-1.0, 2.0).logpdf(0.2)
    assert Fitness(model, GaussianAnalysis()).call(vector) == pytest.approx(like + prior, rel=1e-12)
    no_prior = Fitness(model, GaussianAnalysis(), use_log_prior=False)
    assert no_prior(vector) == pytest.approx(like, rel=1e-12)


def test_inference_call_unit_maps_through_priors():
    model = make_model()
    fitness = Fitness(model, GaussianAnalysis(), use_log_prior=False)
    unit = np.array([0.3, 0.8])
    mu, log_scale = stats.norm(1.0, 0.5).ppf(0.3), stats.uniform(-1.0, 2.0).ppf(0.8)
    expected = analytic_log_likelihood(mu, log_scale)
    assert fitness.call_unit(unit) == pytest.approx(expected, rel=1e-12)
    assert fitness._vmap_unit(np.array([unit, unit]))[1] == pytest.approx(expected, rel=1e-12)


def test_inference_rejection_of_nan_exception_and_out_of_support():
    model = make_model()
    fitness = Fitness(model, BadAnalysis(), use_log_prior=False, rejection_value=-1.0e90)
    assert fitness.call(np.array([0.5, 0.0])) == -1.0e90  # log of a negative number: NaN
    assert fitness.call(np.array([1.0, 0.0])) == -1.0e90  # log(0) = -inf
    assert fitness.call(np.array([2.0, 0.0])) == -1.0e90  # FitException
    assert fitness.call(np.array([1.2, 0.0])) == pytest.approx(np.log(0.2))
    with_prior = Fitness(model, GaussianAnalysis())
    outside = with_prior.call(np.array([1.0, 3.0]))  # log_scale outside [-1, 1]
    assert np.isfinite(outside) and outside < -1.0e99


def test_inference_numpy_batches_and_counts():
    model = make_model()
    fitness = Fitness(model, GaussianAnalysis(), batch_size=3)
    batch = np.column_stack([np.linspace(0.5, 1.5, 7), np.linspace(-0.5, 0.5, 7)])
    values = fitness._vmap(batch)
    assert values.shape == (7,)
    np.testing.assert_array_equal(values, [fitness.call(row) for row in batch])
    assert fitness._jit(batch[0]) == values[0]
    assert fitness.n_evaluations == 7 + 7 + 1


def test_inference_numpy_grad_matches_analytic_gradient():
    model = make_model()
    fitness = Fitness(model, GaussianAnalysis())
    mu, s = 1.05, 0.1
    value, grad = fitness._grad(np.array([mu, s]))
    sigma = NOISE * np.exp(s)
    # d/dmu: sum (y - mu)/sigma^2 - (mu - 1)/0.5^2 ; d/ds: sum(chi^2) - N (uniform prior flat)
    expected = [
        np.sum(DATA - mu) / sigma**2 - (mu - 1.0) / 0.25,
        np.sum(((DATA - mu) / sigma) ** 2) - DATA.size,
    ]
    np.testing.assert_allclose(grad, expected, rtol=1e-6)
    assert value == fitness.call(np.array([mu, s]))


def test_inference_bad_batch_size_and_pickling():
    with pytest.raises(InputError, match="batch_size"):
        Fitness(make_model(), GaussianAnalysis(), batch_size=0)
    fitness = Fitness(make_model(), GaussianAnalysis())
    again = pickle.loads(pickle.dumps(fitness))
    vector = np.array([1.0, 0.0])
    assert again.call(vector) == fitness.call(vector)


def test_a_model_whose_constructor_refuses_the_values_is_rejected_not_raised():
    from xparray import InputError
    from xparray.inference import Fitness, Model, UniformPrior

    class Strict:
        def __init__(self, radius=1.0):
            if radius <= 0:
                raise InputError("radius must be positive")
            self.radius = radius

    class Analysis:
        def log_likelihood_function(self, instance):
            return -instance.radius

    model = Model(Strict, radius=UniformPrior(-1.0, 1.0))
    fitness = Fitness(model, Analysis(), use_log_prior=False, rejection_value=-1e100)
    assert fitness.call([0.5]) == -0.5
    assert fitness.call([-0.5]) == -1e100

"""Prior transforms against scipy.stats (independent implementations of the same laws)."""

import json
import math

import numpy as np
import pytest
from scipy import stats

from xparray.errors import InputError
from xparray.inference import (
    LOG_PRIOR_OUTSIDE_SUPPORT,
    GaussianPrior,
    LogUniformPrior,
    TruncatedGaussianPrior,
    UniformPrior,
)
from xparray.inference.priors import prior_from_dict

UNITS = np.linspace(1.0e-4, 1.0 - 1.0e-4, 401)

# (prior, the same law in scipy.stats)
CASES = [
    (UniformPrior(-1.5, 4.0), stats.uniform(loc=-1.5, scale=5.5)),
    (GaussianPrior(0.3, 0.7), stats.norm(loc=0.3, scale=0.7)),
    (LogUniformPrior(1.0e-3, 10.0), stats.loguniform(1.0e-3, 10.0)),
    # two-sided interval around the mean
    (TruncatedGaussianPrior(1.0, 0.5, 0.0, 3.0), stats.truncnorm(-2.0, 4.0, loc=1.0, scale=0.5)),
    # interval entirely in the upper tail (3 to 6 sigma): exercises the reflected branch
    (TruncatedGaussianPrior(0.0, 1.0, 3.0, 6.0), stats.truncnorm(3.0, 6.0)),
    # interval entirely in the lower tail
    (TruncatedGaussianPrior(0.0, 2.0, -12.0, -7.0), stats.truncnorm(-6.0, -3.5, scale=2.0)),
    # one-sided (half-normal like) bound
    (TruncatedGaussianPrior(0.5, 1.0, lower_limit=0.0), stats.truncnorm(-0.5, np.inf, loc=0.5)),
]
IDS = ["uniform", "gaussian", "loguniform", "truncnorm", "truncnorm_upper_tail",
       "truncnorm_lower_tail", "truncnorm_one_sided"]  # fmt: skip


@pytest.mark.parametrize(("prior", "law"), CASES, ids=IDS)
def test_inference_value_for_matches_scipy_ppf(prior, law):
    np.testing.assert_allclose(prior.value_for(UNITS), law.ppf(UNITS), rtol=1e-10, atol=1e-12)
    # scalar input gives the same number as the array path
    assert prior.value_for(UNITS[7]) == pytest.approx(law.ppf(UNITS[7]), rel=1e-10)


@pytest.mark.parametrize(("prior", "law"), CASES, ids=IDS)
def test_inference_log_prior_matches_scipy_logpdf(prior, law):
    values = law.ppf(UNITS)
    np.testing.assert_allclose(
        prior.log_prior_from_value(values), law.logpdf(values), rtol=1e-9, atol=1e-10
    )


@pytest.mark.parametrize(("prior", "law"), CASES, ids=IDS)
def test_inference_unit_from_value_is_scipy_cdf(prior, law):
    values = law.ppf(UNITS)
    np.testing.assert_allclose(prior.unit_from_value(values), law.cdf(values), rtol=1e-8)
    np.testing.assert_allclose(prior.unit_from_value(prior.value_for(UNITS)), UNITS, rtol=1e-8)


@pytest.mark.parametrize(("prior", "law"), CASES, ids=IDS)
def test_inference_median_and_expectation_match_scipy(prior, law):
    assert prior.median == pytest.approx(law.median(), rel=1e-9, abs=1e-12)
    assert prior.expectation == pytest.approx(law.mean(), rel=1e-9, abs=1e-12)


@pytest.mark.parametrize(
    "prior",
    [UniformPrior(0.0, 1.0), LogUniformPrior(0.1, 1.0), TruncatedGaussianPrior(0.0, 1.0, -1, 1)],
)
def test_inference_log_prior_outside_support_is_finite_constant(prior):
    outside = np.array([prior.lower_limit - 1.0, prior.upper_limit + 0.5, -5.0])
    out = prior.log_prior_from_value(outside)
    assert np.all(np.isfinite(out))
    np.testing.assert_array_equal(out, LOG_PRIOR_OUTSIDE_SUPPORT)


def test_inference_uniform_support_edges_are_inside():
    prior = UniformPrior(2.0, 6.0)
    np.testing.assert_allclose(prior.log_prior_from_value(np.array([2.0, 6.0])), -math.log(4.0))


@pytest.mark.parametrize(
    ("make", "argument"),
    [
        (lambda: UniformPrior(1.0, 1.0), "lower_limit"),
        (lambda: UniformPrior(2.0, 1.0), "lower_limit"),
        (lambda: UniformPrior(0.0, math.inf), "upper_limit"),
        (lambda: UniformPrior(math.nan, 1.0), "lower_limit"),
        (lambda: UniformPrior("a", 1.0), "lower_limit"),
        (lambda: GaussianPrior(0.0, 0.0), "sigma"),
        (lambda: GaussianPrior(0.0, -1.0), "sigma"),
        (lambda: GaussianPrior(math.inf, 1.0), "mean"),
        (lambda: LogUniformPrior(0.0, 1.0), "lower_limit"),
        (lambda: LogUniformPrior(-1.0, 1.0), "lower_limit"),
        (lambda: LogUniformPrior(2.0, 1.0), "lower_limit"),
        (lambda: TruncatedGaussianPrior(0.0, -1.0), "sigma"),
        (lambda: TruncatedGaussianPrior(0.0, 1.0, 1.0, 0.0), "lower_limit"),
        (lambda: TruncatedGaussianPrior(0.0, 1.0, math.nan), "lower_limit"),
        (lambda: TruncatedGaussianPrior(0.0, 1.0, 50.0, 60.0), "lower_limit"),
    ],
)
def test_inference_bad_priors_are_refused_naming_the_argument(make, argument):
    with pytest.raises(ValueError, match=argument) as info:
        make()
    assert isinstance(info.value, InputError)


def test_inference_prior_ids_follow_creation_order_and_new_gives_fresh_id():
    a, b = UniformPrior(), GaussianPrior()
    assert b.id > a.id
    c = a.new()
    assert c.id > b.id
    assert (c.lower_limit, c.upper_limit) == (a.lower_limit, a.upper_limit)


def test_inference_prior_dict_round_trip_is_json():
    for prior, _ in CASES:
        data = json.loads(json.dumps(prior.to_dict(), allow_nan=False))
        again = prior_from_dict(data)
        assert type(again) is type(prior)
        assert again.parameters() == prior.parameters()
        np.testing.assert_allclose(again.value_for(UNITS), prior.value_for(UNITS))


def test_inference_prior_info_and_width():
    prior = UniformPrior(0.0, 3.0)
    assert prior.info() == f"UniformPrior [{prior.id}], lower_limit = 0, upper_limit = 3"
    assert prior.width == 3.0
    assert GaussianPrior(0.0, 1.0).width == math.inf

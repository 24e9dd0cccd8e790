"""Samples statistics, atomic output files, the progress display and Result hooks."""

import io
import json
import math
import os

import numpy as np
import pytest
from scipy.stats import norm

from xparray.errors import InputError
from xparray.inference import Model, Result, Samples, UniformPrior
from xparray.inference.search.output import (
    Checkpointer,
    atomic_write_json,
    read_samples_csv,
    samples_csv_text,
)
from xparray.inference.search.progress import Progress
from xparray.inference.search.samples import weighted_quantile


class Pair:
    def __init__(self, a=0.0, b=0.0):
        self.a = a
        self.b = b


def test_inference_search_weighted_quantile_definitions():
    # Equal weights: Hazen positions (i - 1/2)/n -> for 1..4 the median is 2.5, and
    # the 0.125 quantile (position of the first sample) is exactly 1.
    values = np.array([4.0, 1.0, 3.0, 2.0])
    assert weighted_quantile(values, np.ones(4), 0.5) == pytest.approx(2.5)
    assert weighted_quantile(values, np.ones(4), 0.125) == pytest.approx(1.0)
    # Weights [3, 1, 1, 1]: F = (cumsum - w/2)/6 = [0.25, 0.583, 0.75, 0.917], so the
    # median lies between 1 and 2 at 1 + (0.5 - 0.25) / (1/3) = 1.75; scaling w is a no-op.
    unequal = weighted_quantile(np.array([1.0, 2, 3, 4]), [3, 1, 1, 1], 0.5)
    assert unequal == pytest.approx(1.75)
    assert weighted_quantile(np.array([1.0, 2, 3, 4]), [0.3, 0.1, 0.1, 0.1], 0.5) == unequal
    # Zero-weight samples are ignored entirely.
    assert weighted_quantile([0.0, 100.0, 1.0], [1.0, 0.0, 1.0], 0.5) == pytest.approx(0.5)
    with pytest.raises(InputError):
        weighted_quantile([1.0], [0.0], 0.5)


def test_inference_search_samples_gaussian_sigma_intervals():
    # Weighted samples of N(mu, s): a uniform grid weighted by the normal density. The
    # 1- and 3-sigma central intervals are mu -+ s and mu -+ 3 s (erf(k / sqrt 2) mass).
    mu, s = 2.0, 0.5
    grid = np.linspace(mu - 8 * s, mu + 8 * s, 20001)
    samples = Samples(["x", "y"], np.column_stack([grid, -grid]), norm.pdf(grid, mu, s))
    np.testing.assert_allclose(samples.median_pdf_vector, [mu, -mu], atol=1e-6)
    np.testing.assert_allclose(samples.errors_at_sigma(1.0), [[s, s], [s, s]], rtol=1e-3)
    np.testing.assert_allclose(samples.errors_at_sigma(3.0), 3 * s, rtol=1e-3)
    np.testing.assert_allclose(samples.values_at_sigma(1.0)[0], [mu - s, mu + s], rtol=1e-3)
    np.testing.assert_allclose(
        samples.covariance_matrix, [[s**2, -(s**2)], [-(s**2), s**2]], rtol=1e-6
    )
    assert samples.weight_list.sum() == pytest.approx(1.0)
    assert samples.parameter_lists[0] == [grid[0], -grid[0]]
    # Kish ESS of equal weights is the sample count.
    assert Samples(["x"], np.arange(5.0)).effective_sample_size == pytest.approx(5.0)


def test_inference_search_samples_csv_round_trip(tmp_path):
    params = np.array([[0.1, 1.0 / 3.0], [2.5e-17, -7.0]])
    text = samples_csv_text(["a", "b.c"], params, [0.25, 0.75], [-1.5, -2.0], [0.0, math.log(0.5)])
    path = tmp_path / "samples.csv"
    path.write_text(text)
    table = read_samples_csv(path)
    assert table["names"] == ["a", "b.c"]
    np.testing.assert_array_equal(table["parameters"], params)  # repr: exact round trip
    np.testing.assert_array_equal(table["log_prior"], [0.0, math.log(0.5)])


def test_inference_search_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    path = tmp_path / "sub" / "summary.json"
    atomic_write_json(path, {"a": np.float64(1.5), "b": np.arange(2)})
    atomic_write_json(path, {"a": 2})
    assert json.loads(path.read_text()) == {"a": 2}
    assert os.listdir(path.parent) == ["summary.json"]

    class Boom:
        pass

    with pytest.raises(TypeError):
        atomic_write_json(path, {"a": Boom()})  # fails while encoding: old file intact
    assert json.loads(path.read_text()) == {"a": 2}
    assert os.listdir(path.parent) == ["summary.json"]


def test_inference_search_checkpointer_interval_and_adaptive():
    fixed = Checkpointer(0.0)
    assert fixed.due()
    never = Checkpointer(1.0e9)
    assert not never.due()
    adaptive = Checkpointer(None)
    adaptive.last_duration = 1.0e9  # a slow write postpones the next checkpoint
    assert not adaptive.due()


def test_inference_search_progress_plain_tty_and_quiet():
    plain = io.StringIO()
    progress = Progress("search", interval=0.0, stream=plain)
    progress.update(10, -5.0)
    progress.update(20, -7.0)  # best stays -5
    progress.close()
    lines = plain.getvalue().splitlines()
    assert len(lines) == 3 and "\r" not in plain.getvalue()
    assert "20 evaluations" in lines[-1] and "best log L -5" in lines[-1]

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    tty = Terminal()
    progress = Progress("search", stream=tty)
    progress.update(5, 1.0)
    progress.close()
    assert tty.getvalue().startswith("\r") and tty.getvalue().endswith("\n")

    quiet = io.StringIO()
    progress = Progress("search", quiet=True, stream=quiet)
    progress.update(5, 1.0)
    progress.message("hello")
    progress.close()
    assert quiet.getvalue() == ""


def test_inference_search_result_instances_and_hooks():
    model = Model(Pair, a=UniformPrior(0.0, 1.0), b=UniformPrior(0.0, 1.0))
    samples = Samples(
        ["a", "b"],
        [[0.1, 0.2], [0.5, 0.6], [0.9, 0.4]],
        [1.0, 1.0, 1.0],
        log_likelihood=[-3.0, -1.0, -2.0],
        log_prior=[0.0, 0.0, 0.0],
    )

    class Lens:
        def log_likelihood_function(self, instance):
            return 0.0

        def tracer_from(self, instance):
            return ("tracer", instance.a)

    result = Result(model, Lens(), samples, {"search": "Test"})
    assert result.max_log_likelihood_instance.a == 0.5
    assert result.median_pdf_instance.b == pytest.approx(0.4)
    assert result.max_log_likelihood_tracer == ("tracer", 0.5)
    with pytest.raises(AttributeError, match="fit_from"):
        _ = result.max_log_likelihood_fit
    assert "Maximum log likelihood: -1" in result.info

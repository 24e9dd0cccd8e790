"""xparray.threads: NumPy work split over the usable cores, with the same values."""

import threading

import numpy as np
import pytest

import xparray as aa
from xparray.threads import MIN_POINTS_PER_THREAD, map_rows_in_threads, numpy_threads


def _light(rows):
    # a stand-in for a model image: elementwise in the rows, transcendental
    return np.exp(-np.hypot(rows[:, 0], rows[:, 1])) * np.log1p(rows[:, 0] ** 2)


def test_threaded_values_equal_the_single_call_bit_for_bit(monkeypatch):
    monkeypatch.setenv("XPLENS_NUMPY_THREADS", "3")
    rows = np.random.default_rng(2).normal(size=(3 * MIN_POINTS_PER_THREAD + 17, 2))
    calls = []

    def light(chunk):
        calls.append((threading.current_thread().name, chunk.shape[0]))
        return _light(chunk)

    np.testing.assert_array_equal(map_rows_in_threads(light, rows), _light(rows))
    # three chunks, each in a pool thread (a quick worker may take two of them)
    assert sum(n for _, n in calls) == rows.shape[0] and len(calls) == 3
    assert all(t.startswith("xplens-numpy") for t, _ in calls)


def test_few_rows_or_one_thread_stay_in_the_calling_thread(monkeypatch):
    caller = threading.current_thread().name
    seen = []

    def light(chunk):
        seen.append(threading.current_thread().name)
        return _light(chunk)

    small = np.ones((MIN_POINTS_PER_THREAD + 5, 2))  # too few for two threads
    map_rows_in_threads(light, small)
    monkeypatch.setenv("XPLENS_NUMPY_THREADS", "1")
    map_rows_in_threads(light, np.ones((4 * MIN_POINTS_PER_THREAD, 2)))
    assert seen == [caller, caller]


def test_the_callers_floating_point_settings_apply_in_every_thread(monkeypatch):
    monkeypatch.setenv("XPLENS_NUMPY_THREADS", "2")
    rows = np.zeros((2 * MIN_POINTS_PER_THREAD, 2))
    with np.errstate(divide="raise"), pytest.raises(FloatingPointError):
        map_rows_in_threads(lambda r: 1.0 / r[:, 0], rows)
    with np.errstate(divide="ignore"):
        assert np.all(np.isinf(map_rows_in_threads(lambda r: 1.0 / r[:, 0], rows)))


@pytest.mark.parametrize("value", ["0", "-2", "many"])
def test_a_bad_thread_count_is_refused_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("XPLENS_NUMPY_THREADS", value)
    with pytest.raises(aa.InputError, match="XPLENS_NUMPY_THREADS.*whole number >= 1"):
        numpy_threads()


def test_default_is_the_usable_cores(monkeypatch):
    monkeypatch.delenv("XPLENS_NUMPY_THREADS", raising=False)
    assert numpy_threads() == aa.threads.usable_cores() >= 1

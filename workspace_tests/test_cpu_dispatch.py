"""The JAX CPU runtime an analysis sets up, and the user's opt-outs.

``xparray.backend.enable_x64`` (called by every ``use_jax=True`` analysis) runs
``configure_cpu`` before JAX creates its CPU client: synchronous dispatch and one CPU
device per usable core (see its docstring for the measured reasons).
``XPLENS_JAX_ASYNC_DISPATCH=1`` keeps JAX's dispatch, ``XPLENS_JAX_CPU_DEVICES=n`` sets
the device count. Each case runs in a fresh interpreter: JAX reads both once per process.
"""

import os
import subprocess
import sys

import pytest

from xparray.threads import usable_cores

PROGRAM = (
    "import jax, xplens as al;"
    "from xparray.dataset.fixtures import make_masked_imaging_7x7;"
    "al.AnalysisImaging(make_masked_imaging_7x7(), use_jax=True);"
    "print(jax.config.read('jax_cpu_enable_async_dispatch'), jax.local_device_count(),"
    " float(jax.numpy.ones(2).sum()))"
)
CORES = str(usable_cores())  # the default device count


def _run(**settings) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("XPLENS_JAX_")}
    env.update(settings)
    return subprocess.run([sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({}, ["False", CORES]),
        ({"XPLENS_JAX_ASYNC_DISPATCH": "1"}, ["True", CORES]),
        ({"XPLENS_JAX_ASYNC_DISPATCH": "0"}, ["False", CORES]),
        ({"XPLENS_JAX_CPU_DEVICES": "3"}, ["False", "3"]),
        ({"XPLENS_JAX_CPU_DEVICES": "1"}, ["False", "1"]),
    ],
)
def test_analysis_with_jax_configures_the_cpu_runtime(settings, expected):
    out = _run(**settings)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [*expected, "2.0"]


@pytest.mark.parametrize("value", ["0", "two", "-1"])
def test_a_bad_device_count_is_refused_naming_the_variable(value):
    out = _run(XPLENS_JAX_CPU_DEVICES=value)
    assert out.returncode != 0
    assert "XPLENS_JAX_CPU_DEVICES" in out.stderr and "whole number >= 1" in out.stderr

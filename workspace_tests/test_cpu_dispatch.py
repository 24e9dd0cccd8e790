"""The JAX path runs CPU programs synchronously unless the user chose otherwise.

``xparray.backend.enable_x64`` (called by every ``use_jax=True`` analysis) turns JAX's
asynchronous CPU dispatch off before the CPU client exists (see
``synchronous_cpu_dispatch`` for the measured reason); ``XPLENS_JAX_ASYNC_DISPATCH=1`` in
the environment keeps JAX's default. Each case runs in a fresh
interpreter, since JAX reads the setting once per process.
"""

import os
import subprocess
import sys

import pytest

PROGRAM = (
    "import jax, xplens as al;"
    "from xparray.dataset.fixtures import make_masked_imaging_7x7;"
    "al.AnalysisImaging(make_masked_imaging_7x7(), use_jax=True);"
    "print(jax.config.read('jax_cpu_enable_async_dispatch'), float(jax.numpy.ones(2).sum()))"
)


@pytest.mark.parametrize(("setting", "expected"), [(None, "False"), ("1", "True"), ("0", "False")])
def test_analysis_with_jax_sets_synchronous_cpu_dispatch(setting, expected):
    env = {k: v for k, v in os.environ.items() if k != "XPLENS_JAX_ASYNC_DISPATCH"}
    if setting is not None:
        env["XPLENS_JAX_ASYNC_DISPATCH"] = setting
    out = subprocess.run(
        [sys.executable, "-c", PROGRAM], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [expected, "2.0"]

"""workspace_tests: the JAX path, in float64, on the CPU."""

import os

os.environ.setdefault("JAX_PLATFORMS", "cpu")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)

import xparray  # noqa: E402

# the library's CPU runtime (synchronous dispatch, one CPU device per core), set before
# any test creates JAX's CPU client, so every JAX test runs as a user's analysis would
xparray.backend.configure_cpu()

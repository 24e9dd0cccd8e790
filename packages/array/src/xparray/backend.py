"""The one place xparray touches JAX, and only when a caller asked for it.

Nothing here imports jax at module import time. `xp` is either the ``numpy`` module
(the default everywhere) or ``jax.numpy``; code asks ``is_jax(xp)`` rather than
importing jax to find out.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

import numpy as np

__all__ = [
    "is_jax",
    "is_jax_array",
    "jax_numpy",
    "enable_x64",
    "synchronous_cpu_dispatch",
    "xp_of",
    "to_numpy",
]


def is_jax(xp: ModuleType) -> bool:
    """True when ``xp`` is not NumPy (in practice: ``jax.numpy``)."""
    return xp is not np


def is_jax_array(value) -> bool:
    """True for a ``jax.Array`` (including tracers), without importing jax."""
    if "jax" not in sys.modules:
        return False
    import jax

    return isinstance(value, jax.Array)


def enable_x64() -> None:
    """Switch JAX to float64 (the JAX path must agree with NumPy to ~1e-10), and run CPU
    programs synchronously (``synchronous_cpu_dispatch``)."""
    import jax

    if not jax.config.jax_enable_x64:
        jax.config.update("jax_enable_x64", True)
    synchronous_cpu_dispatch()


#: Set this environment variable to 1 to keep JAX's default asynchronous CPU dispatch.
ASYNC_DISPATCH_VARIABLE = "XPLENS_JAX_ASYNC_DISPATCH"


def synchronous_cpu_dispatch() -> None:
    """Have JAX's CPU client run each compiled call on the calling thread.

    With JAX's default (asynchronous dispatch) every call hands its program to a worker
    thread and the caller waits for it: on the reference problem that hand-over costs
    ~35 us of a 0.3 ms likelihood call (jit ss1 0.32 -> 0.28 ms), and a sampler, which
    needs each value before its next step, gains nothing from the overlap. JAX reads the
    setting once, when it creates its CPU client (the first JAX computation of the
    process), so this must run before that; later calls change nothing. With
    ``XPLENS_JAX_ASYNC_DISPATCH=1`` in the environment JAX's default is kept.
    """
    if os.environ.get(ASYNC_DISPATCH_VARIABLE, "0") not in ("", "0"):
        return
    import jax

    jax.config.update("jax_cpu_enable_async_dispatch", False)


def jax_numpy() -> ModuleType:
    """Import and return ``jax.numpy`` with float64 enabled."""
    enable_x64()
    import jax.numpy as jnp

    return jnp


def xp_of(value) -> ModuleType:
    """The array module that backs ``value`` (``jax.numpy`` for a jax.Array, else NumPy)."""
    return jax_numpy() if is_jax_array(value) else np


def to_numpy(value) -> np.ndarray:
    """A concrete NumPy copy of ``value`` (host transfer for jax.Array)."""
    return np.asarray(value)

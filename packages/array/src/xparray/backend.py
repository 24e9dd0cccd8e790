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

from xparray.threads import count_from_environment

__all__ = [
    "is_jax",
    "is_jax_array",
    "jax_numpy",
    "enable_x64",
    "configure_cpu",
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
    """Switch JAX to float64 (the JAX path must agree with NumPy to ~1e-10), and set up
    its CPU runtime (``configure_cpu``)."""
    import jax

    if not jax.config.jax_enable_x64:
        jax.config.update("jax_enable_x64", True)
    configure_cpu()


#: Set to 1 to keep JAX's default asynchronous CPU dispatch.
ASYNC_DISPATCH_VARIABLE = "XPLENS_JAX_ASYNC_DISPATCH"
#: Number of JAX CPU devices batches are spread over (default: the usable cores; 1: off).
CPU_DEVICES_VARIABLE = "XPLENS_JAX_CPU_DEVICES"


def configure_cpu() -> None:
    """Set JAX's CPU runtime up for likelihood evaluations; users can opt out per setting.

    * Synchronous dispatch: with JAX's default every call hands its program to a worker
      thread and the caller waits for it; on the reference problem that hand-over costs
      ~35 us of a 0.3 ms likelihood call (jit ss1 0.32 -> 0.28 ms), and a sampler, which
      needs each value before its next step, gains nothing from the overlap.
      ``XPLENS_JAX_ASYNC_DISPATCH=1`` keeps JAX's default.
    * One JAX CPU device per usable core (``os.sched_getaffinity``, so a cluster job's
      allotment counts, not the node's cores): ``Fitness`` spreads a batch over them
      (``inference.fitness._batch_program``). XLA runs one program on about one core (a
      reference likelihood has ~4,000-point loops), so this is how batches use the
      machine: 64 reference vectors on 2 cores, ss1 0.133 -> 0.100 ms per vector.
      ``XPLENS_JAX_CPU_DEVICES=n`` sets the number (1: one device, as JAX's default).

    JAX reads both once, when it creates its CPU client (the first JAX computation of
    the process), so this must run before that; later calls change nothing.
    """
    import jax

    if os.environ.get(ASYNC_DISPATCH_VARIABLE, "0") in ("", "0"):
        jax.config.update("jax_cpu_enable_async_dispatch", False)
    try:
        jax.config.update("jax_num_cpu_devices", _cpu_device_count())
    except RuntimeError:
        pass  # the CPU client exists already (JAX refuses the change): keep its devices


def _cpu_device_count() -> int:
    return count_from_environment(CPU_DEVICES_VARIABLE, "JAX CPU devices batches are spread over")


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

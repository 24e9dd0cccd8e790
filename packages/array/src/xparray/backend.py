"""The one place xparray touches JAX, and only when a caller asked for it.

Nothing here imports jax at module import time. `xp` is either the ``numpy`` module
(the default everywhere) or ``jax.numpy``; code asks ``is_jax(xp)`` rather than
importing jax to find out.
"""

from __future__ import annotations

import sys
from types import ModuleType

import numpy as np

__all__ = ["is_jax", "is_jax_array", "jax_numpy", "enable_x64", "xp_of", "to_numpy"]


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
    """Switch JAX to float64: the JAX path must agree with NumPy to ~1e-10."""
    import jax

    if not jax.config.jax_enable_x64:
        jax.config.update("jax_enable_x64", True)


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

"""Pytree checks: flatten/unflatten round trips and no recompilation for new leaf values."""

from __future__ import annotations

import functools
import inspect

import jax
import jax.numpy as jnp
import numpy as np

__all__ = ["as_jax_leaves", "round_trip_problems", "recompiles"]


def as_jax_leaves(obj):
    """``obj`` with every leaf a float64 ``jax.Array`` (Python floats would retrace: weak types)."""
    return jax.tree_util.tree_map(lambda x: jnp.asarray(x, dtype=jnp.float64), obj)


def _attributes(obj) -> set:
    return set(getattr(obj, "__dict__", {}))


def round_trip_problems(obj) -> list[str]:
    """Problems of ``unflatten(flatten(obj))`` and of a ``jax.jit`` identity round trip."""
    problems = []
    leaves, treedef = jax.tree_util.tree_flatten(obj)
    if len(leaves) == 1 and leaves[0] is obj:
        return [f"{type(obj).__name__} is not a registered pytree"]
    if not leaves:
        problems.append(f"{type(obj).__name__} flattens to no leaves")
    for label, rebuilt in (
        ("unflatten", jax.tree_util.tree_unflatten(treedef, leaves)),
        ("jit identity", jax.jit(lambda o: o)(obj)),
    ):
        if type(rebuilt) is not type(obj):
            problems.append(f"{label}: type {type(rebuilt).__name__} != {type(obj).__name__}")
            continue
        missing = _attributes(obj) - _attributes(rebuilt)
        # cached properties are dropped on purpose (recomputed from the leaves)
        missing = {
            m
            for m in missing
            if not isinstance(inspect.getattr_static(type(obj), m, None), functools.cached_property)
        }
        if missing and label == "unflatten":
            problems.append(f"{label}: attributes lost {sorted(missing)}")
        new_leaves, new_treedef = jax.tree_util.tree_flatten(rebuilt)
        if new_treedef != treedef:
            problems.append(f"{label}: tree structure changed")
            continue
        for i, (a, b) in enumerate(zip(leaves, new_leaves)):
            if not np.array_equal(np.asarray(a), np.asarray(b)):
                problems.append(f"{label}: leaf {i} changed")
    return problems


def recompiles(obj) -> int:
    """How many times ``jax.jit(f)`` traces for ``obj`` and a copy with new leaf values."""
    traces = []

    @jax.jit
    def total(o):
        traces.append(1)  # runs only while tracing
        leaves = [x for x in jax.tree_util.tree_leaves(o) if jnp.issubdtype(x.dtype, jnp.floating)]
        return sum(jnp.sum(x) for x in leaves)

    first = as_jax_leaves(obj)
    second = jax.tree_util.tree_map(lambda x: x * 1.01 + 0.001, first)
    a, b = total(first), total(second)
    if not bool(np.isfinite(a)) or float(a) == float(b):
        return -1  # the function did not see the new values
    return len(traces)

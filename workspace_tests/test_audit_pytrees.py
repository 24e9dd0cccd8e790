"""xp audit, pytrees: every registered class round-trips and never retraces for new values.

Classes are discovered (``__pytree_no_flatten__`` declared, or a structure); each needs an
example: profiles from the registry, the others from ``audit/examples.py``
``pytree_examples``. For each: flatten/unflatten and a ``jax.jit`` identity keep the type,
the attributes and the leaf values; a jitted function of the object called again with new
leaf values traces once.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the audit package (pytest importlib mode)

import jax.numpy as jnp  # noqa: E402
from audit import discovery, examples, plugin, profiles, pytree_checks  # noqa: E402
from audit.core import TALLY  # noqa: E402

import xplens as al  # noqa: E402

REGISTRY, _ = profiles.registry_examples()
BUILDERS = examples.pytree_examples()
for _example in REGISTRY:
    BUILDERS.setdefault(_example.cls, _example.make)
CLASSES = [c for c in discovery.pytree_classes() if c not in discovery.profile_bases()]
IDS = [f"{c.__module__.split('.')[0]}.{c.__qualname__}" for c in CLASSES]


@pytest.fixture(autouse=True, scope="module")
def _summary_line(request):
    plugin.register(request.config)


def test_every_pytree_class_has_an_example():
    missing = [f"{c.__module__}.{c.__qualname__}" for c in CLASSES if c not in BUILDERS]
    assert not missing, f"pytree classes without an example in audit/examples.py: {missing}"


@pytest.mark.parametrize("cls", CLASSES, ids=IDS)
def test_round_trip_and_no_recompile(cls):
    if cls not in BUILDERS:
        pytest.fail(f"{cls.__qualname__} has no pytree example")
    obj = BUILDERS[cls]()
    assert type(obj) is cls
    obj = pytree_checks.as_jax_leaves(obj)
    problems = pytree_checks.round_trip_problems(obj)
    traces = pytree_checks.recompiles(obj)
    if traces != 1:
        problems.append(f"jit of a function of it traced {traces} times for two leaf values")
    TALLY.comparisons += 3  # unflatten, jit identity, one compilation
    TALLY.failures.extend(f"{cls.__qualname__}: {p}" for p in problems)
    assert not problems, f"{cls.__qualname__}: " + "; ".join(problems)


def test_leaves_are_jax_arrays_after_jit():
    import jax

    tracer = BUILDERS[al.Tracer]()
    out = jax.jit(lambda t: t)(pytree_checks.as_jax_leaves(tracer))
    assert all(
        isinstance(x, jax.Array) and x.dtype == jnp.float64 for x in jax.tree_util.tree_leaves(out)
    )

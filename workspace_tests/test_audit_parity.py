"""xp audit, parity: NumPy vs ``jax.jit`` vs ``jax.vmap``, and finite ``jax.grad``.

One test per case: every profile-registry example (one per group of parameter sets with
equal static values) and every case of the explicit table in ``audit/examples.py``. Each
checks every entry point of the case (``audit/core.py``): NumPy reference on a batch of
parameter sets; ``jax.jit`` with ``xp=jnp`` and all parameters traced; ``jax.vmap`` over
the batch with the objects built inside the traced function; reverse-mode gradients of a
scalar summary finite at the ordinary and singular parameter sets; float64, rtol 1e-10
unless the registry / table gives a reason. A failure names the entry point's qualified
name, the stage and the parameter(s) whose tracing alone reproduces it.

The analysis layer (``jit(fit_from)``, ``Fitness._vmap`` of 64 vectors, gradient against
finite differences, no recompilation) is covered by ``test_parity_analysis.py``.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the audit package (pytest importlib mode)

from audit import core, coverage, examples, plugin, profiles  # noqa: E402

REGISTRY, MISSING_TABLES = profiles.registry_examples()
PROFILE_CASES = profiles.profile_cases(REGISTRY)
TABLE_CASES = examples.table_cases()


@pytest.fixture(autouse=True, scope="module")
def _summary_line(request):
    plugin.register(request.config)


@pytest.mark.parametrize("case", TABLE_CASES, ids=[c.name for c in TABLE_CASES])
def test_table_case(case):
    failures = core.run_case(case)
    assert not failures, core.format_failures(failures)


@pytest.mark.parametrize("case", PROFILE_CASES, ids=[c.name for c in PROFILE_CASES])
def test_profile_case(case):
    failures = core.run_case(case, trace_context=coverage.HELPER_TRACKER.context(case.name))
    assert not failures, core.format_failures(failures)


def test_profile_module_helpers_are_reached_while_tracing():
    # Formula helpers (sersic_image_from, nfw_g_from, ...) count as covered when a registry
    # example calls them while traced with xp=jnp; profile cases not run in this session
    # (deselected) are traced here, without compiling.
    tracker = coverage.HELPER_TRACKER
    for case in PROFILE_CASES:
        if case.name not in tracker.cases:
            with tracker.context(case.name):
                core.trace_only(case)
    if tracker.disabled:
        pytest.skip("sys.settrace is owned by another tool (debugger / coverage)")
    table_keys = {q for c in TABLE_CASES for q in c.entries}
    problems = coverage.unreached_helpers(tracker.called, table_keys, examples.EXCLUSIONS)
    core.TALLY.comparisons += 1
    core.TALLY.failures.extend(problems)
    assert not problems, "\n".join(problems)

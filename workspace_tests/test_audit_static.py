"""xp audit, static half: no nested call inside an xp-aware function drops ``xp``.

Reads the source of every xp-aware function and method of xparray, xpgalaxy and xplens
(private ones included; ``audit/static_check.py``) and flags each call to an xp-aware
callee that does not pass ``xp``, even where dropping it is harmless today or the path is
not exercised by the dynamic audit. The mutation test removes, one at a time, every
``xp=...`` keyword of every nested call in the profile modules and requires each removal
to be flagged.
"""

import ast
import copy
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the audit package (pytest importlib mode)

from audit import plugin, static_check  # noqa: E402
from audit.core import TALLY  # noqa: E402


@pytest.fixture(autouse=True, scope="module")
def _summary_line(request):
    plugin.register(request.config)


def test_no_nested_call_in_an_xp_aware_function_drops_xp():
    functions = static_check.xp_aware_functions()
    findings = [
        f for owner, func in functions for f in static_check.missing_xp_findings(owner, func)
    ]
    TALLY.comparisons += len(functions)
    TALLY.failures.extend(findings)
    assert len(functions) > 200
    assert not findings, "nested calls without xp:\n" + "\n".join(findings)


def _mutants(owner, func):
    """``(description, tree)`` with one ``xp=`` keyword removed, for each such call."""
    tree = static_check.function_tree(func)
    if tree is None:
        return
    for i in range(len(static_check.keyword_xp_calls(tree))):
        mutant = copy.deepcopy(tree)
        call = static_check.keyword_xp_calls(mutant)[i]
        call.keywords = [k for k in call.keywords if k.arg != "xp"]
        yield ast.unparse(call), mutant


def test_removing_any_xp_from_a_nested_call_in_a_profile_module_is_flagged():
    mutations, missed = 0, []
    for owner, func in static_check.xp_aware_functions():
        if not func.__module__.startswith("xpgalaxy.profiles."):
            continue
        for call, mutant in _mutants(owner, func):
            mutations += 1
            if not static_check.missing_xp_findings(owner, func, mutant):
                missed.append(f"{func.__module__}.{func.__qualname__}: {call}")
    TALLY.comparisons += mutations
    assert mutations > 100
    assert not missed, "removed xp not flagged:\n" + "\n".join(missed)

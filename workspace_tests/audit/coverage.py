"""Does the audit cover everything it discovers? Each check returns a list of problems.

* :func:`uncovered_entry_points`: a discovered xp-aware callable with no example case and
  no reasoned exclusion (profile-module formula helpers are checked by
  :func:`unreached_helpers` instead); also stale table / exclusion keys.
* :func:`unregistered_profile_classes`: a concrete profile class with no registry example.
* :func:`unreached_helpers`: a public xp-aware formula helper of a profile module that no
  registry example reached while being traced with ``xp=jax.numpy`` (and that has no case
  or exclusion of its own).
"""

from __future__ import annotations

import inspect
import sys

from audit import discovery
from audit.core import trace_calls

__all__ = [
    "HELPER_TRACKER",
    "helper_codes",
    "uncovered_entry_points",
    "unreached_helpers",
    "unregistered_profile_classes",
]


def _profile_method_names() -> set[str]:
    names = set()
    for cls in discovery.profile_classes():
        for func in discovery.profile_methods(cls).values():
            names.add(discovery.qualified_name(func))
    return names


def uncovered_entry_points(table_keys, exclusions: dict, discovered: dict | None = None) -> list:
    """Problems: discovered entry points with neither a case nor an exclusion; stale keys."""
    discovered = discovery.entry_points() if discovered is None else discovered
    helpers = discovery.profile_module_helpers()
    problems = []
    for name in discovered:
        if name in helpers or name in table_keys or name in exclusions:
            continue
        problems.append(
            f"{name}: takes xp but has no example call in workspace_tests/audit/examples.py "
            "and no reasoned entry in EXCLUSIONS"
        )
    for name, reason in exclusions.items():
        if not str(reason).strip():
            problems.append(f"{name}: excluded without a reason")
    known = set(discovered) | _profile_method_names()
    for name in sorted(set(table_keys) | set(exclusions)):
        if name not in known:
            problems.append(f"{name}: example/exclusion key matches no discovered entry point")
    return problems


def unregistered_profile_classes(examples, missing_tables=()) -> list:
    """Problems: profile classes without a registry example (and missing family tables)."""
    registered = {e.cls for e in examples}
    problems = [f"{name}: registry family table cannot be imported" for name in missing_tables]
    for cls in discovery.profile_classes():
        if cls not in registered:
            problems.append(
                f"{cls.__module__}.{cls.__qualname__}: profile class without a registry "
                "entry (add a ProfileExample to its family's registry table)"
            )
    return problems


def helper_codes() -> dict:
    """``{code object: qualified name}`` of the profile modules' public xp-aware helpers."""
    return {
        inspect.unwrap(func).__code__: name
        for name, func in discovery.profile_module_helpers().items()
    }


class _HelperTracker:
    """Records which helper functions were called while profile cases were traced."""

    def __init__(self) -> None:
        self.called: set[str] = set()
        self.cases: set[str] = set()
        self.disabled = False  # True when another tool (debugger, coverage) owns sys.settrace

    def context(self, case_name: str):
        codes = helper_codes()
        tracker = self

        class _Context(trace_calls):
            def __exit__(self, *exc):
                super().__exit__(*exc)
                tracker.called.update(codes[c] for c in self.called)
                tracker.cases.add(case_name)
                return False

        if sys.gettrace() is not None:  # a debugger or coverage tool owns the hook
            self.disabled = True
            return _NullContext()
        return _Context(set(codes))


class _NullContext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


#: Session-wide record filled by the profile parity tests.
HELPER_TRACKER = _HelperTracker()


def unreached_helpers(called: set, table_keys, exclusions: dict) -> list:
    """Problems: helpers neither reached while tracing nor given a case / exclusion."""
    problems = []
    for name in discovery.profile_module_helpers():
        if name in called or name in table_keys or name in exclusions:
            continue
        problems.append(
            f"{name}: public xp-aware helper of a profile module that no registry example "
            "reaches while traced with xp=jax.numpy; give it an example in audit/examples.py "
            "or an exclusion with a reason"
        )
    return problems

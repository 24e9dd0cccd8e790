"""Audit cases for profile classes, built from the registry of valid example parameters.

Each ``ProfileExample`` becomes one :class:`~audit.core.Case` per group of parameter sets
that share the same static values (e.g. ``PowerLawMultipole``'s order ``m``): its regular
parameters and its singular sets. Float parameters and float components of tuples
(``centre`` -> ``centre_0``, ``centre_1``) are traced; ints, bools, strings and None stay
static. The profile is built inside the traced function from the traced parameters, and
every public xp-aware method of the class is an entry point named
``<module>.<Class>.<method>``.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np

from audit import examples
from audit.core import Case
from audit.discovery import profile_methods

__all__ = ["FAMILY_TABLES", "profile_cases", "registry_examples"]

#: Mirrors ``xpgalaxy.profiles.registry.all_examples`` for when one family table is missing
#: (a profile family still being written): the others are audited, the missing one reported.
FAMILY_TABLES = (
    ("xpgalaxy.profiles.light.registry", "LIGHT_EXAMPLES"),
    ("xpgalaxy.profiles.mass.registry_analytic", "ANALYTIC_MASS_EXAMPLES"),
    ("xpgalaxy.profiles.mass.registry_numerical", "NUMERICAL_MASS_EXAMPLES"),
)


def registry_examples() -> tuple[list, list[str]]:
    """All registry examples, and the family table modules that could not be imported."""
    from xpgalaxy.profiles import registry

    try:
        return list(registry.all_examples()), []
    except ModuleNotFoundError:
        pass
    found, missing = [], []
    for module_name, table in FAMILY_TABLES:
        try:
            found.extend(getattr(importlib.import_module(module_name), table))
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            missing.append(module_name)
    return found, missing


def _is_traced(value) -> bool:
    return isinstance(value, float | np.floating) and not isinstance(value, bool)


def _split(params: dict) -> tuple[dict, tuple]:
    """(traced flat parameters, hashable description of the static ones)."""
    traced, static = {}, []
    for key, value in params.items():
        if isinstance(value, tuple):
            for i, v in enumerate(value):
                if _is_traced(v):
                    traced[f"{key}_{i}"] = float(v)
                else:
                    static.append((f"{key}_{i}", repr(v)))
        elif _is_traced(value):
            traced[key] = float(value)
        else:
            static.append((key, repr(value)))
    return traced, tuple(static)


def _builder(cls, template: dict):
    """``p -> cls(**kwargs)`` putting traced values back into ``template``'s layout."""

    def build(p):
        kwargs = {}
        for key, value in template.items():
            if isinstance(value, tuple):
                kwargs[key] = tuple(
                    p[f"{key}_{i}"] if _is_traced(v) else v for i, v in enumerate(value)
                )
            elif _is_traced(value):
                kwargs[key] = p[key]
            else:
                kwargs[key] = value
        return cls(**kwargs)

    return build


def _required_arguments(func) -> list[str]:
    """Names of the method's arguments after ``self`` without a default, other than ``xp``."""
    names = []
    for name, param in inspect.signature(func).parameters.items():
        if name in ("self", "xp") or param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if param.default is inspect.Parameter.empty:
            names.append(name)
    return names


def call_profile_method(obj, name: str, func, xp):
    """Call ``obj.name`` with the example argument of each parameter it requires."""
    method = getattr(obj, name)
    required = _required_arguments(func)
    missing = [a for a in required if a not in examples.PROFILE_ARGUMENTS]
    if missing:
        raise KeyError(
            f"no example argument for parameter {missing[0]!r} of {name}: add one to "
            "workspace_tests/audit/examples.py PROFILE_ARGUMENTS"
        )
    return method(*(examples.PROFILE_ARGUMENTS[a]() for a in required), xp=xp)


#: Why the frame helpers inherited from ``profiles/geometry.py`` are left out of the gradient
#: check (their values are still compared): every physics method of the same case runs
#: them inside ``@transform`` (shift, rotation, axis ratio and angle from ``ell_comps``), so
#: their gradients are part of the physics methods' gradients; left out, each profile case
#: compiles ~20% faster.
GEOMETRY_GRAD_REASON = (
    "frame helpers from profiles/geometry.py: their gradients enter every physics method's "
    "gradient of the same case through @transform"
)


def _geometry_methods(cls) -> frozenset:
    return frozenset(
        f"{cls.__module__}.{cls.__qualname__}.{name}"
        for name, func in profile_methods(cls).items()
        if func.__module__ == "xpgalaxy.profiles.geometry"
    )


def _entries(cls, build) -> dict:
    entries = {}
    for name, func in profile_methods(cls).items():
        if f"{func.__module__}.{func.__qualname__}" in examples.EXCLUSIONS:
            continue
        qualname = f"{cls.__module__}.{cls.__qualname__}.{name}"

        def fn(p, xp, name=name, func=func):
            return call_profile_method(build(p), name, func, xp)

        entries[qualname] = fn
    return entries


def _with_defaults(cls, params: dict) -> dict:
    """``params`` plus the constructor's defaults for the arguments it leaves out, so every
    float argument is traced (and the singular sets share the regular set's layout)."""
    full = {}
    for name, param in inspect.signature(cls.__init__).parameters.items():
        if name in params:
            full[name] = params[name]
        elif (
            param.default is not inspect.Parameter.empty
            and param.kind is param.POSITIONAL_OR_KEYWORD
        ):
            full[name] = param.default
    return {**full, **params}


def profile_cases(example_list) -> list[Case]:
    """One Case per (example, group of parameter sets with equal static values)."""
    cases = []
    counts: dict[type, int] = {}
    for example in example_list:
        index = counts.get(example.cls, 0)
        counts[example.cls] = index + 1
        groups: dict[tuple, list[dict]] = {}
        for params in (example.params, *example.singular):
            params = _with_defaults(example.cls, params)
            traced, static = _split(params)
            groups.setdefault((tuple(traced), static), []).append(params)
        for g, (_, rows) in enumerate(groups.items()):
            flat = [_split(r)[0] for r in rows]
            first = flat[0]
            batch = list(flat)
            for factor in (0.97, 0.94):
                if len(batch) < 3:
                    batch.append({k: v * factor for k, v in first.items()})
            label = f"{example.cls.__name__}[{index}]" + (f"/group{g}" if g else "")
            cases.append(
                Case(
                    name=label,
                    params=first,
                    entries=_entries(example.cls, _builder(example.cls, rows[0])),
                    batch=batch,
                    grad_points=flat,
                    rtol=example.rtol,
                    reason=example.reason,
                    grad_skip=_geometry_methods(example.cls),
                    grad_skip_reason=GEOMETRY_GRAD_REASON,
                )
            )
    return cases

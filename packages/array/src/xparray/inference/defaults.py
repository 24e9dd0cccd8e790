"""Default priors and parameter labels, looked up when a model leaves an argument free.

Lookup order for a constructor argument ``name`` of class ``cls`` (first hit wins):

1. ``default_priors`` class attributes along ``cls.__mro__``;
2. per-class tables registered with ``register_default_priors({cls: {...}})``, along the MRO;
3. the global name-keyed table registered with ``register_default_priors({name: ...})``.

A table value is a :class:`Prior` (copied, so every model gets its own parameter) or a
zero-argument callable returning one. Tuple components ``centre_0`` are looked up under
``centre_0`` first, then under ``centre`` (applied to each component).
"""

from __future__ import annotations

from collections.abc import Mapping

from xparray.errors import InputError
from xparray.inference.priors import Prior

__all__ = [
    "register_default_priors",
    "register_parameter_labels",
    "default_prior_for",
    "label_for",
]

_BY_CLASS: dict[type, dict[str, object]] = {}
_BY_NAME: dict[str, object] = {}
_LABELS_BY_CLASS: dict[type, dict[str, str]] = {}
_LABELS_BY_NAME: dict[str, str] = {}


def _check_value(key, value) -> None:
    if not (isinstance(value, Prior) or callable(value)):
        raise InputError(
            f"default prior for {key!r} is {value!r}; pass a Prior or a zero-argument "
            "callable returning one (e.g. lambda: UniformPrior(0.0, 1.0))."
        )


def register_default_priors(mapping: Mapping) -> None:
    """Extend the default-prior tables (used by upper layers such as xpgalaxy).

    ``mapping`` keys are parameter names (global, any class) or classes whose value is a
    ``{parameter name: prior}`` dict. Later registrations override earlier ones.
    """
    for key, value in mapping.items():
        if isinstance(key, type):
            for name, item in value.items():
                _check_value(name, item)
            _BY_CLASS.setdefault(key, {}).update(value)
        elif isinstance(key, str):
            _check_value(key, value)
            _BY_NAME[key] = value
        else:
            raise InputError(
                f"register_default_priors: key {key!r} must be a parameter name or a class."
            )


def register_parameter_labels(mapping: Mapping) -> None:
    """Extend the label tables: ``{name: label}`` globally or ``{cls: {name: label}}``."""
    for key, value in mapping.items():
        if isinstance(key, type):
            _LABELS_BY_CLASS.setdefault(key, {}).update(value)
        else:
            _LABELS_BY_NAME[str(key)] = str(value)


def _tables(cls: type, attribute: str, by_class: dict, by_name: dict) -> list[Mapping]:
    tables: list[Mapping] = []
    for klass in cls.__mro__:
        own = vars(klass).get(attribute)
        if isinstance(own, Mapping):
            tables.append(own)
    tables.extend(by_class[klass] for klass in cls.__mro__ if klass in by_class)
    tables.append(by_name)
    return tables


def _make(value) -> Prior | float:
    """A fresh Prior, or a plain number: a default table may fix a parameter (PyAutoGalaxy's
    configs fix e.g. SersicCore's ``gamma``)."""
    prior = value.new() if isinstance(value, Prior) else value()
    if isinstance(prior, bool) or not isinstance(prior, Prior | int | float):
        raise InputError(
            f"default prior factory {value!r} returned {prior!r}, not a Prior or a number."
        )
    return prior


def default_prior_for(cls: type, name: str, base: str | None = None) -> Prior | None:
    """A fresh default prior for argument ``name`` of ``cls`` (``base`` for tuple parts)."""
    for table in _tables(cls, "default_priors", _BY_CLASS, _BY_NAME):
        if name in table:
            return _make(table[name])
        if base is not None and base in table:
            return _make(table[base])
    return None


def has_default_prior(cls: type, name: str) -> bool:
    return any(name in t for t in _tables(cls, "default_priors", _BY_CLASS, _BY_NAME))


def label_for(cls: type | None, name: str, base: str | None = None) -> str:
    """Display label of a parameter (``parameter_labels`` tables), else the name itself."""
    tables = [_LABELS_BY_NAME]
    if cls is not None:
        tables = _tables(cls, "parameter_labels", _LABELS_BY_CLASS, _LABELS_BY_NAME)
    for table in tables:
        if name in table:
            return str(table[name])
        if base is not None and base in table:
            return f"{table[base]}_{name[len(base) + 1 :]}"
    return name

"""JAX pytree registration, done lazily so the NumPy path never imports JAX.

Two mechanisms (DESIGN.md section 6):

* structures call ``register_structure_once(cls)`` the first time one is built with
  ``xp=jnp``;
* higher-level classes (profiles, Galaxy, Tracer, fits, ...) call
  ``register_instance_pytree(cls, no_flatten=(...))``. Every instance attribute becomes a
  leaf except the names in ``no_flatten``, ``functools.cached_property`` values (which are
  dropped: they are recomputed from the leaves) and plain non-array metadata (str, bool,
  None, types, functions), which travel as static aux data.

Static aux data is wrapped in :class:`Static`, which hashes and compares by value for
small immutable values and by identity for everything else (a dataset, a cosmology), so a
second call with new leaf values of the same structure never retraces.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable, Iterable

__all__ = [
    "Static",
    "is_registered",
    "register_if_jax_loaded",
    "register_instance_pytree",
    "register_structure_once",
    "register_tree",
]

_REGISTERED: set[type] = set()

_SIMPLE = (str, int, float, bool, type(None), complex, bytes)


def _is_simple(value) -> bool:
    if isinstance(value, _SIMPLE):
        return True
    if isinstance(value, tuple | frozenset):
        return all(_is_simple(v) for v in value)
    return False


class Static:
    """Wraps static aux data: value semantics for small immutables, identity otherwise.

    Objects that define their own cheap ``__hash__``/``__eq__`` can opt in to value
    semantics with a ``_static_by_value = True`` class attribute (``Mask2D`` does).
    """

    __slots__ = ("value", "_by_value")

    def __init__(self, value):
        self.value = value
        self._by_value = _is_simple(value) or getattr(type(value), "_static_by_value", False)

    def __hash__(self) -> int:
        return hash(self.value) if self._by_value else id(self.value)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Static):
            return NotImplemented
        if self.value is other.value:
            return True
        if self._by_value and other._by_value and type(self.value) is type(other.value):
            return bool(self.value == other.value)
        return False

    def __repr__(self) -> str:
        return f"Static({self.value!r})"


def is_registered(cls: type) -> bool:
    return cls in _REGISTERED


def _auto_static(value) -> bool:
    return isinstance(value, str | bool | type(None) | type | types.FunctionType | types.ModuleType)


def _cached_names(cls: type) -> frozenset[str]:
    names = set()
    for klass in cls.__mro__:
        for name, attr in vars(klass).items():
            if isinstance(attr, functools.cached_property):
                names.add(name)
    return frozenset(names)


def register_instance_pytree(cls: type, no_flatten: Iterable[str] = ()) -> type:
    """Register ``cls`` with ``jax.tree_util`` (idempotent; imports jax).

    Leaves are the instance's ``__dict__`` entries in sorted-name order, except the names in
    ``no_flatten``, cached properties, and plain metadata (str, bool, None, types,
    functions), which are static. Subclasses are not covered automatically: register each
    concrete class (``register_instance_pytree`` is cheap to call again).
    """
    if cls in _REGISTERED:
        return cls
    import jax

    static_names = frozenset(no_flatten)
    cached = _cached_names(cls)

    def flatten(obj):
        d = obj.__dict__
        dyn_keys, children, statics = [], [], []
        for key in sorted(d):
            if key in cached:
                continue
            value = d[key]
            if key in static_names or _auto_static(value):
                statics.append((key, Static(value)))
            else:
                dyn_keys.append(key)
                children.append(value)
        return children, (tuple(dyn_keys), tuple(statics))

    def unflatten(aux, children):
        dyn_keys, statics = aux
        obj = object.__new__(cls)
        d = obj.__dict__
        for key, value in zip(dyn_keys, children):
            d[key] = value
        for key, static in statics:
            d[key] = static.value
        return obj

    jax.tree_util.register_pytree_node(cls, flatten, unflatten)
    _REGISTERED.add(cls)
    return cls


def register_structure_once(cls: type, flatten: Callable, unflatten: Callable) -> None:
    """Register a structure class with custom flatten/unflatten, once (imports jax)."""
    if cls in _REGISTERED:
        return
    import jax

    jax.tree_util.register_pytree_node(cls, flatten, unflatten)
    _REGISTERED.add(cls)


def _no_flatten_of(cls: type) -> tuple[str, ...]:
    return tuple(getattr(cls, "__pytree_no_flatten__", ()))


def register_if_jax_loaded(cls: type) -> None:
    """Register ``cls`` (its ``__pytree_no_flatten__`` names static) if jax is imported.

    Cheap, and never imports jax itself: objects built before the user imports jax are
    registered later by ``register_tree``.
    """
    if cls not in _REGISTERED and "jax" in sys.modules:
        register_instance_pytree(cls, no_flatten=_no_flatten_of(cls))


def register_tree(obj, _seen=None) -> None:
    """Register every class in an object graph that declares ``__pytree_no_flatten__``.

    Walks instance attributes, lists, tuples and dicts; imports jax.
    """
    seen = set() if _seen is None else _seen
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, list | tuple):
        for item in obj:
            register_tree(item, seen)
        return
    if isinstance(obj, dict):
        for item in obj.values():
            register_tree(item, seen)
        return
    cls = type(obj)
    if hasattr(cls, "__pytree_no_flatten__"):
        register_instance_pytree(cls, no_flatten=_no_flatten_of(cls))
        for value in vars(obj).values():
            register_tree(value, seen)

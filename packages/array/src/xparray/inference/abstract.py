"""Shared machinery of :class:`Model` and :class:`Collection`: slots, ties, vector mapping.

A model is a tree of named slots. A slot holds a :class:`Prior` (a free parameter), a
nested model, a tuple of such (``centre`` -> ``centre_0``, ``centre_1``) or a fixed value.
Two slots holding the *same* prior object are tied and count once. The parameter vector
is the unique priors ordered by ``Prior.id`` (creation order), so building an instance
from a vector only indexes it with static Python integers and traces under
``jax.jit``/``jax.vmap``.
"""

from __future__ import annotations

import copy
import re
import sys
from collections.abc import Iterator, Mapping
from types import ModuleType
from typing import NamedTuple

import numpy as np

from xparray.backend import is_jax
from xparray.errors import InputError
from xparray.inference.defaults import label_for
from xparray.inference.priors import Prior

__all__ = ["AbstractPriorModel", "TuplePrior"]

_COMPONENT = re.compile(r"^(?P<base>.+)_(?P<index>\d+)$")


class _TupleSlot(list):
    """Mutable storage of a tuple parameter's components (priors, models or values)."""


class TuplePrior(tuple):
    """Read-only view of a tuple parameter: ``model.centre`` -> ``(prior_0, prior_1)``.

    Assigning it to another tuple parameter ties every component
    (``source.centre = lens.centre``); ``view.centre_0`` reads one component.
    """

    def __new__(cls, name: str, components):
        obj = super().__new__(cls, components)
        obj.name = name
        return obj

    def __getattr__(self, item: str):
        match = _COMPONENT.match(item)
        if match and match["base"] == self.name and int(match["index"]) < len(self):
            return self[int(match["index"])]
        raise AttributeError(item)


class _Slot(NamedTuple):
    path: tuple[str, ...]
    prior: Prior
    owner: type | None
    base: str | None


def _is_model(value) -> bool:
    return isinstance(value, AbstractPriorModel)


class AbstractPriorModel:
    """Base of Model and Collection. Subclasses define ``_build`` and ``_check_name``."""

    # ------------------------------------------------------------- slots
    def _init_slots(self) -> None:
        object.__setattr__(self, "_entries", {})

    #: Collections turn dict values into sub-collections; a Model keeps dicts as values.
    _dicts_are_collections = False

    def _normalise(self, value):
        """Classes become ``Model(cls)``; in a Collection dicts become ``Collection(**d)``."""
        from xparray.inference.collection import Collection
        from xparray.inference.model import Model

        if isinstance(value, type) and not issubclass(value, Prior):
            return Model(value)
        if self._dicts_are_collections and isinstance(value, Mapping):
            return Collection(**value)
        return value

    def _slot_for(self, value):
        if isinstance(value, tuple):
            return _TupleSlot(self._normalise(v) for v in value)
        return self._normalise(value)

    def _owner_class(self) -> type | None:
        return None

    def _check_name(self, name: str) -> None:
        """Raise if ``name`` cannot be a slot of this model."""

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        entries = self.__dict__.get("_entries", {})
        if name in entries:
            entry = entries[name]
            return TuplePrior(name, entry) if isinstance(entry, _TupleSlot) else entry
        match = _COMPONENT.match(name)
        if match and isinstance(entries.get(match["base"]), _TupleSlot):
            slot = entries[match["base"]]
            if int(match["index"]) < len(slot):
                return slot[int(match["index"])]
        raise AttributeError(
            f"{type(self).__name__} has no parameter {name!r}; parameters are {list(entries)}."
        )

    def __setattr__(self, name: str, value) -> None:
        """Tie (assign a prior), fix (assign a value) or nest (assign a model/class)."""
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        entries = self._entries
        match = _COMPONENT.match(name)
        if name not in entries and match and isinstance(entries.get(match["base"]), _TupleSlot):
            slot, index = entries[match["base"]], int(match["index"])
            if index >= len(slot):
                raise InputError(
                    f"{match['base']} has {len(slot)} components; {name} does not exist."
                )
            slot[index] = self._normalise(value)
            return
        if isinstance(entries.get(name), _TupleSlot):
            slot = entries[name]
            if not isinstance(value, tuple | list) or len(value) != len(slot):
                raise InputError(
                    f"{name} is a tuple of {len(slot)} components; assign a tuple of "
                    f"{len(slot)} values/priors or set {name}_0, {name}_1, ... one by one."
                )
            entries[name] = _TupleSlot(self._normalise(v) for v in value)
            return
        self._check_name(name)
        entries[name] = self._slot_for(value)

    # ------------------------------------------------------------- walking
    def _walk(self, prefix: tuple[str, ...] = ()) -> Iterator[_Slot]:
        """Every prior slot (ties included) in insertion order."""
        owner = self._owner_class()
        for name, entry in self._entries.items():
            if isinstance(entry, _TupleSlot):
                for i, component in enumerate(entry):
                    path = (*prefix, f"{name}_{i}")
                    if isinstance(component, Prior):
                        yield _Slot(path, component, owner, name)
                    elif _is_model(component):
                        yield from component._walk(path)
            elif isinstance(entry, Prior):
                yield _Slot((*prefix, name), entry, owner, None)
            elif _is_model(entry):
                yield from entry._walk((*prefix, name))

    def _unique_slots(self) -> list[_Slot]:
        first: dict[int, _Slot] = {}
        for slot in self._walk():
            first.setdefault(id(slot.prior), slot)
        return sorted(first.values(), key=lambda s: s.prior.id)

    def _models(self) -> Iterator[AbstractPriorModel]:
        yield self
        for entry in self._entries.values():
            for item in entry if isinstance(entry, _TupleSlot) else (entry,):
                if _is_model(item):
                    yield from item._models()

    @property
    def priors_ordered_by_id(self) -> list[Prior]:
        """The free parameters (unique priors) in vector order."""
        return [s.prior for s in self._unique_slots()]

    @property
    def prior_count(self) -> int:
        return len(self._unique_slots())

    @property
    def paths(self) -> tuple[tuple[str, ...], ...]:
        """Attribute path of each free parameter (first occurrence for tied priors)."""
        return tuple(s.path for s in self._unique_slots())

    @property
    def parameter_names(self) -> list[str]:
        return [s.path[-1] for s in self._unique_slots()]

    @property
    def parameter_labels(self) -> list[str]:
        """Display labels (class/global ``parameter_labels`` tables, else the name)."""
        return [label_for(s.owner, s.path[-1], s.base) for s in self._unique_slots()]

    @property
    def instantiated_classes(self) -> list[type]:
        """Every class this model builds (for pytree registration)."""
        classes = []
        for model in self._models():
            cls = model._owner_class()
            if cls is not None and cls not in classes:
                classes.append(cls)
        return classes

    # ------------------------------------------------------------- building
    def _build(self, values: dict[int, object]):
        raise NotImplementedError

    def _build_entry(self, entry, values: dict[int, object]):
        if isinstance(entry, Prior):
            return values[id(entry)]
        if _is_model(entry):
            return entry._build(values)
        if isinstance(entry, _TupleSlot):
            return tuple(self._build_entry(c, values) for c in entry)
        return entry

    def _check_length(self, vector, what: str) -> int:
        n = vector.shape[0] if hasattr(vector, "shape") else len(vector)
        if n != self.prior_count:
            raise InputError(
                f"{what} has {n} entries but the model has {self.prior_count} free "
                f"parameters ({self.parameter_names})."
            )
        return n

    def instance_from_vector(self, vector, xp: ModuleType = np):
        """Build the model from physical parameter values (vector order = prior ids).

        Only static integer indexing: works on a traced vector under jit/vmap.
        """
        slots = self._unique_slots()
        self._check_length(vector, "vector")
        values = {id(s.prior): vector[i] for i, s in enumerate(slots)}
        instance = self._build(values)
        if is_jax(xp) or "jax" in sys.modules:
            from xparray.inference.instance import register_model_pytrees

            register_model_pytrees(self)
        return instance

    def vector_from_unit_vector(self, unit, xp: ModuleType = np):
        """Physical vector from a point of the unit hypercube (each prior's quantile)."""
        priors = self.priors_ordered_by_id
        self._check_length(unit, "unit vector")
        if not priors:
            return xp.zeros(0)
        return xp.stack([p.value_for(unit[i], xp=xp) for i, p in enumerate(priors)])

    def unit_vector_from_vector(self, vector) -> np.ndarray:
        """Inverse of :meth:`vector_from_unit_vector` (NumPy only)."""
        priors = self.priors_ordered_by_id
        self._check_length(vector, "vector")
        return np.array([float(p.unit_from_value(vector[i])) for i, p in enumerate(priors)])

    def instance_from_unit_vector(self, unit, xp: ModuleType = np):
        return self.instance_from_vector(self.vector_from_unit_vector(unit, xp=xp), xp=xp)

    def instance_from_prior_medians(self, xp: ModuleType = np):
        medians = [p.median for p in self.priors_ordered_by_id]
        return self.instance_from_vector(xp.asarray(medians, dtype=float), xp=xp)

    def random_instance(self, seed: int | None = None):
        """An instance drawn from the priors (NumPy ``default_rng(seed)``)."""
        unit = np.random.default_rng(seed).random(self.prior_count)
        return self.instance_from_unit_vector(unit)

    def log_prior_list_from_vector(self, vector, xp: ModuleType = np) -> list:
        """Each free parameter's log prior density (finite outside support, see priors)."""
        priors = self.priors_ordered_by_id
        self._check_length(vector, "vector")
        return [p.log_prior_from_value(vector[i], xp=xp) for i, p in enumerate(priors)]

    # ------------------------------------------------------------- description
    def info_lines(self, indent: int = 0, prefix: tuple[str, ...] = (), firsts=None) -> list:
        if firsts is None:
            firsts = {id(s.prior): s.path for s in self._unique_slots()}
        lines = []
        pad = "    " * indent

        def row(label: str, text: str) -> str:
            return f"{pad}{label:<{max(48 - len(pad), len(label) + 1)}} {text}"

        def prior_text(prior: Prior, path: tuple[str, ...]) -> str:
            first = firsts[id(prior)]
            tied = "" if first == path else f" (tied to {'.'.join(first)})"
            return prior.info() + tied

        for name, entry in self._entries.items():
            path = (*prefix, name)
            if isinstance(entry, _TupleSlot):
                for i, component in enumerate(entry):
                    cpath = (*prefix, f"{name}_{i}")
                    if _is_model(component):
                        lines.append(row(cpath[-1], component._header()))
                        lines += component.info_lines(indent + 1, cpath, firsts)
                    elif isinstance(component, Prior):
                        lines.append(row(cpath[-1], prior_text(component, cpath)))
                    else:
                        lines.append(row(cpath[-1], repr(component)))
            elif isinstance(entry, Prior):
                lines.append(row(name, prior_text(entry, path)))
            elif _is_model(entry):
                lines.append(row(name, entry._header()))
                lines += entry.info_lines(indent + 1, path, firsts)
            else:
                lines.append(row(name, repr(entry)))
        return lines

    def _header(self) -> str:
        return f"{self._type_name()} (N={self.prior_count})"

    def _type_name(self) -> str:
        return type(self).__name__

    @property
    def info(self) -> str:
        """Readable summary: every parameter path with its prior, tie or fixed value."""
        head = [f"Total Free Parameters = {self.prior_count}", "", f"model {self._header()}", ""]
        return "\n".join(head + self.info_lines()) + "\n"

    def to_dict(self) -> dict:
        """JSON-serialisable description (class import paths, priors, fixed values)."""
        from xparray.inference.serialise import model_to_dict

        return model_to_dict(self)

    @staticmethod
    def from_dict(data: dict):
        """Rebuild a Model/Collection from :meth:`to_dict` output (ties preserved)."""
        from xparray.inference.serialise import model_from_dict

        return model_from_dict(data)

    def copy(self):
        return copy.deepcopy(self)

    def __repr__(self) -> str:
        return f"<{self._header()}>"

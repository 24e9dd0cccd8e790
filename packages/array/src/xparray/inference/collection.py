"""``Collection``: a named group of models, priors and values built into a ModelInstance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from xparray.inference.abstract import AbstractPriorModel, TuplePrior, _TupleSlot

__all__ = ["Collection"]


class Collection(AbstractPriorModel):
    """``Collection(lens=Model(...), source=Model(...))``; nests freely.

    Positional arguments may be mappings (merged) or sequences (items named ``"0"``,
    ``"1"``, ...). Iteration and the built :class:`ModelInstance` keep insertion order.
    """

    _dicts_are_collections = True

    def __init__(self, *args, **kwargs) -> None:
        self._init_slots()
        merged: dict[str, object] = {}
        for arg in args:
            if isinstance(arg, Mapping):
                merged.update(arg)
            elif isinstance(arg, list | tuple):
                for item in arg:
                    merged[str(len(merged))] = item
            else:
                merged[str(len(merged))] = arg
        merged.update(kwargs)
        for name, value in merged.items():
            self._entries[str(name)] = self._slot_for(value)

    def _view(self, name: str):
        entry = self._entries[name]
        return TuplePrior(name, entry) if isinstance(entry, _TupleSlot) else entry

    def __getitem__(self, key):
        if isinstance(key, int):
            key = list(self._entries)[key]
        return self._view(key)

    def __setitem__(self, key, value) -> None:
        setattr(self, str(key), value)

    def __iter__(self) -> Iterator:
        return (self._view(name) for name in list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> list[tuple[str, object]]:
        return [(name, self._view(name)) for name in self._entries]

    def _build(self, values):
        from xparray.inference.instance import ModelInstance

        return ModelInstance(
            {name: self._build_entry(entry, values) for name, entry in self._entries.items()}
        )

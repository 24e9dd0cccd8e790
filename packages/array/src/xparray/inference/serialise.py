"""JSON description of a model (``model.json``): class import paths, priors, fixed values.

Node types: ``Model`` (``class_path`` + ``arguments``), ``Collection`` (``arguments``),
``Tuple`` (``components``), ``Prior`` (prior dict with its ``id``: equal ids are the same
prior, so ties survive), ``Constant`` (JSON value), ``Float`` (``inf``/``nan`` as text),
``Array``, ``List``, ``Dict``, ``Instance`` (an object rebuilt from the attributes named
like its constructor arguments) and ``Unserialisable`` (a repr; loading it fails).
"""

from __future__ import annotations

import importlib
import inspect
import math

import numpy as np

from xparray.errors import InputError
from xparray.inference.abstract import _TupleSlot
from xparray.inference.priors import Prior, prior_from_dict

__all__ = ["model_to_dict", "model_from_dict"]


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _import_class(path: str) -> type:
    module_name, _, qualname = path.partition(":")
    if "<locals>" in qualname:
        raise InputError(f"class {path!r} was defined inside a function and cannot be imported.")
    try:
        obj = importlib.import_module(module_name)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as error:
        raise InputError(f"cannot import class {path!r}: {error}") from error
    return obj


def _importable(cls: type) -> bool:
    try:
        return _import_class(_class_path(cls)) is cls
    except InputError:
        return False


def _constant(value) -> dict:
    if value is None or isinstance(value, bool | int | str):
        return {"type": "Constant", "value": value}
    if isinstance(value, float | np.floating):
        value = float(value)
        if math.isfinite(value):
            return {"type": "Constant", "value": value}
        return {"type": "Float", "value": repr(value)}
    if isinstance(value, np.integer | np.bool_):
        return {"type": "Constant", "value": value.item()}
    if isinstance(value, np.ndarray):
        return {"type": "Array", "dtype": str(value.dtype), "value": value.tolist()}
    if isinstance(value, list | tuple):
        return {
            "type": "List",
            "tuple": isinstance(value, tuple),
            "items": [_node(v) for v in value],
        }
    if isinstance(value, dict):
        return {"type": "Dict", "items": {str(k): _node(v) for k, v in value.items()}}
    cls = type(value)
    try:
        names = [
            p.name
            for p in list(inspect.signature(cls.__init__).parameters.values())[1:]
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        ]
    except (TypeError, ValueError):
        names = None
    attrs = getattr(value, "__dict__", {})
    if names is not None and _importable(cls) and all(n in attrs for n in names):
        return {
            "type": "Instance",
            "class_path": _class_path(cls),
            "arguments": {n: _node(attrs[n]) for n in names},
        }
    return {"type": "Unserialisable", "class_path": _class_path(cls), "repr": repr(value)}


def _node(entry) -> dict:
    from xparray.inference.collection import Collection
    from xparray.inference.model import Model

    if isinstance(entry, Prior):
        return {"type": "Prior", "prior": entry.to_dict()}
    if isinstance(entry, Model):
        args = {name: _node(e) for name, e in entry._entries.items()}
        return {"type": "Model", "class_path": _class_path(entry.cls), "arguments": args}
    if isinstance(entry, Collection):
        return {"type": "Collection", "arguments": {n: _node(e) for n, e in entry._entries.items()}}
    if isinstance(entry, _TupleSlot):
        return {"type": "Tuple", "components": [_node(c) for c in entry]}
    return _constant(entry)


def model_to_dict(model) -> dict:
    """JSON-serialisable dict of ``model`` (see module docstring for the node types)."""
    return _node(model)


def _collect_priors(node, found: dict[int, dict]) -> None:
    if isinstance(node, dict):
        if node.get("type") == "Prior":
            found.setdefault(int(node["prior"]["id"]), node["prior"])
            return
        for value in node.values():
            _collect_priors(value, found)
    elif isinstance(node, list):
        for value in node:
            _collect_priors(value, found)


def _load(node: dict, priors: dict[int, Prior]):
    from xparray.inference.collection import Collection
    from xparray.inference.model import Model

    kind = node.get("type")
    if kind == "Prior":
        return priors[int(node["prior"]["id"])]
    if kind == "Model":
        args = {k: _load(v, priors) for k, v in node["arguments"].items()}
        return Model(_import_class(node["class_path"]), **args)
    if kind == "Collection":
        return Collection(**{k: _load(v, priors) for k, v in node["arguments"].items()})
    if kind == "Tuple":
        return tuple(_load(c, priors) for c in node["components"])
    if kind == "Constant":
        return node["value"]
    if kind == "Float":
        return float(node["value"])
    if kind == "Array":
        return np.asarray(node["value"], dtype=node["dtype"])
    if kind == "List":
        items = [_load(v, priors) for v in node["items"]]
        return tuple(items) if node.get("tuple") else items
    if kind == "Dict":
        return {k: _load(v, priors) for k, v in node["items"].items()}
    if kind == "Instance":
        args = {k: _load(v, priors) for k, v in node["arguments"].items()}
        return _import_class(node["class_path"])(**args)
    if kind == "Unserialisable":
        raise InputError(
            f"model.json holds an unserialisable fixed value {node['repr']} "
            f"({node['class_path']}); pass it again when rebuilding the model."
        )
    raise InputError(f"unknown model node type {kind!r}.")


def model_from_dict(data: dict):
    """Rebuild a model from :func:`model_to_dict` output.

    Priors are recreated in their original id order, so the parameter vector order is
    unchanged; slots that shared a prior id share the new prior (ties survive).
    """
    found: dict[int, dict] = {}
    _collect_priors(data, found)
    priors = {old_id: prior_from_dict(found[old_id]) for old_id in sorted(found)}
    return _load(data, priors)

"""``ModelInstance``: what a Collection builds; a JAX pytree once JAX is in use.

Registration never imports JAX newly on the NumPy path: models register their classes
when built with ``xp=jnp`` or when ``jax`` is already in ``sys.modules``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from xparray.pytrees import register_instance_pytree

__all__ = ["ModelInstance", "register_model_pytrees"]


class ModelInstance:
    """Attribute bag with insertion order: ``instance.galaxies.lens.mass``.

    Iterating yields the values (``list(instance.galaxies)`` -> galaxies), ``instance[0]``
    or ``instance["lens"]`` index them. The key order is static pytree data.
    """

    __pytree_no_flatten__ = ("_keys",)

    def __init__(self, items: Mapping[str, object] | None = None) -> None:
        items = dict(items or {})
        self.__dict__.update(items)
        self.__dict__["_keys"] = tuple(items)

    def __setattr__(self, name: str, value) -> None:
        if name != "_keys" and name not in self._keys:
            self.__dict__["_keys"] = (*self._keys, name)
        self.__dict__[name] = value

    def __getitem__(self, key):
        if isinstance(key, int):
            key = self._keys[key]
        return self.__dict__[key]

    def __iter__(self) -> Iterator:
        return (self.__dict__[k] for k in self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self) -> tuple[str, ...]:
        return self._keys

    def items(self) -> list[tuple[str, object]]:
        return [(k, self.__dict__[k]) for k in self._keys]

    @property
    def dict(self) -> dict[str, object]:
        return dict(self.items())

    def __repr__(self) -> str:
        return f"ModelInstance({', '.join(f'{k}={v!r}' for k, v in self.items())})"


def register_model_pytrees(model) -> None:
    """Register ``ModelInstance`` and every class ``model`` builds as JAX pytrees.

    Imports JAX; each class's ``__pytree_no_flatten__`` names travel as static data.
    """
    register_instance_pytree(ModelInstance, no_flatten=ModelInstance.__pytree_no_flatten__)
    for cls in model.instantiated_classes:
        register_instance_pytree(cls, no_flatten=getattr(cls, "__pytree_no_flatten__", ()))

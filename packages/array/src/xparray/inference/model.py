"""``Model(cls, **kwargs)``: a class whose constructor arguments are free, fixed or nested.

For each argument of ``cls.__init__`` (in signature order, then extra ``**kwargs``):

* a keyword value fixes it, a :class:`Prior` frees it, a ``Model``/class nests a model,
  a tuple becomes one slot per component (``centre`` -> ``centre_0``, ``centre_1``);
* otherwise the default-prior tables give it a prior (see :mod:`defaults`; tuple
  arguments get one prior per component);
* otherwise its signature default fixes it; otherwise construction fails, naming it.
"""

from __future__ import annotations

import inspect

from xparray.errors import InputError
from xparray.inference.abstract import AbstractPriorModel, _TupleSlot
from xparray.inference.defaults import default_prior_for, has_default_prior

__all__ = ["Model"]

_EMPTY = inspect.Parameter.empty


def _signature_arguments(cls: type) -> tuple[list[inspect.Parameter], bool]:
    """Named constructor arguments (``self`` dropped) and whether ``**kwargs`` is taken."""
    try:
        signature = inspect.signature(cls.__init__)
    except (TypeError, ValueError) as error:
        raise InputError(f"Model({cls!r}): cannot read the constructor signature.") from error
    params = list(signature.parameters.values())[1:]
    named = [
        p
        for p in params
        if p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    ]
    accepts_kwargs = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
    return named, accepts_kwargs


class Model(AbstractPriorModel):
    """A model of ``cls``; building it calls ``cls(**arguments)``.

    >>> model = Model(Sph, radius=UniformPrior(0.0, 2.0))   # doctest: +SKIP
    >>> model.centre_0 = 0.0                                # fix one component
    >>> other.centre = model.centre                         # tie both components
    """

    def __init__(self, cls: type, **kwargs) -> None:
        if not isinstance(cls, type):
            raise InputError(f"Model(cls): cls={cls!r} must be a class, e.g. Model(Sersic).")
        self._init_slots()
        object.__setattr__(self, "_cls", cls)
        named, accepts_kwargs = _signature_arguments(cls)
        object.__setattr__(self, "_arg_names", tuple(p.name for p in named))
        object.__setattr__(self, "_accepts_kwargs", accepts_kwargs)
        unknown = [k for k in kwargs if k not in self._arg_names]
        if unknown and not accepts_kwargs:
            raise InputError(
                f"Model({cls.__name__}): unknown argument(s) {unknown}; "
                f"{cls.__name__}.__init__ takes {list(self._arg_names)}."
            )
        for param in named:
            if param.name in kwargs:
                self._entries[param.name] = self._slot_for(kwargs[param.name])
            else:
                self._entries[param.name] = self._default_slot(param)
        for name in unknown:
            self._entries[name] = self._slot_for(kwargs[name])

    @property
    def cls(self) -> type:
        return self._cls

    def _owner_class(self) -> type:
        return self._cls

    def _type_name(self) -> str:
        return self._cls.__name__

    def _check_name(self, name: str) -> None:
        if name not in self._entries and not self._accepts_kwargs:
            raise InputError(
                f"Model({self._cls.__name__}): {name!r} is not an argument of "
                f"{self._cls.__name__}.__init__; arguments are {list(self._arg_names)}."
            )

    def _default_slot(self, param: inspect.Parameter):
        cls, name, default = self._cls, param.name, param.default
        if isinstance(default, tuple) or has_default_prior(cls, f"{name}_0"):
            n = len(default) if isinstance(default, tuple) else 0
            if not n:
                while has_default_prior(cls, f"{name}_{n}"):
                    n += 1
            components = []
            for i in range(n):
                prior = default_prior_for(cls, f"{name}_{i}", base=name)
                if prior is None:
                    if not isinstance(default, tuple):
                        raise InputError(f"Model({cls.__name__}): no default prior for {name}_{i}.")
                    components.append(default[i])
                else:
                    components.append(prior)
            return _TupleSlot(components)
        prior = default_prior_for(cls, name)
        if prior is not None:
            return prior
        if default is not _EMPTY:
            return default
        raise InputError(
            f"Model({cls.__name__}): argument {name!r} has no default prior and no default "
            f"value; pass {name}=<value or Prior>, or add it to {cls.__name__}.default_priors "
            "or register_default_priors()."
        )

    def _build(self, values):
        kwargs = {name: self._build_entry(entry, values) for name, entry in self._entries.items()}
        return self._cls(**kwargs)

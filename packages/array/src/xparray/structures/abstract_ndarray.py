"""AbstractNDArray: composition around a raw NumPy or JAX array.

Every data structure (Array2D, Grid2D, VectorYX2D and their irregular forms) holds its
values in ``self._array`` (``numpy.ndarray`` or ``jax.Array``) plus static metadata (a
mask, over-sampling sizes). Arithmetic returns a new structure of the same type;
comparisons, reductions and indexing return raw values. The backend follows the backing
array: a structure built from a ``jax.Array`` is JAX-backed and registers its class as a
pytree the first time (DESIGN.md section 6); the NumPy path never imports JAX.
"""

from __future__ import annotations

import copy
import operator

import numpy as np

from xparray.backend import is_jax_array, jax_numpy
from xparray.pytrees import Static, register_structure_once

__all__ = ["AbstractNDArray", "unwrap"]


def unwrap(value):
    """The raw array behind a structure (or the value itself)."""
    while isinstance(value, AbstractNDArray):
        value = value._array
    return value


def _as_raw(values, xp):
    values = unwrap(values)
    if xp is np and type(values) is np.ndarray and values.dtype.kind in "fc":
        # the common case, kept cheap: every structure built on the NumPy path passes here
        return values
    if xp is not np or is_jax_array(values):
        return jax_numpy().asarray(values)
    arr = np.asarray(values)
    if not (np.issubdtype(arr.dtype, np.floating) or np.issubdtype(arr.dtype, np.complexfloating)):
        arr = arr.astype(np.float64)
    return arr


class AbstractNDArray:
    """Base of all structures. Subclasses list their traced attributes in ``_dynamic``."""

    _dynamic: tuple[str, ...] = ("_array",)

    def __init__(self, values, xp=np):
        self._array = _as_raw(values, xp)
        if is_jax_array(self._array):
            self._register_as_pytree()

    # ------------------------------------------------------------------ backend
    @property
    def array(self):
        """The raw ``numpy.ndarray`` or ``jax.Array``."""
        return self._array

    @property
    def use_jax(self) -> bool:
        return is_jax_array(self._array)

    @property
    def _xp(self):
        return jax_numpy() if self.use_jax else np

    @classmethod
    def _register_as_pytree(cls) -> None:
        """Register ``cls`` with jax.tree_util once (called only on the JAX path)."""
        dynamic = cls._dynamic

        def flatten(obj):
            d = obj.__dict__
            children = tuple(d.get(k) for k in dynamic)
            statics = tuple((k, Static(v)) for k, v in sorted(d.items()) if k not in dynamic)
            return children, statics

        def unflatten(statics, children):
            obj = object.__new__(cls)
            for k, s in statics:
                obj.__dict__[k] = s.value
            for k, v in zip(dynamic, children):
                obj.__dict__[k] = v
            return obj

        register_structure_once(cls, flatten, unflatten)

    def with_new_array(self, values):
        """A shallow copy of this structure holding ``values`` (same metadata)."""
        new = copy.copy(self)
        new._array = unwrap(values)
        if is_jax_array(new._array):
            type(self)._register_as_pytree()
        return new

    # ------------------------------------------------------------- numpy-likes
    @property
    def shape(self):
        return self._array.shape

    @property
    def dtype(self):
        return self._array.dtype

    @property
    def ndim(self) -> int:
        return self._array.ndim

    @property
    def size(self) -> int:
        return self._array.size

    def __len__(self) -> int:
        return len(self._array)

    def __array__(self, dtype=None, copy=None):
        out = np.asarray(self._array, dtype=dtype)
        return out.copy() if copy else out

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        # NumPy ufuncs (np.exp(a), ndarray + a) act on the raw values; a float result of
        # the same shape is wrapped again so `ndarray * structure` stays a structure.
        if method != "__call__" or "out" in kwargs:
            return NotImplemented
        result = ufunc(*(unwrap(i) for i in inputs), **kwargs)
        if (
            isinstance(result, np.ndarray)
            and result.shape == self._array.shape
            and result.dtype.kind in "fc"
        ):
            return self.with_new_array(result)
        return result

    def __getitem__(self, item):
        return self._array[item]

    def __iter__(self):
        return iter(self._array)

    def sum(self, *args, **kwargs):
        return self._array.sum(*args, **kwargs)

    def max(self, *args, **kwargs):
        return self._array.max(*args, **kwargs)

    def min(self, *args, **kwargs):
        return self._array.min(*args, **kwargs)

    def mean(self, *args, **kwargs):
        return self._array.mean(*args, **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._array!r})"

    # ------------------------------------------------------------- arithmetic
    def _binary(self, other, op, reflected=False):
        a, b = self._array, unwrap(other)
        return self.with_new_array(op(b, a) if reflected else op(a, b))

    def __add__(self, other):
        return self._binary(other, operator.add)

    def __radd__(self, other):
        return self._binary(other, operator.add, True)

    def __sub__(self, other):
        return self._binary(other, operator.sub)

    def __rsub__(self, other):
        return self._binary(other, operator.sub, True)

    def __mul__(self, other):
        return self._binary(other, operator.mul)

    def __rmul__(self, other):
        return self._binary(other, operator.mul, True)

    def __truediv__(self, other):
        return self._binary(other, operator.truediv)

    def __rtruediv__(self, other):
        return self._binary(other, operator.truediv, True)

    def __pow__(self, other):
        return self._binary(other, operator.pow)

    def __rpow__(self, other):
        return self._binary(other, operator.pow, True)

    def __neg__(self):
        return self.with_new_array(-self._array)

    def __abs__(self):
        return self.with_new_array(abs(self._array))

    # comparisons return raw arrays (not structures)
    def __eq__(self, other):
        return self._array == unwrap(other)

    def __ne__(self, other):
        return self._array != unwrap(other)

    def __lt__(self, other):
        return self._array < unwrap(other)

    def __le__(self, other):
        return self._array <= unwrap(other)

    def __gt__(self, other):
        return self._array > unwrap(other)

    def __ge__(self, other):
        return self._array >= unwrap(other)

    __hash__ = None  # mutable container semantics, like ndarray

"""``to_array``, ``to_grid``, ``to_vector_yx``: wrap a grid method's raw result in a structure.

A decorated method has the signature ``f(self, grid, xp=np, **kwargs)`` and returns a raw
array. The wrapper hands ``f`` a grid *structure* (a raw (N, 2) input is wrapped in a
Grid2DIrregular first) and wraps the result to match the input (DESIGN.md section 5):

====================  ===========  ============  ====================
input                 to_array     to_grid       to_vector_yx
====================  ===========  ============  ====================
Grid2D                Array2D      Grid2D        VectorYX2D
Grid2DIrregular       ArrayIrregular Grid2DIrregular VectorYX2DIrregular
raw (N, 2) array      raw          raw           raw
====================  ===========  ============  ====================
"""

from __future__ import annotations

import functools

import numpy as np

from xparray.backend import is_jax_array
from xparray.errors import BackendError, InputError
from xparray.structures.abstract_ndarray import AbstractNDArray, unwrap
from xparray.structures.arrays import Array2D, ArrayIrregular
from xparray.structures.grids import Grid2D, Grid2DIrregular
from xparray.structures.vectors import VectorYX2D, VectorYX2DIrregular

__all__ = ["AbstractMaker", "to_array", "to_grid", "to_vector_yx", "as_grid_structure"]


def as_grid_structure(grid):
    """A Grid2D / Grid2DIrregular for ``grid`` (raw arrays and lists become irregular)."""
    if isinstance(grid, Grid2D | Grid2DIrregular):
        return grid
    if isinstance(grid, AbstractNDArray):
        return Grid2DIrregular(unwrap(grid))
    return Grid2DIrregular(grid)


class AbstractMaker:
    """Calls a grid method and wraps its raw result to match the input grid's type."""

    array_types: tuple[type, type]  # (uniform result type, irregular result type)

    def __init__(self, func, obj, grid, xp=np, *args, **kwargs):
        self.func = func
        self.obj = obj
        self.grid = grid
        self._xp = xp
        self.args = args
        self.kwargs = kwargs

    @property
    def use_jax(self) -> bool:
        return self._xp is not np

    def _check_backend(self):
        if self._xp is np and is_jax_array(unwrap(self.grid)):
            name = getattr(self.func, "__qualname__", repr(self.func))
            raise BackendError(
                f"{name} was called with xp=numpy on a JAX-backed grid: an xp=xp was not "
                "passed down a nested call. Pass xp=jnp (or xp=xp) to every nested call."
            )

    def raw_result(self):
        self._check_backend()
        structure = as_grid_structure(self.grid)
        return unwrap(self.func(self.obj, structure, self._xp, *self.args, **self.kwargs))

    def result(self):
        values = self.raw_result()
        grid = self.grid
        if isinstance(grid, Grid2D):
            return self.via_grid_2d(values, grid)
        if isinstance(grid, Grid2DIrregular):
            return self.array_types[1](values)
        return values

    def via_grid_2d(self, values, grid: Grid2D):
        return self.array_types[0](values, grid.mask)


class ArrayMaker(AbstractMaker):
    array_types = (Array2D, ArrayIrregular)


class GridMaker(AbstractMaker):
    array_types = (Grid2D, Grid2DIrregular)

    def via_grid_2d(self, values, grid: Grid2D):
        return Grid2D(values, grid.mask, over_sampler=grid.over_sampler)


class VectorYXMaker(AbstractMaker):
    array_types = (VectorYX2D, VectorYX2DIrregular)


def _decorator(maker_cls):
    def decorator(func):
        @functools.wraps(func)
        def wrapper(obj, grid, xp=np, *args, **kwargs):
            if grid is None:
                raise InputError(f"{func.__qualname__} needs a grid of (y, x) coordinates")
            return maker_cls(func, obj, grid, xp, *args, **kwargs).result()

        return wrapper

    return decorator


to_array = _decorator(ArrayMaker)
to_grid = _decorator(GridMaker)
to_vector_yx = _decorator(VectorYXMaker)
to_array.__doc__ = "Wrap a raw (N,) result as Array2D / ArrayIrregular / raw."
to_grid.__doc__ = "Wrap a raw (N, 2) coordinate result as Grid2D / Grid2DIrregular / raw."
to_vector_yx.__doc__ = "Wrap a raw (N, 2) vector result as VectorYX2D / VectorYX2DIrregular / raw."

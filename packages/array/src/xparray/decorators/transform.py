"""``transform`` and ``over_sample``: move a grid into a profile's frame; over-sample light.

Canonical order on a light profile: ``@to_array`` (outermost), ``@over_sample``,
``@transform`` (innermost). Mass profiles omit ``@over_sample``.
"""

from __future__ import annotations

import functools

import numpy as np

from xparray.structures.abstract_ndarray import unwrap
from xparray.structures.grids import Grid2D, Grid2DIrregular

__all__ = ["transform", "over_sample"]


def transform(func=None, *, rotate_back: bool = False):
    """Hand ``func`` the grid in the profile's reference frame (centred, rotated).

    Calls ``obj.transformed_to_reference_frame_grid_from(grid, xp)`` unless the grid is
    already marked ``is_transformed`` (so nested decorated calls do not transform twice).
    With ``rotate_back=True`` a (N, 2) vector result is rotated back to the image frame
    by ``obj.rotated_grid_from_reference_frame_from``.
    """

    def decorator(f):
        @functools.wraps(f)
        def wrapper(obj, grid, xp=np, *args, **kwargs):
            if not getattr(grid, "is_transformed", False):
                grid = Grid2DIrregular(
                    unwrap(obj.transformed_to_reference_frame_grid_from(grid, xp=xp))
                )
                grid.is_transformed = True
            result = f(obj, grid, xp, *args, **kwargs)
            if rotate_back:
                result = obj.rotated_grid_from_reference_frame_from(unwrap(result), xp=xp)
            return result

        return wrapper

    if func is not None:
        return decorator(func)
    return decorator


def over_sample(func):
    """Evaluate on a Grid2D's over-sampled sub-pixels and return pixel means.

    For any other grid, or a Grid2D with sub-size 1 and no traced sub-grid, ``func`` runs
    on the grid itself.
    """

    @functools.wraps(func)
    def wrapper(obj, grid, xp=np, *args, **kwargs):
        if isinstance(grid, Grid2D) and (
            not grid.over_sampler.is_trivial or grid._over_sampled is not None
        ):
            values = unwrap(func(obj, grid.over_sampled, xp, *args, **kwargs))
            return grid.over_sampler.binned_array_2d_from(values, xp=xp)
        return func(obj, grid, xp, *args, **kwargs)

    return wrapper

"""Decorators for grid-consuming methods (DESIGN.md section 5)."""

from xparray.decorators.makers import (
    AbstractMaker,
    as_grid_structure,
    to_array,
    to_grid,
    to_vector_yx,
)
from xparray.decorators.transform import over_sample, transform

__all__ = [
    "AbstractMaker",
    "as_grid_structure",
    "over_sample",
    "to_array",
    "to_grid",
    "to_vector_yx",
    "transform",
]

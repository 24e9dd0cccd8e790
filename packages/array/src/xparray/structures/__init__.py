"""Data structures: arrays, grids and vectors on masks or irregular points."""

from xparray.structures.abstract_ndarray import AbstractNDArray, unwrap
from xparray.structures.arrays import Array2D, ArrayIrregular
from xparray.structures.grids import Grid2D, Grid2DIrregular
from xparray.structures.over_sampling import OverSampler, over_sample_size_via_radial_bins_from
from xparray.structures.vectors import VectorYX2D, VectorYX2DIrregular

__all__ = [
    "AbstractNDArray",
    "Array2D",
    "ArrayIrregular",
    "Grid2D",
    "Grid2DIrregular",
    "OverSampler",
    "VectorYX2D",
    "VectorYX2DIrregular",
    "over_sample_size_via_radial_bins_from",
    "unwrap",
]

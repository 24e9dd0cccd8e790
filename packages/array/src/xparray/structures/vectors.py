"""VectorYX2D (a (y, x) vector per unmasked pixel) and VectorYX2DIrregular."""

from __future__ import annotations

import numpy as np

from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D
from xparray.structures.abstract_ndarray import AbstractNDArray
from xparray.structures.arrays import native_from_slim, slim_from_native

__all__ = ["VectorYX2D", "VectorYX2DIrregular"]


class VectorYX2D(AbstractNDArray):
    """(y, x) vectors (e.g. deflection angles in arcsec) on the unmasked pixels of ``mask``."""

    def __init__(self, values, mask: Mask2D, xp=np):
        super().__init__(values, xp=xp)
        arr = self._array
        if arr.shape == mask.shape_native + (2,):
            self._array = slim_from_native(arr, mask)
        elif arr.shape != (mask.pixels_in_mask, 2):
            raise InputError(
                f"VectorYX2D values must be ({mask.pixels_in_mask}, 2), got {arr.shape}"
            )
        self.mask = mask

    @property
    def slim(self) -> VectorYX2D:
        return self

    @property
    def native(self):
        return native_from_slim(self._array, self.mask, xp=self._xp)

    @property
    def magnitudes(self):
        return self._xp.sqrt(self._array[:, 0] ** 2 + self._array[:, 1] ** 2)


class VectorYX2DIrregular(AbstractNDArray):
    """(y, x) vectors at irregular points, shape (N, 2)."""

    def __init__(self, values, xp=np):
        super().__init__(values, xp=xp)
        if self._array.ndim != 2 or self._array.shape[-1] != 2:
            raise InputError(f"VectorYX2DIrregular values must be (N, 2), got {self._array.shape}")

    @property
    def slim(self) -> VectorYX2DIrregular:
        return self

    @property
    def magnitudes(self):
        return self._xp.sqrt(self._array[:, 0] ** 2 + self._array[:, 1] ** 2)

"""Array2D (values on the unmasked pixels of a Mask2D) and ArrayIrregular (on any points).

Array2D stores its values in *slim* form: a 1D array over the unmasked pixels in row-major
order (``mask.native_index_for_slim_index``). ``native`` gives the full 2D image (raw array,
zeros where masked, row 0 at the top).
"""

from __future__ import annotations

import numpy as np

from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D
from xparray.structures.abstract_ndarray import AbstractNDArray, unwrap

__all__ = ["Array2D", "ArrayIrregular", "native_from_slim", "slim_from_native"]


def native_from_slim(values, mask: Mask2D, xp=np):
    """Scatter slim ``values`` (N, ...) into a native (ny, nx, ...) array, 0 where masked."""
    idx = mask.native_index_for_slim_index
    shape = mask.shape_native + tuple(values.shape[1:])
    if xp is np:
        out = np.zeros(shape, dtype=values.dtype)
        out[idx[:, 0], idx[:, 1]] = values
        return out
    return xp.zeros(shape, dtype=values.dtype).at[idx[:, 0], idx[:, 1]].set(values)


def slim_from_native(values, mask: Mask2D):
    """Gather the unmasked pixels of native ``values`` into slim order."""
    idx = mask.native_index_for_slim_index
    return values[idx[:, 0], idx[:, 1]]


class Array2D(AbstractNDArray):
    """Values on the unmasked pixels of ``mask`` (units are the caller's, e.g. e-/s)."""

    def __init__(self, values, mask: Mask2D, xp=np):
        if not isinstance(mask, Mask2D):
            raise InputError("Array2D needs a Mask2D as mask (use Array2D.no_mask for none)")
        super().__init__(values, xp=xp)
        arr = self._array
        if arr.shape == mask.shape_native and arr.shape != (mask.pixels_in_mask,):
            self._array = slim_from_native(arr, mask)
        elif arr.shape != (mask.pixels_in_mask,):
            raise InputError(
                f"Array2D values have shape {arr.shape}; the mask needs slim shape "
                f"({mask.pixels_in_mask},) or native shape {mask.shape_native}"
            )
        self.mask = mask

    @classmethod
    def no_mask(cls, values, pixel_scales, shape_native=None, origin=(0.0, 0.0), xp=np):
        """An Array2D over every pixel. ``values`` native 2D, or slim with ``shape_native``."""
        raw = unwrap(values)
        if shape_native is None:
            if np.ndim(raw) != 2:
                raise InputError("values must be 2D (native) unless shape_native is given")
            shape_native = np.shape(raw)
        return cls(values, Mask2D.all_false(shape_native, pixel_scales, origin), xp=xp)

    @classmethod
    def full(cls, fill_value, shape_native, pixel_scales, origin=(0.0, 0.0)) -> Array2D:
        return cls.no_mask(
            np.full(tuple(shape_native), float(fill_value)), pixel_scales, origin=origin
        )

    @classmethod
    def zeros(cls, shape_native, pixel_scales, origin=(0.0, 0.0)) -> Array2D:
        return cls.full(0.0, shape_native, pixel_scales, origin)

    @classmethod
    def ones(cls, shape_native, pixel_scales, origin=(0.0, 0.0)) -> Array2D:
        return cls.full(1.0, shape_native, pixel_scales, origin)

    @classmethod
    def from_fits(cls, file_path, pixel_scales, hdu: int = 0, origin=(0.0, 0.0)) -> Array2D:
        from xparray.fits_io import ndarray_from_fits

        return cls.no_mask(ndarray_from_fits(file_path, hdu=hdu), pixel_scales, origin=origin)

    def output_to_fits(self, file_path, overwrite: bool = False) -> None:
        from xparray.fits_io import ndarray_to_fits

        ndarray_to_fits(np.asarray(self.native), file_path, overwrite=overwrite)

    @property
    def slim(self) -> Array2D:
        return self

    @property
    def native(self):
        """Raw (ny, nx) array, zeros at masked pixels."""
        return native_from_slim(self._array, self.mask, xp=self._xp)

    @property
    def shape_native(self) -> tuple[int, int]:
        return self.mask.shape_native

    @property
    def shape_slim(self) -> int:
        return self.mask.pixels_in_mask

    @property
    def pixel_scales(self) -> tuple[float, float]:
        return self.mask.pixel_scales

    def apply_mask(self, mask: Mask2D) -> Array2D:
        """The values restricted to a (smaller or equal) new mask of the same shape."""
        if mask.shape_native != self.mask.shape_native:
            raise InputError(
                f"mask shape {mask.shape_native} differs from the array's {self.shape_native}"
            )
        return Array2D(self.native, mask, xp=self._xp)


class ArrayIrregular(AbstractNDArray):
    """Values at an irregular set of (y, x) points (1D, one per point)."""

    def __init__(self, values, xp=np):
        super().__init__(values, xp=xp)

    @property
    def slim(self) -> ArrayIrregular:
        return self

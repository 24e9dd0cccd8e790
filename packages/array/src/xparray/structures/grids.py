"""Grid2D (pixel-centre coordinates of a masked uniform grid) and Grid2DIrregular.

Coordinates are (y, x) in arcsec, y up (DESIGN.md section 4). A Grid2D is stored slim:
an (N, 2) array over the unmasked pixels. It carries an ``OverSampler`` (static: the sub-
pixel layout and how to bin back) and, after ray tracing, the traced over-sampled
coordinates themselves, so lensed light is over-sampled in the source plane.
"""

from __future__ import annotations

import numpy as np

from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D
from xparray.structures.abstract_ndarray import AbstractNDArray, unwrap
from xparray.structures.arrays import native_from_slim, slim_from_native
from xparray.structures.over_sampling import OverSampler

__all__ = ["Grid2D", "Grid2DIrregular"]


def _check_yx(arr, name="values"):
    if arr.ndim != 2 or arr.shape[-1] != 2:
        raise InputError(f"{name} must have shape (N, 2) of (y, x) arcsec, got {arr.shape}")


class Grid2D(AbstractNDArray):
    """(y, x) arcsec coordinates of the unmasked pixel centres of ``mask``.

    ``over_sample_size`` (int, or an int per unmasked pixel) sets how light profiles are
    evaluated: on ``s x s`` sub-pixels per pixel, then binned back to pixel means.
    """

    _dynamic = ("_array", "_over_sampled")

    def __init__(
        self,
        values,
        mask: Mask2D,
        over_sample_size=1,
        over_sampler: OverSampler | None = None,
        over_sampled=None,
        xp=np,
    ):
        if not isinstance(mask, Mask2D):
            raise InputError("Grid2D needs a Mask2D as mask (use Grid2D.uniform for none)")
        super().__init__(values, xp=xp)
        arr = self._array
        if arr.shape == mask.shape_native + (2,):
            self._array = slim_from_native(arr, mask)
        elif arr.shape != (mask.pixels_in_mask, 2):
            raise InputError(
                f"Grid2D values have shape {arr.shape}; the mask needs ({mask.pixels_in_mask}, 2)"
                f" or {mask.shape_native + (2,)}"
            )
        self.mask = mask
        if over_sampler is None:
            over_sampler = OverSampler(mask=mask, sub_size=over_sample_size)
        elif over_sampler.mask is not mask and over_sampler.mask != mask:
            raise InputError("over_sampler was built for a different mask than the grid's")
        self.over_sampler = over_sampler
        self._over_sampled = None if over_sampled is None else unwrap(over_sampled)
        self.is_transformed = False

    # ------------------------------------------------------------- constructors
    @classmethod
    def from_mask(cls, mask: Mask2D, over_sample_size=4) -> Grid2D:
        """Pixel centres of the unmasked pixels, over-sampled ``over_sample_size``."""
        return cls(mask.grid_slim, mask, over_sample_size=over_sample_size)

    @classmethod
    def uniform(cls, shape_native, pixel_scales, origin=(0.0, 0.0), over_sample_size=4) -> Grid2D:
        return cls.from_mask(Mask2D.all_false(shape_native, pixel_scales, origin), over_sample_size)

    @classmethod
    def no_mask(
        cls, values, pixel_scales, shape_native=None, origin=(0.0, 0.0), over_sample_size=4, xp=np
    ) -> Grid2D:
        """A grid from native (ny, nx, 2) values, or slim (N, 2) values with ``shape_native``."""
        raw = unwrap(values)
        if shape_native is None:
            if np.ndim(raw) != 3:
                raise InputError("values must be native (ny, nx, 2) unless shape_native is given")
            shape_native = np.shape(raw)[:2]
        mask = Mask2D.all_false(shape_native, pixel_scales, origin)
        return cls(values, mask, over_sample_size=over_sample_size, xp=xp)

    # ------------------------------------------------------------------- views
    @property
    def slim(self) -> Grid2D:
        return self

    @property
    def native(self):
        """Raw (ny, nx, 2) coordinates, zeros at masked pixels."""
        return native_from_slim(self._array, self.mask, xp=self._xp)

    @property
    def shape_native(self) -> tuple[int, int]:
        return self.mask.shape_native

    @property
    def pixel_scales(self) -> tuple[float, float]:
        return self.mask.pixel_scales

    @property
    def over_sample_size(self):
        return self.over_sampler.sub_size

    @property
    def over_sampled(self) -> Grid2DIrregular:
        """The sub-pixel coordinates light profiles are evaluated on (traced if ray-traced)."""
        values = self._over_sampled
        if values is None:
            values = self.over_sampler.sub_grid
        return Grid2DIrregular(values)

    def with_new_array(self, values, over_sampled=None):
        """A copy on new coordinates. ``over_sampled`` gives the moved sub-pixel grid."""
        new = super().with_new_array(values)
        new._over_sampled = None if over_sampled is None else unwrap(over_sampled)
        new.is_transformed = False
        return new

    def with_over_sample_size(self, over_sample_size) -> Grid2D:
        return Grid2D(self._array, self.mask, over_sample_size=over_sample_size, xp=self._xp)

    def squared_distances_to_coordinate_from(self, coordinate=(0.0, 0.0), xp=np):
        a = self._array
        return (a[:, 0] - coordinate[0]) ** 2 + (a[:, 1] - coordinate[1]) ** 2


class Grid2DIrregular(AbstractNDArray):
    """(y, x) arcsec coordinates at arbitrary points, shape (N, 2)."""

    def __init__(self, values, xp=np):
        super().__init__(values, xp=xp)
        if self._array.ndim == 1 and self._array.shape == (2,):
            self._array = self._array[None, :]
        _check_yx(self._array)
        self.is_transformed = False

    @property
    def slim(self) -> Grid2DIrregular:
        return self

    @property
    def in_list(self) -> list[tuple[float, float]]:
        return [tuple(float(v) for v in row) for row in np.asarray(self._array)]

    def with_new_array(self, values):
        new = super().with_new_array(values)
        new.is_transformed = False
        return new

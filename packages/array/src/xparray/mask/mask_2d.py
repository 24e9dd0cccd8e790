"""Mask2D: which pixels of a uniform 2D image a calculation uses (True = masked).

Conventions (PyAutoArray, DESIGN.md section 4): coordinates are (y, x) in arcsec with y up;
native arrays have row 0 at the top of the image (largest y) and column 0 at the left
(smallest x). Pixel (i, j) of an (ny, nx) mask has its centre at
``y = -(i - (ny - 1) / 2) * pixel_scales[0] + origin[0]`` and
``x = (j - (nx - 1) / 2) * pixel_scales[1] + origin[1]``.

Everything derived from a mask (slim <-> native index maps, grids of pixel centres,
blurring masks) is computed with NumPy from the concrete mask and never traced.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from xparray.errors import InputError
from xparray.fits_io import ndarray_from_fits

__all__ = ["Mask2D", "pixel_scales_tuple"]


def pixel_scales_tuple(pixel_scales) -> tuple[float, float]:
    """``(y, x)`` pixel scales in arcsec from a float or a pair; refuses non-positive values."""
    if np.ndim(pixel_scales) == 0:
        pixel_scales = (pixel_scales, pixel_scales)
    if len(pixel_scales) != 2:
        raise InputError(f"pixel_scales must be a number or a (y, x) pair, got {pixel_scales!r}")
    ps = tuple(float(p) for p in pixel_scales)
    if not all(np.isfinite(p) and p > 0 for p in ps):
        raise InputError(
            f"pixel_scales must be positive and finite (arcsec per pixel), got {pixel_scales!r}"
        )
    return ps


class Mask2D:
    """A 2D boolean mask on a uniform pixel grid (True = masked, PyAutoArray convention)."""

    _static_by_value = True  # hashed and compared by value when used as static pytree data

    def __init__(self, mask, pixel_scales, origin=(0.0, 0.0), invert: bool = False):
        mask = np.asarray(mask)
        if mask.ndim != 2:
            raise InputError(f"mask must be a 2D array, got shape {mask.shape}")
        mask = mask.astype(bool)
        if invert:
            mask = ~mask
        mask.setflags(write=False)
        self.mask = mask
        self.pixel_scales = pixel_scales_tuple(pixel_scales)
        self.origin = (float(origin[0]), float(origin[1]))

    # ----------------------------------------------------------------- constructors
    @classmethod
    def all_false(cls, shape_native, pixel_scales, origin=(0.0, 0.0)) -> Mask2D:
        return cls(np.zeros(tuple(shape_native), dtype=bool), pixel_scales, origin)

    @classmethod
    def circular(
        cls, shape_native, radius: float, pixel_scales, centre=(0.0, 0.0), origin=(0.0, 0.0)
    ) -> Mask2D:
        """Unmasked where the pixel centre lies within ``radius`` arcsec of ``centre``."""
        y, x = cls._centre_offsets(shape_native, pixel_scales, centre, origin)
        return cls(np.hypot(y, x) > radius, pixel_scales, origin)

    @classmethod
    def circular_annular(
        cls,
        shape_native,
        inner_radius: float,
        outer_radius: float,
        pixel_scales,
        centre=(0.0, 0.0),
        origin=(0.0, 0.0),
    ) -> Mask2D:
        """Unmasked where ``inner_radius < r <= outer_radius`` (arcsec) from ``centre``."""
        if not inner_radius < outer_radius:
            raise InputError("inner_radius must be smaller than outer_radius")
        y, x = cls._centre_offsets(shape_native, pixel_scales, centre, origin)
        r = np.hypot(y, x)
        return cls(np.logical_or(r <= inner_radius, r > outer_radius), pixel_scales, origin)

    @classmethod
    def elliptical(
        cls,
        shape_native,
        major_axis_radius: float,
        axis_ratio: float,
        angle: float,
        pixel_scales,
        centre=(0.0, 0.0),
        origin=(0.0, 0.0),
    ) -> Mask2D:
        """Unmasked inside an ellipse; ``angle`` in degrees counter-clockwise from +x."""
        if not 0.0 < axis_ratio <= 1.0:
            raise InputError(f"axis_ratio must be in (0, 1], got {axis_ratio}")
        y, x = cls._centre_offsets(shape_native, pixel_scales, centre, origin)
        phi = np.radians(angle)
        x_r = x * np.cos(phi) + y * np.sin(phi)
        y_r = -x * np.sin(phi) + y * np.cos(phi)
        r_ell = np.sqrt(x_r**2 + (y_r / axis_ratio) ** 2)
        return cls(r_ell > major_axis_radius, pixel_scales, origin)

    @classmethod
    def from_fits(cls, file_path, pixel_scales, hdu: int = 0, origin=(0.0, 0.0)) -> Mask2D:
        """Load a mask from FITS (non-zero = masked), stored row order, no flip."""
        return cls(ndarray_from_fits(Path(file_path), hdu=hdu) != 0, pixel_scales, origin)

    @staticmethod
    def _centre_offsets(shape_native, pixel_scales, centre, origin):
        ps = pixel_scales_tuple(pixel_scales)
        ny, nx = (int(s) for s in shape_native)
        if ny <= 0 or nx <= 0:
            raise InputError(f"shape_native must be positive, got {shape_native!r}")
        i, j = np.indices((ny, nx), dtype=float)
        y = -(i - (ny - 1) / 2.0) * ps[0] + origin[0] - centre[0]
        x = (j - (nx - 1) / 2.0) * ps[1] + origin[1] - centre[1]
        return y, x

    # -------------------------------------------------------------------- geometry
    @property
    def shape_native(self) -> tuple[int, int]:
        return self.mask.shape

    @property
    def pixel_scale(self) -> float:
        return self.pixel_scales[0]

    @functools.cached_property
    def pixels_in_mask(self) -> int:
        return int(np.count_nonzero(~self.mask))

    @property
    def is_all_false(self) -> bool:
        return not self.mask.any()

    @functools.cached_property
    def native_index_for_slim_index(self) -> np.ndarray:
        """``(N, 2)`` int array: the (row, column) of each unmasked pixel, row-major order."""
        idx = np.argwhere(~self.mask)
        idx.setflags(write=False)
        return idx

    @functools.cached_property
    def slim_index_for_native(self) -> np.ndarray:
        """Native-shaped int array: slim index of each unmasked pixel, -1 where masked."""
        out = -np.ones(self.shape_native, dtype=int)
        out[~self.mask] = np.arange(self.pixels_in_mask)
        out.setflags(write=False)
        return out

    def scaled_coordinates_from(self, rows, cols) -> np.ndarray:
        """(y, x) arcsec of pixel centres at integer/float ``rows``, ``cols``."""
        ny, nx = self.shape_native
        y = -(np.asarray(rows, float) - (ny - 1) / 2.0) * self.pixel_scales[0] + self.origin[0]
        x = (np.asarray(cols, float) - (nx - 1) / 2.0) * self.pixel_scales[1] + self.origin[1]
        return np.stack([y, x], axis=-1)

    @functools.cached_property
    def grid_slim(self) -> np.ndarray:
        """``(N, 2)`` arcsec coordinates of the unmasked pixel centres (slim order)."""
        idx = self.native_index_for_slim_index
        grid = self.scaled_coordinates_from(idx[:, 0], idx[:, 1])
        grid.setflags(write=False)
        return grid

    def blurring_mask_from(self, kernel_shape_native) -> Mask2D:
        """Pixels outside the mask whose light a PSF of this shape blurs into the mask.

        Unmasked (False) in the result are the masked pixels within half a kernel of an
        unmasked pixel; everything else is masked.
        """
        ky, kx = (int(s) for s in kernel_shape_native)
        if ky % 2 == 0 or kx % 2 == 0:
            raise InputError(f"kernel shape must be odd in both axes, got {kernel_shape_native}")
        from scipy.ndimage import maximum_filter

        # a max filter is a dilation with a box: ~1 ms even for a 61x61 PSF on 281x281
        near = maximum_filter((~self.mask).astype(np.uint8), size=(ky, kx), mode="constant") > 0
        return Mask2D(~np.logical_and(near, self.mask), self.pixel_scales, self.origin)

    def resized_from(self, new_shape) -> Mask2D:
        """The mask padded (masked) or trimmed about its centre to ``new_shape``."""
        from xparray.structures.resize import resized_native

        return Mask2D(
            resized_native(self.mask, new_shape, pad_value=True), self.pixel_scales, self.origin
        )

    # ------------------------------------------------------------ value semantics
    def __eq__(self, other) -> bool:
        if self is other:
            return True
        if not isinstance(other, Mask2D):
            return NotImplemented
        return (
            self.pixel_scales == other.pixel_scales
            and self.origin == other.origin
            and self.mask.shape == other.mask.shape
            and bool(np.array_equal(self.mask, other.mask))
        )

    def __hash__(self) -> int:
        return hash((self.mask.shape, self.pixel_scales, self.origin, self.pixels_in_mask))

    def __repr__(self) -> str:
        return (
            f"Mask2D(shape_native={self.shape_native}, pixel_scales={self.pixel_scales}, "
            f"pixels_in_mask={self.pixels_in_mask})"
        )

"""Checks on imaging inputs, run before any computation, and the noise-flag mask.

Every failure raises :class:`~xparray.errors.InputError` naming the argument and the fix.
"""

from __future__ import annotations

import numpy as np

from xparray.backend import is_jax_array
from xparray.errors import InputError
from xparray.mask.mask_2d import Mask2D
from xparray.structures.arrays import Array2D

__all__ = [
    "NOISE_FLAG_THRESHOLD",
    "check_array_2d",
    "check_imaging_values",
    "check_over_sample_size",
    "check_same_geometry",
    "noise_flag_mask_from",
]

# PyAutoLens data mark pixels to ignore (stars, artefacts) with a huge noise value, e.g.
# 1e8 in the SLACS HST noise maps (/work/shared/data/real/*/README.md).
NOISE_FLAG_THRESHOLD = 1.0e7


def check_array_2d(value, name: str) -> Array2D:
    """``value`` if it is a NumPy-backed Array2D, else InputError."""
    if not isinstance(value, Array2D):
        raise InputError(
            f"{name} must be an Array2D (e.g. aa.Array2D.no_mask(values, pixel_scales=...)), "
            f"got {type(value).__name__}"
        )
    if is_jax_array(value.array):
        raise InputError(f"{name} must hold NumPy values: a dataset is a fixed constant")
    return value


def check_same_geometry(data: Array2D, other: Array2D, name: str) -> None:
    """``other`` must have ``data``'s native shape and pixel scales."""
    if other.shape_native != data.shape_native:
        raise InputError(
            f"{name} has native shape {other.shape_native} but data has {data.shape_native}; "
            "load both from the same cut-out"
        )
    if not np.allclose(other.pixel_scales, data.pixel_scales, rtol=1e-9, atol=0.0):
        raise InputError(
            f"{name} has pixel_scales {other.pixel_scales} but data has {data.pixel_scales}; "
            "pass the same pixel_scales to both"
        )


def check_imaging_values(data: Array2D, noise_map: Array2D, check_noise_map: bool = True) -> None:
    """Finite data and noise inside the mask; noise > 0 there when ``check_noise_map``."""
    mask = data.mask
    if mask.pixels_in_mask == 0:
        raise InputError("the mask has no unmasked pixel; unmask the region you want to fit")
    d = np.asarray(data.array)
    n = np.asarray(noise_map.array)
    if not np.all(np.isfinite(d)):
        bad = int(np.count_nonzero(~np.isfinite(d)))
        raise InputError(
            f"data has {bad} NaN/inf value(s) inside the mask; mask those pixels "
            "(set them True in the Mask2D) or replace them"
        )
    if not np.all(np.isfinite(n)):
        bad = int(np.count_nonzero(~np.isfinite(n)))
        raise InputError(
            f"noise_map has {bad} NaN/inf value(s) inside the mask; mask those pixels or "
            "set them to a huge value (>= 1e7) and use Imaging.apply_noise_flag_mask"
        )
    if check_noise_map and np.any(n <= 0.0):
        bad = int(np.count_nonzero(n <= 0.0))
        raise InputError(
            f"noise_map has {bad} value(s) <= 0 inside the mask; a noise map is a positive "
            "1-sigma RMS: mask those pixels, or pass check_noise_map=False to skip this check"
        )


def check_over_sample_size(over_sample_size, mask: Mask2D):
    """An int >= 1, or one int per unmasked pixel of ``mask`` (returned as NumPy ints)."""
    value = getattr(over_sample_size, "array", over_sample_size)
    if np.ndim(value) == 0:
        if int(value) != value or int(value) < 1:
            raise InputError(
                f"over_sample_size_lp must be a whole number >= 1, got {over_sample_size!r}"
            )
        return int(value)
    sizes = np.asarray(value)
    if sizes.shape != (mask.pixels_in_mask,):
        raise InputError(
            f"over_sample_size_lp has shape {sizes.shape}; an adaptive over-sampling needs one "
            f"size per unmasked pixel ({mask.pixels_in_mask},): build it after masking "
            "(aa.over_sample_size_via_radial_bins_from) and call apply_over_sampling"
        )
    if not np.all(np.equal(np.round(sizes), sizes)) or sizes.min() < 1:
        raise InputError("over_sample_size_lp values must be whole numbers >= 1")
    sizes = sizes.astype(int)
    sizes.setflags(write=False)
    return sizes


def noise_flag_mask_from(
    noise_map: Array2D, threshold: float = NOISE_FLAG_THRESHOLD, mask: Mask2D | None = None
) -> Mask2D:
    """A mask that also masks pixels whose noise is >= ``threshold`` (or not finite).

    Starts from ``mask`` (default: ``noise_map.mask``); the result keeps every masked pixel
    of ``mask`` and of ``noise_map.mask``.
    """
    base = noise_map.mask if mask is None else mask
    if base.shape_native != noise_map.shape_native:
        raise InputError(
            f"mask has shape {base.shape_native} but noise_map has {noise_map.shape_native}"
        )
    native = np.asarray(noise_map.native)
    flagged = np.logical_or(native >= threshold, ~np.isfinite(native))
    masked = np.logical_or(np.logical_or(base.mask, noise_map.mask.mask), flagged)
    return Mask2D(masked, base.pixel_scales, base.origin)

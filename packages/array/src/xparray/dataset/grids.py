"""The grids a dataset's model is evaluated on: the masked pixels and the blurring region.

``lp``: pixel centres of the unmasked pixels, over-sampled ``over_sample_size_lp`` (light
profiles). ``blurring``: pixel centres of the masked pixels whose light the PSF spreads
into the mask (``mask.blurring_mask_from(psf.shape_native)``), over-sampled by
``over_sample_size_blurring`` (default 1: pixel centres only, PyAutoLens's blurring
grid), or when None by the same rule as ``lp``: the same int, or for adaptive sizes the
size of the nearest unmasked pixel.
"""

from __future__ import annotations

import functools

import numpy as np

from xparray.mask.mask_2d import Mask2D
from xparray.structures.grids import Grid2D

__all__ = ["GridsDataset", "blurring_over_sample_size_from"]


def blurring_over_sample_size_from(over_sample_size, mask: Mask2D, blurring_mask: Mask2D):
    """Over-sample sizes of the blurring pixels: ``over_sample_size`` if an int, else (one
    size per unmasked pixel) each blurring pixel takes its nearest unmasked pixel's size."""
    if np.ndim(over_sample_size) == 0:
        return int(over_sample_size)
    from scipy.ndimage import distance_transform_edt

    # indices of the nearest zero (= unmasked) element for every native pixel
    _, (near_r, near_c) = distance_transform_edt(mask.mask, return_indices=True)
    sizes_native = np.zeros(mask.shape_native, dtype=int)
    idx = mask.native_index_for_slim_index
    sizes_native[idx[:, 0], idx[:, 1]] = np.asarray(over_sample_size, dtype=int)
    bidx = blurring_mask.native_index_for_slim_index
    rows, cols = near_r[bidx[:, 0], bidx[:, 1]], near_c[bidx[:, 0], bidx[:, 1]]
    return sizes_native[rows, cols]


class GridsDataset:
    """Grids of a masked dataset (built lazily, once; static under JAX, hashed by identity).

    ``psf_shape_native`` None means no PSF: ``blurring`` is then None, as it is when the
    mask leaves no masked pixel near the unmasked ones. ``blurring_mask`` may be passed in
    when already known (e.g. from the dataset's Convolver) to avoid recomputing it.
    ``over_sample_size_blurring``: an int >= 1 for every blurring pixel (default 1), or None
    to follow ``over_sample_size_lp`` (``blurring_over_sample_size_from``).
    """

    def __init__(
        self,
        mask: Mask2D,
        over_sample_size_lp=4,
        psf_shape_native=None,
        blurring_mask: Mask2D | None = None,
        over_sample_size_blurring: int | None = 1,
    ):
        self.mask = mask
        self.over_sample_size_lp = over_sample_size_lp
        self.over_sample_size_blurring = over_sample_size_blurring
        self.psf_shape_native = None if psf_shape_native is None else tuple(psf_shape_native)
        if blurring_mask is not None:
            self.__dict__["blurring_mask"] = blurring_mask  # seeds the cached property

    @functools.cached_property
    def lp(self) -> Grid2D:
        """(y, x) arcsec centres of the unmasked pixels, with the dataset's over-sampling."""
        return Grid2D(self.mask.grid_slim, self.mask, over_sample_size=self.over_sample_size_lp)

    @functools.cached_property
    def blurring_mask(self) -> Mask2D | None:
        if self.psf_shape_native is None:
            return None
        return self.mask.blurring_mask_from(self.psf_shape_native)

    @functools.cached_property
    def blurring(self) -> Grid2D | None:
        """(y, x) arcsec centres of the blurring pixels (None without PSF or such pixels)."""
        bmask = self.blurring_mask
        if bmask is None or bmask.pixels_in_mask == 0:
            return None
        size = self.over_sample_size_blurring
        if size is None:
            size = blurring_over_sample_size_from(self.over_sample_size_lp, self.mask, bmask)
        return Grid2D(bmask.grid_slim, bmask, over_sample_size=size)

    def __repr__(self) -> str:
        return f"GridsDataset(mask={self.mask!r}, psf_shape_native={self.psf_shape_native})"

"""Over-sampling of light profiles: evaluate on s x s sub-pixels, bin back to pixel means.

Sub-sizes may be uniform (one int) or adaptive (one int per unmasked pixel, e.g. finer
near a galaxy centre: ``over_sample_size_via_radial_bins_from``). The layout is computed
once with NumPy from the concrete mask. Sub-pixels are stored pixel by pixel in slim
order (each pixel's s*s sub-pixels row-major, as PyAutoArray stores them).

Binning: a uniform size is one reshape to ``(N, s*s)`` and a mean. Adaptive sizes are one
sorted segment sum (``np.add.reduceat`` on NumPy, ``jax.ops.segment_sum`` on JAX) times
precomputed 1 / counts. Under ``jax.jit`` XLA's compile time grows with the number of
kernels it emits: one scatter (its transpose, for gradients, one gather fused into the
next kernel) emits fewer than a reshape-and-mean per distinct size followed by a gather
back to slim order, and compiles faster, most of all under ``jax.grad``
(``benchmarks/bench_adaptive_compile.py``).
"""

from __future__ import annotations

import functools

import numpy as np

from xparray.errors import InputError

__all__ = ["OverSampler", "over_sample_size_via_radial_bins_from"]


def _sub_offsets(s: int) -> np.ndarray:
    """(s*s, 2) sub-pixel centre offsets in units of a pixel, row-major, y decreasing."""
    c = (np.arange(s) - (s - 1) / 2.0) / s
    yy, xx = np.meshgrid(-c, c, indexing="ij")
    return np.stack([yy.ravel(), xx.ravel()], axis=-1)


class OverSampler:
    """Sub-pixel layout and binning for a mask and its over-sample size(s).

    Static under JAX (hashed by identity): build it once per dataset and share it between
    every grid derived from that dataset.
    """

    def __init__(self, mask, sub_size=1):
        self.mask = mask
        n = mask.pixels_in_mask
        if np.ndim(sub_size) == 0:
            sizes = np.full(n, int(sub_size))
        else:
            sizes = np.asarray(getattr(sub_size, "array", sub_size))
            if sizes.shape != (n,):
                raise InputError(
                    f"over_sample_size must be an int or one int per unmasked pixel ({n},), "
                    f"got shape {sizes.shape}"
                )
            if not np.all(np.equal(np.round(sizes), sizes)):
                raise InputError("over_sample_size values must be whole numbers")
            sizes = sizes.astype(int)
        if n and sizes.min() < 1:
            raise InputError("over_sample_size must be >= 1 everywhere")
        sizes.setflags(write=False)
        self._sizes = sizes
        self.sub_size = int(sub_size) if np.ndim(sub_size) == 0 else sizes

    @property
    def sub_sizes(self) -> np.ndarray:
        """Sub-size of every unmasked pixel, shape (N,)."""
        return self._sizes

    @property
    def is_trivial(self) -> bool:
        """True when every pixel is evaluated once, at its centre."""
        return bool(np.all(self._sizes == 1))

    @functools.cached_property
    def _groups(self) -> tuple[tuple[int, np.ndarray], ...]:
        """((size, slim indices of pixels with that size), ...) in ascending size."""
        return tuple((int(s), np.flatnonzero(self._sizes == s)) for s in np.unique(self._sizes))

    @functools.cached_property
    def _starts(self) -> np.ndarray:
        """Index in ``sub_grid`` of every pixel's first sub-pixel, shape (N,)."""
        counts = self._sizes**2
        starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.intp)
        starts.setflags(write=False)
        return starts

    @functools.cached_property
    def _segment_ids(self) -> np.ndarray:
        """Slim pixel index of every sub-pixel (sorted), shape (N_sub,)."""
        ids = np.repeat(np.arange(self._sizes.size, dtype=np.int32), self._sizes**2)
        ids.setflags(write=False)
        return ids

    @functools.cached_property
    def _inverse_counts(self) -> np.ndarray:
        """1 / (s*s) per pixel, shape (N,)."""
        inv = 1.0 / (self._sizes.astype(float) ** 2)
        inv.setflags(write=False)
        return inv

    @functools.cached_property
    def sub_grid(self) -> np.ndarray:
        """(N_sub, 2) arcsec coordinates of every sub-pixel, pixel by pixel in slim order."""
        centres = self.mask.grid_slim
        ps = np.asarray(self.mask.pixel_scales)
        grid = np.zeros((self.total_sub_pixels, 2))
        for s, pix in self._groups:
            off = _sub_offsets(s) * ps  # (s*s, 2)
            rows = self._starts[pix][:, None] + np.arange(s * s)[None, :]
            grid[rows] = centres[pix][:, None, :] + off[None, :, :]
        grid.setflags(write=False)
        return grid

    @property
    def total_sub_pixels(self) -> int:
        return int(np.sum(self._sizes**2))

    def binned_array_2d_from(self, values, xp=np):
        """Pixel means (N,) of sub-pixel ``values`` (N_sub,) laid out as ``sub_grid``."""
        n = self._sizes.size
        if len(self._groups) <= 1:  # uniform size: one reshape and a mean
            s = self._groups[0][0] if self._groups else 1
            return values if s == 1 else values.reshape(n, s * s).mean(axis=1)
        if xp is np:
            return np.add.reduceat(values, self._starts) * self._inverse_counts
        import jax  # only reached with xp = jax.numpy

        sums = jax.ops.segment_sum(values, self._segment_ids, n, indices_are_sorted=True)
        return sums * self._inverse_counts

    def __repr__(self) -> str:
        return f"OverSampler(pixels={self.mask.pixels_in_mask}, sizes={np.unique(self._sizes)})"


def over_sample_size_via_radial_bins_from(grid, sub_size_list, radial_list, centre_list=None):
    """Adaptive over-sample sizes: ``sub_size_list[i]`` inside ``radial_list[i]`` arcsec.

    For each pixel the radial distance to the nearest centre in ``centre_list`` (default
    the origin) picks the first bin with ``r < radial_list[i]``; beyond the last radius
    the last sub-size is used (PyAutoArray's ``over_sample_size_via_radial_bins_from``).
    ``sub_size_list`` has one more entry than ``radial_list`` or the same number. Returns
    an int array, one per unmasked pixel of ``grid`` (a Grid2D).
    """
    sub_size_list = [int(s) for s in sub_size_list]
    radial_list = [float(r) for r in radial_list]
    if len(sub_size_list) not in (len(radial_list), len(radial_list) + 1):
        raise InputError("sub_size_list needs as many entries as radial_list, or one more")
    if any(b <= a for a, b in zip(radial_list, radial_list[1:])):
        raise InputError("radial_list must increase")
    centres = [(0.0, 0.0)] if centre_list is None else list(centre_list)
    coords = np.asarray(getattr(grid, "array", grid))
    r = np.min([np.hypot(coords[:, 0] - c[0], coords[:, 1] - c[1]) for c in centres], axis=0)
    sizes = np.full(r.shape, sub_size_list[-1], dtype=int)
    for radius, size in reversed(list(zip(radial_list, sub_size_list))):
        sizes = np.where(r < radius, size, sizes)
    return sizes

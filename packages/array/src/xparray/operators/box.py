"""The native box that the FFT and separable convolutions work in (NumPy and JAX).

Both methods place the slim image and blurring values into a small native box around the
mask + blurring region, blur the box, and read the unmasked pixels back. The box indices
depend only on the fixed geometry and are precomputed once with NumPy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["BoxIndices", "box_from", "box_indices_from", "region_bounds_from", "take_last"]


class BoxIndices(NamedTuple):
    """``source_index``: (Py * Px,) indices into ``concat(image, blurring, [0])`` that fill
    the box (NumPy gather); ``target_index``: (N + M,) flat box index of each image and
    blurring value (JAX scatter; the inverse of ``source_index``, all distinct)."""

    source_index: np.ndarray
    target_index: np.ndarray


def region_bounds_from(region: np.ndarray) -> tuple[int, int, int, int]:
    """``(row0, col0, rows, cols)`` of the bounding box of the True pixels of ``region``."""
    rr, cc = np.nonzero(region)
    r0, c0 = int(rr.min()), int(cc.min())
    return r0, c0, int(rr.max()) - r0 + 1, int(cc.max()) - c0 + 1


def box_indices_from(
    extended_index_native: np.ndarray,
    zero: int,
    bounds: tuple[int, int, int, int],
    shape: tuple[int, int],
) -> BoxIndices:
    """Indices that put the region ``bounds`` of the native map at the top-left of a box of
    ``shape`` (zero elsewhere). ``extended_index_native`` holds, per native pixel, its index
    into ``concat(image, blurring, [0])``; ``zero`` (= N + M) is the index of the final 0."""
    r0, c0, by, bx = bounds
    source = np.full(shape, zero, dtype=np.int64)
    source[:by, :bx] = extended_index_native[r0 : r0 + by, c0 : c0 + bx]
    source = source.ravel().astype(np.int32)
    target = np.empty(zero, dtype=np.int32)
    filled = np.flatnonzero(source != zero)
    target[source[filled]] = filled
    for arr in (source, target):
        arr.setflags(write=False)
    return BoxIndices(source_index=source, target_index=target)


def take_last(values, index, xp=np):
    """``values[..., index]``: ``np.take`` on NumPy (half the time of fancy indexing for a
    few thousand values: 6 vs 9 us), plain indexing on JAX (``jnp.take`` adds bounds
    masking)."""
    if xp is np:
        return np.take(values, index, axis=-1)
    return values[..., index]


def _materialised(values, xp=np):
    """``values`` unchanged, given a second (cheap) use so XLA computes them on their own.

    Under ``jax.vmap`` the scatter below takes its updates index-major (N + M, batch), a
    transposed copy of the batch-major values. With the values' only use being that copy,
    XLA CPU fuses the whole light computation into it and evaluates it in the transposed,
    strided order; a second use (here ``0 * sum``, which XLA does not fold for floats) makes
    it compute the values once in their own layout and the copy is a plain transpose
    (reference problem, ss1, vmap of 64: 0.48 -> 0.37 ms per vector; light fusion 19.8 ->
    9.8 ms per batch in a jax.profiler trace; jit unchanged). Any NaN/inf value already
    makes log L non-finite, so the extra term changes no finite result.
    """
    return values + 0.0 * xp.sum(values, axis=-1, keepdims=True)


def box_from(extended, indices: BoxIndices, shape: tuple[int, int], xp=np):
    """``(..., N + M + 1)`` extended slim values -> ``(..., Py, Px)`` native box.

    NumPy fills the box by a gather; JAX by a scatter of the N + M values: XLA fuses the
    producers of a gather's operand (the light profiles, ray tracing) into the gather's
    loop, which is then a scalar loop over the box (and batches badly under ``vmap``); a
    scatter's updates are computed first, vectorised (reference problem, ss1: the light +
    box step 0.46 -> 0.16 ms under jit, per-fusion times from a jax.profiler trace).
    """
    lead = extended.shape[:-1]
    if xp is np:
        return take_last(extended, indices.source_index).reshape(lead + shape)
    values = _materialised(extended[..., : indices.target_index.shape[0]], xp=xp)
    box = xp.zeros(lead + (shape[0] * shape[1],), dtype=extended.dtype)
    box = box.at[..., indices.target_index].set(values, unique_indices=True)
    return box.reshape(lead + shape)

"""Pad or trim native 2D arrays about their centre."""

from __future__ import annotations

import numpy as np

__all__ = ["resized_native"]


def resized_native(array: np.ndarray, new_shape, pad_value=0.0) -> np.ndarray:
    """``array`` padded with ``pad_value`` or trimmed symmetrically to ``new_shape``."""
    array = np.asarray(array)
    out = np.full(tuple(new_shape), pad_value, dtype=array.dtype)
    sy = [(o - n) // 2 for o, n in zip(array.shape, new_shape)]
    src = tuple(
        slice(max(s, 0), max(s, 0) + min(o, n)) for s, o, n in zip(sy, array.shape, new_shape)
    )
    dst = tuple(
        slice(max(-s, 0), max(-s, 0) + min(o, n)) for s, o, n in zip(sy, array.shape, new_shape)
    )
    out[dst] = array[src]
    return out

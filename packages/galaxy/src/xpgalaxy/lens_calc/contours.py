"""Zero contours of a 2D field on a Mask2D's pixel grid, via contourpy (NumPy only)."""

from __future__ import annotations

import numpy as np

__all__ = ["zero_contours_from", "polygon_area"]


def zero_contours_from(native: np.ndarray, mask) -> list[np.ndarray]:
    """(y, x) arcsec polylines where ``native`` crosses zero (NaN = masked)."""
    import contourpy

    ny, nx = native.shape
    rows, cols = np.arange(ny, dtype=float), np.arange(nx, dtype=float)
    gen = contourpy.contour_generator(cols, rows, np.ma.masked_invalid(native))
    curves = []
    for line in gen.lines(0.0):
        if len(line) < 4:
            continue
        yx = mask.scaled_coordinates_from(line[:, 1], line[:, 0])
        curves.append(yx)
    return curves


def polygon_area(yx: np.ndarray) -> float:
    """Absolute area of a closed polygon (shoelace formula), arcsec^2."""
    y, x = yx[:, 0], yx[:, 1]
    return 0.5 * abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))))

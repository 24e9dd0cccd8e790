"""Matplotlib set-up shared by the figures: the Agg backend and common helpers.

Figures are built as ``matplotlib.figure.Figure`` objects (no pyplot state), so plotting
works headless, in threads and next to a user's own pyplot session. Selecting Agg
happens here, when the plot package is first used, never at ``import xplens``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

if "matplotlib.pyplot" not in sys.modules:  # leave an interactive user session alone
    matplotlib.use("Agg")

import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from xparray.inference.search.output import atomic_write_bytes  # noqa: E402

__all__ = ["Figure", "extent_of", "save_figure", "zoom_slices"]

#: Colour of the tangential / radial critical curves and caustics on every figure.
TANGENTIAL_COLOUR = "#ffd700"
RADIAL_COLOUR = "#00e5ff"


def save_figure(fig: Figure, path: Path, dpi: int = 110) -> Path:
    """Write ``fig`` as PNG atomically (temporary file, then rename).

    No ``bbox_inches="tight"``: figures use constrained layout (or corner's own margins),
    and measuring every text box again would double the drawing time of a corner plot.
    """
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    atomic_write_bytes(path, buffer.getvalue())
    return Path(path)


def zoom_slices(mask, margin: int = 2) -> tuple[slice, slice]:
    """Rows and columns of the smallest box holding every unmasked pixel, plus ``margin``."""
    unmasked = ~np.asarray(mask.mask)
    rows = np.flatnonzero(unmasked.any(axis=1))
    cols = np.flatnonzero(unmasked.any(axis=0))
    ny, nx = unmasked.shape
    return (
        slice(max(rows[0] - margin, 0), min(rows[-1] + margin + 1, ny)),
        slice(max(cols[0] - margin, 0), min(cols[-1] + margin + 1, nx)),
    )


def extent_of(mask, rows: slice, cols: slice) -> list[float]:
    """``[x_min, x_max, y_min, y_max]`` (arcsec, pixel edges) of a native cut-out.

    Row 0 is the top of the image (largest y), so use it with ``imshow(origin="upper")``.
    """
    ny, nx = mask.shape_native
    sy, sx = mask.pixel_scales
    oy, ox = mask.origin

    def x_of(j):
        return (j - (nx - 1) / 2.0) * sx + ox

    def y_of(i):
        return -(i - (ny - 1) / 2.0) * sy + oy

    return [
        x_of(cols.start) - sx / 2.0,
        x_of(cols.stop - 1) + sx / 2.0,
        y_of(rows.stop - 1) - sy / 2.0,
        y_of(rows.start) + sy / 2.0,
    ]

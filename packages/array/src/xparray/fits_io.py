"""FITS reading and writing through astropy, in stored row order (no flip).

PyAutoLens writes arrays with row 0 at the top of the displayed image; we read and write
exactly what is stored, so its files load here pixel for pixel.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np

from xparray.errors import InputError

__all__ = ["ndarray_from_fits", "ndarray_to_fits"]


def ndarray_from_fits(file_path, hdu: int = 0) -> np.ndarray:
    """The 2D image in HDU ``hdu`` of ``file_path`` as native-endian float64."""
    from astropy.io import fits

    path = Path(file_path)
    if not path.is_file():
        raise InputError(f"FITS file not found: {str(path)!r} (check the path)")
    try:
        with fits.open(path, memmap=False) as hdul:
            if hdu >= len(hdul):
                raise InputError(f"{str(path)!r} has {len(hdul)} HDU(s); hdu={hdu} does not exist")
            data = hdul[hdu].data
    except InputError:
        raise
    except Exception as err:  # astropy raises OSError / various for non-FITS files
        raise InputError(f"cannot read {str(path)!r} as FITS: {err}") from err
    if data is None or np.ndim(data) != 2:
        shape = None if data is None else np.shape(data)
        raise InputError(f"{str(path)!r} HDU {hdu} holds no 2D image (data shape {shape})")
    return np.asarray(data, dtype=np.float64)


def ndarray_to_fits(array, file_path, overwrite: bool = False) -> None:
    """Write a 2D array to ``file_path`` atomically (temporary file, then rename)."""
    from astropy.io import fits

    path = Path(file_path)
    if path.exists() and not overwrite:
        raise InputError(f"{str(path)!r} exists; pass overwrite=True to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".fits", dir=path.parent)
    os.close(fd)
    try:
        fits.PrimaryHDU(np.asarray(array, dtype=np.float64)).writeto(tmp, overwrite=True)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)

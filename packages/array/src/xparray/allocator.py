"""Keep large NumPy temporaries in the heap: glibc ``malloc`` tuning for the NumPy path.

A NumPy likelihood creates and frees dozens of temporaries per call. Above glibc's
``mmap`` threshold (128 kB, i.e. 16,384 float64 values, raised dynamically) each one is a
fresh ``mmap`` whose pages fault in on first touch and go back to the system on ``free``;
below it, the heap top above 128 kB is trimmed back to the system after frees. Either way
the same memory is faulted in again on every call. With both thresholds raised, freed
temporaries stay in the heap for the next call (reference problem, ss4, 46,548 values per
array, one core: 6.1 -> 3.5 ms per likelihood; ss1, 4,128 values, unchanged). Only one of
the two settings is worse than neither (8.9 and 14.5 ms): setting one disables glibc's
dynamic adjustment of the other.

The cost is memory: up to ``TRIM_THRESHOLD`` bytes of freed heap stay with the process.
``XPLENS_MALLOC_TUNING=0`` turns it off. Other C libraries (macOS, musl) are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import sys

__all__ = ["MMAP_THRESHOLD", "TRIM_THRESHOLD", "TUNING_VARIABLE", "tune_malloc"]

#: Environment variable: ``0`` (or ``off``/``false``/``no``) keeps glibc's defaults.
TUNING_VARIABLE = "XPLENS_MALLOC_TUNING"
#: Allocations below this come from the heap (glibc's maximum on 64-bit: 32 MiB).
MMAP_THRESHOLD = 32 * 1024 * 1024
#: Free memory at the heap top kept for reuse rather than returned to the system.
TRIM_THRESHOLD = 256 * 1024 * 1024

# mallopt parameters, from glibc's <malloc.h>
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


@functools.cache
def tune_malloc() -> bool:
    """Raise glibc's mmap and trim thresholds once per process; True if they were set.

    Does nothing (False) when ``XPLENS_MALLOC_TUNING`` is ``0``/``off``/``false``/``no``,
    off Linux, or when the C library is not glibc.
    """
    if os.environ.get(TUNING_VARIABLE, "").strip().lower() in ("0", "off", "false", "no"):
        return False
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
        libc.gnu_get_libc_version  # noqa: B018 - glibc only (musl has mallopt as a no-op)
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mmap threshold first: glibc accepts it up to 32 MiB; 1 means success
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )

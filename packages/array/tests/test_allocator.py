"""xparray.allocator: glibc malloc thresholds for large NumPy temporaries.

Checked in fresh interpreters (the tuning is process-wide and happens once): with it, a
4 MiB NumPy array comes from the heap; without it (``XPLENS_MALLOC_TUNING=0``), glibc
serves it by ``mmap``, which ``mallinfo2().hblkhd`` (bytes in mmapped blocks) shows.
"""

import ctypes
import ctypes.util
import os
import subprocess
import sys

import pytest

from xparray import allocator

_PROBE = """
import ctypes, ctypes.util, sys
import numpy as np
from xparray import allocator

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
        "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.mallinfo2.restype = MallInfo2
applied = allocator.tune_malloc()
before = libc.mallinfo2().hblkhd
array = np.ones(4 * 1024 * 1024 // 8)
mmapped = libc.mallinfo2().hblkhd - before
print(applied, mmapped >= 4 * 1024 * 1024)
"""


def _glibc_with_mallinfo2() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"))
        return hasattr(libc, "gnu_get_libc_version") and hasattr(libc, "mallinfo2")
    except OSError:
        return False


def _probe(env_value):
    env = dict(os.environ)
    env.pop(allocator.TUNING_VARIABLE, None)
    if env_value is not None:
        env[allocator.TUNING_VARIABLE] = env_value
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env=env, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="needs glibc >= 2.33 (mallinfo2)")
def test_tuned_process_keeps_a_large_array_in_the_heap():
    assert _probe(None) == ["True", "False"]


@pytest.mark.skipif(not _glibc_with_mallinfo2(), reason="needs glibc >= 2.33 (mallinfo2)")
def test_opt_out_leaves_glibc_defaults():
    assert _probe("off") == ["False", "True"]

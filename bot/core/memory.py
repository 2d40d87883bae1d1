"""Giving the heap's free pages back to the system once the big start-up allocations are done."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def give_back_free_memory() -> None:
    """Collect garbage, then ask glibc to return free heap pages (``malloc_trim``); elsewhere, only collect.

    Building the answer engine allocates and drops a lot (term lists, vectors); without this the process
    keeps those pages resident though it never uses them again (some 20 MB).
    """
    gc.collect()
    try:
        trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)

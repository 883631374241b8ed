"""Keep freed heap memory for reuse in processes that run Yuma epochs: a process setting, so the
entry points call it (`cli.main.main`, the benchmarks), not the epoch itself.

One 256 x 256 epoch allocates and frees about twenty 512 KiB temporaries. By default glibc's
malloc serves blocks that size with fresh `mmap`s or, once it has raised its threshold, hands
them back to the kernel as soon as the top of the heap holds more than twice that much free,
so every epoch touches fresh pages again: the page faults cost about 40% of the epoch. Fixing
the mmap threshold at 32 MiB and the trim threshold at 128 MiB lets the temporaries reuse
the heap (at most 128 MiB of freed memory stays with the process). Other C libraries (macOS,
musl) are left alone: the call is a no-op where `mallopt` is missing.
"""

from __future__ import annotations

from functools import cache

MMAP_THRESHOLD = 32 << 20  # blocks below this come from the heap
TRIM_THRESHOLD = 128 << 20  # free memory at the top of the heap kept before trimming
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's <malloc.h> parameter numbers


@cache
def keep_freed_memory() -> None:
    """Set glibc's mmap and trim thresholds (see the module docstring), once per process."""
    try:
        import ctypes

        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)

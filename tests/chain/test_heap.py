"""The CLI's entry point keeps freed heap memory, so Yuma epochs reuse it instead of faulting in
fresh pages (glibc only); the epoch itself leaves the process's allocator alone."""

from __future__ import annotations

import ctypes
import subprocess
import sys

import pytest

_PROBE = """
import resource, sys
import numpy as np
from chain.yuma import YumaParams, yuma_epoch
if sys.argv[1] == "entry":
    from cli.main import main
    try:
        main(["--version"])
    except SystemExit:
        pass
rng = np.random.default_rng(0)
s, w, b = rng.random(256), rng.random((256, 256)), rng.random((256, 256))
yuma_epoch(s, w, b, YumaParams())
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(50):
    yuma_epoch(s, w, b, YumaParams())
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _has_mallopt() -> bool:
    try:
        return hasattr(ctypes.CDLL(None), "mallopt")
    except OSError:
        return False


def _faults(mode: str) -> int:
    out = subprocess.run([sys.executable, "-c", _PROBE, mode], capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux") or not _has_mallopt(),
                    reason="glibc's mallopt only")
def test_after_the_entry_point_fifty_epochs_touch_almost_no_fresh_pages():
    # each epoch allocates ~20 temporaries of 128 pages: without the thresholds, 50 epochs
    # fault in tens of thousands of pages
    assert _faults("entry") < 2_000


@pytest.mark.skipif(not sys.platform.startswith("linux") or not _has_mallopt(),
                    reason="glibc's mallopt only")
def test_the_epoch_alone_does_not_tune_the_allocator():
    assert _faults("epoch only") > 10_000

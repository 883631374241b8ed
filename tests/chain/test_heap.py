"""Yuma epochs reuse freed heap memory instead of faulting in fresh pages (glibc only)."""

from __future__ import annotations

import ctypes
import subprocess
import sys

import pytest

_PROBE = """
import resource
import numpy as np
from chain.yuma import YumaParams, yuma_epoch
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


@pytest.mark.skipif(not sys.platform.startswith("linux") or not _has_mallopt(),
                    reason="glibc's mallopt only")
def test_fifty_epochs_touch_almost_no_fresh_pages():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                         check=True)
    # each epoch allocates ~20 temporaries of 128 pages: without the thresholds, 50 epochs
    # fault in tens of thousands of pages
    assert int(out.stdout) < 2_000, out.stdout


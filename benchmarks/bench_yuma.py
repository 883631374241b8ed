"""Time one `chain.yuma.yuma_epoch` at 256, 1024 and 4096 UIDs (V = M) and print median ms.

Weights are sparse-ish and mostly in agreement, so that consensus is non-zero and every path
(clipping, liquid alpha) does real work: about 30 % of the miners have a quality, each validator
weights those with 20 % noise and drops one in ten; stake is random, previous bonds random in
[0, 1]. Three modes: Yuma3, Yuma3 with liquid alpha, legacy. Targets: 2 ms at
256, 50 ms at 1024, 1.5 s at 4096 (opentensor's yuma-simulation, float32 on 2 cores: about
2 ms and 96 ms). Both wall-clock and CPU time are printed: on a machine shared with other
jobs the wall clock of this single-threaded function stretches while its CPU time does not.

    .venv/bin/python benchmarks/bench_yuma.py [--sizes 256,1024] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from chain.heap import keep_freed_memory
from chain.yuma import YumaParams, yuma_epoch

MODES = {
    "yuma3": YumaParams(yuma3=True, liquid_alpha=False),
    "yuma3+liquid": YumaParams(yuma3=True, liquid_alpha=True),
    "legacy": YumaParams(yuma3=False),
}
TARGET_MS = {256: 2.0, 1024: 50.0, 4096: 1500.0}


def make_view(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    stake = rng.random(n) * 1e6
    quality = rng.random(n) * (rng.random(n) < 0.3)
    weights = quality[None, :] * (1.0 + 0.2 * rng.standard_normal((n, n)))
    weights[(weights < 0) | (rng.random((n, n)) < 0.1)] = 0.0
    weights = np.floor(weights / weights.max(axis=1, keepdims=True) * 65_535)  # stored u16 rows
    bonds = rng.random((n, n))
    return stake, weights, bonds


def median_ms(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU (this process) milliseconds over `repeat` runs."""
    fn()  # warm-up
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start_wall) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256,1024,4096")
    parser.add_argument("--repeat", type=int, default=0, help="runs per case (default by size)")
    args = parser.parse_args()
    keep_freed_memory()  # as the CLI entry point does (chain.heap)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"numpy {np.__version__}; {os.cpu_count()} cores, load average {load:.2f}")
    print("median of N runs in ms: wall clock, and CPU time of this process (what an idle")
    print("machine would show as wall clock: yuma_epoch is single-threaded)")
    print(f"{'n':>6} {'mode':<14} {'wall ms':>9} {'cpu ms':>9} {'target':>8} {'runs':>5}")
    for n in (int(x) for x in args.sizes.split(",")):
        stake, weights, bonds = make_view(n)
        repeat = args.repeat or (50 if n <= 256 else 15 if n <= 1024 else 5)
        for mode, params in MODES.items():
            wall, cpu = median_ms(
                lambda p=params, v=(stake, weights, bonds): yuma_epoch(*v, p), repeat
            )
            target = TARGET_MS.get(n)
            flag = "" if target is None else ("ok" if min(wall, cpu) <= target else "SLOW")
            print(
                f"{n:>6} {mode:<14} {wall:>9.2f} {cpu:>9.2f} {target or '':>8} {repeat:>5} {flag}"
            )


if __name__ == "__main__":
    main()

"""Start-up cost of the installed command: median wall time and peak memory over ~20 runs.

Prints, for `taoctl --help` and `taoctl quote stake ... --json`, the median and best wall time
(subprocess round trip) and the peak resident memory of the child (RUSAGE_CHILDREN ru_maxrss,
measured in a fresh helper process per command so the peak belongs to that command).
Budgets from the issue: --help <= 110 ms and <= 30 MiB; quote --json <= 150 ms.

    .venv/bin/python benchmarks/bench_startup.py [--runs 20]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

from taoctl_process import taoctl as taoctl_path

COMMANDS = {
    "taoctl --help": (["--help"], 110, 30),
    "taoctl quote stake ... --json": (
        [
            "quote",
            "stake",
            "--tao-reserve",
            "100",
            "--alpha-reserve",
            "400",
            "--amount",
            "1",
            "--json",
        ],
        150,
        None,
    ),
}

_PEAK_PROBE = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def measure(argv: list[str], runs: int) -> tuple[list[float], int]:
    env = {**os.environ, "NO_COLOR": "1"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append((time.perf_counter() - start) * 1000)
    peaks = [
        int(
            subprocess.run(
                [sys.executable, "-c", _PEAK_PROBE, *argv], capture_output=True, text=True, env=env
            ).stdout.strip()
            or 0
        )
        for _ in range(3)
    ]
    return times, max(peaks)  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print one JSON document")
    args = parser.parse_args()
    exe = taoctl_path()
    subprocess.run([exe, "--help"], capture_output=True)  # warm the file cache
    rows = []
    for label, (cmd, budget_ms, budget_mib) in COMMANDS.items():
        times, peak_kib = measure([exe, *cmd], args.runs)
        rows.append(
            {
                "command": label,
                "runs": args.runs,
                "median_ms": round(statistics.median(times), 1),
                "best_ms": round(min(times), 1),
                "peak_rss_mib": round(peak_kib / 1024, 1),
                "budget_ms": budget_ms,
                "budget_mib": budget_mib,
            }
        )
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    for row in rows:
        mem_budget = f" (budget {row['budget_mib']} MiB)" if row["budget_mib"] else ""
        print(
            f"{row['command']:<32} median {row['median_ms']:7.1f} ms  best "
            f"{row['best_ms']:7.1f} ms (budget {row['budget_ms']} ms)  peak "
            f"{row['peak_rss_mib']:5.1f} MiB{mem_budget}  [{row['runs']} runs]"
        )


if __name__ == "__main__":
    main()

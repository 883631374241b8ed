"""Benchmark: `taoctl wallet list` over 100 wallets x 10 hotkeys (no decryption).

Builds the wallets once in a temporary directory (encrypted-looking coldkeys, plaintext hotkeys
with pub files, as btcli leaves them), then runs the installed command several times and prints
the median wall time for the tree view and for --json. The target is under 300 ms.

    .venv/bin/python benchmarks/bench_wallet_list.py [--wallets 100] [--hotkeys 10] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from taoctl_process import taoctl  # noqa: E402
from wallet import keyfile as kf  # noqa: E402
from wallet.fsio import atomic_write  # noqa: E402


def build(root: Path, n_wallets: int, n_hotkeys: int) -> None:
    """Write the wallets with random keys (public parts are real ss58; no KDF is run)."""
    for w in range(n_wallets):
        wallet = root / f"wallet{w:03d}"
        cold = kf.KeyData(os.urandom(32))
        # a $NACL-prefixed body stands in for an encrypted coldkey: list only reads its prefix
        atomic_write(wallet / "coldkey", b"$NACL" + os.urandom(600))
        atomic_write(wallet / "coldkeypub.txt", kf.keyfile_json(cold, public_only=True))
        for h in range(n_hotkeys):
            hot = kf.KeyData(os.urandom(32), private_key=os.urandom(64), secret_seed=os.urandom(32))
            atomic_write(wallet / "hotkeys" / f"hk{h}", kf.keyfile_json(hot))
            atomic_write(
                wallet / "hotkeys" / f"hk{h}pub.txt", kf.keyfile_json(hot, public_only=True)
            )




def measure(args: list[str], runs: int, env: dict) -> tuple[float, float, float, float]:
    """Median, min and max wall time, and the median CPU time (user + sys) of the child,
    which says more than wall time on a machine shared with other work."""
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        proc = subprocess.run(args, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed: {proc.stderr.decode()[:500]}")
    return statistics.median(times), min(times), max(times), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wallets", type=int, default=100)
    parser.add_argument("--hotkeys", type=int, default=10)
    parser.add_argument("--runs", type=int, default=15)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "wallets"
        build(root, opts.wallets, opts.hotkeys)
        env = {
            **os.environ,
            "HOME": tmp,
            "COLUMNS": "200",
            "NO_COLOR": "1",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
        exe = taoctl()
        keys = opts.wallets * (opts.hotkeys + 1)
        print(
            f"wallet list: {opts.wallets} wallets x {opts.hotkeys} hotkeys ({keys} keys), "
            f"{opts.runs} runs each"
        )
        for label, extra in (("tree", []), ("--json", ["--json"])):
            median, low, high, cpu = measure(
                [exe, "wallet", "list", "-p", str(root), *extra], opts.runs, env
            )
            print(
                f"  {label:7s} median {median * 1000:7.1f} ms   "
                f"(min {low * 1000:.1f}, max {high * 1000:.1f}; CPU {cpu * 1000:.1f} ms)"
            )
        median, low, high, cpu = measure([exe, "--help"], opts.runs, env)
        print(
            f"  {'--help':7s} median {median * 1000:7.1f} ms   "
            f"(min {low * 1000:.1f}; CPU {cpu * 1000:.1f} ms; baseline start-up)"
        )
        print(f"  load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()

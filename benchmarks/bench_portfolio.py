"""Benchmark: `taoctl portfolio` for a coldkey with 100 positions and 1,000 recorded operations
(budget 300 ms).

Builds a dev chain once: Alice creates and starts a subnet, pairs 100 hotkeys with her coldkey
and, block by block, stakes and partly unstakes through each (100 pairings + 900 stake calls =
1,000 signed operations of hers on the chain's record), with epochs in between. Then runs the
installed command (`taoctl portfolio --ss58 <Alice> --json`) several times and prints the median
wall time and the child's CPU time, and the same in-process (no interpreter start-up).

    .venv/bin/python benchmarks/bench_portfolio.py [--positions 100] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from taoctl_process import taoctl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TAO = 10**9
BUDGET_MS = 300


def build(path: Path, positions: int) -> str:
    """The chain; returns Alice's ss58. 10 operations per position."""
    from chain.local.backend import LocalBackend
    from chain.local.chain import LocalChain
    from wallet.ss58 import ss58_encode

    LocalChain.create(path, "dev").close()
    backend = LocalBackend(path)
    alice = backend.dev_signer("Alice")
    owner_hotkey = os.urandom(32)
    receipt = backend.submit_call(alice, "SubtensorModule", "register_network",
                                  {"hotkey": owner_hotkey})
    assert receipt.success, receipt.error
    netuid = max(backend.netuids())
    backend.advance(1)
    receipt = backend.submit_call(alice, "SubtensorModule", "start_call", {"netuid": netuid})
    assert receipt.success, receipt.error
    hotkeys = [os.urandom(32) for _ in range(positions)]
    for h in hotkeys:
        assert backend.submit_call(alice, "SubtensorModule", "try_associate_hotkey",
                                   {"hotkey": h}).success
    backend.advance(1)
    for round_ in range(9):
        for h in hotkeys:
            if round_ % 3 == 2:
                alpha = backend.stake(h, alice.public_key, netuid) // 4
                name, args = "remove_stake", {"hotkey": h, "netuid": netuid,
                                              "amount_unstaked": alpha}
            else:
                name, args = "add_stake", {"hotkey": h, "netuid": netuid,
                                           "amount_staked": (1 + round_) * TAO}
            receipt = backend.submit_call(alice, "SubtensorModule", name, args)
            assert receipt.success, (name, receipt.error, receipt.message)
        backend.advance(120)
    count = len(backend.account_history(alice.public_key) or [])
    backend.close()
    print(f"chain built: {positions} positions, {count} operations of the coldkey on record")
    return ss58_encode(alice.public_key)




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--positions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=9)
    opts = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench_portfolio."))
    try:
        db = tmp / "sandbox.db"
        alice = build(db, opts.positions)
        env = {**os.environ, "TAOCTL_CHAIN_DB": str(db), "HOME": str(tmp),
               "XDG_DATA_HOME": str(tmp / "data")}
        args = [taoctl(), "portfolio", "--ss58", alice, "--json"]
        times, cpu = [], []
        for _ in range(opts.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            proc = subprocess.run(args, capture_output=True, env=env)
            times.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            if proc.returncode != 0:
                raise SystemExit(proc.stderr.decode())
        data = json.loads(proc.stdout)
        rows = data["wallets"][0]["positions"]
        print(f"portfolio: {len(rows)} rows, {data['wallets'][0]['operations']} staking "
              f"operations")
        print(f"taoctl portfolio --json (process): median {statistics.median(times) * 1e3:.0f} "
              f"ms wall (min {min(times) * 1e3:.0f}, max {max(times) * 1e3:.0f}), "
              f"median CPU {statistics.median(cpu) * 1e3:.0f} ms; budget {BUDGET_MS} ms")
        os.environ.update({k: env[k] for k in ("TAOCTL_CHAIN_DB", "HOME", "XDG_DATA_HOME")})
        from chain.local.backend import LocalBackend
        from cli.portfolio import one
        from wallet.ss58 import ss58_decode  # noqa: F401  (imported once, outside the timing)

        inproc = []
        for _ in range(opts.runs):
            start = time.perf_counter()
            backend = LocalBackend(db)
            one(backend, None, None, alice)
            backend.close()
            inproc.append(time.perf_counter() - start)
        print(f"portfolio computation (in process, warm): median "
              f"{statistics.median(inproc) * 1e3:.0f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

"""`--at-block` reads 100,000 blocks back on the bundled chain (prints figures; budget 200 ms).

Builds a chain with a started subnet and one staked position, advances 100,000 blocks with the
subnet emitting (its pool and stakes change every block, so the history has a row per changed
entry per block), then times the reads the read commands make at the block before that run:
in process (open the backend, pin it with `at`, read every subnet and the coldkey's
positions), and whole `taoctl subnet list --at-block B --json` / `wallet balance` processes
beside the same commands at the head. Median of N runs.

    python benchmarks/bench_at_block.py [runs]
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from taoctl_process import taoctl

BACK = 100_000




def run(env: dict, *args: str) -> dict:
    proc = subprocess.run([taoctl(), *args, "--json"], env=env, capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise SystemExit(f"taoctl {' '.join(args)} failed: {proc.stderr}")
    return json.loads(proc.stdout)


def timed(cmd: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, capture_output=True, check=True, timeout=120)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    home = Path(tempfile.mkdtemp(prefix="bench-atblock-"))
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "COLUMNS": "200", "NO_COLOR": "1"}
    run(env, "chain", "init")
    owner = run(env, "wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
    me = run(env, "wallet", "create", "--wallet-name", "me", "--hotkey", "v",
             "--no-use-password", "-y")
    run(env, "chain", "fund", owner["coldkey_ss58"], "5000")
    run(env, "chain", "fund", me["coldkey_ss58"], "3000")
    n = run(env, "subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    run(env, "subnet", "start", "--netuid", str(n), "--wallet-name", "owner", "-y")
    run(env, "subnet", "register", "--netuid", str(n), "--wallet-name", "me", "--hotkey", "v",
        "-y")
    run(env, "stake", "add", "--netuid", str(n), "--amount", "100", "--wallet-name", "me",
        "--hotkey", "v", "--unsafe", "-y")
    run(env, "chain", "advance", "1")  # seal the block the stake went into
    block = run(env, "chain", "history")["head"]
    start = time.perf_counter()
    run(env, "chain", "advance", str(BACK))
    built = time.perf_counter() - start
    retention = run(env, "chain", "history")
    db = Path(env["XDG_DATA_HOME"]) / "taoctl" / "sandbox.db"
    rows = _history_rows(db)
    print(f"chain: head {retention['head']:,}, reading block {block:,} "
          f"({retention['head'] - block:,} blocks back); {rows:,} history rows; "
          f"advance {BACK:,} took {built:.1f} s; {db.stat().st_size / 2**20:.1f} MiB")

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from chain.factory import open_sandbox
    from cli.chainview import all_subnets

    coldkey = bytes.fromhex(_pubkey(me["coldkey_ss58"]))
    middle = block + BACK // 2  # inside a fast-forwarded run: replayed from its first block
    for label, at in (("head", None), (f"--at-block {block}", block),
                      (f"--at-block {middle}", middle)):
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            backend = open_sandbox(db)
            view = backend if at is None else backend.at(at)
            subnets = all_subnets(view)
            stakes = view.stake_info(coldkey)
            view.read("System.Account", coldkey)
            backend.close()
            times.append(time.perf_counter() - t0)
        print(f"in process, subnets + positions + balance at {label:>18}: "
              f"median {statistics.median(times) * 1000:6.1f} ms (best {min(times) * 1000:.1f}; "
              f"{len(subnets)} subnets, {len(stakes)} positions; budget 200 ms)")
    for args in (["subnet", "list"], ["wallet", "balance", "--wallet-name", "me"]):
        head = timed([taoctl(), *args, "--json"], env, runs)
        past = timed([taoctl(), *args, "--json", "--at-block", str(block)], env, runs)
        print(f"taoctl {' '.join(args):32} whole process: head {head * 1000:6.1f} ms, "
              f"--at-block {block} {past * 1000:6.1f} ms")
    shutil.rmtree(home, ignore_errors=True)


def _history_rows(db: Path) -> int:
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    finally:
        conn.close()


def _pubkey(ss58: str) -> str:
    from scalecodec.utils.ss58 import ss58_decode

    return ss58_decode(ss58)


if __name__ == "__main__":
    main()

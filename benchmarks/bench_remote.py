"""Remote balance query, taoctl vs btcli, against the same `taoctl node serve` (prints figures).

Starts a dev chain served on a free loopback port, then times whole processes:
`taoctl wallet balance --ss58 ALICE --network ws://... --json` and
`btcli wallet balance --ss58 ALICE --network ws://... --json-output` (btcli from $TAOCTL_BTCLI or
~/.cache/taoctl-tests/btcli-venv, as the btcli tests install it). Median of N runs each.

    python benchmarks/bench_remote.py [runs]
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from taoctl_process import start_node, taoctl

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"




def btcli() -> str | None:
    given = os.environ.get("TAOCTL_BTCLI")
    exe = Path(given) if given else Path("~/.cache/taoctl-tests/btcli-venv/bin/btcli").expanduser()
    return str(exe) if exe.exists() else None


def timed(cmd: list[str], env: dict, runs: int) -> tuple[float, list[float], str]:
    times, out = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        times.append(time.perf_counter() - start)
        out = proc.stdout
        if proc.returncode != 0:
            raise SystemExit(f"{cmd[0]} failed: {proc.stderr}")
    return statistics.median(times), times, out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    home = Path(tempfile.mkdtemp(prefix="bench-remote-"))
    env = {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "COLUMNS": "200", "NO_COLOR": "1"}
    subprocess.run([taoctl(), "chain", "init", "--json"], env=env, check=True,
                   capture_output=True)
    subprocess.run([taoctl(), "chain", "advance", "3", "--json"], env=env, check=True,
                   capture_output=True)
    node, url = start_node([taoctl(), "node", "serve", "--port", "0", "--json"], env)
    try:
        ours = [taoctl(), "wallet", "balance", "--ss58", ALICE, "--network", url, "--json"]
        t_ours, all_ours, out = timed(ours, env, runs)
        free = json.loads(out)["balances"][0]["free_rao"]
        print(f"node: {url}   runs: {runs}   Alice free: {free} rao")
        print(f"taoctl wallet balance --json : median {t_ours * 1000:7.0f} ms "
              f"(min {min(all_ours) * 1000:.0f}, max {max(all_ours) * 1000:.0f})")
        exe = btcli()
        if exe is None:
            print("btcli: not installed (run the btcli tests once, or set TAOCTL_BTCLI)")
            return
        theirs = [exe, "wallet", "balance", "--ss58", ALICE, "--network", url, "--json-output"]
        t_theirs, all_theirs, out = timed(theirs, env, runs)
        (row,) = json.loads(out)["balances"].values()
        print(f"btcli  wallet balance --json : median {t_theirs * 1000:7.0f} ms "
              f"(min {min(all_theirs) * 1000:.0f}, max {max(all_theirs) * 1000:.0f}); "
              f"free {row['free']} TAO")
        print(f"taoctl is {t_theirs / t_ours:.1f}x faster (target: at least 2x)")
    finally:
        node.send_signal(signal.SIGINT)
        try:
            node.wait(15)
        except subprocess.TimeoutExpired:
            node.kill()
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()

"""taoctl's own client beside btcli v11 through the same `taoctl node serve` (prints figures).

A dev chain where Alice owns subnet 1 (hotkey //AliceHot, 100 TAO staked) is served on a free
loopback port by a `taoctl node serve` process; then whole client processes are timed, median
of N runs each:

- `wallet balance` (Alice's wallet),
- `stake list`,
- a dry-run stake of 2 TAO into subnet 1 (`stake add --dry-run`: quoted, nothing signed).

taoctl runs as the project's interpreter runs it; btcli v11 comes from the pinned bittensor
11.3.0 venv (`tests/clients/sdk11.txt`, made once under ~/.cache/taoctl-tests/clients). A run
that fails is reported with its error and not timed. Goal: taoctl at least 5x faster on each.

    python benchmarks/bench_clients.py [runs]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from taoctl_process import start_node

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TAO = 10**9


def build(path: Path, wallets: Path) -> None:
    from chain.local.accounts import dev_signer
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call
    from chain.pallets.subtensor_module import START_CALL_DELAY
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    hot = keypair_from_uri("//AliceHot")
    alice = dev_signer("Alice")
    with LocalChain.create(path, "dev") as chain:
        assert chain.submit_call(alice, Call("SubtensorModule", "register_network",
                                             {"hotkey": hot.public_key})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(alice, Call("SubtensorModule", "start_call",
                                             {"netuid": 1})).success
        assert chain.submit_call(alice, Call("SubtensorModule", "add_stake", {
            "hotkey": hot.public_key, "netuid": 1, "amount_staked": 100 * TAO})).success
        chain.advance(3)
    Wallet("alice", wallets).write_coldkey(keypair_from_uri("//Alice"), None)
    Wallet("alice", wallets).write_hotkey(hot, "default", None)


def serve(path: Path, env: dict) -> tuple[subprocess.Popen, str]:
    return start_node([sys.executable, "-m", "cli.main", "node", "serve", "--port", "0",
                       "--chain-db", str(path), "--json"], env, cwd=str(ROOT))


def timed(cmd: list[str], env: dict, runs: int) -> tuple[float | None, str]:
    """(median seconds, "") or (None, the failure)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60,
                                  cwd=ROOT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return None, "no answer within 60 s"
        times.append(time.perf_counter() - start)
        if proc.returncode != 0:
            return None, (proc.stderr or proc.stdout).strip().splitlines()[-1][:160] \
                if (proc.stderr or proc.stdout).strip() else f"exit {proc.returncode}"
    return statistics.median(times), ""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from tests.clients import venvs

    venv, made = venvs.ensure("sdk11")
    home = Path(tempfile.mkdtemp(prefix="bench-clients-"))
    wallets = home / ".bittensor" / "wallets"
    path = home / "chain.db"
    build(path, wallets)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BT_", "TAOCTL_"))}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1", PYTHONPATH=str(ROOT),
               XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"))
    node, url = serve(path, env)
    try:
        taoctl = [sys.executable, "-m", "cli.main"]
        who = ["--wallet-name", "alice", "--wallet-path", str(wallets)]
        btcli = [str(venv / "bin" / "btcli"), "--network", url, "--json", "--wallet", "alice",
                 "--wallet-path", str(wallets), "--wallet-hotkey", "default", "--yes",
                 "--fallback-endpoints", "none", "--archive-endpoints", "none"]
        flows = {
            "wallet balance": (taoctl + ["wallet", "balance", *who, "--network", url, "--json"],
                               btcli + ["wallet", "balance"]),
            "stake list": (taoctl + ["stake", "list", *who, "--network", url, "--json"],
                           btcli + ["stake", "list"]),
            "stake add --dry-run (2 TAO, netuid 1)": (
                taoctl + ["stake", "add", "--netuid", "1", "--amount", "2", *who, "--hotkey",
                          "default", "--network", url, "--dry-run", "--json"],
                btcli[:1] + ["--dry-run"] + btcli[1:] + ["stake", "add", "--netuid", "1",
                                                         "--amount", "2"]),
        }
        print(f"node {url}; median of {runs} runs; btcli v11 venv "
              f"{'cached' if made['cached'] else 'made'} (cold creation {made['created_s']} s)")
        print(f"{'flow':40} {'taoctl':>10} {'btcli v11':>10} {'ratio':>7}")
        for name, (ours, theirs) in flows.items():
            t_ours, err_ours = timed(ours, env, runs)
            t_theirs, err_theirs = timed(theirs, env, runs)
            cell = (lambda t: f"{t * 1000:8.0f}ms" if t is not None else "    failed")
            ratio = f"{t_theirs / t_ours:6.1f}x" if t_ours and t_theirs else "      -"
            print(f"{name:40} {cell(t_ours):>10} {cell(t_theirs):>10} {ratio:>7}")
            for who_failed, err in (("taoctl", err_ours), ("btcli v11", err_theirs)):
                if err:
                    print(f"    {who_failed} failed: {err}")
    finally:
        node.terminate()
        node.wait(10)


if __name__ == "__main__":
    main()

"""Print how fast the bundled chain advances: closed-form skips and block-by-block runs.

Targets from the issue: `chain advance 100000` with no subnets <= 2 s, and
`chain advance --to-halving` from the mainnet preset (about 10 M blocks) <= 30 s. The mainnet
preset's 128 subnets emit, so that run is the `--coarse` fast-forward (block by block it would
take hours); a one-day run of the same chain block by block is printed beside it.
Measures both the library call and the installed `taoctl` command (which adds start-up), and
the rate of signed transfers (one fsync'd commit each). The mainnet day also prints its CPU
seconds (`getrusage` of the child), which hold still when other work shares the cores.

    python benchmarks/bench_advance.py [--mainnet-day]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call


def _timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cli_timed(*args: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `taoctl` process; the CPU seconds hold still when other
    work shares the cores. Python may write its bytecode cache (an environment that sets
    PYTHONDONTWRITEBYTECODE, as this sandbox does, would otherwise recompile every changed
    module in every run: about 0.2 s that an installed taoctl pays once)."""
    exe = str(Path(sys.executable).with_name("taoctl"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    t0, c0 = time.perf_counter(), _children_cpu()
    subprocess.run([exe, *args], check=True, capture_output=True, env=env)
    return time.perf_counter() - t0, _children_cpu() - c0


def _cli(*args: str) -> float:
    return _cli_timed(*args)[0]


def mainnet_day(tmp: Path) -> Path:
    """The block-by-block day of the mainnet preset through the CLI, in `tmp`, printed; the
    advanced chain file (`--mainnet-day`: this run alone)."""
    main_db = tmp / "mainnet.db"
    LocalChain.create(main_db, "mainnet").close()
    warm = tmp / "warm-up.db"  # imports every module the run needs (bytecode cache)
    LocalChain.create(warm, "mainnet").close()
    _cli_timed("chain", "advance", "2", "--chain-db", str(warm))
    seconds, cpu = _cli_timed("chain", "advance", "7200", "--chain-db", str(main_db))
    print(f"taoctl chain advance 7200 (mainnet, 128 emitting subnets, block by block, CLI): "
          f"{seconds:.2f} s wall, {cpu:.2f} s CPU")
    return main_db


def main() -> None:
    if "--mainnet-day" in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as tmp:
            mainnet_day(Path(tmp))
        return
    with tempfile.TemporaryDirectory() as tmp:
        dev = Path(tmp) / "dev.db"
        chain = LocalChain.create(dev, "dev")
        seconds, _ = _timed(lambda: chain.advance(100_000))
        print(f"advance 100000 (dev, closed form, library): {seconds * 1000:.1f} ms")
        seconds, _ = _timed(lambda: chain.advance(20_000, block_by_block=True))
        print(f"advance 20000 block by block (library): {seconds * 1000:.1f} ms "
              f"({seconds / 20_000 * 1e6:.1f} us per block)")
        alice, bob = dev_signer("Alice"), DEV_ACCOUNTS["Bob"]
        call = Call("Balances", "transfer_keep_alive", {"dest": bob, "value": 10**9})
        seconds, _ = _timed(lambda: [chain.submit_call(alice, call) for _ in range(200)])
        print(f"200 signed transfers, each its own durable commit (library): {seconds:.2f} s "
              f"({200 / seconds:.0f} per second)")
        chain.close()
        print(f"taoctl chain advance 100000 (dev, CLI incl. start-up): "
              f"{_cli('chain', 'advance', '100000', '--chain-db', str(dev)):.2f} s")
        main_db = mainnet_day(Path(tmp))
        with LocalChain.open(main_db) as chain:
            start = chain.open_number()
        seconds = _cli("chain", "advance", "--to-halving", "--coarse", "--chain-db", str(main_db))
        with LocalChain.open(main_db) as chain:
            blocks = chain.open_number() - start
        print(f"taoctl chain advance --to-halving --coarse (mainnet, {blocks:,} blocks, CLI): "
              f"{seconds:.2f} s")
        seconds = _cli("chain", "check", "--chain-db", str(main_db))
        print(f"taoctl chain check after that: {seconds:.2f} s")


if __name__ == "__main__":
    main()

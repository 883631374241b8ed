"""`taoctl portfolio --archive URL`: how fast a coldkey's operations are read from a node's
blocks (prints figures; no budget in the issue).

Builds a dev chain of 2,000 blocks in which Alice sends Bob a transfer every 20th block (100
blocks hold one of Bob's operations), serves it with `taoctl node serve`, and times
`ChainBackend.account_operations` for Bob over all 2,000 blocks through the remote backend:
two requests a block (`chain_getBlockHash`, `chain_getBlock`) and one more (`System.Events`
at the block's hash) for each block holding his extrinsics. On a real archive node add the
round trip (two or three per block) to the per-block figure.

    python benchmarks/bench_archive_scan.py [runs]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

BLOCKS, EVERY = 2_000, 20


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with tempfile.TemporaryDirectory() as tmp:
        scan(Path(tmp) / "chain.db", runs)


def scan(path: Path, runs: int) -> None:
    """Build the chain at `path`, serve it, time the scan `runs` times, print the median."""
    from chain.factory import open_node
    from chain.local.accounts import dev_signer
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call
    from chain.node.server import NodeServer

    alice, bob = dev_signer("Alice"), dev_signer("Bob")
    with LocalChain.create(path, "dev") as chain:
        for _ in range(BLOCKS // EVERY):
            assert chain.submit_call(alice, Call("Balances", "transfer_keep_alive", {
                "dest": bob.public_key, "value": 10**9})).success
            chain.advance(EVERY)
    server = NodeServer(path, "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        backend = open_node(f"ws://127.0.0.1:{server.port}", name="bench", timeout=30,
                            period=16)
        head = backend.block_info().head_number
        times, found = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            found = len(backend.account_operations(bob.public_key, head - BLOCKS + 1, head))
            times.append(time.perf_counter() - start)
        backend.close()
    finally:
        stop()
    median = statistics.median(times)
    print(f"account_operations over {BLOCKS:,} blocks ({found} operations of the account) "
          f"through taoctl node serve: median {median * 1000:.0f} ms "
          f"({median / BLOCKS * 1000:.2f} ms a block; min {min(times) * 1000:.0f} ms)")


if __name__ == "__main__":
    main()

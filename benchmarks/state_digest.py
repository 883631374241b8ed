"""The golden run: an 8-subnet x 64-UID dev chain (weights set, 64 validators' weights as in
`bench_epoch_advance`) advanced 1,500 blocks, and the sha256 over every storage row. A change
that must not alter any result prints the same digest before and after.

    .venv/bin/python benchmarks/state_digest.py [--subnets 8] [--uids 64] [--blocks 1500]
    .venv/bin/python benchmarks/state_digest.py --mainnet [--blocks 2000]

`--mainnet` digests the `mainnet` preset (128 emitting subnets, the emission gate in force)
advanced block by block instead: the run that exercises the gate's bar and every share.
"""

from __future__ import annotations

import argparse
import hashlib
import sqlite3
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def digest(path: Path) -> tuple[str, int]:
    """sha256 over every (item, key, value) row of the storage table, in key order."""
    h = hashlib.sha256()
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT item, key, value FROM storage ORDER BY item, key").fetchall()
    for row in rows:
        h.update(repr(row).encode())
    return h.hexdigest(), len(rows)


def main() -> None:
    from bench_epoch_advance import build

    parser = argparse.ArgumentParser()
    parser.add_argument("--subnets", type=int, default=8)
    parser.add_argument("--uids", type=int, default=64)
    parser.add_argument("--blocks", type=int, default=None)
    parser.add_argument("--mainnet", action="store_true",
                        help="the mainnet preset block by block (default 2000 blocks)")
    args = parser.parse_args()
    from chain.heap import keep_freed_memory

    keep_freed_memory()  # as the CLI entry point does (chain.heap)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "golden.db"
        if args.mainnet:
            from chain.local.chain import LocalChain

            blocks = args.blocks or 2000
            chain = LocalChain.create(path, "mainnet")
            chain.advance(blocks, block_by_block=True)
            label = "mainnet preset"
        else:
            blocks = args.blocks or 1500
            chain = build(path, args.subnets, args.uids)
            chain.advance(blocks)
            label = f"{args.subnets} subnets x {args.uids} UIDs"
        chain.close()
        value, rows = digest(path)
    print(f"{label}, {blocks} blocks: {rows} rows, sha256 {value}")


if __name__ == "__main__":
    main()

"""Completing taoctl's journal from an archive node (`taoctl portfolio --archive URL`).

On a real network the cost basis comes from taoctl's journal (`cli.journal`), which lacks
whatever other tools did. When a coldkey holds a position no journaled operation explains,
`complete` reads the coldkey's operations from the archive node's own blocks and events
(`ChainBackend.account_operations`) over a bounded range -- the last `--archive-blocks` blocks
up to the block read (default a day, 7,200) -- and appends those the journal lacks to it
(marked `"source": "archive"`), so the next run needs no scan. The archive must serve the same
chain (its genesis hash is checked). Light module: stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chain.backend import ChainBackend
    from cli.output import Output

DEFAULT_BLOCKS = 7_200  # a day of 12 s blocks
MAX_BLOCKS = 1_000_000  # about 139 days; two or three requests a block


@dataclass(frozen=True)
class Archive:
    """Where and how far back to look: the --archive network and --archive-blocks."""

    network: str
    blocks: int
    out: Output


def complete(archive: Archive, backend: ChainBackend, coldkey: bytes, known: list[dict],
             until: int | None) -> tuple[list[dict], dict]:
    """(the coldkey's operations in the scanned blocks, what was scanned and added). Those
    not in `known` (by extrinsic hash) are appended to the journal."""
    from cli import journal
    from cli.errors import UsageError
    from cli.netopts import open_backend

    info = backend.block_info()
    last = info.head_number if until is None else until
    node = open_backend(archive.network)
    try:
        there = node.block_info()
        if there.genesis_hash != info.genesis_hash:
            raise UsageError(f"--archive {archive.network} serves another chain (genesis "
                             f"0x{there.genesis_hash.hex()[:16]}..., not "
                             f"0x{info.genesis_hash.hex()[:16]}...)")
        last = min(last, there.head_number)
        first = max(there.genesis_number, last - archive.blocks + 1)
        with archive.out.progress(f"Reading blocks {first:,}..{last:,}", last - first + 1) \
                as step:
            found = node.account_operations(coldkey, first, last, step)
    finally:
        node.close()
    seen = {op["hash"] for op in known}
    added = [op for op in found if op["hash"] not in seen]
    for op in added:
        journal.append(archived(info.genesis_hash, backend.network, op))
    summary = {"network": archive.network, "first_block": first, "last_block": last,
               "found": len(found), "added": len(added)}
    from wallet.ss58 import ss58_encode

    archive.out.info(f"Read blocks {first:,}..{last:,} of {archive.network}: {len(found)} "
                     f"operation(s) of {ss58_encode(coldkey)}, {len(added)} not in the journal "
                     "(now added).")
    return found, summary


def archived(genesis_hash: bytes, network: str, op: dict[str, Any]) -> dict:
    """The journal line of an operation read from an archive node."""
    return {"genesis": "0x" + genesis_hash.hex(), "network": network, **op,
            "source": "archive"}

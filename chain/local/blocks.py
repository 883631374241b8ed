"""Blocks of the bundled chain: their hashes, their rows, and runs of empty blocks.

Table `blocks(number, hash, parent, timestamp, extrinsics, events, issuance, issuance_end,
run_end)`. A row is one block that was opened (its start-of-block events, the hashes of the
extrinsics applied in it, TotalIssuance after its start-of-block work and, once sealed, at its
end) followed by a run of empty blocks
number+1 .. run_end that need no row of their own (fast-forwarding ten million blocks writes one
row). Exactly one row, the last, is the open block: its hash is NULL until it is closed.

Hashes (blake2b-256):
- a block with a row:  H(b"taoctl/block" || u64 number || parent || u64 timestamp ||
  H(extrinsics JSON) || H(events JSON))
- an empty block n in the run after row r:  H(b"taoctl/empty" || hash(r) || u64 n)
So every parent link is checkable: inside a run by construction, and at each row by comparing
its stored parent with the hash derived for the block before it. An empty block's events are
its start-of-block hooks' and are not stored. Timestamps are genesis time + 12 s per
block, so every block maps to a date.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

from chain.local import rows
from chain.local.extrinsic import _canonical

# Every block opens with two inherents (Timestamp.set, MevShield.announce_next_key), as on a
# spec-461 chain: the signed extrinsic stored at `idx` is the block's extrinsic INHERENTS + idx.
INHERENTS = 2


def _h(*parts: bytes) -> bytes:
    return hashlib.blake2b(b"".join(parts), digest_size=32).digest()


def _u64(n: int) -> bytes:
    return n.to_bytes(8, "little")


def events_json(events: list[dict]) -> str:
    """Canonical JSON of a list of events (accounts as "0x" hex)."""
    return json.dumps(_canonical(events), sort_keys=True, separators=(",", ":"))


def record_json(events: list[dict]) -> str:
    """JSON of an extrinsic's events in the order the runtime emitted them and their fields
    (the `extrinsics` rows: a node serves unnamed event fields by position from them)."""
    return json.dumps(_canonical(events), separators=(",", ":"))


def row_hash(number: int, parent: bytes, timestamp: int, extrinsics: str, events: str) -> bytes:
    """The hash of a block that has a row, from its contents."""
    return _h(b"taoctl/block", _u64(number), parent, _u64(timestamp),
              _h(extrinsics.encode()), _h(events.encode()))


def empty_hash(run_base: bytes, number: int) -> bytes:
    """The hash of empty block `number` in the run following the row whose hash is `run_base`."""
    return _h(b"taoctl/empty", run_base, _u64(number))


def hash_at(conn: sqlite3.Connection, number: int) -> bytes | None:
    """The hash of any closed block, derived for blocks inside a run; None if open or unknown."""
    row = conn.execute(
        "SELECT number, hash, run_end FROM blocks WHERE number <= ? ORDER BY number DESC LIMIT 1",
        (number,)).fetchone()
    if row is None or row[1] is None:
        return None
    if not isinstance(row[1], bytes) or len(row[1]) != 32 or type(row[2]) is not int:
        raise rows.corrupt(f"block {row[0]!r}", "has a malformed hash or run end")
    if number > row[2]:
        return None
    return bytes(row[1]) if row[0] == number else empty_hash(bytes(row[1]), number)


def insert_open(conn: sqlite3.Connection, number: int, parent: bytes, timestamp: int,
                events: list[dict], issuance: int) -> None:
    """Add the row of a newly opened block (hash NULL until it closes)."""
    conn.execute(
        "INSERT INTO blocks (number, hash, parent, timestamp, extrinsics, events, issuance, "
        "run_end) VALUES (?, NULL, ?, ?, '[]', ?, ?, ?)",
        (number, parent, timestamp, events_json(events), str(issuance), number))


def close_open(conn: sqlite3.Connection, number: int, run_end: int, issuance_end: int) -> bytes:
    """Seal the open block `number`: store its hash and final issuance; record the empty run
    after it."""
    row = conn.execute("SELECT number, hash, parent, timestamp, extrinsics, events, issuance, "
                       "issuance_end, run_end FROM blocks WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise rows.corrupt(f"block {number}", "(the open block) has no row")
    problem = rows.block_row_problem(row)
    if problem:
        raise rows.corrupt(f"block {number}", problem)
    parent, timestamp, extrinsics, events = row[2:6]
    block_hash = row_hash(number, bytes(parent), timestamp, extrinsics, events)
    conn.execute("UPDATE blocks SET hash = ?, run_end = ?, issuance_end = ? WHERE number = ?",
                 (block_hash, run_end, str(issuance_end), number))
    return block_hash


def open_block_has_extrinsics(conn: sqlite3.Connection) -> bool:
    """Whether the newest (open) block row already holds an extrinsic."""
    row = conn.execute("SELECT extrinsics FROM blocks WHERE number = (SELECT MAX(number) "
                       "FROM blocks)").fetchone()
    return row is not None and row[0] != "[]"


def append_extrinsic(conn: sqlite3.Connection, number: int, xt_hash: bytes,
                     events: list[dict]) -> int:
    """Record an extrinsic hash in the open block's row; returns its place among the block's
    signed extrinsics (its index in the block is `INHERENTS` more)."""
    row = conn.execute("SELECT extrinsics FROM blocks WHERE number = ?", (number,)).fetchone()
    if row is None:
        raise rows.corrupt(f"block {number}", "(the open block) has no row")
    hashes = rows.hash_list(row[0], f"block {number} extrinsics")
    hashes.append("0x" + xt_hash.hex())
    conn.execute("UPDATE blocks SET extrinsics = ? WHERE number = ?",
                 (json.dumps(hashes, separators=(",", ":")), number))
    return len(hashes) - 1

"""State history: what every storage entry held at every kept block, so a read at a past block
is answered with that block's state.

Table `history(item, key, block, value)`: one row per entry a block changed, holding the entry's
value from *before* that block (its pre-image; NULL: there was no entry). The state at block N is
then, entry by entry, the pre-image of the first change after N, or today's value if nothing
changed since: one indexed lookup (`(item, key, block)` is the primary key), however far back N
is. Only changes are stored, and they are written by `State.flush` in the same transaction as the
state itself, so the history is as durable and atomic as the block.

"The state at block N" is what a Substrate node answers at N's hash: the state after N's
start-of-block work (`on_initialize`, subtensor's `block_step`: the coinbase), its extrinsics and
its end -- not yet the start-of-block work of N + 1 (on subtensor, `System.Number` at N's hash is
N and the coinbase of N + 1 is not in it; shared/fixtures/subtensor/recorded_spec461_node.json).
So every write of block b, start-of-block and extrinsics, is kept under b. (The bundled chain has
no end-of-block point: the `on_idle` work it runs when N + 1 opens, `hooks.BLOCK_HOOKS[0]`, is
N + 1's.) A run of empty blocks that the hooks fast-forward in closed form
(`runtime.run_empty_blocks`) is stored as its end state plus a row in
`history_runs(first, last, coarse)` (the kept blocks it spans); a read at first < N < last
replays the closed form of blocks first + 1 .. N from the state kept at `first`, which is exact (the closed forms are held to block-by-block execution by property tests). A `--coarse` run is approximate by design: only its
step boundaries are kept, and a read inside a coarse step is refused.

Retention: the last `keep` blocks (meta `history_keep`, default `DEFAULT_KEEP`, about 30 days of
12 s blocks; `taoctl chain history --keep N` changes it); older rows are pruned when blocks are
advanced, an eighth of the retention at a time. `chain advance --coarse` keeps its 32 step
boundaries only. A read before what is kept fails with `StateDiscarded`, whose text is the one the SDK
recognises ("State already discarded for ...").
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from chain.errors import ChainError, StateNotKept
from chain.exitcodes import EXIT_USAGE

DEFAULT_KEEP = 216_000  # blocks: 30 days at 12 s per block

SCHEMA = """
CREATE TABLE IF NOT EXISTS history (item TEXT NOT NULL, key TEXT NOT NULL, block INTEGER NOT NULL,
                                    value TEXT, PRIMARY KEY (item, key, block)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS history_runs (first INTEGER PRIMARY KEY, last INTEGER NOT NULL,
                                         coarse INTEGER NOT NULL);
"""


class StateDiscarded(ChainError, StateNotKept):
    """A read at a block whose state is no longer (or was never) kept."""

    name = "StateDiscarded"
    exit_code = EXIT_USAGE


def ensure(conn: sqlite3.Connection, since: int) -> None:
    """Create the history tables of a file that lacks them (one written before history
    existed); its history starts at `since`, the last block sealed when it was added."""
    for statement in SCHEMA.split(";"):  # not executescript: it would commit the caller's BEGIN
        if statement.strip():
            conn.execute(statement)
    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('history_since', ?)",
                 (str(since),))
    mark_rule(conn)


# meta `history_rule`: how the rows are keyed. Files written before it kept a block's
# start-of-block writes under the block before (the state "at N" then counted N + 1's coinbase);
# their rows cannot be re-keyed, so their history restarts (`restart_if_old_rule`).
RULE = "block-end"


def mark_rule(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO meta (key, value) VALUES ('history_rule', ?) ON CONFLICT (key) "
                 "DO UPDATE SET value = excluded.value", (RULE,))


def has_rule(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM meta WHERE key = 'history_rule'").fetchone()
    return row is not None and row[0] == RULE


def restart_if_old_rule(conn: sqlite3.Connection, head: int) -> bool:
    """Drop the history of a file kept under the earlier rule; it restarts at `head`, the last
    sealed block (whose state reads as the file holds it now). True when it did."""
    if has_rule(conn):
        return False
    conn.execute("DELETE FROM history")
    conn.execute("DELETE FROM history_runs")
    conn.execute("INSERT INTO meta (key, value) VALUES ('history_since', ?) ON CONFLICT (key) "
                 "DO UPDATE SET value = excluded.value", (str(head),))
    mark_rule(conn)
    return True


def record(conn: sqlite3.Connection, pre: dict[int, dict[tuple[str, str], Any]],
           current: Callable[[tuple[str, str]], Any], missing: object) -> int:
    """Write the pre-images one flush collected (block -> slot -> value before the block).

    A pre-image equal to the value the entry had at the end of its block (a write undone by a
    rolled-back call, or one that stored the same value) is not a change and is dropped. An
    earlier transaction of the same block (the open block takes one per extrinsic) already
    holds the block's pre-image: INSERT OR IGNORE keeps it. Returns the rows written.

    `record_reference` with the rows gathered per entry (speedC): the rows go to SQLite in the
    table's key order (item, key, block), and sorting the entries (tens of thousands) instead
    of the rows (a day of a busy chain writes hundreds of thousands) gives the same order; a
    property test holds the two to the same rows in the same order."""
    from chain.pallets.registry import REGISTRY

    # slot -> [value at the end of the block in hand, its item's encoder, its rows newest first]
    groups: dict[tuple[str, str], list] = {}
    get = groups.get
    for block in sorted(pre, reverse=True):
        for slot, value in pre[block].items():
            group = get(slot)
            if group is None:
                group = groups[slot] = [current(slot), REGISTRY[slot[0]].encode_value]
            end = group[0]
            group[0] = value
            if value is end or (value is not missing and end is not missing and value == end):
                continue
            group.append((slot[0], slot[1], block, None if value is missing else group[1](value)))
    rows: list[tuple[str, str, int, str | None]] = []
    for slot in sorted(groups):
        group = groups[slot]
        if len(group) > 2:
            rows += group[:1:-1]  # oldest block first
    _insert(conn, rows)
    return len(rows)


def record_reference(conn: sqlite3.Connection, pre: dict[int, dict[tuple[str, str], Any]],
                     current: Callable[[tuple[str, str]], Any], missing: object) -> int:
    """What `record` restates: every kept pre-image that differs from its entry's value at the
    end of its block, as a row, the rows sorted into the table's key order."""
    from chain.pallets.registry import REGISTRY

    later: dict[tuple[str, str], Any] = {}  # slot -> value at the end of the block in hand
    rows: list[tuple[str, str, int, str | None]] = []
    for block in sorted(pre, reverse=True):
        for slot, value in pre[block].items():
            end = later.get(slot, _UNSEEN)
            if end is _UNSEEN:
                end = current(slot)
            later[slot] = value
            if value is end or (value is not missing and end is not missing and value == end):
                continue
            text = None if value is missing else REGISTRY[slot[0]].encode_value(value)
            rows.append((slot[0], slot[1], block, text))
    # in the table's key order, so the B-tree grows at its end instead of splitting pages; the
    # (item, key, block) of the rows are distinct, so this orders by them alone
    rows.sort()
    _insert(conn, rows)
    return len(rows)


def _insert(conn: sqlite3.Connection, rows: list[tuple[str, str, int, str | None]]) -> None:
    conn.executemany("INSERT OR IGNORE INTO history (item, key, block, value) "
                     "VALUES (?, ?, ?, ?)", rows)


_UNSEEN = object()


def record_runs(conn: sqlite3.Connection, runs: Iterable[tuple[int, int, bool]]) -> None:
    conn.executemany("INSERT OR REPLACE INTO history_runs (first, last, coarse) VALUES (?, ?, ?)",
                     [(first, last, int(coarse)) for first, last, coarse in runs])


def keep(conn: sqlite3.Connection) -> int:
    """How many blocks of history are kept."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'history_keep'").fetchone()
    return DEFAULT_KEEP if row is None else int(row[0])


def set_keep(conn: sqlite3.Connection, blocks: int) -> None:
    if blocks < 1:
        raise ValueError("history must keep at least one block")
    conn.execute("INSERT INTO meta (key, value) VALUES ('history_keep', ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(blocks),))


def since(conn: sqlite3.Connection) -> int:
    row = conn.execute("SELECT value FROM meta WHERE key = 'history_since'").fetchone()
    return 0 if row is None else int(row[0])


def horizon(conn: sqlite3.Connection, head: int) -> int:
    """The oldest block whose state is kept, when `head` is the last sealed block."""
    return max(since(conn), head - keep(conn) + 1)


def prune(conn: sqlite3.Connection, head: int) -> int:
    """Drop what no kept block needs: rows at or before the horizon (a read at a kept block B
    only looks at rows after B). The table has no index by block (it would cost every write),
    so this scans it: done when the horizon has moved on by an eighth of what is kept.
    Returns the rows dropped."""
    oldest = horizon(conn, head)
    row = conn.execute("SELECT value FROM meta WHERE key = 'history_pruned'").fetchone()
    if row is not None and oldest - int(row[0]) < max(1, keep(conn) // 8):
        return 0
    conn.execute("INSERT INTO meta (key, value) VALUES ('history_pruned', ?) "
                 "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (str(oldest),))
    dropped = conn.execute("DELETE FROM history WHERE block <= ?", (oldest,)).rowcount
    conn.execute("DELETE FROM history_runs WHERE last < ?", (oldest,))
    return dropped


def run_containing(conn: sqlite3.Connection, block: int) -> tuple[int, int, bool] | None:
    """The fast-forwarded run (first, last, coarse) with first <= block < last, if any."""
    row = conn.execute("SELECT first, last, coarse FROM history_runs WHERE first <= ? "
                       "ORDER BY first DESC LIMIT 1", (block,)).fetchone()
    if row is None or not row[0] <= block < row[1]:
        return None
    return row[0], row[1], bool(row[2])


def discarded(block: int, block_hash: bytes | None = None, why: str = "") -> StateDiscarded:
    what = f"0x{block_hash.hex()}" if block_hash else f"block {block}"
    return StateDiscarded(f"State already discarded for {what}{why}")


# -- reads at a past block --------------------------------------------------------------------
def stored_at(conn: sqlite3.Connection, slot: tuple[str, str], block: int) -> str | None:
    """The entry's text at `block` (None: no entry): the first change after it, else today."""
    row = conn.execute("SELECT value FROM history WHERE item = ? AND key = ? AND block > ? "
                       "ORDER BY block LIMIT 1", (slot[0], slot[1], block)).fetchone()
    if row is not None:
        return row[0]
    row = conn.execute("SELECT value FROM storage WHERE item = ? AND key = ?", slot).fetchone()
    return None if row is None else row[0]


def entries_at(conn: sqlite3.Connection, item_id: str, block: int) -> Iterator[tuple[str, str]]:
    """(key text, value text) of every entry of an item at `block`."""
    entries = dict(conn.execute("SELECT key, value FROM storage WHERE item = ?", (item_id,)))
    for key, value in conn.execute(
            "SELECT h.key, h.value FROM history h WHERE h.item = ? AND h.block = "
            "(SELECT MIN(block) FROM history WHERE item = h.item AND key = h.key AND block > ?)",
            (item_id, block)):
        if value is None:
            entries.pop(key, None)
        else:
            entries[key] = value
    return iter(entries.items())


def _state_class():
    from chain.local.state import State

    class HistoricalState(State):
        """The state at a past block, read-only underneath: reads resolve through the history;
        writes stay in memory (a replay of a fast-forwarded run writes there) and never flush."""

        def __init__(self, conn: sqlite3.Connection, block: int) -> None:
            super().__init__(conn)
            self.block = block

        def _stored(self, slot: tuple[str, str]) -> str | None:
            return stored_at(self._conn, slot, self.block)

        def _stored_entries(self, item) -> Iterable[tuple[str, str]]:
            return entries_at(self._conn, item.id, self.block)

        def _select(self, item, key_texts: list[str]) -> Iterator[tuple[str, str]]:
            for key_text in key_texts:
                text = stored_at(self._conn, (item.id, key_text), self.block)
                if text is not None:
                    yield key_text, text

        def flush(self) -> int:
            raise RuntimeError("the state at a past block is read-only")

    return HistoricalState


def state_at(conn: sqlite3.Connection, block: int, head: int, genesis: tuple[int, int],
             block_hash: bytes | None = None):
    """A read-only State at sealed block `block` (<= head), or StateDiscarded. Inside a
    fast-forwarded run the run's closed form is replayed from the block before it."""
    if block > head:
        raise ValueError(f"block {block} is not sealed yet (the last sealed block is {head})")
    if block < horizon(conn, head):
        raise discarded(block, block_hash, f" (history is kept for the last {keep(conn)} "
                                           f"blocks, from block {horizon(conn, head)})")
    cls = _state_class()
    run = run_containing(conn, block)
    if run is None or run[0] == block:
        return cls(conn, block)
    first, _, coarse = run
    if coarse:
        raise discarded(block, block_hash, " (a --coarse advance kept only its step "
                                           "boundaries)")
    from chain.local.runtime import run_empty_blocks

    state = cls(conn, first)
    if block > first:  # then the start-of-block work of first + 1 .. block
        run_empty_blocks(state, first + 1, block, genesis)
    return state


# -- chain check ------------------------------------------------------------------------------
CHECKED_ROWS = 1000  # block rows whose kept issuance is compared, the most recent first
_REPORTED = 20


def check(conn: sqlite3.Connection, head: int, genesis: tuple[int, int]) -> list[str]:
    """The history's failures: every row names a declared item, a key and a value (or none) it
    can decode, at a block no later than the open one; and the issuance kept for sealed block m
    equals the issuance its `blocks` row recorded when m was sealed (`issuance_end`: the state at
    m is the state at m's end), and Balances and SubtensorModule agree on it before every kept
    change of it, for the latest CHECKED_ROWS of each."""
    from chain.pallets.registry import REGISTRY

    bad = []
    for item_id, key, block, value in conn.execute(
            "SELECT item, key, block, value FROM history"):
        item = REGISTRY.get(item_id)
        try:
            if item is None:
                raise ValueError("no such item")
            item.decode_key(key)
            if value is not None:
                item.decode_value(value)
            if block > head + 1:
                raise ValueError(f"is after the open block {head + 1}")
        except (ValueError, TypeError) as exc:
            bad.append(f"history row {item_id}{key} at block {block}: {exc}")
    oldest = horizon(conn, head)
    issuance = REGISTRY["Balances.TotalIssuance"]
    for number, recorded in conn.execute(
            "SELECT number, issuance_end FROM blocks WHERE number >= ? AND number <= ? AND "
            "hash IS NOT NULL AND issuance_end IS NOT NULL ORDER BY number DESC LIMIT ?",
            (oldest, head, CHECKED_ROWS)).fetchall():
        try:
            state = state_at(conn, number, head, genesis)
        except StateDiscarded:  # inside a --coarse step: not kept by design
            continue
        kept = state.get(issuance)
        if str(kept) != str(recorded):
            bad.append(f"history: TotalIssuance kept for block {number} is {kept}, its block "
                       f"row recorded {recorded} when it was sealed")
    subtensor = REGISTRY["SubtensorModule.TotalIssuance"]
    for (block,) in conn.execute(
            "SELECT block FROM history WHERE item = ? AND block > ? + 1 ORDER BY block DESC "
            "LIMIT ?", (issuance.id, oldest, CHECKED_ROWS)).fetchall():
        if run_containing(conn, block - 1) is not None:
            continue  # inside a fast-forwarded run: a replay, not a kept state
        state = state_at(conn, block - 1, head, genesis)
        if state.get(issuance) != state.get(subtensor):
            bad.append(f"history: at block {block - 1} Balances.TotalIssuance "
                       f"{state.get(issuance)} != SubtensorModule.TotalIssuance "
                       f"{state.get(subtensor)}")
    if len(bad) > _REPORTED:
        bad[_REPORTED:] = [f"... and {len(bad) - _REPORTED} more"]
    return bad

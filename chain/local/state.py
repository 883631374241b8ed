"""The state the runtime works on: storage items read through an in-memory overlay.

Reads go to the overlay, then to SQLite (inside the caller's transaction, so a writer always sees
the latest committed state). Writes stay in memory until `flush()`, which the chain calls once per
block or batch of blocks, just before it commits. Nested snapshots (`begin` / `commit` /
`rollback`, as in ethereum/execution-specs) let a failed call undo exactly its own writes.

History: while `history_block` is set (the runtime sets it to the block whose work is running),
the first write to an entry in each block keeps the entry's value from before that block (its
pre-image); `flush` writes those to the history table in the same transaction as the state
(`chain.local.history`), so a read at a past block is one indexed lookup.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from chain.local.errors import ChainCorrupt
from chain.pallets.storage import Encoded, StorageItem

_MISSING = object()  # "no entry": reads as the item's default, flushes as a DELETE
_ABSENT = object()  # a dict lookup's "not there" (distinct from a stored _MISSING)


def _slot(item: StorageItem, key: tuple) -> tuple[str, str]:
    """(item id, key text) of `item[key]`, memoised on the item: epochs and the coinbase read
    the same few thousand slots over and over, and encoding a key costs more than a lookup."""
    memo = item.key_slots
    try:
        slot = memo.get(key)
    except TypeError:  # an unhashable key part (a list or bytearray): encode every time
        return item.id, item.encode_key(key)
    if slot is None:
        if len(memo) >= _SLOTS_PER_ITEM:
            memo.clear()
        slot = memo[key] = (item.id, item.encode_key(key))
    return slot


def decode(item: StorageItem, key_text: str, value_text: str) -> Any:
    """A stored value, or ChainCorrupt naming the entry when the text is not one (a damaged
    file, or one edited by hand): a clear error instead of a JSON parser's."""
    try:
        return item.decode_value(value_text)
    except (ValueError, TypeError):
        raise ChainCorrupt(
            f"the chain file is corrupt: {item.id}{key_text} holds {value_text[:40]!r}, not a "
            f"valid value") from None


def decode_key(item: StorageItem, key_text: str) -> tuple:
    """A stored key, or ChainCorrupt naming the entry when its text is not a key of `item`."""
    try:
        return item.decode_key(key_text)
    except (ValueError, TypeError):
        raise ChainCorrupt(f"the chain file is corrupt: {item.id} has the key {key_text[:60]!r}, "
                           "not a valid key") from None


def _read(item: StorageItem, entry: Any) -> Any:
    """What a read of an entry gives: the item's default for none, an `Encoded` value decoded
    (the state holds some values as their text until they are read), else the value."""
    if entry is _MISSING:
        return item.default
    return entry.value() if isinstance(entry, Encoded) else entry


_SLOTS_PER_ITEM = 1 << 18
_PREFETCH_CHUNK = 500  # keys per query (well under SQLite's bound on parameters)


class State:
    """Storage items over one SQLite connection, with a write overlay and nested snapshots."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._cache: dict[tuple[str, str], Any] = {}  # committed values already read
        self._dirty: dict[tuple[str, str], Any] = {}  # written, not yet flushed
        # item id -> key texts written since the flush (a superset of `_dirty`'s keys of that
        # item after a rollback): `iter` reads one item's writes without scanning them all
        self._dirty_keys: dict[str, set[str]] = {}
        self._journal: list[dict[tuple[str, str], Any]] = []  # per snapshot: previous dirty
        self.history_block: int | None = None  # the block writes belong to (None: not kept)
        self._pre: dict[int, dict[tuple[str, str], Any]] = {}  # block -> slot -> pre-image
        self.history_runs: list[tuple[int, int, bool]] = []  # fast-forwarded (first, last, coarse)

    # reads and writes -----------------------------------------------------------------------
    def get(self, item: StorageItem, *key: Any) -> Any:
        """The value of `item[key]`, or the item's default when there is no entry.

        `_read(item, _entry(item, _slot(item, key)))` with the memoised slot and the overlay
        and cache lookups inlined (the state's hottest call: the payout and the coinbase read
        hundreds of thousands of entries a day of blocks); a property test holds it to that
        reference."""
        try:
            slot = item.key_slots.get(key)
        except TypeError:  # an unhashable key part: `_slot` encodes it
            slot = None
        if slot is None:
            slot = _slot(item, key)
        value = self._dirty.get(slot, _ABSENT)
        if value is _ABSENT:
            value = self._cache.get(slot, _ABSENT)
            if value is _ABSENT:
                value = self._entry(item, slot)
        if value is _MISSING:
            return item.default
        return value.value() if type(value) is Encoded else value

    def get_reference(self, item: StorageItem, *key: Any) -> Any:
        """What `get` restates: the entry at the item's slot for `key` (an `Encoded` one
        decoded), else the default."""
        return _read(item, self._entry(item, _slot(item, key)))

    def has(self, item: StorageItem, *key: Any) -> bool:
        """Whether `item[key]` has an entry (a stored default counts; a removed one does not)."""
        return self._entry(item, _slot(item, key)) is not _MISSING

    def _entry(self, item: StorageItem, slot: tuple[str, str]) -> Any:
        """The entry at `slot` (overlay, then cache, then SQLite), `_MISSING` if none; an
        `Encoded` entry as it is held (reads decode it: `_read`)."""
        value = self._dirty.get(slot, _ABSENT)
        if value is _ABSENT:
            value = self._cache.get(slot, _ABSENT)
            if value is _ABSENT:
                text = self._stored(slot)
                value = _MISSING if text is None else decode(item, slot[1], text)
                self._cache[slot] = value
        return value

    def _stored(self, slot: tuple[str, str]) -> str | None:
        """The committed text of the entry at `slot` (None: no entry)."""
        row = self._conn.execute("SELECT value FROM storage WHERE item = ? AND key = ?",
                                 slot).fetchone()
        return None if row is None else row[0]

    def prefetch(self, item: StorageItem, keys: Iterable[tuple]) -> None:
        """Bring many entries of one item into the read cache with a few queries (an epoch's
        first read of a subnet touches every UID's rows; one SELECT each costs more than the
        rest of the read). Entries already read or written are left alone."""
        wanted: dict[str, tuple[str, str]] = {}
        for key in keys:
            slot = _slot(item, key)
            if not self._holds(slot):
                wanted[slot[1]] = slot
        for key_text, value_text in self._select(item, list(wanted)):
            self._cache[wanted[key_text]] = decode(item, key_text, value_text)
        for slot in wanted.values():
            self._cache.setdefault(slot, _MISSING)

    def texts(self, item: StorageItem, keys: Iterable[tuple]) -> list[str | None]:
        """The stored JSON text of each entry (None where there is none), read with a few
        queries and neither decoded nor cached: for a caller that parses a large item in bulk
        (an epoch reads a subnet's weights rows straight into one matrix). An entry written or
        read earlier in this state is given as its value's encoding."""
        slots = [_slot(item, key) for key in keys]
        found: dict[str, str | None] = {}
        unread = []
        for slot in slots:
            if self._holds(slot):
                value = self._entry(item, slot)
                found[slot[1]] = None if value is _MISSING else item.encode_value(value)
            else:
                unread.append(slot[1])
        found.update(self._select(item, unread))
        return [found.get(slot[1]) for slot in slots]

    def _holds(self, slot: tuple[str, str]) -> bool:
        """Whether the entry at `slot` is written or already read (no query needed)."""
        return slot in self._dirty or slot in self._cache

    def _select(self, item: StorageItem, key_texts: list[str]) -> Iterator[tuple[str, str]]:
        """(key text, value text) of the stored entries among `key_texts`, a chunk a query."""
        for start in range(0, len(key_texts), _PREFETCH_CHUNK):
            chunk = key_texts[start:start + _PREFETCH_CHUNK]
            yield from self._conn.execute(
                "SELECT key, value FROM storage WHERE item = ? AND key IN "
                f"({','.join('?' * len(chunk))})", (item.id, *chunk))

    def set_if_changed(self, item: StorageItem, *key_and_value: Any) -> None:
        """`set`, skipped when the entry already holds exactly this value (an absent entry
        is written even if the value is the default, as `set` would)."""
        *key, value = key_and_value
        slot = _slot(item, tuple(key))
        current = self._entry(item, slot)
        if current is _MISSING or current != value:
            self._write(slot, value)

    def set(self, item: StorageItem, *key_and_value: Any) -> None:
        """Write `item[key] = value` (the last argument is the value); the memoised slot is
        looked up inline (`_slot`'s first step), as in `get`."""
        key = key_and_value[:-1]
        try:
            slot = item.key_slots.get(key)
        except TypeError:
            slot = None
        self._write(_slot(item, key) if slot is None else slot, key_and_value[-1])

    def remove(self, item: StorageItem, *key: Any) -> None:
        """Delete `item[key]`; it then reads as the default."""
        self._write(_slot(item, key), _MISSING)

    def _write(self, slot: tuple[str, str], value: Any) -> None:
        if self.history_block is not None:
            pre = self._pre.get(self.history_block)
            if pre is None:
                pre = self._pre[self.history_block] = {}
            if slot not in pre:  # `_pre_image` with the overlay and cache lookups inlined
                old = self._dirty.get(slot, _ABSENT)
                if old is _ABSENT:
                    old = self._cache.get(slot, _ABSENT)
                    if old is _ABSENT:
                        old = self._pre_image(slot)
                pre[slot] = old
        if self._journal and slot not in self._journal[-1]:
            self._journal[-1][slot] = self._dirty.get(slot, _MISSING) if slot in self._dirty \
                else _UNSET
        self._dirty[slot] = value
        keys = self._dirty_keys.get(slot[0])
        if keys is None:
            keys = self._dirty_keys[slot[0]] = set()
        keys.add(slot[1])

    def iter(self, item: StorageItem) -> Iterator[tuple[tuple, Any]]:
        """Every (key, value) entry of a map, committed and pending, in key order."""
        merged = dict(self._stored_entries(item))
        decoded = {k: decode(item, k, v) for k, v in merged.items()}
        dirty = self._dirty
        for key_text in self._dirty_keys.get(item.id, ()):
            value = dirty.get((item.id, key_text), _ABSENT)
            if value is not _ABSENT:
                decoded[key_text] = value
        for key_text in sorted(decoded):
            value = decoded[key_text]
            if value is not _MISSING:
                yield decode_key(item, key_text), _read(item, value)

    def _pre_image(self, slot: tuple[str, str]) -> Any:
        """The entry at `slot` before this write (kept once per block for the history)."""
        value = self._dirty.get(slot, _ABSENT)
        if value is _ABSENT:
            from chain.pallets.registry import REGISTRY

            value = self._entry(REGISTRY[slot[0]], slot)
        return value

    def _current(self, slot: tuple[str, str]) -> Any:
        """The entry at `slot` after every write so far (`_MISSING`: none); the slot has been
        read or written, so no query is needed."""
        value = self._dirty.get(slot, _ABSENT)
        return self._cache.get(slot, _MISSING) if value is _ABSENT else value

    def _stored_entries(self, item: StorageItem) -> Iterable[tuple[str, str]]:
        """(key text, value text) of every committed entry of `item`."""
        return self._conn.execute("SELECT key, value FROM storage WHERE item = ?", (item.id,))

    # snapshots ------------------------------------------------------------------------------
    def begin(self) -> None:
        """Open a nested snapshot; writes after this can be undone with `rollback`."""
        self._journal.append({})

    def commit(self) -> None:
        """Keep the writes of the innermost snapshot (they join the enclosing one)."""
        inner = self._journal.pop()
        if self._journal:
            outer = self._journal[-1]
            for slot, previous in inner.items():
                outer.setdefault(slot, previous)

    def rollback(self) -> None:
        """Undo every write since the innermost `begin`."""
        for slot, previous in self._journal.pop().items():
            if previous is _UNSET:
                self._dirty.pop(slot, None)
            else:
                self._dirty[slot] = previous

    # persistence ----------------------------------------------------------------------------
    def flush(self) -> int:
        """Write pending changes to SQLite (inside the caller's transaction); returns the count."""
        from chain.pallets.registry import REGISTRY

        if self._journal:
            raise RuntimeError("flush inside an open snapshot")
        upserts, deletes = [], []
        for (item_id, key_text), value in self._dirty.items():
            if value is _MISSING:
                deletes.append((item_id, key_text))
            else:
                upserts.append((item_id, key_text, REGISTRY[item_id].encode_value(value)))
        if upserts:
            upserts.sort()  # in the table's key order (unique keys): fewer page splits
            self._conn.executemany(
                "INSERT INTO storage (item, key, value) VALUES (?, ?, ?) "
                "ON CONFLICT (item, key) DO UPDATE SET value = excluded.value", upserts)
        if deletes:
            self._conn.executemany("DELETE FROM storage WHERE item = ? AND key = ?", deletes)
        if self._pre:
            from chain.local import history

            history.record(self._conn, self._pre, self._current, _MISSING)
            self._pre = {}
        if self.history_runs:
            from chain.local import history

            history.record_runs(self._conn, self.history_runs)
            self.history_runs = []
        self._cache.update(self._dirty)
        count = len(self._dirty)
        self._dirty.clear()
        self._dirty_keys.clear()
        return count


_UNSET = object()  # journal marker: the slot had no pending write before the snapshot

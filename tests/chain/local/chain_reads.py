"""Helpers the bundled-chain tests share: read one storage entry, assert that every
`chain check` invariant holds, and an in-memory storage table for tests of `State` itself."""

from __future__ import annotations

import sqlite3

from chain.local.invariants import check


def memory_storage(with_history: bool = False) -> sqlite3.Connection:
    """An in-memory database with the chain's `storage` table (and, `with_history`, its
    `meta` table and history tables), autocommit as the chain opens its file."""
    from chain.local import history

    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE storage (item TEXT, key TEXT, value TEXT, "
                 "PRIMARY KEY (item, key))")
    if with_history:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        history.ensure(conn, 0)
    return conn


def read_item(chain, item, *key):
    """The value of storage `item` at `key` in `chain`'s committed state."""
    with chain.reading() as state:
        return state.get(item, *key)


def assert_checks_pass(chain) -> None:
    """Every invariant of `taoctl chain check` holds; the failing ones are the message."""
    failures = {k: v for k, v in check(chain).items() if v}
    assert not failures, failures

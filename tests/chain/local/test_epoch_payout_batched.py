"""speedB: the epoch's batched payout (`epoch.pay_batched`: each hotkey's pool carried in
locals, written once) leaves every storage row and every history row exactly as the reference
loop (`epoch.pay`: `_grow_pool` and `credit_stake_if_possible` per operation) does, and pays
the same alpha."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local import emission_split as es
from chain.local import stake_utils as su
from chain.local.epoch import pay, pay_batched
from chain.local.state import State
from tests.chain.local.chain_reads import memory_storage

HOTKEYS = [bytes([0x10 + i]) * 32 for i in range(3)]
COLDKEYS = [bytes([0x20 + i]) * 32 for i in range(3)]
NETUID = 3
_amounts = st.one_of(st.integers(0, 10), st.integers(0, 10**12), st.integers(0, 2**64 - 1))
_setup = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), _amounts, st.booleans()),
                  max_size=6)
_operations = st.lists(st.one_of(
    st.builds(es.GrowPool, st.sampled_from(HOTKEYS), _amounts),
    st.builds(es.Credit, st.sampled_from(HOTKEYS),
              st.one_of(st.none(), st.sampled_from(COLDKEYS)), _amounts),
), max_size=14)


def _conn(setup) -> sqlite3.Connection:
    conn = memory_storage(with_history=True)
    state = State(conn)
    for hotkey, coldkey, amount, grow in setup:  # pools as credits and growth leave them
        if grow:
            from chain.local.epoch import _grow_pool

            _grow_pool(state, HOTKEYS[hotkey], NETUID, amount)
        else:
            su.credit_stake_if_possible(state, HOTKEYS[hotkey], COLDKEYS[coldkey], NETUID,
                                        amount)
    state.flush()
    return conn


def _rows(conn: sqlite3.Connection) -> tuple[list, list]:
    return (conn.execute("SELECT * FROM storage ORDER BY item, key").fetchall(),
            conn.execute("SELECT * FROM history ORDER BY item, key, block").fetchall())


@settings(max_examples=400, deadline=None)
@given(setup=_setup, operations=_operations)
def test_the_batched_payout_leaves_what_the_reference_leaves(setup, operations):
    results = []
    for payout in (pay, pay_batched):
        conn = _conn(setup)
        state = State(conn)
        state.history_block = 7
        paid = payout(state, NETUID, operations)
        state.flush()
        results.append((paid, _rows(conn)))
    assert results[0] == results[1]

"""An epoch's weights and bonds rows, read straight from their stored JSON into a matrix,
equal the rows decoded one by one; and `State.texts` gives what storage holds."""

from __future__ import annotations

import json
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local.epoch import _dense, _dense_rows, _parse_rows
from chain.local.errors import ChainCorrupt
from chain.local.state import State
from chain.pallets import subtensor_module as sm

_rows = st.lists(st.one_of(st.none(), st.lists(st.tuples(st.integers(0, 40),
                                                         st.integers(0, 65_535)),
                                               max_size=12)), max_size=24)


@settings(max_examples=200, deadline=None)
@given(rows=_rows, n=st.integers(1, 32))
def test_rows_parsed_from_text_equal_the_decoded_rows(rows, n):
    n = max(n, len(rows))  # a row per UID at most
    texts = [None if row is None else json.dumps([list(p) for p in row], separators=(",", ":"))
             for row in rows]
    decoded = [[] if row is None else [list(p) for p in row] for row in rows]
    assert (_parse_rows(texts, n) == _dense(decoded, n)).all()


def test_rows_that_are_not_plain_digits_are_decoded_one_by_one():
    assert _parse_rows(['[[0,5]]', '[[0,1.5]]'], 2) is None
    assert _parse_rows(['[[1,-2]]'], 2) is None
    assert _parse_rows(['[[,]]'], 2) is None
    state = _state()
    state.set(sm.WEIGHTS, 1, 0, [[0, 5], [1, 7]])
    state.set(sm.WEIGHTS, 1, 1, [[0, 1.5]])  # not a u16: the slow path reads it as stored
    assert _dense_rows(state, sm.WEIGHTS, 1, 2).tolist() == [[5.0, 7.0], [1.0, 0.0]]


def test_a_corrupt_row_is_named():
    conn = _conn()
    conn.execute("INSERT INTO storage VALUES ('SubtensorModule.Weights', '[1,0]', '[[1,')")
    try:
        _dense_rows(State(conn), sm.WEIGHTS, 1, 2)
    except ChainCorrupt as exc:
        assert "SubtensorModule.Weights[1,0]" in str(exc) and "[[1," in str(exc)
    else:
        raise AssertionError("a corrupt row was read")


def _conn():
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE storage (item TEXT, key TEXT, value TEXT, "
                 "PRIMARY KEY (item, key))")
    return conn


def _state():
    return State(_conn())


def test_state_texts_reads_storage_and_encodes_what_it_holds():
    conn = _conn()
    stored = State(conn)
    stored.set(sm.WEIGHTS, 1, 0, [[1, 9]])
    stored.set(sm.WEIGHTS, 1, 1, [[2, 3]])
    stored.flush()
    state = State(conn)
    state.set(sm.WEIGHTS, 1, 1, [[0, 4]])  # pending: wins over storage
    state.remove(sm.WEIGHTS, 1, 0)
    assert state.texts(sm.WEIGHTS, [(1, 0), (1, 1), (1, 2)]) == [None, "[[0,4]]", None]
    fresh = State(conn)
    assert fresh.texts(sm.WEIGHTS, [(1, 0), (1, 1), (1, 2)]) == ["[[1,9]]", "[[2,3]]", None]
    assert fresh.get(sm.WEIGHTS, 1, 0) == [[1, 9]]  # nothing was cached on the way

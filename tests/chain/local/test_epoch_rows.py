"""An epoch's weights and bonds rows, read straight from their stored JSON into a matrix,
equal the rows decoded one by one; and `State.texts` gives what storage holds."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local.epoch import _dense, _dense_rows, _parse_rows
from chain.local.errors import ChainCorrupt
from chain.local.state import State
from chain.pallets import subtensor_module as sm
from tests.chain.local.chain_reads import memory_storage

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
    return memory_storage()


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


# -- speedB: bond rows written with their JSON text ---------------------------------------------
_matrices = st.integers(1, 12).flatmap(lambda n: st.lists(
    st.lists(st.one_of(st.just(0), st.integers(0, 65_535)), min_size=n, max_size=n),
    min_size=n, max_size=n))


@settings(max_examples=200, deadline=None)
@given(matrix=_matrices, previous=st.lists(st.booleans(), max_size=12))
def test_written_bond_rows_carry_the_json_of_their_pairs(matrix, previous):
    """`write_bonds` stores each row as `[[uid, value], ...]` over the non-zero entries, an
    empty row only where one was stored before, and the text it attaches to a row (what the
    flush and the history store) is `json.dumps` of that row: `pair_row_texts` (which
    `u16_pair_row_texts` falls back to) against the encoder it replaces, and the stored text
    against the decoded value."""
    import numpy as np

    from chain.local.epoch import NeuronCache, pair_row_texts, write_bonds
    from chain.local.state import _slot
    from chain.pallets.storage import Encoded

    n = len(matrix)
    conn = _conn()
    before = State(conn)
    for uid, had in enumerate(previous[:n]):
        if had:
            before.set(sm.BONDS, 1, uid, [[0, 1]])
    before.flush()
    state = State(conn)
    cache = NeuronCache(n, [None] * n, None, None, None, np.array(matrix, dtype=np.float64),
                        [0] * n, unwritten=True)
    write_bonds(state, 1, cache)
    state.flush()
    stored = dict(conn.execute("SELECT key, value FROM storage WHERE item = ?",
                               ("SubtensorModule.Bonds",)))
    for uid, row in enumerate(matrix):
        pairs = [[col, value] for col, value in enumerate(row) if value]
        had = uid < len(previous) and previous[uid]
        if pairs:
            # held as its text (speedC), read as the plain list
            assert isinstance(state._entry(sm.BONDS, _slot(sm.BONDS, (1, uid))), Encoded)
            assert type(state.get(sm.BONDS, 1, uid)) is list
            assert state.get(sm.BONDS, 1, uid) == pairs
            assert stored[f"[1,{uid}]"] == json.dumps(pairs, separators=(",", ":"))
        elif had:
            assert stored[f"[1,{uid}]"] == "[]"
        else:
            assert f"[1,{uid}]" not in stored
    flat = [x for row in matrix for col, value in enumerate(row) if value for x in (col, value)]
    bounds = [0]
    for row in matrix:
        bounds.append(bounds[-1] + sum(1 for value in row if value))
    rows = [[[col, value] for col, value in enumerate(row) if value] for row in matrix]
    assert pair_row_texts(flat, bounds) == [
        json.dumps(row, separators=(",", ":")) if row else None for row in rows]


# -- speedC: a row's text from looked-up pieces --------------------------------------------------
_pair_rows = st.lists(st.lists(st.tuples(
    st.one_of(st.integers(0, 300), st.sampled_from([65_535, 65_536, -1]),
              st.integers(-2, 70_000)),
    st.one_of(st.integers(0, 65_535), st.sampled_from([0, 9, 10, 65_535, 65_536, -1]),
              st.integers(-2, 70_000))), max_size=6), max_size=8)


@settings(max_examples=300, deadline=None)
@given(rows=_pair_rows)
def test_u16_pair_row_texts_are_the_json_of_each_row(rows):
    """`u16_pair_row_texts` (each pair two looked-up strings, a row their join) writes what
    `pair_row_texts` and `json.dumps` write for every row of `[uid, value]` pairs, empty rows
    as None; pairs outside u16 (which take `pair_row_texts`) included."""
    import numpy as np

    from chain.local.epoch import pair_row_texts, u16_pair_row_texts

    pairs = [pair for row in rows for pair in row]
    table = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    bounds = [0]
    for row in rows:
        bounds.append(bounds[-1] + len(row))
    want = [json.dumps([list(p) for p in row], separators=(",", ":")) if row else None
            for row in rows]
    assert u16_pair_row_texts(table, bounds) == want
    assert pair_row_texts(table.ravel().tolist(), bounds) == want


def test_u16_pair_row_texts_of_other_integer_tables_and_threads():
    """A u64 table (numpy would promote u64 + i64 to float) writes the same texts as an i64
    one; and threads that meet the token table's first build (or a growth) all write the
    JSON of their rows: the table is replaced whole, never extended in place."""
    import sys
    import threading

    import numpy as np

    from chain.local import epoch

    rows = [[[uid, (uid * 7919) % 65_536] for uid in range(k, 300 + k)] for k in range(4)]
    want = [json.dumps(row, separators=(",", ":")) for row in rows]
    flat = [pair for row in rows for pair in row]
    bounds = [0, 300, 600, 900, 1200]
    for dtype in (np.int64, np.uint64, np.uint16, np.int32):
        assert epoch.u16_pair_row_texts(np.array(flat, dtype=dtype), bounds) == want
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as the interpreter allows
    try:
        for _ in range(5):
            epoch._PAIR_TOKENS = []
            got: list = []
            workers = [threading.Thread(target=lambda k=k: got.append(epoch.u16_pair_row_texts(
                np.array(flat, dtype=np.int64) + np.array([k * 1000, 0]), bounds)))
                for k in range(4)]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
            assert sorted(got) == sorted(
                [json.dumps([[uid + k * 1000, v] for uid, v in row], separators=(",", ":"))
                 for row in rows] for k in range(4))
    finally:
        sys.setswitchinterval(interval)

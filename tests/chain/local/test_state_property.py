"""Hypothesis: the overlay with nested snapshots behaves like a stack of plain dicts (reads by
key and `iter` over the map, with writes to another map interleaved)."""

from __future__ import annotations


from hypothesis import example, given, settings
from hypothesis import strategies as st

from chain.local.state import _MISSING, State, _slot
from chain.pallets import subtensor_module as sm
from tests.chain.local.chain_reads import memory_storage

keys = st.integers(0, 2)
ops = st.lists(st.one_of(
    st.tuples(st.just("set"), keys, st.integers(0, 2**80)),
    st.tuples(st.just("remove"), keys),
    st.tuples(st.just("other"), keys, st.integers(0, 2**80)),
    st.tuples(st.just("begin")),
    st.tuples(st.just("commit")),
    st.tuples(st.just("rollback")),
    st.tuples(st.just("flush")),
), max_size=40)


@settings(max_examples=400, deadline=None)
@given(ops)
# an inner commit followed by an outer rollback must undo the inner writes too
@example([("set", 1, 5), ("begin",), ("begin",), ("set", 1, 7), ("commit",), ("rollback",)])
@example([("set", 1, 5), ("flush",), ("begin",), ("remove", 1), ("begin",), ("set", 2, 1),
          ("commit",), ("rollback",)])
def test_overlay_matches_a_model(operations):
    conn = memory_storage()
    state = State(conn)
    model: list[dict[int, int | None]] = [{}]  # model[0] committed view, then one dict per snapshot
    for op in operations:
        if op[0] == "set":
            model[-1][op[1]] = op[2]
            state.set(sm.SUBNET_TAO, op[1], op[2])
        elif op[0] == "remove":
            model[-1][op[1]] = None
            state.remove(sm.SUBNET_TAO, op[1])
        elif op[0] == "other":
            state.set(sm.SUBNET_ALPHA_IN, op[1], op[2])
        elif op[0] == "begin":
            model.append(dict(model[-1]))
            state.begin()
        elif op[0] == "commit" and len(model) > 1:
            top = model.pop()
            model[-1] = top
            state.commit()
        elif op[0] == "rollback" and len(model) > 1:
            model.pop()
            state.rollback()
        elif op[0] == "flush" and len(model) == 1:
            state.flush()
        for key in range(3):
            assert state.get(sm.SUBNET_TAO, key) == (model[-1].get(key) or 0)
        assert list(state.iter(sm.SUBNET_TAO)) == [
            ((key,), value) for key, value in sorted(model[-1].items()) if value is not None]
    while len(model) > 1:
        model.pop()
        state.rollback()
    state.flush()
    for key in range(3):
        assert State(conn).get(sm.SUBNET_TAO, key) == (model[0].get(key) or 0)


# -- speedB: `get` and `set` with the slot lookup inlined -----------------------------------------
_hotkeys = st.sampled_from([bytes([i]) * 32 for i in range(3)])
_fast_ops = st.lists(st.one_of(
    st.tuples(st.just("set"), _hotkeys, st.integers(0, 3), st.integers(0, 2**70)),
    st.tuples(st.just("set_bytearray"), _hotkeys, st.integers(0, 3), st.integers(0, 9)),
    st.tuples(st.just("remove"), _hotkeys, st.integers(0, 3)),
    st.tuples(st.just("pairs"), st.integers(0, 3), st.lists(st.integers(0, 9), max_size=3)),
    st.tuples(st.just("flush")),
    st.tuples(st.just("fresh")),
), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_fast_ops)
def test_get_and_set_equal_their_reference(operations):
    """`get` (memoised slot, overlay and cache inlined) reads what `get_reference`
    (`_entry(item, _slot(item, key))`) reads after any mix of writes through `set` (the slot
    looked up inline), removals, flushes and new states over the committed file, including
    keys that cannot be memoised (a bytearray hotkey)."""
    conn = memory_storage(with_history=True)
    state = State(conn)
    state.history_block = 1
    model: dict[tuple, object] = {}
    before: dict[tuple, object] = {}  # the value each written entry had at the last flush
    for op in operations:
        if op[0] in ("set", "set_bytearray", "remove"):
            before.setdefault(("alpha", op[1], op[2]), model.get(("alpha", op[1], op[2])))
        if op[0] == "set":
            state.set(sm.TOTAL_HOTKEY_ALPHA, op[1], op[2], op[3])
            model[("alpha", op[1], op[2])] = op[3]
        elif op[0] == "set_bytearray":
            state.set(sm.TOTAL_HOTKEY_ALPHA, bytearray(op[1]), op[2], op[3])
            model[("alpha", op[1], op[2])] = op[3]
        elif op[0] == "remove":
            state.remove(sm.TOTAL_HOTKEY_ALPHA, op[1], op[2])
            model.pop(("alpha", op[1], op[2]), None)
        elif op[0] == "pairs":
            state.set(sm.BONDS, 1, op[1], [[v, v] for v in op[2]])
            model[("bonds", op[1])] = [[v, v] for v in op[2]]
        elif op[0] in ("flush", "fresh"):
            # the pre-images `_write` kept (its inlined `_pre_image`) are the entries' values
            # from before the first write since the last flush
            kept = state._pre.get(1, {})
            for (_, hotkey, netuid), value in before.items():
                image = kept[_slot(sm.TOTAL_HOTKEY_ALPHA, (hotkey, netuid))]
                assert (None if image is _MISSING else image) == value
            before.clear()
            state.flush()
            if op[0] == "fresh":
                state = State(conn)
                state.history_block = 1
        for hotkey in (bytes([i]) * 32 for i in range(3)):
            for netuid in range(4):
                want = model.get(("alpha", hotkey, netuid), 0)
                assert state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid) == want
                assert state.get_reference(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid) == want
                assert state.get(sm.TOTAL_HOTKEY_ALPHA, bytearray(hotkey), netuid) == want
        for uid in range(4):
            want = model.get(("bonds", uid), [])
            assert state.get(sm.BONDS, 1, uid) == state.get_reference(sm.BONDS, 1, uid) == want


# -- speedC: values held as their text (`Encoded`) ------------------------------------------------
# rows drawn from a small set as well, so the same row comes back as a list and as its text
# (the history then drops the unchanged value: text and list must compare equal)
_rows = st.one_of(
    st.lists(st.lists(st.integers(0, 70_000), min_size=2, max_size=2), max_size=3),
    st.sampled_from([[], [[1, 2]], [[1, 2], [3, 65_535]]]))
_encoded_ops = st.lists(st.one_of(
    st.tuples(st.just("set"), st.integers(0, 2), _rows, st.booleans()),
    st.tuples(st.just("remove"), st.integers(0, 2)),
    st.tuples(st.just("block")),
    st.tuples(st.just("begin")),
    st.tuples(st.just("end"), st.booleans()),
    st.tuples(st.just("flush")),
), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_encoded_ops)
@example([("set", 0, [[1, 2]], False), ("block",), ("set", 0, [[1, 2]], True), ("flush",)])
@example([("set", 0, [[1, 2]], True), ("block",), ("set", 0, [[1, 2]], False), ("flush",)])
def test_a_value_held_as_its_text_is_the_value(operations):
    """A bond row set as `Encoded(item, its JSON text)` (how `write_bonds` writes them) reads
    (`get`, `get_reference`, `iter`, `texts`), flushes and is kept in the history exactly as
    the same row set as a plain list, whatever mix of either form, removals, snapshots, blocks
    and flushes came before: both states end with identical storage and history rows."""
    import json

    from chain.pallets.storage import Encoded

    def fresh():
        conn = memory_storage(with_history=True)
        state = State(conn)
        state.history_block = 1
        return conn, state

    (plain_conn, plain), (text_conn, held) = fresh(), fresh()
    depth = 0
    for op in operations:
        if op[0] == "set":
            _, uid, row, as_text = op
            plain.set(sm.BONDS, 1, uid, row)
            text = json.dumps(row, separators=(",", ":"))
            held.set(sm.BONDS, 1, uid, Encoded(sm.BONDS, text) if as_text else row)
        elif op[0] == "remove":
            plain.remove(sm.BONDS, 1, op[1])
            held.remove(sm.BONDS, 1, op[1])
        elif op[0] == "block":
            plain.history_block += 1
            held.history_block += 1
        elif op[0] == "begin":
            plain.begin()
            held.begin()
            depth += 1
        elif op[0] == "end" and depth:
            for state in (plain, held):
                state.commit() if op[1] else state.rollback()
            depth -= 1
        elif op[0] == "flush" and not depth:
            plain.flush()
            held.flush()
        for uid in range(3):
            value = held.get(sm.BONDS, 1, uid)
            assert type(value) is list and value == plain.get(sm.BONDS, 1, uid)
            reference = held.get_reference(sm.BONDS, 1, uid)
            assert type(reference) is list and reference == value  # (`Encoded` == decodes)
        listed = list(held.iter(sm.BONDS))
        assert all(type(value) is list for _, value in listed)
        assert listed == list(plain.iter(sm.BONDS))
        slots = [(1, uid) for uid in range(3)]
        assert held.texts(sm.BONDS, slots) == plain.texts(sm.BONDS, slots)
    for _ in range(depth):
        plain.commit()
        held.commit()
    plain.flush()
    held.flush()
    for query in ("SELECT * FROM storage ORDER BY item, key",
                  "SELECT * FROM history ORDER BY item, key, block"):
        assert text_conn.execute(query).fetchall() == plain_conn.execute(query).fetchall()

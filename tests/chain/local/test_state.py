"""The storage overlay: reads through, nested snapshots, flush to SQLite, big integers."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.local.state import State
from chain.pallets import balances, system
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import AccountInfo
from tests.chain.local.chain_reads import memory_storage

A = bytes(range(32))
B = bytes(range(1, 33))


@pytest.fixture
def conn():
    return memory_storage()


def test_defaults_and_round_trip(conn):
    state = State(conn)
    assert state.get(system.ACCOUNT, A) == AccountInfo()
    state.set(system.ACCOUNT, A, AccountInfo(nonce=3, free=2**70))
    state.set(balances.TOTAL_ISSUANCE, 2**100 + 1)
    assert state.flush() == 2
    fresh = State(conn)
    assert fresh.get(system.ACCOUNT, A) == AccountInfo(nonce=3, free=2**70)
    assert fresh.get(balances.TOTAL_ISSUANCE) == 2**100 + 1  # beyond int64, exact


def test_nested_snapshots(conn):
    state = State(conn)
    state.set(sm.SUBNET_TAO, 1, 10)
    state.begin()
    state.set(sm.SUBNET_TAO, 1, 20)
    state.set(sm.SUBNET_TAO, 2, 5)
    state.begin()
    state.set(sm.SUBNET_TAO, 1, 30)
    state.rollback()
    assert state.get(sm.SUBNET_TAO, 1) == 20
    state.commit()
    assert state.get(sm.SUBNET_TAO, 2) == 5
    state.begin()
    state.remove(sm.SUBNET_TAO, 1)
    assert state.get(sm.SUBNET_TAO, 1) == 0
    state.rollback()
    assert state.get(sm.SUBNET_TAO, 1) == 20
    state.begin()
    state.set(sm.SUBNET_TAO, 3, 7)
    state.rollback()
    state.flush()
    assert dict(State(conn).iter(sm.SUBNET_TAO)) == {(1,): 20, (2,): 5}


def test_iter_merges_pending_and_deleted(conn):
    state = State(conn)
    state.set(system.ACCOUNT, A, AccountInfo(free=1))
    state.set(system.ACCOUNT, B, AccountInfo(free=2))
    state.flush()
    state.remove(system.ACCOUNT, A)
    state.set(system.ACCOUNT, B, AccountInfo(free=3))
    assert dict(state.iter(system.ACCOUNT)) == {(B,): AccountInfo(free=3)}


def test_flush_inside_snapshot_is_refused(conn):
    state = State(conn)
    state.begin()
    with pytest.raises(RuntimeError):
        state.flush()


def test_key_text_is_the_json_of_the_key():
    import json

    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.integers(0, 2**64), st.binary(min_size=32, max_size=32), st.booleans())
    def check(number, account, flag):
        for item, key in ((sm.SUBNET_TAO, (number,)), (system.ACCOUNT, (account,)),
                          (sm.NETWORKS_ADDED, (number,)), (balances.TOTAL_ISSUANCE, ())):
            expected = json.dumps([account.hex() if item is system.ACCOUNT else number][:len(key)],
                                  separators=(",", ":"))
            assert item.encode_key(key) == expected
            assert item.decode_key(item.encode_key(key)) == key

    check()


def test_prefetch_reads_what_get_would_and_keeps_pending_writes(conn, monkeypatch):
    stored = State(conn)
    for netuid in range(1, 1200):  # more keys than one prefetch query takes
        stored.set(sm.SUBNET_TAO, netuid, netuid * 10)
    stored.set(system.ACCOUNT, A, AccountInfo(free=9))
    stored.flush()
    state = State(conn)
    state.set(sm.SUBNET_TAO, 5, 1)  # a pending write wins over storage
    state.remove(sm.SUBNET_TAO, 6)  # and so does a pending delete
    keys = [(n,) for n in range(1, 1500)]
    state.prefetch(sm.SUBNET_TAO, keys)
    state.prefetch(system.ACCOUNT, [(A,), (B,)])
    queries = []
    monkeypatch.setattr(state, "_conn", _Recorder(conn, queries))
    assert [state.get(sm.SUBNET_TAO, *k) for k in keys] == \
        [1 if n == 5 else 0 if n == 6 or n >= 1200 else n * 10 for n in range(1, 1500)]
    assert state.get(system.ACCOUNT, A) == AccountInfo(free=9)
    assert state.get(system.ACCOUNT, B) == AccountInfo()
    assert queries == []  # every read, present or absent, came from the cache


class _Recorder:
    def __init__(self, conn, log):
        self._conn, self._log = conn, log

    def execute(self, *args):
        self._log.append(args)
        return self._conn.execute(*args)


@given(value=st.one_of(st.integers(), st.none(), st.booleans(), st.floats(allow_nan=False)))
def test_integer_items_encode_and_decode_as_json_does(value):
    """The integer fast paths write and read exactly what `json` would."""
    item = sm.SUBNET_TAO  # a u64 map
    if type(value) is int:
        assert item.encode_value(value) == json.dumps(value)
    text = json.dumps(value)
    assert item.decode_value(text) == json.loads(text)
    assert type(item.decode_value(text)) is type(json.loads(text))


# -- speed2: the json items' encoding fast forms --------------------------------------------------
_JSON_VALUES = st.recursive(
    st.one_of(st.integers(), st.none(), st.booleans(), st.text(max_size=4),
              st.floats(allow_nan=False)),
    lambda inner: st.lists(inner, max_size=5), max_leaves=12)


@given(value=st.one_of(st.lists(st.integers(-2**140, 2**140), max_size=8), _JSON_VALUES))
def test_json_items_encode_as_json_dumps_does(value):
    """A `json` item's value (a share pool's `[value, exponent]`, a bonds row, a bool vector,
    anything JSON) is written exactly as `json.dumps(.., separators=(",", ":"))` writes it:
    the plain-int-list form and the shared encoder restate that call; each decodes back."""
    for item in (sm.ALPHA, sm.BONDS):  # json items with and without a default
        text = item.encode_value(value)
        assert text == json.dumps(value, separators=(",", ":"))
        assert item.decode_value(text) == json.loads(text)


def test_an_integer_list_is_not_a_value_of_an_integer_item():
    """The list fast form is only for `json` items: an integer item still refuses a list."""
    with pytest.raises(TypeError):
        sm.SUBNET_TAO.encode_value([1, 2])


# -- speedB: a SafeFloat pair's own form ------------------------------------------------------------
@given(value=st.lists(st.one_of(st.integers(-2**140, 2**140), st.booleans()), min_size=2,
                      max_size=2))
def test_a_pair_encodes_as_json_dumps_does(value):
    """`[mantissa, exponent]` (the history's most common value) takes a `%` form of its own;
    booleans (which `%d` would print as digits) are left to the encoder."""
    assert sm.ALPHA.encode_value(value) == json.dumps(value, separators=(",", ":"))

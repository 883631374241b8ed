"""State history: a read at a past block answers exactly what the chain held at that block's end
(a Substrate node's state at its hash: its start-of-block work and extrinsics, not the next
block's start), however the blocks were advanced; beyond what is kept, a clear refusal."""

from __future__ import annotations

import time

import pytest

from chain.local import history
from chain.local.accounts import dev_signer
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.local.history import StateDiscarded
from chain.pallets import system
from chain.pallets.registry import REGISTRY
from tests.chain.local.epoch_fixtures import emitting_subnet, set_all_weights

TAO = 10**9


# taoctl's chart ledger samples a price once per fast-forwarded run (not every block), so it
# legitimately differs between a chain advanced in runs and one advanced block by block
SAMPLED = {"Taoctl.PriceAt"}


def dump(state, conn) -> dict:
    """Every entry of every item, as canonical text."""
    items = {r[0] for r in conn.execute("SELECT DISTINCT item FROM storage UNION "
                                        "SELECT DISTINCT item FROM history")} - SAMPLED
    out = {}
    for item_id in sorted(items):
        item = REGISTRY[item_id]
        for key, value in state.iter(item) if item.keys else [((), state.get(item))]:
            if not item.keys and not state.has(item):
                continue
            out[(item_id, item.encode_key(key))] = item.encode_value(value)
    return out


STEPS = [1, 7, 1, 13, 3, 25, 2, 9]


def _drive(chain, *, one_by_one: bool, on_sealing=None) -> None:
    """The same operations on either chain: transfers in between advances of STEPS blocks
    (the twin advances one block at a time and reports each block just before sealing it)."""
    alice = dev_signer("Alice")
    for k, step in enumerate(STEPS):
        chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                      {"dest": dev_signer("Eve").public_key,
                                       "value": (k + 1) * TAO}))
        for _ in range(step if one_by_one else 1):
            if on_sealing:
                on_sealing(chain)
            chain.advance(1 if one_by_one else step)


@pytest.fixture(scope="module")
def chains(tmp_path_factory):
    base = tmp_path_factory.mktemp("history")
    a = LocalChain.create(base / "a.db", "dev")
    b = LocalChain.create(base / "b.db", "dev")
    for chain in (a, b):
        net = emitting_subnet(chain, tempo=6)
        chain.advance(7)  # an epoch hands out validator permits
        set_all_weights(chain, net)
        chain.advance(1)  # seal them: a snapshot holds no unsealed extrinsics
    live: dict[int, dict] = {}

    def snapshot(chain):  # the open block, complete: its state once sealed
        with chain.reading() as state:
            live[chain.open_number()] = dump(state, chain.conn)

    _drive(a, one_by_one=False)
    _drive(b, one_by_one=True, on_sealing=snapshot)
    yield a, b, live
    a.close()
    b.close()


def test_every_past_block_reads_as_it_was_live(chains):
    """Chain a advanced in runs (fast-forwarded in closed form), its twin b one block at a time
    with its whole state recorded at the end of every block: a's history at every block equals
    b's."""
    a, _, live = chains
    assert a.open_number() == max(live) + 1
    for number, expected in sorted(live.items()):
        with a.reading_at(number) as state:
            assert dump(state, a.conn) == expected, f"block {number}"


def test_history_is_compact_and_runs_are_recorded(chains):
    a, _, _ = chains
    rows = a.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    storage = a.conn.execute("SELECT COUNT(*) FROM storage").fetchone()[0]
    blocks = a.open_number()
    assert rows < storage * blocks / 4  # changes, not copies
    assert a.conn.execute("SELECT COUNT(*) FROM history_runs").fetchone()[0] > 0


def test_reads_beyond_the_retention_are_refused(tmp_path):
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    with chain.writing():
        history.set_keep(chain.conn, 10)
    chain.advance(30)
    head = chain.open_number() - 1
    assert history.horizon(chain.conn, head) == head - 9
    with chain.reading_at(head - 9) as state:
        assert state.get(system.NUMBER) == head - 9
    with pytest.raises(StateDiscarded, match="State already discarded for block"):
        with chain.reading_at(head - 10):
            pass
    with pytest.raises(StateDiscarded):
        chain.at(head - 20)
    chain.close()


def _reopened_after(tmp_path, script: str) -> tuple[LocalChain, int]:
    """A dev chain advanced 5 blocks, `script` run on its file, reopened: (the chain, its last
    sealed block). Older reads answer `StateDiscarded`."""
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    chain.advance(5)
    chain.conn.executescript(script)
    chain.close()
    chain = LocalChain.open(tmp_path / "c.db")
    head = chain.open_number() - 1
    with pytest.raises(StateDiscarded):
        chain.at(head - 1)
    return chain, head


def _kept_from(chain: LocalChain, head: int) -> None:
    """After a further advance, the block after `head` reads as itself."""
    chain.advance(2)
    with chain.reading_at(head + 1) as state:
        assert state.get(system.NUMBER) == head + 1
    chain.close()


def test_a_file_without_history_gains_it_from_now(tmp_path):
    chain, head = _reopened_after(tmp_path, "DROP TABLE history; DROP TABLE history_runs; "
                                            "DELETE FROM meta WHERE key = 'history_since';")
    _kept_from(chain, head)


def test_a_read_far_back_is_one_lookup(tmp_path):
    """100,000 blocks of changes to one entry: a read at the oldest is answered fast."""
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    item = REGISTRY["System.Number"]
    key = item.encode_key(())
    with chain.writing():
        chain.conn.executemany("INSERT INTO history (item, key, block, value) VALUES (?,?,?,?)",
                               ((item.id, key, b, str(b)) for b in range(2, 100_002)))
    start = time.perf_counter()
    for _ in range(10):
        text = history.stored_at(chain.conn, (item.id, key), 5)
    assert text == "6"
    assert (time.perf_counter() - start) / 10 < 0.2
    chain.close()


def test_history_rows_commit_with_the_block(tmp_path):
    """A failed transaction leaves no history rows behind (they are in the same transaction)."""
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    before = chain.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0]
    with pytest.raises(RuntimeError):
        with chain.writing() as state:
            state.set(system.NUMBER, 99)
            state.flush()
            raise RuntimeError("killed")
    assert chain.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == before
    chain.close()


def test_backend_at_reads_a_past_block_and_refuses_writes(tmp_path):
    from chain.backend import SandboxBackend
    from chain.local.backend import LocalBackend

    LocalChain.create(tmp_path / "c.db", "dev").close()
    backend = LocalBackend(tmp_path / "c.db")
    alice, eve = dev_signer("Alice"), dev_signer("Eve//at")
    backend.submit_call(alice, "Balances", "transfer_keep_alive",
                        {"dest": eve.public_key, "value": 5 * TAO})
    sealed = backend.block_info().number  # the transfer's block, sealed by the advance
    backend.advance(10)
    then = backend.at(sealed - 1)
    assert isinstance(then, SandboxBackend)
    assert then.free_balance(eve.public_key) == 0
    assert backend.at(sealed).free_balance(eve.public_key) == 5 * TAO
    assert then.block_info().number == sealed
    with pytest.raises(PermissionError):
        then.submit_call(alice, "Balances", "transfer_keep_alive",
                         {"dest": eve.public_key, "value": TAO})
    assert backend.history_retention() == {"keep": history.DEFAULT_KEEP, "oldest": 0,
                                           "head": sealed + 9}
    backend.close()


def test_chain_check_validates_the_history(tmp_path):
    from chain.local import invariants
    from tests.chain.local.epoch_fixtures import emitting_subnet

    chain = LocalChain.create(tmp_path / "c.db", "dev")
    emitting_subnet(chain, tempo=6)
    chain.advance(50)
    chain.advance(3)
    assert not any(invariants.check(chain).values())
    with chain.writing():
        chain.conn.execute(
            "UPDATE history SET value = '999' WHERE item = 'Balances.TotalIssuance' AND block = "
            "(SELECT MAX(block) FROM history WHERE item = 'Balances.TotalIssuance')")
    failures = invariants.check(chain)["history"]
    assert failures and "Balances.TotalIssuance 999" in failures[0]
    with chain.writing():
        chain.conn.execute("INSERT INTO history VALUES ('Nope.Item', '[]', 3, '1')")
    assert any("Nope.Item" in f for f in invariants.check(chain)["history"])
    chain.close()


# -- the rule (headfix): the state at N is N's end, as a Substrate node keeps it -----------------
def test_the_state_at_a_block_is_its_end_not_the_next_blocks_start(chains):
    """subtensor runs `block_step` (the coinbase) in `on_initialize` of the block it counts, so
    the state at N's hash has `System.Number` N (recorded_spec461_node.json: 67 at block 67's
    hash), `BlocksSinceLastStep` N - `LastEpochBlock` (the counter is bumped, or reset with
    `LastEpochBlock` = N, in N's own coinbase) and N's issuance at its end; the open block's
    start-of-block work is in none of them. Every block of the runs and single blocks of a."""
    from chain.pallets import balances, timestamp
    from chain.pallets import subtensor_module as sm

    a, _, _ = chains
    head = a.open_number() - 1
    from chain.local.coinbase import all_subnets

    with a.reading() as state:
        netuid = max(all_subnets(state))
    ends = dict(a.conn.execute("SELECT number, issuance_end FROM blocks WHERE hash IS NOT NULL"))
    checked = 0
    for number in range(head - 60, head + 1):
        with a.reading_at(number) as state:
            assert state.get(system.NUMBER) == number
            assert state.get(timestamp.NOW) == a.timestamp_of(number)
            last = state.get(sm.LAST_EPOCH_BLOCK, netuid)
            since = state.get(sm.BLOCKS_SINCE_LAST_STEP, netuid)
            tempo = state.get(sm.TEMPO, netuid)
            if last is not None and number - last <= tempo:
                assert since == number - last, f"block {number}"
                checked += 1
            if number in ends:
                assert str(state.get(balances.TOTAL_ISSUANCE)) == ends[number]
    assert checked > 40
    with a.reading() as live:  # the open block's coinbase is in the open block only
        assert live.get(system.NUMBER) == head + 1
        now = live.get(balances.TOTAL_ISSUANCE)
    with a.reading_at(head) as sealed:
        assert now > sealed.get(balances.TOTAL_ISSUANCE)


def test_a_history_kept_under_the_earlier_rule_restarts(tmp_path):
    """A file whose history counted the next block's start under each block (no
    `history_rule`) cannot be re-keyed: its history restarts at its last sealed block."""
    chain, head = _reopened_after(tmp_path, "DELETE FROM meta WHERE key = 'history_rule';")
    assert history.since(chain.conn) == head
    assert chain.conn.execute("SELECT COUNT(*) FROM history").fetchone()[0] == 0
    _kept_from(chain, head)


# -- speedC: `record` gathers the rows per entry instead of sorting them all -----------------------
def test_record_writes_the_rows_of_its_reference_in_the_same_order():
    """`history.record` hands SQLite exactly the rows, in exactly the order, that
    `record_reference` (sort every row) does, for random pre-images over several blocks and
    items: missing entries, values equal to the block's end (dropped) or not, entries written
    in some blocks only."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from chain.pallets import subtensor_module as sm
    from chain.pallets.storage import Encoded

    missing = object()
    # (item, its key from a small int, its values); items are unhashable (a list default)
    items = [(sm.TOTAL_HOTKEY_ALPHA, lambda k: (bytes([k]) * 32, k % 3), st.integers(0, 3)),
             (sm.SUBNET_TAO, lambda k: (k,), st.integers(0, 3)),
             (sm.BONDS, lambda k: (k % 3, k),
              st.sampled_from([[[0, 1]], [[1, 2]], [[0, 1], [2, 3]]]))]

    class Spy:
        def __init__(self):
            self.rows = None

        def executemany(self, _sql, rows):
            self.rows = list(rows)

    entry = st.sampled_from(items).flatmap(lambda spec: st.tuples(
        st.just(spec[0]), st.integers(0, 5).map(spec[1]),
        st.one_of(st.just(missing), spec[2], spec[2].map(
            lambda v: Encoded(spec[0], spec[0].encode_value(v)) if type(v) is list else v))))

    @settings(max_examples=300, deadline=None)
    @given(blocks=st.dictionaries(st.integers(1, 9), st.lists(entry, max_size=8), max_size=5),
           ends=st.lists(entry, max_size=20))
    def check(blocks, ends):
        from chain.local.state import _slot

        pre = {block: {_slot(item, key): value for item, key, value in entries}
               for block, entries in blocks.items()}
        end = {_slot(item, key): value for item, key, value in ends}
        fast, reference = Spy(), Spy()
        count = history.record(fast, pre, lambda slot: end.get(slot, missing), missing)
        assert history.record_reference(reference, pre, lambda slot: end.get(slot, missing),
                                        missing) == count
        assert fast.rows == reference.rows and len(fast.rows) == count

    check()

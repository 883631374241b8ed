"""State history: a read at a past block answers exactly what the chain held while that block
was the last sealed one, however the blocks were advanced; beyond what is kept, a clear refusal."""

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


def _drive(chain, *, one_by_one: bool, on_head=None) -> None:
    """The same operations on either chain: transfers in between advances of STEPS blocks
    (the twin advances one block at a time and reports each head)."""
    alice = dev_signer("Alice")
    for k, step in enumerate(STEPS):
        chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                      {"dest": dev_signer("Eve").public_key,
                                       "value": (k + 1) * TAO}))
        for _ in range(step if one_by_one else 1):
            chain.advance(1 if one_by_one else step)
            if on_head:
                on_head(chain)


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

    def snapshot(chain):
        with chain.reading() as state:
            live[chain.open_number() - 1] = dump(state, chain.conn)

    snapshot(b)
    _drive(a, one_by_one=False)
    _drive(b, one_by_one=True, on_head=snapshot)
    yield a, b, live
    a.close()
    b.close()


def test_every_past_block_reads_as_it_was_live(chains):
    """Chain a advanced in runs (fast-forwarded in closed form), its twin b one block at a time
    with its whole state recorded at every head: a's history at every block equals b's."""
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
        assert state.get(system.NUMBER) == head - 8
    with pytest.raises(StateDiscarded, match="State already discarded for block"):
        with chain.reading_at(head - 10):
            pass
    with pytest.raises(StateDiscarded):
        chain.at(head - 20)
    chain.close()


def test_a_file_without_history_gains_it_from_now(tmp_path):
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    chain.advance(5)
    chain.conn.executescript("DROP TABLE history; DROP TABLE history_runs; "
                             "DELETE FROM meta WHERE key = 'history_since';")
    chain.close()
    chain = LocalChain.open(tmp_path / "c.db")
    head = chain.open_number() - 1
    with pytest.raises(StateDiscarded):
        chain.at(head - 1)
    chain.advance(3)
    with chain.reading_at(head) as state:
        assert state.get(system.NUMBER) == head + 1
    chain.close()


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

"""Start-of-block hooks: a hook that needs block-by-block work at some blocks gets exactly those
blocks, while the runs in between are still skipped in closed form; and the call table extends."""

from __future__ import annotations

import pytest

from chain.local import calls, hooks
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.pallets import balances, registry
from chain.pallets.calls import call
from chain.pallets.storage import StorageItem

TEMPO = 360
EPOCHS = StorageItem("TestPallet", "Epochs", (), "u64", 0)


@pytest.fixture(autouse=True)
def test_pallet(monkeypatch):
    """TestPallet's item and call, declared for these tests only."""
    monkeypatch.setitem(registry.REGISTRY, EPOCHS.id, EPOCHS)
    monkeypatch.setitem(registry.CALLS, "TestPallet.bump", call("TestPallet", "bump", by="u64"))


class EveryTempo:
    """A hook like the epochs: must run in blocks that are multiples of TEMPO."""

    name = "every_tempo"

    def __init__(self) -> None:
        self.ran: list[int] = []

    def on_initialize(self, env) -> None:
        self.ran.append(env.block_number)
        if env.block_number % TEMPO == 0:
            env.state.set(EPOCHS, env.state.get(EPOCHS) + 1)

    def next_block_needing_work(self, state, first: int) -> int | None:
        return -(-first // TEMPO) * TEMPO

    def skip(self, state, first: int, last: int, coarse: bool = False) -> None:
        assert not any(b % TEMPO == 0 for b in range(first, last + 1))


@pytest.fixture
def tempo_hook():
    hook = EveryTempo()
    hooks.BLOCK_HOOKS.append(hook)
    yield hook
    hooks.BLOCK_HOOKS.remove(hook)


def test_hook_gets_its_blocks_and_the_rest_is_skipped(tmp_path, tempo_hook):
    chain = LocalChain.create(tmp_path / "a.db", "dev")
    tempo_hook.ran.clear()
    chain.advance(10 * TEMPO)
    epoch_blocks = [b for b in tempo_hook.ran if b % TEMPO == 0]
    assert epoch_blocks == [TEMPO * k for k in range(1, 11)]
    # only the epoch blocks and the final open block ran block by block
    assert len(tempo_hook.ran) <= 11
    with chain.reading() as st:
        assert st.get(EPOCHS) == 10
        assert st.get(balances.TOTAL_ISSUANCE) == 6_000_000 * 10**9 + (10 * TEMPO + 1) * 10**9
    slow = LocalChain.create(tmp_path / "b.db", "dev")
    slow.advance(10 * TEMPO, block_by_block=True)
    dump = "SELECT item, key, value FROM storage ORDER BY item, key"
    assert chain.conn.execute(dump).fetchall() == slow.conn.execute(dump).fetchall()


def test_call_table_is_extensible(dev_chain, alice):
    @calls.call("TestPallet", "bump")
    def bump(env, origin, by):
        env.state.set(EPOCHS, env.state.get(EPOCHS) + by)
        env.emit("TestPallet", "Bumped", who=origin, by=by)

    try:
        receipt = dev_chain.submit_call(alice, Call("TestPallet", "bump", {"by": 3}))
        assert receipt.success and receipt.events[1]["name"] == "Bumped"  # after the fee
        with dev_chain.reading() as st:
            assert st.get(EPOCHS) == 3
    finally:
        del calls.CALLS["TestPallet.bump"]


def test_opening_the_chain_to_read_does_not_import_the_coinbase():
    """The hooks are made when a block first opens: a read command (balance, portfolio) skips
    importing the coinbase and numpy (~50 ms of CPU at start-up)."""
    import subprocess
    import sys

    code = ("import sys; import chain.local.backend, chain.local.chain; "
            "print('chain.local.coinbase' in sys.modules, 'numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]

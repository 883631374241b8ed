"""The epoch in the runtime and the coinbase: permits, masks, u16 outputs, payouts equal to the
pending amounts within floor dust, the in-memory block run equal to block-by-block, every
`chain check` invariant over random activity, the alpha halving, and a kill -9 mid-advance."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chain.local.chain import LocalChain
from chain.local.invariants import check
from tests.chain.local.chain_reads import assert_checks_pass as _ok, read_item as _read
from chain.pallets import balances, taoctl
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import (
    TAO,
    call,
    emitting_subnet,
    set_all_weights,
    uid,
)




@pytest.fixture
def net(dev_chain):
    net = emitting_subnet(dev_chain)
    dev_chain.advance(12)  # one epoch hands out permits
    set_all_weights(dev_chain, net)
    return net


def test_first_epoch_gives_permits_to_staked_validators_and_the_owner(dev_chain):
    net = emitting_subnet(dev_chain)
    n = net["netuid"]
    assert _read(dev_chain, sm.VALIDATOR_PERMIT, n) == []
    dev_chain.advance(12)
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    vals = {uid(dev_chain, n, v.public_key) for v in net["validators"]}
    assert {u for u, p in enumerate(permits) if p} == vals | {0}  # UID 0: the owner hotkey
    _ok(dev_chain)


def test_weights_turn_into_incentive_dividends_and_stake(dev_chain, net):
    n = net["netuid"]
    miners = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    before = {m: _read(dev_chain, sm.TOTAL_HOTKEY_ALPHA, h.public_key, n)
              for m, h in zip(miners, net["miners"], strict=True)}
    dev_chain.advance(30)
    incentive = _read(dev_chain, sm.INCENTIVE, n)
    dividends = _read(dev_chain, sm.DIVIDENDS, n)
    assert all(incentive[m] > 0 for m in miners)
    assert abs(sum(incentive) - 65_535) <= len(incentive)  # sums to 1 in u16, floors aside
    assert abs(sum(dividends) - 65_535) <= len(dividends)
    for m, h in zip(miners, net["miners"], strict=True):
        assert _read(dev_chain, sm.TOTAL_HOTKEY_ALPHA, h.public_key, n) > before[m]
    bonds = [_read(dev_chain, sm.BONDS, n, uid(dev_chain, n, v.public_key))
             for v in net["validators"]]
    assert all(row and all(0 < b <= 65_535 for _, b in row) for row in bonds)
    _ok(dev_chain)


def test_each_epoch_pays_its_pending_within_floor_dust(dev_chain, net):
    n = net["netuid"]
    for _ in range(4):
        drained0 = _read(dev_chain, taoctl.EPOCH_DRAINED, n)
        paid0 = _read(dev_chain, taoctl.EPOCH_PAID, n)
        dev_chain.advance(10)  # exactly one tempo: one epoch
        drained = _read(dev_chain, taoctl.EPOCH_DRAINED, n) - drained0
        paid = _read(dev_chain, taoctl.EPOCH_PAID, n) - paid0
        assert drained > 0
        assert drained - 4 * 16 <= paid <= drained  # a few rao of floor dust per UID
    _ok(dev_chain)


def test_issuance_grows_by_the_tao_injected_and_alpha_out_covers_stake(dev_chain, net):
    with dev_chain.reading() as state:
        issuance, recycled = state.get(balances.TOTAL_ISSUANCE), state.get(taoctl.COINBASE_RECYCLED)
    result = dev_chain.advance(50)
    with dev_chain.reading() as state:
        grown = state.get(balances.TOTAL_ISSUANCE) - issuance
        dust = state.get(taoctl.COINBASE_RECYCLED) - recycled
    assert grown + dust == 50 * TAO  # every block's credit: spent into the pool or recycled
    assert 0 <= dust <= 50 * 2 and result.minted == grown
    _ok(dev_chain)


def test_in_memory_run_equals_block_by_block(tmp_path):
    chains = []
    for name in ("fast", "slow"):
        chain = LocalChain.create(tmp_path / f"{name}.db", "dev")
        net = emitting_subnet(chain)
        chain.advance(12)
        set_all_weights(chain, net)
        chains.append(chain)
    chains[0].advance(45)
    chains[1].advance(45, block_by_block=True)
    # price records for charts are kept per run, not per block, in the in-memory run
    rows = [dict(((item, key), value) for item, key, value in
                 c.conn.execute("SELECT item, key, value FROM storage WHERE item != "
                                "'Taoctl.PriceAt'")) for c in chains]
    differ = {k for k in rows[0].keys() | rows[1].keys() if rows[0].get(k) != rows[1].get(k)}
    assert not differ, sorted(differ)[:5]
    for c in chains:
        c.close()


def test_no_emitting_subnet_skips_in_closed_form_and_keeps_clocks(dev_chain):
    call(dev_chain, __import__("chain.local.accounts", fromlist=["dev_signer"]).dev_signer(
        "Alice"), "register_network", hotkey=b"\x07" * 32)
    start = time.perf_counter()
    dev_chain.advance(1_000_000)
    assert time.perf_counter() - start < 5
    last = _read(dev_chain, sm.LAST_EPOCH_BLOCK, 1)
    assert dev_chain.open_number() - 360 < last <= dev_chain.open_number()
    _ok(dev_chain)


def test_alpha_emission_halves_at_10_5_million_alpha(dev_chain, net):
    n = net["netuid"]
    dev_chain.advance(1)
    assert _read(dev_chain, sm.SUBNET_ALPHA_OUT_EMISSION, n) == TAO
    with dev_chain.writing() as state:  # alpha issuance just below the first threshold
        issuance = state.get(sm.SUBNET_ALPHA_IN, n) + state.get(sm.SUBNET_ALPHA_OUT, n)
        state.set(sm.PENDING_OWNER_CUT, n, state.get(sm.PENDING_OWNER_CUT, n) +
                  10_500_000 * TAO - issuance - TAO // 2)
        state.set(sm.SUBNET_ALPHA_OUT, n, state.get(sm.SUBNET_ALPHA_OUT, n) +
                  10_500_000 * TAO - issuance - TAO // 2)
    dev_chain.advance(1)
    assert _read(dev_chain, sm.SUBNET_ALPHA_OUT_EMISSION, n) == TAO
    dev_chain.advance(1)
    assert _read(dev_chain, sm.SUBNET_ALPHA_OUT_EMISSION, n) == TAO // 2


@pytest.mark.slow
def test_random_activity_keeps_every_invariant(dev_chain, net):
    """Stakes, unstakes, registrations and weights at random over 10 000 blocks."""
    rng = random.Random(6)
    n = net["netuid"]
    from chain.local.accounts import dev_signer

    extra = 0
    for _ in range(60):
        action = rng.choice(["stake", "unstake", "register", "weights", "advance"])
        val = rng.choice(net["validators"])
        if action == "stake":
            dev_chain.submit_call(net["bob"], __import__("chain.local.extrinsic", fromlist=[
                "Call"]).Call("SubtensorModule", "add_stake", {
                    "hotkey": val.public_key, "netuid": n,
                    "amount_staked": rng.randint(1, 50) * TAO}))
        elif action == "unstake":
            from chain.local import stake_utils as su

            with dev_chain.reading() as state:
                held = su.stake_of(state, val.public_key, net["bob"].public_key, n)
            if held > TAO:
                call(dev_chain, net["bob"], "remove_stake", hotkey=val.public_key, netuid=n,
                     amount_unstaked=rng.randint(1, held // 2))
        elif action == "register":
            extra += 1
            hot = dev_signer(f"Ferdie//extra{extra}")
            dev_chain.submit_call(net["ferdie"], __import__("chain.local.extrinsic", fromlist=[
                "Call"]).Call("SubtensorModule", "burned_register",
                              {"netuid": n, "hotkey": hot.public_key}))
            net["miners"].append(hot)
        elif action == "weights":
            try:
                set_all_weights(dev_chain, net)
            except AssertionError:
                pass  # rate-limited or no permit yet: refused, nothing changed
        dev_chain.advance(rng.randint(1, 300))
    remaining = 10_000 - dev_chain.open_number()
    if remaining > 0:
        dev_chain.advance(remaining)
    _ok(dev_chain)
    assert _read(dev_chain, taoctl.EPOCHS_RUN) > 900


@pytest.mark.slow
def test_kill_9_during_epoch_heavy_advance_leaves_a_consistent_chain(tmp_path):
    db = tmp_path / "kill.db"
    with LocalChain.create(db, "dev") as chain:
        net = emitting_subnet(chain, tempo=2)
        chain.advance(4)
        set_all_weights(chain, net)
    root = str(Path(__file__).resolve().parents[3])
    script = ("import sys; from chain.local.chain import LocalChain\n"
              "c = LocalChain.open(sys.argv[1])\n"
              "print('READY', flush=True)\n"
              "while True: c.advance(7)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(db)], stdout=subprocess.PIPE,
                            text=True, env={**os.environ, "PYTHONPATH": root})
    assert proc.stdout.readline().strip() == "READY"
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with LocalChain.open(db) as chain:
        assert _read(chain, taoctl.EPOCHS_RUN) > 3
        _ok(chain)
        chain.advance(5)
        _ok(chain)


def test_a_long_run_reports_progress_and_an_interrupt_keeps_the_committed_chain(tmp_path):
    """Emitting subnets make a run block by block inside one transaction: it reports every
    64 blocks, and a KeyboardInterrupt from the report rolls the whole run back."""
    from chain.local.backend import LocalBackend

    chain = LocalChain.create(tmp_path / "p.db", "dev")
    emitting_subnet(chain)
    chain.close()
    backend = LocalBackend(tmp_path / "p.db")
    reports: list[int] = []
    backend.advance(200, on_progress=reports.append)
    assert reports == [64, 64, 64]  # blocks 2..199 run in memory, the 200th opens
    before = backend.chain.open_number()

    def interrupt(n: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        backend.advance(500, on_progress=interrupt)
    assert backend.chain.open_number() == before
    assert not any(check(backend.chain).values())
    backend.close()


@pytest.mark.parametrize("block_by_block", [False, True], ids=["run", "opened-blocks"])
def test_the_safety_net_runs_an_epoch_whose_step_count_passed_tempo(dev_chain, block_by_block):
    """`should_run_epoch`'s safety net (ECONOMICS-2026 §0 item 14): a subnet whose
    `BlocksSinceLastStep` is past its tempo runs its epoch in the next block, though its
    `LastEpochBlock + tempo` is 100 blocks ahead. (Before 2026-12 taoctl's coinbase waited for
    that block: its next-epoch test took the safety net roughly, so the epoch only came when
    some other subnet was due.)"""
    net = emitting_subnet(dev_chain)  # tempo 10
    n = net["netuid"]
    dev_chain.advance(3)
    first = dev_chain.open_number() + 1  # the first block the advance below runs
    with dev_chain.writing() as state:
        state.set(sm.LAST_EPOCH_BLOCK, n, first + 100)
        state.set(sm.BLOCKS_SINCE_LAST_STEP, n, 11)  # tempo + 1: past tempo
    runs = _read(dev_chain, taoctl.EPOCHS_RUN)
    dev_chain.advance(3, block_by_block=block_by_block)
    assert _read(dev_chain, taoctl.EPOCHS_RUN) == runs + 1
    assert _read(dev_chain, sm.LAST_EPOCH_BLOCK, n) == first
    assert _read(dev_chain, sm.BLOCKS_SINCE_LAST_STEP, n) == 2  # the two blocks after it
    _ok(dev_chain)

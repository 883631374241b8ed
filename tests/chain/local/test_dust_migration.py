"""Spec 473's dust sweep (`migrate_alpha_v2_and_unstake_dust_v1`, ECONOMICS-2026 §5.1): a chain
file from an older taoctl (schema 2) is swept when it is opened: positions worth < 1,000 rao
are deleted (alpha back to the pool, the TAO of a fee-free sale to the burn account), larger
ones stay (the bundled chain's rows are V2 rows; legacy rows worth 1,000..3,000,000 rao are paid
out), issuance does not move, `chain check` passes, and the sweep runs once."""

from __future__ import annotations

import sqlite3

import amm
import pytest

from chain.local import dust_migration as dm
from chain.local import stake_utils as su
from chain.local.accounts import BURN_ACCOUNT, dev_signer, subnet_account
from chain.local.balances import free_balance
from chain.local.chain import SCHEMA_VERSION, LocalChain
from chain.local.invariants import check
from tests.chain.local.chain_reads import assert_checks_pass as _ok
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import call, emitting_subnet

TAO = 10**9



def _leave(chain, signer, hotkey: bytes, netuid: int, keep_value: int) -> int:
    """Stake 1 TAO, then unstake all but the alpha worth about `keep_value` rao."""
    call(chain, signer, "add_stake", hotkey=hotkey, netuid=netuid, amount_staked=TAO)
    with chain.reading() as state:
        held = su.stake_of(state, hotkey, signer.public_key, netuid)
        price = amm.spot_price(su.read_pool(state, netuid))
    keep = max((keep_value << 64) // price, 1)
    call(chain, signer, "remove_stake", hotkey=hotkey, netuid=netuid,
         amount_unstaked=held - keep)
    with chain.reading() as state:
        return su.stake_of(state, hotkey, signer.public_key, netuid)


@pytest.fixture
def older_file(tmp_path):
    """A dev chain with one dust position (Charlie, ~400 rao) and one small position (Dave,
    ~2,000,000 rao) on an emitting subnet, written back as schema 2."""
    path = tmp_path / "older.db"
    chain = LocalChain.create(path, "dev")
    net = emitting_subnet(chain)
    n, hot = net["netuid"], net["validators"][0].public_key
    dust = _leave(chain, dev_signer("Charlie"), hot, n, 400)
    small = _leave(chain, dev_signer("Dave"), hot, n, 2_000_000)
    assert dust > 0 and small > dust
    _ok(chain)
    chain.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.commit()
    conn.close()
    return path, n, hot


def test_opening_an_older_chain_sweeps_the_dust_once(older_file):
    path, n, hot = older_file
    charlie, dave = dev_signer("Charlie").public_key, dev_signer("Dave").public_key
    conn = sqlite3.connect(path)  # the state before, read through a plain State
    from chain.local.state import State

    before = State(conn)
    pool = su.read_pool(before, n)
    dust = su.stake_of(before, hot, charlie, n)
    small = su.stake_of(before, hot, dave, n)
    value = amm.sell(pool, dust, drop_fees=True).amount_out
    assert 0 < value < dm.MIN_PAYOUT_TAO
    snapshot = {
        "alpha_in": before.get(sm.SUBNET_ALPHA_IN, n), "alpha_out": before.get(sm.SUBNET_ALPHA_OUT, n),
        "tao": before.get(sm.SUBNET_TAO, n), "issuance": before.get(sm.TOTAL_ISSUANCE),
        "hot_alpha": before.get(sm.TOTAL_HOTKEY_ALPHA, hot, n),
        "subnet_account": free_balance(before, subnet_account(n)),
        "root_account": free_balance(before, subnet_account(0)),
        "burn": free_balance(before, BURN_ACCOUNT), "total_stake": before.get(sm.TOTAL_STAKE)}
    conn.close()

    with LocalChain.open(path) as chain:
        assert chain.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        with chain.reading() as state:
            assert state.get(sm.HAS_MIGRATION_RUN, dm.MIGRATION_NAME)
            progress = state.get(sm.ALPHA_V2_MIGRATION)
            assert progress["deleted"] == 1 and progress["refunded"] == 0
            assert progress["burned"] + progress["pending_burn"] == value
            assert su.stake_of(state, hot, charlie, n) == 0
            assert state.get(sm.ALPHA, hot, charlie, n) is None
            assert su.stake_of(state, hot, dave, n) == small  # a V2 row: kept
            assert state.get(sm.SUBNET_ALPHA_IN, n) == snapshot["alpha_in"] + dust
            assert state.get(sm.SUBNET_ALPHA_OUT, n) == snapshot["alpha_out"] - dust
            assert state.get(sm.SUBNET_TAO, n) == snapshot["tao"] - value
            assert state.get(sm.TOTAL_STAKE) == snapshot["total_stake"] - value
            assert state.get(sm.TOTAL_HOTKEY_ALPHA, hot, n) == snapshot["hot_alpha"] - dust
            assert state.get(sm.TOTAL_ISSUANCE) == snapshot["issuance"]  # nothing recycled
            assert free_balance(state, subnet_account(n)) == snapshot["subnet_account"] - value
            moved = (free_balance(state, subnet_account(0)) - snapshot["root_account"]
                     + free_balance(state, BURN_ACCOUNT) - snapshot["burn"])
            assert moved == value
            # the pool moved exactly as a fee-free sale of the dust would have moved it
            after = su.read_pool(state, n)
            assert (after.tao_reserve, after.alpha_reserve) == (pool.tao_reserve - value,
                                                                pool.alpha_reserve + dust)
        _ok(chain)
        chain.advance(3)
        _ok(chain)
    with LocalChain.open(path) as chain:  # runs once
        with chain.reading() as state:
            assert state.get(sm.ALPHA_V2_MIGRATION)["scanned"] == progress["scanned"]


def test_legacy_rows_worth_up_to_3m_rao_are_paid_out(older_file):
    """The finney rule for rows still in the retired map (`legacy=True`): the small position
    is sold fee-free to its coldkey, the dust deleted."""
    path, n, hot = older_file
    dave = dev_signer("Dave").public_key
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # open without the sweep
    conn.commit()
    conn.close()
    with LocalChain.open(path) as chain:
        with chain.writing() as state:
            small = su.stake_of(state, hot, dave, n)
            expected = amm.sell(su.read_pool(state, n), small, drop_fees=True).amount_out
            balance = free_balance(state, dave)
            progress = dm.migrate_alpha_v2_and_unstake_dust(state, legacy=True)
            assert progress["deleted"] == 1
            assert dm.MIN_PAYOUT_TAO <= progress["refunded"] <= dm.MAX_DUST_TAO
            assert su.stake_of(state, hot, dave, n) == 0
            # the dust sale moved the pool first (key order), so the payout is within a rao
            assert abs(free_balance(state, dave) - balance - expected) <= 1
        _ok(chain)


def test_collateral_keeps_a_dust_position(older_file):
    path, n, hot = older_file
    charlie = dev_signer("Charlie").public_key
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.commit()
    conn.close()
    with LocalChain.open(path) as chain:
        with chain.writing() as state:
            dust = su.stake_of(state, hot, charlie, n)
            state.set(sm.MINER_COLLATERAL, n, hot, charlie, dust)
            progress = dm.migrate_alpha_v2_and_unstake_dust(state)
            assert progress["kept_collateral"] == 1 and progress["deleted"] == 0
            assert su.stake_of(state, hot, charlie, n) == dust


def test_a_pool_that_cannot_sell_the_whole_position_values_it_at_nothing(dev_chain):
    net = emitting_subnet(dev_chain)
    with dev_chain.reading() as state:
        pool = su.read_pool(state, net["netuid"])
        assert dm.executable_tao_value(state, 0, 123) == 123  # root: 1:1
        assert dm.executable_tao_value(state, net["netuid"], pool.alpha_reserve * 10**9) is None


# -- dust on removals and moves, as the runtime treats it (stake_validation.rs) -------------------
def test_the_runtime_leaves_dust_behind_and_lets_it_leave_whole(dev_chain):
    """An unstake may leave a remainder of any size when it pays at least DefaultMinStake
    (`validate_remove_stake`); the remainder cannot leave in a small piece (AmountTooLow) or be
    moved (a move's value must exceed DefaultMinStake; within a subnet price x alpha must reach
    it), but the whole position may always be unstaked (the minimum is waived)."""
    from chain.local.extrinsic import Call

    net = emitting_subnet(dev_chain)
    n, hot = net["netuid"], net["validators"][0].public_key
    charlie = dev_signer("Charlie")
    dust = _leave(dev_chain, charlie, hot, n, 400)
    assert 0 < dust
    piece = dev_chain.submit_call(charlie, Call("SubtensorModule", "remove_stake", {
        "hotkey": hot, "netuid": n, "amount_unstaked": max(dust // 2, 1)}))
    assert piece.error == "AmountTooLow"
    other = net["validators"][1].public_key
    for dest_hot, dest_n in ((other, n), (hot, 0)):
        moved = dev_chain.submit_call(charlie, Call("SubtensorModule", "move_stake", {
            "origin_hotkey": hot, "destination_hotkey": dest_hot, "origin_netuid": n,
            "destination_netuid": dest_n, "alpha_amount": dust}))
        assert moved.error == "AmountTooLow", (dest_n, moved.error)
    whole = dev_chain.submit_call(charlie, Call("SubtensorModule", "remove_stake", {
        "hotkey": hot, "netuid": n, "amount_unstaked": dust}))
    assert whole.success, whole.message
    with dev_chain.reading() as state:
        assert su.stake_of(state, hot, charlie.public_key, n) == 0
    _ok(dev_chain)


def test_root_dust_is_swept_one_to_one(dev_chain):
    """Root is 1:1: a 500 rao root position is worth 500 rao, deleted, its TAO burned."""
    from chain.local.extrinsic import Call

    net = emitting_subnet(dev_chain)
    hot, charlie = net["validators"][0].public_key, dev_signer("Charlie")
    call(dev_chain, charlie, "add_stake", hotkey=hot, netuid=0, amount_staked=TAO)
    receipt = dev_chain.submit_call(charlie, Call("SubtensorModule", "remove_stake", {
        "hotkey": hot, "netuid": 0, "amount_unstaked": TAO - 500}))
    assert receipt.success, receipt.message
    with dev_chain.writing() as state:
        held = su.stake_of(state, hot, charlie.public_key, 0)
        root_tao = state.get(sm.SUBNET_TAO, 0)
        progress = dm.migrate_alpha_v2_and_unstake_dust(state)
        assert progress["deleted"] == 1 and progress["burned"] + progress["pending_burn"] == held
        assert state.get(sm.SUBNET_TAO, 0) == root_tao - held
        assert su.stake_of(state, hot, charlie.public_key, 0) == 0
    _ok(dev_chain)


def test_chain_check_sees_a_pending_burn_that_is_not_there(dev_chain):
    with dev_chain.writing() as state:
        dm.migrate_alpha_v2_and_unstake_dust(state)
    _ok(dev_chain)
    with dev_chain.writing() as state:
        progress = dict(state.get(sm.ALPHA_V2_MIGRATION))
        state.set(sm.ALPHA_V2_MIGRATION, {**progress, "pending_burn": 10**15})
    assert check(dev_chain)["dust_sweep"]

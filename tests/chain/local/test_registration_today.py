"""Neuron registration as at 475 (ECONOMICS-2026 §6.1.2, §6.2) and the document's figures for
registration: the collateral share of the burn (default 0 = the baseline), the owner-protected
UIDs found by `Owner`, the lock cost after `migrate_network_lock_cost_2500`, the pool seed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

import amm
from amm.fixed import U64F64
from chain.local import network_lock as nl
from chain.local import neurons
from chain.local import registration_price as rp
from chain.local.accounts import dev_signer
from chain.local.invariants import check
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import BOB, TAO, key, read, stake, submit

ALICE_S, BOB_S = dev_signer("Alice"), dev_signer("Bob")


def _subnet(chain) -> None:
    assert submit(chain, ALICE_S, "register_network", hotkey=key("owner-hot")).success
    assert submit(chain, ALICE_S, "start_call", netuid=1).success


def _clean(chain) -> None:
    failures = {k: v for k, v in check(chain).items() if v}
    assert not failures, failures


# -- the collateral split -------------------------------------------------------------------------
def test_collateral_split_figures():
    assert rp.collateral_split(TAO, 0) == (TAO, 0)  # the default: all burned (baseline)
    assert rp.collateral_split(TAO, 65_535) == (0, TAO)
    # p = 16384/65535: the collateral part floors
    assert rp.collateral_split(1_000, 16_384) == (1_000 - 250, 250)  # 250.0038... -> 250


@given(st.integers(0, 2**64 - 1), st.integers(0, 65_535))
def test_collateral_split_adds_up_and_floors_the_collateral(burn, share):
    burned, collateral = rp.collateral_split(burn, share)
    assert burned + collateral == burn
    assert collateral == int(Fraction(burn * share, 65_535))


def test_default_registration_burns_everything_as_the_baseline(dev_chain):
    _subnet(dev_chain)
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("bob-hot"))
    assert receipt.success, receipt.message
    assert read(dev_chain, sm.MINER_COLLATERAL, 1, key("bob-hot"), BOB) == 0
    assert stake(dev_chain, key("bob-hot"), BOB, 1) == 0


def test_a_collateral_share_stakes_and_locks_part_of_the_burn(dev_chain):
    _subnet(dev_chain)
    assert submit(dev_chain, ALICE_S, "sudo_set_collateral_lock_share", "AdminUtils", netuid=1,
                  share=65_535 // 4).success
    with dev_chain.reading() as state:
        from chain.local.stake_utils import read_pool

        pool = read_pool(state, 1)
        alpha_out = state.get(sm.SUBNET_ALPHA_OUT, 1)
    burn = read(dev_chain, sm.BURN, 1)
    burned, collateral = rp.collateral_split(burn, 65_535 // 4)
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("bob-hot"))
    assert receipt.success, receipt.message
    first = amm.swap(pool, amm.BUY, burned)
    second = amm.swap(first.pool_after, amm.BUY, collateral)
    locked = read(dev_chain, sm.MINER_COLLATERAL, 1, key("bob-hot"), BOB)
    assert locked == second.amount_out > 0
    assert stake(dev_chain, key("bob-hot"), BOB, 1) == locked  # staked to the new neuron
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 1) == alpha_out + locked  # only it is issued
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 1) == second.pool_after.alpha_reserve
    _clean(dev_chain)
    # locked collateral cannot be unstaked (§5.2): nothing of this position is available
    refused = submit(dev_chain, BOB_S, "remove_stake", hotkey=key("bob-hot"), netuid=1,
                     amount_unstaked=locked)
    assert refused.error == "NotEnoughStakeToWithdraw"


# -- owner-protected UIDs -------------------------------------------------------------------------
def test_owner_protected_uids_are_found_by_owner_not_by_owned_hotkeys(dev_chain):
    """§6.2 (475): scan the subnet's UIDs for `Owner[hotkey] == SubnetOwner`; a hotkey the owner
    owns but that `OwnedHotkeys` lost still counts, one listed there but owned by another does
    not."""
    _subnet(dev_chain)
    assert submit(dev_chain, ALICE_S, "sudo_set_owner_immune_neuron_limit", "AdminUtils",
                  netuid=1, immune_neurons=2).success
    assert submit(dev_chain, ALICE_S, "burned_register", netuid=1,
                  hotkey=key("alice-2")).success
    assert submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("bob-2")).success
    with dev_chain.writing() as state:
        from chain.local.accounts import DEV_ACCOUNTS

        alice = DEV_ACCOUNTS["Alice"]
        # the owner's list forgets alice-2 and wrongly names bob-2
        state.set(sm.OWNED_HOTKEYS, alice, [key("owner-hot").hex(), key("bob-2").hex()])
        immortal = neurons.immortal_uids(state, 1)
    assert sorted(immortal) == [0, 1]  # owner hotkey (UID 0) and alice-2 (UID 1), not bob-2


# -- figures of ECONOMICS-2026 §6.3 and §0.0 ------------------------------------------------------
def test_lock_cost_after_the_2500_migration_and_its_linear_decay():
    """§6.3: `NetworkLastLockCost = 1,250 TAO` at the migration block, mult 2: 2,500 TAO right
    after, then down by floor(1250 TAO / interval) per block (mainnet 57,600-block interval at
    1 TAO/block emission), floored at the minimum."""
    m = 1_000_000
    assert nl.lock_cost(1_250 * TAO, m, m) == 2_500 * TAO
    per_block = 1_250 * TAO // 57_600
    assert nl.lock_cost(1_250 * TAO, m, m + 7_200) == 2_500 * TAO - per_block * 7_200
    assert nl.lock_cost(1_250 * TAO, m, m + 10**7) == nl.NETWORK_MIN_LOCK_COST


def test_pool_seed_figures():
    """§0.0 item 3: SubnetAlphaIn = floor(U64F64(pool_tao) / median), the median over the other
    subnets' positive spot prices (default 1); SubnetTAO = TAO paid."""
    assert nl.median_price([]) == U64F64.one
    assert nl.median_price([0, 0]) == U64F64.one
    half, quarter = U64F64.from_ratio(1, 2), U64F64.from_ratio(1, 4)
    assert nl.median_price([quarter, 0, half]) == U64F64.from_ratio(3, 8)
    pool = nl.new_pool(2_500 * TAO, median_u64f64=U64F64.from_ratio(3, 8))
    assert pool.subnet_tao == 2_500 * TAO
    assert pool.subnet_alpha_in == 2_500 * TAO * 8 // 3

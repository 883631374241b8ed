"""Staking on the bundled chain with exact numbers: ECONOMICS.md Appendix B through the runtime,
fees to the block author, root 1:1, moves within and across subnets, unstake_all, the take."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chain.local.accounts import AUTHOR_ACCOUNT, dev_signer, subnet_account
from chain.local.invariants import check
from chain.local.subnets import _largest_remainder
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import (
    ALICE,
    BOB,
    CHARLIE,
    TAO,
    add_subnet,
    call_events,
    free,
    give_stake,
    key,
    read,
    stake,
    submit,
)

HOT = key("stake-hot")
BOB_S = dev_signer("Bob")


def test_appendix_b_buy_through_the_runtime(dev_chain):
    """y = 100 TAO, x = 400 alpha, fee rate 33: staking 1 TAO buys 3,958,421,529 alpha."""
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    author = free(dev_chain, AUTHOR_ACCOUNT)
    account = free(dev_chain, subnet_account(1))
    total_stake = read(dev_chain, sm.TOTAL_STAKE)
    receipt = submit(dev_chain, BOB_S, "add_stake", hotkey=HOT, netuid=1, amount_staked=TAO)
    assert receipt.success, receipt.message
    event = call_events(receipt)[0]
    assert event["name"] == "StakeAdded"
    assert list(event["args"]) == ["coldkey", "hotkey", "tao_amount", "alpha_amount", "netuid",
                                   "fee"]
    assert event["args"]["alpha_amount"] == 3_958_421_529
    assert event["args"]["fee"] == 503_547
    assert stake(dev_chain, HOT, BOB, 1) == 3_958_421_529
    assert read(dev_chain, sm.SUBNET_TAO, 1) == 100 * TAO + 999_496_453
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 1) == 400 * TAO - 3_958_421_529
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 1) == 3_958_421_529
    assert free(dev_chain, AUTHOR_ACCOUNT) - author == 503_547
    assert free(dev_chain, subnet_account(1)) - account == 999_496_453
    assert free(dev_chain, BOB) == 1_000_000 * TAO - TAO - receipt.fee_rao
    assert read(dev_chain, sm.TOTAL_STAKE) - total_stake == TAO


def test_appendix_b_sell_through_the_runtime(dev_chain):
    """Selling 4 alpha on the original pool pays 989,605,381 rao; the 2,014,190 alpha fee is
    sold fee-less for the block author."""
    import amm

    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    receipt = submit(dev_chain, BOB_S, "remove_stake", hotkey=HOT, netuid=1,
                     amount_unstaked=4 * TAO)
    assert receipt.success, receipt.message
    args = call_events(receipt)[0]["args"]
    assert (args["tao_amount"], args["alpha_amount"], args["fee"]) == \
        (989_605_381, 4 * TAO, 2_014_190)
    assert free(dev_chain, BOB) == 1_000_000 * TAO + 989_605_381 - receipt.fee_rao
    assert stake(dev_chain, HOT, BOB, 1) == 6 * TAO
    after_sell = amm.sell(amm.Pool(100 * TAO, 400 * TAO), 4 * TAO).pool_after
    fee_sale = amm.swap(after_sell, amm.SELL, 2_014_190, drop_fees=True)
    assert free(dev_chain, AUTHOR_ACCOUNT) == fee_sale.amount_out > 0
    assert read(dev_chain, sm.SUBNET_TAO, 1) == fee_sale.pool_after.tao_reserve
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 1) == 404 * TAO
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 1) == 6 * TAO


def test_root_stake_is_one_to_one_without_fee(dev_chain):
    hot = key("root-hot")
    associated = submit(dev_chain, BOB_S, "try_associate_hotkey", hotkey=hot)
    assert associated.success
    before = read(dev_chain, sm.SUBNET_TAO, 0)
    receipt = submit(dev_chain, BOB_S, "add_stake", hotkey=hot, netuid=0, amount_staked=7 * TAO)
    assert receipt.success and call_events(receipt)[0]["args"]["fee"] == 0
    assert stake(dev_chain, hot, BOB, 0) == 7 * TAO
    assert read(dev_chain, sm.SUBNET_TAO, 0) - before == 7 * TAO
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 0) == 7 * TAO
    removed = submit(dev_chain, BOB_S, "remove_stake", hotkey=hot, netuid=0,
                     amount_unstaked=3 * TAO)
    assert removed.success
    fees = associated.fee_rao + receipt.fee_rao + removed.fee_rao  # no swap fee on root
    assert free(dev_chain, BOB) == 1_000_000 * TAO - 4 * TAO - fees
    assert not any(check(dev_chain).values())


def test_move_within_a_subnet_is_pure_accounting(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    other = key("other-hot")
    assert submit(dev_chain, BOB_S, "try_associate_hotkey", hotkey=other).success
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    pool = (read(dev_chain, sm.SUBNET_TAO, 1), read(dev_chain, sm.SUBNET_ALPHA_IN, 1))
    receipt = submit(dev_chain, BOB_S, "move_stake", origin_hotkey=HOT, destination_hotkey=other,
                     origin_netuid=1, destination_netuid=1, alpha_amount=4 * TAO)
    assert receipt.success, receipt.message
    assert stake(dev_chain, HOT, BOB, 1) == 6 * TAO
    assert stake(dev_chain, other, BOB, 1) == 4 * TAO
    assert (read(dev_chain, sm.SUBNET_TAO, 1), read(dev_chain, sm.SUBNET_ALPHA_IN, 1)) == pool
    # a transfer within the subnet gives the alpha to another coldkey, still without a swap
    assert submit(dev_chain, BOB_S, "transfer_stake", destination_coldkey=CHARLIE, hotkey=other,
                  origin_netuid=1, destination_netuid=1, alpha_amount=TAO).success
    assert stake(dev_chain, other, CHARLIE, 1) == TAO
    assert read(dev_chain, sm.STAKING_HOTKEYS, CHARLIE) == [other.hex()]


def test_transfer_stake_respects_the_toggle(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    assert submit(dev_chain, dev_signer("Alice"), "sudo_set_toggle_transfer", "AdminUtils",
                  netuid=1, toggle=False).success
    receipt = submit(dev_chain, BOB_S, "transfer_stake", destination_coldkey=ALICE, hotkey=HOT,
                     origin_netuid=1, destination_netuid=1, alpha_amount=TAO)
    assert receipt.error == "TransferDisallowed"


def test_unstake_all_empties_every_subnet(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    add_subnet(dev_chain, 2, 300 * TAO, 100 * TAO, owner_hotkey=key("o2"))
    assert submit(dev_chain, BOB_S, "add_stake", hotkey=HOT, netuid=1, amount_staked=TAO).success
    assert submit(dev_chain, BOB_S, "add_stake", hotkey=HOT, netuid=2, amount_staked=TAO).success
    assert submit(dev_chain, BOB_S, "add_stake", hotkey=HOT, netuid=0, amount_staked=TAO).success
    receipt = submit(dev_chain, BOB_S, "unstake_all", hotkey=HOT)
    assert receipt.success, receipt.message
    assert [e["name"] for e in receipt.events].count("StakeRemoved") == 3
    for n in (0, 1, 2):
        assert stake(dev_chain, HOT, BOB, n) == 0
    again = submit(dev_chain, BOB_S, "unstake_all", hotkey=HOT)
    assert again.error == "AmountTooLow"


def test_unstake_all_alpha_restakes_on_root(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    assert submit(dev_chain, BOB_S, "add_stake", hotkey=HOT, netuid=1,
                  amount_staked=2 * TAO).success
    bob = free(dev_chain, BOB)
    receipt = submit(dev_chain, BOB_S, "unstake_all_alpha", hotkey=HOT)
    assert receipt.success, receipt.message
    assert stake(dev_chain, HOT, BOB, 1) == 0
    received = call_events(receipt)[0]["args"]["tao_amount"]
    assert stake(dev_chain, HOT, BOB, 0) == received
    assert free(dev_chain, BOB) == bob - receipt.fee_rao  # only the transaction fee leaves


def test_delegate_take(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    alice = dev_signer("Alice")
    assert read(dev_chain, sm.DELEGATES, HOT) == 11_796  # 18 % by default
    assert submit(dev_chain, alice, "decrease_take", hotkey=HOT, take=5_000).success
    assert read(dev_chain, sm.DELEGATES, HOT) == 5_000
    assert submit(dev_chain, alice, "increase_take", hotkey=HOT, take=11_797).error == \
        "DelegateTakeTooHigh"
    assert submit(dev_chain, BOB_S, "increase_take", hotkey=HOT, take=6_000).error == \
        "NonAssociatedColdKey"
    assert submit(dev_chain, alice, "increase_take", hotkey=HOT, take=6_000).success


@given(st.integers(0, 10**15), st.lists(st.integers(0, 10**13), min_size=1, max_size=30))
def test_dissolution_split_pays_exactly_the_pot(pot, weights):
    parts = _largest_remainder(pot, weights)
    if sum(weights) == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == pot
    total = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert pot * weight // total <= part <= pot * weight // total + 1

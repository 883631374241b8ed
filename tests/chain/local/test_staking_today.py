"""Staking calls of today (ECONOMICS-2026 §5.2): `transfer_stake_and_hotkey` and the
whole-position sentinel `alpha_amount = u64::MAX`."""

from __future__ import annotations

from chain.local.accounts import dev_signer, subnet_account
from chain.local.invariants import check
from chain.local.staking_transfer import FULL_POSITION
from tests.chain.local.subnet_fixtures import (
    ALICE,
    BOB,
    CHARLIE,
    TAO,
    add_subnet,
    assert_only_the_fee_changed,
    give_stake,
    key,
    snapshot,
    stake,
    submit,
)

BOB_S = dev_signer("Bob")
HOT = key("hot")
OTHER = key("other-hot")


def _failures(chain) -> dict:
    """`chain check` but the issuance replay: `add_subnet` mints the pools' TAO by hand."""
    return {k: v for k, v in check(chain).items() if v and k != "issuance_moves"}


def _other_hotkey(chain):
    assert submit(chain, dev_signer("Charlie"), "try_associate_hotkey", hotkey=OTHER).success


def test_transfer_stake_and_hotkey_moves_ownership_and_delegation(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    _other_hotkey(dev_chain)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    receipt = submit(dev_chain, BOB_S, "transfer_stake_and_hotkey", destination_coldkey=CHARLIE,
                     origin_hotkey=HOT, destination_hotkey=OTHER, origin_netuid=1,
                     destination_netuid=1, alpha_amount=4 * TAO)
    assert receipt.success, receipt.message
    assert stake(dev_chain, HOT, BOB, 1) == 6 * TAO
    assert stake(dev_chain, OTHER, CHARLIE, 1) == 4 * TAO  # same subnet: no swap, no fee
    assert "StakeTransferred" in [e["name"] for e in receipt.events]
    assert not _failures(dev_chain)


def test_transfer_stake_and_hotkey_across_subnets_swaps_like_transfer_stake(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    add_subnet(dev_chain, 2, 300 * TAO, 100 * TAO, owner_hotkey=key("o2"))
    _other_hotkey(dev_chain)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    from chain.local.backend import LocalBackend

    backend = LocalBackend(dev_chain.path)
    args = dict(destination_coldkey=CHARLIE, origin_hotkey=HOT, destination_hotkey=OTHER,
                origin_netuid=1, destination_netuid=2, alpha_amount=5 * TAO)
    quote = backend.query("quote", BOB, "SubtensorModule", "transfer_stake_and_hotkey", args)
    backend.close()
    assert quote["success"], quote
    receipt = submit(dev_chain, BOB_S, "transfer_stake_and_hotkey", **args)
    assert receipt.success, receipt.message
    # the quote is the execution, to the rao
    assert stake(dev_chain, OTHER, CHARLIE, 2) == quote["result"]["alpha_received_rao"] > 0
    assert stake(dev_chain, HOT, BOB, 1) == 5 * TAO
    assert not _failures(dev_chain)


def test_transfer_stake_and_hotkey_refuses_a_module_account_and_changes_nothing(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    before = snapshot(dev_chain)
    receipt = submit(dev_chain, BOB_S, "transfer_stake_and_hotkey",
                     destination_coldkey=subnet_account(1), origin_hotkey=HOT,
                     destination_hotkey=HOT, origin_netuid=1, destination_netuid=1,
                     alpha_amount=TAO)
    assert receipt.error == "CannotUseSystemAccount"
    assert_only_the_fee_changed(dev_chain, before, receipt, BOB)


def test_transfer_stake_and_hotkey_respects_the_toggle(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    _other_hotkey(dev_chain)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    assert submit(dev_chain, dev_signer("Alice"), "sudo_set_toggle_transfer", "AdminUtils",
                  netuid=1, toggle=False).success
    receipt = submit(dev_chain, BOB_S, "transfer_stake_and_hotkey", destination_coldkey=CHARLIE,
                     origin_hotkey=HOT, destination_hotkey=OTHER, origin_netuid=1,
                     destination_netuid=1, alpha_amount=TAO)
    assert receipt.error == "TransferDisallowed"


def test_the_sentinel_moves_the_whole_live_position(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    _other_hotkey(dev_chain)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO + 7)
    receipt = submit(dev_chain, BOB_S, "move_stake", origin_hotkey=HOT, destination_hotkey=OTHER,
                     origin_netuid=1, destination_netuid=1, alpha_amount=FULL_POSITION)
    assert receipt.success, receipt.message
    assert stake(dev_chain, HOT, BOB, 1) == 0
    assert stake(dev_chain, OTHER, BOB, 1) == 10 * TAO + 7
    # transfer_stake and transfer_stake_and_hotkey take it too
    receipt = submit(dev_chain, BOB_S, "transfer_stake", destination_coldkey=ALICE,
                     hotkey=OTHER, origin_netuid=1, destination_netuid=1,
                     alpha_amount=FULL_POSITION)
    assert receipt.success, receipt.message
    assert stake(dev_chain, OTHER, ALICE, 1) == 10 * TAO + 7
    assert not _failures(dev_chain)


def test_the_sentinel_on_an_empty_position_is_refused(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    _other_hotkey(dev_chain)
    receipt = submit(dev_chain, BOB_S, "move_stake", origin_hotkey=HOT, destination_hotkey=OTHER,
                     origin_netuid=1, destination_netuid=1, alpha_amount=FULL_POSITION)
    assert receipt.error == "AmountTooLow"

"""Every bad input is refused with subtensor's error name, a one-line message, and no change
(only the sender's nonce moves, as on a real chain)."""

from __future__ import annotations

import json

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.subtensor_errors import ERROR_NAMES, SubtensorError
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import (
    ALICE,
    BOB,
    TAO,
    add_subnet,
    free,
    give_stake,
    key,
    read,
    assert_only_the_fee_changed,
    snapshot,
    submit,
)

HOT = key("errors-hot")
DAVE = DEV_ACCOUNTS["Dave"]


@pytest.fixture
def chain(dev_chain):
    add_subnet(dev_chain, 1, 1_000 * TAO, 4_000 * TAO, owner_hotkey=HOT)
    add_subnet(dev_chain, 2, 500 * TAO, 1_000 * TAO, owner_hotkey=key("other"), started=False)
    give_stake(dev_chain, HOT, BOB, 1, 50 * TAO)
    return dev_chain


def _refused(chain, signer, name, error, pallet="SubtensorModule", **args):
    before = snapshot(chain)
    receipt = submit(chain, signer, name, pallet, **args)
    assert not receipt.success
    assert receipt.error == error, receipt.message
    assert receipt.message and "\n" not in receipt.message
    assert_only_the_fee_changed(chain, before, receipt, signer.public_key)
    return receipt


CASES = [
    # (name, error, signer, args)
    ("add_stake", "NotEnoughBalanceToStake", "Bob",
     {"hotkey": HOT, "netuid": 1, "amount_staked": 1_000_001 * TAO}),
    ("add_stake", "NotEnoughBalanceToStake", "Bob",  # the existential deposit must stay
     {"hotkey": HOT, "netuid": 1, "amount_staked": 1_000_000 * TAO}),
    ("add_stake", "AmountTooLow", "Bob", {"hotkey": HOT, "netuid": 1, "amount_staked": 2_000_000}),
    ("add_stake", "SubnetNotExists", "Bob", {"hotkey": HOT, "netuid": 9, "amount_staked": TAO}),
    ("add_stake", "SubtokenDisabled", "Bob",
     {"hotkey": key("other"), "netuid": 2, "amount_staked": TAO}),
    ("add_stake", "HotKeyAccountNotExists", "Bob",
     {"hotkey": key("nobody"), "netuid": 1, "amount_staked": TAO}),
    ("add_stake_limit", "SlippageTooHigh", "Bob",
     {"hotkey": HOT, "netuid": 1, "amount_staked": 100 * TAO, "limit_price": 260_000_000,
      "allow_partial": False}),
    ("add_stake_limit", "ZeroMaxStakeAmount", "Bob",
     {"hotkey": HOT, "netuid": 1, "amount_staked": 100 * TAO, "limit_price": 200_000_000,
      "allow_partial": True}),
    ("remove_stake", "NotEnoughStakeToWithdraw", "Bob",
     {"hotkey": HOT, "netuid": 1, "amount_unstaked": 50 * TAO + 1}),
    ("remove_stake", "NotEnoughStakeToWithdraw", "Charlie",
     {"hotkey": HOT, "netuid": 1, "amount_unstaked": TAO}),
    ("remove_stake", "AmountTooLow", "Bob", {"hotkey": HOT, "netuid": 1, "amount_unstaked": 0}),
    ("remove_stake", "AmountTooLow", "Bob",  # leaves stake behind and pays < 0.002 TAO
     {"hotkey": HOT, "netuid": 1, "amount_unstaked": 1_000}),
    ("remove_stake_limit", "SlippageTooHigh", "Bob",
     {"hotkey": HOT, "netuid": 1, "amount_unstaked": 40 * TAO, "limit_price": 249_000_000,
      "allow_partial": False}),
    ("swap_stake", "SameNetuid", "Bob",
     {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 1, "alpha_amount": TAO}),
    ("swap_stake", "SubtokenDisabled", "Bob",
     {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 2, "alpha_amount": TAO}),
    ("move_stake", "HotKeyAccountNotExists", "Bob",
     {"origin_hotkey": HOT, "destination_hotkey": key("nobody"), "origin_netuid": 1,
      "destination_netuid": 1, "alpha_amount": TAO}),
    ("transfer_stake", "NotEnoughStakeToWithdraw", "Bob",
     {"destination_coldkey": ALICE, "hotkey": HOT, "origin_netuid": 1, "destination_netuid": 1,
      "alpha_amount": 51 * TAO}),
    ("burned_register", "HotKeyAlreadyRegisteredInSubNet", "Alice", {"netuid": 1, "hotkey": HOT}),
    ("burned_register", "RegistrationNotPermittedOnRootSubnet", "Bob",
     {"netuid": 0, "hotkey": key("new")}),
    ("burned_register", "SubnetNotExists", "Bob", {"netuid": 7, "hotkey": key("new")}),
    ("burned_register", "NonAssociatedColdKey", "Bob", {"netuid": 1, "hotkey": key("other")}),
    ("register_limit", "RegistrationPriceLimitExceeded", "Bob",
     {"netuid": 1, "hotkey": key("new"), "limit_price": TAO - 1}),
    ("start_call", "NotSubnetOwner", "Bob", {"netuid": 2}),
    ("start_call", "FirstEmissionBlockNumberAlreadySet", "Alice", {"netuid": 1}),
    ("register_network", "NonAssociatedColdKey", "Bob", {"hotkey": HOT}),
]


@pytest.mark.parametrize(("name", "error", "who", "args"), CASES,
                         ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_bad_input_is_refused_and_changes_nothing(chain, name, error, who, args):
    _refused(chain, dev_signer(who), name, error, **args)


def test_subnet_creation_without_the_lock_cost(dev_chain):
    poor = dev_signer("Eve")
    sent = submit(dev_chain, poor, "transfer_keep_alive", "Balances", dest=ALICE,
                  value=999_990 * TAO)  # keeps 10 TAO: the fee, not the 1,000 TAO lock
    assert free(dev_chain, DEV_ACCOUNTS["Eve"]) == 10 * TAO - sent.fee_rao
    _refused(dev_chain, poor, "register_network", "CannotAffordLockCost", hotkey=key("eve-hot"))


def test_registering_without_the_burn(chain):
    poor = dev_signer("Eve")
    submit(chain, poor, "transfer_keep_alive", "Balances", dest=ALICE,
           value=1_000_000 * TAO - TAO // 2)
    _refused(chain, poor, "burned_register", "NotEnoughBalanceToStake", netuid=1,
             hotkey=key("eve-hot"))


def test_sudo_calls_need_the_sudo_key(chain):
    before = snapshot(chain)
    receipt = submit(chain, dev_signer("Bob"), "sudo_set_subnet_emission_enabled", "AdminUtils",
                     netuid=1, enabled=True)
    assert not receipt.success and receipt.error == "BadOrigin"
    assert_only_the_fee_changed(chain, before, receipt, dev_signer("Bob").public_key)
    assert submit(chain, dev_signer("Alice"), "sudo_set_subnet_emission_enabled", "AdminUtils",
                  netuid=1, enabled=True).success
    assert read(chain, sm.SUBNET_EMISSION_ENABLED, 1) is True


def test_start_call_waits_for_the_delay(dev_chain):
    alice = dev_signer("Alice")
    assert submit(dev_chain, alice, "sudo_set_start_call_delay", "AdminUtils", delay=100).success
    assert submit(dev_chain, alice, "register_network", hotkey=key("delay-hot")).success
    _refused(dev_chain, alice, "start_call", "NeedWaitingMoreBlocksToStarCall", netuid=1)
    dev_chain.advance(100)
    receipt = submit(dev_chain, alice, "start_call", netuid=1)
    assert receipt.success, receipt.message
    assert read(dev_chain, sm.SUBTOKEN_ENABLED, 1) is True


def _errors_in_metadata() -> set[str]:
    from pathlib import Path

    import chain.substrate

    path = Path(chain.substrate.__file__).parent / "metadata" / "metadata_v14_spec343.json"
    meta = json.loads(path.read_text())
    types = {t["id"]: t["type"] for t in meta["types"]}
    pallet = next(p for p in meta["pallets"] if p["name"] == "SubtensorModule")
    return {v["name"] for v in types[pallet["error"]]["def"]["variant"]["variants"]}


def test_error_names_are_subtensors():
    """Every SubtensorModule name of the list is a variant of subtensor's Error enum (spec 343
    or main); an unlisted name is refused."""
    from chain.errors import REFUSALS, fail

    newer = {"RegistrationPriceLimitExceeded", "ReservesTooLow", "SwapInputTooLarge",
             "PriceLimitExceeded", "InvalidPool", "InvalidWeights",
             "NotEnoughBalanceToPayLockCost",
             "LockIdOverFlow", "CannotUseSystemAccount"}  # regqueue: read in subnet.rs (main)
    listed = set(REFUSALS["SubtensorModule"].split()) | set(REFUSALS["Newer"].split())
    assert listed <= ERROR_NAMES
    assert listed - newer <= _errors_in_metadata()
    assert isinstance(fail("SameNetuid", "x"), SubtensorError)
    with pytest.raises(ValueError):
        fail("NoSuchError", "x")


def test_messages_are_one_line_json_safe(chain):
    receipt = submit(chain, dev_signer("Bob"), "add_stake", hotkey=HOT, netuid=9,
                     amount_staked=TAO)
    assert json.loads(json.dumps(receipt.to_json()))["error"] == "SubnetNotExists"

"""Staking through the node with plain substrate-interface: a subnet created and started by
extrinsics, `add_stake_limit` executed, and a limit price that cannot be met failing with the
module error `SlippageTooHigh` decoded by name (nothing but the nonce changed)."""

from __future__ import annotations

import pytest
from substrateinterface import Keypair

from chain.local import stake_utils
from chain.local.chain import LocalChain

TAO = 10**9
ALICE = Keypair.create_from_uri("//Alice")
HOTKEY = Keypair.create_from_uri("//AliceSubnetHotkey")


def submit(substrate, signer, function, args, module="SubtensorModule"):
    call = substrate.compose_call(module, function, args)
    xt = substrate.create_signed_extrinsic(call, signer, era={"period": 16})
    return substrate.submit_extrinsic(xt, wait_for_inclusion=True)


def stake_in_file(path, netuid) -> int:
    with LocalChain.open(path) as chain, chain.reading() as state:
        return stake_utils.stake_of(state, HOTKEY.public_key, ALICE.public_key, netuid)


@pytest.mark.slow
def test_add_stake_limit_and_slippage_too_high(node, substrate):
    _, _, path = node
    before = {k.value for k, v in substrate.query_map("SubtensorModule", "NetworksAdded") if v}
    receipt = submit(substrate, ALICE, "register_network", {"hotkey": HOTKEY.ss58_address})
    assert receipt.is_success, receipt.error_message
    after = {k.value for k, v in substrate.query_map("SubtensorModule", "NetworksAdded") if v}
    (netuid,) = after - before

    started = submit(substrate, ALICE, "start_call", {"netuid": netuid})
    if not started.is_success:  # the chain has a start-call delay: fast-forward the file
        with LocalChain.open(path) as chain:
            from chain.pallets.subtensor_module import START_CALL_DELAY

            with chain.reading() as state:
                delay = state.get(START_CALL_DELAY)
            chain.advance(delay + 1)
        started = submit(substrate, ALICE, "start_call", {"netuid": netuid})
    assert started.is_success, started.error_message

    price = int.from_bytes(bytes.fromhex(substrate.rpc_request(
        "state_call", ["SwapRuntimeApi_current_alpha_price",
                       "0x" + netuid.to_bytes(2, "little").hex()])["result"][2:]), "little")
    assert price > 0
    ok = submit(substrate, ALICE, "add_stake_limit",
                {"hotkey": HOTKEY.ss58_address, "netuid": netuid, "amount_staked": 10 * TAO,
                 "limit_price": price * 2, "allow_partial": False})
    assert ok.is_success, ok.error_message
    staked = stake_in_file(path, netuid)
    assert staked > 0
    info = substrate.rpc_request("state_call", [
        "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
        "0x" + (HOTKEY.public_key + ALICE.public_key + netuid.to_bytes(2, "little")).hex()])
    assert info["result"].startswith("0x01")

    nonce = substrate.get_account_nonce(ALICE.ss58_address)
    free = substrate.query("System", "Account", [ALICE.ss58_address]).value["data"]["free"]
    failed = submit(substrate, ALICE, "add_stake_limit",
                    {"hotkey": HOTKEY.ss58_address, "netuid": netuid, "amount_staked": 10 * TAO,
                     "limit_price": 1, "allow_partial": False})
    assert not failed.is_success
    assert failed.error_message["name"] == "SlippageTooHigh"
    assert stake_in_file(path, netuid) == staked
    assert substrate.get_account_nonce(ALICE.ss58_address) == nonce + 1
    assert failed.total_fee_amount > 0  # a refused call still pays its transaction fee
    assert substrate.query("System", "Account",
                           [ALICE.ss58_address]).value["data"]["free"] == \
        free - failed.total_fee_amount


@pytest.mark.slow
def test_set_weights_through_the_node(node, substrate):
    _, _, path = node
    assert submit(substrate, ALICE, "register_network",
                  {"hotkey": HOTKEY.ss58_address}).is_success
    netuid = max(k.value for k, v in substrate.query_map("SubtensorModule", "NetworksAdded")
                 if v)
    uid = substrate.query("SubtensorModule", "Uids", [netuid, HOTKEY.ss58_address]).value
    assert uid is not None
    receipt = submit(substrate, HOTKEY, "set_weights",
                     {"netuid": netuid, "dests": [uid], "weights": [65535], "version_key": 0})
    assert receipt.is_success, f"set_weights refused: {receipt.error_message}"
    names = [(e.value["module_id"], e.value["event_id"]) for e in receipt.triggered_events]
    assert ("SubtensorModule", "WeightsSet") in names
    stored = substrate.query("SubtensorModule", "Weights", [netuid, uid]).value
    assert [tuple(x) for x in stored] == [(uid, 65535)]
    bad = submit(substrate, HOTKEY, "set_weights",
                 {"netuid": netuid, "dests": [uid, uid], "weights": [1, 2], "version_key": 0})
    assert not bad.is_success and bad.error_message["type"] == "Module"

"""Fees everywhere (issue 15 item 3): the default `dev` chain charges every signed extrinsic
spec 461's transaction fee, and the quote (dry run, `estimate_fee`, the shared rules) equals
the execution to the rao, the fee included, for transfers and stake trades."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.backend import Call
from chain.errors import DispatchError
from chain.local import transaction_payment as tp
from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call as LocalCall
from chain.pallets import balances, system, taoctl
from chain.rules import balances as balance_rules
from chain.rules import fees
from tests.chain.local.subnet_fixtures import (BOB, TAO, add_subnet, call_events, free,
                                               give_stake, key, read, stake)

ED = 500
ALICE_S = dev_signer("Alice")
HOT = key("fees-hot")


def _chain():
    path = Path(tempfile.mkdtemp()) / "fees.db"
    return LocalChain.create(path, "dev"), path


def _schedule_fee(chain, who: bytes, pallet: str, name: str, args: dict) -> int:
    """The schedule's fee for the call at its SCALE length, the signer's next nonce."""
    call = LocalCall(pallet, name, args)
    return fees.transaction_fee(call.id, tp.fee_length(call, chain.nonce(who)), fees.SPEC_461)


def test_the_dev_preset_charges_spec_461_fees(dev_chain):
    assert read(dev_chain, taoctl.FEE_SCHEDULE) == "spec461"
    args = {"dest": BOB, "value": 3 * TAO}
    alice, bob = free(dev_chain, DEV_ACCOUNTS["Alice"]), free(dev_chain, BOB)
    issuance = read(dev_chain, balances.TOTAL_ISSUANCE)
    expected = _schedule_fee(dev_chain, DEV_ACCOUNTS["Alice"], "Balances",
                             "transfer_keep_alive", args)
    # 54,078 base + 112,025 weight + the length: the recorded receipt's terms (§9.4)
    assert expected - 54_078 - 112_025 in range(100, 200)
    receipt = dev_chain.submit_call(ALICE_S, LocalCall("Balances", "transfer_keep_alive", args))
    assert receipt.success and receipt.fee_rao == expected
    assert [e["name"] for e in call_events(receipt)] == ["Transfer"]
    assert free(dev_chain, DEV_ACCOUNTS["Alice"]) == alice - 3 * TAO - expected
    assert free(dev_chain, BOB) == bob + 3 * TAO
    assert read(dev_chain, balances.TOTAL_ISSUANCE) == issuance - expected  # recycled


def _fee_at(chain, who: bytes, pallet: str, name: str, args: dict, nonce: int) -> int:
    call = LocalCall(pallet, name, args)
    return fees.transaction_fee(call.id, tp.fee_length(call, nonce), fees.SPEC_461)


def _roundtrip(chain, path, signer, pallet, name, args):
    """Quote (dry run and estimate_fee) then execute: the same fee, the same events."""
    who = bytes(signer.public_key)
    nonce = chain.nonce(who)
    backend = LocalBackend(path)
    try:
        estimated = backend.estimate_fee(who, Call(pallet, name, args))
        quote = backend.quote(who, pallet, name, args)
    finally:
        backend.close()
    before = free(chain, who)
    receipt = chain.submit_call(signer, LocalCall(pallet, name, args))
    assert receipt.success == quote["success"], (receipt.error, quote)
    assert receipt.fee_rao == estimated == _fee_at(chain, who, pallet, name, args, nonce) > 0
    if quote["success"]:
        assert quote["transaction_fee_rao"] == receipt.fee_rao
        assert call_events(receipt) == quote["events"]
    return quote, receipt, before


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(extra=st.integers(-3, 3), keep_alive=st.booleans(), value=st.integers(1, 10 * TAO))
def test_a_transfer_around_the_fee_quotes_what_executes(extra, keep_alive, value):
    """A fresh account holding value + fee + ED + extra (a few rao either side): the shared
    rule, the dry run and the execution agree on success and on every rao moved."""
    chain, path = _chain()
    try:
        from chain.local.accounts import Signer
        import sr25519

        fresh = Signer(*sr25519.pair_from_seed(bytes([7]) * 32))
        who = bytes(fresh.public_key)
        name = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
        args = {"dest": BOB, "value": value}
        fee = _fee_at(chain, who, "Balances", name, args, 0)
        held = value + fee + (ED if keep_alive else 0) + extra
        assert chain.submit_call(ALICE_S, LocalCall("Balances", "transfer_allow_death",
                                                    {"dest": who, "value": held})).success
        backend = LocalBackend(path)
        try:
            try:
                ours = (True, balance_rules.transfer(backend, who, name, args,
                                                     backend.estimate_fee(who, Call(
                                                         "Balances", name, args))))
            except DispatchError as refusal:
                ours = (False, refusal.name)
        finally:
            backend.close()
        if held - fee < ED:  # cannot pay the fee and stay alive: invalid, nothing changes
            try:
                chain.submit_call(fresh, LocalCall("Balances", name, args))
            except tp.CannotPayFees:
                assert free(chain, who) == held
                return
            raise AssertionError("the fee could not be paid, yet the extrinsic was included")
        quote, receipt, before = _roundtrip(chain, path, fresh, "Balances", name, args)
        assert ours[0] == quote["success"]
        if quote["success"]:
            assert ours[1] == quote["events"]
            dust = sum(e["args"]["amount"] for e in quote["events"] if e["name"] == "DustLost")
            assert free(chain, who) == before - fee - value - dust
        else:
            assert ours[1] == quote["error"] == receipt.error
            assert free(chain, who) == before - fee
        assert (extra >= 0) == quote["success"] or not keep_alive
    finally:
        chain.close()


@SETTINGS
@given(amount=st.integers(TAO // 100, 50 * TAO), keep_alive=st.booleans())
def test_transfer_all_moves_what_the_fee_leaves(amount, keep_alive):
    chain, path = _chain()
    try:
        from chain.local.accounts import Signer
        import sr25519

        fresh = Signer(*sr25519.pair_from_seed(bytes([9]) * 32))
        who = bytes(fresh.public_key)
        assert chain.submit_call(ALICE_S, LocalCall("Balances", "transfer_allow_death",
                                                    {"dest": who, "value": amount})).success
        args = {"dest": BOB, "keep_alive": keep_alive}
        quote, receipt, before = _roundtrip(chain, path, fresh, "Balances", "transfer_all", args)
        assert receipt.success
        (moved,) = [e["args"]["amount"] for e in call_events(receipt) if e["name"] == "Transfer"]
        assert moved == before - receipt.fee_rao - (ED if keep_alive else 0)
        assert free(chain, who) == (ED if keep_alive else 0)
    finally:
        chain.close()


@SETTINGS
@given(tao=st.integers(1, 20 * TAO))
def test_stake_add_and_remove_quote_equals_execution_with_the_fee(tao):
    chain, path = _chain()
    try:
        add_subnet(chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
        args = {"hotkey": HOT, "netuid": 1, "amount_staked": tao}
        quote, receipt, before = _roundtrip(chain, path, ALICE_S, "SubtensorModule",
                                            "add_stake", args)
        if quote["success"]:
            assert before - free(chain, DEV_ACCOUNTS["Alice"]) == \
                quote["result"]["tao_paid_rao"] + receipt.fee_rao
            held = stake(chain, HOT, DEV_ACCOUNTS["Alice"], 1)
            assert held == quote["result"]["alpha_received_rao"]
        else:
            held = 0
            give_stake(chain, HOT, DEV_ACCOUNTS["Alice"], 1, TAO)
            held = TAO
        args = {"hotkey": HOT, "netuid": 1, "amount_unstaked": held}
        quote, receipt, before = _roundtrip(chain, path, ALICE_S, "SubtensorModule",
                                            "remove_stake", args)
        if quote["success"]:
            assert free(chain, DEV_ACCOUNTS["Alice"]) - before == \
                quote["result"]["tao_received_rao"] - receipt.fee_rao
    finally:
        chain.close()

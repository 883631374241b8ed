"""Transaction fees on the bundled chain: charged before the call, recycled, reported, quoted."""

from __future__ import annotations

import pytest

from chain.backend import Call as ContractCall
from chain.local import transaction_payment
from chain.local.accounts import dev_signer
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.local.invariants import check
from chain.pallets import balances, system, taoctl
from chain.rules import fees

TAO = 10**9
TRANSFER = "Balances.transfer_keep_alive"


def _create(path):
    """A dev chain that charges today's runtime's fees (the dev preset charges none)."""
    chain = LocalChain.create(path, "dev")
    with chain.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")
    return chain


def _free(chain, who):
    with chain.reading() as state:
        return state.get(system.ACCOUNT, who).free


def _issuance(chain):
    with chain.reading() as state:
        return state.get(balances.TOTAL_ISSUANCE), state.get(taoctl.FEES_RECYCLED)


def test_fee_length_is_the_scale_extrinsics():
    """The recorded transfer (1 TAO, immortal, nonce 0) is 144 bytes and pays 166,247 rao;
    taoctl signs with a mortal era (2 bytes), so its own transfer is 145 bytes, 166,248 rao,
    through a node and on the sandbox alike."""
    call = Call("Balances", "transfer_keep_alive", {"dest": bytes(32), "value": TAO})
    assert transaction_payment.fee_length(call, 0, immortal=True) == 144
    assert transaction_payment.fee_length(call, 64, immortal=True) == 145  # a 2-byte nonce
    assert fees.transaction_fee(
        TRANSFER, transaction_payment.fee_length(call, 0, immortal=True)) == 166_247
    assert transaction_payment.fee_length(call, 0) == 145
    assert fees.transaction_fee(TRANSFER, transaction_payment.fee_length(call, 0)) == 166_248


def test_fee_is_charged_recycled_and_reported(tmp_path):
    chain = _create(tmp_path / "c.db")
    alice, bob = dev_signer("Alice"), dev_signer("Bob")
    before, fees_before = _issuance(chain)
    receipt = chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                            {"dest": bob.public_key, "value": TAO}))
    fee = 166_248  # the recorded receipt's 166,247 plus one byte of mortal era (1 rao)
    assert receipt.success and receipt.fee_rao == fee
    assert _free(chain, alice.public_key) == 1_000_000 * TAO - TAO - fee
    assert _issuance(chain) == (before - fee, fees_before + fee)
    paid = [e for e in receipt.events if e["name"] == "TransactionFeePaid"]
    assert paid == [{"pallet": "TransactionPayment", "name": "TransactionFeePaid",
                     "args": {"who": alice.public_key, "actual_fee": fee, "tip": 0}}]
    assert not any(check(chain).values())
    chain.close()


def test_a_failed_call_still_pays(tmp_path):
    chain = _create(tmp_path / "c.db")
    alice = dev_signer("Alice")
    receipt = chain.submit_call(alice, Call("SubtensorModule", "add_stake",
                                            {"hotkey": bytes(32), "netuid": 99,
                                             "amount_staked": TAO}))
    assert not receipt.success and receipt.fee_rao > 0
    assert _free(chain, alice.public_key) == 1_000_000 * TAO - receipt.fee_rao
    assert chain.nonce(alice.public_key) == 1
    assert not any(check(chain).values())
    chain.close()


def test_an_account_that_cannot_pay_is_refused_and_nothing_changes(tmp_path):
    chain = _create(tmp_path / "c.db")
    alice, poor = dev_signer("Alice"), dev_signer("Alice//poor")
    chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                  {"dest": poor.public_key, "value": 100_000}))
    with pytest.raises(transaction_payment.CannotPayFees, match="Inability to pay some fees"):
        chain.submit_call(poor, Call("Balances", "transfer_allow_death",
                                     {"dest": alice.public_key, "value": 1_000}))
    assert _free(chain, poor.public_key) == 100_000
    assert chain.nonce(poor.public_key) == 0
    chain.close()


def test_the_presets_schedules(tmp_path):
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    with chain.reading() as state:
        assert transaction_payment.schedule(state) is fees.SPEC_461  # the default charges
    receipt = chain.submit_call(dev_signer("Alice"), Call(
        "Balances", "transfer_keep_alive", {"dest": dev_signer("Bob").public_key, "value": 1}))
    assert receipt.fee_rao > 0 and [e["name"] for e in receipt.events] == [
        "Withdraw", "Transfer", "TransactionFeePaid", "ExtrinsicSuccess"]
    chain.close()
    from chain.local.presets import preset

    assert preset("mainnet")["fee_schedule"] == "spec467"
    assert fees.SCHEDULES["spec467"].weight_fee_parts == fees.SPEC_461.weight_fee_parts // 2


def test_estimate_and_quote_equal_the_charged_fee(tmp_path):
    _create(tmp_path / "c.db").close()
    backend = LocalBackend(tmp_path / "c.db")
    alice, bob = dev_signer("Alice"), dev_signer("Bob")
    args = {"dest": bob.public_key, "value": 7 * TAO}
    estimate = backend.estimate_fee(alice.public_key,
                                    ContractCall("Balances", "transfer_keep_alive", args))
    quote = backend.quote(alice.public_key, "Balances", "transfer_keep_alive", args)
    receipt = backend.submit_call(alice, "Balances", "transfer_keep_alive", args)
    assert estimate == quote["transaction_fee_rao"] == receipt.fee_rao > 0
    # the next extrinsic's nonce is 1: the same length, the same fee
    assert backend.estimate_fee(alice.public_key, ContractCall(
        "Balances", "transfer_keep_alive", args)) == receipt.fee_rao
    backend.close()


def test_weights_are_free(tmp_path):
    assert fees.fee_details("SubtensorModule.set_weights", 300).total == 0
    chain = _create(tmp_path / "c.db")
    with chain.reading() as state:
        assert transaction_payment.withdraw_fee(
            state, bytes(32), fees.fee_details("SubtensorModule.set_weights", 300)) == []
    chain.close()

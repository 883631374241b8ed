"""Extrinsics: signatures, nonces, genesis; transfers and the existential deposit; events."""

from __future__ import annotations

import pytest

from chain.local.accounts import dev_signer
from chain.local.errors import BadGenesis, BadProof, CallUnknown, Future, Stale
from chain.local.extrinsic import Call, SignedExtrinsic, sign
from tests.chain.local.chain_reads import assert_checks_pass as _ok
from chain.pallets import balances, system, taoctl
from chain.pallets import subtensor_module as sm

TAO = 10**9


def _snapshot(chain):
    with chain.reading() as state:
        accounts = dict(state.iter(system.ACCOUNT))
        issuance = state.get(balances.TOTAL_ISSUANCE)
    blocks = chain.conn.execute("SELECT * FROM blocks").fetchall()
    xts = chain.conn.execute("SELECT COUNT(*) FROM extrinsics").fetchone()[0]
    return accounts, issuance, blocks, xts


def _free(chain, who):
    with chain.reading() as state:
        return state.get(system.ACCOUNT, who).free


def _transfer(dest, value, name="transfer_keep_alive"):
    return Call("Balances", name, {"dest": dest, "value": value})



def test_transfer_moves_balance_and_bumps_nonce(dev_chain, alice, accounts):
    bob = accounts["Bob"]
    receipt = dev_chain.submit_call(alice, _transfer(bob, 5 * TAO))
    assert receipt.success and receipt.extrinsic_index == 2  # after the two inherents
    fee = receipt.fee_rao  # spec 461's, withdrawn before the call (feeson)
    assert fee > 0
    assert _free(dev_chain, bob) == 1_000_005 * TAO
    assert _free(dev_chain, alice.public_key) == 999_995 * TAO - fee
    assert dev_chain.nonce(alice.public_key) == 1
    names = [e["name"] for e in receipt.events]
    assert names == ["Withdraw", "Transfer", "TransactionFeePaid", "ExtrinsicSuccess"]
    _ok(dev_chain)


def test_replay_is_refused_and_changes_nothing(dev_chain, alice, accounts):
    xt = sign(alice, dev_chain.genesis_hash, 0, _transfer(accounts["Bob"], TAO))
    dev_chain.submit(xt)
    before = _snapshot(dev_chain)
    with pytest.raises(Stale):
        dev_chain.submit(xt)
    assert _snapshot(dev_chain) == before


def test_forged_signature_is_refused(dev_chain, alice, accounts):
    xt = sign(alice, dev_chain.genesis_hash, 0, _transfer(accounts["Bob"], TAO))
    before = _snapshot(dev_chain)
    # Bob's key claims Alice's signature; or the call is changed after signing
    forged = SignedExtrinsic(accounts["Bob"], 0, xt.call, xt.signature, xt.genesis_hash)
    tampered = SignedExtrinsic(xt.signer, 0, _transfer(accounts["Bob"], 2 * TAO),
                               xt.signature, xt.genesis_hash)
    garbage = SignedExtrinsic(xt.signer, 0, xt.call, b"\x01" * 64, xt.genesis_hash)
    for bad in (forged, tampered, garbage):
        with pytest.raises(BadProof):
            dev_chain.submit(bad)
    assert _snapshot(dev_chain) == before


def test_wrong_genesis_is_refused(dev_chain, alice, accounts):
    xt = sign(alice, b"\x07" * 32, 0, _transfer(accounts["Bob"], TAO))
    before = _snapshot(dev_chain)
    with pytest.raises(BadGenesis):
        dev_chain.submit(xt)
    assert _snapshot(dev_chain) == before


def test_out_of_order_nonces(dev_chain, alice, accounts):
    call = _transfer(accounts["Bob"], TAO)
    before = _snapshot(dev_chain)
    with pytest.raises(Future):
        dev_chain.submit(sign(alice, dev_chain.genesis_hash, 1, call))
    assert _snapshot(dev_chain) == before
    dev_chain.submit(sign(alice, dev_chain.genesis_hash, 0, call))
    dev_chain.submit(sign(alice, dev_chain.genesis_hash, 1, call))
    with pytest.raises(Stale):
        dev_chain.submit(sign(alice, dev_chain.genesis_hash, 0, call))
    assert dev_chain.nonce(alice.public_key) == 2


def test_unknown_call_and_bad_args_are_invalid(dev_chain, alice, accounts):
    before = _snapshot(dev_chain)
    for call in (Call("Balances", "mint", {}),
                 Call("Balances", "transfer_keep_alive", {"dest": b"short", "value": 1}),
                 Call("Balances", "transfer_keep_alive", {"dest": accounts["Bob"],
                                                          "value": -1}),
                 Call("Balances", "transfer_keep_alive", {"dest": accounts["Bob"],
                                                          "value": 2**64})):
        with pytest.raises(CallUnknown):
            dev_chain.submit_call(alice, call)
    assert _snapshot(dev_chain) == before


def test_failed_call_changes_only_the_nonce(dev_chain, alice, accounts):
    bob = accounts["Bob"]
    receipt = dev_chain.submit_call(alice, _transfer(bob, 2_000_000 * TAO))
    assert not receipt.success and receipt.error == "InsufficientBalance"
    assert receipt.events[-1]["name"] == "ExtrinsicFailed"
    assert receipt.fee_rao > 0  # the fee stays paid: only it and the nonce change
    assert _free(dev_chain, alice.public_key) == 1_000_000 * TAO - receipt.fee_rao
    assert _free(dev_chain, bob) == 1_000_000 * TAO
    assert dev_chain.nonce(alice.public_key) == 1
    _ok(dev_chain)


def test_existential_deposit_rules(dev_chain, alice, accounts):
    fresh = bytes(32)
    # a new account below the deposit is refused
    r = dev_chain.submit_call(alice, _transfer(fresh, 499))
    assert r.error == "ExistentialDeposit"
    paid = r.fee_rao
    # keep-alive may not leave the sender with 1..499 rao (after its fee)
    free = 1_000_000 * TAO - paid

    def fee_of(call, nonce):  # the schedule's fee at the call's SCALE length
        from chain.local import transaction_payment as tp
        from chain.rules import fees

        return fees.transaction_fee(call.id, tp.fee_length(call, nonce), fees.SPEC_461)

    fee = fee_of(_transfer(fresh, free - 100), 1)  # a u64-sized value: its compact width
    r = dev_chain.submit_call(alice, _transfer(fresh, free - fee - 100))
    assert r.error == "NotExpendable" and r.fee_rao == fee
    paid += r.fee_rao
    free -= r.fee_rao
    # allow-death does, and the 100 rao dust is recycled from issuance, with the fee
    with dev_chain.reading() as st:
        issuance = st.get(balances.TOTAL_ISSUANCE)
    fee = fee_of(_transfer(fresh, free - 100, "transfer_allow_death"), 2)
    r = dev_chain.submit_call(alice, _transfer(fresh, free - fee - 100, "transfer_allow_death"))
    assert r.success, r
    assert r.fee_rao == fee
    assert [e["name"] for e in r.events] == ["Withdraw", "Transfer", "DustLost",
                                              "KilledAccount", "TransactionFeePaid",
                                              "ExtrinsicSuccess"]
    assert _free(dev_chain, alice.public_key) == 0
    with dev_chain.reading() as st:
        assert st.get(balances.TOTAL_ISSUANCE) == issuance - 100 - fee
        assert st.get(sm.TOTAL_ISSUANCE) == issuance - 100 - fee
        assert st.get(taoctl.RECYCLED) == 100 + paid + fee
        # the reaped account keeps its nonce, so its old extrinsics stay unreplayable
        assert st.get(system.ACCOUNT, alice.public_key).nonce == 3
    _ok(dev_chain)


def test_transfer_all(dev_chain, accounts):
    bob, eve, fresh = dev_signer("Bob"), dev_signer("Eve"), bytes([9]) * 32
    r = dev_chain.submit_call(bob, Call("Balances", "transfer_all",
                                        {"dest": fresh, "keep_alive": True}))
    assert r.success
    assert _free(dev_chain, bob.public_key) == 500
    assert _free(dev_chain, fresh) == 1_000_000 * TAO - r.fee_rao - 500  # the fee came first
    r = dev_chain.submit_call(eve, Call("Balances", "transfer_all",
                                        {"dest": fresh, "keep_alive": False}))
    assert r.success
    assert _free(dev_chain, eve.public_key) == 0
    _ok(dev_chain)


def test_extrinsics_land_in_the_open_block_and_blocks_link(dev_chain, alice, accounts):
    r1 = dev_chain.submit_call(alice, _transfer(accounts["Bob"], TAO))
    dev_chain.advance(3)
    r2 = dev_chain.submit_call(alice, _transfer(accounts["Bob"], TAO))
    assert (r1.block_number, r2.block_number) == (1, 4)
    dev_chain.advance(1)
    _ok(dev_chain)


def test_advance_raises_the_collector_threshold_only_while_it_runs(dev_chain, monkeypatch):
    import gc

    from chain.local import runtime

    seen = []
    real = runtime.run_empty_blocks

    def spy(*args, **kwargs):
        seen.append(gc.get_threshold())
        return real(*args, **kwargs)

    monkeypatch.setattr("chain.local.chain.run_empty_blocks", spy)
    before = gc.get_threshold()
    dev_chain.advance(10)
    assert seen == [(max(before[0], runtime.GC_THRESHOLD),
                     max(before[1], runtime.OLDER_GC_THRESHOLD),
                     max(before[2], runtime.OLDER_GC_THRESHOLD))]
    assert gc.get_threshold() == before

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("chain.local.chain.run_empty_blocks", fail)
    with pytest.raises(RuntimeError):
        dev_chain.advance(10)
    assert gc.get_threshold() == before  # restored on the way out of a failed run too

"""Alpha-paid fees (ECONOMICS-2026 §9.3; `chain.rules.fee_payer`): when a coldkey's free TAO
cannot pay a staking call's fee and stay alive, the alpha worth the fee at the spot price is
sold fee-free out of the position the call touches, its TAO recycled, and the call runs on
the pool that sale left. The quote (dry run, `fee_payment`) is the execution to the rao."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import sr25519
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import amm
from chain.backend import Call as ContractCall
from chain.local import stake_utils as su
from chain.local import transaction_payment as tp
from chain.local.accounts import DEV_ACCOUNTS, Signer, dev_signer
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.local.invariants import check
from chain.pallets import balances, taoctl
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import TAO, free, key, read, snapshot, stake, submit

ED = 500
ALICE = dev_signer("Alice")
HOT, HOT2 = key("alpha-fee-hot"), key("alpha-fee-hot-2")
POOR = Signer(*sr25519.pair_from_seed(bytes([11]) * 32))
WHO = bytes(POOR.public_key)


def _setup(staked: dict[int, int], free_left: int) -> tuple[LocalChain, Path]:
    """Two started subnets; POOR stakes `staked` (netuid -> TAO rao) through HOT, then sends
    away all it can so `free_left` rao (at least the ED) stay free. All through extrinsics,
    so `chain check` holds."""
    path = Path(tempfile.mkdtemp()) / "alpha-fees.db"
    chain = LocalChain.create(path, "dev")
    for netuid, hotkey in ((1, HOT), (2, HOT2)):
        assert submit(chain, ALICE, "register_network", hotkey=hotkey).success
        assert submit(chain, ALICE, "start_call", netuid=netuid).success
    assert chain.submit_call(ALICE, Call("Balances", "transfer_allow_death",
                                         {"dest": WHO, "value": 1_000 * TAO})).success
    for netuid, amount in staked.items():
        assert submit(chain, POOR, "add_stake", hotkey=HOT, netuid=netuid,
                      amount_staked=amount).success
    assert chain.submit_call(POOR, Call("Balances", "transfer_all",
                                        {"dest": DEV_ACCOUNTS["Alice"], "keep_alive": True}))
    assert free(chain, WHO) == ED
    if free_left > ED:
        assert chain.submit_call(ALICE, Call("Balances", "transfer_allow_death",
                                             {"dest": WHO, "value": free_left - ED})).success
    return chain, path


def _pool(chain, netuid: int) -> amm.Pool:
    with chain.reading() as state:
        return su.read_pool(state, netuid)


def _total_alpha(chain) -> int:
    with chain.reading() as state:
        return sum(state.get(sm.SUBNET_ALPHA_IN, n) + state.get(sm.SUBNET_ALPHA_OUT, n)
                   for n in (0, 1, 2))


def _quoted(path, name: str, args: dict):
    """(`fee_payment`, the dry run) of the call, through the sandbox backend."""
    backend = LocalBackend(path)
    try:
        return (backend.fee_payment(WHO, ContractCall("SubtensorModule", name, args)),
                backend.quote(WHO, "SubtensorModule", name, args))
    finally:
        backend.close()


def _quote_and_execute(chain, path, name: str, args: dict):
    """`fee_payment` and the dry run, then the extrinsic."""
    payment, quote = _quoted(path, name, args)
    return payment, quote, chain.submit_call(POOR, Call("SubtensorModule", name, args))


def test_an_unstake_pays_its_fee_in_alpha_when_free_tao_cannot():
    chain, path = _setup({1: 50 * TAO}, ED)
    try:
        held, pool = stake(chain, HOT, WHO, 1), _pool(chain, 1)
        issuance, fees_recycled = read(chain, balances.TOTAL_ISSUANCE), \
            read(chain, taoctl.FEES_RECYCLED)
        args = {"hotkey": HOT, "netuid": 1, "amount_unstaked": held // 4}
        payment, quote, receipt = _quote_and_execute(chain, path, "remove_stake", args)
        assert receipt.success and quote["success"]
        fee = receipt.fee_rao
        alpha = amm.alpha_amount_for_tao(pool, fee)  # U64F64(fee) / spot price, truncated
        sale = amm.swap(pool, amm.SELL, alpha, limit_price=0, drop_fees=True)
        expected = {"fee_payer": "alpha", "fee_netuid": 1, "fee_alpha_rao": alpha,
                    "fee_alpha_tao_rao": sale.amount_out}
        assert receipt.fee_payment == expected
        assert payment == quote["fee_payment"] == {"fee_rao": fee, **expected,
                                                   "fee_hotkey": "0x" + HOT.hex()}
        # the events as the runtime orders them: the sale, the call, then the fee's two
        names = [(e["pallet"], e["name"]) for e in receipt.events]
        assert names == [("SubtensorModule", "StakeRemoved"), ("SubtensorModule", "StakeRemoved"),
                         ("SubtensorModule", "TransactionFeePaidWithAlpha"),
                         ("TransactionPayment", "TransactionFeePaid"),
                         ("System", "ExtrinsicSuccess")]
        assert receipt.events[0]["args"]["alpha_amount"] == alpha
        assert receipt.events[3]["args"]["actual_fee"] == fee
        assert quote["events"] == receipt.events[1:2]  # the call's own, as dry-run
        got = receipt.events[1]["args"]["tao_amount"]
        assert got == quote["result"]["tao_received_rao"]
        # no TAO paid the fee: the free balance grows by exactly what the unstake paid
        assert free(chain, WHO) == ED + got
        assert stake(chain, HOT, WHO, 1) == held - held // 4 - alpha
        # the sale's TAO is recycled, all of it (no refund of the surplus before spec 470)
        assert issuance - read(chain, balances.TOTAL_ISSUANCE) == sale.amount_out
        assert read(chain, taoctl.FEES_RECYCLED) - fees_recycled == sale.amount_out
        assert not any(check(chain).values())
    finally:
        chain.close()


def test_tao_pays_while_it_can():
    chain, path = _setup({1: 50 * TAO}, 10 * TAO)
    try:
        args = {"hotkey": HOT, "netuid": 1, "amount_unstaked": TAO}
        payment, quote, receipt = _quote_and_execute(chain, path, "remove_stake", args)
        assert payment == {"fee_rao": receipt.fee_rao, "fee_payer": "tao"}
        assert receipt.fee_payment == {"fee_payer": "tao"}
        assert receipt.events[0]["name"] == "Withdraw"
        assert quote["fee_payment"] == payment
    finally:
        chain.close()


def test_free_tao_one_rao_short_of_fee_plus_ed_switches_to_alpha():
    chain, path = _setup({1: 50 * TAO}, ED)
    try:
        args = {"hotkey": HOT, "netuid": 1, "amount_unstaked": TAO}
        backend = LocalBackend(path)
        try:
            fee = backend.estimate_fee(WHO, ContractCall("SubtensorModule", "remove_stake", args))
        finally:
            backend.close()
        assert chain.submit_call(ALICE, Call("Balances", "transfer_allow_death",
                                             {"dest": WHO, "value": fee - 1})).success
        payment, _, receipt = _quote_and_execute(chain, path, "remove_stake", args)
        assert payment["fee_payer"] == "alpha" and receipt.fee_payment["fee_payer"] == "alpha"
    finally:
        chain.close()


def test_a_call_on_several_subnets_cannot_pay_in_alpha():
    """`unstake_all` touching two positions: alpha pays only for a call on one subnet, so the
    extrinsic is invalid and nothing changes."""
    chain, path = _setup({1: 20 * TAO, 2: 20 * TAO}, ED)
    try:
        before = snapshot(chain)
        backend = LocalBackend(path)
        try:
            payment = backend.fee_payment(WHO, ContractCall("SubtensorModule", "unstake_all",
                                                            {"hotkey": HOT}))
            quote = backend.quote(WHO, "SubtensorModule", "unstake_all", {"hotkey": HOT})
        finally:
            backend.close()
        assert payment["fee_payer"] == "none" and "2 positions" in payment["fee_why"]
        assert not quote["success"] and quote["error"] == "Payment"
        with pytest.raises(tp.CannotPayFees):
            chain.submit_call(POOR, Call("SubtensorModule", "unstake_all", {"hotkey": HOT}))
        assert snapshot(chain) == before
    finally:
        chain.close()


def test_add_stake_never_pays_in_alpha():
    chain, _ = _setup({1: 20 * TAO}, ED)
    try:
        before = snapshot(chain)
        with pytest.raises(tp.CannotPayFees):
            submit(chain, POOR, "add_stake", hotkey=HOT, netuid=1, amount_staked=1)
        assert snapshot(chain) == before
    finally:
        chain.close()


CALLS = st.sampled_from(["remove_stake", "remove_stake_limit", "remove_stake_full_limit",
                         "move_stake", "move_stake_limit", "transfer_stake", "swap_stake",
                         "swap_stake_limit", "unstake_all", "add_stake"])


def _args(name: str, held: int, pct: int) -> dict:
    alpha = max(held * pct // 100, 1)
    if name in ("remove_stake", "remove_stake_limit"):
        args = {"hotkey": HOT, "netuid": 1, "amount_unstaked": alpha}
        return args | ({"limit_price": 0, "allow_partial": False}
                       if name.endswith("limit") else {})
    if name == "remove_stake_full_limit":
        return {"hotkey": HOT, "netuid": 1, "limit_price": None}
    if name in ("move_stake", "move_stake_limit"):
        args = {"origin_hotkey": HOT, "destination_hotkey": HOT2, "origin_netuid": 1,
                "destination_netuid": 2, "alpha_amount": alpha}
        return args | ({"limit_price": 0, "allow_partial": False}
                       if name.endswith("limit") else {})
    if name == "transfer_stake":
        return {"destination_coldkey": DEV_ACCOUNTS["Bob"], "hotkey": HOT, "origin_netuid": 1,
                "destination_netuid": 1, "alpha_amount": alpha}
    if name in ("swap_stake", "swap_stake_limit"):
        args = {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 2, "alpha_amount": alpha}
        return args | ({"limit_price": 0, "allow_partial": False}
                       if name.endswith("limit") else {})
    if name == "unstake_all":
        return {"hotkey": HOT}
    return {"hotkey": HOT, "netuid": 1, "amount_staked": TAO}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=CALLS, pct=st.integers(1, 100), staked=st.integers(1, 300),
       extra=st.one_of(st.just(0), st.integers(0, 3_000_000), st.integers(0, 5 * TAO)))
def test_the_alpha_paid_path_conserves_tao_and_alpha(name, pct, staked, extra):
    """Whoever pays, TAO issuance falls by exactly what the fee recycled (the TAO fee, or the
    whole TAO the fee's alpha sold for) and by nothing else; subnet alpha (reserve plus
    outstanding) is unchanged: the fee's alpha moves into the pool, it is not burned; the
    quote is the execution; `chain check` passes; an extrinsic nothing can pay changes
    nothing."""
    chain, path = _setup({1: staked * TAO // 10}, ED + extra)
    try:
        args = _args(name, stake(chain, HOT, WHO, 1), pct)
        pool, alpha_total = _pool(chain, 1), _total_alpha(chain)
        issuance, recycled = read(chain, balances.TOTAL_ISSUANCE), read(chain, taoctl.RECYCLED)
        fees_recycled = read(chain, taoctl.FEES_RECYCLED)
        before = snapshot(chain)
        payment, quote = _quoted(path, name, args)
        try:
            receipt = chain.submit_call(POOR, Call("SubtensorModule", name, args))
        except tp.CannotPayFees:
            event(f"{name}: cannot pay")
            assert payment["fee_payer"] == "none" and quote["error"] == "Payment"
            assert snapshot(chain) == before
            return
        event(f"{name}: {payment['fee_payer']} {'ok' if receipt.success else receipt.error}")
        assert quote["success"] == receipt.success
        assert quote["fee_payment"] == payment
        assert {k: v for k, v in payment.items() if k not in ("fee_rao", "fee_hotkey")} == \
            receipt.fee_payment
        fell = issuance - read(chain, balances.TOTAL_ISSUANCE)
        assert fell == read(chain, taoctl.FEES_RECYCLED) - fees_recycled == \
            read(chain, taoctl.RECYCLED) - recycled
        if payment["fee_payer"] == "alpha":
            assert payment["fee_alpha_rao"] == amm.alpha_amount_for_tao(pool, receipt.fee_rao)
            assert fell == payment["fee_alpha_tao_rao"]
        else:
            assert fell == receipt.fee_rao
        assert _total_alpha(chain) == alpha_total
        assert not any(check(chain).values())
    finally:
        chain.close()


def test_a_call_whose_arguments_do_not_parse_names_no_alpha_payer(tmp_path):
    """`fee_payment` of a staking call with a malformed hotkey, from an account whose TAO
    cannot pay (so the alpha positions would be read): no traceback; nothing pays (the dry run
    then says why the call is refused)."""
    chain = LocalChain.create(tmp_path / "c.db", "dev")
    chain.close()
    backend = LocalBackend(tmp_path / "c.db")
    try:
        payment = backend.fee_payment(b"\x09" * 32, ContractCall(
            "SubtensorModule", "remove_stake", {"hotkey": "not a key", "netuid": 1,
                                                "amount_unstaked": 1}))
    finally:
        backend.close()
    assert payment["fee_payer"] == "none" and payment["fee_rao"] > 0

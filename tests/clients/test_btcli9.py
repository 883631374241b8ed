"""btcli 9.23.2 against `taoctl node serve` (NODE-461 §2.2), every answer checked against the
sandbox's own figures: balances and stake per position to the rao, prices and their history,
hyperparameters, the fee charged, and `stake add` / `stake remove` with their default flags
(safe and MEV-shielded) equal to taoctl's quote for the same block. One served chain for the
module (`served`); the tests run in file order, reads first, and `chain check` runs after.

btcli exits 0 on most failures and prints its JSON document either way: it is judged by what
the document says and by the chain file.
"""

from __future__ import annotations

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from tests.clients.conftest import (
    TAO,
    as_json,
    extrinsic_calls,
    fees_paid,
    run,
    schedule_fees,
    taoctl_json,
)
from wallet.ss58 import ss58_encode

pytestmark = pytest.mark.slow

ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]
WALLET = ("--wallet-name", "alice", "--wallet-hotkey", "default")


def btcli(btcli9, served, *args):
    return as_json(run(btcli9, served.home, *args, "--network", served.url, "--json-output"))


def sandbox(served):
    from chain.local.backend import LocalBackend

    return LocalBackend(served.path)


def head(served) -> int:
    backend = sandbox(served)
    try:
        return backend.chain.open_number() - 1
    finally:
        backend.close()


def figures_now(served) -> tuple[int, int, int]:
    """(Alice's free, her stake on //AliceHot in subnet 1, the subnet's price) now."""
    import amm

    backend = sandbox(served)
    try:
        return (backend.free_balance(ALICE), backend.stake(served.hotkey, ALICE, 1),
                amm.price_rao(backend.pool(1)))
    finally:
        backend.close()


def rao(tao: float) -> int:
    return round(tao * TAO)


def test_subnets_price_history(btcli9, served):
    """`subnets price` (4 h back, a point every 300 blocks): each point is the sandbox's price at
    that block, and the history is not flat."""
    doc = btcli(btcli9, served, "subnets", "price", "--netuid", "1")
    prices = doc["1"]["prices"]
    now = head(served)
    start = max(0, now - 1200)
    start -= start % 10
    points = sorted({b if b == now else b - b % 5 for b in range(start, now + 1, 300)})
    assert len(prices) == len(points) >= 5
    expected = [served.at[b].price_rao for b in points]
    assert [rao(p) for p in prices] == expected
    assert len(set(expected)) > 1


def test_wallet_balance(btcli9, served):
    doc = btcli(btcli9, served, "wallet", "balance", *WALLET[:2])
    (row,) = doc["balances"].values()
    free, _, _ = figures_now(served)
    assert row["coldkey"] == ss58_encode(ALICE)
    assert rao(row["free"]) == free


def test_stake_list(btcli9, served):
    doc = btcli(btcli9, served, "stake", "list", *WALLET[:2])
    positions = doc["stake_info"][ss58_encode(served.hotkey)]
    (position,) = [p for p in positions if p["netuid"] == 1]
    free, stake, price = figures_now(served)
    assert rao(position["stake_value"]) == stake
    assert rao(position["rate"]) == price
    assert rao(doc["free_balance"]) == free


def test_subnets_list(btcli9, served):
    doc = btcli(btcli9, served, "subnets", "list")
    backend = sandbox(served)
    try:
        netuids = backend.netuids()
    finally:
        backend.close()
    assert sorted(int(n) for n in doc["subnets"]) == sorted(netuids)
    _, _, price = figures_now(served)
    assert rao(doc["subnets"]["1"]["price"]) == price


def test_subnets_hyperparameters(btcli9, served):
    rows = btcli(btcli9, served, "subnets", "hyperparameters", "--netuid", "1")
    values = {r["hyperparameter"]: r["value"] for r in rows}
    backend = sandbox(served)
    try:
        ours = backend.hyperparameters(1)
    finally:
        backend.close()
    assert int(values["tempo"]) == ours["Tempo"]
    assert int(values["immunity_period"]) == ours["ImmunityPeriod"]
    assert int(values["min_allowed_weights"]) == ours["MinAllowedWeights"]


def test_wallet_overview(btcli9, served):
    doc = btcli(btcli9, served, "wallet", "overview", *WALLET[:2])
    text = str(doc)
    assert ss58_encode(served.hotkey) in text  # Alice's hotkey is UID 0 of subnet 1


def test_wallet_transfer_charges_the_fee(btcli9, served):
    """A transfer costs its amount plus the fee the chain recorded (TransactionFeePaid)."""
    before, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "wallet", "transfer", "--dest", ss58_encode(BOB), "--amount",
                "1", *WALLET[:2], "--no-prompt")
    assert doc.get("success") is True, doc
    block = head(served)
    (fee,) = fees_paid(served.path, ALICE, block)
    assert [fee] == schedule_fees(served.path, ALICE, block)
    after, _, _ = figures_now(served)
    assert after == before - TAO - fee


def _shielded_pair(served, inner: str) -> int:
    """The block holding Alice's carrier and, right after it, its inner `inner` call."""
    block = head(served)
    calls = [c for s, c in extrinsic_calls(served.path, block) if s == ALICE]
    assert calls[-2:] == ["MevShield.submit_encrypted", inner], calls
    return block


def test_stake_add_defaults_safe_and_shielded(btcli9, served):
    """`stake add` with btcli's defaults: add_stake_limit inside a MEV-shield carrier; the
    alpha received is taoctl's quote for the same block, to the rao."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "2")
    free, stake, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "add", "--netuid", "1", "--amount", "2", *WALLET,
                "--no-prompt")
    (ok,) = doc["staking_success"]["1"].values()
    assert ok is True, doc
    block = _shielded_pair(served, "SubtensorModule.add_stake_limit")
    free_after, stake_after, _ = figures_now(served)
    assert stake_after - stake == quote["amount_out_rao"]
    fees = fees_paid(served.path, ALICE, block)
    # the carrier's and the inner's, each the schedule's fee for its call and length
    assert len(fees) == 2 and fees == schedule_fees(served.path, ALICE, block)
    assert free_after == free - 2 * TAO - sum(fees)


def test_stake_remove_defaults_safe_and_shielded(btcli9, served):
    quote = taoctl_json(served.path, "quote", "unstake", "--netuid", "1", "--amount", "1")
    free, stake, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "remove", "--netuid", "1", "--amount", "1", *WALLET,
                "--no-prompt")
    assert all(op["success"] for op in doc), doc
    block = _shielded_pair(served, "SubtensorModule.remove_stake_limit")
    free_after, stake_after, _ = figures_now(served)
    assert stake - stake_after == TAO
    fees = fees_paid(served.path, ALICE, block)
    assert len(fees) == 2 and fees == schedule_fees(served.path, ALICE, block)
    assert free_after == free + quote["amount_out_rao"] - sum(fees)

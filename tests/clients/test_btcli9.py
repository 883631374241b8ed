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
    ALICE_TAKE,
    SECOND_HOT_URI,
    TAO,
    as_json,
    extrinsic_calls,
    fees_paid,
    run,
    schedule_fees,
    taoctl_json,
)
from wallet.keys import keypair_from_uri
from wallet.ss58 import ss58_encode

# one served chain whose flows run in file order (pyproject: `--dist loadfile`)
pytestmark = pytest.mark.slow

ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]
WALLET = ("--wallet-name", "alice", "--wallet-hotkey", "default")
SECOND = keypair_from_uri(SECOND_HOT_URI).public_key  # the wallet's hotkey "second"


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


def read(served, item: str, *key):
    """A storage item of the served chain now, as the sandbox holds it."""
    backend = sandbox(served)
    try:
        return backend.read(item, *key)
    finally:
        backend.close()


def sandbox_figure(served, method: str, *args):
    """One of the sandbox's typed reads (`burn_cost`, `lock_cost`, `neurons`, ...) now."""
    backend = sandbox(served)
    try:
        return getattr(backend, method)(*args)
    finally:
        backend.close()


def head_figure(served, method: str, *args):
    """One of the sandbox's typed reads at its last sealed block: the state the node serves at
    its head (a block's end; the open block's start-of-block work is not in it)."""
    backend = sandbox(served)
    try:
        return getattr(backend.at(backend.block_info().head_number), method)(*args)
    finally:
        backend.close()


def stake_of(served, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    return sandbox_figure(served, "stake", hotkey, coldkey, netuid)


def quote_json(served, *args: str) -> dict:
    """taoctl's dry-run quote (`taoctl stake ... --dry-run`) of Alice's wallet, this block."""
    doc = taoctl_json(served.path, *args, "--wallet-name", "alice", "--wallet-path",
                      str(served.wallets), "--dry-run", "-y")
    (quote,) = doc["quotes"]
    return quote


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


def test_subnets_price_current(btcli9, served):
    doc = btcli(btcli9, served, "subnets", "price", "--netuid", "1", "--current")
    _, _, price = figures_now(served)
    assert rao(doc["1"]["stats"]["current_price"]) == price, doc


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


def test_subnets_show(btcli9, served):
    """`subnets show` (the metagraph of one subnet): every UID's hotkey, coldkey and alpha
    stake, the pool's reserves, the price and the burn, each the sandbox's at the node's head
    (the burn decays every block: the open block's is not the head's)."""
    doc = btcli(btcli9, served, "subnets", "show", "--netuid", "1", "--no-prompt")
    neurons = head_figure(served, "neurons", 1)
    _, _, price = figures_now(served)
    pool = head_figure(served, "pool", 1)
    assert doc["netuid"] == 1 and doc["owner"] == ss58_encode(ALICE)
    assert [(u["uid"], u["hotkey"], u["coldkey"], rao(u["alpha_stake"])) for u in doc["uids"]] \
        == [(n["uid"], ss58_encode(n["hotkey"]), ss58_encode(n["coldkey"]), n["stake_rao"])
            for n in neurons]
    assert rao(doc["rate"]) == price
    assert (rao(doc["tao_pool"]), rao(doc["alpha_pool"])) == (pool.tao_reserve,
                                                               pool.alpha_reserve)
    assert rao(doc["registration_cost"]) == head_figure(served, "burn_cost", 1)
    assert doc["tempo"]["tempo"] == read(served, "SubtensorModule.Tempo", 1)


def test_sudo_get_take(btcli9, served):
    """`sudo get-take` reads `Delegates`: //AliceHot's take, lowered while the chain was
    built."""
    doc = btcli(btcli9, served, "sudo", "get-take", *WALLET)
    assert read(served, "SubtensorModule.Delegates", served.hotkey) == ALICE_TAKE
    assert round(doc["current_take"] * 65535) == ALICE_TAKE


def test_subnets_burn_cost(btcli9, served):
    doc = btcli(btcli9, served, "subnets", "burn-cost")
    assert doc["burn_cost"]["rao"] == sandbox_figure(served, "lock_cost")


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


def _plain(served, call: str) -> int:
    """The one extrinsic of Alice in the head block is `call`, unshielded; its fee (the
    schedule's)."""
    block = head(served)
    assert [c for s, c in extrinsic_calls(served.path, block) if s == ALICE] == [call]
    (fee,) = fees_paid(served.path, ALICE, block)
    assert [fee] == schedule_fees(served.path, ALICE, block)
    return fee


def test_stake_add_unsafe_unshielded(btcli9, served):
    """`stake add --unsafe --no-mev-protection`: a plain add_stake, taoctl's quote."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "1")
    free, stake, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "add", "--netuid", "1", "--amount", "1", *WALLET,
                "--unsafe", "--no-mev-protection", "--no-prompt")
    (ok,) = doc["staking_success"]["1"].values()
    assert ok is True, doc
    fee = _plain(served, "SubtensorModule.add_stake")
    free_after, stake_after, _ = figures_now(served)
    assert (free_after, stake_after) == (free - TAO - fee, stake + quote["amount_out_rao"])


def test_stake_add_safe_partial_unshielded(btcli9, served):
    """`stake add --safe --tolerance 0.1 --partial --no-mev-protection`: add_stake_limit with
    allow_partial; within the tolerance it fills whole, as taoctl quotes."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "1")
    free, stake, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "add", "--netuid", "1", "--amount", "1", *WALLET,
                "--safe", "--tolerance", "0.1", "--partial", "--no-mev-protection",
                "--no-prompt")
    (ok,) = doc["staking_success"]["1"].values()
    assert ok is True, doc
    fee = _plain(served, "SubtensorModule.add_stake_limit")
    call = read_last_call_args(served)
    assert call["allow_partial"] is True
    free_after, stake_after, _ = figures_now(served)
    assert (free_after, stake_after) == (free - TAO - fee, stake + quote["amount_out_rao"])


def test_stake_remove_unsafe_unshielded(btcli9, served):
    quote = taoctl_json(served.path, "quote", "unstake", "--netuid", "1", "--amount", "1")
    free, stake, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "remove", "--netuid", "1", "--amount", "1", *WALLET,
                "--unsafe", "--no-mev-protection", "--no-prompt")
    assert all(op["success"] for op in doc), doc
    fee = _plain(served, "SubtensorModule.remove_stake")
    free_after, stake_after, _ = figures_now(served)
    assert (free_after, stake_after) == (free + quote["amount_out_rao"] - fee, stake - TAO)


def read_last_call_args(served) -> dict:
    """The arguments of the head block's last extrinsic, as the chain recorded them."""
    import json
    import sqlite3

    conn = sqlite3.connect(served.path)
    try:
        (call,) = conn.execute("SELECT call FROM extrinsics WHERE block = ? ORDER BY idx DESC "
                               "LIMIT 1", (head(served),)).fetchone()
    finally:
        conn.close()
    return json.loads(call)[2]


def _shielded_fees(served, inner: str) -> list[int]:
    """The fees of Alice's carrier and its inner `inner` call in the head block: each the
    schedule's fee for its call and length (TransactionFeePaid)."""
    block = _shielded_pair(served, inner)
    fees = fees_paid(served.path, ALICE, block)
    assert len(fees) == 2 and fees == schedule_fees(served.path, ALICE, block)
    return fees


def test_subnets_create_shielded(btcli9, served):
    """`subnets create` (MEV-shielded by default): register_network_with_identity inside a
    carrier; Alice pays the sandbox's lock cost of that block and both fees, owns the new
    subnet with //AliceHot, and its identity is what was given."""
    before = sandbox_figure(served, "netuids")
    lock = sandbox_figure(served, "lock_cost")
    free, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "subnets", "create", *WALLET, "--subnet-name", "two",
                "--github-repo", "https://github.com/a/b", "--subnet-contact", "dev@example.com",
                "--subnet-url", "https://example.com", "--discord-handle", "x",
                "--description", "d", "--logo-url", "https://example.com/l.png",
                "--additional-info", "none", "--no-prompt")
    assert doc.get("success") is True, doc
    (netuid,) = set(sandbox_figure(served, "netuids")) - set(before)
    assert doc["netuid"] == netuid
    fees = _shielded_fees(served, "SubtensorModule.register_network_with_identity")
    assert read(served, "SubtensorModule.SubnetOwner", netuid) == ALICE
    assert read(served, "SubtensorModule.SubnetOwnerHotkey", netuid) == served.hotkey
    identity = read(served, "SubtensorModule.SubnetIdentitiesV3", netuid)
    assert identity["subnet_name"] == "two", identity
    free_after, _, _ = figures_now(served)
    assert free_after == free - lock - sum(fees)


def test_subnets_start(btcli9, served):
    """`subnets start` (no JSON output): start_call, immortal, its fee charged; the sandbox
    records the subnet's first emission block."""
    netuid = max(sandbox_figure(served, "netuids"))
    assert read(served, "SubtensorModule.FirstEmissionBlockNumber", netuid) is None
    free, _, _ = figures_now(served)
    proc = run(btcli9, served.home, "subnets", "start", "--netuid", str(netuid), *WALLET,
               "--no-prompt", "--network", served.url)
    assert "Successfully started" in proc.stdout, (proc.stdout[-1500:], proc.stderr[-1500:])
    block = head(served)
    assert [c for s, c in extrinsic_calls(served.path, block) if s == ALICE] == [
        "SubtensorModule.start_call"]
    assert read(served, "SubtensorModule.FirstEmissionBlockNumber", netuid) == block + 1
    (fee,) = fees_paid(served.path, ALICE, block)
    assert [fee] == schedule_fees(served.path, ALICE, block)
    assert figures_now(served)[0] == free - fee


def test_subnets_register_safe(btcli9, served):
    """`subnets register` with its default (safe: register_limit): the hotkey "second" gets
    the next UID of subnet 1 for the sandbox's burn of that block, plus the fee."""
    burn = sandbox_figure(served, "burn_cost", 1)
    uids = len(sandbox_figure(served, "neurons", 1))
    free, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "subnets", "register", "--netuid", "1", "--wallet-name",
                "alice", "--wallet-hotkey", "second", "--no-prompt")
    assert doc.get("success") is True, doc
    block = head(served)
    assert [c for s, c in extrinsic_calls(served.path, block) if s == ALICE] == [
        "SubtensorModule.register_limit"]
    assert read(served, "SubtensorModule.Uids", 1, SECOND) == uids
    assert doc["msg"].endswith(f"UID {uids}")
    (fee,) = fees_paid(served.path, ALICE, block)
    assert [fee] == schedule_fees(served.path, ALICE, block)
    assert figures_now(served)[0] == free - burn - fee


def test_stake_move_shielded(btcli9, served):
    """`stake move` across subnets (//AliceHot on 1 to "second" on the new subnet): 1 alpha
    leaves, taoctl's quote of the same move for the same block arrives, to the rao."""
    netuid = max(sandbox_figure(served, "netuids"))
    quote = quote_json(served, "stake", "move", "--to", ss58_encode(SECOND), "--origin-netuid",
                       "1", "--dest-netuid", str(netuid), "--amount", "1", "--unsafe")
    origin = stake_of(served, served.hotkey, ALICE, 1)
    dest = stake_of(served, SECOND, ALICE, netuid)
    free, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "move", "--wallet-name", "alice", "--hotkey",
                "default", "--origin-netuid", "1", "--dest-netuid", str(netuid), "--dest",
                ss58_encode(SECOND), "--amount", "1", "--no-prompt")
    assert doc.get("success") is True, doc
    fees = _shielded_fees(served, "SubtensorModule.move_stake")
    assert origin - stake_of(served, served.hotkey, ALICE, 1) == TAO
    assert stake_of(served, SECOND, ALICE, netuid) - dest == quote["received_rao"]
    assert figures_now(served)[0] == free - sum(fees)


def test_stake_transfer_shielded(btcli9, served):
    """`stake transfer` to Bob within subnet 1: the alpha changes coldkey, exactly."""
    mine = stake_of(served, served.hotkey, ALICE, 1)
    bobs = stake_of(served, served.hotkey, BOB, 1)
    free, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "transfer", "--wallet-name", "alice", "--hotkey",
                "default", "--origin-netuid", "1", "--dest-netuid", "1", "--dest",
                ss58_encode(BOB), "--amount", "1", "--no-prompt")
    assert doc.get("success") is True, doc
    fees = _shielded_fees(served, "SubtensorModule.transfer_stake")
    assert mine - stake_of(served, served.hotkey, ALICE, 1) == TAO
    assert stake_of(served, served.hotkey, BOB, 1) - bobs == TAO
    assert figures_now(served)[0] == free - sum(fees)


def test_stake_swap_safe_and_shielded(btcli9, served):
    """`stake swap` with its defaults (swap_stake_limit in a carrier): taoctl's quote of the
    same swap for the same block, to the rao."""
    netuid = max(sandbox_figure(served, "netuids"))
    quote = quote_json(served, "stake", "swap", "--origin-netuid", "1", "--dest-netuid",
                       str(netuid), "--amount", "1")
    origin = stake_of(served, served.hotkey, ALICE, 1)
    dest = stake_of(served, served.hotkey, ALICE, netuid)
    free, _, _ = figures_now(served)
    doc = btcli(btcli9, served, "stake", "swap", *WALLET, "--origin-netuid", "1",
                "--dest-netuid", str(netuid), "--amount", "1", "--no-prompt")
    assert doc.get("success") is True, doc
    fees = _shielded_fees(served, "SubtensorModule.swap_stake_limit")
    assert origin - stake_of(served, served.hotkey, ALICE, 1) == TAO
    assert stake_of(served, served.hotkey, ALICE, netuid) - dest == quote["received_rao"]
    assert figures_now(served)[0] == free - sum(fees)

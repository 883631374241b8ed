"""`taoctl wallet transfer` and `wallet balance` against the sandbox chain, through the CLI."""

from __future__ import annotations

import json

import pytest

from wallet.directory import Wallet
from wallet.keys import keypair_from_uri

pytestmark = pytest.mark.in_process  # what the commands do: no process start-up needed

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
BOB_START = 1_000_000 * TAO


@pytest.fixture
def funded(taoctl, tmp_path):
    """A dev chain and a wallet 'default' (unencrypted coldkey) funded with 100 TAO."""
    taoctl.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "sandbox.db")
    taoctl.json("chain", "init")
    keypair = keypair_from_uri("//TransferTester")
    Wallet("default", taoctl.home / ".bittensor" / "wallets").write_coldkey(keypair, None)
    taoctl.json("chain", "fund", keypair.ss58_address, "100")
    return keypair.ss58_address


def _balances(taoctl, *addresses):
    doc = taoctl.json("wallet", "balance", *[a for x in addresses for a in ("--ss58", x)])
    return [r["free_rao"] for r in doc["balances"]]


def test_balance_of_the_wallet(taoctl, funded):
    doc = taoctl.json("wallet", "balance")
    assert doc["balances"][0]["ss58"] == funded
    assert doc["balances"][0]["free_rao"] == 100 * TAO and doc["total_rao"] == 100 * TAO


def test_transfer_and_receipt(taoctl, funded):
    doc = taoctl.json("wallet", "transfer", "--dest", BOB, "--amount", "1.5", "-y")
    assert doc["receipt"]["success"] and doc["call"] == "Balances.transfer_keep_alive"
    fee = doc["fee_rao"]
    assert doc["amount_rao"] == 1_500_000_000 and fee == doc["receipt"]["fee_rao"] > 0
    # spec 461's schedule for this call and its encoded length (nonce 0)
    from chain.local.extrinsic import Call
    from chain.local.transaction_payment import fee_length
    from chain.rules import fees
    from wallet.ss58 import ss58_decode

    call = Call("Balances", "transfer_keep_alive", {"dest": ss58_decode(BOB),
                                                    "value": 1_500_000_000})
    assert fee == fees.transaction_fee(call.id, fee_length(call, 0), fees.SPEC_461)
    assert doc["source_balance_after_rao"] == 98_500_000_000 - fee
    assert doc["receipt"]["extrinsic_id"] == "1-3"  # after the two inherents and the fund
    assert _balances(taoctl, funded, BOB) == [98_500_000_000 - fee, BOB_START + 1_500_000_000]
    assert taoctl.json("chain", "check")["ok"]


def test_transfer_all_keeps_the_deposit_unless_allow_death(taoctl, funded):
    doc = taoctl.json("wallet", "transfer", "--dest", BOB, "--all", "-y")
    first_fee = doc["receipt"]["fee_rao"]
    assert first_fee == doc["fee_rao"] > 0
    assert doc["amount_rao"] == 100 * TAO - first_fee - 500  # the fee is left to pay
    assert _balances(taoctl, funded) == [500]
    proc = taoctl.run("wallet", "transfer", "--dest", BOB, "--all", "-y", "--json")
    assert proc.returncode != 0  # 500 rao cannot even pay the fee
    assert _balances(taoctl, funded) == [500]
    assert taoctl.json("chain", "check")["ok"]


def test_allow_death_recycles_dust(taoctl, funded):
    status = taoctl.json("chain", "status")
    doc = taoctl.json("wallet", "transfer", "--dest", BOB, "--amount", "99.9998335",
                      "--allow-death", "-y")
    fee = doc["receipt"]["fee_rao"]
    left = 100 * TAO - fee - 99_999_833_500  # below the 500-rao deposit: dust
    assert 0 < left < 500
    assert doc["reaped"] and doc["dust_recycled_rao"] == left
    assert _balances(taoctl, funded) == [0]
    assert taoctl.json("chain", "status")["issuance_rao"] == status["issuance_rao"] - left - fee
    assert taoctl.json("chain", "check")["ok"]


@pytest.mark.parametrize("args,kind", [
    # leaves 166,400 rao: the fee (about 166,250) is withdrawn first, then < 500 rao is left
    (("--dest", BOB, "--amount", "99.9998336"), "NotExpendable"),
    (("--dest", BOB, "--amount", "100"), "InsufficientBalance"),  # the fee comes first
    (("--dest", BOB, "--amount", "500"), "InsufficientBalance"),
    (("--dest", "5NotAnAddress", "--amount", "1"), "InvalidAddress"),
    (("--dest", BOB, "--amount", "0"), "InvalidAmount"),
    (("--dest", BOB, "--amount", "1e3"), "InvalidAmount"),
    (("--dest", BOB, "--amount", "1", "--all"), "UsageError"),
    (("--dest", "5C4hrfjw9DjXZTzV3MwzrrAr9P1MJhSrvWGWqi1eSuyUpnhM", "--amount", "0.0000001"),
     "ExistentialDeposit"),
])
def test_bad_transfers_change_nothing(taoctl, funded, args, kind):
    before = taoctl.json("chain", "status")
    proc = taoctl.run("wallet", "transfer", *args, "-y", "--json")
    refused_by_the_chain = kind in ("NotExpendable", "InsufficientBalance", "ExistentialDeposit")
    assert proc.returncode == (4 if refused_by_the_chain else 2), proc.stderr  # README: 4
    assert json.loads(proc.stdout)["error"]["type"] == kind
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    after = taoctl.json("chain", "status")
    assert after == before  # no extrinsic, no nonce, no balance changed
    assert _balances(taoctl, funded) == [100 * TAO]


def test_confirmation_without_terminal_refuses(taoctl, funded):
    proc = taoctl.run("wallet", "transfer", "--dest", BOB, "--amount", "1")
    assert proc.returncode == 2 and "-y" in proc.stderr
    assert _balances(taoctl, funded) == [100 * TAO]


def test_balance_bad_address(taoctl, funded):
    proc = taoctl.run("wallet", "balance", "--ss58", "xyz", "--json")
    assert proc.returncode == 2 and json.loads(proc.stdout)["error"]["type"] == "InvalidAddress"


def test_balance_includes_stake_at_spot_value(taoctl, tmp_path):
    """On the mainnet preset the large holders also stake; the balance shows its TAO value."""
    import hashlib

    from chain.local.backend import LocalBackend
    from wallet.ss58 import ss58_encode

    db = tmp_path / "main.db"
    taoctl.json("chain", "init", "--preset", "mainnet", "--chain-db", db)
    holder = hashlib.blake2b(b"taoctl/mainnet/holder/0", digest_size=32).digest()
    row = taoctl.json("wallet", "balance", "--ss58", ss58_encode(holder), "--chain-db",
                      db)["balances"][0]
    backend = LocalBackend(db)
    try:
        expected = sum(r["value_rao"] for r in backend.stake_info(holder))
        free = backend.read("System.Account", holder).free
    finally:
        backend.close()
    assert row["staked_rao"] == expected > 0
    assert row["free_rao"] == free and row["total_rao"] == free + expected


def test_balance_of_all_wallets(taoctl, funded):
    other = keypair_from_uri("//SecondWallet")
    Wallet("zeta", taoctl.home / ".bittensor" / "wallets").write_coldkey(other, None)
    taoctl.json("chain", "fund", other.ss58_address, "7")
    doc = taoctl.json("wallet", "balance", "--all")
    rows = {r["wallet"]: r["free_rao"] for r in doc["balances"]}
    assert rows == {"default": 100 * TAO, "zeta": 7 * TAO}
    assert doc["total_rao"] == 107 * TAO

"""`taoctl wallet transfer` on a terminal: the confirmation table, and "no" changes nothing."""

from __future__ import annotations

import re
import sys

import pytest

from tests.pty_helper import run_on_a_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
TAO = 10**9


@pytest.fixture
def funded(taoctl, tmp_path):
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    taoctl.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "sandbox.db")
    taoctl.json("chain", "init")
    keypair = keypair_from_uri("//TtyTester")
    Wallet("default", taoctl.home / ".bittensor" / "wallets").write_coldkey(keypair, None)
    taoctl.json("chain", "fund", keypair.ss58_address, "10")
    return keypair.ss58_address


def run_in_pty(taoctl, args: list[str], question: str, answer: str) -> tuple[int, str]:
    """Run taoctl on a pseudo-terminal, answer one question, return (exit code, output)."""
    return run_on_a_terminal(taoctl.env, args, [(re.escape(question), answer)], timeout=30)


def _dry_run_fee(taoctl) -> int:
    """The transfer's transaction fee as its dry run quotes it (spec 461 on the sandbox)."""
    doc = taoctl.json("wallet", "transfer", "--dest", BOB, "--amount", "2", "--dry-run")
    fee = doc.get("quote", doc)["fee_rao"]
    assert fee > 0
    return fee


def _last_fee(taoctl, address) -> int:
    """The fee the account's last extrinsic paid, from the chain file's receipt."""
    import json
    import sqlite3

    from wallet.ss58 import ss58_decode

    conn = sqlite3.connect(taoctl.env["TAOCTL_CHAIN_DB"])
    try:
        (events,) = conn.execute("SELECT events FROM extrinsics WHERE signer = ? ORDER BY "
                                 "nonce DESC LIMIT 1", (ss58_decode(address),)).fetchone()
    finally:
        conn.close()
    (fee,) = [e["args"]["actual_fee"] for e in json.loads(events)
              if e["name"] == "TransactionFeePaid"]
    return fee


def _free(taoctl, address):
    return taoctl.json("wallet", "balance", "--ss58", address)["balances"][0]["free_rao"]


def test_answering_no_signs_nothing(taoctl, funded):
    code, output = run_in_pty(taoctl, ["wallet", "transfer", "--dest", BOB, "--amount", "2"],
                              "Sign and submit this transfer?", "n")
    assert code == 6, output
    fee = _dry_run_fee(taoctl)
    after = f"{(8 * TAO - fee) // TAO}.{(8 * TAO - fee) % TAO:09d}"  # 8 TAO less the fee
    assert "Balance after" in output and BOB in output and after in output, (after, output)
    assert _free(taoctl, funded) == 10 * TAO
    assert taoctl.json("chain", "status")["extrinsics"] == 1  # only the funding transfer


def test_answering_yes_transfers(taoctl, funded):
    code, output = run_in_pty(taoctl, ["wallet", "transfer", "--dest", BOB, "--amount", "2"],
                              "Sign and submit this transfer?", "y")
    assert code == 0, output
    assert _free(taoctl, funded) == 8 * TAO - _last_fee(taoctl, funded)

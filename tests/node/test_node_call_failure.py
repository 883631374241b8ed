"""Through `taoctl node serve` with today's fees: a signed `taoctl call` whose call is included
and fails. The quote passes, then (while the confirmation is open) the account spends its TAO
elsewhere, so the runtime refuses the stake when it dispatches it: inside a MEV-shield
`submit_encrypted` carrier by default, in the clear with --no-mev-shield. The CLI reports the
chain's error name, exits 4, names the fee paid (the carrier's included), and the account
lost that fee and nothing else."""

from __future__ import annotations

import json
import logging

import pytest

from chain.local.accounts import dev_signer
from chain.local.chain import LocalChain
from chain.pallets import taoctl as taoctl_items
from chain.remote import open_remote
from tests.conftest import new_wallets, owned_subnets, sandbox_session
from tests.node.conftest import serving
from wallet import Wallet
from wallet.keys import keypair_from_uri

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
ME = keypair_from_uri("//HatchCallFailure")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(taoctl, url, netuid, owner): a wallet 'me' (//HatchCallFailure); fees are spec 461's;
    the chain file is served by a node."""
    t = sandbox_session(tmp_path_factory, "call-failure")
    with LocalChain.open(t.env["TAOCTL_CHAIN_DB"]) as chain, chain.writing() as state:
        state.set(taoctl_items.FEE_SCHEDULE, "spec461")
    wallets = t.home / ".bittensor" / "wallets"
    Wallet("me", wallets).write_coldkey(ME, None)
    (owner,) = new_wallets(t, "owner")
    (n,) = owned_subnets(t, owner, 1, funded_locks=2)
    t.json("chain", "advance", "1")
    with serving(t.env["TAOCTL_CHAIN_DB"]) as (_, url, _):
        yield t, url, n, owner


def _spend_while_confirming(monkeypatch, url: str) -> dict:
    """The confirmation prompt answers yes after 'me' sent all but 10 TAO elsewhere (another
    client, another extrinsic): the state moved between the quote and the signature."""
    from chain.factory import keypair_signer
    from cli.output import Output

    seen: dict = {}

    def confirm(self, question: str, default: bool = False) -> None:
        backend = open_remote(url)
        spend = backend.free_balance(ME.public_key) - 10 * TAO
        receipt = backend.submit_call(keypair_signer(ME), "Balances", "transfer_keep_alive",
                                      {"dest": bytes(31) + b"\x01", "value": spend})
        assert receipt.success
        seen["after_transfer"] = (backend.free_balance(ME.public_key),
                                  backend.nonce(ME.public_key))

    monkeypatch.setattr(Output, "confirm", confirm)
    return seen


@pytest.mark.parametrize("shield", [True, False], ids=["mev-shielded", "in-the-clear"])
def test_a_call_the_runtime_refuses_on_dispatch(served, monkeypatch, caplog, shield):
    t, url, n, owner = served
    caplog.set_level(logging.INFO, logger="taoctl.node")
    args = ["call", "SubtensorModule", "add_stake", f"hotkey={owner['hotkey_ss58']}",
            f"netuid={n}", f"amount_staked={15 * TAO}", "--wallet-name", "me",
            "--network", url, *([] if shield else ["--no-mev-shield"])]
    assert open_remote(url).submit_call(dev_signer("Alice"), "Balances", "transfer_keep_alive",
                                        {"dest": ME.public_key, "value": 30 * TAO}).success
    dry = t.json(*args, "--dry-run")["quote"]
    assert dry["refusal"] is None and dry.get("mev_shield", False) is shield
    seen = _spend_while_confirming(monkeypatch, url)
    proc = t.run(*args, "--json")  # no -y: the (patched) confirmation is asked
    assert proc.returncode == 4, proc.stderr
    error = json.loads(proc.stdout)["error"]
    assert error["type"] == "NotEnoughBalanceToStake", error
    assert "add_stake failed on chain (NotEnoughBalanceToStake)" in error["message"]
    assert ("carried by a MEV-shield submit_encrypted that landed" in error["message"]) \
        is shield
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    fee = int(error["message"].split("fee paid ")[1].split(" rao")[0])
    assert fee == dry["fee_rao"] > 0  # the quoted fee: the inner's and the carrier's
    balance, nonce = seen["after_transfer"]
    backend = open_remote(url)
    assert backend.free_balance(ME.public_key) == balance - fee  # the fee, nothing else
    assert backend.nonce(ME.public_key) == nonce + (2 if shield else 1)
    stakes = t.json("stake", "list", "--ss58", ME.ss58_address, "--network", url)["stakes"]
    assert stakes == []
    assert ("MevShield carrier" in caplog.text) is shield  # the node decrypted the inner call
    bob = t.json("query", "System", "Account", BOB, "--network", url)  # untouched bystander
    assert bob["value"]["free"] == 1_000_000 * TAO

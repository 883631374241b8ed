"""The MEV shield from taoctl's side (issue 15): stake trades through `taoctl node serve` go
encrypted to `MevShield.NextKey` inside a `submit_encrypted` carrier (NODE-461 §3), the node
decrypts and applies them, and the receipt, the balances and the nonces say what happened."""

from __future__ import annotations

import json
import logging
import re

import pytest

import chain.shield
from chain.node.server import NodeServer
from chain.remote.backend import SHIELD_MISSING
from chain.remote.connection import forget, open_remote
from tests.remote.test_remote_parity import setup_chains
from wallet.keys import keypair_from_uri

SETUP = [["subnet", "create", "--wallet-name", "owner", "--subnet-name", "shield", "-y"],
         ["subnet", "start", "--netuid", "1", "--wallet-name", "owner", "-y"],
         ["subnet", "register", "--netuid", "1", "--wallet-name", "staker", "--unsafe", "-y"]]
STAKER = keypair_from_uri("//Paritystaker")
INNER = re.compile(r"MevShield carrier 0x[0-9a-f]{64}: inner (0x[0-9a-f]{64}) "
                   r"\(SubtensorModule\.(\w+)\) applied at (\d+)/(\d+)")


@pytest.fixture()
def served(taoctl, tmp_path, caplog):
    """A node serving a dev chain with subnet 1 started and `staker` registered on it."""
    caplog.set_level(logging.INFO, logger="taoctl.node")
    paths = setup_chains(taoctl, tmp_path, "owner", "staker")
    taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["node"])
    for args in SETUP:
        taoctl.json(*args)
    taoctl.json("chain", "advance", "1")
    server = NodeServer(paths["node"], "127.0.0.1", 0)
    _, stop = server.start_thread()
    url = f"ws://127.0.0.1:{server.port}"
    try:
        yield url
    finally:
        forget(url)
        stop()


def cli(taoctl, url, *args):
    proc = taoctl.run(*args, "--network", url, "--json")
    return proc.returncode, json.loads(proc.stdout) if proc.stdout.strip() else None


def stake_rows(taoctl, url):
    return cli(taoctl, url, "stake", "list", "--wallet-name", "staker")[1]["stakes"]


def account(url, who: bytes) -> tuple[int, int]:
    """(free balance, next nonce) as the node says."""
    backend = open_remote(url)
    return backend.free_balance(who), backend.nonce(who)


def fee_of(url, who: bytes, quote: dict) -> int:
    from chain.backend import Call

    backend = open_remote(url)
    pallet, _, name = quote["call"].partition(".")
    call = backend.build_call(pallet, name, {k: (bytes.fromhex(v[2:]) if isinstance(v, str)
                                                 and v.startswith("0x") else v)
                                            for k, v in quote["args"].items()})
    assert isinstance(call, Call) and backend.shields(call)
    return backend.estimate_fee(who, call)


def trade(taoctl, url, op: str, amount: str, *extra: str):
    """Dry run, then the same trade; (quote, executed entry, receipt)."""
    args = ["stake", op, "--netuid", "1", "--amount", amount, "--wallet-name", "staker", *extra]
    code, dry = cli(taoctl, url, *args, "--dry-run")
    assert code == 0 and dry["quotes"][0]["refusal"] is None, dry
    code, done = cli(taoctl, url, *args, "-y")
    assert code == 0, done
    executed = done["executed"][0]
    return dry["quotes"][0], executed, executed["receipt"]


def test_shielded_add_and_remove_equal_their_quotes(taoctl, served, caplog):
    who = STAKER.public_key
    balance, nonce = account(served, who)
    quote, executed, receipt = trade(taoctl, served, "add", "1")
    fee = fee_of(served, who, quote)
    assert executed["received_rao"] == executed["quoted_rao"] == quote["received_rao"]
    after, nonce_after = account(served, who)
    assert balance - after == quote["amount_rao"] + receipt["fee_rao"]
    assert receipt["fee_rao"] == fee == quote["tx_fee_rao"]  # the inner's and carrier's
    assert quote["mev_shield"] is True and quote["tx_fee_token"] == "TAO"
    assert nonce_after == nonce + 2  # the carrier at n, the inner at n+1
    logged = INNER.findall(caplog.text)
    assert logged == [(receipt["extrinsic_hash"], "add_stake_limit",
                       str(receipt["block_number"]), str(receipt["extrinsic_index"]))]
    alpha = stake_rows(taoctl, served)[0]["alpha_rao"]
    assert alpha == quote["received_rao"]

    # the next trade takes its nonces from the node again: n+2 and n+3, nothing reused
    quote, executed, receipt = trade(taoctl, served, "remove", f"{alpha // 2} rao")
    assert executed["received_rao"] == executed["quoted_rao"] == quote["received_rao"]
    final, nonce_final = account(served, who)
    assert final - after == quote["received_rao"] - receipt["fee_rao"]
    assert receipt["fee_rao"] == quote["tx_fee_rao"] and quote["mev_shield"] is True
    assert nonce_final == nonce + 4
    assert [name for _, name, _, _ in INNER.findall(caplog.text)] == \
        ["add_stake_limit", "remove_stake_limit"]


def test_no_mev_shield_sends_in_the_clear(taoctl, served, caplog):
    who = STAKER.public_key
    _, nonce = account(served, who)
    code, dry = cli(taoctl, served, "stake", "add", "--netuid", "1", "--amount", "1",
                    "--wallet-name", "staker", "--no-mev-shield", "--dry-run")
    assert code == 0 and dry["quotes"][0]["refusal"] is None
    quote, executed, receipt = trade(taoctl, served, "add", "1", "--no-mev-shield")
    assert executed["received_rao"] == quote["received_rao"]
    assert quote["mev_shield"] is False and receipt["fee_rao"] == quote["tx_fee_rao"]
    assert account(served, who)[1] == nonce + 1
    assert INNER.findall(caplog.text) == []


@pytest.mark.in_process
def test_a_carrier_whose_inner_extrinsic_fails_is_reported(taoctl, served, caplog,
                                                           monkeypatch):
    """The plaintext is not a valid extrinsic: the node includes the carrier alone."""
    real = chain.shield.encrypt
    monkeypatch.setattr(chain.shield, "encrypt",
                        lambda key, plaintext, nonce=None: real(key, plaintext[:-1], nonce))
    who = STAKER.public_key
    balance, nonce = account(served, who)
    code, doc = cli(taoctl, served, "stake", "add", "--netuid", "1", "--amount", "1",
                    "--wallet-name", "staker", "-y")
    assert code == 4 and doc["error"]["type"] == SHIELD_MISSING, doc
    assert "carrier landed" in doc["error"]["message"]
    assert "the call was not executed" in doc["error"]["message"]
    after, nonce_after = account(served, who)
    assert nonce_after == nonce + 1  # the carrier's nonce only: the next trade uses n+1
    carrier_fee = re.search(r"\(\d+-\d+, its fee (\d+) rao paid\)", doc["error"]["message"])
    assert carrier_fee and balance - after == int(carrier_fee[1])  # only the carrier's fee
    assert not stake_rows(taoctl, served)
    assert "is not valid" in caplog.text and INNER.findall(caplog.text) == []
    monkeypatch.setattr(chain.shield, "encrypt", real)
    quote, executed, _ = trade(taoctl, served, "add", "1")  # n+1 is free and used
    assert executed["received_rao"] == quote["received_rao"]
    assert account(served, who)[1] == nonce + 3

"""Through `taoctl node serve`: the escape hatch (`query`, `call`) and a proxy staking for a
coldkey, the same commands as on the sandbox with `--network ws://...`, their outcomes read back
from the chain file the node serves."""

from __future__ import annotations

import json

import pytest

from tests.conftest import new_wallets, owned_subnets
from tests.node.test_node_cli import start, stop

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.fixture()
def served(taoctl, tmp_path):
    """A sandbox with 'owner' (a started subnet), 'cold' (100 TAO) and 'op' (5 TAO), served."""
    t = taoctl
    t.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "chain.db")
    t.json("chain", "init")
    owner, cold, op = new_wallets(t, "owner", "cold", "op")
    (n,) = owned_subnets(t, owner, 1, funded_locks=1)
    t.json("chain", "fund", cold["coldkey_ss58"], "100")
    t.json("chain", "fund", op["coldkey_ss58"], "5")
    proc, info = start(t, "--block-time", "0.2")
    try:
        yield t, info["url"], n, owner, cold, op
    finally:
        stop(proc)


def test_query_and_call_through_the_node(served):
    t, url, n, owner, cold, op = served
    net = ["--network", url]
    node = t.json("query", "System", "Account", cold["coldkey_ss58"], *net)
    assert node["value"]["free"] == 100 * TAO
    assert t.json("query", "SubtensorModule", "SubnetTAO", str(n), *net)["value"] == \
        t.json("query", "SubtensorModule", "SubnetTAO", str(n))["value"]
    args = ["call", "Balances", "transfer_keep_alive", f"dest={BOB}", f"value={TAO}",
            "--wallet-name", "cold", *net]
    dry = t.json(*args, "--dry-run")
    assert dry["quote"]["call_hex"].startswith("0x0503")
    before = t.json("query", "System", "Account", BOB, *net)["value"]["free"]
    done = t.json(*args, "-y")
    assert done["receipt"]["success"]
    assert t.json("query", "System", "Account", BOB)["value"]["free"] == before + TAO


def test_a_proxy_stakes_for_a_coldkey_through_the_node(served):
    t, url, n, owner, cold, op = served
    net = ["--network", url]
    added = t.json("proxy", "add", op["coldkey_ss58"], "Staking", "--wallet-name", "cold",
                   "-y", *net)
    assert added["receipt"]["success"]
    assert t.json("proxy", "list", cold["coldkey_ss58"], *net)["proxies"][0]["proxy_type"] == \
        "Staking"
    stake = ["stake", "add", "--netuid", str(n), "--amount", "10", "--hotkey-ss58",
             owner["hotkey_ss58"], "--wallet-name", "op", "--proxy-for", cold["coldkey_ss58"],
             "--unsafe", *net]
    dry = t.json(*stake, "--dry-run")
    assert dry["proxy"]["fee_payer"] == op["coldkey_ss58"]
    assert dry["proxy"]["wrapped"][0]["call_hex"]  # composed from the node's metadata
    done = t.json(*stake, "-y")
    got = done["executed"][0]["received_rao"]
    assert got == dry["quotes"][0]["received_rao"]
    held = json.dumps(t.json("stake", "list", "--wallet-name", "cold"))  # the chain file
    assert str(got) in held

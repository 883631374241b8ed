"""A proxy account stakes for a coldkey on the sandbox: `taoctl proxy add`, then `stake add
--proxy-for` signed by the proxy's wallet. The stake is the real coldkey's, the TAO leaves the
real coldkey, the proxy pays only its fee; the dry run shows the wrapped call and the payer;
refusals (not a proxy, a call the type filters) exit 4 with nothing changed."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Taoctl, new_wallets, owned_subnets

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """'owner' owns a started subnet; 'cold' (the real account) holds 100 TAO; 'op' (its
    operator) holds 5 TAO."""
    root = tmp_path_factory.mktemp("proxy-cli")
    home = root / "home"
    home.mkdir()
    t = Taoctl(home)
    t.env["TAOCTL_CHAIN_DB"] = str(root / "sandbox.db")
    t.json("chain", "init")
    from chain.local.chain import LocalChain
    from chain.pallets import taoctl

    with LocalChain.open(root / "sandbox.db") as chain_file, chain_file.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")  # today's fees (dev charges none)
    owner, cold, op = new_wallets(t, "owner", "cold", "op")
    (n,) = owned_subnets(t, owner, 1, funded_locks=1)
    t.json("chain", "fund", cold["coldkey_ss58"], "100")
    t.json("chain", "fund", op["coldkey_ss58"], "5")
    return t, n, owner, cold, op


def _free(t, name):
    return t.json("wallet", "balance", "--wallet-name", name)


def test_a_proxy_stakes_for_a_coldkey(chain):
    t, n, owner, cold, op = chain
    added = t.json("proxy", "add", op["coldkey_ss58"], "Staking", "--wallet-name", "cold", "-y")
    assert added["receipt"]["success"]
    listed = t.json("proxy", "list", cold["coldkey_ss58"])
    assert listed["proxies"] == [{"delegate": op["coldkey_ss58"], "proxy_type": "Staking",
                                  "delay": 0}]
    assert listed["deposit_rao"] == 93_000_000

    stake = ["stake", "add", "--netuid", str(n), "--amount", "10", "--hotkey-ss58",
             owner["hotkey_ss58"], "--wallet-name", "op", "--proxy-for", cold["coldkey_ss58"],
             "--unsafe"]
    dry = t.json(*stake, "--dry-run")
    assert dry["coldkey"] == cold["coldkey_ss58"]  # quoted for the real account
    assert dry["proxy"]["fee_payer"] == op["coldkey_ss58"]
    assert dry["proxy"]["real"] == cold["coldkey_ss58"]
    assert dry["proxy"]["wrapped"][0]["call"] == "Proxy.proxy"
    assert dry["proxy"]["wrapped"][0]["inner"] == "SubtensorModule.add_stake"
    assert dry["proxy"]["refusal"] is None
    quoted = dry["quotes"][0]["received_rao"]

    def free(who):
        return t.json("query", "System", "Account", who["coldkey_ss58"])["value"]["free"]

    cold_before, op_before = free(cold), free(op)
    done = t.json(*stake, "-y")
    fee = done["executed"][0]["receipt"]["fee_rao"]
    assert fee > 0 and fee == dry["proxy"]["wrapped"][0]["fee_rao"]  # quoted fee == charged
    assert op_before - free(op) == fee  # the proxy pays the fee, and only the fee
    assert cold_before - free(cold) == 10 * TAO  # the real account pays the stake
    assert done["matches_quote"] is True
    got = done["executed"][0]["received_rao"]
    assert got == quoted
    cold_stakes = t.json("stake", "list", "--wallet-name", "cold")
    op_stakes = t.json("stake", "list", "--wallet-name", "op")
    text = json.dumps(cold_stakes)
    assert str(got) in text  # the alpha is the real coldkey's
    assert str(got) not in json.dumps(op_stakes)


def test_not_a_proxy_and_a_filtered_call_are_refused(chain):
    t, n, owner, cold, op = chain
    dest = owner["coldkey_ss58"]
    # op is a Staking proxy of cold: a transfer is filtered
    proc = t.run("wallet", "transfer", "--dest", dest, "--amount", "1", "--wallet-name", "op",
                 "--proxy-for", cold["coldkey_ss58"], "--dry-run", "--json")
    assert proc.returncode == 4, proc.stderr
    assert json.loads(proc.stdout)["proxy"]["refusal"]["error"] == "CallFiltered"
    # owner is nobody's proxy
    proc = t.run("stake", "add", "--netuid", str(n), "--amount", "1", "--hotkey-ss58",
                 owner["hotkey_ss58"], "--wallet-name", "owner", "--proxy-for",
                 cold["coldkey_ss58"], "--unsafe", "-y", "--json")
    assert proc.returncode == 4, proc.stderr
    assert "NotProxy" in proc.stdout + proc.stderr
    proc = t.run("stake", "add", "--netuid", str(n), "--amount", "1", "--wallet-name", "op",
                 "--proxy-type", "Staking", "--dry-run")
    assert proc.returncode == 2 and "--proxy-type needs --proxy-for" in proc.stderr

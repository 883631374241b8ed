"""`taoctl runtime` on the sandbox: the APIs and methods of the spec-461 V15 metadata listed with
their types, calls answered by the node's own runtime-API code with the figures the typed
commands show, at a past block too, the chain file untouched, and bad input one line with
the README's exit code."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from tests.conftest import me_staked_on_the_owner

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """(taoctl, netuid, me, owner, block before the stake): 'me' staked 50 TAO on the
    owner's hotkey in a started subnet."""
    return me_staked_on_the_owner(tmp_path_factory, "runtime-cli")


def test_no_arguments_lists_the_apis(chain):
    t, *_ = chain
    doc = t.json("runtime")
    apis = {a["api"]: a["methods"] for a in doc["apis"]}
    assert "get_dynamic_info" in apis["SubnetInfoRuntimeApi"]
    assert sum(len(m) for m in apis.values()) == 122  # every method of the 461 metadata
    human = t.run("runtime")
    assert human.returncode == 0
    assert any(line.split() == ["SwapRuntimeApi", "4", "methods"]
               for line in human.stdout.splitlines())


def test_an_api_lists_its_methods_with_argument_types(chain):
    t, *_ = chain
    doc = t.json("runtime", "SwapRuntimeApi")
    sim = next(m for m in doc["methods"] if m["method"] == "sim_swap_tao_for_alpha")
    assert sim["inputs"] == [{"name": "netuid", "type": "NetUid"},
                             {"name": "tao", "type": "TaoBalance"}]
    assert sim["output"] == "SimSwapResult"
    human = t.run("runtime", "StakeInfoRuntimeApi").stdout
    assert "get_stake_info_for_hotkey_coldkey_netuid(hotkey_account: AccountId32, " \
        "coldkey_account: AccountId32, netuid: NetUid) -> Option<StakeInfo>" in human


def test_answers_are_the_typed_commands_figures(chain):
    t, n, me, owner, _ = chain
    price = t.json("runtime", "SwapRuntimeApi", "current_alpha_price", str(n))
    assert price["value"] == t.json("subnet", "show", "--netuid", n)["price_rao"]
    assert price["params_hex"] == "0x" + n.to_bytes(2, "little").hex()
    assert price["result_hex"] == "0x" + price["value"].to_bytes(8, "little").hex()
    info = t.json("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_hotkey_coldkey_netuid",
                  owner["hotkey_ss58"], me["coldkey_ss58"], str(n))["value"]
    held = t.json("stake", "list", "--wallet-name", "me")["stakes"]
    assert [info["stake"]] == [r["alpha_rao"] for r in held if r["netuid"] == n]
    assert info["hotkey"] == owner["hotkey_ss58"] and info["coldkey"] == me["coldkey_ss58"]
    nonce = t.json("runtime", "AccountNonceApi", "account_nonce", me["coldkey_ss58"])
    assert nonce["value"] == 1 and nonce["output"] == "u32"
    cost = t.json("runtime", "SubnetRegistrationRuntimeApi", "get_network_registration_cost")
    assert cost["value"] == t.json("subnet", "burn-cost")["lock_cost_rao"]
    dyn = t.json("runtime", "SubnetInfoRuntimeApi", "get_dynamic_info", str(n))["value"]
    show = t.json("subnet", "show", "--netuid", n)
    assert (dyn["netuid"], dyn["tao_in"], dyn["alpha_in"]) == \
        (n, show["tao_in_rao"], show["alpha_in_rao"])
    assert dyn["owner_coldkey"] == owner["coldkey_ss58"]


def test_human_output_is_the_decoded_structure(chain):
    t, n, me, owner, _ = chain
    proc = t.run("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_coldkey",
                 me["coldkey_ss58"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("StakeInfoRuntimeApi.get_stake_info_for_coldkey(5")
    assert "-> Vec<StakeInfo>" in " ".join(lines[:2])
    assert f"- hotkey: {owner['hotkey_ss58']}" in lines
    assert f"  netuid: {n}" in lines
    dyn = t.run("runtime", "SubnetInfoRuntimeApi", "get_dynamic_info", str(n)).stdout
    assert "subnet_identity:" in dyn or "subnet_identity: none" in dyn
    assert "token_symbol: " in dyn and "[" not in dyn.split("token_symbol: ")[1].split()[0]
    moving = next(line for line in dyn.splitlines() if line.startswith("moving_price"))
    assert re.fullmatch(r"moving_price: -?\d+(\.\d+)?", moving)  # the decimal, not its bits


def test_at_a_past_block(chain):
    t, n, me, owner, before = chain
    args = ("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_coldkey", me["coldkey_ss58"])
    assert t.json(*args)["value"]
    then = t.json(*args, "--at-block", str(before))
    assert then["value"] == [] and then["block"] == before
    price = ("runtime", "SwapRuntimeApi", "current_alpha_price", str(n))
    assert t.json(*price, "--at-block", str(before))["value"] != t.json(*price)["value"]


def test_the_chain_file_is_left_as_it_was(chain):
    t, n, *_ = chain
    t.json("runtime", "SubnetInfoRuntimeApi", "get_all_dynamic_info")
    with sqlite3.connect(t.env["TAOCTL_CHAIN_DB"]) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    assert "node_extrinsics" not in tables  # the node's own table: only `node serve` makes it
    assert t.json("chain", "check")["ok"]


@pytest.mark.parametrize("args, code, says", [
    (["runtime", "NoSuchApi"], 2, "no runtime API 'NoSuchApi'"),
    (["runtime", "Swap"], 2, "did you mean SwapRuntimeApi"),
    (["runtime", "SwapRuntimeApi", "price", "1"], 2, "SwapRuntimeApi has no method 'price'"),
    (["runtime", "SwapRuntimeApi", "current_alpha_price"], 2, "takes 1 argument(s)"),
    (["runtime", "SwapRuntimeApi", "current_alpha_price", "x"], 2,
     "netuid (NetUid): not a whole number"),
    (["runtime", "AccountNonceApi", "account_nonce", "5FHn"], 2, "not an ss58 address"),
    (["runtime", "SubnetInfoRuntimeApi", "get_subnets_info"], 5,
     "does not implement it"),
    (["runtime", "SwapRuntimeApi", "current_alpha_price", "77"], 5,
     "subnet 77 does not exist"),
])
def test_bad_input_is_one_line_with_the_readme_code(chain, args, code, says):
    t, *_ = chain
    proc = t.run(*args)
    assert proc.returncode == code, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    as_json = t.run(*args, "--json")
    assert as_json.returncode == code
    assert json.loads(as_json.stdout)["error"]["exit_code"] == code

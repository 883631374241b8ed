"""Through `taoctl node serve`: `taoctl runtime` (the node's V15 metadata fetched over the wire,
arguments encoded, answers decoded) gives the sandbox's answers byte for byte on the same chain
file, now and at a past block; `taoctl query --at-block B` reads B's state at B's hash, and a
block beyond the kept history is one line naming why (exit 5 through a node, 2 on the
sandbox)."""

from __future__ import annotations

import json

import pytest

from chain.remote import open_remote
from tests.conftest import Taoctl, me_staked_on_the_owner, sandbox_keeping
from tests.node.conftest import serving

TAO = 10**9


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(taoctl, url, netuid, me, owner, B): 'me' staked 50 TAO on the owner's hotkey after
    block B; the chain file served by a node."""
    t, n, me, owner, b = me_staked_on_the_owner(tmp_path_factory, "runtime-node")
    with serving(t.env["TAOCTL_CHAIN_DB"]) as (_, url, _):
        yield t, url, n, me, owner, b


def _calls(n: int, me: dict, owner: dict) -> list[tuple[str, ...]]:
    return [("SwapRuntimeApi", "current_alpha_price", str(n)),
            ("SwapRuntimeApi", "current_alpha_price_all"),
            ("SwapRuntimeApi", "sim_swap_tao_for_alpha", str(n), str(7 * TAO)),
            ("StakeInfoRuntimeApi", "get_stake_info_for_coldkey", me["coldkey_ss58"]),
            ("StakeInfoRuntimeApi", "get_stake_info_for_coldkeys",
             f"{me['coldkey_ss58']},{owner['coldkey_ss58']}"),
            ("StakeInfoRuntimeApi", "get_stake_info_for_hotkey_coldkey_netuid",
             owner["hotkey_ss58"], me["coldkey_ss58"], str(n)),
            ("SubnetInfoRuntimeApi", "get_dynamic_info", str(n)),
            ("SubnetInfoRuntimeApi", "get_subnet_hyperparams", str(n)),
            ("SubnetInfoRuntimeApi", "get_subnet_hyperparams_v3", str(n)),
            ("SubnetInfoRuntimeApi", "get_metagraph", str(n)),
            ("NeuronInfoRuntimeApi", "get_neurons_lite", str(n)),
            ("AccountNonceApi", "account_nonce", me["coldkey_ss58"]),
            ("SubnetRegistrationRuntimeApi", "get_network_registration_cost"),
            ("Core", "version")]


def test_the_node_lists_what_the_sandbox_lists(served):
    """The same metadata both ways; the sandbox also marks which methods its runtime-API
    code answers, and the node (that same code) answers exactly those."""
    from chain.remote import RemoteError

    t, url, *_ = served
    assert t.json("runtime", "--network", url) == t.json("runtime")
    apis = [a["api"] for a in t.json("runtime")["apis"]]
    answered = {}
    for api in apis:
        here = t.json("runtime", api)["methods"]
        there = t.json("runtime", api, "--network", url)["methods"]
        assert [{**m, "answered": None} for m in here] == there
        answered.update({f"{api}_{m['method']}": m["answered"] for m in here})
    assert 40 < sum(answered.values()) < len(answered) == 122
    node = open_remote(url)
    for name, yes in answered.items():
        try:
            node.runtime_call(name, b"")
            missing = False
        except RemoteError as exc:
            missing = "is not found" in str(exc)
        assert missing is not yes, name
    human = t.run("runtime", "SubnetInfoRuntimeApi").stdout
    assert "get_subnets_info() -> Vec<Option<SubnetInfo>>  (not answered by the sandbox)" \
        in human
    assert "get_dynamic_info(netuid: NetUid) -> Option<DynamicInfo>\n" in human


def test_every_call_through_the_node_is_the_sandboxs_answer(served):
    t, url, n, me, owner, _ = served
    head = t.json("chain", "history")["head"]  # the node answers at its head: its state
    for call in _calls(n, me, owner):
        here = t.json("runtime", *call, "--at-block", str(head))
        there = t.json("runtime", *call, "--network", url)
        assert there == here, call  # args, params, result bytes, decoded value, block
    stake = t.json("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_coldkey",
                   me["coldkey_ss58"], "--network", url)["value"]
    held = t.json("stake", "list", "--wallet-name", "me", "--network", url)["stakes"]
    assert [(s["netuid"], s["stake"]) for s in stake] == \
        [(r["netuid"], r["alpha_rao"]) for r in held]


def test_at_a_past_block_through_the_node(served):
    t, url, n, me, owner, b = served
    for call in _calls(n, me, owner)[:7]:
        here = t.json("runtime", *call, "--at-block", str(b))
        there = t.json("runtime", *call, "--at-block", str(b), "--network", url)
        assert there == here and there["block"] == b, call
    then = t.json("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_coldkey",
                  me["coldkey_ss58"], "--at-block", str(b), "--network", url)
    assert then["value"] == []


@pytest.mark.parametrize("args, code, says", [
    (["runtime", "SwapRuntimeApi", "price"], 2, "SwapRuntimeApi has no method 'price'"),
    (["runtime", "Nope"], 2, "no runtime API 'Nope'"),
    (["runtime", "SwapRuntimeApi", "current_alpha_price", "70000"], 2, "outside u16"),
    (["runtime", "SubnetInfoRuntimeApi", "get_subnets_info"], 5, "does not implement it"),
    (["runtime", "SwapRuntimeApi", "current_alpha_price", "77"], 5, "subnet 77 does not exist"),
])
def test_bad_input_through_the_node_is_one_line(served, args, code, says):
    t, url, *_ = served
    proc = t.run(*args, "--network", url)
    assert proc.returncode == code, proc.stderr
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


# -- query --at-block through the node ------------------------------------------------------------
def test_query_at_a_block_hash_through_the_node(served):
    t, url, n, me, owner, b = served
    item = ("query", "SubtensorModule", "SubnetTAO", str(n))
    now = t.json(*item, "--network", url)
    then = t.json(*item, "--at-block", str(b), "--network", url)
    assert then == t.json(*item, "--at-block", str(b))  # the sandbox's kept history
    assert then["block"] == b and now["block"] > b
    assert now["value"] - then["value"] >= 49 * TAO  # the stake's TAO went into the pool
    account = ("query", "System", "Account", me["coldkey_ss58"])
    assert t.json(*account, "--at-block", str(b), "--network", url)["value"]["free"] == 100 * TAO
    proc = t.run(*item, "--at-block", "99999999", "--network", url, "--json")
    assert proc.returncode == 2 and "not sealed yet" in json.loads(proc.stdout)["error"][
        "message"]


def test_query_beyond_the_kept_history(tmp_path):
    t = sandbox_keeping(tmp_path, keep=10, advance=40)
    item = ("query", "Balances", "TotalIssuance")
    with serving(tmp_path / "sandbox.db") as (_, url, _):
        assert t.json(*item, "--at-block", "35", "--network", url)["block"] == 35
        proc = t.run(*item, "--at-block", "5", "--network", url)
    assert proc.returncode == 5, proc.stderr
    assert "has discarded the state of block 5" in proc.stderr
    assert "archive node" in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    proc = t.run(*item, "--at-block", "5")  # the sandbox names its retention
    assert proc.returncode == 2
    assert "State already discarded for block 5" in proc.stderr
    assert "last 10 blocks" in proc.stderr


def test_the_readme_commands_run_as_written(served):
    """The README's `taoctl runtime` block, its placeholders filled in: the sandbox's and
    the served node's (port, block) where it names them."""
    import re
    import shlex
    from pathlib import Path

    t, url, n, me, owner, b = served
    assert n == 1  # the README's examples name subnet 1
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("<!-- runtime APIs and the hatch's --at-block")[1].split(
        "<!-- end hatch -->")[0]
    (block,) = re.findall(r"```bash\n(.*?)```", section, re.S)
    lines = [shlex.split(line, comments=True) for line in block.splitlines()]
    assert len(lines) == 5
    for words in lines:
        assert words[:2] == ["taoctl", "runtime"]
        args = [{"<ss58>": me["coldkey_ss58"], "ws://127.0.0.1:9944": url,
                 "1200": str(b)}.get(w, w) for w in words[1:]]
        proc = t.run(*args)
        assert proc.returncode == 0, (words, proc.stderr)
        assert proc.stdout.strip()


@pytest.mark.in_process
def test_a_node_without_v15_metadata_is_one_line(node, taoctl, monkeypatch):
    """A runtime older than the V15 metadata API answers None: its APIs' types are unknown,
    so nothing is called (exit 5), and the listing says the same."""
    import chain.remote.backend as remote_backend
    from chain.node import runtime_api

    _, url, _ = node
    monkeypatch.setattr(remote_backend, "_CATALOGUES", {})
    monkeypatch.setitem(runtime_api.HANDLERS, "Metadata_metadata_at_version",
                        lambda view, params: b"\x00")
    for args in (["runtime"], ["runtime", "SwapRuntimeApi", "current_alpha_price", "0"]):
        proc = taoctl.run(*args, "--network", url)
        assert proc.returncode == 5, proc.stderr
        assert "offers no V15 metadata" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1


def test_end_to_end_with_the_installed_commands(served):
    """The installed `taoctl` against a `taoctl node serve` process over the same file: a
    runtime call and a storage read at block B give what the sandbox gives."""
    from tests.node.test_node_cli import start, stop

    t, _, n, me, owner, b = served
    user = Taoctl(t.home)  # a subprocess per command, as a user runs them
    user.env.update({k: v for k, v in t.env.items() if k.startswith("TAOCTL_")})
    proc, info = start(user)
    try:
        url = info["url"]
        call = ("runtime", "StakeInfoRuntimeApi", "get_stake_info_for_coldkey",
                me["coldkey_ss58"])
        head = t.json("chain", "history")["head"]  # the node answers at its head
        assert user.json(*call, "--network", url) == t.json(*call, "--at-block", str(head))
        item = ("query", "SubtensorModule", "SubnetTAO", str(n), "--at-block", str(b))
        assert user.json(*item, "--network", url) == t.json(*item)
        human = user.run("runtime", "SwapRuntimeApi", "current_alpha_price", str(n),
                         "--network", url)
        assert human.returncode == 0 and human.stdout.startswith(
            f"SwapRuntimeApi.current_alpha_price({n}) -> u64")
    finally:
        assert stop(proc) == 0


def test_a_method_the_node_cannot_answer_is_one_line_naming_why(served):
    """A runtime-API method the node does not implement: `taoctl runtime` reads the node's
    own error object and says the runtime does not implement it (exit 4 or 5, one line)."""
    t, url, *_ = served
    methods = t.json("runtime", "SubnetInfoRuntimeApi")["methods"]
    missing = next(m["method"] for m in methods if not m["answered"] and not m["inputs"])
    proc = t.run("runtime", "SubnetInfoRuntimeApi", missing, "--network", url, "--json")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    error = json.loads(proc.stdout or proc.stderr.strip().splitlines()[-1])["error"]
    assert error["message"] == (f"the runtime could not answer SubnetInfoRuntimeApi_{missing}: "
                                "the runtime does not implement it"), error

"""The escape hatch on the sandbox: `query` reads what the typed commands read, `call` signs
any declared call through the pipeline (dry run with call hex, receipt, state changed exactly),
arguments parsed against their kinds with one clear line, and `explain` knows every error name
of the spec-461 metadata."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Taoctl

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    root = tmp_path_factory.mktemp("hatch-cli")
    home = root / "home"
    home.mkdir()
    t = Taoctl(home)
    t.env["TAOCTL_CHAIN_DB"] = str(root / "sandbox.db")
    t.json("chain", "init")
    me = t.json("wallet", "create", "--wallet-name", "me", "--no-use-password", "-y")
    t.json("chain", "fund", me["coldkey_ss58"], "10")
    return t, me


def test_query_reads_what_wallet_balance_reads(chain):
    t, me = chain
    balance = t.json("wallet", "balance", "--wallet-name", "me")
    doc = t.json("query", "System", "Account", me["coldkey_ss58"])
    assert doc["value"]["free"] == 10 * TAO
    assert str(10 * TAO) in json.dumps(balance)
    assert t.json("query", "SubtensorModule", "SubnetTAO", "0")["value_kind"] == "u64"


def test_query_at_a_past_block(chain):
    t, me = chain
    first = t.json("query", "System", "Account", BOB)
    opened, before = first["block"], first["value"]["free"]  # the open block, read so far
    assert opened == t.json("chain", "history")["head"] + 1
    t.json("call", "Balances", "transfer_keep_alive", f"dest={BOB}", f"value={TAO}",
           "--wallet-name", "me", "-y")
    t.json("chain", "advance", "1")
    now = t.json("query", "System", "Account", BOB)["value"]["free"]
    assert now == before + TAO
    # the state at a block is its end: the transfer is in the block it was included in
    past = t.json("query", "System", "Account", BOB, "--at-block", str(opened))
    assert past["value"]["free"] == before + TAO and past["block"] == opened
    earlier = t.json("query", "System", "Account", BOB, "--at-block", str(opened - 1))
    assert earlier["value"]["free"] == before and earlier["block"] == opened - 1
    number = t.json("query", "System", "Number", "--at-block", str(opened))
    assert number["value"] == opened


def test_call_signs_through_the_pipeline(chain):
    t, me = chain
    args = ["call", "Balances", "transfer_keep_alive", f"dest={BOB}", f"value={TAO}",
            "--wallet-name", "me"]
    before = t.json("query", "System", "Account", BOB)["value"]["free"]
    dry = t.json(*args, "--dry-run")
    assert dry["quote"]["call_hex"].startswith("0x0503")  # Balances 5, transfer_keep_alive 3
    assert dry["quote"]["refusal"] is None
    assert t.json("query", "System", "Account", BOB)["value"]["free"] == before
    done = t.json(*args, "-y")
    assert done["receipt"]["success"]
    assert t.json("query", "System", "Account", BOB)["value"]["free"] == before + TAO
    refused = t.run("call", "Balances", "transfer_keep_alive", f"dest={BOB}",
                    f"value={1000 * TAO}", "--wallet-name", "me", "--dry-run", "--json")
    assert refused.returncode == 4
    assert json.loads(refused.stdout)["quote"]["refusal"]["error"] == "InsufficientBalance"


@pytest.mark.parametrize("args, says", [
    (["query", "SubtensorModule", "SubnetTAO", "x"], "not a whole number"),
    (["query", "SubtensorModule", "SubnetTAO", "70000"], "outside u16"),
    (["query", "SubtensorModule", "SubnetTAO"], "takes 1 key"),
    (["query", "SubtensorModule", "SubnetTao", "1"], "did you mean"),
    (["query", "System", "Account", "5FHn"], "ss58"),
    (["call", "Balances", "transfer_keep_alive", f"dest={BOB}", "--wallet-name", "me", "-y"],
     "needs value="),
    (["call", "Balances", "transfer_keep_alive", f"dest={BOB}", "value=１", "--wallet-name",
      "me", "-y"], "not a whole number"),
    (["call", "Balances", "transfer_keep_alive", f"dest={BOB}", "value=1", "keep=true",
      "--wallet-name", "me", "-y"], "no argument 'keep'"),
    (["call", "Balances", "transfer_all", f"dest={BOB}", "keep_alive=yes", "--wallet-name",
      "me", "-y"], "true or false"),
    (["explain", "NoSuchError"], "no error named"),
])
def test_bad_arguments_are_one_line_exit_2(chain, args, says):
    t, _ = chain
    proc = t.run(*args)
    assert proc.returncode == 2, (args, proc.stderr)
    assert says in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_explain_covers_every_error_name_in_the_metadata(chain):
    from chain.factory import error_docs

    t, _ = chain
    names = sorted(error_docs())
    assert len(names) > 380
    for name in names[:: max(1, len(names) // 12)]:  # a spread of them through the CLI
        doc = t.json("explain", name)
        assert doc["error"] == name and doc["in_metadata"] and doc["advice"]
    doc = t.json("explain", "slippagetoohigh")
    assert doc["meanings"][0]["doc"].startswith("Slippage is too high")
    assert "--tolerance" in doc["advice"]


def test_explain_in_process_for_every_name(monkeypatch, capsys):
    """Every name of the metadata (and of taoctl's list) explains, with advice, exit 0."""
    from chain.errors import NAMES
    from chain.factory import error_docs
    from cli.main import main

    for name in sorted(set(error_docs()) | set(NAMES)):
        with pytest.raises(SystemExit) as done:
            main(["explain", name, "--json"])
        assert done.value.code == 0, name
        doc = json.loads(capsys.readouterr().out)
        assert doc["error"] == name and doc["advice"]

"""Every state-changing command goes through one pipeline: `--dry-run --json` gives exactly one
JSON document holding the quote, a refusal is part of the quote (exit 4), and checks run in the
chain's order."""

from __future__ import annotations

import json

import pytest

from tests.conftest import new_wallets, owned_subnets, sandbox_session, staker_on

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev chain: 'owner' owns two started subnets, 'staker' is registered on the first and
    holds stake there, with 200 TAO funded."""
    t = sandbox_session(tmp_path_factory, "pipeline-cli", in_process=False)
    owner, staker = new_wallets(t, "owner", "staker")
    t.json("chain", "fund", staker["coldkey_ss58"], "200")
    nets = owned_subnets(t, owner, 2, funded_locks=32)
    staker_on(t, nets[0])
    t.json("subnet", "create", "--wallet-name", "owner", "-y")  # a third subnet, not started
    return t, nets, staker, owner


def commands(nets, staker, owner):
    a, b = (str(n) for n in nets)
    me = ["--wallet-name", "staker"]
    return [
        ["stake", "add", "--netuid", a, "--amount", "1", *me],
        ["stake", "remove", "--netuid", a, "--amount", "1", *me],
        ["stake", "move", "--to", owner["hotkey_ss58"], "--origin-netuid", a, "--amount", "1",
         *me],
        ["stake", "transfer", "--dest", BOB, "--origin-netuid", a, "--amount", "1", *me],
        ["stake", "swap", "--origin-netuid", a, "--dest-netuid", b, "--amount", "1", *me],
        ["wallet", "transfer", "--dest", BOB, "--amount", "1", *me],
        ["subnet", "create", "--wallet-name", "owner"],
        ["subnet", "start", "--netuid", str(nets[-1] + 1), "--wallet-name", "owner"],
        ["subnet", "register", "--netuid", b, *me],
        ["weights", "set", "--netuid", a, "--uids", "1", "--weights", "1", *me],
        ["chain", "fund", BOB, "1"],
    ]


def test_every_state_changing_command_dry_runs_to_one_json_quote(chain):
    t, nets, staker, owner = chain
    before = t.json("wallet", "balance", "--wallet-name", "staker")
    for args in commands(nets, staker, owner):
        proc = t.run(*args, "--dry-run", "--json")
        assert proc.returncode == 0, (args, proc.stdout, proc.stderr)
        doc = json.loads(proc.stdout)  # exactly one document: json.loads refuses more
        assert doc["dry_run"] is True, args
        quotes = doc.get("quotes") or [doc["quote"]]
        assert quotes and all("call" in q and q.get("refusal") is None for q in quotes), args
    assert t.json("wallet", "balance", "--wallet-name", "staker") == before  # nothing signed


def test_an_over_tolerance_dry_run_prints_its_quote_and_exits_4(chain):
    t, nets, _, _ = chain
    proc = t.run("stake", "add", "--netuid", str(nets[0]), "--amount", "150", "--wallet-name",
                 "staker", "--dry-run", "--json")
    assert proc.returncode == 4, proc.stderr
    q, = json.loads(proc.stdout)["quotes"]
    assert q["refusal"]["error"] == "SlippageTooHigh"
    assert 0 < q["refusal"]["largest_passing_rao"] < 150 * TAO
    assert q["limit_price_rao"] and q["received_rao"] > 0 and q["call"].endswith("_limit")


def test_over_balance_and_over_tolerance_follows_the_chain_order(chain):
    """subtensor's validate_add_stake checks the limit before the balance: the refusal is
    SlippageTooHigh, the quote notes the balance and bounds the largest amount by it."""
    t, nets, _, _ = chain
    free = t.json("wallet", "balance", "--wallet-name", "staker")["balances"][0]["free_rao"]
    proc = t.run("stake", "add", "--netuid", str(nets[0]), "--amount", "5000", "--wallet-name",
                 "staker", "--dry-run", "--json")
    assert proc.returncode == 4
    q, = json.loads(proc.stdout)["quotes"]
    assert q["refusal"]["error"] == "SlippageTooHigh"
    assert q["refusal"]["largest_passing_rao"] <= free - 500
    assert any("NotEnoughBalanceToStake" in note for note in q["notes"])


def test_an_over_balance_stake_says_not_enough_balance(chain):
    t, nets, _, _ = chain
    free = t.json("wallet", "balance", "--wallet-name", "staker")["balances"][0]["free_rao"]
    args = ["stake", "add", "--netuid", str(nets[0]), "--amount", f"{free + TAO} rao",
            "--wallet-name", "staker", "--unsafe"]
    proc = t.run(*args, "--dry-run", "--json")
    assert proc.returncode == 4
    refusal = json.loads(proc.stdout)["quotes"][0]["refusal"]
    assert refusal["error"] == "NotEnoughBalanceToStake"
    assert refusal["largest_passing_rao"] == free - 500
    proc = t.run(*args, "-y", "--json")
    assert proc.returncode == 4 and "NotEnoughBalanceToStake" in proc.stdout + proc.stderr


def test_a_transfer_refused_for_insufficient_balance_exits_4(chain):
    t, _, _, _ = chain
    args = ["wallet", "transfer", "--dest", BOB, "--amount", "100000", "--wallet-name",
            "staker"]
    proc = t.run(*args, "-y", "--json")
    assert proc.returncode == 4 and "InsufficientBalance" in proc.stdout + proc.stderr
    proc = t.run(*args, "--dry-run", "--json")
    assert proc.returncode == 4
    assert json.loads(proc.stdout)["quote"]["refusal"]["error"] == "InsufficientBalance"


def test_refusals_of_the_other_commands_are_part_of_their_quote(chain):
    """subnet start of a started subnet, a fund larger than //Alice holds: the dry run prints
    the quote with the chain's error in it and exits 4; without --dry-run nothing is signed."""
    t, nets, _, _ = chain
    for args in (["subnet", "start", "--netuid", str(nets[0]), "--wallet-name", "owner"],
                 ["chain", "fund", BOB, "100000000"]):
        proc = t.run(*args, "--dry-run", "--json")
        assert proc.returncode == 4, (args, proc.stdout, proc.stderr)
        refusal = json.loads(proc.stdout)["quote"]["refusal"]
        assert refusal["error"] and refusal["why"], args
        done = t.run(*args, "-y", "--json")
        assert done.returncode == 4
        assert json.loads(done.stdout)["error"]["type"] == refusal["error"]


def test_every_signed_command_takes_the_one_option_bundle(chain):
    t, _, _, _ = chain
    bundle = ("--wallet-name", "--wallet-path", "--hotkey", "--password-file",
              "--password-stdin", "--network", "--chain-db", "--period", "--dry-run", "--yes",
              "--json")
    for command in (["stake", "add"], ["stake", "remove"], ["stake", "move"],
                    ["stake", "transfer"], ["stake", "swap"], ["wallet", "transfer"],
                    ["subnet", "create"], ["subnet", "start"], ["subnet", "register"],
                    ["weights", "set"], ["chain", "fund"]):
        text = t.run(*command, "--help", env={"COLUMNS": "300"}).stdout
        wanted = bundle[5:] if command == ["chain", "fund"] else bundle
        assert all(option in text for option in wanted), (command, text)

"""Clear at a glance (issue 13, observations 6 and 8, the display part): amounts never cut with
"…", charts scaled to their data, red errors and highlighted slippage unless NO_COLOR,
hyperparameters in human units, one meaning of "Updated", long per-subnet lists summarised,
and the owner burn explained where it shows."""

from __future__ import annotations

import re

import pytest

from cli.chart import line_chart
from tests.pty_helper import run_on_a_terminal

COLOUR = re.compile(r"\x1b\[(?:[0-9]+;)*(?:3[0-9]|9[0-7])(?:;[0-9]+)*m")  # a foreground colour
CUT_AMOUNT = re.compile(r"[τα][0-9,.]*…|…[0-9,.]+")


def test_a_small_price_move_fills_the_chart():
    lines = line_chart([1, 2, 3], [1.002, 1.004, 1.006], width=20, height=6,
                       y_format=lambda v: f"{v:.3f}")
    rows = [line for line in lines if "┤" in line]
    assert rows[0].startswith("1.006") and rows[-1].startswith("1.002")
    plotted = [line.split("┤", 1)[1] for line in rows]
    assert plotted[0].strip() and plotted[-1].strip()  # the line spans the whole height
    flat = line_chart([1, 2], [1.0, 1.0], width=20, height=5)
    assert not any(line.startswith("0 ") for line in flat)


@pytest.fixture
def flow(taoctl):
    """The README's dev flow up to the epochs, unencrypted (this is about display)."""
    t = taoctl
    t.json("chain", "init")
    me = t.json("wallet", "create", "--wallet-name", "me", "--hotkey", "validator",
                "--no-use-password", "-y")
    t.json("wallet", "new-hotkey", "--wallet-name", "me", "--hotkey", "miner",
           "--no-use-password", "-y")
    t.json("chain", "fund", me["coldkey_ss58"], "3000")
    me_args = ["--wallet-name", "me"]
    t.json("subnet", "create", *me_args, "--hotkey", "validator", "--subnet-name", "demo", "-y")
    t.json("subnet", "start", "--netuid", "1", *me_args, "-y")
    t.json("subnet", "register", "--netuid", "1", *me_args, "--hotkey", "miner", "-y")
    t.json("stake", "add", "--netuid", "1", "--amount", "2", *me_args, "--hotkey", "validator",
           "--tolerance", "0.01", "-y")
    t.json("chain", "advance", "360")
    t.json("weights", "set", "--netuid", "1", "--uids", "1", "--weights", "1", *me_args,
           "--hotkey", "validator", "-y")
    t.json("chain", "advance", "720")
    return t


WIDE = {"COLUMNS": "120"}


@pytest.mark.in_process
def test_no_amount_is_cut_at_120_columns(flow):
    wide = WIDE
    for command in (["subnet", "list"], ["subnet", "show", "--netuid", "1"],
                    ["subnet", "metagraph", "--netuid", "1"], ["stake", "list", "--wallet-name",
                                                                 "me"],
                    ["wallet", "balance", "--wallet-name", "me"], ["chain", "status"],
                    ["chain", "halving"], ["subnet", "hyperparameters", "--netuid", "1"]):
        proc = flow.run(*command, env=wide)
        assert proc.returncode == 0, proc.stderr
        assert not CUT_AMOUNT.search(proc.stdout), f"{command} cuts an amount:\n{proc.stdout}"


@pytest.mark.in_process
def test_the_owner_burn_is_explained_where_it_shows(flow):
    """Observation 6: the owner's miner earns incentive 1.0 and emission, yet its stake stays
    0; the rows say the chain burns it."""
    wide = WIDE
    meta = flow.json("subnet", "metagraph", "--netuid", "1")
    assert all(r["owner_burned"] for r in meta["neurons"])  # both hotkeys are the owner's
    miner = meta["neurons"][1]
    assert miner["incentive"] > 0 and miner["stake_rao"] == 0
    shown = flow.run("subnet", "metagraph", "--netuid", "1", env=wide).stdout
    assert "†" in shown and "burns the incentive" in shown
    assert "burns the incentive" in flow.run("subnet", "show", "--netuid", "1",
                                             env=wide).stdout


@pytest.mark.in_process
def test_updated_means_blocks_ago_everywhere(flow):
    wide = WIDE
    meta = flow.json("subnet", "metagraph", "--netuid", "1")
    shown = flow.run("subnet", "metagraph", "--netuid", "1", env=wide).stdout
    weights = flow.json("weights", "show", "--netuid", "1")
    validator = weights["validators"][0]
    assert validator["blocks_since_update"] == meta["block"] - validator["last_update"]
    table = flow.run("weights", "show", "--netuid", "1", env=wide).stdout
    assert "Updated (blocks ago)" in table and "ago)" in shown
    assert re.search(rf"\b{validator['blocks_since_update']}\b", table)


@pytest.mark.in_process
def test_hyperparameters_in_human_units(flow):
    wide = WIDE
    hyper = flow.run("subnet", "hyperparameters", "--netuid", "1", env=wide).stdout
    raw = flow.json("subnet", "hyperparameters", "--netuid", "1")["hyperparameters"]
    assert str(raw["burn_increase_mult"]) not in hyper and "×1.26" in hyper
    assert "Hyperparameter" in hyper and "Meaning" in hyper
    assert isinstance(raw["burn_increase_mult"], int) and isinstance(raw["burn"], int)


@pytest.mark.in_process
def test_a_mainnet_epoch_lists_the_largest_subnets_and_how_many_more(taoctl):
    taoctl.json("chain", "init", "--preset", "mainnet")
    proc = taoctl.run("chain", "advance", "361", env={"COLUMNS": "120"}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    entries = re.findall(r"SN\d+ α", proc.stdout)
    assert 0 < len(entries) <= 12, proc.stdout
    assert re.search(r"… and \d+ more", proc.stdout)


def test_errors_are_red_on_a_terminal_unless_no_color(taoctl):
    env = {k: v for k, v in taoctl.environment().items() if k != "NO_COLOR"}
    code, output = run_on_a_terminal(env, ["subnet", "show", "--netuid", "x"], [],
                                     term="xterm")
    assert code == 2 and "\x1b[31mError:" in output, output
    code, output = run_on_a_terminal({**env, "NO_COLOR": "1"},
                                     ["subnet", "show", "--netuid", "x"], [])
    assert code == 2 and "\x1b[" not in output and "Error:" in output


def test_slippage_over_the_tolerance_is_highlighted(taoctl):
    env = {k: v for k, v in taoctl.environment().items() if k != "NO_COLOR"}
    args = ["quote", "stake", "--tao-reserve", "100", "--alpha-reserve", "400", "--amount", "50",
            "--tolerance", "0.01"]
    code, output = run_on_a_terminal(env, args, [], term="xterm")
    assert code == 0, output
    line = next(line for line in output.splitlines() if "Slippage" in line)
    assert "over the tolerance" in line and "\x1b[" in line
    code, plain = run_on_a_terminal({**env, "NO_COLOR": "1"}, args, [])
    assert "\x1b[" not in plain


@pytest.mark.in_process
def test_subnet_price_chart_spans_its_data(flow):
    """A move of a few parts in a thousand fills the chart (the axis is not 0-based)."""
    flow.json("stake", "add", "--netuid", "1", "--amount", "3", "--wallet-name", "me",
              "--hotkey", "validator", "--tolerance", "0.05", "-y")
    flow.json("chain", "advance", "2")
    history = flow.json("subnet", "price", "--netuid", "1")["history"]
    prices = [p["price_rao"] for p in history]
    assert len(set(prices)) >= 2 and max(prices) < min(prices) * 1.01  # a small move
    shown = flow.run("subnet", "price", "--netuid", "1", env=WIDE).stdout
    labels = [line.split("┤")[0].strip() for line in shown.splitlines() if "┤" in line]
    top, bottom = float(labels[0]), float(labels[-1])
    assert (top, bottom) == (max(prices) / 1e9, min(prices) / 1e9), shown


@pytest.mark.in_process
def test_a_stake_quote_highlights_slippage_over_the_tolerance(flow):
    env = {k: v for k, v in flow.environment().items() if k != "NO_COLOR"}
    args = ["stake", "add", "--netuid", "1", "--amount", "400", "--wallet-name", "me",
            "--hotkey", "validator", "--unsafe", "--dry-run"]
    code, output = run_on_a_terminal(env, args, [], term="xterm")
    assert code == 0, output
    assert re.search(r"\x1b\[[0-9;]*m[^\n]*over 5 %, no limit", output), output
    code, plain = run_on_a_terminal({**env, "NO_COLOR": "1"}, args, [], term="xterm")
    assert "over 5 %, no limit" in plain and not COLOUR.search(plain)  # bold may stay


@pytest.mark.in_process
def test_the_metagraph_names_your_own_hotkeys(flow):
    """Observation 8: your hotkeys by their wallet names wherever an address is shown."""
    meta = flow.json("subnet", "metagraph", "--netuid", "1")
    assert [r["hotkey_name"] for r in meta["neurons"]] == ["me/validator", "me/miner"]
    shown = flow.run("subnet", "metagraph", "--netuid", "1", env=WIDE).stdout
    assert "me/validator" in shown and "me/miner" in shown

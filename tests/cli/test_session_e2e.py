"""A whole scripted session through the CLI (in process: the commands, not the process start-up,
are under test here), every step with `--json -y`:

init a dev chain, create wallets (unencrypted, and one with a password file), fund them, create
two subnets and start them, register a hotkey, then stake with a quote, list, remove, move,
swap and transfer -- asserting real balances and stakes after each step, and that every executed
operation received exactly what its dry run quoted.
"""

from __future__ import annotations

import pytest

TAO = 10**9


def _free(taoctl, wallet: str) -> int:
    return taoctl.json("wallet", "balance", "--wallet-name", wallet)["balances"][0]["free_rao"]


def _stakes(taoctl, wallet: str) -> dict[tuple[str, int], int]:
    doc = taoctl.json("stake", "list", "--wallet-name", wallet)
    return {(r["hotkey"], r["netuid"]): r["alpha_rao"] for r in doc["stakes"]}


def _create_and_start(taoctl, owner: str) -> int:
    """Create a subnet owned by `owner`, wait out the start delay if the chain has one, start."""
    created = taoctl.json("subnet", "create", "--wallet-name", owner, "--subnet-name",
                          f"{owner}-net", "-y")
    assert created["receipt"]["success"] and created["netuid"] is not None
    assert created["free_balance_rao"] - created["free_balance_after_rao"] == \
        created["lock_cost_rao"] + created["receipt"]["fee_rao"]
    netuid = created["netuid"]
    proc = taoctl.run("subnet", "start", "--netuid", netuid, "--wallet-name", owner, "-y",
                      "--json")
    if proc.returncode != 0:  # a start-call delay: advance past it and start again
        delay = taoctl.json("subnet", "hyperparameters", "--netuid", netuid)
        assert "start" in proc.stdout.lower() or "block" in proc.stdout.lower(), proc.stdout
        taoctl.json("chain", "advance", str(delay.get("start_call_delay", 50_400) + 1))
        proc = taoctl.run("subnet", "start", "--netuid", netuid, "--wallet-name", owner, "-y",
                          "--json")
    assert proc.returncode == 0, proc.stdout
    return netuid


def _dry_then_execute(taoctl, *args) -> tuple[dict, dict]:
    """Run a stake command as --dry-run, then for real; the executed result equals the quote."""
    args = tuple(map(str, args))
    quoted = taoctl.json(*args, "--dry-run", "-y")
    assert quoted["dry_run"] is True and "executed" not in quoted
    done = taoctl.json(*args, "-y")
    assert done["dry_run"] is False
    assert [q["received_rao"] for q in quoted["quotes"]] == \
        [e["quoted_rao"] for e in done["executed"]]
    for row in done["executed"]:
        assert row["receipt"]["success"]
        assert row["received_rao"] == row["quoted_rao"], row
    assert done["matches_quote"] is True
    return quoted, done


@pytest.mark.in_process  # what the commands do; tests/cli/test_entrypoint.py runs the binary
def test_scripted_session(taoctl, tmp_path):
    taoctl.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "sandbox.db")
    assert taoctl.json("chain", "init")["preset"] == "dev"
    owner = taoctl.json("wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
    staker = taoctl.json("wallet", "create", "--wallet-name", "staker", "--no-use-password",
                         "-y")
    second = taoctl.json("wallet", "new-hotkey", "--wallet-name", "staker", "--hotkey",
                         "second", "-y")
    password = tmp_path / "pw.txt"
    password.write_text("correct horse battery staple\n")
    friend = taoctl.json("wallet", "create", "--wallet-name", "friend", "--password-file",
                         str(password), "-y")
    lock = taoctl.json("subnet", "burn-cost")["lock_cost_rao"]
    fund_owner = (4 * lock + 100 * TAO) // TAO + 1
    taoctl.json("chain", "fund", owner["coldkey_ss58"], str(fund_owner))
    taoctl.json("chain", "fund", staker["coldkey_ss58"], "1000")
    taoctl.json("chain", "fund", friend["coldkey_ss58"], "10")

    # two subnets, started; the list shows them with their pools
    net_a = _create_and_start(taoctl, "owner")
    net_b = _create_and_start(taoctl, "owner")
    listed = {r["netuid"]: r for r in taoctl.json("subnet", "list")["subnets"]}
    assert {0, net_a, net_b} <= set(listed)
    assert listed[net_a]["tao_in_rao"] > 0 and listed[net_a]["alpha_in_rao"] > 0

    # register the staker's hotkey on subnet A: the burn leaves the coldkey, a UID is assigned
    before = _free(taoctl, "staker")
    reg = taoctl.json("subnet", "register", "--netuid", net_a, "--wallet-name", "staker", "-y")
    assert reg["receipt"]["success"] and reg["uid"] is not None
    assert before - _free(taoctl, "staker") == reg["burn_rao"] + reg["receipt"]["fee_rao"]
    shown = taoctl.json("subnet", "show", "--netuid", net_a)
    assert staker["hotkey_ss58"] in [n["hotkey"] for n in shown["neurons"]]

    # stake 10 TAO into A with a quote; the free balance drops by exactly the amount
    before = _free(taoctl, "staker")
    quoted, done = _dry_then_execute(taoctl, "stake", "add", "--netuid", net_a, "--amount",
                                     "10", "--wallet-name", "staker", "--partial")
    assert quoted["quotes"][0]["call"] == "SubtensorModule.add_stake_limit"
    paid = quoted["quotes"][0]["amount_in_rao"]
    fee = done["executed"][0]["receipt"]["fee_rao"]
    assert fee > 0
    assert before - _free(taoctl, "staker") == paid + fee  # the amount and the fee
    hot = staker["hotkey_ss58"]
    alpha = _stakes(taoctl, "staker")[(hot, net_a)]
    assert alpha == done["executed"][0]["received_rao"] > 0
    listed = taoctl.json("stake", "list", "--wallet-name", "staker")["stakes"]
    row = next(r for r in listed if r["netuid"] == net_a)
    assert 0 < row["unstake_value_rao"] <= row["value_rao"]

    # unstake a quarter: the TAO received is what the quote said, and lands in the balance
    before = _free(taoctl, "staker")
    quarter = alpha // 4
    _, done = _dry_then_execute(taoctl, "stake", "remove", "--netuid", net_a, "--amount",
                                f"{quarter} rao", "--wallet-name", "staker")
    assert _free(taoctl, "staker") - before == \
        done["executed"][0]["received_rao"] - done["executed"][0]["receipt"]["fee_rao"]
    left = _stakes(taoctl, "staker")[(hot, net_a)]
    assert left == alpha - quarter

    # move a tenth to the second hotkey (registered first), same subnet: no swap, no fee
    taoctl.json("subnet", "register", "--netuid", net_a, "--wallet-name", "staker", "--hotkey",
                "second", "-y")
    tenth = left // 10
    _dry_then_execute(taoctl, "stake", "move", "--origin-netuid", net_a, "--to",
                      second["hotkey_ss58"], "--amount", f"{tenth} rao", "--wallet-name",
                      "staker")
    stakes = _stakes(taoctl, "staker")
    assert stakes[(second["hotkey_ss58"], net_a)] == tenth
    assert stakes[(hot, net_a)] == left - tenth

    # swap a tenth from A to B through both pools
    _, done = _dry_then_execute(taoctl, "stake", "swap", "--origin-netuid", net_a,
                                "--dest-netuid", net_b, "--amount", f"{tenth} rao",
                                "--wallet-name", "staker", "--partial")
    stakes = _stakes(taoctl, "staker")
    assert stakes[(hot, net_b)] == done["executed"][0]["received_rao"] > 0
    assert stakes[(hot, net_a)] == left - 2 * tenth

    # transfer the B stake to the friend's coldkey (same hotkey, same subnet)
    on_b = stakes[(hot, net_b)]
    _dry_then_execute(taoctl, "stake", "transfer", "--origin-netuid", net_b, "--dest",
                      friend["coldkey_ss58"], "--all", "--wallet-name", "staker")
    assert (hot, net_b) not in _stakes(taoctl, "staker")
    assert _stakes(taoctl, "friend")[(hot, net_b)] == on_b

    # the friend (encrypted coldkey, password from a file) unstakes it all
    before = _free(taoctl, "friend")
    done = taoctl.json("stake", "remove", "--netuid", net_b, "--all", "--hotkey-ss58", hot,
                       "--wallet-name", "friend", "--password-file", str(password),
                       "--unsafe", "-y")
    assert done["executed"][0]["received_rao"] == done["quotes"][0]["received_rao"]
    assert _free(taoctl, "friend") - before == \
        done["executed"][0]["received_rao"] - done["executed"][0]["receipt"]["fee_rao"]
    assert _stakes(taoctl, "friend") == {}

    # the staker unstakes everything left on its hotkey: one limit order per subnet
    before = _free(taoctl, "staker")
    quoted, done = _dry_then_execute(taoctl, "stake", "remove", "--all", "--tolerance", "0.5",
                                     "--wallet-name", "staker")
    assert [(q["call"], q["netuid"]) for q in done["quotes"]] == \
        [("SubtensorModule.remove_stake_full_limit", net_a)]
    assert _free(taoctl, "staker") - before == \
        sum(e["received_rao"] - (e["receipt"].get("fee_rao") or 0) for e in done["executed"])
    assert set(_stakes(taoctl, "staker")) == {(second["hotkey_ss58"], net_a)}

    assert taoctl.json("chain", "check")["ok"]

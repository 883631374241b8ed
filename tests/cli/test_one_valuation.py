"""Issue 13, observations 7 and 8: one valuation everywhere, and `wallet overview`.

`wallet balance` valued stake at the U64F64 spot price while `stake list` used the price
floored to rao, so their "staked" totals differed by hundreds of rao; neither named what an
unstake returns. Now every view shows a position's spot value and exit value from
`chain.rules.valuation`, and the totals agree to the rao. `wallet overview` puts the free
balance, every position (hotkeys by wallet name) and the registrations on one screen."""

from __future__ import annotations

import pytest

from tests.conftest import new_wallets, sandbox_session

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A started subnet at an uneven price; 'me' (hotkeys validator and miner, both
    registered) stakes on both hotkeys; the chain runs two tempos after weights are set."""
    t = sandbox_session(tmp_path_factory, "valuation")
    (owner,) = new_wallets(t, "owner")
    me = t.json("wallet", "create", "--wallet-name", "me", "--hotkey", "validator",
                "--no-use-password", "-y")
    t.json("wallet", "new-hotkey", "--wallet-name", "me", "--hotkey", "miner",
           "--no-use-password", "-y")
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(2 * lock // TAO + 10))
    t.json("chain", "fund", me["coldkey_ss58"], "3000")
    n = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    t.json("subnet", "start", "--netuid", n, "--wallet-name", "owner", "-y")
    for hotkey in ("validator", "miner"):
        t.json("subnet", "register", "--netuid", n, "--wallet-name", "me", "--hotkey", hotkey,
               "-y")
    t.json("stake", "add", "--netuid", n, "--amount", "123.456789", "--wallet-name", "me",
           "--hotkey", "validator", "--unsafe", "-y")
    t.json("stake", "add", "--netuid", n, "--amount", "7.77", "--wallet-name", "me",
           "--hotkey", "miner", "--unsafe", "-y")
    t.json("chain", "advance", "360")
    uid = t.json("wallet", "overview", "--wallet-name", "me")["wallets"][0]["registrations"]
    miner_uid = next(r["uid"] for r in uid if r["hotkey_name"] == "me/miner")
    t.json("weights", "set", "--netuid", n, "--uids", miner_uid, "--weights", "1",
           "--wallet-name", "me", "--hotkey", "validator", "-y")
    t.json("chain", "advance", "720")
    return t, n, me


def test_balance_list_and_overview_agree_to_the_rao(chain):
    t, n, me = chain
    listed = t.json("stake", "list", "--wallet-name", "me")
    balance = t.json("wallet", "balance", "--wallet-name", "me")["balances"][0]
    overview = t.json("wallet", "overview", "--wallet-name", "me")["wallets"][0]
    spot = sum(r["spot_value_rao"] for r in listed["stakes"])
    exit_ = sum(r["exit_value_rao"] for r in listed["stakes"])
    assert listed["total_spot_value_rao"] == spot == balance["staked_spot_value_rao"] == \
        balance["staked_rao"] == overview["total_spot_value_rao"]
    assert listed["total_exit_value_rao"] == exit_ == balance["staked_exit_value_rao"] == \
        overview["total_exit_value_rao"]
    assert balance["total_rao"] == balance["free_rao"] + spot == overview["total_rao"]
    assert 0 < exit_ < spot  # an exit pays the fee and the slippage


def test_each_position_is_valued_by_the_one_function(chain):
    import amm
    from chain.rules.valuation import exit_value, spot_value

    t, n, _ = chain
    p = next(s for s in t.json("subnet", "list")["subnets"] if s["netuid"] == n)["pool"]
    pool = amm.Pool(p["tao_reserve_rao"], p["alpha_reserve_rao"],
                    tao_weight=p["tao_weight_parts"], fee_rate=p["fee_rate"])
    rows = t.json("stake", "list", "--wallet-name", "me")["stakes"]
    assert len(rows) == 2
    for row in rows:
        assert row["spot_value_rao"] == spot_value(pool, row["alpha_rao"])
        assert row["exit_value_rao"] == exit_value(pool, row["alpha_rao"])
    # the floored-rao-price valuation the old `stake list` used is not it (here, at least)
    assert any(r["spot_value_rao"] != r["alpha_rao"] * r["price_rao"] // TAO for r in rows)


def test_the_views_name_spot_and_exit_value(chain):
    t, *_ = chain
    for args in (("stake", "list"), ("wallet", "balance"), ("wallet", "overview")):
        proc = t.run(*args, "--wallet-name", "me")
        assert proc.returncode == 0, proc.stderr
        text = " ".join(proc.stdout.split())
        assert "spot value" in text.lower() and "exit value" in text.lower(), args


def test_overview_is_one_screen_of_everything(chain):
    t, n, me = chain
    doc = t.json("wallet", "overview", "--wallet-name", "me")
    [w] = doc["wallets"]
    assert w["wallet"] == "me" and w["coldkey"] == me["coldkey_ss58"] and w["free_rao"] > 0
    assert {(r["hotkey_name"], r["netuid"]) for r in w["positions"]} == \
        {("me/validator", n), ("me/miner", n)}
    assert all(isinstance(r["earned_rao"], int) for r in w["positions"])
    validator = next(r for r in w["positions"] if r["hotkey_name"] == "me/validator")
    assert validator["earned_rao"] > 0  # dividends over two tempos
    regs = {r["hotkey_name"]: r for r in w["registrations"]}
    assert set(regs) == {"me/validator", "me/miner"}
    assert regs["me/miner"]["incentive"] > 0 and regs["me/validator"]["dividends"] > 0
    assert regs["me/miner"]["emission_rao"] > 0
    proc = t.run("wallet", "overview", "--wallet-name", "me")
    text = proc.stdout
    for shown in ("me/validator", "me/miner", "Registrations", "Earned since staking"):
        assert shown in text


def test_overview_of_every_wallet(chain):
    t, *_ = chain
    doc = t.json("wallet", "overview", "--all")
    assert [w["wallet"] for w in doc["wallets"]] == ["me", "owner"]
    assert doc["total_free_rao"] == sum(w["free_rao"] for w in doc["wallets"])


def test_stake_list_names_the_hotkeys(chain):
    t, *_ = chain
    rows = t.json("stake", "list", "--wallet-name", "me")["stakes"]
    assert {r["hotkey_name"] for r in rows} == {"me/validator", "me/miner"}


def test_transfer_delivers_what_it_quotes_on_an_earning_hotkey(chain):
    """Observation 5 through the CLI: the validator's pool has earned dividends, so its alpha
    per share is no longer 1 and a transferred amount can land one rao short; the quote says
    so, and the receiving position grows by exactly the quote."""
    t, n, _ = chain
    short = 0
    amounts = ["1"] + [f"{100_000_000 + 37_777_777 * i} rao" for i in range(24)]
    for amount in amounts:
        doc = t.json("stake", "transfer", "--dest", "owner", "--origin-netuid", n, "--amount",
                     amount, "--wallet-name", "me", "--hotkey", "validator", "-y")
        [e] = doc["executed"]
        assert e["state_change_rao"] == e["received_rao"] == e["quoted_rao"], amount
        assert doc["matches_quote"] is True
        short += e["quoted_rao"] != doc["quotes"][0]["amount_rao"]
    assert short, "no amount rounded down: the case of observation 5 was not exercised"

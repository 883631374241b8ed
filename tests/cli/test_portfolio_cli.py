"""Issue 17, `taoctl portfolio`: a scripted history on the sandbox (fees on: spec 461), checked
against figures worked out by hand from the receipts.

History of wallet `me` on one subnet: stake 100 TAO through `validator`; advance 400 blocks;
unstake 10 alpha; move 20 alpha to `miner`; advance 400 blocks. A second wallet `friend` gives
`me` stake on its own hotkey (stake transfer), whose basis is unknown to `me`.

By hand (average cost over bought alpha; `cli.cost_basis`'s docstring):
  validator: basis0 = tao_paid + fee_stake, costed0 = alpha_bought
    unstake a1 = 10 alpha: out1 = basis0 * a1 // costed0; realized = paid1 - fee_unstake - out1
    move a2 = 20 alpha: out2 = (basis0 - out1) * a2 // (costed0 - a1)
    basis = basis0 - out1 - out2; earned = held - (costed0 - a1 - a2)
  miner: basis = out2 + fee_move; earned = held - a2
  unrealized = spot - basis; emission = spot value of earned alpha; price = realized +
  unrealized - emission.
"""

from __future__ import annotations

import csv
import io

import pytest

from tests.conftest import sandbox_session

TAO = 10**9


def _event(receipt: dict, name: str) -> dict:
    return next(e["args"] for e in receipt["events"] if e["name"] == name)


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    t = sandbox_session(tmp_path_factory, "portfolio")
    root, db = t.root, t.root / "sandbox.db"
    t.env["TAOCTL_JOURNAL"] = str(root / "journal.jsonl")
    from chain.local.chain import LocalChain
    from chain.pallets import taoctl

    chain = LocalChain.open(db)
    with chain.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")  # fees on: the basis must carry them
    chain.close()
    owner = t.json("wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
    me = t.json("wallet", "create", "--wallet-name", "me", "--hotkey", "validator",
                "--no-use-password", "-y")
    t.json("wallet", "new-hotkey", "--wallet-name", "me", "--hotkey", "miner",
           "--no-use-password", "-y")
    friend = t.json("wallet", "create", "--wallet-name", "friend", "--no-use-password", "-y")
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(2 * lock // TAO + 10))
    t.json("chain", "fund", me["coldkey_ss58"], "3000")
    t.json("chain", "fund", friend["coldkey_ss58"], "3000")
    n = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    t.json("subnet", "start", "--netuid", n, "--wallet-name", "owner", "-y")
    for hotkey in ("validator", "miner"):
        t.json("subnet", "register", "--netuid", n, "--wallet-name", "me", "--hotkey", hotkey,
               "-y")
    r = {}
    r["stake"] = t.json("stake", "add", "--netuid", n, "--amount", "100", "--wallet-name", "me",
                        "--hotkey", "validator", "--unsafe", "-y")
    t.json("chain", "advance", "400")
    r["unstake"] = t.json("stake", "remove", "--netuid", n, "--amount", "10", "--wallet-name",
                          "me", "--hotkey", "validator", "--unsafe", "-y")
    r["move"] = t.json("stake", "move", "--origin-netuid", n, "--to", "miner", "--amount", "20",
                       "--wallet-name", "me", "--hotkey", "validator", "-y")
    owner_hotkey = owner.get("hotkey_ss58") or owner["hotkeys"][0]["ss58"]
    t.json("stake", "add", "--netuid", n, "--amount", "5", "--wallet-name", "friend",
           "--hotkey-ss58", owner_hotkey, "--unsafe", "-y")
    t.json("stake", "transfer", "--origin-netuid", n, "--dest", me["coldkey_ss58"], "--all",
           "--wallet-name", "friend", "--hotkey-ss58", owner_hotkey, "-y")
    t.json("chain", "advance", "400")
    return t, n, r


def test_scripted_history_matches_the_hand_computed_figures(history):
    t, n, r = history
    data = t.json("portfolio", "--wallet-name", "me")
    assert data["method"].startswith("average cost")
    w = data["wallets"][0]
    assert w["source"] == "chain" and w["operations"] == 3
    rows = {(x["hotkey_name"], x["basis_known"]): x for x in w["positions"]}
    v, m = rows[("me/validator", True)], rows[("me/miner", True)]
    friend = next(x for x in w["positions"] if not x["basis_known"])

    stake = r["stake"]["executed"][0]["receipt"]
    unstake = r["unstake"]["executed"][0]["receipt"]
    move = r["move"]["executed"][0]["receipt"]
    fee_stake, fee_unstake, fee_move = stake["fee_rao"], unstake["fee_rao"], move["fee_rao"]
    assert min(fee_stake, fee_unstake, fee_move) > 0  # the fees are real and must be counted
    added, removed = _event(stake, "StakeAdded"), _event(unstake, "StakeRemoved")
    a1, a2 = 10 * TAO, 20 * TAO
    assert removed["alpha_amount"] == a1
    basis0, costed0 = added["tao_amount"] + fee_stake, added["alpha_amount"]
    assert added["tao_amount"] == 100 * TAO
    out1 = basis0 * a1 // costed0
    out2 = (basis0 - out1) * a2 // (costed0 - a1)
    realized = removed["tao_amount"] - fee_unstake - out1

    held = {(x["hotkey_name"], x["netuid"]): x for x in t.json(
        "stake", "list", "--wallet-name", "me")["stakes"]}
    hv, hm = held[("me/validator", n)], held[("me/miner", n)]

    assert v["cost_basis_rao"] == basis0 - out1 - out2
    assert v["alpha_bought_rao"] == costed0 and v["alpha_sold_rao"] == a1
    assert v["alpha_moved_out_rao"] == a2
    assert v["realized_pnl_rao"] == realized
    assert v["alpha_rao"] == hv["alpha_rao"]
    assert v["alpha_earned_rao"] == hv["alpha_rao"] - (costed0 - a1 - a2) > 0
    assert v["fees_rao"] == fee_stake + fee_unstake
    assert m["cost_basis_rao"] == out2 + fee_move
    assert m["realized_pnl_rao"] == 0 and m["alpha_moved_in_rao"] == a2
    assert m["alpha_earned_rao"] == hm["alpha_rao"] - a2

    # the emission share: the spot value of the earned alpha (U64F64 spot, floored)
    import amm

    from chain.local.backend import LocalBackend

    backend = LocalBackend(t.env["TAOCTL_CHAIN_DB"])
    try:
        pool = backend.pool(n)
    finally:
        backend.close()
    price = amm.spot_price(pool)
    for row, earned in ((v, v["alpha_earned_rao"]), (m, m["alpha_earned_rao"])):
        value = (abs(earned) * price) >> 64
        assert row["emission_pnl_rao"] == (value if earned >= 0 else -value)
    for row, h in ((v, hv), (m, hm)):
        assert row["spot_value_rao"] == h["spot_value_rao"]
        assert row["exit_value_rao"] == h["exit_value_rao"]
    # every row: spot - basis = unrealized; emission + price = realized + unrealized
    for row in (v, m):
        assert row["spot_value_rao"] - row["cost_basis_rao"] == row["unrealized_pnl_rao"]
        assert row["emission_pnl_rao"] + row["price_pnl_rao"] == \
            row["realized_pnl_rao"] + row["unrealized_pnl_rao"]
    # the friend's gift: no invented basis
    assert friend["origin"] == "received from another coldkey"
    assert friend["cost_basis_rao"] is None and friend["unrealized_pnl_rao"] is None
    assert friend["spot_value_rao"] > 0
    # totals add up (known rows only; unknown ones apart)
    tot = w["totals"]
    for k in ("cost_basis_rao", "realized_pnl_rao", "unrealized_pnl_rao", "emission_pnl_rao",
              "price_pnl_rao", "spot_value_rao"):
        assert tot[k] == v[k] + m[k]
    assert tot["unknown_positions"] == 1
    assert tot["unknown_spot_value_rao"] == friend["spot_value_rao"]
    assert data["totals"] == tot


def test_csv_carries_the_same_rows(history):
    t, _, _ = history
    data = t.json("portfolio", "--wallet-name", "me")
    proc = t.run("portfolio", "--wallet-name", "me", "--csv")
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    assert len(rows) == len(data["wallets"][0]["positions"])
    for got, want in zip(rows, data["wallets"][0]["positions"], strict=True):
        assert got["hotkey"] == want["hotkey"]
        assert got["cost_basis_rao"] == ("" if want["cost_basis_rao"] is None
                                         else str(want["cost_basis_rao"]))


def test_all_wallets_and_the_table(history):
    t, _, _ = history
    data = t.json("portfolio", "--all")
    assert [w["wallet"] for w in data["wallets"]] == ["friend", "me", "owner"]
    assert data["totals"]["cost_basis_rao"] == sum(w["totals"]["cost_basis_rao"]
                                                    for w in data["wallets"])
    proc = t.run("portfolio", "--wallet-name", "me")
    assert proc.returncode == 0, proc.stderr
    assert "average cost" in proc.stdout and "basis unknown" in proc.stdout


def test_json_and_csv_together_is_a_usage_error(history):
    t, _, _ = history
    proc = t.run("portfolio", "--wallet-name", "me", "--json", "--csv")
    assert proc.returncode != 0 and proc.stdout.strip().startswith("{")
    assert "Traceback" not in proc.stderr

"""Issue 17, `taoctl stake yields`: two validators with different takes, checked by hand, on the
sandbox and through `taoctl node serve` (the same storage through the remote backend).

Both validators' stakers were paid from the same pre-take dividend P = 2 alpha on the same
stake S = 1,000 alpha. Validator A keeps an 18% take (11,796 of 65,535), B none, so after take
A's stakers got D_A = P - P*11796//65535 and B's D_B = P; the chain records those as
`AlphaDividendsPerSubnet` and credits A's take to its owner (so A's `TotalHotkeyAlpha` is
S + P, B's S + P too). 1,000 TAO buys 1,000 TAO / spot alpha; per day it earns that times
D / S times the epochs per day (7,200 // (tempo + 1)). B ranks first.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import sandbox_session
from tests.node.conftest import serving

TAO = 10**9
P, S, TAKE_A = 2 * TAO, 1_000 * TAO, 11_796


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    t = sandbox_session(tmp_path_factory, "yields")
    db = t.root / "sandbox.db"
    owner = t.json("wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
    me = t.json("wallet", "create", "--wallet-name", "me", "--hotkey", "a",
                "--no-use-password", "-y")
    t.json("wallet", "new-hotkey", "--wallet-name", "me", "--hotkey", "b",
           "--no-use-password", "-y")
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(2 * lock // TAO + 10))
    t.json("chain", "fund", me["coldkey_ss58"], "100")
    n = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    for hotkey in ("a", "b"):
        t.json("subnet", "register", "--netuid", n, "--wallet-name", "me", "--hotkey", hotkey,
               "-y")
    names = {r["hotkey_name"]: r["hotkey"] for r in t.json(
        "subnet", "metagraph", "--netuid", n)["neurons"]
        if r.get("hotkey_name")}
    from chain.local.chain import LocalChain
    from chain.pallets import subtensor_module as sm
    from wallet.ss58 import ss58_decode

    a, b = (ss58_decode(names[f"me/{h}"]) for h in ("a", "b"))
    c = LocalChain.open(db)
    with c.writing() as state:
        state.set(sm.DELEGATES, a, TAKE_A)
        state.set(sm.DELEGATES, b, 0)
        for hotkey, after_take in ((a, P - P * TAKE_A // 65535), (b, P)):
            state.set(sm.ALPHA_DIVIDENDS_PER_SUBNET, n, hotkey, after_take)
            state.set(sm.TOTAL_HOTKEY_ALPHA, hotkey, n, S + P)
        tempo = state.get(sm.TEMPO, n)
    c.close()
    return t, n, tempo, db


def _hand(t, n: int, tempo: int, dividends: int) -> tuple[int, int]:
    import amm

    from chain.local.backend import LocalBackend

    backend = LocalBackend(t.env["TAOCTL_CHAIN_DB"])
    try:
        price = amm.spot_price(backend.pool(n))
    finally:
        backend.close()
    alpha_in = (1_000 * TAO << 64) // price
    alpha_day = alpha_in * dividends * (7_200 // (tempo + 1)) // S
    return alpha_day, (alpha_day * price) >> 64


def test_two_validators_with_different_takes(chain):
    t, n, tempo, _ = chain
    data = t.json("stake", "yields", "--netuid", n)
    rows = data["validators"]
    assert [r["hotkey_name"] for r in rows] == ["me/b", "me/a"]  # no take beats 18%
    d_a = P - P * TAKE_A // 65535
    for row, dividends, take in ((rows[0], P, 0), (rows[1], d_a, TAKE_A)):
        assert row["take_u16"] == take and row["dividends_rao"] == dividends
        assert row["stake_rao"] in (S, S - 1)  # the take credit, restated from the record
        alpha_day, tao_day = _hand(t, n, tempo, dividends)
        assert abs(row["alpha_per_day_rao"] - alpha_day) <= alpha_day // 10**9 + 1
        assert abs(row["tao_per_day_rao"] - tao_day) <= tao_day // 10**9 + 1
        assert row["apr"] == row["tao_per_day_rao"] * 365 / (1_000 * TAO)
    assert rows[0]["tao_per_day_rao"] > rows[1]["tao_per_day_rao"]
    assert [r["rank"] for r in rows] == [1, 2]
    subnet = data["subnets"][0]
    assert subnet["netuid"] == n and subnet["dividends_rao"] == P + d_a
    assert "compounded" in data["assumptions"]


def test_every_subnet_and_the_table(chain):
    t, n, _, _ = chain
    data = t.json("stake", "yields")
    assert [s["netuid"] for s in data["subnets"]] == [n]
    proc = t.run("stake", "yields")
    assert proc.returncode == 0, proc.stderr
    assert "me/b" in proc.stdout and "APR" in proc.stdout


def test_a_missing_subnet_is_one_line(chain):
    t, _, _, _ = chain
    proc = t.run("stake", "yields", "--netuid", "99", "--json")
    assert proc.returncode == 2 and "does not exist" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_through_node_serve_the_same_figures(chain):
    t, n, _, db = chain
    with serving(db) as (_, url, _):  # the node seals what the sandbox left in its open block
        remote = t.json("stake", "yields", "--netuid", n, "--network", url)
    local = t.json("stake", "yields", "--netuid", n)
    for key in ("validators", "subnets", "block"):
        assert remote[key] == local[key]


@pytest.fixture(scope="module")
def earning(tmp_path_factory):
    """A started subnet whose validator earns dividends from real epochs."""
    t = sandbox_session(tmp_path_factory, "yields_epochs")
    db = t.root / "sandbox.db"
    owner = t.json("wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
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
    t.json("stake", "add", "--netuid", n, "--amount", "100", "--wallet-name", "me",
           "--hotkey", "validator", "--unsafe", "-y")
    t.json("chain", "advance", "360")
    rows = t.json("subnet", "metagraph", "--netuid", n)["neurons"]
    miner_uid = next(r["uid"] for r in rows if r.get("hotkey_name") == "me/miner")
    t.json("weights", "set", "--netuid", n, "--uids", miner_uid, "--weights", "1",
           "--wallet-name", "me", "--hotkey", "validator", "-y")
    t.json("chain", "advance", "720")
    from chain.local.chain import LocalChain
    from chain.pallets import subtensor_module as sm

    c = LocalChain.open(db)
    with c.reading() as state:
        tempo = state.get(sm.TEMPO, n)
    c.close()
    return t, n, tempo, db


def test_epochs_average_the_last_k_epochs(earning):
    t, n, tempo, _ = earning
    first = t.json("stake", "yields", "--netuid", n)
    v1 = next(r for r in first["validators"] if r["hotkey_name"] == "me/validator")
    assert v1["alpha_per_day_rao"] > 0
    t.json("chain", "advance", str(tempo + 1))  # exactly one more epoch, the same phase
    second = t.json("stake", "yields", "--netuid", n)
    v2 = next(r for r in second["validators"] if r["hotkey_name"] == "me/validator")
    both = t.json("stake", "yields", "--netuid", n, "--epochs", "2")
    v = next(r for r in both["validators"] if r["hotkey_name"] == "me/validator")
    assert both["subnets"][0]["epochs"] == 2
    assert v["alpha_per_day_rao"] == (v1["alpha_per_day_rao"] + v2["alpha_per_day_rao"]) // 2
    assert v["dividends_rao"] == v1["dividends_rao"] + v2["dividends_rao"]
    assert both["subnets"][0]["alpha_per_day_rao"] == (
        first["subnets"][0]["alpha_per_day_rao"] + second["subnets"][0]["alpha_per_day_rao"]) // 2


def test_epochs_through_a_node_read_past_blocks(earning):
    """K > 1 through `taoctl node serve`: each past epoch read at its block's hash gives the
    sandbox's figures; more epochs than the chain has are the ones found, said on stderr."""
    t, n, _, db = earning
    local = t.json("stake", "yields", "--netuid", n, "--epochs", "2")
    with serving(db) as (_, url, _):
        remote = t.json("stake", "yields", "--netuid", n, "--epochs", "2", "--network", url)
        proc = t.run("stake", "yields", "--netuid", str(n), "--epochs", "50", "--network", url,
                     "--json")
    assert remote["subnets"][0]["epochs"] == 2
    for key in ("validators", "subnets", "block"):
        assert remote[key] == local[key]
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert 2 <= data["subnets"][0]["epochs"] < 50
    assert "fewer epochs readable on subnet(s) " + str(n) in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr


def test_epochs_past_the_kept_state_are_the_ones_found(earning):
    """A node that no longer keeps the older state (the history cut to 5 blocks, then an
    epoch's worth of blocks sealed): the epochs still readable (the state just before the last
    epoch may be within the 5), a warning naming why, exit 0."""
    t, n, tempo, db = earning
    t.json("chain", "history", "--keep", "5")
    t.json("chain", "advance", str(tempo + 1))  # prunes what is no longer kept
    with serving(db) as (_, url, _):
        proc = t.run("stake", "yields", "--netuid", str(n), "--epochs", "3", "--network",
                     url, "--json")
    assert proc.returncode == 0, proc.stderr
    assert 1 <= json.loads(proc.stdout)["subnets"][0]["epochs"] < 3
    assert "archive node" in proc.stderr and "Traceback" not in proc.stderr

"""`taoctl subnet ...` and `quote --netuid` against a bundled dev chain, through the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import new_wallets, sandbox_session

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev chain: one subnet created by 'owner' and started, 'staker' registered on it."""
    t = sandbox_session(tmp_path_factory, "subnet-cli")
    owner, staker = new_wallets(t, "owner", "staker")
    t.lock_before = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(3 * t.lock_before // TAO + 10))
    t.json("chain", "fund", staker["coldkey_ss58"], "500")
    t.created = t.json("subnet", "create", "--wallet-name", "owner", "--subnet-name", "demo",
                       "-y")
    t.lock_after = t.json("subnet", "burn-cost")["lock_cost_rao"]
    netuid = t.created["netuid"]
    t.json("subnet", "start", "--netuid", netuid, "--wallet-name", "owner", "-y")
    t.registered = t.json("subnet", "register", "--netuid", netuid, "--wallet-name", "staker",
                          "-y")
    return t, netuid, owner, staker


def test_create_locks_the_cost_and_the_next_one_doubles(chain):
    t, netuid, owner, _ = chain
    created = t.created
    assert created["lock_cost_rao"] == t.lock_before
    assert created["free_balance_rao"] - created["free_balance_after_rao"] == \
        t.lock_before + created["receipt"]["fee_rao"]  # the lock and the transaction fee
    assert t.lock_after == 2 * t.lock_before  # same block: no decay yet
    assert netuid >= 1


def test_list_shows_every_pool(chain):
    import amm

    t, netuid, _, _ = chain
    doc = t.json("subnet", "list")
    rows = {r["netuid"]: r for r in doc["subnets"]}
    assert set(rows) == {0, netuid}
    row = rows[netuid]
    assert row["name"] == "demo" and row["tempo"] == 360
    # the new pool holds the lock, plus the registration burn's TAO (less its fee), plus stakes
    assert row["tao_in_rao"] >= t.lock_before + t.registered["burn_rao"] * 9990 // 10000
    pool = amm.Pool(row["tao_in_rao"], row["alpha_in_rao"],
                    tao_weight=row["pool"]["tao_weight_parts"], fee_rate=row["pool"]["fee_rate"])
    assert row["price_rao"] == amm.price_rao(pool)
    assert row["market_cap_rao"] == (row["alpha_in_rao"] + row["alpha_out_rao"]) * \
        row["price_rao"] // TAO
    assert rows[0]["price_rao"] == TAO  # root is 1:1
    text = t.run("subnet", "list").stdout
    assert "demo" in text and "Market cap" in text


def test_show_has_the_owner_at_uid_0(chain):
    t, netuid, owner, staker = chain
    doc = t.json("subnet", "show", "--netuid", netuid)
    by_uid = {n["uid"]: n for n in doc["neurons"]}
    assert by_uid[0]["hotkey"] == owner["hotkey_ss58"]
    assert by_uid[0]["coldkey"] == owner["coldkey_ss58"]
    assert by_uid[t.registered["uid"]]["hotkey"] == staker["hotkey_ss58"]
    assert doc["owner_coldkey"] == owner["coldkey_ss58"]


def test_hyperparameters_of_a_new_subnet(chain):
    t, netuid, owner, _ = chain
    doc = t.json("subnet", "hyperparameters", "--netuid", netuid)
    params = doc["hyperparameters"]
    # init_new_network's settings (ECONOMICS.md §6.3)
    assert params["tempo"] == 360 and params["max_allowed_uids"] == 256
    assert params["max_allowed_validators"] == 64 and params["min_allowed_weights"] == 1
    assert params["immunity_period"] == 5000 and params["yuma3_enabled"] is True
    assert doc["owner"] == owner["coldkey_ss58"]


def test_registration_burn_and_its_bump(chain):
    t, netuid, _, _ = chain
    reg = t.registered
    assert reg["call"] == "SubtensorModule.register_limit"
    assert reg["limit_price_rao"] == reg["burn_rao"] * 1005 // 1000
    assert reg["free_balance_rao"] - reg["free_balance_after_rao"] == \
        reg["burn_rao"] + reg["receipt"]["fee_rao"]
    after = t.json("subnet", "burn-cost", "--netuid", netuid)["burn_rao"]
    assert after > reg["burn_rao"]  # the 1.26 bump (less a block's decay at most)


def test_price_history_chart(chain):
    t, netuid, _, _ = chain
    for _ in range(2):
        t.json("stake", "add", "--netuid", netuid, "--amount", "2", "--wallet-name", "staker",
               "--partial", "-y")
        t.json("chain", "advance", "3")
    doc = t.json("subnet", "price", "--netuid", netuid)
    history = doc["history"]
    assert len(history) >= 2
    assert history[-1]["price_rao"] == doc["price_rao"]
    assert len({p["price_rao"] for p in history}) >= 2  # the stakes moved the price
    assert [p["block"] for p in history] == sorted(p["block"] for p in history)
    text = t.run("subnet", "price", "--netuid", netuid).stdout
    assert any(0x2800 < ord(c) <= 0x28FF for c in text), text  # a braille chart


def test_quote_netuid_reads_the_live_pool(chain):
    t, netuid, _, staker = chain
    quote = t.json("quote", "stake", "--netuid", netuid, "--amount", "3")
    dry = t.json("stake", "add", "--netuid", netuid, "--amount", "3", "--unsafe",
                 "--wallet-name", "staker", "--dry-run")
    assert quote["amount_out_rao"] == dry["quotes"][0]["received_rao"]
    assert quote["fee_rao"] == dry["quotes"][0]["fee_rao"]
    listed = {r["netuid"]: r for r in t.json("subnet", "list")["subnets"]}[netuid]
    assert quote["pool_before"]["tao_reserve_rao"] == listed["tao_in_rao"]
    proc = t.run("quote", "stake", "--netuid", "99", "--amount", "1", "--json")
    assert proc.returncode == 4 and "SubnetNotExists" in proc.stdout
    proc = t.run("quote", "stake", "--netuid", netuid, "--tao-reserve", "1", "--amount", "1",
                 "--json")
    assert proc.returncode == 2


def test_command_modules_import_nothing_heavy():
    code = (
        "import sys\nimport cli.stake, cli.subnet, cli.staking_view, cli.chainview, "
        "cli.stakeopts\n"
        "heavy=[m for m in ('numpy','substrateinterface','scalecodec','keyring','sqlite3',"
        "'nacl','rich','amm') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr

"""`taoctl chain ...` through the installed command: init, status, advance, halving, check, fund."""

from __future__ import annotations

import json
import sqlite3

import pytest

pytestmark = pytest.mark.in_process  # what the commands do: no process start-up needed

TAO = 10**9
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.fixture
def chain(taoctl, tmp_path):
    """A dev chain in a temp file, selected through TAOCTL_CHAIN_DB."""
    db = tmp_path / "sandbox.db"
    taoctl.env["TAOCTL_CHAIN_DB"] = str(db)
    taoctl.json("chain", "init")
    return db


def _error(proc) -> dict:
    assert proc.returncode != 0
    doc = json.loads(proc.stdout)
    assert "Traceback" not in proc.stderr
    return doc["error"]


def _contents(path):
    """What a file holds: its storage rows if it is a chain, else its bytes."""
    try:
        with sqlite3.connect(path) as conn:
            return conn.execute("SELECT * FROM storage ORDER BY item, key").fetchall()
    except sqlite3.DatabaseError:
        return path.read_bytes()


def test_init_status_default_location(taoctl):
    doc = taoctl.json("chain", "init", "--preset", "dev")
    expected = taoctl.home / ".local" / "share" / "taoctl" / "sandbox.db"
    assert doc["path"] == str(expected) and expected.exists()
    status = taoctl.json("chain", "status")
    assert status["path"] == str(expected)
    assert status["preset"] == "dev" and status["block"] == 1
    assert status["issuance_rao"] == 6_000_001 * TAO
    assert status["next_halving"]["block"] == 4_500_001
    assert status["date"] == "2026-01-01T00:00:12Z"


def test_init_refuses_to_overwrite_without_force(taoctl, chain):
    taoctl.json("chain", "advance", "10")
    proc = taoctl.run("chain", "init", "--json")
    assert _error(proc)["type"] == "ChainExists" and proc.returncode == 2
    assert taoctl.json("chain", "status")["block"] == 11  # nothing changed
    proc = taoctl.run("chain", "init")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "--force" in proc.stderr
    assert taoctl.json("chain", "init", "--force")["block"] == 1


def test_unknown_preset(taoctl, tmp_path):
    proc = taoctl.run("chain", "init", "--preset", "regtest", "--chain-db", tmp_path / "x.db",
                      "--json")
    assert _error(proc)["type"] == "UnknownPreset" and proc.returncode == 2
    assert not (tmp_path / "x.db").exists()


def test_missing_corrupt_foreign_and_newer_chain_files(taoctl, tmp_path):
    proc = taoctl.run("chain", "status", "--chain-db", tmp_path / "none.db")
    assert proc.returncode == 5 and "taoctl chain init" in proc.stderr
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"\x00garbage" * 1000)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE t (x)")
    newer = tmp_path / "newer.db"
    taoctl.json("chain", "init", "--chain-db", newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    for path, kind in ((garbage, "ChainCorrupt"), (foreign, "ChainCorrupt"),
                       (newer, "SchemaTooNew")):
        before = _contents(path)
        for command in (("chain", "status"), ("chain", "advance", "5"),
                        ("wallet", "balance", "--ss58", ALICE)):
            proc = taoctl.run(*command, "--chain-db", path, "--json")
            assert _error(proc)["type"] == kind and proc.returncode == 5, command
        assert _contents(path) == before


def test_a_damaged_entry_is_named_and_changes_nothing(taoctl, tmp_path):
    path = tmp_path / "damaged.db"
    taoctl.json("chain", "init", "--chain-db", path)
    alice = '["d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"]'
    with sqlite3.connect(path) as conn:  # Alice's account cut short, as by a bad edit
        assert conn.execute("UPDATE storage SET value = '{\"nonce\":1' WHERE item = "
                            "'System.Account' AND key = ?", (alice,)).rowcount == 1
    bob = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
    for command in (("wallet", "balance", "--ss58", ALICE), ("chain", "fund", bob, "1", "-y"),
                    ("chain", "advance", "5")):
        before = _contents(path)
        proc = taoctl.run(*command, "--chain-db", path, "--json")
        if command[:2] != ("chain", "advance"):  # these two read Alice's account
            assert proc.returncode == 5, proc.stderr
        if proc.returncode:
            error = _error(proc)
            assert error["type"] == "ChainCorrupt" and proc.returncode == 5, command
            assert f"System.Account{alice}" in error["message"], error
            assert "Traceback" not in proc.stderr and _contents(path) == before, command
    report = taoctl.json("chain", "check", "--chain-db", path, ok=False)
    assert not report["ok"]
    assert report["checks"]["storage_decodes"]["failures"] == [
        f"System.Account{alice} holds '{{\"nonce\":1', not a valid value"]
    assert report["checks"]["nonces"]["failures"][0].startswith("not checked")


def test_advance_forms(taoctl, chain):
    doc = taoctl.json("chain", "advance", "100")
    assert doc["blocks_advanced"] == 100 and doc["block"] == 101
    assert doc["emission_paid_rao"] == 100 * TAO
    assert doc["date"] == "2026-01-01T00:20:12Z"
    doc = taoctl.json("chain", "advance", "--to-block", "1000")
    assert doc["block"] == 1000 and doc["blocks_advanced"] == 899
    doc = taoctl.json("chain", "advance", "--to-halving")
    assert doc["block"] == 4_500_001 and doc["block_emission_rao"] == TAO // 2
    assert [h["k"] for h in doc["halvings"]] == [1]
    assert doc["emission_paid_rao"] == (4_500_000 - 1000) * TAO + TAO // 2  # last one halved
    halvings = taoctl.json("chain", "halving")["halvings"]
    assert halvings[0] | {} == halvings[0] and halvings[0]["past"]
    assert halvings[0]["block"] == 4_500_001 and halvings[0]["date"].startswith("2027-09-18")
    assert halvings[1]["threshold_rao"] == 15_750_000 * TAO and not halvings[1]["past"]
    assert taoctl.json("chain", "check")["ok"]


@pytest.mark.parametrize("args", [(), ("0",), ("-5",), ("5", "--to-halving"),
                                  ("--to-block", "1"), ("abc",),
                                  ("5", "--coarse", "--block-by-block")])
def test_advance_bad_input(taoctl, chain, args):
    proc = taoctl.run("chain", "advance", *args, "--json")
    assert proc.returncode == 2
    assert "error" in json.loads(proc.stdout)
    assert taoctl.json("chain", "status")["block"] == 1


def test_mainnet_preset_halving_table(taoctl, tmp_path):
    db = tmp_path / "main.db"
    doc = taoctl.json("chain", "init", "--preset", "mainnet", "--chain-db", db)
    assert abs(doc["issuance_rao"] - 10_720_000 * TAO) < TAO
    assert doc["block_emission_rao"] == TAO // 2
    table = taoctl.json("chain", "halving", "--chain-db", db)["halvings"]
    past = [h for h in table if h["past"]]
    upcoming = [h for h in table if not h["past"]]
    assert past[0]["date"].startswith("2025-12-15")
    assert upcoming[0]["threshold_rao"] == 15_750_000 * TAO
    assert upcoming[0]["date"].startswith("2029-12-1")
    proc = taoctl.run("chain", "advance", "--to-halving", "--chain-db", db, "--json")
    assert proc.returncode == 2 and "--coarse" in _error(proc)["message"]
    assert taoctl.json("chain", "status", "--chain-db", db)["block"] == doc["block"]
    doc = taoctl.json("chain", "advance", "--to-halving", "--coarse", "--chain-db", db)
    assert doc["block"] == upcoming[0]["block"] and doc["block_emission_rao"] == TAO // 4
    assert doc["mode"] == "coarse" and [h["k"] for h in doc["halvings"]] == [2]
    assert doc["epochs_fired"] >= 32 * 128  # one merged epoch per subnet per step
    assert taoctl.json("chain", "check", "--chain-db", db)["ok"]
    proc = taoctl.run("chain", "fund", ALICE, "1", "--chain-db", db, "--json")
    assert proc.returncode == 2 and "dev preset" in _error(proc)["message"]


def test_check_reports_a_broken_chain(taoctl, chain):
    assert taoctl.json("chain", "check")["ok"]
    with sqlite3.connect(chain) as conn:
        conn.execute("UPDATE storage SET value = '99' WHERE item = 'Balances.TotalIssuance'")
    proc = taoctl.run("chain", "check", "--json")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert not doc["ok"] and not doc["checks"]["issuance_equals_balances"]["ok"]
    assert doc["checks"]["block_links"]["ok"]


def test_fund_and_balance(taoctl, chain):
    doc = taoctl.json("chain", "fund", BOB, "12.5")
    assert doc["receipt"]["success"] and doc["amount_rao"] == 12_500_000_000
    assert doc["from"] == ALICE
    bal = taoctl.json("wallet", "balance", "--ss58", BOB, "--ss58", ALICE)
    free = [r["free_rao"] for r in bal["balances"]]
    fee = doc["receipt"]["fee_rao"]  # Alice's transfer pays spec 461's transaction fee
    assert fee > 0
    assert free == [1_000_012_500_000_000, 999_987_500_000_000 - fee]
    for bad in (("nonsense", "1"), (BOB, "0"), (BOB, "-1"), (BOB, "2000000")):
        proc = taoctl.run("chain", "fund", *bad, "--json")
        assert proc.returncode in (2, 4), bad
        assert "error" in json.loads(proc.stdout)
    assert taoctl.json("wallet", "balance", "--ss58", BOB)["balances"][0]["free_rao"] == \
        1_000_012_500_000_000
    assert taoctl.json("chain", "check")["ok"]


def test_chain_commands_are_sandbox_only(taoctl, chain):
    for network in ("finney", "test", "local", "wss://example.org:443"):
        for command in (("status",), ("advance", "1"), ("halving",), ("check",),
                        ("fund", BOB, "1"), ("init", "--force")):
            proc = taoctl.run("chain", *command, "--network", network, "--json")
            err = _error(proc)
            assert proc.returncode == 5 and "sandbox" in err["message"], (network, command)
    proc = taoctl.run("wallet", "balance", "--ss58", ALICE, "--network", "moon", "--json")
    assert proc.returncode == 2 and _error(proc)["type"] == "UnknownNetwork"
    assert taoctl.json("chain", "status")["block"] == 1


def test_human_output_is_readable(taoctl, chain):
    proc = taoctl.run("chain", "status")
    assert proc.returncode == 0 and "Open block" in proc.stdout and str(chain) in proc.stdout
    proc = taoctl.run("chain", "halving")
    assert proc.returncode == 0 and "10,500,000" in proc.stdout


def test_ctrl_c_stops_at_a_committed_block(taoctl, chain):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    exe = str(Path(sys.executable).with_name("taoctl"))
    proc = subprocess.Popen([exe, "chain", "advance", "5000000", "--block-by-block",
                             "--json"], env=taoctl.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    # Ctrl-C once the run has committed blocks, not during start-up on a loaded machine
    deadline = time.monotonic() + 60
    while taoctl.json("chain", "status")["block"] == 1:
        assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    doc = json.loads(out)
    assert doc["interrupted"] and 0 < doc["blocks_advanced"] < 5_000_000
    status = taoctl.json("chain", "status")
    assert status["block"] == doc["block"] == 1 + doc["blocks_advanced"]
    assert taoctl.json("chain", "check")["ok"]


def test_locked_chain_is_a_one_line_error(taoctl, chain):
    conn = sqlite3.connect(chain, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        proc = taoctl.run("chain", "advance", "1", "--json",
                          env={"TAOCTL_CHAIN_BUSY_TIMEOUT": "0.3"})
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert proc.returncode == 5 and _error(proc)["type"] == "ChainLocked"
    assert taoctl.json("chain", "status")["block"] == 1

"""Damage is named, never an internal error; permissions and a busy chain are said in plain
words (issue 12, observations 5 and 9)."""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import stat
import subprocess

import pytest

from chain.pallets import system
from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.chain import LocalChain
from chain.local.errors import ChainCorrupt, ChainUnavailable
from chain.errors import InvalidTransaction
from chain.local.extrinsic import Call
from chain.local.invariants import check

TAO = 10**9
BOB_SS58 = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


def _page_size(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA page_size").fetchone()[0]


def _transfer(chain):
    return chain.submit_call(dev_signer("Alice"), Call("Balances", "transfer_keep_alive",
                                                       {"dest": DEV_ACCOUNTS["Bob"], "value": TAO}))


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A small dev chain with a few extrinsics and blocks, made once."""
    path = tmp_path_factory.mktemp("damaged") / "base.db"
    with LocalChain.create(path, "dev") as chain:
        for _ in range(3):
            _transfer(chain)
        chain.advance(5)
        _transfer(chain)
    return path


def _copy(base, tmp_path):
    path = tmp_path / "c.db"
    shutil.copy(base, path)
    return path


def _use(path):
    """What commands do with a chain: open it, read balances and blocks, check, transfer."""
    with LocalChain.open(path) as chain:
        chain.block_info()
        with chain.reading() as state:
            dict(state.iter(system.ACCOUNT))
        failures = check(chain)
        try:
            _transfer(chain)
        except InvalidTransaction:  # e.g. damage that zeroed Alice's row: she cannot pay the
            pass                    # fee, a clear refusal (as a failed call was before fees)
    return failures


def test_random_page_damage_is_chain_corrupt_or_a_failed_check(base, tmp_path):
    """Every page of the file, damaged in turn: each use either works or raises a
    ChainUnavailable (exit 5); when a use failed, `chain check` fails too."""
    rng = random.Random(5)
    page_size = _page_size(base)
    pages = base.stat().st_size // page_size
    outcomes = {"ok": 0, "refused": 0}
    for page in range(1, pages):
        for size in (16, 512):
            path = _copy(base, tmp_path)
            with open(path, "r+b") as f:
                f.seek(page * page_size + rng.randrange(0, page_size - size))
                f.write(rng.randbytes(size))
            try:
                failures = _use(path)
            except ChainUnavailable as exc:
                outcomes["refused"] += 1
                assert "damaged" in str(exc) or "corrupt" in str(exc) or "not a taoctl" in \
                    str(exc), exc
                try:
                    with LocalChain.open(path) as chain:
                        assert any(check(chain).values())
                except ChainUnavailable:
                    pass  # cannot even be opened: as clear as a failed check
            else:
                outcomes["ok"] += 1  # damage in free space or a value that still decodes
                assert isinstance(failures, dict)
            path.unlink()
    assert outcomes["refused"] > 0


def test_a_malformed_database_is_a_failed_check(base, tmp_path):
    path = _copy(base, tmp_path)
    page_size = _page_size(path)
    pages = path.stat().st_size // page_size
    with open(path, "r+b") as f:  # wipe the last pages (the meta table stays readable)
        for page in range(pages - 2, pages):
            f.seek(page * page_size)
            f.write(b"\xff" * page_size)
    with LocalChain.open(path) as chain:
        results = check(chain)
    assert results["database_integrity"], results
    assert all(results[name] for name in results)  # the rest: "not checked"


@pytest.mark.parametrize("column, value", [("extrinsics", "[not json"), ("events", "{"),
                                           ("extrinsics", '["0x12"]'), ("issuance", "x")])
def test_a_damaged_block_row_is_named_by_commands_and_check(base, tmp_path, column, value):
    path = _copy(base, tmp_path)
    with LocalChain.open(path) as chain:
        open_block = chain.open_number()
        chain.conn.execute(f"UPDATE blocks SET {column} = ? WHERE number = ?", (value, open_block))
        results = check(chain)
        assert results["rows_decode"] and f"block {open_block}" in results["rows_decode"][0]
        if column == "extrinsics":
            with pytest.raises(ChainCorrupt) as info:
                _transfer(chain)
            assert f"block {open_block}" in str(info.value)
            assert "nothing was changed" in str(info.value)


def test_a_damaged_extrinsic_row_fails_the_check(base, tmp_path):
    path = _copy(base, tmp_path)
    with LocalChain.open(path) as chain:
        chain.conn.execute("UPDATE extrinsics SET events = 'oops', signer = x'00' "
                           "WHERE idx = 0 AND block = (SELECT MIN(block) FROM extrinsics)")
        assert check(chain)["rows_decode"]


def test_a_damaged_storage_key_is_named(base, tmp_path):
    path = _copy(base, tmp_path)
    with LocalChain.open(path) as chain:
        chain.conn.execute("INSERT INTO storage (item, key, value) VALUES "
                           "('System.Account', '[\"zz\"]', '{\"nonce\":0,\"free\":1,"
                           "\"reserved\":0,\"frozen\":0}')")
        with pytest.raises(ChainCorrupt) as info, chain.reading() as state:
            dict(state.iter(system.ACCOUNT))
        assert "System.Account" in str(info.value)
        assert check(chain)["storage_decodes"]


def test_cli_chain_check_on_a_malformed_file_is_not_an_internal_error(base, tmp_path, taoctl):
    path = _copy(base, tmp_path)
    page_size = _page_size(path)
    with open(path, "r+b") as f:
        for page in range(2, path.stat().st_size // page_size):
            f.seek(page * page_size)
            f.write(b"\x00\x01" * (page_size // 2))
    proc = taoctl.run("chain", "check", "--chain-db", path, "--json")
    assert proc.returncode in (1, 5), proc.stderr
    doc = json.loads(proc.stdout)
    if proc.returncode == 1:
        assert doc["ok"] is False and not doc["checks"]["database_integrity"]["ok"]
    else:
        assert doc["error"]["type"] == "ChainCorrupt"
    assert "InternalError" not in proc.stdout and "Traceback" not in proc.stderr


# --- clear words: permissions, busy ----------------------------------------------------------


def test_a_chain_in_a_read_only_directory_is_a_permissions_problem(base, tmp_path, taoctl):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "chain.db"
    shutil.copy(base, path)
    args = ["chain", "advance", "1", "--chain-db", str(path), "--json"]
    # root writes anywhere a mode allows nothing: make the directory immutable instead
    lock = ["chattr", "+i", str(folder)] if os.geteuid() == 0 else None
    if lock and subprocess.run(lock, capture_output=True).returncode != 0:
        pytest.skip("running as root on a file system without chattr +i")
    if not lock:
        os.chmod(folder, 0o555)
    try:
        proc = taoctl.run(*args)
    finally:
        if lock:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
        else:
            os.chmod(folder, 0o755)
    assert proc.returncode == 5, proc.stderr
    error = json.loads(proc.stdout)["error"]
    assert error["type"] == "ChainPermissionDenied", error
    assert "permission" in error["message"] and "corrupt" not in error["message"]
    assert "nothing was changed" in error["message"]


def test_a_busy_chain_says_nothing_changed_and_retry(base, tmp_path, taoctl):
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    path = _copy(base, tmp_path)
    Wallet("default", taoctl.home / ".bittensor" / "wallets").write_coldkey(
        keypair_from_uri("//Alice"))
    busy = {"TAOCTL_CHAIN_BUSY_TIMEOUT": "0.2"}
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        procs = [taoctl.run("wallet", "transfer", "--dest", BOB_SS58, "--amount", "1", "-y",
                            "--chain-db", path, "--json", env=busy),
                 taoctl.run("chain", "advance", "1", "--chain-db", path, "--json", env=busy)]
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    for proc in procs:
        assert proc.returncode == 5, proc.stdout
        error = json.loads(proc.stdout)["error"]
        assert error["type"] == "ChainLocked"
        assert "nothing was changed" in error["message"] and "retry" in error["message"]
    with LocalChain.open(path) as chain:  # and indeed nothing changed
        assert chain.nonce(DEV_ACCOUNTS["Alice"]) == 4


def test_directories_and_files_taoctl_creates_are_private_under_umask_000(tmp_path):
    from cli.walkthrough import _private_workspace
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    old = os.umask(0)
    try:
        chain = LocalChain.create(tmp_path / "data" / "taoctl" / "chain.db", "dev")
        _transfer(chain)
        chain.close()
        _private_workspace(tmp_path / "share" / "walk")
        Wallet("w", tmp_path / "wallets" / "deep").write_hotkey(keypair_from_uri("//A"), "hk")
    finally:
        os.umask(old)

    def mode(p):
        return stat.S_IMODE(os.stat(p).st_mode)

    for folder in (tmp_path / "data", tmp_path / "data" / "taoctl", tmp_path / "share",
                   tmp_path / "share" / "walk", tmp_path / "share" / "walk" / "wallets",
                   tmp_path / "wallets", tmp_path / "wallets" / "deep" / "w" / "hotkeys"):
        assert mode(folder) == 0o700, folder
    for file in (tmp_path / "data" / "taoctl" / "chain.db",
                 tmp_path / "share" / "walk" / ".taoctl-walkthrough",
                 tmp_path / "wallets" / "deep" / "w" / "hotkeys" / "hk"):
        assert mode(file) == 0o600, file


def test_cli_transfer_on_a_damaged_block_row_is_chain_corrupt(base, tmp_path, taoctl):
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    path = _copy(base, tmp_path)
    with LocalChain.open(path) as chain:
        chain.conn.execute("UPDATE blocks SET extrinsics = '[not json' WHERE number = ?",
                           (chain.open_number(),))
    Wallet("default", taoctl.home / ".bittensor" / "wallets").write_coldkey(
        keypair_from_uri("//Alice"))
    proc = taoctl.run("wallet", "transfer", "--dest", BOB_SS58, "--amount", "1", "-y",
                      "--chain-db", path, "--json")
    assert proc.returncode == 5, proc.stdout
    error = json.loads(proc.stdout)["error"]
    assert error["type"] == "ChainCorrupt" and "extrinsics" in error["message"]
    check = taoctl.run("chain", "check", "--chain-db", path, "--json")
    assert check.returncode == 1 and not json.loads(check.stdout)["checks"]["rows_decode"]["ok"]


def test_a_schema_name_damaged_into_bad_utf8_is_chain_corrupt(tmp_path):
    """A table name in the schema damaged into invalid UTF-8 (SQLite's own error then fails to
    decode): `ChainCorrupt`, exit 5, one line that says so, not a traceback."""
    path = tmp_path / "damaged.db"
    LocalChain.create(path, "dev").close()
    data = bytearray(path.read_bytes())
    at = data.find(b"tablestoragestorage")
    assert at > 0
    data[at + 5:at + 12] = b"st\xffr\xd8ge"
    path.write_bytes(bytes(data))
    with pytest.raises(ChainCorrupt, match="schema is unreadable") as refused:
        LocalChain.open(path)
    assert refused.value.exit_code == 5 and "\n" not in str(refused.value)

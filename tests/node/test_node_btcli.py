"""btcli as an external client of `taoctl node serve`: `wallet balance`, `subnets list`,
`wallet transfer` and `stake add --no-mev-protection`, each checked against the chain file.

btcli is installed by the test into a venv under ~/.cache/taoctl-tests (reused across runs;
`TAOCTL_BTCLI` points at another btcli). If it cannot be installed, the tests skip with the reason.
btcli exits 0 on failure and prints nothing under --json-output: it is judged by its JSON and by
the chain state.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.node.server import NodeServer
from wallet.directory import Wallet
from wallet.keys import keypair_from_uri
from wallet.ss58 import ss58_encode

pytestmark = pytest.mark.slow

TAO = 10**9
ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]
VENV = Path(os.path.expanduser("~/.cache/taoctl-tests/btcli-venv"))


def btcli_path() -> str:
    """An installed btcli, installing bittensor-cli into the cache venv on first use."""
    given = os.environ.get("TAOCTL_BTCLI")
    if given:
        return given
    import fcntl

    exe = VENV / "bin" / "btcli"
    if exe.exists():
        return str(exe)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    with open(VENV.parent / "btcli-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # xdist workers install once, one at a time
        if exe.exists():
            return str(exe)
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(VENV)], check=True,
                           timeout=300, capture_output=True)
            subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", "bittensor-cli"],
                           check=True, timeout=1200, capture_output=True)
        except (subprocess.SubprocessError, OSError) as exc:
            pytest.skip(f"bittensor-cli could not be installed: {exc}")
    if not exe.exists():
        pytest.skip("bittensor-cli installed no btcli executable")
    return str(exe)


@pytest.fixture(scope="module")
def btcli():
    return btcli_path()


@pytest.fixture()
def served(tmp_path):
    """A dev chain (a few blocks in, as a live chain is) served on a free port."""
    path = tmp_path / "chain.db"
    with LocalChain.create(path, "dev") as chain:
        chain.advance(3)
    server = NodeServer(path, "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        yield f"ws://127.0.0.1:{server.port}", path
    finally:
        stop()


def run(btcli: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BT_", "TAOCTL_"))}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1")
    return subprocess.run([btcli, *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def as_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout.strip(), f"btcli printed nothing (stderr: {proc.stderr[-500:]})"
    return json.loads(proc.stdout)


def read_free(path: Path, *keys: bytes) -> list[int]:
    backend = LocalBackend(path)
    try:
        return [backend.read("System.Account", k).free for k in keys]
    finally:
        backend.close()


def read_nonce(path: Path, key: bytes) -> int:
    backend = LocalBackend(path)
    try:
        return backend.read("System.Account", key).nonce
    finally:
        backend.close()


def fees_paid(path: Path, signer: bytes, from_nonce: int) -> int:
    """The transaction fees `signer`'s extrinsics from `from_nonce` on paid, as their
    TransactionFeePaid events in the chain file record them."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT events FROM extrinsics WHERE signer = ? AND nonce >= ?",
                            (signer, from_nonce)).fetchall()
    finally:
        conn.close()
    paid = [e["args"]["actual_fee"] for (events,) in rows for e in json.loads(events)
            if e["name"] == "TransactionFeePaid"]
    assert len(paid) == len(rows) and all(paid)
    return sum(paid)


def test_wallet_balance(btcli, served, tmp_path):
    url, path = served
    doc = as_json(run(btcli, tmp_path, "wallet", "balance", "--ss58", ss58_encode(ALICE),
                      "--network", url, "--json-output"))
    (row,) = doc["balances"].values()
    assert row["coldkey"] == ss58_encode(ALICE)
    assert round(row["free"] * TAO) == read_free(path, ALICE)[0]


def test_subnets_list(btcli, served, tmp_path):
    url, path = served
    doc = as_json(run(btcli, tmp_path, "subnets", "list", "--network", url, "--json-output"))
    backend = LocalBackend(path)
    try:
        with backend.chain.reading() as state:
            from chain.pallets import subtensor_module as sm

            added = sorted(k[0] for k, v in state.iter(sm.NETWORKS_ADDED) if v)
    finally:
        backend.close()
    listed = sorted(int(n) for n in doc["subnets"])
    assert listed == added


def test_wallet_transfer(btcli, served, tmp_path):
    url, path = served
    wallets = tmp_path / "wallets"
    keypair = keypair_from_uri("//Alice")
    Wallet("alice", wallets).write_coldkey(keypair, None)
    before = read_free(path, ALICE, BOB)
    nonce = read_nonce(path, ALICE)
    proc = run(btcli, tmp_path, "wallet", "transfer", "--dest", ss58_encode(BOB), "--amount",
               "2.5", "--wallet-name", "alice", "--wallet-path", str(wallets), "--network", url,
               "--no-prompt", "--json-output")
    doc = as_json(proc)
    assert doc.get("success") is True, doc
    after = read_free(path, ALICE, BOB)
    fee = fees_paid(path, ALICE, nonce)
    assert after == [before[0] - 2_500_000_000 - fee, before[1] + 2_500_000_000]


@pytest.fixture()
def served_subnet(tmp_path):
    """A dev chain with subnet 1 created and started by Alice (hotkey //AliceHot), served."""
    from chain.local.accounts import dev_signer
    from chain.local.extrinsic import Call

    from chain.pallets.subtensor_module import START_CALL_DELAY

    path = tmp_path / "chain.db"
    hotkey = keypair_from_uri("//AliceHot")
    alice = dev_signer("Alice")
    with LocalChain.create(path, "dev") as chain:
        assert chain.submit_call(alice, Call("SubtensorModule", "register_network",
                                             {"hotkey": hotkey.public_key})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(alice, Call("SubtensorModule", "start_call",
                                             {"netuid": 1})).success
        chain.advance(2)
    wallets = tmp_path / "wallets"
    Wallet("alice", wallets).write_coldkey(keypair_from_uri("//Alice"), None)
    Wallet("alice", wallets).write_hotkey(hotkey, "default", None)
    server = NodeServer(path, "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        yield f"ws://127.0.0.1:{server.port}", path, wallets, hotkey.public_key
    finally:
        stop()


def stake_in_file(path: Path, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    from chain.local import stake_utils

    with LocalChain.open(path) as chain, chain.reading() as state:
        return stake_utils.stake_of(state, hotkey, coldkey, netuid)


def test_stake_add_without_mev_protection(btcli, served_subnet, tmp_path):
    url, path, wallets, hotkey = served_subnet
    common = ["--netuid", "1", "--amount", "5", "--wallet-name", "alice", "--wallet-path",
              str(wallets), "--wallet-hotkey", "default", "--no-mev-protection", "--no-prompt",
              "--json-output", "--network", url]
    # safe staking (0.5 % tolerance) on a young, shallow pool: the chain refuses, btcli
    # reports the module error by name, nothing is staked
    doc = as_json(run(btcli, tmp_path, "stake", "add", *common))
    (ok,) = doc["staking_success"]["1"].values()
    (message,) = doc["error_messages"]["1"].values()
    assert ok is False and "SlippageTooHigh" in message
    assert stake_in_file(path, hotkey, ALICE, 1) == 0
    before, nonce = read_free(path, ALICE)[0], read_nonce(path, ALICE)
    doc = as_json(run(btcli, tmp_path, "stake", "add", *common, "--unsafe"))
    (ok,) = doc["staking_success"]["1"].values()
    assert ok is True, doc
    assert read_free(path, ALICE)[0] == before - 5 * TAO - fees_paid(path, ALICE, nonce)
    assert stake_in_file(path, hotkey, ALICE, 1) > 0

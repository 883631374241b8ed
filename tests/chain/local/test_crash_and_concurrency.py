"""Reliability: kill -9 at random moments, and several processes writing the same chain file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from chain.local.chain import LocalChain
from chain.local.invariants import check
from chain.pallets import system

WORKER = str(Path(__file__).with_name("transfer_worker.py"))
ROOT = str(Path(__file__).resolve().parents[3])
ENV = {**os.environ, "PYTHONPATH": ROOT}


def _taoctl() -> str:
    return str(Path(sys.executable).with_name("taoctl"))


def _worker(db: Path, sender: str, dest: str, count: int) -> subprocess.Popen:
    """Start a transfer stream; it is READY and waits for `_go` before its first transfer."""
    proc = subprocess.Popen([sys.executable, WORKER, str(db), sender,
                             DEV_ACCOUNTS[dest].hex(), str(count)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    assert proc.stdout.readline().strip() == "READY", proc.stderr.read()
    return proc


def _go(*procs: subprocess.Popen) -> None:
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()


def _applied(stdout: str) -> list[bytes]:
    return [bytes.fromhex(line.split()[1]) for line in stdout.splitlines()
            if line.startswith("APPLIED ")]


def _assert_healthy(db: Path, reported: list[bytes]) -> None:
    with LocalChain.open(db) as chain:
        failures = check(chain)
        assert not any(failures.values()), failures
        stored = {bytes(h) for (h,) in chain.conn.execute("SELECT hash FROM extrinsics")}
    missing = [h.hex() for h in reported if h not in stored]
    assert not missing, f"{len(missing)} transfers reported as applied are lost"


def _wait_for_progress(db, timeout: float = 120.0) -> None:
    """Until the chain file's open block moved past genesis (read-only peeks, WAL readers)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with LocalChain.open(db) as chain:
            if chain.open_number() > 1:
                return
        time.sleep(0.05)


@pytest.mark.slow
def test_kill_9_during_transfers_and_advance(tmp_path):
    db = tmp_path / "crash.db"
    LocalChain.create(db, "dev").close()
    rng = random.Random(20261125)
    reported: list[bytes] = []
    for round_ in range(8):
        transfers = _worker(db, "Alice", "Bob", 100_000)
        _go(transfers)
        advance = subprocess.Popen([_taoctl(), "chain", "advance", "1000000", "--block-by-block",
                                    "--chain-db", str(db)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
        if round_ == 0:  # one round kills only after the advance committed (a loaded machine
            _wait_for_progress(db)  # may take longer than any fixed sleep to start it)
        else:
            time.sleep(rng.uniform(0.2, 1.5))
        for proc in (transfers, advance) if rng.random() < 0.5 else (advance, transfers):
            os.kill(proc.pid, signal.SIGKILL)
            time.sleep(rng.uniform(0, 0.05))
        out, _ = transfers.communicate()
        advance.wait()
        reported += _applied(out)
        _assert_healthy(db, reported)
    assert len(reported) > 10  # the test did kill a stream that had made progress
    with LocalChain.open(db) as chain:
        assert chain.nonce(DEV_ACCOUNTS["Alice"]) >= len(reported)
        assert chain.open_number() > 1


@pytest.mark.slow
def test_kill_9_during_fast_advance(tmp_path):
    db = tmp_path / "fast.db"
    LocalChain.create(db, "mainnet").close()
    rng = random.Random(7)
    for _ in range(6):
        proc = subprocess.Popen([_taoctl(), "chain", "advance", "--to-halving", "--chain-db",
                                 str(db)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, 0.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _assert_healthy(db, [])


def test_concurrent_writers_lose_no_update(tmp_path):
    db = tmp_path / "multi.db"
    LocalChain.create(db, "dev").close()
    n = 25
    procs = [_worker(db, "Alice", "Charlie", n), _worker(db, "Alice", "Dave", n),
             _worker(db, "Bob", "Charlie", n)]
    _go(*procs)
    advancer = subprocess.Popen([_taoctl(), "chain", "advance", "3000", "--block-by-block",
                                 "--chain-db", str(db)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
    outputs = [p.communicate(timeout=120) for p in procs]
    assert advancer.wait(timeout=120) == 0, advancer.stderr.read()
    for proc, (out, err) in zip(procs, outputs, strict=False):
        assert proc.returncode == 0, err
        assert len(_applied(out)) == n
        assert all(line.split()[3] == "1" for line in out.splitlines() if line.startswith("APP"))
    with LocalChain.open(db) as chain:
        with chain.reading() as st:
            free = {name: st.get(system.ACCOUNT, key).free for name, key in DEV_ACCOUNTS.items()}
            nonces = {name: st.get(system.ACCOUNT, key).nonce for name, key in DEV_ACCOUNTS.items()}
        failures = check(chain)
    assert not any(failures.values()), failures
    start, value = 1_000_000 * 10**9, 1_000_000
    assert nonces["Alice"] == 2 * n and nonces["Bob"] == n
    # every transfer paid its transaction fee, as each receipt reported it
    fees = [sum(int(line.split()[4]) for line in out.splitlines() if line.startswith("APP"))
            for out, _ in outputs]
    assert min(fees) > 0
    assert free["Alice"] == start - 2 * n * value - fees[0] - fees[1]
    assert free["Bob"] == start - n * value - fees[2]
    assert free["Charlie"] == start + 2 * n * value
    assert free["Dave"] == start + n * value

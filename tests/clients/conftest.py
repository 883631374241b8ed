"""Fixtures of the client tests: the pinned client venvs (made once per machine, `venvs`), and a
served chain with a history, one per test module (one client session per module). The chain
charges spec 461's fees (`Taoctl.FeeSchedule` "spec461"), as the runtime the clients target.

The chain: a dev chain where Alice owns subnet 1 (hotkey //AliceHot, started, 100 TAO staked)
and Bob stakes every 100 blocks over 1300 blocks, so prices have a real history (Alice also
lowers //AliceHot's take to `ALICE_TAKE`, which makes it a delegate); the sandbox's
own price, Alice's free balance and her stake are recorded every 10 blocks while it is built
(`Served.at[block]`), the figures the clients' reads at a past block must return.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.clients import venvs

TAO = 10**9
ROOT = Path(__file__).resolve().parents[2]
HISTORY_BLOCKS = 1300  # btcli's `subnets price` looks back 1200 blocks (4 h at 300 blocks/h)
STEP = 10  # its points are the head and blocks on multiples of 10: figures are kept for those


@pytest.fixture(scope="session")
def btcli9() -> str:
    """btcli 9.23.2's executable (its own venv)."""
    try:
        venv, _ = venvs.ensure("btcli9")
    except venvs.VenvError as exc:
        pytest.fail(str(exc))
    return str(venv / "bin" / "btcli")


@pytest.fixture(scope="session")
def sdk11() -> Path:
    """The bittensor 11.3.0 venv (its python runs the SDK; its btcli is btcli v11)."""
    try:
        venv, _ = venvs.ensure("sdk11")
    except venvs.VenvError as exc:
        pytest.fail(str(exc))
    return venv


@dataclass
class Figures:
    """The sandbox's own figures at one block."""

    block: int
    price_rao: int
    alice_free: int
    alice_stake: int


@dataclass
class Served:
    url: str
    path: Path
    home: Path  # the clients' HOME (wallets under home/.bittensor/wallets)
    wallets: Path
    hotkey: bytes
    at: dict[int, Figures] = field(default_factory=dict)


ALICE_HOT_URI = "//AliceHot"
SECOND_HOT_URI = "//AliceHot2"  # the wallet's hotkey "second": unregistered until a client registers it
THIRD_HOT_URI = "//AliceHot3"  # and "third"
ALICE_TAKE = 9_000  # of 65535: //AliceHot's take, below the default 11_796


def build_chain(path: Path) -> dict[int, Figures]:
    """The chain described in the module docstring; returns the figures at every block."""
    from chain.local.accounts import DEV_ACCOUNTS, dev_signer
    from chain.local.backend import LocalBackend
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call
    from chain.pallets import taoctl
    from chain.pallets.subtensor_module import START_CALL_DELAY
    from wallet.keys import keypair_from_uri

    hotkey = keypair_from_uri(ALICE_HOT_URI).public_key
    alice, bob = dev_signer("Alice"), dev_signer("Bob")
    with LocalChain.create(path, "dev") as chain:
        with chain.writing() as state:  # today's runtime's fees (the dev preset charges none)
            state.set(taoctl.FEE_SCHEDULE, "spec461")
        assert chain.submit_call(alice, Call("SubtensorModule", "register_network",
                                             {"hotkey": hotkey})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(alice, Call("SubtensorModule", "start_call",
                                             {"netuid": 1})).success
        assert chain.submit_call(alice, Call("SubtensorModule", "add_stake", {
            "hotkey": hotkey, "netuid": 1, "amount_staked": 100 * TAO})).success
        assert chain.submit_call(alice, Call("SubtensorModule", "decrease_take", {
            "hotkey": hotkey, "take": ALICE_TAKE})).success
        chain.advance(1)
    backend = LocalBackend(path)
    figures: dict[int, Figures] = {}
    try:
        import amm

        chain = backend.chain
        chain.advance(-(chain.open_number() - 1) % STEP or STEP)  # the head on a multiple of 10
        for i in range(HISTORY_BLOCKS // STEP):
            if i % 10 == 5:  # Bob buys: the price moves
                assert chain.submit_call(bob, Call("SubtensorModule", "add_stake", {
                    "hotkey": hotkey, "netuid": 1, "amount_staked": (i // 10 + 1) * TAO})).success
            if i == HISTORY_BLOCKS // STEP // 2:  # Alice too: her balance and stake move
                assert chain.submit_call(alice, Call("SubtensorModule", "add_stake", {
                    "hotkey": hotkey, "netuid": 1, "amount_staked": 3 * TAO})).success
            chain.advance(STEP)
            head = chain.open_number() - 1
            figures[head] = Figures(head, amm.price_rao(backend.pool(1)),
                                    backend.free_balance(DEV_ACCOUNTS["Alice"]),
                                    backend.stake(hotkey, DEV_ACCOUNTS["Alice"], 1))
    finally:
        backend.close()
    return figures


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The module's chain, served by `taoctl node serve`'s server in this process."""
    from chain.node.server import NodeServer
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri

    base = tmp_path_factory.mktemp("clients")
    path = base / "chain.db"
    at = build_chain(path)
    home = base / "home"
    wallets = home / ".bittensor" / "wallets"
    Wallet("alice", wallets).write_coldkey(keypair_from_uri("//Alice"), None)
    hot = keypair_from_uri(ALICE_HOT_URI)
    Wallet("alice", wallets).write_hotkey(hot, "default", None)
    Wallet("alice", wallets).write_hotkey(keypair_from_uri(SECOND_HOT_URI), "second", None)
    Wallet("alice", wallets).write_hotkey(keypair_from_uri(THIRD_HOT_URI), "third", None)
    server = NodeServer(path, "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        yield Served(f"ws://127.0.0.1:{server.port}", path, home, wallets, hot.public_key, at)
    finally:
        stop()
    check = chain_check(path)
    assert not check, f"chain check after the clients' run: {check}"


def chain_check(path: Path) -> dict[str, list[str]]:
    """`taoctl chain check`'s failures (empty when every invariant holds)."""
    from chain.local.backend import LocalBackend

    backend = LocalBackend(path)
    try:
        return {k: v for k, v in backend.check().items() if v}
    finally:
        backend.close()


def client_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BT_", "TAOCTL_"))}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1", PYTHONUNBUFFERED="1")
    return env


def run(exe: str, home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """A client process; one that does not finish within `timeout` is killed and reported as
    failed (exit -9, "no answer" on stderr): a hung client fails its test quickly."""
    try:
        return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout,
                              env=client_env(home), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return subprocess.CompletedProcess(exc.cmd, -9, out, f"no answer within {timeout} s")


def as_json(proc: subprocess.CompletedProcess):
    """The client's one JSON document (btcli exits 0 on failure: judge it by what it says)."""
    out = proc.stdout.strip()
    assert out, f"the client printed nothing (exit {proc.returncode}; stderr: " \
                f"{proc.stderr[-1500:]})"
    try:
        return json.loads(out)
    except ValueError:  # a status line before the document
        start = min(i for i in (out.find("{"), out.find("[")) if i >= 0)
        return json.loads(out[start:])


def taoctl_json(path: Path, *args: str) -> dict:
    """taoctl's own answer on the same chain file (`--network sandbox --chain-db`)."""
    proc = subprocess.run([sys.executable, "-m", "cli.main", *args, "--chain-db", str(path),
                           "--json"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def fees_paid(path: Path, signer: bytes, block: int) -> list[int]:
    """`TransactionFeePaid.actual_fee` of each of `signer`'s extrinsics in `block`."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT events FROM extrinsics WHERE block = ? AND signer = ? "
                            "ORDER BY idx", (block, signer)).fetchall()
    finally:
        conn.close()
    out = []
    for (events,) in rows:
        for ev in json.loads(events):
            if ev["pallet"] == "TransactionPayment" and ev["name"] == "TransactionFeePaid":
                out.append(int(ev["args"]["actual_fee"]))
    return out


def schedule_fees(path: Path, signer: bytes, block: int) -> list[int]:
    """What the chain's fee schedule (`chain.rules.fees`, spec 461) charges each of `signer`'s
    extrinsics in `block`, from its call and its length as submitted."""
    import sqlite3

    from chain.rules import fees

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT e.call, n.raw FROM extrinsics e JOIN node_extrinsics n "
                            "ON n.hash = e.hash WHERE e.block = ? AND e.signer = ? "
                            "ORDER BY e.idx", (block, signer)).fetchall()
    finally:
        conn.close()
    out = []
    for call, raw in rows:
        pallet, name, _ = json.loads(call)
        out.append(fees.transaction_fee(f"{pallet}.{name}", len(raw)))
    return out


def extrinsic_calls(path: Path, block: int) -> list[tuple[bytes, str]]:
    """(signer, "Pallet.name") of every extrinsic of `block`, in block order."""
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT signer, call FROM extrinsics WHERE block = ? ORDER BY idx",
                            (block,)).fetchall()
    finally:
        conn.close()
    out = []
    for signer, call in rows:
        pallet, name, _ = json.loads(call)
        out.append((bytes(signer) if signer else b"", f"{pallet}.{name}"))
    return out

"""Shared fixtures: run the installed `taoctl` command in an isolated home directory.

The commands run with tests/fastkdf on PYTHONPATH (a cheap stand-in for Argon2i, see its
sitecustomize.py) unless the test is marked `real_kdf`.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def taoctl_path() -> str:
    """The installed console script next to this interpreter (the one a user would run)."""
    candidate = Path(sys.executable).with_name("taoctl")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("taoctl")
    if not found:
        pytest.fail("the taoctl command is not installed: pip install -e '.[test]'")
    return found


FAST_KDF = str(Path(__file__).resolve().parent / "fastkdf")


class Taoctl:
    """Runs `taoctl ...` with HOME and data directories under a temp dir: as a subprocess (the
    installed command, as a user runs it), or with `in_process=True` as a call of `cli.main` in
    this interpreter, for tests about what commands do rather than how the process starts
    (saves the interpreter start and imports, about 0.2 s a command)."""

    def __init__(self, home: Path, *, real_kdf: bool = False, in_process: bool = False) -> None:
        self.home = home
        self.real_kdf = real_kdf
        self.in_process = in_process
        self.env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TAOCTL_", "BT_"))
        }
        self.env.update(
            HOME=str(home),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            XDG_CONFIG_HOME=str(home / ".config"),
            PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
            NO_COLOR="1",
            COLUMNS="200",
        )
        if not real_kdf:
            self.env["PYTHONPATH"] = os.pathsep.join(
                p for p in (FAST_KDF, self.env.get("PYTHONPATH")) if p)

    def environment(self, env: dict | None = None) -> dict:
        """self.env with `env` on top; a PYTHONPATH in `env` is put before ours, not instead."""
        merged = {**self.env, **(env or {})}
        if env and env.get("PYTHONPATH") and self.env.get("PYTHONPATH"):
            merged["PYTHONPATH"] = env["PYTHONPATH"] + os.pathsep + self.env["PYTHONPATH"]
        return merged

    def run(self, *args: str, input: str | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        if self.in_process and not (env and "PYTHONPATH" in env):  # new modules: a process
            return run_in_process([str(a) for a in args], input, self.environment(env),
                                  real_kdf=self.real_kdf)
        return subprocess.run(
            [taoctl_path(), *map(str, args)],
            input=input,
            capture_output=True,
            text=True,
            env=self.environment(env),
            timeout=timeout,
            stdin=None if input is not None else subprocess.DEVNULL,
        )

    def json(self, *args: str, ok: bool = True, **kw) -> dict:
        """Run with --json and parse stdout, which must be exactly one JSON document."""
        proc = self.run(*args, "--json", **kw)
        if ok and proc.returncode != 0:
            raise AssertionError(f"taoctl {' '.join(map(str, args))} failed ({proc.returncode}): "
                                 f"{proc.stderr}")
        return json.loads(proc.stdout)


class _Stream(io.StringIO):
    """A captured stdout/stderr that, like a pipe, is not a terminal."""

    def isatty(self) -> bool:
        return False


@contextlib.contextmanager
def _fresh_process_state(real_kdf: bool):
    """What a new process would start with: no unlocked keys or cached KDF results, the
    keyring chosen from the environment, and (unless `real_kdf`) the test KDF."""
    from cli import walletopts
    from wallet import keyfile

    saved = keyfile.argon2i_sensitive, dict(keyfile._derived)
    keyfile._derived.clear()
    if not real_kdf:
        keyfile.argon2i_sensitive = _cheap_kdf
    walletopts._stdin_password = None
    walletopts._unlocked.clear()
    walletopts._passwords_used.clear()
    _reset_keyring()
    try:
        yield
    finally:
        keyfile.argon2i_sensitive = saved[0]
        keyfile._derived.clear()
        keyfile._derived.update(saved[1])
        walletopts._stdin_password = None
        walletopts._unlocked.clear()
        walletopts._passwords_used.clear()
        _reset_keyring()


def _cheap_kdf(password: bytes) -> bytes:  # the same stand-in as tests/fastkdf
    return hashlib.sha256(b"taoctl-test-kdf" + password).digest()


def _reset_keyring() -> None:
    core = sys.modules.get("keyring.core")
    if core is not None:
        core._keyring_backend = None  # chosen again from PYTHON_KEYRING_BACKEND on first use


def run_in_process(args: list[str], input: str | None, env: dict,
                   *, real_kdf: bool = False) -> subprocess.CompletedProcess:
    """`taoctl args` as a call of `cli.main.main` with this environment, stdin and captured
    output; the exit code is the one the process would have had."""
    from unittest import mock

    from cli.main import main

    out, err = _Stream(), _Stream()
    with mock.patch.dict(os.environ, env, clear=True), \
            mock.patch.object(sys, "stdin", _Stream(input or "")), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            _fresh_process_state(real_kdf):
        try:
            main(args)
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return subprocess.CompletedProcess(["taoctl", *args], code, out.getvalue(), err.getvalue())


@pytest.fixture
def taoctl(tmp_path: Path, request) -> Taoctl:
    home = tmp_path / "home"
    home.mkdir()
    real_kdf = request.node.get_closest_marker("real_kdf") is not None
    # a real_kdf test is about the installed command: it always runs as a subprocess
    in_process = request.node.get_closest_marker("in_process") is not None and not real_kdf
    return Taoctl(home, real_kdf=real_kdf, in_process=in_process)


# --- a module's sandbox session: the set-up the CLI test modules share ----------------------

TAO = 10**9


def sandbox_session(tmp_path_factory, name: str, *, in_process: bool = True) -> Taoctl:
    """A fresh HOME and an initialised sandbox chain file, for one test module's session."""
    root = tmp_path_factory.mktemp(name)
    home = root / "home"
    home.mkdir()
    t = Taoctl(home, in_process=in_process)
    t.env["TAOCTL_CHAIN_DB"] = str(root / "sandbox.db")
    t.root = root
    t.json("chain", "init")
    return t


def sandbox_keeping(tmp_path: Path, keep: int, advance: int) -> Taoctl:
    """A fresh HOME and sandbox chain (tmp_path/sandbox.db) that keeps the state of its last
    `keep` blocks, advanced `advance` blocks: for reads beyond the kept history."""
    home = tmp_path / "home"
    home.mkdir()
    t = Taoctl(home, in_process=True)
    t.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "sandbox.db")
    t.json("chain", "init")
    t.json("chain", "history", "--keep", str(keep))
    t.json("chain", "advance", str(advance))
    return t


def new_wallets(t: Taoctl, *names: str) -> list[dict]:
    """Unencrypted wallets (coldkey and the default hotkey) under these names."""
    return [t.json("wallet", "create", "--wallet-name", n, "--no-use-password", "-y")
            for n in names]


def owned_subnets(t: Taoctl, owner: dict, count: int, *, funded_locks: int = 4) -> list[int]:
    """`owner` is funded with `funded_locks` lock costs (+10 TAO) and creates and starts
    `count` subnets; their netuids."""
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(funded_locks * lock // TAO + 10))
    nets = []
    for _ in range(count):
        n = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
        t.json("subnet", "start", "--netuid", n, "--wallet-name", "owner", "-y")
        nets.append(n)
    return nets


def my_validator_on_a_new_subnet(t: Taoctl, stake: str) -> int:
    """Wallet 'me' (hotkey 'validator', 3000 TAO) registered on a new subnet of wallet
    'owner' with `stake` TAO staked through it (unsafe: the pool is fresh); its netuid."""
    (owner,) = new_wallets(t, "owner")
    me = t.json("wallet", "create", "--wallet-name", "me", "--hotkey", "validator",
                "--no-use-password", "-y")
    t.json("chain", "fund", me["coldkey_ss58"], "3000")
    (n,) = owned_subnets(t, owner, 1, funded_locks=2)
    t.json("subnet", "register", "--netuid", n, "--wallet-name", "me", "--hotkey",
           "validator", "-y")
    t.json("stake", "add", "--netuid", n, "--amount", stake, "--wallet-name", "me",
           "--hotkey", "validator", "--unsafe", "-y")
    return n


def me_staked_on_the_owner(tmp_path_factory, name: str) -> tuple:
    """(taoctl, netuid, me, owner, B) of a new sandbox session: 'me' staked 50 TAO on the
    hotkey of 'owner', who owns a started subnet, after block B (3 blocks since)."""
    t = sandbox_session(tmp_path_factory, name)
    owner, me = new_wallets(t, "owner", "me")
    (n,) = owned_subnets(t, owner, 1, funded_locks=2)
    t.json("chain", "fund", me["coldkey_ss58"], "100")
    t.json("chain", "advance", "2")
    before = t.json("chain", "status")["head_block"]
    t.json("stake", "add", "--netuid", n, "--amount", "50", "--wallet-name", "me",
           "--hotkey-ss58", owner["hotkey_ss58"], "--unsafe", "-y")
    t.json("chain", "advance", "3")
    return t, n, me, owner, before


def staker_on(t: Taoctl, netuid: int, *, amount: str = "20", wallet: str = "staker") -> None:
    """`wallet`'s default hotkey registered on `netuid` with `amount` TAO staked (unsafe)."""
    t.json("subnet", "register", "--netuid", netuid, "--wallet-name", wallet, "-y")
    t.json("stake", "add", "--netuid", netuid, "--amount", amount, "--wallet-name", wallet,
           "--unsafe", "-y")

"""Shared fixtures: run the installed `taoctl` command in an isolated home directory.

The commands run with tests/fastkdf on PYTHONPATH (a cheap stand-in for Argon2i, see its
sitecustomize.py) unless the test is marked `real_kdf`.
"""

from __future__ import annotations

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
    """Runs `taoctl ...` as a subprocess with HOME and data directories under a temp dir."""

    def __init__(self, home: Path, *, real_kdf: bool = False) -> None:
        self.home = home
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


@pytest.fixture
def taoctl(tmp_path: Path, request) -> Taoctl:
    home = tmp_path / "home"
    home.mkdir()
    return Taoctl(home, real_kdf=request.node.get_closest_marker("real_kdf") is not None)

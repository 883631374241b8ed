"""Shared fixtures: run the installed `taoctl` command in an isolated home directory."""

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


class Taoctl:
    """Runs `taoctl ...` as a subprocess with HOME and data directories under a temp dir."""

    def __init__(self, home: Path) -> None:
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

    def run(self, *args: str, input: str | None = None, env: dict | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [taoctl_path(), *map(str, args)],
            input=input,
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
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
def taoctl(tmp_path: Path) -> Taoctl:
    home = tmp_path / "home"
    home.mkdir()
    return Taoctl(home)

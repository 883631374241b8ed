"""The README's "Using it" flow runs as written (issue 13, observation 2), by a person at a
terminal who chose an encrypted wallet: the commands are read from README.md itself (so this
fails when the README drifts from the CLI), the ones without -y run on a pseudo-terminal where
the person answers the password and confirmation prompts, the ones with -y run with no terminal
at all and get the password only from the source the README sets up."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import taoctl_path
from tests.pty_helper import run_on_a_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

README = Path(__file__).resolve().parents[2] / "README.md"
PASSWORD = "correct horse battery"
YOUR_SS58 = "<your-ss58>"  # the README's placeholder, as one word
SET_UP = ("python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/taoctl "
          "walkthrough",
          "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python "
          "-m pytest -q -n auto")


def _blocks(section: str) -> list[str]:
    text = README.read_text().split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", text, re.S)


def using_it(raw: bool = False) -> list:
    """The "Using it" block as argument lists (comments dropped); with `raw`, (line, words)."""
    lines = []
    for line in _blocks("Using it")[0].splitlines():
        words = shlex.split(line.replace("<your ss58>", YOUR_SS58), comments=True)
        if words:
            lines.append((line, words) if raw else words)
    return lines


def test_the_set_up_is_exactly_the_two_commands():
    blocks = [b.strip() for b in _blocks("Set-up")]
    assert blocks == list(SET_UP)


def test_the_readme_flow_with_an_encrypted_wallet(taoctl):
    env = taoctl.environment()
    env.pop("TAOCTL_PASSWORD", None)
    person = [(r"password[^:\n]*: ?$", PASSWORD), (r"retype[^:\n]*: ?$", PASSWORD),
              (r"\[y/n\][^\n]*$", "y")]
    ran = []
    for line, words in using_it(raw=True):
        if words[0] == "read":  # the README's password source: the person types it, bash runs it
            variable = words[-1]
            assert words[-3:] == ["&&", "export", variable], words
            code, output = run_on_a_terminal(
                env, [], [], argv=["/bin/bash", "--norc", "-c", f"{line}\nprintenv {variable}"],
                typed=PASSWORD)
            assert code == 0 and output.strip().splitlines()[-1] == PASSWORD, output
            env[variable] = PASSWORD
            ran.append(words)
            continue
        assert words[0] == "taoctl", words
        args = words[1:]
        if YOUR_SS58 in args:
            inspected = subprocess.run([taoctl_path(), "wallet", "inspect", "--wallet-name",
                                        "me", "--json"], env=env, capture_output=True,
                                       text=True, stdin=subprocess.DEVNULL)
            address = json.loads(inspected.stdout)["ss58_address"]
            args = [address if a == YOUR_SS58 else a for a in args]
        if "-y" in args:  # never asks: no terminal, the password from the README's source
            proc = subprocess.run([taoctl_path(), *args], env=env, capture_output=True,
                                  text=True, stdin=subprocess.DEVNULL, timeout=300)
            code, output = proc.returncode, proc.stdout + proc.stderr
        else:
            code, output = run_on_a_terminal(env, args, person, timeout=300)
        assert code == 0, f"taoctl {' '.join(args)} exited {code}:\n{output[-3000:]}"
        ran.append(words)
    commands = [" ".join(w[:3]) for w in ran]
    assert "taoctl wallet create" in commands and "taoctl chain check" in commands
    assert any(w[0] == "read" for w in ran)
    # the wallet the flow made is encrypted, and the stake went through
    coldkey = (taoctl.home / ".bittensor" / "wallets" / "me" / "coldkey").read_bytes()
    assert coldkey.startswith(b"$NACL")
    stakes = subprocess.run([taoctl_path(), "stake", "list", "--wallet-name", "me", "--json"],
                            env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert '"netuid": 1' in stakes.stdout


def test_without_the_password_source_the_flow_stops_with_exit_3(taoctl):
    """The README's promise the other way round: a -y command never asks."""
    env = taoctl.environment()
    flow = using_it()
    create = next(w for w in flow if w[:3] == ["taoctl", "wallet", "create"])
    code, output = run_on_a_terminal(env, create[1:], [(r"password[^:\n]*: ?$", PASSWORD),
                                                       (r"retype[^:\n]*: ?$", PASSWORD)])
    assert code == 0, output
    subnet = next(w for w in flow if w[:3] == ["taoctl", "subnet", "create"])
    proc = subprocess.run([taoctl_path(), "chain", "init", "--preset", "dev"], env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode == 0
    address = json.loads(subprocess.run(
        [taoctl_path(), "wallet", "inspect", "--wallet-name", "me", "--json"], env=env,
        capture_output=True, text=True, stdin=subprocess.DEVNULL).stdout)["ss58_address"]
    assert subprocess.run([taoctl_path(), "chain", "fund", address, "3000"], env=env,
                          capture_output=True, stdin=subprocess.DEVNULL).returncode == 0
    proc = subprocess.run([taoctl_path(), *subnet[1:]], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 3 and "TAOCTL_PASSWORD" in proc.stderr

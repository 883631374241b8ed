"""`--timeout` and `--period` exist where the README says (issue 13, observation 9): every
command that can reach a node takes --timeout, every signed command --period, and bad values
(flag or environment) are refused with exit 2 before anything happens."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from pathlib import Path

import pytest

from cli.main import GROUPS, LazyGroup

README = Path(__file__).resolve().parents[2] / "README.md"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def _commands():
    root = LazyGroup(name="taoctl")
    for name in GROUPS:
        group = root.get_command(None, name)
        for sub_name, sub in (getattr(group, "commands", None) or {name: group}).items():
            yield (name, sub_name), {o for p in sub.params for o in p.opts}


def test_every_command_that_reaches_a_node_takes_timeout_and_every_signed_one_period():
    seen = dict(_commands())
    assert "--timeout" in README.read_text() and "--period" in README.read_text()
    for path, options in seen.items():
        if "--network" in options:
            assert "--timeout" in options, path
        if "--dry-run" in options and "--network" in options:  # a signed command
            assert "--period" in options, path
    # the README's remote-network examples, by their own words
    block = README.read_text().split("### Networks", 1)[1].split("```bash", 1)[1].split("```")[0]
    for line in block.strip().splitlines():
        words = line.split("#")[0].split()
        assert words[0] == "taoctl"
        assert "--timeout" in seen[tuple(words[1:3])], line


@pytest.mark.in_process
@pytest.mark.parametrize("value", ["abc", "inf", "nan", "-1", "0", "1e9"])
def test_a_bad_timeout_is_refused_with_exit_2(taoctl, value):
    proc = taoctl.run("subnet", "list", "--json", env={"TAOCTL_TIMEOUT": value})
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["error"]["exit_code"] == 2
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    flag = taoctl.run("wallet", "balance", "--ss58", ALICE, "--timeout", value)
    assert flag.returncode == 2 and "--timeout" in flag.stderr
    assert not (taoctl.home / ".local" / "share" / "taoctl" / "sandbox.db").exists()


@pytest.mark.in_process
@pytest.mark.parametrize("value", ["abc", "3", "70000", "-16"])
def test_a_bad_period_is_refused_with_exit_2(taoctl, value):
    assert taoctl.json("chain", "init")["preset"] == "dev"
    proc = taoctl.run("chain", "fund", ALICE, "1", env={"TAOCTL_PERIOD": value})
    assert proc.returncode == 2, proc.stderr
    flag = taoctl.run("chain", "fund", ALICE, "1", "--period", value)
    assert flag.returncode == 2 and "--period" in flag.stderr


@pytest.fixture
def silent_node():
    """A TCP port that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.getsockname()[1]}"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    server.close()


def test_timeout_bounds_a_silent_node(taoctl, silent_node):
    started = time.monotonic()
    proc = taoctl.run("subnet", "list", "--network", silent_node, "--timeout", "0.5")
    took = time.monotonic() - started
    assert proc.returncode == 5, proc.stderr
    assert re.search(r"within 0\.5 s", proc.stderr), proc.stderr
    assert took < 8
    env = taoctl.run("quote", "stake", "--netuid", "1", "--amount", "1", "--network",
                     silent_node, env={"TAOCTL_TIMEOUT": "0.5"})
    assert env.returncode == 5 and "within 0.5 s" in env.stderr, env.stderr

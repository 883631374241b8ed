"""Issue 17, `taoctl watch`: a live view through several refreshes while another process
advances the chain; in a pseudo-terminal (the table, the change marks, Ctrl-C) and as a JSON
Lines stream read line by line."""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time

import pytest

from tests.conftest import my_validator_on_a_new_subnet, sandbox_session, taoctl_path

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """An emitting subnet with 'me' registered and staked (prices move every block)."""
    t = sandbox_session(tmp_path_factory, "watch")
    n = my_validator_on_a_new_subnet(t, stake="100")
    t.json("chain", "advance", "2")
    return t, n


def _read_until(fd: int, needle: str, seen: list[str], timeout: float = 60) -> str:
    """Read the pty until `needle` appears in what was read so far; return all of it."""
    deadline = time.monotonic() + timeout
    while needle not in "".join(seen):
        left = deadline - time.monotonic()
        if left <= 0:
            raise AssertionError(f"no {needle!r} in the terminal within {timeout} s:\n"
                                 + "".join(seen))
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen.append(os.read(fd, 65536).decode("utf-8", "replace"))
            except OSError:  # the child closed the terminal
                break
    return "".join(seen)


def test_watch_positions_in_a_terminal_refreshes_marks_changes_and_stops_on_ctrl_c(chain):
    t, n = chain
    main, child = pty.openpty()
    env = {**t.environment(), "COLUMNS": "160", "LINES": "50"}
    proc = subprocess.Popen([taoctl_path(), "watch", "positions", "--wallet-name", "me",
                             "--interval", "0.1"], stdin=child, stdout=child, stderr=child,
                            env=env, start_new_session=True)
    os.close(child)
    seen: list[str] = []
    try:
        first = _read_until(main, "refresh 1:", seen)
        assert "Positions at block" in first and "me/validator" in first
        assert "▲" not in first and "▼" not in first  # nothing to compare with yet
        t.json("chain", "advance", "400")  # another process moves the chain (an epoch)
        second = _read_until(main, "refresh 2:", seen)[len(first):]
        assert "\x1b[H" in second or "\x1b[2J" in second  # the terminal is redrawn
        assert "▲" in second or "▼" in second  # the moved price shows as a change
        assert "row(s) changed since the last block" in second
        t.json("chain", "advance", "1")
        _read_until(main, "refresh 3:", seen)
        os.kill(proc.pid, signal.SIGINT)  # Ctrl-C
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        try:
            while select.select([main], [], [], 0.2)[0]:
                seen.append(os.read(main, 65536).decode("utf-8", "replace"))
        except OSError:
            pass
        os.close(main)
    assert "Traceback" not in "".join(seen)


def test_watch_metagraph_streams_json_lines(chain):
    t, n = chain
    proc = subprocess.Popen([taoctl_path(), "watch", "metagraph", "--netuid", str(n),
                             "--interval", "0.1", "--count", "3", "--json"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=t.environment())
    assert proc.stdout is not None
    try:
        lines = [json.loads(proc.stdout.readline())]  # one JSON object per line
        assert lines[0]["view"] == "metagraph" and lines[0]["changed"] == []
        assert [r["uid"] for r in lines[0]["rows"]] == [0, 1] or lines[0]["rows"]
        t.json("chain", "advance", "400")  # past an epoch: stakes and emissions move
        lines.append(json.loads(proc.stdout.readline()))
        t.json("chain", "advance", "1")
        lines.append(json.loads(proc.stdout.readline()))
        assert proc.wait(timeout=30) == 0
        assert proc.stdout.read() == ""  # --count 3: three lines, then the end
    finally:
        if proc.poll() is None:
            proc.kill()
    blocks = [line["block"] for line in lines]
    assert blocks[0] < blocks[1] < blocks[2] and blocks[1] - blocks[0] == 400
    before = {r["uid"]: r for r in lines[0]["rows"]}
    after = {r["uid"]: r for r in lines[1]["rows"]}
    changed = {(c["key"], c["field"]): (c["from"], c["to"]) for c in lines[1]["changed"]}
    for uid, row in after.items():  # `changed` names exactly what differs, with both values
        for field, value in row.items():
            if before[uid][field] != value:
                assert changed[(str(uid), field)] == (before[uid][field], value)
            else:
                assert (str(uid), field) not in changed
    assert changed, "an epoch changed nothing in the metagraph"
    assert "Traceback" not in proc.stderr.read()


def test_watch_prices_stops_after_count_and_errors_are_one_line(chain):
    t, n = chain
    proc = t.run("watch", "prices", "--count", "1", "--json")
    assert proc.returncode == 0
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and {r["netuid"] for r in json.loads(lines[0])["rows"]} >= {0, n}
    proc = t.run("watch", "metagraph", "--netuid", "99", "--count", "1")
    assert proc.returncode == 4 and "SubnetNotExists" in proc.stderr  # as `subnet show`
    assert len(proc.stderr.strip().splitlines()) == 1

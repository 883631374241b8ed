"""Running taoctl on a pseudo-terminal, as a person at a terminal would (POSIX only): the one
helper of the tests that answer prompts or look at what a terminal shows."""

from __future__ import annotations

import os
import pty
import re
import select
import time

from tests.conftest import taoctl_path


def run_on_a_terminal(env: dict, args: list[str], answers: list[tuple[str, str]],
                      timeout: float = 120, term: str = "dumb",
                      argv: list[str] | None = None, typed: str | None = None) -> tuple[int, str]:
    """`taoctl args` (or `argv`) on a pseudo-terminal; each prompt matching a pattern (a regular
    expression, case-insensitive) gets its answer; `typed` is typed at once (for a prompt that
    prints nothing). A child still running `timeout` seconds on (waiting for an answer no
    pattern gave) is killed, so the test fails on its exit code instead of hanging."""
    argv = argv or [taoctl_path(), *args]
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.execve(argv[0], argv, {**env, "TERM": term})
        finally:
            os._exit(127)
    if typed is not None:
        os.write(fd, typed.encode() + b"\n")
    output, answered, deadline = "", 0, time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk.decode(errors="replace")
        tail = output[answered:]
        for pattern, answer in answers:
            found = re.search(pattern, tail, re.I)
            if found:
                os.write(fd, answer.encode() + b"\n")
                answered += found.end()
                break
    done, status = os.waitpid(pid, os.WNOHANG)
    if done == 0 and time.monotonic() >= deadline:
        os.kill(pid, 9)
    if done == 0:
        _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output

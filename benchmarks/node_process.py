"""`taoctl node serve` as a child process, for the benchmarks that time clients against it."""

from __future__ import annotations

import json
import subprocess


def start_node(argv: list[str], env: dict, cwd: str | None = None) -> tuple[subprocess.Popen, str]:
    """Start `argv` (a `node serve ... --port 0 --json` command) and read its URL from the JSON
    document it prints once it listens; the caller stops the process."""
    node = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    text = ""
    while True:
        line = node.stdout.readline() if node.stdout else ""
        if not line:
            node.kill()
            raise SystemExit("the node did not start")
        text += line
        try:
            return node, json.loads(text)["url"]
        except ValueError:
            continue

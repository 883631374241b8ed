"""taoctl as a child process of a benchmark: the installed command, and `taoctl node serve`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path


def taoctl() -> str:
    """The `taoctl` installed beside this interpreter (the project's venv), else on PATH."""
    candidate = Path(sys.executable).with_name("taoctl")
    return str(candidate) if candidate.exists() else shutil.which("taoctl") or "taoctl"


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

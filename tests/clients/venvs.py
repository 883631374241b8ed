"""The real clients the client tests run, each in its own venv made from a pinned requirement
file beside this module (`btcli9.txt`: btcli 9.23.2, which refuses to import beside
substrate-interface; `sdk11.txt`: the bittensor 11.3.0 SDK, which ships btcli v11).

A venv lives under `~/.cache/taoctl-tests/clients/<name>-<digest>` (`TAOCTL_CLIENTS_CACHE`
moves it), the digest being the requirement file's and the interpreter's: it is made once and
reused until a pin changes. pytest-xdist workers make it once, one at a time (a file lock).
A venv that cannot be made fails the tests that need it, with pip's last words: a client test
never skips.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
CACHE = Path(os.environ.get("TAOCTL_CLIENTS_CACHE",
                            "~/.cache/taoctl-tests/clients")).expanduser()
STAMP = ".taoctl-installed"


class VenvError(RuntimeError):
    """A client venv that could not be made."""


def venv_dir(name: str) -> Path:
    pins = (HERE / f"{name}.txt").read_bytes()
    digest = hashlib.sha256(pins + sys.version.encode()).hexdigest()[:12]
    return CACHE / f"{name}-{digest}"


def ensure(name: str) -> tuple[Path, dict]:
    """(the venv, {"cached": bool, "seconds": float, "created_s": the cold creation time})."""
    start = time.monotonic()
    venv = venv_dir(name)
    stamp = venv / STAMP
    if stamp.exists():
        made = json.loads(stamp.read_text())
        return venv, {"cached": True, "seconds": time.monotonic() - start, **made}
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stamp.exists():
            made = json.loads(stamp.read_text())
            return venv, {"cached": True, "seconds": time.monotonic() - start, **made}
        cold = time.monotonic()
        try:
            subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True,
                           timeout=300, capture_output=True, text=True)
            subprocess.run([str(venv / "bin" / "pip"), "install", "-q",
                            "--disable-pip-version-check", "-r", str(HERE / f"{name}.txt")],
                           check=True, timeout=1200, capture_output=True, text=True)
        except subprocess.CalledProcessError as exc:
            raise VenvError(f"{name}: {' '.join(exc.cmd[:3])} failed: "
                            f"{(exc.stderr or exc.stdout or '')[-800:]}") from None
        except (subprocess.TimeoutExpired, OSError) as exc:
            raise VenvError(f"{name}: the venv could not be made: {exc}") from None
        made = {"created_s": round(time.monotonic() - cold, 1)}
        stamp.write_text(json.dumps(made))
    return venv, {"cached": False, "seconds": time.monotonic() - start, **made}


def main() -> None:
    """`python -m tests.clients.venvs`: make (or find) every client venv and say how long."""
    for name in ("btcli9", "sdk11"):
        venv, info = ensure(name)
        print(f"{name}: {venv} cached={info['cached']} now={info['seconds']:.2f}s "
              f"cold={info['created_s']}s")


if __name__ == "__main__":
    main()

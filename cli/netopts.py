"""Which chain a command talks to: the `--network` and `--chain-db` options and `open_backend`.

`--network sandbox` (the default) is the bundled chain in one SQLite file:
`--chain-db PATH`, else `$TAOCTL_CHAIN_DB`, else `$XDG_DATA_HOME/taoctl/sandbox.db`
(`~/.local/share/taoctl/sandbox.db`). The names finney, test, local (ws://127.0.0.1:9944) and
any ws:// or wss:// URL are reserved for the remote backend of a later issue; until then they
give a clear "not yet available" error. Light module: typer and the stdlib only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

SANDBOX = "sandbox"
REMOTE_NETWORKS = {
    "finney": "wss://entrypoint-finney.opentensor.ai:443",
    "test": "wss://test.finney.opentensor.ai:443",
    "local": "ws://127.0.0.1:9944",
}

NetworkOpt = Annotated[
    str,
    typer.Option("--network", "--subtensor.network", "--chain-network",
                 help="sandbox (the bundled chain), finney, test, local or a ws(s):// URL.",
                 envvar="TAOCTL_NETWORK"),
]
ChainDbOpt = Annotated[
    Path | None,
    typer.Option("--chain-db", envvar="TAOCTL_CHAIN_DB", show_default=False,
                 help="The sandbox chain file. [default: ~/.local/share/taoctl/sandbox.db]"),
]


class NetworkUnavailable(Exception):
    """A network taoctl cannot talk to yet (remote nodes come in a later release)."""

    name = "NetworkUnavailable"
    exit_code = 5


class UnknownNetwork(ValueError):
    """A --network value that is neither a known name nor a ws:// URL."""

    name = "UnknownNetwork"
    exit_code = 2


def default_chain_path() -> Path:
    """Where the sandbox chain lives when neither --chain-db nor TAOCTL_CHAIN_DB says."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "taoctl" / "sandbox.db"


def chain_path(chain_db: Path | None) -> Path:
    """The sandbox chain file for these options."""
    return Path(chain_db).expanduser() if chain_db else default_chain_path()


def require_sandbox(network: str, what: str = "this command") -> None:
    """Refuse remote networks until the remote backend exists."""
    name = (network or SANDBOX).strip()
    if name == SANDBOX:
        return
    if name in REMOTE_NETWORKS or name.startswith(("ws://", "wss://")):
        url = REMOTE_NETWORKS.get(name, name)
        raise NetworkUnavailable(
            f"network {name!r} ({url}) is not yet available: taoctl talks only to the bundled "
            f"sandbox chain for now (use --network sandbox)")
    raise UnknownNetwork(f"unknown network {name!r}: use sandbox, finney, test, local or a "
                         "ws:// / wss:// URL")


def open_backend(network: str = SANDBOX, chain_db: Path | None = None):
    """The `ChainBackend` for these options (the bundled chain, for now)."""
    require_sandbox(network)
    from chain.local.backend import LocalBackend

    return LocalBackend(chain_path(chain_db))

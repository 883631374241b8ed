"""Which chain a command talks to: the `--network` and `--chain-db` options and `open_backend`.

`--network sandbox` (the default) is the bundled chain in one SQLite file:
`--chain-db PATH`, else `$TAOCTL_CHAIN_DB`, else `$XDG_DATA_HOME/taoctl/sandbox.db`
(`~/.local/share/taoctl/sandbox.db`). The names finney, test, local (ws://127.0.0.1:9944, e.g.
`taoctl node serve`) and any ws:// or wss:// URL open the remote backend (`chain.remote`) over
substrate-interface; `--timeout` (default 10 s) bounds every node request and `--period` sets the
mortal era of signed extrinsics (default 16 blocks). Light module: typer and the stdlib only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from chain.backend import ChainBackend, SandboxBackend

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


TimeoutOpt = Annotated[
    float | None,
    typer.Option("--timeout", envvar="TAOCTL_TIMEOUT", show_default=False,
                 help="Seconds to wait for a remote node before giving up. [default: 10]"),
]
PeriodOpt = Annotated[
    int | None,
    typer.Option("--period", "--era", envvar="TAOCTL_PERIOD", show_default=False,
                 help="Blocks a signed extrinsic stays valid on a remote node. [default: 16]"),
]


class NetworkUnavailable(Exception):
    """A sandbox-only command asked to run against a remote node."""

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
    """Refuse remote networks for sandbox-only commands (init, advance, fund, ...)."""
    url = remote_url(network)
    if url is not None:
        raise NetworkUnavailable(
            f"{what} works only on the bundled sandbox chain, not on network "
            f"{network.strip()!r} ({url}); use --network sandbox")


def remote_url(network: str) -> str | None:
    """The websocket URL of a remote --network value, None for the sandbox."""
    name = (network or SANDBOX).strip()
    if name == SANDBOX:
        return None
    if name in REMOTE_NETWORKS:
        return REMOTE_NETWORKS[name]
    if name.startswith(("ws://", "wss://")) and len(name) > len("wss://"):
        return name
    raise UnknownNetwork(f"unknown network {name!r}: use sandbox, finney, test, local or a "
                         "ws:// / wss:// URL")


def open_sandbox_backend(network: str, chain_db: Path | None, what: str) -> SandboxBackend:
    """The sandbox contract for a sandbox-only command; remote networks are refused (exit 5)."""
    require_sandbox(network, what)
    from chain.factory import open_sandbox

    return open_sandbox(chain_path(chain_db))


def open_backend(network: str = SANDBOX, chain_db: Path | None = None, *,
                 timeout: float | None = None, period: int | None = None) -> ChainBackend:
    """The `ChainBackend` for these options: the bundled chain, or a remote node."""
    url = remote_url(network)
    if url is None:
        from chain.factory import open_sandbox

        return open_sandbox(chain_path(chain_db))
    from chain.factory import open_node

    try:
        timeout = timeout if timeout is not None else float(os.environ["TAOCTL_TIMEOUT"])
    except (KeyError, ValueError):
        pass
    try:
        period = period if period is not None else int(os.environ["TAOCTL_PERIOD"])
    except (KeyError, ValueError):
        pass
    if timeout is not None and timeout <= 0:
        raise UnknownNetwork("--timeout must be a positive number of seconds")
    if period is not None and not 4 <= period <= 65536:
        raise UnknownNetwork("--period must be between 4 and 65536 blocks")
    return open_node(url, name=network.strip(), timeout=timeout, period=period)

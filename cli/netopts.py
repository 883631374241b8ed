"""Which chain a command talks to: the `--network` and `--chain-db` options and `open_backend`.

`--network sandbox` (the default) is the bundled chain in one SQLite file:
`--chain-db PATH`, else `$TAOCTL_CHAIN_DB`, else `$XDG_DATA_HOME/taoctl/sandbox.db`
(`~/.local/share/taoctl/sandbox.db`). The names finney, test, local (ws://127.0.0.1:9944, e.g.
`taoctl node serve`) and any ws:// or wss:// URL open the remote backend (`chain.remote`) over
substrate-interface; `--timeout` (default 10 s) bounds every node request and `--period` sets the
mortal era of signed extrinsics (default 16 blocks). Every command that takes --network takes
--timeout (`with_timeout`, applied to the whole tree by cli.main; its value travels on the click
context, so commands need not thread it through); both, and TAOCTL_TIMEOUT / TAOCTL_PERIOD, are
checked when parsed: a bad value is exit 2. Light module: typer and the stdlib only.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chain.exitcodes import EXIT_UNAVAILABLE, EXIT_USAGE

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


MAX_TIMEOUT_S = 3600.0
PERIOD_RANGE = (4, 65536)  # subtensor's mortal eras: a power of two from 4 to 65536 blocks


class BadNetworkOption(ValueError):
    """A --timeout or --period (or TAOCTL_TIMEOUT / TAOCTL_PERIOD) that is not usable."""

    name = "UsageError"
    exit_code = EXIT_USAGE


def parse_timeout(text: str | float | None, what: str = "--timeout") -> float | None:
    """Seconds as a finite positive number up to an hour; None stays None (the default)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        value = float(str(text).strip())
    except ValueError:
        raise BadNetworkOption(f"{what} {text!r} is not a number of seconds") from None
    if not (0 < value <= MAX_TIMEOUT_S):  # also refuses nan and inf
        raise BadNetworkOption(f"{what} {text!r} must be more than 0 and at most "
                               f"{MAX_TIMEOUT_S:g} seconds")
    return value


def parse_period(value: str | int | None, what: str = "--period") -> int | None:
    """A mortal era length in blocks, 4..65536; None stays None (the default, 16)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        blocks = int(str(value).strip())
    except ValueError:
        raise BadNetworkOption(f"{what} {value!r} is not a whole number of blocks") from None
    low, high = PERIOD_RANGE
    if not low <= blocks <= high:
        raise BadNetworkOption(f"{what} must be between {low} and {high} blocks")
    return blocks


def _keep_timeout(ctx, param, value):
    """--timeout's callback: checked at parse time (exit 2), kept on the context for
    `open_backend`, so a command need not pass it through its own signature."""
    try:
        ctx.meta["taoctl.timeout"] = parse_timeout(value)
    except BadNetworkOption as exc:
        raise typer.BadParameter(str(exc).removeprefix("--timeout "), ctx=ctx,
                                 param=param) from None
    return None


def _check_period(ctx, param, value):
    try:
        return parse_period(value)
    except BadNetworkOption as exc:
        raise typer.BadParameter(str(exc).removeprefix("--period "), ctx=ctx,
                                 param=param) from None


TimeoutOpt = Annotated[
    str | None,
    typer.Option("--timeout", envvar="TAOCTL_TIMEOUT", show_default=False, expose_value=False,
                 callback=_keep_timeout,
                 help="Seconds to wait for a remote node before giving up. [default: 10]"),
]
PeriodOpt = Annotated[
    int | None,
    typer.Option("--period", "--era", envvar="TAOCTL_PERIOD", show_default=False,
                 callback=_check_period,
                 help="Blocks a signed extrinsic stays valid on a remote node (4 to 65536). "
                 "[default: 16]"),
]


def _timeout_holder(timeout: TimeoutOpt = None) -> None:
    """Only carries TimeoutOpt, so typer builds the option `with_timeout` adds."""


def with_timeout(command) -> None:
    """Give a click command that takes --network the --timeout option (every command that can
    reach a node takes it; the value reaches `open_backend` through the click context)."""
    names = {p.name for p in command.params}
    if "network" not in names or "timeout" in names:
        return
    global _TIMEOUT_PARAM
    if _TIMEOUT_PARAM is None:
        holder = typer.Typer()
        holder.command()(_timeout_holder)
        _TIMEOUT_PARAM = typer.main.get_command(holder).params[0]
    at = next(i for i, p in enumerate(command.params) if p.name == "network") + 1
    command.params.insert(at, _TIMEOUT_PARAM)


_TIMEOUT_PARAM: Any = None


def current_timeout() -> float | None:
    """The --timeout (or TAOCTL_TIMEOUT) of the running command, checked; None for 10 s."""
    try:
        from typer._click.globals import get_current_context
    except ImportError:  # an older typer: click itself
        from click import get_current_context  # type: ignore[no-redef]
    ctx = get_current_context(silent=True)
    while ctx is not None:
        if "taoctl.timeout" in ctx.meta:
            return ctx.meta["taoctl.timeout"]
        ctx = ctx.parent
    return parse_timeout(os.environ.get("TAOCTL_TIMEOUT"), "TAOCTL_TIMEOUT")


class NetworkUnavailable(Exception):
    """A sandbox-only command asked to run against a remote node."""

    name = "NetworkUnavailable"
    exit_code = EXIT_UNAVAILABLE


class UnknownNetwork(ValueError):
    """A --network value that is neither a known name nor a ws:// URL."""

    name = "UnknownNetwork"
    exit_code = EXIT_USAGE


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
                 timeout: float | None = None, period: int | None = None,
                 at_block: int | None = None) -> ChainBackend:
    """The `ChainBackend` for these options: the bundled chain, or a remote node; with
    `at_block`, that backend as of the sealed block (`at_past_block`)."""
    backend = _open_backend(network, chain_db, timeout=timeout, period=period)
    return backend if at_block is None else at_past_block(backend, at_block)


def state_block(backend: ChainBackend, at_block: int | None) -> int:
    """The block whose state `backend`'s reads answer: B with `--at-block B`; a node's best
    block (the state at its hash); the sandbox's open block, whose start-of-block work and
    extrinsics so far its reads see (headfix: not the last sealed block, which that state is
    one block's coinbase ahead of)."""
    if at_block is not None:
        return at_block
    info = backend.block_info()
    from chain.backend import SandboxBackend

    return info.number if isinstance(backend, SandboxBackend) else info.head_number


# -- `--at-block B` (issue 17): every read command, one option, one resolution path ------------
AtBlockOpt = Annotated[
    int | None,
    typer.Option("--at-block", min=0, show_default=False, metavar="BLOCK",
                 help="Read the chain as it was at this sealed block (the sandbox's kept "
                 "history, see `taoctl chain history`; on a real network an archive node)."),
]


class BadAtBlock(ValueError):
    """An --at-block that names no sealed block."""

    name = "UsageError"
    exit_code = EXIT_USAGE


def at_past_block(backend: ChainBackend, block: int) -> ChainBackend:
    """The backend's read-only view at `block` (the contract's `at`); a block not sealed yet
    is a usage error, a block older than the kept history `StateDiscarded` naming it."""
    try:
        return backend.at(block)
    except ValueError as exc:
        if getattr(exc, "exit_code", None) is not None:
            raise
        raise BadAtBlock(f"--at-block {block}: {exc}") from None


def _open_backend(network: str, chain_db: Path | None, *, timeout: float | None,
                  period: int | None) -> ChainBackend:
    url = remote_url(network)
    if url is None:
        from chain.factory import open_sandbox

        return open_sandbox(chain_path(chain_db))
    from chain.factory import open_node

    timeout = parse_timeout(timeout) if timeout is not None else current_timeout()
    period = parse_period(period) if period is not None else \
        parse_period(os.environ.get("TAOCTL_PERIOD"), "TAOCTL_PERIOD")
    return open_node(url, name=network.strip(), timeout=timeout, period=period)

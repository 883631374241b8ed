"""Where the CLI gets a chain: the one module that names the backends.

`open_backend` gives the `ChainBackend` of a network (the bundled sandbox file, or a node's
websocket URL); `sandbox` narrows one to the `SandboxBackend` contract, refusing real nodes
with `SandboxOnly` (exit 5); `create_sandbox`, `node_server`, `keypair_signer` and
`offline_call_data` are the few other things a command needs from a backend package. Light
at import (stdlib only): each backend loads inside the function that opens it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from chain.backend import Call, ChainBackend, SandboxBackend, Signer

if TYPE_CHECKING:
    from chain.node.server import NodeServer


def open_sandbox(path: str | Path) -> SandboxBackend:
    """The bundled chain in one SQLite file."""
    from chain.local.backend import LocalBackend

    return LocalBackend(path)


def open_node(url: str, *, name: str, timeout: float | None,
              period: int | None) -> ChainBackend:
    """A Substrate node running subtensor (finney, test, local, `taoctl node serve`)."""
    from chain.remote import DEFAULT_PERIOD, DEFAULT_TIMEOUT_S, open_remote

    return open_remote(url, name=name, timeout=timeout or DEFAULT_TIMEOUT_S,
                       period=period or DEFAULT_PERIOD)


def sandbox(backend: ChainBackend, what: str = "this command") -> SandboxBackend:
    """The backend as the sandbox contract, or SandboxOnly naming the network."""
    if isinstance(backend, SandboxBackend):
        return backend
    from chain.remote.errors import SandboxOnly

    raise SandboxOnly(f"{what} works only on the bundled sandbox chain (--network sandbox), "
                      f"not on {backend.network}")


def create_sandbox(path: str | Path, preset: str, *, force: bool = False) -> None:
    """Write a new chain file from a genesis preset (dev, mainnet)."""
    from chain.local.chain import LocalChain

    with LocalChain.create(Path(path), preset, force=force):
        pass


def node_server(path: str | Path, host: str, port: int, *,
                block_time: float | None = None, log_level: str | None = None) -> NodeServer:
    """`taoctl node serve`'s server over a sandbox chain file (logging to stderr at
    `log_level` when given)."""
    from chain.node.server import NodeServer, configure_logging

    if log_level is not None:
        configure_logging(log_level)
    return NodeServer(Path(path), host, port, block_time=block_time)


def keypair_signer(keypair: Any) -> Signer:
    """A wallet Keypair (public_key, private_key) as an sr25519 `Signer`."""
    from chain.local.accounts import Signer as Sr25519Signer

    return Sr25519Signer.from_keypair(keypair)


def offline_call_data(call: Call) -> bytes:
    """The call's SCALE bytes per the recorded finney metadata (no node needed)."""
    from chain.remote import call_hex

    return bytes.fromhex(call_hex(call.pallet, call.name, call.args)[2:])

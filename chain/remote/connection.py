"""Connecting to a node: the websocket (`wsrpc`, a light JSON-RPC client), the handshake that
checks the peer runs subtensor, the runtime metadata, and the per-process cache of all three."""

from __future__ import annotations

import threading
from typing import Any

from chain.remote.errors import NodeTimeout, NodeUnreachable, NotASubstrateNode, UnexpectedChain
from chain.remote.wsrpc import RpcClient, RpcReplyError

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_PERIOD = 16
FINNEY_GENESIS = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"
EXPECTED_GENESIS = {"finney": FINNEY_GENESIS}
_CACHE: dict[str, tuple[Any, Any, dict]] = {}  # url -> (substrate, metadata, facts)
_LOCK = threading.Lock()


def _connect(url: str, timeout: float):
    """An `RpcClient` over a websocket, or a clear RemoteError."""

    from websocket import (
        WebSocketBadStatusException,
        WebSocketException,
        WebSocketTimeoutException,
    )

    try:
        return RpcClient(url, timeout)
    except (TimeoutError, WebSocketTimeoutException):
        raise NodeTimeout(f"no answer from {url} within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise NodeUnreachable(f"cannot connect to {url}: connection refused (is a node "
                              "running there?)") from None
    except WebSocketBadStatusException as exc:
        raise NotASubstrateNode(f"{url} is not a Substrate node: the websocket handshake "
                                f"failed ({str(exc).splitlines()[0]})") from None
    except (OSError, WebSocketException, ValueError) as exc:
        raise NodeUnreachable(f"cannot connect to {url}: {exc}") from None


def _rpc(substrate, url: str, method: str, params: list, timeout: float) -> Any:
    """One JSON-RPC request; transport problems become RemoteErrors."""

    from websocket import WebSocketException, WebSocketTimeoutException

    try:
        reply = substrate.rpc_request(method, params)
    except RpcReplyError:
        raise  # a JSON-RPC error reply: the caller decides what it means
    except (WebSocketTimeoutException, TimeoutError):
        raise NodeTimeout(f"{url} did not answer {method} within {timeout:g} s") from None
    except (WebSocketException, OSError, ValueError) as exc:
        raise NodeUnreachable(f"lost the connection to {url} during {method}: {exc}") from None
    if not isinstance(reply, dict) or "result" not in reply:
        raise NotASubstrateNode(f"{url} answered {method} with something that is not "
                                "JSON-RPC")
    return reply["result"]


def open_remote(url: str, *, name: str | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                period: int = DEFAULT_PERIOD):
    """A `RemoteBackend` over the node at `url` (connection and metadata cached per
    process)."""
    from chain.remote.backend import RemoteBackend

    with _LOCK:
        cached = _CACHE.get(url)
        if cached is None:
            cached = _handshake(url, name, timeout)
            _CACHE[url] = cached
    substrate, md, facts = cached
    return RemoteBackend(url, substrate, md, facts, name=name or url, timeout=timeout,
                         period=period)


def forget(url: str) -> None:
    """Close and drop the cached connection to `url` (tests; long-lived processes)."""
    with _LOCK:
        cached = _CACHE.pop(url, None)
    if cached is not None:
        try:
            cached[0].close()
        except Exception:  # noqa: BLE001 - closing a dead socket is fine
            pass


def _handshake(url: str, name: str | None, timeout: float) -> tuple[Any, Any, dict]:
    from chain.substrate import metadata as m

    substrate = _connect(url, timeout)
    try:
        version = _rpc(substrate, url, "state_getRuntimeVersion", [], timeout)
        genesis = _rpc(substrate, url, "chain_getBlockHash", [0], timeout)
    except RpcReplyError as exc:
        raise NotASubstrateNode(f"{url} does not answer Substrate RPC: {exc}") from None
    if not isinstance(version, dict) or "specVersion" not in version:
        raise NotASubstrateNode(f"{url} does not answer state_getRuntimeVersion like a "
                                "Substrate node")
    if version.get("specName") != "node-subtensor":
        raise UnexpectedChain(f"{url} runs {version.get('specName')!r}, not subtensor "
                              "(node-subtensor)")
    expected = EXPECTED_GENESIS.get(name or "")
    if expected and genesis != expected:
        raise UnexpectedChain(f"{url} is not {name}: its genesis hash is {genesis}, "
                              f"expected {expected}")
    spec = version["specVersion"]
    try:
        md = m.recorded(spec)
    except m.MetadataError:
        raw = _rpc(substrate, url, "state_getMetadata", [], timeout)
        md = m.from_bytes(bytes.fromhex(raw[2:]))
    facts = {"genesis_hash": genesis, "spec_version": spec,
             "transaction_version": version.get("transactionVersion", 1),
             "spec_name": version.get("specName")}
    return substrate, md, facts

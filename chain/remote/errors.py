"""Errors of the remote backend: a node that cannot be used (exit 5), and what a node refuses.

A node's refusals are the chain's own types (`chain.errors`): an extrinsic the node will not
take is an `InvalidTransaction` (`RemoteRefused`); a call that ran and failed is reported in
its `ExtrinsicFailed` event as a `DispatchError` value, which `decode_refusal` turns into the
class of that name (`SlippageTooHigh`, `InsufficientBalance`, ...), exit 4 as on the sandbox.
"""

from __future__ import annotations

from typing import Any

from chain.errors import DispatchError, InvalidTransaction, refusal
from chain.exitcodes import EXIT_REFUSED, EXIT_UNAVAILABLE, EXIT_USAGE


class RemoteError(Exception):
    """Base of the remote backend's errors: the node cannot be used. `detail`: the node's own
    error object, where it answered with one."""

    name = "RemoteError"
    exit_code = EXIT_UNAVAILABLE
    detail: Any = None


class NodeUnreachable(RemoteError):
    name = "NodeUnreachable"


class NodeTimeout(RemoteError):
    name = "NodeTimeout"


class NotASubstrateNode(RemoteError):
    name = "NotASubstrateNode"


class UnexpectedChain(RemoteError):
    name = "UnexpectedChain"


class RemoteRefused(RemoteError, InvalidTransaction):
    """The node refused the extrinsic (e.g. 1010 Invalid Transaction); nothing changed."""

    name = "InvalidTransaction"
    exit_code = EXIT_REFUSED


class SandboxOnly(RemoteError, AttributeError):
    """A sandbox-only operation asked of a real node. Also an AttributeError, so duck-typed
    probes such as `getattr(backend, "chain", None)` see "not there"."""

    name = "SandboxOnly"


class UnsupportedQuery(RemoteError, ValueError):
    """A runtime query only the bundled chain answers (callers fall back to storage reads)."""

    name = "UnsupportedQuery"
    exit_code = EXIT_USAGE


def decode_refusal(md: Any, dispatch_error: Any) -> DispatchError:
    """The typed refusal of a decoded `DispatchError` value from a node's events.

    `Module {index, error}` is looked up by pallet and variant index in the runtime's metadata
    `md` (`md.error_name(index, error) -> (pallet, name)`); `Token(...)`/`Arithmetic(...)` name
    their inner variant; a bare variant (`BadOrigin`) is its own name.
    """
    if isinstance(dispatch_error, str):
        return refusal(dispatch_error)
    (kind, detail), = dispatch_error.items()
    if kind == "Module":
        pallet, name = md.error_name(detail["index"], bytes(detail["error"]))
        return refusal(name, f"{pallet}.{name}")
    if isinstance(detail, str):
        return refusal(detail, f"{kind}.{detail}")
    return refusal(kind, f"{kind}: {detail}")

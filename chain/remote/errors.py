"""Errors of the remote backend: each a domain exception with `name` and `exit_code`."""

from __future__ import annotations


class RemoteError(Exception):
    """Base of the remote backend's errors: the node cannot be used."""

    name = "RemoteError"
    exit_code = 5


class NodeUnreachable(RemoteError):
    name = "NodeUnreachable"


class NodeTimeout(RemoteError):
    name = "NodeTimeout"


class NotASubstrateNode(RemoteError):
    name = "NotASubstrateNode"


class UnexpectedChain(RemoteError):
    name = "UnexpectedChain"


class RemoteRefused(RemoteError):
    """The node refused the extrinsic (e.g. 1010 Invalid Transaction); nothing changed."""

    name = "InvalidTransaction"
    exit_code = 4


class SandboxOnly(RemoteError, AttributeError):
    """A sandbox-only operation asked of a real node. Also an AttributeError, so duck-typed
    probes such as `getattr(backend, "chain", None)` see "not there"."""

    name = "SandboxOnly"


class UnsupportedQuery(RemoteError, ValueError):
    """A runtime query only the bundled chain answers (callers fall back to storage reads)."""

    name = "UnsupportedQuery"
    exit_code = 2

"""Reads at a past block on a real node (`--at-block B`, issue 17): the backend pinned at B.

Every read of the remote backend goes through `rpc`; a pinned backend adds B's hash (from
`chain_getBlockHash`) as the `at` parameter of the state reads and runtime calls, and asks
for B's header instead of the best one, so every command reads B's state unchanged. Only an
archive node keeps old state: a pruned node answers "State already discarded" (or "UnknownBlock"),
which becomes `StateDiscarded` (exit 5: the node cannot serve this). Submissions are refused.
"""

from __future__ import annotations

import copy
from typing import Any

from chain.errors import StateNotKept
from chain.exitcodes import EXIT_USAGE
from chain.remote.errors import RemoteError

# method -> where the block hash goes in its params (substrate's optional trailing `at`)
_AT_POSITION = {"state_getStorage": 1, "state_getStorageAt": 1, "state_queryStorageAt": 1,
                "state_getKeysPaged": 3, "state_getKeys": 1, "state_call": 2,
                "state_getMetadata": 0, "state_getRuntimeVersion": 0, "chain_getHeader": 0}
_WRITES = ("author_submitExtrinsic", "author_submitAndWatchExtrinsic")
_DISCARDED = ("state already discarded", "unknownblock", "unknown block", "state not available",
              "missing trie node", "pruned")


class StateDiscarded(RemoteError, StateNotKept):
    """The node no longer has (or never had) the state at the block asked for."""

    name = "StateDiscarded"


class NotSealed(RemoteError, ValueError):
    name = "UsageError"
    exit_code = EXIT_USAGE


def discarded(backend: Any, block: int, block_hash: str,
              exc: RemoteError) -> StateDiscarded | None:
    """`exc` as `StateDiscarded` when it is the node saying it no longer keeps that state."""
    if not any(word in str(exc).lower() for word in _DISCARDED):
        return None
    return StateDiscarded(f"{backend.url} has discarded the state of block {block} "
                          f"({block_hash}): reading an old block needs an archive node "
                          "(--network wss://<archive endpoint>)")


def pinned(backend: Any, block: int) -> Any:
    """A copy of the remote `backend` whose every read answers sealed block `block`."""
    head, _ = backend.head()
    if not 0 <= block <= head:
        raise NotSealed(f"block {block} is not sealed yet (the node's best block is {head})")
    block_hash = backend.rpc("chain_getBlockHash", [block])
    if not block_hash:
        raise StateDiscarded(f"{backend.url} does not know block {block}: reading an old block "
                             "needs an archive node (--network wss://<archive endpoint>)")
    view = copy.copy(backend)
    unpinned = backend.rpc

    def rpc(method: str, params: list) -> Any:
        if method in _WRITES:
            raise RemoteError(f"a view at block {block} is read-only: nothing can be submitted")
        if method in _AT_POSITION:
            params = list(params)
            at = _AT_POSITION[method]
            params += [None] * (at + 1 - len(params))
            if params[at] is None:  # a read that names its own block keeps it
                params[at] = block_hash
        try:
            return unpinned(method, params)
        except RemoteError as exc:
            raise discarded(backend, block, block_hash, exc) or exc from None

    view.rpc = rpc
    view.at_block = block
    return view

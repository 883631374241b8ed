"""An account's operations read from a node's own blocks (`taoctl portfolio --archive URL`).

A node keeps no index of an account's extrinsics, but every block lists its extrinsics
(`chain_getBlock`) and its `System.Events`; an archive node keeps both for every block.
`account_operations` walks sealed blocks first..last: each block's extrinsics are decoded with
the runtime's metadata, those the account signed or whose call names it (stake transferred to
it) are kept, with their events (by `ApplyExtrinsic` phase), success, error and fee read as a
receipt reads them: the shape of `ChainBackend.account_history`. Inherents and what does not
decode as a signed v4 extrinsic are passed over. Two requests a block, one more for a block
holding the account's extrinsics. Older blocks decoded with the current metadata would be
misread after a runtime upgrade, so a range whose first block ran another runtime is refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from chain.exitcodes import EXIT_USAGE
from chain.remote.at_block import StateDiscarded, discarded
from chain.remote.errors import RemoteError


class UpgradeInRange(RemoteError, ValueError):
    """The blocks asked for ran an older runtime than the metadata taoctl decodes with."""

    name = "UsageError"
    exit_code = EXIT_USAGE


def account_operations(backend: Any, account: bytes, first: int, last: int,
                       progress: Callable[[int], None] | None = None) -> list[dict]:
    """The operations of sealed blocks first..last that touched `account`, oldest first."""
    from chain.backend import canonical
    from chain.substrate.extrinsic import decode_signed
    from chain.substrate.hashing import blake2_256
    from chain.substrate.scale import ScaleError

    _same_runtime(backend, first, last)
    who = "0x" + account.hex()
    out = []
    for number in range(first, last + 1):
        block_hash = backend.rpc("chain_getBlockHash", [number])
        if not block_hash:
            raise StateDiscarded(f"{backend.url} does not know block {number}: reading old "
                                 "blocks needs an archive node")
        extrinsics = backend.rpc("chain_getBlock", [block_hash])["block"]["extrinsics"]
        by_extrinsic = None  # the block's events, read once at its first match
        for index, text in enumerate(extrinsics):
            raw = bytes.fromhex(text[2:])
            try:
                xt = decode_signed(backend.md, raw)
            except (ScaleError, IndexError, KeyError, ValueError):
                continue  # an inherent, or not a signed extrinsic of this runtime
            args = canonical(xt.args)
            if xt.signer != account and who not in json.dumps(args):
                continue
            if by_extrinsic is None:
                try:
                    by_extrinsic = backend.events_by_extrinsic(block_hash)
                except RemoteError as exc:
                    raise discarded(backend, number, block_hash, exc) or exc from None
            events = by_extrinsic.get(index, [])
            success, error, _, fee = backend.outcome(events)
            out.append({"block": number, "index": index, "hash": "0x" + blake2_256(raw).hex(),
                        "signer": "0x" + xt.signer.hex(),
                        "call": {"pallet": xt.pallet, "name": xt.name, "args": args},
                        "success": success, "error": error, "fee_rao": fee,
                        "events": canonical(events), "result": None})
        if progress is not None:
            progress(1)
    return out


def _same_runtime(backend: Any, first: int, last: int) -> None:
    """Refuse a range whose first block ran another runtime version than the head's."""
    first_hash = backend.rpc("chain_getBlockHash", [first])
    if not first_hash:
        return  # the walk names the missing block
    then = backend.rpc("state_getRuntimeVersion", [first_hash])["specVersion"]
    now = backend.rpc("state_getRuntimeVersion", [])["specVersion"]
    if then != now:
        raise UpgradeInRange(f"blocks {first:,}..{last:,} cross a runtime upgrade (spec "
                             f"{then} at block {first:,}, {now} now), whose calls taoctl "
                             "would misread: scan fewer blocks (--archive-blocks)")

"""The runtime: plain functions over a `State` that apply extrinsics and run blocks.

Two layers, as on a Substrate chain:

- `apply_extrinsic(state, xt, genesis_hash, block_number)` checks validity first (genesis hash,
  signature, nonce; `InvalidTransaction` changes nothing at all), then bumps the nonce and calls
- `dispatch(state, origin, call, block_number)`, which runs the call inside a snapshot: a
  `DispatchError` rolls back the call's writes and is reported with its subtensor name.
  The JSON-RPC node (`chain.node`) verifies SCALE extrinsics itself and calls
  `dispatch` directly.

Blocks: `open_block` runs the start-of-block hooks for a new block (its number and timestamp are
set first); `run_empty_blocks` runs many empty blocks, skipping in closed form wherever every
hook allows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from chain.local.calls import Env, decode_args, lookup
from chain.local.errors import BadGenesis, BadProof, DispatchError, Future, Stale
from chain.local.extrinsic import Call, SignedExtrinsic
from chain.local import hooks
from chain.local.state import State
from chain.pallets import system, timestamp

BLOCK_TIME_MS = 12_000


@dataclass
class ApplyResult:
    """The outcome of an included extrinsic: success, or the dispatch error's name and text."""

    success: bool
    events: list[dict] = field(default_factory=list)
    error: str | None = None
    message: str | None = None
    fee: int = 0  # rao the signer paid (recycled), whatever the call's outcome


def validate(state: State, xt: SignedExtrinsic, genesis_hash: bytes) -> None:
    """Raise an InvalidTransaction unless the extrinsic can be included now (changes nothing)."""
    if xt.genesis_hash != genesis_hash:
        raise BadGenesis("the extrinsic was signed for another chain (genesis hash differs)")
    lookup(xt.call.pallet, xt.call.name)  # CallUnknown before the signature work
    if not xt.verify():
        raise BadProof("bad signature: the extrinsic was not signed by its sender's key")
    expected = state.get(system.ACCOUNT, xt.signer).nonce
    if xt.nonce < expected:
        raise Stale(f"nonce {xt.nonce} was already used (the account's next nonce is {expected})")
    if xt.nonce > expected:
        raise Future(f"nonce {xt.nonce} is ahead of the account's next nonce {expected}")


def apply_extrinsic(state: State, xt: SignedExtrinsic, genesis_hash: bytes,
                    block_number: int) -> ApplyResult:
    """Validate, charge the fee, bump the nonce, dispatch. Invalid transactions raise (nothing
    changed); failed calls return (the fee and the nonce stay)."""
    from chain.local import transaction_payment

    validate(state, xt, genesis_hash)
    spec = lookup(xt.call.pallet, xt.call.name)
    args = decode_args(spec, xt.call.args)
    length = transaction_payment.fee_length(xt.call, xt.nonce)
    return apply_validated(state, xt.signer, Call(xt.call.pallet, xt.call.name, args), length,
                           block_number)


def apply_validated(state: State, signer: bytes, call: Call, length: int, block_number: int,
                    tip: int = 0) -> ApplyResult:
    """A valid signed extrinsic of `length` encoded bytes: charge its fee (CannotPayFees, an
    InvalidTransaction, when it cannot be paid; nothing changed), bump the nonce, dispatch.
    Both doors use it: `apply_extrinsic` and the node's SCALE extrinsics."""
    from chain.local import transaction_payment

    details = transaction_payment.fee_details(state, call.id, length, tip)
    charged = transaction_payment.charge(state, signer, call.id, call.args, details)
    withdrawn, paid = charged.before, charged.after
    info = state.get(system.ACCOUNT, signer)
    state.set(system.ACCOUNT, signer, replace(info, nonce=info.nonce + 1))
    try:
        events = dispatch(state, signer, call, block_number)
    except DispatchError as exc:
        failed = {"pallet": "System", "name": "ExtrinsicFailed",
                  "args": {"error": exc.name, "message": str(exc)}}
        return ApplyResult(False, [*withdrawn, *paid, failed], exc.name, str(exc),
                           details.total)
    events = [*withdrawn, *events, *paid,
              {"pallet": "System", "name": "ExtrinsicSuccess", "args": {}}]
    return ApplyResult(True, events, fee=details.total)


def dispatch(state: State, origin: bytes, call: Call, block_number: int) -> list[dict]:
    """Run a call for `origin` inside a snapshot; on DispatchError nothing it wrote remains."""
    spec = lookup(call.pallet, call.name)
    args = decode_args(spec, call.args)
    env = Env(state, block_number)
    state.begin()
    try:
        spec.fn(env, origin, **args)
    except BaseException:  # a DispatchError, or a bug: either way the call leaves no trace
        state.rollback()
        raise
    state.commit()
    return env.events


def open_block(state: State, number: int, timestamp_ms: int) -> list[dict]:
    """Start block `number`: set System.Number and Timestamp.Now, run every start-of-block hook."""
    if state.history_block is not None:  # block `number`'s own work (history.py)
        state.history_block = number
    state.set(system.NUMBER, number)
    state.set(timestamp.NOW, timestamp_ms)
    env = Env(state, number)
    for hook in hooks.BLOCK_HOOKS:
        hook.on_initialize(env)
    return env.events


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Raise the cyclic garbage collector's first threshold for a long run of blocks. The run
    allocates millions of short-lived ints, tuples and lists and no reference cycles, while a
    chain's read cache holds millions of tracked objects (every UID's weights rows); at the
    default threshold (700) the full collections that follow cost about 5% of a simulated
    day. The older generations are held off for the run as well (speedB): what survives a
    young collection there is the run's own long-lived state (the overlay's values, the
    history's pre-images, hundreds of thousands of them), which a middle-generation pass only
    examines again to promote it (~0.7 s of the 32 x 256 day). Cyclic garbage, if any, waits
    for the collections after the run. The thresholds are restored afterwards."""
    import gc

    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], GC_THRESHOLD),
                     *(max(t, OLDER_GC_THRESHOLD) for t in thresholds[1:]))
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


GC_THRESHOLD = 100_000
OLDER_GC_THRESHOLD = 1_000  # young collections per middle one (default 10), middle per old


# A fast-forwarded run keeps its state at least every HISTORY_STRIDE blocks (issue 17), so a
# read at a block inside it (`chain.local.history.state_at`) replays at most this many blocks
# (coinbase runs block by block: ~0.1 ms a block with one emitting subnet) instead of the
# whole run. An exact skip split in two is the same skip (the closed forms are held to
# block-by-block execution); coarse runs are not split (their steps are approximate).
HISTORY_STRIDE = 256


def run_empty_blocks(state: State, first: int, last: int, genesis: tuple[int, int],
                     *, block_by_block: bool = False, coarse: bool = False) -> None:
    """Run blocks first..last (inclusive) with no extrinsics, skipping in closed form.

    `genesis` is (genesis block number, genesis timestamp ms), to date the blocks. A run is
    skipped only up to the first block some hook needs block by block; `block_by_block` forces
    the slow path (tests compare the two); `coarse` lets hooks fast-forward approximately.
    """
    from chain.local.coinbase import check_run_length, sharing_epoch_reads

    if not (block_by_block or coarse):  # the whole run, before any piece of it is cut off
        check_run_length(state, last - first + 1)
    with sharing_epoch_reads() as shared:
        _run_pieces(state, first, last, genesis, shared, block_by_block, coarse)
    if last >= first:
        if state.history_block is not None:
            state.history_block = last
        state.set(system.NUMBER, last)
        state.set(timestamp.NOW, genesis[1] + (last - genesis[0]) * BLOCK_TIME_MS)


def _run_pieces(state: State, first: int, last: int, genesis: tuple[int, int], shared: dict,
                block_by_block: bool, coarse: bool) -> None:
    """`run_empty_blocks`' loop: skipped pieces, and blocks opened where a hook needs them
    (`shared`, the coinbase's epoch reads, is dropped before each: its hooks may change them)."""
    number = first
    while number <= last:
        if block_by_block:
            stop = number
        else:
            needs = [h.next_block_needing_work(state, number) for h in hooks.BLOCK_HOOKS]
            needs = [n for n in needs if n is not None]
            stop = min(needs) if needs else last + 1
            if state.history_block is not None and not coarse:  # issue 17: a kept state
                stop = min(stop, number + HISTORY_STRIDE)      # every HISTORY_STRIDE blocks
        if stop > number:  # number..min(stop-1, last) can be skipped
            end = min(stop - 1, last)
            if state.history_block is not None:  # kept as the run's end state (history.py)
                state.history_block = end
                if end > number:
                    state.history_runs.append((number - 1, end, coarse))
            for hook in hooks.BLOCK_HOOKS:
                hook.skip(state, number, end, coarse=coarse)
            number = end + 1
            continue
        shared.clear()
        open_block(state, number, genesis[1] + (number - genesis[0]) * BLOCK_TIME_MS)
        number += 1

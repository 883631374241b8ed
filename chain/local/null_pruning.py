"""Batched UID pruning on a Null subnet: `AdminUtils.sudo_trim_null_uids_batch(netuid, target)`
(call 112 at spec 475; ECONOMICS-2026 §7.0). Read from `subnets/uids.rs::trim_null_uids_batch`
and `trim_uids_impl` and `pallets/admin-utils/src/lib.rs` (RaoFoundation/subtensor, the version
with `EpochConsensus`).

One call removes at most `NULL_PRUNING_BATCH` (64) UIDs toward the owner's final `target`:

- refusals (`InvalidValue` unless named): the subnet exists (`SubnetNotExists`); it runs Null;
  `MinAllowedUids <= target <= MaxAllowedUids`; when UIDs must go, the immune UIDs (the owner's
  immortal ones and those inside `ImmunityPeriod`) are fewer than `MAX_IMMUNE_UIDS_PERCENT` of
  `target` (`Percent::from_rational`, rounded to the nearest percent, ties down:
  `TrimmingWouldExceedMaxImmunePercentage`); the batch can find enough non-immune UIDs;
- this batch trims to `next = max(SubnetworkN - 64, target)` and sets `MaxAllowedUids = next`;
- who goes: the lowest `Emission` first; of equal emission the higher UID first (a stable sort
  by emission descending, walked from its end); immune UIDs are skipped;
- the survivors keep their UIDs, except that each hole below `next` is filled by a survivor from
  the tail (UIDs >= `next`, ascending), so at most one batch of hotkeys changes UID; every
  per-UID vector follows the move;
- weight rows: only the old permit holder's row is kept (remapped to the new UIDs, weights on
  removed UIDs dropped); every other row goes (queued reveals would point at the old layout);
- bonds are frozen on a Null subnet: rows of survivors are kept, remapped the same way;
- the one permit is recomputed: the largest stake-weight UID of the new layout
  (`epoch_modes.null_winner`);
- `NullPruningTarget[netuid]` holds `target` while UIDs remain above it and is removed when the
  target is reached; event `NullUidsPruningProgress(netuid, target, remaining, removed,
  cleared_commits)`.

Before UIDs move, every queued weights commit of the subnet is dropped (they name the old
layout; `commit_reveal.clear_subnet_commits`): `cleared_commits` counts the hotkeys' queues
(the chain clears at most `NULL_UID_BUDGET` keys per call and finishes the clean-up first;
the bundled chain has no timelocked commits and clears them all at once). Not modelled: the owner's rate limit on the first batch and the admin
freeze window (as for every owner setter here). Origin: the subnet owner or sudo.

`AdminUtils.sudo_trim_to_max_allowed_uids(netuid, max_n)` (call 78, §6.2) is the one-shot trim
the batches share their code with (`trim_uids`): all or nothing (`InvalidValue` when too few
non-immune UIDs can go), `MaxAllowedUids = max_n`, and on a Yuma subnet the survivors are
compressed to the left in UID order with every weight and bond row remapped; on a Null subnet
it may remove at most one batch (64) and clears any `NullPruningTarget`.
"""

from __future__ import annotations

from chain.local import epoch_modes
from chain.local import neurons as nr
from chain.local import registration_price as rp
from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.state import State
from chain.local.subtensor_errors import fail
from chain.pallets import subtensor_module as sm

NULL_PRUNING_BATCH = 64
"""`uids.rs::NULL_PRUNING_BATCH`: UID deletions per call."""
MAX_IMMUNE_UIDS_PERCENT = 80
"""The runtime's `MaxImmuneUidsPercentage` (`Percent::from_percent(80)`)."""
MAX_U64 = 2**64 - 1
PER_UID_VECTORS = (sm.EMISSION, sm.LAST_UPDATE, sm.INCENTIVE, sm.DIVIDENDS, sm.CONSENSUS,
                   sm.VALIDATOR_TRUST, sm.ACTIVE, sm.VALIDATOR_PERMIT)
"""The per-UID vectors a trim compresses (subtensor's, as far as the bundled chain keeps them)."""


def percent_from_rational(p: int, q: int) -> int:
    """`Percent::from_rational(p, q)` in whole percent: nearest, ties down; 100 when p >= q
    or q is 0 (sp-arithmetic saturates to one)."""
    if q == 0 or p >= q:
        return 100
    whole, rest = divmod(100 * p, q)
    return whole + (1 if 2 * rest > q else 0)


def uids_to_remove(emission: list[int], skip: set[int], keep: int) -> list[int] | None:
    """UIDs a trim to `keep` removes (`trim_uids_impl`): sort by emission descending (stable,
    ties stay in UID order), walk from the end, skip `skip`; None when too few can go."""
    order = sorted(range(len(emission)), key=lambda uid: -emission[uid])
    removed: list[int] = []
    left = len(emission)
    for uid in reversed(order):
        if left == keep:
            break
        if uid in skip:
            continue
        removed.append(uid)
        left -= 1
    return removed if left == keep else None


def null_layout(n: int, removed: set[int], keep: int) -> list[int]:
    """New UID -> old UID after a Null trim: survivors keep their UID; each hole below `keep`
    takes the next tail survivor (old UID >= `keep`, ascending)."""
    holes = [uid for uid in range(keep) if uid in removed]
    tails = [uid for uid in range(keep, n) if uid not in removed]
    assert len(holes) == len(tails), (holes, tails)
    layout = list(range(keep))
    for hole, tail in zip(holes, tails, strict=True):
        layout[hole] = tail
    return layout


def stake_weights(state: State, netuid: int) -> list[int]:
    """The stake vector a Null epoch uses (`epoch.run_epoch`'s: own alpha + root alpha x
    TaoWeight, floored; below `StakeThreshold` zeroed except the owner hotkey's UID)."""
    tao_weight, threshold = state.get(sm.TAO_WEIGHT), state.get(sm.STAKE_THRESHOLD)
    owner_hotkey = state.get(sm.SUBNET_OWNER_HOTKEY, netuid)
    stakes = []
    for hotkey in nr.hotkeys(state, netuid):
        amount = 0
        if hotkey is not None:
            amount = (state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid)
                      + state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, 0) * tao_weight // MAX_U64)
        stakes.append(0 if amount < threshold and hotkey != owner_hotkey else amount)
    return stakes


def _remap_row(row: list, mapping: dict[int, int]) -> list[list[int]]:
    return [[mapping[target], value] for target, value in row if target in mapping]


def trim_null_uids_batch(state: State, netuid: int, target: int, block: int) -> dict:
    """One pruning batch (see the module docstring); returns the event's fields."""
    if not su.subnet_exists(state, netuid):
        raise fail("SubnetNotExists", f"subnet {netuid} does not exist")
    if not epoch_modes.is_null(state, netuid):
        raise fail("InvalidValue", f"subnet {netuid} runs Yuma epochs; batched pruning is for "
                   "Null subnets")
    _ensure_bounds(state, netuid, target, "the target")
    n = state.get(sm.SUBNETWORK_N, netuid)
    immune = immune_uids(state, netuid, block)
    if n > target:
        _ensure_immune_share(immune, target)
    from chain.local.commit_reveal import clear_subnet_commits

    cleared = clear_subnet_commits(state, netuid)
    keep = max(n - NULL_PRUNING_BATCH, target)
    _ensure_bounds(state, netuid, keep, "this batch's size")
    state.set(sm.MAX_ALLOWED_UIDS, netuid, keep)
    if n > keep:
        trim_uids(state, netuid, keep, immune)
    remaining = state.get(sm.SUBNETWORK_N, netuid)
    if remaining > target:
        state.set(sm.NULL_PRUNING_TARGET, netuid, target)
    else:
        state.remove(sm.NULL_PRUNING_TARGET, netuid)
    return {"netuid": netuid, "target": target, "remaining": remaining,
            "removed": n - remaining, "cleared_commits": cleared}


def trim_uids(state: State, netuid: int, keep: int, immune: set[int]) -> None:
    """`trim_uids_impl` once its bounds hold: remove the lowest emitters down to `keep` UIDs
    and lay the survivors out as the mode says (Null: holes filled from the tail, only the
    permit holder's weight row kept, permit recomputed; Yuma: compressed to the left in UID
    order, every row remapped); InvalidValue when too few UIDs may go."""
    n = state.get(sm.SUBNETWORK_N, netuid)
    is_null = epoch_modes.is_null(state, netuid)
    emission = (list(state.get(sm.EMISSION, netuid)) + [0] * n)[:n]
    removed = uids_to_remove(emission, immune, keep)
    if removed is None:
        raise fail("InvalidValue", f"only {n - len(immune)} UIDs are not immune; cannot trim "
                   f"{n} to {keep}")
    gone = set(removed)
    permits = (list(state.get(sm.VALIDATOR_PERMIT, netuid)) + [False] * n)[:n]
    for uid in removed:
        hotkey = state.get(sm.KEYS, netuid, uid)
        if hotkey is not None:
            state.remove(sm.UIDS, netuid, hotkey)
            state.remove(sm.IS_NETWORK_MEMBER, hotkey, netuid)
            state.remove(sm.ALPHA_DIVIDENDS_PER_SUBNET, netuid, hotkey)
        state.remove(sm.KEYS, netuid, uid)
        state.remove(sm.BLOCK_AT_REGISTRATION, netuid, uid)
        state.remove(sm.WEIGHTS, netuid, uid)
        state.remove(sm.BONDS, netuid, uid)
    layout = null_layout(n, gone, keep) if is_null else \
        [uid for uid in range(n) if uid not in gone]
    mapping = {old: new for new, old in enumerate(layout)}
    for item in PER_UID_VECTORS:
        vector = list(state.get(item, netuid))
        if vector:
            fill = False if item is sm.VALIDATOR_PERMIT or item is sm.ACTIVE else 0
            vector += [fill] * (n - len(vector))
            state.set(item, netuid, [vector[old] for old in layout])
    # everything keyed by UID is read first, then written at the new UIDs
    # (a UID that keeps its place keeps its hotkey and registration block rows as they are)
    moved = {old: new for old, new in mapping.items() if old != new}
    keys = {old: state.get(sm.KEYS, netuid, old) for old in moved}
    registered = {old: state.get(sm.BLOCK_AT_REGISTRATION, netuid, old) for old in moved}
    weights = {old: state.get(sm.WEIGHTS, netuid, old) for old in layout}
    bonds = {old: state.get(sm.BONDS, netuid, old) for old in layout}
    for old in moved:
        state.remove(sm.KEYS, netuid, old)
        state.remove(sm.BLOCK_AT_REGISTRATION, netuid, old)
    for old in layout:
        state.remove(sm.WEIGHTS, netuid, old)
        state.remove(sm.BONDS, netuid, old)
    for old, new in moved.items():
        state.set(sm.KEYS, netuid, new, keys[old])
        state.set(sm.BLOCK_AT_REGISTRATION, netuid, new, registered[old])
        if keys[old] is not None:
            state.set(sm.UIDS, netuid, keys[old], new)
    for old, new in mapping.items():
        if weights[old] and (permits[old] or not is_null):  # Null: only the elected row
            state.set(sm.WEIGHTS, netuid, new, _remap_row(weights[old], mapping))
        if bonds[old]:  # on Null, frozen bonds follow their UIDs
            state.set(sm.BONDS, netuid, new, _remap_row(bonds[old], mapping))
    state.set(sm.SUBNETWORK_N, netuid, keep)
    if is_null:
        winner = epoch_modes.null_winner(stake_weights(state, netuid))
        state.set(sm.VALIDATOR_PERMIT, netuid, [uid == winner for uid in range(keep)])


def immune_uids(state: State, netuid: int, block: int) -> set[int]:
    """The owner's immortal UIDs and those still inside `ImmunityPeriod`."""
    period = state.get(sm.IMMUNITY_PERIOD, netuid)
    return set(nr.immortal_uids(state, netuid)) | {
        uid for uid in range(state.get(sm.SUBNETWORK_N, netuid))
        if rp.is_immune(block, state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid), period)}


def _ensure_immune_share(immune: set[int], target: int) -> None:
    if percent_from_rational(len(immune), target) >= MAX_IMMUNE_UIDS_PERCENT:
        raise fail("TrimmingWouldExceedMaxImmunePercentage",
                   f"{len(immune)} of the subnet's UIDs are immune, {MAX_IMMUNE_UIDS_PERCENT}% or "
                   f"more of the target {target}")


def _ensure_bounds(state: State, netuid: int, value: int, what: str) -> None:
    low, high = state.get(sm.MIN_ALLOWED_UIDS, netuid), state.get(sm.MAX_ALLOWED_UIDS, netuid)
    if not low <= value <= high:
        raise fail("InvalidValue", f"{what} must be between MinAllowedUids {low} and "
                   f"MaxAllowedUids {high}; asked {value}")


def trim_to_max_allowed_uids(state: State, netuid: int, max_n: int, block: int) -> int:
    """`trim_to_max_allowed_uids` (AdminUtils 78): trim to `max_n` at once, all or nothing; on
    a Null subnet at most one batch (64 UIDs) and the queued commits go first. Returns the
    number of UIDs removed."""
    if not su.subnet_exists(state, netuid):
        raise fail("SubnetNotExists", f"subnet {netuid} does not exist")
    n = state.get(sm.SUBNETWORK_N, netuid)
    is_null = epoch_modes.is_null(state, netuid)
    if is_null and n - max_n > NULL_PRUNING_BATCH:
        raise fail("InvalidValue", f"a Null subnet trims at most {NULL_PRUNING_BATCH} UIDs at "
                   "once: use sudo_trim_null_uids_batch")
    _ensure_bounds(state, netuid, max_n, "max_n")
    immune = immune_uids(state, netuid, block) if n > max_n else set()
    if n > max_n:
        _ensure_immune_share(immune, max_n)
    # every check passed: now the writes
    if is_null and n > max_n:
        from chain.local.commit_reveal import clear_subnet_commits

        clear_subnet_commits(state, netuid)
    state.set(sm.MAX_ALLOWED_UIDS, netuid, max_n)
    if n > max_n:
        trim_uids(state, netuid, max_n, immune)
    state.remove(sm.NULL_PRUNING_TARGET, netuid)
    return n - state.get(sm.SUBNETWORK_N, netuid)


@call("AdminUtils", "sudo_trim_to_max_allowed_uids")
def sudo_trim_to_max_allowed_uids(env: Env, origin: bytes, netuid: int, max_n: int) -> None:
    """Owner or sudo: set `MaxAllowedUids` to `max_n`, removing the lowest emitters beyond it."""
    epoch_modes.ensure_owner_or_sudo(env.state, origin, netuid)
    removed = trim_to_max_allowed_uids(env.state, netuid, max_n, env.block_number)
    env.result = {"call": "sudo_trim_to_max_allowed_uids", "netuid": netuid, "max_n": max_n,
                  "removed": removed}


@call("AdminUtils", "sudo_trim_null_uids_batch")
def sudo_trim_null_uids_batch(env: Env, origin: bytes, netuid: int, target: int) -> None:
    """Owner or sudo: remove at most 64 UIDs of a Null subnet toward `target` (call again with
    the same target until `NullPruningTarget` is gone)."""
    epoch_modes.ensure_owner_or_sudo(env.state, origin, netuid)
    event = trim_null_uids_batch(env.state, netuid, target, env.block_number)
    env.emit("SubtensorModule", "NullUidsPruningProgress", **event)
    env.result = {"call": "sudo_trim_null_uids_batch", **event}

"""Per-subnet epoch modes (ECONOMICS-2026 §7.0, §7.7; AdminUtils calls 104, 111):
`SubnetEpochConsensus` (Yuma or Null) and `LiquidAlphaConsensusMode` (Current, Previous, Auto).

A subnet with no `SubnetEpochConsensus` row runs Yuma (`epoch.run_epoch`), as every subnet did
on finney at block 9,234,811. A **Null** epoch (`null_epoch`, the pure kernel, and
`run_null_epoch` on storage):

- stake S: the vector Yuma uses (own alpha + root alpha x TaoWeight, below `StakeThreshold`
  zeroed except the owner's UID), as integers;
- the sole validator v is the UID of largest S, ties to the lowest UID; it alone holds a
  validator permit;
- incentive: the miners' pool (`PendingServerEmission`) apportioned over v's weight row
  (`W[v][j]`, linear: no consensus, clipping or stake normalisation); if that row is empty, or
  v's weights are stale (v inactive: `LastUpdate[v] + activity cutoff < block`), the pool is
  split equally over every UID;
- dividends: the validators' and root pools apportioned pro rata to S over every UID with S > 0
  (non-permit and inactive UIDs included);
- if no UID has stake: the validators' pool goes to the miners too and the root pool is recycled
  (taken back out of `SubnetAlphaOut`);
- consensus and validator trust are 0; bonds are not read or written (frozen);
- only the permit holder may set weights (`weights.check_and_upscale` asks `is_null`).

Integer apportionment (`apportion`): floors, then one rao to each of the largest remainders (ties
to the lower UID), so every pool is paid exactly (§0.0 item 4). The per-UID amounts then go
through the same payout as Yuma's (`emission_split.plan_epoch_payout`: owner cut, owner hotkeys'
incentive withheld, validator take, root dividends); its dividend split floors as for Yuma.

`LastYumaStepBlock` (the Yuma bond cutoff since 475) equals `LastEpochBlock` after every Yuma
epoch; the bundled chain stores it only while the two differ, i.e. from a subnet's first Null
epoch until its next Yuma epoch (`yuma_bond_cutoff_block`), so a subnet that never ran Null has
no row.

Switching (`do_set_epoch_consensus`, by the owner or sudo): not on root; the subnet's UIDs must
fit the target mode's budget (`UID_BUDGET`, which also bounds `sudo_set_max_allowed_uids`:
`check_max_allowed_uids`); to Null saves `MaxAllowedValidators` into
`SavedYumaMaxAllowedValidators` and sets it to 1; back to Yuma restores it. Not modelled: the
admin window and owner rate limits, the timelocked-commit precondition (the bundled chain has no
commit-reveal). Batched pruning of a Null subnet (`sudo_trim_null_uids_batch`) is
`chain.local.null_pruning`.

Liquid alpha's consensus input (`liquid_alpha_consensus`): Current = this epoch's consensus,
Previous = the stored `Consensus` of the last epoch (u16 / 65535), Auto = Previous when
`BondsPenalty == 65535` else Current. Only read when `LiquidAlphaOn`.
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.errors import BadOrigin
from chain.local.state import State
from chain.local.subtensor_errors import fail
from chain.pallets import subtensor_module as sm
from chain.pallets import sudo

YUMA, NULL = 0, 1
EPOCH_CONSENSUS = {"yuma": YUMA, "null": NULL}
CURRENT, PREVIOUS, AUTO = 0, 1, 2
CONSENSUS_MODES = {"current": CURRENT, "previous": PREVIOUS, "auto": AUTO}
NULL_UID_BUDGET = 2_500
"""`NULL_UID_BUDGET` (`subnets/mechanism.rs`): the UIDs a Null subnet may hold."""
YUMA_UID_BUDGET = 256
"""Yuma's UID budget, "the default UID limit" (§6.2): taken as the 256 `init_new_network` sets
(the storage default of `MaxAllowedUids` is 4096; a choice, kept here)."""
UID_BUDGET = {YUMA: YUMA_UID_BUDGET, NULL: NULL_UID_BUDGET}
U16_MAX = 65_535


def mode(state: State, netuid: int) -> int:
    """The subnet's `SubnetEpochConsensus` (0 Yuma, 1 Null)."""
    return state.get(sm.SUBNET_EPOCH_CONSENSUS, netuid)


def is_null(state: State, netuid: int) -> bool:
    """The subnet runs Null epochs (only its permit holder may then set weights)."""
    return mode(state, netuid) == NULL


def mode_name(value: int) -> str:
    return {YUMA: "Yuma", NULL: "Null"}.get(value, str(value))


def consensus_mode_name(value: int) -> str:
    return {CURRENT: "Current", PREVIOUS: "Previous", AUTO: "Auto"}.get(value, str(value))


# -- the kernels ----------------------------------------------------------------------------------
def apportion(budget: int, weights: list[int]) -> list[int]:
    """Split `budget` rao in proportion to integer `weights`: floors, then one rao each to the
    largest remainders (ties to the lower index). The parts sum to `budget` exactly when any
    weight is positive; all zero otherwise."""
    total = sum(weights)
    if total <= 0 or budget <= 0:
        return [0] * len(weights)
    parts = [budget * w // total for w in weights]
    left = budget - sum(parts)
    order = sorted(range(len(weights)), key=lambda k: (-(budget * weights[k] % total), k))
    for k in order[:left]:
        parts[k] += 1
    return parts


def null_winner(stakes: list[int]) -> int | None:
    """The UID of the largest stake, ties to the lowest UID; None when no UID has stake."""
    best = None
    for uid, s in enumerate(stakes):
        if s > 0 and (best is None or s > stakes[best]):
            best = uid
    return best


@dataclass(frozen=True)
class NullEpoch:
    """A Null epoch's per-UID payouts (rao of alpha) and what it stores."""

    winner: int | None
    incentive: list[int]
    dividends: list[int]
    recycled_root: int
    """Root pool alpha recycled (no UID with stake)."""
    equal_split: bool
    """The miners' pool went equally to every UID (empty or stale winner row)."""


def null_epoch(stakes: list[int], winner_row: dict[int, int] | None, winner_active: bool,
               server: int, validator: int, root: int) -> NullEpoch:
    """The Null epoch of §7.0 on integers. `winner_row` maps UID -> raw u16 weight of the
    winner's (masked) row; `server`/`validator`/`root` are the drained pools."""
    n = len(stakes)
    v = null_winner(stakes)
    recycled = 0
    miners = server
    if v is None:  # nobody to pay dividends to: validators' pool to miners, root recycled
        miners += validator
        validator, recycled, root = 0, root, 0
    row = [0] * n
    for uid, w in (winner_row or {}).items():
        if 0 <= uid < n:
            row[uid] += w
    equal = v is None or not winner_active or sum(row) == 0
    incentive = apportion(miners, [1] * n if equal else row)
    dividends = apportion(validator + root, stakes) if v is not None else [0] * n
    return NullEpoch(v, incentive, dividends, recycled, equal)


def liquid_alpha_consensus(consensus_mode: int, bonds_penalty: int, current, previous):
    """The consensus vector that feeds liquid alpha's `alpha_sigmoid` (§7.7)."""
    if consensus_mode == AUTO:
        consensus_mode = PREVIOUS if bonds_penalty == U16_MAX else CURRENT
    return previous if consensus_mode == PREVIOUS else current


def previous_consensus(state: State, netuid: int, n: int):
    """The stored `Consensus` of the last epoch as I32F32 floats (`u16 / 65535`), n entries."""
    import numpy as np

    from chain.yuma import u16_to_float

    stored = list(state.get(sm.CONSENSUS, netuid))[:n]
    stored += [0] * (n - len(stored))
    return u16_to_float(np.array(stored, dtype=np.int64))


def yuma_bond_cutoff_block(state: State, netuid: int, last_epoch_block: int) -> int:
    """`LastYumaStepBlock`: the stored row while the subnet has run Null since its last Yuma
    epoch, else the last epoch block (the two are written together by every Yuma epoch)."""
    stored = state.get(sm.LAST_YUMA_STEP_BLOCK, netuid)
    return stored if stored else last_epoch_block


def after_yuma_epoch(state: State, netuid: int) -> None:
    """A Yuma epoch ran: `LastYumaStepBlock` equals `LastEpochBlock` again (no row)."""
    if state.get(sm.LAST_YUMA_STEP_BLOCK, netuid):
        state.remove(sm.LAST_YUMA_STEP_BLOCK, netuid)


# -- on storage -----------------------------------------------------------------------------------
def run_null_epoch(state: State, netuid: int, block: int, last_epoch_block: int, stakes: list[int],
                   hotkeys: list, active: list[bool]):
    """Decide the Null epoch's payout shape; the amounts come in `distribute_null` (they need
    the three drained pools). Stores the epoch vectors that do not depend on the amounts."""
    from chain.local.epoch import EpochOutputs

    n = len(stakes)
    v = null_winner(stakes)
    row: dict[int, int] = {}
    if v is not None:
        registered = [state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid) for uid in range(n)]
        updated = (list(state.get(sm.LAST_UPDATE, netuid)) + [0] * n)[v]
        for uid, w in state.get(sm.WEIGHTS, netuid, v):
            if uid < n and updated > registered[uid]:  # weights older than the UID are stale
                row[uid] = row.get(uid, 0) + w
    if not state.get(sm.LAST_YUMA_STEP_BLOCK, netuid):
        state.set(sm.LAST_YUMA_STEP_BLOCK, netuid, last_epoch_block)
    state.set(sm.CONSENSUS, netuid, [0] * n)
    state.set(sm.VALIDATOR_TRUST, netuid, [0] * n)
    state.set(sm.ACTIVE, netuid, list(active))
    state.set(sm.VALIDATOR_PERMIT, netuid, [uid == v for uid in range(n)])
    plan = NullPlan(stakes, row, v is not None and active[v])
    return EpochOutputs(list(hotkeys), [0] * n, [0] * n, [], [], None, null=plan)


@dataclass
class NullPlan:
    """What a Null epoch read, handed to its payout."""

    stakes: list[int]
    winner_row: dict[int, int]
    winner_active: bool


def distribute_null(state: State, netuid: int, outputs, pending) -> int:
    """Pay a Null epoch: the kernel on the drained pools, then Yuma's payout plan."""
    import numpy as np

    from chain.local import emission_split as es
    from chain.local.epoch import EpochOutputs, distribute
    from chain.yuma import quantise_u16

    plan = outputs.null
    result = null_epoch(plan.stakes, plan.winner_row, plan.winner_active, pending.server,
                        pending.validator, pending.root)
    if result.recycled_root:
        state.set(sm.SUBNET_ALPHA_OUT, netuid,
                  max(state.get(sm.SUBNET_ALPHA_OUT, netuid) - result.recycled_root, 0))
        pending = es.Pending(server=pending.server + pending.validator, validator=0, root=0,
                             owner_cut=pending.owner_cut)
    for item, amounts in ((sm.INCENTIVE, result.incentive), (sm.DIVIDENDS, result.dividends)):
        total = sum(amounts)
        state.set(item, netuid, quantise_u16(np.array(amounts, dtype=np.float64) / total).tolist()
                  if total else [0] * len(amounts))
    state.set(sm.EMISSION, netuid, [i + d for i, d in zip(result.incentive, result.dividends,
                                                          strict=True)])
    hotkeys = outputs.hotkeys
    alpha_stake = [state.get(sm.TOTAL_HOTKEY_ALPHA, h, netuid) if h is not None else 0
                   for h in hotkeys]
    root_stake = [state.get(sm.TOTAL_HOTKEY_ALPHA, h, 0) if h is not None else 0
                  for h in hotkeys]
    paid = EpochOutputs(hotkeys, result.incentive, result.dividends, alpha_stake, root_stake)
    return distribute(state, netuid, paid, pending)


# -- switching ------------------------------------------------------------------------------------
def _ensure_owner_or_sudo(state: State, origin: bytes, netuid: int) -> None:
    if origin != state.get(sudo.KEY) and origin != state.get(sm.SUBNET_OWNER, netuid):
        raise BadOrigin(f"only the owner of subnet {netuid} or the sudo key can do this")


ensure_owner_or_sudo = _ensure_owner_or_sudo  # econ: also the Null pruning call's origin


def do_set_epoch_consensus(state: State, netuid: int, target: int) -> None:
    """Switch a subnet's epoch mode (see the module docstring)."""
    if netuid == 0:
        raise fail("InvalidValue", "the root subnet has no epoch mode")
    su.ensure_subnet(state, netuid)
    if target not in UID_BUDGET:
        raise fail("InvalidValue", f"epoch consensus is 0 (Yuma) or 1 (Null), not {target}")
    current = mode(state, netuid)
    if target == current:
        return
    n = state.get(sm.SUBNETWORK_N, netuid)
    if n > UID_BUDGET[target]:
        raise fail("InvalidValue", f"subnet {netuid} has {n} UIDs, more than the "
                   f"{UID_BUDGET[target]} a {mode_name(target)} subnet may hold")
    if target == NULL:
        state.set(sm.SAVED_YUMA_MAX_ALLOWED_VALIDATORS, netuid,
                  state.get(sm.MAX_ALLOWED_VALIDATORS, netuid))
        state.set(sm.MAX_ALLOWED_VALIDATORS, netuid, 1)
        state.set(sm.SUBNET_EPOCH_CONSENSUS, netuid, NULL)
    else:
        saved = state.get(sm.SAVED_YUMA_MAX_ALLOWED_VALIDATORS, netuid)
        if saved:
            state.set(sm.MAX_ALLOWED_VALIDATORS, netuid, saved)
        state.remove(sm.SAVED_YUMA_MAX_ALLOWED_VALIDATORS, netuid)
        state.remove(sm.SUBNET_EPOCH_CONSENSUS, netuid)


def check_max_allowed_uids(state: State, netuid: int, value: int) -> None:
    """`sudo_set_max_allowed_uids` may not exceed the subnet's epoch mode's UID budget (§6.2)."""
    budget = UID_BUDGET.get(mode(state, netuid), YUMA_UID_BUDGET)
    if value > budget:
        raise fail("InvalidValue", f"a {mode_name(mode(state, netuid))} subnet holds at most "
                   f"{budget} UIDs; asked for {value}")


@call("AdminUtils", "sudo_set_epoch_consensus")
def sudo_set_epoch_consensus(env: Env, origin: bytes, netuid: int, mode: int) -> None:
    """Owner or sudo: run the subnet's epochs as Yuma (0) or Null (1)."""
    _ensure_owner_or_sudo(env.state, origin, netuid)
    do_set_epoch_consensus(env.state, netuid, mode)
    env.emit("SubtensorModule", "EpochConsensusSet", netuid=netuid, mode=mode)
    env.result = {"call": "sudo_set_epoch_consensus", "netuid": netuid,
                  "mode": mode_name(mode)}


@call("AdminUtils", "sudo_set_liquid_alpha_consensus_mode")
def sudo_set_liquid_alpha_consensus_mode(env: Env, origin: bytes, netuid: int,
                                         mode: int) -> None:
    """Owner or sudo: which consensus drives liquid-alpha bonds (0 Current, 1 Previous,
    2 Auto)."""
    _ensure_owner_or_sudo(env.state, origin, netuid)
    su.ensure_subnet(env.state, netuid)
    if mode not in (CURRENT, PREVIOUS, AUTO):
        raise fail("InvalidValue", f"the mode is 0, 1 or 2, not {mode}")
    env.state.set(sm.LIQUID_ALPHA_CONSENSUS_MODE, netuid, mode)
    env.emit("AdminUtils", "sudo_set_liquid_alpha_consensus_mode", netuid=netuid, mode=mode)

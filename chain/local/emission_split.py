"""Turning one epoch's output into stake: the plan `distribute_emission` carries out.

Given what Yuma paid each UID's hotkey (incentive, dividend) and the subnet's drained pending
amounts, `plan_epoch_payout` returns, in the chain's execution order, every share-pool operation
(credit a (hotkey, coldkey) stake, or grow a hotkey's pool for all its nominators), the root
dividends that become claimable, and the alpha burned or recycled on the way. It is pure: the
runtime applies the operations with `share_pool.credit_stake` / `share_pool.increase_shared`.
Order matters, because credits and pool growth on the same pool do not commute:
owner cut, then incentives, then alpha dividends (take credit, then pool growth) per hotkey, then
root dividends (take credit, and a credit of the rest if it exceeds the hotkey's root stake) per
hotkey; hotkeys in sorted order (the chain's BTreeMap order over
AccountId bytes, so pass hotkeys as their 32-byte public keys to get the chain's order).

Not modelled here: subnet leases (`distribute_leased_network_dividends`) and the owner-cut
auto-lock. Arithmetic and rounding are those of `coinbase_math` (U96F32, floors to rao).

Source: opentensor/subtensor `pallets/subtensor/src/coinbase/run_coinbase.rs`
(`distribute_emission`, `calculate_dividends_and_incentives`,
`get_parent_child_dividends_distribution`, `distribute_dividends_and_incentives`), commit 14bc6f9f.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from amm.fixed import I96F32, U96F32
from chain.local.coinbase_math import (
    ParentShare,
    childkey_dividend_split,
    miner_burned,
    parent_contribution,
    self_contribution,
    split_dividends,
    tao_weight,
    validator_pool,
    validator_take_split,
)

__all__ = [
    "ROOT_CLAIMABLE_THRESHOLD",
    "root_claim_amount",
    "root_claimable_increment",
    "root_claimed_after_stake_change",
    "root_owed",
    "DEFAULT_DELEGATE_TAKE",
    "Childkeys",
    "Credit",
    "EpochPayout",
    "GrowPool",
    "Pending",
    "plan_epoch_payout",
]


MAX_U64 = 2**64 - 1
DEFAULT_DELEGATE_TAKE = 11_796
"""`Delegates` default (`InitialDefaultDelegateTake`), over 65535: about 18%."""

Hotkey = Hashable
Coldkey = Hashable


@dataclass(frozen=True)
class Pending:
    """The four accumulators drained when the epoch runs (rao of alpha)."""

    server: int = 0
    validator: int = 0
    root: int = 0
    owner_cut: int = 0


class Credit(NamedTuple):
    """Credit `amount` alpha to the (hotkey, coldkey) stake (`credit_stake`). (Operations are
    NamedTuples: an epoch plans one or two per UID.)"""

    hotkey: Hotkey
    coldkey: Coldkey
    amount: int


class GrowPool(NamedTuple):
    """Grow `hotkey`'s pool by `amount`: every nominator gains pro rata (`increase_shared`)."""

    hotkey: Hotkey
    amount: int


@dataclass(frozen=True)
class Childkeys:
    """Childkey relations on this subnet: `parents[child] = [(proportion_u64, parent), ...]`
    (`ParentKeys`), `children[parent] = [(proportion_u64, child), ...]` (`ChildKeys`), each
    child's `ChildkeyTake` (u16, missing = 0) and the global `CKBurn` (u64 over u64::MAX)."""

    parents: Mapping[Hotkey, Sequence[tuple[int, Hotkey]]] = field(default_factory=dict)
    children: Mapping[Hotkey, Sequence[tuple[int, Hotkey]]] = field(default_factory=dict)
    childkey_take: Mapping[Hotkey, int] = field(default_factory=dict)
    ck_burn: int = 0


@dataclass(frozen=True)
class EpochPayout:
    """Everything one epoch pays out, in the order the chain applies it."""

    operations: list[Credit | GrowPool]
    """Share-pool operations in order (zero amounts left out)."""
    root_claimable: dict[Hotkey, int]
    """Root dividends (after take) to add to `RootClaimable` per hotkey, in rao of alpha (turn
    each into a rate with `root_claimable_increment`). A hotkey whose amount exceeds its root
    stake is not here: the chain stakes that amount to (hotkey, owner) instead (a Credit)."""
    alpha_dividends: dict[Hotkey, int]
    """`AlphaDividendsPerSubnet`: the pool growth per hotkey."""
    root_alpha_dividends: dict[Hotkey, int]
    """`RootAlphaDividendsPerSubnet`: the root dividend after take, per hotkey."""
    burned: int
    """Owner-hotkey incentive burned (`SubnetAlphaOut` unchanged)."""
    recycled: int
    """Owner-hotkey incentive recycled plus childkey burns (subtract from `SubnetAlphaOut`)."""
    miner_burned: int
    """New `MinerBurned[n]` (U96F32 bits)."""


def plan_epoch_payout(
    hotkey_emission: Sequence[tuple[Hotkey, int, int]],
    pending: Pending,
    *,
    subnet_owner: Coldkey | None,
    subnet_owner_hotkey: Hotkey | None,
    owner_hotkeys: set[Hotkey],
    hotkey_owner: Mapping[Hotkey, Coldkey],
    alpha_stake: Mapping[Hotkey, int],
    root_stake: Mapping[Hotkey, int],
    tao_weight_u64: int,
    delegate_take: Mapping[Hotkey, int] | None = None,
    auto_stake_destination: Mapping[Coldkey, Hotkey] | None = None,
    childkeys: Childkeys | None = None,
    recycle_owner_incentive: bool = False,
) -> EpochPayout:
    """Plan `distribute_emission` for one subnet.

    `hotkey_emission`: (hotkey, incentive, dividend) per UID, from the epoch run on
    `server + validator + root` pending alpha. `owner_hotkeys`: the owner coldkey's registered
    hotkeys plus `SubnetOwnerHotkey` (their incentive is withheld: burned, or recycled if
    `recycle_owner_incentive`). `alpha_stake` / `root_stake`: `TotalHotkeyAlpha` on this subnet and
    on root. `delegate_take`: `Delegates` (missing = 11796). The owner cut goes to
    (subnet_owner_hotkey, subnet_owner) when both are set.
    """
    takes = delegate_take or {}
    destinations = auto_stake_destination or {}
    ck = childkeys or Childkeys()
    w = tao_weight(tao_weight_u64)
    ops: list[Credit | GrowPool] = []

    incentive_sum = 0
    incentives: dict[Hotkey, int] = {}
    dividends: dict[Hotkey, int] = {}
    recycled = 0
    for hotkey, incentive, dividend in hotkey_emission:
        incentive_sum = min(incentive_sum + incentive, MAX_U64)
        incentives[hotkey] = min(incentives.get(hotkey, 0) + incentive, MAX_U64)
        if not ck.parents.get(hotkey):  # the whole dividend stays with the hotkey
            dividends[hotkey] = U96F32.clamp(dividends.get(hotkey, 0) +
                                             U96F32.from_int(max(min(dividend, MAX_U64), 0)))
            continue
        split = _childkey_split(hotkey, dividend, ck, alpha_stake, root_stake, hotkey_owner, w)
        recycled += split.recycled
        for receiver, amount in [*split.to_parents, (hotkey, split.to_child)]:
            dividends[receiver] = U96F32.clamp(dividends.get(receiver, 0) + U96F32.from_int(amount))

    pot = validator_pool(pending.server, pending.validator, incentive_sum)
    ordered = {h: dividends[h] for h in sorted(dividends)}
    stakes = {h: (alpha_stake.get(h, 0), root_stake.get(h, 0)) for h in ordered}
    alpha_divs, root_divs = split_dividends(pot, pending.root, w, stakes, ordered)

    # 1. owner cut
    if subnet_owner is not None and subnet_owner_hotkey is not None:
        _append(ops, Credit(subnet_owner_hotkey, subnet_owner, pending.owner_cut))

    # 2. incentives; owner hotkeys' incentive is withheld
    burned = 0
    total_incentive = withheld = 0
    for hotkey in sorted(incentives):
        amount = incentives[hotkey]
        total_incentive = min(total_incentive + amount, MAX_U64)
        if hotkey in owner_hotkeys:
            withheld = min(withheld + amount, MAX_U64)
            if recycle_owner_incentive:
                recycled += amount
            else:
                burned += amount
            continue
        coldkey = hotkey_owner.get(hotkey)
        destination = destinations.get(coldkey, hotkey)
        _append(ops, Credit(destination, coldkey, amount))

    # 3. alpha dividends: the validator's take to its owner, the rest grows the pool
    alpha_record: dict[Hotkey, int] = {}
    for hotkey, amount in alpha_divs.items():
        if amount == 0:  # no take, no growth: only the zero record
            alpha_record[hotkey] = 0
            continue
        take, rest = validator_take_split(amount, takes.get(hotkey, DEFAULT_DELEGATE_TAKE))
        _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), take))
        _append(ops, GrowPool(hotkey, rest))
        alpha_record[hotkey] = rest

    # 4. root dividends: the take is staked in alpha, the rest becomes claimable by root stakers
    #    (or, if it exceeds the hotkey's whole root stake, is staked to its owner instead)
    root_record: dict[Hotkey, int] = {}
    claimable: dict[Hotkey, int] = {}
    for hotkey, amount in root_divs.items():
        if amount == 0:  # as below with take = rest = 0 (0 never exceeds a root stake)
            claimable[hotkey] = root_record[hotkey] = 0
            continue
        take, rest = validator_take_split(amount, takes.get(hotkey, DEFAULT_DELEGATE_TAKE))
        _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), take))
        if root_claimable_increment(rest, root_stake.get(hotkey, 0)) is None:
            _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), rest))
        else:
            claimable[hotkey] = rest
        root_record[hotkey] = rest

    return EpochPayout(
        operations=ops,
        root_claimable=claimable,
        alpha_dividends=alpha_record,
        root_alpha_dividends=root_record,
        burned=burned,
        recycled=recycled,
        miner_burned=miner_burned(withheld, total_incentive),
    )


def _append(ops: list[Credit | GrowPool], op: Credit | GrowPool) -> None:
    """Keep an operation unless it moves 0 rao (on chain a zero credit or growth changes no
    share, no denominator and no value, so leaving it out changes nothing)."""
    if op.amount:
        ops.append(op)


def _childkey_split(hotkey, dividend, ck, alpha_stake, root_stake, hotkey_owner, w):
    """One hotkey's dividend through `get_parent_child_dividends_distribution` (a hotkey with
    parents; without, the whole dividend stays with it, exactly the split's own result)."""
    own = self_contribution(
        alpha_stake.get(hotkey, 0),
        root_stake.get(hotkey, 0),
        [p for p, _ in ck.children.get(hotkey, ())],
        w,
    )
    child_owner = hotkey_owner.get(hotkey)
    parents = [
        ParentShare(
            parent,
            parent_contribution(alpha_stake.get(parent, 0), root_stake.get(parent, 0), p, w),
            hotkey_owner.get(parent) == child_owner,
        )
        for p, parent in ck.parents.get(hotkey, ())
    ]
    return childkey_dividend_split(
        dividend, own, parents, ck.ck_burn, ck.childkey_take.get(hotkey, 0)
    )


# --- Root claims (§7.10 step 8, `staking/claim_root.rs`) ----------------------------------------

ROOT_CLAIMABLE_THRESHOLD = 500_000
"""`RootClaimableThreshold` default (alpha rao): smaller owed amounts are not auto-claimed."""
MAX_U128 = 2**128 - 1


def root_claimable_increment(amount: int, hotkey_root_stake: int) -> int | None:
    """The rate added to `RootClaimable[hotkey][netuid]` for `amount` alpha of root dividends:
    `I96F32(amount) / I96F32(TotalHotkeyAlpha[hotkey, ROOT])` (truncated; 0 if the stake is 0).
    None when `amount` exceeds the hotkey's root stake: the chain then stakes the amount to
    (hotkey, owner) on the subnet instead."""
    if amount > hotkey_root_stake:
        return None
    if hotkey_root_stake == 0:
        return 0
    return I96F32.div(I96F32.from_int(amount), I96F32.from_int(hotkey_root_stake))


def root_owed(rate_i96f32: int, root_stake: int, root_claimed: int) -> int:
    """What one root staker can claim on a subnet, I96F32 bits (may be negative):
    `rate * root_stake(hotkey, coldkey) - RootClaimed` (saturating; the product floors)."""
    claimable = I96F32.saturating_mul(rate_i96f32, I96F32.from_int(root_stake))
    return I96F32.clamp(claimable - I96F32.clamp(I96F32.from_int(root_claimed)))


def root_claim_amount(
    owed_i96f32: int, threshold: int = ROOT_CLAIMABLE_THRESHOLD, ignore_minimum: bool = False
) -> int:
    """Alpha rao actually claimed (`root_claim_on_subnet`): 0 when the owed amount is below the
    threshold (unless `ignore_minimum`) or floors to 0; otherwise the floor of what is owed.
    `RootClaimed` then grows by this amount."""
    if not ignore_minimum and owed_i96f32 < I96F32.from_int(threshold):
        return 0
    return 0 if owed_i96f32 < 0 else I96F32.to_u64(owed_i96f32)


def root_claimed_after_stake_change(
    root_claimed: int, rate_i96f32: int, amount: int, added: bool
) -> int:
    """`RootClaimed` after a root stake change of `amount` (so a new stake does not claim past
    dividends, and an unstake keeps what is owed): `claimed +/- floor(rate * amount)`, saturating
    in u128. The chain skips the root netuid itself on removal."""
    delta = I96F32.saturating_mul(rate_i96f32, I96F32.from_int(amount))
    delta = 0 if delta < 0 else min(delta >> I96F32.frac, MAX_U128)
    if added:
        return min(root_claimed + delta, MAX_U128)
    return max(root_claimed - delta, 0)

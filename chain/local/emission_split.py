"""Turning one epoch's output into stake: the plan `distribute_emission` carries out.

Given what Yuma paid each UID's hotkey (incentive, dividend) and the subnet's drained pending
amounts, `plan_epoch_payout` returns, in the chain's execution order, every share-pool operation
(credit a (hotkey, coldkey) stake, or grow a hotkey's pool for all its nominators), the root
dividends that become claimable, and the alpha burned or recycled on the way. It is pure: the
runtime applies the operations with `share_pool.credit_stake` / `share_pool.increase_shared`.
Order matters, because credits and pool growth on the same pool do not commute:
owner cut, then incentives, then alpha dividends (take credit, then pool growth) per hotkey, then
root dividends (take credit) per hotkey; hotkeys in sorted order (the chain's BTreeMap order over
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

from amm.fixed import U96F32
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


@dataclass(frozen=True)
class Credit:
    """Credit `amount` alpha to the (hotkey, coldkey) stake (`credit_stake`)."""

    hotkey: Hotkey
    coldkey: Coldkey
    amount: int


@dataclass(frozen=True)
class GrowPool:
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
    """Root dividends (after take) added to `RootClaimable` per hotkey (rao of alpha)."""
    alpha_dividends: dict[Hotkey, int]
    """`AlphaDividendsPerSubnet`: the pool growth per hotkey."""
    root_alpha_dividends: dict[Hotkey, int]
    """`RootAlphaDividendsPerSubnet`: equal to `root_claimable`."""
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
        take, rest = validator_take_split(amount, takes.get(hotkey, DEFAULT_DELEGATE_TAKE))
        _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), take))
        _append(ops, GrowPool(hotkey, rest))
        alpha_record[hotkey] = rest

    # 4. root dividends: the take is staked in alpha, the rest becomes claimable by root stakers
    root_record: dict[Hotkey, int] = {}
    for hotkey, amount in root_divs.items():
        take, rest = validator_take_split(amount, takes.get(hotkey, DEFAULT_DELEGATE_TAKE))
        _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), take))
        root_record[hotkey] = rest

    return EpochPayout(
        operations=ops,
        root_claimable=dict(root_record),
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
    """One hotkey's dividend through `get_parent_child_dividends_distribution`."""
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

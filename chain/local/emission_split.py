"""Turning one epoch's output into stake: the plan `distribute_emission` carries out.

Given what Yuma paid each UID's hotkey (incentive, dividend) and the subnet's drained pending
amounts, `plan_epoch_payout` returns, in the chain's execution order, every share-pool operation
(credit a (hotkey, coldkey) stake, or grow a hotkey's pool for all its nominators), the root
dividends that become claimable, and the owner hotkeys' incentive burned on the way. It is pure: the
runtime applies the operations with `share_pool.credit_stake` / `share_pool.increase_shared`.
Order matters, because credits and pool growth on the same pool do not commute:
owner cut, then incentives, then alpha dividends (take credit, then pool growth) per hotkey, then
root dividends (take credit, and a credit of the rest if it exceeds the hotkey's root stake) per
hotkey; hotkeys in sorted order (the chain's BTreeMap order over
AccountId bytes, so pass hotkeys as their 32-byte public keys to get the chain's order).

Not modelled here: childkeys (`get_parent_child_dividends_distribution`: every dividend stays
with its hotkey), auto-stake destinations, recycling owner incentive, root claims, subnet leases
(`distribute_leased_network_dividends`) and the owner-cut auto-lock. Arithmetic and rounding
are those of `coinbase_math` (U96F32, floors to rao).

Source: opentensor/subtensor `pallets/subtensor/src/coinbase/run_coinbase.rs`
(`distribute_emission`, `calculate_dividends_and_incentives`,
`distribute_dividends_and_incentives`), commit 14bc6f9f.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from amm.fixed import I96F32, U96F32
from chain.local.coinbase_math import (
    miner_burned,
    split_dividends,
    tao_weight,
    validator_pool,
    validator_take_split,
)

__all__ = [
    "root_claimable_increment",
    "DEFAULT_DELEGATE_TAKE",
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
) -> EpochPayout:
    """Plan `distribute_emission` for one subnet.

    `hotkey_emission`: (hotkey, incentive, dividend) per UID, from the epoch run on
    `server + validator + root` pending alpha. `owner_hotkeys`: the owner coldkey's registered
    hotkeys plus `SubnetOwnerHotkey` (their incentive is withheld and burned).
    `alpha_stake` / `root_stake`: `TotalHotkeyAlpha` on this subnet and on root.
    `delegate_take`: `Delegates` (missing = 11796). The owner cut goes to
    (subnet_owner_hotkey, subnet_owner) when both are set.
    """
    takes = delegate_take or {}
    w = tao_weight(tao_weight_u64)
    ops: list[Credit | GrowPool] = []

    incentive_sum = 0
    incentives: dict[Hotkey, int] = {}
    dividends: dict[Hotkey, int] = {}
    for hotkey, incentive, dividend in hotkey_emission:
        incentive_sum = min(incentive_sum + incentive, MAX_U64)
        incentives[hotkey] = min(incentives.get(hotkey, 0) + incentive, MAX_U64)
        # no childkeys: the whole dividend stays with the hotkey
        dividends[hotkey] = U96F32.clamp(dividends.get(hotkey, 0) +
                                         U96F32.from_int(max(min(dividend, MAX_U64), 0)))

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
            burned += amount
            continue
        _append(ops, Credit(hotkey, hotkey_owner.get(hotkey), amount))

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
        miner_burned=miner_burned(withheld, total_incentive),
    )


def _append(ops: list[Credit | GrowPool], op: Credit | GrowPool) -> None:
    """Keep an operation unless it moves 0 rao (on chain a zero credit or growth changes no
    share, no denominator and no value, so leaving it out changes nothing)."""
    if op.amount:
        ops.append(op)


# --- Root dividends become claimable (`staking/claim_root.rs`) ---------------------------------


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

"""Neuron registration price (`Burn[netuid]`) and the choice of which UID a new neuron replaces.

The burn price decays every block by a factor `f` with `f ** BurnHalfLife ~= 1/2`, computed in Q32
(1.0 == 2**32) with integer arithmetic only, and jumps by `BurnIncreaseMult` (1.26) after every
registration; both results are clamped to [MinBurn, MaxBurn]. When a subnet is full, the new
neuron takes the UID that `neuron_to_prune` picks.

Rounding, exactly as the chain:
- `mul_by_q32(v, f) = (v * f) >> 32`: floor, saturated to u64;
- `pow_q32` squares and multiplies with `mul_by_q32` (each step floors);
- `decay_factor_q32(h)` is the largest Q32 `f` in [0, 2**32) with `pow_q32(f, h) <= 2**31`
  (a binary search); with the floors of each step the burn falls a little faster than an exact
  half-life (1024 -> 511 after two blocks with h = 2);
- the bump is `to_u64(U64F64(burn) * max(mult, 1))`: a floor of the U64F64 product.

`BurnIncreaseMult` defaults to `U64F64::from_num(1.26)`: the f64 nearest 1.26 converted exactly
(U64F64 holds every f64 in [1, 2) exactly), which is slightly above 1.26, so
`1_000_000_000 * 1.26` gives exactly 1_260_000_000 rao. (Rounding the decimal 1.26 straight to 64
fractional bits would give a value just below 1.26 and one rao less; see `BURN_INCREASE_MULT`.)

Source: opentensor/subtensor `pallets/subtensor/src/subnets/registration.rs`,
`utils/misc.rs` (`mul_by_q32`, `pow_q32`, `decay_factor_q32`, `get_neuron_is_immune`),
`lib.rs` defaults, `runtime/src/lib.rs` (commit 14bc6f9f).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from amm.fixed import U64F64

__all__ = [
    "BURN_HALF_LIFE",
    "BURN_INCREASE_MULT",
    "DEFAULT_NEURON_BURN_COST",
    "IMMUNE_OWNER_UIDS_LIMIT",
    "MAX_BURN",
    "MIN_BURN",
    "MIN_NON_IMMUNE_UIDS",
    "Q32_HALF",
    "Q32_ONE",
    "bump_burn",
    "clamp_burn",
    "collateral_split",
    "decay_burn",
    "decay_factor_q32",
    "immortal_uids",
    "is_immune",
    "mul_by_q32",
    "neuron_to_prune",
    "pow_q32",
    "PruneCandidate",
]


MAX_U64 = 2**64 - 1
Q32_ONE = 1 << 32
Q32_HALF = 1 << 31

DEFAULT_NEURON_BURN_COST = 1_000_000_000
"""`DefaultNeuronBurnCost`: the burn a new subnet starts with (1 TAO)."""
MIN_BURN = 500_000
"""`MinBurn` runtime default (rao)."""
MAX_BURN = 100_000_000_000
"""`MaxBurn` runtime default (100 TAO)."""
BURN_HALF_LIFE = 360
"""`BurnHalfLife` default, in blocks (max settable 36_100)."""
BURN_INCREASE_MULT = 0x1_428F_5C28_F5C2_9000
"""`BurnIncreaseMult` default as U64F64 bits: `from_num(1.26)` of the f64 1.26
(mantissa 0x1428F5C28F5C29 * 2**-52), exact in U64F64. Pinned by a test against the f64."""
MIN_NON_IMMUNE_UIDS = 10
"""`MinNonImmuneUids` default: never prune a non-immune UID if that would leave fewer."""
IMMUNE_OWNER_UIDS_LIMIT = 1
"""`ImmuneOwnerUidsLimit` default: how many owner UIDs are immortal."""


def mul_by_q32(value: int, factor_q32: int) -> int:
    """`value * factor` in Q32: `(value * factor) >> 32`, floored and saturated to u64."""
    return min((value * factor_q32) >> 32, MAX_U64)


def pow_q32(base_q32: int, exp: int) -> int:
    """`base ** exp` in Q32 by square-and-multiply; every product floors (`mul_by_q32`)."""
    result = Q32_ONE
    factor = base_q32
    power = exp
    while power > 0:
        if power & 1:
            result = mul_by_q32(result, factor)
        power >>= 1
        if power > 0:
            factor = mul_by_q32(factor, factor)
    return result


@lru_cache(maxsize=64)
def decay_factor_q32(half_life: int) -> int:
    """The per-block decay factor: the largest Q32 `f` with `pow_q32(f, half_life) <= 0.5`,
    found by binary search over [0, 2**32). A half-life of 0 means no decay (1.0)."""
    if half_life == 0:
        return Q32_ONE
    lo, hi = 0, Q32_ONE
    while lo + 1 < hi:
        mid = lo + ((hi - lo) >> 1)
        if pow_q32(mid, half_life) > Q32_HALF:
            hi = mid
        else:
            lo = mid
    return lo


def clamp_burn(burn: int, min_burn: int, max_burn: int) -> int:
    """Raise to `min_burn`, then lower to `max_burn` (so max wins if the bounds cross)."""
    if burn < min_burn:
        burn = min_burn
    if burn > max_burn:
        burn = max_burn
    return burn


def decay_burn(
    burn: int,
    block: int,
    half_life: int = BURN_HALF_LIFE,
    min_burn: int = MIN_BURN,
    max_burn: int = MAX_BURN,
) -> int:
    """`Burn` after the start-of-block update of `block`: multiply by the decay factor (not in
    blocks 0 and 1, nor with a half-life of 0), then clamp to [min_burn, max_burn]."""
    new_burn = burn
    if half_life > 0 and block > 1:
        new_burn = mul_by_q32(burn, decay_factor_q32(half_life))
    return clamp_burn(new_burn, min_burn, max_burn)


def decay_burn_blocks(burn: int, first: int, last: int, half_life: int = BURN_HALF_LIFE,
                      min_burn: int = MIN_BURN, max_burn: int = MAX_BURN) -> int:
    """`decay_burn` applied for blocks first..last in turn, stopping once the price rests
    (a step that changes nothing after block 1 changes nothing later either). The start-of-
    block hook runs this for every subnet over every run of empty blocks, so the step is
    inlined (the factor taken once; a property test holds it to the loop of `decay_burn`)."""
    factor = decay_factor_q32(half_life) if half_life > 0 else 0
    for block in range(first, last + 1):
        nxt = burn
        if half_life > 0 and block > 1:
            nxt = (burn * factor) >> 32
            if nxt > MAX_U64:
                nxt = MAX_U64
        if nxt < min_burn:
            nxt = min_burn
        if nxt > max_burn:
            nxt = max_burn
        if nxt == burn and block > 1:
            break  # at rest: every later block gives the same price
        burn = nxt
    return burn


def bump_burn(
    burn: int,
    mult_u64f64: int = BURN_INCREASE_MULT,
    min_burn: int = MIN_BURN,
    max_burn: int = MAX_BURN,
) -> int:
    """`Burn` right after a registration on a non-root subnet:
    `to_u64(U64F64(burn) * max(mult, 1.0))` (saturating floor), then clamp."""
    mult = max(mult_u64f64, U64F64.one)
    bumped = U64F64.to_u64(U64F64.saturating_mul(U64F64.from_int(burn), mult))
    return clamp_burn(bumped, min_burn, max_burn)


# --- regqueue: the collateral share of the burn (ECONOMICS-2026 §6.1.2, §5.6) ----------------


def collateral_split(burn: int, collateral_lock_share: int) -> tuple[int, int]:
    """(burned part, collateral part) of a registration burn: the collateral part is
    `floor(burn * CollateralLockShare / 65535)` (u16 share; the floor on the collateral side is
    the reading ECONOMICS-2026 §6.1.2 labels Medium, kept here), the rest is bought and burned.
    The default share 0 burns everything, as in the baseline."""
    collateral = burn * min(collateral_lock_share, 65_535) // 65_535
    return burn - collateral, collateral


# --- Pruning -----------------------------------------------------------------------------------


def is_immune(block: int, block_at_registration: int, immunity_period: int) -> bool:
    """A neuron is immune while `block - BlockAtRegistration < ImmunityPeriod` (saturating)."""
    return max(block - block_at_registration, 0) < immunity_period


def immortal_uids(
    owner_coldkey_uids: Iterable[tuple[int, int]],
    owner_hotkey_uid: int | None,
    limit: int = IMMUNE_OWNER_UIDS_LIMIT,
) -> list[int]:
    """The owner's UIDs that can never be pruned (`get_immune_owner_uids`).

    `owner_coldkey_uids` are (uid, BlockAtRegistration) of the owner coldkey's hotkeys registered
    on the subnet. They are sorted oldest first (then by uid) and cut to `limit`; the subnet owner
    hotkey's UID, if registered and not already in, goes in front and the list is cut to `limit`
    again.
    """
    ordered = sorted(owner_coldkey_uids, key=lambda t: (t[1], t[0]))[:limit]
    uids = [uid for uid, _ in ordered]
    if owner_hotkey_uid is not None and owner_hotkey_uid not in uids:
        uids.insert(0, owner_hotkey_uid)
        uids = uids[:limit]
    return uids


@dataclass(frozen=True)
class PruneCandidate:
    """What pruning looks at for one UID: its `Emission` from the last epoch, its
    `BlockAtRegistration`, whether it is immune (recent) and whether it is an owner immortal."""

    uid: int
    emission: int
    block_at_registration: int
    immune: bool = False
    immortal: bool = False


def neuron_to_prune(
    neurons: Sequence[PruneCandidate], min_non_immune: int = MIN_NON_IMMUNE_UIDS
) -> int | None:
    """The UID a new registration replaces on a full subnet (`get_neuron_to_prune`).

    Immortals are skipped. Among the others the candidate has the lowest emission, ties broken
    by earliest registration, then lowest UID. A non-immune candidate is taken when there are more
    than `min_non_immune` non-immune UIDs; otherwise the best immune one is (None if no UID is
    left). Tuples `(uid, emission, block_at_registration, immune, immortal)` are accepted too.
    """
    best_free: tuple[int, int, int] | None = None
    best_immune: tuple[int, int, int] | None = None
    free_count = 0
    for neuron in neurons:
        if not isinstance(neuron, PruneCandidate):
            neuron = PruneCandidate(*neuron)
        if neuron.immortal:
            continue
        key = (neuron.emission, neuron.block_at_registration, neuron.uid)
        if neuron.immune:
            if best_immune is None or key < best_immune:
                best_immune = key
        else:
            free_count += 1
            if best_free is None or key < best_free:
                best_free = key
    if best_free is not None and free_count > min_non_immune:
        return best_free[2]
    return best_immune[2] if best_immune is not None else None

"""Subnet registration economics: the network lock cost, the pool a new subnet starts with, and
which subnet is dissolved when the subnet limit is reached.

The lock cost doubles with every registration and decays linearly back over a reduction interval
that shrinks with each emission halving. The new subnet's pool holds the lock as `SubnetTAO` and
enough alpha to start at the median spot price of the other subnets.

Rounding, exactly as the chain:
- the decay per block is `floor(last_lock / interval)` (integer division; 0 if interval is 0);
- the effective interval is `to_u64(I64F64(interval) * (I64F64(block_emission) / I64F64(1e9)))`
  (the quotient truncates, the product floors);
- the median of an even count is `(lower + upper) / 2` in U64F64 (the sum saturates, the
  division truncates);
- `SubnetAlphaIn = floor(U64F64(SubnetTAO) / median)`, 0 if that quotient overflows U64F64.

Source: opentensor/subtensor `pallets/subtensor/src/coinbase/root.rs` (`get_network_lock_cost`,
`get_lock_reduction_interval`, `get_network_to_prune`), `subnets/subnet.rs`
(`do_register_network`), `staking/stake_utils.rs` (`get_median_subnet_alpha_price`),
`runtime/src/lib.rs` and the migrations `migrate_rao`, `migrate_network_lock_reduction_interval`
(commit 14bc6f9f).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from amm.fixed import I64F64, U64F64

__all__ = [
    "DEFAULT_BLOCK_EMISSION",
    "NETWORK_IMMUNITY_PERIOD",
    "NETWORK_LOCK_REDUCTION_INTERVAL",
    "NETWORK_MIN_LOCK_COST",
    "POOL_TAO_SOURCE",
    "RAO_PER_TAO",
    "RUNTIME_NETWORK_LOCK_REDUCTION_INTERVAL",
    "RUNTIME_NETWORK_MIN_LOCK_COST",
    "lock_cost",
    "lock_reduction_interval",
    "median_price",
    "network_to_prune",
    "new_pool",
    "pool_tao",
    "NewPool",
    "storage_order",
    "SubnetForPruning",
]


MAX_U64 = 2**64 - 1
RAO_PER_TAO = 1_000_000_000

NETWORK_MIN_LOCK_COST = 1_000_000_000
"""`NetworkMinLockCost` on mainnet (1 TAO, set by `migrate_rao`)."""
RUNTIME_NETWORK_MIN_LOCK_COST = 1_000 * RAO_PER_TAO
"""`NetworkMinLockCost` runtime default (1000 TAO), before the migration."""
NETWORK_LOCK_REDUCTION_INTERVAL = 57_600
"""`NetworkLockReductionInterval` on mainnet (8 days of blocks, set by migration)."""
RUNTIME_NETWORK_LOCK_REDUCTION_INTERVAL = 14 * 7_200
"""`NetworkLockReductionInterval` runtime default (100_800 blocks)."""
NETWORK_IMMUNITY_PERIOD = 1_296_000
"""`NetworkImmunityPeriod` runtime default: a subnet cannot be pruned this long after creation."""
DEFAULT_BLOCK_EMISSION = RAO_PER_TAO


def lock_reduction_interval(
    interval: int = NETWORK_LOCK_REDUCTION_INTERVAL, block_emission: int = DEFAULT_BLOCK_EMISSION
) -> int:
    """`get_lock_reduction_interval`: the stored interval scaled by `block_emission / 1e9`
    (it halves with each emission halving). I64F64: the quotient truncates, the product floors,
    then it is floored to an integer."""
    halving = I64F64.div(
        I64F64.clamp(I64F64.from_int(block_emission)), I64F64.from_int(RAO_PER_TAO)
    )
    scaled = I64F64.saturating_mul(I64F64.clamp(I64F64.from_int(interval)), halving)
    return I64F64.to_u64(scaled)


def lock_cost(
    last_lock: int,
    last_lock_block: int,
    block: int,
    min_lock: int = NETWORK_MIN_LOCK_COST,
    reduction_interval: int = NETWORK_LOCK_REDUCTION_INTERVAL,
    block_emission: int = DEFAULT_BLOCK_EMISSION,
) -> int:
    """The TAO (rao) locked by the next `register_network` (`get_network_lock_cost`):

        mult  = 1 if last_lock_block == 0 else 2
        cost  = last_lock * mult - floor(last_lock / interval) * (block - last_lock_block)
        cost  = max(cost, min_lock)

    with `interval = lock_reduction_interval(reduction_interval, block_emission)` and every step
    saturating in u64 (so the decayed part never goes below 0 before the floor is applied).
    `last_lock` is `NetworkLastLockCost`, `last_lock_block` the block of the last registration.
    """
    interval = lock_reduction_interval(reduction_interval, block_emission)
    mult = 1 if last_lock_block == 0 else 2
    per_block = last_lock // interval if interval else 0
    decay = min(per_block * max(block - last_lock_block, 0), MAX_U64)
    cost = max(min(last_lock * mult, MAX_U64) - decay, 0)
    return max(cost, min_lock)


def median_price(prices: Iterable[int]) -> int:
    """`get_median_subnet_alpha_price` (U64F64 bits): the median of the other subnets' positive
    spot prices (U64F64 bits; zero prices are ignored), the mean of the two middle values for an
    even count (saturating sum, truncating halving), 1.0 when there is none. The caller excludes
    root, unadded subnets and the subnet being registered (the chain snapshots the median before
    creating it, after dissolving a pruned one)."""
    ordered = sorted(p for p in prices if p > 0)
    if not ordered:
        return U64F64.one
    lower = ordered[(len(ordered) - 1) // 2]
    upper = ordered[len(ordered) // 2]
    if lower == upper:
        return upper
    return U64F64.div(U64F64.clamp(lower + upper), U64F64.from_int(2))


# -- regqueue: the new pool's TAO (ECONOMICS-2026 §6.3, §0.0 item 3) ---------------------------
POOL_TAO_SOURCE = "tao_paid"
"""Which TAO seeds a new subnet's pool, the one place this choice is made:

- "tao_paid" (chosen): `SubnetTAO = the TAO actually paid` (the escrowed lock), as the runtime
  473/475 audits state for the escrow release;
- "max_lock_min": `SubnetTAO = max(TAO paid, NetworkMinLockCost)`, as every stored `subnet.rs`
  (all predating the escrow) reads.

The two differ only when the TAO paid is below `NetworkMinLockCost` (the lock cost never is
when it is charged; a queued lock can be, if root raises the minimum while it waits)."""


def pool_tao(lock: int, min_lock: int, source: str = POOL_TAO_SOURCE) -> int:
    """The new pool's `SubnetTAO` for `lock` rao paid, under `source` (see POOL_TAO_SOURCE)."""
    if source == "tao_paid":
        return lock
    if source == "max_lock_min":
        return lock if lock >= min_lock else min_lock
    raise ValueError(f"unknown pool TAO source {source!r}")


@dataclass(frozen=True)
class NewPool:
    """The reserves a freshly registered subnet starts with, and the lock bookkeeping."""

    subnet_tao: int
    """`SubnetTAO`: `pool_tao(lock, min_lock)`."""
    subnet_alpha_in: int
    """`SubnetAlphaIn`: `floor(SubnetTAO / median price)`."""
    subnet_locked: int
    """`SubnetLocked`: the TAO actually taken from the owner."""
    recycled: int
    """TAO recycled at registration (`lock - SubnetTAO`, saturating): 0 in the current code."""
    topped_up: int = 0
    """TAO the pool holds beyond the lock (`SubnetTAO - lock`, saturating): only under
    "max_lock_min" with a lock below the minimum (nothing pays it: the pre-escrow chain's
    behaviour, kept only so the alternative reads as the chain did)."""


def new_pool(
    lock: int, min_lock: int = NETWORK_MIN_LOCK_COST, median_u64f64: int = U64F64.one,
    source: str = POOL_TAO_SOURCE,
) -> NewPool:
    """Seed a new subnet's pool (`set_new_network_state`): `SubnetTAO = pool_tao(lock, min_lock,
    source)` and `SubnetAlphaIn = floor(U64F64(SubnetTAO) / median)` (truncating division; 0 if it
    does not fit U64F64 or the median is 0), saturated into u64. `SubnetAlphaOut` starts at 0."""
    subnet_tao = pool_tao(lock, min_lock, source)
    alpha = 0
    if median_u64f64 > 0:
        q = U64F64.div(U64F64.from_int(subnet_tao), median_u64f64)
        alpha = U64F64.to_u64(q) if q <= U64F64.max_bits else 0
    return NewPool(
        subnet_tao=subnet_tao,
        subnet_alpha_in=alpha,
        subnet_locked=lock,
        recycled=max(lock - subnet_tao, 0),
        topped_up=max(subnet_tao - lock, 0),
    )


@dataclass(frozen=True)
class SubnetForPruning:
    """What `network_to_prune` looks at for one subnet."""

    netuid: int
    registered_at: int
    """`NetworkRegisteredAt`."""
    moving_price: int
    """`moving_alpha_price` of the subnet, U64F64 bits (1.0 for a stable subnet)."""
    added: bool = True
    """`NetworksAdded`."""


def storage_order(netuid: int) -> tuple[int, int]:
    """Iteration order of an `Identity`-hashed map keyed by a u16 netuid: the SCALE bytes are
    little-endian, so keys sort by (low byte, high byte); netuids below 256 come in order."""
    return netuid & 0xFF, netuid >> 8


def network_to_prune(
    subnets: Iterable[SubnetForPruning],
    block: int,
    immunity_period: int = NETWORK_IMMUNITY_PERIOD,
) -> int | None:
    """The subnet dissolved to make room when `SubnetLimit` is reached (`get_network_to_prune`):
    among added, non-root subnets past their immunity (`block >= registered_at +
    immunity_period`), the lowest moving price; on equal prices the earliest registration; on a
    full tie, the first in storage order. None if every subnet is immune."""
    best = (U64F64.max_bits, MAX_U64)  # the chain's initial candidate: (max price, u64::MAX)
    chosen: int | None = None
    for subnet in sorted(subnets, key=lambda s: storage_order(s.netuid)):
        if not subnet.added or subnet.netuid == 0:
            continue
        if block < subnet.registered_at + immunity_period:
            continue
        if subnet.moving_price < best[0] or (
            subnet.moving_price == best[0] and subnet.registered_at < best[1]
        ):
            best = (subnet.moving_price, subnet.registered_at)
            chosen = subnet.netuid
    return chosen

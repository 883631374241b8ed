"""Subnet lock cost, new-pool seeding and network pruning follow subtensor's code and tests."""

from fractions import Fraction

import pytest

from hypothesis import given
from hypothesis import strategies as st

from amm.fixed import U64F64
from chain.local import network_lock as nl
from chain.local.network_lock import (
    NETWORK_IMMUNITY_PERIOD,
    NETWORK_LOCK_REDUCTION_INTERVAL,
    NETWORK_MIN_LOCK_COST,
    RUNTIME_NETWORK_LOCK_REDUCTION_INTERVAL,
    NewPool,
    SubnetForPruning,
    lock_cost,
    lock_reduction_interval,
    median_price,
    network_to_prune,
    new_pool,
    storage_order,
)

TAO = 1_000_000_000
ONE = U64F64.one


def price(n: int, d: int = 1) -> int:
    return U64F64.from_ratio(n, d)


# --- lock cost ---------------------------------------------------------------------------------


def test_first_registration_costs_the_minimum():
    assert lock_cost(last_lock=0, last_lock_block=0, block=1) == NETWORK_MIN_LOCK_COST


def test_cost_doubles_then_decays_linearly():
    # Registered with a 1 TAO lock at block 100; decay floor(1e9 / 57_600) = 17_361 rao per block.
    assert lock_cost(TAO, 100, 100) == 2 * TAO
    assert lock_cost(TAO, 100, 101) == 2 * TAO - 17_361
    assert lock_cost(TAO, 100, 100 + 57_600) == 2 * TAO - 17_361 * 57_600 == 1_000_006_400
    assert lock_cost(TAO, 100, 100 + 2 * 57_600) == NETWORK_MIN_LOCK_COST


def test_no_doubling_while_last_lock_block_is_zero():
    assert lock_cost(3 * TAO, 0, 0) == 3 * TAO
    assert lock_cost(3 * TAO, 0, 10, min_lock=0) == 3 * TAO - (3 * TAO // 57_600) * 10


def test_reduction_interval_halves_with_emission():
    assert lock_reduction_interval(NETWORK_LOCK_REDUCTION_INTERVAL, TAO) == 57_600
    assert lock_reduction_interval(NETWORK_LOCK_REDUCTION_INTERVAL, TAO // 2) == 28_800
    assert lock_reduction_interval(RUNTIME_NETWORK_LOCK_REDUCTION_INTERVAL, TAO // 4) == 25_200
    # 1e9 / 2**10 floors to 976_562 rao: 57_600 * 0.000976562 = 56.2499... -> 56
    assert lock_reduction_interval(57_600, TAO >> 10) == 56
    assert lock_reduction_interval(57_600, 0) == 0


def test_zero_interval_means_no_decay():
    assert lock_cost(TAO, 5, 10_000, block_emission=0) == 2 * TAO


@given(
    st.integers(0, 10**15),
    st.integers(0, 10**7),
    st.integers(0, 10**7),
    st.integers(0, 10**13),
    st.integers(0, TAO),
)
def test_lock_cost_is_at_least_min_and_never_rises_with_time(last, last_block, dt, min_lock, em):
    block = last_block + dt
    cost = lock_cost(last, last_block, block, min_lock, block_emission=em)
    later = lock_cost(last, last_block, block + 1, min_lock, block_emission=em)
    assert cost >= min_lock
    assert later <= cost
    assert cost <= max(2 * last, min_lock)


# --- median price and the new pool ------------------------------------------------------------


def test_median_chain_vectors():
    assert median_price([]) == ONE
    assert median_price([0]) == ONE
    assert median_price([price(7), price(2), price(5)]) == price(5)
    assert median_price([price(2), price(8), 0]) == price(5)


def test_even_median_truncates_and_handles_duplicates():
    assert median_price([1, 2]) == 1  # (1 + 2) / 2 bits, truncated
    assert median_price([price(3), price(3), price(5), price(5)]) == price(4)
    assert median_price([price(3), price(3), price(3), price(5)]) == price(3)


@given(st.lists(st.integers(1, 2**80), min_size=1, max_size=30))
def test_median_lies_between_the_middle_values(prices):
    m = median_price(prices)
    s = sorted(prices)
    assert s[(len(s) - 1) // 2] <= m <= s[len(s) // 2]


def test_new_pool_at_default_price_one():
    assert new_pool(TAO) == NewPool(
        subnet_tao=TAO, subnet_alpha_in=TAO, subnet_locked=TAO, recycled=0
    )


def test_new_pool_before_the_escrow_tops_up_to_min_lock_and_prices_at_median():
    pool = new_pool(TAO // 2, min_lock=TAO, median_u64f64=price(2), source="max_lock_min")
    assert pool.subnet_tao == TAO
    assert pool.subnet_alpha_in == TAO // 2
    assert pool.subnet_locked == TAO // 2
    assert pool.recycled == 0 and pool.topped_up == TAO // 2


def test_new_pool_of_today_holds_exactly_the_tao_paid():
    """ECONOMICS-2026 §6.3 (473): SubnetTAO = TAO paid, SubnetAlphaIn = floor(paid / median)."""
    assert nl.POOL_TAO_SOURCE == "tao_paid"
    pool = new_pool(TAO // 2, min_lock=TAO, median_u64f64=price(2))
    assert pool == NewPool(subnet_tao=TAO // 2, subnet_alpha_in=TAO // 4,
                           subnet_locked=TAO // 2, recycled=0, topped_up=0)
    # a median of 0.3 τ/α (U64F64 of the f64 0.3 as the chain stores prices): floor(1000/0.3)
    median = int(Fraction(0.3) * 2**64)
    assert new_pool(1_000 * TAO, median_u64f64=median).subnet_alpha_in == \
        (1_000 * TAO * 2**64) // median
    with pytest.raises(ValueError):
        nl.pool_tao(1, 2, source="neither")


@given(st.integers(0, 10**15), st.integers(1, 2**90))
def test_new_pool_alpha_is_floor_of_tao_over_median(lock, median):
    pool = new_pool(lock, min_lock=0, median_u64f64=median)
    q = Fraction(lock) / Fraction(median, 2**64)
    assert pool.subnet_alpha_in == (min(int(q), 2**64 - 1) if q < 2**64 else 0)
    # the pool opens at (about) the median price: alpha * median <= tao
    assert Fraction(pool.subnet_alpha_in) * Fraction(median, 2**64) <= lock


def test_new_pool_alpha_is_zero_when_the_quotient_overflows():
    assert new_pool(10**15, min_lock=0, median_u64f64=1).subnet_alpha_in == 0


# --- network pruning --------------------------------------------------------------------------

BLOCK = 10 * NETWORK_IMMUNITY_PERIOD


def s(netuid, registered_at, p, added=True):
    return SubnetForPruning(netuid, registered_at, p, added)


def test_prunes_lowest_moving_price_among_non_immune():
    subnets = [s(1, 0, price(3)), s(2, 0, price(1, 2)), s(3, BLOCK, 0)]  # 3 is still immune
    assert network_to_prune(subnets, BLOCK) == 2


def test_price_tie_goes_to_earliest_registration():
    assert network_to_prune([s(4, 50, ONE), s(5, 10, ONE), s(6, 30, ONE)], BLOCK) == 5


def test_full_tie_goes_to_first_in_storage_order():
    # netuid 256 is stored as bytes (0x00, 0x01) and comes before netuid 1 (0x01, 0x00).
    assert storage_order(256) < storage_order(1)
    assert network_to_prune([s(1, 0, ONE), s(256, 0, ONE)], BLOCK) == 256


def test_root_unadded_and_immune_subnets_are_never_pruned():
    subnets = [s(0, 0, 0), s(7, 0, 0, added=False), s(8, BLOCK - NETWORK_IMMUNITY_PERIOD + 1, 0)]
    assert network_to_prune(subnets, BLOCK) is None
    assert network_to_prune([s(8, BLOCK - NETWORK_IMMUNITY_PERIOD, 0)], BLOCK) == 8

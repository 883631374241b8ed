"""The neuron burn price decays and bumps exactly as subtensor's registration tests assert, and
pruning picks the UID the chain picks."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amm.fixed import U64F64
from chain.local.coinbase_math import f64_literal
from chain.local.registration_price import (
    BURN_INCREASE_MULT,
    DEFAULT_NEURON_BURN_COST,
    MAX_BURN,
    MAX_U64,
    MIN_BURN,
    Q32_HALF,
    Q32_ONE,
    PruneCandidate,
    bump_burn,
    decay_burn,
    decay_factor_q32,
    immortal_uids,
    is_immune,
    mul_by_q32,
    neuron_to_prune,
    pow_q32,
)

TWO = U64F64.from_int(2)
NO_CLAMP = {"min_burn": 0, "max_burn": MAX_U64}


def test_burn_increase_mult_is_the_f64_literal_1_26():
    assert BURN_INCREASE_MULT == f64_literal("1.26", U64F64)
    mantissa, denominator = (1.26).as_integer_ratio()  # the f64 itself, exactly
    assert Fraction(BURN_INCREASE_MULT, 2**64) == Fraction(mantissa, denominator)
    assert Fraction(BURN_INCREASE_MULT, 2**64) > Fraction(126, 100)


def test_default_bump_of_one_tao_is_exactly_1_26_tao():
    assert bump_burn(DEFAULT_NEURON_BURN_COST) == 1_260_000_000
    # A multiplier rounded from the decimal to 64 bits (just below 1.26) would lose a rao here.
    below = (126 << 64) // 100
    assert U64F64.to_u64(U64F64.mul(U64F64.from_int(1_000_000_000), below)) == 1_259_999_999


def test_burn_decay_chain_vector():
    # test_burn_decay: half-life 1000, x2 bump, no clamps; register then one block.
    burn = bump_burn(1_000, TWO, **NO_CLAMP)
    assert burn == 2_000
    assert decay_burn(burn, block=2, half_life=1_000, **NO_CLAMP) == 1_998


def test_burn_halves_every_half_life_chain_vector():
    burn = 1_024
    for block in (2, 3):
        burn = decay_burn(burn, block, half_life=2, **NO_CLAMP)
    assert burn == 511
    for block in (4, 5):
        burn = decay_burn(burn, block, half_life=2, **NO_CLAMP)
    assert burn == 255


def test_min_and_max_clamps_chain_vector():
    bounds = {"min_burn": 100_000, "max_burn": 150_000}
    burn = decay_burn(1, block=2, half_life=1, **bounds)
    assert burn == 100_000
    burn = bump_burn(burn, TWO, **bounds)
    assert burn == 150_000
    burn = decay_burn(burn, block=3, half_life=1, **bounds)
    assert burn == 100_000
    assert decay_burn(burn, block=4, half_life=1, **bounds) == 100_000


def test_no_decay_in_first_blocks_or_without_half_life():
    assert decay_burn(5_000_000, block=1) == 5_000_000
    assert decay_burn(5_000_000, block=0) == 5_000_000
    assert decay_burn(5_000_000, block=10, half_life=0) == 5_000_000
    assert decay_factor_q32(0) == Q32_ONE


def test_clamp_to_defaults():
    assert decay_burn(1, block=5) == MIN_BURN
    assert bump_burn(MAX_BURN) == MAX_BURN
    assert decay_burn(10 * MAX_BURN, block=5) == MAX_BURN


def test_multiplier_below_one_is_treated_as_one():
    assert bump_burn(1_000_000, U64F64.one // 2) == 1_000_000


def test_mul_by_q32_floors_and_saturates():
    assert mul_by_q32(3, Q32_HALF) == 1
    assert mul_by_q32(MAX_U64, 4 * Q32_ONE) == MAX_U64


@pytest.mark.parametrize("half_life", [1, 2, 3, 7, 100, 360, 1000, 36_100])
def test_decay_factor_is_the_largest_q32_not_above_half(half_life):
    f = decay_factor_q32(half_life)
    assert pow_q32(f, half_life) <= Q32_HALF
    assert pow_q32(f + 1, half_life) > Q32_HALF


def test_default_decay_factor_value():
    # 0.5 ** (1/360) ~= 0.998076..., in Q32 (pinned: the binary search is deterministic).
    f = decay_factor_q32(360)
    assert abs(Fraction(f, Q32_ONE) - Fraction(998_076_443, 10**9)) < Fraction(1, 10**8)
    assert decay_burn(DEFAULT_NEURON_BURN_COST, block=2) == mul_by_q32(DEFAULT_NEURON_BURN_COST, f)


@given(st.integers(0, 10**12), st.integers(0, 36_100), st.integers(2, 10**7))
def test_decay_never_raises_an_in_range_burn(burn, half_life, block):
    burn = max(MIN_BURN, min(burn, MAX_BURN))
    assert MIN_BURN <= decay_burn(burn, block, half_life) <= burn


@given(st.integers(0, 10**12))
def test_bump_is_floor_of_exact_product(burn):
    exact = Fraction(burn) * Fraction(BURN_INCREASE_MULT, 2**64)
    assert bump_burn(burn, min_burn=0, max_burn=MAX_U64) == int(exact)


# --- Pruning ----------------------------------------------------------------------------------


def c(uid, emission, reg, immune=False, immortal=False):
    return PruneCandidate(uid, emission, reg, immune, immortal)


def test_prunes_lowest_emission_non_immune():
    neurons = [c(0, 5, 0, immortal=True)] + [c(u, 100 + u, u) for u in range(1, 13)]
    neurons.append(c(13, 50, 13))
    assert neuron_to_prune(neurons) == 13


def test_ties_go_to_earliest_registration_then_lowest_uid():
    base = [c(u, 1_000, 0) for u in range(1, 12)]
    assert neuron_to_prune(base + [c(20, 7, 9), c(21, 7, 3), c(22, 7, 3)]) == 21


def test_immortal_owner_is_never_pruned():
    assert neuron_to_prune([c(0, 0, 0, immortal=True), c(1, 9, 0, immune=True)]) == 1
    assert neuron_to_prune([c(0, 0, 0, immortal=True)]) is None
    assert neuron_to_prune([]) is None


def test_keeps_min_non_immune_floor_and_falls_back_to_immune():
    free = [c(u, u, 0) for u in range(10)]  # exactly 10 non-immune: may not prune them
    immune = [c(10, 500, 99, immune=True), c(11, 400, 99, immune=True)]
    assert neuron_to_prune(free + immune) == 11
    assert neuron_to_prune(free + immune + [c(12, 1_000, 0)]) == 0  # 11 non-immune now
    # no immune candidate and too few free ones: nothing can be pruned (NoNeuronIdAvailable)
    assert neuron_to_prune(free) is None
    assert neuron_to_prune(free, min_non_immune=9) == 0


def test_accepts_plain_tuples():
    assert neuron_to_prune([(3, 1, 0, False, False)], min_non_immune=0) == 3


def test_is_immune_window():
    assert is_immune(block=5_000, block_at_registration=1, immunity_period=5_000)
    assert not is_immune(block=5_001, block_at_registration=1, immunity_period=5_000)
    assert is_immune(block=0, block_at_registration=10, immunity_period=1)  # saturating


def test_immortal_uids_owner_hotkey_first_then_oldest():
    owned = [(5, 300), (2, 100), (7, 100)]
    assert immortal_uids(owned, owner_hotkey_uid=0, limit=1) == [0]
    assert immortal_uids(owned, owner_hotkey_uid=0, limit=3) == [0, 2, 7]
    assert immortal_uids(owned, owner_hotkey_uid=7, limit=2) == [2, 7]
    assert immortal_uids(owned, owner_hotkey_uid=None, limit=2) == [2, 7]
    assert immortal_uids(owned, owner_hotkey_uid=0, limit=0) == []



# -- speed2: the hook's run of decays ---------------------------------------------------------------
@given(burn=st.integers(0, 2**64 - 1), first=st.integers(0, 5), length=st.integers(0, 400),
       half_life=st.one_of(st.just(0), st.integers(1, 400), st.just(360)),
       bounds=st.tuples(st.integers(0, 2**40), st.integers(0, 2**64 - 1)))
def test_decay_burn_blocks_is_decay_burn_block_after_block(burn, first, length, half_life,
                                                            bounds):
    """`decay_burn_blocks` = `decay_burn` of each block in turn, stopped where the price
    rests (crossed bounds, no decay and saturation included)."""
    from chain.local.registration_price import decay_burn_blocks

    min_burn, max_burn = bounds
    want = burn
    for block in range(first, first + length):
        nxt = decay_burn(want, block, half_life, min_burn, max_burn)
        if nxt == want and block > 1:
            break
        want = nxt
    assert decay_burn_blocks(burn, first, first + length - 1, half_life, min_burn,
                             max_burn) == want

"""Emission by issuance: the halving schedule, the cap, and the closed-form skip."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local.emission import (
    TOTAL_SUPPLY,
    block_emission_for_issuance,
    blocks_until_halving,
    emit_blocks,
    halving_threshold,
    halvings_in_run,
    mint_amount,
)

TAO = 10**9


def test_schedule_matches_economics_table():
    table = [(0, 1_000_000_000), (10_500_000, 500_000_000), (15_750_000, 250_000_000),
             (18_375_000, 125_000_000), (19_687_500, 62_500_000), (20_343_750, 31_250_000)]
    for k, (threshold_tao, emission) in enumerate(table):
        assert block_emission_for_issuance(threshold_tao * TAO) == emission
        if k:
            assert halving_threshold(k) == threshold_tao * TAO
            assert block_emission_for_issuance(threshold_tao * TAO - 1) == emission * 2


def test_cap_stops_emission():
    assert block_emission_for_issuance(TOTAL_SUPPLY) == 0
    assert block_emission_for_issuance(TOTAL_SUPPLY + 5) == 0
    assert mint_amount(TOTAL_SUPPLY - 3) <= 3
    assert emit_blocks(TOTAL_SUPPLY - 10 * TAO, 10**12) <= 10 * TAO


def _sum_block_by_block(issuance: int, blocks: int) -> int:
    minted = 0
    for _ in range(blocks):
        minted += mint_amount(issuance + minted)
    return minted


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(-3000 * TAO, 3000 * TAO), st.integers(0, 5000))
def test_closed_form_equals_block_by_block_near_thresholds(k, offset, blocks):
    issuance = max(0, halving_threshold(k) + offset)
    assert emit_blocks(issuance, blocks) == _sum_block_by_block(issuance, blocks)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, TOTAL_SUPPLY))
def test_halving_run_lands_on_threshold(issuance):
    span = blocks_until_halving(issuance)
    if span is None:
        return
    emission = block_emission_for_issuance(issuance)
    # after span-1 blocks issuance is still below the threshold, after span it is not
    assert block_emission_for_issuance(issuance + (span - 1) * emission) == emission
    assert block_emission_for_issuance(issuance + span * emission) < emission
    found = halvings_in_run(issuance, 100, span + 1)
    assert found and found[0][1] == 100 + span


def test_issuance_never_exceeds_cap_over_all_time():
    assert emit_blocks(0, 10**15) <= TOTAL_SUPPLY
    assert emit_blocks(0, 10**15) > TOTAL_SUPPLY - 10**9


# -- speed2: the span over which the block emission holds -------------------------------------------
@given(st.one_of(st.integers(0, TOTAL_SUPPLY + 10**9), st.sampled_from(
    [halving_threshold(k) + d for k in range(1, 6) for d in (-1, 0, 1)])))
def test_emission_span_is_where_the_emission_holds(issuance):
    """`emission_span(i)` = [lo, hi) holds i, the emission is the same at its ends as at i and
    changes just outside them (or the span is empty where nothing is emitted)."""
    from chain.local.emission import emission_span

    lo, hi = emission_span(issuance)
    emission = block_emission_for_issuance(issuance)
    if lo == hi:
        assert emission == 0 or issuance >= TOTAL_SUPPLY
        return
    assert lo <= issuance < hi
    assert block_emission_for_issuance(lo) == block_emission_for_issuance(hi - 1) == emission
    if lo > 0:
        assert block_emission_for_issuance(lo - 1) != emission
    if hi < TOTAL_SUPPLY:
        assert block_emission_for_issuance(hi) != emission

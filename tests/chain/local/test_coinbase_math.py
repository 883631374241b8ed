"""Coinbase kernels reproduce subtensor's numbers: float literals, root proportion, emission
shares, subnet terms with the injection cap, the alpha split, the price EMA,
the dividend split and validator take, and the epoch schedule."""

from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from amm.fixed import I96F32, U64F64, U96F32
from chain.local.coinbase_math import (
    DEFAULT_SUBNET_OWNER_CUT,
    MAINNET_TAO_WEIGHT,
    MAX_TEMPO,
    MAX_U64,
    MOVING_ALPHA,
    EpochClock,
    SubnetTerms,
    blocks_since_start_call,
    enabled_shares,
    f64_literal,
    initial_last_epoch_block,
    miner_burned,
    moving_alpha_price,
    owner_cut_and_pending,
    owner_cut_fraction,
    price_shares,
    root_proportion,
    root_sell_flag,
    schedule_epochs,
    should_run_epoch,
    split_dividends,
    subnet_emission_shares,
    subnet_tao_emissions,
    subnet_terms,
    tao_weight,
    update_moving_price,
    update_moving_price_blocks,
    validator_pool,
    validator_take_split,
)

TAO = 1_000_000_000
ONE64 = U64F64.one
ONE32 = U96F32.one


def frac(bits: int, fmt) -> Fraction:
    return Fraction(bits, 1 << fmt.frac)


# --- float literals ---------------------------------------------------------------------------


def test_moving_alpha_default_bits():
    # 0.000003 * 2**32 = 12884.90... -> nearest 12885
    assert MOVING_ALPHA == 12_885
    assert f64_literal("0.5", U96F32) == ONE32 // 2
    assert f64_literal("1.0", U64F64) == ONE64


def test_f64_literal_uses_the_double_not_the_decimal():
    d_num, d_den = (1.26).as_integer_ratio()
    assert f64_literal("1.26", U64F64) == d_num * (1 << 64) // d_den
    decimal_nearest = ((126 << 64) + 50) // 100  # rounding the decimal itself: one bit lower
    assert f64_literal("1.26", U64F64) != decimal_nearest


def test_f64_literal_rounds_ties_to_even_when_narrowing():
    lsb_half = "0.000000000116415321826934814453125"  # 2**-33: half an I96F32 step
    assert Fraction(lsb_half) == Fraction(1, 2**33)
    assert f64_literal(lsb_half, I96F32) == 0  # tie -> even (0)
    assert f64_literal("0.000000000349245965480804443359375", I96F32) == 2  # 1.5 -> 2
    assert f64_literal("0.000000000582076609134674072265625", I96F32) == 2  # 2.5 -> 2
    assert f64_literal("-0.5", U96F32) == 0  # saturating into an unsigned format


decimals = st.decimals(min_value="0.000001", max_value="1000000", places=9, allow_nan=False)


@given(decimals)
def test_f64_literal_matches_python_double(d):
    text = str(d)
    num, den = float(text).as_integer_ratio()
    bits = f64_literal(text, U64F64)
    # every double in range has at most 52 + 20 fractional bits here; compare the rounding
    exact = Fraction(num, den) * 2**64
    assert abs(Fraction(bits) - exact) <= Fraction(1, 2)


# --- root proportion --------------------------------------------------------------------------


def test_root_proportion_chain_vector():
    # tests/coinbase.rs::test_root_proportion: SubnetTAO[0] = 1e12, TaoWeight = 0.18, issuance 1e11
    w = tao_weight(MAINNET_TAO_WEIGHT)
    assert w == (MAINNET_TAO_WEIGHT << 32) // MAX_U64
    weighted = 10**12 * w  # U96F32 product of an integer and w: exact
    expected = (weighted << 32) // (weighted + (10**11 << 32))
    rp = root_proportion(10**12, MAINNET_TAO_WEIGHT, 10**11)
    assert rp == expected
    assert abs(frac(rp, U96F32) - Fraction(18, 28)) < Fraction(1, 10**8)


def test_root_proportion_edges():
    assert root_proportion(0, MAINNET_TAO_WEIGHT, 0) == 0
    assert root_proportion(0, MAINNET_TAO_WEIGHT, 10) == 0
    assert root_proportion(10, MAINNET_TAO_WEIGHT, 0) == ONE32


@given(st.integers(0, 10**16), st.integers(0, MAX_U64), st.integers(0, 2 * 10**16))
def test_root_proportion_in_unit_interval(root_tao, weight, issuance):
    rp = root_proportion(root_tao, weight, issuance)
    assert 0 <= rp <= ONE32


# --- emission shares --------------------------------------------------------------------------


def test_price_shares_exact_and_truncating():
    assert price_shares({1: ONE64, 2: 3 * ONE64}) == {1: ONE64 // 4, 2: 3 * ONE64 // 4}
    third = (ONE64 * ONE64) // (3 * ONE64)
    assert price_shares({1: ONE64, 2: ONE64, 3: ONE64}) == {1: third, 2: third, 3: third}
    assert price_shares({1: 0, 2: 0}) == {1: 0, 2: 0}


def test_miner_burned_reallocates_share():
    shares = subnet_emission_shares({1: ONE64, 2: ONE64}, miner_burned={1: ONE32 // 2})
    # weights 0.25 and 0.5 -> 1/3 and 2/3, each truncated
    assert shares == {1: ONE64 // 3, 2: 2 * ONE64 // 3}


def test_all_burned_falls_back_to_price_shares():
    shares = subnet_emission_shares({1: ONE64, 2: 3 * ONE64}, miner_burned={1: ONE32, 2: 2 * ONE32})
    assert shares == {1: ONE64 // 4, 2: 3 * ONE64 // 4}


def test_disabled_subnets_get_zero_and_others_renormalise():
    shares = {1: ONE64 // 4, 2: ONE64 // 4, 3: ONE64 // 2}
    out = enabled_shares(shares, {2: False})
    assert out[2] == 0
    assert out[1] == (shares[1] << 64) // (3 * ONE64 // 4)
    assert out[3] == (shares[3] << 64) // (3 * ONE64 // 4)
    assert enabled_shares(shares, {1: False, 2: False, 3: False}) == {1: 0, 2: 0, 3: 0}
    assert enabled_shares(shares, {}) == shares


def test_tao_emissions_truncate_to_u96f32():
    out = subnet_tao_emissions({1: ONE64 // 4, 2: ONE64 // 3}, TAO)
    assert out[1] == U96F32.from_int(TAO // 4)
    assert out[2] == (TAO * (ONE64 // 3)) >> 32  # U64F64 product bits, minus 32 bits
    assert U96F32.to_u64(out[2]) == 333_333_333


@settings(max_examples=100)
@given(
    st.dictionaries(st.integers(1, 128), st.integers(0, 10 * ONE64), min_size=1, max_size=12),
    st.integers(0, TAO),
)
def test_emitted_tao_never_exceeds_block_emission(prices, block_emission):
    shares = subnet_emission_shares(prices)
    assert sum(shares.values()) <= ONE64
    emitted = sum(U96F32.to_u64(e) for e in subnet_tao_emissions(shares, block_emission).values())
    assert emitted <= block_emission


def test_root_sell_flag_is_strictly_above_one():
    assert not root_sell_flag([ONE64 // 2, ONE64 // 2])
    assert root_sell_flag([ONE64 // 2, ONE64 // 2 + 1])
    assert not root_sell_flag([])


def test_moving_alpha_price_conversion():
    assert moving_alpha_price(I96F32.one // 3) == (I96F32.one // 3) << 32
    assert moving_alpha_price(-5) == 0
    assert moving_alpha_price(0, is_root_or_stable=True) == ONE64


# --- subnet terms and the alpha split ---------------------------------------------------------


def test_terms_uncapped_inject_all_tao():
    rp = ONE32 // 2
    t = subnet_terms(U96F32.from_int(34_566_756), TAO, ONE64, rp)
    assert t == SubnetTerms(
        tao_in=U96F32.from_int(34_566_756),
        alpha_in=U96F32.from_int(34_566_756),
        alpha_out=U96F32.from_int(TAO),
        excess_tao=0,
    )


def test_terms_capped_turn_the_rest_into_a_chain_buy():
    # price 0.01 TAO/alpha: 1 TAO of emission would inject 100 alpha; cap = 0.5 * 1 alpha.
    price = U64F64.from_ratio(1, 100)
    t = subnet_terms(U96F32.from_int(TAO), TAO, price, ONE32 // 2)
    price32 = price >> 32
    assert t.alpha_in == U96F32.from_int(TAO // 2)
    assert t.tao_in == (U96F32.from_int(TAO // 2) * price32) >> 32
    assert t.excess_tao == U96F32.from_int(TAO) - t.tao_in
    assert t.tao_in_rao + t.excess_tao_rao <= TAO
    assert t.alpha_out_rao == TAO


def test_terms_with_zero_price_inject_no_alpha():
    t = subnet_terms(U96F32.from_int(TAO), TAO, 0, ONE32)
    assert t.alpha_in == 0 and t.tao_in == U96F32.from_int(TAO) and t.excess_tao == 0


@given(
    st.integers(0, TAO << 32),
    st.integers(0, TAO),
    st.integers(1, 1000 * ONE64),
    st.integers(0, ONE32),
)
def test_terms_conserve_tao(tao_emission, alpha_emission, price, rp):
    t = subnet_terms(tao_emission, alpha_emission, price, rp)
    assert t.tao_in + t.excess_tao == tao_emission
    assert t.alpha_in <= max(
        U96F32.mul(rp, U96F32.from_int(alpha_emission)),
        U96F32.div(tao_emission, price >> 32) if price >> 32 else 0,
    )


def test_owner_cut_and_pending_default_split():
    split = owner_cut_and_pending(U96F32.from_int(TAO), DEFAULT_SUBNET_OWNER_CUT, ONE32 // 4, True)
    cut = (U96F32.from_int(TAO) * owner_cut_fraction(DEFAULT_SUBNET_OWNER_CUT)) >> 32
    rest = U96F32.from_int(TAO) - cut
    assert split.alpha_created == TAO
    assert split.owner_cut == cut >> 32
    assert split.owner_cut == 179_995_422  # 11796/65535 of 1 alpha, floored
    assert split.pending_server == (rest // 2) >> 32
    root = (((ONE32 // 4) * rest >> 32) * (ONE32 // 2)) >> 32
    assert split.root_alpha == root >> 32
    assert split.pending_validator == (rest - rest // 2 - root) >> 32
    assert split.pending_root == split.root_alpha and split.root_recycled == 0
    parts = split.owner_cut + split.pending_server + split.pending_validator + split.root_alpha
    assert TAO - 4 <= parts <= TAO


def test_without_root_sell_root_alpha_is_recycled():
    split = owner_cut_and_pending(U96F32.from_int(TAO), 0, ONE32 // 2, False)
    assert split.owner_cut == 0
    assert split.pending_server == TAO // 2
    assert split.root_alpha == TAO // 4
    assert split.pending_root == 0 and split.root_recycled == TAO // 4
    assert split.pending_validator == TAO // 4


def test_owner_cut_disabled_sends_everything_to_participants():
    split = owner_cut_and_pending(U96F32.from_int(TAO), DEFAULT_SUBNET_OWNER_CUT, 0, True, False)
    assert split.owner_cut == 0 and split.pending_server == split.pending_validator == TAO // 2


@given(
    st.integers(0, (21 * 10**15) << 32),
    st.integers(0, 65_535),
    st.integers(0, ONE32),
    st.booleans(),
)
def test_alpha_split_never_creates_alpha(alpha_out, cut, rp, sell):
    split = owner_cut_and_pending(alpha_out, cut, rp, sell)
    parts = split.owner_cut + split.pending_server + split.pending_validator + split.root_alpha
    assert parts <= split.alpha_created
    assert split.pending_root + split.root_recycled == split.root_alpha


# --- moving price -----------------------------------------------------------------------------


def ema_reference(moving, spot, b, h, ma):
    """The same recipe written out with Fractions and explicit floors (independent check)."""
    ratio = (b << 64) * (1 << 64) // ((b + h) << 64)  # U64F64 division, truncating
    alpha = ((ma << 32) * ratio) >> 64
    price_term = (alpha * min(spot, ONE64)) >> 64
    moving_term = ((ONE64 - alpha) * (moving << 32)) >> 64
    return (price_term + moving_term) >> 32


def test_moving_price_chain_vector_after_long_time():
    # test_update_moving_price_after_time: alpha 0.5, price 1.0, 144_000_500 blocks, start 500
    b = blocks_since_start_call(144_000_500, 500)
    assert b == 144_000_001
    ma = f64_literal("0.5", I96F32)
    new = update_moving_price(0, ONE64, b, 201_600, ma)
    assert abs(frac(new, I96F32) - Fraction(1, 2)) < Fraction(1, 1000)
    assert new == ema_reference(0, ONE64, b, 201_600, ma)


def test_moving_price_chain_vector_slow_start():
    ma = f64_literal("0.5", I96F32)
    new = update_moving_price(0, ONE64, blocks_since_start_call(510, 500), 201_600, ma)
    assert frac(new, I96F32) < Fraction(1, 1000)


def test_moving_price_chain_vector_fourteen_steps():
    # test_coinbase_moving_prices: alpha 0.1, 28 days after start, 14 updates -> 0.512325 +- 0.001
    ma = f64_literal("0.1", I96F32)
    b = blocks_since_start_call(7_200 * 28, 1)
    moving = 0
    for _ in range(14):
        moving = update_moving_price(moving, ONE64, b, 201_600, ma)
    assert abs(frac(moving, I96F32) - Fraction(512_325, 10**6)) < Fraction(1, 1000)


def test_spot_price_is_capped_at_one_and_root_is_one():
    ma = f64_literal("1.0", I96F32)
    capped = update_moving_price(0, 5 * ONE64, 10**9, 1, ma)
    assert capped <= I96F32.one
    assert update_moving_price(0, 0, 10, 10, MOVING_ALPHA, is_root_or_stable=True) < I96F32.one


@given(
    st.integers(0, 2 * I96F32.one),
    st.integers(0, 3 * ONE64),
    st.integers(0, 10**9),
    st.integers(0, 10**7),
)
def test_moving_price_matches_reference(moving, spot, b, h):
    if b + h == 0:
        return
    assert update_moving_price(moving, spot, b, h) == ema_reference(
        moving, spot, b, h, MOVING_ALPHA
    )


def test_blocks_since_start_call_saturates():
    assert blocks_since_start_call(10, None) == 10
    assert blocks_since_start_call(5, 100) == 0


# --- dividends and take -----------------------------------------------------------------------


def test_validator_pool_takes_server_half_when_no_incentive():
    assert validator_pool(100, 50, incentive_sum=1) == 50
    assert validator_pool(100, 50, incentive_sum=0) == 150


def test_split_dividends_chain_totals():
    # test_calculate_dividend_distribution_totals: totals are within 1000 rao of the pots.
    pv, pr = 183_123_567_452, 837_120_949_872
    w = f64_literal("0.18", U96F32)
    stakes = {0: (4_859_302, 2_342_352), 1: (23_423, 859_273)}
    divs = {0: U96F32.from_int(77_783_738), 1: U96F32.from_int(19_283_940)}
    alpha, root = split_dividends(pv, pr, w, stakes, divs)
    assert abs(U96F32.to_u64(sum(alpha.values())) - pv) <= 1_000
    assert abs(U96F32.to_u64(sum(root.values())) - pr) <= 1_000
    assert sum(alpha.values()) <= U96F32.from_int(pv)
    assert sum(root.values()) <= U96F32.from_int(pr)


def test_split_dividends_without_tao_weight_is_all_alpha():
    alpha, root = split_dividends(
        1_000,
        0,
        0,
        {"a": (10, 10**9), "b": (30, 0)},
        {"a": U96F32.from_int(1), "b": U96F32.from_int(3)},
    )
    assert {h: U96F32.to_u64(v) for h, v in alpha.items()} == {"a": 250, "b": 750}
    assert all(v == 0 for v in root.values())


def test_split_dividends_skips_hotkeys_without_stake_entry():
    alpha, root = split_dividends(100, 100, ONE32, {"a": (1, 1)}, {"a": ONE32, "ghost": ONE32})
    assert set(alpha) == {"a"} and set(root) == {"a"}
    assert U96F32.to_u64(alpha["a"]) == 100 and U96F32.to_u64(root["a"]) == 100


@settings(max_examples=100)
@given(
    st.integers(0, 10**13),
    st.integers(0, 10**13),
    st.integers(0, ONE32),
    st.lists(
        st.tuples(st.integers(0, 10**15), st.integers(0, 10**15), st.integers(0, 10**12)),
        min_size=1,
        max_size=8,
    ),
)
def test_split_dividends_never_pays_more_than_the_pots(pv, pr, w, rows):
    stakes = {i: (a, r) for i, (a, r, _) in enumerate(rows)}
    divs = {i: U96F32.from_int(d) for i, (_, _, d) in enumerate(rows)}
    alpha, root = split_dividends(pv, pr, w, stakes, divs)
    assert sum(U96F32.to_u64(v) for v in alpha.values()) <= pv
    assert sum(U96F32.to_u64(v) for v in root.values()) <= pr


def test_validator_take_split_default_take():
    take, rest = validator_take_split(U96F32.from_int(TAO), 11_796)
    assert take == 179_995_422
    assert rest == TAO - take - 1 or rest == TAO - take
    assert validator_take_split(U96F32.from_int(TAO), 0) == (0, TAO)
    assert validator_take_split(U96F32.from_int(TAO), 65_535) == (TAO, 0)


@given(st.integers(0, 10**15 << 32), st.integers(0, 65_535))
def test_take_plus_rest_never_exceeds_dividend(dividend, take_u16):
    take, rest = validator_take_split(dividend, take_u16)
    assert take + rest <= U96F32.to_u64(dividend)
    assert take + rest >= U96F32.to_u64(dividend) - 1


# --- epoch schedule ---------------------------------------------------------------------------


def test_zero_tempo_never_runs():
    assert not should_run_epoch(0, 10**6, 0, pending_epoch_at=1, blocks_since_last_step=10**6)


def test_should_run_epoch_rules():
    assert should_run_epoch(360, 360, 0)
    assert not should_run_epoch(360, 359, 0)
    assert should_run_epoch(360, 100, 0, pending_epoch_at=100)
    assert not should_run_epoch(360, 99, 0, pending_epoch_at=100)
    # the safety net (ECONOMICS-2026 §0 item 14): more than `tempo` blocks without a step
    assert should_run_epoch(360, 1, 0, blocks_since_last_step=361)
    assert not should_run_epoch(360, 1, 0, blocks_since_last_step=360)
    assert not should_run_epoch(360, 5, 10)  # saturating


def test_new_subnets_are_staggered():
    assert initial_last_epoch_block(netuid=7, tempo=360, block=1_000) == 993
    assert initial_last_epoch_block(netuid=400, tempo=360, block=1_000) == 960
    assert initial_last_epoch_block(netuid=7, tempo=0, block=1_000) == 1_000
    assert initial_last_epoch_block(netuid=7, tempo=360, block=3) == 0


# --- MinerBurned ------------------------------------------------------------------------------


def test_miner_burned_fraction():
    assert miner_burned(1, 4) == ONE32 // 4
    assert miner_burned(0, 0) == 0
    assert miner_burned(5, 5) == ONE32


# --- per-block epoch scheduling ---------------------------------------------------------------


def test_schedule_runs_due_subnets_up_to_the_cap_and_defers_the_rest():
    clocks = {n: EpochClock(tempo=10, last_epoch_block=0) for n in (1, 2, 3, 4)}
    clocks[4] = EpochClock(tempo=10, last_epoch_block=5)  # not due yet
    s = schedule_epochs(clocks, block=10, max_epochs_per_block=2)
    assert s.run == [1, 2] and s.deferred == [3]
    assert s.clocks[1] == EpochClock(10, 10, 0, 0, 1)
    assert s.clocks[3] == EpochClock(10, 0, 11, 1, 0)
    assert s.clocks[4] == EpochClock(10, 5, 0, 1, 0)
    nxt = schedule_epochs(s.clocks, block=11, max_epochs_per_block=2)
    assert nxt.run == [3]
    assert nxt.clocks[3].last_epoch_block == 11 and nxt.clocks[3].pending_epoch_at == 0


def test_schedule_orders_subnets_as_storage_does():
    clocks = {n: EpochClock(tempo=1, last_epoch_block=0) for n in (1, 256)}
    assert schedule_epochs(clocks, block=1, max_epochs_per_block=1).run == [256]


def test_safety_net_fires_after_tempo_blocks_without_a_step():
    """475: `BlocksSinceLastStep > tempo` (the baseline had > MAX_TEMPO = 50,400)."""
    clocks = {1: EpochClock(tempo=60_000, last_epoch_block=0, blocks_since_last_step=60_000)}
    assert schedule_epochs(clocks, block=1).run == [1]
    clocks = {1: EpochClock(tempo=100, last_epoch_block=50, blocks_since_last_step=99)}
    assert schedule_epochs(clocks, block=60).run == []  # 100 after the step: not yet
    assert MAX_TEMPO == 50_400


def test_blocks_since_last_step_saturates_at_tempo_plus_one():
    """A subnet whose epoch is deferred again and again counts to tempo + 1 and stops."""
    clocks = {n: EpochClock(tempo=3, last_epoch_block=0, blocks_since_last_step=3)
              for n in (1, 2)}
    for block in range(4, 10):  # subnet 2 always behind subnet 1 under a cap of 1
        clocks = schedule_epochs(clocks, block, max_epochs_per_block=0).clocks
    assert clocks[1].blocks_since_last_step == 4 and clocks[2].blocks_since_last_step == 4


def test_a_due_null_subnet_caps_the_block_at_one_epoch():
    """§7.0: if any non-root Null subnet is due, only one epoch runs in that block."""
    clocks = {n: EpochClock(tempo=10, last_epoch_block=0) for n in (1, 2, 3)}
    assert schedule_epochs(clocks, 10, 2).run == [1, 2]
    capped = schedule_epochs(clocks, 10, 2, null_subnets=frozenset({3}))
    assert capped.run == [1] and capped.deferred == [2, 3]
    later = {**clocks, 3: EpochClock(tempo=10, last_epoch_block=5)}  # Null but not due
    assert schedule_epochs(later, 10, 2, null_subnets=frozenset({3})).run == [1, 2]


@settings(max_examples=60, deadline=None)
@given(moving=st.integers(0, 4 * I96F32.one), spot=st.integers(0, 3 * ONE64),
       since=st.integers(1, 10**7), blocks=st.integers(1, 300))
def test_moving_price_in_closed_form_tracks_repeated_blocks(moving, spot, since, blocks):
    """The coarse fast-forward's EMA equals `blocks` block-by-block updates at the same ramp
    (`since` held), up to the floors of each step: within one part in a million of 1.0."""
    stepped = moving
    for _ in range(blocks):
        stepped = update_moving_price(stepped, spot, since)
    closed = update_moving_price_blocks(moving, spot, since, blocks)
    assert abs(closed - stepped) <= I96F32.one // 10**6 + blocks
    target = min(spot, ONE64) >> 32
    # it moves from the old price toward the target and never overshoots it
    assert min(target, moving) - blocks <= closed <= max(target, moving) + blocks


@settings(max_examples=400, deadline=None)
@given(tao=st.one_of(st.integers(0, 2**64), st.integers(0, 2**128 - 1)),
       alpha_emission=st.integers(0, 2 * 10**9),
       price=st.one_of(st.just(0), st.integers(0, 2**70), st.integers(0, 2**128 - 1)),
       weighted_root=st.one_of(st.just(0), st.integers(0, 2**100), st.integers(-(2**40), -1)),
       issuance=st.one_of(st.just(0), st.integers(0, 21 * 10**15), st.integers(-(10**9), -1)))
# each rao amount at u64::MAX (its U96F32 bits at 2^96 or more): excess, alpha_in, tao_in
@example(tao=2**127, alpha_emission=10**9, price=2**64, weighted_root=0, issuance=10**9)
@example(tao=2**120, alpha_emission=2**66, price=2**84, weighted_root=2**100, issuance=0)
@example(tao=2**127, alpha_emission=2 * 10**9, price=2**96, weighted_root=2**100, issuance=0)
# the cap binds at a root proportion strictly between 0 and 1 (about 1/2, and about 1/3)
@example(tao=10**10 << 32, alpha_emission=10**9, price=2**64, weighted_root=10**15 << 32,
         issuance=10**15)
@example(tao=10**10 << 32, alpha_emission=10**9, price=2**64, weighted_root=10**15 << 32,
         issuance=2 * 10**15 + 12_345)
def test_subnet_terms_rao_equals_terms_of_the_root_proportion(tao, alpha_emission, price,
                                                              weighted_root, issuance):
    """The coinbase's inlined form is `subnet_terms` at `root_proportion_of`, floored to rao."""
    from chain.local.coinbase_math import root_proportion_of, subnet_terms, subnet_terms_rao

    terms = subnet_terms(tao, alpha_emission, price, root_proportion_of(weighted_root, issuance))
    got = subnet_terms_rao(tao, alpha_emission, price, weighted_root, issuance)
    assert got == (terms.tao_in_rao, terms.alpha_in_rao, terms.alpha_out_rao,
                   terms.excess_tao_rao, terms.alpha_out)


@settings(max_examples=400, deadline=None)
@given(subnets=st.lists(st.tuples(
           st.one_of(st.integers(-(2**40), 2**40), st.integers(0, 2**127 - 1),
                     st.sampled_from([0, 1 << 32])),
           st.one_of(st.just(0), st.integers(0, 1 << 33), st.integers(-(2**40), 2**100)),
           st.booleans()), min_size=1, max_size=12),
       credit=st.one_of(st.integers(0, 10**9), st.integers(0, 2**64 - 1)),
       gate=st.one_of(st.none(), st.tuples(
           st.one_of(st.just(0), st.integers(1, 2**64)), st.integers(0, 40),
           st.one_of(st.just(11_252_513_884_962_826_240), st.integers(0, 2**65)),
           st.one_of(st.just(3 << 64), st.integers(0, 8 << 64)))),
       block=st.one_of(st.just(7_200), st.integers(0, 10**7)))
def test_block_tao_emissions_equals_the_share_passes(subnets, credit, gate, block):
    """The coinbase's list form equals `subnet_tao_emissions(emission_shares_and_bar(..))`
    (with the gate; `subnet_emission_shares` without it) and `root_sell_flag` (netuids 1..n,
    in order)."""
    from chain.local.coinbase_math import (
        GateParams,
        block_tao_emissions,
        emission_shares_and_bar,
        subnet_emission_shares,
        subnet_tao_emissions,
    )

    netuids = range(1, len(subnets) + 1)
    rows = list(zip(netuids, subnets, strict=True))
    prices = {n: moving_alpha_price(m) for n, (m, _, _) in rows}
    burned = {n: b for n, (_, b, _) in rows}
    enabled = {n: on for n, (_, _, on) in rows}
    params = None if gate is None else GateParams(*gate)
    if params is None:
        shares, bar = subnet_emission_shares(prices, burned, enabled), 0
    else:
        shares, bar = emission_shares_and_bar(prices, burned, enabled, block, params)
    expected = subnet_tao_emissions(shares, credit)
    got, sell, got_bar = block_tao_emissions([m for m, _, _ in subnets],
                                             [b for _, b, _ in subnets],
                                             [on for _, _, on in subnets], credit, block, params)
    assert got == [expected[n] for n in netuids]
    assert sell == root_sell_flag(prices.values())
    assert got_bar == bar


@settings(max_examples=400, deadline=None)
@given(moving=st.one_of(st.integers(-(2**40), 2**40), st.integers(-(2**127), 2**127 - 1)),
       spot=st.one_of(st.integers(0, 2**66), st.integers(0, 2**128 - 1)),
       since=st.integers(0, 10**8), stable=st.booleans())
def test_moving_price_equals_the_generic_fixed_point_form(moving, spot, since, stable):
    """`update_moving_price`'s inlined U64F64 against §3.5 written with the generic types."""
    from amm.fixed import convert
    from chain.local.coinbase_math import EMA_PRICE_HALVING_BLOCKS, _ema_alpha

    alpha = _ema_alpha(since, EMA_PRICE_HALVING_BLOCKS, MOVING_ALPHA)
    price_term = U64F64.saturating_mul(alpha, min(spot, U64F64.one))
    moving_term = U64F64.saturating_mul(max(U64F64.one - alpha, 0),
                                        moving_alpha_price(moving, stable))
    expected = convert(U64F64.clamp(price_term + moving_term), U64F64, I96F32)
    assert update_moving_price(moving, spot, since, is_root_or_stable=stable) == expected


# -- speed2: update_moving_price inlines _ema_alpha -----------------------------------------------
@example(ONE64, ONE64, 0, 0, MOVING_ALPHA)  # no ramp at all (b + halving blocks = 0)
@example(ONE64, 2 * ONE64, 2**64, 0, MOVING_ALPHA)  # a saturated ramp denominator
@given(st.integers(0, 2 * I96F32.one), st.integers(0, 3 * ONE64), st.integers(0, 2**70),
       st.integers(0, 2**70), st.one_of(st.just(MOVING_ALPHA), st.integers(-(2**40), 2**100)))
def test_moving_price_is_its_definition_through_ema_alpha(moving, spot, b, h, alpha):
    """`update_moving_price`, with the EMA weight inlined, is the composition written with the
    readable `_ema_alpha` (zero and saturating ramps, any moving alpha included)."""
    from chain.local.coinbase_math import _ema_alpha, moving_alpha_price

    one, top = ONE64, 2**128 - 1
    weight = _ema_alpha.__wrapped__(b, h, alpha)
    price_term = min((weight * min(spot, one)) >> 64, top)
    moving_term = min((max(one - weight, 0) * moving_alpha_price(moving)) >> 64, top)
    want = min(min(price_term + moving_term, top) >> 32, I96F32.max_bits)
    assert update_moving_price(moving, spot, b, h, alpha) == want


@given(st.one_of(st.integers(0, 2**128 - 1), st.integers(-(2**70), 2**70)),
       st.one_of(st.integers(0, 2**64 - 1), st.integers(0, 2**100), st.integers(-(2**40), 0)))
def test_root_proportion_of_is_its_u96f32_definition(weighted_root, issuance):
    """`root_proportion_of`'s inlined form: `U96F32.div(wt, clamp(wt + U96F32(issuance)))`,
    0 on a zero denominator (negative operands take the generic steps)."""
    from amm.fixed import U96F32

    from chain.local.coinbase_math import root_proportion_of

    denominator = U96F32.clamp(weighted_root + U96F32.from_int(issuance))
    want = 0 if denominator == 0 else U96F32.div(weighted_root, denominator)
    assert root_proportion_of(weighted_root, issuance) == want


@given(st.one_of(st.integers(0, 2**64 - 1).map(lambda a: a << 32), st.integers(0, 2**128 - 1),
                 st.integers(-(2**70), 2**70), st.integers(2**128, 2**140)),
       st.one_of(st.integers(0, 65_535), st.just(11_796)),
       st.one_of(st.integers(0, 1 << 32), st.integers(0, 2**128 - 1),
                 st.integers(-(2**40), 2**40)),
       st.booleans())
def test_pending_split_is_owner_cut_and_pending(alpha_out, cut, proportion, root_sell):
    """The coinbase's `pending_split` gives `owner_cut_and_pending`'s owner cut, server and
    validator halves and root part (pending or recycled by the root sell flag) for any
    operands, saturating products and negative ones included."""
    from chain.local.coinbase_math import owner_cut_and_pending, owner_cut_fraction, pending_split

    split = owner_cut_and_pending(alpha_out, cut, proportion, root_sell)
    owner, server, validator, root = pending_split(alpha_out, owner_cut_fraction(cut),
                                                   proportion)
    assert (owner, server, validator) == (split.owner_cut, split.pending_server,
                                          split.pending_validator)
    assert (root if root_sell else 0, 0 if root_sell else root) == (split.pending_root,
                                                                    split.root_recycled)


_CLOCKS = st.dictionaries(
    st.integers(1, 12),
    st.builds(lambda tempo, back, pending, since, index: (tempo, back, pending, since, index),
              st.integers(0, 12), st.integers(0, 30), st.one_of(st.just(0), st.integers(1, 60)),
              st.integers(0, 14), st.integers(0, 5)),
    max_size=10)


@settings(max_examples=300, deadline=None)
@given(clocks=_CLOCKS, cap=st.integers(0, 3), nulls=st.sets(st.integers(0, 12), max_size=3),
       blocks=st.integers(1, 80), looks=st.sets(st.integers(0, 80), max_size=4))
def test_epoch_clocks_are_schedule_epochs_over_every_clock_every_block(clocks, cap, nulls,
                                                                        blocks, looks):
    """`EpochClocks` (only the subnets that can be due are scheduled) runs the same epochs in
    every block as `schedule_epochs` over every clock, and every clock it reads back, in the
    middle of the run or at its end, is the reference's (safety net, deferrals, pending epochs,
    Null caps and tempo 0 included)."""
    from chain.local.coinbase_math import EpochClock, EpochClocks, schedule_epochs

    first = 40
    reference = {n: EpochClock(tempo, max(first - 1 - back, 0), pending and first + pending - 30,
                               min(since, tempo + 1), index)
                 for n, (tempo, back, pending, since, index) in clocks.items()}
    fast = EpochClocks(reference, first - 1)
    for block in range(first, first + blocks):
        expected = schedule_epochs(reference, block, cap, frozenset(nulls))
        got = fast.schedule(block, cap, frozenset(nulls))
        assert (got.run if got is not None else []) == expected.run
        if got is not None:
            assert got.last_epoch_blocks == {n: reference[n].last_epoch_block
                                             for n in expected.run}
        reference = expected.clocks
        if block - first in looks:
            assert fast.all() == reference
    assert fast.all() == reference

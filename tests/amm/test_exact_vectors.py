"""Known values: ECONOMICS.md Appendix B and the unit tests of subtensor's balancer.rs."""

from __future__ import annotations

from fractions import Fraction

import pytest

import amm
from amm import balancer as bal
from amm.swap import limit_to_bits, swap
from cli.errors import room_exit_code

TAO = 10**9


def fixed(value: float) -> int:
    """U64F64::from_num(f64) for the short literals the Rust tests use (exact in 64 bits)."""
    bits = Fraction(value) * 2**64
    assert bits.denominator == 1
    return int(bits)


@pytest.fixture
def pool() -> amm.Pool:
    """Appendix B: y = 100 TAO, x = 400 alpha, equal weights, FeeRate 33."""
    return amm.Pool(tao_reserve=100 * TAO, alpha_reserve=400 * TAO)


def test_appendix_b_buy_one_tao(pool):
    r = amm.buy(pool, 1 * TAO)
    assert r.fee == 503_547
    assert r.net_in == 999_496_453
    assert r.amount_in == TAO
    assert r.amount_out == 3_958_421_529
    assert not r.partial and r.refund == 0
    # textbook constant product gives one rao more: the 1e-18 grid floors first
    x, y = 400 * TAO, 100 * TAO
    assert x - x * y // (y + r.net_in) == 3_958_421_530
    assert amm.price_str(r.price_after, 16).startswith("0.2550224570938")
    assert r.pool_after.tao_reserve == 100 * TAO + 999_496_453
    assert r.pool_after.alpha_reserve == 400 * TAO - 3_958_421_529
    assert r.pool_after.tao_weight == pool.tao_weight


def test_appendix_b_sell_four_alpha(pool):
    r = amm.sell(pool, 4 * TAO)
    assert r.fee == 2_014_190
    assert r.net_in == 3_997_985_810
    assert r.amount_out == 989_605_381
    assert r.pool_after.alpha_reserve == 400 * TAO + 3_997_985_810
    assert r.pool_after.tao_reserve == 100 * TAO - 989_605_381


def test_spot_price_and_runtime_price(pool):
    assert amm.spot_price(pool) == 1 << 62  # 0.25 exactly
    assert amm.price_rao(pool) == 250_000_000


def test_sim_swap_slippage_definition(pool):
    """alpha_slippage = floor(tao / price) - alpha_out; tao_slippage = floor(alpha * price) - out"""
    b = amm.buy(pool, TAO)
    assert b.slippage == 4 * TAO - 3_958_421_529
    assert b.ideal_out == 4 * TAO
    assert str(b.slippage_pct) == "1.039461"
    s = amm.sell(pool, 4 * TAO)
    assert s.slippage == TAO - 989_605_381


def test_calculate_quote_delta_in_vector():
    """balancer.rs::test_calculate_quote_delta_in: w1 = 0.75, price 0.1 -> 0.2, y = 1e9."""
    w2 = amm.perquintill_from_rational(250_000_000_000, 10**12)
    assert bal.tao_in_to_reach_price(w2, fixed(0.1), fixed(0.2), TAO) == 681_792_830
    assert bal.tao_in_to_reach_price(w2, fixed(0.1), fixed(0.05), TAO) == 0


def test_calculate_base_delta_in_vector():
    """balancer.rs::test_calculate_base_delta_in: w2 = 0.25, price 0.2 -> 0.1, x = 1e9."""
    w2 = amm.perquintill_from_rational(250_000_000_000, 10**12)
    assert bal.alpha_in_to_reach_price(w2, fixed(0.2), fixed(0.1), TAO) == 189_207_115
    assert bal.alpha_in_to_reach_price(w2, fixed(0.1), fixed(0.2), TAO) == 0


def test_base_needed_for_quote_vector():
    """balancer.rs::test_base_needed_for_quote: exp_scaled with a negative delta."""
    w2 = amm.perquintill_from_rational(250_000_000_000, 10**12)
    e = bal.exp_scaled(w2, TAO, -1_123_432, False)
    assert (TAO * (e - (1 << 64))) >> 64 == 374_758


@pytest.mark.parametrize(
    "num, den, reserve, delta, base_quote, expected",
    [
        (5, 10, 100000, 100, True, 0.999000999000999),
        (1, 4, 500000, 5000, True, 0.970590147927644),
        (3, 4, 200000, 2000, False, 0.970590147927644),
        (9, 10, 13513642, 1673, False, 0.998886481979889),
        (773, 1000, 7_000_000_000, 10_000, True, 0.999999580484586),
    ],
)
def test_exp_scaled_vectors(num, den, reserve, delta, base_quote, expected):
    w2 = amm.perquintill_from_rational(num, den)
    got = bal.exp_scaled(w2, reserve, delta, base_quote)
    assert abs(got / 2**64 - expected) < 1e-9


def test_mul_perquintill_round_vectors():
    half = amm.perquintill_from_rational(1, 2)
    assert [bal.mul_perquintill_round(half, v) for v in (0, 1, 2, 3, 4, 5, 1023, 1025)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        512,
        513,
    ]
    third = amm.perquintill_from_rational(1, 3)
    assert [bal.mul_perquintill_round(third, v) for v in (3, 4, 5, 6)] == [1, 1, 2, 2]
    assert bal.mul_perquintill_round(0, 10**6) == 0
    assert bal.mul_perquintill_round(amm.ACCURACY, 10**6) == 10**6


def test_perquintill_from_rational_rounds_down():
    assert amm.perquintill_from_rational(1, 3) == 333_333_333_333_333_333
    assert amm.perquintill_from_rational(2, 3) == 666_666_666_666_666_666
    assert amm.perquintill_from_rational(1, 2) == amm.HALF
    assert amm.perquintill_from_rational(3, 2) == amm.ACCURACY  # p > q saturates to one
    assert amm.perquintill_from_rational(1, 0) == amm.ACCURACY


def test_price_with_weights():
    """balancer.rs price tests: (w1/w2) * y/x."""
    assert bal.price_bits(amm.perquintill_from_rational(1, 2), 2, 5) == 5 << 63  # 2.5
    w = amm.perquintill_from_rational(1, 3)  # w1/w2 = 2 (up to Perquintill rounding)
    assert abs(bal.price_bits(w, 4, 10) / 2**64 - 5.0) < 1e-10
    assert bal.price_bits(amm.perquintill_from_rational(3, 10), 10, 0) == 0


def test_guards(pool):
    with pytest.raises(amm.SwapInputTooLarge):
        swap(pool, "buy", 1000 * pool.tao_reserve * 2)
    with pytest.raises(amm.InsufficientLiquidity):  # staking call: gross above 1000 x
        amm.buy(pool, 1000 * pool.tao_reserve + 1)
    tiny = amm.Pool(tao_reserve=100 * TAO, alpha_reserve=999_999)
    with pytest.raises(amm.ReservesTooLow):
        amm.buy(tiny, TAO)
    with pytest.raises(amm.PriceLimitExceeded):
        amm.buy(pool, TAO, limit_price=250_000_000)  # current price == limit
    with pytest.raises(amm.PriceLimitExceeded):
        amm.sell(pool, TAO, limit_price=250_000_000)
    with pytest.raises(amm.AmountTooLow):
        amm.buy(pool, 0)
    with pytest.raises(amm.InvalidWeights):
        amm.Pool(TAO, TAO, tao_weight=amm.MIN_WEIGHT - 1)
    with pytest.raises(amm.InvalidWeights):
        amm.Pool(TAO, TAO, tao_weight=amm.ACCURACY - amm.MIN_WEIGHT + 1)
    with pytest.raises(amm.InvalidPool):
        amm.Pool(-1, TAO)
    assert room_exit_code(amm.InsufficientLiquidity) == 4
    assert room_exit_code(amm.InvalidWeights) == 2


def test_swap_of_zero_swaps_nothing(pool):
    r = swap(pool, "sell", 0, drop_fees=True)
    assert (r.amount_in, r.amount_out, r.pool_after) == (0, 0, pool)


def test_partial_fill_and_refund(pool):
    limit = amm.limit_price_for_tolerance(pool, "buy", 5000)
    assert limit == 251_250_000
    maximum = amm.max_amount_add(pool, limit)
    with pytest.raises(amm.SlippageTooHigh):
        amm.buy(pool, maximum + 1, limit_price=limit)
    r = amm.buy(pool, maximum + TAO, limit_price=limit, allow_partial=True)
    assert r.partial and r.amount_in == maximum and r.refund == TAO
    assert r.price_after <= limit_to_bits(limit)


def test_stable_pool_is_one_to_one():
    root = amm.Pool(tao_reserve=5 * TAO, alpha_reserve=0, stable=True)
    r = amm.buy(root, 3 * TAO)
    assert (r.amount_out, r.fee, r.slippage) == (3 * TAO, 0, 0)
    assert amm.spot_price(root) == 1 << 64
    assert amm.max_amount_add(root, TAO) == 2**64 - 1
    assert amm.max_amount_add(root, TAO - 1) == 0
    assert amm.max_amount_remove(root, TAO) == 2**64 - 1


def test_injection_keeps_the_price_and_moves_the_weight(pool):
    before = amm.spot_price(pool)
    after, tao, alpha = amm.inject_liquidity(pool, TAO, TAO)  # disproportionate: more alpha
    assert (tao, alpha) == (TAO, TAO)
    assert after.tao_reserve == 101 * TAO and after.alpha_reserve == 401 * TAO
    assert after.tao_weight > pool.tao_weight
    assert abs(amm.spot_price(after) - before) <= before >> 50
    # proportional injection leaves the weight alone
    same, _, _ = amm.inject_liquidity(pool, TAO, 4 * TAO)
    assert same.tao_weight == pool.tao_weight


def test_injection_out_of_range_is_rejected(pool):
    after, tao, alpha = amm.inject_liquidity(pool, 0, 10**6 * TAO)
    assert (after, tao, alpha) == (pool, 0, 0)


def test_adjust_protocol_liquidity_does_not_touch_reserves(pool):
    reweighted, tao, alpha = amm.adjust_protocol_liquidity(pool, TAO, TAO)
    assert reweighted.tao_reserve == pool.tao_reserve
    assert reweighted.alpha_reserve == pool.alpha_reserve
    assert reweighted.tao_weight != pool.tao_weight and (tao, alpha) == (TAO, TAO)


def test_constant_product_model(pool):
    cp = amm.Pool(pool.tao_reserve, pool.alpha_reserve, model="constant-product")
    r = amm.buy(cp, TAO)
    x, y = cp.alpha_reserve, cp.tao_reserve
    # U110F18: k / (y + Δ) floored to 2^-18, then x minus it floored
    new_x_bits = ((x * y) << 18) // (y + r.net_in)
    assert r.amount_out == ((x << 18) - new_x_bits) >> 18
    assert abs(r.amount_out - amm.buy(pool, TAO).amount_out) <= 1
    small = amm.Pool(20_000_000, 20_000_000, model="constant-product")
    with pytest.raises(amm.ReservesTooLow):
        amm.buy(small, 30_000_000)


def test_reverse_quote(pool):
    want = 3_958_421_529
    need = amm.amount_in_for_out(pool, "buy", want)
    assert need == TAO  # exactly the Appendix B input
    assert amm.buy(pool, need - 1).amount_out < want
    with pytest.raises(amm.SwapInputTooLarge):
        amm.amount_in_for_out(pool, "buy", pool.alpha_reserve)


def test_result_json_has_integer_rao_fields(pool):
    doc = amm.buy(pool, TAO).to_json()
    for key in (
        "amount_in_rao",
        "fee_rao",
        "net_in_rao",
        "amount_out_rao",
        "slippage_rao",
        "price_before_rao",
        "price_after_rao",
        "effective_price_rao",
        "refund_rao",
    ):
        assert isinstance(doc[key], int), key
    assert doc["price_before"] == "0.25"
    assert doc["pool_after"]["tao_reserve_rao"] == 100 * TAO + 999_496_453


def test_alpha_amount_for_tao_at_spot(pool):
    assert amm.alpha_amount_for_tao(pool, TAO) == 4 * TAO
    assert amm.alpha_amount_for_tao(amm.Pool(TAO, 0, stable=True), 7) == 7
    assert amm.alpha_amount_for_tao(amm.Pool(0, TAO), TAO) == 0  # price 0


def test_weight_for_a_known_price():
    """maybe_initialize_palswap(Some(price)): w2 = y / (p x + y)."""
    assert bal.weight_for_price(1 << 62, 100 * TAO, 400 * TAO) == amm.HALF
    w2 = bal.weight_for_price(1 << 64, 100 * TAO, 400 * TAO)  # price 1 at y/x = 1/4
    assert w2 == 100 * amm.ACCURACY // 500
    assert bal.price_bits(w2, 400 * TAO, 100 * TAO) >> 40 == (1 << 64) >> 40
    assert bal.weight_for_price(1 << 64, 0, 0) is None

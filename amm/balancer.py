"""The weighted two-asset pool's formulas (`pallets/swap/src/pallet/balancer.rs`), bit for bit.

Notation as on chain: x is the alpha reserve (`SubnetAlphaIn`, base), y the TAO reserve
(`SubnetTAO`, quote); w2 is the TAO (quote) weight as Perquintill parts of 1e18 and
w1 = 1e18 - w2 the alpha weight. Prices are U64F64 bit patterns (`value * 2**64`), TAO per alpha.

    price         p = (w1/w2) * (y/x)
    buy  (Δy in)  Δx = x * (1 - (y/(y+Δy))^(w2/w1))
    sell (Δx in)  Δy = y * (1 - (x/(x+Δx))^(w1/w2))
    to a limit p' (buy)   Δy = y * ((p'/p)^w1 - 1)
    to a limit p' (sell)  Δx = x * ((p/p')^w2 - 1)

Rounding, as the Rust code does it: the power is `pow_ratio_scaled(.., scale=1e18)` (floored to
the 1e-18 grid), then divided into U64F64 by 1e18 (truncated), then multiplied by the reserve
(floor) and converted to u64 (floor, saturating). U64F64 multiplications saturate at 2**128 - 1
and divisions by zero or overflowing divisions give 0 (`safe_div`).
"""

from __future__ import annotations

from amm.bigmath import pow_ratio_scaled

ACCURACY = 10**18  # Perquintill parts of one
HALF = ACCURACY // 2  # Perquintill::from_rational(1, 2)
MIN_WEIGHT = ACCURACY // 100  # 0.01 for both weights
MAX_U64 = 2**64 - 1
MAX_U128 = 2**128 - 1
ONE_BITS = 1 << 64  # U64F64 1.0
FEE_DENOMINATOR = 65535  # u16::MAX
SWAP_PRECISION = 256  # bits asked of pow_ratio_scaled in exp_scaled
LIMIT_PRECISION = 1024  # bits asked of pow_ratio_scaled in the limit-delta formulas


def perquintill_from_rational(p: int, q: int) -> int:
    """`Perquintill::from_rational(p, q)`: floor(p * 1e18 / q); one when q == 0 or p > q."""
    if q == 0 or p > q:
        return ACCURACY
    return p * ACCURACY // q


def weights_valid(tao_weight: int) -> bool:
    """`Balancer::check_constraints`: both weights at least 0.01."""
    return tao_weight >= MIN_WEIGHT and ACCURACY - tao_weight >= MIN_WEIGHT


def price_bits(tao_weight: int, alpha_reserve: int, tao_reserve: int) -> int:
    """`calculate_price`: (w1/w2) * (y/x) in U64F64; each division truncates, the product floors.

    With x == 0 the ratio y/x is a division by zero and gives 0 (`safe_div`).
    """
    w1 = ACCURACY - tao_weight
    ratio_w = (w1 << 64) // tao_weight if tao_weight else 0
    ratio_r = (tao_reserve << 64) // alpha_reserve if alpha_reserve else 0
    return min((ratio_w * ratio_r) >> 64, MAX_U128)


def exp_scaled(tao_weight: int, reserve: int, delta: int, base_quote: bool) -> int:
    """`exp_scaled`: (reserve/(reserve+delta))^(w1/w2 if base_quote else w2/w1), U64F64 bits.

    `delta` may be negative (an amount taken out). reserve+delta saturates into u64. The power
    is floored to the 1e-18 grid, then truncated into U64F64; for delta >= 0 it is capped at 1.
    A power that does not fit u64 on the 1e-18 grid (or a zero base) gives 0, as on chain.
    """
    if delta >= 0:
        moved = min(reserve + delta, MAX_U64)
    else:
        moved = max(reserve + delta, 0)
    if moved == 0:
        return 0
    w1 = ACCURACY - tao_weight
    if base_quote:
        e_num, e_den = w1, tao_weight
    else:
        e_num, e_den = tao_weight, w1
    if e_num == e_den:  # equal weights: exponent 1/1, floor(reserve * 1e18 / moved)
        scaled = reserve * ACCURACY // moved
    else:
        scaled = pow_ratio_scaled(reserve, moved, e_num, e_den, SWAP_PRECISION, ACCURACY)
        if scaled is None:
            return 0
    if scaled > MAX_U64:
        return 0
    result = (scaled << 64) // ACCURACY
    if delta >= 0 and result > ONE_BITS:
        return ONE_BITS
    return result


def alpha_out_for_tao_in(tao_weight: int, tao_reserve: int, alpha_reserve: int, tao_in: int) -> int:
    """Buy: alpha paid out for a net TAO input, `x * (1 - e)` floored to rao."""
    e = exp_scaled(tao_weight, tao_reserve, tao_in, False)
    return (alpha_reserve * (ONE_BITS - e)) >> 64


def tao_out_for_alpha_in(
    tao_weight: int, tao_reserve: int, alpha_reserve: int, alpha_in: int
) -> int:
    """Sell: TAO paid out for a net alpha input, `y * (1 - e)` floored to rao."""
    e = exp_scaled(tao_weight, alpha_reserve, alpha_in, True)
    return (tao_reserve * (ONE_BITS - e)) >> 64


def _delta_to_price(reserve: int, ratio_num: int, ratio_den: int, weight: int) -> int:
    """reserve * ((ratio_num/ratio_den)^(weight/1e18) - 1), as the limit formulas round it.

    The power is `pow_ratio_scaled(.., precision 1024, scale 1e18)`; a result above u64 is
    clamped to u64::MAX; then it is divided by 1e18 into U64F64, 1 is subtracted (saturating at
    0), the reserve multiplies it (saturating) and the u64 conversion floors.
    """
    scaled = pow_ratio_scaled(ratio_num, ratio_den, weight, ACCURACY, LIMIT_PRECISION, ACCURACY)
    if scaled is None:
        return 0
    scaled = min(scaled, MAX_U64)
    excess = max(((scaled << 64) // ACCURACY) - ONE_BITS, 0)
    return min(min(reserve * excess, MAX_U128) >> 64, MAX_U64)


def tao_in_to_reach_price(tao_weight: int, current: int, target: int, tao_reserve: int) -> int:
    """`calculate_quote_delta_in`: net TAO that lifts the price from `current` to `target`.

    Zero when the target is at or below the current price.
    """
    return _delta_to_price(tao_reserve, target, current, ACCURACY - tao_weight)


def alpha_in_to_reach_price(tao_weight: int, current: int, target: int, alpha_reserve: int) -> int:
    """`calculate_base_delta_in`: net alpha that lowers the price from `current` to `target`."""
    return _delta_to_price(alpha_reserve, current, target, tao_weight)


def mul_perquintill_round(parts: int, value: int) -> int:
    """`mul_perquintill_round`: value * parts / 1e18 rounded half up, capped at u128::MAX."""
    return min((value * parts + ACCURACY // 2) // ACCURACY, MAX_U128)


def weight_after_liquidity(
    tao_weight: int, tao_reserve: int, alpha_reserve: int, tao_delta: int, alpha_delta: int
) -> int | None:
    """`update_weights_for_added_liquidity`: the new TAO weight that keeps the price, or None.

    q1 = round(w1 * y * (x + Δα)), q2 = round(w2 * x * (y + Δτ)) (u128 products saturate),
    new w2 = from_rational(q2, q1 + q2) (rounded down), 1/2 when both are zero. None when the
    new weights leave [0.01, 0.99]: the chain then injects nothing.
    """
    new_tao = tao_reserve + tao_delta
    new_alpha = alpha_reserve + alpha_delta
    q1 = mul_perquintill_round(ACCURACY - tao_weight, min(tao_reserve * new_alpha, MAX_U128))
    q2 = mul_perquintill_round(tao_weight, min(alpha_reserve * new_tao, MAX_U128))
    q_sum = min(q1 + q2, MAX_U128)
    new_weight = perquintill_from_rational(q2, q_sum) if q_sum else HALF
    return new_weight if weights_valid(new_weight) else None


def weight_for_price(price: int, tao_reserve: int, alpha_reserve: int) -> int | None:
    """`maybe_initialize_palswap(Some(price))`: w2 = y / (p*x + y), p in U64F64 bits.

    p*x is int(p)*x + floor(x * frac(p)). None when both reserves are zero or the weight is out
    of range (`ReservesOutOfBalance`).
    """
    px_high = min(price >> 64, MAX_U64) * alpha_reserve
    px_low = (alpha_reserve * (price & (ONE_BITS - 1))) >> 64
    total = px_high + px_low + tao_reserve
    if total == 0:
        return None
    weight = perquintill_from_rational(tao_reserve, total)
    return weight if weights_valid(weight) else None


__all__ = [
    "ACCURACY",
    "HALF",
    "MIN_WEIGHT",
    "alpha_in_to_reach_price",
    "alpha_out_for_tao_in",
    "exp_scaled",
    "mul_perquintill_round",
    "perquintill_from_rational",
    "price_bits",
    "tao_in_to_reach_price",
    "tao_out_for_alpha_in",
    "weight_after_liquidity",
    "weight_for_price",
    "weights_valid",
]

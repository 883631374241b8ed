"""The emission gate: only about the `EmissionBarRank` largest subnets by share receive
meaningful TAO (ECONOMICS-2026.md §3.3, §0.0 item 6; `coinbase/subnet_emissions.rs`
`maybe_update_emission_gate_bar`, `apply_emission_gate`, `safe_pow` at f8ff769a).

Each positive share s is multiplied by the Hill gate `1 / (1 + (theta/s)^h)` and the shares
are renormalised. theta (`EmissionGateBar`) is the `EmissionBarRank`-th largest positive
share (rank 0: the share at which the descending cumulative sum first reaches
`EmissionBarQuantile`), recomputed when the block is a multiple of 360 or the stored bar is 0.

Arithmetic is the chain's: shares, the ratio and the gate are U64F64 (products floor,
quotients truncate, `safe_div` gives 0 on a zero divisor or an overflow); the power is
`exp(h * ln x)` in I32F32 through substrate-fixed's own `ln` (base-2 logarithm by repeated
squaring, divided by a 23-bit log2(e)) and `exp` (30 Taylor terms, floors each step), so the
gate is bit-exact, not merely close. `exp` overflowing gives 2^31 - 1 (the gate of a share far
below the bar is then exactly 2^-31); an `ln` error (x = 0) gives 0 (gate 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

EMISSION_BAR_UPDATE_INTERVAL = 360
"""`EMISSION_BAR_UPDATE_INTERVAL`: blocks between two recomputations of the bar."""
DEFAULT_BAR_RANK = 32
DEFAULT_BAR_QUANTILE = 11_252_513_884_962_826_240
"""`EmissionBarQuantile` default: U64F64 bits of the f64 0.61."""
DEFAULT_GATE_EXPONENT = 3 << 64
"""`EmissionGateExponent` default: 3.0 in U64F64."""

_ONE64 = 1 << 64  # U64F64 1.0
_U128_MAX = (1 << 128) - 1
_ONE = 1 << 32  # I32F32 1.0
_TWO = 2 << 32
_I64_MAX = (1 << 63) - 1
_I64_MIN = -(1 << 63)
_LOG2_E = 12_102_203 << 9
"""substrate-fixed's `LOG2_E` (I9F23: log2(e) * 2^23 floored), as I32F32 bits."""
_E = 22_802_600 << 9
"""substrate-fixed's `E` (I9F23), as I32F32 bits: `exp(1)` returns exactly this."""
_EXP_OVERFLOW = (2**31 - 1) << 32
"""What `safe_pow` uses when `exp` overflows: `I32F32::saturating_from_num(i32::MAX)`."""


class FixedError(ArithmeticError):
    """substrate-fixed's `Err(())` (a non-positive `ln` operand, an overflowing `exp`)."""


# --- substrate-fixed transcendental, I32F32 ------------------------------------------------------
def _log2_at_least_one(x: int) -> int:
    """`log2_inner` for I32F32 bits x >= 1.0: the integer part by halving (rounding shift,
    `rs`), then 32 fractional bits by squaring (the product floors) and halving at >= 2."""
    result, two = 0, _TWO
    while x >= two:
        result += 1
        x = (x >> 1) + (x & 1)
    if x == _ONE:
        return result << 32
    for _ in range(32):
        x = (x * x) >> 32
        if x >= two:
            result = (result << 1) | 1
            x = (x >> 1) + (x & 1)
        else:
            result <<= 1
    return result


def log2_i32f32(x: int) -> int:
    """`transcendental::log2` for I32F32 bits. Below 1.0 it is `-log2(1/x)` with the
    reciprocal truncated; x <= 0 is an error. The chain unwraps that reciprocal, so x of 1 or 2
    bits (1/x above I32F32's range) would panic there: `ln_operand_too_small` says what taoctl
    does instead."""
    if x <= 0:
        raise FixedError("log2 of a non-positive value")
    if x < _ONE:
        inverse = (_ONE << 32) // x
        if inverse > _I64_MAX:
            raise ln_operand_too_small(x)
        return -_log2_at_least_one(inverse)
    return _log2_at_least_one(x)


def ln_operand_too_small(x: int) -> FixedError:
    """The one place taoctl departs from the chain: `ln` of 2^-32 or 2^-31 panics on chain (an
    `unwrap` of an overflowing reciprocal). taoctl treats it as an `ln` error, which `safe_pow`
    maps to 0 (gate 1): a ratio theta/s that small means s is over 10^9 times the bar."""
    return FixedError(f"ln of {x} bits of I32F32 (the chain's reciprocal overflows)")


def ln_i32f32(x: int) -> int:
    """`transcendental::ln`: `log2(x) / LOG2_E`, the quotient truncated toward zero."""
    numerator = log2_i32f32(x)
    q = (abs(numerator) << 32) // _LOG2_E
    return q if numerator >= 0 else -q


def exp_i32f32(x: int) -> int:
    """`transcendental::exp` for I32F32 bits: exactly 1 at 0 and `E` at 1.0; otherwise the
    Taylor sum 1 + |x| + sum_{i=2}^{31} term_i with term_i = floor(term_{i-1} * |x|) / i
    (truncated), checked: any overflow is an error; a negative x gives 1 / sum (truncated)."""
    if x == 0:
        return _ONE
    if x == _ONE:
        return _E
    neg = x < 0
    if neg:
        x = -x
    result = x + _ONE
    if result > _I64_MAX:
        raise FixedError("exp overflows")
    term, top = x, _I64_MAX
    for i in range(2, 32):
        term = (term * x) >> 32
        if term > top:
            raise FixedError("exp overflows")
        if term == 0:  # every later term is 0 too
            break
        term //= i
        result += term
        if result > top:
            raise FixedError("exp overflows")
    if neg:
        return (_ONE << 32) // result
    return result


def safe_pow(value_u64f64: int, exponent_u64f64: int) -> int:
    """`safe_pow(val, p)` (U64F64 bits in and out): `exp(I32F32(p) * ln(I32F32(val)))`.
    Each conversion to I32F32 drops 32 fractional bits and saturates at 2^31 - 2^-32; the
    product floors and saturates; an `ln` error gives 0, an `exp` overflow 2^31 - 1."""
    x = min(value_u64f64 >> 32, _I64_MAX)
    try:
        ln = ln_i32f32(x)
    except FixedError:
        return 0
    p = min(exponent_u64f64 >> 32, _I64_MAX)
    product = max(min((p * ln) >> 32, _I64_MAX), _I64_MIN)
    try:
        y = exp_i32f32(product)
    except FixedError:
        y = _EXP_OVERFLOW
    return 0 if y < 0 else y << 32


# --- the bar and the gate ------------------------------------------------------------------------
def bar_due(block: int, stored_bar: int) -> bool:
    """`maybe_update_emission_gate_bar`'s test: recompute at multiples of 360 or when unset."""
    return stored_bar == 0 or block % EMISSION_BAR_UPDATE_INTERVAL == 0


def gate_bar(shares: Sequence[int], rank: int = DEFAULT_BAR_RANK,
             quantile: int = DEFAULT_BAR_QUANTILE) -> int:
    """theta for these shares (U64F64 bits): the `rank`-th largest positive share, or the
    smallest positive one when fewer are positive; with rank 0, the share at which the
    descending cumulative (saturating) sum first reaches `quantile` (zeros not skipped).
    0 means "keep the stored bar" (the chain never stores a zero bar)."""
    ordered = sorted(shares, reverse=True)
    if rank > 0:
        positive = [s for s in ordered if s > 0]
        if not positive:
            return 0
        return positive[rank - 1] if len(positive) >= rank else positive[-1]
    cumulative = crossing = 0
    for share in ordered:
        cumulative = min(cumulative + share, _U128_MAX)
        crossing = share
        if cumulative >= quantile:
            break
    return crossing


@lru_cache(maxsize=4096)
def gate(share: int, bar: int, exponent: int = DEFAULT_GATE_EXPONENT) -> int:
    """The Hill gate of one positive share, U64F64 bits: `1 / (1 + safe_pow(bar / share, h))`
    with `safe_div` (0 on overflow). Exactly 1/2 at share == bar. Cached: the bar holds for
    360 blocks and a subnet whose moving price does not move keeps its share."""
    ratio = _safe_div(bar, share)
    denominator = min(_ONE64 + safe_pow(ratio, exponent), _U128_MAX)
    return (_ONE64 << 64) // denominator


def apply_gate(shares: Sequence[int], bar: int,
               exponent: int = DEFAULT_GATE_EXPONENT) -> list[int]:
    """`apply_emission_gate`: each positive share times its gate (the product floors), then
    all divided by their saturating sum (truncating); a zero bar leaves the shares as they are,
    and a sum that underflowed to 0 restores them (so no emission is stranded). Each gate is
    `fast_gate`, the restatement of `gate` (every subnet, every block; `fast_gates`)."""
    if bar <= 0:
        return list(shares)
    top = _U128_MAX
    gates = iter(fast_gates([s for s in shares if s > 0], bar, exponent))
    gated = [(g if (g := (s * next(gates)) >> 64) < top else top) if s > 0 else s
             for s in shares]
    total = min(sum(gated), top)
    if total == 0:
        return list(shares)
    # `_safe_div(s, total)` of each (the divisor is not 0 here)
    return [q if (q := (s << 64) // total) <= top else 0 for s in gated]


# --- the gate's fast form ------------------------------------------------------------------------
# `gate` above is the specification. The coinbase asks for 128 gates a block, each ~60 rounds
# of the I32F32 series, so `fast_gate` restates it in one function: the same integer steps
# with the calls, the exceptions and the overflow checks that cannot fire taken out. A
# property test (tests/chain/local/test_emission_gate.py) holds it equal to `gate`, and
# `fast_exp` to `exp_i32f32`, over their whole input domains.
_EXP_INDICES = tuple(range(2, 32))  # the series' terms 2..31 (divisors i << 32)
_EXP_NO_OVERFLOW = 16 << 32
"""|x| up to which `exp_i32f32` cannot overflow: every term before its division is at most
x * e^x < 2^28 (times 2^32 < 2^63) and the sum at most e^x < 2^24 (times 2^32), so the
checked series is the unchecked one."""


def fast_exp(x: int) -> int | None:
    """`exp_i32f32(x)`, None where it raises (overflow). Below `_EXP_NO_OVERFLOW` each term is
    `term * |x| // (i << 32)` (the floored product, then the truncated quotient: one floor
    division, taken as a shift and a division by i), and the series stops at the first zero
    term (every later one is zero too); above it, the checked reference."""
    if x == 0:
        return _ONE
    if x == _ONE:
        return _E
    a = -x if x < 0 else x
    if a > _EXP_NO_OVERFLOW:
        try:
            return exp_i32f32(x)
        except FixedError:
            return None
    result = term = a
    result += _ONE
    for i in _EXP_INDICES:
        # term * a // (i << 32), as the shift then a one-digit division (nested floors of
        # non-negative integers compose; Python divides by a small int much faster)
        term = (term * a >> 32) // i
        if not term:
            break
        result += term
    return (_ONE << 32) // result if x < 0 else result


_BELOW_TWO = _TWO - 1  # the largest I32F32 value below 2.0


def halvings_below_two(x: int) -> tuple[int, int]:
    """`_log2_at_least_one`'s integer part at once: how many rounding halvings
    (`rs`, x -> ceil(x / 2)) bring x below 2.0, and the x they leave. Halvings that round up
    compose (ceil(ceil(x / 2^j) / 2) = ceil(x / 2^(j + 1))), so k halvings leave
    ceil(x / 2^k), and the least k with ceil(x / 2^k) < 2.0 is the one with
    x <= (2.0 - 1 bit) * 2^k: the bit length less 33, or one more."""
    if x < _TWO:
        return 0, x
    k = x.bit_length() - 33
    if x > _BELOW_TWO << k:
        k += 1
    return k, (x + (1 << k) - 1) >> k


def fast_gate(share: int, bar: int, exponent: int = DEFAULT_GATE_EXPONENT) -> int:
    """`gate(share, bar, exponent)` in one function (see above): the ratio, substrate-fixed's
    log2 (integer part by rounding halvings, 32 bits by squaring), ln, the saturating product
    with the exponent, exp, and the Hill quotient, each step the reference's."""
    ratio = _safe_div(bar, share)
    x = ratio >> 32
    if x > _I64_MAX:
        x = _I64_MAX
    power = 0  # `safe_pow`: 0 on an `ln` error
    if x > 0:
        negative = x < _ONE
        if negative:
            x = (_ONE << 32) // x
        if x <= _I64_MAX:  # otherwise `ln_operand_too_small`: an ln error
            log2, x = halvings_below_two(x)
            if x == _ONE:
                log2 <<= 32
            else:
                two = _TWO
                for _ in range(32):
                    x = (x * x) >> 32
                    if x >= two:
                        log2 = (log2 << 1) | 1
                        x = (x + 1) >> 1
                    else:
                        log2 <<= 1
            ln = (log2 << 32) // _LOG2_E
            if negative:
                ln = -ln
            p = exponent >> 32
            if p > _I64_MAX:
                p = _I64_MAX
            product = (p * ln) >> 32
            product = _I64_MAX if product > _I64_MAX else _I64_MIN if product < _I64_MIN \
                else product
            y = fast_exp(product)
            power = _EXP_OVERFLOW << 32 if y is None else y << 32
    denominator = _ONE64 + power
    if denominator > _U128_MAX:
        denominator = _U128_MAX
    return (_ONE64 << 64) // denominator


VECTOR_MIN = 48
"""From this many shares on, `fast_gates` takes every gate's log2 mantissa, ln and exp side
by side in numpy (one array op per step for all of them); below it numpy's per-call cost is
more than it saves."""
_GATE_OF_NO_POWER = (_ONE64 << 64) // _ONE64  # `safe_pow` 0 (an ln error): gate 1
_VECTOR_MAX_POWER = 1024
"""`fast_gates` vectorises exponents that are whole numbers up to this (the default is 3):
then `(p * ln) >> 32` is `k * ln` exactly and stays far inside u64 (|ln| < 2^38)."""
_LOG2_E_ODD = _LOG2_E >> 9
"""`_LOG2_E` is this times 2^9, so `(log2 << 32) // _LOG2_E` is `(log2 << 23) // _LOG2_E_ODD`
(the same rational, the same floor), which u64 holds for |log2| < 2^41."""


def fast_gates(shares: Sequence[int], bar: int,
               exponent: int = DEFAULT_GATE_EXPONENT) -> list[int]:
    """`[fast_gate(s, bar, exponent) for s in shares]`: with `VECTOR_MIN` shares or more and a
    whole exponent (`_VECTOR_MAX_POWER`), the log2's 32 squaring steps (`log2_fractions`),
    the ln, the power and the exp series (`exp_series_many`) run for all shares at once; the
    integer part of each log2 and the final quotients stay per share. Every step is
    `fast_gate`'s (a property test holds both to `gate`)."""
    p = exponent >> 32
    whole_power = p >= 0 and p & (_ONE - 1) == 0 and p >> 32 <= _VECTOR_MAX_POWER
    if len(shares) < VECTOR_MIN or not whole_power:
        return [fast_gate(s, bar, exponent) for s in shares]
    import numpy as np

    out = [_GATE_OF_NO_POWER] * len(shares)
    lanes, wholes, negative, mantissas = [], [], [], []
    scaled_bar, top = bar << 64, _U128_MAX
    for i, share in enumerate(shares):
        # `_safe_div(bar, share) >> 32`
        x = (q >> 32 if (q := scaled_bar // share) <= top else 0) if share else 0
        if x > _I64_MAX:
            x = _I64_MAX
        if x <= 0:
            continue  # an ln error: no power
        below_one = x < _ONE
        if below_one:
            x = (_ONE << 32) // x
            if x > _I64_MAX:
                continue  # `ln_operand_too_small`: an ln error
        whole, x = halvings_below_two(x)
        lanes.append(i)
        wholes.append(whole)
        negative.append(below_one)
        mantissas.append(x)
    if not lanes:
        return out
    log2 = np.array(wholes, dtype=np.uint64) << np.uint64(32)
    log2 |= log2_fractions(mantissas)
    # |ln| = (|log2| << 32) // LOG2_E, then |product| = k * |ln| (k = p / 1.0, whole)
    log2 <<= np.uint64(23)
    log2 //= np.uint64(_LOG2_E_ODD)
    log2 *= np.uint64(p >> 32)
    powers = log2.tolist()  # |product|, each below 2^48
    plain = [a for a in powers if a <= _EXP_NO_OVERFLOW]
    series = iter(exp_series_many(plain))
    for i, a, below_one in zip(lanes, powers, negative, strict=True):
        if a > _EXP_NO_OVERFLOW:  # the checked reference (overflow: None)
            y = fast_exp(-a if below_one else a)
        else:
            y = next(series)
            if below_one:
                y = (_ONE << 32) // y
            elif a == _ONE:
                y = _E  # `exp(1.0)` is substrate-fixed's constant, not the series
        denominator = _ONE64 + (_EXP_OVERFLOW << 32 if y is None else y << 32)
        out[i] = (_ONE64 << 64) // (denominator if denominator <= _U128_MAX else _U128_MAX)
    return out


_EXP_TERMS = tuple(range(2, 32))


def exp_series_many(magnitudes: Sequence[int]) -> list[int]:
    """`exp_i32f32`'s Taylor sum 1 + a + sum term_i (term_i = floor(floor(term_{i-1} * a)
    / i), each product's 32 fractional bits dropped) for many |x| = a <= `_EXP_NO_OVERFLOW` at
    once, in u64 numpy arrays; the caller takes the reciprocal for negative x and `E` at 1.0.
    A term stays below e^16 * 2^32 < 2^56, so with a = ah * 2^32 + al (ah <= 16) and
    term = th * 2^32 + tl, (term * a) >> 32 = term * ah + th * al + ((tl * al) >> 32), every
    part inside u64; zero terms stay zero, so running all 30 terms is the reference's early
    stop."""
    import numpy as np

    if not magnitudes:
        return []
    shift, mask = np.uint64(32), np.uint64(_ONE - 1)
    a = np.array(magnitudes, dtype=np.uint64)
    high, low = a >> shift, a & mask
    term = a.copy()
    total = a + np.uint64(_ONE)
    part, cross = np.empty_like(a), np.empty_like(a)
    for i in _EXP_TERMS:
        np.bitwise_and(term, mask, out=part)
        part *= low
        part >>= shift
        np.right_shift(term, shift, out=cross)
        cross *= low
        part += cross
        np.multiply(term, high, out=cross)
        part += cross
        np.floor_divide(part, np.uint64(i), out=term)
        total += term
        if i % 8 == 0 and not term.any():
            break
    return total.tolist()


def log2_fractions(mantissas: Sequence[int]):
    """The 32 fractional bits `_log2_at_least_one` squares out of each I32F32 mantissa in
    [1, 2), for many at once (a u64 numpy array of them). With x = 2^32 + f (f < 2^32),
    x^2 >> 32 = 2^32 + 2f + (f^2 >> 32), and f^2 fits 64 bits; that square u is below 2^34, so
    u >> 33 is the step's bit (u at or above 2.0), and (u + bit) >> bit halves rounding up,
    (x + 1) >> 1, as `rs` does."""
    import numpy as np

    one, shift, bit_shift = np.uint64(_ONE), np.uint64(32), np.uint64(33)
    f = np.array(mantissas, dtype=np.uint64) - one
    bits = np.empty((32, len(mantissas)), dtype=np.uint64)  # one row a step, 0 or 1
    square, u = np.empty_like(f), np.empty_like(f)
    for k in range(32):  # every array reused in place
        np.multiply(f, f, out=square)
        square >>= shift
        np.add(f, f, out=u)
        u += square
        u += one  # x^2 >> 32
        bit = bits[k]
        np.right_shift(u, bit_shift, out=bit)
        u += bit
        u >>= bit
        np.subtract(u, one, out=f)
    bits <<= np.arange(31, -1, -1, dtype=np.uint64)[:, None]  # the first step: the top bit
    return bits.sum(axis=0, dtype=np.uint64)


def _safe_div(a: int, b: int) -> int:
    """U64F64 `safe_div`: a / b truncated, 0 on a zero divisor or a quotient out of range."""
    if b == 0:
        return 0
    q = (a << 64) // b
    return q if q <= _U128_MAX else 0


def above_bar(share: int, bar: int) -> bool:
    """Whether a share is at or above the bar (its gate is at least 1/2): what `chain status`
    marks. With no bar yet every share counts as above."""
    return bar == 0 or share >= bar


# --- what the chain shows -------------------------------------------------------------------
def gate_status(state, block: int) -> dict:
    """The gate as the next block will apply it: its storage, each emitting subnet's share
    before and after the gate (parts per billion) and whether it is at or above the bar (the
    bar is the stored one; the next block recomputes it first when it is due or unset)."""
    from chain.local import coinbase as cb
    from chain.local import coinbase_math as cm
    from chain.pallets import subtensor_module as sm

    emitting = [n for n in cb.all_subnets(state) if cb.emits(state, n)]
    params = cm.GateParams(state.get(sm.EMISSION_GATE_BAR), state.get(sm.EMISSION_BAR_RANK),
                           state.get(sm.EMISSION_BAR_QUANTILE),
                           state.get(sm.EMISSION_GATE_EXPONENT))
    prices = {n: cm.moving_alpha_price(state.get(sm.SUBNET_MOVING_PRICE, n)) for n in emitting}
    burned = {n: state.get(sm.MINER_BURNED, n) for n in emitting}
    enabled = {n: bool(state.get(sm.SUBNET_EMISSION_ENABLED, n)) for n in emitting}
    weighted = cm.weighted_shares(cm.price_shares(prices), burned)
    gated, bar = cm.gated_shares(weighted, block, params)
    final = cm.enabled_shares(gated, enabled)
    ppb = 10**9
    return {
        "bar_u64f64": bar, "bar_ppb": bar * ppb >> 64, "rank": params.rank,
        "quantile_u64f64": params.quantile, "exponent_u64f64": params.exponent,
        "above": [n for n in emitting if weighted[n] > 0 and above_bar(weighted[n], bar)],
        "below": [n for n in emitting if not (weighted[n] > 0 and above_bar(weighted[n], bar))],
        "emission_disabled": [n for n in emitting if not enabled[n]],
        "shares": {n: {"pre_gate_ppb": weighted[n] * ppb >> 64,
                       "share_ppb": final[n] * ppb >> 64} for n in emitting},
    }

"""`pow_ratio_scaled`: a rational power of a rational, as the chain's big-integer routine
computes it.

The weighted pool raises reserve ratios to weight ratios, `(num/den)^(e_num/e_den) * scale`,
through `SafeInt::pow_ratio_scaled` of the `safe-bigmath` crate (rev 013c4998, the one subtensor
pins). This module reproduces that algorithm step for step with Python integers, so that even the
approximate path gives the same integer as the chain, not merely a close one:

1. The exponent fraction is reduced by its gcd.
2. If both reduced terms are at most 1024 the result is exact:
   `floor((num^p * scale^q / den^p)^(1/q))`, an integer q-th root (floor).
3. Otherwise it works in binary fixed point with `P = max(precision, 32, bits(scale) + 8)` bits
   plus 24 guard bits: `ln(num) - ln(den)` from a Taylor series of ln(1+x) on mantissas normalised
   to [0.75, 1.5), times the exponent (floor division), then a Taylor series of exp, then the 24
   guard bits are dropped (round half away from zero), and the result is `floor(v * scale / 2^P)`.
   Every series step floors exactly as the crate's `div_floor` does, and stops under the same
   conditions, so the same bits come out.

Pure integer code; results of the series path are cached by argument (the chain calls it with
the same few exponents over and over).
"""

from __future__ import annotations

import math
from functools import lru_cache

MAX_EXACT_EXPONENT = 1024
DEFAULT_MAX_ITERS = 4096
GUARD_BITS = 24


def pow_ratio_scaled(
    base_num: int, base_den: int, exp_num: int, exp_den: int, precision: int, scale: int
) -> int | None:
    """`(base_num/base_den)^(exp_num/exp_den) * scale`, floored as the crate computes it.

    Returns None where the crate returns None (a zero denominator, a negative base or scale).
    A zero base gives 0 and a zero exponent gives `scale`, as in the crate.
    """
    if base_den == 0 or exp_den == 0:
        return None
    if base_num == 0:
        return 0
    if scale < 0 or base_num < 0 or base_den < 0 or exp_num < 0 or exp_den < 0:
        return None
    if exp_num == 0:
        return scale
    g = math.gcd(exp_num, exp_den)
    p, q = exp_num // g, exp_den // g
    if p <= MAX_EXACT_EXPONENT and q <= MAX_EXACT_EXPONENT:
        return _exact_pow_ratio(base_num, base_den, p, q, scale)
    if base_num == base_den:  # ln(num) - ln(den) is exactly 0 in the series: exactly `scale`
        return scale
    fast = _near_one_exponent(base_num, base_den, p, q, scale)
    if fast is not None:
        return fast
    return _series_pow_ratio(base_num, base_den, p, q, precision, scale)


def _exact_pow_ratio(num: int, den: int, p: int, q: int, scale: int) -> int:
    """floor((num^p * scale^q / den^p)^(1/q)): exact, as the crate's `nth_root_ratio_floor`.

    floor of the q-th root of a rational equals the integer q-th root of its floor, because a
    candidate root r satisfies r^q <= N/D exactly when r^q <= floor(N/D).
    """
    if p == 1:
        target = (num * scale**q) // den
    else:
        target = (num**p * scale**q) // den**p
    return iroot(target, q)


def iroot(n: int, q: int) -> int:
    """The largest integer r with r^q <= n (n >= 0, q >= 1)."""
    if q == 1 or n < 2:
        return n
    if q == 2:
        return math.isqrt(n)
    # Newton's method from an upper bound, exact on integers.
    r = 1 << -(-n.bit_length() // q)
    while True:
        nxt = ((q - 1) * r + n // r ** (q - 1)) // q
        if nxt >= r:
            break
        r = nxt
    while r**q > n:
        r -= 1
    while (r + 1) ** q <= n:
        r += 1
    return r


# --- a proven shortcut for exponents near 1 --------------------------------------------------

_FP = 160  # fractional bits of the shortcut's fixed point


def _near_one_exponent(num: int, den: int, p: int, q: int, scale: int) -> int | None:
    """floor((num/den)^(p/q) * scale) when p/q is within a hair of 1, or None if unsure.

    Pool weights start at 1/2 and drift by ~1e-12 per block with each injection, so the
    exponent w2/w1 is 1 + d/q with a tiny d: then (num/den)^(p/q) = (num/den) * e^δ with
    δ = ln(num/den) * d/q. δ in double precision (relative error < 1e-15) and e^δ by four Taylor
    terms in 160-bit fixed point bound the true value to within `margin`; when the value is
    farther than that from an integer its floor is certain, and it equals the crate's series
    result, whose own error is below 2**-180 at the 1e18 scale. Otherwise (about one case in a
    billion) the caller runs the full series.
    """
    ratio_minus_one = (num - den) / den
    if -0.5 < ratio_minus_one < 0.5:
        ln_ratio = math.log1p(ratio_minus_one)
    else:
        ln_ratio = math.log(num / den) if num / den > 0 else None
        if ln_ratio is None:
            return None
    delta = ln_ratio * (p - q) / q
    if not -1e-6 < delta < 1e-6:
        return None
    one = 1 << _FP
    d_fp = int(delta * 2.0**_FP)  # exact: a double times a power of two
    e_fp = one + d_fp + ((d_fp * d_fp) >> (_FP + 1)) + (d_fp**3 // (6 << (2 * _FP)))
    total = ((num << _FP) // den) * e_fp * scale  # value * 2**(2 * _FP)
    shift = 2 * _FP
    whole = total >> shift
    frac = total - (whole << shift)
    error = (whole + 1) * (abs(delta) * 1e-14 + delta**4) + 1e-12
    margin = (int(error * 2.0**40) + 1) << (shift - 40)
    if margin < frac < (1 << shift) - margin:
        return whole
    return None


# --- the series path -------------------------------------------------------------------------


def _round_to_precision(value: int, guard_factor: int) -> int:
    """Drop the guard bits: truncate toward zero, then round half away from zero."""
    truncated = abs(value) // guard_factor
    remainder = abs(value) - truncated * guard_factor
    if value < 0:
        truncated, remainder = -truncated, -remainder
    if remainder != 0 and abs(remainder) * 2 >= guard_factor:
        truncated += 1 if remainder > 0 else -1
    return truncated


def _ln1p_fixed(x_fp: int, scale: int, guard_factor: int, max_iters: int) -> int:
    """ln(1 + x) by its Taylor series in fixed point; stops when the rounded value settles."""
    term = x_fp
    result = term
    prev_rounded = _round_to_precision(result, guard_factor)
    for n in range(2, max_iters + 1):
        term = (term * x_fp) // scale
        if term == 0:
            break
        nxt = term // n
        if nxt == 0:
            break
        if n % 2 == 0:
            result -= nxt
        else:
            result += nxt
        rounded = _round_to_precision(result, guard_factor)
        if abs(nxt) < guard_factor or rounded == prev_rounded:
            break
        prev_rounded = rounded
    return result


def _exp_fixed(x_fp: int, scale: int, guard_factor: int, max_iters: int) -> int:
    """exp(x) by its Taylor series in fixed point; stops when the rounded value settles."""
    term = scale
    result = term
    prev_rounded = _round_to_precision(result, guard_factor)
    for n in range(1, max_iters + 1):
        term = (term * x_fp) // (scale * n)
        if term == 0:
            break
        result += term
        rounded = _round_to_precision(result, guard_factor)
        if abs(term) < guard_factor or rounded == prev_rounded:
            break
        prev_rounded = rounded
    return result


@lru_cache(maxsize=16)
def _ln_two(internal_scale: int, guard_factor: int, max_iters: int) -> int:
    """ln 2 as the crate derives it: minus ln(1 - 1/2)."""
    return -_ln1p_fixed(-(internal_scale >> 1), internal_scale, guard_factor, max_iters)


@lru_cache(maxsize=4096)
def _ln_int(value: int, internal_precision: int, guard_factor: int, max_iters: int) -> int:
    """ln(value) for a positive integer: mantissa near 1 through ln1p, plus shift * ln 2."""
    internal_scale = 1 << internal_precision
    shift = value.bit_length() - 1
    mantissa = (value << internal_precision) >> shift
    if mantissa >= internal_scale + (internal_scale >> 1):
        mantissa >>= 1
        shift += 1
    ln_mantissa = _ln1p_fixed(mantissa - internal_scale, internal_scale, guard_factor, max_iters)
    return ln_mantissa + _ln_two(internal_scale, guard_factor, max_iters) * shift


@lru_cache(maxsize=65536)
def _series_pow_ratio(num: int, den: int, p: int, q: int, precision: int, scale: int) -> int:
    """The crate's fallback: exp(ln(num/den) * p/q) in fixed point with 24 guard bits."""
    requested = max(precision, 32, scale.bit_length() + 8)
    internal_precision = requested + GUARD_BITS
    max_iters = max(min(DEFAULT_MAX_ITERS, internal_precision + 128), 1)
    guard_factor = 1 << GUARD_BITS
    internal_scale = 1 << internal_precision
    ln_base = _ln_int(num, internal_precision, guard_factor, max_iters) - _ln_int(
        den, internal_precision, guard_factor, max_iters
    )
    ln_scaled = (ln_base * p) // q
    exp_fp = _exp_fixed(ln_scaled, internal_scale, guard_factor, max_iters)
    exp_requested = _round_to_precision(exp_fp, guard_factor)
    return (exp_requested * scale) >> requested

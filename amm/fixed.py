"""Fixed-point numbers as subtensor computes them (`substrate-fixed`), emulated with Python ints.

A fixed-point value is held as its raw bit pattern, an int `bits` with `value = bits / 2**frac`.
The chain uses several formats; each is a `Format` (fractional bits, total bits, signedness):

    U64F64  unsigned, 128 bits, 64 fractional      (pool prices, swap math)
    I64F64  signed,   128 bits, 64 fractional
    U96F32  unsigned, 128 bits, 32 fractional      (coinbase terms)
    I96F32  signed,   128 bits, 32 fractional      (block emission, moving prices)
    I32F32  signed,    64 bits, 32 fractional      (Yuma epoch vectors)
    U110F18 unsigned, 128 bits, 18 fractional      (legacy constant-product pool)

Rounding, exactly as substrate-fixed's `arith.rs`:
- multiplication is `(a * b) >> frac`: floor for non-negative results, toward -inf for negative;
- division is `(a << frac) / b` with Rust integer division: truncation toward zero;
- conversion to an integer drops the fraction (floor for non-negative values); `to_u64` also
  saturates into [0, 2**64 - 1];
- integer to fixed is exact;
- a float literal (`from_num(1.26)`) is the nearest double, then rounded to nearest bits
  (`f64_literal`).
The `saturating_*` variants clamp to the format's range, as `saturating_mul` / `saturating_add` do.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

MAX_U64 = 2**64 - 1


@dataclass(frozen=True)
class Format:
    """One fixed-point format: `frac` fractional bits out of `width`, signed or not."""

    name: str
    frac: int
    width: int
    signed: bool

    # cached: the coinbase and the epoch payout clamp millions of times per simulated day
    @cached_property
    def one(self) -> int:
        """The bits of 1.0."""
        return 1 << self.frac

    @cached_property
    def max_bits(self) -> int:
        return (1 << (self.width - 1)) - 1 if self.signed else (1 << self.width) - 1

    @cached_property
    def min_bits(self) -> int:
        return -(1 << (self.width - 1)) if self.signed else 0

    def clamp(self, bits: int) -> int:
        """Saturate raw bits into this format's range."""
        if bits > self.max_bits:
            return self.max_bits
        return self.min_bits if bits < self.min_bits else bits

    def from_int(self, n: int) -> int:
        """Exact conversion of an integer (no saturation check: callers pass in-range values)."""
        return n << self.frac

    def from_ratio(self, num: int, den: int) -> int:
        """`from_num(num) / from_num(den)`: the chain's fixed division, truncating toward zero."""
        return self.div(num << self.frac, den << self.frac)

    def mul(self, a: int, b: int) -> int:
        """Product of two values in this format; floors toward -inf (`>>` on the wide product)."""
        return (a * b) >> self.frac

    def saturating_mul(self, a: int, b: int) -> int:
        """The floored product, saturated into the format (`clamp` inlined: the coinbase and
        the payout multiply millions of times per simulated day)."""
        bits = (a * b) >> self.frac
        if bits > self.max_bits:
            return self.max_bits
        return self.min_bits if bits < self.min_bits else bits

    def div(self, a: int, b: int) -> int:
        """Quotient `a / b`, truncated toward zero. Division by zero returns 0 (`safe_div`)."""
        if b == 0:
            return 0
        q = (abs(a) << self.frac) // abs(b)
        return q if (a >= 0) == (b >= 0) else -q

    def mul_int(self, a: int, n: int) -> int:
        """`a * from_num(n)` for an integer n (exact before the final shift, as on chain)."""
        return a * n

    def to_int(self, bits: int) -> int:
        """Drop the fraction: floor for non-negative values, toward zero for negative ones."""
        return bits >> self.frac if bits >= 0 else -((-bits) >> self.frac)

    def to_u64(self, bits: int) -> int:
        """`saturating_to_num::<u64>()`: floor, then clamp to [0, u64::MAX]."""
        if bits <= 0:
            return 0
        whole = bits >> self.frac
        return whole if whole < MAX_U64 else MAX_U64

    def to_decimal_str(self, bits: int, digits: int = 18) -> str:
        """Exact-to-`digits` decimal rendering for display (truncated, never a float)."""
        sign = "-" if bits < 0 else ""
        bits = abs(bits)
        whole = bits >> self.frac
        frac = bits - (whole << self.frac)
        frac_digits = (frac * 10**digits) >> self.frac
        text = f"{whole}.{frac_digits:0{digits}d}".rstrip("0").rstrip(".")
        return sign + text


U64F64 = Format("U64F64", 64, 128, False)
I64F64 = Format("I64F64", 64, 128, True)
U96F32 = Format("U96F32", 32, 128, False)
I96F32 = Format("I96F32", 32, 128, True)
I32F32 = Format("I32F32", 32, 64, True)
U110F18 = Format("U110F18", 18, 128, False)


def convert(bits: int, src: Format, dst: Format) -> int:
    """Re-express a value in another format (`from_num` between fixed types): truncates extra
    fractional bits toward -inf (an arithmetic shift) and saturates into the target range."""
    shift = dst.frac - src.frac
    out = bits << shift if shift >= 0 else bits >> -shift
    return dst.clamp(out)


def _round_half_even(num: int, den: int) -> int:
    """num/den (den > 0) rounded to the nearest integer, ties to even."""
    q, r = divmod(num, den)
    if 2 * r > den or (2 * r == den and q & 1):
        q += 1
    return q


def f64_literal(text: str, fmt: Format) -> int:
    """Bits of `fmt::from_num(<f64 literal text>)`: the decimal is first rounded to the nearest
    double (ties to even, as Rust parses literals), then that double is converted to `fmt`
    rounding to nearest, ties to even, and saturated. Integers only (the decimal is parsed with
    `fractions.Fraction`, which is exact)."""
    value = Fraction(text)
    if value == 0:
        return 0
    sign = -1 if value < 0 else 1
    value = abs(value)
    # exponent e with 2**52 <= value / 2**e < 2**53 (normal doubles; literals here are normal)
    e = value.numerator.bit_length() - value.denominator.bit_length() - 52
    while value / Fraction(2) ** e >= 2**53:
        e += 1
    while value / Fraction(2) ** e < 2**52:
        e -= 1
    scaled = value / Fraction(2) ** e
    mantissa = _round_half_even(scaled.numerator, scaled.denominator)
    shift = e + fmt.frac  # double = mantissa * 2**e; bits = double * 2**frac
    bits = mantissa << shift if shift >= 0 else _round_half_even(mantissa, 1 << -shift)
    return fmt.clamp(sign * bits)

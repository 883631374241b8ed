"""Per-hotkey stake share pools, bit-exact with subtensor's `share-pool` primitive.

Every (hotkey, netuid) holds one pool. Its *shared value* is `TotalHotkeyAlpha[hotkey, netuid]`
(an integer of alpha rao), its *denominator* is `TotalHotkeySharesV2[hotkey, netuid]`, and each
nominating coldkey owns `AlphaV2[(hotkey, coldkey, netuid)]` shares. A coldkey's stake is
`shared * share / denominator`, so emission paid to the validator (`increase_shared`) grows every
nominator pro rata without touching any share.

Shares and the denominator are `SafeFloat`s: a decimal float `mantissa * 10**exponent` whose
mantissa is kept in (1e20, 1e21] (21 significant digits). Every step truncates:
- normalising divides (or multiplies) the mantissa by 10, truncating, until it is in range;
- `add`/`sub` align the smaller operand by integer-dividing its mantissa by 10**diff (the divisor
  is capped at 10**22, which changes nothing since mantissas are <= 1e21); `sub` saturates at 0;
- `mul_div(a, b)` is `floor(m * ma / mb)` with exponents added, then normalised;
- `div` is `floor(m1 * 1e21 / m2)` with exponent `e1 - e2 - 21`, then normalised;
- conversion to u64 truncates and saturates to [0, 2**64 - 1].

The functions are pure: they take a `SharePool` (and a coldkey's share) and return new values.

Known chain behaviour, reproduced on purpose: the denominator keeps 21 digits at the scale of the
largest stake it has held, a share at its own scale. After a large staker fully exits, the shares
left can sum to more than the denominator (by about 1e-21 of the departed stake), so the
nominators' values can sum to more than `TotalHotkeyAlpha`; negligible at realistic sizes, but
unbounded in extreme ones (see `test_unstake_dust_lets_nominator_values_exceed...`).
Source: opentensor/subtensor `primitives/share-pool/src/lib.rs` and
`pallets/subtensor/src/staking/stake_utils.rs` (commit 14bc6f9f).
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.exitcodes import EXIT_REFUSED

__all__ = [
    "EMPTY_POOL",
    "SAFE_FLOAT_MAX",
    "ZERO",
    "InsufficientLiquidity",
    "SafeFloat",
    "SharePool",
    "add_stake",
    "can_update_one",
    "credit_parts",
    "credit_stake",
    "decrease_shared",
    "increase_shared",
    "read_shares",
    "remove_stake",
    "shares_per_update",
    "update_one",
    "value",
]

MAX_U64 = 2**64 - 1
I64_MIN = -(2**63)
I64_MAX = 2**63 - 1

SAFE_FLOAT_MAX = 10**21
"""The largest mantissa; a normalised non-zero mantissa `m` satisfies 1e20 < m <= 1e21."""
SAFE_FLOAT_MAX_EXP = 21
_SAFE_FLOAT_MIN = SAFE_FLOAT_MAX // 10


class InsufficientLiquidity(Exception):
    """A stake so small against the pool that it would buy zero shares (the chain's precision
    guard in `try_increase_stake_for_hotkey_and_coldkey_on_subnet`)."""

    name = "InsufficientLiquidity"
    exit_code = EXIT_REFUSED  # the chain refuses the stake (subtensor's name)

    def __init__(
        self, message: str = "the amount is too small to buy any share of this hotkey's pool"
    ):
        super().__init__(message)


def _cappow10(e: int) -> int:
    """10**e, capped at 10**22 as the chain does (larger divisors would only ever produce 0)."""
    if e > SAFE_FLOAT_MAX_EXP + 1:
        return SAFE_FLOAT_MAX * 10
    return 10**e


@dataclass(frozen=True)
class SafeFloat:
    """`mantissa * 10**exponent`, as stored on chain (`AlphaV2`, `TotalHotkeySharesV2`).

    Construct normalised values with `SafeFloat.new` or `SafeFloat.from_u64`; the plain
    constructor takes the two stored fields as they are (a decoded storage value).
    """

    mantissa: int
    exponent: int

    @staticmethod
    def zero() -> SafeFloat:
        return ZERO

    @staticmethod
    def new(mantissa: int, exponent: int = 0) -> SafeFloat | None:
        """`SafeFloat::new`: None if the mantissa exceeds 1e21 or the exponent leaves i64."""
        if mantissa < 0 or mantissa > SAFE_FLOAT_MAX:
            return None
        return _normalize(mantissa, exponent)

    @staticmethod
    def from_u64(value: int) -> SafeFloat:
        """An integer amount of rao, exactly (every u64 fits in 21 digits)."""
        return _normalize(value, 0) or ZERO

    @staticmethod
    def from_u64f64(bits: int) -> SafeFloat:
        """The legacy `Alpha` / `TotalHotkeyShares` value (U64F64 bits) as the chain reads it:
        integer part exactly, plus `frac / 2**64` computed with the truncating `div`, then `add`."""
        if bits == 0:
            return ZERO
        whole = SafeFloat.from_u64(bits >> 64)
        frac_num = SafeFloat.from_u64(bits & MAX_U64)
        frac = frac_num.div(SafeFloat.from_u64(1 << 64)) or ZERO
        return whole.add(frac) or ZERO

    def is_zero(self) -> bool:
        return self.mantissa == 0

    def add(self, other: SafeFloat) -> SafeFloat | None:
        """Sum, truncating the smaller operand to the larger one's exponent first."""
        if self.is_zero():
            return other
        if other.is_zero():
            return self
        parts = _add_parts((self.mantissa, self.exponent), (other.mantissa, other.exponent))
        return None if parts is None else SafeFloat(*parts)

    def sub(self, other: SafeFloat) -> SafeFloat | None:
        """Difference, aligned like `add`, saturating at zero. None when subtracting a non-zero
        value from zero (the chain then keeps the old value)."""
        if self.is_zero() and other.is_zero():
            return ZERO
        if self.is_zero():
            return None
        if other.is_zero():
            return self
        if self.exponent >= other.exponent:
            m1 = self.mantissa
            m2 = other.mantissa // _cappow10(self.exponent - other.exponent)
            exponent = self.exponent
        else:
            m1 = self.mantissa // _cappow10(other.exponent - self.exponent)
            m2 = other.mantissa
            exponent = other.exponent
        return _normalize(max(m1 - m2, 0), exponent)

    def mul_div(self, a: SafeFloat, b: SafeFloat) -> SafeFloat | None:
        """`self * a / b` with one truncating integer division of the mantissas; None if b is 0."""
        parts = _mul_div_parts((self.mantissa, self.exponent), (a.mantissa, a.exponent),
                               (b.mantissa, b.exponent))
        if parts is None:
            return None
        return ZERO if parts[0] == 0 else SafeFloat(*parts)

    def div(self, other: SafeFloat) -> SafeFloat | None:
        """`self / other` keeping 21 digits: floor(m1 * 1e21 / m2); None if other is 0."""
        exponent = self.exponent - other.exponent - SAFE_FLOAT_MAX_EXP
        if not I64_MIN <= exponent <= I64_MAX or other.mantissa == 0:
            return None
        return _normalize(self.mantissa * SAFE_FLOAT_MAX // other.mantissa, exponent)

    def gt(self, other: SafeFloat) -> bool:
        """`SafeFloat::gt` for normalised operands (compares exponents first, as the chain does;
        zero, with exponent 0, compares above tiny values with very negative exponents)."""
        if self.exponent == other.exponent:
            return self.mantissa > other.mantissa
        if self.exponent > other.exponent:
            if self.exponent - other.exponent > 1:
                return True
            return 10 * self.mantissa > other.mantissa
        if other.exponent - self.exponent > 1:
            return False
        return self.mantissa > 10 * other.mantissa

    def to_u64(self) -> int:
        """Truncate to an integer and saturate into u64 (`From<&SafeFloat> for u64`)."""
        if self.exponent == 0:
            return min(self.mantissa, MAX_U64)
        scale = _cappow10(abs(self.exponent))
        q = self.mantissa * scale if self.exponent > 0 else self.mantissa // scale
        return min(q, MAX_U64)

    def to_fraction(self) -> tuple[int, int]:
        """The exact value as (numerator, denominator), for display and tests."""
        if self.exponent >= 0:
            return self.mantissa * 10**self.exponent, 1
        return self.mantissa, 10 ** (-self.exponent)


ZERO = SafeFloat(0, 0)


_POW10 = [10**k for k in range(64)]  # mantissas stay under 10**43 (products of 21 digits)


def _pow10(k: int) -> int:
    return _POW10[k] if k < 64 else 10**k


def _normalize(mantissa: int, exponent: int) -> SafeFloat | None:
    """Bring a non-negative mantissa into (1e20, 1e21], truncating on the way down (`_norm`)."""
    parts = _norm(mantissa, exponent)
    if parts is None:
        return None
    return ZERO if parts[0] == 0 else SafeFloat(*parts)


def _norm(mantissa: int, exponent: int) -> tuple[int, int] | None:
    """`_normalize` on plain (mantissa, exponent) pairs; (0, 0) for zero, None when the
    exponent leaves i64.

    The chain divides (or multiplies) by 10 one step at a time while the mantissa is above
    1e21, then multiplies while it is at most 1e20. Floor divisions compose, so this jumps to
    21 digits by the digit count and then takes the chain's last step if one is left; a
    property test holds it to the step-by-step loop."""
    if mantissa == 0:
        return 0, 0
    if mantissa > SAFE_FLOAT_MAX or mantissa <= _SAFE_FLOAT_MIN:
        digits = len(str(mantissa))
        if digits > 22:
            mantissa //= _pow10(digits - 22)
            exponent += digits - 22
        while mantissa > SAFE_FLOAT_MAX:  # at most once from 22 digits
            mantissa //= 10
            exponent += 1
        if mantissa <= _SAFE_FLOAT_MIN:
            digits = len(str(mantissa))
            if digits < 21:
                mantissa *= _POW10[21 - digits]
                exponent -= 21 - digits
            if mantissa <= _SAFE_FLOAT_MIN:  # exactly 1e20
                mantissa *= 10
                exponent -= 1
    if not I64_MIN <= exponent <= I64_MAX:
        return None
    return mantissa, exponent


def read_shares(legacy_u64f64: int | None, v2: SafeFloat | None) -> SafeFloat:
    """The share (or denominator) the chain reads: the deprecated U64F64 entry (`Alpha`,
    `TotalHotkeyShares`) wins when present, else the SafeFloat entry (`AlphaV2`,
    `TotalHotkeySharesV2`), else zero. Writes always go to the V2 map and delete the legacy one
    (and a zero value deletes the V2 entry)."""
    if legacy_u64f64 is not None:
        return SafeFloat.from_u64f64(legacy_u64f64)
    return v2 if v2 is not None else ZERO


@dataclass(frozen=True)
class SharePool:
    """One hotkey's pool on one subnet: `shared` = TotalHotkeyAlpha (rao), `denominator` =
    TotalHotkeySharesV2. An empty pool is `SharePool(0, ZERO)`."""

    shared: int
    denominator: SafeFloat = ZERO


EMPTY_POOL = SharePool(0, ZERO)


def value(pool: SharePool, share: SafeFloat) -> int:
    """A coldkey's stake in rao: `u64(shared * share / denominator)`, truncated; 0 when the
    denominator is 0 (`get_value`)."""
    result = SafeFloat.from_u64(pool.shared).mul_div(share, pool.denominator)
    return (result or ZERO).to_u64()


def shares_per_update(pool: SharePool, amount: int) -> SafeFloat:
    """Shares bought (or sold) by `amount` rao: `|amount| * denominator / shared`, or zero when
    the pool holds no value (`get_shares_per_update`)."""
    update = SafeFloat.from_u64(abs(amount))
    return update.mul_div(pool.denominator, SafeFloat.from_u64(pool.shared)) or ZERO


def can_update_one(pool: SharePool, amount: int) -> bool:
    """The chain's precision guard (`sim_update_value_for_one`): an update is refused when the
    pool already has shares and `amount` would buy zero of them."""
    if pool.denominator.mantissa == 0:
        return True
    return not shares_per_update(pool, amount).is_zero()


def update_one(pool: SharePool, share: SafeFloat, amount: int,
               spu: SafeFloat | None = None) -> tuple[SharePool, SafeFloat]:
    """Change one coldkey's stake by `amount` rao (positive buys shares, negative sells them),
    as `update_value_for_one` does. Returns the new pool and the coldkey's new share.

    - Empty denominator: the first key gets everything, `denominator = share = |amount|`.
    - Otherwise `spu = |amount| * denominator / shared`, added to (or subtracted from) both the
      share and the denominator with SafeFloat truncation; a failed SafeFloat step keeps the old
      value, as on chain.
    - Then `shared` moves by `amount`, saturating within u64.
    `amount` is the chain's i64: callers pass stake amounts (always < 2**63). `spu` may be
    passed when the caller already computed `shares_per_update(pool, amount)`.
    """
    if pool.denominator.is_zero():
        first = SafeFloat.from_u64(abs(amount))
        new_denominator, new_share = first, first
    else:
        if spu is None:
            spu = shares_per_update(pool, amount)
        if amount > 0:
            new_denominator = pool.denominator.add(spu) or pool.denominator
            new_share = share.add(spu) or share
        else:
            new_denominator = _or_keep(pool.denominator.sub(spu), pool.denominator)
            new_share = _or_keep(share.sub(spu), share)
    return SharePool(_saturating_u64(pool.shared + amount), new_denominator), new_share


def credit_parts(shared: int, denominator: tuple[int, int], share: tuple[int, int],
                 amount: int) -> tuple[int, tuple[int, int], tuple[int, int]] | None:
    """`update_one` for a credit of `amount` >= 0 rao behind the precision guard
    (`can_update_one`), on the stored (mantissa, exponent) pairs: the new (shared, denominator,
    share), or None when the pool has shares and `amount` would buy none of them.

    The emission payout credits every UID of every epoch, so this skips the SafeFloat objects
    of the generic path; each step truncates exactly as `SafeFloat.add` / `mul_div` do, and a
    property test holds it to `can_update_one` + `update_one`."""
    if denominator[0] == 0:  # the first key gets everything
        first = _norm(amount, 0)
        return _saturating_u64(shared + amount), first, first
    spu = _mul_div_parts(_norm(amount, 0), denominator, _norm(shared, 0))  # shares_per_update
    if spu is None or spu[0] == 0:  # nothing to divide by, or nothing bought
        return None
    new_denominator = _add_parts(denominator, spu) or denominator
    if share == denominator:  # the only holder (a miner's own pool): the same sum
        new_share = new_denominator
    else:
        new_share = (_add_parts(share, spu) or share) if share[0] else spu
    return _saturating_u64(shared + amount), new_denominator, new_share


def _mul_div_parts(x: tuple[int, int], a: tuple[int, int],
                   b: tuple[int, int]) -> tuple[int, int] | None:
    """`SafeFloat.mul_div` on pairs: `x * a / b` with one truncating division of the
    mantissas, then normalised; None if b is 0 or an exponent leaves i64."""
    if b[0] == 0:
        return None
    exponent = x[1] + a[1]
    if not I64_MIN <= exponent <= I64_MAX:
        return None
    exponent -= b[1]
    if not I64_MIN <= exponent <= I64_MAX:
        return None
    return _norm(x[0] * a[0] // b[0], exponent)


def _add_parts(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int] | None:
    """`SafeFloat.add` of two non-zero pairs: the smaller exponent's mantissa is truncated to
    the larger one's, then the sum normalised."""
    if a[1] < b[1]:
        a, b = b, a
    return _norm(a[0] + b[0] // _cappow10(a[1] - b[1]), a[1])


def _or_keep(result: SafeFloat | None, old: SafeFloat) -> SafeFloat:
    return old if result is None else result


def _saturating_u64(n: int) -> int:
    return max(0, min(n, MAX_U64))


def increase_shared(pool: SharePool, amount: int) -> SharePool:
    """Emission to the validator (`increase_stake_for_hotkey_on_subnet`): only the shared value
    grows, so every nominator's value grows pro rata. Saturates at u64::MAX."""
    return SharePool(_saturating_u64(pool.shared + amount), pool.denominator)


def decrease_shared(pool: SharePool, amount: int) -> SharePool:
    """`decrease_stake_for_hotkey_on_subnet`: the shared value falls, saturating at 0."""
    return SharePool(_saturating_u64(pool.shared - amount), pool.denominator)


def add_stake(pool: SharePool, share: SafeFloat, amount: int) -> tuple[SharePool, SafeFloat]:
    """Credit `amount` rao of alpha to one coldkey, refusing it as the chain's `stake_into_subnet`
    does when it would buy no shares (raises `InsufficientLiquidity`)."""
    if amount < 0:
        raise ValueError("add_stake takes a non-negative amount")
    if not can_update_one(pool, amount):
        raise InsufficientLiquidity()
    return update_one(pool, share, amount)


def credit_stake(pool: SharePool, share: SafeFloat, amount: int) -> tuple[SharePool, SafeFloat]:
    """Credit without the precision guard, as emission payouts do
    (`increase_stake_for_hotkey_and_coldkey_on_subnet`: owner cut, incentive, validator take)."""
    if amount < 0:
        raise ValueError("credit_stake takes a non-negative amount")
    return update_one(pool, share, amount)


def remove_stake(pool: SharePool, share: SafeFloat, amount: int) -> tuple[SharePool, SafeFloat]:
    """Debit `amount` rao from one coldkey, only if its value is at least `amount`; otherwise
    nothing changes (`decrease_stake_for_hotkey_and_coldkey_on_subnet`). A coldkey with no share
    entry has value 0, so only a zero debit passes, and that changes nothing."""
    if amount < 0:
        raise ValueError("remove_stake takes a non-negative amount")
    if value(pool, share) < amount:
        return pool, share
    return update_one(pool, share, -amount)

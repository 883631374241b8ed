"""The emission gate as the chain computes it (ECONOMICS-2026 §3.3, §0.0 item 6, Appendix B):
hand-worked values of substrate-fixed's I32F32 `ln`/`exp`, the gate at, above and below the
bar, the bar's two modes, and the shares' properties."""

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local import emission_gate as eg
from chain.local.coinbase_math import GateParams, gated_shares

ONE64 = 1 << 64
ONE32 = 1 << 32


# --- substrate-fixed ln / exp, worked by hand ----------------------------------------------------
def test_log2_of_powers_of_two_is_exact():
    assert eg.log2_i32f32(ONE32) == 0
    assert eg.log2_i32f32(2 * ONE32) == ONE32  # one halving, then x == 1: the integer alone
    assert eg.log2_i32f32(8 * ONE32) == 3 * ONE32
    assert eg.log2_i32f32(ONE32 // 2) == -ONE32  # below 1: -log2(1/x)


def test_ln_divides_by_the_23_bit_log2_e():
    # ln 2 = 1.0 / (12102203 / 2^23), the quotient truncated in I32F32
    assert eg.ln_i32f32(2 * ONE32) == (ONE32 << 32) // (12_102_203 << 9)
    assert eg.ln_i32f32(ONE32) == 0
    assert eg.ln_i32f32(ONE32 // 2) == -((ONE32 << 32) // (12_102_203 << 9))


def test_exp_special_cases_and_series():
    assert eg.exp_i32f32(0) == ONE32
    assert eg.exp_i32f32(ONE32) == 22_802_600 << 9  # the I9F23 constant e, not the series
    # exp(2^-32): 1 + x, every later term floors to 0
    assert eg.exp_i32f32(1) == ONE32 + 1
    # exp(-x) is the truncated reciprocal of exp(x)
    assert eg.exp_i32f32(-2 * ONE32) == (ONE32 << 32) // eg.exp_i32f32(2 * ONE32)


def test_exp_overflow_and_ln_of_zero_are_errors():
    import pytest

    with pytest.raises(eg.FixedError):
        eg.exp_i32f32(30 * ONE32)  # e^30 > 2^31
    with pytest.raises(eg.FixedError):
        eg.ln_i32f32(0)


@settings(max_examples=300, deadline=None)
@given(value=st.floats(min_value=1e-6, max_value=2e9))
def test_ln_is_close_to_the_real_logarithm(value):
    """23 bits of log2(e) limit ln to about 1.3e-8 relative (plus 2^-32 absolute)."""
    x = int(value * ONE32)
    if x < 3:
        return
    got = eg.ln_i32f32(x) / ONE32
    want = math.log(x / ONE32)
    assert abs(got - want) <= 2e-8 * abs(want) + 2e-9


@settings(max_examples=300, deadline=None)
@given(value=st.floats(min_value=-20, max_value=9))
def test_exp_is_close_to_the_real_exponential(value):
    x = int(value * ONE32)
    if x == ONE32:  # exp(1) is the 23-bit constant e (test_exp_special_cases_and_series)
        return
    want = math.exp(x / ONE32)
    got = eg.exp_i32f32(x) / ONE32
    assert abs(got - want) <= 1e-8 * want + 4e-9 * max(1.0, 1 / want) * want + 2 ** -31


# --- the gate (Appendix B) ----------------------------------------------------------------------
def test_gate_is_exactly_one_half_at_the_bar():
    for bar in (1, ONE64 // 32, ONE64 // 7, ONE64 - 1):
        assert eg.gate(bar, bar) == ONE64 // 2


def test_gate_at_half_and_twice_the_bar_is_one_ninth_and_eight_ninths():
    bar = ONE64 // 32
    below, above = eg.gate(bar // 2, bar), eg.gate(bar * 2, bar)
    assert abs(Fraction(below, ONE64) - Fraction(1, 9)) < Fraction(1, 10**8)
    assert abs(Fraction(above, ONE64) - Fraction(8, 9)) < Fraction(1, 10**8)
    # hand-worked: (2)^3 = exp(3 * ln 2) in I32F32, then 1 / (1 + that) in U64F64
    ln2 = (ONE32 << 32) // (12_102_203 << 9)
    cube = eg.exp_i32f32(3 * ln2) << 32
    assert below == (ONE64 << 64) // (ONE64 + cube)


def test_gate_far_below_the_bar_is_exactly_two_to_the_minus_31():
    """(theta/s)^3 overflows exp, which then reads as 2^31 - 1: 1 / (1 + 2^31 - 1) = 2^-31."""
    bar = ONE64 // 4
    assert eg.gate(bar // 10**4, bar) == ONE64 >> 31


def test_gate_far_above_the_bar_is_exactly_one():
    """theta/s under 2^-32 becomes 0 in I32F32, ln fails, safe_pow gives 0: gate 1."""
    assert eg.gate(ONE64 // 2, ONE64 >> 40) == ONE64


def test_tiny_ratio_where_the_chain_would_panic_is_gate_one():
    # theta/s of 2 bits of I32F32: the chain's reciprocal overflows; taoctl: gate 1
    share = ONE64 // 2
    bar = (2 << 32) * share >> 64  # ratio 2^-31
    assert eg.gate(share, bar) == ONE64


# --- the bar --------------------------------------------------------------------------------------
def test_bar_by_rank_is_the_nth_largest_positive_share():
    shares = [5, 0, 9, 7, 3, 0]
    assert eg.gate_bar(shares, rank=2) == 7
    assert eg.gate_bar(shares, rank=4) == 3
    assert eg.gate_bar(shares, rank=10) == 3  # fewer positive: the smallest positive
    assert eg.gate_bar([0, 0], rank=3) == 0


def test_bar_by_quantile_when_the_rank_is_zero():
    q = eg.DEFAULT_BAR_QUANTILE  # 0.61
    shares = [ONE64 * 40 // 100, ONE64 * 30 // 100, ONE64 * 20 // 100, ONE64 * 10 // 100]
    assert eg.gate_bar(shares, rank=0, quantile=q) == ONE64 * 30 // 100  # 0.4 + 0.3 >= 0.61
    assert eg.gate_bar(shares, rank=0, quantile=ONE64 // 2) == ONE64 * 30 // 100
    assert eg.gate_bar(shares, rank=0, quantile=ONE64 * 2) == ONE64 * 10 // 100  # never reached


def test_quantile_default_is_the_f64_061():
    from amm.fixed import U64F64, f64_literal

    assert eg.DEFAULT_BAR_QUANTILE == f64_literal("0.61", U64F64) == 11_252_513_884_962_826_240


def test_bar_is_recomputed_every_360_blocks_or_when_unset():
    shares = {1: ONE64 // 2, 2: ONE64 // 4, 3: ONE64 // 4}
    stale = GateParams(bar=ONE64 // 8, rank=1)
    _, bar = gated_shares(shares, 361, stale)
    assert bar == ONE64 // 8  # frozen between updates
    _, bar = gated_shares(shares, 720, stale)
    assert bar == ONE64 // 2
    _, bar = gated_shares(shares, 361, GateParams(bar=0, rank=2))
    assert bar == ONE64 // 4


# --- properties of the gated shares ---------------------------------------------------------------
share_lists = st.lists(st.one_of(st.just(0), st.integers(1, ONE64)), min_size=1, max_size=40)


def _normalised(raw):
    total = sum(raw)
    if total == 0:
        return raw
    return [(r << 64) // total for r in raw]


@settings(max_examples=300, deadline=None)
@given(raw=share_lists, rank=st.integers(0, 40), block=st.integers(0, 10**6))
def test_gated_shares_sum_to_one_or_zero(raw, rank, block):
    shares = _normalised(raw)
    out, _ = gated_shares(dict(enumerate(shares, 1)), block, GateParams(rank=rank))
    total = sum(out.values())
    if sum(shares) == 0:
        assert total == 0
    else:  # each quotient truncates: at most one unit of 2^-64 lost per subnet
        assert ONE64 - len(shares) <= total <= ONE64


@settings(max_examples=300, deadline=None)
@given(raw=share_lists, rank=st.integers(0, 40))
def test_a_gated_share_exceeds_its_raw_share_only_by_the_renormalisation(raw, rank):
    """gated_i = s_i g_i / sum_j s_j g_j <= s_i / sum_j s_j g_j: a subnet gains only by the
    renormalisation (the total the gate removed), never by its own gate (g <= 1)."""
    shares = _normalised(raw)
    if sum(shares) == 0:
        return
    bar = eg.gate_bar(shares, rank)
    out = eg.apply_gate(shares, bar)
    gated_total = sum(min((s * eg.gate(s, bar)) >> 64, 2**128 - 1) if s else 0 for s in shares)
    if gated_total == 0:
        assert out == shares
        return
    for s, g in zip(shares, out, strict=True):
        assert g <= (s << 64) // gated_total + 1
        if s == 0:
            assert g == 0


@settings(max_examples=200, deadline=None)
@given(raw=st.lists(st.integers(1, ONE64), min_size=33, max_size=128))
def test_subnets_below_the_bar_get_a_small_fraction_of_their_share(raw):
    """With rank 32: a subnet at half the bar keeps at most ~1/9 of its pre-gate weight
    relative to one at the bar (gate 1/9 vs 1/2), as the formula says."""
    shares = _normalised(raw)
    bar = eg.gate_bar(shares, 32)
    above = sum(1 for s in shares if s >= bar)
    assert above >= 32 or above == len([s for s in shares if s > 0])
    for s in shares:
        g = eg.gate(s, bar)
        if 0 < s and s * 2 <= bar:
            assert g <= ONE64 // 9 + ONE64 // 10**7
        if bar <= s <= 500 * bar:
            assert g >= ONE64 // 2


def test_a_share_a_thousand_times_the_bar_overflows_exp_as_on_chain():
    """exp(-x) is 1/exp(x), and exp(x) overflows I32F32 (checked_mul) for x above about 20.8:
    theta/s under about 1/1000 makes 3 ln(theta/s) < -20.8, safe_pow then reads 2^31 - 1 and
    the gate is 2^-31, as for a share far BELOW the bar. This follows the code as read
    (subnet_emissions.rs @f8ff769a, substrate-fixed transcendental.rs); ECONOMICS-2026 says
    "gate 1" for such shares, which holds only once theta/s < 2^-32."""
    bar = ONE64 >> 12
    assert eg.gate(bar * 500, bar) > ONE64 * 99 // 100
    assert eg.gate(bar * 2000, bar) == ONE64 >> 31


# --- speed2: the fast forms beside the reference -------------------------------------------------
_I64 = st.integers(-(2**63), 2**63 - 1)
_EXP_INPUTS = st.one_of(
    _I64,
    st.integers(-40 * ONE32, 40 * ONE32),  # where the series runs long and overflow begins
    st.integers(-(16 * ONE32) - 4, -(16 * ONE32) + 4),  # the unchecked form's bound
    st.integers(16 * ONE32 - 4, 16 * ONE32 + 4),
    st.sampled_from([0, 1, -1, ONE32, -ONE32, ONE32 - 1, ONE32 + 1]))


def _exp_or_none(x):
    try:
        return eg.exp_i32f32(x)
    except eg.FixedError:
        return None


@settings(max_examples=3000, deadline=None)
@given(x=_EXP_INPUTS)
def test_fast_exp_is_the_reference_exp(x):
    """`fast_exp` is `exp_i32f32` (None where it raises) over all of I32F32."""
    assert eg.fast_exp(x) == _exp_or_none(x)


_SHARES = st.integers(0, ONE64)  # U64F64 shares: 0 .. 1.0


@st.composite
def _share_and_bar(draw):
    """A share and a bar: anywhere in U64F64 (and beyond), or near each other (the ratios the
    coinbase meets: 2^-40 .. 2^40, and the ln and exp edges around them)."""
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return draw(st.integers(0, 2**128 - 1)), draw(st.integers(0, 2**128 - 1))
    share = draw(st.integers(1, ONE64))
    if kind == 1:
        scale = draw(st.integers(-40, 40))
        bar = share << scale if scale >= 0 else share >> -scale
        return share, max(0, bar + draw(st.integers(-(2**40), 2**40)))
    return share, draw(_SHARES)


_EXPONENTS = st.one_of(st.just(eg.DEFAULT_GATE_EXPONENT), st.integers(0, 8 << 64),
                       st.integers(0, 2**128 - 1))


@settings(max_examples=3000, deadline=None)
@given(pair=_share_and_bar(), exponent=_EXPONENTS)
def test_fast_gate_is_the_reference_gate(pair, exponent):
    """`fast_gate` restates `gate` (the ratio, `safe_pow` through `ln`/`exp`, the quotient)
    bit for bit, saturations and errors included."""
    share, bar = pair
    assert eg.fast_gate(share, bar, exponent) == eg.gate.__wrapped__(share, bar, exponent)


@settings(max_examples=300, deadline=None)
@given(shares=st.lists(_SHARES, min_size=1, max_size=40), bar=_SHARES, exponent=_EXPONENTS)
def test_apply_gate_is_its_definition_with_the_reference_gate(shares, bar, exponent):
    """`apply_gate` (with `fast_gate`) equals its definition written with `gate`."""
    if bar <= 0:
        want = list(shares)
    else:
        gated = [min((s * eg.gate.__wrapped__(s, bar, exponent)) >> 64, 2**128 - 1) if s > 0
                 else s for s in shares]
        total = min(sum(gated), 2**128 - 1)
        want = list(shares) if total == 0 else [eg._safe_div(s, total) for s in gated]
    assert eg.apply_gate(shares, bar, exponent) == want


@settings(max_examples=300, deadline=None)
@given(mantissas=st.lists(st.one_of(st.integers(ONE32, 2 * ONE32 - 1),
                                    st.sampled_from([ONE32, ONE32 + 1, 2 * ONE32 - 1])),
                          max_size=70))
def test_log2_fractions_are_the_reference_squarings(mantissas):
    """numpy's side-by-side squarings give `_log2_at_least_one`'s 32 bits for each mantissa."""
    assert eg.log2_fractions(mantissas) == [eg._log2_at_least_one(m) for m in mantissas]


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(_share_and_bar(), min_size=eg.VECTOR_MIN, max_size=eg.VECTOR_MIN + 90),
       bar=st.one_of(st.none(), _SHARES), exponent=_EXPONENTS)
def test_fast_gates_of_many_shares_are_the_reference_gates(pairs, bar, exponent):
    """`fast_gates` over `VECTOR_MIN` shares or more (the numpy log2) is `gate` of each, one
    bar for all (drawn, or the first pair's)."""
    bar = pairs[0][1] if bar is None else bar
    shares = [share for share, _ in pairs]
    assert eg.fast_gates(shares, bar, exponent) == \
        [eg.gate.__wrapped__(s, bar, exponent) for s in shares]


def _halvings_one_by_one(x: int) -> tuple[int, int]:
    """The reference: `_log2_at_least_one`'s loop of rounding halvings."""
    count = 0
    while x >= eg._TWO:
        count += 1
        x = (x >> 1) + (x & 1)
    return count, x


@settings(max_examples=3000, deadline=None)
@given(x=st.one_of(st.integers(1, 2**64),
                   st.integers(0, 62).flatmap(  # each halving's edges: 2^33 * 2^k and below
                       lambda k: st.integers(-3, 3).map(lambda d: max(1, (2**33 << k) + d)))))
def test_halvings_below_two_are_the_halvings_one_by_one(x):
    """`halvings_below_two` (closed form) is the loop it replaces, at every power-of-two edge."""
    assert eg.halvings_below_two(x) == _halvings_one_by_one(x)


def test_halvings_below_two_at_the_edges():
    """ceil rounding decides the count exactly at 2^34 - 1 (two halvings, not one)."""
    assert eg.halvings_below_two(2**34 - 2) == (1, 2**33 - 1)
    assert eg.halvings_below_two(2**34 - 1) == (2, 2**32)
    assert eg.halvings_below_two(2**33 - 1) == (0, 2**33 - 1)


@settings(max_examples=300, deadline=None)
@given(xs=st.lists(st.one_of(st.integers(0, 16 * ONE32),
                             st.sampled_from([0, 1, ONE32 - 1, ONE32 + 1, 16 * ONE32])),
                   max_size=140))
def test_exp_series_many_is_the_reference_series(xs):
    """numpy's side-by-side series is `exp_i32f32` for every x in 0 .. 16.0 but 1.0 (where the
    reference returns the constant `E`), and 1 / series for -x."""
    got = eg.exp_series_many(xs)
    assert [g for g, x in zip(got, xs) if x != ONE32] == \
        [eg.exp_i32f32(x) for x in xs if x != ONE32]
    assert [(ONE32 << 32) // g for g in got] == [eg.exp_i32f32(-x) for x in xs]


@settings(max_examples=200, deadline=None)
@given(pairs=st.lists(_share_and_bar(), min_size=eg.VECTOR_MIN, max_size=eg.VECTOR_MIN + 90),
       bar=st.one_of(st.none(), _SHARES), power=st.integers(0, eg._VECTOR_MAX_POWER + 2))
def test_fast_gates_with_whole_exponents_are_the_reference_gates(pairs, bar, power):
    """The vectorised path (a whole exponent: ln, power and exp in numpy) is `gate` of each."""
    bar = pairs[0][1] if bar is None else bar
    shares = [share for share, _ in pairs]
    assert eg.fast_gates(shares, bar, power << 64) == \
        [eg.gate.__wrapped__(s, bar, power << 64) for s in shares]


def test_fast_gates_meet_exp_of_exactly_one():
    """A ratio whose ln is exactly 1.0 (x = 11,674,931,399 bits, about e): with exponent 1
    the power is `exp(1.0)`, which the reference answers with the constant `E`, not the
    series; the vectorised path does the same (and 1 / series for the inverse ratio)."""
    x = 11_674_931_399
    assert eg.ln_i32f32(x) == ONE32
    bar = x << 32  # bar / 1.0 is x in I32F32
    shares = [ONE64] * eg.VECTOR_MIN
    assert eg.fast_gates(shares, bar, 1 << 64) == [eg.gate.__wrapped__(ONE64, bar, 1 << 64)] \
        * eg.VECTOR_MIN
    assert eg.fast_gates([bar] * eg.VECTOR_MIN, ONE64, 1 << 64) == \
        [eg.gate.__wrapped__(bar, ONE64, 1 << 64)] * eg.VECTOR_MIN

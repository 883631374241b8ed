"""pow_ratio_scaled: the exact path and the series path give the chain's integers."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amm.bigmath import iroot, pow_ratio_scaled

SCALE = 10**18


def test_perquintill_power_vector_of_balancer_rs():
    """ECONOMICS.md §7.12 / balancer.rs::test_perquintill_power: (0.75)^1.5 on the 1e-18 grid."""
    x, delta = 21_000_000_000_000_000, 7_000_000_000_000_000
    w1, w2 = 600_000_000_000_000_000, 400_000_000_000_000_000
    assert pow_ratio_scaled(x, x + delta, w1, w2, 4096, SCALE) == 649_519_052_838_328_985


def test_crate_doc_example():
    """safe-bigmath's own doc example: (2/3)^(1/2) * 1000 floors to 816."""
    assert pow_ratio_scaled(2, 3, 1, 2, 0, 1000) == 816


def test_degenerate_arguments_follow_the_crate():
    assert pow_ratio_scaled(1, 0, 1, 2, 256, SCALE) is None
    assert pow_ratio_scaled(1, 2, 1, 0, 256, SCALE) is None
    assert pow_ratio_scaled(0, 2, 1, 3, 256, SCALE) == 0
    assert pow_ratio_scaled(5, 7, 0, 3, 256, SCALE) == SCALE
    assert pow_ratio_scaled(5, 7, 1, 3, 256, -1) is None


@given(st.integers(0, 2**200), st.integers(1, 7))
def test_iroot_is_the_floor_root(n, q):
    r = iroot(n, q)
    assert r**q <= n < (r + 1) ** q


def _reference(num: int, den: int, p: int, q: int, scale: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 120
        return (Decimal(num) / Decimal(den)) ** (Decimal(p) / Decimal(q)) * scale


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 2**64 - 1),
    st.integers(1, 2**64 - 1),
    st.integers(10**16, 99 * 10**16),
)
def test_series_path_is_the_floor_of_the_true_power(a, b, w2):
    """Weights that do not reduce to small fractions take the ln/exp series: its result is the
    exact floor except when the true value is within ~1e-40 of an integer (never hit here)."""
    w1 = 10**18 - w2
    num, den = min(a, b), max(a, b)
    got = pow_ratio_scaled(num, den, w2, w1, 256, SCALE)
    ref = _reference(num, den, w2, w1, SCALE)
    frac = ref - int(ref)
    if Decimal("1e-40") < frac < 1 - Decimal("1e-40"):
        assert got == int(ref)


@pytest.mark.parametrize(
    "num, den, p, q",
    [
        (10**11, 10**11 + 999_496_453, 499_999_999_999, 500_000_000_001),
        (400 * 10**9, 403 * 10**9, 500_000_000_500_000_000, 499_999_999_500_000_000),
        (3, 2**64 - 1, 123_456_789_012_345_678, 876_543_210_987_654_322),
    ],
)
def test_series_path_examples(num, den, p, q):
    got = pow_ratio_scaled(num, den, p, q, 256, SCALE)
    assert got == int(_reference(num, den, p, q, SCALE))


def test_exact_path_used_for_small_exponent_ratios():
    # 3/4 reduces to small terms: the exact root, not an approximation.
    got = pow_ratio_scaled(1, 16, 3, 4, 0, 10**6)
    assert got == 125_000  # (1/16)^(3/4) = 1/8 exactly


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 2**64 - 1),
    st.integers(1, 2**64 - 1),
    st.integers(-(10**12), 10**12),
    st.sampled_from([1, 10**3, 10**6]),
)
def test_near_one_shortcut_equals_the_series(a, b, offset, spread):
    """Drifted weights (w2 = 1/2 + tiny) use a shortcut; it must give the series' exact bits."""
    import math

    from amm.bigmath import _near_one_exponent, _series_pow_ratio

    w2 = 5 * 10**17 + offset * spread // 10**3
    w1 = 10**18 - w2
    g = math.gcd(w2, w1)
    p, q = w2 // g, w1 // g
    if p <= 1024 and q <= 1024:
        return
    fast = _near_one_exponent(a, b, p, q, SCALE)
    if fast is not None:
        assert fast == _series_pow_ratio.__wrapped__(a, b, p, q, 256, SCALE)

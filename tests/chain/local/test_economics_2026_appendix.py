"""ECONOMICS-2026 Appendix B's figures that no other test held (the others: test_fees.py and
test_emission_gate.py): the spec-467 fee's three terms, and the acceptance
target for a float port of §3.3 (a third-party reproduction agreed with finney to 4.3e-8)
held against the bit-exact split, with the one place the two must part: a share more than
about 1,300 times the bar, where the chain's I32F32 `exp` overflows (§3.3 `safe_pow`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local.coinbase_math import GateParams, block_tao_emissions
from chain.rules import fees

REPRODUCTION = 4.3e-8
"""JSONbored/metagraphed #8740: the §3.3 pipeline reproduced live emissions to 4.3e-8."""


def test_the_spec_467_example_term_by_term():
    """§9.4: 27,039.25 -> 27,039; 56,012.75 -> 56,013; 0.5 x 144 = 72; total 83,124."""
    base = fees.perbill_mul(250_000, fees.BASE_EXTRINSIC_REF_TIME)
    weight = fees.perbill_mul(250_000, 224_051_000)
    length = fees.perbill_mul(500_000_000, 144)
    assert (base, weight, length) == (27_039, 56_013, 72)
    assert base + weight + length == 83_124
    # and spec 461's: 54,078.5 and 112,025.5 both round down (ties down), plus 144 bytes
    assert fees.perbill_mul(500_000, fees.BASE_EXTRINSIC_REF_TIME) == 54_078
    assert fees.perbill_mul(500_000, 224_051_000) == 112_025


def float_split(prices: list[float], burned: list[float], emission: float):
    """§3.3 in float64: price shares, miner-burn weighting, the rank-32 bar, the Hill gate
    with h = 3, renormalisation (every subnet enabled)."""
    total = sum(prices)
    p = [x / total for x in prices]
    w = [a * (1 - min(b, 1.0)) for a, b in zip(p, burned, strict=True)]
    s = [x / sum(w) for x in w] if sum(w) > 0 else p
    positive = sorted((x for x in s if x > 0), reverse=True)
    bar = positive[31] if len(positive) >= 32 else positive[-1]
    gated = [x / (1 + (bar / x) ** 3) if x > 0 else 0.0 for x in s]
    return [emission * g / sum(gated) for g in gated], s, bar


@settings(max_examples=60, deadline=None)
@given(n=st.integers(33, 128), base=st.integers(2**20, 2**36), data=st.data(),
       emission=st.sampled_from([10**9, 5 * 10**8, 25 * 10**7]))
def test_a_float_port_agrees_with_the_bit_exact_split_to_the_reproduction_target(
        n, base, data, emission):
    """Prices within a factor of 1,500 (no share reaches the exp overflow): every subnet at or
    above half the bar (gate >= 1/9) gets its float share within 4.3e-8 relative, and the
    whole split differs by less than 4.3e-8 of the block emission."""
    mult = data.draw(st.lists(st.integers(1, 500), min_size=n, max_size=n))
    div = data.draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    burn_bits = data.draw(st.lists(st.sampled_from([0, 0, 0, 1 << 31, 1 << 30]), min_size=n,
                                   max_size=n))  # MinerBurned (U96F32 bits): 0, 1/2, 1/4
    prices = [base * m // d for m, d in zip(mult, div, strict=True)]  # I96F32 bits
    got, _, _ = block_tao_emissions(prices, burn_bits, [True] * n, emission, 0, GateParams())
    floats, shares, bar = float_split([p / 2**32 for p in prices],
                                      [b / 2**32 for b in burn_bits], emission)
    exact = [g / 2**32 for g in got]
    assert sum(abs(e - f) for e, f in zip(exact, floats, strict=True)) <= REPRODUCTION * emission
    for e, f, s in zip(exact, floats, shares, strict=True):
        if s >= bar / 2:
            assert abs(e - f) <= REPRODUCTION * f, (e, f, s, bar)


def test_a_share_far_above_the_bar_is_where_chain_and_float_part():
    """One subnet 2,000 times the bar: (bar/s)^3 = 1.25e-10, exp(3 ln x) needs 1/exp(21.5..)
    and I32F32's `exp` overflows, so the chain gates that subnet to ~2^-31 of its share while
    a float port gives it ~all of it (§3.3: on overflow `safe_pow` uses i32::MAX)."""
    n = 40
    prices = [2**32] * (n - 1) + [2**32 * 2_000 * 8]  # the last subnet: ~16,000x the others
    got, _, bar = block_tao_emissions(prices, [0] * n, [True] * n, 10**9, 0, GateParams())
    floats, shares, _ = float_split([p / 2**32 for p in prices], [0.0] * n, 10**9)
    assert shares[-1] / (bar / 2**64) > 1_300
    assert floats[-1] > 0.99 * 10**9
    # its gated share 2^-31 x ~1 against the others' 39 x s/2: a few hundred rao of a TAO
    assert got[-1] / 2**32 < 1_000

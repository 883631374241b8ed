"""chain.yuma helpers against subtensor's math.rs tests and a port of its quickselect."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.yuma import (
    ONE_BITS,
    YumaInputError,
    YumaParams,
    alpha_sigmoid,
    epoch_emission_split,
    is_topk_nonzero,
    mat_ema_alpha,
    quantise_u16,
    u16_to_float,
    weighted_median_col,
    yuma_epoch,
)

# ------------------------------------------------------------------------------------------------
# Weighted median
# ------------------------------------------------------------------------------------------------


def quickselect_median(stake: list[int], score: list[int], minority: int) -> int:
    """math.rs::weighted_median on I32F32 bits: mid-pivot partitioning over [lo, hi] of stake."""
    part = list(range(len(stake)))
    lo, hi = 0, sum(stake)
    while True:
        if not part:
            return 0
        if len(part) == 1:
            return score[part[0]]
        pivot = score[part[len(part) // 2]]
        lower = [i for i in part if score[i] < pivot]
        upper = [i for i in part if score[i] > pivot]
        lo_stake = sum(stake[i] for i in lower)
        hi_stake = sum(stake[i] for i in upper)
        if minority < lo + lo_stake and lower:
            part, hi = lower, lo + lo_stake
        elif hi - hi_stake <= minority and upper:
            part, lo = upper, hi - hi_stake
        else:
            return pivot


def chain_weighted_median_col(stake: list[int], score: list[list[int]], majority: int) -> list[int]:
    """math.rs::weighted_median_col on bits: positive-stake rows, renormalised, then quickselect."""
    rows = [i for i, s in enumerate(stake) if s > 0]
    n_cols = len(score[0]) if score else 0
    if not rows:
        return [0] * n_cols
    total = sum(stake[i] for i in rows)
    use = [(stake[i] << 32) // total for i in rows]
    minority = sum(use) - majority
    return [quickselect_median(use, [score[i][j] for i in rows], minority) for j in range(n_cols)]


def test_weighted_median_col_math_rs_cases():
    stake = np.array([0.0, 0.75, 0.25, 0.0])
    w = np.array([[0, 0.1, 0], [0, 0.2, 0.4], [0, 0.3, 0.1], [0, 0.4, 0.5]])
    assert weighted_median_col(stake, w, 0.24).tolist() == [0, 0.3, 0.4]
    assert weighted_median_col(stake, w, 0.26).tolist() == [0, 0.2, 0.4]
    assert weighted_median_col(stake, w, 0.76).tolist() == [0, 0.2, 0.1]

    stake = np.array([0.0, 0.3, 0.2, 0.5])
    w = np.array([[0, 0.1, 0], [0, 0.2, 0.4], [0, 0.3, 0.1], [0, 0, 0.5]])
    assert weighted_median_col(stake, w, 0.51).tolist() == [0, 0, 0.4]


def test_weighted_median_col_empty_and_zero_stake():
    assert weighted_median_col(np.zeros(0), np.zeros((0, 0)), 0.5).tolist() == []
    assert weighted_median_col(np.zeros(2), np.zeros((2, 2)), 0.5).tolist() == [0, 0]
    # stake but no score column entries above zero
    assert weighted_median_col(np.array([0.0, 0.0]), np.array([[1.0], [1.0]]), 0.5).tolist() == [0]


@pytest.mark.parametrize(
    ("stake", "score", "expected"),
    [
        ([0.51], [1.0], 1.0),
        ([0.49, 0.51], [0.5, 1.0], 1.0),
        ([0.51, 0.49], [0.5, 1.0], 0.5),
        ([0.49, 0.0, 0.51], [0.5, 0.7, 1.0], 1.0),
        ([0.49, 0.01, 0.5], [0.5, 0.7, 1.0], 0.7),
        ([0.49, 0.51, 0.0], [0.5, 0.7, 1.0], 0.7),
        ([0.0, 0.49, 0.51], [0.5, 0.7, 1.0], 1.0),
        ([0.0, 0.49, 0.0, 0.51], [0.5, 0.5, 1.0, 1.0], 1.0),
        ([0.0, 0.49, 0.0, 0.51, 0.0], [0.5, 0.5, 1.0, 1.0, 0.5], 1.0),
        ([0.2] * 5, [0.8, 0.2, 1.0, 0.6, 0.4], 0.6),
        ([0.1] * 10, [0.8, 0.8, 0.2, 0.2, 1.0, 1.0, 0.6, 0.6, 0.4, 0.4], 0.6),
    ],
)
def test_weighted_median_math_rs_single_column_cases(stake, score, expected):
    got = weighted_median_col(np.array(stake), np.array(score)[:, None], 0.51)
    assert got.tolist() == [expected]


def test_weighted_median_majority_extremes():
    stake = np.full(4, 0.25)
    score = np.array([[0.1], [0.2], [0.3], [0.4]])
    assert weighted_median_col(stake, score, 0.0).tolist() == [0.4]  # minority = everything
    assert weighted_median_col(stake, score, 1.0).tolist() == [0.1]
    assert weighted_median_col(stake, score, 1.5).tolist() == [0.1]  # negative minority


@settings(max_examples=300, deadline=None)
@given(
    rows=st.integers(1, 9),
    cols=st.integers(1, 5),
    data=st.data(),
)
def test_weighted_median_equals_chain_quickselect(rows, cols, data):
    """Random stakes (with zeros and equal values) and grid scores with many ties."""
    stake_bits = data.draw(
        st.lists(
            st.sampled_from([0, 1, 7, 2**20, 2**30, 2**31, 3 * 2**30]), min_size=rows, max_size=rows
        )
    )
    score_bits = [
        data.draw(
            st.lists(
                st.sampled_from([0, 2**29, 2**30, 2**31, ONE_BITS - 1, ONE_BITS]),
                min_size=cols,
                max_size=cols,
            )
        )
        for _ in range(rows)
    ]
    majority = data.draw(
        st.sampled_from(
            [0, 1, 2**31 - 1, 2**31, 2**31 + 1, 2147450879, 3 * 2**30, ONE_BITS, ONE_BITS + 5]
        )
    )
    stake_total = sum(stake_bits)
    # feed normalised floats that sit exactly on the grid, like the chain's normalised stake
    normalised = [(s << 32) // stake_total if stake_total else 0 for s in stake_bits]
    expected = chain_weighted_median_col(normalised, score_bits, majority)
    got = weighted_median_col(
        np.array(normalised) / ONE_BITS, np.array(score_bits) / ONE_BITS, majority / ONE_BITS
    )
    assert (got * ONE_BITS).astype(np.int64).tolist() == expected


def test_weighted_median_rejects_bad_shapes_and_values():
    with pytest.raises(YumaInputError):
        weighted_median_col(np.ones(3), np.ones((2, 2)), 0.5)
    with pytest.raises(YumaInputError):
        weighted_median_col(np.ones(2), np.array([[0.1], [np.nan]]), 0.5)
    with pytest.raises(YumaInputError):
        weighted_median_col(np.array([1.0, -1.0]), np.ones((2, 1)), 0.5)
    with pytest.raises(YumaInputError):
        weighted_median_col(np.ones(2), np.ones((2, 1)), float("nan"))
    with pytest.raises(YumaInputError):
        weighted_median_col(np.ones(2), np.ones((2, 1)), 1e12)


# ------------------------------------------------------------------------------------------------
# Permits, EMA, liquid alpha, u16
# ------------------------------------------------------------------------------------------------


def test_is_topk_nonzero_math_rs_cases():
    v = np.arange(10, dtype=np.int64)
    assert is_topk_nonzero(v, 0).tolist() == [False] * 10
    assert is_topk_nonzero(v, 5).tolist() == [False] * 5 + [True] * 5
    assert is_topk_nonzero(v, 10).tolist() == [False] + [True] * 9  # zero never has a permit
    assert is_topk_nonzero(v, 100).tolist() == [False] + [True] * 9
    assert is_topk_nonzero(v[::-1].copy(), 5).tolist() == [True] * 5 + [False] * 5
    assert is_topk_nonzero(np.zeros(0, dtype=np.int64), 3).tolist() == []


def test_is_topk_nonzero_ties_drop_the_lower_uid_first():
    assert is_topk_nonzero(np.array([5, 5, 5, 5]), 2).tolist() == [False, False, True, True]
    assert is_topk_nonzero(np.array([3, 5, 5, 1]), 2).tolist() == [False, True, True, False]
    # floats that only differ below the I32F32 grid are ties on chain
    tiny = 2.0**-40
    stake = np.array([0.25 + tiny, 0.25, 0.5 - tiny])
    assert is_topk_nonzero(stake, 2).tolist() == [False, True, True]


def test_mat_ema_alpha_math_rs_cases():
    got = mat_ema_alpha(
        np.array([[1, 2, 3], [4, 5, 6.0]]), np.array([[0.5, 1.5, 2.5], [3.5, 4.5, 5.5]]), 0.5
    )
    assert got.tolist() == [[0.75, 1, 1], [1, 1, 1]]
    got = mat_ema_alpha(
        np.array([[0.1, 0.2], [0.3, 0.4]]),
        np.array([[0.5, 0.6], [0.7, 0.8]]),
        np.array([[0.9, 0.8], [0.5, 0.7]]),
    )
    assert np.allclose(got, [[0.14, 0.28], [0.5, 0.52]], atol=1e-6)


def test_alpha_sigmoid_buy_and_sell_sides():
    low, high = 0.7, 0.9
    # weight at consensus: diff 0, sigmoid(-5) -> close to low
    a = alpha_sigmoid(np.array(0.5), np.array(0.5), np.array(0.0), low, high, 1000)
    assert np.isclose(a, low + (high - low) / (1 + np.exp(5)))
    # selling: bond above weight, diff = b - w = 1 -> close to high
    a = alpha_sigmoid(np.array(0.5), np.array(0.0), np.array(1.0), low, high, 1000)
    assert np.isclose(a, low + (high - low) / (1 + np.exp(-5)))
    # diff exactly 1/2: the midpoint
    a = alpha_sigmoid(np.array(0.0), np.array(0.5), np.array(0.0), low, high, 1000)
    assert np.isclose(a, 0.8)
    # huge steepness: exponent clamped to +-20, result stays inside [low, high]
    a = alpha_sigmoid(np.array(0.0), np.array(1.0), np.array(0.0), low, high, 30000)
    assert low <= a <= high and np.isclose(a, low + (high - low) / (1 + np.exp(-20)))


def test_u16_conversions_match_fixed_proportion_to_u16():
    assert quantise_u16(np.array([0.0, 0.25, 0.5, 0.75, 1.0, 1.5, -0.1])).tolist() == [
        0,
        16383,
        32767,
        49151,
        65535,
        65535,
        0,
    ]
    assert quantise_u16(np.array([0.1])).tolist() == [6553]
    values = np.arange(0, 65536, 997)
    # u16 -> I32F32 truncates, so the round trip can land one below on the way back
    back = quantise_u16(u16_to_float(values)).astype(np.int64)
    assert np.all((values - back >= 0) & (values - back <= 1))
    assert u16_to_float(np.array([65535])).tolist() == [1.0]
    assert u16_to_float(np.array([32767]))[0] == ((32767 << 32) // 65535) / 2**32
    every = np.arange(65536).reshape(256, 256)  # the looked-up table is the I32F32 formula
    assert u16_to_float(every).tolist() == [[((u << 32) // 65535) / 2**32 for u in row]
                                            for row in every.tolist()]
    for bad in ([-1], [65536]):
        with pytest.raises(ValueError):
            u16_to_float(np.array(bad))


def test_params_in_chain_scale():
    p = YumaParams()
    assert p.kappa_bits == (32767 << 32) // 65535
    assert p.bonds_penalty_bits == ONE_BITS
    assert abs(p.ema_alpha_bits / ONE_BITS - 0.1) < 1e-9
    assert YumaParams(bonds_moving_average=975_000).ema_alpha_bits / ONE_BITS == pytest.approx(
        0.025
    )
    assert p.alpha_low_float == pytest.approx(0.7, abs=1e-5)
    from_storage = YumaParams(kappa=np.uint16(32767), bonds_moving_average=np.uint64(900_000))
    assert from_storage == p and type(from_storage.kappa) is int
    for bad in (
        {"kappa": 70000},
        {"bonds_moving_average": -1},
        {"alpha_low": 9, "alpha_high": 8},
        {"alpha_sigmoid_steepness": 40000},
        {"bonds_penalty": 1.5},
    ):
        with pytest.raises(YumaInputError):
            YumaParams(**bad)


# ------------------------------------------------------------------------------------------------
# Emission split
# ------------------------------------------------------------------------------------------------


def test_emission_split_falls_back_to_active_stake_then_stake():
    zeros = np.zeros(4)
    server, validator = epoch_emission_split(zeros, zeros, np.full(4, 0.25), 1_000_000_000)
    assert server.tolist() == [0] * 4 and validator.tolist() == [250_000_000] * 4
    server, validator = epoch_emission_split(zeros, zeros, zeros, 10**9, stake=np.full(4, 0.1))
    assert validator.tolist() == [99_999_999] * 4  # I32F32(0.1) * 1e9, floored
    server, validator = epoch_emission_split(zeros, zeros, zeros, 10**9)
    assert validator.tolist() == [0] * 4


def test_emission_split_is_half_miners_half_validators():
    incentive = np.array([0.0, 0.0, 0.25, 0.75])
    dividends = np.array([0.5, 0.5, 0.0, 0.0])
    server, validator = epoch_emission_split(incentive, dividends, np.zeros(4), 1_000_000_000)
    assert server.tolist() == [0, 0, 125_000_000, 375_000_000]
    assert validator.tolist() == [250_000_000, 250_000_000, 0, 0]


def test_emission_split_rejects_non_integer_emission():
    with pytest.raises(YumaInputError):
        epoch_emission_split(np.zeros(2), np.zeros(2), np.zeros(2), 1.5)
    with pytest.raises(YumaInputError):
        epoch_emission_split(np.zeros(2), np.zeros(2), np.zeros(2), 2**64)


# ------------------------------------------------------------------------------------------------
# yuma_epoch input handling
# ------------------------------------------------------------------------------------------------


def test_yuma_epoch_rejects_bad_input_and_leaves_callers_arrays_alone():
    stake = np.array([1.0, 2.0])
    weights = np.array([[0.0, 3.0], [1.0, 1.0]])
    bonds = np.array([[0.0, 0.5], [0.2, 0.2]])
    before = (stake.copy(), weights.copy(), bonds.copy())
    yuma_epoch(stake, weights, bonds, YumaParams(yuma3=False))
    yuma_epoch(stake, weights, bonds, YumaParams(liquid_alpha=True))
    assert all(np.array_equal(a, b) for a, b in zip((stake, weights, bonds), before, strict=True))
    for bad in (
        (np.ones(3), weights, None),
        (stake, np.ones(2), None),
        (stake, -weights, None),
        (stake, np.array([[0.0, np.inf], [1.0, 1.0]]), None),
        (np.array([1.0, np.nan]), weights, None),
        (stake, weights, np.ones((3, 2))),
        (stake, weights, -bonds),
    ):
        with pytest.raises(YumaInputError):
            yuma_epoch(*bad)


def test_yuma_epoch_handles_empty_views():
    r = yuma_epoch(np.zeros(0), np.zeros((0, 5)), None)
    assert r.consensus.tolist() == [0] * 5 and r.incentive.tolist() == [0] * 5
    assert r.bonds.shape == (0, 5)
    r = yuma_epoch(np.ones(3), np.zeros((3, 0)), None, YumaParams(yuma3=False))
    assert r.dividends.tolist() == [0, 0, 0] and r.bonds.shape == (3, 0)


@settings(max_examples=50, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), steepness=st.sampled_from([1000, -500, 100, 10, 5000, 32767])
)
def test_epoch_liquid_alpha_matches_the_literal_formula(seed, steepness):
    """The epoch's branch-free alpha equals alpha_sigmoid's literal clamps on [0, 1] inputs."""
    from chain.yuma import _alpha_sigmoid_into

    rng = np.random.default_rng(seed)
    w = rng.random((6, 7)) * (rng.random((6, 7)) < 0.6)
    b = rng.random((6, 7)) * (rng.random((6, 7)) < 0.6)
    b[0, :3] = w[0, :3]  # w == b takes the buying side
    c = rng.random(7) * (rng.random(7) < 0.7)
    fast = _alpha_sigmoid_into(c, w, b, 0.1, 0.3, steepness)
    assert np.allclose(fast, alpha_sigmoid(c[None, :], w, b, 0.1, 0.3, steepness), atol=1e-12)


def test_yuma3_refuses_bonds_above_one():
    with pytest.raises(YumaInputError):
        yuma_epoch(np.ones(2), np.ones((2, 2)), np.full((2, 2), 2.0), YumaParams(yuma3=True))
    yuma_epoch(np.ones(2), np.ones((2, 2)), np.full((2, 2), 65535.0), YumaParams(yuma3=False))


@pytest.mark.parametrize("u16", [1, 3, 7, 49_151, 65_535])
def test_a_lone_weight_normalises_to_exactly_one(u16):
    weights = np.zeros((2, 3))
    weights[:, 1] = u16
    r = yuma_epoch(np.array([3.0, 1.0]), weights, None)
    assert r.consensus.tolist() == [0.0, 1.0, 0.0]
    assert r.validator_trust.tolist() == [1.0, 1.0]
    assert r.incentive.tolist() == [0.0, 1.0, 0.0]


def test_weight_entries_give_the_sparse_epochs_bond_drop_with_liquid_alpha():
    """mat_ema_alpha_sparse: a bond whose weight entry is absent is dropped, not decayed."""
    params = YumaParams(bonds_penalty=0, liquid_alpha=True, alpha_low=6553, alpha_high=19660)
    stake = np.array([8.0, 1.0, 1.0])
    first = yuma_epoch(stake, np.array([[1.0, 0.0]] * 3), None, params)
    moved = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])  # A leaves miner 0

    dense = yuma_epoch(stake, moved, first.bonds, params)
    explicit_zero = yuma_epoch(stake, moved, first.bonds, params, weight_entries=np.ones((3, 2)))
    absent = yuma_epoch(stake, moved, first.bonds, params, weight_entries=moved > 0)

    assert 0 < dense.bonds[0, 0] < first.bonds[0, 0]  # decayed
    assert np.array_equal(explicit_zero.bonds, dense.bonds)
    assert absent.bonds[0, 0] == 0.0  # dropped
    assert np.array_equal(absent.bonds[1:], dense.bonds[1:])
    assert absent.bonds[0, 1] == dense.bonds[0, 1]


def test_weight_entries_do_not_matter_without_liquid_alpha():
    stake = np.array([8.0, 1.0, 1.0])
    bonds = np.full((3, 2), 0.5)
    moved = np.array([[0.0, 1.0], [1.0, 0.0], [1.0, 0.0]])
    for params in (YumaParams(), YumaParams(yuma3=False)):
        a = yuma_epoch(stake, moved, bonds, params)
        b = yuma_epoch(stake, moved, bonds, params, weight_entries=moved > 0)
        assert np.array_equal(a.bonds, b.bonds)
    with pytest.raises(YumaInputError):
        yuma_epoch(stake, moved, bonds, YumaParams(), weight_entries=np.ones((2, 2)))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    width=st.sampled_from([1, 2, 63, 64, 65, 127, 128, 129, 300]),
    minority_kind=st.sampled_from(["negative", "zero", "middle", "all", "beyond"]),
)
def test_blocked_first_exceeding_equals_a_plain_cumsum(seed, width, minority_kind):
    from chain.yuma import _first_exceeding

    rng = np.random.default_rng(seed)
    stake = rng.integers(0, 1000, (5, width)) * (rng.random((5, width)) < 0.7)
    totals = stake.sum(axis=1)
    minority = {
        "negative": -1,
        "zero": 0,
        "middle": int(totals.mean() // 2),
        "all": int(totals.min()),
        "beyond": int(totals.max()) + 1,
    }[minority_kind]
    plain = np.minimum(np.count_nonzero(np.cumsum(stake, axis=1) <= minority, axis=1), width - 1)
    assert _first_exceeding(stake.astype(np.int64), minority).tolist() == plain.tolist()


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), rows=st.sampled_from([64, 65, 200]))
def test_weighted_median_equals_chain_quickselect_on_many_validators(seed, rows):
    rng = np.random.default_rng(seed)
    stake_bits = (rng.integers(0, 2**26, rows) * (rng.random(rows) < 0.8)).tolist()
    score_bits = (rng.integers(0, 5, (rows, 4)) * 2**30).tolist()  # many ties
    total = sum(stake_bits)
    normalised = [(s << 32) // total if total else 0 for s in stake_bits]
    majority = (32767 << 32) // 65535
    expected = chain_weighted_median_col(normalised, score_bits, majority)
    got = weighted_median_col(
        np.array(normalised) / ONE_BITS, np.array(score_bits) / ONE_BITS, majority / ONE_BITS
    )
    assert (got * ONE_BITS).astype(np.int64).tolist() == expected


def test_stake_vector_and_renormalise_on_the_i32f32_grid():
    from chain.yuma import renormalise, stake_vector

    s = stake_vector([1, 2, 3, 4, 0])
    assert (s * ONE_BITS).tolist() == [429496729, 858993459, 1288490188, 1717986918, 0]
    assert (
        f"{s[2]:.10f}" == "0.2999999998"
    )  # the chain's trace log prints S = [.., 0.2999999998, ..]
    assert stake_vector([0, 0]).tolist() == [0.0, 0.0]
    ten = stake_vector([1] * 10)
    assert renormalise(ten).tolist() == ten.tolist()  # 10 x 429496729 renormalises to itself
    active = renormalise(np.array([s[0], 0.0, s[2], 0.0, 0.0]))
    a, c = 429496729, 1288490188
    assert (active * ONE_BITS).tolist() == [(a << 32) // (a + c), 0, (c << 32) // (a + c), 0, 0]
    assert renormalise(np.zeros(3)).tolist() == [0.0, 0.0, 0.0]
    with pytest.raises(YumaInputError):
        stake_vector([1, -1])


@settings(max_examples=100, deadline=None)
@given(
    bits=st.lists(st.integers(0, ONE_BITS), min_size=1, max_size=20),
    rao=st.one_of(st.integers(0, 2**64 - 1), st.sampled_from([0, 1, 10**9, 2**32, 2**64 - 1])),
)
def test_emission_floor_is_exact_for_any_u64_amount(bits, rao):
    from chain.yuma import _times_rao

    got = _times_rao(np.array(bits, dtype=np.int64), rao)
    assert [int(x) for x in got] == [(b * rao) >> 32 for b in bits]

"""Properties of yuma_epoch that hold for any subnet, on random validators x miners views."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from chain.yuma import ONE_BITS, YumaParams, epoch_emission_split, yuma_epoch

PARAMS = [
    pytest.param(YumaParams(yuma3=True, liquid_alpha=False), id="yuma3"),
    pytest.param(YumaParams(yuma3=True, liquid_alpha=True), id="yuma3-liquid"),
    pytest.param(YumaParams(yuma3=False), id="legacy"),
    pytest.param(YumaParams(yuma3=True, bonds_penalty=0, kappa=45_000), id="yuma3-nopenalty"),
    pytest.param(YumaParams(yuma3=False, bonds_penalty=30_000), id="legacy-halfpenalty"),
]


@st.composite
def subnets(draw, max_v: int = 8, max_m: int = 10):
    """Stake, u16-like weights with many zeros, and previous bonds in [0, 1]."""
    n_val = draw(st.integers(1, max_v))
    n_miner = draw(st.integers(1, max_m))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    stake = rng.integers(0, 1000, n_val).astype(np.float64)
    stake[rng.random(n_val) < 0.2] = 0.0
    weights = rng.integers(0, 65_536, (n_val, n_miner)).astype(np.float64)
    weights[rng.random((n_val, n_miner)) < draw(st.sampled_from([0.0, 0.5, 0.9]))] = 0.0
    bonds = rng.random((n_val, n_miner)) if draw(st.booleans()) else None
    return stake, weights, bonds


def sums_to_one_or_zero(x: np.ndarray) -> bool:
    total = x.sum()
    return bool(total == 0 or abs(total - 1) < 1e-9)


@pytest.mark.parametrize("params", PARAMS)
@settings(max_examples=60, deadline=None)
@given(net=subnets())
def test_incentive_and_dividends_are_distributions(params, net):
    r = yuma_epoch(*net, params)
    assert sums_to_one_or_zero(r.incentive) and r.incentive.min() >= 0
    assert sums_to_one_or_zero(r.dividends) and r.dividends.min() >= 0
    assert np.all(r.validator_trust <= 1 + 1e-9)


@pytest.mark.parametrize("params", PARAMS)
@settings(max_examples=60, deadline=None)
@given(net=subnets())
def test_consensus_never_exceeds_the_largest_weight(params, net):
    stake, weights, bonds = net
    r = yuma_epoch(stake, weights, bonds, params)
    sums = weights.sum(axis=1, keepdims=True)
    normalised = np.divide(weights, sums, out=np.zeros_like(weights), where=sums > 0)
    staked = stake > 0
    largest = normalised[staked].max(axis=0) if staked.any() else np.zeros(weights.shape[1])
    assert np.all(r.consensus <= largest + 1e-12)
    assert np.all(r.consensus >= 0)


@pytest.mark.parametrize("params", PARAMS)
@settings(max_examples=60, deadline=None)
@given(net=subnets(), loner=st.integers(0, 7), share=st.floats(0.0, 0.45))
def test_a_lone_weight_by_a_minority_earns_the_miner_nothing(params, net, loner, share):
    """A validator holding less than kappa of the stake is the only one weighting a miner."""
    stake, weights, bonds = net
    n_val = stake.shape[0]
    assume(loner < n_val and n_val > 1)
    others = np.delete(stake, loner).sum()
    assume(others > 0)
    stake = stake.copy()
    stake[loner] = others * share / (1 - share)  # its share of all stake is `share`
    lonely = np.zeros((n_val, 1))
    lonely[loner] = 65_535.0
    weights = np.hstack([weights, lonely])
    if bonds is not None:
        bonds = np.hstack([bonds, np.zeros((n_val, 1))])
    r = yuma_epoch(stake, weights, bonds, params)
    assert r.consensus[-1] == 0
    assert r.incentive[-1] == 0


@pytest.mark.parametrize("params", PARAMS)
@settings(max_examples=40, deadline=None)
@given(net=subnets(), rao_emission=st.integers(0, 2**63))
def test_emission_paid_equals_pending_within_floor_dust(params, net, rao_emission):
    stake, weights, bonds = net
    r = yuma_epoch(stake, weights, bonds, params)
    n = stake.shape[0] + weights.shape[1]
    # per-UID vectors: validators first, then miners (a view where they are different UIDs)
    incentive = np.concatenate([np.zeros(stake.shape[0]), r.incentive])
    dividends = np.concatenate([r.dividends, np.zeros(weights.shape[1])])
    active = np.concatenate(
        [stake / stake.sum() if stake.sum() else stake, np.zeros(weights.shape[1])]
    )
    server, validator = epoch_emission_split(incentive, dividends, active, rao_emission)
    paid = sum(int(x) for x in server) + sum(int(x) for x in validator)
    if not active.any() and not r.incentive.any():
        assert paid == 0  # nothing staked, nothing weighted: the chain pays no one
        return
    dust = 2 * n * (rao_emission // ONE_BITS + 1) + 2 * n
    assert rao_emission - dust <= paid <= rao_emission


@settings(max_examples=30, deadline=None)
@given(net=subnets())
def test_legacy_bonds_are_column_max_upscaled(net):
    r = yuma_epoch(*net, YumaParams(yuma3=False))
    col_max = r.bonds.max(axis=0)
    assert np.all((col_max == 0) | (np.abs(col_max - 1) < 1e-9))


@settings(max_examples=30, deadline=None)
@given(net=subnets())
def test_yuma3_bonds_stay_in_unit_interval(net):
    for params in (YumaParams(liquid_alpha=True), YumaParams()):
        r = yuma_epoch(*net, params)
        assert r.bonds.min() >= 0 and r.bonds.max() <= 1 + 1e-12


def test_epoch_is_vectorised_consistently_across_column_order():
    """Permuting miners permutes every per-miner output and nothing else."""
    rng = np.random.default_rng(7)
    stake = rng.random(12)
    weights = rng.random((12, 30)) * (rng.random((12, 30)) < 0.4)
    bonds = rng.random((12, 30))
    perm = rng.permutation(30)
    for params in (YumaParams(liquid_alpha=True), YumaParams(yuma3=False)):
        a = yuma_epoch(stake, weights, bonds, params)
        b = yuma_epoch(stake, weights[:, perm], bonds[:, perm], params)
        assert np.array_equal(a.consensus[perm], b.consensus)
        assert np.allclose(a.incentive[perm], b.incentive, atol=1e-15)
        assert np.allclose(a.dividends, b.dividends, atol=1e-12)
        assert np.allclose(a.bonds[:, perm], b.bonds, atol=1e-12)

"""yuma_epoch against a slow, loop-by-loop reference written from run_epoch.rs (dense)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.yuma import ONE_BITS, YumaParams, yuma_epoch
from tests.chain.test_yuma_math import chain_weighted_median_col


def floor_bits(x: float) -> int:
    return math.floor(x * ONE_BITS)


def reference_epoch(stake, weights, bonds_prev, p: YumaParams):
    """One dense epoch with plain Python loops over lists; floats except the median (bits)."""
    n_val, n_miner = len(weights), len(weights[0])
    total = sum(stake)
    s = [x / total for x in stake] if total else list(stake)
    w = []
    for row in weights:
        row_sum = sum(row)
        w.append([floor_bits(x / row_sum) / ONE_BITS if row_sum else 0.0 for x in row])

    kappa = p.kappa_bits
    stake_bits = [floor_bits(x) for x in s]
    score_bits = [[floor_bits(x) for x in row] for row in w]
    consensus = [b / ONE_BITS for b in chain_weighted_median_col(stake_bits, score_bits, kappa)]

    clipped = [[min(w[i][j], consensus[j]) for j in range(n_miner)] for i in range(n_val)]
    trust = [sum(row) for row in clipped]
    ranks = [sum(s[i] * clipped[i][j] for i in range(n_val)) for j in range(n_miner)]
    rank_sum = sum(ranks)
    incentive = [r / rank_sum for r in ranks] if rank_sum else ranks

    penalty = p.bonds_penalty_bits / ONE_BITS
    wb = [
        [w[i][j] + penalty * (clipped[i][j] - w[i][j]) for j in range(n_miner)]
        for i in range(n_val)
    ]
    a = p.ema_alpha_bits / ONE_BITS
    old = bonds_prev if bonds_prev is not None else [[0.0] * n_miner for _ in range(n_val)]

    def col_normalise(m):
        sums = [sum(m[i][j] for i in range(n_val)) for j in range(n_miner)]
        return [
            [m[i][j] / sums[j] if sums[j] else m[i][j] for j in range(n_miner)]
            for i in range(n_val)
        ]

    if p.yuma3:
        ema = [[0.0] * n_miner for _ in range(n_val)]
        liquid = p.liquid_alpha and any(c != 0 for c in consensus)
        for i in range(n_val):
            for j in range(n_miner):
                wij, bij, cj = wb[i][j], old[i][j], consensus[j]
                if liquid:
                    diff = min(max(wij - cj, 0), 1) if wij >= bij else min(max(bij - wij, 0), 1)
                    x = min(max(p.alpha_sigmoid_steepness / -100 * (diff - 0.5), -20), 20)
                    lo, hi = p.alpha_low_float, p.alpha_high_float
                    alpha = min(max(lo + (hi - lo) / (1 + math.exp(x)), lo), hi)
                    ema[i][j] = min(1.0, (1 - alpha) * bij + max(0.0, alpha * wij))
                else:
                    ema[i][j] = a * wij + (1 - a) * bij
        norm = col_normalise(ema)
        div = [sum(norm[i][j] * incentive[j] for j in range(n_miner)) * s[i] for i in range(n_val)]
        bonds = ema
    else:
        delta = col_normalise([[wb[i][j] * s[i] for j in range(n_miner)] for i in range(n_val)])
        b = col_normalise(old)
        ema = col_normalise(
            [[a * delta[i][j] + (1 - a) * b[i][j] for j in range(n_miner)] for i in range(n_val)]
        )
        div = [sum(ema[i][j] * incentive[j] for j in range(n_miner)) for i in range(n_val)]
        maxima = [max(ema[i][j] for i in range(n_val)) for j in range(n_miner)]
        bonds = [
            [ema[i][j] / maxima[j] if maxima[j] else 0.0 for j in range(n_miner)]
            for i in range(n_val)
        ]
    div_sum = sum(div)
    dividends = [d / div_sum for d in div] if div_sum else div
    return consensus, incentive, dividends, trust, bonds


PARAMS = [
    pytest.param(YumaParams(), id="yuma3"),
    pytest.param(YumaParams(liquid_alpha=True), id="yuma3-liquid"),
    pytest.param(
        YumaParams(liquid_alpha=True, bonds_penalty=0, alpha_low=6553, alpha_high=19660),
        id="yuma3-liquid-nopenalty",
    ),
    pytest.param(YumaParams(bonds_penalty=20_000, kappa=40_000), id="yuma3-halfpenalty"),
    pytest.param(YumaParams(yuma3=False), id="legacy"),
    pytest.param(
        YumaParams(yuma3=False, bonds_penalty=0, bonds_moving_average=500_000),
        id="legacy-nopenalty",
    ),
]


@pytest.mark.parametrize("params", PARAMS)
@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_val=st.integers(1, 7),
    n_miner=st.integers(1, 7),
    sparsity=st.sampled_from([0.0, 0.4, 0.8]),
    with_bonds=st.booleans(),
)
def test_vectorised_epoch_equals_the_loop_reference(
    params, seed, n_val, n_miner, sparsity, with_bonds
):
    rng = np.random.default_rng(seed)
    stake = rng.integers(0, 100, n_val).astype(float)
    weights = rng.integers(0, 65_536, (n_val, n_miner)).astype(float)
    weights[rng.random((n_val, n_miner)) < sparsity] = 0.0
    # agreeing validators make consensus non-zero, so clipping and liquid alpha do work
    weights[:, 0] = 65_535.0
    bonds = rng.random((n_val, n_miner)) if with_bonds else None

    got = yuma_epoch(stake, weights, bonds, params)
    ref = reference_epoch(
        stake.tolist(), weights.tolist(), None if bonds is None else bonds.tolist(), params
    )
    assert got.consensus.tolist() == ref[0]
    # legacy bonds are floored onto the I32F32 grid at every step like the chain's: relative
    # to the pure-float reference that is 2**-32 over the smallest bond delta in a column
    tol = 1e-9 if params.yuma3 else 1e-5
    for name, want in zip(
        ("incentive", "dividends", "validator_trust", "bonds"), ref[1:], strict=True
    ):
        assert np.allclose(getattr(got, name), want, atol=tol, rtol=0), name

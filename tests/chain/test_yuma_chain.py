"""A minimal subnet runtime around `chain.yuma`, enough to replay subtensor's epoch unit tests.

It keeps what the chain stores between epochs -- raw stake, validator permits, u16 weight rows,
u16 bond rows -- and does what `epoch_mechanism` does around the pure core: normalise stake on
the I32F32 grid, mask weights by the *stored* permits and the diagonal, compute new permits,
run `yuma_epoch` over all UIDs (non-permit rows carry zero active stake), split the emission,
and store bonds (rows of new permit holders) and outputs as u16. No activity cutoff, owner UID,
registration-block masks or commit-reveal: the replayed tests do not exercise them.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np
import pytest

from chain.yuma import (
    YumaParams,
    epoch_emission_split,
    is_topk_nonzero,
    quantise_u16,
    renormalise,
    stake_vector,
    u16_to_float,
    yuma_epoch,
)


@dataclass
class Subnet:
    """Stored state of one subnet, indexed by UID."""

    stake: list[int]
    max_validators: int
    params: YumaParams
    permits: np.ndarray = field(init=False)
    weights: np.ndarray = field(init=False)  # u16, row i = weights set by UID i
    bonds: np.ndarray = field(init=False)  # u16
    dividends_u16: np.ndarray = field(init=False)
    emission: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        n = len(self.stake)
        self.permits = np.zeros(n, dtype=bool)  # appended neurons start without a permit
        self.weights = np.zeros((n, n), dtype=np.int64)
        self.bonds = np.zeros((n, n), dtype=np.int64)

    def set_weights(self, uid: int, dests: list[int], values: list[int]) -> None:
        """`set_weights`: the row is max-upscaled so that its largest value is 65535."""
        row = np.zeros(len(self.stake), dtype=np.int64)
        top = max(values)
        for dest, value in zip(dests, values, strict=True):
            row[dest] = (value * 65_535) // top if top else 0
        self.weights[uid] = row

    def epoch(self, rao_emission: int) -> tuple[np.ndarray, np.ndarray]:
        """One epoch: returns (server, validator) emission in rao and updates the storage."""
        stake = stake_vector(self.stake)
        new_permits = is_topk_nonzero(stake, self.max_validators)
        active_stake = renormalise(np.where(self.permits, stake, 0.0))

        weights = self.weights.astype(np.float64)
        weights[~self.permits] = 0.0
        np.fill_diagonal(weights, 0.0)

        if self.params.yuma3:
            bonds_prev = u16_to_float(self.bonds)
        else:
            bonds_prev = self.bonds.astype(np.float64)
        result = yuma_epoch(active_stake, weights, bonds_prev, self.params)

        server, validator = epoch_emission_split(
            result.incentive, result.dividends, active_stake, rao_emission, stake
        )
        self.emission = server.astype(object) + validator.astype(object)
        paid, n = int(sum(self.emission)), len(self.stake)
        assert rao_emission - 4 * n <= paid <= rao_emission  # everything paid but floor dust
        self.dividends_u16 = quantise_u16(result.dividends)
        stored = quantise_u16(result.bonds).astype(np.int64)
        self.bonds = np.where(new_permits[:, None], stored, 0)
        self.permits = new_permits
        self.last = result
        return server, validator


# ------------------------------------------------------------------------------------------------
# subtensor pallets/subtensor/src/tests/epoch.rs, replayed with the mock config
# (BondsMovingAverage 900_000, BondsPenalty 65535, Kappa 32767, Yuma3 off unless a test enables it)
# ------------------------------------------------------------------------------------------------

LEGACY = YumaParams(yuma3=False)
RAO = 1_000_000_000


def test_10_graph_pays_everyone_99_999_999_by_stake_when_all_weights_are_self_weights():
    net = Subnet([1] * 10, max_validators=10, params=LEGACY)
    for uid in range(10):
        net.set_weights(uid, [uid], [65_535])
    server, validator = net.epoch(RAO)
    assert not net.last.consensus.any()
    assert not net.last.incentive.any()
    assert not net.last.dividends.any()
    assert server.tolist() == [0] * 10
    assert net.emission.tolist() == [99_999_999] * 10


def test_bonds_legacy_u16_values_epoch_by_epoch():
    net = Subnet([1, 2, 3, 4, 0, 0, 0, 0], max_validators=8, params=LEGACY)
    net.epoch(RAO)  # first epoch hands out permits
    for uid in range(4):
        net.set_weights(uid, [4, 5, 6, 7], [65_535 // 4, 65_535 // 2, (65_535 // 4) * 3, 65_535])

    net.epoch(RAO)
    assert net.bonds[:4, 4].tolist() == [16383, 32767, 49151, 65535]

    net.set_weights(0, [0], [65_535])  # validator 0 keeps only a self-weight
    net.epoch(RAO)
    assert net.bonds[:4, 4].tolist() == [14582, 32767, 49151, 65535]

    net.set_weights(1, [1], [65_535])
    net.epoch(RAO)
    assert net.bonds[:4, 4].tolist() == [12603, 28321, 49151, 65535]

    net.set_weights(2, [2], [65_535])  # only validator 3 (40 %) weights: no consensus
    net.epoch(RAO)
    assert not net.last.incentive.any()
    assert net.bonds[:4, 7].tolist() == [12602, 28320, 49150, 65535]

    net.set_weights(2, [7], [65_535])
    net.epoch(RAO)
    assert net.bonds[:4, 7].tolist() == [10951, 24609, 49150, 65535]

    net.epoch(RAO)
    assert net.bonds[:4, 7].tolist() == [9559, 21482, 49150, 65535]

    net.epoch(RAO)
    assert net.bonds[:4, 7].tolist() == [8376, 18824, 49150, 65535]


def test_active_stake_first_epoch_splits_evenly():
    net = Subnet([1, 1, 1, 1], max_validators=4, params=LEGACY)
    net.epoch(RAO)
    for uid in (0, 1):
        net.set_weights(uid, [2, 3], [65_535 // 2, 65_535 // 2])
    net.epoch(RAO)
    assert net.dividends_u16[:2].tolist() == [32767, 32767]
    assert net.emission.tolist() == [250_000_000] * 4
    assert net.bonds[:2, :2].tolist() == [[0, 0], [0, 0]]
    assert net.bonds[:2, 2:].tolist() == [[65535, 65535], [65535, 65535]]


YUMA3_LIQUID = YumaParams(
    kappa=65_535 // 2,
    bonds_penalty=0,
    bonds_moving_average=975_000,
    yuma3=True,
    liquid_alpha=True,
    alpha_low=6553,  # set_alpha_values_32(0.1, 0.3) stores floor(x * 65535)
    alpha_high=19660,
    alpha_sigmoid_steepness=1000,
)

M = 65_535
H = 65_535 // 2


def _three(row):
    return [row, row, row]


# Each scenario: stakes, weight destinations, {epoch: rows of weights for validators 0..2} (the
# last rows set stay in force), bonds of validators 0..2 to the last columns, dividends.
# Copied from pallets/subtensor/src/tests/epoch.rs (test_yuma_3_*); bonds and dividends are read
# back from u16 storage and compared to 1e-3.
YUMA3_SCENARIOS = {
    "kappa_moves_first": (
        [8, 1, 1, 0, 0],
        [3, 4],
        {
            0: _three([M, 0]),
            1: [[0, M], [M, 0], [M, 0]],
            2: [[0, M], [0, M], [M, 0]],
            3: _three([0, M]),
        },
        [
            [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
            [[0.0908, 0.1013], [0.3697, 0.0000], [0.3697, 0.0000]],
            [[0.0815, 0.1924], [0.3170, 0.1013], [0.5580, 0.0000]],
            [[0.0731, 0.2742], [0.2765, 0.1924], [0.4306, 0.1013]],
            [[0.0656, 0.3478], [0.2435, 0.2742], [0.3589, 0.1924]],
            [[0.0588, 0.4139], [0.2157, 0.3478], [0.3089, 0.2742]],
        ],
        [
            [0.8000, 0.1000, 0.1000, 0.0000, 0.0000],
            [1.0000, 0.0000, 0.0000, 0.0000, 0.0000],
            [0.9382, 0.0618, 0.0000, 0.0000, 0.0000],
            [0.8819, 0.0773, 0.0407, 0.0000, 0.0000],
            [0.8564, 0.0844, 0.0592, 0.0000, 0.0000],
            [0.8418, 0.0884, 0.0697, 0.0000, 0.0000],
        ],
    ),
    "kappa_moves_second": (
        [8, 1, 1, 0, 0],
        [3, 4],
        {
            0: _three([M, 0]),
            1: [[M, 0], [0, M], [M, 0]],
            2: [[0, M], [0, M], [M, 0]],
            3: _three([0, M]),
        },
        [
            [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
            [[0.1924, 0.0000], [0.0908, 0.2987], [0.1924, 0.0000]],
            [[0.1715, 0.1013], [0.0815, 0.3697], [0.4336, 0.0000]],
            [[0.1531, 0.1924], [0.0731, 0.4336], [0.3608, 0.1013]],
            [[0.1369, 0.2742], [0.0656, 0.4910], [0.3103, 0.1924]],
            [[0.1225, 0.3478], [0.0588, 0.5426], [0.2712, 0.2742]],
        ],
        [
            [0.8000, 0.1000, 0.1000, 0.0000, 0.0000],
            [0.8446, 0.0498, 0.1056, 0.0000, 0.0000],
            [0.6868, 0.3132, 0.0000, 0.0000, 0.0000],
            [0.7421, 0.2090, 0.0489, 0.0000, 0.0000],
            [0.7625, 0.1706, 0.0669, 0.0000, 0.0000],
            [0.7730, 0.1508, 0.0762, 0.0000, 0.0000],
        ],
    ),
    "kappa_moves_last": (
        [8, 1, 1, 0, 0],
        [3, 4],
        {
            0: _three([M, 0]),
            1: [[M, 0], [0, M], [M, 0]],
            2: [[M, 0], [0, M], [0, M]],
            3: _three([0, M]),
        },
        [
            [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
            [[0.1924, 0.0000], [0.0908, 0.2987], [0.1924, 0.0000]],
            [[0.2742, 0.0000], [0.0815, 0.5081], [0.1715, 0.2987]],
            [[0.2416, 0.1013], [0.0731, 0.5580], [0.1531, 0.3697]],
            [[0.2141, 0.1924], [0.0656, 0.6028], [0.1369, 0.4336]],
            [[0.1903, 0.2742], [0.0588, 0.6430], [0.1225, 0.4910]],
        ],
        [
            [0.8000, 0.1000, 0.1000, 0.0000, 0.0000],
            [0.8446, 0.0498, 0.1056, 0.0000, 0.0000],
            [0.8966, 0.0333, 0.0701, 0.0000, 0.0000],
            [0.4663, 0.3210, 0.2127, 0.0000, 0.0000],
            [0.5976, 0.2340, 0.1683, 0.0000, 0.0000],
            [0.6592, 0.1932, 0.1475, 0.0000, 0.0000],
        ],
    ),
    "one_epoch_switch": (
        [33, 33, 34, 0, 0],
        [3, 4],
        {0: _three([M, 0]), 2: [[M, 0], [M, 0], [0, M]], 3: _three([M, 0])},
        [
            [[0.1013, 0.0000], [0.1013, 0.0000], [0.1013, 0.0000]],
            [[0.1924, 0.0000], [0.1924, 0.0000], [0.1924, 0.0000]],
            [[0.2742, 0.0000], [0.2742, 0.0000], [0.1715, 0.2987]],
            [[0.3478, 0.0000], [0.3478, 0.0000], [0.2554, 0.2618]],
            [[0.4139, 0.0000], [0.4139, 0.0000], [0.3309, 0.2312]],
            [[0.4733, 0.0000], [0.4733, 0.0000], [0.3987, 0.2051]],
        ],
        [
            [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
            [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
            [0.3782, 0.3782, 0.2436, 0.0000, 0.0000],
            [0.3628, 0.3628, 0.2745, 0.0000, 0.0000],
            [0.3541, 0.3541, 0.2917, 0.0000, 0.0000],
            [0.3487, 0.3487, 0.3026, 0.0000, 0.0000],
        ],
    ),
    "stable_miner": (
        [8, 1, 1, 0, 0, 0],
        [3, 4, 5],
        {
            0: _three([H, 0, H]),
            1: [[H, 0, H], [0, H, H], [H, 0, H]],
            2: [[0, H, H], [0, H, H], [H, 0, H]],
            3: _three([0, H, H]),
        },
        [
            [[0.0507, 0.0000, 0.0507], [0.0507, 0.0000, 0.0507], [0.0507, 0.0000, 0.0507]],
            [[0.0962, 0.0000, 0.0962], [0.0455, 0.1000, 0.0962], [0.0962, 0.0000, 0.0962]],
            [[0.0863, 0.0507, 0.1371], [0.0408, 0.1405, 0.1371], [0.1770, 0.0000, 0.1371]],
            [[0.0774, 0.0962, 0.1739], [0.0367, 0.1770, 0.1739], [0.1579, 0.0507, 0.1739]],
            [[0.0694, 0.1371, 0.2069], [0.0329, 0.2097, 0.2069], [0.1411, 0.0962, 0.2069]],
            [[0.0623, 0.1739, 0.2366], [0.0296, 0.2391, 0.2366], [0.1263, 0.1371, 0.2366]],
        ],
        [
            [0.8000, 0.1000, 0.1000, 0.0000, 0.0000, 0.0000],
            [0.8226, 0.0745, 0.1028, 0.0000, 0.0000, 0.0000],
            [0.7750, 0.1685, 0.0565, 0.0000, 0.0000, 0.0000],
            [0.7864, 0.1372, 0.0764, 0.0000, 0.0000, 0.0000],
            [0.7912, 0.1241, 0.0847, 0.0000, 0.0000, 0.0000],
            [0.7937, 0.1173, 0.0890, 0.0000, 0.0000, 0.0000],
        ],
    ),
}


def replay_yuma3(params: YumaParams, stakes, dests, plan, bonds_table, dividends_table):
    net = Subnet(stakes, max_validators=3, params=params)
    net.epoch(RAO)  # permits for the three staked validators
    width = len(bonds_table[0][0])
    for epoch, (bonds, dividends) in enumerate(zip(bonds_table, dividends_table, strict=True)):
        for uid, row in enumerate(plan.get(epoch, [])):
            net.set_weights(uid, dests, row)
        net.epoch(RAO)
        stored_bonds = u16_to_float(net.bonds)[:3, -width:]
        stored_dividends = u16_to_float(net.dividends_u16)
        assert np.allclose(stored_bonds, bonds, atol=1e-3), (epoch, stored_bonds)
        assert np.allclose(stored_dividends, dividends, atol=1e-3), (epoch, stored_dividends)


@pytest.mark.parametrize("scenario", sorted(YUMA3_SCENARIOS))
def test_yuma3_liquid_alpha_scenarios_bonds_and_dividends(scenario):
    replay_yuma3(YUMA3_LIQUID, *YUMA3_SCENARIOS[scenario])


def test_yuma3_liquid_alpha_disabled_scenario():
    stakes, dests, plan, _, _ = YUMA3_SCENARIOS["one_epoch_switch"]
    bonds = [
        [[0.0000, 0.0250, 0.0000], [0.0000, 0.0250, 0.0000], [0.0000, 0.0250, 0.0000]],
        [[0.0000, 0.0494, 0.0000], [0.0000, 0.0494, 0.0000], [0.0000, 0.0494, 0.0000]],
        [[0.0000, 0.0731, 0.0000], [0.0000, 0.0731, 0.0000], [0.0000, 0.0481, 0.0250]],
        [[0.0000, 0.0963, 0.0000], [0.0000, 0.0963, 0.0000], [0.0000, 0.0719, 0.0244]],
        [[0.0000, 0.1189, 0.0000], [0.0000, 0.1189, 0.0000], [0.0000, 0.0951, 0.0238]],
        [[0.0000, 0.1409, 0.0000], [0.0000, 0.1409, 0.0000], [0.0000, 0.1178, 0.0232]],
    ]
    dividends = [
        [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
        [0.3300, 0.3300, 0.3400, 0.0000, 0.0000],
        [0.3734, 0.3734, 0.2532, 0.0000, 0.0000],
        [0.3611, 0.3611, 0.2779, 0.0000, 0.0000],
        [0.3541, 0.3541, 0.2919, 0.0000, 0.0000],
        [0.3495, 0.3495, 0.3009, 0.0000, 0.0000],
    ]
    no_liquid = dataclasses.replace(YUMA3_LIQUID, liquid_alpha=False)
    replay_yuma3(no_liquid, stakes, dests, plan, bonds, dividends)


def test_yuma3_first_bond_is_the_worked_liquid_alpha():
    """alpha = 0.1 + 0.2 / (1 + e^5) when a validator's weight equals consensus (diff 0)."""
    net = Subnet([8, 1, 1, 0, 0], max_validators=3, params=YUMA3_LIQUID)
    net.epoch(RAO)
    for uid in range(3):
        net.set_weights(uid, [3, 4], [M, 0])
    net.epoch(RAO)
    low, high = 6553 / 65535, 19660 / 65535
    expected = low + (high - low) / (1 + np.exp(5.0))
    assert np.allclose(net.last.bonds[:3, 3], expected, atol=1e-9)
    assert abs(expected - 0.10134) < 1e-4

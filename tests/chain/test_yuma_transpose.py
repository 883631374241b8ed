"""The median's tiled transpose (`chain.yuma._transpose_into`) equals numpy's `.T` on every
shape where it tiles: whole tiles, ragged last tiles in either direction, one row, one column."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain import yuma

TILE = yuma._TILE
TILED = TILE * TILE * 16  # above this many entries the copy goes tile by tile


def _check(rows: int, cols: int, seed: int = 0) -> None:
    assert rows * cols > TILED  # the tiled path, not the plain copy
    # distinct integers (held in float64, as the median's scores are) so any misplaced entry shows
    src = np.random.default_rng(seed).permutation(rows * cols).reshape(rows, cols)
    src = src.astype(np.float64)
    dst = np.full((cols, rows), -1, dtype=np.int64)
    out = yuma._transpose_into(src, dst)
    assert out is dst
    np.testing.assert_array_equal(dst, src.T.astype(np.int64))


@pytest.mark.parametrize("rows, cols", [
    (TILE * 16, TILE * 16 + TILE),  # whole tiles only
    (TILE * 16 + 1, TILE * 16),  # one spare row: a last tile row 1 high
    (TILE * 16, TILE * 16 + 1),  # one spare column
    (TILE * 16 + TILE - 1, TILE * 16 + TILE - 1),  # ragged both ways, one short of a tile
    (TILE * 16 + 7, TILE * 17 + 33),
    (1, TILED + 1),  # a single row: one tile high
    (TILED + 1, 1),  # a single column
    (TILE - 1, TILED // (TILE - 1) + 5),  # narrower than a tile
    (3 * TILE + 5, TILED // (3 * TILE) + 1),
])
def test_tiled_transpose_equals_numpy(rows, cols):
    _check(rows, cols)


@settings(max_examples=25, deadline=None)
@given(rows=st.integers(1, 700), data=st.data())
def test_tiled_transpose_equals_numpy_on_any_shape(rows, data):
    cols = data.draw(st.integers(TILED // rows + 1, TILED // rows + 3 * TILE))
    _check(rows, cols, seed=rows)


def test_median_over_a_tiled_matrix_equals_the_median_by_column_groups():
    """In use: the weighted median of a matrix large enough to tile equals the medians of its
    column groups, each small enough for the plain copy."""
    rng = np.random.default_rng(3)
    validators, miners = 300, 261
    assert validators * miners > TILED
    stake = rng.random(validators)
    stake[rng.random(validators) < 0.2] = 0.0
    stake /= stake.sum()
    score = np.floor(rng.random((validators, miners)) * 50) / 64  # ties as well as distinct
    whole = yuma.weighted_median_col(stake, score, 0.5)
    step = TILED // validators
    parts = [yuma.weighted_median_col(stake, score[:, j:j + step], 0.5)
             for j in range(0, miners, step)]
    np.testing.assert_array_equal(whole, np.concatenate(parts))

"""Yuma consensus: one subnet epoch as a pure, vectorised numpy function.

`yuma_epoch(stake, weights, bonds_prev, params)` takes a validators x miners view of a subnet --
V rows (the UIDs whose stake counts: permit holders, active) and M columns (all UIDs) -- and
returns consensus, incentive, dividends, validator trust and the bonds to carry into the next
epoch. It follows subtensor's `epoch/run_epoch.rs` (dense mechanism) and `epoch/math.rs`:

    W   = row-normalised weights                          (rows summing to 0 stay 0)
    C   = stake-weighted median of each column, majority kappa
    W~  = min(W, C)                  validator_trust = row sums of W~
    I   = normalise(S . W~)          (ranks; the incentive)
    Wb  = W + bonds_penalty * (W~ - W)
    Yuma3:  emaB = a*Wb + (1-a)*B, or with liquid alpha a per-entry a from `alpha_sigmoid`
            and min(1, .); D = normalise((colnorm(emaB) . I) * S); bonds = emaB (absolute)
    legacy: emaB = colnorm(a*colnorm(Wb*S) + (1-a)*colnorm(B)); D = normalise(emaB . I);
            bonds = column max-upscaled emaB

What it leaves to the runtime (`chain.local`), with helpers here for the arithmetic: the stake
vector (`stake_vector`), activity and permit masks on it (then `renormalise`), permits
(`is_topk_nonzero`), the self-weight and stale-weight masks on the weights, masking bonds of
recently registered UIDs, u16 storage (`quantise_u16`, `u16_to_float`) and turning the result
into rao (`epoch_emission_split`).

Numbers. The matrix math is float64 (the chain's I32F32 is approximated), kept on the I32F32
grid (multiples of 2**-32, floored) where the chain's rounding shows in stored values: the
row-normalised weights, and every step of the legacy bonds, whose u16 storage after column
max-upscaling reproduces the chain's to the unit. Where the chain makes a discrete decision it is
emulated exactly in integers of I32F32 bits: the weighted median compares cumulative stake with
the minority in integers, permits compare stake bits with a stable sort, and the emission split
floors like I32F32/I96F32. Hyperparameters are taken in the chain's integer scale and turned
into the chain's I32F32 values once (`YumaParams`).

Speed. No Python loop touches matrix entries. The median sorts one packed int64 key per entry
(`np.sort` along contiguous rows of the transposed scores, transposed tile by tile); the rest
is a few dozen elementwise passes. Single-threaded (matrix-vector products use `einsum`, not a
threaded BLAS that stalls on a busy machine).

Dense and sparse. The production epoch works on sparse rows; numerically it equals this dense
one except in one place: with liquid alpha, `mat_ema_alpha_sparse` drops a bond whose weight
entry is absent from the validator's row instead of decaying it (a weight stored explicitly as 0
keeps it). Pass `weight_entries` (which weights are stored) to get that behaviour; without it
the result is `epoch_dense`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from chain.exitcodes import EXIT_USAGE

__all__ = [
    "ONE_BITS",
    "YumaInputError",
    "YumaParams",
    "YumaResult",
    "alpha_sigmoid",
    "epoch_emission_split",
    "is_topk_nonzero",
    "mat_ema_alpha",
    "normalise",
    "quantise_u16",
    "renormalise",
    "stake_vector",
    "to_i32f32_bits",
    "u16_to_float",
    "weighted_median_col",
    "yuma_epoch",
]

ONE_BITS = 1 << 32  # I32F32 1.0
U16_MAX = 65_535


class YumaInputError(ValueError):
    """Inputs that Yuma cannot run on: wrong shapes, negative or non-finite values."""

    name = "InvalidYumaInput"
    exit_code = EXIT_USAGE


# --------------------------------------------------------------------------------------------
# Fixed-point helpers (I32F32 bits in int64 arrays)
# --------------------------------------------------------------------------------------------


def to_i32f32_bits(x: np.ndarray | float) -> np.ndarray:
    """Non-negative values as I32F32 bits, `floor(x * 2**32)`, the way the chain's truncating
    divisions land on its grid. A float that is exactly an I32F32 value maps to its bits."""
    return np.floor(np.asarray(x, dtype=np.float64) * ONE_BITS).astype(np.int64)


def _fixed_ratio_bits(num: np.ndarray, den: int | np.ndarray) -> np.ndarray:
    """I32F32 `num / den` for bits 0 <= num <= den < 2**46: `(num << 32) // den`, truncated like
    substrate-fixed's division, computed exactly in int64 by two 16-bit long-division steps."""
    num = np.asarray(num, dtype=np.int64)
    den = np.asarray(den, dtype=np.int64)
    q1, r1 = np.divmod(num << 16, den)
    return (q1 << 16) + ((r1 << 16) // den)


def _fixed_scalar_ratio_bits(num: int, den: int) -> int:
    """I32F32 `from_num(num) / from_num(den)` for integers (truncating, as `safe_div`)."""
    return (num << 32) // den if den else 0


def quantise_u16(x: np.ndarray) -> np.ndarray:
    """`fixed_proportion_to_u16`: `floor(x * 65535)` saturated into [0, 65535] (floors; negative
    values become 0, values above 1 become 65535)."""
    scaled = np.floor(np.asarray(x, dtype=np.float64) * U16_MAX)
    return np.clip(scaled, 0, U16_MAX).astype(np.uint16)


def u16_to_float(u: np.ndarray) -> np.ndarray:
    """`u16_proportion_to_fixed`: a stored u16 as the chain's I32F32 `u / 65535` (truncated to
    the I32F32 grid), returned as float64. Yuma3 reads stored bonds this way, every epoch, so
    the 65,536 possible values are computed once and looked up (an int64 floor division of a
    whole matrix costs about as much as the rest of a 256-UID epoch)."""
    u = np.asarray(u, dtype=np.int64)
    if u.size and (u.min() < 0 or u.max() > U16_MAX):
        raise ValueError("u16_to_float takes values in [0, 65535]")
    return _u16_fixed()[u]


@cache
def _u16_fixed() -> np.ndarray:
    """`(u << 32) // 65535 / 2**32` for every u16 u (built on first use)."""
    return ((np.arange(U16_MAX + 1, dtype=np.int64) << 32) // U16_MAX) / ONE_BITS


def stake_vector(stake: list[int] | np.ndarray) -> np.ndarray:
    """The epoch's stake vector S from integer stakes (rao, or I64F64 bits: any one integer
    scale): `inplace_normalize_64` then I32F32, i.e. floor(s * 2**32 / sum) computed exactly
    with Python ints. Returned as float64 values that sit exactly on the I32F32 grid; all zero
    when the total is 0."""
    values = [int(x) for x in stake]
    if any(x < 0 for x in values):
        raise YumaInputError("stake must be non-negative")
    total = sum(values)
    bits = [(x << 32) // total if total else 0 for x in values]
    return np.array(bits, dtype=np.float64) / ONE_BITS


def renormalise(values: np.ndarray) -> np.ndarray:
    """`inplace_normalize` on I32F32 values (e.g. the stake vector after the activity and permit
    masks, giving the active stake): each value's bits divided by the sum of bits, truncated.
    A vector summing to 0 is returned unchanged. Input and output are on the I32F32 grid."""
    bits = to_i32f32_bits(values)
    total = int(bits.sum())
    if total == 0:
        return bits / ONE_BITS
    return _fixed_ratio_bits(bits, total) / ONE_BITS


# --------------------------------------------------------------------------------------------
# Parameters and result
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YumaParams:
    """Subnet hyperparameters in the chain's storage scale.

    kappa                    u16, majority = kappa / 65535 (default 32 767)
    bonds_penalty            u16, penalty = bonds_penalty / 65535 (default 65 535 -> 1)
    bonds_moving_average     parts per million; EMA alpha = 1 - bma / 1e6 (default 900 000)
    yuma3                    Yuma3 bonds (what `init_new_network` turns on), else legacy bonds
    liquid_alpha             per-bond alpha from `alpha_sigmoid` (Yuma3 path only)
    alpha_low, alpha_high    u16, liquid alpha bounds / 65535 (default 45 875, 58 982)
    alpha_sigmoid_steepness  i16 as stored (default 1000)
    """

    kappa: int = 32_767
    bonds_penalty: int = U16_MAX
    bonds_moving_average: int = 900_000
    yuma3: bool = True
    liquid_alpha: bool = False
    alpha_low: int = 45_875
    alpha_high: int = 58_982
    alpha_sigmoid_steepness: int = 1000

    def __post_init__(self) -> None:
        # numpy integers read from storage are accepted and kept as Python ints (exact shifts)
        for field in (
            "kappa",
            "bonds_penalty",
            "bonds_moving_average",
            "alpha_low",
            "alpha_high",
            "alpha_sigmoid_steepness",
        ):
            value = getattr(self, field)
            if isinstance(value, np.integer):
                object.__setattr__(self, field, int(value))
        for field in ("kappa", "bonds_penalty", "alpha_low", "alpha_high"):
            value = getattr(self, field)
            if not isinstance(value, int) or not 0 <= value <= U16_MAX:
                raise YumaInputError(f"{field} must be an integer in [0, 65535], got {value!r}")
        bma = self.bonds_moving_average
        if not isinstance(bma, int) or not 0 <= bma <= 1_000_000:
            raise YumaInputError(
                f"bonds_moving_average must be an integer in [0, 1000000], got {bma!r}"
            )
        steep = self.alpha_sigmoid_steepness
        if not isinstance(steep, int) or not -32_768 <= steep <= 32_767:
            raise YumaInputError(f"alpha_sigmoid_steepness must be an i16, got {steep!r}")
        if self.alpha_low > self.alpha_high:
            raise YumaInputError("alpha_low must not exceed alpha_high")

    @property
    def kappa_bits(self) -> int:
        """I32F32 bits of `Kappa / 65535` (truncated, as `get_float_kappa`)."""
        return _fixed_scalar_ratio_bits(self.kappa, U16_MAX)

    @property
    def bonds_penalty_bits(self) -> int:
        return _fixed_scalar_ratio_bits(self.bonds_penalty, U16_MAX)

    @property
    def ema_alpha_bits(self) -> int:
        """I32F32 bits of `1 - BondsMovingAverage / 1e6`: the moving average is an I64F64
        quotient, truncated to I32F32 before the subtraction (`compute_disabled_liquid_alpha`)."""
        bma_i64f64 = (self.bonds_moving_average << 64) // 1_000_000
        return ONE_BITS - (bma_i64f64 >> 32)

    @property
    def alpha_low_float(self) -> float:
        return _fixed_scalar_ratio_bits(self.alpha_low, U16_MAX) / ONE_BITS

    @property
    def alpha_high_float(self) -> float:
        return _fixed_scalar_ratio_bits(self.alpha_high, U16_MAX) / ONE_BITS


@dataclass(frozen=True)
class YumaResult:
    """One epoch's outputs, float64 arrays.

    consensus        (M,)   stake-weighted median weight of each miner column
    incentive        (M,)   normalised ranks (sums to 1, or all 0)
    dividends        (V,)   normalised (sums to 1, or all 0)
    validator_trust  (V,)   row sums of the clipped weights
    bonds            (V, M) state for the next epoch, unquantised: Yuma3 absolute values in
                            [0, 1]; legacy column max-upscaled (each non-empty column's max is 1)
    """

    consensus: np.ndarray
    incentive: np.ndarray
    dividends: np.ndarray
    validator_trust: np.ndarray
    bonds: np.ndarray


# --------------------------------------------------------------------------------------------
# math.rs equivalents
# --------------------------------------------------------------------------------------------


def normalise(x: np.ndarray) -> np.ndarray:
    """`inplace_normalize`: divide by the sum; a vector summing to 0 is returned unchanged."""
    total = x.sum()
    return x / total if total != 0 else x.copy()


def _col_sums_or_one(m: np.ndarray) -> np.ndarray:
    """Column sums with 0 replaced by 1, the divisor of `inplace_col_normalize` (a column summing
    to 0 is left as it is)."""
    sums = m.sum(axis=0)
    sums[sums == 0] = 1.0
    return sums


_TILE = 64


def _transpose_into(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """`dst[...] = src.T` (casting to dst's dtype), copied tile by tile: a plain strided copy of
    a large matrix misses the cache on every element. The loop runs over 64 x 64 tiles only."""
    rows, cols = src.shape
    if src.size <= _TILE * _TILE * 16:
        dst[...] = src.T
        return dst
    for i in range(0, rows, _TILE):
        for j in range(0, cols, _TILE):
            dst[j : j + _TILE, i : i + _TILE] = src[i : i + _TILE, j : j + _TILE].T
    return dst


def _median_rows(stake_bits: np.ndarray, score_bits: np.ndarray, majority_bits: int) -> np.ndarray:
    """For each column of `score_bits` (V, M; float64 holding non-negative integers below 2**40,
    scores as I32F32 bits) the row holding the chain's stake-weighted median, or -1 for a column
    without any staked row.

    Rows with zero stake bits are left out; the others' stakes are renormalised in I32F32
    (`use_stake`, truncating division) and `minority = sum(use_stake) - majority`. The median of
    a column is the first score in ascending order whose cumulative stake exceeds the minority:
    the value v with stake(score < v) <= minority < stake(score <= v), which is what the chain's
    mid-pivot quickselect returns, ties included; the largest score when the minority is at
    least the whole stake. The decision is made in integers, so it is exact.

    Vectorised: each score is packed with its row index into one int64 key
    (`bits << rbits | row`), so a single `np.sort` per column orders scores with their rows.
    """
    n_rows, n_cols = score_bits.shape
    use = stake_bits > 0
    n_use = int(use.sum())
    if n_use == 0 or n_cols == 0:
        return np.full(n_cols, -1, dtype=np.int64)
    rows = np.flatnonzero(use)
    use_scores = score_bits if n_use == n_rows else score_bits[rows]
    stake_used = stake_bits[rows]
    use_bits = _fixed_ratio_bits(stake_used, int(stake_used.sum()))
    minority = int(use_bits.sum()) - int(majority_bits)

    rbits = max(1, (n_use - 1).bit_length())
    keys = _transpose_into(use_scores, np.empty((n_cols, n_use), dtype=np.int64))
    keys <<= rbits
    keys |= np.arange(n_use, dtype=np.int64)
    keys.sort(axis=1)
    keys &= (1 << rbits) - 1  # the row of each sorted position
    pos = _first_exceeding(use_bits[keys], minority)
    return rows[keys[np.arange(n_cols), pos]]


_BLOCK = 64


def _first_exceeding(stake: np.ndarray, minority: int) -> np.ndarray:
    """For each row of non-negative int64 `stake` (M, V), the first position whose cumulative
    sum exceeds `minority`, or V - 1 when none does. A plain cumsum runs one element at a time,
    so the rows are cut into blocks of 64: block sums (vectorised), their cumsum (64 times
    shorter), then a cumsum inside the one block where each row crosses."""
    n_rows, width = stake.shape
    n_blocks = -(-width // _BLOCK)
    if n_blocks * _BLOCK != width:
        padded = np.zeros((n_rows, n_blocks * _BLOCK), dtype=stake.dtype)
        padded[:, :width] = stake
        stake = padded
    blocks = stake.reshape(n_rows, n_blocks, _BLOCK)
    block_cum = blocks.sum(axis=2)
    np.cumsum(block_cum, axis=1, out=block_cum)
    block = np.minimum(np.count_nonzero(block_cum <= minority, axis=1), n_blocks - 1)
    row = np.arange(n_rows)
    before = np.where(block > 0, block_cum[row, block - 1], 0)
    inside = np.cumsum(blocks[row, block], axis=1)
    inside += before[:, None]
    pos = block * _BLOCK + np.count_nonzero(inside <= minority, axis=1)
    return np.minimum(pos, width - 1)


def _pick(matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """matrix[rows[j], j] for each column j, 0 where rows[j] is -1."""
    if matrix.shape[0] == 0:
        return np.zeros(matrix.shape[1])
    cols = np.arange(matrix.shape[1])
    picked = matrix[np.maximum(rows, 0), cols]
    picked[rows < 0] = 0.0
    return picked


def weighted_median_col(stake: np.ndarray, score: np.ndarray, majority: float) -> np.ndarray:
    """`math.rs::weighted_median_col`: per column of `score` (V, M), the stake-weighted median
    over the rows with positive stake, where `majority` (e.g. kappa) is the share of stake that
    must weight at or above the result. Stake, scores and majority are put on the I32F32 grid by
    flooring and the median's decision is exact there; the value returned is the score as given.
    Stake is taken as given (the chain's stake is normalised; its sum must stay below 2**13),
    scores must lie in [0, 256)."""
    stake = np.asarray(stake, dtype=np.float64)
    score = np.asarray(score, dtype=np.float64)
    if score.ndim != 2 or stake.shape != (score.shape[0],):
        raise YumaInputError(f"stake {stake.shape} and score {score.shape} do not fit (V,), (V, M)")
    if score.size and not (score.min() >= 0 and score.max() < 256):
        raise YumaInputError("scores must be finite and in [0, 256)")
    if stake.size and not (np.isfinite(stake).all() and stake.min() >= 0 and stake.sum() < 2**13):
        raise YumaInputError("stake must be finite, non-negative proportions (sum below 2**13)")
    if not 0 <= majority <= 2:
        raise YumaInputError(f"majority must be a proportion, got {majority!r}")
    score_bits = np.floor(score * float(ONE_BITS))
    rows = _median_rows(to_i32f32_bits(stake), score_bits, int(to_i32f32_bits(majority)))
    return _pick(score, rows)


def is_topk_nonzero(stake: np.ndarray, k: int) -> np.ndarray:
    """`math.rs::is_topk_nonzero`: validator permits. True for non-zero entries among the k
    largest. Zero stake never gets a permit; with n <= k every non-zero entry does; otherwise the
    n - k smallest lose theirs, ranked by a stable ascending sort so that among equal values the
    lower index loses first. Float input is compared on the I32F32 grid (floor(x * 2**32)), as
    the chain compares its normalised stake; integer input is compared as is."""
    values = np.asarray(stake)
    if values.ndim != 1:
        raise YumaInputError("stake must be a vector")
    if k < 0:
        raise YumaInputError("k must be non-negative")
    if not np.issubdtype(values.dtype, np.integer):
        values = to_i32f32_bits(values)
    result = values != 0
    n = values.shape[0]
    if n < k:
        return result
    order = np.argsort(values, kind="stable")
    result[order[: n - k]] = False
    return result


def _alpha_sigmoid_into(
    consensus: np.ndarray,
    weight: np.ndarray,
    bond: np.ndarray,
    alpha_low: float,
    alpha_high: float,
    steepness: float,
) -> np.ndarray:
    """`alpha_sigmoid` into a fresh array, for weights and bonds in [0, 1], with branch-free
    arithmetic (a masked select is several times slower on large matrices).

    With w, b, c in [0, 1] the chain's `diff` is max(b - w, [w >= b] * max(w - c, 0)): where
    w < b that is b - w (> 0, the selling side), where w >= b it is max(w - c, 0) (buying, since
    b - w <= 0 there); neither exceeds 1, so the clamps to 1 cannot bind. The exponent is
    clamped to [-20, 20] only when the steepness can reach it; the result lies in
    [alpha_low, alpha_high] by construction (the chain's final clamp cannot bind).
    """
    diff = np.subtract(weight, consensus)
    np.maximum(diff, 0.0, out=diff)
    diff *= np.greater_equal(weight, bond)
    np.maximum(diff, np.subtract(bond, weight), out=diff)
    diff -= 0.5
    diff *= steepness / -100.0
    if abs(steepness) / 200.0 > 20.0:  # |exponent| <= |steepness| / 200 since diff is in [0, 1]
        np.clip(diff, -20.0, 20.0, out=diff)
    np.exp(diff, out=diff)
    diff += 1.0
    np.divide(alpha_high - alpha_low, diff, out=diff)
    diff += alpha_low
    return diff


def alpha_sigmoid(
    consensus: np.ndarray,
    weight: np.ndarray,
    bond: np.ndarray,
    alpha_low: float,
    alpha_high: float,
    steepness: float,
) -> np.ndarray:
    """`run_epoch.rs::alpha_sigmoid`, broadcast over arrays: the liquid-alpha EMA rate of a bond.

    diff = clamp(w - c, 0, 1) if w >= b (buying), else clamp(b - w, 0, 1) (selling);
    alpha = clamp(low + (high - low) / (1 + exp((steepness / -100) * (diff - 1/2))), low, high)
    with the exponent clamped to [-20, 20] like `exp_safe`. `alpha_low`/`alpha_high` are
    proportions (u16 / 65535); `steepness` is the stored value (default 1000).
    """
    w = np.asarray(weight, dtype=np.float64)
    b = np.asarray(bond, dtype=np.float64)
    c = np.asarray(consensus, dtype=np.float64)
    diff = np.where(w >= b, np.clip(w - c, 0.0, 1.0), np.clip(b - w, 0.0, 1.0))
    exponent = np.clip((steepness / -100.0) * (diff - 0.5), -20.0, 20.0)
    alpha = alpha_low + (alpha_high - alpha_low) / (1.0 + np.exp(exponent))
    return np.clip(alpha, alpha_low, alpha_high)


def mat_ema_alpha(new: np.ndarray, old: np.ndarray, alpha: np.ndarray | float) -> np.ndarray:
    """`math.rs::mat_ema_alpha`: `min(1, (1 - alpha) * old + max(0, alpha * new))` per entry."""
    new = np.asarray(new, dtype=np.float64)
    old = np.asarray(old, dtype=np.float64)
    alpha = np.asarray(alpha, dtype=np.float64)
    out = np.maximum(alpha * new, 0.0)
    out += (1.0 - alpha) * old
    return np.minimum(out, 1.0, out=out)


# --------------------------------------------------------------------------------------------
# The epoch
# --------------------------------------------------------------------------------------------


def _checked_inputs(
    stake: np.ndarray, weights: np.ndarray, bonds_prev: np.ndarray | None, bonds_max: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The inputs as float64 arrays (not copied when they already are: nothing below writes to
    them), or `YumaInputError`. Non-finite weights are caught later by their row sums."""
    s = np.asarray(stake, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if s.ndim != 1 or w.ndim != 2 or w.shape[0] != s.shape[0]:
        raise YumaInputError(f"stake must be (V,) and weights (V, M); got {s.shape} and {w.shape}")
    if s.size and not (np.isfinite(s).all() and s.min() >= 0):
        raise YumaInputError("stake must be finite and non-negative")
    if w.size and not w.min() >= 0:
        raise YumaInputError("weights must be finite and non-negative")
    b = None
    if bonds_prev is not None:
        b = np.asarray(bonds_prev, dtype=np.float64)
        if b.shape != w.shape:
            raise YumaInputError(
                f"bonds_prev must have the shape of weights {w.shape}, got {b.shape}"
            )
        if b.size and not (b.min() >= 0 and b.max() <= bonds_max):
            what = "in [0, 1]" if bonds_max == 1.0 else "finite and non-negative"
            raise YumaInputError(f"bonds_prev must be {what}")
    return s, w, b


def _weight_bits(w: np.ndarray) -> np.ndarray:
    """Row-normalised weights as I32F32 bits held in float64: floor(w_ij / row sum * 2**32),
    the chain's truncating division (`inplace_row_normalize`); rows summing to 0 stay 0. A true
    division (not a multiplication by the reciprocal) so that a lone weight becomes exactly 1."""
    sums = w.sum(axis=1)
    if not np.isfinite(sums).all():
        raise YumaInputError("weights must be finite and non-negative")
    sums[sums == 0] = 1.0
    bits = np.divide(w, sums[:, None])
    bits *= float(ONE_BITS)
    return np.floor(bits, out=bits)


def _col_normalise_bits(bits: np.ndarray) -> np.ndarray:
    """In place on I32F32 bits held in float64: floor(x * 2**32 / column sum), the chain's
    truncating `inplace_col_normalize`; columns summing to 0 stay as they are."""
    sums = bits.sum(axis=0)
    sums[sums == 0] = 1.0
    bits /= sums  # a true division: x / x must give exactly 1
    bits *= float(ONE_BITS)
    return np.floor(bits, out=bits)


def _col_max_upscale_bits(bits: np.ndarray) -> np.ndarray:
    """In place on bits: floor(x * 2**32 / column max), `inplace_col_max_upscale` truncating."""
    if bits.size:
        maxima = bits.max(axis=0)
        maxima[maxima == 0] = 1.0
        bits /= maxima  # the column max becomes exactly 1
        bits *= float(ONE_BITS)
        np.floor(bits, out=bits)
    return bits


def _legacy_bonds_bits(
    w_bonds: np.ndarray, stake_bits: np.ndarray, bonds_prev: np.ndarray | None, alpha_bits: int
) -> np.ndarray:
    """Legacy EMA bonds, column-normalised, as I32F32 bits held in float64.

    Legacy bonds are stored column max-upscaled and read back as u16, so their last bit decides
    the stored values: every step is floored like the chain's fixed-point products and
    truncating divisions (float64 holds these integers exactly; products are rounded to 53 bits
    before the floor, which only matters within 2**-21 of a grid point).
        delta = colnorm(floor(W_b * S));  B = colnorm(bonds_prev)
        ema   = colnorm(floor(a * delta) + floor((1 - a) * B))
    """
    alpha = alpha_bits / ONE_BITS
    delta = np.multiply(w_bonds, stake_bits[:, None].astype(np.float64))
    np.floor(delta, out=delta)
    _col_normalise_bits(delta)
    delta *= alpha
    np.floor(delta, out=delta)
    if bonds_prev is not None:
        old = np.array(bonds_prev, dtype=np.float64)  # any column scale: normalised next
        _col_normalise_bits(old)
        old *= (ONE_BITS - alpha_bits) / ONE_BITS
        delta += np.floor(old, out=old)
        del old
    return _col_normalise_bits(delta)


def _sparse_bond_entries(
    entries: np.ndarray,
    w: np.ndarray,
    w_bonds: np.ndarray,
    consensus: np.ndarray,
    penalty_bits: int,
) -> np.ndarray:
    """Where the production epoch's sparse bonds-weight rows have an entry, as a (V, M) bool.

    `mat_ema_alpha_sparse` writes a bond only for the columns of the validator's W_b row, so a
    bond whose weight is absent is dropped rather than decayed. Which entries W_b has depends on
    the penalty: at 0 it is the stored weights (explicit zeros included); at 1 the clipped ones,
    where `col_clip_sparse` drops a positive weight on a column whose consensus is 0; in between
    `interpolate_sparse` keeps only positive values.
    """
    if penalty_bits == 0:
        return entries
    if penalty_bits == ONE_BITS:
        return entries & ~((consensus == 0) & (w > 0))
    return w_bonds > 0


def yuma_epoch(
    stake: np.ndarray,
    weights: np.ndarray,
    bonds_prev: np.ndarray | None,
    params: YumaParams | None = None,
    *,
    weight_entries: np.ndarray | None = None,
    alpha_consensus: np.ndarray | None = None,
) -> YumaResult:
    """Run one Yuma epoch on a validators x miners view.

    stake           (V,) non-negative active stake of each row (normalised inside; a zero row
                    has no say in consensus and earns no dividends)
    weights         (V, M) raw non-negative weights (row-normalised inside; e.g. the stored u16)
    bonds_prev      (V, M) or None. Yuma3: absolute bonds in [0, 1] (`u16_to_float` of
                    storage). Legacy: any per-column scale (stored u16 or max-upscaled).
    weight_entries  optional (V, M) bool: which weights are stored entries (after the runtime's
                    masks), for the production sparse epoch's one difference: with liquid alpha
                    a bond survives only where its bonds-weight entry exists (see
                    `_sparse_bond_entries`). None gives the dense epoch.
    alpha_consensus optional (M,) consensus that feeds liquid alpha's `alpha_sigmoid` instead of
                    this epoch's (`LiquidAlphaConsensusMode` Previous, ECONOMICS-2026 §7.7).
    The caller's arrays are never modified.
    """
    params = params or YumaParams()
    bonds_max = 1.0 if params.yuma3 else np.finfo(np.float64).max
    s, w_raw, b_prev = _checked_inputs(stake, weights, bonds_prev, bonds_max)
    n_val, n_miner = w_raw.shape
    if weight_entries is not None:
        weight_entries = np.asarray(weight_entries, dtype=bool)
        if weight_entries.shape != w_raw.shape:
            raise YumaInputError(f"weight_entries must have the shape of weights {w_raw.shape}")

    # The median renormalises its stake in I32F32 itself, so proportions (the chain's active
    # stake, summing to at most 1) are taken bit for bit; larger scales are normalised first.
    stake_bits = to_i32f32_bits(s if s.sum() <= 1.0 else normalise(s))
    s = normalise(s)
    w = _weight_bits(w_raw)
    median_rows = _median_rows(stake_bits, w, params.kappa_bits)
    w *= 1.0 / ONE_BITS  # now the row-normalised weights, on the I32F32 grid
    consensus = _pick(w, median_rows)

    clipped = np.minimum(w, consensus)
    validator_trust = clipped.sum(axis=1)
    incentive = normalise(np.einsum("i,ij->j", s, clipped))  # einsum: no BLAS threads

    penalty_bits = params.bonds_penalty_bits
    if penalty_bits == 0:
        w_bonds = w
    elif penalty_bits == ONE_BITS:
        w_bonds = clipped
    else:
        w_bonds = clipped - w
        w_bonds *= penalty_bits / ONE_BITS
        w_bonds += w
    sparse_bonds = None
    if weight_entries is not None and params.yuma3 and params.liquid_alpha:
        sparse_bonds = _sparse_bond_entries(weight_entries, w, w_bonds, consensus, penalty_bits)
    del w, clipped

    ema_alpha = params.ema_alpha_bits / ONE_BITS
    if params.yuma3:
        b = b_prev if b_prev is not None else np.zeros((n_val, n_miner))
        sigmoid_consensus = consensus if alpha_consensus is None else \
            np.asarray(alpha_consensus, dtype=np.float64)
        if params.liquid_alpha and np.any(sigmoid_consensus != 0):
            alpha = _alpha_sigmoid_into(
                sigmoid_consensus,
                w_bonds,
                b,
                params.alpha_low_float,
                params.alpha_high_float,
                params.alpha_sigmoid_steepness,
            )
            bonds = np.subtract(w_bonds, b)  # (1 - a) * b + a * w  ==  b + a * (w - b)
            bonds *= alpha
            del alpha
            bonds += b
            np.minimum(bonds, 1.0, out=bonds)
            if sparse_bonds is not None:
                bonds *= sparse_bonds
        else:
            bonds = w_bonds * ema_alpha
            bonds += (1.0 - ema_alpha) * b
        # D_i = sum_j (bonds_ij / colsum_j) * I_j * s_i, without materialising the normalised bonds
        per_bond = incentive / _col_sums_or_one(bonds)
        dividends = normalise(np.einsum("ij,j->i", bonds, per_bond) * s)
    else:
        bonds = _legacy_bonds_bits(w_bonds, stake_bits, b_prev, params.ema_alpha_bits)
        dividends = normalise(np.einsum("ij,j->i", bonds, incentive))
        _col_max_upscale_bits(bonds)
        bonds *= 1.0 / ONE_BITS

    return YumaResult(
        consensus=consensus,
        incentive=incentive,
        dividends=dividends,
        validator_trust=validator_trust,
        bonds=bonds,
    )


# --------------------------------------------------------------------------------------------
# From the epoch's proportions to rao
# --------------------------------------------------------------------------------------------


def epoch_emission_split(
    incentive: np.ndarray,
    dividends: np.ndarray,
    active_stake: np.ndarray,
    rao_emission: int,
    stake: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """ECONOMICS.md §7.8: per-UID (server, validator) emission in rao, as uint64 arrays.

    All vectors are per UID (length n; scatter the V dividends into their UIDs first).
    Emulated in integers exactly as the chain does it: incentive, dividends and stake are taken
    on the I32F32 grid (floor(x * 2**32)); `server_i = I_i / sum(I + D)` and
    `validator_i = D_i / sum(I + D)` are truncating I32F32 divisions; if that sum is 0 the
    validators' share is the active stake instead (or `stake` when the active stake is all 0);
    each share times `rao_emission` is floored (I96F32 -> u64). The total paid never exceeds
    `rao_emission`; the shortfall is floor dust of a few rao per UID.
    """
    if not isinstance(rao_emission, int) or not 0 <= rao_emission < 2**64:
        raise YumaInputError(f"rao_emission must be a u64 integer, got {rao_emission!r}")
    i_bits = to_i32f32_bits(incentive)
    d_bits = to_i32f32_bits(dividends)
    if i_bits.shape != d_bits.shape or i_bits.ndim != 1:
        raise YumaInputError("incentive and dividends must be vectors of the same length")
    total = int(i_bits.sum()) + int(d_bits.sum())
    if total != 0:
        server_norm = _fixed_ratio_bits(i_bits, total)
        validator_norm = _fixed_ratio_bits(d_bits, total)
    else:
        server_norm = i_bits
        validator_norm = to_i32f32_bits(active_stake)
        if int(validator_norm.sum()) == 0 and stake is not None:
            validator_norm = to_i32f32_bits(stake)

    return _times_rao(server_norm, rao_emission), _times_rao(validator_norm, rao_emission)


def _times_rao(norm_bits: np.ndarray, rao: int) -> np.ndarray:
    """floor(norm * rao) for I32F32 proportions (bits <= 2**32) and a u64 amount, exactly, in
    uint64: with rao = hi * 2**32 + lo, (bits * rao) >> 32 = bits * hi + (bits * lo) >> 32, and
    neither product can overflow."""
    bits = np.asarray(norm_bits, dtype=np.int64).astype(np.uint64)
    hi, lo = np.uint64(rao >> 32), np.uint64(rao & (ONE_BITS - 1))
    return bits * hi + ((bits * lo) >> np.uint64(32))

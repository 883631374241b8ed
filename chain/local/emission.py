"""Block emission from total issuance: subtensor's halving schedule, exactly as the chain rounds.

`get_block_emission_for_issuance` (pallets/subtensor/src/coinbase/block_emission.rs) works in
I96F32 (32 fractional bits): q = issuance / 21e15, k = floor(log2(1 / (1 - q))), emission =
floor(1e9 / 2^k). Halvings therefore happen by issuance, not by block number: at 10.5 M, 15.75 M,
18.375 M TAO, ... and never above the 21 M cap. Because emission is constant between two
thresholds, many blocks can be skipped in closed form (`emit_blocks`).
"""

from __future__ import annotations

from functools import cache

TOTAL_SUPPLY = 21_000_000_000_000_000  # rao, the 21 M TAO cap
DEFAULT_BLOCK_EMISSION = 1_000_000_000  # rao, 1 TAO per block before the first halving
_FRAC = 32  # I96F32 fractional bits
_ONE = 1 << _FRAC


def halving_index(issuance: int) -> int:
    """k = floor(log2(1 / (1 - issuance/21e15))) with I96F32 division (truncating) as on chain.

    q's bits are (issuance << 32) // 21e15 (truncated); 1/(1-q) is (2^64) // (2^32 - q_bits)
    (truncated); floor(log2(x)) of an I96F32 x >= 1 is the position of its top integer bit.
    """
    q_bits = (issuance << _FRAC) // TOTAL_SUPPLY
    one_minus = _ONE - q_bits
    if one_minus <= 0:
        return 64
    inv_bits = (_ONE << _FRAC) // one_minus
    return inv_bits.bit_length() - 1 - _FRAC


def block_emission_for_issuance(issuance: int) -> int:
    """Rao minted per block at this issuance: floor(1e9 / 2^k); 0 at or above the cap.

    (1/2^k) is exact in I96F32 for k <= 32 and 0 beyond, and the product with 1e9 is floored.
    """
    if issuance >= TOTAL_SUPPLY:
        return 0
    k = halving_index(issuance)
    if k > _FRAC:
        return 0
    return DEFAULT_BLOCK_EMISSION >> k


@cache
def halving_threshold(k: int) -> int:
    """The smallest issuance (rao) at which the halving index reaches `k` (k >= 1).

    Found by bisection over the exact on-chain function, so rounding near the threshold is the
    chain's, not the ideal 21e6 * (1 - 2^-k).
    """
    lo, hi = 0, TOTAL_SUPPLY
    while lo < hi:
        mid = (lo + hi) // 2
        if halving_index(mid) >= k:
            hi = mid
        else:
            lo = mid + 1
    return lo


def emission_span(issuance: int) -> tuple[int, int]:
    """The issuances [lo, hi) around `issuance` over which `block_emission_for_issuance` does
    not change: from this halving's threshold to the next one's (capped at the supply). The
    coinbase asks for each subnet's alpha emission every block; inside the span it is the
    one it already has. An empty span (lo == hi) at or above the cap or past 32 halvings."""
    if issuance >= TOTAL_SUPPLY or block_emission_for_issuance(issuance) == 0:
        return issuance, issuance
    k = halving_index(issuance)
    lo = halving_threshold(k) if k else 0
    return lo, min(halving_threshold(k + 1), TOTAL_SUPPLY)


def next_threshold(issuance: int) -> int | None:
    """The issuance at which emission next drops (the next halving), or None if it never will."""
    if block_emission_for_issuance(issuance) == 0:
        return None
    return halving_threshold(halving_index(issuance) + 1)


def mint_amount(issuance: int) -> int:
    """What one block mints: the emission, capped so issuance never passes 21 M TAO."""
    return min(block_emission_for_issuance(issuance), max(TOTAL_SUPPLY - issuance, 0))


def blocks_until_halving(issuance: int) -> int | None:
    """How many blocks of emission until issuance reaches the next threshold (ceil division)."""
    threshold = next_threshold(issuance)
    if threshold is None:
        return None
    emission = block_emission_for_issuance(issuance)
    return -(-(threshold - issuance) // emission)


def emit_blocks(issuance: int, blocks: int) -> int:
    """Total minted by `blocks` consecutive blocks starting at `issuance`, in closed form.

    Equal to summing `mint_amount` block by block (a property test holds it to that), but it
    jumps from threshold to threshold, so ten million blocks cost a handful of steps.
    """
    minted = 0
    while blocks > 0:
        emission = mint_amount(issuance + minted)
        if emission == 0:
            break
        span = blocks_until_halving(issuance + minted)
        step = blocks if span is None else min(blocks, span)
        if issuance + minted + step * emission > TOTAL_SUPPLY:
            # the cap bites inside this run: whole blocks first, then the capped remainder
            whole = (TOTAL_SUPPLY - issuance - minted) // emission
            minted += whole * emission
            blocks -= whole
            if blocks > 0:
                minted += mint_amount(issuance + minted)
                blocks -= 1
            continue
        minted += step * emission
        blocks -= step
    return minted


def halvings_in_run(issuance: int, first: int, count: int) -> list[tuple[int, int]]:
    """The halvings inside blocks first..first+count-1 when block `first` mints at `issuance`.

    Returns (k, block) pairs: `block` is the first block whose emission is the k-th halved
    rate (its issuance before minting has reached the threshold). No recycling is assumed.
    """
    found = []
    block, end = first, first + count - 1
    while block <= end:
        span = blocks_until_halving(issuance)
        if span is None or block + span > end:
            break
        issuance += span * block_emission_for_issuance(issuance)
        block += span
        found.append((halving_index(issuance), block))
    return found

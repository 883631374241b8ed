"""The coinbase's per-block pool step in one call: `inject_and_maybe_swap` (§4.2.4, §3.4).

Each block, every emitting subnet's pool is re-weighted for the TAO and alpha the protocol
injects (`adjust_protocol_liquidity`), the TAO that could not be injected buys alpha fee-less
(`swap(.., drop_fees=True)`, the "chain buy"), then the injected amounts join the reserves.

`inject_and_buy` gives exactly what that sequence of public calls gives (a property test holds
it to them), but for the weighted pool it works on plain integers and builds one `Pool` at the
end instead of three plus a `SwapResult`: the bundled chain runs it for every subnet in every
block, and it was the largest part of a block's coinbase. Stable and constant-product pools,
and the (in practice unreachable) partial fill against the default limit price, take the
generic calls.
"""

from __future__ import annotations

from typing import NamedTuple

from amm import balancer as bal
from amm.errors import AmmError
from amm.pool import BUY, RAO_PER_TAO, WEIGHTED, Pool
from amm.swap import (
    MAX_PRICE_RAO,
    MAX_SWAP_INPUT_RESERVE_MULTIPLIER,
    MINIMUM_RESERVE,
    adjust_protocol_liquidity,
    limit_to_bits,
    swap,
)

_BUY_LIMIT = limit_to_bits(MAX_PRICE_RAO)  # the chain buy's (default) limit price, U64F64
_MAX_WEIGHT_RATIO = (bal.ACCURACY - bal.MIN_WEIGHT) // bal.MIN_WEIGHT  # w1/w2 <= 99


def _under_limit(weight: int, alpha_reserve: int, tao_reserve: int) -> bool:
    """`price_bits(weight, alpha, tao) < _BUY_LIMIT`, without the divisions when the reserves
    settle it: that price is at most (w1/w2)(y/x) <= 99 y/x (each step floors), so
    99 y / x below the limit of 1e6 TAO per alpha is enough."""
    if tao_reserve * _MAX_WEIGHT_RATIO * RAO_PER_TAO < MAX_PRICE_RAO * alpha_reserve:
        return True
    return bal.price_bits(weight, alpha_reserve, tao_reserve) < _BUY_LIMIT


class Injection(NamedTuple):
    """One block's pool step. `pool` is the input object itself when nothing moved."""

    pool: Pool
    tao_in: int  # TAO injected into the reserve (0 when the re-weighting was refused)
    alpha_in: int  # alpha injected into the reserve
    bought: int  # alpha the excess TAO bought (0: no buy, or it failed)


def inject_and_buy(pool: Pool, tao: int, alpha: int, excess: int) -> Injection:
    """Re-weight `pool` for injecting `tao` and `alpha` (rao), buy alpha with `excess` TAO
    fee-less against the re-weighted pool (skipped when `excess` is 0, or when the swap would
    fail), then add the injected amounts to the reserves."""
    if pool.stable or pool.model != WEIGHTED:
        return _generic(pool, tao, alpha, excess)
    weight = bal.weight_after_liquidity(pool.tao_weight, pool.tao_reserve, pool.alpha_reserve,
                                        tao, alpha)
    asked = (tao, alpha)
    moved = weight is not None
    if weight is None:  # refused: nothing is injected and the weights stay
        weight, tao, alpha = pool.tao_weight, 0, 0
    tao_reserve, alpha_reserve, bought = pool.tao_reserve, pool.alpha_reserve, 0
    if excess > 0:
        fill = _buy(weight, tao_reserve, alpha_reserve, excess)
        if fill is None:  # a partial fill: let the full swap decide
            return _generic(pool, *asked, excess)
        if fill:
            bought, tao_reserve, alpha_reserve = fill
            moved = True
    if not moved:
        return Injection(pool, 0, 0, 0)
    tao_reserve, alpha_reserve = tao_reserve + tao, alpha_reserve + alpha
    # the weight passed `weights_valid`, the rest is the input pool's: only the reserves
    # could (in theory) leave u64, and then the checked constructor raises as before
    build = Pool.unchecked if tao_reserve <= bal.MAX_U64 and alpha_reserve <= bal.MAX_U64 \
        else Pool
    return Injection(build(tao_reserve, alpha_reserve, weight, pool.fee_rate, pool.model,
                           pool.stable), tao, alpha, bought)


def _buy(weight: int, tao_reserve: int, alpha_reserve: int, amount: int):
    """`swap(Pool(tao_reserve, alpha_reserve, weight), BUY, amount, drop_fees=True)` reduced
    to (alpha out, tao after, alpha after); () where that swap raises; None for a partial fill.
    The guards are swap's, in its order."""
    if amount > min(tao_reserve * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, bal.MAX_U64):
        return ()
    if alpha_reserve < MINIMUM_RESERVE:
        return ()
    if alpha_reserve and not _under_limit(weight, alpha_reserve, tao_reserve):
        return ()
    out = bal.alpha_out_for_tao_in(weight, tao_reserve, alpha_reserve, amount)
    tao_after = min(tao_reserve + amount, bal.MAX_U64)
    alpha_after = max(alpha_reserve - out, 0)
    if alpha_after and not (_under_limit(weight, alpha_after, tao_after)
                            or bal.price_bits(weight, alpha_after, tao_after) == _BUY_LIMIT):
        return None
    if not out or out > alpha_reserve:
        return ()
    return out, tao_after, alpha_after


def _generic(pool: Pool, tao: int, alpha: int, excess: int) -> Injection:
    """The same step through the public calls (any pool model)."""
    weighted, tao_in, alpha_in = adjust_protocol_liquidity(pool, tao, alpha)
    bought = 0
    if excess > 0:
        try:
            result = swap(weighted, BUY, excess, drop_fees=True)
        except AmmError:
            result = None
        if result is not None:
            weighted, bought = result.pool_after, result.amount_out
    if tao_in or alpha_in:
        weighted = weighted.with_reserves(weighted.tao_reserve + tao_in,
                                          weighted.alpha_reserve + alpha_in)
    return Injection(weighted, tao_in, alpha_in, bought)

"""The coinbase's per-block pool step in one call: `inject_pool_liquidity_and_swap_excess`
(ECONOMICS-2026 §3.4, §4.2.4').

Each block, for every emitting subnet, the TAO that cannot be injected buys alpha fee-less
first (`swap(.., drop_fees=True)`, the "chain buy"), then the post-buy pool is re-weighted for
the TAO and alpha the protocol injects plus what earlier blocks parked in the balancer
reservoirs (`adjust_protocol_liquidity_with_reservoirs`); what cannot be made price-active
stays parked, and the price-active amounts join the reserves.

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
from amm.errors import AmmError, InvalidPool
from amm.pool import BUY, RAO_PER_TAO, WEIGHTED, Pool
from amm.swap import (
    MAX_PRICE_RAO,
    MAX_SWAP_INPUT_RESERVE_MULTIPLIER,
    MINIMUM_RESERVE,
    RESERVOIR_FALLBACK_ORDER,
    adjust_protocol_liquidity_with_reservoirs,
    limit_to_bits,
    spot_price,
    swap,
)

# the balancer's constants as this module's globals: the per-block forms below read them
# without an attribute lookup each
_ACCURACY, _HALF, _MIN_WEIGHT = bal.ACCURACY, bal.HALF, bal.MIN_WEIGHT
_MAX_U64, _MAX_U128 = bal.MAX_U64, bal.MAX_U128
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
    tao_in: int  # TAO made price-active (this block's and released reservoir TAO)
    alpha_in: int  # alpha made price-active
    bought: int  # alpha the excess TAO bought (0: no buy, or it failed)
    tao_reservoir: int = 0  # `BalancerTaoReservoir` after the step
    alpha_reservoir: int = 0  # `BalancerAlphaReservoir` after the step
    paid_in: int | None = None  # TAO the buy consumed when a partial fill left some unspent


def inject_and_buy(pool: Pool, tao: int, alpha: int, excess: int, tao_reservoir: int = 0,
                   alpha_reservoir: int = 0) -> Injection:
    """`inject_pool_liquidity_and_swap_excess` of specs 461-475 on `pool`: buy alpha with
    `excess` TAO fee-less first (skipped when 0, or when the swap would fail), then re-weight
    the post-buy pool for this block's `tao` and `alpha` plus the parked reservoirs
    (`adjust_protocol_liquidity_with_reservoirs`), then add the price-active amounts."""
    if pool.stable or pool.model != WEIGHTED:
        return _generic(pool, tao, alpha, excess, tao_reservoir, alpha_reservoir)
    step = inject_reserves(pool.tao_weight, pool.tao_reserve, pool.alpha_reserve, tao, alpha,
                           excess, tao_reservoir, alpha_reservoir)
    if step is None:  # a partial fill: let the full swap decide
        return _generic(pool, tao, alpha, excess, tao_reservoir, alpha_reservoir)
    weight, tao_reserve, alpha_reserve, tao_active, alpha_active, bought, parked_tao, \
        parked_alpha, moved = step
    after = pool
    if moved:  # `inject_reserves` checked the reserves and the weight
        after = Pool.unchecked(tao_reserve, alpha_reserve, weight, pool.fee_rate, pool.model,
                               pool.stable)
    return Injection(after, tao_active, alpha_active, bought, parked_tao, parked_alpha, None)


ReserveStep = tuple[int, int, int, int, int, int, int, int, bool]
"""One block's pool step on a weighted pool's plain integers (`inject_reserves`), in order:
the TAO weight, `SubnetTAO` and `SubnetAlphaIn` after the step; the TAO and the alpha made
price-active; the alpha the excess TAO bought (0: no buy, or it failed); `BalancerTaoReservoir`
and `BalancerAlphaReservoir` after the step; whether the pool changed. (A plain tuple, not a
NamedTuple: building a tuple subclass costs as much as the rest of the step's bookkeeping, and
the coinbase takes one per subnet per block.)"""


def inject_reserves(weight: int, tao_reserve: int, alpha_reserve: int, tao: int, alpha: int,
                    excess: int, tao_reservoir: int,
                    alpha_reservoir: int) -> ReserveStep | None:
    """`inject_and_buy` of a weighted (not stable) pool on its plain integers, for the
    coinbase, which holds every subnet's pool that way through a run of blocks; None for a
    partial fill (the generic swap decides). The reserves are checked as `Pool` checks them
    (`InvalidPool` past u64); a new weight has passed `weights_valid`."""
    bought = 0
    if excess > 0:
        fill = _buy(weight, tao_reserve, alpha_reserve, excess)
        if fill is None:
            return None
        if fill:
            bought, tao_reserve, alpha_reserve = fill
    pend_tao, pend_alpha = tao_reservoir + tao, alpha_reservoir + alpha
    t = a = 0
    new_weight = None
    for take_tao, take_alpha in RESERVOIR_FALLBACK_ORDER:
        t, a = (pend_tao if take_tao else 0), (pend_alpha if take_alpha else 0)
        new_weight = weight_after(weight, tao_reserve, alpha_reserve, t, a)
        if new_weight is not None:
            weight = new_weight
            break
    if new_weight is None:
        t = a = 0
        if not bought:
            return weight, tao_reserve, alpha_reserve, 0, 0, 0, pend_tao, pend_alpha, False
    tao_reserve, alpha_reserve = tao_reserve + t, alpha_reserve + a
    if tao_reserve > _MAX_U64 or alpha_reserve > _MAX_U64:
        raise InvalidPool("reserves must be between 0 and u64::MAX rao")
    return (weight, tao_reserve, alpha_reserve, t, a, bought, pend_tao - t, pend_alpha - a,
            True)


def pool_price(pool: Pool) -> int:
    """`spot_price(pool)` (U64F64) with a weighted pool's `price_bits` inlined
    (`weighted_price`); a property test holds it to `spot_price`."""
    if pool.model == WEIGHTED and not pool.stable:
        return weighted_price(pool.tao_weight, pool.tao_reserve, pool.alpha_reserve)
    return spot_price(pool)


def weighted_price(weight: int, tao_reserve: int, alpha_reserve: int) -> int:
    """A weighted pool's spot price (U64F64) from its plain integers (the coinbase asks for
    every subnet's price after each block's injection): `bal.price_bits` inlined, (w1/w2) *
    (y/x), each division truncating, the product floored and capped at u128::MAX."""
    if not alpha_reserve:
        return 0
    ratio_w = ((_ACCURACY - weight) << 64) // weight if weight else 0
    price = (ratio_w * ((tao_reserve << 64) // alpha_reserve)) >> 64
    return price if price < _MAX_U128 else _MAX_U128


def weight_after(tao_weight: int, tao_reserve: int, alpha_reserve: int, tao_delta: int,
                  alpha_delta: int) -> int | None:
    """`bal.weight_after_liquidity` with `mul_perquintill_round`, `perquintill_from_rational`
    and `weights_valid` inlined and its caps written as comparisons (every subnet, every
    block); a property test holds the two equal."""
    top, accuracy, half = _MAX_U128, _ACCURACY, _HALF
    value = tao_reserve * (alpha_reserve + alpha_delta)
    q1 = ((value if value < top else top) * (accuracy - tao_weight) + half) // accuracy
    value = alpha_reserve * (tao_reserve + tao_delta)
    q2 = ((value if value < top else top) * tao_weight + half) // accuracy
    if q1 > top:
        q1 = top
    if q2 > top:
        q2 = top
    q_sum = q1 + q2
    if q_sum > top:
        q_sum = top
    if q_sum:
        new_weight = accuracy if q2 > q_sum else q2 * accuracy // q_sum
    else:
        new_weight = half
    min_weight = _MIN_WEIGHT
    return new_weight if new_weight >= min_weight and accuracy - new_weight >= min_weight \
        else None


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


def _generic(pool: Pool, tao: int, alpha: int, excess: int, tao_reservoir: int = 0,
             alpha_reservoir: int = 0) -> Injection:
    """The same step through the public calls (any pool model): the reference."""
    bought, after_buy, paid_in = 0, pool, None
    if excess > 0:
        try:
            result = swap(pool, BUY, excess, drop_fees=True)
        except AmmError:
            result = None
        if result is not None:
            after_buy, bought = result.pool_after, result.amount_out
            paid_in = result.amount_in if result.amount_in < excess else None
    step = adjust_protocol_liquidity_with_reservoirs(after_buy, tao, alpha, tao_reservoir,
                                                     alpha_reservoir)
    weighted = step.pool
    if step.tao_active or step.alpha_active:
        weighted = weighted.with_reserves(weighted.tao_reserve + step.tao_active,
                                          weighted.alpha_reserve + step.alpha_active)
    return Injection(weighted, step.tao_active, step.alpha_active, bought, step.tao_reservoir,
                     step.alpha_reservoir, paid_in)

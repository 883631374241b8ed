"""Swaps against a pool, step for step as subtensor runs them (`pallets/swap/src/pallet/impls.rs`,
`swap_step.rs`, and the staking calls in `pallets/subtensor/src/staking/`).

Two layers:

- `swap(pool, direction, amount, limit_price=..., drop_fees=...)` is the pallet's
  `SwapHandler::swap`: fee, guards, limit price, one swap step that fills in full or only up to
  the limit price (a partial fill), output. Amount 0 is allowed and swaps nothing.
- `buy` / `sell` are the staking calls on top of it: plain `add_stake` / `remove_stake` with no
  limit (the pallet's default limits 1e15 / 1000 rao per alpha), or with a limit price the
  `*_stake_limit` calls: `max_amount_add/remove` caps the amount and, without `allow_partial`,
  an amount above it is refused with `SlippageTooHigh`.

The order of checks is the chain's: fee, then `SwapInputTooLarge` (net input above 1000 x the
input reserve), then `ReservesTooLow` (output reserve below `MinimumReserve`), then
`PriceLimitExceeded` (current price not strictly on the right side of the limit). Nothing is
changed by a refused swap: pools are immutable and the result carries `pool_after`.

Limit prices are in rao per alpha (u64), converted as the chain does:
`limit = U64F64(limit_rao) / U64F64(1e9)`, truncated.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import NamedTuple

from amm import balancer as bal
from amm.errors import (
    AmountTooLow,
    InsufficientLiquidity,
    InvalidPool,
    PriceLimitExceeded,
    ReservesTooLow,
    SlippageTooHigh,
    SwapInputTooLarge,
)
from amm.pool import BUY, CONSTANT_PRODUCT, RAO_PER_TAO, SELL, Pool, SwapResult

MAX_U64 = bal.MAX_U64
MAX_U128 = bal.MAX_U128
ONE_BITS = bal.ONE_BITS
MINIMUM_RESERVE = 1_000_000  # runtime MinimumReserve, rao
MAX_SWAP_INPUT_RESERVE_MULTIPLIER = 1_000
MIN_PRICE_RAO = 1_000  # default limit for sells ("no limit")
MAX_PRICE_RAO = 1_000_000_000_000_000  # default limit for buys ("no limit")
MIN_POOL_LIQUIDITY_CP = 10_000_000  # DefaultMinimumPoolLiquidity of the constant-product pool
_FEE_DEN = bal.FEE_DENOMINATOR


# --- prices ----------------------------------------------------------------------------------


def spot_price(pool: Pool) -> int:
    """`current_price`: U64F64 bits of TAO per alpha. 1 for a stable pool, 0 with no alpha."""
    if pool.stable:
        return ONE_BITS
    return _price(pool, pool.tao_reserve, pool.alpha_reserve)


def price_rao(pool: Pool) -> int:
    """`current_alpha_price` runtime API: floor(price * 1e9) rao per alpha."""
    return min(min(spot_price(pool) * RAO_PER_TAO, MAX_U128) >> 64, MAX_U64)


def alpha_amount_for_tao(pool: Pool, tao: int) -> int:
    """`get_alpha_amount_for_tao`: alpha worth `tao` at the spot price, no slippage (used for
    transaction fees paid in alpha). `U64F64(tao) / price`, truncated; 0 when the price is 0 or
    the division overflows; 1:1 on stable pools."""
    if pool.stable:
        return tao
    price = spot_price(pool)
    if price == 0:
        return 0
    bits = (tao << 128) // price
    return 0 if bits > MAX_U128 else min(bits >> 64, MAX_U64)


def limit_to_bits(limit_rao: int) -> int:
    """A limit price in rao per alpha as U64F64 bits (`from_num(limit) / from_num(1e9)`)."""
    return (limit_rao << 64) // RAO_PER_TAO


def _price(pool: Pool, tao: int, alpha: int) -> int:
    """Price at the given reserves. The launch pool computed y/x in U96F32 (32 fractional
    bits); it is given here in U64F64 like the current pool, so both models share one API."""
    if pool.model == CONSTANT_PRODUCT:
        return (tao << 64) // alpha if alpha else 0
    return bal.price_bits(pool.tao_weight, alpha, tao) if alpha else 0


# --- the model: output for a net input, input to reach a price -------------------------------


def _output(pool: Pool, buying: bool, net_in: int) -> int:
    """Output of the pricing formula for a net input (no fee, no guards)."""
    if pool.model == CONSTANT_PRODUCT:
        return _cp_output(pool, buying, net_in)
    if buying:
        return bal.alpha_out_for_tao_in(
            pool.tao_weight, pool.tao_reserve, pool.alpha_reserve, net_in
        )
    return bal.tao_out_for_alpha_in(pool.tao_weight, pool.tao_reserve, pool.alpha_reserve, net_in)


def _cp_k_bits(pool: Pool) -> int:
    """k = x * y in U110F18, saturating at 2**128 - 1 as the launch runtime did."""
    return min((pool.alpha_reserve * pool.tao_reserve) << 18, MAX_U128)


def _cp_output(pool: Pool, buying: bool, net_in: int) -> int:
    """Constant product in U110F18: out = reserve_out - k / (reserve_in + Δ), floored."""
    reserve_in, reserve_out = (
        (pool.tao_reserve, pool.alpha_reserve) if buying else (pool.alpha_reserve, pool.tao_reserve)
    )
    new_in = reserve_in + net_in
    new_out_bits = _cp_k_bits(pool) // new_in if new_in else 0
    return max((reserve_out << 18) - new_out_bits, 0) >> 18


def _cp_new_out_reserve_ok(pool: Pool, buying: bool, net_in: int) -> bool:
    """The launch pool refused a swap leaving the output reserve below 10_000_000 rao."""
    reserve_in = pool.tao_reserve if buying else pool.alpha_reserve
    new_in = reserve_in + net_in
    new_out_bits = _cp_k_bits(pool) // new_in if new_in else 0
    return new_out_bits >= MIN_POOL_LIQUIDITY_CP << 18


def _delta_to_limit(pool: Pool, buying: bool, current: int, limit: int) -> int:
    """Net input that moves the price from `current` to `limit` (`SwapStep::delta_in`)."""
    if pool.model == CONSTANT_PRODUCT:
        k = _cp_k_bits(pool) >> 18  # the model's own (possibly saturated) invariant
        if buying:  # y' = sqrt(k * p')
            return max(math.isqrt((k * limit) >> 64) - pool.tao_reserve, 0)
        if limit == 0:
            return 0
        return max(math.isqrt((k << 64) // limit) - pool.alpha_reserve, 0)
    if buying:
        return bal.tao_in_to_reach_price(pool.tao_weight, current, limit, pool.tao_reserve)
    return bal.alpha_in_to_reach_price(pool.tao_weight, current, limit, pool.alpha_reserve)


def _reserves_after(pool: Pool, buying: bool, net_in: int, out: int) -> tuple[int, int]:
    """(tao, alpha) after a swap, with the u64 saturation of the chain's balances."""
    if buying:
        return min(pool.tao_reserve + net_in, MAX_U64), max(pool.alpha_reserve - out, 0)
    return max(pool.tao_reserve - out, 0), min(pool.alpha_reserve + net_in, MAX_U64)


# --- fees ------------------------------------------------------------------------------------


def swap_fee(pool: Pool, amount: int, drop_fees: bool = False) -> int:
    """`calculate_fee_amount`: floor(amount * U64F64(rate / 65535)). 0 on stable pools."""
    if drop_fees or pool.stable:
        return 0
    return (amount * ((pool.fee_rate << 64) // _FEE_DEN)) >> 64


def _fee_on_net(pool: Pool, net_in: int, drop_fees: bool) -> int:
    """The fee recomputed on a limit-capped net input: net * rate / (65535 - rate), floored."""
    if drop_fees or pool.stable:
        return 0
    rate_bits = (pool.fee_rate << 64) // (_FEE_DEN - pool.fee_rate)
    return min(net_in * rate_bits, MAX_U128) >> 64 if net_in else 0


# --- the swap --------------------------------------------------------------------------------


def swap(
    pool: Pool,
    direction: str,
    amount: int,
    *,
    limit_price: int | None = None,
    drop_fees: bool = False,
    simulate: bool = False,
) -> SwapResult:
    """`SwapHandler::swap`: one swap of `amount` (gross) in `direction` ("buy" or "sell").

    `limit_price` is rao per alpha; None means the pallet's default (1e15 for buys, 1000 for
    sells). `simulate` skips the final "reserve covers the output" check, as the chain's
    rolled-back simulations (`sim_swap`, `get_max_amount_*`) do.
    """
    buying = _is_buy(direction)
    if amount < 0:
        raise AmountTooLow("amount must not be negative")
    if pool.stable:
        return _stable_swap(pool, buying, amount)
    if limit_price is None:
        limit_price = MAX_PRICE_RAO if buying else MIN_PRICE_RAO
    fee = swap_fee(pool, amount, drop_fees)
    net = amount - fee
    reserve_in, reserve_out = (
        (pool.tao_reserve, pool.alpha_reserve) if buying else (pool.alpha_reserve, pool.tao_reserve)
    )
    max_input = min(reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, MAX_U64)
    if net > max_input:
        raise SwapInputTooLarge(
            f"net input {net} rao exceeds {MAX_SWAP_INPUT_RESERVE_MULTIPLIER} x the "
            f"{'TAO' if buying else 'alpha'} reserve ({max_input} rao)"
        )
    if pool.model == CONSTANT_PRODUCT:
        if (pool.alpha_reserve * pool.tao_reserve) << 18 > MAX_U128:
            raise InvalidPool(
                "reserves too large for the constant-product model (x * y overflows U110F18)"
            )
        if not _cp_new_out_reserve_ok(pool, buying, net):
            raise ReservesTooLow(
                f"the swap would leave the {'alpha' if buying else 'TAO'} reserve below "
                f"{MIN_POOL_LIQUIDITY_CP} rao"
            )
    elif reserve_out < MINIMUM_RESERVE:
        raise ReservesTooLow(
            f"the {'alpha' if buying else 'TAO'} reserve ({reserve_out} rao) is below the "
            f"minimum of {MINIMUM_RESERVE} rao"
        )
    limit = limit_to_bits(limit_price)
    current = _price(pool, pool.tao_reserve, pool.alpha_reserve)
    if (buying and not current < limit) or (not buying and not current > limit):
        raise PriceLimitExceeded(
            f"the price is already {'at or above' if buying else 'at or below'} the limit "
            f"({price_to_str_rao(current)} vs limit {limit_price} rao per alpha)"
        )

    out = _output(pool, buying, net)
    tao_after, alpha_after = _reserves_after(pool, buying, net, out)
    target = _price(pool, tao_after, alpha_after)
    partial = not (target <= limit if buying else target >= limit)
    net_in = net
    if partial:
        net_in = _delta_to_limit(pool, buying, current, limit)
        fee = _fee_on_net(pool, net_in, drop_fees)
        out = _output(pool, buying, net_in)
        tao_after, alpha_after = _reserves_after(pool, buying, net_in, out)
    if net_in and not out:
        raise ReservesTooLow("the swap would pay out nothing")
    if not simulate and out > reserve_out:
        raise InsufficientLiquidity("the pool cannot pay out the computed amount")
    after = pool.with_reserves(tao_after, alpha_after)
    return SwapResult(
        direction=BUY if buying else SELL,
        amount_requested=amount,
        amount_in=net_in + fee,
        fee=fee,
        net_in=net_in,
        amount_out=out,
        price_before=current,
        price_after=_price(pool, tao_after, alpha_after) if partial else target,
        slippage=_slippage(buying, net_in + fee, current, out),
        partial=partial,
        pool_before=pool,
        pool_after=after,
    )


def _slippage(buying: bool, amount_in: int, price: int, out: int) -> int:
    """SimSwapResult slippage: output at the spot price minus the real output, at least 0.

    Buy: `U64F64(tao) / price` (truncated; 0 if the division overflows or price is 0).
    Sell: `U64F64(alpha) * price` (saturating), both floored to u64.
    """
    if buying:
        if price == 0:
            ideal = 0
        else:
            bits = (amount_in << 128) // price
            ideal = 0 if bits > MAX_U128 else min(bits >> 64, MAX_U64)
    else:
        ideal = min(min(amount_in * price, MAX_U128) >> 64, MAX_U64)
    return max(ideal - out, 0)


def _stable_swap(pool: Pool, buying: bool, amount: int) -> SwapResult:
    """Root / mechanism 0: 1:1, no fee, no guards (`swap_tao_for_alpha` stable branch)."""
    tao_after, alpha_after = _reserves_after(pool, buying, amount, amount)
    return SwapResult(
        direction=BUY if buying else SELL,
        amount_requested=amount,
        amount_in=amount,
        fee=0,
        net_in=amount,
        amount_out=amount,
        price_before=ONE_BITS,
        price_after=ONE_BITS,
        slippage=0,
        partial=False,
        pool_before=pool,
        pool_after=pool.with_reserves(tao_after, alpha_after),
    )


def _is_buy(direction: str) -> bool:
    if direction == BUY:
        return True
    if direction == SELL:
        return False
    raise ValueError(f"direction must be {BUY!r} or {SELL!r}, got {direction!r}")


def price_to_str_rao(bits: int) -> str:
    """A U64F64 price as whole rao per alpha, for messages."""
    return f"{min(min(bits * RAO_PER_TAO, MAX_U128) >> 64, MAX_U64)} rao per alpha"


# --- the staking calls -----------------------------------------------------------------------


def buy(
    pool: Pool,
    tao_in: int,
    *,
    limit_price: int | None = None,
    allow_partial: bool = False,
    drop_fees: bool = False,
) -> SwapResult:
    """Stake: TAO in, alpha out, as `add_stake` (no limit) or `add_stake_limit` (with one).

    As the staking calls do, a zero amount is `AmountTooLow` and an amount above 1000 x the TAO
    reserve is `InsufficientLiquidity` (checked on the gross amount, before the pool's own
    `SwapInputTooLarge` on the net amount). Staking-level minimums (DefaultMinStake) are the
    caller's business.

    For an executing chain: `add_stake_limit` transfers `min(amount, max_amount_add(pool,
    limit))` from the coldkey and `TotalStake` grows by that; the swap consumes `amount_in` of
    it (net into `SubnetTAO`, fee to the block author). `result.refund` is what the caller keeps
    (for sells the chain re-stakes it). `result.pool_after` holds the new reserves.
    With a limit price (rao per alpha): the amount is capped at `max_amount_add`; when the cap
    binds and `allow_partial` is False the order is refused with `SlippageTooHigh`.
    """
    return _staking_swap(pool, BUY, tao_in, limit_price, allow_partial, drop_fees)


def sell(
    pool: Pool,
    alpha_in: int,
    *,
    limit_price: int | None = None,
    allow_partial: bool = False,
    drop_fees: bool = False,
) -> SwapResult:
    """Unstake: alpha in, TAO out, as `remove_stake` or `remove_stake_limit` (see `buy`)."""
    return _staking_swap(pool, SELL, alpha_in, limit_price, allow_partial, drop_fees)


def _staking_swap(
    pool: Pool,
    direction: str,
    amount: int,
    limit_price: int | None,
    allow_partial: bool,
    drop_fees: bool,
) -> SwapResult:
    if amount <= 0:
        raise AmountTooLow("amount must be greater than zero")
    buying = _is_buy(direction)
    reserve_in = pool.tao_reserve if buying else pool.alpha_reserve
    if not pool.stable and amount > reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER:
        # ensure_{add,remove}_stake_input_within_swap_limit: the gross amount, before the fee
        raise InsufficientLiquidity(
            f"amount {amount} rao exceeds {MAX_SWAP_INPUT_RESERVE_MULTIPLIER} x the "
            f"{'TAO' if buying else 'alpha'} reserve ({reserve_in} rao)"
        )
    if limit_price is None:
        return swap(pool, direction, amount, drop_fees=drop_fees)
    maximum = max_amount(pool, direction, limit_price)
    if amount > maximum:
        if not allow_partial:
            raise SlippageTooHigh(
                f"only {maximum} rao can be swapped before the price crosses the limit of "
                f"{limit_price} rao per alpha (asked {amount})"
            )
        capped = swap(pool, direction, maximum, limit_price=limit_price, drop_fees=drop_fees)
        return _with_request(capped, amount)
    return swap(pool, direction, amount, limit_price=limit_price, drop_fees=drop_fees)


def _with_request(result: SwapResult, requested: int) -> SwapResult:
    """The same result, recorded against the amount the user asked for (so refund shows)."""
    from dataclasses import replace

    return replace(result, amount_requested=requested, partial=True)


# --- limits ----------------------------------------------------------------------------------


def max_amount(pool: Pool, direction: str, limit_price: int) -> int:
    """`get_max_amount_add` / `get_max_amount_remove`: the most that fills within the limit.

    Stable pools: unlimited (u64::MAX) when the limit allows price 1, else 0. Otherwise the
    chain simulates a swap of 1000 x the input reserve with the limit and returns what that
    swap would take (net input plus fee). Raises `PriceLimitExceeded` when the price is already
    past the limit, as the chain's call does.
    """
    buying = _is_buy(direction)
    if pool.stable:
        ok = limit_price >= RAO_PER_TAO if buying else limit_price <= RAO_PER_TAO
        return MAX_U64 if ok else 0
    reserve_in = pool.tao_reserve if buying else pool.alpha_reserve
    probe = min(reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, MAX_U64)
    result = swap(pool, direction, probe, limit_price=limit_price, simulate=True)
    return result.net_in + result.fee


def worst_case_out(pool: Pool, direction: str, amount: int, limit_price: int) -> int | None:
    """The least a limit order of `amount` can still pay out: others first trade the same way
    and move the price as far as the order still fills completely within `limit_price`.

    None when the order does not fill within the limit even now (fill-or-kill would refuse
    it). Found by bisection on the size of that earlier trade, with the exact swap.
    """
    from amm.errors import AmmError

    maximum = max_amount(pool, direction, limit_price)

    def fill(front: int) -> SwapResult | None:
        try:
            moved = swap(pool, direction, front, simulate=True).pool_after if front else pool
            result = swap(moved, direction, amount, limit_price=limit_price, simulate=True)
        except AmmError:
            return None
        return None if result.partial else result

    if amount > maximum or fill(0) is None:
        return None
    lo, hi = 0, max(maximum, 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fill(mid) is not None:
            lo = mid
        else:
            hi = mid
    return fill(lo).amount_out


def max_amount_add(pool: Pool, limit_price: int) -> int:
    """`get_max_amount_add`: most TAO that can be staked within `limit_price` rao per alpha."""
    return max_amount(pool, BUY, limit_price)


def max_amount_remove(pool: Pool, limit_price: int) -> int:
    """`get_max_amount_remove`: most alpha that can be unstaked within the limit."""
    return max_amount(pool, SELL, limit_price)


def limit_price_for_tolerance(pool: Pool, direction: str, tolerance: int | Decimal | str) -> int:
    """btcli's safe-staking limit: price * (1 + tol) for buys, price * (1 - tol) for sells.

    `tolerance` is a fraction: an int is parts per million (5000 = 0.5 %), a Decimal or str is
    the fraction itself ("0.005"). Computed from the U64F64 spot price and floored to rao per
    alpha; a sell limit never goes below 0.
    """
    buying = _is_buy(direction)
    num, den = _fraction(tolerance)
    factor_num = den + num if buying else den - num
    if factor_num < 0:
        factor_num = 0
    return min((spot_price(pool) * RAO_PER_TAO * factor_num) // (den << 64), MAX_U64)


def _fraction(tolerance: int | Decimal | str) -> tuple[int, int]:
    if isinstance(tolerance, bool):
        raise ValueError("tolerance must be a number")
    if isinstance(tolerance, int):
        if tolerance < 0:
            raise ValueError("tolerance must not be negative")
        return tolerance, 1_000_000
    value = Decimal(tolerance)
    if not value.is_finite() or value < 0:
        raise ValueError(f"tolerance must be a non-negative number, got {tolerance!r}")
    num, den = value.as_integer_ratio()
    return num, den


# --- reverse quote ---------------------------------------------------------------------------


def amount_in_for_out(
    pool: Pool, direction: str, amount_out: int, *, drop_fees: bool = False
) -> int:
    """Reverse quote: the smallest gross input whose swap pays out at least `amount_out`.

    Uses the exact forward swap (no limit, fees on), whose output never decreases as the input
    grows (short of the default-limit cut-off of enormous buys), and bisects from a float
    estimate. Raises `SwapInputTooLarge` / `ReservesTooLow` when no allowed input reaches
    `amount_out`.
    """
    buying = _is_buy(direction)
    if amount_out <= 0:
        raise AmountTooLow("the wanted amount must be greater than zero")
    if pool.stable:
        return amount_out
    reserve_in = pool.tao_reserve if buying else pool.alpha_reserve
    max_net = min(reserve_in * MAX_SWAP_INPUT_RESERVE_MULTIPLIER, MAX_U64)
    if pool.model == CONSTANT_PRODUCT:  # the launch pool keeps 1e7 rao in the output reserve
        largest_in = _cp_k_bits(pool) // (MIN_POOL_LIQUIDITY_CP << 18)
        max_net = min(max_net, max(largest_in - reserve_in, 0))
    hi = _largest_gross_for_net(pool, max_net, drop_fees)
    best = swap(pool, direction, hi, drop_fees=drop_fees, simulate=True).amount_out

    def out_for(gross: int) -> int:
        try:
            return swap(pool, direction, gross, drop_fees=drop_fees, simulate=True).amount_out
        except ReservesTooLow:  # below `hi` only "pays out nothing" is possible
            return 0

    if best < amount_out:
        raise SwapInputTooLarge(
            f"even the largest allowed input ({hi} rao) pays out only {best} rao, "
            f"less than the {amount_out} rao wanted"
        )
    lo, hi = _bracket(out_for, amount_out, _estimate_gross(pool, buying, amount_out), hi)
    while hi - lo > 1:  # out_for(lo) < amount_out <= out_for(hi)
        mid = (lo + hi) // 2
        if out_for(mid) >= amount_out:
            hi = mid
        else:
            lo = mid
    return hi


def _estimate_gross(pool: Pool, buying: bool, amount_out: int) -> int:
    """A close first guess (floats, only to start the search): invert the pool's formula."""
    if buying:
        reserve_in, reserve_out, exponent = (
            pool.tao_reserve,
            pool.alpha_reserve,
            (pool.alpha_weight / pool.tao_weight),
        )
    else:
        reserve_in, reserve_out, exponent = (
            pool.alpha_reserve,
            pool.tao_reserve,
            (pool.tao_weight / pool.alpha_weight),
        )
    if pool.model == CONSTANT_PRODUCT:
        exponent = 1.0
    if amount_out >= reserve_out:
        return 0
    try:
        net = reserve_in * ((1.0 - amount_out / reserve_out) ** -exponent - 1.0)
        return max(int(net * _FEE_DEN / (_FEE_DEN - pool.fee_rate)), 0)
    except (OverflowError, ZeroDivisionError):
        return 0


def _bracket(out_for, amount_out: int, guess: int, hi: int) -> tuple[int, int]:
    """Narrow [0, hi] around `guess` with widening steps: out_for(lo) < want <= out_for(hi)."""
    if not 0 < guess < hi:
        return 0, hi
    step = max(guess >> 30, 1)
    if out_for(guess) >= amount_out:
        upper = guess
        while True:
            lower = upper - step
            if lower <= 0:
                return 0, upper
            if out_for(lower) < amount_out:
                return lower, upper
            upper, step = lower, step * 4
    lower = guess
    while True:
        upper = lower + step
        if upper >= hi:
            return lower, hi
        if out_for(upper) >= amount_out:
            return lower, upper
        lower, step = upper, step * 4


def _largest_gross_for_net(pool: Pool, max_net: int, drop_fees: bool) -> int:
    """The largest gross amount whose net (after fee) stays within `max_net`."""
    if drop_fees or pool.fee_rate == 0:
        return max_net
    gross = min(max_net * _FEE_DEN // (_FEE_DEN - pool.fee_rate) + 2, MAX_U64)
    while gross - swap_fee(pool, gross) > max_net:
        gross -= 1
    return gross


# --- liquidity injection ---------------------------------------------------------------------


def adjust_protocol_liquidity(pool: Pool, tao: int, alpha: int) -> tuple[Pool, int, int]:
    """`adjust_protocol_liquidity`: re-weight for an injection against the current reserves.

    Returns the pool with its new TAO weight (reserves NOT yet changed, as on chain, where the
    caller adds them after the block's chain buy) and the amounts to inject; `(pool, 0, 0)`
    unchanged when the new weights would leave [0.01, 0.99]. The constant-product and stable
    models have no weights: amounts pass through.
    """
    if pool.stable or pool.model == CONSTANT_PRODUCT:
        return pool, tao, alpha
    weight = bal.weight_after_liquidity(
        pool.tao_weight, pool.tao_reserve, pool.alpha_reserve, tao, alpha
    )
    if weight is None:
        return pool, 0, 0
    return pool.with_tao_weight(weight), tao, alpha


class ReservoirAdjustment(NamedTuple):
    """What `adjust_protocol_liquidity_with_reservoirs` decided: the pool re-weighted (reserves
    not yet changed), the price-active amounts, and what stays parked."""

    pool: Pool
    tao_active: int
    alpha_active: int
    tao_reservoir: int
    alpha_reservoir: int


def adjust_protocol_liquidity_with_reservoirs(pool: Pool, tao: int, alpha: int,
                                              tao_reservoir: int,
                                              alpha_reservoir: int) -> ReservoirAdjustment:
    """The swap pallet's `adjust_protocol_liquidity` of specs 461-475 (ECONOMICS-2026
    §4.2.4'): the offered amounts join the reservoirs (`BalancerTaoReservoir`,
    `BalancerAlphaReservoir`), then the first of (both, alpha only, TAO only) whose weight
    update keeps both weights in [0.01, 0.99] becomes price-active and leaves its reservoir
    empty; if none does, everything stays parked. The order of the fallbacks is
    `RESERVOIR_FALLBACK_ORDER`."""
    pend_tao, pend_alpha = tao_reservoir + tao, alpha_reservoir + alpha
    if pool.stable or pool.model == CONSTANT_PRODUCT:  # no weights: everything is active
        return ReservoirAdjustment(pool, pend_tao, pend_alpha, 0, 0)
    for take_tao, take_alpha in RESERVOIR_FALLBACK_ORDER:
        t, a = (pend_tao if take_tao else 0), (pend_alpha if take_alpha else 0)
        weight = bal.weight_after_liquidity(pool.tao_weight, pool.tao_reserve,
                                            pool.alpha_reserve, t, a)
        if weight is not None:
            return ReservoirAdjustment(pool.with_tao_weight(weight), t, a, pend_tao - t,
                                       pend_alpha - a)
    return ReservoirAdjustment(pool, 0, 0, pend_tao, pend_alpha)


RESERVOIR_FALLBACK_ORDER = ((True, True), (False, True), (True, False))
"""Which parked amounts `adjust_protocol_liquidity_with_reservoirs` tries to activate, in
order: both, then alpha alone, then TAO alone (read at swap `impls.rs @63369449`, not at a
release tag: ECONOMICS-2026 Appendix C.9)."""


def inject_liquidity(pool: Pool, tao: int, alpha: int) -> tuple[Pool, int, int]:
    """§4.2.4 in one step: re-weight, then add the accepted amounts to the reserves.

    Returns (pool after, tao injected, alpha injected); `(pool, 0, 0)` unchanged if rejected.
    """
    weighted, tao_in, alpha_in = adjust_protocol_liquidity(pool, tao, alpha)
    if tao_in == 0 and alpha_in == 0:
        return weighted, 0, 0
    return (
        weighted.with_reserves(
            min(weighted.tao_reserve + tao_in, MAX_U64),
            min(weighted.alpha_reserve + alpha_in, MAX_U64),
        ),
        tao_in,
        alpha_in,
    )

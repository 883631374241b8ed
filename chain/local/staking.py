"""The staking calls of the subtensor pallet (`staking/add_stake.rs`, `remove_stake.rs`,
`move_stake.rs`, `increase_take.rs`, `decrease_take.rs`), with subtensor's names and arguments.

Contract for the CLI (all amounts rao; `limit_price` is rao of TAO per alpha, or for the
cross-subnet limit call rao-scaled origin price / destination price):

    add_stake(hotkey, netuid, amount_staked)
    add_stake_limit(hotkey, netuid, amount_staked, limit_price, allow_partial)
    remove_stake(hotkey, netuid, amount_unstaked)
    remove_stake_limit(hotkey, netuid, amount_unstaked, limit_price, allow_partial)
    remove_stake_full_limit(hotkey, netuid, limit_price)        limit_price: int or None
    unstake_all(hotkey)                                          every subnet, to free TAO
    unstake_all_alpha(hotkey)                                    every non-root subnet, to root
    move_stake(origin_hotkey, destination_hotkey, origin_netuid, destination_netuid, alpha_amount)
    transfer_stake(destination_coldkey, hotkey, origin_netuid, destination_netuid, alpha_amount)
    swap_stake(hotkey, origin_netuid, destination_netuid, alpha_amount)
    swap_stake_limit(hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price,
                     allow_partial)
    move_stake_limit(origin_hotkey, destination_hotkey, origin_netuid, destination_netuid,
                     alpha_amount, limit_price, allow_partial)
    decrease_take(hotkey, take) / increase_take(hotkey, take)   take of 65535
    try_associate_hotkey(hotkey)                                 pair a new hotkey with the sender

Every call records what it did in `env.result` (a dict: tao and alpha moved, fee, the pool
before and after, prices, slippage), which is what `queries.quote` returns from a dry run, so
a quote is the execution itself, rolled back. Events carry subtensor's positional fields.
Pool movements go through `amm` (via `stake_utils`); fees go to the block author.
"""

from __future__ import annotations

import amm
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID
from chain.local.calls import Env, call
from chain.local.state import State
from chain.local.subtensor_errors import SubtensorError, fail, from_amm
from chain.rules.staking import max_amount_move  # the limit of a move, shared with quotes
from chain.pallets import subtensor_module as sm


def _ensure_subtoken(state: State, netuid: int) -> None:
    if not state.get(sm.SUBTOKEN_ENABLED, netuid):
        raise fail("SubtokenDisabled",
                   f"subnet {netuid} has not started trading yet (its owner runs start_call)")


def _max_amount(pool: amm.Pool, direction: str, limit_price: int) -> int:
    """`get_max_amount_add/remove`; 0 when the price is already past the limit."""
    try:
        return amm.max_amount(pool, direction, limit_price)
    except amm.PriceLimitExceeded:
        return 0
    except amm.AmmError as exc:
        raise from_amm(exc) from None


def _capped(amount: int, maximum: int, allow_partial: bool, what: str) -> int:
    """The amount a limit order may take: refused (SlippageTooHigh) or capped (partial)."""
    if amount <= maximum:
        return amount
    if not allow_partial:
        raise fail("SlippageTooHigh",
                   f"only {maximum} rao of {what} fill within the limit price (asked {amount}); "
                   "allow a partial fill or raise the tolerance")
    if maximum == 0:
        raise fail("ZeroMaxStakeAmount", "the price is already past the limit: nothing fills")
    return maximum


def _pool_swap(simulate, pool: amm.Pool, amount: int, limit_price: int | None,
               allow_partial: bool) -> amm.SwapResult:
    """Run the staking swap; a swap the pool refuses is `InsufficientLiquidity`, as the
    chain's validation maps every `sim_swap` error (SlippageTooHigh passes through)."""
    try:
        return simulate(pool, amount, limit_price, allow_partial)
    except SubtensorError as exc:
        if exc.name in ("SlippageTooHigh", "AmountTooLow"):
            raise
        raise fail("InsufficientLiquidity", str(exc)) from None


def swap_json(swap: amm.SwapResult) -> dict:
    """A swap as quotes and results show it: `amm.SwapResult.to_json()` (amounts in rao)."""
    return swap.to_json()


# -- add ----------------------------------------------------------------------------------------
def do_add_stake(env: Env, coldkey: bytes, hotkey: bytes, netuid: int, amount: int,
                 limit_price: int | None = None, allow_partial: bool = False) -> su.Staked:
    """`do_add_stake` / `do_add_stake_limit`: validate, swap through `amm.buy`, credit."""
    state = env.state
    su.ensure_subnet(state, netuid)
    _ensure_subtoken(state, netuid)
    pool = su.read_pool(state, netuid)
    minimum = su.DEFAULT_MIN_STAKE + amm.swap_fee(pool, su.DEFAULT_MIN_STAKE)
    if amount < minimum:
        raise fail("AmountTooLow", f"stake at least {minimum} rao (the minimum stake plus its "
                   f"fee); asked {amount}")
    paid = amount
    if limit_price is not None:
        paid = _capped(amount, _max_amount(pool, amm.BUY, limit_price), allow_partial, "TAO")
    if su.keep_alive_balance(state, coldkey) < paid:
        raise fail("NotEnoughBalanceToStake",
                   f"the coldkey can spend {su.keep_alive_balance(state, coldkey)} rao "
                   f"(keeping the existential deposit), staking needs {paid}")
    su.ensure_hotkey_exists(state, hotkey)
    swap = _pool_swap(su.simulate_buy, pool, amount, limit_price, allow_partial)
    if swap.net_in < su.DEFAULT_MIN_STAKE:
        raise fail("AmountTooLow", f"only {swap.net_in} rao would reach the pool, below the "
                   f"minimum stake of {su.DEFAULT_MIN_STAKE}")
    if swap.amount_out == 0:
        raise fail("InsufficientLiquidity", "the pool would pay out no alpha for this amount")
    staked = su.stake_into_subnet(state, hotkey, coldkey, netuid, swap, paid)
    env.emit("SubtensorModule", "StakeAdded", coldkey=coldkey, hotkey=hotkey,
             tao_amount=paid, alpha_amount=staked.alpha, netuid=netuid, fee=staked.fee)
    env.result = {"call": "add_stake", "netuid": netuid, "tao_paid_rao": paid,
                  "alpha_received_rao": staked.credited, "alpha_bought_rao": staked.alpha,
                  "fee_rao": staked.fee, "limit_price_rao": limit_price,
                  "swap": swap_json(swap)}
    return staked


@call("SubtensorModule", "add_stake")
def add_stake(env: Env, origin: bytes, hotkey: bytes, netuid: int, amount_staked: int) -> None:
    """Stake TAO to a hotkey on a subnet at whatever price the pool gives (no limit)."""
    do_add_stake(env, origin, hotkey, netuid, amount_staked)


@call("SubtensorModule", "add_stake_limit")
def add_stake_limit(env: Env, origin: bytes, hotkey: bytes, netuid: int, amount_staked: int,
                    limit_price: int, allow_partial: bool) -> None:
    """Stake only up to `limit_price` rao per alpha; all-or-nothing unless `allow_partial`."""
    do_add_stake(env, origin, hotkey, netuid, amount_staked, limit_price, allow_partial)


# -- remove -------------------------------------------------------------------------------------
def do_remove_stake(env: Env, coldkey: bytes, hotkey: bytes, netuid: int, alpha: int,
                    limit_price: int | None = None, allow_partial: bool = False, *,
                    payee: bytes | None = None) -> su.Unstaked:
    """`do_remove_stake` / `do_remove_stake_limit`: validate, swap through `amm.sell`, pay."""
    state = env.state
    su.ensure_subnet(state, netuid)
    if alpha == 0:
        raise fail("AmountTooLow", "unstake more than 0 alpha")
    available = su.stake_of(state, hotkey, coldkey, netuid)
    if alpha > available:
        raise fail("NotEnoughStakeToWithdraw",
                   f"the coldkey holds {available} alpha rao on subnet {netuid} through this "
                   f"hotkey; asked to unstake {alpha}")
    pool = su.read_pool(state, netuid)
    if limit_price is not None:
        _capped(alpha, _max_amount(pool, amm.SELL, limit_price), allow_partial, "alpha")
    swap = _pool_swap(su.simulate_sell, pool, alpha, limit_price, allow_partial)
    if available - swap.amount_in > 0 and swap.amount_out < su.DEFAULT_MIN_STAKE:
        raise fail("AmountTooLow", f"the unstake pays {swap.amount_out} rao, below the minimum "
                   f"of {su.DEFAULT_MIN_STAKE} (unstake everything, or more)")
    su.ensure_hotkey_exists(state, hotkey)
    done = su.unstake_from_subnet(state, hotkey, coldkey, netuid, swap, payee=payee)
    env.emit("SubtensorModule", "StakeRemoved", coldkey=coldkey, hotkey=hotkey,
             tao_amount=done.tao, alpha_amount=done.alpha, netuid=netuid, fee=done.fee)
    env.result = {"call": "remove_stake", "netuid": netuid, "alpha_paid_rao": done.alpha,
                  "tao_received_rao": done.tao, "fee_rao": done.fee,
                  "fee_tao_to_author_rao": done.fee_tao, "limit_price_rao": limit_price,
                  "swap": swap_json(swap)}
    return done


@call("SubtensorModule", "remove_stake")
def remove_stake(env: Env, origin: bytes, hotkey: bytes, netuid: int,
                 amount_unstaked: int) -> None:
    """Unstake alpha for TAO at whatever price the pool gives."""
    do_remove_stake(env, origin, hotkey, netuid, amount_unstaked)


@call("SubtensorModule", "remove_stake_limit")
def remove_stake_limit(env: Env, origin: bytes, hotkey: bytes, netuid: int,
                       amount_unstaked: int, limit_price: int, allow_partial: bool) -> None:
    """Unstake only down to `limit_price`; all-or-nothing unless `allow_partial`."""
    do_remove_stake(env, origin, hotkey, netuid, amount_unstaked, limit_price, allow_partial)


@call("SubtensorModule", "remove_stake_full_limit")
def remove_stake_full_limit(env: Env, origin: bytes, hotkey: bytes, netuid: int,
                            limit_price: int | None) -> None:
    """Unstake everything held through `hotkey` on `netuid`, fill-or-kill at the limit."""
    if limit_price is not None and (isinstance(limit_price, bool)
                                    or not isinstance(limit_price, int) or limit_price < 0):
        raise fail("InvalidValue", "limit_price must be a non-negative integer or null")
    alpha = su.stake_of(env.state, hotkey, origin, netuid)
    do_remove_stake(env, origin, hotkey, netuid, alpha, limit_price, False)


def _staked_netuids(state: State, hotkey: bytes, coldkey: bytes) -> list[int]:
    return [n for (n,), added in state.iter(sm.NETWORKS_ADDED)
            if added and su.stake_of(state, hotkey, coldkey, n) > 0]


def _unstake_each(env: Env, coldkey: bytes, hotkey: bytes, skip_root: bool) -> list[dict]:
    """Unstake everything held through `hotkey`, subnet by subnet; a subnet whose unstake the
    chain would refuse is left as it is (each runs in its own snapshot)."""
    su.ensure_hotkey_exists(env.state, hotkey)
    results = []
    for netuid in _staked_netuids(env.state, hotkey, coldkey):
        if skip_root and netuid == ROOT_NETUID:
            continue
        alpha = su.stake_of(env.state, hotkey, coldkey, netuid)
        env.state.begin()
        try:
            do_remove_stake(env, coldkey, hotkey, netuid, alpha)
        except SubtensorError:
            env.state.rollback()
            continue
        env.state.commit()
        results.append(env.result)
    if not results:
        raise fail("AmountTooLow", "nothing held through this hotkey can be unstaked")
    return results


@call("SubtensorModule", "unstake_all")
def unstake_all(env: Env, origin: bytes, hotkey: bytes) -> None:
    """Unstake everything held through `hotkey` on every subnet, to free TAO."""
    results = _unstake_each(env, origin, hotkey, skip_root=False)
    env.result = {"call": "unstake_all", "unstakes": results,
                  "tao_received_rao": sum(r["tao_received_rao"] for r in results)}


@call("SubtensorModule", "unstake_all_alpha")
def unstake_all_alpha(env: Env, origin: bytes, hotkey: bytes) -> None:
    """Unstake every non-root subnet through `hotkey` and stake the TAO on root."""
    results = _unstake_each(env, origin, hotkey, skip_root=True)
    total = sum(r["tao_received_rao"] for r in results)
    if total:
        do_add_stake(env, origin, hotkey, ROOT_NETUID, total)
    env.result = {"call": "unstake_all_alpha", "unstakes": results, "restaked_on_root_rao": total}


# -- move, transfer, swap ------------------------------------------------------------------------
def _simulate_move(origin_pool: amm.Pool, dest_pool: amm.Pool, alpha: int, drop_dest_fee: bool):
    """The two swaps of a cross-subnet move: sell at the origin, buy at the destination."""
    sell = su.simulate_sell(origin_pool, alpha)
    buy = su.simulate_buy(dest_pool, sell.amount_out, drop_fees=drop_dest_fee) \
        if sell.amount_out else None
    return sell, buy


def transition_stake(env: Env, coldkey: bytes, dest_coldkey: bytes, origin_hotkey: bytes,
                     dest_hotkey: bytes, origin_netuid: int, dest_netuid: int, alpha: int, *,
                     kind: str, limit_price: int | None = None,
                     allow_partial: bool = False) -> dict:
    """`transition_stake_internal`: move alpha between (hotkey, coldkey, netuid) positions.

    Same subnet: pure share-pool accounting, no swap, no fee. Across subnets: sell at the
    origin (its fee), send the TAO to the destination subnet account, buy there (fee-less
    unless the origin is root, whose 1:1 swap has no fee).
    """
    state = env.state
    if coldkey == dest_coldkey and origin_hotkey == dest_hotkey and origin_netuid == dest_netuid:
        raise fail("SameNetuid", "the origin and the destination are the same stake")
    for netuid in (origin_netuid, dest_netuid):
        su.ensure_subnet(state, netuid)
    for netuid in (origin_netuid, dest_netuid):
        _ensure_subtoken(state, netuid)
    su.ensure_hotkey_exists(state, origin_hotkey)
    su.ensure_hotkey_exists(state, dest_hotkey)
    available = su.stake_of(state, origin_hotkey, coldkey, origin_netuid)
    if alpha > available:
        raise fail("NotEnoughStakeToWithdraw",
                   f"the coldkey holds {available} alpha rao on subnet {origin_netuid} through "
                   f"the origin hotkey; asked to move {alpha}")
    if alpha == 0:
        raise fail("AmountTooLow", "move more than 0 alpha")
    if kind == "transfer" and not (state.get(sm.TRANSFER_TOGGLE, origin_netuid)
                                   and state.get(sm.TRANSFER_TOGGLE, dest_netuid)):
        raise fail("TransferDisallowed", "stake transfers are switched off on this subnet")
    if origin_netuid == dest_netuid:
        value = su.alpha_value_tao(state, origin_netuid, alpha)
        if value < su.DEFAULT_MIN_STAKE:
            raise fail("AmountTooLow", f"the moved alpha is worth {value} rao, below the "
                       f"minimum stake of {su.DEFAULT_MIN_STAKE}")
        # what the destination gains, read around the debit too: on one hotkey's pool the
        # debit moves the share price the destination's value is read at
        before = su.stake_of(state, dest_hotkey, dest_coldkey, dest_netuid)
        su.debit_stake(state, origin_hotkey, coldkey, origin_netuid, alpha)
        su.credit_stake(state, dest_hotkey, dest_coldkey, dest_netuid, alpha)
        credited = su.stake_of(state, dest_hotkey, dest_coldkey, dest_netuid) - before
        env.result = {"call": kind, "origin_netuid": origin_netuid,
                      "destination_netuid": dest_netuid, "alpha_moved_rao": alpha,
                      "alpha_received_rao": credited, "tao_equivalent_rao": value, "fee_rao": 0}
        return env.result
    origin_pool, dest_pool = su.read_pool(state, origin_netuid), su.read_pool(state, dest_netuid)
    drop_dest_fee = origin_netuid != ROOT_NETUID
    if limit_price is not None:
        upper = min(available, su.MAX_U64)
        maximum = max_amount_move(origin_pool, dest_pool, limit_price, upper, drop_dest_fee)
        alpha = _capped(alpha, maximum, allow_partial, "alpha")
    try:
        sell, buy = _simulate_move(origin_pool, dest_pool, alpha, drop_dest_fee)
    except SubtensorError as exc:
        raise fail("InsufficientLiquidity", str(exc)) from None
    if sell.amount_out <= su.DEFAULT_MIN_STAKE or buy is None:
        raise fail("AmountTooLow", f"the move is worth {sell.amount_out} rao, below the minimum "
                   f"stake of {su.DEFAULT_MIN_STAKE}")
    from chain.local.accounts import subnet_account

    dest_account = subnet_account(dest_netuid)
    out = su.unstake_from_subnet(state, origin_hotkey, coldkey, origin_netuid, sell,
                                 payee=dest_account)
    staked = su.stake_into_subnet(state, dest_hotkey, dest_coldkey, dest_netuid, buy,
                                  sell.amount_out, payer=dest_account)
    env.result = {"call": kind, "origin_netuid": origin_netuid, "destination_netuid": dest_netuid,
                  "alpha_moved_rao": out.alpha, "tao_equivalent_rao": out.tao,
                  "alpha_received_rao": staked.credited, "alpha_bought_rao": staked.alpha,
                  "fee_rao": out.fee,
                  "destination_fee_rao": staked.fee, "limit_price_rao": limit_price,
                  "origin_swap": swap_json(sell), "destination_swap": swap_json(buy)}
    return env.result


@call("SubtensorModule", "move_stake")
def move_stake(env: Env, origin: bytes, origin_hotkey: bytes, destination_hotkey: bytes,
               origin_netuid: int, destination_netuid: int, alpha_amount: int) -> None:
    """Move the sender's stake to another hotkey and/or subnet."""
    result = transition_stake(env, origin, origin, origin_hotkey, destination_hotkey,
                              origin_netuid, destination_netuid, alpha_amount, kind="move_stake")
    env.emit("SubtensorModule", "StakeMoved", coldkey=origin, origin_hotkey=origin_hotkey,
             origin_netuid=origin_netuid, destination_hotkey=destination_hotkey,
             destination_netuid=destination_netuid, tao_amount=result["tao_equivalent_rao"])


@call("SubtensorModule", "move_stake_limit")
def move_stake_limit(env: Env, origin: bytes, origin_hotkey: bytes, destination_hotkey: bytes,
                     origin_netuid: int, destination_netuid: int, alpha_amount: int,
                     limit_price: int, allow_partial: bool) -> None:
    """`move_stake` protected like `swap_stake_limit` (spec 461, call 149): across subnets only
    while destination alpha per origin alpha (origin price / destination price, x1e9) stays
    at or above `limit_price`, fill-or-kill unless `allow_partial`; within one subnet there is
    no swap and the limit is not consulted (`transition_stake_internal` with Some(limit))."""
    result = transition_stake(env, origin, origin, origin_hotkey, destination_hotkey,
                              origin_netuid, destination_netuid, alpha_amount, kind="move_stake",
                              limit_price=limit_price, allow_partial=allow_partial)
    result["call"] = "move_stake_limit"
    env.emit("SubtensorModule", "StakeMoved", coldkey=origin, origin_hotkey=origin_hotkey,
             origin_netuid=origin_netuid, destination_hotkey=destination_hotkey,
             destination_netuid=destination_netuid, tao_amount=result["tao_equivalent_rao"])


@call("SubtensorModule", "transfer_stake")
def transfer_stake(env: Env, origin: bytes, destination_coldkey: bytes, hotkey: bytes,
                   origin_netuid: int, destination_netuid: int, alpha_amount: int) -> None:
    """Give stake (same hotkey) to another coldkey, possibly on another subnet."""
    result = transition_stake(env, origin, destination_coldkey, hotkey, hotkey, origin_netuid,
                              destination_netuid, alpha_amount, kind="transfer")
    result["call"] = "transfer_stake"
    env.emit("SubtensorModule", "StakeTransferred", origin_coldkey=origin,
             destination_coldkey=destination_coldkey, hotkey=hotkey,
             origin_netuid=origin_netuid, destination_netuid=destination_netuid,
             tao_amount=result["tao_equivalent_rao"])


def _swap(env: Env, origin: bytes, hotkey: bytes, origin_netuid: int, destination_netuid: int,
          alpha_amount: int, limit_price: int | None, allow_partial: bool) -> None:
    result = transition_stake(env, origin, origin, hotkey, hotkey, origin_netuid,
                              destination_netuid, alpha_amount, kind="swap",
                              limit_price=limit_price, allow_partial=allow_partial)
    result["call"] = "swap_stake" if limit_price is None else "swap_stake_limit"
    env.emit("SubtensorModule", "StakeSwapped", coldkey=origin, hotkey=hotkey,
             origin_netuid=origin_netuid, destination_netuid=destination_netuid,
             tao_amount=result["tao_equivalent_rao"])


@call("SubtensorModule", "swap_stake")
def swap_stake(env: Env, origin: bytes, hotkey: bytes, origin_netuid: int,
               destination_netuid: int, alpha_amount: int) -> None:
    """Move stake of one hotkey from one subnet to another (sell there, buy here)."""
    _swap(env, origin, hotkey, origin_netuid, destination_netuid, alpha_amount, None, False)


@call("SubtensorModule", "swap_stake_limit")
def swap_stake_limit(env: Env, origin: bytes, hotkey: bytes, origin_netuid: int,
                     destination_netuid: int, alpha_amount: int, limit_price: int,
                     allow_partial: bool) -> None:
    """`swap_stake` only while origin price / destination price stays >= limit_price / 1e9."""
    _swap(env, origin, hotkey, origin_netuid, destination_netuid, alpha_amount, limit_price,
          allow_partial)


@call("SubtensorModule", "try_associate_hotkey")
def try_associate_hotkey(env: Env, origin: bytes, hotkey: bytes) -> None:
    """Pair an unowned hotkey with the sender (so it can be staked to before registering)."""
    su.ensure_owns_hotkey(env.state, origin, hotkey)
    su.create_account_if_non_existent(env.state, origin, hotkey)
    env.result = {"call": "try_associate_hotkey", "hotkey": "0x" + hotkey.hex()}


# -- delegate take -------------------------------------------------------------------------------
def _set_take(env: Env, origin: bytes, hotkey: bytes, take: int, *, increase: bool) -> None:
    state = env.state
    su.ensure_hotkey_exists(state, hotkey)
    if state.get(sm.OWNER, hotkey) != origin:
        raise fail("NonAssociatedColdKey", "only the hotkey's coldkey can change its take")
    current = state.get(sm.DELEGATES, hotkey)
    if increase and take <= current or not increase and take >= current:
        raise fail("DelegateTakeTooLow" if increase else "DelegateTakeTooHigh",
                   f"the take is {current}/65535; {take} is not an "
                   f"{'increase' if increase else 'decrease'}")
    if take < state.get(sm.MIN_DELEGATE_TAKE):
        raise fail("DelegateTakeTooLow", f"the take must be at least "
                   f"{state.get(sm.MIN_DELEGATE_TAKE)}/65535")
    if take > state.get(sm.MAX_DELEGATE_TAKE):
        raise fail("DelegateTakeTooHigh", f"the take must be at most "
                   f"{state.get(sm.MAX_DELEGATE_TAKE)}/65535")
    state.set(sm.DELEGATES, hotkey, take)
    env.emit("SubtensorModule", "TakeIncreased" if increase else "TakeDecreased",
             coldkey=origin, hotkey=hotkey, take=take)


@call("SubtensorModule", "decrease_take")
def decrease_take(env: Env, origin: bytes, hotkey: bytes, take: int) -> None:
    """Lower the validator take (immediate)."""
    _set_take(env, origin, hotkey, take, increase=False)


@call("SubtensorModule", "increase_take")
def increase_take(env: Env, origin: bytes, hotkey: bytes, take: int) -> None:
    """Raise the validator take (up to MaxDelegateTake; the rate limit is not modelled)."""
    _set_take(env, origin, hotkey, take, increase=True)

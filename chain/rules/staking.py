"""The pre-checks of a stake trade, in the order subtensor runs them (`validate_add_stake`,
`validate_remove_stake`, `transition_stake_internal`), over a pool and positions read from any
chain, and the swaps the trade would make.

A node that cannot dry-run a call is judged by these before anything is signed; the bundled
chain runs its own runtime instead (`chain.local.staking`), which these restate. `check`
returns the refusal (subtensor's error name and why) or the result record the runtime gives.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from chain.errors import DispatchError, fail
from chain.rules.pool import read_pool
from chain.rules.reader import MAX_U64, ROOT_NETUID, SM, StorageReader

if TYPE_CHECKING:
    import amm

DEFAULT_MIN_STAKE = 2_000_000  # rao: DefaultMinStake
STAKE_CALLS = ("add_stake", "add_stake_limit", "remove_stake", "remove_stake_limit",
               "move_stake", "transfer_stake", "swap_stake", "swap_stake_limit",
               "move_stake_limit", "remove_stake_full_limit")


class StakeReader(StorageReader, Protocol):
    """Storage plus the two reads whose layout differs between runtimes."""

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int: ...

    def free_balance(self, account: bytes) -> int: ...

    def existential_deposit(self) -> int: ...


def _amm_refusal(exc: Exception) -> DispatchError:
    name = getattr(exc, "name", "InsufficientLiquidity")
    if name not in ("SlippageTooHigh", "AmountTooLow", "ZeroMaxStakeAmount"):
        name = "InsufficientLiquidity"
    return fail(name, str(exc))


def _ensure_subnet(reader: StakeReader, netuid: int) -> None:
    if not reader.read(f"{SM}.NetworksAdded", netuid):
        raise fail("SubnetNotExists", f"subnet {netuid} does not exist")


def _ensure_subtoken(reader: StakeReader, netuid: int) -> None:
    if netuid != ROOT_NETUID and not reader.read(f"{SM}.SubtokenEnabled", netuid):
        raise fail("SubtokenDisabled",
                      f"subnet {netuid} has not started trading yet (its owner runs start_call)")


def _ensure_hotkey(reader: StakeReader, hotkey: bytes) -> None:
    if reader.read(f"{SM}.Owner", hotkey) is None:
        raise fail("HotKeyAccountNotExists",
                      f"hotkey 0x{bytes(hotkey).hex()} is not owned by any coldkey")


def max_amount(pool: amm.Pool, direction: str, limit_price: int) -> int:
    """`get_max_amount_add/remove`: what fills within the limit price; 0 past it."""
    import amm

    try:
        return amm.max_amount(pool, direction, limit_price)
    except amm.PriceLimitExceeded:
        return 0
    except amm.AmmError as exc:
        raise _amm_refusal(exc) from None


def capped(amount: int, maximum: int, allow_partial: bool, what: str) -> int:
    """What a limit order may take: refused (SlippageTooHigh) or capped (partial)."""
    if amount <= maximum:
        return amount
    if not allow_partial:
        raise fail("SlippageTooHigh",
                      f"only {maximum} rao of {what} fill within the limit price (asked "
                      f"{amount}); allow a partial fill or raise the tolerance")
    if maximum == 0:
        raise fail("ZeroMaxStakeAmount", "the price is already past the limit: nothing fills")
    return maximum


def ratio_ok(origin_pool: amm.Pool, dest_pool: amm.Pool, limit_price: int) -> bool:
    """Origin price / destination price (U64F64) at or above the limit (rao-scaled)."""
    import amm

    p_o, p_d = amm.spot_price(origin_pool), amm.spot_price(dest_pool)
    if p_d == 0:
        return True
    return (p_o << 64) // p_d >= (limit_price << 64) // 10**9


def simulate_move(origin_pool: amm.Pool, dest_pool: amm.Pool, alpha: int, drop_dest_fee: bool):
    """The two swaps of a cross-subnet move: sell at the origin, buy at the destination."""
    import amm

    sell = amm.sell(origin_pool, alpha)
    buy = amm.buy(dest_pool, sell.amount_out, drop_fees=drop_dest_fee) \
        if sell.amount_out else None
    return sell, buy


def max_amount_move(origin_pool: amm.Pool, dest_pool: amm.Pool, limit_price: int,
                    upper: int, drop_dest_fee: bool) -> int:
    """The most alpha (<= upper) whose move keeps origin/destination price >= the limit.

    Subtensor's `get_max_amount_move` uses a constant-product closed form; here the exact
    swaps are bisected, so the answer is exact for the weighted pool (documented deviation).
    """
    if not ratio_ok(origin_pool, dest_pool, limit_price):
        return 0

    def fits(alpha: int) -> bool:
        try:
            sell, buy = simulate_move(origin_pool, dest_pool, alpha, drop_dest_fee)
        except Exception:  # noqa: BLE001 - a move the pools refuse does not fit
            return False
        after_dest = buy.pool_after if buy else dest_pool
        return ratio_ok(sell.pool_after, after_dest, limit_price)

    if fits(upper):
        return upper
    lo, hi = 0, upper
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if fits(mid):
            lo = mid
        else:
            hi = mid
    return lo


def add_stake(reader: StakeReader, coldkey: bytes, hotkey: bytes, netuid: int, amount: int,
              limit_price: int | None = None, allow_partial: bool = False) -> dict:
    """`validate_add_stake` then the buy: subnet, subtoken, minimum, limit, balance, hotkey,
    swap."""
    import amm

    _ensure_subnet(reader, netuid)
    _ensure_subtoken(reader, netuid)
    pool = read_pool(reader, netuid)
    minimum = DEFAULT_MIN_STAKE + amm.swap_fee(pool, DEFAULT_MIN_STAKE)
    if amount < minimum:
        raise fail("AmountTooLow", f"stake at least {minimum} rao (the minimum stake plus "
                      f"its fee); asked {amount}")
    paid = amount
    if limit_price is not None:
        paid = capped(amount, max_amount(pool, amm.BUY, limit_price), allow_partial, "TAO")
    spendable = max(reader.free_balance(coldkey) - reader.existential_deposit(), 0)
    if spendable < paid:
        raise fail("NotEnoughBalanceToStake", f"the coldkey can spend {spendable} rao "
                      f"(keeping the existential deposit), staking needs {paid}")
    _ensure_hotkey(reader, hotkey)
    try:
        swap = amm.buy(pool, amount, limit_price=limit_price, allow_partial=allow_partial)
    except amm.AmmError as exc:
        raise _amm_refusal(exc) from None
    if swap.net_in < DEFAULT_MIN_STAKE:
        raise fail("AmountTooLow", f"only {swap.net_in} rao would reach the pool, below "
                      f"the minimum stake of {DEFAULT_MIN_STAKE}")
    if swap.amount_out == 0:
        raise fail("InsufficientLiquidity", "the pool would pay out no alpha for this amount")
    return {"call": "add_stake", "netuid": netuid, "tao_paid_rao": paid,
            "alpha_received_rao": swap.amount_out, "fee_rao": swap.fee,
            "limit_price_rao": limit_price, "swap": swap.to_json()}


def remove_stake(reader: StakeReader, coldkey: bytes, hotkey: bytes, netuid: int, alpha: int,
                 limit_price: int | None = None, allow_partial: bool = False) -> dict:
    """`validate_remove_stake` then the sell: subnet, amount, holding, limit, swap, hotkey."""
    import amm

    _ensure_subnet(reader, netuid)
    if alpha == 0:
        raise fail("AmountTooLow", "unstake more than 0 alpha")
    available = reader.stake(hotkey, coldkey, netuid)
    if alpha > available:
        raise fail("NotEnoughStakeToWithdraw",
                      f"the coldkey holds {available} alpha rao on subnet {netuid} through "
                      f"this hotkey; asked to unstake {alpha}")
    pool = read_pool(reader, netuid)
    if limit_price is not None:
        capped(alpha, max_amount(pool, amm.SELL, limit_price), allow_partial, "alpha")
    try:
        swap = amm.sell(pool, alpha, limit_price=limit_price, allow_partial=allow_partial)
    except amm.AmmError as exc:
        raise _amm_refusal(exc) from None
    if available - swap.amount_in > 0 and swap.amount_out < DEFAULT_MIN_STAKE:
        raise fail("AmountTooLow", f"the unstake pays {swap.amount_out} rao, below the "
                      f"minimum of {DEFAULT_MIN_STAKE} (unstake everything, or more)")
    _ensure_hotkey(reader, hotkey)
    return {"call": "remove_stake", "netuid": netuid, "alpha_paid_rao": swap.amount_in,
            "tao_received_rao": swap.amount_out, "fee_rao": swap.fee,
            "limit_price_rao": limit_price, "swap": swap.to_json()}


def transition(reader: StakeReader, coldkey: bytes, dest_coldkey: bytes, origin_hotkey: bytes,
               dest_hotkey: bytes, origin_netuid: int, dest_netuid: int, alpha: int, *,
               kind: str, limit_price: int | None = None, allow_partial: bool = False) -> dict:
    """`transition_stake_internal`'s checks and swaps (move, transfer, swap)."""
    import amm

    if coldkey == dest_coldkey and origin_hotkey == dest_hotkey and origin_netuid == dest_netuid:
        raise fail("SameNetuid", "the origin and the destination are the same stake")
    for netuid in (origin_netuid, dest_netuid):
        _ensure_subnet(reader, netuid)
    for netuid in (origin_netuid, dest_netuid):
        _ensure_subtoken(reader, netuid)
    _ensure_hotkey(reader, origin_hotkey)
    _ensure_hotkey(reader, dest_hotkey)
    available = reader.stake(origin_hotkey, coldkey, origin_netuid)
    if alpha > available:
        raise fail("NotEnoughStakeToWithdraw",
                      f"the coldkey holds {available} alpha rao on subnet {origin_netuid} "
                      f"through the origin hotkey; asked to move {alpha}")
    if alpha == 0:
        raise fail("AmountTooLow", "move more than 0 alpha")
    if kind == "transfer" and not (reader.read(f"{SM}.TransferToggle", origin_netuid)
                                   and reader.read(f"{SM}.TransferToggle", dest_netuid)):
        raise fail("TransferDisallowed", "stake transfers are switched off on this subnet")
    origin_pool = read_pool(reader, origin_netuid)
    if origin_netuid == dest_netuid:
        from chain.rules.valuation import spot_value

        value = spot_value(origin_pool, alpha)
        if value < DEFAULT_MIN_STAKE:
            raise fail("AmountTooLow", f"the moved alpha is worth {value} rao, below the "
                          f"minimum stake of {DEFAULT_MIN_STAKE}")
        return {"call": kind, "origin_netuid": origin_netuid, "destination_netuid": dest_netuid,
                "alpha_moved_rao": alpha, "alpha_received_rao": alpha,
                "tao_equivalent_rao": value, "fee_rao": 0}
    dest_pool = read_pool(reader, dest_netuid)
    drop_dest_fee = origin_netuid != ROOT_NETUID
    if limit_price is not None:
        maximum = max_amount_move(origin_pool, dest_pool, limit_price, min(available, MAX_U64),
                                  drop_dest_fee)
        alpha = capped(alpha, maximum, allow_partial, "alpha")
    try:
        sell, buy = simulate_move(origin_pool, dest_pool, alpha, drop_dest_fee)
    except amm.AmmError as exc:
        raise fail("InsufficientLiquidity", str(exc)) from None
    if sell.amount_out <= DEFAULT_MIN_STAKE or buy is None:
        raise fail("AmountTooLow", f"the move is worth {sell.amount_out} rao, below the "
                      f"minimum stake of {DEFAULT_MIN_STAKE}")
    return {"call": kind, "origin_netuid": origin_netuid, "destination_netuid": dest_netuid,
            "alpha_moved_rao": sell.amount_in, "tao_equivalent_rao": sell.amount_out,
            "alpha_received_rao": buy.amount_out, "fee_rao": sell.fee,
            "destination_fee_rao": buy.fee, "limit_price_rao": limit_price,
            "origin_swap": sell.to_json(), "destination_swap": buy.to_json()}


def check(reader: StakeReader, origin: bytes, name: str, args: dict[str, Any],
          fee: int = 0) -> dict:
    """The result record of a stake call (as the runtime's dry run gives it); a refusal raises
    the typed class of its subtensor name (`chain.errors`). `fee` (TAO) is withdrawn before the
    call runs, so the balance checks see what is left."""
    if fee:
        from chain.rules.fees import AfterFee

        reader = AfterFee(reader, origin, fee)  # type: ignore[assignment]
    a = args
    if name in ("add_stake", "add_stake_limit"):
        return add_stake(reader, origin, a["hotkey"], a["netuid"], a["amount_staked"],
                         a.get("limit_price"), bool(a.get("allow_partial", False)))
    if name in ("remove_stake", "remove_stake_limit"):
        return remove_stake(reader, origin, a["hotkey"], a["netuid"], a["amount_unstaked"],
                            a.get("limit_price"), bool(a.get("allow_partial", False)))
    if name == "remove_stake_full_limit":
        alpha = reader.stake(a["hotkey"], origin, a["netuid"])
        return remove_stake(reader, origin, a["hotkey"], a["netuid"], alpha,
                            a.get("limit_price"), False) | {"call": name}
    if name in ("move_stake", "move_stake_limit"):
        result = transition(reader, origin, origin, a["origin_hotkey"], a["destination_hotkey"],
                            a["origin_netuid"], a["destination_netuid"], a["alpha_amount"],
                            kind="move_stake", limit_price=a.get("limit_price"),
                            allow_partial=bool(a.get("allow_partial", False)))
        return result | {"call": name}
    if name == "transfer_stake":
        result = transition(reader, origin, a["destination_coldkey"], a["hotkey"], a["hotkey"],
                            a["origin_netuid"], a["destination_netuid"], a["alpha_amount"],
                            kind="transfer")
        return result | {"call": "transfer_stake"}
    if name in ("swap_stake", "swap_stake_limit"):
        result = transition(reader, origin, origin, a["hotkey"], a["hotkey"],
                            a["origin_netuid"], a["destination_netuid"], a["alpha_amount"],
                            kind="swap", limit_price=a.get("limit_price"),
                            allow_partial=bool(a.get("allow_partial", False)))
        return result | {"call": name}
    raise KeyError(f"no stake rule for {name}")

"""Shared pieces of the staking, registration and subnet pallets (`staking/stake_utils.rs`).

- pools: `read_pool(state, netuid)` -> `amm.Pool` from `SubnetTAO`, `SubnetAlphaIn`, the swap
  pallet's weight and fee, and the mechanism (root is the stable 1:1 pool); `write_pool`.
- stake: the per-hotkey share pools (`chain.local.share_pool`) stored in `TotalHotkeyAlpha`,
  `TotalHotkeySharesV2` and `AlphaV2`; `stake_of(state, hotkey, coldkey, netuid)`.
- accounts: `create_account_if_non_existent` (hotkey ownership), `keep_alive_balance`.
- money movement: `stake_into_subnet` and `unstake_from_subnet` run the exact `amm` swap that a
  quote runs, then move TAO between the coldkey, the subnet account and the block author, so
  issuance never changes and a dry run equals the execution to the rao.
"""

from __future__ import annotations

from dataclasses import dataclass

import amm
from chain.local import share_pool as sp
from chain.local.accounts import AUTHOR_ACCOUNT, ROOT_NETUID, subnet_account
from chain.local.balances import EXISTENTIAL_DEPOSIT, free_balance, set_free
from chain.local.state import State
from chain.local.subtensor_errors import fail, from_amm
from chain.pallets import subtensor_module as sm
from chain.pallets import swap, system, taoctl

DEFAULT_MIN_STAKE = 2_000_000  # rao: DefaultMinStake (runtime SubtensorInitialMinStake)
MAX_U64 = 2**64 - 1


# -- subnets and pools -------------------------------------------------------------------------
def subnet_exists(state: State, netuid: int) -> bool:
    """`if_subnet_exist`: NetworksAdded[netuid]."""
    return bool(state.get(sm.NETWORKS_ADDED, netuid))


def ensure_subnet(state: State, netuid: int) -> None:
    if not subnet_exists(state, netuid):
        raise fail("SubnetNotExists", f"subnet {netuid} does not exist")


def is_stable(state: State, netuid: int) -> bool:
    """Root and mechanism-0 subnets swap 1:1 without fee."""
    return netuid == ROOT_NETUID or state.get(sm.SUBNET_MECHANISM, netuid) == 0


def read_pool(state: State, netuid: int) -> amm.Pool:
    """The subnet's pool as `amm` models it (reads five items, nothing else)."""
    return amm.Pool(
        tao_reserve=state.get(sm.SUBNET_TAO, netuid),
        alpha_reserve=state.get(sm.SUBNET_ALPHA_IN, netuid),
        tao_weight=state.get(swap.SWAP_BALANCER, netuid),
        fee_rate=state.get(swap.FEE_RATE, netuid),
        stable=is_stable(state, netuid),
    )


def write_pool(state: State, netuid: int, pool: amm.Pool) -> None:
    """Store reserves (and the weight, which injections may change); record the new price."""
    state.set(sm.SUBNET_TAO, netuid, pool.tao_reserve)
    state.set(sm.SUBNET_ALPHA_IN, netuid, pool.alpha_reserve)
    if pool.tao_weight != state.get(swap.SWAP_BALANCER, netuid):
        state.set(swap.SWAP_BALANCER, netuid, pool.tao_weight)
    record_price(state, netuid)


def record_price(state: State, netuid: int) -> None:
    """Remember the spot price at the open block (`Taoctl.PriceAt`, for price charts; the last
    write in a block wins)."""
    state.set(taoctl.PRICE_AT, netuid, state.get(system.NUMBER),
              amm.price_rao(read_pool(state, netuid)))


# -- share pools ----------------------------------------------------------------------------------
def parts(raw) -> tuple[int, int]:
    """A stored SafeFloat (`[mantissa, exponent]`, or None) as a plain pair."""
    return (0, 0) if raw is None else (int(raw[0]), int(raw[1]))


def _safe(raw) -> sp.SafeFloat:
    return sp.SafeFloat(*parts(raw))


def hotkey_pool(state: State, hotkey: bytes, netuid: int) -> sp.SharePool:
    """The (hotkey, netuid) share pool: TotalHotkeyAlpha over TotalHotkeySharesV2."""
    return sp.SharePool(state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid),
                        _safe(state.get(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid)))


def share_of(state: State, hotkey: bytes, coldkey: bytes, netuid: int) -> sp.SafeFloat:
    return _safe(state.get(sm.ALPHA, hotkey, coldkey, netuid))


def stake_of(state: State, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """Alpha (rao) a coldkey holds through a hotkey on a subnet, truncated as the chain does."""
    share = share_of(state, hotkey, coldkey, netuid)
    if share.is_zero():
        return 0
    return sp.value(hotkey_pool(state, hotkey, netuid), share)


def _store_stake(state: State, hotkey: bytes, coldkey: bytes, netuid: int, shared: int,
                 denominator: tuple[int, int], share: tuple[int, int]) -> None:
    """Write a pool (`TotalHotkeyAlpha`, `TotalHotkeySharesV2`) and one coldkey's share
    (`AlphaV2`); a zero SafeFloat deletes its entry."""
    state.set(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid, shared)
    for item, key, parts in ((sm.TOTAL_HOTKEY_SHARES, (hotkey, netuid), denominator),
                             (sm.ALPHA, (hotkey, coldkey, netuid), share)):
        if parts[0] == 0:
            state.remove(item, *key)
        else:
            state.set(item, *key, list(parts))


store_stake = _store_stake  # econ: the dust sweep deletes a share (chain.local.dust_migration)


def credit_stake_if_possible(state: State, hotkey: bytes, coldkey: bytes, netuid: int,
                             alpha: int) -> bool:
    """Add alpha to a coldkey's stake with one pool read and one precision guard (the chain's
    `try_increase_stake_for_hotkey_and_coldkey_on_subnet`); False, changing nothing, when
    `alpha` (>= 0) would buy no share (the emission payout then skips the credit)."""
    held = parts(state.get(sm.ALPHA, hotkey, coldkey, netuid))
    credited = sp.credit_parts(state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid),
                               parts(state.get(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid)), held,
                               alpha)
    if credited is None:
        return False
    _store_stake(state, hotkey, coldkey, netuid, *credited)
    if held[0] == 0:  # a share only ever comes from a credit, which remembered the hotkey
        remember_staking_hotkey(state, coldkey, hotkey)
    return True


def credit_stake(state: State, hotkey: bytes, coldkey: bytes, netuid: int, alpha: int) -> int:
    """Add alpha to a coldkey's stake (InsufficientLiquidity if it buys no share). Returns
    the position's change as `stake_of` reads it: the shares bought are floored and so is
    their value, so a credit of `alpha` can show as `alpha - 1` (what the coldkey now has)."""
    if alpha < 0:
        raise ValueError("credit_stake takes a non-negative amount")
    before = stake_of(state, hotkey, coldkey, netuid)
    if not credit_stake_if_possible(state, hotkey, coldkey, netuid, alpha):
        raise fail("InsufficientLiquidity", str(sp.InsufficientLiquidity()))
    return stake_of(state, hotkey, coldkey, netuid) - before


def debit_stake(state: State, hotkey: bytes, coldkey: bytes, netuid: int, alpha: int) -> None:
    """Remove alpha from a coldkey's stake (NotEnoughStakeToWithdraw if it holds less)."""
    pool, share = hotkey_pool(state, hotkey, netuid), share_of(state, hotkey, coldkey, netuid)
    if sp.value(pool, share) < alpha:
        raise fail("NotEnoughStakeToWithdraw",
                   f"the coldkey holds {sp.value(pool, share)} alpha rao on subnet {netuid} "
                   f"through this hotkey, less than {alpha}")
    pool, share = sp.remove_stake(pool, share, alpha)
    _store_stake(state, hotkey, coldkey, netuid, pool.shared,
                 (pool.denominator.mantissa, pool.denominator.exponent),
                 (share.mantissa, share.exponent))


def remember_staking_hotkey(state: State, coldkey: bytes, hotkey: bytes) -> None:
    hotkeys = state.get(sm.STAKING_HOTKEYS, coldkey)
    if hotkey.hex() not in hotkeys:
        state.set(sm.STAKING_HOTKEYS, coldkey, [*hotkeys, hotkey.hex()])


# -- accounts -----------------------------------------------------------------------------------
def hotkey_exists(state: State, hotkey: bytes) -> bool:
    """`hotkey_account_exists`: the hotkey has an owning coldkey."""
    return state.get(sm.OWNER, hotkey) is not None


def ensure_hotkey_exists(state: State, hotkey: bytes) -> None:
    if not hotkey_exists(state, hotkey):
        raise fail("HotKeyAccountNotExists",
                   f"hotkey 0x{hotkey.hex()} is not owned by any coldkey (register it first)")


def create_account_if_non_existent(state: State, coldkey: bytes, hotkey: bytes) -> None:
    """Pair a new hotkey with its coldkey (Owner, OwnedHotkeys, StakingHotkeys)."""
    if state.get(sm.OWNER, hotkey) is not None:
        return
    state.set(sm.OWNER, hotkey, coldkey)
    owned = state.get(sm.OWNED_HOTKEYS, coldkey)
    state.set(sm.OWNED_HOTKEYS, coldkey, [*owned, hotkey.hex()])
    remember_staking_hotkey(state, coldkey, hotkey)


def ensure_owns_hotkey(state: State, coldkey: bytes, hotkey: bytes) -> None:
    """The hotkey must be unowned or owned by `coldkey` (NonAssociatedColdKey otherwise)."""
    owner = state.get(sm.OWNER, hotkey)
    if owner is not None and owner != coldkey:
        raise fail("NonAssociatedColdKey",
                   f"hotkey 0x{hotkey.hex()} belongs to another coldkey")


def keep_alive_balance(state: State, who: bytes) -> int:
    """What `who` can spend while keeping the existential deposit (Preservation::Preserve)."""
    return max(free_balance(state, who) - EXISTENTIAL_DEPOSIT, 0)


def move_tao(state: State, source: bytes, dest: bytes, amount: int) -> None:
    """Move TAO between accounts (issuance unchanged); the caller has checked the balance."""
    if amount == 0 or source == dest:
        return
    have = free_balance(state, source)
    if have < amount:
        raise fail("NotEnoughBalanceToStake",
                   f"account holds {have} rao, needs {amount}")
    set_free(state, source, have - amount)
    set_free(state, dest, free_balance(state, dest) + amount)


def pay_author(state: State, source: bytes, fee: int) -> None:
    """Send a swap fee to the block author. While the author does not exist yet and the fee is
    below the existential deposit, the fee stays where it is (the subnet account), so no
    account ever holds dust and issuance does not move."""
    if fee and free_balance(state, AUTHOR_ACCOUNT) + fee >= EXISTENTIAL_DEPOSIT:
        move_tao(state, source, AUTHOR_ACCOUNT, fee)


# -- the swaps ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Staked:
    """What a stake did: TAO taken from the coldkey, alpha bought (the swap's output, which
    the event reports), fee, the swap itself, and `credited`: the position's change as the
    share pool reads it (the alpha bought, or one rao less where the shares round down)."""

    tao_paid: int
    alpha: int
    fee: int
    swap: amm.SwapResult
    credited: int


@dataclass(frozen=True)
class Unstaked:
    """What an unstake did: alpha debited, TAO paid out, fee (alpha) and its TAO to the author."""

    alpha: int
    tao: int
    fee: int
    fee_tao: int
    swap: amm.SwapResult


def simulate_buy(pool: amm.Pool, tao: int, limit_price: int | None = None,
                 allow_partial: bool = False, drop_fees: bool = False) -> amm.SwapResult:
    """`amm.buy` with its errors as dispatch errors (the same function quotes use)."""
    try:
        return amm.buy(pool, tao, limit_price=limit_price, allow_partial=allow_partial,
                       drop_fees=drop_fees)
    except amm.AmmError as exc:
        raise from_amm(exc) from None


def simulate_sell(pool: amm.Pool, alpha: int, limit_price: int | None = None,
                  allow_partial: bool = False, drop_fees: bool = False) -> amm.SwapResult:
    """`amm.sell` with its errors as dispatch errors."""
    try:
        return amm.sell(pool, alpha, limit_price=limit_price, allow_partial=allow_partial,
                        drop_fees=drop_fees)
    except amm.AmmError as exc:
        raise from_amm(exc) from None


def stake_into_subnet(state: State, hotkey: bytes, coldkey: bytes, netuid: int,
                      swap: amm.SwapResult, paid: int, *, payer: bytes | None = None) -> Staked:
    """Execute a quoted buy: the payer (default the coldkey) sends `paid` to the subnet account,
    the net TAO enters the pool, the fee goes to the block author, the alpha is credited.

    `paid` is what the call transfers: the amount of a plain stake, `min(amount, max_amount)`
    of a limit order. The swap consumes `amount_in` of it; a difference (a fill cut short by
    the limit price) stays in the subnet account, as on chain.
    """
    account = subnet_account(netuid)
    move_tao(state, payer or coldkey, account, paid)
    if is_stable(state, netuid):
        state.set(sm.SUBNET_TAO, netuid, state.get(sm.SUBNET_TAO, netuid) + swap.net_in)
    else:
        write_pool(state, netuid, swap.pool_after)
    pay_author(state, account, swap.fee)
    state.set(sm.SUBNET_ALPHA_OUT, netuid, state.get(sm.SUBNET_ALPHA_OUT, netuid) + swap.amount_out)
    state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + paid)
    state.set(sm.SUBNET_VOLUME, netuid, state.get(sm.SUBNET_VOLUME, netuid) + swap.amount_in)
    _flow(state, netuid, swap.net_in)
    credited = credit_stake(state, hotkey, coldkey, netuid, swap.amount_out)
    return Staked(paid, swap.amount_out, swap.fee, swap, credited)


def unstake_from_subnet(state: State, hotkey: bytes, coldkey: bytes, netuid: int,
                        swap: amm.SwapResult, *, payee: bytes | None = None) -> Unstaked:
    """Execute a quoted sell: debit the alpha the swap consumed, pay the TAO out of the subnet
    account to the payee (default the coldkey), sell the alpha fee fee-less for the author."""
    debit_stake(state, hotkey, coldkey, netuid, swap.amount_in)
    account = subnet_account(netuid)
    fee_tao = 0
    if is_stable(state, netuid):
        state.set(sm.SUBNET_TAO, netuid, state.get(sm.SUBNET_TAO, netuid) - swap.amount_out)
    else:
        pool = swap.pool_after
        if swap.fee:
            try:
                fee_sale = amm.swap(pool, amm.SELL, swap.fee, drop_fees=True)
                pool, fee_tao = fee_sale.pool_after, fee_sale.amount_out
            except amm.AmmError:  # the fee alpha cannot be sold: it is burned
                fee_tao = 0
        write_pool(state, netuid, pool)
    state.set(sm.SUBNET_ALPHA_OUT, netuid,
              max(state.get(sm.SUBNET_ALPHA_OUT, netuid) - swap.amount_in, 0))
    receiver = payee or coldkey
    if 0 < free_balance(state, receiver) + swap.amount_out < EXISTENTIAL_DEPOSIT:
        raise fail("AmountTooLow", f"the unstake would leave the coldkey with "
                   f"{free_balance(state, receiver) + swap.amount_out} rao, below the "
                   f"existential deposit of {EXISTENTIAL_DEPOSIT}")
    move_tao(state, account, receiver, swap.amount_out)
    pay_author(state, account, fee_tao)
    state.set(sm.TOTAL_STAKE, max(state.get(sm.TOTAL_STAKE) - swap.amount_out - fee_tao, 0))
    state.set(sm.SUBNET_VOLUME, netuid, state.get(sm.SUBNET_VOLUME, netuid) + swap.amount_out)
    _flow(state, netuid, -swap.amount_out)
    return Unstaked(swap.amount_in, swap.amount_out, swap.fee, fee_tao, swap)


def _flow(state: State, netuid: int, delta: int) -> None:
    state.set(sm.SUBNET_TAO_FLOW, netuid, state.get(sm.SUBNET_TAO_FLOW, netuid) + delta)


def spot_price_rao(state: State, netuid: int) -> int:
    """Rao per alpha at the spot price (1e9 on root)."""
    return amm.price_rao(read_pool(state, netuid))


def alpha_value_tao(state: State, netuid: int, alpha: int) -> int:
    """Alpha valued at the spot price, floored (U64F64 price times alpha)."""
    price = amm.spot_price(read_pool(state, netuid))
    return min((alpha * price) >> 64, MAX_U64)

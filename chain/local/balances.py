"""The Balances pallet: free TAO per account, transfers, the existential deposit and reaping.

As in subtensor (ECONOMICS.md §8.1): an account must hold at least the existential deposit
(500 rao) or hold nothing. `transfer_keep_alive` refuses to take the sender below it;
`transfer_allow_death` may, and then the sender is reaped: the dust left below the deposit is
recycled (removed from both TotalIssuance items). `transfer_all(dest, keep_alive)` moves
everything, or everything but the deposit. A transfer never changes total issuance.

Difference from Substrate, on purpose: a reaped account keeps its nonce. Substrate drops it and
relies on mortal eras against replay; the bundled chain's extrinsics are immortal, so the nonce
must survive for a replayed extrinsic to stay refused.
"""

from __future__ import annotations

from dataclasses import replace

from chain.local.calls import Env, call
from chain.local.errors import ExistentialDeposit, InsufficientBalance, NotExpendable
from chain.local.state import State
from chain.pallets import balances, system, taoctl
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import AccountInfo

EXISTENTIAL_DEPOSIT = 500  # rao


def free_balance(state: State, who: bytes) -> int:
    """The account's free TAO in rao (0 for an unknown account)."""
    return state.get(system.ACCOUNT, who).free


def set_free(state: State, who: bytes, free: int) -> None:
    """Set an account's free balance, keeping its nonce (an account with nothing is removed)."""
    info = replace(state.get(system.ACCOUNT, who), free=free)
    if info == AccountInfo():
        state.remove(system.ACCOUNT, who)
    else:
        state.set(system.ACCOUNT, who, info)


def deposit_minted(state: State, who: bytes, amount: int) -> None:
    """Credit newly minted TAO: the balance and both TotalIssuance items grow together."""
    set_free(state, who, free_balance(state, who) + amount)
    change_issuance(state, amount)
    state.set(taoctl.MINTED, state.get(taoctl.MINTED) + amount)


def recycle(state: State, who: bytes, amount: int) -> None:
    """Withdraw TAO and lower issuance (`recycle_tao`): the only way issuance falls."""
    set_free(state, who, free_balance(state, who) - amount)
    change_issuance(state, -amount)
    state.set(taoctl.RECYCLED, state.get(taoctl.RECYCLED) + amount)


def change_issuance(state: State, delta: int) -> None:
    """Move `Balances.TotalIssuance` and `SubtensorModule.TotalIssuance` together."""
    state.set(balances.TOTAL_ISSUANCE, state.get(balances.TOTAL_ISSUANCE) + delta)
    state.set(sm.TOTAL_ISSUANCE, state.get(sm.TOTAL_ISSUANCE) + delta)


def transfer(env: Env, source: bytes, dest: bytes, value: int, *, keep_alive: bool) -> None:
    """Move `value` rao from source to dest with the existential-deposit rules.

    Errors: InsufficientBalance (value > free), ExistentialDeposit (dest would be created below
    500 rao), NotExpendable (keep_alive and the sender would fall below 500 rao but not to 0).
    """
    state = env.state
    source_free = free_balance(state, source)
    if value > source_free:
        raise InsufficientBalance(
            f"balance too low: has {source_free} rao, transfer needs {value} rao")
    remaining = source_free - value
    if keep_alive and remaining < EXISTENTIAL_DEPOSIT:
        raise NotExpendable(
            f"the transfer would leave {remaining} rao, below the existential deposit of "
            f"{EXISTENTIAL_DEPOSIT} rao (transfer less, or allow the account to be reaped)")
    if source == dest or value == 0:
        return
    dest_free = free_balance(state, dest)
    if dest_free + value < EXISTENTIAL_DEPOSIT:
        raise ExistentialDeposit(
            f"the destination would hold {dest_free + value} rao, below the existential "
            f"deposit of {EXISTENTIAL_DEPOSIT} rao")
    set_free(state, source, remaining)
    set_free(state, dest, dest_free + value)
    env.emit("Balances", "Transfer", **{"from": source, "to": dest, "amount": value})
    if remaining < EXISTENTIAL_DEPOSIT:
        reap(env, source)


def reap(env: Env, who: bytes) -> None:
    """Remove an account that fell below the deposit: its dust is recycled, its nonce kept."""
    dust = free_balance(env.state, who)
    if dust:
        recycle(env.state, who, dust)
        env.emit("Balances", "DustLost", account=who, amount=dust)
    env.emit("System", "KilledAccount", account=who)


@call("Balances", "transfer_keep_alive")
def transfer_keep_alive(env: Env, origin: bytes, dest: bytes, value: int) -> None:
    """Transfer that never reaps the sender."""
    transfer(env, origin, dest, value, keep_alive=True)


@call("Balances", "transfer_allow_death")
def transfer_allow_death(env: Env, origin: bytes, dest: bytes, value: int) -> None:
    """Transfer that may take the sender below the deposit, reaping it."""
    transfer(env, origin, dest, value, keep_alive=False)


@call("Balances", "transfer_all")
def transfer_all(env: Env, origin: bytes, dest: bytes, keep_alive: bool) -> None:
    """Transfer the whole free balance, or all but the existential deposit with keep_alive."""
    free = free_balance(env.state, origin)
    value = max(free - EXISTENTIAL_DEPOSIT, 0) if keep_alive else free
    transfer(env, origin, dest, value, keep_alive=keep_alive)

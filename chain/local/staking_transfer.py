"""Staking calls of today beside `staking` (ECONOMICS-2026 §5.2): `transfer_stake_and_hotkey`
and the whole-position sentinel.

- `transfer_stake_and_hotkey(destination_coldkey, origin_hotkey, destination_hotkey,
  origin_netuid, destination_netuid, alpha_amount)` (call 143): `transfer_stake` generalised to
  a new destination hotkey, optionally across subnets. Ownership moves to `destination_coldkey`
  and the stake is re-delegated in the same call (`staking.transition_stake`, so the same
  minimum-stake, liquidity and `TransferToggle` checks and the same swaps). A module account
  (a subnet account, the registration escrow, the burn account: anything `modl…`) is refused
  as the destination coldkey (`CannotUseSystemAccount`).
- The full-position sentinel (spec 470): on move / transfer / swap calls, `alpha_amount =
  u64::MAX` means the origin position as it stands when the call executes, less any locked
  miner collateral (`resolve_alpha_amount`), so a script can move "everything" without racing its own
  emissions.

Argument names and order are subtensor's (`pallets/subtensor/src/macros/dispatches.rs` and the
staking precompile's `transferStakeAndHotkey(bytes32,bytes32,bytes32,uint16,uint16,uint64)`).
The event is `StakeTransferred` with subtensor's transfer fields; the destination hotkey is in
the call's result (subtensor's own event for this call could not be checked: a choice).
"""

from __future__ import annotations

from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.state import State
from chain.local.subtensor_errors import fail

FULL_POSITION = 2**64 - 1
"""`AlphaBalance::MAX`: "the whole origin position at execution" (spec 470)."""

MODULE_ACCOUNT_PREFIX = b"modl"


def resolve_alpha_amount(state: State, hotkey: bytes, coldkey: bytes, netuid: int,
                         alpha: int) -> int:
    """`alpha`, or the live (hotkey, coldkey, netuid) position when it is the sentinel."""
    if alpha == FULL_POSITION:
        from chain.local.registration import available_to_unstake

        return available_to_unstake(state, hotkey, coldkey, netuid)
    return alpha


def is_system_account(account: bytes) -> bool:
    """A pallet's module account (`PalletId::into_sub_account_truncating`)."""
    return account.startswith(MODULE_ACCOUNT_PREFIX)


@call("SubtensorModule", "transfer_stake_and_hotkey")
def transfer_stake_and_hotkey(env: Env, origin: bytes, destination_coldkey: bytes,
                              origin_hotkey: bytes, destination_hotkey: bytes,
                              origin_netuid: int, destination_netuid: int,
                              alpha_amount: int) -> None:
    """Give stake to another coldkey on another hotkey (and possibly another subnet)."""
    from chain.local.staking import transition_stake

    if is_system_account(destination_coldkey) or is_system_account(destination_hotkey):
        raise fail("CannotUseSystemAccount", "stake cannot be given to a module account")
    alpha = resolve_alpha_amount(env.state, origin_hotkey, origin, origin_netuid, alpha_amount)
    result = transition_stake(env, origin, destination_coldkey, origin_hotkey,
                              destination_hotkey, origin_netuid, destination_netuid, alpha,
                              kind="transfer")
    result["call"] = "transfer_stake_and_hotkey"
    result["destination_hotkey"] = "0x" + destination_hotkey.hex()
    env.emit("SubtensorModule", "StakeTransferred", origin_coldkey=origin,
             destination_coldkey=destination_coldkey, hotkey=origin_hotkey,
             origin_netuid=origin_netuid, destination_netuid=destination_netuid,
             tao_amount=result["tao_equivalent_rao"])

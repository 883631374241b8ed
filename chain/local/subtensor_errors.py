"""Dispatch errors of the subtensor pallet, named as `pallets/subtensor/src/macros/errors.rs`.

Subtensor has well over a hundred error variants; rather than a class per variant, a failed call
raises `SubtensorError(name, message)`, a `DispatchError` whose `name` is the variant's name
(checked against `ERROR_NAMES`, so a typo fails loudly in tests). `cli.errors` reads `name` and
`exit_code` from the instance. Errors of the pure pool (`amm.errors`, same names as the chain's)
are turned into the same type by `from_amm`.
"""

from __future__ import annotations

from chain.local.errors import DispatchError

ERROR_NAMES = frozenset("""
SubnetNotExists SubtokenDisabled AmountTooLow NotEnoughBalanceToStake HotKeyAccountNotExists
InsufficientLiquidity SlippageTooHigh ZeroMaxStakeAmount NotEnoughStakeToWithdraw
NonAssociatedColdKey HotKeyAlreadyRegisteredInSubNet HotKeyNotRegisteredInSubNet
RegistrationNotPermittedOnRootSubnet NotEnoughBalanceToPaySwapHotKey SubnetLimitReached
CannotAffordLockCost AllNetworksInImmunity NotSubnetOwner FirstEmissionBlockNumberAlreadySet
NeedWaitingMoreBlocksToStarCall TransferDisallowed SameNetuid NoNeuronIdAvailable
TooManyRegistrationsThisBlock StakeTooLowForRoot DelegateTakeTooLow DelegateTakeTooHigh
SubNetRegistrationDisabled NotRootSubnet RootNetworkDoesNotExist InvalidValue Overflow
HotKeyNotRegisteredInNetwork ReservesTooLow SwapInputTooLarge PriceLimitExceeded
InvalidPool InvalidWeights RegistrationPriceLimitExceeded NotEnoughBalanceToPayLockCost
InvalidIdentity
LockIdOverFlow CannotUseSystemAccount
""".split())  # the last line: regqueue (registration queue, staking calls of today)


class SubtensorError(DispatchError):
    """A failed subtensor call; `name` is the pallet's error variant."""

    def __init__(self, name: str, message: str) -> None:
        if name not in ERROR_NAMES:
            raise ValueError(f"unknown subtensor error name {name!r}")
        super().__init__(message)
        self.name = name


def fail(name: str, message: str) -> SubtensorError:
    """Build the error to `raise`: `raise fail("SubnetNotExists", "no subnet 7")`."""
    return SubtensorError(name, message)


def from_amm(exc: Exception) -> SubtensorError:
    """The pool's error (`amm.errors`, chain names) as a dispatch error of the same name."""
    name = getattr(exc, "name", "InsufficientLiquidity")
    if name not in ERROR_NAMES:
        name = "InsufficientLiquidity"
    return SubtensorError(name, str(exc))

"""What a chain can refuse, one type per refusal, named as subtensor names it.

Two families, told apart by what they change:

- `InvalidTransaction` (`BadProof`, `Stale`, `Future`, `BadGenesis`, `CallUnknown`): the
  extrinsic is refused before it runs. Nothing changes, not even the sender's nonce.
- `DispatchError`: the call ran and failed; its writes are rolled back, the nonce still
  advances, as on a real chain. Every refusal the runtime names is a class of its own
  (`SlippageTooHigh`, `NotEnoughBalanceToStake`, `InsufficientBalance`, `BadOrigin`, ...),
  generated from the one list `REFUSALS` below, so the bundled chain, a real node's module
  errors and the CLI all speak the same names. `except DispatchError` catches every one.

Both families exit 4 (`exitcodes.EXIT_REFUSED`) on every command and every network. This module
is shared by both backends: it imports nothing of `chain.local` or `chain.remote`.
"""

from __future__ import annotations

from chain.exitcodes import EXIT_REFUSED


class ChainError(Exception):
    """Base of every error a chain raises; `name` is shown to the user."""

    name = "ChainError"
    exit_code = EXIT_REFUSED


# -- invalid transactions: refused, nothing changed -------------------------------------------
class StateNotKept(Exception):
    """What both backends' `StateDiscarded` are: the state at the block asked for is no
    longer (or was never) kept, so a walk back through blocks ends there."""


class InvalidTransaction(ChainError):
    """The extrinsic is not valid at all; it is not included and changes nothing."""

    name = "InvalidTransaction"


class BadProof(InvalidTransaction):
    """The signature does not verify against the sender's key for this payload."""

    name = "BadProof"


class Stale(InvalidTransaction):
    """The nonce was already used (a replay, or an old extrinsic)."""

    name = "Stale"


class Future(InvalidTransaction):
    """The nonce is ahead of the sender's next nonce (an extrinsic is missing before it)."""

    name = "Future"


class BadGenesis(InvalidTransaction):
    """The extrinsic was signed for another chain (a different genesis hash)."""

    name = "BadGenesis"


class CallUnknown(InvalidTransaction):
    """No such pallet call, or its arguments do not decode."""

    name = "CallUnknown"


# -- dispatch errors: the call failed, only the nonce advanced --------------------------------
class DispatchError(ChainError):
    """A call that ran and failed; its changes are rolled back (the nonce still advances)."""

    name = "DispatchError"


class SubtensorError(DispatchError):
    """A refusal the runtime names: the base of every class generated from `REFUSALS`."""

    name = "SubtensorError"


# The one list: every name once, under the pallet that declares it first in the metadata of
# finney's spec 343 (`System`: a bare `DispatchError` variant, `Token`: `DispatchError::Token`);
# `Newer` holds names of later runtimes that taoctl raises. A name two pallets share
# (`InsufficientBalance`: Balances, SubtensorModule, Swap) is one class.
REFUSALS: dict[str, str] = {
    "System": """
        CannotLookup BadOrigin ConsumerRemaining NoProviders TooManyConsumers Exhausted
        Corruption Unavailable RootNotAllowed
    """,
    "Token": """
        FundsUnavailable OnlyProvider BelowMinimum CannotCreate UnknownAsset Frozen Unsupported
        CannotCreateHold NotExpendable Blocked
    """,
    "Balances": """
        VestingBalance LiquidityRestrictions InsufficientBalance ExistentialDeposit
        Expendability ExistingVestingSchedule DeadAccount TooManyReserves TooManyHolds
        TooManyFreezes IssuanceDeactivated DeltaZero
    """,
    "SubtensorModule": """
        RootNetworkDoesNotExist InvalidIpType InvalidIpAddress InvalidPort
        HotKeyNotRegisteredInSubNet HotKeyAccountNotExists HotKeyNotRegisteredInNetwork
        NonAssociatedColdKey NotEnoughStake NotEnoughStakeToWithdraw NotEnoughStakeToSetWeights
        NotEnoughStakeToSetChildkeys NotEnoughBalanceToStake BalanceWithdrawalError
        ZeroBalanceAfterWithdrawn NeuronNoValidatorPermit WeightVecNotEqualSize DuplicateUids
        UidVecContainInvalidOne WeightVecLengthIsLow TooManyRegistrationsThisBlock
        HotKeyAlreadyRegisteredInSubNet NewHotKeyIsSameWithOld InvalidWorkBlock
        InvalidDifficulty InvalidSeal MaxWeightExceeded HotKeyAlreadyDelegate
        SettingWeightsTooFast IncorrectWeightVersionKey ServingRateLimitExceeded
        UidsLengthExceedUidsInSubNet NetworkTxRateLimitExceeded DelegateTxRateLimitExceeded
        HotKeySetTxRateLimitExceeded StakingRateLimitExceeded SubNetRegistrationDisabled
        TooManyRegistrationsThisInterval TransactorAccountShouldBeHotKey FaucetDisabled
        NotSubnetOwner RegistrationNotPermittedOnRootSubnet StakeTooLowForRoot
        AllNetworksInImmunity NotEnoughBalanceToPaySwapHotKey NotRootSubnet
        CanNotSetRootNetworkWeights NoNeuronIdAvailable DelegateTakeTooLow DelegateTakeTooHigh
        NoWeightsCommitFound InvalidRevealCommitHashNotMatch CommitRevealEnabled
        CommitRevealDisabled LiquidAlphaDisabled AlphaHighTooLow AlphaLowOutOfRange
        ColdKeyAlreadyAssociated NotEnoughBalanceToPaySwapColdKey ColdkeyIsInArbitration
        InvalidChild DuplicateChild ProportionOverflow TooManyChildren TxRateLimitExceeded
        SwapAlreadyScheduled FailedToSchedule NewColdKeyIsHotkey InvalidChildkeyTake
        TxChildkeyTakeRateLimitExceeded InvalidIdentity MechanismDoesNotExist CannotUnstakeLock
        SubnetNotExists TooManyUnrevealedCommits ExpiredWeightCommit RevealTooEarly
        InputLengthsUnequal CommittingWeightsTooFast AmountTooLow InsufficientLiquidity
        SlippageTooHigh TransferDisallowed ActivityCutoffTooLow CallDisabled
        FirstEmissionBlockNumberAlreadySet NeedWaitingMoreBlocksToStarCall
        NotEnoughAlphaOutToRecycle CannotBurnOrRecycleOnRootSubnet UnableToRecoverPublicKey
        InvalidRecoveredPublicKey SubtokenDisabled HotKeySwapOnSubnetIntervalNotPassed
        ZeroMaxStakeAmount SameNetuid StakingOperationRateLimitExceeded InvalidLeaseBeneficiary
        LeaseCannotEndInThePast LeaseNetuidNotFound LeaseDoesNotExist LeaseHasNoEndBlock
        LeaseHasNotEnded Overflow BeneficiaryDoesNotOwnHotkey ExpectedBeneficiaryOrigin
        AdminActionProhibitedDuringWeightsWindow SymbolDoesNotExist SymbolAlreadyInUse
        IncorrectCommitRevealVersion RevealPeriodTooLarge RevealPeriodTooSmall InvalidValue
        SubnetLimitReached CannotAffordLockCost EvmKeyAssociateRateLimitExceeded
        SameAutoStakeHotkeyAlreadySet UidMapCouldNotBeCleared
        TrimmingWouldExceedMaxImmunePercentage ChildParentInconsistency InvalidNumRootClaim
        InvalidRootClaimThreshold InvalidSubnetNumber
    """,
    "Swap": """
        FeeRateTooHigh InsufficientInputAmount PriceLimitExceeded LiquidityNotFound
        InvalidTickRange MaxPositionsExceeded TooManySwapSteps InvalidLiquidityValue
        ReservesTooLow UserLiquidityDisabled
    """,
    "AdminUtils": """
        SubnetDoesNotExist MaxValidatorsLargerThanMaxUIds MaxAllowedUIdsLessThanCurrentUIds
        BondsMovingAverageMaxReached NegativeSigmoidSteepness ValueNotInBounds
        MinAllowedUidsGreaterThanCurrentUids MinAllowedUidsGreaterThanMaxAllowedUids
        MaxAllowedUidsLessThanMinAllowedUids MaxAllowedUidsGreaterThanDefaultMaxAllowedUids
    """,
    "Proxy": """
        TooMany NotFound NotProxy Unproxyable Duplicate NoPermission Unannounced NoSelfProxy
        CallFiltered
    """,  # proxyhatch: pallet_subtensor_proxy (spec 461); CallFiltered is frame_system's
    "Newer": """
        RegistrationPriceLimitExceeded NotEnoughBalanceToPayLockCost SwapInputTooLarge
        InvalidPool InvalidWeights
        LockIdOverFlow CannotUseSystemAccount
    """,  # the last line: regqueue (registration queue, transfer_stake_and_hotkey)
}

NAMES: tuple[str, ...] = tuple(n for names in REFUSALS.values() for n in names.split())
"""Every refusal name, in list order (a test holds it free of duplicates)."""


def _generate() -> dict[str, type[SubtensorError]]:
    """One `SubtensorError` subclass per listed name, defined in this module's namespace."""
    classes: dict[str, type[SubtensorError]] = {}
    for pallet, names in REFUSALS.items():
        for name in names.split():
            doc = f"`{name}` ({pallet}): the chain refused the call; nothing it wrote remains."
            classes[name] = type(name, (SubtensorError,), {
                "__doc__": doc, "__module__": __name__, "__qualname__": name, "name": name})
    return classes


BY_NAME: dict[str, type[SubtensorError]] = _generate()
globals().update(BY_NAME)
ERROR_NAMES = frozenset(BY_NAME)


def __getattr__(name: str) -> type[SubtensorError]:
    """Only reached for names not in the list (the generated classes are real attributes);
    declared so that type checkers accept `from chain.errors import SlippageTooHigh`."""
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fail(name: str, message: str) -> SubtensorError:
    """The refusal to `raise`: `raise fail("SubnetNotExists", "no subnet 7")`. An unlisted
    name is a bug in taoctl, so it raises ValueError (tests catch the typo)."""
    cls = BY_NAME.get(name)
    if cls is None:
        raise ValueError(f"unknown subtensor error name {name!r}")
    return cls(message)


def refusal(name: str, message: str | None = None) -> DispatchError:
    """The refusal a chain reported by name (a receipt, a node's decoded module error). A name
    newer than the list is still a `DispatchError` (exit 4) carrying that name."""
    cls = BY_NAME.get(name)
    if cls is not None:
        return cls(message or name)
    exc = DispatchError(message or name)
    exc.name = name
    return exc


def did_you_mean(name: str, names: list[str]) -> str:
    """" (did you mean A, B?)" for names close to `name` or starting with it, else "" (the
    tail of every "no such name" error, in the CLI and the codec alike)."""
    import difflib

    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [n for n in names if n.lower().startswith(name.lower()) and n not in close]
    return f" (did you mean {', '.join(close[:3])}?)" if close else ""

"""Why a swap is refused, named as subtensor names it.

Each error carries `name`, the chain's error name shown to the user. The pure room knows no
exit codes: `cli.errors.ROOM_EXIT_CODES` gives them (4 when the chain would refuse the
transaction, 2 when the input itself is malformed). Every check runs before
anything changes, so a refused swap leaves the pool untouched.
"""

from __future__ import annotations


class AmmError(ValueError):
    """Base of every pool error."""

    name = "AmmError"


class ReservesTooLow(AmmError):
    """The output reserve is below `MinimumReserve`, or the swap would pay out nothing."""

    name = "ReservesTooLow"


class SwapInputTooLarge(AmmError):
    """The net input exceeds 1000 x the input reserve (`MAX_SWAP_INPUT_RESERVE_MULTIPLIER`)."""

    name = "SwapInputTooLarge"


class PriceLimitExceeded(AmmError):
    """The current price is already at or past the limit price."""

    name = "PriceLimitExceeded"


class SlippageTooHigh(AmmError):
    """A fill-or-kill order (allow_partial=False) would cross its limit price."""

    name = "SlippageTooHigh"


class InsufficientLiquidity(AmmError):
    """The pool cannot pay out the computed amount."""

    name = "InsufficientLiquidity"


class InvalidWeights(AmmError):
    """A pool weight outside [0.01, 0.99] (`Balancer::check_constraints`)."""

    name = "InvalidWeights"


class AmountTooLow(AmmError):
    """A zero (or negative) amount."""

    name = "AmountTooLow"


class InvalidPool(AmmError):
    """A pool description that cannot exist (negative reserves, unknown model, bad fee rate)."""

    name = "InvalidPool"

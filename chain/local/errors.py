"""Errors of the bundled chain, one small type per failure, named as subtensor names them.

Three families, told apart by what they change:

- `InvalidTransaction` (`BadProof`, `Stale`, `Future`, `BadGenesis`, `CallUnknown`, ...): the
  extrinsic is refused before it runs. Nothing changes, not even the sender's nonce.
- `DispatchError` (`InsufficientBalance`, `ExistentialDeposit`, `BadOrigin`, ...): the call ran and
  failed. Its state changes are rolled back; the nonce still advances, as on a real chain.
- `ChainUnavailable` (`ChainNotFound`, `ChainLocked`, `ChainCorrupt`, `SchemaTooNew`): the chain
  file cannot be opened or written.

Every type carries `name` (shown to the user) and `exit_code`, read by `cli.errors`.
"""

from __future__ import annotations

EXIT_USAGE = 2
EXIT_REFUSED = 4
EXIT_UNAVAILABLE = 5


class ChainError(Exception):
    """Base of every error raised by the bundled chain."""

    name = "ChainError"
    exit_code = EXIT_REFUSED


# -- invalid transactions: refused, nothing changed -------------------------------------------
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


class BadOrigin(DispatchError):
    """The sender is not allowed to make this call (e.g. a sudo call from a non-sudo key)."""

    name = "BadOrigin"


class InsufficientBalance(DispatchError):
    """The sender's free balance is lower than the amount to move."""

    name = "InsufficientBalance"


class ExistentialDeposit(DispatchError):
    """The transfer would create an account holding less than the existential deposit."""

    name = "ExistentialDeposit"


class NotExpendable(DispatchError):
    """A keep-alive transfer would leave the sender below the existential deposit."""

    name = "NotExpendable"


# -- the chain file ----------------------------------------------------------------------------
class ChainUnavailable(ChainError):
    """The chain file cannot be opened, read or written."""

    name = "ChainUnavailable"
    exit_code = EXIT_UNAVAILABLE


class ChainNotFound(ChainUnavailable):
    """There is no chain at the path; `taoctl chain init` creates one."""

    name = "ChainNotFound"


class ChainLocked(ChainUnavailable):
    """Another process held the chain's write lock for longer than the busy timeout."""

    name = "ChainLocked"


class ChainCorrupt(ChainUnavailable):
    """The file is not a taoctl chain (corrupt, truncated, or another program's database)."""

    name = "ChainCorrupt"


class ChainPermissionDenied(ChainUnavailable):
    """The chain file or its directory cannot be read or written by this user (a permissions
    problem, not a damaged file: SQLite needs to write beside the file for its journal)."""

    name = "ChainPermissionDenied"


class SchemaTooNew(ChainUnavailable):
    """The chain file was written by a newer taoctl with a schema this version cannot read."""

    name = "SchemaTooNew"


class SchemaTooOld(ChainUnavailable):
    """The chain file was written by an older taoctl that this version cannot migrate."""

    name = "SchemaTooOld"


class ChainExists(ChainError):
    """`chain init` over an existing chain without --force."""

    name = "ChainExists"
    exit_code = EXIT_USAGE


class UnknownPreset(ChainError):
    """A genesis preset that does not exist."""

    name = "UnknownPreset"
    exit_code = EXIT_USAGE

"""Errors of the bundled chain, one small type per failure, named as subtensor names them.

Refusals are the chain's own (`chain.errors`, shared with real nodes) and are re-exported here:

- `InvalidTransaction` (`BadProof`, `Stale`, `Future`, `BadGenesis`, `CallUnknown`): the
  extrinsic is refused before it runs. Nothing changes, not even the sender's nonce.
- `DispatchError` (`InsufficientBalance`, `ExistentialDeposit`, `BadOrigin`, every name of
  `chain.errors.REFUSALS`): the call ran and failed. Its state changes are rolled back; the
  nonce still advances, as on a real chain.

What is the bundled chain's alone is defined here: `ChainUnavailable` (`ChainNotFound`,
`ChainLocked`, `ChainCorrupt`, `SchemaTooNew`): the chain file cannot be opened or written.

Every type carries `name` (shown to the user) and `exit_code` (`chain.exitcodes`), read by
`cli.errors`.
"""

from __future__ import annotations

from chain.errors import (
    BadGenesis,
    BadOrigin,
    BadProof,
    CallUnknown,
    ChainError,
    DispatchError,
    ExistentialDeposit,
    Future,
    InsufficientBalance,
    InvalidTransaction,
    NotExpendable,
    Stale,
)
from chain.exitcodes import EXIT_UNAVAILABLE, EXIT_USAGE

__all__ = [
    "BadGenesis", "BadOrigin", "BadProof", "CallUnknown", "ChainCorrupt", "ChainError",
    "ChainExists", "ChainLocked", "ChainNotFound", "ChainUnavailable", "DispatchError",
    "ExistentialDeposit", "Future", "InsufficientBalance", "InvalidTransaction",
    "NotExpendable", "SchemaTooNew", "Stale", "UnknownPreset",
]


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

"""taoctl's exit codes, defined once: the table in README.md, one constant per row.

Every room's errors carry an `exit_code` class attribute that `cli.errors` turns into the process
exit code. The constants live here, outside the rooms, because `amm/` and `wallet/` may not
import `chain/` or `cli/`, yet all of them name the same codes. This module imports nothing, so
any room (and `taoctl --help`) may import it for free.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_WALLET = 3
EXIT_REFUSED = 4
EXIT_UNAVAILABLE = 5
EXIT_CANCELLED = 6
EXIT_INTERRUPTED = 130

MEANINGS: dict[int, str] = {
    EXIT_OK: "success",
    EXIT_FAILURE: "an unexpected internal error (rerun with `TAOCTL_DEBUG=1` for a traceback)",
    EXIT_USAGE: "bad input: a malformed amount, address or option, a missing value under `-y`",
    EXIT_WALLET: "wallet: a missing key, a wrong password, a corrupt keyfile",
    EXIT_REFUSED: "the chain refused the transaction (its error name is shown, "
    "e.g. `SlippageTooHigh`)",
    EXIT_UNAVAILABLE: "the chain could not be reached or opened (locked or corrupt database, "
    "unreachable node)",
    EXIT_CANCELLED: "you declined the confirmation; nothing was signed",
    EXIT_INTERRUPTED: "interrupted (Ctrl-C)",
}
"""What each code means, word for word as README.md's table says it (a test keeps them equal)."""

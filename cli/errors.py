"""The one place where errors become messages and exit codes.

Every room raises its own small exception types named as the chain names them
(`SlippageTooHigh`, `ReservesTooLow`, `PasswordError`, ...). They share two class attributes,
read here by duck typing so that `amm/`, `wallet/` and `chain/` never import the CLI:

    name       the error's name as shown to the user (the subtensor error name where one exists)
    exit_code  one of the codes of `chain.exitcodes` (the README's table), re-exported below

`amm/` and `wallet/` may import neither `chain/` nor `cli/`, so their errors carry only `name`;
`ROOM_EXIT_CODES` below gives their codes, looked up along the exception's class hierarchy.

A user sees one line on stderr. Under any spelling of the JSON flag (`JSON_FLAGS`) that line is a
JSON error object, and the same object is also the one JSON document on stdout, so a script that
parses stdout always gets JSON. Anything else is an internal error (exit 1) shown as one line;
the traceback reaches stderr only with TAOCTL_DEBUG set, which keeps the exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from chain.exitcodes import (  # noqa: F401 - re-exported: the CLI names its codes from here
    EXIT_CANCELLED,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_UNAVAILABLE,
    EXIT_USAGE,
    EXIT_WALLET,
    MEANINGS,
)

ROOM_EXIT_CODES: dict[tuple[str, str], int] = {
    ("amm", "AmmError"): EXIT_REFUSED,  # a swap the chain would refuse
    ("amm", "InvalidWeights"): EXIT_USAGE,  # an offline quote's malformed input
    ("amm", "AmountTooLow"): EXIT_USAGE,
    ("amm", "InvalidPool"): EXIT_USAGE,
    ("wallet", "WalletError"): EXIT_WALLET,  # a missing key, wrong password, corrupt keyfile
    ("wallet", "InvalidAddress"): EXIT_USAGE,
    ("wallet", "InvalidMnemonic"): EXIT_USAGE,
    ("wallet", "InvalidSeed"): EXIT_USAGE,
    ("wallet", "InvalidWalletName"): EXIT_USAGE,
    ("wallet", "EmptyPassword"): EXIT_USAGE,
}
"""(room, class name) -> exit code for the errors of the rooms that know no exit codes."""

JSON_FLAGS = ("--json", "--json-output", "--json-out")
"""Every spelling of the JSON flag (taoctl's and btcli's); `cli.output.JsonOpt` accepts these."""

DEBUG_HINT = "rerun with TAOCTL_DEBUG=1 for a traceback"


def json_requested(args: Sequence[str]) -> bool:
    """True when the command line asks for JSON (options end at `--`)."""
    for arg in args:
        if arg == "--":
            return False
        if arg in JSON_FLAGS:
            return True
    return False


def debug_requested(value: str | None) -> bool:
    """TAOCTL_DEBUG is on when set to anything but empty or 0."""
    return value is not None and value.strip() not in ("", "0")


class UsageError(ValueError):
    """Bad input detected by the CLI itself (a missing value under --no-prompt, a bad flag mix)."""

    name = "UsageError"
    exit_code = EXIT_USAGE


class Cancelled(Exception):
    """The user answered no to a confirmation; nothing was signed."""

    name = "Cancelled"
    exit_code = EXIT_CANCELLED


def room_exit_code(cls: type) -> int | None:
    """The code `ROOM_EXIT_CODES` gives the nearest class of `cls`'s hierarchy, if any."""
    for klass in cls.__mro__:
        code = ROOM_EXIT_CODES.get((klass.__module__.partition(".")[0], klass.__name__))
        if code is not None:
            return code
    return None


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 400 else text[:397] + "..."


def _text(exc: BaseException) -> str:
    try:
        return str(exc)
    except Exception:  # noqa: BLE001 - an exception whose __str__ fails still gets reported
        return ""


def _classify(exc: BaseException) -> tuple[str, str, int]:
    import typer

    try:
        from typer._click import exceptions as click_exc
    except ImportError:  # typer < 0.25 uses click itself
        from click import exceptions as click_exc  # type: ignore[no-redef]

    if isinstance(exc, SystemExit):
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return "", "", code
    if isinstance(exc, typer.Exit):
        return "", "", exc.exit_code
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        return "Interrupted", "interrupted; nothing more was done", EXIT_INTERRUPTED
    if isinstance(exc, click_exc.ClickException) and type(exc).__name__ == "NoArgsIsHelpError":
        ctx = getattr(exc, "ctx", None)  # `taoctl group` alone: show its help
        print(ctx.get_help() if ctx else exc.format_message())
        return "", "", EXIT_OK
    if isinstance(exc, click_exc.ClickException):
        code = exc.exit_code if exc.exit_code else EXIT_USAGE
        return "UsageError", exc.format_message(), max(code, EXIT_USAGE)
    if isinstance(exc, BrokenPipeError):
        return "", "", EXIT_OK
    declared = getattr(exc, "exit_code", None)  # the instance's, else its class's
    if declared is None:
        declared = room_exit_code(type(exc))
    if type(declared) is int and declared in MEANINGS and declared != EXIT_OK:
        name = getattr(exc, "name", None) or type(exc).__name__
        return str(name), _text(exc) or str(name), declared
    return ("InternalError", f"internal error ({type(exc).__name__}): {_text(exc)}",
            EXIT_FAILURE)


def report(exc: BaseException, *, json_mode: bool, debug: bool = False) -> int:
    """Print `exc` for a user and return the process exit code (the same with `debug`, which
    first prints the traceback on stderr)."""
    try:
        name, message, code = _classify(exc)
    except Exception as failure:  # noqa: BLE001 - reporting must not fail with a traceback
        name, message, code = "InternalError", f"internal error ({failure!r})", EXIT_FAILURE
    if code == EXIT_OK or not message:
        return code
    if debug:
        import traceback

        traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
    message = _one_line(message)
    if code == EXIT_FAILURE and not debug:
        message = f"{message} ({DEBUG_HINT})"
    try:
        if json_mode:
            doc = json.dumps({"error": {"type": name, "message": message, "exit_code": code}})
            print(doc, file=sys.stderr)
            print(doc, file=sys.stdout)
        else:
            print(f"Error: {message}", file=sys.stderr)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # a closed stream: the exit code still tells
        pass
    return code

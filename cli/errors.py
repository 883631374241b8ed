"""The one place where errors become messages and exit codes.

Every room raises its own small exception types named as the chain names them
(`SlippageTooHigh`, `ReservesTooLow`, `PasswordError`, ...). They share two class attributes,
read here by duck typing so that `amm/`, `wallet/` and `chain/` never import the CLI:

    name       the error's name as shown to the user (the subtensor error name where one exists)
    exit_code  one of the codes below

A user sees one line on stderr. Under `--json` that line is a JSON error object, and the same
object is also the one JSON document on stdout, so a script that parses stdout always gets JSON.
No traceback reaches a user unless TAOCTL_DEBUG is set.
"""

from __future__ import annotations

import json
import sys

EXIT_OK = 0
EXIT_FAILURE = 1  # an unexpected internal error
EXIT_USAGE = 2  # bad input: malformed amounts, addresses, options
EXIT_WALLET = 3  # missing key, wrong password, corrupt keyfile
EXIT_REFUSED = 4  # the chain refused the transaction (dispatch error, invalid transaction)
EXIT_UNAVAILABLE = 5  # the chain cannot be reached or opened (locked, corrupt, unreachable)
EXIT_CANCELLED = 6  # the user declined a confirmation
EXIT_INTERRUPTED = 130


class UsageError(ValueError):
    """Bad input detected by the CLI itself (a missing value under --no-prompt, a bad flag mix)."""

    name = "UsageError"
    exit_code = EXIT_USAGE


class Cancelled(Exception):
    """The user answered no to a confirmation; nothing was signed."""

    name = "Cancelled"
    exit_code = EXIT_CANCELLED


def _one_line(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= 400 else text[:397] + "..."


def _classify(exc: BaseException) -> tuple[str, str, int]:
    import typer

    try:
        from typer._click import exceptions as click_exc
    except ImportError:  # typer < 0.25 uses click itself
        from click import exceptions as click_exc

    if isinstance(exc, SystemExit):
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        return "", "", code
    if isinstance(exc, typer.Exit):
        return "", "", exc.exit_code
    if isinstance(exc, (KeyboardInterrupt, typer.Abort)):
        return "Interrupted", "interrupted; nothing more was done", EXIT_INTERRUPTED
    if type(exc).__name__ == "NoArgsIsHelpError":  # `taoctl group` alone: show its help
        print(exc.ctx.get_help() if exc.ctx else exc.format_message())
        return "", "", EXIT_OK
    if isinstance(exc, click_exc.ClickException):
        code = exc.exit_code if exc.exit_code else EXIT_USAGE
        return "UsageError", exc.format_message(), max(code, EXIT_USAGE)
    if isinstance(exc, BrokenPipeError):
        return "", "", EXIT_OK
    code = getattr(type(exc), "exit_code", None)
    if isinstance(code, int):
        name = getattr(exc, "name", None) or type(exc).__name__
        return name, str(exc) or name, code
    return "InternalError", f"internal error ({type(exc).__name__}): {exc}", EXIT_FAILURE


def _red(text: str) -> str:
    """Red on a colour terminal; plain under NO_COLOR (any value), TERM=dumb or a pipe."""
    import os

    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb" \
            or not sys.stderr.isatty():
        return text
    return f"\033[31m{text}\033[0m"


def report(exc: BaseException, *, json_mode: bool) -> int:
    """Print `exc` for a user and return the process exit code."""
    name, message, code = _classify(exc)
    if code == EXIT_OK or not message:
        return code
    message = _one_line(message)
    if json_mode:
        doc = json.dumps({"error": {"type": name, "message": message, "exit_code": code}})
        print(doc, file=sys.stderr)
        print(doc, file=sys.stdout)
    else:
        print(f"{_red('Error:')} {message}", file=sys.stderr)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    return code

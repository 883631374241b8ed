"""The single output layer: a command hands its result here and this decides how it reaches the
terminal, either as rich tables for people or as exactly one JSON document for scripts.

Rules every command gets for free:
- under `--json`, stdout carries one JSON document and nothing else; spinners, progress bars,
  warnings and prompts go to stderr;
- `-y/--no-prompt` never waits for input; without a TTY a confirmation is an error, not a hang;
- rich is imported only when something is rendered for a person.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer

from cli.errors import JSON_FLAGS, Cancelled, UsageError

JsonOpt = Annotated[bool, typer.Option(*JSON_FLAGS, help="Print one JSON document.")]
NoPromptOpt = Annotated[
    bool,
    typer.Option(
        "--no-prompt", "-y", "--yes", "--no_prompt", help="Never ask; fail if a value is missing."
    ),
]


class Output:
    """How one command invocation talks to the user."""

    def __init__(self, json_mode: bool = False, no_prompt: bool = False) -> None:
        self.json_mode = json_mode
        self.no_prompt = no_prompt
        self._console = None
        self._err = None

    # consoles -------------------------------------------------------------------------------
    @property
    def console(self):
        """The rich console for results (stdout); under --json it writes to stderr instead."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self.json_mode, highlight=False,
                                    width=_width(sys.stderr if self.json_mode else sys.stdout))
        return self._console

    @property
    def err(self):
        """The rich console for progress, warnings and prompts (always stderr)."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False, width=_width(sys.stderr))
        return self._err

    # results --------------------------------------------------------------------------------
    def result(self, data: Any, render: Callable[[Any], None] | None = None) -> None:
        """Emit a command's result: `data` as JSON, or `render(console)` for a person."""
        if self.json_mode:
            sys.stdout.write(json.dumps(data, indent=2, default=_json_default) + "\n")
            sys.stdout.flush()
        elif render is not None:
            render(self.console)
        else:
            self.console.print_json(json.dumps(data, default=_json_default))

    def warn(self, message: str) -> None:
        """A warning on stderr (never mixed into a JSON document)."""
        self.err.print(f"[yellow]Warning:[/yellow] {message}")

    def info(self, message: str) -> None:
        """A progress note on stderr, silent under --json."""
        if not self.json_mode:
            self.err.print(message)

    # interaction ----------------------------------------------------------------------------
    def confirm(self, question: str, default: bool = False) -> None:
        """Ask before an irreversible step; raise `Cancelled` on no.

        `-y` answers yes. Without a TTY on stdin the question cannot be asked, so it is an
        error that tells the user to pass `-y`, never a hang.
        """
        if self.no_prompt:
            return
        if not sys.stdin.isatty():
            raise UsageError(f"{question} (no terminal to ask on: pass -y/--no-prompt to proceed)")
        from rich.prompt import Confirm

        if not Confirm.ask(question, default=default, console=self.err):
            raise Cancelled("cancelled: nothing was signed or changed")

    def prompt(self, question: str, *, secret: bool = False, what: str = "a value") -> str:
        """Ask for a missing value on stderr; under -y or without a TTY, that is an error."""
        if self.no_prompt or not sys.stdin.isatty():
            raise UsageError(f"{what} is required (no prompt under -y or without a terminal)")
        from rich.prompt import Prompt

        return Prompt.ask(question, password=secret, console=self.err)

    @contextlib.contextmanager
    def status(self, message: str) -> Iterator[None]:
        """A spinner on stderr while slow work runs (only when stderr is a terminal)."""
        if not sys.stderr.isatty():
            yield
            return
        with self.err.status(message):
            yield

    @contextlib.contextmanager
    def progress(self, description: str, total: int) -> Iterator[Callable[[int], None]]:
        """A progress bar on stderr; yields `advance(n)`. Silent when stderr is not a terminal."""
        if not sys.stderr.isatty():
            yield lambda n: None
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=self.err,
            transient=True,
        ) as bar:
            task = bar.add_task(description, total=total)
            yield lambda n: bar.advance(task, n)


def _width(stream) -> int | None:
    """Piped output gets wide tables (rich would squeeze them to 80 columns); a terminal or an
    explicit COLUMNS keeps rich's own choice."""
    import os

    if os.environ.get("COLUMNS") or (hasattr(stream, "isatty") and stream.isatty()):
        return None
    return 160


def _json_default(value: Any) -> Any:
    if hasattr(value, "to_json"):
        return value.to_json()
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")

"""Option bundles: the options several commands share, declared once.

`bundled(options, param, make)` replaces a command's parameter `param` by the `options`
((name, typer annotation, default) triples), so typer builds them as the command's own options,
and calls the command with `param=make(**their values)`. `options_of(cls)` reads the triples
from a dataclass whose fields are annotated with typer options, so the dataclass is the one
declaration (`cli.stake_chart.ChartOptions`, `cli.watch.WatchOptions`; the signing bundle of
`cli.pipeline.signed_command`). Light module: the stdlib only.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
import typing
from collections.abc import Callable
from typing import Any

Option = tuple[str, Any, Any]  # (parameter name, typer annotation, default)


def options_of(cls: type) -> list[Option]:
    """The (name, annotation, default) of every field of the dataclass `cls`."""
    hints = typing.get_type_hints(cls, include_extras=True)
    return [(f.name, hints[f.name], f.default) for f in dataclasses.fields(cls)]


def bundled(options: list[Option], param: str,
            make: Callable[..., Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Give a command the bundle's options in place of its parameter `param`."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        own = [p for p in inspect.signature(fn, eval_str=True).parameters.values()
               if p.name != param]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                   annotation=kind) for name, kind, default in options]

        @functools.wraps(fn)
        def command(**kwargs: Any) -> Any:
            value = make(**{name: kwargs.pop(name) for name, _, _ in options})
            return fn(**{param: value}, **kwargs)

        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added)
        command.__annotations__ = {**{p.name: p.annotation for p in own},
                                   **{name: kind for name, kind, _ in options}}
        return command

    return decorate

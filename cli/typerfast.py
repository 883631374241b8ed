"""Keep typer's option coercion off pydantic for plain options.

typer 0.29 coerces every option value through a pydantic `TypeAdapter`; importing pydantic costs
more than most of our commands (about 80 ms). Our options are plain `str`, `int`, `bool`, `Path`,
their `X | None` forms, `list[str]` / `list[int]` and int ranges (`min=` / `max=`, as `--at-block`),
which click already delivers as strings or bools. `install()` wraps typer's `build_runtime_param`
so those are converted directly (integers: ASCII digits only) and everything else (checked paths,
enums, float ranges, custom parsers) still goes through typer's own coercion. On a typer without
this machinery (older releases) it does nothing.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path

_PLAIN = (str, int, bool, Path)
_WHOLE = re.compile(r"[+-]?[0-9]+")


def _plain_kind(annotation) -> tuple[type, bool, bool] | None:
    """(base type, optional, is_list) for a plain annotation, else None."""
    optional = False
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        optional, annotation = True, args[0]
        origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation) or (None,)
        return (inner, optional, True) if inner in (str, int) else None
    return (annotation, optional, False) if annotation in _PLAIN else None


def install() -> None:
    """Route plain options around pydantic (idempotent)."""
    try:
        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except ImportError:  # an older typer: coercion is click's own, nothing to do
        return
    if getattr(core.build_runtime_param, "_taoctl_plain", False):
        return
    original = core.build_runtime_param

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        base: type = str
        is_list: bool = False
        low: int | None = None  # an int option's min= / max= (inclusive)
        high: int | None = None

        def _bounded(self, number: int, param, ctx) -> int:
            """`number` within [low, high], in the words typer's own range check uses."""
            if self.low is not None and number < self.low:
                raise BadParameter(f"Input should be greater than or equal to {self.low}",
                                   ctx=ctx, param=param)
            if self.high is not None and number > self.high:
                raise BadParameter(f"Input should be less than or equal to {self.high}",
                                   ctx=ctx, param=param)
            return number

        def _one(self, value, param, ctx):
            if self.base is int and not isinstance(value, int):
                text = str(value).strip()
                # ASCII digits only (int() reads any Unicode digit) and a length int() can take
                if not _WHOLE.fullmatch(text) or len(text) > 80:
                    raise BadParameter(f"{value!r} is not a whole number (ASCII digits 0-9).",
                                       ctx=ctx, param=param)
                return self._bounded(int(text), param, ctx)
            if self.base is int:
                return self._bounded(value, param, ctx)
            if self.base is str:
                return str(value)
            if self.base is Path:
                return value if isinstance(value, Path) else Path(value)
            return value

        def _coerce_value(self, value, param, ctx):
            if self.is_list:
                return [self._one(v, param, ctx) for v in value]
            return self._one(value, param, ctx)

    def build(descriptor):
        info = descriptor.parameter_info
        kind = _plain_kind(descriptor.annotation)
        if (kind is None or getattr(info, "parser", None) is not None
                or descriptor.file_annotation is not None or descriptor.is_choice
                or (descriptor.is_ranged and kind[0] is not int)
                or getattr(info, "clamp", False)):  # a clamped range: typer's own
            return original(descriptor)
        base, _optional, is_list = kind
        if base is Path and (getattr(info, "exists", False) or getattr(info, "resolve_path", False)
                             or not getattr(info, "file_okay", True)
                             or not getattr(info, "dir_okay", True)):
            return original(descriptor)
        return PlainRuntimeParam(parameter_info=info, annotation=descriptor.annotation,
                                 base=base, is_list=is_list, low=getattr(info, "min", None),
                                 high=getattr(info, "max", None))

    build._taoctl_plain = True
    core.build_runtime_param = build

"""Whole numbers and weights typed by a user: netuids, UIDs, counts, u16 weights, decimals.

Python's `int()`, `str.isdigit()` and `Decimal()` accept every Unicode digit (fullwidth `１`,
Devanagari `१`, Arabic-Indic `١`) and `Decimal()` also takes `nan`, `sNaN`, `Infinity` and
exponents. A user who types any of those almost certainly did not mean the number Python reads,
so every CLI option that takes a number comes through here: ASCII digits only, a length cap
before any conversion (Python refuses to convert more than 4300 digits, with an error that would
otherwise surface as an internal one), and the limit of the chain type that will hold the value.
Amounts of TAO and alpha are parsed in `chain.units`, under the same rules.
"""

from __future__ import annotations

import re
from decimal import Decimal

from cli.errors import UsageError

U16_MAX = 65_535
U64_MAX = 2**64 - 1
_MAX_TEXT = 80  # longer than any number the chain can hold, short enough to convert safely

_UINT = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


class NumberError(UsageError):
    """Text that is not a number the option accepts (a UsageError: exit 2, one line)."""


def _refuse_sign(s: str, text: object, what: str) -> None:
    if s[:1] == "-" and s[1:2].isascii() and s[1:2].isdigit():
        raise NumberError(f"{what} {_show(text)} is out of range (it must not be negative)")


def _show(text: object) -> str:
    shown = repr(text)
    return shown if len(shown) <= 40 else shown[:37] + "...'"


def parse_uint(text: str, what: str, *, limit: int = U64_MAX, kind: str = "whole number") -> int:
    """A non-negative whole number of ASCII digits, at most `limit`."""
    s = text.strip() if isinstance(text, str) else ""
    _refuse_sign(s, text, what)
    if not _UINT.fullmatch(s):
        raise NumberError(f"{what} {_show(text)} is not a {kind} (ASCII digits 0-9 only)")
    if len(s.lstrip("0")) > len(str(limit)) or int(s) > limit:
        raise NumberError(f"{what} {_show(text)} is out of range (0..{limit})")
    return int(s)


def parse_netuid(text: str, what: str = "--netuid") -> int:
    """A subnet id: u16 on chain."""
    return parse_uint(text, what, limit=U16_MAX, kind="netuid")


def parse_uid(text: str, what: str = "--uid") -> int:
    """A neuron's UID on a subnet: u16 on chain."""
    return parse_uint(text, what, limit=U16_MAX, kind="UID")


def split_list(text: str, what: str) -> list[str]:
    """`1,2,3` or `1 2 3` as its parts; NumberError when there are none."""
    parts = [p for p in str(text).replace(",", " ").split() if p]
    if not parts:
        raise NumberError(f"{what} is empty")
    return parts


def parse_decimal(text: str, what: str) -> Decimal:
    """A plain non-negative decimal ("0.5", "3", ".25"): no sign, exponent, NaN or infinity."""
    s = text.strip() if isinstance(text, str) else ""
    _refuse_sign(s, text, what)
    if len(s) > _MAX_TEXT or not _DECIMAL.fullmatch(s):
        raise NumberError(f"{what} {_show(text)} is not a plain non-negative decimal number "
                          "(ASCII digits and one point)")
    return Decimal(s)


def parse_uid_list(text: str, what: str = "--uids") -> list[int]:
    """UIDs for `set_weights` (u16 each)."""
    return [parse_uid(part, what) for part in split_list(text, what)]


def parse_weight_list(text: str, what: str = "--weights") -> list[Decimal]:
    """Weights on any scale (they are normalised to u16 later): non-negative plain decimals."""
    return [parse_decimal(part, what) for part in split_list(text, what)]

"""Amounts: TAO and alpha as integers of rao (1 TAO = 10^9 rao), parsed and formatted exactly.

A user types decimal TAO ("1.5", "0.000000001", "1,000.25"); everything below the CLI sees an
int of rao. Parsing never goes through float: the decimal string is split at the point and the
fraction padded to nine digits, so "0.1" is exactly 100_000_000 rao. Anything that is not a plain
non-negative decimal with at most nine decimals is refused with `AmountError`.
"""

from __future__ import annotations

import re

from chain.exitcodes import EXIT_USAGE

RAO_PER_TAO = 1_000_000_000
DECIMALS = 9
TAO_SYMBOL = "τ"
ALPHA_SYMBOL = "α"
MAX_U64 = 2**64 - 1

# "1234", "1,234", "1,234.5", ".5", "5." -- groups of three after the first when commas are used.
# ASCII digits only: `\d` and int() also read fullwidth, Devanagari and Arabic-Indic digits.
_DECIMAL = re.compile(r"(?P<int>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]*)(?:\.(?P<frac>[0-9]*))?")
_MAX_TEXT = 64  # longer than any u64 amount can be written; never handed to int()
_UNIT_SUFFIX = re.compile(r"\s*(tao|τ|rao|ρ|alpha|α)$", re.IGNORECASE)


class AmountError(ValueError):
    """A string that is not a valid amount."""

    name = "InvalidAmount"
    exit_code = EXIT_USAGE


def parse_tao(text: str, *, allow_zero: bool = False, what: str = "amount") -> int:
    """Parse a decimal TAO (or alpha) amount into rao, exactly.

    Accepts thousands separators ("1,000.25") and an optional unit ("1.5 TAO", "τ1.5",
    "1500000000 rao"). Refuses empty strings, signs, exponents, NaN/inf, more than nine
    decimals and amounts above u64.
    """
    if not isinstance(text, str):
        raise AmountError(f"{what} must be a string, got {type(text).__name__}")
    s = text.strip()
    if s.startswith(("τ", "α")):
        s = s[1:].strip()
    unit = "tao"
    m = _UNIT_SUFFIX.search(s)
    if m:
        unit = m.group(1).lower()
        s = s[: m.start()].strip()
    if not s:
        raise AmountError(f"{what} is empty")
    if s[0] in "+-":
        raise AmountError(f"{what} must be a plain non-negative number, got {_shown(text)}")
    match = _DECIMAL.fullmatch(s)
    if match is None or s in (".", ""):
        raise AmountError(f"{what} {_shown(text)} is not a decimal number (ASCII digits 0-9)")
    whole = match.group("int").replace(",", "").lstrip("0") or "0"
    frac = match.group("frac") or ""
    if len(whole) > _MAX_TEXT:
        raise AmountError(f"{what} {_shown(text)} is larger than the chain can hold")
    if unit in ("rao", "ρ"):
        if frac.strip("0"):
            raise AmountError(f"{what} in rao must be a whole number, got {_shown(text)}")
        rao = int(whole)
    else:
        if len(frac) > DECIMALS:
            raise AmountError(
                f"{what} {_shown(text)} has more than {DECIMALS} decimals (1 rao = 1e-9 TAO)"
            )
        rao = int(whole) * RAO_PER_TAO + int(frac.ljust(DECIMALS, "0"))
    if rao > MAX_U64:
        raise AmountError(f"{what} {_shown(text)} is larger than the chain can hold")
    if rao == 0 and not allow_zero:
        raise AmountError(f"{what} must be greater than zero")
    return rao


def parse_rao(text: str, *, allow_zero: bool = False, what: str = "amount") -> int:
    """Parse a whole number of rao ("1000000", "1,000,000")."""
    s = text.strip() if isinstance(text, str) else ""
    if not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", s):
        raise AmountError(f"{what} {_shown(text)} is not a whole number of rao (ASCII digits)")
    return parse_tao(s + " rao", allow_zero=allow_zero, what=what)


def _shown(text: object) -> str:
    """The user's text for a one-line message, cut short (a 5000-digit amount stays readable)."""
    shown = repr(text.strip() if isinstance(text, str) else text)
    return shown if len(shown) <= 40 else shown[:37] + "...'"


def tao_str(rao: int) -> str:
    """The exact decimal TAO value of `rao`, trailing zeros trimmed ("1.5", "0.000000001", "2")."""
    sign = "-" if rao < 0 else ""
    whole, frac = divmod(abs(rao), RAO_PER_TAO)
    frac_s = f"{frac:09d}".rstrip("0")
    return f"{sign}{whole}.{frac_s}" if frac_s else f"{sign}{whole}"


def format_tao(rao: int, *, symbol: str = TAO_SYMBOL, decimals: int = 9) -> str:
    """Display form with thousands separators: `τ1,000.250000000` (rounded down to `decimals`)."""
    sign = "-" if rao < 0 else ""
    whole, frac = divmod(abs(rao), RAO_PER_TAO)
    text = f"{whole:,}"
    if decimals > 0:
        text += "." + f"{frac:09d}"[:decimals]
    return f"{sign}{symbol}{text}"


def format_alpha(rao: int, *, symbol: str = ALPHA_SYMBOL, decimals: int = 9) -> str:
    """Alpha has the same 9 decimals as TAO; only the symbol differs (a subnet's own symbol)."""
    return format_tao(rao, symbol=symbol, decimals=decimals)

"""Mortal eras: the 2-byte (period, phase) a signed extrinsic carries so it expires."""

from __future__ import annotations


def era_encode(period: int, current: int) -> bytes:
    """The 2-byte mortal era for `period` blocks (rounded to a power of two in 4..65536)."""
    period = max(4, min(1 << 16, 1 << max(period - 1, 1).bit_length()))
    phase = current % period
    factor = max(period >> 12, 1)
    low = min(15, max(1, (period & -period).bit_length() - 2))
    value = low | ((phase // factor) << 4)
    return value.to_bytes(2, "little")


def era_decode(era: bytes) -> tuple[int, int] | None:
    """(period, phase) of an era, None when immortal."""
    if era == b"\x00":
        return None
    enc = int.from_bytes(era, "little")
    period = 2 << (enc & 0xF)
    phase = (enc >> 4) * max(period >> 12, 1)
    return period, phase


def era_birth(period: int, phase: int, number: int) -> int:
    """The block an era started at, seen from block `number`."""
    return (max(number, phase) - phase) // period * period + phase

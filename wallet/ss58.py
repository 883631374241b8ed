"""SS58 addresses: the base58 text form of a 32-byte public key used by Substrate chains.

Bittensor uses network format 42 (addresses start with `5`). An address is
base58(prefix || public_key || checksum) where checksum is the first two bytes of
blake2b-512(b"SS58PRE" || prefix || public_key). Prefixes below 64 take one byte; 64..16383 take
two bytes in the "full" encoding. Only the stdlib is used, so `wallet list` and address checks
stay fast and never import substrate-interface.

Public API (stable): `ss58_decode`, `ss58_encode`, `is_valid_ss58`.
"""

from __future__ import annotations

import hashlib

from wallet.errors import InvalidAddress

SS58_FORMAT = 42
_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(_ALPHABET)}
_PREFIX = b"SS58PRE"


_CHUNK = 58**10  # split the big number in 10-digit chunks: few big-int divisions


def _b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = []
    while number:
        number, chunk = divmod(number, _CHUNK)
        for _ in range(10):
            chunk, rem = divmod(chunk, 58)
            out.append(_ALPHABET[rem])
    text = "".join(reversed(out)).lstrip("1")
    pad = len(data) - len(data.lstrip(b"\0"))
    return "1" * pad + text


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        digit = _INDEX.get(char)
        if digit is None:
            raise InvalidAddress(f"{_show(text)} is not an ss58 address (bad character {char!r})")
        number = number * 58 + digit
    pad = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * pad + body


def _show(text: str) -> str:
    """An address quoted for an error message, shortened if it is absurdly long."""
    return repr(text if len(text) <= 64 else text[:61] + "...")


def _checksum(payload: bytes) -> bytes:
    return hashlib.blake2b(_PREFIX + payload, digest_size=64).digest()[:2]


def _prefix_bytes(ss58_format: int) -> bytes:
    if not 0 <= ss58_format < 16384 or ss58_format in (46, 47):
        raise ValueError(f"ss58 format {ss58_format} is out of range")
    if ss58_format < 64:
        return bytes([ss58_format])
    return bytes(
        [
            ((ss58_format & 0b1111_1100) >> 2) | 0b0100_0000,
            (ss58_format >> 8) | ((ss58_format & 0b11) << 6),
        ]
    )


def ss58_encode(public_key: bytes, ss58_format: int = SS58_FORMAT) -> str:
    """The ss58 address of a 32-byte public key (format 42 by default)."""
    if isinstance(public_key, str):
        public_key = bytes.fromhex(public_key.removeprefix("0x"))
    if len(public_key) != 32:
        raise InvalidAddress(f"a public key is 32 bytes, got {len(public_key)}")
    payload = _prefix_bytes(ss58_format) + bytes(public_key)
    return _b58encode(payload + _checksum(payload))


def ss58_decode_with_format(address: str) -> tuple[bytes, int]:
    """The 32-byte public key and the network format of an address; raises InvalidAddress."""
    if not isinstance(address, str) or not address.strip():
        raise InvalidAddress("the ss58 address is empty")
    address = address.strip()
    raw = _b58decode(address)
    if not raw:
        raise InvalidAddress(f"{_show(address)} is not an ss58 address")
    if raw[0] < 64:
        prefix_len, fmt = 1, raw[0]
    elif raw[0] < 128 and len(raw) > 1:
        lower = ((raw[0] & 0b0011_1111) << 2) | (raw[1] >> 6)
        upper = raw[1] & 0b0011_1111
        prefix_len, fmt = 2, lower | (upper << 8)
    else:
        raise InvalidAddress(f"{_show(address)} is not an ss58 address (bad prefix)")
    if len(raw) != prefix_len + 32 + 2:
        raise InvalidAddress(f"{_show(address)} is not an ss58 address of a 32-byte key")
    payload, checksum = raw[:-2], raw[-2:]
    if _checksum(payload) != checksum:
        raise InvalidAddress(f"{_show(address)} is not an ss58 address (bad checksum)")
    return payload[prefix_len:], fmt


def ss58_decode(address: str, ss58_format: int | None = None) -> bytes:
    """The 32-byte public key in an ss58 address.

    Any network format is accepted unless `ss58_format` is given, in which case the address
    must carry exactly that format. Raises `InvalidAddress` (exit code 2) otherwise.
    """
    public_key, fmt = ss58_decode_with_format(address)
    if ss58_format is not None and fmt != ss58_format:
        raise InvalidAddress(
            f"{_show(address.strip())} is an address for network format {fmt}, "
            f"expected {ss58_format}"
        )
    return public_key


def is_valid_ss58(address: str, ss58_format: int | None = None) -> bool:
    """True when `address` decodes with a correct checksum (and format, when one is given)."""
    try:
        ss58_decode(address, ss58_format)
    except InvalidAddress:
        return False
    return True


def public_key_from(text: str) -> bytes:
    """A 32-byte public key given as an ss58 address or as 0x-prefixed (or bare) 64 hex digits."""
    value = text.strip() if isinstance(text, str) else ""
    hex_part = value[2:] if value.lower().startswith("0x") else value
    if len(hex_part) == 64:
        try:
            return bytes.fromhex(hex_part)
        except ValueError:
            pass
    return ss58_decode(value)

"""What a storage item is: subtensor's pallet and storage names (`System.Account`,
`SubtensorModule.SubnetTAO`, ...), the kinds of its keys and of its value, and the default a
missing entry reads as. The items themselves are declared per pallet (`chain.pallets.system`,
...) and collected by `chain.pallets.registry`; the bundled chain stores them, the node and the
remote backend map them to SCALE.

Encoding in SQLite (table `storage(item, key, value)`): `item` is "Pallet.Name"; `key` is the
JSON list of the encoded keys (accounts as lowercase hex of the 32-byte public key, numbers as
JSON integers); `value` is JSON. JSON integers are exact at any size, so u64/u128 values never
pass through SQLite's int64.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

ACCOUNT_ID = "AccountId"  # 32-byte public key, encoded as hex
INT_KINDS = ("u16", "u32", "u64", "u128", "i64")
_JSON = json.JSONEncoder(separators=(",", ":")).encode
"""`json.dumps(value, separators=(",", ":"))` without building an encoder per call (a flush
encodes every changed entry and every pre-image the history keeps: hundreds of thousands)."""


@dataclass(frozen=True)
class AccountInfo:
    """`System.Account` value: the sender's nonce and its TAO (rao). Fees/locks come later."""

    nonce: int = 0
    free: int = 0
    reserved: int = 0
    frozen: int = 0

    @property
    def total(self) -> int:
        return self.free + self.reserved


@dataclass(frozen=True)
class StorageItem:
    """One declared item: a plain value (no keys) or a map keyed by `keys` kinds."""

    pallet: str
    name: str
    keys: tuple[str, ...]
    value: str
    default: Any

    def __post_init__(self) -> None:
        # key tuple -> (id, key text), filled by `State` (not part of the item's identity)
        object.__setattr__(self, "key_slots", {})
        # "Pallet.Name", kept (not a property): the payout and the flush ask for it per entry
        object.__setattr__(self, "id", f"{self.pallet}.{self.name}")

    id: str = field(init=False, repr=False, compare=False)

    def encode_key(self, key: tuple) -> str:
        """The key's JSON text, e.g. `[]`, `[3]`, `["d435..."]` (built by hand: it is hot)."""
        if len(key) != len(self.keys):
            raise TypeError(f"{self.id} takes {len(self.keys)} key(s), got {len(key)}")
        if not key:
            return "[]"
        return "[" + ",".join(_key_text(kind, part) for kind, part in zip(self.keys, key,
                                                                          strict=True)) + "]"

    def decode_key(self, text: str) -> tuple:
        raw = json.loads(text)
        return tuple(_decode_part(kind, part) for kind, part in zip(self.keys, raw, strict=True))

    def encode_value(self, value: Any) -> str:
        kind = self.value
        if kind == "json":  # the history's bulk: share pools' pairs, u16 vectors, bond rows
            if type(value) is list:
                if len(value) == 2 and type(value[0]) is int and type(value[1]) is int:
                    return "[%d,%d]" % (value[0], value[1])  # a SafeFloat (speedB)
                if all(type(v) is int for v in value):
                    return int_list_text(value)
            elif type(value) is Encoded:  # its producer wrote the text (speedB, speedC)
                return value.text
            return _JSON(value)
        if type(value) is int and kind in INT_KINDS:  # what json.dumps writes, faster
            return str(value)
        if kind == "AccountInfo":
            return _JSON(asdict(value))
        return _JSON(_encode_part(kind, value))

    def decode_value(self, text: str) -> Any:
        if self.value in INT_KINDS:  # a JSON integer is plain decimal digits
            try:
                return int(text)
            except ValueError:
                pass
        raw = json.loads(text)
        if self.value == "AccountInfo":
            return AccountInfo(**raw)
        return _decode_part(self.value, raw)


class Encoded:
    """A value the state holds as its JSON text, decoded only when something reads it (speedC:
    an epoch's bond rows, written at the end of every history piece, are mostly needed as
    text: by the flush and the history, which store it, and by the next epoch's
    `State.texts`; building the tens of thousands of `[uid, value]` lists behind a subnet's
    rows cost more than the text, and the few readers of the value decode it). `State` hands out
    the decoded value, never this. `text` must be what `item.encode_value` writes for that
    value and the value must hold ints and lists only (a property test holds the producer to
    both): then two are equal exactly when their texts are."""

    __slots__ = ("item", "text", "_value")

    def __init__(self, item: StorageItem, text: str) -> None:
        self.item = item
        self.text = text
        self._value: Any = _UNDECODED

    def value(self) -> Any:
        """The decoded value (decoded once; values in the state are never mutated)."""
        if self._value is _UNDECODED:
            self._value = self.item.decode_value(self.text)
        return self._value

    def __eq__(self, other: object) -> bool:
        if type(other) is Encoded:
            return self.text == other.text
        return bool(self.value() == other)

    __hash__ = None  # type: ignore[assignment]  # as the list it stands for

    def __repr__(self) -> str:
        return f"Encoded({self.item.id}, {self.text[:40]!r})"


_UNDECODED = object()


def int_list_text(values: list[int]) -> str:
    """What `json.dumps(values, separators=(",", ":"))` writes for a list of plain ints (a
    share pool's `[value, exponent]`, a u16 vector), without the encoder's per-call set-up
    (a property test holds the two equal)."""
    return "[" + ",".join(map(str, values)) + "]"


def _encode_part(kind: str, part: Any) -> Any:
    if kind == ACCOUNT_ID:
        if not isinstance(part, (bytes, bytearray)) or len(part) != 32:
            raise TypeError("an AccountId is 32 bytes")
        return bytes(part).hex()
    if kind in INT_KINDS:
        return int(part)
    if kind == "bool":
        return bool(part)
    return part  # "json": any JSON-able value


def _key_text(kind: str, part: Any) -> str:
    """One key part exactly as `json.dumps(_encode_part(kind, part))` would write it."""
    if kind in INT_KINDS and type(part) is int:
        return str(part)
    if kind == ACCOUNT_ID and type(part) is bytes and len(part) == 32:
        return '"' + part.hex() + '"'
    return _JSON(_encode_part(kind, part))


def _decode_part(kind: str, raw: Any) -> Any:
    if kind == ACCOUNT_ID:
        return None if raw is None else bytes.fromhex(raw)
    return raw

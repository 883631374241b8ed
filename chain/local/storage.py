"""The registry of storage items: every piece of chain state is declared here once.

Items carry subtensor's pallet and storage names (`System.Account`, `Balances.TotalIssuance`,
`SubtensorModule.SubnetTAO`, ...), the kinds of their keys and of their value, and the default a
missing entry reads as. The same names are used by the runtime, the backend seam and the
JSON-RPC node, which maps them to SCALE.

Encoding in SQLite (table `storage(item, key, value)`): `item` is "Pallet.Name"; `key` is the
JSON list of the encoded keys (accounts as lowercase hex of the 32-byte public key, numbers as
JSON integers); `value` is JSON. JSON integers are exact at any size, so u64/u128 values never
pass through SQLite's int64. Each room declares its items with `declare(...)`.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

ACCOUNT_ID = "AccountId"  # 32-byte public key, encoded as hex
INT_KINDS = ("u16", "u32", "u64", "u128", "i64")


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

    @property
    def id(self) -> str:
        return f"{self.pallet}.{self.name}"

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
        if self.value in INT_KINDS and type(value) is int:  # what json.dumps writes, faster
            return str(value)
        if self.value == "AccountInfo":
            return json.dumps(asdict(value), separators=(",", ":"))
        return json.dumps(_encode_part(self.value, value), separators=(",", ":"))

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
    return json.dumps(_encode_part(kind, part), separators=(",", ":"))


def _decode_part(kind: str, raw: Any) -> Any:
    if kind == ACCOUNT_ID:
        return None if raw is None else bytes.fromhex(raw)
    return raw


REGISTRY: dict[str, StorageItem] = {}


def declare(pallet: str, name: str, keys: tuple[str, ...] = (), value: str = "u64",
            default: Any = 0) -> StorageItem:
    """Declare a storage item once; later parts call this for their own items."""
    item = StorageItem(pallet, name, tuple(keys), value, default)
    if item.id in REGISTRY and REGISTRY[item.id] != item:
        raise ValueError(f"storage item {item.id} declared twice differently")
    REGISTRY[item.id] = item
    return item


def item(item_id: str) -> StorageItem:
    """Look an item up by "Pallet.Name"."""
    try:
        return REGISTRY[item_id]
    except KeyError:
        raise KeyError(f"unknown storage item {item_id}") from None


# -- System, Timestamp, Balances ---------------------------------------------------------------
ACCOUNT = declare("System", "Account", (ACCOUNT_ID,), "AccountInfo", AccountInfo())
NUMBER = declare("System", "Number", (), "u64", 0)  # the open block's number
TIMESTAMP_NOW = declare("Timestamp", "Now", (), "u64", 0)  # the open block's time (ms)
BALANCES_ISSUANCE = declare("Balances", "TotalIssuance", (), "u128", 0)
SUBTENSOR_ISSUANCE = declare("SubtensorModule", "TotalIssuance", (), "u64", 0)
BLOCK_EMISSION = declare("SubtensorModule", "BlockEmission", (), "u64", 1_000_000_000)
SUBNET_TAO = declare("SubtensorModule", "SubnetTAO", ("u16",), "u64", 0)
NETWORKS_ADDED = declare("SubtensorModule", "NetworksAdded", ("u16",), "bool", False)
SUDO_KEY = declare("Sudo", "Key", (), ACCOUNT_ID, None)
# taoctl's own ledger of how issuance moved, so `chain check` can prove it only grew by
# emission and only fell by recycling: TotalIssuance == GenesisIssuance + Minted - Recycled.
GENESIS_ISSUANCE = declare("Taoctl", "GenesisIssuance", (), "u128", 0)
MINTED = declare("Taoctl", "Minted", (), "u128", 0)
RECYCLED = declare("Taoctl", "Recycled", (), "u128", 0)
# the block at which each halving took effect: the first block minting at the k-th rate
HALVING_BLOCK = declare("Taoctl", "HalvingBlock", ("u16",), "u64", 0)

"""taoctl's Python values <-> the SCALE shapes of subtensor's metadata, per storage item.

Both sides use subtensor's storage names, so the mapping is generic: a local item
`Pallet.Name` (`chain.pallets.registry`) is the metadata's entry of the same name; keys and
values are converted by walking the metadata type. Small adapters cover the places where the
local value has another shape:

- `System.Account`: local `AccountInfo(nonce, free, reserved, frozen)` <-> frame_system's
  AccountInfo {nonce, consumers, providers, sufficients, data {free, reserved, frozen, flags}}.
- fixed-point newtypes (`FixedU128 {bits}` of `Alpha`, ...): a local int is the `bits`.
- dataclasses are matched field by field; fields the local value lacks read as the type's zero.

Items taoctl models that the spec-343 metadata lacks (e.g. main's `AlphaV2` share pools, the
`Swap.SwapBalancer` stand-in) are "extension items": served and read under
`twox128(pallet) ++ twox128(name) ++ blake2_128(k) ++ k` with `k` the local JSON key text, and a
JSON value (`ext_key`, `ext_value`). A real node has no such keys, so they read as the default.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from chain.pallets.storage import AccountInfo
from chain.substrate.hashing import blake2, storage_prefix
from chain.substrate.metadata import Metadata

NEW_LOGIC_FLAG = 1 << 127  # pallet_balances ExtraFlags: the account uses the new reserve logic


def zero(md: Metadata, type_id: int) -> Any:
    """The all-zero value of a type (what a missing field of a local value reads as)."""
    reg = md.registry
    kind, d = reg.kind(type_id)
    if kind == "primitive":
        return False if d == "bool" else "" if d == "str" else 0
    if kind == "compact":
        return 0
    if kind == "composite":
        fields = d["fields"]
        if not fields:
            return None
        if fields[0].get("name"):
            return {f["name"]: zero(md, f["type"]) for f in fields}
        if len(fields) == 1:
            return zero(md, fields[0]["type"])
        return [zero(md, f["type"]) for f in fields]
    if kind == "variant":
        if reg.is_option(type_id):
            return None
        first = min(d["variants"], key=lambda v: v["index"])
        if not first["fields"]:
            return first["name"]
        return {first["name"]: zero(md, first["fields"][0]["type"])}
    if kind == "sequence":
        return b"" if reg.is_u8(d["type"]) else []
    if kind == "array":
        return bytes(d["len"]) if reg.is_u8(d["type"]) else [zero(md, d["type"])] * d["len"]
    if kind == "tuple":
        return [zero(md, t) for t in d]
    return None


def to_scale(md: Metadata, type_id: int, value: Any) -> Any:
    """A local Python value in the shape the codec expects for `type_id`."""
    reg = md.registry
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    kind, d = reg.kind(type_id)
    if kind == "composite":
        fields = d["fields"]
        if fields and fields[0].get("name"):
            if not isinstance(value, dict):
                if len(fields) == 1:  # a newtype such as FixedU128 {bits}
                    return {fields[0]["name"]: to_scale(md, fields[0]["type"], value)}
                raise TypeError(f"cannot map {value!r} onto {[f['name'] for f in fields]}")
            return {f["name"]: to_scale(md, f["type"], value[f["name"]]) if f["name"] in value
                    else zero(md, f["type"]) for f in fields}
        if len(fields) == 1:
            return to_scale(md, fields[0]["type"], value)
        return [to_scale(md, f["type"], v) for f, v in zip(fields, value, strict=True)]
    if kind == "variant" and reg.is_option(type_id):
        return None if value is None else to_scale(md, d["variants"][1]["fields"][0]["type"],
                                                   value)
    if kind == "variant" and type(value) is int:  # a local enum kept as its variant index
        for variant in d["variants"]:
            if variant["index"] == value and not variant["fields"]:
                return variant["name"]
        raise TypeError(f"no fieldless variant {value} in type {type_id}")
    if kind in ("sequence", "array") and not reg.is_u8(d["type"]):
        return [to_scale(md, d["type"], v) for v in value]
    if kind == "tuple":
        return [to_scale(md, t, v) for t, v in zip(d, value, strict=True)]
    if isinstance(value, str) and value.startswith("0x") and (
            kind in ("sequence", "array")):
        return bytes.fromhex(value[2:])
    return value


def account_info_to_scale(info: Any) -> dict:
    """The local AccountInfo as frame_system's AccountInfo (one provider while it exists)."""
    exists = bool(info.nonce or info.free or info.reserved)
    return {"nonce": info.nonce, "consumers": 0, "providers": 1 if exists else 0,
            "sufficients": 0, "data": {"free": info.free, "reserved": info.reserved,
                                       "frozen": info.frozen, "flags": NEW_LOGIC_FLAG}}


def encode_value(md: Metadata, item: Any, value: Any) -> bytes:
    """SCALE bytes of a local item's value per the metadata's entry of the same name."""
    entry = md.storage(item.pallet, item.name)
    if item.value == "AccountInfo":
        value = account_info_to_scale(value)
    return md.registry.encode(entry["value"], to_scale(md, entry["value"], value))


def decode_value(md: Metadata, item: Any, data: bytes) -> Any:
    """The local Python value of an item from the SCALE bytes a node returned."""
    entry = md.storage(item.pallet, item.name)
    raw = md.registry.decode_all(entry["value"], data)
    kind, detail = md.registry.kind(entry["value"])
    if kind == "variant" and isinstance(raw, str) and item.value in ("u8", "u16", "u32"):
        # a runtime enum the local chain keeps as its variant index (see `to_scale`)
        raw = next(v["index"] for v in detail["variants"] if v["name"] == raw)
    return from_scale(item.value, raw)


def from_scale(kind: str, raw: Any) -> Any:
    """A decoded SCALE value in the local registry's shape for value kind `kind`."""
    if kind == "AccountInfo":
        data = raw["data"]
        return AccountInfo(nonce=raw["nonce"], free=data["free"], reserved=data["reserved"],
                           frozen=data["frozen"])
    if kind == "AccountId":
        return None if raw is None else bytes(raw)
    if kind in ("u8", "u16", "u32", "u64", "u128", "i64"):
        while isinstance(raw, dict) and len(raw) == 1:
            (raw,) = raw.values()
        return int(raw)
    if kind == "bool":
        return bool(raw)
    return _jsonable(raw)


def _jsonable(raw: Any) -> Any:
    """JSON-able local shape: bytes that are printable UTF-8 (names, symbols) become text,
    other bytes (accounts, hashes) "0x" hex."""
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8")
            if text.isprintable() and len(raw) != 32:
                return text
        except UnicodeDecodeError:
            pass
        return "0x" + raw.hex()
    if isinstance(raw, dict):
        return {k: _jsonable(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_jsonable(v) for v in raw]
    return raw


def key_to_scale(md: Metadata, item: Any, key: tuple) -> list:
    """Local key parts (bytes for accounts, ints) in the codec's shapes."""
    entry = md.storage(item.pallet, item.name)
    types = md.key_types(entry)
    if len(key) != len(types):
        raise TypeError(f"{item.id} takes {len(types)} key(s), got {len(key)}")
    return [to_scale(md, t, part) for t, part in zip(types, key, strict=True)]


def key_from_scale(item: Any, parts: tuple) -> tuple:
    """Decoded SCALE key parts as the local registry's key tuple."""
    return tuple(from_scale(kind, part) for kind, part in zip(item.keys, parts, strict=True))


def storage_key(md: Metadata, item: Any, key: tuple) -> bytes:
    """The metadata storage key of a local item's entry."""
    return md.storage_key(item.pallet, item.name, key_to_scale(md, item, key))


def ext_key(item: Any, key: tuple) -> bytes:
    """The storage key of an extension item's entry (see the module docstring)."""
    text = item.encode_key(tuple(key)).encode()
    return storage_prefix(item.pallet, item.name) + blake2(text, 128) + text


def ext_decode_key(item: Any, key: bytes) -> tuple | None:
    """The local key of an extension item's storage key, None if it does not parse."""
    try:
        return item.decode_key(key[48:].decode())
    except (ValueError, UnicodeDecodeError):
        return None


def ext_value(item: Any, value: Any) -> bytes:
    return item.encode_value(value).encode()


def ext_decode_value(item: Any, data: bytes) -> Any:
    return item.decode_value(data.decode())

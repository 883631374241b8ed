"""Values of a metadata type from command-line text (`taoctl runtime`'s arguments).

`TypedText.parse(type_id, text, what)` reads one argument as its declared type says: numbers
in ASCII digits within the type's bounds, true/false, accounts as ss58 or 0x hex, byte strings
as 0x hex (else the text's UTF-8), `none` for an absent Option, enums by variant name, lists
as a,b,c; anything else as JSON, or as "0x" hex of its SCALE encoding (checked by decoding it).
The result is the value `chain.substrate.scale.Registry.encode` takes. Text that does not fit
raises `BadValue` (exit 2) naming the parameter (`what`).
"""

from __future__ import annotations

import json
from typing import Any

from chain.exitcodes import EXIT_USAGE
from chain.substrate.scale import Registry, ScaleError

_BYTE_NEWTYPES = ("AccountId32", "H160", "H256", "H512")
_INT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "u128": 128, "u256": 256,
             "i8": 8, "i16": 16, "i32": 32, "i64": 64, "i128": 128, "i256": 256}


class BadValue(ValueError):
    """Text that does not parse as its declared type."""

    name = "UsageError"
    exit_code = EXIT_USAGE


class TypedText:
    """Parses text against the types of one registry."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry

    def parse(self, type_id: int, text: str, what: str) -> Any:
        """One argument from its text, in the forms the module docstring lists; `what` names
        it in errors."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        inner = self._newtype(type_id)
        if inner is not None:
            return self.parse(inner, text, what)
        if self.is_account(type_id) or self._bytes(type_id):
            return self.from_json(type_id, text, what)
        if reg.is_option(type_id):
            if text.strip().lower() in ("none", "null"):
                return None
            return self.parse(d["variants"][1]["fields"][0]["type"], text, what)
        if kind in ("primitive", "compact"):
            return self.from_json(type_id, text, what)
        if kind == "sequence" and not text.lstrip().startswith(("[", "0x")):
            return [self.parse(d["type"], part.strip(), what)
                    for part in text.split(",") if part.strip()]
        if kind == "variant" and text.isidentifier():
            return self.from_json(type_id, text, what)
        if text.startswith("0x"):
            return self._scale_hex(type_id, text, what)
        try:
            value = json.loads(text)
        except ValueError:
            raise BadValue(f"{what}: not JSON nor 0x SCALE hex: {text!r}") from None
        return self.from_json(type_id, value, what)

    def _scale_hex(self, type_id: int, text: str, what: str) -> Any:
        try:
            return self.registry.decode_all(type_id, bytes.fromhex(text[2:]))
        except (ValueError, ScaleError) as exc:
            raise BadValue(f"{what}: {text!r} is not the SCALE encoding of it "
                                 f"({exc})") from None

    def from_json(self, type_id: int, value: Any, what: str) -> Any:
        """A JSON value (or text) as the type's SCALE value."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if self.is_account(type_id):
            return self._account_bytes(value, what)
        if self._bytes(type_id):
            return self._byte_string(type_id, value, what)
        inner = self._newtype(type_id)
        if inner is not None:
            return self.from_json(inner, value, what)
        if kind == "primitive":
            return self._primitive(d, value, what)
        if kind == "compact":
            return self.from_json(d["type"], value, what)
        if reg.is_option(type_id):
            if value is None or (isinstance(value, str) and value.lower() == "none"):
                return None
            return self.from_json(d["variants"][1]["fields"][0]["type"], value, what)
        if kind in ("sequence", "array"):
            if not isinstance(value, list):
                raise BadValue(f"{what}: expected a list, got {value!r}")
            return [self.from_json(d["type"], v, what) for v in value]
        if kind == "tuple":
            if not isinstance(value, list) or len(value) != len(d):
                raise BadValue(f"{what}: expected a list of {len(d)} values")
            return [self.from_json(t, v, what) for t, v in zip(d, value, strict=True)]
        if kind == "composite":
            return self._fields(d["fields"], value, what)
        if kind == "variant":
            return self._variant(d["variants"], value, what)
        raise BadValue(f"{what}: a {kind} cannot be given on the command line")

    def _fields(self, fields: list[dict], value: Any, what: str) -> Any:
        if fields and fields[0].get("name"):
            if not isinstance(value, dict) or set(value) != {f["name"] for f in fields}:
                raise BadValue(f"{what}: expected an object with "
                                     f"{', '.join(f['name'] for f in fields)}")
            return {f["name"]: self.from_json(f["type"], value[f["name"]], what)
                    for f in fields}
        if len(fields) == 1:
            return self.from_json(fields[0]["type"], value, what)
        if not isinstance(value, list) or len(value) != len(fields):
            raise BadValue(f"{what}: expected a list of {len(fields)} values")
        return [self.from_json(f["type"], v, what) for f, v in zip(fields, value, strict=True)]

    def _variant(self, variants: list[dict], value: Any, what: str) -> Any:
        names = [v["name"] for v in variants]
        if isinstance(value, str):
            name, inner = value, None
        elif isinstance(value, dict) and len(value) == 1:
            (name, inner), = value.items()
        else:
            raise BadValue(f"{what}: expected one of {', '.join(names)}")
        variant = next((v for v in variants if v["name"] == name), None)
        if variant is None:
            raise BadValue(f"{what}: no variant {name!r} (one of {', '.join(names)})")
        if not variant["fields"]:
            return name
        return {name: self._fields(variant["fields"], inner, what)}

    def _primitive(self, kind: str, value: Any, what: str) -> Any:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise BadValue(f"{what}: true or false, not {value!r}")
        if kind in ("str", "char"):
            return str(value)
        if isinstance(value, str):
            body = value[1:] if value.startswith("-") else value
            if not body or not (body.isascii() and body.isdigit()):
                raise BadValue(f"{what}: not a whole number: {value!r}")
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadValue(f"{what}: not a whole number: {value!r}")
        bits = _INT_BITS[kind]
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if kind.startswith("i") \
            else (0, 2**bits - 1)
        if not low <= value <= high:
            raise BadValue(f"{what}: {value} is outside {kind} ({low} to {high})")
        return value

    def _account_bytes(self, value: Any, what: str) -> bytes:
        if isinstance(value, str) and value.startswith("0x"):
            raw = self._hex(value, what)
            if len(raw) == 32:
                return raw
            raise BadValue(f"{what}: an account is 32 bytes, not {len(raw)}")
        if not isinstance(value, str):
            raise BadValue(f"{what}: expected an ss58 address, got {value!r}")
        from wallet.ss58 import ss58_decode

        try:
            return ss58_decode(value)
        except ValueError as exc:
            raise BadValue(f"{what}: not an ss58 address: {value!r} ({exc})") from None

    def _byte_string(self, type_id: int, value: Any, what: str) -> bytes:
        kind, d = self.registry.kind(self._newtype(type_id) or type_id)
        if isinstance(value, list) and all(isinstance(b, int) and 0 <= b < 256 for b in value):
            raw = bytes(value)
        elif isinstance(value, str):
            raw = self._hex(value, what) if value.startswith("0x") else value.encode()
        else:
            raise BadValue(f"{what}: expected 0x hex or text, got {value!r}")
        if kind == "array" and len(raw) != d["len"]:
            raise BadValue(f"{what}: expected {d['len']} bytes, got {len(raw)}")
        return raw

    @staticmethod
    def _hex(text: str, what: str) -> bytes:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            raise BadValue(f"{what}: not hex: {text!r}") from None

    # -- type shapes -----------------------------------------------------------------------------
    def _newtype(self, type_id: int) -> int | None:
        """The wrapped type of a single unnamed-field struct (NetUid(u16), TaoBalance(u64)),
        else None. Accounts and hashes are not unwrapped: they have their own text forms."""
        kind, d = self.registry.kind(type_id)
        if kind != "composite" or len(d["fields"]) != 1 or d["fields"][0].get("name"):
            return None
        if self.is_account(type_id) or self._named_bytes(type_id):
            return None
        return d["fields"][0]["type"]

    def is_account(self, type_id: int) -> bool:
        """An AccountId32 (its text form is ss58)."""
        path = self.registry.types[type_id].get("path") or []
        return bool(path) and path[-1] == "AccountId32"

    def _named_bytes(self, type_id: int) -> bool:
        path = self.registry.types[type_id].get("path") or []
        return bool(path) and path[-1] in _BYTE_NEWTYPES

    def _bytes(self, type_id: int) -> bool:
        """Vec<u8>, [u8; N], or a newtype around one of them (H256, OpaqueMetadata)."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if kind in ("sequence", "array"):
            return reg.is_u8(d["type"])
        if kind == "composite" and len(d["fields"]) == 1 and not d["fields"][0].get("name"):
            return self._bytes(d["fields"][0]["type"])
        return False

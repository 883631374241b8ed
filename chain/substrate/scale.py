"""A small SCALE codec driven by a V14 portable type registry (the metadata's `types` list).

Why our own: the node and the remote backend encode and decode a handful of storage values,
calls and events per request; walking the registry directly is fast, has no global state, and
keeps the Python shapes simple and predictable:

- integers (fixed or compact) are `int`; `bool` is `bool`; `str` is `str`;
- `[u8; N]` arrays and `Vec<u8>` are `bytes` (so an AccountId32 is 32 bytes);
- a composite with named fields is a `dict`; with one unnamed field, the inner value itself
  (AccountId32 -> bytes); with several unnamed fields, a `list`;
- an `Option<T>` is `None` or the value; any other enum is the variant's name (no fields) or
  `{name: value}` with value shaped like a composite's;
- sequences, arrays and tuples are `list`s.

Encoding accepts the same shapes (and "0x" hex strings where bytes are expected).
"""

from __future__ import annotations

from typing import Any

_PRIM_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "u128": 128, "u256": 256,
              "i8": 8, "i16": 16, "i32": 32, "i64": 64, "i128": 128, "i256": 256}


class ScaleError(ValueError):
    """Bytes that do not decode as the type, or a value that does not fit it."""


def encode_compact(n: int) -> bytes:
    """SCALE compact encoding of a non-negative integer."""
    if n < 0:
        raise ScaleError("compact integers are unsigned")
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    body = n.to_bytes((n.bit_length() + 7) // 8, "little")
    if len(body) > 67:
        raise ScaleError("integer too large for compact encoding")
    return bytes([((len(body) - 4) << 2) | 3]) + body


def decode_compact(data: bytes, offset: int = 0) -> tuple[int, int]:
    """(value, next offset) of a compact integer at `offset`."""
    try:
        first = data[offset]
    except IndexError:
        raise ScaleError("truncated compact integer") from None
    mode = first & 3
    if mode == 0:
        return first >> 2, offset + 1
    if mode == 1:
        _need(data, offset, 2)
        return int.from_bytes(data[offset:offset + 2], "little") >> 2, offset + 2
    if mode == 2:
        _need(data, offset, 4)
        return int.from_bytes(data[offset:offset + 4], "little") >> 2, offset + 4
    size = (first >> 2) + 4
    _need(data, offset + 1, size)
    return int.from_bytes(data[offset + 1:offset + 1 + size], "little"), offset + 1 + size


def _need(data: bytes, offset: int, size: int) -> None:
    if offset + size > len(data):
        raise ScaleError(f"truncated: need {size} bytes at offset {offset}, have "
                         f"{max(len(data) - offset, 0)}")


def _as_bytes(value: Any) -> bytes:
    if isinstance(value, str):
        text = value[2:] if value.startswith("0x") else value
        try:
            return bytes.fromhex(text)
        except ValueError:
            return value.encode()
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if isinstance(value, (list, tuple)):
        return bytes(value)
    raise ScaleError(f"expected bytes, got {type(value).__name__}")


class Registry:
    """The portable type registry: `types[id]` is the metadata's `{'path', 'params', 'def'}`."""

    def __init__(self, types: list[dict]) -> None:
        self.types = {t["id"]: t["type"] for t in types}

    def kind(self, type_id: int) -> tuple[str, Any]:
        """The type's definition as (kind, detail), e.g. ("primitive", "u64")."""
        (kind, detail), = self.types[type_id]["def"].items()
        return kind, detail

    def is_u8(self, type_id: int) -> bool:
        return self.kind(type_id) == ("primitive", "u8")

    def is_empty(self, type_id: int) -> bool:
        """True for types that encode to no bytes (unit composites and empty tuples)."""
        kind, detail = self.kind(type_id)
        if kind == "composite":
            return all(self.is_empty(f["type"]) for f in detail["fields"])
        if kind == "tuple":
            return all(self.is_empty(t) for t in detail)
        if kind == "array":
            return detail["len"] == 0 or self.is_empty(detail["type"])
        return False

    def is_option(self, type_id: int) -> bool:
        return self.types[type_id].get("path") == ["Option"]

    # encoding --------------------------------------------------------------------------------
    def encode(self, type_id: int, value: Any) -> bytes:
        """SCALE bytes of `value` as type `type_id`."""
        out = bytearray()
        self._enc(type_id, value, out)
        return bytes(out)

    def _enc(self, type_id: int, value: Any, out: bytearray) -> None:
        kind, d = self.kind(type_id)
        if kind == "primitive":
            _enc_primitive(d, value, out)
        elif kind == "compact":
            out += encode_compact(_unwrap_int(value))
        elif kind == "composite":
            self._enc_fields(d["fields"], value, out)
        elif kind == "variant":
            self._enc_variant(type_id, d["variants"], value, out)
        elif kind == "sequence":
            if self.is_u8(d["type"]):
                raw = _as_bytes(value)
                out += encode_compact(len(raw)) + raw
            else:
                items = list(value)
                out += encode_compact(len(items))
                for item in items:
                    self._enc(d["type"], item, out)
        elif kind == "array":
            if self.is_u8(d["type"]):
                raw = _as_bytes(value)
                if len(raw) != d["len"]:
                    raise ScaleError(f"expected {d['len']} bytes, got {len(raw)}")
                out += raw
            else:
                items = list(value)
                if len(items) != d["len"]:
                    raise ScaleError(f"expected {d['len']} items, got {len(items)}")
                for item in items:
                    self._enc(d["type"], item, out)
        elif kind == "tuple":
            items = list(value) if d else []
            if len(items) != len(d):
                raise ScaleError(f"expected a {len(d)}-tuple")
            for sub, item in zip(d, items, strict=True):
                self._enc(sub, item, out)
        elif kind == "bitsequence":
            raise ScaleError("bit sequences are not supported")
        else:
            raise ScaleError(f"unknown type kind {kind}")

    def _enc_fields(self, fields: list[dict], value: Any, out: bytearray) -> None:
        if not fields:
            return
        if fields[0].get("name"):
            if not isinstance(value, dict):
                raise ScaleError(f"expected fields {[f['name'] for f in fields]}")
            for f in fields:
                if f["name"] not in value:
                    raise ScaleError(f"missing field {f['name']!r}")
                self._enc(f["type"], value[f["name"]], out)
        elif len(fields) == 1:
            self._enc(fields[0]["type"], value, out)
        else:
            items = list(value)
            if len(items) != len(fields):
                raise ScaleError(f"expected {len(fields)} values")
            for f, item in zip(fields, items, strict=True):
                self._enc(f["type"], item, out)

    def _enc_variant(self, type_id: int, variants: list[dict], value: Any,
                     out: bytearray) -> None:
        if self.is_option(type_id):
            if value is None:
                out.append(0)
            else:
                out.append(1)
                self._enc(variants[1]["fields"][0]["type"], value, out)
            return
        if isinstance(value, str):
            name, inner = value, None
        elif isinstance(value, dict) and len(value) == 1:
            (name, inner), = value.items()
        else:
            raise ScaleError(f"expected an enum value, got {value!r}")
        for v in variants:
            if v["name"] == name:
                out.append(v["index"])
                if v["fields"]:
                    self._enc_fields(v["fields"], inner, out)
                return
        raise ScaleError(f"no variant {name!r}")

    # decoding --------------------------------------------------------------------------------
    def decode(self, type_id: int, data: bytes, offset: int = 0) -> tuple[Any, int]:
        """(value, next offset) of type `type_id` read from `data` at `offset`."""
        kind, d = self.kind(type_id)
        if kind == "primitive":
            return _dec_primitive(d, data, offset)
        if kind == "compact":
            return decode_compact(data, offset)
        if kind == "composite":
            return self._dec_fields(d["fields"], data, offset)
        if kind == "variant":
            _need(data, offset, 1)
            index = data[offset]
            offset += 1
            for v in d["variants"]:
                if v["index"] == index:
                    if self.is_option(type_id):
                        if not v["fields"]:
                            return None, offset
                        return self.decode(v["fields"][0]["type"], data, offset)
                    if not v["fields"]:
                        return v["name"], offset
                    inner, offset = self._dec_fields(v["fields"], data, offset)
                    return {v["name"]: inner}, offset
            raise ScaleError(f"no variant with index {index} in type {type_id}")
        if kind == "sequence":
            count, offset = decode_compact(data, offset)
            if self.is_u8(d["type"]):
                _need(data, offset, count)
                return bytes(data[offset:offset + count]), offset + count
            items = []
            for _ in range(count):
                item, offset = self.decode(d["type"], data, offset)
                items.append(item)
            return items, offset
        if kind == "array":
            if self.is_u8(d["type"]):
                _need(data, offset, d["len"])
                return bytes(data[offset:offset + d["len"]]), offset + d["len"]
            items = []
            for _ in range(d["len"]):
                item, offset = self.decode(d["type"], data, offset)
                items.append(item)
            return items, offset
        if kind == "tuple":
            items = []
            for sub in d:
                item, offset = self.decode(sub, data, offset)
                items.append(item)
            return items, offset
        raise ScaleError(f"cannot decode type kind {kind}")

    def _dec_fields(self, fields: list[dict], data: bytes, offset: int) -> tuple[Any, int]:
        if not fields:
            return None, offset
        if fields[0].get("name"):
            out = {}
            for f in fields:
                out[f["name"]], offset = self.decode(f["type"], data, offset)
            return out, offset
        if len(fields) == 1:
            return self.decode(fields[0]["type"], data, offset)
        items = []
        for f in fields:
            item, offset = self.decode(f["type"], data, offset)
            items.append(item)
        return items, offset

    def decode_all(self, type_id: int, data: bytes) -> Any:
        """Decode `data` as exactly one value of the type (trailing bytes are an error)."""
        value, end = self.decode(type_id, data, 0)
        if end != len(data):
            raise ScaleError(f"{len(data) - end} trailing bytes after type {type_id}")
        return value


def _unwrap_int(value: Any) -> int:
    if isinstance(value, dict) and len(value) == 1:
        (value,) = value.values()
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScaleError(f"expected an integer, got {value!r}")
    return value


def _enc_primitive(name: str, value: Any, out: bytearray) -> None:
    if name == "bool":
        if not isinstance(value, bool):
            raise ScaleError(f"expected a bool, got {value!r}")
        out.append(1 if value else 0)
    elif name == "str":
        raw = value.encode() if isinstance(value, str) else _as_bytes(value)
        out += encode_compact(len(raw)) + raw
    elif name == "char":
        out += ord(value).to_bytes(4, "little")
    else:
        bits = _PRIM_BITS[name]
        n = _unwrap_int(value)
        signed = name.startswith("i")
        try:
            out += n.to_bytes(bits // 8, "little", signed=signed)
        except OverflowError:
            raise ScaleError(f"{n} does not fit a {name}") from None


def _dec_primitive(name: str, data: bytes, offset: int) -> tuple[Any, int]:
    if name == "bool":
        _need(data, offset, 1)
        if data[offset] > 1:
            raise ScaleError("invalid bool byte")
        return data[offset] == 1, offset + 1
    if name == "str":
        size, offset = decode_compact(data, offset)
        _need(data, offset, size)
        return bytes(data[offset:offset + size]).decode("utf-8", "replace"), offset + size
    if name == "char":
        _need(data, offset, 4)
        return chr(int.from_bytes(data[offset:offset + 4], "little")), offset + 4
    size = _PRIM_BITS[name] // 8
    _need(data, offset, size)
    return int.from_bytes(data[offset:offset + size], "little",
                          signed=name.startswith("i")), offset + size

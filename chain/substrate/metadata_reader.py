"""A reader of runtime metadata bytes (V14 and V15) that keeps where each part lies.

scalecodec decodes V14 only; V15 carries what the node needs beyond it: the runtime APIs and
the types of their parameters and results. This reader walks the bytes once (scale-info's
portable registry, pallets, the extrinsic, and for V15 the runtime APIs) and records:

- `types`: the registry in the shape `chain.substrate.scale.Registry` takes
  (`{"id", "type": {"path", "params", "def"}}`, defs as scalecodec names them; `params` the
  generic parameters as (name, type id or None), e.g. a fixed-point type's `Frac`);
- `apis`: `{"Api_method": {"inputs": [(name, type id)], "output": type id}}` (V15);
- `storage_spans`: per pallet, the byte span of its storage entries vector, so entries can be
  added (`metadata_extend`) without re-encoding anything else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chain.substrate.scale import ScaleError, decode_compact

MAGIC = b"meta"
PRIMITIVES = ("bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256", "i8", "i16",
              "i32", "i64", "i128", "i256")
HASHERS = ("Blake2_128", "Blake2_256", "Blake2_128Concat", "Twox128", "Twox256",
           "Twox64Concat", "Identity")


@dataclass
class Read:
    """What `read` found in one metadata blob."""

    version: int
    types: list[dict]
    types_span: tuple[int, int]  # (offset of the count, end of the last type)
    pallets: list[dict]
    storage_spans: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    apis: dict[str, dict] = field(default_factory=dict)


class _Cursor:
    def __init__(self, data: bytes, offset: int) -> None:
        self.data, self.at = data, offset

    def byte(self) -> int:
        if self.at >= len(self.data):
            raise ScaleError("metadata truncated")
        self.at += 1
        return self.data[self.at - 1]

    def u32(self) -> int:
        value = int.from_bytes(self.data[self.at:self.at + 4], "little")
        self.at += 4
        return value

    def compact(self) -> int:
        value, self.at = decode_compact(self.data, self.at)
        return value

    def bytes_(self) -> bytes:
        n = self.compact()
        out = self.data[self.at:self.at + n]
        if len(out) != n:
            raise ScaleError("metadata truncated")
        self.at += n
        return bytes(out)

    def text(self) -> str:
        return self.bytes_().decode()

    def option(self, read) -> Any:
        return read() if self.byte() else None

    def vec(self, read) -> list:
        return [read() for _ in range(self.compact())]


def _field(c: _Cursor) -> dict:
    name = c.option(c.text)
    ty = c.compact()
    type_name = c.option(c.text)
    c.vec(c.text)
    return {"name": name, "type": ty, "typeName": type_name, "docs": []}


def _variant(c: _Cursor) -> dict:
    name = c.text()
    fields = c.vec(lambda: _field(c))
    index = c.byte()
    c.vec(c.text)
    return {"name": name, "fields": fields, "index": index, "docs": []}


def _typedef(c: _Cursor) -> dict:
    tag = c.byte()
    if tag == 0:
        return {"composite": {"fields": c.vec(lambda: _field(c))}}
    if tag == 1:
        return {"variant": {"variants": c.vec(lambda: _variant(c))}}
    if tag == 2:
        return {"sequence": {"type": c.compact()}}
    if tag == 3:
        length = c.u32()
        return {"array": {"len": length, "type": c.compact()}}
    if tag == 4:
        return {"tuple": c.vec(c.compact)}
    if tag == 5:
        return {"primitive": PRIMITIVES[c.byte()]}
    if tag == 6:
        return {"compact": {"type": c.compact()}}
    if tag == 7:
        store = c.compact()
        return {"bitsequence": {"bit_store_type": store, "bit_order_type": c.compact()}}
    raise ScaleError(f"unknown type definition {tag}")


def _type(c: _Cursor) -> dict:
    type_id = c.compact()
    path = c.vec(c.text)
    params = c.vec(lambda: (c.text(), c.option(c.compact)))
    definition = _typedef(c)
    c.vec(c.text)
    return {"id": type_id, "type": {"path": path, "params": params, "def": definition}}


def _entry(c: _Cursor) -> dict:
    name = c.text()
    modifier = ("Optional", "Default")[c.byte()]
    if c.byte() == 0:
        shape = {"hashers": [], "key": None, "value": c.compact()}
    else:
        hashers = [HASHERS[h] for h in c.vec(c.byte)]
        key = c.compact()
        shape = {"hashers": hashers, "key": key, "value": c.compact()}
    default = c.bytes_()
    c.vec(c.text)
    return {"name": name, "modifier": modifier, **shape, "default": "0x" + default.hex()}


def read(data: bytes) -> Read:
    """Walk metadata bytes (starting at "meta"; an `Option<OpaqueMetadata>` wrapper is
    skipped)."""
    start = data.find(MAGIC)
    if start < 0 or start > 8:
        raise ScaleError("not runtime metadata (no 'meta' magic)")
    c = _Cursor(data, start + 4)
    version = c.byte()
    if version not in (14, 15):
        raise ScaleError(f"metadata V{version} is not supported")
    types_at = c.at
    types = c.vec(lambda: _type(c))
    out = Read(version, types, (types_at, c.at), [])
    for _ in range(c.compact()):
        name = c.text()
        entries: list[dict] = []
        if c.byte():
            c.text()  # prefix
            begin = c.at
            entries = c.vec(lambda: _entry(c))
            out.storage_spans[name] = (begin, c.at, len(entries))
        calls, event = c.option(c.compact), c.option(c.compact)
        constants = c.vec(lambda: (c.text(), c.compact(), c.bytes_(), c.vec(c.text)))
        error = c.option(c.compact)
        index = c.byte()
        if version == 15:
            c.vec(c.text)
        out.pallets.append({"name": name, "index": index, "calls": calls, "event": event,
                            "error": error, "storage": {e["name"]: e for e in entries},
                            "constants": {n: {"type": t, "value": "0x" + v.hex()}
                                          for n, t, v, _ in constants}})
    if version == 15:
        c.byte()  # extrinsic version
        for _ in range(4):  # address, call, signature, extra types
            c.compact()
        c.vec(lambda: (c.text(), c.compact(), c.compact()))
        c.compact()  # the runtime type
        for _ in range(c.compact()):
            api = c.text()
            for _ in range(c.compact()):
                method = c.text()
                inputs = c.vec(lambda: (c.text(), c.compact()))
                output = c.compact()
                c.vec(c.text)
                out.apis[f"{api}_{method}"] = {"inputs": inputs, "output": output}
            c.vec(c.text)
    return out

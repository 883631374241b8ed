"""Runtime metadata of subtensor: loading, and the lookups the node and the remote backend need.

The recorded metadata (finney's spec 343 and a spec-461 node's, `metadata/*.hex`, package data;
`taoctl node serve` speaks `served()`, spec 461 plus a few storage entries, see
`metadata_extend`) is decoded once with
scalecodec (V14) and its useful part -- the type registry, pallets with their storage, calls,
events, errors and constants, and the extrinsic's signed extensions -- is cached as JSON under
`$XDG_CACHE_HOME/taoctl/metadata/` keyed by the bytes' hash, so later processes load it in tens of
milliseconds. Metadata fetched from a real node goes through the same path (`from_bytes`).

`Metadata` answers by name: storage keys (with the metadata's hashers), call indices and
argument types, event and error indices. Values are encoded with `chain.substrate.scale.Registry`.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from chain.substrate.hashing import CONCAT_PREFIX, blake2, storage_prefix, twox
from chain.substrate.scale import Registry, ScaleError, decode_compact, encode_compact

METADATA_DIR = Path(__file__).parent / "metadata"
DEFAULT_SPEC = 343
NODE_SPEC = 461  # the runtime `taoctl node serve` speaks: today's clients target it
CACHE_FORMAT = 1  # bump when the cached JSON's shape changes


class MetadataError(Exception):
    """Metadata that cannot be read, or a name it does not have."""

    name = "MetadataError"
    exit_code = 5


# -- storage hashers --------------------------------------------------------------------------
def hash_key(hasher: str, data: bytes) -> bytes:
    """Apply a storage hasher by its metadata name."""
    if hasher == "Identity":
        return data
    if hasher == "Blake2_128Concat":
        return blake2(data, 128) + data
    if hasher == "Twox64Concat":
        return twox(data, 64) + data
    if hasher == "Blake2_128":
        return blake2(data, 128)
    if hasher == "Blake2_256":
        return blake2(data, 256)
    if hasher == "Twox128":
        return twox(data, 128)
    if hasher == "Twox256":
        return twox(data, 256)
    raise MetadataError(f"unknown storage hasher {hasher}")


# -- loading ----------------------------------------------------------------------------------
def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "taoctl" / "metadata"


def _extract(raw: bytes) -> dict:
    """Decode V14 metadata bytes with scalecodec into the plain dict we keep (docs dropped)."""
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    obj = config.create_scale_object("MetadataVersioned", data=ScaleBytes(raw))
    obj.decode()
    value = obj.value[1]
    if "V14" not in value:
        raise MetadataError(f"only V14 metadata is supported, got {list(value)}")
    v14 = value["V14"]
    # scalecodec shows some byte strings as text: take storage defaults and constants as bytes
    pallets_obj = obj.value_object[1].value_object[1]["pallets"]
    pallets = []
    for p, p_obj in zip(v14["pallets"], pallets_obj, strict=True):
        entry = {"name": p["name"], "index": p["index"],
                 "calls": (p.get("calls") or {}).get("ty"),
                 "event": (p.get("event") or {}).get("ty"),
                 "error": (p.get("error") or {}).get("ty"),
                 "storage": {}, "constants": {}}
        if p.get("storage"):
            entries_obj = p_obj["storage"].value_object["entries"]
            for s, s_obj in zip(p["storage"]["entries"], entries_obj, strict=True):
                ty = s["type"]
                default = s_obj["default"].get_used_bytes()
                if "Plain" in ty:
                    shape = {"hashers": [], "key": None, "value": ty["Plain"]}
                else:
                    shape = dict(ty["Map"])
                entry["storage"][s["name"]] = {
                    "modifier": s["modifier"], "hashers": shape["hashers"],
                    "key": shape["key"], "value": shape["value"],
                    "default": "0x" + bytes(default[_len_prefix(default):]).hex()}
        for c, c_obj in zip(p.get("constants") or [], p_obj["constants"], strict=True):
            raw_value = c_obj["value"].get_used_bytes()
            entry["constants"][c["name"]] = {
                "type": c["type"], "value": "0x" + bytes(raw_value[_len_prefix(raw_value):]).hex()}
        pallets.append(entry)
    types = [{"id": t["id"], "type": {"path": t["type"].get("path", []),
                                      "def": t["type"]["def"]}} for t in v14["types"]["types"]]
    return {"format": CACHE_FORMAT, "types": types, "pallets": pallets,
            "extrinsic": v14["extrinsic"]}


def _len_prefix(data: bytes) -> int:
    """Bytes of the compact length prefix of a `Vec<u8>` as scalecodec hands it back."""
    _, end = decode_compact(bytes(data), 0)
    return end


def from_bytes(raw: bytes) -> Metadata:
    """Metadata from the raw `state_getMetadata` bytes (cached as JSON by their hash)."""
    digest = hashlib.sha256(raw).hexdigest()[:24]
    path = _cache_dir() / f"v14-{digest}.json"
    data = None
    try:
        data = json.loads(path.read_text())
        if data.get("format") != CACHE_FORMAT:
            data = None
    except (OSError, ValueError):
        data = None
    if data is None:
        try:
            data = _extract(raw)
        except MetadataError:
            raise
        except Exception as exc:  # noqa: BLE001 - any decoding failure means unusable bytes
            raise MetadataError(f"cannot decode the runtime metadata: {exc}") from None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data, separators=(",", ":")))
            os.replace(tmp, path)
        except OSError:
            pass  # a read-only cache only costs time
    return Metadata(data, raw)


def read_hex(name: str) -> bytes:
    """The bytes of a recorded metadata file in `metadata/` (one hex line)."""
    text = (METADATA_DIR / name).read_text().strip()
    return bytes.fromhex(text[2:] if text.startswith("0x") else text)


@lru_cache(maxsize=4)
def recorded(spec: int = DEFAULT_SPEC) -> Metadata:
    """The recorded finney metadata of runtime `spec` (343 is the V14 one we have)."""
    path = METADATA_DIR / f"metadata_v14_spec{spec}.hex"
    if not path.exists():
        raise MetadataError(f"no recorded V14 metadata for spec {spec}")
    raw = read_hex(path.name)
    extracted = path.with_suffix(".json")  # shipped pre-extracted: no scalecodec at run time
    try:
        data = json.loads(extracted.read_text())
        if data.get("format") == CACHE_FORMAT and \
                data.get("sha256") == hashlib.sha256(raw).hexdigest():
            return Metadata(data, raw)
    except (OSError, ValueError):
        pass
    return from_bytes(raw)


def write_extracted(spec: int = DEFAULT_SPEC) -> Path:
    """Regenerate the shipped `metadata_v14_spec<spec>.json` from the recorded hex."""
    path = METADATA_DIR / f"metadata_v14_spec{spec}.hex"
    raw = read_hex(path.name)
    data = _extract(raw) | {"sha256": hashlib.sha256(raw).hexdigest()}
    out = path.with_suffix(".json")
    out.write_text(json.dumps(data, separators=(",", ":")))
    return out


def recorded_v15(spec: int = DEFAULT_SPEC) -> bytes:
    """`Metadata_metadata_at_version(15)` result bytes (Option<OpaqueMetadata>) for `spec`."""
    return read_hex(f"metadata_v15_spec{spec}.hex")


@lru_cache(maxsize=2)
def served(spec: int = NODE_SPEC) -> Metadata:
    """The V14 metadata `taoctl node serve` speaks: the recorded runtime's, extended with the
    storage entries today's clients look up by name that it lacks (`metadata_extend`)."""
    from chain.substrate.metadata_extend import extend, extend_data

    base = recorded(spec)
    data = {"types": [{"id": i, "type": t} for i, t in base.registry.types.items()],
            "pallets": list(base.pallets.values()), "extrinsic": base.extrinsic}
    return Metadata(extend_data(data), extend(base.raw))


@lru_cache(maxsize=2)
def served_v15(spec: int = NODE_SPEC) -> bytes:
    """The V15 metadata `taoctl node serve` answers for `spec`, extended likewise."""
    from chain.substrate.metadata_extend import extend

    return extend(recorded_v15(spec))


@lru_cache(maxsize=2)
def v15_read(spec: int = NODE_SPEC):
    """The served V15 metadata read apart (`metadata_reader.Read`: types, runtime APIs)."""
    from chain.substrate.metadata_reader import read

    return read(served_v15(spec))


@lru_cache(maxsize=2)
def v15_registry(spec: int = NODE_SPEC) -> Registry:
    """The type registry of the served V15 metadata."""
    return Registry(v15_read(spec).types)


# -- lookups ----------------------------------------------------------------------------------
class Metadata:
    """Name-based lookups over one runtime's metadata."""

    def __init__(self, data: dict, raw: bytes) -> None:
        self.raw = raw
        self.registry = Registry(data["types"])
        self.pallets = {p["name"]: p for p in data["pallets"]}
        self.by_index = {p["index"]: p for p in data["pallets"]}
        self.extrinsic = data["extrinsic"]
        self._prefixes = {storage_prefix(p["name"], n): (p["name"], n)
                          for p in data["pallets"] for n in p["storage"]}
        version = self.constant("System", "Version")
        self.version = version
        self.spec_name = version["spec_name"]
        self.spec_version = version["spec_version"]
        self.transaction_version = version["transaction_version"]
        self.ss58_prefix = self.constant("System", "SS58Prefix")

    # pallets and constants
    def pallet(self, name: str) -> dict:
        try:
            return self.pallets[name]
        except KeyError:
            raise MetadataError(f"the runtime has no pallet {name}") from None

    def constant(self, pallet: str, name: str) -> Any:
        try:
            c = self.pallet(pallet)["constants"][name]
        except KeyError:
            raise MetadataError(f"the runtime has no constant {pallet}.{name}") from None
        return self.registry.decode_all(c["type"], bytes.fromhex(c["value"][2:]))

    def variants(self, type_id: int | None) -> list[dict]:
        if type_id is None:
            return []
        kind, detail = self.registry.kind(type_id)
        return detail["variants"] if kind == "variant" else []

    # storage
    def storage(self, pallet: str, name: str) -> dict:
        """The entry {modifier, hashers, key, value, default} of `Pallet.Name`."""
        try:
            return self.pallet(pallet)["storage"][name]
        except KeyError:
            raise MetadataError(f"the runtime has no storage item {pallet}.{name}") from None

    def has_storage(self, pallet: str, name: str) -> bool:
        return name in self.pallets.get(pallet, {}).get("storage", {})

    def key_types(self, entry: dict) -> list[int]:
        """The type of each key part of a map entry (one per hasher)."""
        if not entry["hashers"]:
            return []
        if len(entry["hashers"]) == 1:
            return [entry["key"]]
        kind, detail = self.registry.kind(entry["key"])
        return list(detail)

    def storage_key(self, pallet: str, name: str, keys: tuple | list = ()) -> bytes:
        """The full storage key of `Pallet.Name[keys]` (a prefix when fewer keys are given)."""
        entry = self.storage(pallet, name)
        types = self.key_types(entry)
        if len(keys) > len(types):
            raise MetadataError(f"{pallet}.{name} takes {len(types)} key(s), got {len(keys)}")
        out = storage_prefix(pallet, name)
        for hasher, type_id, part in zip(entry["hashers"], types, keys, strict=False):
            out += hash_key(hasher, self.registry.encode(type_id, part))
        return out

    def item_of_key(self, key: bytes) -> tuple[str, str] | None:
        """(pallet, name) of the item a full storage key belongs to, if any."""
        return self._prefixes.get(bytes(key[:32]))

    def decode_key(self, pallet: str, name: str, key: bytes) -> tuple | None:
        """The key parts of a full storage key, or None when a hasher is not reversible."""
        entry = self.storage(pallet, name)
        offset = 32
        parts = []
        for hasher, type_id in zip(entry["hashers"], self.key_types(entry), strict=True):
            if hasher not in CONCAT_PREFIX:
                return None
            offset += CONCAT_PREFIX[hasher]
            part, offset = self.registry.decode(type_id, key, offset)
            parts.append(part)
        if offset != len(key):
            return None
        return tuple(parts)

    def storage_default(self, pallet: str, name: str) -> bytes:
        return bytes.fromhex(self.storage(pallet, name)["default"][2:])

    # calls
    def call(self, pallet: str, name: str) -> tuple[int, dict]:
        """(pallet index, the call's variant {name, index, fields})."""
        p = self.pallet(pallet)
        for v in self.variants(p["calls"]):
            if v["name"] == name:
                return p["index"], v
        raise MetadataError(f"the runtime has no call {pallet}.{name}")

    def encode_call(self, pallet: str, name: str, args: dict) -> bytes:
        """SCALE bytes of a call: pallet index, call index, arguments in declared order."""
        index, variant = self.call(pallet, name)
        out = bytes([index, variant["index"]])
        missing = [f["name"] for f in variant["fields"] if f["name"] not in args]
        extra = set(args) - {f["name"] for f in variant["fields"]}
        if missing or extra:
            takes = ", ".join(f["name"] for f in variant["fields"])
            raise MetadataError(f"{pallet}.{name} takes ({takes}), got ({', '.join(args)})")
        for f in variant["fields"]:
            try:
                out += self.registry.encode(f["type"], args[f["name"]])
            except ScaleError as exc:
                raise MetadataError(f"{pallet}.{name}({f['name']}): {exc}") from None
        return out

    def decode_call(self, data: bytes, offset: int = 0) -> tuple[str, str, dict, int]:
        """(pallet, call name, args, next offset) of the call at `offset`."""
        if offset + 2 > len(data):
            raise ScaleError("truncated call")
        p = self.by_index.get(data[offset])
        if p is None:
            raise ScaleError(f"no pallet with index {data[offset]}")
        for v in self.variants(p["calls"]):
            if v["index"] == data[offset + 1]:
                offset += 2
                args = {}
                for f in v["fields"]:
                    args[f["name"]], offset = self.registry.decode(f["type"], data, offset)
                return p["name"], v["name"], args, offset
        raise ScaleError(f"no call with index {data[offset + 1]} in {p['name']}")

    # events and errors
    def event(self, pallet: str, name: str) -> dict | None:
        """The event variant {name, index, fields} of `Pallet.Name`, or None."""
        p = self.pallets.get(pallet)
        if p is None:
            return None
        for v in self.variants(p["event"]):
            if v["name"] == name:
                return v
        return None

    def module_error(self, name: str, prefer: tuple[str, ...] = ()) -> tuple[int, int] | None:
        """(pallet index, error index) of an error by name, looking in `prefer` pallets first."""
        order = list(prefer) + [p for p in self.pallets if p not in prefer]
        for pallet in order:
            p = self.pallets.get(pallet)
            if p is None:
                continue
            for v in self.variants(p["error"]):
                if v["name"] == name:
                    return p["index"], v["index"]
        return None

    def error_name(self, pallet_index: int, error: bytes) -> tuple[str, str]:
        """(pallet, error name) of a `Module {index, error}` dispatch error."""
        p = self.by_index.get(pallet_index)
        if p is None:
            return f"Pallet{pallet_index}", f"Error{error[0] if error else 0}"
        for v in self.variants(p["error"]):
            if error and v["index"] == error[0]:
                return p["name"], v["name"]
        return p["name"], f"Error{error[0] if error else 0}"

    def events_type(self) -> int:
        """The type id of `System.Events` (Vec<EventRecord>)."""
        return self.storage("System", "Events")["value"]


def compact(n: int) -> bytes:
    """Re-exported for callers building extrinsics."""
    return encode_compact(n)

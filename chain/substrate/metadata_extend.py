"""Spec 461's metadata, extended with the storage entries today's clients look up by name that
461 lacks (NODE-461 §1.7): btcli 9.23.2 still enumerates `SubtensorModule.RootClaimType`
(removed in 461) in `subnets show`; bittensor 11.3.0's generated descriptors target a newer
runtime and read `SubnetEpochConsensus` before setting weights, plus the items of
`node461/sdk_codegen_vs_461.txt`.

The entries are spliced into the recorded bytes (V14 and V15 alike) without re-encoding
anything else: new types are appended to the portable registry (fresh ids at its end) and new
entries to the pallet's storage vector. Nothing else moves, so every index, hash and key of
spec 461 is unchanged. A real node has no values under these keys, nor has the sandbox: the
clients read the default. Value types are the SDK codegen's; keys and hashers follow the
clients' reads (netuid items are `Identity(NetUid)` like the rest of the pallet; where the
codegen gives no key, the item is one the clients never read with a key).
"""

from __future__ import annotations

from chain.substrate.metadata_reader import HASHERS, PRIMITIVES, read
from chain.substrate.scale import encode_compact

# (pallet, item, modifier, (hasher, key type) | None, value type, default)
# Types: a primitive name, "AccountId32", "NetUid", "(u64,u64)", "(AccountId32,u64)", or
# ("enum", path, [variant names]) for a new fieldless enum.
ROOT_CLAIM_TYPE = ("enum", ["pallet_subtensor", "pallet", "RootClaimTypeEnum"],
                   ["Swap", "Keep"])
EPOCH_CONSENSUS = ("enum", ["pallet_subtensor", "epoch", "EpochConsensus"], ["Yuma", "Null"])
ENTRIES = [
    ("SubtensorModule", "RootClaimType", "Default", ("Blake2_128Concat", "AccountId32"),
     ROOT_CLAIM_TYPE, b"\x00"),
    ("SubtensorModule", "SubnetEpochConsensus", "Default", ("Identity", "NetUid"),
     EPOCH_CONSENSUS, b"\x00"),
    ("SubtensorModule", "NullPruningTarget", "Default", ("Identity", "NetUid"), "u16",
     b"\x00" * 2),
    ("SubtensorModule", "LastYumaStepBlock", "Default", ("Identity", "NetUid"), "u64",
     b"\x00" * 8),
    ("SubtensorModule", "SavedYumaMaxAllowedValidators", "Default", ("Identity", "NetUid"),
     "u16", b"\x00" * 2),
    ("SubtensorModule", "LastPowRegistrationBlock", "Default",
     ("Blake2_128Concat", "AccountId32"), "u64", b"\x00" * 8),
    ("SubtensorModule", "StakeMoveCooldownUntil", "Default",
     ("Blake2_128Concat", "AccountId32"), "u64", b"\x00" * 8),
    ("SubtensorModule", "NetworkRegistrationEscrow", "Optional", ("Identity", "u32"),
     "(AccountId32,u64)", b""),
    ("SubtensorModule", "SubnetLeaseUnpaidDividends", "Default", ("Twox64Concat", "u32"),
     "u64", b"\x00" * 8),
    ("SubtensorModule", "BasketClaimForfeitCapTao", "Default", None, "u64", b"\x00" * 8),
    ("SubtensorModule", "BasketClaimRowDustBps", "Default", None, "u16", b"\x00" * 2),
    ("SubtensorModule", "BasketClaimRowDustCapTao", "Default", None, "u64", b"\x00" * 8),
    ("SubtensorModule", "BasketClaimSliceDustTao", "Default", None, "u64", b"\x00" * 8),
    ("SubtensorModule", "BasketLiquidityUsed", "Default", ("Identity", "NetUid"), "(u64,u64)",
     b"\x00" * 16),
    ("SubtensorModule", "BasketMinTradeTao", "Default", None, "u64", b"\x00" * 8),
    ("Commitments", "TimelockRevealCursor", "Default", None, "u64", b"\x00" * 8),
]


def _text(value: str) -> bytes:
    data = value.encode()
    return encode_compact(len(data)) + data


class _Types:
    """Finds existing type ids and appends new ones (encoded as scale-info PortableTypes)."""

    def __init__(self, types: list[dict]) -> None:
        self.types = types
        self.next_id = max(t["id"] for t in types) + 1
        self.added: list[tuple[dict, bytes]] = []  # (JSON form, encoded PortableType)

    def _find(self, test) -> int | None:
        for t in self.types + [a for a, _ in self.added]:
            if test(t["type"]):
                return t["id"]
        return None

    def _add(self, path: list[str], definition: dict, encoded_def: bytes) -> int:
        type_id = self.next_id
        self.next_id += 1
        body = encode_compact(type_id) + encode_compact(len(path)) + \
            b"".join(_text(p) for p in path) + b"\x00" + encoded_def + b"\x00"
        self.added.append(({"id": type_id, "type": {"path": path, "def": definition}}, body))
        return type_id

    def primitive(self, name: str) -> int:
        found = self._find(lambda t: t["def"] == {"primitive": name})
        if found is None:
            found = self._add([], {"primitive": name}, b"\x05" + bytes([PRIMITIVES.index(name)]))
        return found

    def resolve(self, spec) -> int:
        if isinstance(spec, tuple) and spec[0] == "enum":
            _, path, names = spec
            variants = [{"name": n, "fields": [], "index": i, "docs": []}
                        for i, n in enumerate(names)]
            encoded = b"\x01" + encode_compact(len(names)) + b"".join(
                _text(n) + b"\x00" + bytes([i]) + b"\x00" for i, n in enumerate(names))
            existing = self._find(lambda t: t["path"] == path)
            return existing if existing is not None else \
                self._add(path, {"variant": {"variants": variants}}, encoded)
        if spec == "AccountId32":
            return self._find(lambda t: t["path"] == ["sp_core", "crypto", "AccountId32"])
        if spec == "NetUid":
            return self._find(lambda t: t["path"][-1:] == ["NetUid"])
        if spec.startswith("("):
            members = [self.resolve(m) for m in spec[1:-1].split(",")]
            found = self._find(lambda t: t["def"] == {"tuple": members})
            if found is None:
                encoded = b"\x04" + encode_compact(len(members)) + b"".join(
                    encode_compact(m) for m in members)
                found = self._add([], {"tuple": members}, encoded)
            return found
        return self.primitive(spec)


def _entry_bytes(name: str, modifier: str, key: tuple | None, key_type: int | None,
                 value_type: int, default: bytes) -> bytes:
    out = _text(name) + bytes([0 if modifier == "Optional" else 1])
    if key is None:
        out += b"\x00" + encode_compact(value_type)
    else:
        out += b"\x01" + encode_compact(1) + bytes([HASHERS.index(key[0])]) + \
            encode_compact(key_type) + encode_compact(value_type)
    return out + encode_compact(len(default)) + default + b"\x00"


def plan(types: list[dict]) -> tuple[_Types, list[tuple[str, str, dict, bytes]]]:
    """The types to add and, per entry, (pallet, name, its JSON form, its encoding)."""
    registry = _Types(types)
    entries = []
    for pallet, name, modifier, key, value, default in ENTRIES:
        key_type = registry.resolve(key[1]) if key else None
        value_type = registry.resolve(value)
        form = {"modifier": modifier, "hashers": [key[0]] if key else [], "key": key_type,
                "value": value_type, "default": "0x" + default.hex()}
        entries.append((pallet, name, form,
                        _entry_bytes(name, modifier, key, key_type, value_type, default)))
    return registry, entries


def extend(raw: bytes) -> bytes:
    """The metadata bytes (V14 "meta…", or V15 wrapped as Option<OpaqueMetadata>) with the
    entries added; items the runtime already has are left alone."""
    meta = read(raw)
    have = {p["name"]: p["storage"] for p in meta.pallets}
    registry, entries = plan(meta.types)
    entries = [e for e in entries if e[1] not in have.get(e[0], {})]
    splices = []  # (start, end, replacement), applied from the end of the blob
    for pallet in dict.fromkeys(e[0] for e in entries):
        begin, end, count = meta.storage_spans[pallet]
        added = [e[3] for e in entries if e[0] == pallet]
        _, body_at = _compact_end(raw, begin)
        splices.append((begin, end, encode_compact(count + len(added)) +
                        raw[body_at:end] + b"".join(added)))
    t_begin, t_end = meta.types_span
    _, t_body = _compact_end(raw, t_begin)
    splices.append((t_begin, t_end, encode_compact(len(meta.types) + len(registry.added)) +
                    raw[t_body:t_end] + b"".join(b for _, b in registry.added)))
    out = raw
    for start, end, replacement in sorted(splices, reverse=True):
        out = out[:start] + replacement + out[end:]
    magic = out.find(b"meta")
    if magic == 0:
        return out
    body = out[magic:]
    return b"\x01" + encode_compact(len(body)) + body  # Option<OpaqueMetadata>


def extend_data(data: dict) -> dict:
    """The extracted metadata JSON (`metadata._extract`'s form) with the same additions."""
    registry, entries = plan(data["types"])
    pallets = [dict(p, storage=dict(p["storage"])) for p in data["pallets"]]
    by_name = {p["name"]: p for p in pallets}
    for pallet, name, form, _ in entries:
        by_name[pallet]["storage"].setdefault(name, form)
    return {**data, "types": data["types"] + [a for a, _ in registry.added],
            "pallets": pallets}


def _compact_end(data: bytes, offset: int) -> tuple[int, int]:
    from chain.substrate.scale import decode_compact

    return decode_compact(data, offset)

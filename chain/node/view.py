"""The bundled chain seen as a Substrate node: block hashes, storage by SCALE key, SCALE
extrinsics included through the local runtime, and `System.Events` encoded per metadata.

It wraps the same `LocalChain` (the same SQLite file, the same runtime modules) that
`--network sandbox` uses. What the local chain does not keep, this adapter adds in one table of
its own in the same file, `node_extrinsics(hash, block, idx, raw)`: the SCALE bytes of every
extrinsic it included, so `chain_getBlock` returns them as submitted. Blocks are listed as a
spec-461 node builds them (`inherents`: two v5 bare inherents first), then every extrinsic of
the local block -- taoctl's own commands' too, re-encoded as v4 signed extrinsics -- at its true
index, and `System.Events` is encoded from the local events (metadata indices) per extrinsic.

Validity checks (refused with code 1010, nothing changed, not even the nonce): decodable call
known to the local runtime, metadata-hash mode Disabled, the era's birth block known, the
sr25519 signature over call ‖ extras ‖ additionals, the nonce. Then the nonce is bumped and the
call is dispatched with `chain.local.runtime.dispatch`; a DispatchError becomes
`System.ExtrinsicFailed` with the error's index from the metadata.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from chain.local import blocks
from chain.node import inherents
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.pallets import system
from chain.pallets.registry import REGISTRY
from chain.substrate.era import era_birth, era_decode
from chain.substrate.extrinsic import (
    DecodedExtrinsic,
    SigningContext,
    additional_bytes,
    decode_signed,
    verify_signature,
)
from chain.substrate.mapping import (
    encode_value,
    from_scale,
    key_from_scale,
    storage_key,
    to_scale,
)
from chain.substrate.metadata import Metadata
from chain.substrate.scale import ScaleError, encode_compact

_TABLE = """CREATE TABLE IF NOT EXISTS node_extrinsics (hash BLOB PRIMARY KEY,
    block INTEGER NOT NULL, idx INTEGER NOT NULL, raw BLOB NOT NULL, events BLOB)"""
TOKEN_ERRORS = ("FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate",
                "UnknownAsset", "Frozen", "Unsupported", "CannotCreateHold", "NotExpendable",
                "Blocked")
PLAIN_DISPATCH_ERRORS = ("Other", "CannotLookup", "BadOrigin", "ConsumerRemaining",
                         "NoProviders", "TooManyConsumers", "Exhausted", "Corruption",
                         "Unavailable", "RootNotAllowed")
DISPATCH_INFO = {"weight": {"ref_time": 0, "proof_size": 0}, "class": "Normal", "pays_fee": "Yes"}
MANDATORY_INFO = {"weight": {"ref_time": 0, "proof_size": 0}, "class": "Mandatory",
                  "pays_fee": "Yes"}
INHERENT_INFO = (MANDATORY_INFO, DISPATCH_INFO)  # Timestamp.set, MevShield.announce_next_key


class RpcError(Exception):
    """A JSON-RPC error reply: `code`, `message` and optional `data`."""

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(message)
        self.code, self.message, self.data = code, message, data

    def to_json(self) -> dict:
        out = {"code": self.code, "message": self.message}
        if self.data is not None:
            out["data"] = self.data
        return out


def invalid(reason: str) -> RpcError:
    """The error a Substrate node answers for an invalid transaction."""
    return RpcError(1010, "Invalid Transaction", reason)


@dataclass
class Included:
    """An extrinsic the node included: where, and whether its call succeeded."""

    block_number: int
    index: int
    hash: bytes
    success: bool
    error: str | None


class NodeView:
    """The Substrate face of one local chain file."""

    def __init__(self, chain: LocalChain, md: Metadata, *, serving: bool = True) -> None:
        """`serving=False`: a reader only (the sandbox's `runtime` command answers runtime
        APIs through it), which leaves the chain file untouched: no node table is made."""
        self.chain = chain
        self.md = md
        self.registry = REGISTRY
        self._numbers: dict[bytes, int] = {chain.genesis_hash: chain.genesis_number}
        if serving:
            chain.conn.execute(_TABLE)
            columns = {row[1] for row in
                       chain.conn.execute("PRAGMA table_info(node_extrinsics)")}
            if "events" not in columns:  # a file served by an earlier taoctl
                chain.conn.execute("ALTER TABLE node_extrinsics ADD COLUMN events BLOB")
        self.ctx = SigningContext(chain.genesis_hash, md.spec_version, md.transaction_version)

    @property
    def v15_raw(self) -> bytes:
        """`Metadata_metadata_at_version(15)`'s answer: the served runtime's V15 metadata."""
        from chain.substrate.metadata import served_v15

        return served_v15(self.md.spec_version)

    @property
    def apis(self) -> dict[str, dict]:
        """The runtime APIs of the V15 metadata: {"Api_method": {inputs, output}}."""
        from chain.substrate.metadata import v15_read

        return v15_read(self.md.spec_version).apis

    @property
    def api_registry(self):
        """The V15 type registry (runtime-API parameter and result types)."""
        from chain.substrate.metadata import v15_registry

        return v15_registry(self.md.spec_version)

    # blocks ---------------------------------------------------------------------------------
    def head_number(self) -> int:
        """The best (last sealed) block; the open block is not visible to clients."""
        return self.chain.open_number() - 1

    def block_hash(self, number: int | None = None) -> bytes | None:
        """Hash of a sealed block (block 0 answers the genesis hash, as clients expect)."""
        head = self.head_number()
        if number is None:
            number = head
        if number == 0 or number == self.chain.genesis_number:
            return self.chain.genesis_hash
        if number < self.chain.genesis_number or number > head:
            return None
        h = blocks.hash_at(self.chain.conn, number)
        if h is not None:
            self._numbers[h] = number
        return h

    def block_number(self, block_hash: bytes | None) -> int:
        """The number of a known block hash (None: the best block)."""
        if block_hash is None:
            return self.head_number()
        number = self._numbers.get(block_hash)
        if number is None:
            row = self.chain.conn.execute("SELECT number FROM blocks WHERE hash = ?",
                                          (block_hash,)).fetchone()
            if row is not None:
                number = row[0]
            else:  # an empty block inside a run: look back over recent blocks
                head = self.head_number()
                for n in range(head, max(self.chain.genesis_number, head - 4096) - 1, -1):
                    if blocks.hash_at(self.chain.conn, n) == block_hash:
                        number = n
                        break
            if number is None:
                raise RpcError(4003, f"Client error: UnknownBlock: Header was not found in the "
                                     f"local database: 0x{block_hash.hex()}")
            self._numbers[block_hash] = number
        return number

    def header(self, number: int) -> dict:
        h = self.block_hash(number)
        parent = self.block_hash(number - 1) if number > self.chain.genesis_number else bytes(32)
        xts = self.block_extrinsics(number)
        return {"parentHash": "0x" + (parent or bytes(32)).hex(), "number": hex(number),
                "stateRoot": "0x" + hashlib.blake2b(b"state" + (h or b""),
                                                    digest_size=32).hexdigest(),
                "extrinsicsRoot": "0x" + hashlib.blake2b(b"".join(xts),
                                                         digest_size=32).hexdigest(),
                "digest": {"logs": []}}

    def block_extrinsics(self, number: int) -> list[bytes]:
        """A block's extrinsics as a real node lists them: the two v5 bare inherents, then
        every signed extrinsic applied in it -- through this node or taoctl's own commands --
        at its index in the block (`inherents.COUNT` + its place in the local block)."""
        if number <= self.chain.genesis_number:
            return []  # the genesis block has no extrinsics
        out = inherents.of_block(self.md, number, self.chain.timestamp_of(number))
        for row in self._applied(number):
            out.append(self._scale_of(row, number))
        return out

    def _applied(self, number: int) -> list[tuple]:
        """The local `extrinsics` rows of a block, in index order."""
        return self.chain.conn.execute(
            "SELECT idx, hash, signer, nonce, call, signature, success, error, events "
            "FROM extrinsics WHERE block = ? ORDER BY idx", (number,)).fetchall()

    def _scale_of(self, row: tuple, number: int) -> bytes:
        """The SCALE bytes of an applied extrinsic: as submitted when it came through this
        node, else (taoctl's own commands sign their calls natively) a v4 signed extrinsic of
        the same signer, nonce, signature and call, tip-less, with the mortal era taoctl's client
signs with (so its length is the one its fee was charged for). A taoctl-only call
        the metadata lacks is shown as `System.remark(call JSON)`, so indices stay true."""
        found = self.chain.conn.execute("SELECT raw FROM node_extrinsics WHERE hash = ?",
                                        (row[1],)).fetchone()
        if found is not None:
            return bytes(found[0])
        from chain.remote.connection import DEFAULT_PERIOD
        from chain.substrate.era import era_encode
        from chain.substrate.extrinsic import SIGNED_V4, SR25519, extra_bytes

        signer, nonce, call_json, signature = bytes(row[2]), row[3], row[4], bytes(row[5])
        era = era_encode(DEFAULT_PERIOD, number)
        body = bytes([SIGNED_V4, 0]) + signer + bytes([SR25519]) + signature + \
            extra_bytes(self.md, era, nonce, 0) + self._native_call(call_json)
        return encode_compact(len(body)) + body

    def _native_call(self, call_json: str) -> bytes:
        from chain.local.calls import decode_args, lookup
        from chain.remote.backend import RemoteBackend

        pallet, name, args = json.loads(call_json)
        try:
            typed = decode_args(lookup(pallet, name), args)
            composer = RemoteBackend.__new__(RemoteBackend)
            composer.md = self.md
            return RemoteBackend.compose_call(composer, pallet, name, typed)
        except Exception:  # noqa: BLE001 - a call the metadata cannot carry: a remark
            return self.md.encode_call("System", "remark", {"remark": call_json.encode()})

    # storage --------------------------------------------------------------------------------
    def storage(self, key: bytes, number: int) -> bytes | None:
        """The SCALE value at a storage key (current state; System.Events of block `number`)."""
        found = self.md.item_of_key(key)
        if found is None:
            return self._ext_storage(key)
        pallet, name = found
        if (pallet, name) == ("System", "Events"):
            return self.events(number)
        if (pallet, name) == ("System", "Number"):
            return self.head_number().to_bytes(4, "little")
        if (pallet, name) == ("System", "BlockHash"):
            n = self.md.decode_key(pallet, name, key)
            h = self.block_hash(n[0]) if n else None
            return h
        item = self.registry.get(f"{pallet}.{name}")
        if item is None:
            return None
        parts = self.md.decode_key(pallet, name, key)
        with self.chain.reading() as state:
            if parts is None:  # a hasher we cannot reverse: find the entry by hashing keys
                for local_key, value in state.iter(item):
                    if storage_key(self.md, item, local_key) == key:
                        return encode_value(self.md, item, value)
                return None
            local_key = key_from_scale(item, parts)
            if self.md.storage(pallet, name)["modifier"] == "Optional" and \
                    not state.has(item, *local_key):
                return None
            try:
                return encode_value(self.md, item, state.get(item, *local_key))
            except (ScaleError, TypeError, ValueError, KeyError, AttributeError):
                return None  # a local shape the metadata type cannot take: the default

    def _ext_items(self) -> dict[bytes, Any]:
        """Local items the metadata lacks, by their 32-byte prefix."""
        from chain.substrate.hashing import storage_prefix

        return {storage_prefix(i.pallet, i.name): i for i in list(self.registry.values())
                if not self.md.has_storage(i.pallet, i.name)}

    def _ext_storage(self, key: bytes) -> bytes | None:
        from chain.substrate.mapping import ext_decode_key, ext_value

        item = self._ext_items().get(bytes(key[:32]))
        if item is None:
            return None
        local_key = () if len(key) == 32 and not item.keys else ext_decode_key(item, key)
        if local_key is None or not self._exists(item, local_key):
            return None
        with self.chain.reading() as state:
            return ext_value(item, state.get(item, *local_key))

    def _exists(self, item, key: tuple) -> bool:
        with self.chain.reading() as state:
            return state.has(item, *key)

    # history (histfees) ---------------------------------------------------------------------
    def at(self, number: int, block_hash: bytes | None = None) -> NodeView:
        """This view pinned at sealed block `number`: storage, keys and runtime APIs answer
        that block's state (chain.local.history); RpcError "State already discarded for ..."
        when it is no longer kept."""
        import copy

        from chain.local.chain import ChainAt
        from chain.local.history import StateDiscarded

        try:
            with self.chain.reading_at(number, block_hash):
                pass
        except StateDiscarded as exc:
            raise RpcError(4003, f"Client error: {exc}") from None
        pinned = copy.copy(self)
        pinned.chain = ChainAt(self.chain, number)  # type: ignore[assignment]
        return pinned

    def keys(self, prefix: bytes) -> list[bytes]:
        """Every storage key starting with `prefix`, sorted (served items only)."""
        out = []
        with self.chain.reading() as state:
            from chain.substrate.hashing import storage_prefix
            from chain.substrate.mapping import ext_key

            for _item_id, item in list(self.registry.items()):
                if not item.keys:
                    continue
                known = self.md.has_storage(item.pallet, item.name)
                head = storage_prefix(item.pallet, item.name)
                if not (head.startswith(prefix) or prefix.startswith(head)):
                    continue
                for local_key, _ in state.iter(item):
                    try:
                        full = storage_key(self.md, item, local_key) if known \
                            else ext_key(item, local_key)
                    except (TypeError, ValueError, ScaleError):
                        continue
                    if full.startswith(prefix):
                        out.append(full)
        return sorted(out)

    # events ---------------------------------------------------------------------------------
    def events(self, number: int) -> bytes:
        """`System.Events` of a block: its start-of-block events, the inherents' successes
        (class Mandatory), then each applied extrinsic's events under its true index."""
        records = []
        row = self.chain.conn.execute("SELECT events FROM blocks WHERE number = ?",
                                      (number,)).fetchone()
        if row is not None:
            for ev in json.loads(row[0]):
                encoded = self._event(ev, None)
                if encoded is not None:
                    records.append(self._record("Initialization", encoded))
        if number > self.chain.genesis_number:  # as recorded: Timestamp.set's class is
            for position, info in enumerate(INHERENT_INFO):  # Mandatory, the key's Normal
                records.append(self._record({"ApplyExtrinsic": position}, {"System": {
                    "ExtrinsicSuccess": {"dispatch_info": info}}}))
        for xt in self._applied(number):
            pallet = json.loads(xt[4])[0]
            for ev in json.loads(xt[8]):
                encoded = self._event(ev, pallet)
                if encoded is not None:
                    records.append(self._record({"ApplyExtrinsic": inherents.COUNT + xt[0]},
                                                encoded))
        total = sum(c for c, _ in records)
        return encode_compact(total) + b"".join(data for _, data in records)

    def _record(self, phase: Any, event: dict) -> tuple[int, bytes]:
        """(1, the SCALE EventRecord) of one event."""
        seq = self.md.registry.kind(self.md.events_type())[1]["type"]
        return 1, self.md.registry.encode(seq, {"phase": phase, "event": event, "topics": []})

    def _event(self, ev: dict, call_pallet: str | None) -> dict | None:
        """A local event as the metadata's RuntimeEvent value, or None if it has no match."""
        pallet, name, args = ev["pallet"], ev["name"], ev.get("args", {})
        if (pallet, name) == ("System", "ExtrinsicSuccess"):
            return {"System": {"ExtrinsicSuccess": {"dispatch_info": DISPATCH_INFO}}}
        if (pallet, name) == ("System", "ExtrinsicFailed"):
            return {"System": {"ExtrinsicFailed": {
                "dispatch_error": self.dispatch_error(args.get("error") or "Other",
                                                      call_pallet),
                "dispatch_info": DISPATCH_INFO}}}
        variant = self.md.event(pallet, name)
        if variant is None:
            return None
        fields = variant["fields"]
        try:
            if not fields:
                inner = name
            elif fields[0].get("name"):
                if any(f["name"] not in args for f in fields):
                    return None
                inner = {name: {f["name"]: to_scale(self.md, f["type"], args[f["name"]])
                                for f in fields}}
            else:
                values = list(args.values())
                if len(values) != len(fields):
                    return None
                inner = {name: [to_scale(self.md, f["type"], v)
                                for f, v in zip(fields, values, strict=True)]
                         if len(fields) > 1 else to_scale(self.md, fields[0]["type"], values[0])}
            value = {pallet: inner}
            self.md.registry.encode(self._runtime_event_type(), value)  # must encode
            return value
        except (ScaleError, TypeError, ValueError, KeyError):
            return None

    def _runtime_event_type(self) -> int:
        seq = self.md.registry.kind(self.md.events_type())[1]["type"]
        record = self.md.registry.kind(seq)[1]["fields"]
        return next(f["type"] for f in record if f["name"] == "event")

    def dispatch_error(self, name: str, call_pallet: str | None) -> Any:
        """A subtensor error name as the metadata's DispatchError value."""
        prefer = tuple(p for p in (call_pallet, "SubtensorModule", "Balances", "Swap") if p)
        found = self.md.module_error(name, prefer)
        if found is not None:
            return {"Module": {"index": found[0], "error": bytes([found[1], 0, 0, 0])}}
        if name in TOKEN_ERRORS:
            return {"Token": name}
        if name in PLAIN_DISPATCH_ERRORS:
            return name
        return "Other"

    # extrinsics -----------------------------------------------------------------------------
    def decode(self, raw: bytes) -> DecodedExtrinsic:
        try:
            return decode_signed(self.md, raw)
        except (ScaleError, IndexError) as exc:
            raise RpcError(1002, "Verification Error: Runtime error: Execution failed: "
                                 f"Could not decode the extrinsic: {exc}") from None

    def nonce(self, account: bytes) -> int:
        with self.chain.reading() as state:
            return state.get(system.ACCOUNT, account).nonce

    def include(self, raw: bytes) -> Included:
        """Validate, dispatch and record a SCALE extrinsic in the open block (no sealing)."""
        from chain.local.calls import decode_args, lookup
        from chain.local.errors import CallUnknown

        xt = self.decode(raw)
        if self.chain.conn.execute("SELECT 1 FROM node_extrinsics WHERE hash = ?",
                                   (xt.hash,)).fetchone():
            raise invalid("Transaction is outdated")  # already included
        if xt.mode != 0:
            raise invalid("Transaction has a bad signature (metadata-hash mode is not "
                          "supported by this node; use Disabled)")
        with self.chain.writing() as state:
            number = self.chain.open_number()
            birth_hash = self.chain.genesis_hash
            era = era_decode(xt.era)
            if era is not None:
                birth = era_birth(era[0], era[1], number)
                found = self.block_hash(birth) if birth < number else None
                if found is None:
                    raise invalid("Transaction has an ancient birth block")
                birth_hash = found
            if not verify_signature(xt, additional_bytes(self.md, self.ctx, birth_hash)):
                raise invalid("Transaction has a bad signature")
            info = state.get(system.ACCOUNT, xt.signer)
            if xt.nonce < info.nonce:
                raise invalid("Transaction is outdated")
            if xt.nonce > info.nonce:
                raise invalid("Transaction will be valid in the future")
            try:
                spec = lookup(xt.pallet, xt.name)
                args = decode_args(spec, self._local_args(spec, xt.args))
            except CallUnknown as exc:
                raise invalid(f"Transaction call is not expected ({exc})") from None
            call = Call(xt.pallet, xt.name, args)
            applied = self._apply_paying(state, xt, call, number)
            success, events = applied.success, applied.events
            error, message = applied.error, applied.message
            index = blocks.append_extrinsic(self.chain.conn, number, xt.hash, events)
            self.chain.conn.execute(
                "INSERT INTO extrinsics (block, idx, hash, signer, nonce, call, signature, "
                "success, error, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (number, index, xt.hash, xt.signer, xt.nonce, call.encode().decode(),
                 xt.signature, int(success), error, blocks.record_json(events)))
            self.chain.conn.execute(
                "INSERT INTO node_extrinsics (hash, block, idx, raw) VALUES (?, ?, ?, ?)",
                (xt.hash, number, index, xt.raw))
        position = inherents.COUNT + index
        return Included(number, position, xt.hash, success, error if not success else message)

    def _apply_paying(self, state, xt: DecodedExtrinsic, call: Call, number: int):
        """Charge the fee of the extrinsic's real length and tip, bump the nonce, dispatch
        (`runtime.apply_validated`, histfees); a fee it cannot pay refuses it (1010)."""
        from chain.local.runtime import apply_validated
        from chain.local.transaction_payment import CannotPayFees

        try:
            return apply_validated(state, xt.signer, call, len(xt.raw), number, xt.tip)
        except CannotPayFees:
            raise invalid("Inability to pay some fees (e.g. account balance too low)") from None

    def _local_args(self, spec, args: dict) -> dict:
        """SCALE call arguments in the local call table's shapes (MultiAddress -> account)."""
        out = {}
        for name, value in args.items():
            kind = spec.params.get(name, "json")
            if kind == "AccountId" and isinstance(value, dict):
                if set(value) != {"Id"}:
                    from chain.local.errors import CallUnknown

                    raise CallUnknown(f"{spec.pallet}.{spec.name}({name}): only account ids")
                value = value["Id"]
            out[name] = from_scale(kind, value) if kind != "json" else value
        return out

    def seal(self) -> int:
        """Seal the open block and open the next; returns the sealed block's number."""
        result = self.chain.advance(1)
        return result.from_block

    # runtime version ------------------------------------------------------------------------
    def runtime_version(self) -> dict:
        v = self.md.version
        return {"specName": v["spec_name"], "implName": v["impl_name"],
                "authoringVersion": v["authoring_version"], "specVersion": v["spec_version"],
                "implVersion": v["impl_version"],
                "apis": [["0x" + bytes(a).hex(), ver] for a, ver in v["apis"]],
                "transactionVersion": v["transaction_version"],
                "stateVersion": v.get("state_version", v.get("system_version", 1))}

    def runtime_version_scale(self) -> bytes:
        c = self.md.pallet("System")["constants"]["Version"]
        return bytes.fromhex(c["value"][2:])


def opaque(data: bytes) -> bytes:
    """A Vec<u8> (OpaqueMetadata) encoding."""
    return encode_compact(len(data)) + data

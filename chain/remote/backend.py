"""`RemoteBackend`: the `ChainBackend` contract over one node -- reads, the typed reads of
`RemoteQueries`, composing, signing and submitting calls, receipts with decoded events and
errors. Sandbox-only operations do not exist here: asking for one is an AttributeError, and
the CLI checks for the sandbox contract (`chain.factory.sandbox`) before it asks."""

from __future__ import annotations

from typing import Any

from chain.backend import BlockInfo, Call, Receipt, RuntimeAnswer, RuntimeMethod, Signed, Signer
from chain.remote.connection import _rpc
from chain.remote.errors import NodeTimeout, NodeUnreachable, RemoteError, RemoteRefused
from chain.remote.items import Undeclared, declared
from chain.remote.queries import RemoteQueries

INCLUSION_TIMEOUT_S = 120.0
SHIELD_PERIOD = 8  # both real clients sign carrier and inner with a mortal era of 8 blocks
SHIELD_WAIT_BLOCKS = 2  # btcli looks for the inner extrinsic in the carrier's block and 2 more
_CATALOGUES: dict[tuple, Any] = {}  # (genesis hash, spec version) -> RuntimeCatalogue
SHIELD_MISSING = "ShieldedInnerNotIncluded"  # the receipt's error when only the carrier landed
# the stake trades and subnet creations btcli v11 and the 11.3 SDK shield by default
SHIELDED_CALLS = frozenset(("SubtensorModule", name) for name in (
    "add_stake", "add_stake_limit", "remove_stake", "remove_stake_limit",
    "remove_stake_full_limit", "unstake_all", "unstake_all_alpha", "move_stake",
    "move_stake_limit", "transfer_stake", "swap_stake", "swap_stake_limit", "register_network",
    "register_network_with_identity"))


def call_hex(pallet: str, name: str, args: dict, backend: Any = None) -> str:
    """"0x" hex of the SCALE-encoded call (what `--dry-run` prints), per the backend's runtime
    metadata, or the recorded finney metadata for the sandbox. Accounts are 32 bytes."""
    if isinstance(backend, RemoteBackend):
        return "0x" + backend.compose_call(pallet, name, args).hex()
    from chain.substrate import metadata as m

    offline = RemoteBackend.__new__(RemoteBackend)
    offline.md = m.recorded()
    return "0x" + RemoteBackend.compose_call(offline, pallet, name, args).hex()


class RemoteBackend(RemoteQueries):
    """The `ChainBackend` over one node."""

    def __init__(self, url: str, substrate: Any, md: Any, facts: dict, *, name: str,
                 timeout: float, period: int) -> None:
        self.url = url
        self.network = name
        self.substrate = substrate
        self.md = md
        self.facts = facts
        self.timeout = timeout
        self.period = period
        self.registry = declared()
        self.genesis_hash = bytes.fromhex(facts["genesis_hash"][2:])
        self.mev_shield = True  # `--no-mev-shield` turns it off
        self._inner: dict[bytes, bytes] = {}  # carrier bytes -> its signed inner extrinsic

    def rpc(self, method: str, params: list) -> Any:
        from chain.remote.wsrpc import RpcReplyError

        try:
            return _rpc(self.substrate, self.url, method, params, self.timeout)
        except RpcReplyError as exc:
            detail = exc.args[0] if exc.args else {}
            if isinstance(detail, dict) and detail.get("code") in (1010, 1002, 1011, 1012):
                raise RemoteRefused(f"the node refused the extrinsic: "
                                    f"{detail.get('message')}: {detail.get('data')}") from None
            error = RemoteError(f"{self.url} answered {method} with an error: {detail}")
            error.detail = detail
            raise error from None

    def close(self) -> None:
        """The connection stays cached for the rest of the process."""

    def at(self, block: int) -> RemoteBackend:
        """Reads at sealed block `block` (an archive node's state; `chain.remote.at_block`)."""
        from chain.remote.at_block import pinned

        return pinned(self, block)

    def account_operations(self, account: bytes, first: int, last: int,
                           progress: Any = None) -> list[dict]:
        """Read from the node's blocks first..last (`chain.remote.scan`)."""
        from chain.remote.scan import account_operations

        return account_operations(self, account, first, last, progress)

    # reads ----------------------------------------------------------------------------------
    def _item(self, item_id: str) -> Any:
        item = self.registry.get(item_id)
        if item is None:
            pallet, _, name = item_id.partition(".")
            entry = self.md.storage(pallet, name)
            item = Undeclared(pallet, name, tuple("json" for _ in self.md.key_types(entry)))
        return item

    def _known(self, item) -> bool:
        """True when the runtime's metadata has the item (else it is an extension item)."""
        return self.md.has_storage(item.pallet, item.name)

    def _key(self, item, key: tuple) -> bytes:
        from chain.substrate.mapping import ext_key, storage_key

        if not self._known(item):
            return ext_key(item, key)
        return storage_key(self.md, item, key)

    def _decode(self, item, data: bytes | None) -> Any:
        from chain.substrate.mapping import decode_value, ext_decode_value

        if not self._known(item):
            return item.default if data is None else ext_decode_value(item, data)
        if data is None:  # no entry: what the runtime modules expect a missing entry to be
            if item.id in self.registry:
                return item.default
            entry = self.md.storage(item.pallet, item.name)
            if entry["modifier"] == "Optional":
                return None
            data = self.md.storage_default(item.pallet, item.name)
        return decode_value(self.md, item, data)

    def head(self) -> tuple[int, str]:
        """(number, hash) of the best block."""
        header = self.rpc("chain_getHeader", [])
        head_hash = self.rpc("chain_getBlockHash", [int(header["number"], 16)])
        return int(header["number"], 16), head_hash

    def block_info(self) -> BlockInfo:
        number, head_hash = self.head()
        now = self.read("Timestamp.Now") if "Timestamp.Now" in self.registry else 0
        return BlockInfo(number + 1, int(now) + 12_000, number, bytes.fromhex(head_hash[2:]),
                         self.genesis_hash, 0)

    def read(self, item: str, *key: Any) -> Any:
        declared = self._item(item)
        raw = self.rpc("state_getStorage", ["0x" + self._key(declared, key).hex()])
        return self._decode(declared, None if raw is None else bytes.fromhex(raw[2:]))

    def read_many(self, item: str, keys: list[tuple]) -> list[Any]:
        declared = self._item(item)
        hexkeys = ["0x" + self._key(declared, tuple(k)).hex() for k in keys]
        if not hexkeys:
            return []
        changes = {}
        for block in self.rpc("state_queryStorageAt", [hexkeys]) or []:
            for k, v in block.get("changes", []):
                changes[k] = v
        return [self._decode(declared, None if changes.get(k) is None
                             else bytes.fromhex(changes[k][2:])) for k in hexkeys]

    def iter(self, item: str) -> list[tuple[tuple, Any]]:
        """Every entry of a map item (keys decoded), read page by page."""
        from chain.substrate.hashing import storage_prefix
        from chain.substrate.mapping import ext_decode_key, key_from_scale

        declared = self._item(item)
        prefix = "0x" + storage_prefix(declared.pallet, declared.name).hex()
        keys, start = [], None
        while True:
            page = self.rpc("state_getKeysPaged", [prefix, 1000, start])
            keys += page
            if len(page) < 1000:
                break
            start = page[-1]
        values = self.read_raw(keys)
        out = []
        for k, v in zip(keys, values, strict=True):
            raw_key = bytes.fromhex(k[2:])
            if not self._known(declared):
                local_key = ext_decode_key(declared, raw_key)
                if local_key is not None:
                    out.append((local_key, self._decode(declared, v)))
                continue
            parts = self.md.decode_key(declared.pallet, declared.name, raw_key)
            if parts is None:
                continue
            out.append((key_from_scale(declared, parts), self._decode(declared, v)))
        return out

    def read_raw(self, hexkeys: list[str]) -> list[bytes | None]:
        out = []
        for i in range(0, len(hexkeys), 500):
            chunk = hexkeys[i:i + 500]
            changes = {}
            for block in self.rpc("state_queryStorageAt", [chunk]) or []:
                changes.update({k: v for k, v in block.get("changes", [])})
            out += [None if changes.get(k) is None else bytes.fromhex(changes[k][2:])
                    for k in chunk]
        return out

    def runtime_call(self, api_method: str, params: bytes = b"") -> bytes:
        """`state_call` of a runtime API; the raw SCALE result."""
        result = self.rpc("state_call", [api_method, "0x" + params.hex()])
        return bytes.fromhex(result[2:])

    # -- issue 15 (hatch): runtime APIs by name, per the node's own V15 metadata ---------------
    def runtime_catalogue(self) -> Any:
        """The node's runtime APIs (`Metadata_metadata_at_version(15)`, read once per
        process and runtime)."""
        from chain.substrate.metadata_reader import read
        from chain.substrate.runtime_calls import RuntimeCallFailed, RuntimeCatalogue
        from chain.substrate.scale import ScaleError

        key = (self.facts["genesis_hash"], self.facts["spec_version"])
        found = _CATALOGUES.get(key)
        if found is None:
            try:
                raw = self.runtime_call("Metadata_metadata_at_version",
                                        (15).to_bytes(4, "little"))
            except RemoteError as exc:
                if type(exc) is not RemoteError:  # unreachable, timeout, state discarded
                    raise
                raw = b""  # a runtime older than the V15 metadata API
            if not raw or raw[0] == 0:
                raise RuntimeCallFailed(f"{self.url} offers no V15 metadata: its runtime APIs "
                                        "and their types are unknown")
            try:
                found = RuntimeCatalogue(read(raw), self.md.ss58_prefix)
            except ScaleError as exc:
                raise RuntimeCallFailed(f"{self.url}'s V15 metadata does not read: {exc}"
                                        ) from None
            _CATALOGUES[key] = found
        return found

    def runtime_methods(self) -> list[RuntimeMethod]:
        return self.runtime_catalogue().methods()

    def runtime_api(self, api: str, method: str, args: list[str]) -> RuntimeAnswer:
        """`state_call` with the arguments encoded per the node's V15 metadata; the answer
        decoded with the method's output type."""
        from chain.substrate.runtime_calls import failure

        def run(name: str, params: bytes) -> bytes:
            try:
                return self.runtime_call(name, params)
            except RemoteError as exc:
                if type(exc) is not RemoteError:  # unreachable, timeout, state discarded
                    raise
                detail = exc.detail
                message = detail.get("message", detail) if isinstance(detail, dict) else \
                    (detail if detail is not None else str(exc).partition("with an error: ")[2])
                raise failure(name, str(message)) from None

        return self.runtime_catalogue().answer(api, method, args, run)

    # writes ---------------------------------------------------------------------------------
    def compose_call(self, pallet: str, name: str, args: dict) -> bytes:
        """The SCALE bytes of a call (local argument shapes: accounts as 32 bytes)."""
        _, variant = self.md.call(pallet, name)
        scale_args = {}
        for f in variant["fields"]:
            if f["name"] not in args:
                continue
            scale_args[f["name"]] = self._arg(f["type"], args[f["name"]])
        return self.md.encode_call(pallet, name, {**args, **scale_args})

    def _arg(self, type_id: int, value: Any) -> Any:
        from chain.substrate.mapping import to_scale

        path = self.md.registry.types[type_id].get("path") or []
        if path and path[-1] == "MultiAddress" and isinstance(value, (bytes, bytearray)):
            return {"Id": bytes(value)}
        if isinstance(value, dict) and set(value) == {"pallet", "name", "args"}:  # proxyhatch
            return self._nested_call(value)
        return to_scale(self.md, type_id, value)

    def _nested_call(self, call: dict) -> dict:
        """A call inside a call (Proxy.proxy's `call`), as the RuntimeCall enum's value:
        {Pallet: {name: {field: value}}}, each field converted by its own type."""
        _, variant = self.md.call(call["pallet"], call["name"])
        fields = {f["name"]: self._arg(f["type"], call["args"][f["name"]])
                  for f in variant["fields"] if f["name"] in call["args"]}
        return {call["pallet"]: {call["name"]: fields}}

    def build_call(self, pallet: str, name: str, args: dict[str, Any]) -> Call:
        """The call, checked against the runtime's metadata (MetadataError if it has none)."""
        self.md.call(pallet, name)
        return Call(pallet, name, dict(args))

    def call_data(self, call: Call) -> bytes:
        return self.compose_call(call.pallet, call.name, call.args)

    def estimate_fee(self, origin: bytes, call: Call) -> int:
        """`TransactionPaymentApi.query_info`'s partial fee of the extrinsic `sign` will send,
        signed by a placeholder key of the same shape (mortal era, the origin's next nonce):
        the fee depends on the call and the extrinsic's length, not on the signature. A
        shielded call pays for two extrinsics: its inner one and the carrier of its
        ciphertext."""
        from chain.shield import ciphertext_len

        nonce = self.nonce(bytes(origin))
        data = self.call_data(call)
        if not self.shields(call):
            return self._query_fee(origin, data, nonce, self.period)
        inner = self._placeholder(origin, data, nonce + 1, SHIELD_PERIOD)
        carrier = self.compose_call("MevShield", "submit_encrypted",
                                    {"ciphertext": bytes(ciphertext_len(len(inner)))})
        return self._query_fee(origin, data, nonce + 1, SHIELD_PERIOD) + \
            self._query_fee(origin, carrier, nonce, SHIELD_PERIOD)

    def fee_payment(self, origin: bytes, call: Call) -> dict:
        """The fee and who pays it (`chain.rules.fee_payer`, over the node's state). A shielded
        call's carrier is no staking call: it pays in TAO only, so when TAO cannot pay the
        whole the shielded submission cannot be paid (in the clear, alpha may pay)."""
        from chain.rules import fee_payer

        fee = self.estimate_fee(origin, call)
        if self.shields(call) and not fee_payer.can_pay_in_tao(self, origin, fee):
            return {"fee_rao": fee, "fee_payer": "none",
                    "fee_why": "Inability to pay some fees: the MEV shield's carrier pays its "
                               "fee in TAO only (send it in the clear with --no-mev-shield to "
                               "let the position's alpha pay)"}
        return fee_payer.payment_json(self, origin, call.id, call.args, fee)

    def _placeholder(self, origin: bytes, data: bytes, nonce: int, period: int) -> bytes:
        from chain.substrate.era import era_encode
        from chain.substrate.extrinsic import SigningContext, build_signed

        class _Placeholder:
            public_key = bytes(origin)

            def sign(self, message: bytes) -> bytes:
                return bytes(64)

        ctx = SigningContext(self.genesis_hash, self.facts["spec_version"],
                             self.facts["transaction_version"])
        return build_signed(self.md, _Placeholder(), data, ctx, nonce=nonce,
                            era=era_encode(period, 0), birth_hash=self.genesis_hash)

    def _query_fee(self, origin: bytes, data: bytes, nonce: int, period: int) -> int:
        xt = self._placeholder(origin, data, nonce, period)
        try:
            raw = self.runtime_call("TransactionPaymentApi_query_info",
                                    xt + len(xt).to_bytes(4, "little"))
        except RemoteError:
            return 0
        return int.from_bytes(raw[-8:], "little") if len(raw) >= 8 else 0  # partial_fee: u64

    def shields(self, call: Call) -> bool:
        """True when `call` goes through the MEV shield: on, a stake trade or subnet creation,
        and a runtime with the MevShield pallet."""
        if not self.mev_shield or (call.pallet, call.name) not in SHIELDED_CALLS:
            return False
        from chain.substrate.metadata import MetadataError

        try:
            self.md.call("MevShield", "submit_encrypted")
        except MetadataError:
            return False
        return self.md.has_storage("MevShield", "NextKey")

    def next_key(self) -> bytes:
        """`MevShield.NextKey` at the best block (what the clients encrypt to)."""
        from chain.substrate.scale import decode_compact

        key = self.md.storage_key("MevShield", "NextKey", [])
        raw = self.rpc("state_getStorage", ["0x" + key.hex()])
        if raw is None:
            raise RemoteRefused("the node's MevShield has no NextKey yet: retry in a block, or "
                                "submit in the clear with --no-mev-shield")
        data = bytes.fromhex(raw[2:])
        size, at = decode_compact(data, 0)
        return data[at:at + size]

    def sign(self, signer: Signer, call: Call) -> Signed:
        """Sign with the node's next nonce and a mortal era of `period` blocks; a shielded
        call (`shields`) is signed at nonce n+1, encrypted to `MevShield.NextKey` and carried
        by `submit_encrypted` signed at nonce n (NODE-461 §3.2-3.3). Nonces come from the
        node every time, so none is reused after a shielded submission."""
        data = self.call_data(call)
        nonce = self.nonce(bytes(signer.public_key))
        if not self.shields(call):
            return Signed(call, bytes(signer.public_key),
                          self._signed(signer, data, nonce, self.period))
        from chain.shield import encrypt

        inner = self._signed(signer, data, nonce + 1, SHIELD_PERIOD)
        carrier_call = self.compose_call("MevShield", "submit_encrypted",
                                         {"ciphertext": encrypt(self.next_key(), inner)})
        carrier = self._signed(signer, carrier_call, nonce, SHIELD_PERIOD)
        self._inner[carrier] = inner
        return Signed(call, bytes(signer.public_key), carrier)

    def _signed(self, signer: Signer, data: bytes, nonce: int, period: int) -> bytes:
        from chain.substrate.era import era_birth, era_decode, era_encode
        from chain.substrate.extrinsic import SigningContext, build_signed

        number, _ = self.head()
        era = era_encode(period, number)
        period, phase = era_decode(era)  # type: ignore[misc]  # a mortal era
        birth_hash = self.rpc("chain_getBlockHash", [era_birth(period, phase, number)])
        ctx = SigningContext(self.genesis_hash, self.facts["spec_version"],
                             self.facts["transaction_version"])
        return build_signed(self.md, signer, data, ctx, nonce=nonce, era=era,
                            birth_hash=bytes.fromhex(birth_hash[2:]))

    def submit(self, signed: Signed) -> Receipt:
        """Submit and watch until the extrinsic is in a block; its receipt. For a shielded
        call, the receipt of the inner extrinsic (with the carrier's fee added), or, when the
        carrier landed but its inner extrinsic is not in its block or the next two, a failed
        receipt of the carrier whose error is `ShieldedInnerNotIncluded`."""
        inner = self._inner.pop(signed.payload, None)
        block_hash = self._submit_and_watch(signed.payload)
        carrier = self._receipt(signed.payload, block_hash)
        if inner is None:
            return carrier
        from dataclasses import replace

        from chain.substrate.hashing import blake2_256

        found = self._find(inner, carrier.block_number)
        if found is None:
            return replace(carrier, success=False, error=SHIELD_MISSING, message=(
                f"the MEV shield carrier landed ({carrier.extrinsic_id}, its fee "
                f"{carrier.fee_rao} rao paid) but its inner extrinsic 0x"
                f"{blake2_256(inner).hex()} is not in blocks {carrier.block_number}.."
                f"{carrier.block_number + SHIELD_WAIT_BLOCKS}: the call was not executed"))
        receipt = self._receipt(inner, found)
        return replace(receipt, fee_rao=receipt.fee_rao + carrier.fee_rao)

    def _find(self, raw: bytes, first: int) -> str | None:
        """The hash of the block among `first`..`first`+2 that holds extrinsic `raw`."""
        from chain.substrate.hashing import blake2_256

        wanted = blake2_256(raw)
        for number in range(first, first + SHIELD_WAIT_BLOCKS + 1):
            block_hash = self.rpc("chain_getBlockHash", [number])
            if block_hash is None:
                return None  # not produced (yet): the node authors as it applies
            block = self.rpc("chain_getBlock", [block_hash])["block"]
            if any(blake2_256(bytes.fromhex(x[2:])) == wanted for x in block["extrinsics"]):
                return block_hash
        return None

    def submit_call(self, signer: Signer, pallet: str, name: str, args: dict) -> Receipt:
        return self.submit(self.sign(signer, self.build_call(pallet, name, args)))

    def _submit_and_watch(self, raw: bytes) -> str:
        import time

        from websocket import WebSocketException, WebSocketTimeoutException

        from chain.remote.wsrpc import RpcReplyError

        deadline = time.monotonic() + INCLUSION_TIMEOUT_S
        found: dict = {}

        def handler(message: dict, update_nr: int, sub: str) -> Any:
            result = message.get("params", {}).get("result")
            if isinstance(result, dict):
                for state in ("inBlock", "finalized"):
                    if state in result:
                        found["hash"] = result[state]
                        self.substrate.rpc_request("author_unwatchExtrinsic", [sub])
                        return result
                for state in ("dropped", "invalid", "usurped"):
                    if state in result:
                        return {"failed": state}
            elif result in ("dropped", "invalid"):
                return {"failed": result}
            if time.monotonic() > deadline:
                return {"failed": "timeout"}
            return None

        sock = getattr(self.substrate, "websocket", None)
        try:
            if sock is not None:
                sock.settimeout(INCLUSION_TIMEOUT_S)
            outcome = self.substrate.rpc_request("author_submitAndWatchExtrinsic",
                                                 ["0x" + raw.hex()], result_handler=handler)
        except RpcReplyError as exc:
            detail = exc.args[0] if exc.args else {}
            if isinstance(detail, dict):
                raise RemoteRefused(f"the node refused the extrinsic: {detail.get('message')}"
                                    f"{': ' + str(detail['data']) if detail.get('data') else ''}"
                                    ) from None
            raise RemoteRefused(f"the node refused the extrinsic: {detail}") from None
        except (WebSocketTimeoutException, TimeoutError):
            raise NodeTimeout(f"the extrinsic was not included within {INCLUSION_TIMEOUT_S:g} s"
                              ) from None
        except (WebSocketException, OSError) as exc:
            raise NodeUnreachable(f"lost the connection to {self.url}: {exc}") from None
        finally:
            if sock is not None:
                sock.settimeout(self.timeout)
        if "hash" not in found:
            raise RemoteRefused(f"the extrinsic was {outcome.get('failed', 'not included')}")
        return found["hash"]

    def _receipt(self, raw: bytes, block_hash: str) -> Receipt:
        from chain.substrate.hashing import blake2_256

        xt_hash = blake2_256(raw)
        block = self.rpc("chain_getBlock", [block_hash])["block"]
        number = int(block["header"]["number"], 16)
        index = next((i for i, x in enumerate(block["extrinsics"])
                      if blake2_256(bytes.fromhex(x[2:])) == xt_hash), None)
        if index is None:
            raise RemoteError(f"the extrinsic is not in block {block_hash}")
        events = self.events_at(block_hash, index)
        success, error, message, fee = self.outcome(events)
        return Receipt(success, number, index, xt_hash, events, error, message, fee)

    def outcome(self, events: list[dict]) -> tuple[bool, str | None, str | None, int]:
        """(success, error name, message, fee rao) of an extrinsic from its own events."""
        success = any(e["pallet"] == "System" and e["name"] == "ExtrinsicSuccess"
                      for e in events)
        error = message = None
        for e in events:
            if e["pallet"] == "System" and e["name"] == "ExtrinsicFailed":
                error, message = self.error_name(e["args"]["dispatch_error"])
        fee = sum(int(e["args"].get("actual_fee", 0)) for e in events
                  if e["pallet"] == "TransactionPayment" and e["name"] == "TransactionFeePaid")
        return success, error, message, fee

    def events_at(self, block_hash: str, index: int | None = None) -> list[dict]:
        """The block's events as {"pallet", "name", "args"} (only extrinsic `index`'s if given)."""
        return [event for phase, event in self._event_records(block_hash)
                if index is None or phase == {"ApplyExtrinsic": index}]

    def events_by_extrinsic(self, block_hash: str) -> dict[int, list[dict]]:
        """The block's events of each extrinsic, by its index (one read of `System.Events`)."""
        out: dict[int, list[dict]] = {}
        for phase, event in self._event_records(block_hash):
            if isinstance(phase, dict) and "ApplyExtrinsic" in phase:
                out.setdefault(phase["ApplyExtrinsic"], []).append(event)
        return out

    def _event_records(self, block_hash: str) -> list[tuple[Any, dict]]:
        """(phase, {"pallet", "name", "args"}) of each of the block's event records."""
        key = self.md.storage_key("System", "Events", [])
        raw = self.rpc("state_getStorage", ["0x" + key.hex(), block_hash])
        if raw is None:
            return []
        records = self.md.registry.decode_all(self.md.events_type(), bytes.fromhex(raw[2:]))
        out = []
        for record in records:
            (pallet, inner), = record["event"].items()
            if isinstance(inner, str):
                name, args = inner, {}
            else:
                (name, args), = inner.items()
            out.append((record["phase"], {"pallet": pallet, "name": name,
                                          "args": args if isinstance(args, dict)
                                          else {"value": args}}))
        return out

    def error_name(self, dispatch_error: Any) -> tuple[str, str]:
        """(error name, message) of a decoded DispatchError (`decode_refusal`'s typed class)."""
        from chain.remote.errors import decode_refusal

        refusal = decode_refusal(self.md, dispatch_error)
        return refusal.name, str(refusal)

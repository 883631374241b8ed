"""The `ChainBackend` seam over a real Substrate node (finney, test, a local subtensor, or
`taoctl node serve`), through substrate-interface's websocket transport.

- Connecting: `open_remote(url)` connects with a timeout (10 s by default), checks that the
  peer is a Substrate node running subtensor (`state_getRuntimeVersion` spec name, and the
  genesis hash for finney), and loads the runtime's metadata: the recorded one when the spec
  version matches, else the node's own (`state_getMetadata`, cached on disk by hash). The
  connection and metadata are cached per process and URL.
- Reading: storage items by subtensor's names, keys and values mapped per metadata
  (`chain.node.mapping`), so a command reads a pool the same way from the sandbox and finney.
  A missing entry reads as the metadata's default.
- Writing: `submit_call` composes the call from the metadata, signs it with the seam's
  `Signer` (mortal era, `period` blocks, 16 by default), submits with
  `author_submitAndWatchExtrinsic`, waits for inclusion and returns a `Receipt` with the
  extrinsic's events and the decoded module error name (e.g. `SlippageTooHigh`).
- `dry_run` runs the bundled runtime's own call over a read-through view of the node's state
  (`RemoteState`): the same refusals as the sandbox, judged on the real chain's values.
- `compose_call` gives the SCALE call bytes (`--dry-run` prints them as hex).

Errors are domain exceptions with exit code 5 (unreachable, timeout, not a Substrate node,
unexpected chain) and clear one-line messages.
"""

from __future__ import annotations

import threading
from typing import Any

from chain.backend import BlockInfo, Receipt

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_PERIOD = 16
INCLUSION_TIMEOUT_S = 120.0
FINNEY_GENESIS = "0x2f0555cc76fc2840a25a6ea3b9637146806f1f44b090c175ffde2a7e5ab36c03"
EXPECTED_GENESIS = {"finney": FINNEY_GENESIS}


class RemoteError(Exception):
    """Base of the remote backend's errors: the node cannot be used."""

    name = "RemoteError"
    exit_code = 5


class NodeUnreachable(RemoteError):
    name = "NodeUnreachable"


class NodeTimeout(RemoteError):
    name = "NodeTimeout"


class NotASubstrateNode(RemoteError):
    name = "NotASubstrateNode"


class UnexpectedChain(RemoteError):
    name = "UnexpectedChain"


class RemoteRefused(RemoteError):
    """The node refused the extrinsic (e.g. 1010 Invalid Transaction); nothing changed."""

    name = "InvalidTransaction"
    exit_code = 4


class SandboxOnly(RemoteError):
    """A sandbox-only operation asked of a real node."""

    name = "SandboxOnly"


class UnsupportedQuery(RemoteError, ValueError):
    """A runtime query only the bundled chain answers (callers fall back to storage reads)."""

    name = "UnsupportedQuery"
    exit_code = 2


LOCAL_QUERIES = ("pool", "subnet", "subnets", "hyperparameters", "neurons", "burn_cost",
                 "price_history", "quote")
_CACHE: dict[str, tuple[Any, Any, dict]] = {}  # url -> (substrate, metadata, facts)
_LOCK = threading.Lock()


def _connect(url: str, timeout: float):
    """A SubstrateInterface over a websocket, or a clear RemoteError."""

    from substrateinterface import SubstrateInterface
    from websocket import (
        WebSocketBadStatusException,
        WebSocketException,
        WebSocketTimeoutException,
    )

    try:
        return SubstrateInterface(url=url, ws_options={"timeout": timeout},
                                  type_registry={"types": {"Balance": "u64"}},
                                  auto_discover=False, use_remote_preset=False,
                                  auto_reconnect=False)
    except (TimeoutError, WebSocketTimeoutException):
        raise NodeTimeout(f"no answer from {url} within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise NodeUnreachable(f"cannot connect to {url}: connection refused (is a node "
                              "running there?)") from None
    except WebSocketBadStatusException as exc:
        raise NotASubstrateNode(f"{url} is not a Substrate node: the websocket handshake "
                                f"failed ({str(exc).splitlines()[0]})") from None
    except (OSError, WebSocketException, ValueError) as exc:
        raise NodeUnreachable(f"cannot connect to {url}: {exc}") from None


def _rpc(substrate, url: str, method: str, params: list, timeout: float) -> Any:
    """One JSON-RPC request; transport problems become RemoteErrors."""

    from substrateinterface.exceptions import SubstrateRequestException
    from websocket import WebSocketException, WebSocketTimeoutException

    try:
        reply = substrate.rpc_request(method, params)
    except SubstrateRequestException:
        raise
    except (WebSocketTimeoutException, TimeoutError):
        raise NodeTimeout(f"{url} did not answer {method} within {timeout:g} s") from None
    except (WebSocketException, OSError, ValueError) as exc:
        raise NodeUnreachable(f"lost the connection to {url} during {method}: {exc}") from None
    if not isinstance(reply, dict) or "result" not in reply:
        raise NotASubstrateNode(f"{url} answered {method} with something that is not "
                                "JSON-RPC")
    return reply["result"]


def open_remote(url: str, *, name: str | None = None, timeout: float = DEFAULT_TIMEOUT_S,
                period: int = DEFAULT_PERIOD) -> RemoteBackend:
    """A backend over the node at `url` (connection and metadata cached per process)."""
    with _LOCK:
        cached = _CACHE.get(url)
        if cached is None:
            cached = _handshake(url, name, timeout)
            _CACHE[url] = cached
    substrate, md, facts = cached
    return RemoteBackend(url, substrate, md, facts, name=name or url, timeout=timeout,
                         period=period)


def forget(url: str) -> None:
    """Close and drop the cached connection to `url` (tests; long-lived processes)."""
    with _LOCK:
        cached = _CACHE.pop(url, None)
    if cached is not None:
        try:
            cached[0].close()
        except Exception:  # noqa: BLE001 - closing a dead socket is fine
            pass


def _handshake(url: str, name: str | None, timeout: float) -> tuple[Any, Any, dict]:
    from substrateinterface.exceptions import SubstrateRequestException

    from chain.node import metadata as m

    substrate = _connect(url, timeout)
    try:
        version = _rpc(substrate, url, "state_getRuntimeVersion", [], timeout)
        genesis = _rpc(substrate, url, "chain_getBlockHash", [0], timeout)
    except SubstrateRequestException as exc:
        raise NotASubstrateNode(f"{url} does not answer Substrate RPC: {exc}") from None
    if not isinstance(version, dict) or "specVersion" not in version:
        raise NotASubstrateNode(f"{url} does not answer state_getRuntimeVersion like a "
                                "Substrate node")
    if version.get("specName") != "node-subtensor":
        raise UnexpectedChain(f"{url} runs {version.get('specName')!r}, not subtensor "
                              "(node-subtensor)")
    expected = EXPECTED_GENESIS.get(name or "")
    if expected and genesis != expected:
        raise UnexpectedChain(f"{url} is not {name}: its genesis hash is {genesis}, "
                              f"expected {expected}")
    spec = version["specVersion"]
    try:
        md = m.recorded(spec)
    except m.MetadataError:
        raw = _rpc(substrate, url, "state_getMetadata", [], timeout)
        md = m.from_bytes(bytes.fromhex(raw[2:]))
    facts = {"genesis_hash": genesis, "spec_version": spec,
             "transaction_version": version.get("transactionVersion", 1),
             "spec_name": version.get("specName")}
    return substrate, md, facts


def call_hex(pallet: str, name: str, args: dict, backend: Any = None) -> str:
    """"0x" hex of the SCALE-encoded call (what `--dry-run` prints), per the backend's runtime
    metadata, or the recorded finney metadata for the sandbox. Accounts are 32 bytes."""
    if isinstance(backend, RemoteBackend):
        return "0x" + backend.compose_call(pallet, name, args).hex()
    from chain.node import metadata as m

    offline = RemoteBackend.__new__(RemoteBackend)
    offline.md = m.recorded()
    return "0x" + RemoteBackend.compose_call(offline, pallet, name, args).hex()


class RemoteBackend:
    """The `ChainBackend` over one node."""

    def __init__(self, url: str, substrate, md, facts: dict, *, name: str,
                 timeout: float, period: int) -> None:
        from chain.node.mapping import local_registry

        self.url = url
        self.network = name
        self.substrate = substrate
        self.md = md
        self.facts = facts
        self.timeout = timeout
        self.period = period
        self.registry = local_registry()
        self.genesis_hash = bytes.fromhex(facts["genesis_hash"][2:])

    def __getattr__(self, attr: str) -> Any:
        """Sandbox-only operations (advance, check, halvings, the chain file) say so clearly."""
        if attr.startswith("__"):
            raise AttributeError(attr)
        raise SandboxOnly(f"this works only on the bundled sandbox chain (--network sandbox), "
                          f"not on {self.network} ({attr} is not available on a real node)")

    def rpc(self, method: str, params: list) -> Any:
        from substrateinterface.exceptions import SubstrateRequestException

        try:
            return _rpc(self.substrate, self.url, method, params, self.timeout)
        except SubstrateRequestException as exc:
            detail = exc.args[0] if exc.args else {}
            if isinstance(detail, dict) and detail.get("code") in (1010, 1002, 1011, 1012):
                raise RemoteRefused(f"the node refused the extrinsic: "
                                    f"{detail.get('message')}: {detail.get('data')}") from None
            raise RemoteError(f"{self.url} answered {method} with an error: {detail}") from None

    def close(self) -> None:
        """The connection stays cached for the rest of the process."""

    # reads ----------------------------------------------------------------------------------
    def _item(self, item_id: str):
        item = self.registry.get(item_id)
        if item is None:
            pallet, _, name = item_id.partition(".")
            from chain.local.storage import StorageItem

            entry = self.md.storage(pallet, name)
            item = StorageItem(pallet, name, tuple("json" for _ in self.md.key_types(entry)),
                               "json", None)
        return item

    def _known(self, item) -> bool:
        """True when the runtime's metadata has the item (else it is an extension item)."""
        return self.md.has_storage(item.pallet, item.name)

    def _key(self, item, key: tuple) -> bytes:
        from chain.node.mapping import ext_key, storage_key

        if not self._known(item):
            return ext_key(item, key)
        return storage_key(self.md, item, key)

    def _decode(self, item, data: bytes | None) -> Any:
        from chain.node.mapping import decode_value, ext_decode_value

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
        from chain.node.mapping import ext_decode_key, key_from_scale
        from chain.node.metadata import storage_prefix

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

    def query(self, method: str, *args: Any) -> Any:
        """Runtime queries: "nonce" (account), "block_emission"; others are sandbox-only."""
        if method == "nonce":
            from wallet.ss58 import ss58_encode

            return int(self.rpc("system_accountNextIndex", [ss58_encode(args[0])]))
        if method == "block_emission":
            return self.read("SubtensorModule.BlockEmission")
        if method == "runtime_api":
            return self.runtime_call(*args)
        if method == "stake":
            return self.stake(*args)
        if method == "netuids":
            return sorted(k[0] for k, added in self.iter("SubtensorModule.NetworksAdded")
                          if added)
        if method == "lock_cost":
            return int.from_bytes(self.runtime_call(
                "SubnetRegistrationRuntimeApi_get_network_registration_cost"), "little")
        if method == "pool_model":
            return self.pool_model()
        if method == "sim_swap":
            return self.sim_swap(*args)
        if method == "alpha_price":
            return int.from_bytes(self.runtime_call("SwapRuntimeApi_current_alpha_price",
                                                    int(args[0]).to_bytes(2, "little")),
                                  "little")
        if method == "quote_check":
            return self.quote_check(*args)
        if method == "stake_info":
            return self.stake_info(*args)
        if method in LOCAL_QUERIES:
            return self._local_query(method, *args)
        raise UnsupportedQuery(f"unknown runtime query {method!r} on a remote node (it is only "
                               "available on the sandbox chain)")

    def _local_query(self, method: str, *args: Any) -> Any:
        """The bundled chain's own query code (`chain.local.queries`) over the node's state."""
        try:
            from chain.local import queries
        except ImportError:
            raise UnsupportedQuery(f"unknown runtime query {method!r}") from None
        number, _ = self.head()
        state = RemoteState(self)
        if method == "quote":
            return queries.quote(state, number + 1, *args)
        return queries.answer(state, number + 1, method, *args)

    def pool(self, netuid: int):
        """The subnet's pool as an `amm.Pool`, from the node's storage."""
        return self.query("pool", netuid)

    def quote(self, origin: bytes, pallet: str, name: str, args: dict) -> dict:
        """What the call would do now (the bundled runtime's dry run over the node's state)."""
        return self.query("quote", origin, pallet, name, args)

    def stake_info(self, coldkey: bytes) -> list[dict]:
        """Every position of a coldkey (the runtime's StakeInfo API), valued with the pools."""
        import amm
        from chain.node.scale import decode_compact

        raw = self.runtime_call("StakeInfoRuntimeApi_get_stake_info_for_coldkey", bytes(coldkey))
        count, offset = decode_compact(raw, 0)
        positions = []
        for _ in range(count):
            hotkey = raw[offset:offset + 32]
            offset += 64
            netuid, offset = decode_compact(raw, offset)
            alpha, offset = decode_compact(raw, offset)
            for _ in range(4):  # locked, emission, tao_emission, drain
                _, offset = decode_compact(raw, offset)
            offset += 1  # is_registered
            positions.append((hotkey, netuid, alpha))
        rows = []
        for hotkey, netuid, alpha in positions:
            if not alpha:
                continue
            pool = self.query("pool", netuid)
            try:
                unstake = amm.sell(pool, alpha).amount_out
            except amm.AmmError:
                unstake = 0
            price = amm.price_rao(pool)
            value = min((alpha * amm.spot_price(pool)) >> 64, 2**64 - 1)
            rows.append({"hotkey": "0x" + hotkey.hex(), "netuid": netuid, "alpha_rao": alpha,
                         "value_rao": value, "unstake_rao": unstake, "price_rao": price,
                         "symbol": self.read("SubtensorModule.TokenSymbol", netuid)})
        return rows

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        """Alpha (rao) of `coldkey` on `hotkey` in `netuid`, from the runtime's StakeInfo API
        (whatever share-pool storage the runtime uses)."""
        from chain.node.scale import decode_compact

        raw = self.runtime_call("StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
                                bytes(hotkey) + bytes(coldkey) + int(netuid).to_bytes(2, "little"))
        if not raw or raw[0] == 0:
            return 0
        _, offset = decode_compact(raw, 65)  # Some ++ hotkey ++ coldkey, then netuid
        stake, _ = decode_compact(raw, offset)
        return stake

    def pool_model(self) -> str:
        """Which pool the runtime's swap pallet implements, read from its storage items:
        "weighted" (balancer weights), "concentrated-liquidity" (v3 ticks; with only the
        protocol's full-range position it prices as constant product), or "constant-product"."""
        if self.md.has_storage("Swap", "SwapBalancer"):
            return "weighted"
        if self.md.has_storage("Swap", "AlphaSqrtPrice"):
            return "concentrated-liquidity"
        return "constant-product"

    def sim_swap(self, netuid: int, direction: str, amount: int) -> dict | None:
        """The runtime's own quote (`SwapRuntimeApi.sim_swap_*`), None when it has none."""
        method = "SwapRuntimeApi_sim_swap_tao_for_alpha" if direction == "buy" else \
            "SwapRuntimeApi_sim_swap_alpha_for_tao"
        params = int(netuid).to_bytes(2, "little") + int(amount).to_bytes(8, "little")
        try:
            raw = self.runtime_call(method, params)
        except RemoteError:
            return None
        if len(raw) < 32:
            return None
        names = ("tao_amount", "alpha_amount", "tao_fee", "alpha_fee")
        return {n: int.from_bytes(raw[8 * i:8 * i + 8], "little") for i, n in enumerate(names)}

    def quote_check(self, netuid: int, direction: str, amount: int) -> dict:
        """The chain's quote beside taoctl's `amm` model computed from the chain's pool state,
        with a warning when they differ (amounts in rao)."""
        import amm

        model = self.pool_model()
        tao, alpha_in = self.read("SubtensorModule.SubnetTAO", netuid), \
            self.read("SubtensorModule.SubnetAlphaIn", netuid)
        fee_rate = self.read("Swap.FeeRate", netuid) if "Swap.FeeRate" in self.registry else 33
        local_model = amm.WEIGHTED if model == "weighted" else amm.CONSTANT_PRODUCT
        weight = self.read("Swap.SwapBalancer", netuid) if model == "weighted" else amm.HALF
        stable = self.read("SubtensorModule.SubnetMechanism", netuid) == 0 \
            if "SubtensorModule.SubnetMechanism" in self.registry else netuid == 0
        pool = amm.Pool(tao, alpha_in, weight, fee_rate, local_model, stable)
        ours = (amm.buy if direction == "buy" else amm.sell)(pool, amount)
        chain = self.sim_swap(netuid, direction, amount)
        out_key = "alpha_amount" if direction == "buy" else "tao_amount"
        result = {"pool_model": model, "local_model": local_model,
                  "local": {"amount_in_rao": ours.amount_in, "fee_rao": ours.fee,
                            "amount_out_rao": ours.amount_out},
                  "chain": chain, "warning": None}
        if chain is None:
            result["warning"] = "the runtime has no SwapRuntimeApi.sim_swap: local model only"
        elif chain[out_key] != ours.amount_out:
            result["warning"] = (f"the chain quotes {chain[out_key]} rao out, taoctl's "
                                 f"{local_model} model {ours.amount_out} rao "
                                 f"(the runtime's pool model is {model})")
        return result

    def runtime_call(self, api_method: str, params: bytes = b"") -> bytes:
        """`state_call` of a runtime API; the raw SCALE result."""
        result = self.rpc("state_call", [api_method, "0x" + params.hex()])
        return bytes.fromhex(result[2:])

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
        from chain.node.mapping import to_scale

        path = self.md.registry.types[type_id].get("path") or []
        if path and path[-1] == "MultiAddress" and isinstance(value, (bytes, bytearray)):
            return {"Id": bytes(value)}
        return to_scale(self.md, type_id, value)

    def submit_call(self, signer, pallet: str, name: str, args: dict) -> Receipt:
        """Sign with the next nonce and a mortal era, submit, wait for inclusion."""
        from chain.node.extrinsic import SigningContext, build_signed, era_encode

        call = self.compose_call(pallet, name, args)
        nonce = self.query("nonce", bytes(signer.public_key))
        number, _ = self.head()
        era = era_encode(self.period, number)
        from chain.node.extrinsic import era_birth, era_decode

        period, phase = era_decode(era)
        birth_hash = self.rpc("chain_getBlockHash", [era_birth(period, phase, number)])
        ctx = SigningContext(self.genesis_hash, self.facts["spec_version"],
                             self.facts["transaction_version"])
        raw = build_signed(self.md, signer, call, ctx, nonce=nonce, era=era,
                           birth_hash=bytes.fromhex(birth_hash[2:]))
        block_hash = self._submit_and_watch(raw)
        return self._receipt(raw, block_hash)

    def _submit_and_watch(self, raw: bytes) -> str:
        import time

        from substrateinterface.exceptions import SubstrateRequestException
        from websocket import WebSocketException, WebSocketTimeoutException

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
        except SubstrateRequestException as exc:
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
        from chain.node.extrinsic import blake2_256

        xt_hash = blake2_256(raw)
        block = self.rpc("chain_getBlock", [block_hash])["block"]
        number = int(block["header"]["number"], 16)
        index = next((i for i, x in enumerate(block["extrinsics"])
                      if blake2_256(bytes.fromhex(x[2:])) == xt_hash), None)
        if index is None:
            raise RemoteError(f"the extrinsic is not in block {block_hash}")
        events = self.events_at(block_hash, index)
        success = any(e["pallet"] == "System" and e["name"] == "ExtrinsicSuccess"
                      for e in events)
        error = message = None
        for e in events:
            if e["pallet"] == "System" and e["name"] == "ExtrinsicFailed":
                error, message = self.error_name(e["args"]["dispatch_error"])
        fee = sum(int(e["args"].get("actual_fee", 0)) for e in events
                  if e["pallet"] == "TransactionPayment" and e["name"] == "TransactionFeePaid")
        return Receipt(success, number, index, xt_hash, events, error, message, fee)

    def events_at(self, block_hash: str, index: int | None = None) -> list[dict]:
        """The block's events as {"pallet", "name", "args"} (only extrinsic `index`'s if given)."""
        key = self.md.storage_key("System", "Events", [])
        raw = self.rpc("state_getStorage", ["0x" + key.hex(), block_hash])
        if raw is None:
            return []
        records = self.md.registry.decode_all(self.md.events_type(), bytes.fromhex(raw[2:]))
        out = []
        for record in records:
            phase = record["phase"]
            if index is not None and phase != {"ApplyExtrinsic": index}:
                continue
            (pallet, inner), = record["event"].items()
            if isinstance(inner, str):
                name, args = inner, {}
            else:
                (name, args), = inner.items()
            out.append({"pallet": pallet, "name": name,
                        "args": args if isinstance(args, dict) else {"value": args}})
        return out

    def error_name(self, dispatch_error: Any) -> tuple[str, str]:
        """(error name, message) of a decoded DispatchError."""
        if isinstance(dispatch_error, str):
            return dispatch_error, dispatch_error
        (kind, detail), = dispatch_error.items()
        if kind == "Module":
            pallet, name = self.md.error_name(detail["index"], bytes(detail["error"]))
            return name, f"{pallet}.{name}"
        if isinstance(detail, str):
            return detail, f"{kind}.{detail}"
        return kind, f"{kind}: {detail}"

    def dry_run(self, origin: bytes, pallet: str, name: str, args: dict) -> list[dict]:
        """The bundled runtime's call over the node's current state; DispatchError if it
        would fail. Nothing is sent."""
        from chain.local.extrinsic import Call
        from chain.local.runtime import dispatch

        number, _ = self.head()
        return dispatch(RemoteState(self), origin, Call(pallet, name, args), number + 1)


_UNSET = object()


class RemoteState:
    """A `State`-like view for the local runtime: reads go to the node, writes stay here."""

    def __init__(self, backend: RemoteBackend) -> None:
        self.backend = backend
        self._values: dict[tuple[str, tuple], Any] = {}
        self._journal: list[dict] = []

    def get(self, item, *key: Any) -> Any:
        slot = (item.id, tuple(key))
        if slot not in self._values:
            try:
                self._values[slot] = self.backend.read(item.id, *key)
            except Exception:  # noqa: BLE001 - an item the node lacks reads as the default
                self._values[slot] = item.default
        return self._values[slot]

    def set(self, item, *key_and_value: Any) -> None:
        *key, value = key_and_value
        self._write((item.id, tuple(key)), value)

    def remove(self, item, *key: Any) -> None:
        self._write((item.id, tuple(key)), item.default)

    def _write(self, slot, value) -> None:
        if self._journal and slot not in self._journal[-1]:
            self._journal[-1][slot] = self._values.get(slot, _UNSET)
        self._values[slot] = value

    def iter(self, item):
        seen = dict(self.backend.iter(item.id))
        for (item_id, key), value in self._values.items():
            if item_id == item.id:
                seen[key] = value
        return iter(sorted(seen.items()))

    def begin(self) -> None:
        self._journal.append({})

    def commit(self) -> None:
        inner = self._journal.pop()
        if self._journal:
            for slot, previous in inner.items():
                self._journal[-1].setdefault(slot, previous)

    def rollback(self) -> None:
        for slot, previous in self._journal.pop().items():
            if previous is _UNSET:
                self._values.pop(slot, None)
            else:
                self._values[slot] = previous

    def flush(self) -> int:
        return 0

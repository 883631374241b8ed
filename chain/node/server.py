"""The JSON-RPC websocket server of `taoctl node serve`: the bundled chain as a Substrate node.

One asyncio loop serves every connection; each request runs to completion against the chain
file before the next (SQLite work is short, and this keeps the node's view consistent). The RPC
methods are the ones substrate-interface and btcli call (NODE.md). Submitted extrinsics are
included in the open block, which is then sealed, so every extrinsic gets its own block; with a
block time, a timer seals (empty) blocks too.

`NodeServer(path).run(stop)` serves until `stop` is set; `start_thread()` runs it in a daemon
thread for tests and returns once the port is bound.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
from pathlib import Path
from typing import Any

from chain.node.view import NodeView, RpcError

RPC_METHODS = [
    "account_nextIndex", "author_pendingExtrinsics", "author_submitAndWatchExtrinsic",
    "author_submitExtrinsic", "author_unwatchExtrinsic", "chain_getBlock", "chain_getBlockHash",
    "chain_getFinalisedHead", "chain_getFinalizedHead", "chain_getHead", "chain_getHeader",
    "chain_subscribeFinalizedHeads", "chain_subscribeNewHeads", "chain_unsubscribeNewHeads",
    "chain_unsubscribeFinalizedHeads", "chain_subscribeAllHeads", "chain_unsubscribeAllHeads",
    "payment_queryInfo", "rpc_methods", "state_call",
    "state_getKeys", "state_getKeysPaged", "state_getMetadata", "state_getRuntimeVersion",
    "state_getStorage", "state_getStorageAt", "state_getStorageHash", "state_getStorageSize",
    "state_queryStorageAt", "system_accountNextIndex", "system_chain", "system_chainType",
    "system_health", "system_name", "system_properties", "system_version",
]
CHAIN_NAME = "Bittensor"
HEAD_SUBSCRIPTIONS = {"chain_subscribeNewHeads": "chain_newHead",
                      "chain_subscribeFinalizedHeads": "chain_finalizedHead",
                      "chain_subscribeAllHeads": "chain_allHead"}


def _bytes(value: Any, what: str = "hex") -> bytes:
    if not isinstance(value, str):
        raise RpcError(-32602, f"Invalid params: expected a hex string for {what}")
    text = value[2:] if value.startswith("0x") else value
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise RpcError(-32602, f"Invalid params: {what} is not hex") from None


def _hex(data: bytes | None) -> str | None:
    return None if data is None else "0x" + data.hex()


class NodeServer:
    """Serves one chain file over JSON-RPC on ws://host:port."""

    def __init__(self, path: str | Path, host: str = "127.0.0.1", port: int = 9944, *,
                 block_time: float | None = None) -> None:
        self.path = Path(path)
        self.host, self.port = host, port
        self.block_time = block_time
        self.view: NodeView | None = None
        self._ids = itertools.count(1)
        self.bound = threading.Event()
        self.requests = 0
        self._head_subs: dict[str, tuple[Any, str]] = {}  # id -> (websocket, notification)

    # lifecycle ------------------------------------------------------------------------------
    def open(self) -> None:
        from chain.local.chain import LocalChain
        from chain.substrate.metadata import recorded

        self.view = NodeView(LocalChain.open(self.path), recorded())

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Serve until `stop` is set (or forever)."""
        from websockets.asyncio.server import serve

        if self.view is None:
            self.open()
        stop = stop or asyncio.Event()
        async with serve(self._connection, self.host, self.port, max_size=2**26,
                         ping_interval=None, close_timeout=1) as server:
            sock = next(iter(server.sockets))
            self.port = sock.getsockname()[1]
            self.bound.set()
            timer = asyncio.create_task(self._timer(stop)) if self.block_time else None
            await stop.wait()
            if timer:
                timer.cancel()
        self.view.chain.close()

    async def _timer(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.block_time)
            try:
                self.view.seal()
            except Exception:  # noqa: BLE001 - a busy chain file skips one tick
                continue
            self._announce()

    def _announce(self) -> None:
        """Send the new best block's header to every head subscription (all blocks are final)."""
        if not self._head_subs:
            return
        header = self.view.header(self.view.head_number())
        loop = asyncio.get_running_loop()
        for sub, (ws, method) in list(self._head_subs.items()):
            note = {"jsonrpc": "2.0", "method": method,
                    "params": {"subscription": sub, "result": header}}
            loop.create_task(self._send_quietly(ws, note))

    async def _send_quietly(self, ws, message: dict) -> None:
        try:
            await ws.send(json.dumps(message))
        except Exception:  # noqa: BLE001 - a closed subscriber is dropped
            for sub, (other, _) in list(self._head_subs.items()):
                if other is ws:
                    self._head_subs.pop(sub, None)

    def start_thread(self) -> tuple[threading.Thread, callable]:
        """Run in a daemon thread; returns (thread, stop function). The port is then bound."""
        loop = asyncio.new_event_loop()
        stop_event: list[asyncio.Event] = []

        def target() -> None:
            asyncio.set_event_loop(loop)
            stop_event.append(asyncio.Event())
            loop.run_until_complete(self.run(stop_event[0]))
            loop.close()

        thread = threading.Thread(target=target, daemon=True, name="taoctl-node")
        thread.start()
        if not self.bound.wait(30):
            raise RuntimeError("the node did not start within 30 s")

        def stop() -> None:
            if stop_event:
                loop.call_soon_threadsafe(stop_event[0].set)
            thread.join(15)

        return thread, stop

    # requests -------------------------------------------------------------------------------
    async def _connection(self, ws) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for message in ws:
                try:
                    request = json.loads(message)
                except ValueError:
                    await ws.send(json.dumps({"jsonrpc": "2.0", "id": None, "error": {
                        "code": -32700, "message": "Parse error"}}))
                    continue
                if isinstance(request, list):
                    replies = [self._reply(r)[0] for r in request]
                    await ws.send(json.dumps(replies))
                    continue
                if isinstance(request, dict) and request.get("method") in HEAD_SUBSCRIPTIONS:
                    await self._subscribe_heads(ws, request)
                    continue
                reply, notifications = self._reply(request)
                await ws.send(json.dumps(reply))
                for note in notifications:
                    await ws.send(json.dumps(note))
        except ConnectionClosed:
            return
        finally:
            for sub, (other, _) in list(self._head_subs.items()):
                if other is ws:
                    self._head_subs.pop(sub, None)

    async def _subscribe_heads(self, ws, request: dict) -> None:
        """chain_subscribe{New,Finalized,All}Heads: the current head now, then every new one."""
        sub = f"{next(self._ids):x}"
        self._head_subs[sub] = (ws, HEAD_SUBSCRIPTIONS[request["method"]])
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": request.get("id"), "result": sub}))
        header = self.view.header(self.view.head_number())
        await ws.send(json.dumps({"jsonrpc": "2.0", "method": self._head_subs[sub][1],
                                  "params": {"subscription": sub, "result": header}}))

    def _reply(self, request: Any) -> tuple[dict, list[dict]]:
        """(the reply, notifications to send after it)."""
        self.requests += 1
        if not isinstance(request, dict) or "method" not in request:
            return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600,
                                                            "message": "Invalid request"}}, []
        rid = request.get("id")
        params = request.get("params") or []
        method = request["method"]
        try:
            if method == "author_submitAndWatchExtrinsic":
                return self._submit_and_watch(rid, params)
            handler = getattr(self, "rpc_" + method, None)
            if handler is None:
                raise RpcError(-32601, f"Method not found: {method}")
            if isinstance(params, dict):
                result = handler(**params)
            else:
                result = handler(*params)
            return {"jsonrpc": "2.0", "id": rid, "result": result}, []
        except RpcError as exc:
            return {"jsonrpc": "2.0", "id": rid, "error": exc.to_json()}, []
        except TypeError as exc:
            return {"jsonrpc": "2.0", "id": rid, "error": {
                "code": -32602, "message": f"Invalid params: {exc}"}}, []
        except Exception as exc:  # noqa: BLE001 - a node answers, it does not die
            return {"jsonrpc": "2.0", "id": rid, "error": {
                "code": -32603, "message": f"Internal error: {type(exc).__name__}: {exc}"}}, []

    def _submit_and_watch(self, rid: Any, params: list) -> tuple[dict, list[dict]]:
        raw = _bytes(params[0] if params else None, "extrinsic")
        included = self.view.include(raw)
        self.view.seal()
        self._announce()
        # another process may have advanced the file in between: the extrinsic's own block
        block_hash = _hex(self.view.block_hash(included.block_number))
        sub = f"{next(self._ids):x}"

        def note(result: Any) -> dict:
            return {"jsonrpc": "2.0", "method": "author_extrinsicUpdate",
                    "params": {"subscription": sub, "result": result}}

        return ({"jsonrpc": "2.0", "id": rid, "result": sub},
                [note("ready"), note({"inBlock": block_hash}), note({"finalized": block_hash})])

    # the RPC methods ------------------------------------------------------------------------
    def _number_at(self, at: Any) -> int:
        return self.view.block_number(None if at is None else _bytes(at, "block hash"))

    def rpc_rpc_methods(self) -> dict:
        return {"methods": RPC_METHODS}

    def rpc_system_chain(self) -> str:
        return CHAIN_NAME

    def rpc_system_name(self) -> str:
        return "taoctl-node"

    def rpc_system_version(self) -> str:
        return "taoctl"

    def rpc_system_chainType(self) -> str:
        return "Live"

    def rpc_system_health(self) -> dict:
        return {"peers": 0, "isSyncing": False, "shouldHavePeers": False}

    def rpc_system_properties(self) -> dict:
        return {"ss58Format": self.view.md.ss58_prefix, "tokenDecimals": 9,
                "tokenSymbol": "TAO"}

    def rpc_account_nextIndex(self, address: str) -> int:
        from wallet.ss58 import ss58_decode

        try:
            account = _bytes(address) if address.startswith("0x") else ss58_decode(address)
        except Exception:  # noqa: BLE001 - a bad address is bad params
            raise RpcError(-32602, "Invalid params: not an ss58 address") from None
        return self.view.nonce(account)

    rpc_system_accountNextIndex = rpc_account_nextIndex

    def rpc_chain_getHead(self) -> str:
        return _hex(self.view.block_hash())

    rpc_chain_getFinalizedHead = rpc_chain_getHead
    rpc_chain_getFinalisedHead = rpc_chain_getHead

    def rpc_chain_getBlockHash(self, number: Any = None) -> Any:
        if isinstance(number, list):
            return [self.rpc_chain_getBlockHash(n) for n in number]
        if isinstance(number, str):
            number = int(number, 16) if number.startswith("0x") else int(number)
        return _hex(self.view.block_hash(number))

    def rpc_chain_getHeader(self, at: Any = None) -> dict:
        return self.view.header(self._number_at(at))

    def rpc_chain_getBlock(self, at: Any = None) -> dict:
        number = self._number_at(at)
        return {"block": {"header": self.view.header(number),
                          "extrinsics": [_hex(x) for x in self.view.block_extrinsics(number)]},
                "justifications": None}

    def rpc_chain_unsubscribeNewHeads(self, sub: Any = None) -> bool:
        return self._head_subs.pop(sub, None) is not None

    rpc_chain_unsubscribeFinalizedHeads = rpc_chain_unsubscribeNewHeads
    rpc_chain_unsubscribeAllHeads = rpc_chain_unsubscribeNewHeads

    def rpc_state_getRuntimeVersion(self, at: Any = None) -> dict:
        return self.view.runtime_version()  # one runtime for every block, known or not

    def rpc_state_getMetadata(self, at: Any = None) -> str:
        return _hex(self.view.md.raw)

    def rpc_state_getStorage(self, key: str, at: Any = None) -> str | None:
        return _hex(self.view.storage(_bytes(key, "storage key"), self._number_at(at)))

    rpc_state_getStorageAt = rpc_state_getStorage

    def rpc_state_getStorageHash(self, key: str, at: Any = None) -> str | None:
        value = self.view.storage(_bytes(key, "storage key"), self._number_at(at))
        if value is None:
            return None
        import hashlib

        return "0x" + hashlib.blake2b(value, digest_size=32).hexdigest()

    def rpc_state_getStorageSize(self, key: str, at: Any = None) -> int | None:
        value = self.view.storage(_bytes(key, "storage key"), self._number_at(at))
        return None if value is None else len(value)

    def rpc_state_getKeys(self, prefix: str, at: Any = None) -> list[str]:
        return [_hex(k) for k in self.view.keys(_bytes(prefix, "prefix"))]

    def rpc_state_getKeysPaged(self, prefix: str, count: int, start_key: Any = None,
                               at: Any = None) -> list[str]:
        keys = self.view.keys(_bytes(prefix, "prefix"))
        if start_key:
            start = _bytes(start_key, "start key")
            keys = [k for k in keys if k > start]
        return [_hex(k) for k in keys[:int(count)]]

    def rpc_state_queryStorageAt(self, keys: list, at: Any = None) -> list[dict]:
        number = self._number_at(at)
        changes = [[k, _hex(self.view.storage(_bytes(k, "storage key"), number))] for k in keys]
        return [{"block": _hex(self.view.block_hash(number)), "changes": changes}]

    def rpc_state_call(self, method: str, data: str, at: Any = None) -> str:
        from chain.node import runtime_api

        return _hex(runtime_api.call(self.view, method, _bytes(data or "0x", "call data")))

    def rpc_payment_queryInfo(self, extrinsic: str, at: Any = None) -> dict:
        return {"weight": {"ref_time": 0, "proof_size": 0}, "class": "normal",
                "partialFee": "0"}

    def rpc_author_submitExtrinsic(self, extrinsic: str) -> str:
        included = self.view.include(_bytes(extrinsic, "extrinsic"))
        self.view.seal()
        self._announce()
        return _hex(included.hash)

    def rpc_author_unwatchExtrinsic(self, sub: Any = None) -> bool:
        return True

    def rpc_author_pendingExtrinsics(self) -> list:
        return []

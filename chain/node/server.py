"""The JSON-RPC websocket server of `taoctl node serve`: the bundled chain as a Substrate node.

One asyncio loop accepts connections and reads requests; the chain work of every request runs
in one worker thread, one request at a time (this keeps the node's view consistent), so a
request that waits for the chain file never stops the loop from accepting connections and
answering handshakes. Writes wait for another process's write lock at most `BUSY_TIMEOUT_S`
and then fail with a "chain busy" error (`-32010`, nothing changed, retry). Every request that
cannot be one (not JSON, nested too deep, too large, a batch too long, params of the wrong
shape) gets a JSON-RPC error (-32700 / -32600 / -32602), never a traceback or a closed socket.

The RPC methods are the ones substrate-interface and btcli call (NODE.md). Submitted extrinsics
are included in the open block, which is then sealed, so every extrinsic gets its own block;
with a block time, a timer seals (empty) blocks too.

`NodeServer(path).run(stop)` serves until `stop` is set; `start_thread()` runs it in a daemon
thread for tests and returns once the port is bound.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from collections.abc import Callable
from typing import Any

from chain.node.view import NodeView, RpcError
from chain.substrate.hashing import twox

LOG = logging.getLogger("taoctl.node")
LOG_LEVELS = ("debug", "info", "warning", "error")


def configure_logging(level: str = "warning", stream=None) -> None:
    """Log the node's requests to stderr (or `stream`): `debug` every request, `info` also
    submissions and sealed blocks, `warning` (default) every refused or failed request with
    its method and why. Parameters are never logged (they may be signed extrinsics or keys
    of someone's wallet queries); only the method, the error code and the reason."""
    import sys

    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s taoctl-node: %(message)s"))
    LOG.handlers[:] = [handler]
    LOG.setLevel(getattr(logging, level.upper()))
    LOG.propagate = False


def _log_reply(method: Any, reply: dict) -> None:
    """One line per refused or failed request (warning), or per answered one (debug)."""
    error = reply.get("error")
    if error is None:
        LOG.debug("%s answered", method)
        return
    data = error.get("data")
    why = error.get("message", "") + (f": {data}" if data else "")
    LOG.warning("%s refused (%s): %s", method if isinstance(method, str) else "<no method>",
                error.get("code"), why)

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


MAX_REQUEST_BYTES = 4 * 2**20  # an extrinsic is a few hundred bytes; this is generous
MAX_BATCH = 1000
MAX_KEYS_PAGE = 1000  # as substrate: state_getKeysPaged returns at most 1000 keys
BUSY_TIMEOUT_S = 2.0  # how long a write waits for another process's write lock, in all
BUSY_ATTEMPT_MS = 50  # one attempt's wait; between attempts the worker serves other requests
CHAIN_BUSY = -32010  # server error codes (-32000..-32099): the chain file is busy
CHAIN_UNAVAILABLE = -32011  # the chain file is damaged or cannot be read


_SHIELD_PREFIX = twox(b"MevShield", 128)
# the reads of state or of the best block that first seal extrinsics another process left in
# the open block (a client pins the best block's hash, then reads at it)
_STATE_READS = frozenset({"state_getStorage", "state_getStorageAt", "state_getStorageHash",
                          "state_getStorageSize", "state_getKeys", "state_getKeysPaged",
                          "state_queryStorageAt", "state_call", "chain_getHead",
                          "chain_getFinalizedHead", "chain_getFinalisedHead", "chain_getHeader",
                          "chain_getBlockHash"})


def _error(rid: Any, code: int, message: str) -> dict:
    return {"jsonrpc": "2.0", "id": rid, "error": {"code": code, "message": message}}


def _parse(message: str | bytes) -> Any:
    """The request's JSON, or an RpcError: -32600 when too large, -32700 when not JSON or
    nested too deep to parse (Python's parser recurses)."""
    if len(message) > MAX_REQUEST_BYTES:
        raise RpcError(-32600, f"Invalid request: larger than {MAX_REQUEST_BYTES} bytes")
    try:
        return json.loads(message)
    except (ValueError, RecursionError):
        raise RpcError(-32700, "Parse error") from None


def _count(value: Any, what: str, limit: int) -> int:
    """A non-negative count of at most `limit` (JSON booleans and floats are not counts)."""
    if type(value) is not int or not 0 <= value <= limit:
        raise RpcError(-32602, f"Invalid params: {what} must be a whole number 0..{limit}")
    return value


def _block_number(value: Any) -> int:
    """A block number given as an int, a decimal string or a 0x hex string."""
    if isinstance(value, str):
        try:
            value = int(value, 16) if value.startswith("0x") else int(value, 10)
        except ValueError:
            raise RpcError(-32602, "Invalid params: not a block number") from None
    if type(value) is not int or not 0 <= value < 2**32:
        raise RpcError(-32602, "Invalid params: not a block number")
    return value


def _chain_error(exc: Exception) -> RpcError | None:
    """The JSON-RPC error for a chain file that is busy, damaged or unreadable."""
    import sqlite3

    from chain.local.errors import ChainLocked, ChainUnavailable

    if isinstance(exc, ChainLocked):
        return RpcError(CHAIN_BUSY, "Chain busy: another process holds the chain's write lock; "
                        "nothing was changed; retry")
    if isinstance(exc, ChainUnavailable):
        return RpcError(CHAIN_UNAVAILABLE, f"Chain unavailable: {exc}")
    if isinstance(exc, sqlite3.DatabaseError):
        return RpcError(CHAIN_UNAVAILABLE, f"Chain unavailable: the chain file cannot be read "
                        f"({exc})")
    return None


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
        self._pinned: tuple[int, NodeView] | None = None  # the last block read, its view
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="taoctl-node-chain")
        self._loop: asyncio.AbstractEventLoop | None = None

    # lifecycle ------------------------------------------------------------------------------
    def open(self) -> None:
        from chain.local.chain import LocalChain
        from chain.substrate.metadata import NODE_SPEC, served

        chain = LocalChain.open(self.path)
        chain.conn.execute(f"PRAGMA busy_timeout = {BUSY_ATTEMPT_MS}")
        self.view = NodeView(chain, served(NODE_SPEC))
        self._start_shield()  # mevclients: the MEV shield's author keys

    # mevclients: the MEV shield (chain.node.mevshield) --------------------------------------
    def _start_shield(self) -> None:
        from chain.node import inherents
        from chain.node.mevshield import AuthorKeys

        self.shield = AuthorKeys(self.view.chain)
        with self.view.chain.writing() as state:
            self.shield.start(state, self.view.chain.open_number())
        inherents.set_key_source(self.shield)  # the blocks' announce_next_key inherents

    def _announce_key(self) -> None:
        """The open block's `announce_next_key` inherent (a busy chain file skips one)."""
        from chain.local.errors import ChainLocked

        try:
            with self.view.chain.writing() as state:
                self.shield.announce(state, self.view.chain.open_number())
        except ChainLocked:
            return

    def _stop_shield(self) -> None:
        from chain.node import inherents

        if inherents._KEY_SOURCE is self.shield:
            inherents.set_key_source(None)

    def _include(self, raw: bytes):
        return self.shield.include(self.view, raw)
    # end mevclients --------------------------------------------------------------------------

    async def _answer(self, request: Any) -> tuple[dict, list[dict]]:
        """One request, retried while the chain file is busy (a submission while another
        process holds the write lock, or a rare busy read): each attempt waits briefly in the
        worker, so requests from other connections go on in between, and after the deadline
        the busy error is the answer. A busy attempt changed nothing, so trying again is safe."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + float(os.environ.get("TAOCTL_NODE_BUSY_TIMEOUT",
                                                      BUSY_TIMEOUT_S))
        while True:
            reply, notes = await self._on_chain(self._reply, request)
            busy = reply.get("error", {}).get("code") == CHAIN_BUSY
            if not busy or loop.time() >= deadline:
                return reply, notes
            await asyncio.sleep(BUSY_ATTEMPT_MS / 1000)

    async def _on_chain(self, fn, *args):
        """Run blocking chain work in the worker thread; the loop keeps serving meanwhile."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, fn, *args)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Serve until `stop` is set (or forever)."""
        from websockets.asyncio.server import serve

        if self.view is None:
            self.open()
        self._loop = asyncio.get_running_loop()
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
        self._stop_shield()  # mevclients
        await self._on_chain(self.view.chain.close)
        self._worker.shutdown(wait=False)

    async def _timer(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await asyncio.sleep(self.block_time)
            await self._on_chain(self._tick)

    def _tick(self) -> None:
        try:
            self.view.seal()
        except Exception as exc:  # noqa: BLE001 - a busy chain file skips one tick
            LOG.warning("block timer: no block sealed this tick (%s)", type(exc).__name__)
            return
        self._announce()
        self._announce_key()  # in the worker, so every request after the new head sees it

    def _announce(self) -> None:
        """Send the new best block's header to every head subscription (all blocks are final).
        Called in the worker thread: the sends are handed to the loop."""
        if not self._head_subs:
            return
        header = self.view.header(self.view.head_number())
        for sub, (ws, method) in list(self._head_subs.items()):
            note = {"jsonrpc": "2.0", "method": method,
                    "params": {"subscription": sub, "result": header}}
            asyncio.run_coroutine_threadsafe(self._send_quietly(ws, note), self._loop)

    async def _send_quietly(self, ws, message: dict) -> None:
        try:
            await ws.send(json.dumps(message))
        except Exception:  # noqa: BLE001 - a closed subscriber is dropped
            for sub, (other, _) in list(self._head_subs.items()):
                if other is ws:
                    self._head_subs.pop(sub, None)

    def start_thread(self) -> tuple[threading.Thread, Callable[[], None]]:
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
                    await self._message(ws, message)
                except ConnectionClosed:
                    raise
                except Exception as exc:  # noqa: BLE001 - answer, never drop the connection
                    LOG.error("request failed inside the node: %s", type(exc).__name__)
                    await ws.send(json.dumps(_error(None, -32603, f"Internal error: "
                                                    f"{type(exc).__name__}")))
        except ConnectionClosed:
            return
        finally:
            for sub, (other, _) in list(self._head_subs.items()):
                if other is ws:
                    self._head_subs.pop(sub, None)

    async def _message(self, ws, message: str | bytes) -> None:
        """One websocket message: a request or a batch, answered on `ws`."""
        try:
            request = _parse(message)
        except RpcError as exc:
            LOG.warning("request refused (%s): %s", exc.code, exc.message)
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": None, "error": exc.to_json()}))
            return
        if isinstance(request, list):
            if not request or len(request) > MAX_BATCH:
                LOG.warning("batch refused (-32600): %d requests", len(request))
                await ws.send(json.dumps(_error(None, -32600, f"Invalid request: a batch "
                                                f"holds 1..{MAX_BATCH} requests")))
                return
            replies = await self._on_chain(lambda: [self._reply(r)[0] for r in request])
            await ws.send(json.dumps(replies))
            return
        if isinstance(request, dict) and request.get("method") in HEAD_SUBSCRIPTIONS:
            await self._subscribe_heads(ws, request)
            return
        reply, notifications = await self._answer(request)
        await ws.send(json.dumps(reply))
        for note in notifications:
            await ws.send(json.dumps(note))

    async def _subscribe_heads(self, ws, request: dict) -> None:
        """chain_subscribe{New,Finalized,All}Heads: the current head now, then every new one.
        The head is read and the subscription registered in one step of the chain worker
        (where blocks are sealed and announced), so no block is sent twice or skipped."""
        sub = f"{next(self._ids):x}"
        method = HEAD_SUBSCRIPTIONS[request["method"]]
        await ws.send(json.dumps({"jsonrpc": "2.0", "id": request.get("id"), "result": sub}))

        def register() -> dict:
            header = self.view.header(self.view.head_number())
            self._head_subs[sub] = (ws, method)
            return header

        header = await self._on_chain(register)
        await ws.send(json.dumps({"jsonrpc": "2.0", "method": method,
                                  "params": {"subscription": sub, "result": header}}))

    def _reply(self, request: Any) -> tuple[dict, list[dict]]:
        """(the reply, notifications to send after it), logged."""
        reply, notes = self._reply_to(request)
        _log_reply(request.get("method") if isinstance(request, dict) else None, reply)
        return reply, notes

    def _reply_to(self, request: Any) -> tuple[dict, list[dict]]:
        self.requests += 1
        if not isinstance(request, dict) or not isinstance(request.get("method"), str):
            return _error(None, -32600, "Invalid request"), []
        rid = request.get("id")
        if not (rid is None or isinstance(rid, (str, int))) or isinstance(rid, bool):
            return _error(None, -32600, "Invalid request: id must be a string or a number"), []
        params = request.get("params") or []
        method = request["method"]
        if not isinstance(params, (list, dict)):
            return _error(rid, -32602, "Invalid params: params must be a list or an object"), []
        try:
            if method in _STATE_READS:
                self._seal_pending()
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
            return _error(rid, -32602, f"Invalid params: {exc}"), []
        except RecursionError:
            return _error(rid, -32602, "Invalid params: nested too deep"), []
        except Exception as exc:  # noqa: BLE001 - a node answers, it does not die
            known = _chain_error(exc)
            if known is not None:
                return {"jsonrpc": "2.0", "id": rid, "error": known.to_json()}, []
            return _error(rid, -32603, f"Internal error: {type(exc).__name__}: {exc}"), []

    def _submit_and_watch(self, rid: Any, params: list | dict) -> tuple[dict, list[dict]]:
        given = params.get("extrinsic") if isinstance(params, dict) else \
            (params[0] if params else None)
        raw = _bytes(given, "extrinsic")
        included = self._include(raw)
        self._seal()
        LOG.info("author_submitAndWatchExtrinsic: 0x%s in block %d at index %d (%s)",
                 included.hash.hex(), included.block_number, included.index,
                 "success" if included.success else f"failed: {included.error}")
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
            if len(number) > MAX_KEYS_PAGE:
                raise RpcError(-32602, f"Invalid params: at most {MAX_KEYS_PAGE} numbers")
            return [self.rpc_chain_getBlockHash(n) for n in number]
        return _hex(self.view.block_hash(None if number is None else _block_number(number)))

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

    def _view_at(self, at: Any) -> NodeView:
        """The view a read `at` a block hash answers from (the best block when none is given):
        the state at that block as a Substrate node keeps it -- after its start-of-block work
        and its extrinsics, without the start-of-block work the open block has already run
        (`chain.local.history`). The open block's state is the pending block's, which a node
        does not serve. A sealed block's state never changes, so the last view is kept."""
        if at is None:
            number, block_hash = self.view.head_number(), None
        else:
            block_hash = _bytes(at, "block hash")
            number = self.view.block_number(block_hash)
        if self._pinned is not None and self._pinned[0] == number:
            return self._pinned[1]
        view = self.view.at(number, block_hash)
        self._pinned = (number, view)
        return view

    def _storage(self, key: bytes, at: Any) -> bytes | None:
        """The value at `key` in the state `_view_at(at)`, except the MEV shield's keys at the
        head: those are this node's own, announced into the open block, and the head's state
        can hold an earlier run's (whose secrets are gone) or none, so they are read there."""
        view = self._view_at(at)
        if key[:16] == _SHIELD_PREFIX and view.head_number() == self.view.head_number():
            view = self.view
        return view.storage(key, view.head_number())

    def rpc_state_getStorage(self, key: str, at: Any = None) -> str | None:
        return _hex(self._storage(_bytes(key, "storage key"), at))

    rpc_state_getStorageAt = rpc_state_getStorage

    def rpc_state_getStorageHash(self, key: str, at: Any = None) -> str | None:
        value = self._storage(_bytes(key, "storage key"), at)
        if value is None:
            return None
        import hashlib

        return "0x" + hashlib.blake2b(value, digest_size=32).hexdigest()

    def rpc_state_getStorageSize(self, key: str, at: Any = None) -> int | None:
        value = self._storage(_bytes(key, "storage key"), at)
        return None if value is None else len(value)

    def rpc_state_getKeys(self, prefix: str, at: Any = None) -> list[str]:
        return [_hex(k) for k in self._view_at(at).keys(_bytes(prefix, "prefix"))]

    def rpc_state_getKeysPaged(self, prefix: str, count: int, start_key: Any = None,
                               at: Any = None) -> list[str]:
        count = _count(count, "count", MAX_KEYS_PAGE)
        keys = self._view_at(at).keys(_bytes(prefix, "prefix"))
        if start_key:
            start = _bytes(start_key, "start key")
            keys = [k for k in keys if k > start]
        return [_hex(k) for k in keys[:count]]

    def rpc_state_queryStorageAt(self, keys: list, at: Any = None) -> list[dict]:
        if not isinstance(keys, list) or len(keys) > MAX_KEYS_PAGE:
            raise RpcError(-32602, f"Invalid params: keys must be a list of at most "
                           f"{MAX_KEYS_PAGE} keys")
        number = self._view_at(at).head_number()
        changes = [[k, _hex(self._storage(_bytes(k, "storage key"), at))] for k in keys]
        return [{"block": _hex(self.view.block_hash(number)), "changes": changes}]

    def rpc_state_call(self, method: str, data: str, at: Any = None) -> str:
        from chain.node import runtime_api

        # taoctl's own dry run answers for the open block, where the call would execute
        view = self.view if at is None and method in runtime_api.PENDING else self._view_at(at)
        return _hex(runtime_api.call(view, method,
                                     _bytes(data or "0x", "call data")))

    def rpc_payment_queryInfo(self, extrinsic: str, at: Any = None) -> dict:
        """payment_queryInfo (substrate-interface without state_call): the fee as a decimal
        string, from the same schedule as TransactionPaymentApi_query_info."""
        from chain.node import runtime_api
        from chain.rules import fees

        raw = _bytes(extrinsic, "extrinsic")
        call_id, details = runtime_api.payment_fee_details(
            self.view, raw + len(raw).to_bytes(4, "little"))
        return {"weight": {"ref_time": fees.call_weight(call_id), "proof_size": 0},
                "class": "normal", "partialFee": str(details.partial_fee)}

    def rpc_author_submitExtrinsic(self, extrinsic: str) -> str:
        included = self._include(_bytes(extrinsic, "extrinsic"))
        self._seal()
        LOG.info("author_submitExtrinsic: 0x%s in block %d at index %d (%s)",
                 included.hash.hex(), included.block_number, included.index,
                 "success" if included.success else f"failed: {included.error}")
        return _hex(included.hash)

    def _seal_pending(self) -> None:
        """Before a read of state or of the best block, seal the open block when it holds
        extrinsics another process included (a sandbox command over the same file): reads
        answer at the best block, so without this they would stay invisible to clients until
        the next submission. As with a submission, the node gives them a block (instant seal);
        a client's own submission arriving first joins them in that block."""
        from chain.local.blocks import open_block_has_extrinsics

        if open_block_has_extrinsics(self.view.chain.conn):
            self._seal()

    def _seal(self) -> None:
        """Seal the block an extrinsic was just included in. If another process took the write
        lock in between, the extrinsic stays included in the open block (committed) and is
        sealed with the next one: the submission itself succeeded."""
        from chain.local.errors import ChainLocked

        try:
            self.view.seal()
        except ChainLocked:
            return
        self._announce()
        self._announce_key()  # in the worker, so every request after the new head sees it

    def rpc_author_unwatchExtrinsic(self, sub: Any = None) -> bool:
        return True

    def rpc_author_pendingExtrinsics(self) -> list:
        return []

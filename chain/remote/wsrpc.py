"""A light JSON-RPC client over one websocket (websocket-client's blocking socket): requests,
and subscriptions read until a handler says they are done. It replaces substrate-interface as
the remote backend's transport because importing that costs a remote command about 0.2-0.7 s
(its keypair module pulls in eth_keys) and taoctl has its own codec and signing."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any


class RpcReplyError(Exception):
    """A JSON-RPC error reply; `args[0]` is its error object (code, message, data)."""


class RpcClient:
    """Requests over one websocket; not thread-safe (the backend's cache holds one per url)."""

    def __init__(self, url: str, timeout: float) -> None:
        from websocket import create_connection

        self.url = url
        self.websocket = create_connection(url, timeout=timeout)
        self._ids = itertools.count(1)

    def rpc_request(self, method: str, params: list,
                    result_handler: Callable[[dict, int, str], Any] | None = None) -> Any:
        """The reply object of one request; with `result_handler`, the request opens a
        subscription whose notifications go to it until it returns something (returned)."""
        rid = next(self._ids)
        self.websocket.send(json.dumps({"jsonrpc": "2.0", "id": rid, "method": method,
                                        "params": params}))
        subscription = None
        updates = 0
        while True:
            message = json.loads(self.websocket.recv())
            if not isinstance(message, dict):
                return message
            if message.get("id") == rid:
                if "error" in message:
                    raise RpcReplyError(message["error"])
                if result_handler is None:
                    return message
                subscription = message.get("result")
                continue
            params_ = message.get("params")
            if subscription is not None and isinstance(params_, dict) and \
                    params_.get("subscription") == subscription:
                outcome = result_handler(message, updates, subscription)
                updates += 1
                if outcome is not None:
                    return outcome
            # anything else: a notification of another subscription, dropped

    def close(self) -> None:
        self.websocket.close()

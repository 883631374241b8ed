"""`taoctl node serve` under abuse: malformed, deeply nested and oversized requests get JSON-RPC
errors on a connection that stays open; negative counts are refused; a write while another
process holds the chain's write lock fails with a clear busy error after a bounded wait, and
other clients are served meanwhile (issue 12, observation 6)."""

from __future__ import annotations

import json
import sqlite3
import threading
import time

import pytest
from websockets.sync.client import connect


@pytest.fixture(scope="module")
def node(shared_node):
    return shared_node  # one node for the module (tests/node/conftest.py)


def _ask(ws, message) -> dict | list:
    ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))
    return json.loads(ws.recv(timeout=10))


def _code(reply) -> int:
    return reply["error"]["code"]


@pytest.mark.parametrize("message, code", [
    ("[" * 1000, -32700),
    ("[" * 100_000 + "]" * 100_000, -32700),
    ('{"jsonrpc": "2.0", "id": 1, "method": "system_name", "params": ' + "[" * 5000
     + "]" * 5000 + "}", -32700),
    ("not json", -32700),
    (b"\xff\xfe", -32700),
    ("[]", -32600),
    ('{"id": 1, "method": 5}', -32600),
    ('{"id": [1], "method": "system_name"}', -32600),
    ('"just a string"', -32600),
    ('{"id": 1, "method": "system_name", "params": 5}', -32602),
    ('{"id": 1, "method": "system_name", "params": ["extra"]}', -32602),
    ('{"id": 1, "method": "chain_getBlockHash", "params": ["abc"]}', -32602),
    ('{"id": 1, "method": "chain_getBlockHash", "params": [-1]}', -32602),
    ('{"id": 1, "method": "state_getKeysPaged", "params": ["0x", -1]}', -32602),
    ('{"id": 1, "method": "state_getKeysPaged", "params": ["0x", true]}', -32602),
    ('{"id": 1, "method": "state_getKeysPaged", "params": ["0x", 1.5]}', -32602),
    ('{"id": 1, "method": "state_getKeysPaged", "params": ["0x", 1001]}', -32602),
    ('{"id": 1, "method": "state_getKeysPaged", "params": ["0xzz", 1]}', -32602),
    ('{"id": 1, "method": "no_such_method"}', -32601),
])
def test_bad_requests_get_json_rpc_errors_and_the_connection_stays(node, message, code):
    with connect(node[1], max_size=None) as ws:
        reply = _ask(ws, message)
        assert isinstance(reply, dict) and _code(reply) == code, reply
        assert _ask(ws, {"jsonrpc": "2.0", "id": 2, "method": "system_name"})["result"]


def test_oversized_and_overlong_batches(node):
    from chain.node.server import MAX_BATCH, MAX_REQUEST_BYTES

    with connect(node[1], max_size=None) as ws:
        big = json.dumps({"id": 1, "method": "system_name", "params": ["x" * MAX_REQUEST_BYTES]})
        assert _code(_ask(ws, big)) == -32600
        batch = [{"jsonrpc": "2.0", "id": i, "method": "system_name"}
                 for i in range(MAX_BATCH + 1)]
        assert _code(_ask(ws, batch)) == -32600
        replies = _ask(ws, batch[:3] + [5])
        assert [r.get("result") for r in replies[:3]] == ["taoctl-node"] * 3
        assert _code(replies[3]) == -32600


def test_keys_paged_counts(node):
    with connect(node[1]) as ws:
        keys = _ask(ws, {"id": 1, "method": "state_getKeysPaged", "params": ["0x", 3]})["result"]
        assert len(keys) == 3
        assert _ask(ws, {"id": 1, "method": "state_getKeysPaged",
                         "params": ["0x", 0]})["result"] == []


def _signed_transfer(url) -> str:
    from substrateinterface import Keypair, SubstrateInterface

    client = SubstrateInterface(url=url, type_registry={"types": {"Balance": "u64"}},
                                ws_options={"timeout": 10})
    try:
        call = client.compose_call("Balances", "transfer_keep_alive",
                                   {"dest": Keypair.create_from_uri("//Bob").ss58_address,
                                    "value": 10**9})
        xt = client.create_signed_extrinsic(call, Keypair.create_from_uri("//Alice"))
        return "0x" + xt.data.data.hex()
    finally:
        client.close()


def test_a_busy_chain_fails_the_write_clearly_and_others_are_served(node, monkeypatch):
    monkeypatch.setenv("TAOCTL_NODE_BUSY_TIMEOUT", "1.5")
    raw = _signed_transfer(node[1])
    holder = sqlite3.connect(node[2], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock
    answered: list[float] = []
    try:
        started = time.monotonic()
        result: dict = {}

        def submit():
            with connect(node[1]) as ws:
                result.update(_ask(ws, {"jsonrpc": "2.0", "id": 1,
                                        "method": "author_submitExtrinsic", "params": [raw]}))

        writer = threading.Thread(target=submit)
        writer.start()
        time.sleep(0.2)
        for _ in range(3):  # new clients connect and are answered while the write waits
            with connect(node[1], open_timeout=1) as ws:
                assert _ask(ws, {"id": 1, "method": "chain_getHeader"})["result"]["number"]
            answered.append(time.monotonic() - started)
        writer.join(10)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result["error"]["code"] == -32010, result
    assert "busy" in result["error"]["message"] and "retry" in result["error"]["message"]
    assert 1.4 < waited < 5
    assert answered[-1] < 1.4, answered  # served before the write gave up
    with connect(node[1]) as ws:  # the lock is free again: the same extrinsic now goes in
        reply = _ask(ws, {"id": 2, "method": "author_submitExtrinsic", "params": [raw]})
        assert reply.get("result", "").startswith("0x"), reply

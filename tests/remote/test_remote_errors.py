"""Nodes that cannot be used: a closed port, a server that is not a Substrate node, a silent
server, an unknown network name. Each gives a clear one-line error and exit code 5 (2 for a bad
name) within the timeout, also under --json."""

from __future__ import annotations

import http.server
import json
import socket
import threading
import time

import pytest

from chain.remote import NodeTimeout, NodeUnreachable, NotASubstrateNode, open_remote

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def http_server():
    """A plain HTTP server (not a websocket, not a node)."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture()
def silent_server():
    """Accepts TCP connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    yield f"ws://127.0.0.1:{sock.getsockname()[1]}"
    sock.close()


@pytest.fixture()
def echo_ws_server():
    """A websocket server that answers every request with a non-Substrate JSON message."""
    import asyncio

    from websockets.asyncio.server import serve

    loop = asyncio.new_event_loop()
    ready, stop = threading.Event(), []
    port = []

    async def handler(ws):
        async for _ in ws:
            await ws.send(json.dumps({"hello": "world", "id": 999}))

    async def main():
        stop.append(asyncio.Event())
        async with serve(handler, "127.0.0.1", 0, close_timeout=0.5) as server:
            port.append(next(iter(server.sockets)).getsockname()[1])
            ready.set()
            await stop[0].wait()

    thread = threading.Thread(target=lambda: loop.run_until_complete(main()), daemon=True)
    thread.start()
    ready.wait(10)
    yield f"ws://127.0.0.1:{port[0]}"
    loop.call_soon_threadsafe(stop[0].set)
    thread.join(5)


def test_closed_port(taoctl):
    url = f"ws://127.0.0.1:{free_port()}"
    with pytest.raises(NodeUnreachable, match="refused"):
        open_remote(url, timeout=2)
    proc = taoctl.run("wallet", "balance", "--ss58", ALICE, "--network", url, "--json")
    assert proc.returncode == 5
    err = json.loads(proc.stdout)["error"]
    assert err["type"] == "NodeUnreachable" and url in err["message"]
    assert "Traceback" not in proc.stderr


def test_http_server_is_not_a_node(taoctl, http_server):
    with pytest.raises(NotASubstrateNode, match="not a Substrate node"):
        open_remote(http_server, timeout=2)
    proc = taoctl.run("wallet", "balance", "--ss58", ALICE, "--network", http_server)
    assert proc.returncode == 5 and "not a Substrate node" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_websocket_that_is_not_a_node(echo_ws_server):
    started = time.monotonic()
    with pytest.raises((NotASubstrateNode, NodeTimeout)):
        open_remote(echo_ws_server, timeout=1.5)
    assert time.monotonic() - started < 10


def test_silent_server_times_out(taoctl, silent_server):
    started = time.monotonic()
    with pytest.raises(NodeTimeout, match="within 1.5 s"):
        open_remote(silent_server, timeout=1.5)
    assert time.monotonic() - started < 5
    started = time.monotonic()
    proc = taoctl.run("wallet", "balance", "--ss58", ALICE, "--network", silent_server,
                      "--json", env={"TAOCTL_TIMEOUT": "1.5"})
    assert proc.returncode == 5 and json.loads(proc.stdout)["error"]["type"] == "NodeTimeout"
    assert time.monotonic() - started < 15


def test_unknown_network_name(taoctl):
    for bad in ("moon", "ws://", "http://127.0.0.1:9944"):
        proc = taoctl.run("wallet", "balance", "--ss58", ALICE, "--network", bad, "--json")
        assert proc.returncode == 2, bad
        assert json.loads(proc.stdout)["error"]["type"] == "UnknownNetwork"

"""Fixtures: a dev chain file served by a node in a thread on a free loopback port."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from chain.local.chain import LocalChain
from chain.node.server import NodeServer


@pytest.fixture()
def node(tmp_path):
    """(server, url, chain path); the server is stopped at the end of the test."""
    path = tmp_path / "chain.db"
    LocalChain.create(path, "dev").close()
    server = NodeServer(path, "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        yield server, f"ws://127.0.0.1:{server.port}", path
    finally:
        stop()


@pytest.fixture()
def substrate(node):
    """A plain substrate-interface client connected to the node."""
    from substrateinterface import SubstrateInterface

    client = SubstrateInterface(url=node[1], type_registry={"types": {"Balance": "u64"}},
                                ws_options={"timeout": 10})
    yield client
    client.close()


# -- hatch (issue 15): a node over a chain file a test set up itself -----------------------------
@contextlib.contextmanager
def serving(path: str | Path) -> Iterator[str]:
    """`taoctl node serve`'s server over an existing chain file, in a thread on a free
    loopback port; yields its URL and stops it (and forgets the cached connection) after."""
    from chain.remote import forget

    server = NodeServer(Path(path), "127.0.0.1", 0)
    _, stop = server.start_thread()
    url = f"ws://127.0.0.1:{server.port}"
    try:
        yield url
    finally:
        forget(url)
        stop()

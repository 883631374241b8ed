"""Fixtures: a chain file served by `taoctl node serve` in a thread on a free loopback port.

`serving(path)` is the one way a test starts a node (a context manager yielding (server, url,
path); the server stops at the end); `dev_chain(directory)` makes the chain file. `node` serves
a fresh dev chain to one test; `shared_node` one dev chain to a whole module, with
`shared_substrate`, a substrate-interface client whose metadata decoding (~1.5 s) is paid once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


def dev_chain(directory: Path, preset: str = "dev", name: str = "chain.db") -> Path:
    """A new bundled chain file of `preset` in `directory`."""
    from chain.local.chain import LocalChain

    path = directory / name
    LocalChain.create(path, preset).close()
    return path


@contextmanager
def serving(path: str | Path, **options: Any) -> Iterator[tuple[Any, str, Path]]:
    """`taoctl node serve` over the chain file at `path` (NodeServer `options`, e.g.
    block_time) in a thread: (server, url, path); stopped on leaving, and the remote backend's
    cached connection to it forgotten (the next test's node may reuse the port)."""
    from chain.node.server import NodeServer
    from chain.remote import forget

    path = Path(path)
    server = NodeServer(path, "127.0.0.1", 0, **options)
    _, stop = server.start_thread()
    url = f"ws://127.0.0.1:{server.port}"
    try:
        yield server, url, path
    finally:
        forget(url)
        stop()


def substrate_client(url: str) -> Any:
    """A plain substrate-interface client of the node at `url`."""
    from substrateinterface import SubstrateInterface

    return SubstrateInterface(url=url, type_registry={"types": {"Balance": "u64"}},
                              ws_options={"timeout": 10})


@pytest.fixture()
def node(tmp_path):
    """(server, url, chain path) of a fresh dev chain, for one test."""
    with serving(dev_chain(tmp_path)) as served:
        yield served


@pytest.fixture()
def substrate(node):
    """A plain substrate-interface client connected to `node`."""
    client = substrate_client(node[1])
    yield client
    client.close()


@pytest.fixture(scope="module")
def shared_node(tmp_path_factory):
    """(server, url, chain path) of one dev chain for the whole module: its tests assert
    changes relative to the state they find."""
    with serving(dev_chain(tmp_path_factory.mktemp("node"))) as served:
        yield served


@pytest.fixture(scope="module")
def shared_substrate(shared_node):
    """A substrate-interface client of `shared_node`, for the whole module."""
    client = substrate_client(shared_node[1])
    yield client
    client.close()


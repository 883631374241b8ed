"""The codec (`chain.substrate`) and the pallet declarations (`chain.pallets`) are shared by both
backends, so neither may import a backend: computed from the code, lazy imports included."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CHAIN = Path(__file__).resolve().parents[3] / "chain"
BACKENDS = ("chain.local", "chain.node", "chain.remote")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("room", ["substrate", "pallets"])
def test_shared_rooms_import_no_backend(room):
    files = sorted((CHAIN / room).glob("*.py"))
    assert files
    found = {f"{path.name}: {name}" for path in files for name in _imports(path)
             if name.startswith(BACKENDS) or name in ("chain.local", "chain.node", "chain.remote")}
    assert not found


def test_the_node_keeps_no_codec():
    """The codec moved out of chain/node: no module or recorded metadata left behind."""
    node = CHAIN / "node"
    assert not {"scale.py", "metadata.py", "extrinsic.py", "mapping.py"} & {
        p.name for p in node.iterdir()}
    assert not (node / "metadata").exists()

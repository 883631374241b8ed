"""Tests mirror the rooms: a test of a `chain.local`, `chain.node` or `chain.remote` module
lives in `tests/chain/local/`, `tests/node/` or `tests/remote/`; `tests/chain/` itself holds
the tests of `chain`'s own modules (units, yuma, heap), so none of its files imports a room."""

from __future__ import annotations

import ast
from pathlib import Path

ROOMS = ("chain.local", "chain.node", "chain.remote")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_tests_of_chain_rooms_live_in_their_room():
    here = Path(__file__).parent
    misplaced = {
        path.name: sorted(n for n in _imports(path) if n.startswith(ROOMS))
        for path in sorted(here.glob("*.py"))
    }
    assert {name: mods for name, mods in misplaced.items() if mods} == {}

"""The rooms' boundaries, computed from the code (every import statement, ast): the CLI sees
the contract and the factory only, the remote backend runs nothing of the sandbox's, and the
contract itself is free of both backends."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports_of(folder_or_file: str) -> dict[str, set[str]]:
    """file -> every module it imports (absolute names; relative imports resolved)."""
    path = ROOT / folder_or_file
    files = [path] if path.is_file() else sorted(path.rglob("*.py"))
    found: dict[str, set[str]] = {}
    for file in files:
        names: set[str] = set()
        package = ".".join(file.relative_to(ROOT).with_suffix("").parts[:-1])
        for node in ast.walk(ast.parse(file.read_text(), str(file))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base]) if base else ".".join(parts)
                names.add(base)
                names.update(f"{base}.{alias.name}" for alias in node.names)
        found[str(file.relative_to(ROOT))] = names
    return found


def offending(found: dict[str, set[str]], banned: tuple[str, ...]) -> dict[str, list[str]]:
    bad = {f: sorted(n for n in names if n.startswith(banned) or n in
                     tuple(b.rstrip(".") for b in banned)) for f, names in found.items()}
    return {f: names for f, names in bad.items() if names}


def test_cli_imports_only_the_contract_and_the_factory():
    found = imports_of("cli")
    assert offending(found, ("chain.local", "chain.node", "chain.remote", "chain.rules")) == {}
    chain_modules = {n for names in found.values() for n in names if n.startswith("chain")}
    # chain.heap: the process's allocator setting, made by the entry point (no backend)
    # chain.exitcodes, chain.errors: the README's exit-code table and the refusal classes
    allowed = ("chain.backend", "chain.factory", "chain.units", "chain.heap", "chain.exitcodes",
               "chain.errors")
    assert {n for n in chain_modules if not n.startswith(allowed)} == set()


def test_remote_backend_imports_nothing_of_the_sandbox():
    assert offending(imports_of("chain/remote"), ("chain.local",)) == {}


def test_the_contract_and_the_rules_import_no_backend():
    assert offending(imports_of("chain/backend.py"),
                     ("chain.local", "chain.remote", "chain.node")) == {}
    assert offending(imports_of("chain/rules"),
                     ("chain.local", "chain.remote", "chain.node")) == {}


def test_the_checker_sees_a_violation():
    """The scan is not vacuous: the factory does name the backends."""
    assert offending(imports_of("chain/factory.py"), ("chain.local", "chain.remote"))

"""Exit codes are defined once (`chain.exitcodes`, the README's table) and every room names them
from there: no module defines an `EXIT_*` number of its own, no error class writes a bare number;
`amm/` and `wallet/` errors carry none and get theirs from `cli.errors.ROOM_EXIT_CODES`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from chain import exitcodes

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("amm", "wallet", "chain", "cli")

# Modules other engineers own while this lands; each still writes `exit_code = <number>` and
# should import the constant from `exitcodes` instead. Shrink this list, never grow it.
NOT_YET = {
    "chain/local/coinbase.py", "chain/substrate/metadata.py",
}


def test_the_readme_table_is_exitcodes():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Exit codes"):].split("\n\n")[1]
    rows = dict(re.findall(r"^\| (\d+) \| (.+) \|$", table, re.MULTILINE))
    assert {int(code): meaning for code, meaning in rows.items()} == exitcodes.MEANINGS


def _numbers_assigned(path: Path) -> list[str]:
    """`EXIT_X = 2` at module level, or `exit_code = 2` in a class body."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Constant):
            continue
        if not isinstance(node.value.value, int):
            continue
        for target in node.targets:
            name = getattr(target, "id", None) or getattr(target, "attr", None) or ""
            if name == "exit_code" or name.startswith("EXIT_"):
                found.append(f"{name} = {node.value.value} (line {node.lineno})")
    return found


def test_exit_codes_are_defined_once():
    offenders = {}
    for room in ROOMS:
        for path in sorted((ROOT / room).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel in NOT_YET or rel == "chain/exitcodes.py":  # the one definition
                continue
            found = _numbers_assigned(path)
            if found:
                offenders[rel] = found
    assert not offenders, f"name the code from exitcodes instead: {offenders}"


def test_the_rooms_errors_carry_codes_from_the_table():
    import amm.errors
    import chain.errors
    import chain.local.errors
    import chain.remote.errors
    import cli.errors
    import wallet.errors

    for module in (amm.errors, wallet.errors, chain.errors, chain.local.errors,
                   chain.remote.errors, cli.errors):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseException) and \
                    "exit_code" in vars(value):
                assert value.exit_code in exitcodes.MEANINGS, (module.__name__, value)
                assert value.exit_code != exitcodes.EXIT_OK


def test_the_pure_rooms_know_no_exit_codes_and_the_cli_gives_each_error_one():
    import amm.errors
    import wallet.errors
    from cli.errors import ROOM_EXIT_CODES, room_exit_code

    for module in (amm.errors, wallet.errors):
        assert "exitcodes" not in Path(module.__file__).read_text()
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseException) \
                    and value.__module__ == module.__name__:
                assert "exit_code" not in vars(value), value
                assert room_exit_code(value) in exitcodes.MEANINGS, value
    assert set(ROOM_EXIT_CODES.values()) <= set(exitcodes.MEANINGS) - {exitcodes.EXIT_OK}
    assert room_exit_code(wallet.errors.KeyNotFound) == exitcodes.EXIT_WALLET
    assert room_exit_code(wallet.errors.InvalidWalletName) == exitcodes.EXIT_USAGE
    assert room_exit_code(amm.errors.SlippageTooHigh) == exitcodes.EXIT_REFUSED
    assert room_exit_code(amm.errors.AmountTooLow) == exitcodes.EXIT_USAGE


def test_exitcodes_imports_nothing():
    """Every room may import it, `taoctl --help` included, so it stays free of imports."""
    tree = ast.parse((ROOT / "chain" / "exitcodes.py").read_text())
    imports = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert [getattr(n, "module", None) for n in imports] == ["__future__"]

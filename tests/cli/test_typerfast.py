"""Plain options, int ranges included, are read without pydantic (tests of cli.typerfast)."""

from __future__ import annotations

import json
import subprocess
import sys


def _run(*args: str) -> tuple[dict, list[str]]:
    """taoctl's entry point in a fresh interpreter: (its JSON output, the modules it loaded
    that matter here)."""
    code = ("import sys, json; from cli.main import main\n"
            f"sys.argv = ['taoctl', *{list(args)!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(json.dumps(sorted(m for m in sys.modules if m in ('pydantic', 'typer._adapters'))),"
            " file=sys.stderr)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"TAOCTL_CHAIN_DB": "/nonexistent/chain.db", "PATH": "/usr/bin"})
    return json.loads(proc.stdout), json.loads(proc.stderr.strip().splitlines()[-1])


def test_a_ranged_int_option_is_read_without_pydantic():
    doc, loaded = _run("portfolio", "--ss58", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                       "--at-block", "5", "--archive-blocks", "10", "--json")
    assert doc["error"]["type"] == "ChainNotFound"  # the option was read; the chain is missing
    assert loaded == []


def test_ranged_ints_keep_their_bounds_and_ascii_digits():
    for value, words in (("-1", "greater than or equal to 0"), ("١٠", "ASCII digits"),
                         ("x", "ASCII digits")):
        doc, _ = _run("portfolio", "--at-block", value, "--json")
        assert doc["error"]["exit_code"] == 2 and words in doc["error"]["message"], doc
    doc, _ = _run("portfolio", "--archive-blocks", "1000001", "--json")
    assert "less than or equal to 1000000" in doc["error"]["message"]

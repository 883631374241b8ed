"""How a failing command reports: every spelling of the JSON flag gives the JSON error document,
a refusal of the chain exits 4, TAOCTL_DEBUG adds the traceback and keeps the exit code, and an
internal error is one line without it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Taoctl

JSON_SPELLINGS = ("--json", "--json-output", "--json-out")  # taoctl's, then btcli's two


def _one_json_error(proc) -> dict:
    """stdout is exactly one JSON document, an error object; stderr ends with the same one."""
    doc = json.loads(proc.stdout)
    assert set(doc) == {"error"}
    assert set(doc["error"]) == {"type", "message", "exit_code"}
    assert doc["error"]["exit_code"] == proc.returncode
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == doc
    assert "Traceback" not in proc.stderr
    return doc["error"]


def test_every_json_spelling_gives_the_json_error(taoctl):
    for flag in JSON_SPELLINGS:
        proc = taoctl.run("wallet", "balance", "--wallet-name", "nobody", flag)
        assert proc.returncode == 3, (flag, proc.stderr)
        error = _one_json_error(proc)
        assert error["type"] == "KeyNotFound", flag


def test_the_json_flags_are_the_ones_commands_accept(taoctl):
    """The error path knows exactly the spellings the commands take (none more, none fewer)."""
    from cli.errors import JSON_FLAGS

    assert JSON_FLAGS == JSON_SPELLINGS
    help_text = taoctl.run("wallet", "balance", "--help").stdout
    for flag in JSON_SPELLINGS:
        assert flag in help_text


def test_lookalike_flags_are_not_json(taoctl):
    """`--json-path` (a Polkadot-JS backup) does not turn errors into JSON."""
    from cli.errors import json_requested

    assert not json_requested(["wallet", "regen-coldkey", "--json-path", "x.json"])
    assert not json_requested(["node", "--", "--json"])
    assert json_requested(["stake", "add", "--json-out"])


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory):
    root = tmp_path_factory.mktemp("errors-cli")
    (root / "home").mkdir()
    t = Taoctl(root / "home")
    t.env["TAOCTL_CHAIN_DB"] = str(root / "sandbox.db")
    t.json("chain", "init")
    t.json("wallet", "create", "--wallet-name", "w", "--no-use-password", "-y")
    return t


def test_a_chain_refusal_exits_4_under_every_json_spelling(sandbox):
    for flag in JSON_SPELLINGS:
        proc = sandbox.run("subnet", "register", "--netuid", "99", "--wallet-name", "w", "-y",
                           flag)
        error = _one_json_error(proc)
        assert (error["type"], error["exit_code"]) == ("SubnetNotExists", 4), flag


def test_debug_adds_the_traceback_and_keeps_the_exit_code(taoctl):
    plain = taoctl.run("wallet", "balance", "--wallet-name", "nobody")
    debug = taoctl.run("wallet", "balance", "--wallet-name", "nobody",
                       env={"TAOCTL_DEBUG": "1"})
    assert plain.returncode == debug.returncode == 3
    assert "Traceback" not in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr
    assert "KeyNotFound" in debug.stderr
    assert debug.stderr.strip().splitlines()[-1] == plain.stderr.strip()


def test_debug_keeps_stdout_one_json_document(taoctl):
    proc = taoctl.run("wallet", "balance", "--wallet-name", "nobody", "--json-output",
                      env={"TAOCTL_DEBUG": "1"})
    assert proc.returncode == 3
    assert json.loads(proc.stdout)["error"]["exit_code"] == 3
    assert "Traceback (most recent call last)" in proc.stderr


def test_debug_keeps_a_usage_error_code(taoctl):
    proc = taoctl.run("no-such-group", env={"TAOCTL_DEBUG": "1"})
    assert proc.returncode == 2


# -- the reporter itself ---------------------------------------------------------------------
def test_an_internal_error_is_one_line_and_exit_1(capsys):
    from cli.errors import report

    def broken():
        return {}["missing"]

    try:
        broken()
    except KeyError as exc:
        code = report(exc, json_mode=False)
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("Error: internal error (KeyError)") and "TAOCTL_DEBUG=1" in err


def test_an_internal_error_under_debug_shows_where(capsys):
    from cli.errors import report

    def broken():
        return {}["missing"]

    try:
        broken()
    except KeyError as exc:
        code = report(exc, json_mode=True, debug=True)
    captured = capsys.readouterr()
    assert code == 1
    assert "Traceback (most recent call last)" in captured.err and "in broken" in captured.err
    assert json.loads(captured.out)["error"] == {
        "type": "InternalError", "message": "internal error (KeyError): 'missing'",
        "exit_code": 1}


def test_an_error_whose_text_fails_is_still_reported(capsys):
    from cli.errors import report

    class Odd(Exception):
        def __str__(self):
            raise RuntimeError("no text")

    assert report(Odd(), json_mode=False) == 1
    assert "Traceback" not in capsys.readouterr().err


def test_a_typed_refusal_is_reported_by_its_name(capsys):
    from chain.errors import fail
    from cli.errors import report

    assert report(fail("NotEnoughBalanceToStake", "has 1 rao"), json_mode=True) == 4
    assert json.loads(capsys.readouterr().out)["error"]["type"] == "NotEnoughBalanceToStake"


@pytest.fixture
def boom(monkeypatch):
    """A command group `boom` whose `go` fails with a bug (a KeyError), run through `main`."""
    import importlib.machinery
    import sys
    import types

    import typer

    import cli.main

    module = types.ModuleType("tests_boom_group")
    module.__spec__ = importlib.machinery.ModuleSpec("tests_boom_group", None)
    module.app = typer.Typer()

    @module.app.command()
    def go() -> None:
        """Fail as a bug does."""
        _ = {}["missing"]

    @module.app.command()
    def other() -> None:
        """A second command, so `go` stays a subcommand."""

    monkeypatch.setitem(sys.modules, "tests_boom_group", module)
    monkeypatch.setitem(cli.main.GROUPS, "boom", (("tests_boom_group",), "Fails."))

    def run() -> int:
        with pytest.raises(SystemExit) as exited:
            cli.main.main(["boom", "go"])
        return exited.value.code

    return run


def test_a_bug_exits_1_with_one_line_and_no_traceback(boom, capsys, monkeypatch):
    monkeypatch.delenv("TAOCTL_DEBUG", raising=False)
    assert boom() == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "internal error (KeyError)" in err and "TAOCTL_DEBUG=1" in err


def test_a_bug_under_debug_shows_its_traceback_and_still_exits_1(boom, capsys, monkeypatch):
    monkeypatch.setenv("TAOCTL_DEBUG", "1")
    assert boom() == 1
    captured = capsys.readouterr()
    assert "Traceback (most recent call last)" in captured.err and "in go" in captured.err

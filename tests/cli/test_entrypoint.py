"""The installed command starts, lists its groups and turns bad usage into one-line errors."""

import json


def test_help_lists_groups(taoctl):
    proc = taoctl.run("--help")
    assert proc.returncode == 0
    assert proc.stdout.count("Commands:") == 1  # listed once, not by both help sections
    assert "quote" in proc.stdout


def test_version(taoctl):
    proc = taoctl.run("--version")
    assert proc.returncode == 0
    assert proc.stdout.startswith("taoctl ")


def test_unknown_command_is_usage_error(taoctl):
    proc = taoctl.run("no-such-group")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("Error:")


def test_unknown_command_json_error(taoctl):
    proc = taoctl.run("no-such-group", "--json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    assert doc["error"]["exit_code"] == 2
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == doc


def test_help_does_not_import_heavy_modules():
    import subprocess
    import sys

    code = (
        "import sys; sys.argv=['taoctl','--help']\n"
        "import cli.main\n"
        "try:\n    cli.main.main()\nexcept SystemExit:\n    pass\n"
        "heavy=[m for m in ('numpy','substrateinterface','scalecodec','keyring','sqlite3',"
        "'nacl','rich') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in proc.stderr, proc.stderr

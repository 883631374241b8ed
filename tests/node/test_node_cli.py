"""`taoctl node serve` as a process: it binds loopback by default, announces its URL as one JSON
document, seals blocks on a timer with --block-time, stops cleanly on Ctrl-C, and refuses bad
options or a missing chain with one-line errors. Also: a node of another chain is refused when
the network name promises finney."""

from __future__ import annotations

import json
import signal
import subprocess
import time

import pytest

from chain.remote import UnexpectedChain, forget, open_remote


def taoctl_path() -> str:
    import shutil
    import sys
    from pathlib import Path

    candidate = Path(sys.executable).with_name("taoctl")
    return str(candidate) if candidate.exists() else shutil.which("taoctl")


def start(taoctl, *args: str) -> tuple[subprocess.Popen, dict]:
    """Start `taoctl node serve --port 0 --json ...`; returns the process and its announcement."""
    proc = subprocess.Popen([taoctl_path(), "node", "serve", "--port", "0", "--json", *args],
                            env=taoctl.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    text, deadline = "", time.monotonic() + 30
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        text += line
        try:
            return proc, json.loads(text)
        except ValueError:
            continue
    proc.kill()
    raise AssertionError(f"the node did not announce itself: {text} {proc.stderr.read()}")


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise


@pytest.fixture()
def chain_file(taoctl, tmp_path):
    taoctl.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "chain.db")
    taoctl.json("chain", "init")
    return tmp_path / "chain.db"


def test_serve_announces_and_stops_cleanly(taoctl, chain_file):
    proc, info = start(taoctl)
    try:
        assert info["host"] == "127.0.0.1" and info["url"].startswith("ws://127.0.0.1:")
        assert info["spec_version"] == 461 and info["chain_db"] == str(chain_file)
        doc = taoctl.json("wallet", "balance", "--ss58",
                          "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                          "--network", info["url"])
        assert doc["balances"][0]["free_rao"] == 1_000_000 * 10**9
    finally:
        code = stop(proc)
    assert code == 0
    assert "Traceback" not in proc.stderr.read()


@pytest.mark.slow
def test_block_time_seals_blocks(taoctl, chain_file):
    before = taoctl.json("chain", "status")["block"]
    proc, info = start(taoctl, "--block-time", "0.3")
    try:
        time.sleep(2)
    finally:
        stop(proc)
    after = taoctl.json("chain", "status")["block"]
    assert after - before >= 3
    assert taoctl.json("chain", "check")["ok"]


def test_log_level_info_logs_submissions_and_refusals_without_params(taoctl, chain_file):
    """The operator sees each refused request (method, code, why) and, at info, each
    submission; never the request's params."""
    from substrateinterface import SubstrateInterface

    proc, info = start(taoctl, "--log-level", "info")
    try:
        client = SubstrateInterface(url=info["url"], type_registry={"types": {"Balance": "u64"}})
        try:
            garbage = "0x" + "5a" * 50
            with pytest.raises(Exception):
                client.rpc_request("author_submitExtrinsic", [garbage])
            doc = taoctl.json("wallet", "balance", "--ss58",
                              "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                              "--network", info["url"])
            assert doc["balances"]
        finally:
            client.close()
    finally:
        stop(proc)
    log = proc.stderr.read()
    assert "author_submitExtrinsic refused (1002)" in log and "5a" * 50 not in log
    assert "Traceback" not in log


def test_non_loopback_host_warns(taoctl, chain_file):
    proc, info = start(taoctl, "--host", "0.0.0.0")
    try:
        assert info["host"] == "0.0.0.0"
    finally:
        stop(proc)
    assert "anyone who can reach" in proc.stderr.read()


def test_bad_options_and_missing_chain(taoctl, tmp_path):
    for args in (["--port", "70000"], ["--block-time", "0"], ["--log-level", "loud"]):
        proc = taoctl.run("node", "serve", *args, "--json")
        assert proc.returncode == 2 and "error" in json.loads(proc.stdout), args
    proc = taoctl.run("node", "serve", "--chain-db", str(tmp_path / "none.db"), "--json")
    assert proc.returncode == 5 and json.loads(proc.stdout)["error"]["type"] == "ChainNotFound"


def test_port_in_use(taoctl, chain_file):
    first, info = start(taoctl)
    try:
        proc = taoctl.run("node", "serve", "--port", str(info["port"]), "--json", timeout=30)
        assert proc.returncode == 5
        assert json.loads(proc.stdout)["error"]["type"] == "NodeServeError"
    finally:
        stop(first)


def test_a_node_of_another_chain_is_not_finney(node):
    _, url, _ = node
    try:
        with pytest.raises(UnexpectedChain, match="not finney"):
            open_remote(url, name="finney", timeout=5)
    finally:
        forget(url)

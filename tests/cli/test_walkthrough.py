"""The README's first command: the walkthrough runs every step on a fresh dev chain."""

import json


def test_walkthrough_runs_end_to_end(taoctl, tmp_path):
    workspace = tmp_path / "tour"
    proc = taoctl.run("walkthrough", "--dir", str(workspace), "--json", timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout)
    assert doc["ok"] is True
    ran = [s for s in doc["steps"] if not s.get("skipped")]
    assert all(s["exit_code"] == 0 for s in ran)
    commands = [s["command"] for s in ran]
    assert any(c.startswith("taoctl stake add") for c in commands)
    staked = next(s["result"] for s in ran if s["command"].startswith("taoctl stake add"))
    assert staked["dry_run"] is False
    assert staked["matches_quote"] is True  # quote == execution, to the rao
    assert (workspace / "chain.db").exists()
    assert (workspace / "wallets" / "demo" / "coldkey").exists()


def test_walkthrough_refuses_a_foreign_directory(taoctl, tmp_path):
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "precious.txt").write_text("keep me")
    proc = taoctl.run("walkthrough", "--dir", str(foreign))
    assert proc.returncode == 2
    assert (foreign / "precious.txt").read_text() == "keep me"

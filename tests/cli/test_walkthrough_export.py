"""The walkthrough's continue-by-hand line (issue 13, observation 3): at any terminal width the
last line is one whole `export`, and pasted it points the next command at the tour's wallet."""

from __future__ import annotations

import shlex


def test_the_export_line_is_whole_at_a_narrow_terminal(taoctl, tmp_path):
    workspace = tmp_path / "tour-with-a-rather-long-directory-name"
    proc = taoctl.run("walkthrough", "--dir", str(workspace), env={"COLUMNS": "40"},
                      timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    last = [line for line in proc.stderr.splitlines() if line.strip()][-1]
    words = shlex.split(last)
    assert words[0] == "export", last
    exported = dict(word.split("=", 1) for word in words[1:])
    assert exported == {"TAOCTL_CHAIN_DB": str(workspace / "chain.db"),
                        "TAOCTL_WALLET_PATH": str(workspace / "wallets"),
                        "TAOCTL_WALLET_NAME": "demo"}
    # every command line the tour shows is whole too
    shown = [line for line in proc.stderr.splitlines() if line.startswith("$ taoctl ")]
    assert len(shown) >= 15 and all(line.split()[-1] != "\\" for line in shown)
    assert any(line.startswith("$ taoctl stake add --netuid 1 --amount 2 --hotkey validator")
               for line in shown)
    balance = taoctl.json("wallet", "balance", env=exported)  # the line, pasted, works
    assert balance["balances"][0]["wallet"] == "demo"
    assert balance["balances"][0]["free_rao"] > 0

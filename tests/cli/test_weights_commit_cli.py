"""Commit-reveal from the CLI (ECONOMICS-2026 §7.0; `chain.local.commit_reveal`): the owner
turns it on through `taoctl call AdminUtils ...`, `weights set` is then refused before anything
is signed, `weights commit` prints the salt and the epoch to reveal in, a reveal too early is
refused (exit 4), in its epoch it sets the weights (the client signs the chain's own hash,
`chain.factory.weights_commit_hash`, which test_commit_reveal holds to btcli's)."""

from __future__ import annotations

import pytest

from chain.local import commit_reveal as cr
from chain.local.chain import LocalChain
from tests.cli.test_weights_cli import _uid, subnet  # noqa: F401 - the subnet fixture

pytestmark = pytest.mark.in_process


def _epoch(db, netuid: int) -> int:
    with LocalChain.open(db) as chain, chain.reading() as state:
        return cr.current_epoch_with_lookahead(state, netuid, chain.open_number())


def test_commit_then_reveal_from_the_cli(taoctl, subnet):  # noqa: F811
    db, netuid, keys = subnet
    n = str(netuid)
    on = taoctl.run("call", "AdminUtils", "sudo_set_commit_reveal_weights_enabled",
                    f"netuid={netuid}", "enabled=true", "--wallet-name", "owner", "-y")
    assert on.returncode == 0, on.stderr
    taoctl.json("chain", "advance", "112")  # an epoch (permits) and past the rate limit
    miner = str(_uid(db, netuid, keys["miner"]["hotkey_ss58"]))
    hot = ("--wallet-name", "val", "-H", "default", "-y")
    refused = taoctl.run("weights", "set", "--netuid", n, "--uids", miner, "--weights", "1", *hot)
    assert refused.returncode == 4 and "CommitRevealEnabled" in refused.stderr
    dry = taoctl.run("weights", "commit", "--netuid", n, "--uids", miner, "--weights", "1",
                     "--dry-run", *hot)
    assert dry.returncode == 0 and "commit_weights on subnet" in dry.stdout, dry.stderr
    done = taoctl.json("weights", "commit", "--netuid", n, "--uids", miner, "--weights", "1",
                       *hot)
    salt = ",".join(map(str, done["salt"]))
    assert len(done["salt"]) == 8 and done["reveal_epoch"] == done["commit_epoch"] + 1
    reveal = ("weights", "reveal", "--netuid", n, "--uids", miner, "--weights", "1", "--salt",
              salt, *hot)
    early = taoctl.run(*reveal)
    assert early.returncode == 4 and "RevealTooEarly" in early.stderr
    while _epoch(db, netuid) < done["reveal_epoch"]:
        taoctl.json("chain", "advance", "1")
    revealed = taoctl.run(*reveal)  # the human output
    assert revealed.returncode == 0, revealed.stderr
    assert f"Weights revealed on subnet {netuid}" in revealed.stdout and f"{miner}:1.0000" in \
        revealed.stdout
    shown = taoctl.json("weights", "show", "--netuid", n)["validators"]
    val_uid = _uid(db, netuid, keys["val"]["hotkey_ss58"])
    assert [v["weights"][0]["uid"] for v in shown if v["uid"] == val_uid] == [int(miner)]
    assert taoctl.json("chain", "check")["ok"]

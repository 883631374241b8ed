"""`taoctl chain history`: the retention is shown and can be set; reads beyond it are refused."""

from __future__ import annotations

import pytest


@pytest.fixture
def chain(taoctl, tmp_path):
    db = tmp_path / "sandbox.db"
    taoctl.env["TAOCTL_CHAIN_DB"] = str(db)
    taoctl.json("chain", "init")
    return db


def test_history_retention_is_shown_and_set(taoctl, chain):
    taoctl.json("chain", "advance", "30")
    shown = taoctl.json("chain", "history")
    assert shown == {"keep": 216_000, "oldest": 0, "head": 30}
    assert taoctl.json("chain", "history", "--keep", "10") == {"keep": 10, "oldest": 21,
                                                               "head": 30}
    from chain.local.backend import LocalBackend
    from chain.local.history import StateDiscarded

    backend = LocalBackend(chain)
    try:
        assert backend.at(21).block_info().number == 22
        with pytest.raises(StateDiscarded, match="State already discarded for block 20"):
            backend.at(20)
    finally:
        backend.close()
    taoctl.json("chain", "check")

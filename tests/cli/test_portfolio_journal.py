"""Issue 17: on a real network the cost basis comes from taoctl's journal of receipts.

A node (`taoctl node serve` over a sandbox file) keeps no index of an account's extrinsics, so
`stake add`/`stake remove` through it journal their receipts (0600, append-only) and
`portfolio --network ws://...` books them: the same basis and realized P&L as the sandbox finds
in its own record of the same extrinsics. A torn last line is skipped; positions without a
journaled operation say their origin is unknown.
"""

from __future__ import annotations

import json
import stat

import pytest

from tests.conftest import sandbox_session
from tests.node.conftest import serving

TAO = 10**9


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    t = sandbox_session(tmp_path_factory, "journal")
    root, db = t.root, t.root / "sandbox.db"
    journal = root / "data" / "journal.jsonl"
    t.env["TAOCTL_JOURNAL"] = str(journal)
    from chain.local.chain import LocalChain
    from chain.pallets import taoctl

    chain = LocalChain.open(db)
    with chain.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")
    chain.close()
    owner = t.json("wallet", "create", "--wallet-name", "owner", "--no-use-password", "-y")
    me = t.json("wallet", "create", "--wallet-name", "me", "--no-use-password", "-y")
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(2 * lock // TAO + 10))
    t.json("chain", "fund", me["coldkey_ss58"], "500")
    n = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    t.json("subnet", "start", "--netuid", n, "--wallet-name", "owner", "-y")
    owner_hotkey = owner.get("hotkey_ss58") or owner["hotkeys"][0]["ss58"]
    # in the clear (issue 15): the chain record (`source: chain`) does not yet attribute a
    # MEV shield carrier's fee to its inner trade, which the journal's receipt includes
    with serving(db) as (_, url, _):
        t.json("stake", "add", "--netuid", n, "--amount", "40", "--wallet-name", "me",
               "--hotkey-ss58", owner_hotkey, "--unsafe", "-y", "--network", url,
               "--no-mev-shield")
        then = {"block": t.json("chain", "history")["head"],
                "node": t.json("portfolio", "--wallet-name", "me", "--network", url),
                "sandbox": t.json("portfolio", "--wallet-name", "me")}
        t.json("chain", "advance", "3")
        t.json("stake", "remove", "--netuid", n, "--amount", "3", "--wallet-name", "me",
               "--hotkey-ss58", owner_hotkey, "--unsafe", "-y", "--network", url,
               "--no-mev-shield")
        t.json("chain", "advance", "3")
        yield t, url, journal, then


def test_journal_is_private_and_append_only(served):
    _, _, journal, _ = served
    assert stat.S_IMODE(journal.stat().st_mode) == 0o600
    lines = journal.read_text().splitlines()
    assert len(lines) == 2
    entries = [json.loads(x) for x in lines]
    assert [e["call"]["name"] for e in entries] == ["add_stake", "remove_stake"]
    assert all(e["fee_rao"] > 0 and e["success"] for e in entries)
    assert "secret" not in journal.read_text().lower()


def test_node_portfolio_from_the_journal_equals_the_sandbox_record(served):
    t, url, journal, _ = served
    remote = t.json("portfolio", "--wallet-name", "me", "--network", url)
    local = t.json("portfolio", "--wallet-name", "me")
    assert remote["wallets"][0]["source"] == "journal"
    assert local["wallets"][0]["source"] == "chain"
    keys = ("cost_basis_rao", "alpha_bought_rao", "alpha_sold_rao", "realized_pnl_rao",
            "unrealized_pnl_rao", "fees_rao", "spot_value_rao", "basis_known")
    r, s = remote["wallets"][0]["positions"][0], local["wallets"][0]["positions"][0]
    assert {k: r[k] for k in keys} == {k: s[k] for k in keys}
    entries = [json.loads(x) for x in journal.read_text().splitlines()]
    assert r["basis_known"] and r["fees_rao"] == sum(e["fee_rao"] for e in entries)
    bought = r["alpha_bought_rao"]
    basis0 = 40 * TAO + entries[0]["fee_rao"]  # the fee is in the basis
    assert r["cost_basis_rao"] == basis0 - basis0 * (3 * TAO) // bought


def test_a_torn_line_is_skipped_and_unknown_origin_said(served, tmp_path):
    t, url, journal, _ = served
    torn = tmp_path / "journal.jsonl"
    torn.write_text(journal.read_text().splitlines()[0] + "\n" + '{"genesis": "0x')
    t.env["TAOCTL_JOURNAL"] = str(torn)
    try:
        data = t.json("portfolio", "--wallet-name", "me", "--network", url)
        assert data["wallets"][0]["operations"] == 1
        t.env["TAOCTL_JOURNAL"] = str(tmp_path / "empty.jsonl")
        data = t.json("portfolio", "--wallet-name", "me", "--network", url)
        row = data["wallets"][0]["positions"][0]
        assert not row["basis_known"] and row["cost_basis_rao"] is None
        assert "no operation on record" in row["origin"]
    finally:
        t.env["TAOCTL_JOURNAL"] = str(journal)


def test_an_unwritable_journal_warns_and_the_stake_stands(served, tmp_path):
    t, url, journal, _ = served
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("")
    t.env["TAOCTL_JOURNAL"] = str(blocked / "journal.jsonl")
    try:
        before = t.json("stake", "list", "--wallet-name", "me", "--network", url)
        proc = t.run("stake", "add", "--netuid", "1", "--amount", "1", "--wallet-name", "me",
                     "--hotkey-ss58", before["stakes"][0]["hotkey"], "--unsafe", "-y",
                     "--network", url, "--json")
        assert proc.returncode == 0, proc.stderr
        assert "not written to the journal" in proc.stderr
        assert "Traceback" not in proc.stderr
        after = t.json("stake", "list", "--wallet-name", "me", "--network", url)
        assert after["stakes"][0]["alpha_rao"] > before["stakes"][0]["alpha_rao"]
    finally:
        t.env["TAOCTL_JOURNAL"] = str(journal)


def test_portfolio_at_block_gives_the_earlier_figures(served):
    """`--at-block B` after an unstake and more blocks: the figures taken while B was the head,
    through the node (the journal's entries up to B, the state at B's hash) and on the
    sandbox (its record and history at B)."""
    t, url, _, then = served
    b = str(then["block"])
    now = t.json("portfolio", "--wallet-name", "me", "--network", url)
    assert now["wallets"][0]["positions"][0]["alpha_sold_rao"] > 0  # the chain moved on
    assert now != then["node"]
    assert t.json("portfolio", "--wallet-name", "me", "--network", url, "--at-block", b) == \
        then["node"]
    assert t.json("portfolio", "--wallet-name", "me", "--at-block", b) == then["sandbox"]
    row = then["node"]["wallets"][0]["positions"][0]
    assert row["basis_known"] and row["alpha_sold_rao"] == 0 and row["realized_pnl_rao"] == 0


def test_archive_completes_the_journal_with_operations_made_elsewhere(served, tmp_path):
    """Stake, unstake and a move made on the sandbox directly (another tool, as far as the
    journal knows): through the node the positions are of unknown origin until `--archive`
    reads the node's blocks; then the figures are the sandbox's own record's, the journal holds
    the operations, and the next run needs no scan. A scan too short says which blocks it
    read."""
    t, url, _, _ = served
    hotkey = t.json("stake", "list", "--wallet-name", "me")["stakes"][0]["hotkey"]
    netuid = t.json("stake", "list", "--wallet-name", "me")["stakes"][0]["netuid"]
    them = t.json("wallet", "create", "--wallet-name", "them", "--hotkey", "second",
                  "--no-use-password", "-y")
    t.json("chain", "fund", them["coldkey_ss58"], "200")
    t.json("chain", "advance", "2")
    for args in (("stake", "add", "--amount", "30", "--hotkey-ss58", hotkey),
                 ("stake", "remove", "--amount", "4", "--hotkey-ss58", hotkey)):
        t.json(*args, "--netuid", str(netuid), "--wallet-name", "them", "--unsafe", "-y")
        t.json("chain", "advance", "2")
    t.json("chain", "advance", "5")
    journal = tmp_path / "journal.jsonl"
    t.env["TAOCTL_JOURNAL"] = str(journal)
    keys = ("cost_basis_rao", "alpha_bought_rao", "alpha_sold_rao", "realized_pnl_rao",
            "unrealized_pnl_rao", "emission_pnl_rao", "price_pnl_rao", "fees_rao",
            "spot_value_rao", "basis_known", "netuid", "hotkey")
    try:
        local = t.json("portfolio", "--wallet-name", "them")["wallets"][0]
        assert local["source"] == "chain" and local["positions"][0]["fees_rao"] > 0
        bare = t.json("portfolio", "--wallet-name", "them", "--network", url)["wallets"][0]
        (row,) = bare["positions"]
        assert not row["basis_known"] and "--archive" in row["origin"]
        short = t.run("portfolio", "--wallet-name", "them", "--network", url, "--archive",
                      url, "--archive-blocks", "3", "--json")
        assert short.returncode == 0, short.stderr
        wallet = json.loads(short.stdout)["wallets"][0]
        head = wallet["archive"]["last_block"]
        assert wallet["archive"] == {"network": url, "first_block": head - 2,
                                     "last_block": head, "found": 0, "added": 0}
        assert f"blocks {head - 2:,}..{head:,} of {url}" in wallet["positions"][0]["origin"]
        assert not journal.exists()
        full = t.json("portfolio", "--wallet-name", "them", "--network", url, "--archive", url)
        wallet = full["wallets"][0]
        assert wallet["source"] == "journal+archive"
        assert wallet["archive"]["found"] == wallet["archive"]["added"] == 3  # with the funding
        assert [{k: r[k] for k in keys} for r in wallet["positions"]] == \
            [{k: r[k] for k in keys} for r in local["positions"]]
        entries = [json.loads(x) for x in journal.read_text().splitlines()]
        assert [e["source"] for e in entries] == ["archive"] * 3
        assert [e["call"]["name"] for e in entries][1:] == ["add_stake", "remove_stake"]
        again = t.json("portfolio", "--wallet-name", "them", "--network", url, "--archive", url)
        assert again["wallets"][0]["archive"] is None  # the journal explains every position
        assert again["wallets"][0]["positions"] == wallet["positions"]
        proc = t.run("portfolio", "--wallet-name", "them", "--archive", url)
        assert proc.returncode == 2 and "both --network and --archive" in proc.stderr
    finally:
        t.env["TAOCTL_JOURNAL"] = str(served[2])


def test_an_archive_scan_across_a_runtime_upgrade_is_refused(served, tmp_path, monkeypatch):
    """Blocks that ran an older runtime would be decoded with today's metadata: refused, one
    line, exit 2, the journal unchanged."""
    from chain.node.server import NodeServer

    t, url, _, _ = served
    real = NodeServer.rpc_state_getRuntimeVersion

    def older_in_the_past(self, at=None):
        version = dict(real(self, at))
        if at is not None and at != "0x" + self.view.block_hash(None).hex():
            version["specVersion"] -= 1
        return version

    monkeypatch.setattr(NodeServer, "rpc_state_getRuntimeVersion", older_in_the_past)
    journal = tmp_path / "journal.jsonl"
    monkeypatch.setitem(t.env, "TAOCTL_JOURNAL", str(journal))
    proc = t.run("portfolio", "--wallet-name", "me", "--network", url, "--archive", url)
    assert proc.returncode == 2, proc.stderr
    assert "cross a runtime upgrade" in proc.stderr and "--archive-blocks" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not journal.exists()

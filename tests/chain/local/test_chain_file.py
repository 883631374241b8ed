"""The chain file: presets, opening errors, advancing (closed form == block by block), dates."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer, subnet_account
from chain.local.chain import SCHEMA_VERSION, LocalChain
from chain.local.errors import (
    ChainCorrupt,
    ChainExists,
    ChainNotFound,
    SchemaTooNew,
    UnknownPreset,
)
from chain.local.extrinsic import Call
from chain.local.invariants import check
from tests.chain.local.chain_reads import assert_checks_pass as _ok
from chain.pallets import balances, sudo, system, taoctl
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import AccountInfo

TAO = 10**9


def _state_dump(chain):
    return chain.conn.execute("SELECT item, key, value FROM storage ORDER BY item, key").fetchall()



def test_dev_accounts_are_the_well_known_keys():
    for name, public in DEV_ACCOUNTS.items():
        assert dev_signer(name).public_key == public
    assert DEV_ACCOUNTS["Alice"].hex().startswith("d43593c7")


def test_dev_preset(dev_chain):
    with dev_chain.reading() as st:
        for public in DEV_ACCOUNTS.values():
            assert st.get(system.ACCOUNT, public).free == 1_000_000 * TAO
        assert st.get(sudo.KEY) == DEV_ACCOUNTS["Alice"]
        # the open block 1 has already minted its emission to the root subnet account
        assert st.get(balances.TOTAL_ISSUANCE) == 6_000_001 * TAO
        assert st.get(system.ACCOUNT, subnet_account(0)).free == TAO
    assert dev_chain.open_number() == 1
    _ok(dev_chain)


def test_same_preset_same_genesis(tmp_path):
    a = LocalChain.create(tmp_path / "a.db", "dev")
    b = LocalChain.create(tmp_path / "b.db", "dev")
    assert a.genesis_hash == b.genesis_hash
    assert LocalChain.create(tmp_path / "c.db", "mainnet").genesis_hash != a.genesis_hash


def test_mainnet_preset_halving_lands_near_2029_12_12(tmp_path):
    from chain.local.coinbase import AdvanceTooLong

    chain = LocalChain.create(tmp_path / "m.db", "mainnet")
    with chain.reading() as st:
        assert abs(st.get(balances.TOTAL_ISSUANCE) - 10_720_000 * TAO) < 10 * TAO
        assert st.get(sm.BLOCK_EMISSION) == TAO // 2
    from chain.local.backend import LocalBackend

    backend = LocalBackend(tmp_path / "m.db")
    upcoming = [h for h in backend.halvings()["halvings"] if not h["past"]]
    date = datetime.fromtimestamp(upcoming[0]["timestamp_ms"] / 1000, tz=timezone.utc)
    assert upcoming[0]["threshold_rao"] == 15_750_000 * TAO
    assert abs((date - datetime(2029, 12, 12, tzinfo=timezone.utc)).days) <= 3
    # 128 emitting subnets: ten million blocks are only possible as a coarse fast-forward
    with pytest.raises(AdvanceTooLong):
        backend.advance(upcoming[0]["block"] - chain.open_number())
    result = backend.advance(upcoming[0]["block"] - chain.open_number(), coarse=True)
    assert result.block_emission == TAO // 4
    with chain.reading() as st:
        assert st.get(taoctl.HALVING_BLOCK, 2) == upcoming[0]["block"] == result.to_block
    _ok(chain)
    backend.close()


def test_unknown_preset_and_existing_chain(tmp_path):
    with pytest.raises(UnknownPreset):
        LocalChain.create(tmp_path / "x.db", "regtest")
    assert not (tmp_path / "x.db").exists()
    chain = LocalChain.create(tmp_path / "x.db", "dev")
    chain.submit_call(dev_signer("Alice"), Call("Balances", "transfer_keep_alive",
                                                {"dest": DEV_ACCOUNTS["Bob"], "value": TAO}))
    before = _state_dump(chain)
    with pytest.raises(ChainExists):
        LocalChain.create(tmp_path / "x.db", "dev")
    assert _state_dump(chain) == before
    chain.close()
    fresh = LocalChain.create(tmp_path / "x.db", "dev", force=True)
    assert fresh.nonce(DEV_ACCOUNTS["Alice"]) == 0


def test_open_errors(tmp_path):
    with pytest.raises(ChainNotFound):
        LocalChain.open(tmp_path / "missing.db")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(ChainCorrupt):
        LocalChain.open(garbage)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    with pytest.raises(ChainCorrupt):
        LocalChain.open(foreign)
    newer = tmp_path / "newer.db"
    LocalChain.create(newer, "dev").close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooNew):
        LocalChain.open(newer)


def test_truncated_chain_file_is_corrupt(tmp_path):
    path = tmp_path / "t.db"
    LocalChain.create(path, "dev").close()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 50 + data[150:])
    with pytest.raises(ChainCorrupt):
        chain = LocalChain.open(path)
        check(chain)


@pytest.mark.parametrize("counts", [[1], [5, 1, 30], [700, 3]])
def test_closed_form_advance_equals_block_by_block(tmp_path, counts):
    fast = LocalChain.create(tmp_path / "fast.db", "dev")
    slow = LocalChain.create(tmp_path / "slow.db", "dev")
    for n in counts:
        a = fast.advance(n)
        b = slow.advance(n, block_by_block=True)
        assert a == b
    assert _state_dump(fast) == _state_dump(slow)
    assert fast.block_info() == slow.block_info()
    _ok(fast)
    _ok(slow)


def test_halving_recorded_same_way_fast_and_slow(tmp_path):
    """Cross the first halving both ways: the halving block and the state agree."""
    fast = LocalChain.create(tmp_path / "fast.db", "dev")
    slow = LocalChain.create(tmp_path / "slow.db", "dev")
    # bring both near 10.5 M in closed form, then cross it block by block on one of them
    fast.advance(4_499_990)
    slow.advance(4_499_990)
    fast.advance(20)
    slow.advance(20, block_by_block=True)
    assert _state_dump(fast) == _state_dump(slow)
    with fast.reading() as st:
        assert st.get(taoctl.HALVING_BLOCK, 1) == 4_500_001
        assert st.get(sm.BLOCK_EMISSION) == TAO // 2
    _ok(fast)


def test_block_dates_are_12_seconds_apart(dev_chain):
    t0 = dev_chain.block_info().timestamp_ms
    dev_chain.advance(7200)
    assert dev_chain.block_info().timestamp_ms - t0 == 86_400_000


def test_check_detects_tampering(dev_chain, alice, accounts):
    dev_chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                      {"dest": accounts["Bob"], "value": TAO}))
    dev_chain.advance(10)
    _ok(dev_chain)
    conn = dev_chain.conn
    # mint from nowhere: a balance changes without issuance
    with dev_chain.writing() as st:
        st.set(system.ACCOUNT, accounts["Bob"], AccountInfo(free=5))
    failures = check(dev_chain)
    assert failures["issuance_equals_balances"] and failures["existential_deposit"]
    assert failures["nonces"] == []
    # break a parent link
    conn.execute("UPDATE blocks SET parent = ? WHERE number = 1", (b"\x01" * 32,))
    assert check(dev_chain)["block_links"]


def test_create_in_impossible_place_is_a_clear_error(tmp_path):
    from chain.local.errors import ChainUnavailable

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    with pytest.raises(ChainUnavailable):
        LocalChain.create(blocker / "sub" / "c.db", "dev")
    with pytest.raises(ChainExists):
        LocalChain.create(tmp_path, "dev")


def _page_size(path) -> int:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA page_size").fetchone()[0]


def test_new_files_take_8192_byte_pages_and_older_4096_byte_files_keep_theirs(
        tmp_path, monkeypatch):
    """New chain files use 8,192-byte pages (bond rows of a 256-UID subnet fit a page); a file
    made with 4,096-byte pages (taoctl before 2026-12) opens, runs epochs that write bond
    rows, passes `chain check` and keeps its pages."""
    from chain.local import chain as chain_file
    from tests.chain.local.epoch_fixtures import emitting_subnet, set_all_weights

    LocalChain.create(tmp_path / "new.db", "dev").close()
    assert _page_size(tmp_path / "new.db") == chain_file.PAGE_SIZE == 8192
    monkeypatch.setattr(chain_file, "PAGE_SIZE", 4096)  # as files were made before
    LocalChain.create(tmp_path / "old.db", "dev").close()
    monkeypatch.undo()
    with LocalChain.open(tmp_path / "old.db") as chain:
        net = emitting_subnet(chain)
        chain.advance(12)
        set_all_weights(chain, net)
        chain.advance(30)
        with chain.reading() as state:
            assert any(state.get(sm.BONDS, net["netuid"], uid) for uid in range(5))
        _ok(chain)
    assert _page_size(tmp_path / "old.db") == 4096

"""`AdminUtils.sudo_trim_null_uids_batch` (ECONOMICS-2026 §7.0, `subnets/uids.rs`): the kernels
(who goes, the hole-filling layout, `Percent::from_rational`) and batches on a Null subnet of a
chain: lowest emission out, survivors keep their UIDs except the tail filling holes, the
permit holder's weight row and the frozen bonds follow the new UIDs, `NullPruningTarget` until
the target is reached, the refusals, and `chain check` (its `uids` check) after each batch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.local import epoch_modes as em
from chain.local import null_pruning as npr
from chain.local.accounts import dev_signer
from chain.local.extrinsic import Call
from chain.local.invariants import check
from tests.chain.local.chain_reads import assert_checks_pass as _ok, read_item as _read
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import call, emitting_subnet, set_all_weights, uid


# -- kernels --------------------------------------------------------------------------------------
def test_percent_from_rational_rounds_to_nearest_ties_down_and_saturates():
    assert npr.percent_from_rational(4, 5) == 80
    assert npr.percent_from_rational(1, 8) == 12  # 12.5 -> 12 (tie down)
    assert npr.percent_from_rational(3, 8) == 37  # 37.5: a tie, down
    assert npr.percent_from_rational(2, 3) == 67
    assert npr.percent_from_rational(7, 3) == 100 and npr.percent_from_rational(1, 0) == 100


def test_the_lowest_emission_goes_first_ties_the_higher_uid_first_immune_skipped():
    emission = [5, 1, 1, 9, 0, 1]
    assert npr.uids_to_remove(emission, set(), 3) == [4, 5, 2]
    assert npr.uids_to_remove(emission, {4, 5}, 3) == [2, 1, 0]
    assert npr.uids_to_remove(emission, {0, 1, 2, 3}, 3) is None  # only 2 may go


def test_holes_below_the_new_size_are_filled_from_the_tail_in_order():
    assert npr.null_layout(8, {1, 6, 3}, 5) == [0, 5, 2, 7, 4]
    assert npr.null_layout(4, {3}, 3) == [0, 1, 2]


@settings(deadline=None)
@given(st.lists(st.integers(0, 50), min_size=1, max_size=40), st.data())
def test_a_trim_keeps_exactly_the_survivors_each_once(emission, data):
    n = len(emission)
    keep = data.draw(st.integers(0, n))
    skip = set(data.draw(st.lists(st.integers(0, n - 1), max_size=n)))
    removed = npr.uids_to_remove(emission, skip, keep)
    if removed is None:
        assert n - len(skip & set(range(n))) < n - keep
        return
    assert len(removed) == n - keep and not set(removed) & skip
    kept = [u for u in range(n) if u not in removed]
    assert all(emission[r] <= emission[k] for r in removed for k in kept if k not in skip)
    layout = npr.null_layout(n, set(removed), keep)
    assert sorted(layout) == kept
    assert all(layout[u] == u for u in range(keep) if u not in removed)


# -- on a chain -----------------------------------------------------------------------------------


def _trim(chain, signer, netuid, target):
    return chain.submit_call(signer, Call("AdminUtils", "sudo_trim_null_uids_batch",
                                          {"netuid": netuid, "target": target}))


@pytest.fixture
def null_net(dev_chain):
    net = emitting_subnet(dev_chain, validators=2, miners=5)
    n, alice = net["netuid"], dev_signer("Alice")
    dev_chain.advance(12)  # a Yuma epoch: permits and bonds
    set_all_weights(dev_chain, net)
    dev_chain.advance(10)  # emission and bonds differ per UID
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.NULL)
    dev_chain.advance(10)  # a Null epoch: one permit
    call(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=n, immunity_period=0)
    call(dev_chain, alice, "sudo_set_min_allowed_uids", "AdminUtils", netuid=n,
         min_allowed_uids=2)
    return net


def test_batches_prune_toward_the_target_and_keep_the_subnet_consistent(dev_chain, null_net,
                                                                        monkeypatch):
    monkeypatch.setattr(npr, "NULL_PRUNING_BATCH", 2)
    n, alice = null_net["netuid"], dev_signer("Alice")
    size = _read(dev_chain, sm.SUBNETWORK_N, n)
    assert size == 8  # the owner hotkey, 2 validators, 5 miners
    hotkeys = [_read(dev_chain, sm.KEYS, n, u) for u in range(size)]
    emission = _read(dev_chain, sm.EMISSION, n)
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    winner = permits.index(True)
    winner_hotkey = hotkeys[winner]
    with dev_chain.reading() as state:
        immortal = set(em_immortal(state, n))
    expected = npr.uids_to_remove(emission, immortal, size - 2)
    bonds_before = {hotkeys[u]: _read(dev_chain, sm.BONDS, n, u) for u in range(size)}
    row_before = _read(dev_chain, sm.WEIGHTS, n, winner)
    assert row_before

    receipt = _trim(dev_chain, alice, n, 4)
    assert receipt.success, receipt.message
    (event,) = [e for e in receipt.events if e["name"] == "NullUidsPruningProgress"]
    assert event["args"] == {"netuid": n, "target": 4, "remaining": 6, "removed": 2,
                             "cleared_commits": 0}
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 6
    assert _read(dev_chain, sm.NULL_PRUNING_TARGET, n) == 4
    assert _read(dev_chain, sm.MAX_ALLOWED_UIDS, n) == 6
    gone = {hotkeys[u] for u in expected}
    for hotkey in gone:
        assert _read(dev_chain, sm.UIDS, n, hotkey) is None
        assert not _read(dev_chain, sm.IS_NETWORK_MEMBER, hotkey, n)
    layout = npr.null_layout(size, set(expected), 6)
    for new, old in enumerate(layout):
        assert _read(dev_chain, sm.KEYS, n, new) == hotkeys[old]
        assert _read(dev_chain, sm.UIDS, n, hotkeys[old]) == new
    assert _read(dev_chain, sm.EMISSION, n) == [emission[old] for old in layout]
    # the winner's row follows the new UIDs; removed targets are dropped
    new_of = {old: new for new, old in enumerate(layout)}
    assert _read(dev_chain, sm.WEIGHTS, n, new_of[winner]) == [
        [new_of[t], w] for t, w in row_before if t in new_of]
    # frozen bonds follow their hotkeys
    for new, old in enumerate(layout):
        assert _read(dev_chain, sm.BONDS, n, new) == [
            [new_of[t], v] for t, v in bonds_before[hotkeys[old]] if t in new_of]
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    assert permits.count(True) == 1 and permits.index(True) == new_of[winner]
    assert _read(dev_chain, sm.KEYS, n, permits.index(True)) == winner_hotkey
    _ok(dev_chain)

    assert _trim(dev_chain, alice, n, 4).success
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 4
    assert _read(dev_chain, sm.NULL_PRUNING_TARGET, n) is None
    _ok(dev_chain)
    dev_chain.advance(10)  # a Null epoch on the trimmed subnet pays and keeps every invariant
    assert len(_read(dev_chain, sm.INCENTIVE, n)) == 4
    _ok(dev_chain)


def em_immortal(state, netuid):
    from chain.local.neurons import immortal_uids

    return immortal_uids(state, netuid)


def test_refusals(dev_chain, null_net):
    n, alice, bob = null_net["netuid"], dev_signer("Alice"), dev_signer("Bob")
    assert _trim(dev_chain, bob, n, 4).error == "BadOrigin"
    assert _trim(dev_chain, alice, 99, 4).error in ("SubnetNotExists", "BadOrigin")
    assert _trim(dev_chain, alice, n, 1).error == "InvalidValue"  # below MinAllowedUids
    assert _trim(dev_chain, alice, n, 300).error == "InvalidValue"  # above MaxAllowedUids
    call(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=n,
         immunity_period=10_000)  # every UID immune again
    refused = _trim(dev_chain, alice, n, 4)
    assert refused.error == "TrimmingWouldExceedMaxImmunePercentage"
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 8
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.YUMA)
    assert _trim(dev_chain, alice, n, 4).error == "InvalidValue"  # Yuma subnets: not this call
    _ok(dev_chain)


def test_a_target_equal_to_the_size_removes_nothing_and_leaves_no_target(dev_chain, null_net):
    n, alice = null_net["netuid"], dev_signer("Alice")
    receipt = _trim(dev_chain, alice, n, 8)
    assert receipt.success
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 8
    assert _read(dev_chain, sm.NULL_PRUNING_TARGET, n) is None
    _ok(dev_chain)


def test_min_allowed_uids_setter_checks_the_bounds(dev_chain, null_net):
    n, alice = null_net["netuid"], dev_signer("Alice")
    set_min = lambda v: dev_chain.submit_call(alice, Call(  # noqa: E731
        "AdminUtils", "sudo_set_min_allowed_uids", {"netuid": n, "min_allowed_uids": v}))
    assert set_min(8).error == "MinAllowedUidsGreaterThanCurrentUids"
    assert set_min(7).success
    assert uid(dev_chain, n, null_net["miners"][0].public_key) is not None


def test_chain_check_sees_a_broken_uid_map_and_a_stray_target(dev_chain, null_net):
    n = null_net["netuid"]
    assert not check(dev_chain)["uids"]
    with dev_chain.writing() as state:
        state.set(sm.NULL_PRUNING_TARGET, n, 100)  # above the subnet's 8 UIDs
        hotkey = state.get(sm.KEYS, n, 1)
        state.set(sm.UIDS, n, hotkey, 2)
    failures = check(dev_chain)["uids"]
    assert any("NullPruningTarget" in f for f in failures)
    assert any("Uids entry is 2" in f for f in failures)


# -- sudo_trim_to_max_allowed_uids (call 78, §6.2) ------------------------------------------------
def _trim_to(chain, signer, netuid, max_n):
    return chain.submit_call(signer, Call("AdminUtils", "sudo_trim_to_max_allowed_uids",
                                          {"netuid": netuid, "max_n": max_n}))


def test_a_yuma_trim_compresses_the_survivors_and_remaps_every_row(dev_chain):
    net = emitting_subnet(dev_chain, validators=2, miners=5)
    n, alice = net["netuid"], dev_signer("Alice")
    dev_chain.advance(12)
    set_all_weights(dev_chain, net)
    dev_chain.advance(10)  # emission and bonds differ per UID
    call(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=n, immunity_period=0)
    call(dev_chain, alice, "sudo_set_min_allowed_uids", "AdminUtils", netuid=n,
         min_allowed_uids=2)
    size = _read(dev_chain, sm.SUBNETWORK_N, n)
    hotkeys = [_read(dev_chain, sm.KEYS, n, u) for u in range(size)]
    emission = _read(dev_chain, sm.EMISSION, n)
    weights = {hotkeys[u]: _read(dev_chain, sm.WEIGHTS, n, u) for u in range(size)}
    bonds = {hotkeys[u]: _read(dev_chain, sm.BONDS, n, u) for u in range(size)}
    with dev_chain.reading() as state:
        immortal = set(em_immortal(state, n))
    gone = set(npr.uids_to_remove(emission, immortal, 5))
    assert _trim_to(dev_chain, dev_signer("Bob"), n, 5).error == "BadOrigin"
    receipt = _trim_to(dev_chain, alice, n, 5)
    assert receipt.success, receipt.message
    survivors = [u for u in range(size) if u not in gone]
    new_of = {old: new for new, old in enumerate(survivors)}
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 5 == _read(dev_chain, sm.MAX_ALLOWED_UIDS, n)
    assert _read(dev_chain, sm.EMISSION, n) == [emission[u] for u in survivors]
    for old, new in new_of.items():
        hotkey = hotkeys[old]
        assert _read(dev_chain, sm.KEYS, n, new) == hotkey
        assert _read(dev_chain, sm.UIDS, n, hotkey) == new
        assert _read(dev_chain, sm.WEIGHTS, n, new) == [
            [new_of[t], w] for t, w in weights[hotkey] if t in new_of]
        assert _read(dev_chain, sm.BONDS, n, new) == [
            [new_of[t], v] for t, v in bonds[hotkey] if t in new_of]
    for old in gone:
        assert _read(dev_chain, sm.UIDS, n, hotkeys[old]) is None
    _ok(dev_chain)
    dev_chain.advance(10)  # a Yuma epoch on the compressed subnet
    _ok(dev_chain)
    assert _trim_to(dev_chain, alice, n, 1).error == "InvalidValue"  # below MinAllowedUids


def test_a_null_subnet_trims_at_once_only_one_batch(dev_chain, null_net, monkeypatch):
    monkeypatch.setattr(npr, "NULL_PRUNING_BATCH", 2)
    n, alice = null_net["netuid"], dev_signer("Alice")
    assert _trim_to(dev_chain, alice, n, 5).error == "InvalidValue"  # 3 > one batch
    receipt = _trim_to(dev_chain, alice, n, 6)
    assert receipt.success, receipt.message
    assert _read(dev_chain, sm.SUBNETWORK_N, n) == 6
    assert _read(dev_chain, sm.VALIDATOR_PERMIT, n).count(True) == 1
    _ok(dev_chain)


def test_the_one_shot_trim_refuses_and_changes_nothing(dev_chain):
    """`sudo_trim_to_max_allowed_uids` on a Yuma subnet: below `MinAllowedUids` it is
    `InvalidValue`, with every UID immune `TrimmingWouldExceedMaxImmunePercentage`; either
    way `MaxAllowedUids`, the UIDs and every row stay as they were."""
    net = emitting_subnet(dev_chain, validators=2, miners=5)
    n, alice = net["netuid"], dev_signer("Alice")
    call(dev_chain, alice, "sudo_set_min_allowed_uids", "AdminUtils", netuid=n,
         min_allowed_uids=2)
    call(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=n,
         immunity_period=10_000)  # every UID immune
    before = {row for row in dev_chain.conn.execute("SELECT item, key, value FROM storage")}

    def trim(max_n):
        return dev_chain.submit_call(alice, Call("AdminUtils", "sudo_trim_to_max_allowed_uids",
                                                 {"netuid": n, "max_n": max_n}))

    assert trim(1).error == "InvalidValue"
    assert trim(4).error == "TrimmingWouldExceedMaxImmunePercentage"
    after = {row for row in dev_chain.conn.execute("SELECT item, key, value FROM storage")}
    changed = {item for item, _, _ in before ^ after}
    assert not changed & {"SubtensorModule.MaxAllowedUids", "SubtensorModule.SubnetworkN",
                          "SubtensorModule.Keys", "SubtensorModule.Uids",
                          "SubtensorModule.Weights", "SubtensorModule.Bonds"}, changed
    _ok(dev_chain)

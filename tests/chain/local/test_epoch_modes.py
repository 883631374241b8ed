"""Epoch modes (ECONOMICS-2026 §7.0, §7.7): the Null epoch's kernel (winner, linear payout,
the three fallbacks, exact apportionment), a Null subnet on the chain (sole permit, payout as
§7.0 says, frozen bonds, `chain check`), switching and back, and `LiquidAlphaConsensusMode`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.local import epoch_modes as em
from chain.local.accounts import dev_signer
from tests.chain.local.chain_reads import assert_checks_pass as _ok, read_item as _read
from chain.pallets import subtensor_module as sm
from chain.pallets import taoctl
from tests.chain.local.epoch_fixtures import call, emitting_subnet, set_all_weights, uid


# -- the kernel -----------------------------------------------------------------------------------
def test_apportion_pays_the_budget_exactly_largest_remainder_first():
    assert em.apportion(10, [1, 1, 1]) == [4, 3, 3]  # ties to the lower index
    assert em.apportion(10, [0, 0]) == [0, 0]
    assert em.apportion(7, [3, 0, 1]) == [5, 0, 2]  # 5.25 / 1.75: the 1.75 gets the rao


@given(st.integers(0, 2**64 - 1), st.lists(st.integers(0, 2**64 - 1), min_size=1, max_size=40))
def test_apportion_conserves_and_is_within_one_rao_of_proportional(budget, weights):
    parts = em.apportion(budget, weights)
    total = sum(weights)
    if total == 0:
        assert parts == [0] * len(weights)
        return
    assert sum(parts) == budget
    for part, w in zip(parts, weights, strict=True):
        assert budget * w // total <= part <= budget * w // total + 1


def test_the_winner_is_the_largest_stake_ties_to_the_lowest_uid():
    assert em.null_winner([5, 9, 9, 1]) == 1
    assert em.null_winner([0, 0]) is None


def test_null_pays_the_row_linearly_and_dividends_by_stake():
    """§7.0: incentive_j ∝ W[v][j] (no clipping, no consensus), dividend_i ∝ S_i over every
    UID with stake (not only v)."""
    stakes = [100, 300, 0, 100]
    out = em.null_epoch(stakes, {2: 1, 3: 3}, True, server=1_000, validator=600, root=200)
    assert out.winner == 1
    assert out.incentive == [0, 0, 250, 750]
    assert out.dividends == [160, 480, 0, 160]  # 800 by 1 : 3 : 0 : 1
    assert not out.equal_split and out.recycled_root == 0


def test_an_empty_or_stale_row_splits_the_miners_pool_equally():
    eq = em.null_epoch([1, 2, 3], {}, True, server=10, validator=0, root=0)
    assert eq.incentive == [4, 3, 3] and eq.equal_split
    stale = em.null_epoch([1, 2, 3], {0: 5}, False, server=9, validator=0, root=0)
    assert stale.incentive == [3, 3, 3] and stale.equal_split


def test_without_stake_the_validator_pool_goes_to_miners_and_root_is_recycled():
    out = em.null_epoch([0, 0, 0], {}, False, server=10, validator=5, root=7)
    assert out.winner is None
    assert out.incentive == [5, 5, 5] and out.dividends == [0, 0, 0]
    assert out.recycled_root == 7


@given(st.lists(st.integers(0, 10**15), min_size=1, max_size=20),
       st.dictionaries(st.integers(0, 25), st.integers(0, 65_535), max_size=20),
       st.booleans(), st.integers(0, 10**13), st.integers(0, 10**13), st.integers(0, 10**13))
def test_a_null_epoch_pays_exactly_its_three_pools(stakes, row, active, server, validator, root):
    """Property: incentive + dividends + recycled root == server + validator + root."""
    out = em.null_epoch(stakes, row, active, server, validator, root)
    assert sum(out.incentive) + sum(out.dividends) + out.recycled_root == \
        server + validator + root
    assert all(d == 0 for d, s in zip(out.dividends, stakes, strict=True) if s == 0)


def test_liquid_alpha_consensus_mode():
    cur, prev = object(), object()
    assert em.liquid_alpha_consensus(em.CURRENT, 65_535, cur, prev) is cur
    assert em.liquid_alpha_consensus(em.PREVIOUS, 0, cur, prev) is prev
    assert em.liquid_alpha_consensus(em.AUTO, 65_535, cur, prev) is prev  # default penalty 1.0
    assert em.liquid_alpha_consensus(em.AUTO, 30_000, cur, prev) is cur


# -- on the chain ---------------------------------------------------------------------------------


@pytest.fixture
def net(dev_chain):
    net = emitting_subnet(dev_chain)
    dev_chain.advance(12)  # a Yuma epoch: permits, bonds
    set_all_weights(dev_chain, net)
    dev_chain.advance(10)
    return net


def test_a_default_subnet_runs_yuma_and_stores_no_mode_row(dev_chain, net):
    n = net["netuid"]
    assert _read(dev_chain, sm.SUBNET_EPOCH_CONSENSUS, n) == em.YUMA
    with dev_chain.reading() as state:
        assert not [k for k, _ in state.iter(sm.SUBNET_EPOCH_CONSENSUS)]
        assert not [k for k, _ in state.iter(sm.LAST_YUMA_STEP_BLOCK)]


def test_a_null_subnet_pays_as_section_7_0_says_and_freezes_bonds(dev_chain, net):
    n = net["netuid"]
    alice = dev_signer("Alice")
    bonds = {u: _read(dev_chain, sm.BONDS, n, u) for u in range(_read(dev_chain,
                                                                       sm.SUBNETWORK_N, n))}
    assert any(bonds.values())
    max_validators = _read(dev_chain, sm.MAX_ALLOWED_VALIDATORS, n)
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.NULL)
    assert _read(dev_chain, sm.MAX_ALLOWED_VALIDATORS, n) == 1
    vals = net["validators"]
    winner = uid(dev_chain, n, vals[-1].public_key)  # the most stake (100 + 50k TAO)
    miners = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    stake_before = {m: _read(dev_chain, sm.TOTAL_HOTKEY_ALPHA, h.public_key, n)
                    for m, h in zip(miners, net["miners"], strict=True)}
    drained0 = _read(dev_chain, taoctl.EPOCH_DRAINED, n)
    paid0 = _read(dev_chain, taoctl.EPOCH_PAID, n)
    last_yuma = _read(dev_chain, sm.LAST_EPOCH_BLOCK, n)  # the last Yuma epoch's block
    dev_chain.advance(10)  # one Null epoch
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    assert [u for u, p in enumerate(permits) if p] == [winner]
    assert set(_read(dev_chain, sm.CONSENSUS, n)) == {0}
    assert set(_read(dev_chain, sm.VALIDATOR_TRUST, n)) == {0}
    # incentive is the winner's row, linearly: weights (j + k) % 3 + 1 for k = its index
    k = len(vals) - 1
    row = {m: (j + k) % 3 + 1 for j, m in enumerate(miners)}
    incentive = _read(dev_chain, sm.INCENTIVE, n)
    total_row = sum(row.values())
    assert sum(incentive[u] for u in range(len(incentive)) if u not in miners) == 0
    for m in miners:
        assert abs(incentive[m] - 65_535 * row[m] // total_row) <= 1
        assert _read(dev_chain, sm.TOTAL_HOTKEY_ALPHA, net["miners"][miners.index(m)]
                     .public_key, n) > stake_before[m]
    # dividends go to every staked UID in proportion to stake, not only to the winner
    dividends = _read(dev_chain, sm.DIVIDENDS, n)
    staked = [uid(dev_chain, n, v.public_key) for v in vals]
    assert all(dividends[u] > 0 for u in staked)
    assert dividends[staked[-1]] > dividends[staked[0]]
    # bonds are frozen
    assert {u: _read(dev_chain, sm.BONDS, n, u) for u in bonds} == bonds
    # the pools are paid (apportioned; the payout's dividend split floors a few rao)
    drained = _read(dev_chain, taoctl.EPOCH_DRAINED, n) - drained0
    paid = _read(dev_chain, taoctl.EPOCH_PAID, n) - paid0
    assert drained > 0 and drained - 16 <= paid <= drained
    # the bond cutoff stays at the last Yuma epoch (the block the Null epoch counted from)
    assert _read(dev_chain, sm.LAST_EPOCH_BLOCK, n) > last_yuma > 0
    assert _read(dev_chain, sm.LAST_YUMA_STEP_BLOCK, n) == last_yuma
    _ok(dev_chain)
    # back to Yuma: the validators limit comes back, the bond cutoff row goes with the next epoch
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.YUMA)
    assert _read(dev_chain, sm.MAX_ALLOWED_VALIDATORS, n) == max_validators
    dev_chain.advance(10)
    assert _read(dev_chain, sm.LAST_YUMA_STEP_BLOCK, n) == 0
    _ok(dev_chain)


def test_only_the_owner_or_sudo_switches_and_never_root(dev_chain, net):
    n = net["netuid"]
    bob = dev_signer("Bob")
    from chain.local.extrinsic import Call

    refused = dev_chain.submit_call(bob, Call("AdminUtils", "sudo_set_epoch_consensus",
                                              {"netuid": n, "mode": 1}))
    assert refused.error == "BadOrigin"
    root = dev_chain.submit_call(dev_signer("Alice"), Call(
        "AdminUtils", "sudo_set_epoch_consensus", {"netuid": 0, "mode": 1}))
    assert root.error == "InvalidValue"
    bad = dev_chain.submit_call(dev_signer("Alice"), Call(
        "AdminUtils", "sudo_set_epoch_consensus", {"netuid": n, "mode": 2}))
    assert bad.error == "InvalidValue"


def test_liquid_alpha_previous_consensus_changes_bonds_only_with_liquid_alpha(tmp_path):
    """With liquid alpha on and the default Auto mode (BondsPenalty 1.0), the sigmoid reads the
    stored consensus of the previous epoch: Current gives different bonds."""
    from chain.local.chain import LocalChain

    results = {}
    for mode in (em.CURRENT, em.AUTO):
        chain = LocalChain.create(tmp_path / f"la{mode}.db", "dev")
        net = emitting_subnet(chain)
        n = net["netuid"]
        alice = dev_signer("Alice")
        with chain.writing() as state:
            state.set(sm.LIQUID_ALPHA_ON, n, True)
        call(chain, alice, "sudo_set_liquid_alpha_consensus_mode", "AdminUtils", netuid=n,
             mode=mode)
        chain.advance(12)
        set_all_weights(chain, net)
        chain.advance(10)
        chain.advance(100)  # past the weights rate limit
        # move the weights so this epoch's consensus differs from the stored one
        dests = [uid(chain, n, m.public_key) for m in net["miners"]]
        for k, val in enumerate(net["validators"]):
            call(chain, val, "set_weights", netuid=n, dests=dests,
                 weights=[(j + 2 * k) % 5 + 1 for j in range(len(dests))], version_key=0)
        chain.advance(10)
        results[mode] = [_read(chain, sm.BONDS, n, uid(chain, n, v.public_key))
                         for v in net["validators"]]
        _ok(chain)
        chain.close()
    assert results[em.CURRENT] != results[em.AUTO]


def test_on_a_null_subnet_only_the_permit_holder_sets_weights(dev_chain, net):
    from chain.local.extrinsic import Call

    n = net["netuid"]
    call(dev_chain, dev_signer("Alice"), "sudo_set_epoch_consensus", "AdminUtils", netuid=n,
         mode=em.NULL)
    dev_chain.advance(110)  # a Null epoch hands out the one permit; past the rate limit
    vals = net["validators"]
    dests = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    loser = dev_chain.submit_call(vals[0], Call("SubtensorModule", "set_weights", {
        "netuid": n, "dests": dests, "weights": [1] * len(dests), "version_key": 0}))
    assert loser.error == "NeuronNoValidatorPermit"
    own = uid(dev_chain, n, vals[0].public_key)
    self_only = dev_chain.submit_call(vals[0], Call("SubtensorModule", "set_weights", {
        "netuid": n, "dests": [own], "weights": [1], "version_key": 0}))
    assert self_only.error == "NeuronNoValidatorPermit"  # no self-weight exemption on Null
    call(dev_chain, vals[-1], "set_weights", netuid=n, dests=dests,
         weights=[1] * len(dests), version_key=0)


def test_max_allowed_uids_is_bounded_by_the_mode_budget(dev_chain, net):
    from chain.local.extrinsic import Call

    n, alice = net["netuid"], dev_signer("Alice")

    def set_uids(value):
        return dev_chain.submit_call(alice, Call("AdminUtils", "sudo_set_max_allowed_uids",
                                                 {"netuid": n, "max_allowed_uids": value}))

    assert set_uids(em.YUMA_UID_BUDGET).success
    assert set_uids(em.YUMA_UID_BUDGET + 1).error == "InvalidValue"
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.NULL)
    assert set_uids(em.NULL_UID_BUDGET).success
    assert set_uids(em.NULL_UID_BUDGET + 1).error == "InvalidValue"

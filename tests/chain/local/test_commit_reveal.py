"""Commit-reveal of weights (CR v2, `subnets/weights.rs`) and the Null-subnet rule of spec 475
(ECONOMICS-2026 §7.0): the commit hash against btcli 9's `generate_weight_hash` (recorded),
commit then reveal one reveal period later, too early / expired / wrong / rate-limited, set_weights
refused while commit-reveal is on, only the permit holder commits or reveals on a Null subnet,
and a Null pruning batch drops the queued commits."""

from __future__ import annotations

import pytest

from chain.local import commit_reveal as cr
from chain.local import epoch_modes as em
from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.extrinsic import Call
from chain.local.invariants import check
from tests.chain.local.chain_reads import assert_checks_pass as _ok, read_item as _read
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import call, emitting_subnet, set_all_weights, uid

ALICE = DEV_ACCOUNTS["Alice"]
# btcli 9.x `bittensor_cli...extrinsics.root.generate_weight_hash(ss58(Alice), netuid, uids,
# values, version_key, salt)`, run in the pinned client venv (tests/clients/btcli9.txt)
RECORDED = [
    ((1, [0, 1, 2], [10, 20, 65535], [1, 2, 3, 4, 5, 6, 7, 8], 0),
     "087b68cb3a668552c93de3f5c2f2928deb4cf9afbd44d0f16e9037839400b195"),
    ((77, [5], [1], [], 2**64 - 1),
     "c27f4142f54d509c02f73693e7c3691cf5bcf9352c289cbae06e3c530fac57a5"),
    ((3, list(range(70)), [k * 900 for k in range(70)], [65535] * 8, 123_456_789),
     "7cf79527588a00c3d616436e4667fbe5c938e25ebe4181e20577bf422b44c8cf"),
]


@pytest.mark.parametrize("args, expected", RECORDED)
def test_the_commit_hash_is_btclis(args, expected):
    netuid, uids, values, salt, version_key = args
    assert cr.commit_hash(ALICE, netuid, uids, values, salt, version_key).hex() == expected




def _submit(chain, signer, pallet, name, **args):
    return chain.submit_call(signer, Call(pallet, name, args))


def _commit(chain, val, n, dests, weights, salt, version_key=0):
    digest = cr.commit_hash(val.public_key, n, dests, weights, salt, version_key)
    return _submit(chain, val, "SubtensorModule", "commit_weights", netuid=n,
                   commit_hash="0x" + digest.hex())


def _reveal(chain, val, n, dests, weights, salt, version_key=0):
    return _submit(chain, val, "SubtensorModule", "reveal_weights", netuid=n, uids=dests,
                   values=weights, salt=salt, version_key=version_key)


@pytest.fixture
def cr_net(dev_chain):
    net = emitting_subnet(dev_chain)  # tempo 10
    n, alice = net["netuid"], dev_signer("Alice")
    dev_chain.advance(12)  # a Yuma epoch: permits
    call(dev_chain, alice, "sudo_set_commit_reveal_weights_enabled", "AdminUtils", netuid=n,
         enabled=True)
    dev_chain.advance(_read(dev_chain, sm.WEIGHTS_SET_RATE_LIMIT, n))  # past registration
    net["dests"] = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    return net


def _epoch(chain, n):
    with chain.reading() as state:
        return cr.current_epoch_with_lookahead(state, n, chain.open_number())


def _advance_to_epoch(chain, n, target):
    while _epoch(chain, n) < target:
        chain.advance(1)


def test_commit_then_reveal_one_period_later_sets_the_weights(dev_chain, cr_net):
    n, val, dests = cr_net["netuid"], cr_net["validators"][0], cr_net["dests"]
    weights, salt = [3, 1, 2], [7, 7, 7]
    direct = _submit(dev_chain, val, "SubtensorModule", "set_weights", netuid=n, dests=dests,
                     weights=weights, version_key=0)
    assert direct.error == "CommitRevealEnabled"
    committed = _commit(dev_chain, val, n, dests, weights, salt)
    assert committed.success, committed.message
    epoch = _epoch(dev_chain, n)
    queue = _read(dev_chain, sm.WEIGHT_COMMITS, n, val.public_key)
    assert len(queue) == 1 and queue[0][1] == epoch and queue[0][2] == dev_chain.open_number()
    me = uid(dev_chain, n, val.public_key)
    last_update = _read(dev_chain, sm.LAST_UPDATE, n)[me]
    assert _reveal(dev_chain, val, n, dests, weights, salt).error == "RevealTooEarly"
    _advance_to_epoch(dev_chain, n, epoch + 1)
    assert _reveal(dev_chain, val, n, dests, [3, 1, 3], salt).error == \
        "InvalidRevealCommitHashNotMatch"
    revealed = _reveal(dev_chain, val, n, dests, weights, salt)
    assert revealed.success, revealed.message
    assert _read(dev_chain, sm.WEIGHTS, n, me) == [[d, w] for d, w in zip(
        dests, [65535, 21845, 43690], strict=True)]
    assert _read(dev_chain, sm.WEIGHT_COMMITS, n, val.public_key) is None
    assert _read(dev_chain, sm.LAST_UPDATE, n)[me] == last_update  # the commit's block
    assert _reveal(dev_chain, val, n, dests, weights, salt).error == "NoWeightsCommitFound"
    _ok(dev_chain)


def test_a_commit_not_revealed_in_its_epoch_expires(dev_chain, cr_net):
    n, val, dests = cr_net["netuid"], cr_net["validators"][0], cr_net["dests"]
    assert _commit(dev_chain, val, n, dests, [1, 1, 1], [1]).success
    epoch = _epoch(dev_chain, n)
    _advance_to_epoch(dev_chain, n, epoch + 2)
    assert _reveal(dev_chain, val, n, dests, [1, 1, 1], [1]).error == "ExpiredWeightCommit"


def test_commits_are_rate_limited_and_queued_at_most_ten(dev_chain, cr_net):
    n, val, dests = cr_net["netuid"], cr_net["validators"][0], cr_net["dests"]
    assert _commit(dev_chain, val, n, dests, [1, 2, 3], [1]).success
    assert _commit(dev_chain, val, n, dests, [1, 2, 3], [2]).error == "CommittingWeightsTooFast"
    with dev_chain.writing() as state:
        state.set(sm.WEIGHTS_SET_RATE_LIMIT, n, 0)
        state.set(sm.REVEAL_PERIOD_EPOCHS, n, 100)  # nothing expires meanwhile
    for k in range(2, 11):
        assert _commit(dev_chain, val, n, dests, [1, 2, 3], [k]).success
    assert _commit(dev_chain, val, n, dests, [1, 2, 3], [11]).error == "TooManyUnrevealedCommits"


def test_the_switches_are_the_owners_and_bounded(dev_chain, cr_net):
    n, bob, alice = cr_net["netuid"], dev_signer("Bob"), dev_signer("Alice")
    assert _submit(dev_chain, bob, "AdminUtils", "sudo_set_commit_reveal_weights_enabled",
                   netuid=n, enabled=False).error == "BadOrigin"
    interval = "sudo_set_commit_reveal_weights_interval"
    assert _submit(dev_chain, alice, "AdminUtils", interval, netuid=n,
                   interval=0).error == "RevealPeriodTooSmall"
    assert _submit(dev_chain, alice, "AdminUtils", interval, netuid=n,
                   interval=101).error == "RevealPeriodTooLarge"
    assert _submit(dev_chain, alice, "AdminUtils", interval, netuid=n, interval=3).success
    assert _read(dev_chain, sm.REVEAL_PERIOD_EPOCHS, n) == 3
    call(dev_chain, alice, "sudo_set_commit_reveal_weights_enabled", "AdminUtils", netuid=n,
         enabled=False)
    val = cr_net["validators"][0]
    assert _commit(dev_chain, val, n, cr_net["dests"], [1, 1, 1], [1]).error == \
        "CommitRevealDisabled"


def test_on_a_null_subnet_only_the_permit_holder_commits_and_reveals(dev_chain, cr_net):
    n, alice, dests = cr_net["netuid"], dev_signer("Alice"), cr_net["dests"]
    set_all_weights_off = _read(dev_chain, sm.COMMIT_REVEAL_WEIGHTS_ENABLED, n)
    assert set_all_weights_off
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.NULL)
    dev_chain.advance(12)  # a Null epoch: the one permit
    vals = cr_net["validators"]
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    winner = next(v for v in vals if permits[uid(dev_chain, n, v.public_key)])
    loser = next(v for v in vals if v is not winner)
    assert _commit(dev_chain, loser, n, dests, [1, 2, 3], [9]).error == "NeuronNoValidatorPermit"
    assert _commit(dev_chain, winner, n, dests, [1, 2, 3], [9]).success
    epoch = _epoch(dev_chain, n)
    _advance_to_epoch(dev_chain, n, epoch + 1)
    assert _reveal(dev_chain, winner, n, dests, [1, 2, 3], [9]).success
    w = uid(dev_chain, n, winner.public_key)
    assert _read(dev_chain, sm.WEIGHTS, n, w) == [[d, x] for d, x in zip(
        dests, [21845, 43690, 65535], strict=True)]
    _ok(dev_chain)


def test_a_null_pruning_batch_drops_the_queued_commits(dev_chain, cr_net):
    n, alice, dests = cr_net["netuid"], dev_signer("Alice"), cr_net["dests"]
    call(dev_chain, alice, "sudo_set_epoch_consensus", "AdminUtils", netuid=n, mode=em.NULL)
    dev_chain.advance(12)
    permits = _read(dev_chain, sm.VALIDATOR_PERMIT, n)
    winner = next(v for v in cr_net["validators"] if permits[uid(dev_chain, n, v.public_key)])
    assert _commit(dev_chain, winner, n, dests, [1, 2, 3], [4]).success
    call(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=n, immunity_period=0)
    call(dev_chain, alice, "sudo_set_min_allowed_uids", "AdminUtils", netuid=n,
         min_allowed_uids=2)
    size = _read(dev_chain, sm.SUBNETWORK_N, n)
    receipt = _submit(dev_chain, alice, "AdminUtils", "sudo_trim_null_uids_batch", netuid=n,
                      target=size - 1)
    assert receipt.success, receipt.message
    (event,) = [e for e in receipt.events if e["name"] == "NullUidsPruningProgress"]
    assert event["args"]["cleared_commits"] == 1 and event["args"]["removed"] == 1
    assert _read(dev_chain, sm.WEIGHT_COMMITS, n, winner.public_key) is None
    _ok(dev_chain)


def test_yuma_subnets_without_commit_reveal_set_weights_as_before(dev_chain):
    net = emitting_subnet(dev_chain)
    dev_chain.advance(12)
    set_all_weights(dev_chain, net)  # no CommitRevealWeightsEnabled row: direct weights
    with dev_chain.reading() as state:
        assert not [k for k, _ in state.iter(sm.COMMIT_REVEAL_WEIGHTS_ENABLED)]


def test_chain_check_sees_a_damaged_commit_queue(dev_chain, cr_net):
    n, val = cr_net["netuid"], cr_net["validators"][0]
    assert _commit(dev_chain, val, n, cr_net["dests"], [1, 1, 1], [5]).success
    _ok(dev_chain)
    with dev_chain.writing() as state:
        queue = state.get(sm.WEIGHT_COMMITS, n, val.public_key)
        state.set(sm.WEIGHT_COMMITS, n, val.public_key, [[queue[0][0], 10**6, 1, 0]])
    assert check(dev_chain)["uids"]

"""`set_weights` on the bundled chain: each refusal carries subtensor's error name and changes
nothing; an accepted row is max-upscaled and stamps LastUpdate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.local.accounts import dev_signer
from chain.local.extrinsic import Call
from chain.local.weights import max_upscale
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import emitting_subnet, uid


@given(st.lists(st.integers(0, 65_535), min_size=1, max_size=50))
def test_max_upscale_puts_the_largest_at_65535_and_keeps_order(values):
    scaled = max_upscale(values)
    if max(values) == 0:
        assert scaled == [0] * len(values)
        return
    assert max(scaled) == 65_535
    for a, b, sa, sb in zip(values, values[1:], scaled, scaled[1:], strict=False):
        assert (a <= b) == (sa <= sb) or a == b or sa == sb
    assert all(s == v * 65_535 // max(values) for v, s in zip(values, scaled, strict=True))


@pytest.fixture
def net(dev_chain):
    net = emitting_subnet(dev_chain, validators=2, miners=2)
    dev_chain.advance(12)
    return net


def _try(chain, signer, **args):
    base = {"netuid": 1, "dests": [], "weights": [], "version_key": 0}
    return chain.submit_call(signer, Call("SubtensorModule", "set_weights", {**base, **args}))


def test_accepted_weights_are_upscaled_and_stamp_last_update(dev_chain, net):
    n, val = net["netuid"], net["validators"][0]
    miners = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    receipt = _try(dev_chain, val, netuid=n, dests=miners, weights=[1, 3])
    assert receipt.success
    me = uid(dev_chain, n, val.public_key)
    with dev_chain.reading() as state:
        assert state.get(sm.WEIGHTS, n, me) == [[miners[0], 21_845], [miners[1], 65_535]]
        assert state.get(sm.LAST_UPDATE, n)[me] == receipt.block_number
    assert any(ev["name"] == "WeightsSet" for ev in receipt.events)


@pytest.mark.parametrize("case, error", [
    ("unequal", "WeightVecNotEqualSize"),
    ("no_subnet", "SubnetNotExists"),
    ("unregistered", "HotKeyNotRegisteredInSubNet"),
    ("bad_uid", "UidVecContainInvalidOne"),
    ("duplicate", "DuplicateUids"),
    ("no_permit", "NeuronNoValidatorPermit"),
    ("version", "IncorrectWeightVersionKey"),
    ("too_fast", "SettingWeightsTooFast"),
])
def test_each_refusal_has_its_name_and_changes_nothing(dev_chain, net, case, error):
    n, val = net["netuid"], net["validators"][0]
    miners = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    signer, args = val, {"netuid": n, "dests": miners, "weights": [1, 1]}
    if case == "unequal":
        args["weights"] = [1]
    elif case == "no_subnet":
        args["netuid"] = 9
    elif case == "unregistered":
        signer = dev_signer("Eve")
    elif case == "bad_uid":
        args["dests"] = [miners[0], 99]
    elif case == "duplicate":
        args["dests"] = [miners[0], miners[0]]
    elif case == "no_permit":
        signer = net["miners"][0]
    elif case == "version":
        with dev_chain.writing() as state:
            state.set(sm.WEIGHTS_VERSION_KEY, n, 5)
        args["version_key"] = 4
    elif case == "too_fast":
        assert _try(dev_chain, val, **args).success
    with dev_chain.reading() as state:
        before = [state.get(sm.WEIGHTS, n, u) for u in range(state.get(sm.SUBNETWORK_N, n))]
        last = state.get(sm.LAST_UPDATE, n)
    receipt = _try(dev_chain, signer, **args)
    assert not receipt.success and receipt.error == error
    with dev_chain.reading() as state:
        assert [state.get(sm.WEIGHTS, n, u) for u in range(state.get(sm.SUBNETWORK_N, n))] == before
        assert state.get(sm.LAST_UPDATE, n) == last


def test_a_self_weight_needs_no_permit(dev_chain, net):
    n, miner = net["netuid"], net["miners"][0]
    me = uid(dev_chain, n, miner.public_key)
    assert _try(dev_chain, miner, netuid=n, dests=[me], weights=[7]).success


# -- clients (issue 14): set_mechanism_weights, what bittensor 11.3's SetWeights sends ------------
def test_mechanism_zero_is_set_weights_and_another_mechanism_is_refused(dev_chain, net):
    n, val = net["netuid"], net["validators"][0]
    miners = [uid(dev_chain, n, m.public_key) for m in net["miners"]]
    me = uid(dev_chain, n, val.public_key)
    args = {"netuid": n, "dests": miners, "weights": [1, 3], "version_key": 0}
    refused = dev_chain.submit_call(val, Call("SubtensorModule", "set_mechanism_weights",
                                              {**args, "mecid": 1}))
    assert not refused.success and refused.error == "MechanismDoesNotExist"
    with dev_chain.reading() as state:
        assert state.get(sm.WEIGHTS, n, me) == []
    receipt = dev_chain.submit_call(val, Call("SubtensorModule", "set_mechanism_weights",
                                              {**args, "mecid": 0}))
    assert receipt.success
    with dev_chain.reading() as state:
        assert state.get(sm.WEIGHTS, n, me) == [[miners[0], 21_845], [miners[1], 65_535]]
        assert state.get(sm.LAST_UPDATE, n)[me] == receipt.block_number
    assert [ev["name"] for ev in receipt.events if ev["pallet"] == "SubtensorModule"] == [
        "WeightsSet"]

"""An epoch's payout plan pays owner cut, incentives and dividends in the chain's order and
never pays out more alpha than was pending."""

from hypothesis import given, settings
from hypothesis import strategies as st

from amm.fixed import U96F32
from chain.local.coinbase_math import validator_take_split
from chain.local.emission_split import (
    Credit,
    GrowPool,
    Pending,
    plan_epoch_payout,
    root_claimable_increment,
)

MAX_U64 = 2**64 - 1
HALF_WEIGHT = MAX_U64 // 2 + 1


def plan(hotkey_emission, pending, **kw):
    args = {
        "subnet_owner": "owner-ck",
        "subnet_owner_hotkey": "owner-hk",
        "owner_hotkeys": {"owner-hk"},
        "hotkey_owner": {"owner-hk": "owner-ck", "m": "m-ck", "v": "v-ck", "p": "p-ck"},
        "alpha_stake": {"v": 1_000},
        "root_stake": {"v": 1_000},
        "tao_weight_u64": HALF_WEIGHT,
    }
    args.update(kw)
    return plan_epoch_payout(hotkey_emission, pending, **args)


def test_miner_and_validator_are_paid_in_chain_order():
    pending = Pending(server=500, validator=400, root=100, owner_cut=200)
    out = plan([("m", 500, 0), ("v", 0, 500)], pending)
    take_a, rest_a = validator_take_split(U96F32.from_int(400), 11_796)
    take_r, rest_r = validator_take_split(U96F32.from_int(100), 11_796)
    assert (take_a, rest_a) == (71, 328)
    assert out.operations == [
        Credit("owner-hk", "owner-ck", 200),
        Credit("m", "m-ck", 500),
        Credit("v", "v-ck", take_a),
        GrowPool("v", rest_a),
        Credit("v", "v-ck", take_r),
    ]
    assert out.root_claimable == {"m": 0, "v": rest_r}
    assert out.alpha_dividends == {"m": 0, "v": rest_a}  # every paid hotkey gets a record
    assert out.burned == 0
    assert out.miner_burned == 0


def test_without_incentive_validators_get_the_miners_half_too():
    out = plan([("v", 0, 500)], Pending(server=500, validator=400, root=0), delegate_take={"v": 0})
    assert GrowPool("v", 900) in out.operations


def test_owner_hotkey_incentive_is_burned():
    emission = [("owner-hk", 300, 0), ("m", 100, 0), ("v", 0, 10)]
    out = plan(emission, Pending(server=400, validator=10))
    assert out.burned == 300
    assert out.miner_burned == U96F32.div(U96F32.from_int(300), U96F32.from_int(400))
    assert Credit("m", "m-ck", 100) in out.operations
    assert not any(isinstance(op, Credit) and op.amount == 300 for op in out.operations)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["m", "v", "p", "owner-hk"]),
            st.integers(0, 10**12),
            st.integers(0, 10**12),
        ),
        min_size=1,
        max_size=6,
    ),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.integers(0, 10**12),
    st.dictionaries(st.sampled_from(["m", "v", "p"]), st.integers(0, 10**15)),
    st.dictionaries(st.sampled_from(["m", "v", "p"]), st.integers(0, 10**15)),
    st.integers(0, MAX_U64),
)
def test_payout_never_exceeds_pending(emission, server, validator, root, cut, alpha, rootst, w):
    pending = Pending(server, validator, root, cut)
    out = plan(emission, pending, alpha_stake=alpha, root_stake=rootst, tao_weight_u64=w)
    paid_alpha = sum(op.amount for op in out.operations)
    paid = paid_alpha + sum(out.root_claimable.values())
    incentives = sum(i for _, i, _ in emission)
    # incentives come from the epoch (it splits server+validator+root); the rest from pending
    assert paid + out.burned <= cut + incentives + validator + server + root
    validator_side = paid - cut - (incentives - out.burned)
    assert validator_side <= validator + root + (server if incentives == 0 else 0)


def test_root_dividend_above_the_root_stake_is_staked_instead():
    out = plan([("v", 0, 500)], Pending(root=1_000), root_stake={"v": 10}, delegate_take={"v": 0})
    assert out.root_claimable == {}
    assert Credit("v", "v-ck", 1_000) in out.operations
    assert out.root_alpha_dividends == {"v": 1_000}


# --- root dividends become claimable ----------------------------------------------------------


def test_root_claimable_increment():
    assert root_claimable_increment(100, 1_000) == (100 << 32) // 1_000
    assert root_claimable_increment(1_001, 1_000) is None
    assert root_claimable_increment(0, 0) == 0

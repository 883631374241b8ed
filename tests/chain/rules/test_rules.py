"""`chain.rules` restates the runtime's checks for nodes that cannot dry-run a call: over the
same chain, its verdict (the error name, or the amounts) equals the bundled runtime's dry run
(`LocalBackend.quote_call`) for stake trades and transfers, whatever the amounts and limits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.backend import Call
from chain.errors import DispatchError
from chain.rules import balances, staking
from tests.conftest import new_wallets, owned_subnets, sandbox_session, staker_on

TAO = 10**9
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Two started subnets, 'staker' registered on the first with stake, 200 TAO funded."""
    from chain.factory import open_sandbox
    from wallet.ss58 import ss58_decode

    t = sandbox_session(tmp_path_factory, "rules", in_process=False)
    owner, staker = new_wallets(t, "owner", "staker")
    t.json("chain", "fund", staker["coldkey_ss58"], "200")
    nets = owned_subnets(t, owner, 2, funded_locks=8)
    staker_on(t, nets[0])
    backend = open_sandbox(t.root / "sandbox.db")
    yield (backend, nets, ss58_decode(staker["coldkey_ss58"]),
           ss58_decode(staker["hotkey_ss58"]), ss58_decode(owner["hotkey_ss58"]))
    backend.close()


def verdict_by_rules(backend, origin: bytes, call: Call):
    """The rules' verdict, the call's transaction fee withdrawn first as the runtime does."""
    fee = backend.estimate_fee(origin, call)
    assert fee > 0  # the sandbox charges spec 461's fees
    try:
        if call.pallet == "Balances":
            return True, balances.transfer(backend, origin, call.name, call.args, fee)
        return True, staking.check(backend, origin, call.name, call.args, fee)
    except DispatchError as refusal:
        return False, refusal.name


def assert_same(backend, origin: bytes, call: Call) -> None:
    runtime = backend.quote_call(origin, call)
    ok, ours = verdict_by_rules(backend, origin, call)
    assert ok == runtime.success, (call, runtime.error, ours)
    if not ok:
        assert ours == runtime.error, call
    elif call.pallet == "Balances":
        assert ours == runtime.events, call
    else:
        for key in ("alpha_received_rao", "tao_received_rao", "fee_rao"):
            if key in runtime.result:
                assert ours[key] == runtime.result[key], (call, key)


amounts = st.one_of(st.integers(0, 10 * TAO), st.integers(0, 400 * TAO),
                    st.sampled_from([0, 1, 2_000_000, 2_001_000, 10**18]))
limits = st.one_of(st.none(), st.integers(1, 4 * TAO))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(amount=amounts, limit=limits, partial=st.booleans(), which=st.integers(0, 3))
def test_stake_trades_match_the_runtime(chain, amount, limit, partial, which):
    backend, nets, coldkey, hotkey, other_hotkey = chain
    a, b = nets
    netuid = [a, b, 0, 99][which]
    if limit is None:
        calls = [Call("SubtensorModule", "add_stake", {"hotkey": hotkey, "netuid": netuid,
                                                       "amount_staked": amount}),
                 Call("SubtensorModule", "remove_stake",
                      {"hotkey": hotkey, "netuid": netuid, "amount_unstaked": amount}),
                 Call("SubtensorModule", "swap_stake",
                      {"hotkey": hotkey, "origin_netuid": a, "destination_netuid": netuid,
                       "alpha_amount": amount}),
                 Call("SubtensorModule", "move_stake",
                      {"origin_hotkey": hotkey, "destination_hotkey": other_hotkey,
                       "origin_netuid": a, "destination_netuid": netuid, "alpha_amount": amount}),
                 Call("SubtensorModule", "transfer_stake",
                      {"destination_coldkey": BOB, "hotkey": hotkey, "origin_netuid": a,
                       "destination_netuid": netuid, "alpha_amount": amount})]
    else:
        limited = {"limit_price": limit, "allow_partial": partial}
        calls = [Call("SubtensorModule", "add_stake_limit",
                      {"hotkey": hotkey, "netuid": netuid, "amount_staked": amount, **limited}),
                 Call("SubtensorModule", "remove_stake_limit",
                      {"hotkey": hotkey, "netuid": netuid, "amount_unstaked": amount,
                       **limited}),
                 Call("SubtensorModule", "swap_stake_limit",
                      {"hotkey": hotkey, "origin_netuid": a, "destination_netuid": netuid,
                       "alpha_amount": amount, **limited}),
                 Call("SubtensorModule", "move_stake_limit",
                      {"origin_hotkey": hotkey, "destination_hotkey": other_hotkey,
                       "origin_netuid": a, "destination_netuid": netuid, "alpha_amount": amount,
                       **limited}),
                 Call("SubtensorModule", "remove_stake_full_limit",
                      {"hotkey": hotkey, "netuid": netuid, "limit_price": limit})]
    for call in calls:
        assert_same(backend, coldkey, call)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.integers(0, 300 * TAO), st.integers(0, 2000)),
       name=st.sampled_from(["transfer_keep_alive", "transfer_allow_death"]),
       fresh=st.booleans())
def test_transfers_match_the_runtime(chain, value, name, fresh):
    backend, _, coldkey, _, _ = chain
    dest = bytes(range(32)) if fresh else BOB
    assert_same(backend, coldkey, Call("Balances", name, {"dest": dest, "value": value}))


def test_transfer_all_matches_the_runtime(chain):
    backend, _, coldkey, _, _ = chain
    for keep_alive in (True, False):
        call = Call("Balances", "transfer_all", {"dest": BOB, "keep_alive": keep_alive})
        assert_same(backend, coldkey, call)
        # what moves is the free balance less the fee (less the ED when kept alive)
        fee = backend.estimate_fee(coldkey, call)
        moved = backend.free_balance(coldkey) - fee - \
            (backend.existential_deposit() if keep_alive else 0)
        assert backend.quote_call(coldkey, call).events[0]["args"]["amount"] == moved


def test_the_rules_without_the_fee_would_disagree(chain):
    """The fee matters: a keep-alive transfer of everything but the ED passes without the fee
    and is refused once the fee is withdrawn first, as the runtime refuses it."""
    backend, _, coldkey, _, _ = chain
    value = backend.free_balance(coldkey) - backend.existential_deposit()
    call = Call("Balances", "transfer_keep_alive", {"dest": BOB, "value": value})
    assert balances.transfer(backend, coldkey, call.name, call.args)  # no fee: it would pass
    assert verdict_by_rules(backend, coldkey, call) == (False, "InsufficientBalance")
    assert_same(backend, coldkey, call)


def test_the_comparison_sees_successes_and_refusals(chain):
    backend, nets, coldkey, hotkey, _ = chain
    ok = Call("SubtensorModule", "add_stake", {"hotkey": hotkey, "netuid": nets[0],
                                               "amount_staked": TAO})
    assert backend.quote_call(coldkey, ok).success and verdict_by_rules(backend, coldkey, ok)[0]
    assert_same(backend, coldkey, ok)
    too_much = Call("SubtensorModule", "add_stake", {"hotkey": hotkey, "netuid": nets[0],
                                                     "amount_staked": 10**18})
    assert verdict_by_rules(backend, coldkey, too_much) == (False, "NotEnoughBalanceToStake")
    assert_same(backend, coldkey, too_much)

"""Quote equals execution: over random pools, amounts, tolerances and partial flags, the dry-run
quote (`backend.quote`, the call rolled back), the offline `amm` quote the CLI can compute from
`backend.pool`, and the executed call agree to the rao -- for add, remove and swap."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import amm
from chain.local.accounts import AUTHOR_ACCOUNT, dev_signer, subnet_account
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.pallets import balances, system
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import BOB, TAO, add_subnet, free, give_stake, key, stake

HOT = key("validator-hot")
BOB_SIGNER = dev_signer("Bob")
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

reserves = st.integers(100 * TAO, 200_000 * TAO)
# amounts as parts per million of the input reserve: from dust to twice the reserve
fractions = st.one_of(st.integers(1, 20_000), st.integers(1, 2_000_000))
tolerances = st.one_of(st.none(), st.integers(0, 200_000))  # ppm; None = plain call
partials = st.booleans()


def _backend(tao: int, alpha: int, second: tuple[int, int] | None = None):
    path = Path(tempfile.mkdtemp()) / "q.db"
    chain = LocalChain.create(path, "dev")
    add_subnet(chain, 1, tao, alpha, owner_hotkey=HOT)
    if second:
        add_subnet(chain, 2, *second, owner_hotkey=key("other-owner"))
    return chain, LocalBackend(path)


def _state(chain, netuids=(1,)):
    with chain.reading() as state:
        return ({n: (state.get(sm.SUBNET_TAO, n), state.get(sm.SUBNET_ALPHA_IN, n),
                     state.get(sm.SUBNET_ALPHA_OUT, n)) for n in netuids},
                state.get(system.ACCOUNT, BOB).free, state.get(system.ACCOUNT, AUTHOR_ACCOUNT).free,
                {n: state.get(system.ACCOUNT, subnet_account(n)).free for n in netuids},
                state.get(balances.TOTAL_ISSUANCE))


def _execute_and_compare(chain, backend, name, args, netuids=(1,)):
    """Quote, submit, compare. Every signed call pays the chain's transaction fee first, refused
    or not (spec 461's schedule on the dev preset): the moved state returned has the fee added
    back to Bob's free TAO and to the issuance, so callers compare the call's own effect."""
    quote = backend.quote(BOB, "SubtensorModule", name, args)
    before = _state(chain, netuids)
    receipt = backend.submit_call(BOB_SIGNER, "SubtensorModule", name, args)
    after = _state(chain, netuids)
    fee = receipt.fee_rao
    assert fee > 0
    assert receipt.events[0] == {"pallet": "Balances", "name": "Withdraw",
                                 "args": {"who": BOB, "amount": fee}}
    assert receipt.success == quote["success"]
    event(f"{name}: {'executed' if quote['success'] else quote['error']}")
    unfeed = (after[0], after[1] + fee, after[2], after[3], after[4] + fee)
    if not quote["success"]:
        assert receipt.error == quote["error"]
        assert unfeed == before  # a refused call changes nothing but the fee (and the nonce)
        return quote, None
    assert quote["transaction_fee_rao"] == fee
    assert receipt.events[1:-2] == quote["events"]  # the same events, to the rao
    assert after[4] == before[4] - fee  # issuance falls by the recycled fee only
    return quote, (before, unfeed)


@SETTINGS
@given(reserves, reserves, fractions, tolerances, partials)
def test_add_stake_quote_equals_execution(tao, alpha, fraction, tolerance, partial):
    amount = max(tao * fraction // 10**6, 1)
    chain, backend = _backend(tao, alpha)
    try:
        pool = backend.pool(1)
        if tolerance is None:
            name, args = "add_stake", {"hotkey": HOT, "netuid": 1, "amount_staked": amount}
            limit = None
        else:
            limit = amm.limit_price_for_tolerance(pool, "buy", tolerance)
            name, args = "add_stake_limit", {"hotkey": HOT, "netuid": 1, "amount_staked": amount,
                                             "limit_price": limit, "allow_partial": partial}
        quote, moved = _execute_and_compare(chain, backend, name, args)
        if moved is None:
            return
        result = quote["result"]
        offline = amm.buy(pool, amount, limit_price=limit, allow_partial=partial)
        assert result["swap"] == offline.to_json()
        (pools0, bob0, author0, acct0, _), (pools1, bob1, author1, acct1, _) = moved
        assert bob0 - bob1 == result["tao_paid_rao"]
        assert stake(chain, HOT, BOB, 1) == result["alpha_received_rao"] == offline.amount_out
        assert pools1[1][:2] == (offline.pool_after.tao_reserve, offline.pool_after.alpha_reserve)
        assert author1 - author0 in (offline.fee, 0)  # 0 only while the author is below the ED
        assert acct1[1] >= pools1[1][0]
    finally:
        backend.close()
        chain.close()


@SETTINGS
@given(reserves, reserves, fractions, tolerances, partials, st.integers(1, 100))
def test_remove_stake_quote_equals_execution(tao, alpha, fraction, tolerance, partial, pct):
    held = max(alpha * fraction // 10**6, 1)
    chain, backend = _backend(tao, alpha)
    try:
        give_stake(chain, HOT, BOB, 1, held)
        amount = max(held * pct // 100, 1)
        pool = backend.pool(1)
        if tolerance is None:
            name, args = "remove_stake", {"hotkey": HOT, "netuid": 1, "amount_unstaked": amount}
            limit = None
        else:
            limit = amm.limit_price_for_tolerance(pool, "sell", tolerance)
            name, args = "remove_stake_limit", {"hotkey": HOT, "netuid": 1,
                                                "amount_unstaked": amount, "limit_price": limit,
                                                "allow_partial": partial}
        quote, moved = _execute_and_compare(chain, backend, name, args)
        if moved is None:
            return
        result = quote["result"]
        offline = amm.sell(pool, amount, limit_price=limit, allow_partial=partial)
        assert result["swap"] == offline.to_json()
        (_, bob0, _, _, _), (pools1, bob1, _, acct1, _) = moved
        assert bob1 - bob0 == result["tao_received_rao"] == offline.amount_out
        assert stake(chain, HOT, BOB, 1) == held - offline.amount_in
        assert acct1[1] >= pools1[1][0]
    finally:
        backend.close()
        chain.close()


@SETTINGS
@given(reserves, reserves, reserves, reserves, fractions, tolerances, partials)
def test_swap_stake_quote_equals_execution(tao1, alpha1, tao2, alpha2, fraction, tolerance,
                                           partial):
    held = max(alpha1 * fraction // 10**6, 1)
    chain, backend = _backend(tao1, alpha1, (tao2, alpha2))
    try:
        give_stake(chain, HOT, BOB, 1, held)
        p1, p2 = backend.pool(1), backend.pool(2)
        if tolerance is None:
            name = "swap_stake"
            args = {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 2,
                    "alpha_amount": held}
        else:
            ratio = (amm.spot_price(p1) * 10**9 // amm.spot_price(p2))
            limit = ratio * (10**6 - tolerance) // 10**6
            name = "swap_stake_limit"
            args = {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 2,
                    "alpha_amount": held, "limit_price": limit, "allow_partial": partial}
        quote, moved = _execute_and_compare(chain, backend, name, args, netuids=(1, 2))
        if moved is None:
            return
        result = quote["result"]
        moved_alpha = result["alpha_moved_rao"]
        sell = amm.sell(p1, moved_alpha)
        buy = amm.buy(p2, sell.amount_out, drop_fees=True)
        assert result["origin_swap"] == sell.to_json()
        assert result["destination_swap"] == buy.to_json()
        assert stake(chain, HOT, BOB, 1) == held - moved_alpha
        assert stake(chain, HOT, BOB, 2) == result["alpha_received_rao"] == buy.amount_out
        (_, bob0, _, _, _), (pools1, bob1, _, acct1, _) = moved
        assert bob1 == bob0  # the TAO went straight from pool to pool
        for n in (1, 2):
            assert acct1[n] >= pools1[n][0]
    finally:
        backend.close()
        chain.close()


def test_quote_changes_nothing(dev_chain, tmp_path):
    """A quote is a dry run: the chain file is byte-for-byte the same state afterwards."""
    from tests.chain.local.subnet_fixtures import snapshot

    add_subnet(dev_chain, 1, 1_000 * TAO, 4_000 * TAO, owner_hotkey=HOT)
    backend = LocalBackend(dev_chain.path)
    before = snapshot(dev_chain)
    quote = backend.quote(BOB, "SubtensorModule", "add_stake",
                          {"hotkey": HOT, "netuid": 1, "amount_staked": 10 * TAO})
    assert quote["success"] and quote["result"]["alpha_received_rao"] > 0
    assert snapshot(dev_chain) == before
    assert free(dev_chain, BOB) == 1_000_000 * TAO
    backend.close()

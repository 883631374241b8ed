"""Issue 13, observation 5: `stake transfer` delivered α0.999999999 against a quoted
α1.000000000. The share pool floors the shares a credit buys and floors their value, so once a
hotkey's pool has earned (its alpha per share is no longer 1) a credit of `a` can read back as
`a - 1`. The result record (the quote of record, from the rolled-back dry run) must say what the
receiving position actually gains: here, for transfer, move, swap and add, over pools that
have earned arbitrary amounts."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.local.accounts import dev_signer
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import BOB, TAO, add_subnet, give_stake, key, stake

HOT = key("validator-hot")
HOT2 = key("validator-hot-2")
DEST = key("receiver-cold")


def _chain(earned: int, earned_dest: int, held_by_dest: int):
    path = Path(tempfile.mkdtemp()) / "q.db"
    chain = LocalChain.create(path, "dev")
    add_subnet(chain, 1, 1000 * TAO, 1000 * TAO, owner_hotkey=HOT)
    add_subnet(chain, 2, 800 * TAO, 1300 * TAO, owner_hotkey=HOT2)
    give_stake(chain, HOT, BOB, 1, 5000 * TAO)
    for n, hot in ((1, HOT), (2, HOT2), (2, HOT)):
        give_stake(chain, hot, key("someone"), n, 77 * TAO)
        if held_by_dest:
            give_stake(chain, hot, DEST, n, held_by_dest)
            give_stake(chain, hot, BOB, n, held_by_dest)
    with chain.writing() as state:  # emission raises a pool's alpha without new shares
        for hot, n, extra in ((HOT, 1, earned), (HOT2, 2, earned_dest), (HOT, 2, earned_dest)):
            state.set(sm.TOTAL_HOTKEY_ALPHA, hot, n,
                      state.get(sm.TOTAL_HOTKEY_ALPHA, hot, n) + extra)
    return chain, LocalBackend(path)


CASES = [
    ("transfer_stake", lambda a: {"destination_coldkey": DEST, "hotkey": HOT, "origin_netuid": 1,
                                  "destination_netuid": 1, "alpha_amount": a}, (HOT, DEST, 1)),
    ("transfer_stake", lambda a: {"destination_coldkey": DEST, "hotkey": HOT, "origin_netuid": 1,
                                  "destination_netuid": 2, "alpha_amount": a}, (HOT, DEST, 2)),
    ("move_stake", lambda a: {"origin_hotkey": HOT, "destination_hotkey": HOT2,
                              "origin_netuid": 1, "destination_netuid": 1, "alpha_amount": a},
     (HOT2, BOB, 1)),
    ("move_stake", lambda a: {"origin_hotkey": HOT, "destination_hotkey": HOT2,
                              "origin_netuid": 1, "destination_netuid": 2, "alpha_amount": a},
     (HOT2, BOB, 2)),
    ("swap_stake", lambda a: {"hotkey": HOT, "origin_netuid": 1, "destination_netuid": 2,
                              "alpha_amount": a}, (HOT, BOB, 2)),
    ("add_stake", lambda a: {"hotkey": HOT, "netuid": 1, "amount_staked": a}, (HOT, BOB, 1)),
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=st.sampled_from(range(len(CASES))),
       earned=st.integers(1, 10**12), earned_dest=st.integers(0, 10**12),
       held_by_dest=st.sampled_from([0, 3 * TAO + 17]),
       amount=st.one_of(st.just(TAO), st.integers(10**7, 20 * TAO)))
def test_the_quote_is_what_the_receiving_position_gains(case, earned, earned_dest,
                                                        held_by_dest, amount):
    name, args_of, receiver = CASES[case]
    chain, backend = _chain(earned, earned_dest, held_by_dest)
    try:
        args = args_of(amount)
        quote = backend.quote(BOB, "SubtensorModule", name, args)
        before = stake(chain, *receiver)
        receipt = backend.submit_call(dev_signer("Bob"), "SubtensorModule", name, args)
        assert receipt.success == quote["success"]
        if not quote["success"]:
            return
        gained = stake(chain, *receiver) - before
        assert quote["result"]["alpha_received_rao"] == gained
    finally:
        backend.close()
        chain.close()


def test_the_observed_case():
    """The recorded shape of observation 5: 1 alpha to a fresh coldkey, on a pool that earned."""
    found = False
    for earned in range(1, 400, 7):
        chain, backend = _chain(earned * 10**7 + 1, 0, 0)
        try:
            args = CASES[0][1](TAO)
            quote = backend.quote(BOB, "SubtensorModule", "transfer_stake", args)
            before = stake(chain, HOT, DEST, 1)
            backend.submit_call(dev_signer("Bob"), "SubtensorModule", "transfer_stake", args)
            gained = stake(chain, HOT, DEST, 1) - before
            assert quote["result"]["alpha_received_rao"] == gained
            found = found or gained == TAO - 1
        finally:
            backend.close()
            chain.close()
    assert found, "no pool in the range rounds a 1-alpha credit down: the case is not exercised"

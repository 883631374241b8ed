"""`move_stake_limit` (spec 461, call 149) on the bundled chain: across subnets it trades exactly
as `swap_stake_limit` does (the same limit on origin/destination price, the same fill), only
the stake lands on the destination hotkey; within a subnet there is no swap and the limit is
not consulted. Its dry run is its execution, to the rao."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.local.accounts import dev_signer
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from tests.chain.local.subnet_fixtures import BOB, TAO, add_subnet, give_stake, key, stake

HOT, HOT2 = key("validator-hot"), key("other-hot")
reserves = st.integers(100 * TAO, 100_000 * TAO)


def _pair(t1, a1, t2, a2, held):
    chains = []
    for _ in range(2):
        path = Path(tempfile.mkdtemp()) / "m.db"
        chain = LocalChain.create(path, "dev")
        add_subnet(chain, 1, t1, a1, owner_hotkey=HOT)
        add_subnet(chain, 2, t2, a2, owner_hotkey=HOT2)
        give_stake(chain, HOT, BOB, 1, held)
        chains.append((chain, LocalBackend(path)))
    return chains


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reserves, reserves, reserves, reserves, st.integers(1, 10**6), st.integers(0, 100_000),
       st.booleans())
def test_move_stake_limit_trades_as_swap_stake_limit(t1, a1, t2, a2, ppm, tol_ppm, partial):
    held = max(a1 * ppm // 10**6, 1)
    (c_move, b_move), (c_swap, b_swap) = _pair(t1, a1, t2, a2, held)
    try:
        pool1, pool2 = b_move.pool(1), b_move.pool(2)
        import amm

        rate = (amm.spot_price(pool1) * TAO) // amm.spot_price(pool2)
        limit = rate * (10**6 - tol_ppm) // 10**6
        common = {"origin_netuid": 1, "destination_netuid": 2, "alpha_amount": held,
                  "limit_price": limit, "allow_partial": partial}
        move_args = {"origin_hotkey": HOT, "destination_hotkey": HOT2, **common}
        quote = b_move.quote(BOB, "SubtensorModule", "move_stake_limit", move_args)
        receipt = b_move.submit_call(dev_signer("Bob"), "SubtensorModule", "move_stake_limit",
                                     move_args)
        swapped = b_swap.submit_call(dev_signer("Bob"), "SubtensorModule", "swap_stake_limit",
                                     {"hotkey": HOT, **common})
        assert receipt.success == quote["success"] == swapped.success
        if not receipt.success:
            assert receipt.error == quote["error"] == swapped.error
            assert stake(c_move, HOT, BOB, 1) == held
            return
        got = stake(c_move, HOT2, BOB, 2)
        assert got == quote["result"]["alpha_received_rao"] == stake(c_swap, HOT, BOB, 2)
        assert stake(c_move, HOT, BOB, 1) == stake(c_swap, HOT, BOB, 1)
    finally:
        for c, b in ((c_move, b_move), (c_swap, b_swap)):
            b.close()
            c.close()


def test_within_one_subnet_the_limit_is_not_consulted(dev_chain):
    add_subnet(dev_chain, 1, 1000 * TAO, 1000 * TAO, owner_hotkey=HOT)
    give_stake(dev_chain, HOT, BOB, 1, 10 * TAO)
    with dev_chain.writing() as state:
        from chain.local import stake_utils as su

        su.create_account_if_non_existent(state, key("hot2-owner"), HOT2)
    receipt = dev_chain.submit_call(dev_signer("Bob"), _call(
        origin_hotkey=HOT, destination_hotkey=HOT2, origin_netuid=1, destination_netuid=1,
        alpha_amount=4 * TAO, limit_price=2**63, allow_partial=False))
    assert receipt.success, receipt
    assert stake(dev_chain, HOT2, BOB, 1) == 4 * TAO


def _call(**args):
    from chain.local.extrinsic import Call

    return Call("SubtensorModule", "move_stake_limit", args)

"""Hypothesis: random sessions of staking, unstaking, moving, swapping, transferring stake and
registering keep every invariant of `chain check`, never change issuance, and never let a
coldkey's stake exceed what the share pool holds."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.chain import LocalChain
from chain.local.invariants import check
from chain.pallets import balances
from tests.chain.local.subnet_fixtures import TAO, key, stake, submit

NAMES = ("Alice", "Bob", "Charlie")
SIGNERS = {n: dev_signer(n) for n in NAMES}
HOTKEYS = [key("p-hot-1"), key("p-hot-2"), key("p-hot-3")]

who = st.sampled_from(NAMES)
netuid = st.sampled_from([0, 1, 1, 2, 2, 3])  # 3 does not exist
hot = st.integers(0, 2)
alpha_pct = st.integers(1, 120)  # of what the signer holds (above 100: too much)
tao = st.one_of(st.integers(1, 5_000_000), st.integers(1, 2_000).map(lambda t: t * TAO))
op = st.one_of(
    st.tuples(st.just("add"), who, hot, netuid, tao, st.booleans()),
    st.tuples(st.just("remove"), who, hot, netuid, alpha_pct, st.booleans()),
    st.tuples(st.just("move"), who, hot, hot, netuid, netuid, alpha_pct),
    st.tuples(st.just("swap"), who, hot, netuid, netuid, alpha_pct),
    st.tuples(st.just("transfer"), who, who, hot, netuid, netuid, alpha_pct),
    st.tuples(st.just("register"), who, hot, netuid),
    st.tuples(st.just("unstake_all"), who, hot),
    st.tuples(st.just("advance"), st.integers(1, 400)),
)


def _setup() -> LocalChain:
    chain = LocalChain.create(Path(tempfile.mkdtemp()) / "p.db", "dev")
    alice = SIGNERS["Alice"]
    for n, owner in ((1, 0), (2, 1)):
        assert submit(chain, alice, "register_network", hotkey=HOTKEYS[owner]).success
        assert submit(chain, alice, "start_call", netuid=n).success
    # hotkeys 0 and 1 belong to Alice, hotkey 2 to Bob; everyone starts with some stake
    assert submit(chain, SIGNERS["Bob"], "try_associate_hotkey", hotkey=HOTKEYS[2]).success
    for k, name in enumerate(NAMES):
        for h, hotkey in enumerate(HOTKEYS):
            for n in (0, 1, 2):
                assert submit(chain, SIGNERS[name], "add_stake", hotkey=hotkey, netuid=n,
                              amount_staked=(5 + k + 3 * h + 7 * n) * TAO).success
    return chain


def _held(chain, name, hotkey, n):
    return stake(chain, hotkey, DEV_ACCOUNTS[name], n)


def _run(chain, step) -> int:
    """Run a step; returns the transaction fee it paid (recycled out of the issuance)."""
    receipt = _submit_step(chain, step)
    if receipt is None:
        return 0
    event(f"{step[0]}: {'ok' if receipt.success else receipt.error}")
    assert receipt.fee_rao > 0
    return receipt.fee_rao


def _submit_step(chain, step):
    kind = step[0]
    if kind == "advance":
        chain.advance(step[1])
        return None
    signer = SIGNERS[step[1]]
    if kind == "add":
        _, _, h, n, amount, limit = step
        args = {"hotkey": HOTKEYS[h], "netuid": n, "amount_staked": amount}
        if limit:
            return submit(chain, signer, "add_stake_limit", limit_price=2 * TAO, allow_partial=True,
                   **args)
        else:
            return submit(chain, signer, "add_stake", **args)
    elif kind == "remove":
        _, name, h, n, pct, limit = step
        amount = _held(chain, name, HOTKEYS[h], n) * pct // 100
        args = {"hotkey": HOTKEYS[h], "netuid": n, "amount_unstaked": amount}
        if limit:
            return submit(chain, signer, "remove_stake_limit", limit_price=TAO // 10,
                          allow_partial=True, **args)
        else:
            return submit(chain, signer, "remove_stake", **args)
    elif kind == "move":
        _, name, h1, h2, n1, n2, pct = step
        amount = _held(chain, name, HOTKEYS[h1], n1) * pct // 100
        return submit(chain, signer, "move_stake", origin_hotkey=HOTKEYS[h1],
               destination_hotkey=HOTKEYS[h2], origin_netuid=n1, destination_netuid=n2,
               alpha_amount=amount)
    elif kind == "swap":
        _, name, h, n1, n2, pct = step
        amount = _held(chain, name, HOTKEYS[h], n1) * pct // 100
        return submit(chain, signer, "swap_stake", hotkey=HOTKEYS[h], origin_netuid=n1,
               destination_netuid=n2, alpha_amount=amount)
    elif kind == "transfer":
        _, name, dest, h, n1, n2, pct = step
        amount = _held(chain, name, HOTKEYS[h], n1) * pct // 100
        return submit(chain, signer, "transfer_stake", destination_coldkey=DEV_ACCOUNTS[dest],
               hotkey=HOTKEYS[h], origin_netuid=n1, destination_netuid=n2, alpha_amount=amount)
    elif kind == "register":
        _, _, h, n = step
        return submit(chain, signer, "burned_register", netuid=n, hotkey=HOTKEYS[h])
    elif kind == "unstake_all":
        return submit(chain, signer, "unstake_all", hotkey=HOTKEYS[step[2]])


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, min_size=1, max_size=15))
def test_random_sessions_keep_every_invariant(steps):
    chain = _setup()
    try:
        for step in steps:
            with chain.reading() as state:
                issuance = state.get(balances.TOTAL_ISSUANCE)
            fee = _run(chain, step)
            if step[0] != "advance":  # a signed step changes the issuance by its fee only
                with chain.reading() as state:
                    assert state.get(balances.TOTAL_ISSUANCE) == issuance - fee, step
        failures = {k: v for k, v in check(chain).items() if v}
        assert not failures, failures
    finally:
        chain.close()

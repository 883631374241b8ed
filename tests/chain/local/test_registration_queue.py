"""The subnet registration queue and escrow (ECONOMICS-2026 §6.3, §0.0 item 3): the queue rule,
the escrow sub-account, on_idle creating the subnet (priced at the median stored at queue time)
or refunding the escrow in full, `chain check`'s registration_escrow, and a property: escrow and
refund conserve every registrant's TAO."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.local import network_lock as nl
from chain.local import registration_queue as rq
from chain.local.accounts import DEV_ACCOUNTS, dev_signer, subnet_account
from chain.local.chain import LocalChain
from chain.local.invariants import check
from chain.pallets import subtensor_module as sm
from chain.pallets import system
from tests.chain.local.subnet_fixtures import TAO, free, key, read, submit

ALICE_S = dev_signer("Alice")
NAMES = ("Bob", "Charlie", "Dave", "Eve")


def _ok(receipt):
    assert receipt.success, (receipt.error, receipt.message)
    return receipt


def _clean(chain) -> None:
    failures = {k: v for k, v in check(chain).items() if v}
    assert not failures, failures


def _sudo(chain, name, **args):
    return _ok(submit(chain, ALICE_S, name, "AdminUtils", **args))


def _full(chain, limit: int) -> None:
    """`limit` subnets exist, none immune, lock cost 1 TAO."""
    _sudo(chain, "sudo_set_network_min_lock_cost", lock_cost=TAO)
    _sudo(chain, "sudo_set_network_immunity_period", immunity_period=0)
    for n in range(limit):
        _ok(submit(chain, ALICE_S, "register_network", hotkey=key(f"first{n}")))
    _sudo(chain, "sudo_set_subnet_limit", max_subnets=limit)


def test_the_queue_rule():
    # (queue it, prune first): a free netuid -> neither
    assert rq.must_queue(3, 0, 0, 4) == (False, False)
    # full: prune one for this registration
    assert rq.must_queue(4, 0, 0, 4) == (True, True)
    # more netuids in cleanup than registrations waiting: wait for one, prune nothing
    assert rq.must_queue(3, 1, 0, 4) == (True, False)
    # as many waiting as in cleanup: prune another
    assert rq.must_queue(3, 1, 1, 4) == (True, True)


def test_escrow_accounts_are_distinct_module_sub_accounts():
    a, b = rq.escrow_account(0), rq.escrow_account(1)
    assert a != b and a.startswith(b"modlsubtensrrges") and len(a) == 32
    assert a != subnet_account(0)


def test_a_full_chain_queues_and_on_idle_creates_the_subnet_at_the_stored_median(dev_chain):
    _full(dev_chain, 2)
    bob = DEV_ACCOUNTS["Bob"]
    before = free(dev_chain, bob)
    block = dev_chain.open_number()
    receipt = _ok(submit(dev_chain, dev_signer("Bob"), "register_network", hotkey=key("bob")))
    names = [e["name"] for e in receipt.events]
    assert "NetworkRemoved" in names and "NetworkRegistrationQueued" in names
    entry, = read(dev_chain, sm.NETWORK_REGISTRATION_QUEUE)
    lock = entry["lock_amount"]
    assert entry["registration_block"] == block and entry["lock_id"] == 0
    assert free(dev_chain, bob) == before - lock - receipt.fee_rao
    assert free(dev_chain, rq.escrow_account(0)) == lock
    assert read(dev_chain, sm.NETWORK_REGISTRATION_ESCROW, 0) == lock
    assert read(dev_chain, sm.NETWORK_LAST_LOCK_COST) == lock  # pricing moves when queued
    median = entry["median_subnet_alpha_price"]
    _clean(dev_chain)
    # the price of the other subnet moves before on_idle: the pool uses the stored median
    pruned = next(n for n in (1, 2) if not read(dev_chain, sm.NETWORKS_ADDED, n))
    survivor = 3 - pruned
    with dev_chain.writing() as state:
        state.set(sm.SUBNET_ALPHA_IN, survivor, state.get(sm.SUBNET_ALPHA_IN, survivor) // 3)
    dev_chain.advance(1)
    assert read(dev_chain, sm.SUBNET_OWNER, pruned) == bob
    assert read(dev_chain, sm.SUBNET_TAO, pruned) == lock  # the TAO paid (POOL_TAO_SOURCE)
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, pruned) == \
        nl.new_pool(lock, median_u64f64=median).subnet_alpha_in
    assert read(dev_chain, sm.NETWORK_REGISTERED_AT, pruned) == block + 1
    assert free(dev_chain, rq.escrow_account(0)) == 0
    assert read(dev_chain, sm.NETWORK_REGISTRATION_QUEUE) == []
    _clean(dev_chain)


def test_a_registration_that_still_finds_no_netuid_is_refunded_in_full(dev_chain):
    _full(dev_chain, 1)
    bob = DEV_ACCOUNTS["Bob"]
    before = free(dev_chain, bob)
    queued = _ok(submit(dev_chain, dev_signer("Bob"), "register_network", hotkey=key("bob")))
    assert free(dev_chain, bob) < before - queued.fee_rao
    _sudo(dev_chain, "sudo_set_subnet_limit", max_subnets=0)  # no room when on_idle runs
    dev_chain.advance(1)
    # the escrow came back, to the rao; the transaction fee stays paid
    assert free(dev_chain, bob) == before - queued.fee_rao
    assert free(dev_chain, rq.escrow_account(0)) == 0
    assert read(dev_chain, sm.NETWORK_REGISTRATION_ESCROW, 0) == 0
    assert read(dev_chain, sm.SUBNET_OWNER, 1) is None
    row = dev_chain.conn.execute("SELECT events FROM blocks WHERE number = ?",
                                 (dev_chain.open_number(),)).fetchone()
    assert "NetworkRegistrationCancelled" in row[0]  # on_idle's event, in the block it opened
    _clean(dev_chain)


def test_a_registration_waits_for_a_netuid_in_cleanup_without_pruning(dev_chain):
    _full(dev_chain, 2)
    # subnet 2 was dissolved by another path; its netuid is still being cleaned up
    with dev_chain.writing() as state:
        state.set(sm.SUBNET_LIMIT, 2)
        state.set(sm.DISSOLVE_CLEANUP_QUEUE, [2])
        state.set(sm.NETWORKS_ADDED, 2, False)
    receipt = _ok(submit(dev_chain, dev_signer("Bob"), "register_network", hotkey=key("bob")))
    assert "NetworkRemoved" not in [e["name"] for e in receipt.events]  # subnet 1 stays
    assert read(dev_chain, sm.NETWORKS_ADDED, 1) is True
    assert len(read(dev_chain, sm.NETWORK_REGISTRATION_QUEUE)) == 1


def test_the_quote_says_queued_with_position_and_block(dev_chain):
    _full(dev_chain, 1)
    from chain.local.backend import LocalBackend

    backend = LocalBackend(dev_chain.path)
    quote = backend.query("quote", DEV_ACCOUNTS["Bob"], "SubtensorModule", "register_network",
                          {"hotkey": key("bob")})
    backend.close()
    assert quote["success"]
    result = quote["result"]
    assert result["queued"] is True and result["queue_position"] == 0
    assert result["exists_at_block"] == dev_chain.open_number() + 1
    assert result["pruned_netuid"] == 1 and result["netuid"] is None


def test_chain_check_sees_a_damaged_escrow(dev_chain):
    _full(dev_chain, 1)
    _ok(submit(dev_chain, dev_signer("Bob"), "register_network", hotkey=key("bob")))
    with dev_chain.writing() as state:
        state.set(sm.NETWORK_REGISTRATION_ESCROW, 0, 1)
    assert check(dev_chain)["registration_escrow"]


def test_registration_opens_at_the_start_block(dev_chain):
    with dev_chain.writing() as state:
        state.set(sm.NETWORK_REGISTRATION_START_BLOCK, 10**6)
    receipt = submit(dev_chain, dev_signer("Bob"), "register_network", hotkey=key("bob"))
    assert receipt.error == "SubNetRegistrationDisabled"


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(existing=st.integers(1, 3), registrants=st.integers(1, 4), shrink=st.booleans())
def test_escrow_and_refund_conserve_every_registrants_tao(existing, registrants, shrink):
    """Property: whatever the queue does (create at once, queue then create, queue then
    refund), each registrant's TAO either sits in exactly one new subnet's pool or is back in
    full; no escrow keeps anything; `chain check` passes."""
    with tempfile.TemporaryDirectory() as tmp:
        chain = LocalChain.create(Path(tmp) / "q.db", "dev")
        _full(chain, existing)
        chain.advance(5)
        # the subnets that exist can be pruned, the new ones cannot
        _sudo(chain, "sudo_set_network_immunity_period", immunity_period=3)
        if registrants > 1:
            _sudo(chain, "sudo_set_subnet_limit", max_subnets=existing + 1)
        names = NAMES[:registrants]
        before = {n: free(chain, DEV_ACCOUNTS[n]) for n in names}
        fee = {}
        for n in names:
            receipt = submit(chain, dev_signer(n), "register_network", hotkey=key(f"reg-{n}"))
            assert receipt.success or receipt.error == "SubnetLimitReached", receipt.message
            fee[n] = receipt.fee_rao  # paid whatever the outcome
            assert fee[n] > 0
        if shrink:
            _sudo(chain, "sudo_set_subnet_limit", max_subnets=max(existing - 1, 0))
        chain.advance(1)
        with chain.reading() as state:
            owned = {state.get(sm.SUBNET_OWNER, netuid): netuid
                     for (netuid,), added in state.iter(sm.NETWORKS_ADDED) if added}
            for n in names:
                spent = before[n] - state.get(system.ACCOUNT, DEV_ACCOUNTS[n]).free - fee[n]
                netuid = owned.get(DEV_ACCOUNTS[n])
                if netuid is None:
                    assert spent == 0
                else:  # nobody stakes here: the pool holds exactly the TAO paid
                    assert spent == state.get(sm.SUBNET_LOCKED, netuid) == \
                        state.get(sm.SUBNET_TAO, netuid)
            assert not list(state.iter(sm.NETWORK_REGISTRATION_ESCROW))
            assert state.get(sm.NETWORK_REGISTRATION_QUEUE) == []
        _clean(chain)
        chain.close()

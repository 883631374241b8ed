"""The Proxy pallet on the bundled chain: deposits held and released exactly, a Staking proxy
stakes for its real account (the stake is the real account's, the fee the proxy's nonce), the
filter, and every refusal by subtensor's name."""

from __future__ import annotations

import pytest

from chain.errors import CallUnknown
from chain.local.accounts import dev_signer
from chain.local.invariants import check
from chain.pallets import proxy as px
from chain.pallets import system
from chain.rules.proxy import PROXY_TYPES, allows
from tests.chain.local.subnet_fixtures import (ALICE, BOB, TAO, add_subnet, call_events, free, key,
                                               stake, submit)

HOT = key("proxy-hot")
ALICE_S, BOB_S = dev_signer("Alice"), dev_signer("Bob")


def _account(chain, who):
    with chain.reading() as state:
        return state.get(system.ACCOUNT, who)


def _proxies(chain, who):
    with chain.reading() as state:
        return state.get(px.PROXIES, who)


def _add(chain, signer, delegate, proxy_type="Staking", delay=0):
    return submit(chain, signer, "add_proxy", "Proxy", delegate=delegate,
                  proxy_type=proxy_type, delay=delay)


def test_proxy_types_are_spec_461s():
    """The variant names and order of the recorded spec-461 metadata's ProxyType."""
    from tests.chain.local.proxy_metadata import proxy_type_variants

    assert list(PROXY_TYPES) == proxy_type_variants()


def test_add_and_remove_hold_and_release_the_deposit(dev_chain):
    before = _account(dev_chain, ALICE)
    receipt = _add(dev_chain, ALICE_S, BOB)
    assert receipt.success, receipt.message
    assert call_events(receipt)[0]["name"] == "ProxyAdded"  # after the fee's Withdraw
    after = _account(dev_chain, ALICE)
    assert after.reserved - before.reserved == 60_000_000 + 33_000_000
    assert before.free - after.free == 93_000_000 + receipt.fee_rao  # deposit and fee
    fees = receipt.fee_rao
    receipt = _add(dev_chain, ALICE_S, BOB, "Transfer")
    assert receipt.success
    fees += receipt.fee_rao
    assert _proxies(dev_chain, ALICE)[1] == 60_000_000 + 2 * 33_000_000
    assert _account(dev_chain, ALICE).reserved - before.reserved == 126_000_000
    for kind in ("Staking", "Transfer"):
        r = submit(dev_chain, ALICE_S, "remove_proxy", "Proxy", delegate=BOB, proxy_type=kind,
                   delay=0)
        assert r.success, r.message
        fees += r.fee_rao
    assert _account(dev_chain, ALICE).reserved == before.reserved
    assert _account(dev_chain, ALICE).free == before.free - fees  # the deposits came back
    assert _proxies(dev_chain, ALICE) == [[], 0]
    assert not any(check(dev_chain).values())


def test_refusals(dev_chain):
    assert _add(dev_chain, ALICE_S, ALICE).error == "NoSelfProxy"
    assert _add(dev_chain, ALICE_S, BOB).success
    assert _add(dev_chain, ALICE_S, BOB).error == "Duplicate"
    with pytest.raises(CallUnknown):  # not a ProxyType variant: an invalid transaction
        _add(dev_chain, ALICE_S, BOB, "Bogus")
    r = submit(dev_chain, ALICE_S, "remove_proxy", "Proxy", delegate=BOB, proxy_type="Any",
               delay=0)
    assert r.error == "NotFound"


def test_a_staking_proxy_stakes_for_its_real_account(dev_chain):
    add_subnet(dev_chain, 1, 100 * TAO, 400 * TAO, owner_hotkey=HOT)
    assert _add(dev_chain, ALICE_S, BOB).success
    alice_free, bob_nonce = free(dev_chain, ALICE), _account(dev_chain, BOB).nonce
    inner = {"pallet": "SubtensorModule", "name": "add_stake",
             "args": {"hotkey": HOT, "netuid": 1, "amount_staked": TAO}}
    receipt = submit(dev_chain, BOB_S, "proxy", "Proxy", real=ALICE, force_proxy_type=None,
                     call=inner)
    assert receipt.success, receipt.message
    names = [e["name"] for e in receipt.events]
    assert "StakeAdded" in names
    executed = next(e for e in receipt.events if e["name"] == "ProxyExecuted")
    assert executed["args"]["result"] == {"Ok": None}
    assert stake(dev_chain, HOT, ALICE, 1) == 3_958_421_529  # ECONOMICS Appendix B
    assert stake(dev_chain, HOT, BOB, 1) == 0
    assert alice_free - free(dev_chain, ALICE) == TAO
    assert _account(dev_chain, BOB).nonce == bob_nonce + 1
    assert _account(dev_chain, ALICE).nonce == 1  # add_proxy only


def test_the_filter_and_not_a_proxy(dev_chain):
    assert _add(dev_chain, ALICE_S, BOB).success
    transfer = {"pallet": "Balances", "name": "transfer_keep_alive",
                "args": {"dest": BOB, "value": TAO}}
    alice_free = free(dev_chain, ALICE)
    receipt = submit(dev_chain, BOB_S, "proxy", "Proxy", real=ALICE, force_proxy_type=None,
                     call=transfer)
    assert receipt.success  # the proxy extrinsic is included; the inner call is not run
    executed = next(e for e in receipt.events if e["name"] == "ProxyExecuted")
    assert executed["args"]["result"]["Err"]["error"] == "CallFiltered"
    assert free(dev_chain, ALICE) == alice_free
    r = submit(dev_chain, ALICE_S, "proxy", "Proxy", real=BOB, force_proxy_type=None,
               call=transfer)
    assert r.error == "NotProxy"
    r = submit(dev_chain, BOB_S, "proxy", "Proxy", real=ALICE, force_proxy_type="Any",
               call=transfer)
    assert r.error == "NotProxy"


def test_filter_table():
    assert allows("Staking", "SubtensorModule", "add_stake_limit", {})
    assert not allows("Staking", "Balances", "transfer_keep_alive", {})
    assert not allows("NonTransfer", "SubtensorModule", "transfer_stake", {})
    assert allows("NonTransfer", "SubtensorModule", "add_stake", {})
    assert allows("SmallTransfer", "Balances", "transfer_keep_alive", {"value": 499_999_999})
    assert not allows("SmallTransfer", "Balances", "transfer_keep_alive", {"value": 500_000_000})
    assert allows("Any", "Balances", "transfer_all", {})

"""Subnets on the bundled chain: creation (lock cost, pool, owner at UID 0, hyperparameters),
start_call, the subnet limit pruning the right subnet, dissolution, the mainnet preset."""

from __future__ import annotations

import time

import amm
from chain.local import network_lock as nl
from chain.local.accounts import dev_signer, subnet_account
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from chain.local.invariants import check
from chain.pallets import subtensor_module as sm
from chain.pallets import system
from tests.chain.local.subnet_fixtures import (ALICE, BOB, TAO, call_events, free, key, read,
                                            stake, submit)

ALICE_S, BOB_S = dev_signer("Alice"), dev_signer("Bob")


def _ok(receipt):
    assert receipt.success, (receipt.error, receipt.message)
    return receipt


def test_register_network_creates_a_subnet(dev_chain):
    backend = LocalBackend(dev_chain.path)
    cost = backend.query("lock_cost")
    assert cost == 1_000 * TAO  # runtime defaults: the first lock is NetworkLastLockCost
    hot = key("alice-owner")
    receipt = _ok(submit(dev_chain, ALICE_S, "register_network", hotkey=hot))
    added = call_events(receipt)[0]
    assert added["name"] == "NetworkAdded" and added["args"]["netuid"] == 1
    assert free(dev_chain, ALICE) == 1_000_000 * TAO - cost - receipt.fee_rao
    assert read(dev_chain, system.ACCOUNT, subnet_account(1)).free == cost
    assert read(dev_chain, sm.SUBNET_TAO, 1) == cost
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 1) == cost  # median price 1.0 with no other subnet
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 1) == 0
    assert read(dev_chain, sm.SUBNET_OWNER, 1) == ALICE
    assert read(dev_chain, sm.SUBNET_OWNER_HOTKEY, 1) == hot
    assert read(dev_chain, sm.KEYS, 1, 0) == hot
    assert read(dev_chain, sm.TEMPO, 1) == 360
    assert read(dev_chain, sm.MAX_ALLOWED_UIDS, 1) == 256
    assert read(dev_chain, sm.IMMUNITY_PERIOD, 1) == 5000
    assert read(dev_chain, sm.BURN, 1) == TAO
    assert read(dev_chain, sm.SUBTOKEN_ENABLED, 1) is False
    assert read(dev_chain, sm.SUBNET_EMISSION_ENABLED, 1) is False
    info = backend.query("subnet", 1)
    assert info["symbol"] == "α" and info["price_rao"] == TAO and info["name"] == "subnet 1"
    # the next lock doubles, then decays linearly
    block = dev_chain.open_number()
    assert backend.query("lock_cost") == 2 * cost
    dev_chain.advance(1_000)
    assert backend.query("lock_cost") == nl.lock_cost(
        cost, block, block + 1_000, 1_000 * TAO, 100_800, TAO)
    assert backend.query("lock_cost") < 2 * cost
    # trading opens with start_call
    assert _ok(submit(dev_chain, ALICE_S, "start_call", netuid=1))
    _ok(submit(dev_chain, BOB_S, "add_stake", hotkey=hot, netuid=1, amount_staked=10 * TAO))
    assert not any(check(dev_chain).values())
    backend.close()


def test_second_subnet_starts_at_the_median_price(dev_chain):
    _ok(submit(dev_chain, ALICE_S, "register_network", hotkey=key("o1")))
    _ok(submit(dev_chain, ALICE_S, "start_call", netuid=1))
    _ok(submit(dev_chain, BOB_S, "add_stake", hotkey=key("o1"), netuid=1,
               amount_staked=300 * TAO))
    backend = LocalBackend(dev_chain.path)
    price = amm.spot_price(backend.pool(1))
    lock = backend.query("lock_cost")
    _ok(submit(dev_chain, BOB_S, "register_network_with_identity", hotkey=key("o2"),
               identity={"subnet_name": "bobnet"}))
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 2) == (lock << 64) // price
    assert backend.query("subnet", 2)["name"] == "bobnet"
    backend.close()


def test_subnet_limit_prunes_the_lowest_moving_price_non_immune_subnet(dev_chain):
    sudo = ALICE_S
    _ok(submit(dev_chain, sudo, "sudo_set_subnet_limit", "AdminUtils", max_subnets=3))
    _ok(submit(dev_chain, sudo, "sudo_set_network_immunity_period", "AdminUtils",
               immunity_period=50))
    _ok(submit(dev_chain, sudo, "sudo_set_network_min_lock_cost", "AdminUtils", lock_cost=TAO))
    for n in range(1, 4):
        _ok(submit(dev_chain, sudo, "register_network", hotkey=key(f"owner{n}")))
        _ok(submit(dev_chain, sudo, "start_call", netuid=n))
        dev_chain.advance(30)
    # subnet 3 is still immune (registered 30 blocks ago); 2 has the lowest moving price
    with dev_chain.writing() as state:
        for n, price in ((1, 900), (2, 100), (3, 5)):
            state.set(sm.SUBNET_MOVING_PRICE, n, price)
    _ok(submit(dev_chain, BOB_S, "add_stake", hotkey=key("owner2"), netuid=2,
               amount_staked=50 * TAO))
    bob_before = free(dev_chain, BOB)
    bob_alpha = stake(dev_chain, key("owner2"), BOB, 2)
    receipt = _ok(submit(dev_chain, BOB_S, "register_network", hotkey=key("bob-owner")))
    names = [e["name"] for e in call_events(receipt)]
    # 2 is dissolved now; the registration waits for its cleanup, the lock in escrow
    assert names[:3] == ["TaoRecycled", "NetworkRemoved", "NetworkRegistrationQueued"]
    assert "NetworkAdded" not in names
    queued = read(dev_chain, sm.NETWORK_REGISTRATION_QUEUE)
    assert [e["hotkey"] for e in queued] == [key("bob-owner").hex()]
    assert read(dev_chain, sm.NETWORKS_ADDED, 2) is False
    assert not any(check(dev_chain).values())
    dev_chain.advance(1)  # on_idle: cleanup, then the queue
    assert read(dev_chain, sm.NETWORK_REGISTRATION_QUEUE) == []
    assert read(dev_chain, sm.SUBNET_OWNER, 2) == BOB  # netuid 2 reused
    assert read(dev_chain, sm.SUBNET_OWNER, 1) == ALICE and read(dev_chain, sm.SUBNET_OWNER, 3)
    assert stake(dev_chain, key("owner2"), BOB, 2) == 0
    assert bob_alpha > 0
    # Bob got his share of the dissolved pool back, minus the new lock
    lock = read(dev_chain, sm.SUBNET_LOCKED, 2)
    refund = free(dev_chain, BOB) - (bob_before - lock - receipt.fee_rao)
    assert 0 < refund <= 50 * TAO
    assert not any(check(dev_chain).values())


def test_subnet_limit_with_every_subnet_immune(dev_chain):
    _ok(submit(dev_chain, ALICE_S, "sudo_set_subnet_limit", "AdminUtils", max_subnets=1))
    _ok(submit(dev_chain, ALICE_S, "register_network", hotkey=key("a")))
    before = free(dev_chain, BOB)
    receipt = submit(dev_chain, BOB_S, "register_network", hotkey=key("b"))
    assert receipt.error == "SubnetLimitReached"
    assert free(dev_chain, BOB) == before - receipt.fee_rao  # a refused call still pays its fee


def test_mainnet_preset_has_128_running_subnets_and_keeps_every_invariant(tmp_path):
    started = time.perf_counter()
    chain = LocalChain.create(tmp_path / "main.db", "mainnet")
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0
    backend = LocalBackend(tmp_path / "main.db")
    subnets = backend.query("subnets")
    assert [sn["netuid"] for sn in subnets] == list(range(129))
    dynamic = subnets[1:]
    pooled = sum(sn["tao_in_rao"] for sn in dynamic)
    assert 500_000 * TAO < pooled < 5_000_000 * TAO
    assert all(sn["subtoken_enabled"] for sn in dynamic)
    from chain.local.presets import MAINNET_EMISSION_DISABLED  # as on finney (issue 16)

    assert {sn["netuid"] for sn in dynamic if not sn["emission_enabled"]} == \
        MAINNET_EMISSION_DISABLED
    assert all(sn["emission_share_ppb"] == 0 for sn in dynamic
               if sn["netuid"] in MAINNET_EMISSION_DISABLED)
    assert sum(sn["emission_share_ppb"] for sn in dynamic) in range(10**9 - 128, 10**9 + 1)
    prices = sorted(sn["price_rao"] for sn in dynamic)
    assert 1_000_000 < prices[0] < prices[-1] < TAO
    root = subnets[0]
    assert root["tao_in_rao"] == root["alpha_out_rao"] > 5_000_000 * TAO
    assert not any(check(chain).values())
    # the 129th subnet prunes one (the newest are still immune)
    holder = backend.query("neurons", 1)[1]["coldkey"]
    assert holder and backend.query("lock_cost") > TAO
    backend.close()
    chain.close()


def test_mainnet_preset_is_the_same_every_time():
    from chain.local.presets import _mainnet_subnets

    assert _mainnet_subnets() == _mainnet_subnets()

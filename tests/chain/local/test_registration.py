"""Neuron registration on the bundled chain: the burn is a buy-and-destroy of alpha, the price
bumps by 1.26 and decays per block, a full subnet prunes the right UID, root registration."""

from __future__ import annotations

import amm
from chain.local import registration_price as rp
from chain.local.accounts import dev_signer, subnet_account
from chain.local.invariants import check
from chain.pallets import balances, system
from chain.pallets import subtensor_module as sm
from tests.chain.local.subnet_fixtures import BOB, TAO, call_events, free, key, read, submit

ALICE_S, BOB_S = dev_signer("Alice"), dev_signer("Bob")


def _subnet(chain, *, start: bool = True) -> None:
    assert submit(chain, ALICE_S, "register_network", hotkey=key("owner-hot")).success
    if start:
        assert submit(chain, ALICE_S, "start_call", netuid=1).success


def test_burned_register_buys_and_destroys_alpha(dev_chain):
    _subnet(dev_chain)
    with dev_chain.reading() as state:
        from chain.local.stake_utils import read_pool

        pool = read_pool(state, 1)
        alpha_out = state.get(sm.SUBNET_ALPHA_OUT, 1)
        issuance = state.get(balances.TOTAL_ISSUANCE)
        account = state.get(system.ACCOUNT, subnet_account(1)).free
    burn = read(dev_chain, sm.BURN, 1)
    assert burn == TAO
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("bob-hot"))
    assert receipt.success, receipt.message
    bought = amm.swap(pool, amm.BUY, burn)
    assert read(dev_chain, sm.SUBNET_TAO, 1) == pool.tao_reserve + bought.net_in
    assert read(dev_chain, sm.SUBNET_ALPHA_IN, 1) == bought.pool_after.alpha_reserve
    assert read(dev_chain, sm.SUBNET_ALPHA_OUT, 1) == alpha_out  # the bought alpha is gone
    assert read(dev_chain, system.ACCOUNT, subnet_account(1)).free == account + burn  # fee stays
    # the burn stays in the pool; only the recycled transaction fee leaves the issuance
    assert read(dev_chain, balances.TOTAL_ISSUANCE) == issuance - receipt.fee_rao
    assert free(dev_chain, BOB) == 1_000_000 * TAO - burn - receipt.fee_rao
    assert read(dev_chain, sm.UIDS, 1, key("bob-hot")) == 1
    assert read(dev_chain, sm.OWNER, key("bob-hot")) == BOB
    assert read(dev_chain, sm.BURN, 1) == rp.bump_burn(burn) == 1_260_000_000
    assert [e["name"] for e in call_events(receipt)][0] == "NeuronRegistered"
    assert not any(check(dev_chain).values())


def test_register_limit_at_the_price_succeeds(dev_chain):
    _subnet(dev_chain)
    assert submit(dev_chain, BOB_S, "register_limit", netuid=1, hotkey=key("b"),
                  limit_price=TAO).success


def test_burn_decays_per_block_and_skip_equals_block_by_block(tmp_path):
    from chain.local.chain import LocalChain

    chains = []
    for name, by_block in (("a", False), ("b", True)):
        chain = LocalChain.create(tmp_path / f"{name}.db", "dev")
        _subnet(chain)
        for k in range(4):  # push the price up: 1.26^4
            assert submit(chain, BOB_S, "burned_register", netuid=1, hotkey=key(f"h{k}")).success
        chain.advance(700, block_by_block=by_block)
        chains.append(chain)
    burns = [read(c, sm.BURN, 1) for c in chains]
    assert burns[0] == burns[1]
    start = rp.bump_burn(rp.bump_burn(rp.bump_burn(rp.bump_burn(TAO))))
    expected = start
    opened = read(chains[0], system.NUMBER)
    for block in range(opened - 699, opened + 1):
        expected = rp.decay_burn(expected, block)
    assert burns[0] == expected
    assert expected < start // 2  # 700 blocks is almost two half-lives of 360
    for chain in chains:
        chain.close()


def test_burn_rests_at_the_floor_over_long_advances(dev_chain):
    _subnet(dev_chain, start=False)  # not emitting: the coinbase lets the run be skipped
    dev_chain.advance(200_000)
    assert read(dev_chain, sm.BURN, 1) == read(dev_chain, sm.MIN_BURN, 1) == 500_000


def test_a_full_subnet_prunes_the_lowest_emission_non_immune_uid(dev_chain):
    _subnet(dev_chain)
    alice = dev_signer("Alice")
    assert submit(dev_chain, alice, "sudo_set_max_allowed_uids", "AdminUtils", netuid=1,
                  max_allowed_uids=5).success
    assert submit(dev_chain, alice, "sudo_set_immunity_period", "AdminUtils", netuid=1,
                  immunity_period=10).success
    with dev_chain.writing() as state:
        state.set(sm.MIN_NON_IMMUNE_UIDS, 1, 2)
    for k in range(1, 5):
        assert submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key(f"n{k}")).success
    dev_chain.advance(20)  # UIDs 1..4 leave immunity
    with dev_chain.writing() as state:  # as if an epoch had paid them
        state.set(sm.EMISSION, 1, [0, 50, 7, 30, 7])  # UID 0 (owner) is immortal anyway
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("newcomer"))
    assert receipt.success, receipt.message
    # lowest emission 7 is shared by UIDs 2 and 4, registered in the same block: lowest UID wins
    assert read(dev_chain, sm.KEYS, 1, 2) == key("newcomer")
    assert read(dev_chain, sm.UIDS, 1, key("n2")) is None
    assert read(dev_chain, sm.IS_NETWORK_MEMBER, key("n2"), 1) is False
    assert read(dev_chain, sm.SUBNETWORK_N, 1) == 5
    assert read(dev_chain, sm.EMISSION, 1)[2] == 0
    # the owner's UID 0 has the lowest emission of all but is never pruned
    assert read(dev_chain, sm.KEYS, 1, 0) == key("owner-hot")
    assert not any(check(dev_chain).values())


def test_a_full_subnet_of_immune_uids_prunes_the_lowest_immune(dev_chain):
    _subnet(dev_chain)
    alice = dev_signer("Alice")
    assert submit(dev_chain, alice, "sudo_set_max_allowed_uids", "AdminUtils", netuid=1,
                  max_allowed_uids=3).success
    for k in range(1, 3):
        assert submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key(f"m{k}")).success
        dev_chain.advance(1)
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("late"))
    assert receipt.success
    # both are immune and have emission 0: the earlier registration goes
    assert read(dev_chain, sm.KEYS, 1, 1) == key("late")
    assert read(dev_chain, sm.KEYS, 1, 2) == key("m2")


def test_only_immortal_uids_left_means_no_neuron_id(dev_chain):
    _subnet(dev_chain)
    assert submit(dev_chain, dev_signer("Alice"), "sudo_set_max_allowed_uids", "AdminUtils",
                  netuid=1, max_allowed_uids=1).success
    receipt = submit(dev_chain, BOB_S, "burned_register", netuid=1, hotkey=key("x"))
    assert receipt.error == "NoNeuronIdAvailable"


def test_root_register(dev_chain):
    bob_hot = key("bob-root")
    receipt = submit(dev_chain, BOB_S, "root_register", hotkey=bob_hot)
    assert receipt.success, receipt.message
    assert read(dev_chain, sm.UIDS, 0, bob_hot) == 0
    again = submit(dev_chain, BOB_S, "root_register", hotkey=key("another"))
    assert again.error == "TooManyRegistrationsThisBlock"
    dev_chain.advance(1)
    assert submit(dev_chain, BOB_S, "root_register", hotkey=bob_hot).error == \
        "HotKeyAlreadyRegisteredInSubNet"


def test_full_root_admits_only_more_stake(dev_chain):
    alice = dev_signer("Alice")
    with dev_chain.writing() as state:
        state.set(sm.MAX_ALLOWED_UIDS, 0, 1)
    assert submit(dev_chain, BOB_S, "root_register", hotkey=key("r1")).success
    dev_chain.advance(1)
    assert submit(dev_chain, alice, "root_register", hotkey=key("r2")).error == \
        "StakeTooLowForRoot"
    # Alice pairs the hotkey, stakes on root through it (1:1, no fee), then takes the seat
    assert submit(dev_chain, alice, "try_associate_hotkey", hotkey=key("r2")).success
    assert submit(dev_chain, alice, "add_stake", hotkey=key("r2"), netuid=0,
                  amount_staked=10 * TAO).success
    dev_chain.advance(1)
    assert submit(dev_chain, alice, "root_register", hotkey=key("r2")).success
    assert read(dev_chain, sm.KEYS, 0, 0) == key("r2")
    assert read(dev_chain, sm.TOTAL_HOTKEY_ALPHA, key("r2"), 0) == 10 * TAO
    assert not any(check(dev_chain).values())


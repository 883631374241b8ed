"""Runtime queries the CLI reads: stake info (value at spot, what an unstake really pays), the
subnet view, neurons, burn and lock cost, price history, and quotes for every
subnet and staking call."""

from __future__ import annotations

import amm
from chain.backend import Call as ContractCall
from chain.local.accounts import dev_signer
from chain.local.backend import LocalBackend
from chain.local.subtensor_errors import SubtensorError
from tests.chain.local.subnet_fixtures import BOB, TAO, key, submit

ALICE_S, BOB_S = dev_signer("Alice"), dev_signer("Bob")


def _session(chain):
    owner = key("q-owner")
    assert submit(chain, ALICE_S, "register_network", hotkey=owner).success
    assert submit(chain, ALICE_S, "start_call", netuid=1).success
    assert submit(chain, BOB_S, "burned_register", netuid=1, hotkey=key("q-miner")).success
    assert submit(chain, BOB_S, "add_stake", hotkey=owner, netuid=1, amount_staked=50 * TAO).success
    chain.advance(3)
    assert submit(chain, BOB_S, "add_stake", hotkey=owner, netuid=0, amount_staked=5 * TAO).success
    return owner


def test_stake_info_values_and_unstake(dev_chain):
    owner = _session(dev_chain)
    backend = LocalBackend(dev_chain.path)
    rows = {r["netuid"]: r for r in backend.query("stake_info", BOB)}
    assert set(rows) == {0, 1}
    sn1 = rows[1]
    pool = backend.pool(1)
    assert sn1["hotkey"] == "0x" + owner.hex()
    assert sn1["alpha_rao"] == backend.query("stake", owner, BOB, 1) > 0
    assert sn1["value_rao"] == (sn1["alpha_rao"] * amm.spot_price(pool)) >> 64
    assert sn1["unstake_rao"] == amm.sell(pool, sn1["alpha_rao"]).amount_out < sn1["value_rao"]
    quote = backend.quote(BOB, "SubtensorModule", "remove_stake",
                          {"hotkey": owner, "netuid": 1, "amount_unstaked": sn1["alpha_rao"]})
    assert quote["result"]["tao_received_rao"] == sn1["unstake_rao"]
    assert rows[0]["alpha_rao"] == rows[0]["value_rao"] == rows[0]["unstake_rao"] == 5 * TAO
    backend.close()


def test_subnet_views(dev_chain):
    owner = _session(dev_chain)
    backend = LocalBackend(dev_chain.path)
    subnets = backend.query("subnets")
    assert [sn["netuid"] for sn in subnets] == [0, 1]
    sn1 = backend.query("subnet", 1)
    pool = backend.pool(1)
    assert sn1["price_rao"] == amm.price_rao(pool)
    assert sn1["tao_in_rao"] == pool.tao_reserve and sn1["alpha_in_rao"] == pool.alpha_reserve
    assert sn1["owner_hotkey"] == "0x" + owner.hex()
    assert sn1["neurons"] == 2 and sn1["burn_rao"] == backend.query("burn_cost", 1)
    assert backend.query("hyperparameters", 1)["Tempo"] == 360
    neurons = backend.query("neurons", 1)
    assert [n["uid"] for n in neurons] == [0, 1]
    assert neurons[0]["immortal"] and not neurons[1]["immortal"] and neurons[1]["immune"]
    assert neurons[1]["coldkey"] == "0x" + BOB.hex()
    history = backend.query("price_history", 1)
    blocks = [b for b, _ in history]
    assert blocks == sorted(blocks) and len(blocks) >= 2
    assert history[-1][1] == sn1["price_rao"]
    try:
        backend.query("subnet", 9)
    except SubtensorError as exc:
        assert exc.name == "SubnetNotExists"
    else:
        raise AssertionError("unknown netuid answered")
    backend.close()


def test_quotes_of_registration_and_subnet_creation(dev_chain):
    _session(dev_chain)
    backend = LocalBackend(dev_chain.path)
    burn = backend.query("burn_cost", 1)
    quote = backend.quote(BOB, "SubtensorModule", "burned_register",
                          {"netuid": 1, "hotkey": key("another")})
    assert quote["success"] and quote["result"]["burn_rao"] == burn
    lock = backend.query("lock_cost")
    quote = backend.quote(BOB, "SubtensorModule", "register_network", {"hotkey": key("bob-sn")})
    assert quote["result"]["lock_cost_rao"] == lock and quote["result"]["netuid"] == 2
    refused = backend.quote(BOB, "SubtensorModule", "register_limit",
                            {"netuid": 1, "hotkey": key("x"), "limit_price": burn - 1})
    fee = backend.estimate_fee(BOB, ContractCall("SubtensorModule", "register_limit", {
        "netuid": 1, "hotkey": key("x"), "limit_price": burn - 1}))
    assert refused == {"success": False, "error": "RegistrationPriceLimitExceeded",
                       "message": refused["message"], "result": None, "events": [],
                       # the refused call still pays its fee (feeson), in TAO here
                       "transaction_fee_rao": fee,
                       "fee_payment": {"fee_rao": fee, "fee_payer": "tao"}}
    backend.close()


def test_account_operations_are_the_blocks_asked_for(tmp_path):
    """`LocalBackend.account_operations(account, first, last)` (what `portfolio --archive
    sandbox` reads): the account's transfers in blocks first..last only, oldest first."""
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call

    alice = dev_signer("Alice")
    chain = LocalChain.create(tmp_path / "ops.db", "dev")
    blocks = []
    for _ in range(3):
        receipt = chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                                {"dest": BOB, "value": TAO}))
        assert receipt.success
        blocks.append(receipt.block_number)
        chain.advance(2)
    chain.close()
    backend = LocalBackend(tmp_path / "ops.db")
    try:
        every = backend.account_operations(BOB, 0, blocks[-1])
        later = backend.account_operations(BOB, blocks[1], blocks[-1])
        none = backend.account_operations(BOB, blocks[-1] + 1, blocks[-1] + 5)
    finally:
        backend.close()
    assert [op["block"] for op in every] == blocks
    assert [op["block"] for op in later] == blocks[1:]
    assert none == []
    assert all(op["call"]["name"] == "transfer_keep_alive" for op in every)

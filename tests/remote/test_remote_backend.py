"""`chain.remote.RemoteBackend` against `taoctl node serve` (in a thread): the seam gives the
same reads, receipts and errors as `LocalBackend` over the same chain file."""

from __future__ import annotations

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.backend import LocalBackend
from chain.backend import Call
from chain.local.errors import DispatchError
from chain.remote import RemoteError, RemoteRefused, SandboxOnly, forget, open_remote

TAO = 10**9
ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]


@pytest.fixture()
def remote(node):
    _, url, path = node
    backend = open_remote(url, timeout=5)
    local = LocalBackend(path)
    yield backend, local
    local.close()
    forget(url)


def test_reads_match_the_local_backend(remote):
    """The node answers at its head: the local chain's state at its last sealed block (the
    open block's coinbase, in the sandbox's own reads, is not in it)."""
    backend, local = remote
    head = local.at(local.block_info().head_number)
    for item, key in [("System.Account", (ALICE,)), ("System.Account", (bytes(32),)),
                      ("Balances.TotalIssuance", ()), ("SubtensorModule.NetworksAdded", (0,)),
                      ("SubtensorModule.NetworksAdded", (5,)), ("SubtensorModule.SubnetTAO", (0,)),
                      ("System.Number", ())]:
        assert backend.read(item, *key) == head.read(item, *key), item
    assert backend.read("System.Number") == local.block_info().head_number
    assert backend.read("Balances.TotalIssuance") < local.read("Balances.TotalIssuance")
    keys = [(ALICE,), (BOB,), (bytes(32),)]
    assert backend.read_many("System.Account", keys) == head.read_many("System.Account", keys)
    info, local_info = backend.block_info(), local.block_info()
    assert (info.number, info.head_number, info.head_hash, info.genesis_hash) == \
        (local_info.number, local_info.head_number, local_info.head_hash,
         local_info.genesis_hash)
    assert dict(backend.iter("SubtensorModule.NetworksAdded")) == {(0,): True}
    assert backend.nonce(ALICE) == 0


def test_submit_transfer_gives_a_receipt_like_the_sandbox(remote):
    backend, local = remote
    before = local.read_many("System.Account", [(ALICE,), (BOB,)])
    receipt = backend.submit_call(dev_signer("Alice"), "Balances", "transfer_keep_alive",
                                  {"dest": BOB, "value": 2 * TAO})
    assert receipt.success and receipt.error is None
    assert [(e["pallet"], e["name"]) for e in receipt.events] == \
        [("Balances", "Withdraw"), ("Balances", "Transfer"),
         ("TransactionPayment", "TransactionFeePaid"), ("System", "ExtrinsicSuccess")]
    fee = receipt.events[0]["args"]["amount"]
    assert fee > 0 and receipt.events[2]["args"]["actual_fee"] == fee
    assert receipt.events[1]["args"] == {"from": ALICE, "to": BOB, "amount": 2 * TAO}
    assert receipt.block_number == local.block_info().head_number
    after = local.read_many("System.Account", [(ALICE,), (BOB,)])
    assert after[0].free == before[0].free - 2 * TAO - fee
    assert after[1].free == before[1].free + 2 * TAO
    assert backend.nonce(ALICE) == 1

    failed = backend.submit_call(dev_signer("Bob"), "Balances", "transfer_keep_alive",
                                 {"dest": ALICE, "value": 10**18})
    assert not failed.success and failed.error == "InsufficientBalance"
    assert failed.fee_rao > 0  # a failed call keeps its fee, and only that
    assert local.read("System.Account", BOB).free == after[1].free - failed.fee_rao


def test_quote_call_is_the_node_runtime_dry_run(remote):
    backend, local = remote
    call = Call("Balances", "transfer_keep_alive", {"dest": BOB, "value": 5 * TAO})
    remote_quote, local_quote = backend.quote_call(ALICE, call), local.quote_call(ALICE, call)
    assert remote_quote.source == local_quote.source == "runtime"
    assert remote_quote.to_json() == local_quote.to_json()
    too_much = Call("Balances", "transfer_keep_alive", {"dest": BOB, "value": 10**18})
    remote_quote, local_quote = backend.quote_call(ALICE, too_much), local.quote_call(ALICE,
                                                                                       too_much)
    assert not remote_quote.success and not local_quote.success
    assert remote_quote.error == local_quote.error == "InsufficientBalance"
    with pytest.raises(DispatchError):
        local.dry_run(ALICE, "Balances", "transfer_keep_alive", too_much.args)
    assert local.read("System.Account", ALICE).nonce == 0  # nothing was sent


def test_without_a_node_dry_run_the_shared_rules_judge(remote, monkeypatch):
    """A node without the dry-run API (finney): transfers and stake trades are judged by
    `chain.rules` in the runtime's order, other calls are unchecked until the receipt."""
    from chain.remote.errors import RemoteError

    backend, local = remote
    real = backend.runtime_call

    def no_dry_run(method, params=b""):
        if method.startswith("TaoctlDryRunApi"):
            raise RemoteError("Exported method is not found")
        return real(method, params)

    monkeypatch.setattr(backend, "runtime_call", no_dry_run)
    too_much = Call("Balances", "transfer_keep_alive", {"dest": BOB, "value": 10**18})
    verdict = backend.quote_call(ALICE, too_much)
    assert (verdict.source, verdict.success, verdict.error) == \
        ("rules", False, "InsufficientBalance")
    fine = Call("Balances", "transfer_keep_alive", {"dest": BOB, "value": 5 * TAO})
    assert backend.quote_call(ALICE, fine).events == local.quote_call(ALICE, fine).events
    stake = Call("SubtensorModule", "add_stake", {"hotkey": BOB, "netuid": 7,
                                                  "amount_staked": TAO})
    assert backend.quote_call(ALICE, stake).error == local.quote_call(ALICE, stake).error == \
        "SubnetNotExists"
    other = Call("SubtensorModule", "set_weights", {"netuid": 0, "dests": [], "weights": [],
                                                    "version_key": 0})
    assert backend.quote_call(ALICE, other).source == "none"


def test_compose_call_is_the_metadata_encoding(remote):
    backend, _ = remote
    call = backend.compose_call("Balances", "transfer_keep_alive", {"dest": BOB, "value": 7})
    assert call.hex() == "0503" + "00" + BOB.hex() + "1c"


def test_call_the_runtime_does_not_have(remote):
    from chain.substrate.metadata import MetadataError

    backend, local = remote
    with pytest.raises(MetadataError, match="no call"):
        backend.compose_call("Balances", "teleport", {})
    with pytest.raises(RemoteRefused, match="1010|Invalid Transaction"):
        backend.submit_call(dev_signer("Alice"), "System", "remark", {"remark": b"hi"})
    assert local.read("System.Account", ALICE).nonce == 0


def test_sandbox_only_operations_say_so(remote):
    from chain.factory import sandbox

    backend, local = remote
    with pytest.raises(SandboxOnly, match="sandbox"):
        sandbox(backend, "chain advance")
    assert sandbox(local) is local
    with pytest.raises(AttributeError):  # no catch-all: a typo is a typo
        backend.advance(1)
    with pytest.raises(AttributeError):
        backend.chian


def test_quotes_from_the_runtime_beside_the_local_model(node):
    """The node's SwapRuntimeApi answers from the same pool code, so the two agree."""
    from chain.local.extrinsic import Call
    from chain.pallets.subtensor_module import START_CALL_DELAY

    server, url, path = node
    from chain.local.chain import LocalChain

    with LocalChain.open(path) as chain:
        alice = dev_signer("Alice")
        assert chain.submit_call(alice, Call("SubtensorModule", "register_network",
                                             {"hotkey": BOB})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(alice, Call("SubtensorModule", "start_call",
                                             {"netuid": 1})).success
        chain.advance(1)
    backend = open_remote(url, timeout=5)
    try:
        assert backend.pool_model() == "weighted"  # spec 461: the balancer swap pallet
        chain_quote = backend.sim_swap(1, "buy", TAO)
        assert chain_quote["tao_amount"] == TAO and chain_quote["alpha_amount"] > 0
        assert backend.alpha_price(1) > 0
        check = backend.quote_check(1, "buy", TAO)
        assert check["chain"] == chain_quote and check["local"]["amount_in_rao"] == TAO
        assert backend.netuids() == [0, 1]
        local = LocalBackend(path)
        try:
            from chain.local.subnets import lock_cost

            head = local.at(local.block_info().head_number)  # what the node answers at
            with head.chain.reading() as state:
                assert backend.lock_cost() == lock_cost(state, head.chain.open_number())
            assert backend.pool(1) == head.pool(1)
            assert backend.sim_swap(1, "buy", TAO) == head.sim_swap(1, "buy", TAO)
            assert backend.neurons(1) == head.neurons(1)
            assert backend.hyperparameters(1) == head.hyperparameters(1)
        finally:
            local.close()
        assert backend.stake(BOB, ALICE, 1) == 0
        # without the node's dry-run API, the rules judge the stake and the runtime's
        # sim_swap gives the amount out
        real = backend.runtime_call

        def no_dry_run(method, params=b""):
            if method.startswith("TaoctlDryRunApi"):
                raise RemoteError("Exported method is not found")
            return real(method, params)

        backend.runtime_call = no_dry_run
        stake = Call("SubtensorModule", "add_stake", {"hotkey": BOB, "netuid": 1,
                                                      "amount_staked": TAO})
        verdict = backend.quote_call(ALICE, stake)
        assert verdict.source == "rules" and verdict.success
        assert verdict.result["alpha_received_rao"] == chain_quote["alpha_amount"]
        assert verdict.result["runtime_sim_swap"] == chain_quote
    finally:
        forget(url)


def test_call_hex_offline_and_remote(remote):
    from chain.remote import call_hex

    backend, _ = remote
    args = {"hotkey": BOB, "netuid": 3, "amount_staked": TAO, "limit_price": 2 * TAO,
            "allow_partial": False}
    offline = call_hex("SubtensorModule", "add_stake_limit", args)
    assert offline == call_hex("SubtensorModule", "add_stake_limit", args, backend)
    assert offline.startswith("0x0758" + BOB.hex() + "0300")

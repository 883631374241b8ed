"""`chain.remote.RemoteBackend` against `taoctl node serve` (in a thread): the seam gives the
same reads, receipts and errors as `LocalBackend` over the same chain file."""

from __future__ import annotations

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.backend import LocalBackend
from chain.local.errors import DispatchError
from chain.remote import RemoteRefused, SandboxOnly, forget, open_remote

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
    backend, local = remote
    for item, key in [("System.Account", (ALICE,)), ("System.Account", (bytes(32),)),
                      ("Balances.TotalIssuance", ()), ("SubtensorModule.NetworksAdded", (0,)),
                      ("SubtensorModule.NetworksAdded", (5,)), ("SubtensorModule.SubnetTAO", (0,))]:
        assert backend.read(item, *key) == local.read(item, *key), item
    keys = [(ALICE,), (BOB,), (bytes(32),)]
    assert backend.read_many("System.Account", keys) == local.read_many("System.Account", keys)
    info, local_info = backend.block_info(), local.block_info()
    assert (info.number, info.head_number, info.head_hash, info.genesis_hash) == \
        (local_info.number, local_info.head_number, local_info.head_hash,
         local_info.genesis_hash)
    assert dict(backend.iter("SubtensorModule.NetworksAdded")) == {(0,): True}
    assert backend.query("nonce", ALICE) == 0


def test_submit_transfer_gives_a_receipt_like_the_sandbox(remote):
    backend, local = remote
    before = local.read_many("System.Account", [(ALICE,), (BOB,)])
    receipt = backend.submit_call(dev_signer("Alice"), "Balances", "transfer_keep_alive",
                                  {"dest": BOB, "value": 2 * TAO})
    assert receipt.success and receipt.error is None
    assert [(e["pallet"], e["name"]) for e in receipt.events] == \
        [("Balances", "Transfer"), ("System", "ExtrinsicSuccess")]
    assert receipt.events[0]["args"] == {"from": ALICE, "to": BOB, "amount": 2 * TAO}
    assert receipt.block_number == local.block_info().head_number
    after = local.read_many("System.Account", [(ALICE,), (BOB,)])
    assert after[0].free == before[0].free - 2 * TAO and after[1].free == before[1].free + 2 * TAO
    assert backend.query("nonce", ALICE) == 1

    failed = backend.submit_call(dev_signer("Bob"), "Balances", "transfer_keep_alive",
                                 {"dest": ALICE, "value": 10**18})
    assert not failed.success and failed.error == "InsufficientBalance"
    assert local.read("System.Account", BOB).free == after[1].free


def test_dry_run_uses_the_runtime_rules_on_remote_state(remote):
    backend, local = remote
    args = {"dest": BOB, "value": 5 * TAO}
    assert backend.dry_run(ALICE, "Balances", "transfer_keep_alive", args) == \
        local.dry_run(ALICE, "Balances", "transfer_keep_alive", args)
    too_much = {"dest": BOB, "value": 10**18}
    with pytest.raises(DispatchError) as remote_err:
        backend.dry_run(ALICE, "Balances", "transfer_keep_alive", too_much)
    with pytest.raises(DispatchError) as local_err:
        local.dry_run(ALICE, "Balances", "transfer_keep_alive", too_much)
    assert remote_err.value.name == local_err.value.name == "InsufficientBalance"
    assert local.read("System.Account", ALICE).nonce == 0  # nothing was sent


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
    backend, _ = remote
    with pytest.raises(SandboxOnly, match="sandbox"):
        backend.advance(1)
    with pytest.raises(SandboxOnly):
        backend.chain.reading()


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
        assert backend.query("pool_model") == "concentrated-liquidity"  # spec 343's swap pallet
        chain_quote = backend.query("sim_swap", 1, "buy", TAO)
        assert chain_quote["tao_amount"] == TAO and chain_quote["alpha_amount"] > 0
        assert backend.query("alpha_price", 1) > 0
        check = backend.query("quote_check", 1, "buy", TAO)
        assert check["chain"] == chain_quote and check["local"]["amount_in_rao"] == TAO
        assert backend.query("netuids") == [0, 1]
        local = LocalBackend(path)
        try:
            from chain.local.subnets import lock_cost

            with local.chain.reading() as state:
                assert backend.query("lock_cost") == lock_cost(state, local.chain.open_number())
        finally:
            local.close()
        assert backend.query("stake", BOB, ALICE, 1) == 0
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

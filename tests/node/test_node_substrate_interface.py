"""Plain substrate-interface against `chain.node`: queries, signed transfers with receipts and
events, failed dispatch decoded by name, and invalid transactions refused with code 1010.

One node and one client serve the whole module (a client decodes the metadata once, ~1.5 s);
every test asserts changes relative to the state it finds.
"""

from __future__ import annotations

import pytest
from substrateinterface import Keypair
from substrateinterface.exceptions import SubstrateRequestException

from chain.local.backend import LocalBackend
from tests.node.conftest import dev_chain, serving, substrate_client

TAO = 10**9
ALICE = Keypair.create_from_uri("//Alice")
BOB = Keypair.create_from_uri("//Bob")
CHARLIE = Keypair.create_from_uri("//Charlie")


@pytest.fixture(scope="module")
def node(shared_node):
    return shared_node  # one node and one client for the module (tests/node/conftest.py)


@pytest.fixture(scope="module")
def substrate(shared_substrate):
    return shared_substrate


def local_state(path, *keys):
    backend = LocalBackend(path)
    try:
        return backend.block_info(), [backend.read("System.Account", k) for k in keys]
    finally:
        backend.close()


def free(substrate, kp) -> int:
    return substrate.query("System", "Account", [kp.ss58_address]).value["data"]["free"]


def transfer(substrate, src, dest, value, **kw):
    call = substrate.compose_call("Balances", "transfer_keep_alive",
                                  {"dest": dest.ss58_address, "value": value})
    return substrate.create_signed_extrinsic(call, src, **kw)


def test_queries_match_the_chain_file(node, substrate):
    _, _, path = node
    info, (alice,) = local_state(path, ALICE.public_key)
    account = substrate.query("System", "Account", [ALICE.ss58_address]).value
    assert account["nonce"] == alice.nonce and account["data"]["free"] == alice.free
    assert substrate.query("System", "Account", ["0x" + bytes(32).hex()]).value["data"]["free"] == 0
    assert substrate.get_block_number(substrate.get_chain_head()) == info.head_number
    assert substrate.get_block_hash(0) == "0x" + info.genesis_hash.hex()
    # the state at the head's hash: the head's end, not the open block's coinbase (headfix)
    local = LocalBackend(path)
    at_head = local.at(info.head_number)
    assert substrate.query("Balances", "TotalIssuance").value == \
        at_head.read("Balances.TotalIssuance") < local.read("Balances.TotalIssuance")
    assert substrate.query("System", "Number").value == info.head_number
    assert substrate.runtime_version == 461
    assert substrate.chain == "Bittensor"
    networks = substrate.query_map("SubtensorModule", "NetworksAdded")
    assert [(k.value, v.value) for k, v in networks] == [(0, True)]


def test_transfer_keep_alive_receipt_with_events(node, substrate):
    _, _, path = node
    before_block, (a0, b0) = local_state(path, ALICE.public_key, BOB.public_key)
    receipt = substrate.submit_extrinsic(transfer(substrate, ALICE, BOB, 3 * TAO,
                                                  era={"period": 16}),
                                         wait_for_inclusion=True)
    assert receipt.is_success
    names = [(e.value["module_id"], e.value["event_id"]) for e in receipt.triggered_events]
    assert names == [("Balances", "Withdraw"), ("Balances", "Transfer"),
                     ("TransactionPayment", "TransactionFeePaid"), ("System", "ExtrinsicSuccess")]
    fee = receipt.total_fee_amount
    assert fee > 0 and receipt.triggered_events[0].value["attributes"]["amount"] == fee
    transfer_event = receipt.triggered_events[1].value["attributes"]
    assert transfer_event["amount"] == 3 * TAO and transfer_event["to"] == BOB.ss58_address
    after_block, (a1, b1) = local_state(path, ALICE.public_key, BOB.public_key)
    assert (a1.free, b1.free, a1.nonce) == (a0.free - 3 * TAO - fee, b0.free + 3 * TAO,
                                            a0.nonce + 1)
    # the extrinsic got a block of its own, which is now the best block
    assert after_block.head_number == before_block.head_number + 1
    assert substrate.get_block_number(receipt.block_hash) == after_block.head_number
    block = substrate.get_block(receipt.block_hash)
    listed = [x.value for x in block["extrinsics"]]
    assert [(x["call"]["call_module"], x["call"]["call_function"]) for x in listed[:2]] == \
        [("Timestamp", "set"), ("MevShield", "announce_next_key")]  # the v5 bare inherents
    assert [x["extrinsic_hash"] for x in listed[2:]] == [receipt.extrinsic_hash]
    assert receipt.extrinsic_idx == 2
    assert free(substrate, BOB) == b1.free


def test_failed_dispatch_is_decoded_and_changes_only_the_nonce(node, substrate):
    _, _, path = node
    _, (c0, d0) = local_state(path, CHARLIE.public_key, BOB.public_key)
    receipt = substrate.submit_extrinsic(transfer(substrate, CHARLIE, BOB, c0.free * 2),
                                         wait_for_inclusion=True)
    assert not receipt.is_success
    assert receipt.error_message["name"] == "InsufficientBalance"
    assert receipt.error_message["type"] == "Module"
    _, (c1, d1) = local_state(path, CHARLIE.public_key, BOB.public_key)
    fee = receipt.total_fee_amount  # the fee is charged before dispatch and kept
    assert fee > 0
    assert (c1.free, d1.free, c1.nonce) == (c0.free - fee, d0.free, c0.nonce + 1)


def _refused(substrate, raw: str) -> dict:
    with pytest.raises(SubstrateRequestException) as info:
        substrate.rpc_request("author_submitExtrinsic", [raw])
    return info.value.args[0]


def test_stale_nonce_forged_signature_wrong_genesis_refused_with_1010(node, substrate):
    from chain.substrate import metadata as m
    from chain.substrate.extrinsic import SigningContext, build_signed

    _, _, path = node
    xt = transfer(substrate, ALICE, BOB, TAO)
    assert substrate.submit_extrinsic(xt, wait_for_inclusion=True).is_success
    info0, accounts0 = local_state(path, ALICE.public_key, BOB.public_key)

    stale = _refused(substrate, str(xt.data))  # the same extrinsic again: its nonce is used
    assert stale["code"] == 1010 and "outdated" in stale["data"]

    forged = bytearray(transfer(substrate, ALICE, BOB, TAO).data.data)
    forged[40] ^= 0xFF  # a byte of the signature
    bad = _refused(substrate, "0x" + bytes(forged).hex())
    assert bad["code"] == 1010 and "bad signature" in bad["data"]

    md = m.recorded(m.NODE_SPEC)
    call = md.encode_call("Balances", "transfer_keep_alive",
                          {"dest": {"Id": BOB.public_key}, "value": TAO})

    class Signer:
        public_key = ALICE.public_key
        sign = staticmethod(ALICE.sign)

    other = SigningContext(b"\x99" * 32, 461, 1)  # signed for another chain
    raw = build_signed(md, Signer, call, other, nonce=accounts0[0].nonce, era=b"\x00",
                       birth_hash=b"\x99" * 32)
    wrong = _refused(substrate, "0x" + raw.hex())
    assert wrong["code"] == 1010 and "bad signature" in wrong["data"]

    future = _refused(substrate, str(transfer(substrate, ALICE, BOB, TAO,
                                              nonce=accounts0[0].nonce + 5).data))
    assert future["code"] == 1010 and "future" in future["data"]

    assert local_state(path, ALICE.public_key, BOB.public_key) == (info0, accounts0)


def test_call_the_runtime_does_not_have_is_refused(node, substrate):
    _, _, path = node
    before = local_state(path, ALICE.public_key)
    call = substrate.compose_call("System", "remark", {"remark": "0x00"})
    xt = substrate.create_signed_extrinsic(call, ALICE)
    refused = _refused(substrate, str(xt.data))
    assert refused["code"] == 1010 and "call" in refused["data"]
    garbage = _refused(substrate, "0x1234")
    assert garbage["code"] == 1002
    assert local_state(path, ALICE.public_key) == before


def test_runtime_calls_and_metadata_v15(node, substrate):
    from chain.substrate.metadata import served_v15

    _, (alice,) = local_state(node[2], ALICE.public_key)
    nonce = substrate.get_account_nonce(ALICE.ss58_address)
    assert nonce == alice.nonce
    call = substrate.compose_call("Balances", "transfer_keep_alive",
                                  {"dest": BOB.ss58_address, "value": 1})
    info = substrate.get_payment_info(call, ALICE)
    # spec 461's schedule for this call at the length of the extrinsic the client signs
    from chain.rules import fees

    length = len(substrate.create_signed_extrinsic(call=call, keypair=ALICE).data)
    assert info["partialFee"] == fees.transaction_fee("Balances.transfer_keep_alive", length,
                                                      fees.SPEC_461) == 54_078 + 112_025 + length
    v15 = substrate.rpc_request("state_call", ["Metadata_metadata_at_version", "0f000000"])
    assert bytes.fromhex(v15["result"][2:]) == served_v15()
    assert substrate.rpc_request("account_nextIndex", [ALICE.ss58_address])["result"] == nonce
    with pytest.raises(SubstrateRequestException):
        substrate.rpc_request("state_call", ["NoSuchApi_method", "0x"])


def test_era_tip_and_metadata_hash_mode(node, substrate):
    from chain.substrate import metadata as m
    from chain.substrate.era import era_encode
    from chain.substrate.extrinsic import SigningContext, build_signed

    server, _, path = node
    md = m.recorded(m.NODE_SPEC)
    view = server.view
    head = view.head_number()
    ctx = SigningContext(view.chain.genesis_hash, 461, 1)
    call = md.encode_call("Balances", "transfer_keep_alive",
                          {"dest": {"Id": BOB.public_key}, "value": TAO})

    class Signer:
        public_key = ALICE.public_key
        sign = staticmethod(ALICE.sign)

    before = local_state(path, ALICE.public_key)
    nonce = before[1][0].nonce
    era = era_encode(16, head)
    wrong_birth = build_signed(md, Signer, call, ctx, nonce=nonce, era=era,
                               birth_hash=b"\x07" * 32)
    refused = _refused(substrate, "0x" + wrong_birth.hex())
    assert refused["code"] == 1010 and "bad signature" in refused["data"]
    hashed_mode = build_signed(md, Signer, call, ctx, nonce=nonce, era=b"\x00",
                               birth_hash=view.chain.genesis_hash, mode=1)
    refused = _refused(substrate, "0x" + hashed_mode.hex())
    assert refused["code"] == 1010 and "metadata-hash" in refused["data"]
    assert local_state(path, ALICE.public_key) == before

    from chain.substrate.era import era_birth, era_decode

    period, phase = era_decode(era)
    birth = view.block_hash(era_birth(period, phase, head + 1))
    good = build_signed(md, Signer, call, ctx, nonce=nonce, era=era, birth_hash=birth,
                        tip=12345)
    assert substrate.rpc_request("author_submitExtrinsic", ["0x" + good.hex()])["result"]
    assert local_state(path, ALICE.public_key)[1][0].nonce == nonce + 1


def test_mainnet_preset_far_from_block_zero(tmp_path):
    """A chain whose genesis is block 7,540,000: block hashes, runtime and queries work."""
    from chain.local.presets import PRESETS

    with serving(dev_chain(tmp_path, "mainnet")) as (server, url, _):
        client = substrate_client(url)
        head = client.get_block_number(client.get_chain_head())
        assert head >= 7_540_000
        assert client.get_block_hash(0) == "0x" + server.view.chain.genesis_hash.hex()
        holder = bytes.fromhex(next(iter(PRESETS["mainnet"]["balances"])))
        assert client.query("System", "Account", ["0x" + holder.hex()]).value["data"]["free"] > 0
        client.close()


def test_new_heads_subscription_follows_sealed_blocks(tmp_path):
    """chain_subscribeNewHeads: the current head, then each block the timer seals."""
    with serving(dev_chain(tmp_path), block_time=0.2) as (server, url, _):
        client = substrate_client(url)
        seen = []

        def handler(block, update_nr, subscription_id):
            seen.append(block["header"]["number"])
            return seen if len(seen) >= 3 else None

        client.subscribe_block_headers(handler)
        assert seen == sorted(seen) and len(set(seen)) == 3
        assert not server._head_subs  # unsubscribed
        client.close()


def test_the_state_at_a_hash_is_that_blocks_end(node, substrate):
    """As the recorded spec-461 node answers (shared/fixtures/subtensor/recorded_spec461_node
    .json: at block 67's hash `System.Number` is 67 and `Timestamp.Now` is the `now` of block
    67's own Timestamp.set inherent, and its events open with the Initialization-phase
    `Balances.Issued` of its own coinbase): the state at a hash has that block's start-of-block
    work and extrinsics and not the next block's. Before the headfix the node served the open
    block's timestamp and coinbase under the best block's hash."""
    _, _, path = node
    receipt = substrate.submit_extrinsic(transfer(substrate, ALICE, CHARLIE, TAO),
                                         wait_for_inclusion=True)
    assert receipt.is_success
    sealed = substrate.get_block_number(receipt.block_hash)
    local = LocalBackend(path)
    try:
        for block_hash in (receipt.block_hash, substrate.get_chain_head(),
                           substrate.get_block_hash(sealed - 1)):
            number = substrate.get_block_number(block_hash)
            block = substrate.get_block(block_hash)
            (stamp,) = [x.value["call"]["call_args"][0]["value"] for x in block["extrinsics"]
                        if x.value["call"]["call_function"] == "set"]
            assert substrate.query("System", "Number", block_hash=block_hash).value == number
            assert substrate.query("Timestamp", "Now", block_hash=block_hash).value == stamp
            issued = substrate.query("Balances", "TotalIssuance", block_hash=block_hash).value
            assert issued == local.at(number).read("Balances.TotalIssuance")
        # the open block's coinbase (it has run in the sandbox's open block) is in no served
        # state: the head's issuance is the sandbox's before it
        head = substrate.get_block_number(substrate.get_chain_head())
        assert substrate.query("Balances", "TotalIssuance").value == \
            local.at(head).read("Balances.TotalIssuance") <= local.read("Balances.TotalIssuance")
    finally:
        local.close()


def test_a_sandbox_write_is_sealed_before_a_read(node, substrate):
    """An extrinsic a sandbox command includes in the open block while the node serves the
    file is sealed into a block of its own before the next read of state is answered (the
    node answers at its best block; it would otherwise stay unseen until a submission)."""
    from chain.local.accounts import dev_signer
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call

    _, _, path = node
    head = substrate.get_block_number(substrate.get_chain_head())
    before = free(substrate, CHARLIE)
    with LocalChain.open(path) as chain:
        receipt = chain.submit_call(dev_signer("Alice"), Call(
            "Balances", "transfer_keep_alive", {"dest": CHARLIE.public_key, "value": TAO}))
    assert receipt.success and receipt.block_number == head + 1
    assert free(substrate, CHARLIE) == before + TAO
    assert substrate.get_block_number(substrate.get_chain_head()) == head + 1

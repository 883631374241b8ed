"""The node's TransactionPaymentApi and block-pinned reads, through the NodeView (no socket)."""

from __future__ import annotations

import pytest

from chain.node import runtime_api
from chain.rules import fees
from chain.substrate.scale import encode_compact

# the recorded spec-461 transfer_keep_alive of 12,345 rao (mortal, nonce 11): 143 bytes
RECORDED_XT = bytes.fromhex(
    "35028400d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d01"
    "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c"
    "2d2e2f303132333435363738393a3b3c3d3e3f40" "25002c0000" "0503008eaf04151687736326c9fea17e25fc5"
    "287613693c912909cb226aa4794f26a48e5c0")


@pytest.fixture
def view(tmp_path):
    from chain.local.chain import LocalChain
    from chain.node.view import NodeView
    from chain.substrate.metadata import recorded

    from chain.pallets import taoctl

    chain = LocalChain.create(tmp_path / "chain.db", "dev")
    with chain.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")  # today's runtime (dev charges none)
    try:
        yield NodeView(chain, recorded())
    finally:
        chain.close()


def _params(xt: bytes) -> bytes:
    return xt + len(xt).to_bytes(4, "little")


def test_query_info_and_fee_details_follow_the_schedule(view):
    assert len(RECORDED_XT) == 143
    info = runtime_api.call(view, "TransactionPaymentApi_query_info", _params(RECORDED_XT))
    # weight {224,051,000, 7,791}, Normal, partial_fee u64 = 54,078 + 112,025 + 143
    assert info == (encode_compact(224_051_000) + encode_compact(7_791) + b"\x00" +
                    (166_246).to_bytes(8, "little"))
    details = runtime_api.call(view, "TransactionPaymentApi_query_fee_details",
                               _params(RECORDED_XT))
    assert details == b"\x01" + b"".join(v.to_bytes(8, "little")
                                         for v in (54_078, 143, 112_025, 0))
    assert fees.transaction_fee("Balances.transfer_keep_alive", 143) == 166_246


# -- reads at a block hash ----------------------------------------------------------------------
@pytest.fixture
def server(tmp_path):
    from chain.local.accounts import dev_signer
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call
    from chain.node.server import NodeServer

    chain = LocalChain.create(tmp_path / "chain.db", "dev")
    alice, eve = dev_signer("Alice"), dev_signer("Eve//new")
    for k in range(3):  # Eve//new is created by the first transfer
        receipt = chain.submit_call(alice, Call("Balances", "transfer_keep_alive",
                                                {"dest": eve.public_key, "value": (k + 1) * 10**9}))
        assert receipt.success
        chain.advance(4)
    chain.close()
    node = NodeServer(tmp_path / "chain.db")
    node.open()
    yield node, alice.public_key, eve.public_key
    node.view.chain.close()


def _rpc(node, method, *params):
    reply, _ = node._reply({"jsonrpc": "2.0", "id": 1, "method": method, "params": list(params)})
    if "error" in reply:
        raise AssertionError(reply["error"])
    return reply["result"]


def test_reads_at_a_block_hash_answer_that_blocks_state(server):
    from chain.substrate.hashing import storage_prefix
    from chain.substrate.mapping import storage_key

    node, alice, eve = server
    md, chain = node.view.md, node.view.chain
    account = node.view.registry["System.Account"]
    eve_key = "0x" + storage_key(md, account, (eve,)).hex()
    head = node.view.head_number()
    for number in range(0, head + 1):
        block_hash = _rpc(node, "chain_getBlockHash", number)
        with chain.reading_at(number) as state:
            free = state.get(account, eve).free
            nonce = state.get(account, alice).nonce
            exists = state.has(account, eve)
        value = _rpc(node, "state_getStorage", eve_key, block_hash)
        # AccountInfo (a default when absent): nonce, consumers, providers, sufficients, free
        assert int.from_bytes(bytes.fromhex(value[2:])[16:24], "little") == free, number
        assert _rpc(node, "state_queryStorageAt", [eve_key], block_hash)[0]["changes"] == \
            [[eve_key, value]]
        keys = _rpc(node, "state_getKeysPaged",
                    "0x" + storage_prefix("System", "Account").hex(), 100, None, block_hash)
        assert (eve_key in keys) == exists
        nonce_at = _rpc(node, "state_call", "AccountNonceApi_account_nonce",
                        "0x" + alice.hex(), block_hash)
        assert int.from_bytes(bytes.fromhex(nonce_at[2:]), "little") == nonce
    frees = []
    for number in (0, 2, 6, head):
        with chain.reading_at(number) as state:
            frees.append(state.get(account, eve).free)
    assert frees == [0, 10**9, 3 * 10**9, 6 * 10**9]


def test_a_read_before_the_kept_history_is_state_already_discarded(server):
    from chain.local import history

    node, _, _ = server
    chain = node.view.chain
    with chain.writing():
        history.set_keep(chain.conn, 3)
    old = _rpc(node, "chain_getBlockHash", 1)
    reply, _ = node._reply({"jsonrpc": "2.0", "id": 1, "method": "state_getStorage",
                            "params": ["0x" + bytes(32).hex(), old]})
    assert "State already discarded for 0x" + bytes.fromhex(old[2:]).hex() in \
        reply["error"]["message"]

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

    chain = LocalChain.create(tmp_path / "chain.db", "dev")
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

"""Hypothesis: random sequences of transfers and advances keep every invariant."""

from __future__ import annotations

import tempfile
from pathlib import Path

import sr25519
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chain.local.accounts import DEV_NAMES, Signer, dev_signer
from chain.local import transaction_payment as tp
from chain.local.chain import LocalChain
from chain.local.emission import emit_blocks
from chain.local.extrinsic import Call
from chain.local.invariants import check
from chain.pallets import balances, system

TAO = 10**9
FRESH = [Signer(*sr25519.pair_from_seed(bytes([i]) * 32)) for i in range(1, 4)]
SIGNERS = [dev_signer(n) for n in DEV_NAMES[:3]] + FRESH

amounts = st.one_of(st.integers(0, 1_000), st.integers(0, 3 * TAO),
                    st.integers(0, 1_100_000 * TAO), st.sampled_from([499, 500, 501]))
transfer = st.tuples(st.just("transfer"), st.integers(0, len(SIGNERS) - 1),
                     st.integers(0, len(SIGNERS) - 1), amounts,
                     st.sampled_from(["transfer_keep_alive", "transfer_allow_death",
                                      "transfer_all_keep", "transfer_all_death"]))
advance = st.tuples(st.just("advance"), st.one_of(st.integers(1, 5), st.integers(1, 5_000_000)),
                    st.booleans())


def _issuance(chain):
    with chain.reading() as st_:
        return st_.get(balances.TOTAL_ISSUANCE)


def _call(kind, dest, value):
    if kind.startswith("transfer_all"):
        return Call("Balances", "transfer_all", {"dest": dest, "keep_alive": kind.endswith("keep")})
    return Call("Balances", kind, {"dest": dest, "value": value})


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(transfer, advance), min_size=1, max_size=12))
def test_random_transfers_and_advances_keep_invariants(ops):
    with tempfile.TemporaryDirectory() as tmp:
        chain = LocalChain.create(Path(tmp) / "p.db", "dev")
        applied = 0
        for op in ops:
            before = _issuance(chain)
            if op[0] == "transfer":
                _, i, j, value, kind = op
                try:
                    receipt = chain.submit_call(SIGNERS[i],
                                                _call(kind, SIGNERS[j].public_key, value))
                except tp.CannotPayFees:  # invalid: not included, nothing changed
                    assert _issuance(chain) == before
                    with chain.reading() as st_:
                        who = SIGNERS[i].public_key
                        call = _call(kind, SIGNERS[j].public_key, value)
                        length = tp.fee_length(call, st_.get(system.ACCOUNT, who).nonce)
                        fee = tp.fee_details(st_, call.id, length).total
                        assert not tp.can_pay(st_, who, fee)
                    continue
                applied += 1
                assert receipt.fee_rao > 0
                dust = sum(e["args"]["amount"] for e in receipt.events
                           if e["name"] == "DustLost")
                # a transfer never mints; issuance falls by the recycled fee and dust only
                assert _issuance(chain) == before - receipt.fee_rao - dust
            else:
                _, count, slow = op
                slow = slow and count <= 5
                chain.advance(count, block_by_block=slow)
                # issuance grows by exactly the emission of the new blocks
                assert _issuance(chain) == before + emit_blocks(before, count)
            failures = check(chain)
            assert not any(failures.values()), (op, failures)
        total = chain.conn.execute("SELECT COUNT(*) FROM extrinsics").fetchone()[0]
        assert total == applied
        chain.close()

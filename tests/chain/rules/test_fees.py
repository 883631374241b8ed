"""The fee schedule against the recorded spec-461 receipt and ECONOMICS-2026 §9's figures."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from chain.rules import fees

RECORDED = Path(__file__).with_name("recorded_spec461_receipt.json")  # from the recorded node
TRANSFER = "Balances.transfer_keep_alive"


def _recorded() -> dict:
    return json.loads(RECORDED.read_text())


def test_recorded_receipt_fee_is_reproduced():
    """The recorded transfer_keep_alive: 144 bytes, weight 224,051,000 -> 166,247 rao, equal
    to the receipt's total fee, its Balances.Withdraw and its TransactionFeePaid."""
    golden = _recorded()
    receipt = golden["receipt"]
    weight = golden["payment_info"]["weight"]["ref_time"]
    assert weight == fees.call_weight(TRANSFER)
    paid = {e["event_id"]: e["attributes"] for e in receipt["triggered_events"]}
    details = fees.fee_details(TRANSFER, 144, fees.SPEC_461)
    assert (details.base_fee, details.adjusted_weight_fee, details.len_fee) == (54_078, 112_025,
                                                                                144)
    assert details.total == receipt["total_fee_amount"] == 166_247
    assert paid["Withdraw"]["amount"] == paid["TransactionFeePaid"]["actual_fee"] == 166_247
    # ExtrinsicSuccess reports the call weight plus the base extrinsic weight
    success = paid["ExtrinsicSuccess"]["dispatch_info"]["weight"]["ref_time"]
    assert success == weight + fees.BASE_EXTRINSIC_REF_TIME


def test_rounding_per_term_is_what_matches():
    """One rounding of base + call weight would give 166,248; length 142 would give 166,245."""
    one_rounding = fees.perbill_mul(500_000, fees.BASE_EXTRINSIC_REF_TIME + 224_051_000) + 144
    assert one_rounding == 166_248
    assert fees.transaction_fee(TRANSFER, 142) == 166_245


def test_spec_467_halving_and_caps():
    assert fees.transaction_fee(TRANSFER, 144, fees.SPEC_467) == 83_124
    assert fees.transaction_fee("SubtensorModule.remove_stake", 150, fees.SPEC_461) == 1_258_728
    assert fees.transaction_fee("SubtensorModule.remove_stake", 150, fees.SPEC_467) == 629_364


def test_free_calls_and_tip():
    assert fees.transaction_fee("SubtensorModule.set_weights", 500) == 0
    assert fees.fee_details("SubtensorModule.set_weights", 500).partial_fee == 0
    assert fees.transaction_fee(TRANSFER, 144, tip=10) == 166_257


@given(st.integers(0, 10**9), st.integers(0, 10**15))
def test_perbill_mul_rounds_to_nearest_ties_down(parts, x):
    exact_num = parts * x
    got = fees.perbill_mul(parts, x)
    # |got - exact| <= 1/2, and a tie goes down
    assert abs(2 * (got * fees.PERBILL - exact_num)) <= fees.PERBILL
    if 2 * (exact_num % fees.PERBILL) == fees.PERBILL:
        assert got == exact_num // fees.PERBILL


def test_the_caps_are_the_benchmark_file_and_add_stake_comes_from_it():
    """Every ECONOMICS-2026 §9.2 cap row checked is subtensor's weights.rs @03b1d91a at
    RocksDbWeight plus the same 60,000,000 (ten rows, each its own mix of reads and writes);
    `add_stake` / `add_stake_limit`, which have no cap, are declared from that same file."""
    capped = [c for c in fees.WEIGHTS_459 if c in fees.FEE_WEIGHT_CAPS]
    assert len(capped) == 10
    for call in capped:
        assert fees.benchmarked_weight(call) == fees.FEE_WEIGHT_CAPS[call], call
    assert "SubtensorModule.add_stake" not in fees.FEE_WEIGHT_CAPS
    assert fees.call_weight("SubtensorModule.add_stake") == 2_770_000_000
    assert fees.call_weight("SubtensorModule.add_stake_limit") == 2_855_000_000
    # no cap at 467 either: the declared weight is charged
    assert fees.fee_weight("SubtensorModule.add_stake", fees.SPEC_467) == 2_770_000_000
    assert fees.transaction_fee("SubtensorModule.add_stake", 150, fees.SPEC_461) == \
        54_078 + 1_385_000 + 150  # base + 0.0005 x 2,770,000,000 + length

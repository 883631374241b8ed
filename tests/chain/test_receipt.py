"""`Receipt.fee_payment`: who paid the fee, read from the runtime's events."""

from __future__ import annotations

from chain.backend import Receipt


def _receipt(*events: dict) -> Receipt:
    return Receipt(True, 7, 1, b"\x01" * 32, list(events))


def test_a_fee_paid_in_alpha_names_the_subnet_and_the_amounts():
    paid = {"pallet": "SubtensorModule", "name": "TransactionFeePaidWithAlpha",
            "args": {"who": "5F", "netuid": 3, "alpha_fee": 120, "tao_amount": 99}}
    assert _receipt({"pallet": "Balances", "name": "Withdraw", "args": {}}, paid).fee_payment \
        == {"fee_payer": "alpha", "fee_netuid": 3, "fee_alpha_rao": 120,
            "fee_alpha_tao_rao": 99}


def test_an_older_runtimes_alpha_fee_event_reads_without_a_traceback():
    """An older runtime's event carries `who` and `alpha_fee` only: the receipt still says
    alpha paid (absent fields 0) instead of failing after a successful submission."""
    paid = {"pallet": "SubtensorModule", "name": "TransactionFeePaidWithAlpha",
            "args": {"who": "5F", "alpha_fee": 120}}
    assert _receipt(paid).fee_payment == {"fee_payer": "alpha", "fee_netuid": 0,
                                          "fee_alpha_rao": 120, "fee_alpha_tao_rao": 0}
    assert _receipt().fee_payment == {"fee_payer": "tao"}

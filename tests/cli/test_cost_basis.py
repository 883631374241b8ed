"""Issue 17: the accounting method (`cli.cost_basis`) keeps its books balanced.

For any sequence of stakes, unstakes and moves among a few positions (hypothesis): every rao of
cost (TAO paid plus fees) is either still in a position's basis or was taken out against
proceeds (realized = proceeds - fees - basis taken out), so
    sum(basis) + sum(proceeds) - sum(realized) - sum(unstake fees) == sum(paid) + sum(fees in);
no basis is ever negative; and every row splits its P&L exactly into emission and price.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cli import cost_basis

ME = "0x" + "11" * 32
HOT = ["0x" + f"{i:02x}" * 32 for i in (0xA0, 0xB0)]
NETS = [1, 2]


def _op(i: int, name: str, events: list[dict], fee: int, args: dict | None = None) -> dict:
    return {"block": i, "index": 0, "hash": f"0x{i:064x}", "signer": ME, "success": True,
            "fee_rao": fee, "call": {"pallet": "SubtensorModule", "name": name,
                                     "args": args or {}}, "events": events}


actions = st.lists(st.tuples(st.sampled_from(["add", "remove", "move"]),
                             st.integers(0, 1), st.integers(0, 1), st.integers(0, 1),
                             st.integers(1, 10**12), st.integers(1, 10**12),
                             st.integers(0, 10**6)), max_size=30)


@settings(max_examples=200, deadline=None)
@given(actions)
def test_books_balance(seq):
    ops, paid, fees_in, proceeds, out_fees = [], 0, 0, 0, 0
    held = {(h, n): 0 for h in HOT for n in NETS}
    for i, (kind, h, n, h2, tao, alpha, fee) in enumerate(seq):
        key = (HOT[h], NETS[n])
        if kind == "add":
            ops.append(_op(i, "add_stake", [{"name": "StakeAdded", "args": {
                "coldkey": ME, "hotkey": key[0], "netuid": key[1], "tao_amount": tao,
                "alpha_amount": alpha}}], fee))
            held[key] += alpha
            paid, fees_in = paid + tao, fees_in + fee
        elif kind == "remove" and held[key]:
            a = min(alpha, held[key])
            ops.append(_op(i, "remove_stake", [{"name": "StakeRemoved", "args": {
                "coldkey": ME, "hotkey": key[0], "netuid": key[1], "tao_amount": tao,
                "alpha_amount": a}}], fee))
            held[key] -= a
            proceeds, out_fees = proceeds + tao, out_fees + fee
        elif kind == "move" and held[key]:
            a = min(alpha, held[key])
            dest = (HOT[h2], key[1])  # within one subnet: the alpha itself moves
            ops.append(_op(i, "move_stake", [], fee, {
                "origin_hotkey": key[0], "destination_hotkey": dest[0],
                "origin_netuid": key[1], "destination_netuid": dest[1], "alpha_amount": a}))
            held[key] -= a
            held[dest] += a
            fees_in += fee
    book = cost_basis.book_of(ME, ops)
    basis = sum(p.basis_rao for p in book.positions.values())
    realized = sum(p.realized_rao for p in book.positions.values())
    assert basis + proceeds - realized - out_fees == paid + fees_in
    for pos in book.positions.values():
        assert pos.basis_rao >= 0 and pos.costed_alpha >= 0
        assert pos.costed_alpha == held[(pos.hotkey, pos.netuid)]  # no emission here
        row = cost_basis.row(pos, held[(pos.hotkey, pos.netuid)], 12345, 12000, 0)
        assert row["spot_value_rao"] - row["cost_basis_rao"] == row["unrealized_pnl_rao"]
        assert row["emission_pnl_rao"] + row["price_pnl_rao"] == \
            row["realized_pnl_rao"] + row["unrealized_pnl_rao"]


def test_earned_alpha_sold_after_the_bought_alpha_carries_no_basis():
    key = (HOT[0], 1)
    ops = [_op(1, "add_stake", [{"name": "StakeAdded", "args": {
               "coldkey": ME, "hotkey": key[0], "netuid": 1, "tao_amount": 100,
               "alpha_amount": 50}}], 2),
           _op(2, "remove_stake", [{"name": "StakeRemoved", "args": {
               "coldkey": ME, "hotkey": key[0], "netuid": 1, "tao_amount": 160,
               "alpha_amount": 80}}], 4)]  # 50 bought + 30 earned in between
    pos = cost_basis.book_of(ME, ops).positions[key]
    assert pos.basis_rao == 0 and pos.costed_alpha == 0
    assert pos.realized_rao == 160 - 4 - 102
    assert pos.realized_emission_rao == 160 * 30 // 80
    row = cost_basis.row(pos, 10, 20, 19, 20)  # 10 more earned since, worth 20
    assert row["alpha_earned_rao"] == 40 and row["emission_pnl_rao"] == 60 + 20

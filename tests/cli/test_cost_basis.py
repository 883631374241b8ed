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


def _cross_move(result: dict | None) -> list[dict]:
    add = _op(1, "add_stake", [{"name": "StakeAdded", "args": {
        "coldkey": ME, "hotkey": HOT[0], "netuid": 1, "tao_amount": 1000,
        "alpha_amount": 400}}], 10)
    move = _op(2, "move_stake", [], 5, {
        "origin_hotkey": HOT[0], "destination_hotkey": HOT[1], "origin_netuid": 1,
        "destination_netuid": 2, "alpha_amount": 100})
    move["result"] = result
    return [add, move]


def test_a_cross_subnet_move_carries_its_basis_and_the_split_only_when_known():
    book = cost_basis.book_of(ME, _cross_move(None))
    dest = book.positions[(HOT[1], 2)]
    assert dest.basis_rao == 1010 * 100 // 400 + 5 and dest.split_unknown
    row = cost_basis.row(dest, 70, 300, 290, 0)
    assert row["basis_known"] and row["unrealized_pnl_rao"] == 300 - dest.basis_rao
    assert row["emission_pnl_rao"] is None and row["alpha_earned_rao"] is None
    tot = cost_basis.totals([row], 0)
    assert tot["price_pnl_rao"] == row["unrealized_pnl_rao"]
    assert tot["split_unknown_positions"] == 1
    # the journal carries the receipt's result: the split is known
    known = cost_basis.book_of(ME, _cross_move({"alpha_moved_rao": 100,
                                                "alpha_received_rao": 70})).positions
    assert known[(HOT[1], 2)].costed_alpha == 70 and not known[(HOT[1], 2)].split_unknown
    # selling from a position whose split is unknown: its basis becomes unknown
    ops = _cross_move(None) + [_op(3, "remove_stake", [{"name": "StakeRemoved", "args": {
        "coldkey": ME, "hotkey": HOT[1], "netuid": 2, "tao_amount": 50, "alpha_amount": 10}}],
        1)]
    assert cost_basis.book_of(ME, ops).positions[(HOT[1], 2)].unknown

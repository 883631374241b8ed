"""The accounting method of `taoctl portfolio`, in one place: a coldkey's staking operations in,
one ledger row per position (hotkey, netuid) out. Amounts are integer rao throughout.

METHOD (said in the output and the README): **average cost over bought alpha**.
- A stake adds the TAO it paid plus its transaction fee to the position's cost basis, and the
  alpha it bought to the position's *costed alpha*.
- An unstake of `a` alpha is drawn from costed alpha first; the basis it removes is
  `basis * drawn // costed` (floored; all of it when the costed alpha is used up). Alpha sold
  beyond the costed alpha was earned (emission) and carries no basis. Realized P&L is what the
  unstake paid minus its fee minus the basis removed.
- A move, swap or transfer within this coldkey carries the basis drawn the same way to the
  destination (plus the move's fee); it realizes nothing. Stake given to another coldkey leaves
  with its basis (no P&L); stake received from another coldkey has an unknown basis.
- Earned alpha (emission: dividends, incentive, pool growth) is what a position holds beyond its
  costed alpha, plus earned alpha already sold or moved away. Its cost is zero.
- P&L from emission = spot value of the earned alpha still held + the share of unstake proceeds
  that sold earned alpha; P&L from the price = (realized + unrealized) - P&L from emission.
- Unrealized P&L = spot value - cost basis.
- A move across subnets whose received alpha the record does not carry (the sandbox's events
  name none) still carries its basis; only the emission/price split of the destination is
  unknown (until it sells: then its basis is unknown too). Totals count such a row's P&L as
  price.
- Fees of staking calls that failed are a realized loss of the coldkey (`failed_fees_rao`), not
  of a position.
A position whose origin this record cannot explain (stake received from elsewhere, stake older
than the record, a move whose received alpha the record does not carry) says so
(`basis_known` false, `origin` the reason) and gets no invented basis or P&L.
"""

from __future__ import annotations

from dataclasses import dataclass, field

METHOD = ("average cost over bought alpha (fees in the basis; unstakes draw bought alpha "
          "first, earned alpha costs 0; moves carry the basis)")

Key = tuple[str, int]  # (hotkey "0x" hex, netuid)

_MOVES = ("move_stake", "move_stake_limit", "swap_stake", "swap_stake_limit", "transfer_stake")


@dataclass
class Ledger:
    """One position's running record (rao)."""

    hotkey: str
    netuid: int
    basis_rao: int = 0
    costed_alpha: int = 0  # bought alpha not yet sold or moved away
    alpha_bought: int = 0
    alpha_sold: int = 0
    alpha_moved_in: int = 0
    alpha_moved_out: int = 0
    earned_alpha_out: int = 0  # earned alpha sold or moved away
    realized_rao: int = 0
    realized_emission_rao: int = 0
    fees_rao: int = 0
    operations: int = 0
    unknown: str | None = None  # why the basis is unknown, None when it is known
    split_unknown: bool = False  # the basis is known, the bought/earned alpha split is not

    def draw(self, alpha: int) -> tuple[int, int]:
        """Take `alpha` out: (basis removed, earned alpha in it). Bought alpha goes first."""
        if self.split_unknown:
            self.unknown = "sold after a cross-subnet move whose alpha received is not on record"
        costed = min(alpha, max(self.costed_alpha, 0))
        basis = self.basis_rao if costed == self.costed_alpha else \
            self.basis_rao * costed // self.costed_alpha if costed else 0
        self.costed_alpha -= costed
        self.basis_rao -= basis
        self.earned_alpha_out += alpha - costed
        return basis, alpha - costed


@dataclass
class Book:
    """Every position's ledger plus the coldkey-level fees."""

    coldkey: str
    positions: dict[Key, Ledger] = field(default_factory=dict)
    failed_fees_rao: int = 0
    operations: int = 0

    def at(self, key: Key) -> Ledger:
        if key not in self.positions:
            self.positions[key] = Ledger(key[0], key[1])
        return self.positions[key]


def _key(hotkey: str, netuid: int) -> Key:
    return (hotkey.lower(), int(netuid))


# A node's events carry their fields by position (subtensor's `Event` variants); the sandbox's
# by name. These are the variants' field orders.
FIELDS = {
    "StakeAdded": ("coldkey", "hotkey", "tao_amount", "alpha_amount", "netuid", "fee"),
    "StakeRemoved": ("coldkey", "hotkey", "tao_amount", "alpha_amount", "netuid", "fee"),
    "StakeMoved": ("coldkey", "origin_hotkey", "origin_netuid", "destination_hotkey",
                   "destination_netuid", "tao_amount"),
    "StakeTransferred": ("origin_coldkey", "destination_coldkey", "hotkey", "origin_netuid",
                         "destination_netuid", "tao_amount"),
    "StakeSwapped": ("coldkey", "hotkey", "origin_netuid", "destination_netuid", "tao_amount"),
}


def event_args(event: dict) -> dict:
    """An event's fields by name, whether they came named or by position."""
    args = event.get("args") or {}
    values = args.get("value") if isinstance(args, dict) and len(args) == 1 else None
    names = FIELDS.get(str(event.get("name")))
    if names and isinstance(values, list) and len(values) == len(names):
        return dict(zip(names, values, strict=True))
    return args


def _events(op: dict, name: str, coldkey_field: str, who: str) -> list[dict]:
    found = (event_args(e) for e in op.get("events", []) if e.get("name") == name)
    return [a for a in found if str(a.get(coldkey_field, "")).lower() == who]


def apply(book: Book, op: dict) -> None:
    """Book one operation (`ChainBackend.account_history`'s or the journal's shape)."""
    who = book.coldkey
    call = op["call"]
    name = call["name"]
    staking = call["pallet"] == "SubtensorModule" and "stake" in name
    fee = int(op.get("fee_rao") or 0)
    if op["signer"].lower() != who:
        for args in _events(op, "StakeTransferred", "destination_coldkey", who):
            book.at(_key(args["hotkey"], args["destination_netuid"])).unknown = \
                "received from another coldkey"
        return
    if not staking:
        return
    book.operations += 1
    if not op["success"]:
        book.failed_fees_rao += fee
        return
    if name in _MOVES:
        _move(book, op, fee)
        return
    added = _events(op, "StakeAdded", "coldkey", who)
    removed = _events(op, "StakeRemoved", "coldkey", who)
    for args in added:
        pos = book.at(_key(args["hotkey"], args["netuid"]))
        pos.basis_rao += int(args["tao_amount"]) + fee
        pos.fees_rao += fee
        pos.costed_alpha += int(args["alpha_amount"])
        pos.alpha_bought += int(args["alpha_amount"])
        pos.operations += 1
        fee = 0
    for args in removed:
        pos = book.at(_key(args["hotkey"], args["netuid"]))
        alpha, paid = int(args["alpha_amount"]), int(args["tao_amount"])
        basis, earned = pos.draw(alpha)
        pos.alpha_sold += alpha
        pos.realized_rao += paid - fee - basis
        pos.realized_emission_rao += paid * earned // alpha if alpha else 0
        pos.fees_rao += fee
        pos.operations += 1
        fee = 0
    book.failed_fees_rao += fee  # a staking call that moved nothing of this coldkey's


def _move(book: Book, op: dict, fee: int) -> None:
    who, call, args = book.coldkey, op["call"]["name"], op["call"]["args"]
    result = op.get("result") or {}
    if call.startswith("swap_stake"):
        src_hot = dst_hot = args["hotkey"]
    elif call == "transfer_stake":
        src_hot = dst_hot = args["hotkey"]
    else:
        src_hot, dst_hot = args["origin_hotkey"], args["destination_hotkey"]
    src = _key(src_hot, args["origin_netuid"])
    dst = _key(dst_hot, args["destination_netuid"])
    removed = _events(op, "StakeRemoved", "coldkey", who)
    added = _events(op, "StakeAdded", "coldkey", who)
    alpha_out = int(result.get("alpha_moved_rao") or
                    (removed[0]["alpha_amount"] if removed else 0) or 0)
    if not alpha_out:
        if call.endswith("_limit") and args.get("allow_partial"):
            book.at(src).unknown = book.at(dst).unknown = "partial move of unrecorded size"
            return
        alpha_out = int(args["alpha_amount"])
    alpha_in: int | None = result.get("alpha_received_rao")
    if alpha_in is None and added:
        alpha_in = int(added[0]["alpha_amount"])
    if alpha_in is None and src[1] == dst[1]:
        alpha_in = alpha_out  # no swap within one subnet: the alpha itself moves
    origin = book.at(src)
    basis, _ = origin.draw(alpha_out)
    origin.alpha_moved_out += alpha_out
    origin.operations += 1
    if call == "transfer_stake" and args["destination_coldkey"].lower() != who:
        origin.fees_rao += fee
        origin.realized_rao -= fee  # the gift's fee; the basis leaves with the stake
        return
    dest = book.at(dst)
    dest.operations += 1
    dest.basis_rao += basis + fee
    dest.fees_rao += fee
    if alpha_in is None:  # the basis arrived whole; which alpha is bought is not known
        dest.split_unknown = True
        return
    dest.costed_alpha += alpha_in
    dest.alpha_moved_in += alpha_in


def book_of(coldkey_hex: str, operations: list[dict]) -> Book:
    """The ledger of a coldkey's operations, in the order given (oldest first)."""
    book = Book(coldkey_hex.lower())
    for op in operations:
        apply(book, op)
    return book


def row(pos: Ledger, held_alpha: int, spot_rao: int, exit_rao: int,
        earned_spot_rao: int) -> dict:
    """One portfolio row from a ledger and the position's value now. `earned_spot_rao` is the
    spot value of `earned_alpha_held` (the caller values it with `chain.rules.valuation`)."""
    earned_held = held_alpha - pos.costed_alpha
    base = {"hotkey_hex": pos.hotkey, "netuid": pos.netuid, "alpha_rao": held_alpha,
            "alpha_bought_rao": pos.alpha_bought, "alpha_sold_rao": pos.alpha_sold,
            "alpha_moved_in_rao": pos.alpha_moved_in,
            "alpha_moved_out_rao": pos.alpha_moved_out,
            "spot_value_rao": spot_rao, "exit_value_rao": exit_rao,
            "fees_rao": pos.fees_rao, "operations": pos.operations}
    if pos.unknown is not None:
        return {**base, "basis_known": False, "origin": pos.unknown, "cost_basis_rao": None,
                "alpha_earned_rao": None, "realized_pnl_rao": None,
                "unrealized_pnl_rao": None, "emission_pnl_rao": None, "price_pnl_rao": None}
    unrealized = spot_rao - pos.basis_rao
    if pos.split_unknown:
        return {**base, "basis_known": True, "origin": "operations (emission split unknown: "
                "a cross-subnet move's alpha received is not on record)",
                "cost_basis_rao": pos.basis_rao, "alpha_earned_rao": None,
                "realized_pnl_rao": pos.realized_rao, "unrealized_pnl_rao": unrealized,
                "emission_pnl_rao": None, "price_pnl_rao": None}
    emission = earned_spot_rao + pos.realized_emission_rao
    return {**base, "basis_known": True,
            "origin": "operations" if pos.operations else "emission",
            "cost_basis_rao": pos.basis_rao,
            "alpha_earned_rao": earned_held + pos.earned_alpha_out,
            "realized_pnl_rao": pos.realized_rao, "unrealized_pnl_rao": unrealized,
            "emission_pnl_rao": emission,
            "price_pnl_rao": pos.realized_rao + unrealized - emission}


TOTALLED = ("cost_basis_rao", "spot_value_rao", "exit_value_rao", "realized_pnl_rao",
            "unrealized_pnl_rao", "emission_pnl_rao", "price_pnl_rao", "fees_rao")


def totals(rows: list[dict], failed_fees_rao: int) -> dict:
    """Sums over rows whose basis is known (the unknown ones summed apart, at value only);
    failed calls' fees are a realized loss from the price side, so emission + price =
    realized + unrealized holds for the totals as for every row."""
    known = [r for r in rows if r["basis_known"]]
    out = {k: sum(r[k] or 0 for r in known) for k in TOTALLED}
    split = [r for r in known if r["emission_pnl_rao"] is None]
    out["split_unknown_positions"] = len(split)
    # emission + price = realized + unrealized over the rows whose split is known
    out["price_pnl_rao"] += sum(r["realized_pnl_rao"] + r["unrealized_pnl_rao"] for r in split)
    out["fees_rao"] += failed_fees_rao
    out["realized_pnl_rao"] -= failed_fees_rao
    out["price_pnl_rao"] -= failed_fees_rao
    out["failed_fees_rao"] = failed_fees_rao
    unknown = [r for r in rows if not r["basis_known"]]
    out["unknown_positions"] = len(unknown)
    out["unknown_spot_value_rao"] = sum(r["spot_value_rao"] for r in unknown)
    out["unknown_exit_value_rao"] = sum(r["exit_value_rao"] for r in unknown)
    return out

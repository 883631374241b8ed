"""What a stake operation will do, worked out before anything is signed, and how it is shown.

`quote_add`, `quote_remove` and `quote_swap` turn live pools (`amm.Pool`, read through the
backend seam) and the user's options into an `OpQuote`: the call that will be submitted (with
subtensor's names and arguments) and the numbers a person checks first -- amount, spot rate,
received, fee, slippage (rao and %), the limit price from the tolerance and the worst case that
limit still accepts. They call the same `amm` functions the bundled chain executes, so the
quote is the execution to the rao when nothing moves the pool in between.

`render_quotes` prints one table per operation (on stderr under --json, so stdout stays one JSON
document); `render_outcome` prints what was received next to what was quoted. Light module:
amm and rich are imported inside the functions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chain.exitcodes import EXIT_REFUSED, EXIT_USAGE

RAO_PER_TAO = 1_000_000_000
ROOT_NETUID = 0
DEFAULT_TOLERANCE = Decimal("0.005")  # btcli's Defaults.rate_tolerance: 0.5 %


class ToleranceError(ValueError):
    """A --tolerance that is not a usable fraction."""

    name = "UsageError"
    exit_code = EXIT_USAGE


def parse_tolerance(text: str | None, *, selling: bool, out=None) -> Decimal:
    """--tolerance as a fraction, with btcli's meaning: "0.005" is 0.5 %; "0.5%" is accepted too.

    A sell (or a swap's rate) cannot tolerate a drop of 100 % or more. A bare fraction of 0.1
    or more gets a warning on `out` (someone may have meant percent, as `taoctl quote` reads).
    """
    if text is None:
        return DEFAULT_TOLERANCE
    raw = text.strip()
    percent = raw.endswith("%")
    from cli.numparse import NumberError, parse_decimal

    try:
        value = parse_decimal(raw.rstrip("%").strip(), "--tolerance")
    except NumberError:
        raise ToleranceError(f"--tolerance {text!r} is not a non-negative number (e.g. 0.005 "
                             "or 0.5%)") from None
    if percent:
        value = value / 100
    elif value >= Decimal("0.1") and out is not None:
        out.warn(f"--tolerance {raw} is {pct_str(value)} % (a fraction, as btcli reads it); "
                 f"write {raw}% for {raw} %")
    if selling and value >= 1:
        raise ToleranceError("--tolerance for an unstake or swap must be below 1 (100 %)")
    if value > 100:
        raise ToleranceError("--tolerance must be at most 100 (10000 %)")
    return value


def pct_str(value: Decimal) -> str:
    """A fraction as a trimmed percentage string ("0.5")."""
    text = format(value * 100, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_pct(num: int, den: int) -> str:
    """num/den in percent, 6 decimals, truncated (display; exact integers underneath)."""
    if den <= 0:
        return "0"
    scaled = num * 100 * 10**6 // den
    whole, frac = divmod(scaled, 10**6)
    text = f"{whole}.{frac:06d}".rstrip("0").rstrip(".")
    return text


class QuoteRefused(Exception):
    """The pool model refuses the order (SlippageTooHigh, ...); carries the call that was going
    to be made, so the caller can ask the chain's dry run for its own verdict first."""

    exit_code = EXIT_REFUSED

    def __init__(self, error: Exception, pallet: str, call: str, args: dict) -> None:
        super().__init__(str(error))
        self.name = getattr(error, "name", type(error).__name__)
        self.exit_code = getattr(error, "exit_code", 4)
        self.error, self.pallet, self.call, self.call_args = error, pallet, call, args


def _trade(fn, pool, amount: int, name: str, args: dict, **kw):
    """Run an amm trade; a refusal becomes QuoteRefused carrying the call."""
    import amm

    try:
        return fn(pool, amount, **kw)
    except amm.AmmError as exc:
        raise QuoteRefused(exc, "SubtensorModule", name, args) from None


@dataclass
class OpQuote:
    """One operation, quoted: the call to submit and what it should give."""

    operation: str  # add, remove, swap, move, transfer
    pallet: str
    call: str
    args: dict[str, Any]
    netuid: int
    amount: int  # requested input (TAO for add, alpha otherwise), rao
    input_token: str
    output_token: str
    received: int  # expected output, rao
    fee: int  # rao of `fee_token`
    fee_token: str
    spot_price: int  # origin pool, rao per alpha
    slippage: int  # rao of the output token
    ideal_out: int
    tolerance: Decimal | None
    limit_price: int | None  # rao per alpha (or rate x 1e9 for swaps)
    worst_case: int | None  # least output the limit still accepts (None: no limit / refused)
    safe: bool
    partial: bool
    amount_in: int  # what the swap consumes (less than `amount` on a partial fill)
    destination_netuid: int | None = None
    destination_spot_price: int | None = None
    price_after: int | None = None
    hotkey: str = ""
    destination_hotkey: str | None = None
    destination_coldkey: str | None = None
    notes: list[str] = field(default_factory=list)
    refusal: dict | None = None  # the chain's refusal, shown in a dry run's quote
    tx_fee: dict | None = None  # the extrinsic's fee and who pays it (`cli.stake._tx_fee`)

    @property
    def refund(self) -> int:
        return max(self.amount - self.amount_in, 0)

    @property
    def slippage_pct(self) -> str:
        return ratio_pct(self.slippage, self.ideal_out) if self.ideal_out else "0"

    def to_json(self) -> dict:
        from chain.units import tao_str

        args = {k: ("0x" + v.hex() if isinstance(v, bytes) else v) for k, v in self.args.items()}
        doc = {
            "operation": self.operation,
            "call": f"{self.pallet}.{self.call}",
            "args": args,
            "netuid": self.netuid,
            "hotkey": self.hotkey,
            "amount_rao": self.amount,
            "amount": tao_str(self.amount),
            "input_token": self.input_token,
            "amount_in_rao": self.amount_in,
            "refund_rao": self.refund,
            "received_rao": self.received,
            "received": tao_str(self.received),
            "output_token": self.output_token,
            "fee_rao": self.fee,
            "fee_token": self.fee_token,
            "spot_price_rao": self.spot_price,
            "spot_price": tao_str(self.spot_price),
            "price_after_rao": self.price_after,
            "ideal_out_rao": self.ideal_out,
            "slippage_rao": self.slippage,
            "slippage_pct": self.slippage_pct,
            "safe": self.safe,
            "partial": self.partial,
            "tolerance_pct": pct_str(self.tolerance) if self.tolerance is not None else None,
            "limit_price_rao": self.limit_price,
            "limit_price": tao_str(self.limit_price) if self.limit_price is not None else None,
            "worst_case_rao": self.worst_case,
            "notes": self.notes,
            "refusal": self.refusal,
        }
        if self.destination_netuid is not None:
            doc["destination_netuid"] = self.destination_netuid
            doc["destination_spot_price_rao"] = self.destination_spot_price
        if self.destination_hotkey is not None:
            doc["destination_hotkey"] = self.destination_hotkey
        if self.destination_coldkey is not None:
            doc["destination_coldkey"] = self.destination_coldkey
        return doc


# --- quotes ----------------------------------------------------------------------------------


def _limited(netuid: int, pool, safe: bool) -> bool:
    """Limit calls are used when safe and the pool is dynamic (root is always 1:1, no limit)."""
    return safe and netuid != ROOT_NETUID and not pool.stable


def quote_add(pool, netuid: int, hotkey: bytes, amount: int, *, safe: bool, partial: bool,
              tolerance: Decimal) -> OpQuote:
    """Staking `amount` TAO: add_stake_limit when safe (the default), else add_stake.

    Raises the amm's `SlippageTooHigh` when a fill-or-kill limit order would be refused.
    """
    import amm

    limited = _limited(netuid, pool, safe)
    limit = amm.limit_price_for_tolerance(pool, "buy", tolerance) if limited else None
    if limited:
        args = {"hotkey": hotkey, "netuid": netuid, "amount_staked": amount,
                "limit_price": limit, "allow_partial": partial}
        name = "add_stake_limit"
        result = _trade(amm.buy, pool, amount, name, args, limit_price=limit,
                        allow_partial=partial)
        worst = amm.worst_case_out(pool, "buy", amount, limit)
        if worst is None and partial:
            worst = 0
    else:
        args = {"hotkey": hotkey, "netuid": netuid, "amount_staked": amount}
        name = "add_stake"
        result = _trade(amm.buy, pool, amount, name, args)
        worst = None
    return OpQuote("add", "SubtensorModule", name, args, netuid, amount, "TAO", "alpha",
                   result.amount_out, result.fee, "TAO", amm.price_rao(pool), result.slippage,
                   result.ideal_out, tolerance if limited else None, limit, worst, limited,
                   partial and limited, result.amount_in, price_after=result.price_after_rao)


def quote_remove(pool, netuid: int, hotkey: bytes, alpha: int, *, safe: bool, partial: bool,
                 tolerance: Decimal, full: bool = False) -> OpQuote:
    """Unstaking `alpha`: remove_stake_limit when safe, else remove_stake. Fees in alpha.

    `full` (alpha is the whole position): a fill-or-kill limit order is subtensor's
    `remove_stake_full_limit(hotkey, netuid, limit_price)`, which sells the position as it
    stands at execution within the limit."""
    import amm

    limited = _limited(netuid, pool, safe)
    limit = amm.limit_price_for_tolerance(pool, "sell", tolerance) if limited else None
    if limited:
        args = {"hotkey": hotkey, "netuid": netuid, "amount_unstaked": alpha,
                "limit_price": limit, "allow_partial": partial}
        name = "remove_stake_limit"
        if full and not partial:
            name, args = "remove_stake_full_limit", {"hotkey": hotkey, "netuid": netuid,
                                                     "limit_price": limit}
        result = _trade(amm.sell, pool, alpha, name, args, limit_price=limit,
                        allow_partial=partial)
        worst = amm.worst_case_out(pool, "sell", alpha, limit)
        if worst is None and partial:
            worst = 0
    else:
        args = {"hotkey": hotkey, "netuid": netuid, "amount_unstaked": alpha}
        name = "remove_stake"
        result = _trade(amm.sell, pool, alpha, name, args)
        worst = None
    return OpQuote("remove", "SubtensorModule", name, args, netuid, alpha, "alpha", "TAO",
                   result.amount_out, result.fee, "alpha", amm.price_rao(pool), result.slippage,
                   result.ideal_out, tolerance if limited else None, limit, worst, limited,
                   partial and limited, result.amount_in, price_after=result.price_after_rao)


UNSAFE_WARNING_PCT = Decimal(5)  # --unsafe: warn on stderr when the quoted slippage is over 5 %


def trades_through_a_pool(q: OpQuote) -> bool:
    """Whether the operation swaps at all (a move or transfer within one subnet does not)."""
    return q.destination_netuid is None or q.destination_netuid != q.netuid or \
        q.operation == "swap"


def unprotected_warnings(quotes: list[OpQuote]) -> list[str]:
    """One line per quote that trades without a limit at over 5 % quoted slippage."""
    lines = []
    for q in quotes:
        if q.limit_price is not None or not trades_through_a_pool(q) or not q.ideal_out:
            continue
        if Decimal(q.slippage) * 100 > UNSAFE_WARNING_PCT * q.ideal_out:
            where = str(q.netuid) if q.destination_netuid is None else \
                f"{q.netuid} → {q.destination_netuid}"
            lines.append(f"{q.call} on subnet {where} has no price limit and a quoted slippage "
                         f"of {q.slippage_pct} % (over 5 %); drop --unsafe to trade within "
                         "--tolerance")
    return lines


def swap_rate_limit(origin_pool, destination_pool, tolerance: Decimal) -> int:
    """btcli's limit for a cross-subnet swap: (price_origin / price_destination) * (1 - tol),
    in units of 1e9 (rao), floored from the U64F64 spot prices."""
    import amm

    po, pd = amm.spot_price(origin_pool), amm.spot_price(destination_pool)
    if pd == 0:
        return 0
    num, den = tolerance.as_integer_ratio()
    return po * RAO_PER_TAO * (den - num) // (pd * den) if den > num else 0


def quote_swap(origin_pool, destination_pool, operation: str, origin_netuid: int,
               destination_netuid: int, hotkey: bytes, alpha: int, *, safe: bool, partial: bool,
               tolerance: Decimal, destination_hotkey: bytes | None = None,
               destination_coldkey: bytes | None = None) -> OpQuote:
    """Moving `alpha` between subnets (swap), hotkeys (move) or coldkeys (transfer).

    Across subnets the alpha is sold on the origin pool (the fee is charged there, or at the
    destination when the origin is root) and the TAO bought into the destination pool. Within
    one subnet nothing is swapped: the stake changes hands whole, with no fee. A swap and a
    move have limit variants on chain (swap_stake_limit, move_stake_limit: a limit on the
    origin/destination rate); a transfer has none (the caller refuses a cross-subnet transfer
    unless --unsafe).
    """
    import amm

    cross = origin_netuid != destination_netuid
    limited = operation in ("swap", "move") and safe and cross and \
        not (origin_pool.stable and destination_pool.stable)
    limit = swap_rate_limit(origin_pool, destination_pool, tolerance) if limited else None
    spot_o, spot_d = amm.price_rao(origin_pool), amm.price_rao(destination_pool)
    fee_at_origin = origin_netuid != ROOT_NETUID
    name, args = _transition_call(operation, limited, hotkey, origin_netuid, destination_netuid,
                                  alpha, limit, partial, destination_hotkey, destination_coldkey)
    if cross:
        sold = _trade(amm.sell, origin_pool, alpha, name, args, drop_fees=not fee_at_origin)
        bought = _trade(amm.buy, destination_pool, sold.amount_out, name, args,
                        drop_fees=fee_at_origin)
        received, amount_in = bought.amount_out, sold.amount_in
        fee = sold.fee if fee_at_origin else bought.fee
        fee_token = "alpha" if fee_at_origin else "TAO"
        po, pd = amm.spot_price(origin_pool), amm.spot_price(destination_pool)
        ideal = alpha * po // pd if pd else 0
        price_after = bought.price_after_rao
    else:
        received = ideal = amount_in = alpha
        fee, fee_token, price_after = 0, "alpha", spot_o
    worst = None
    if limited:
        # the least the limit rate accepts for the whole amount, before fees (floored)
        # (the chain's own check, on the pools' prices, is run by the dry run before signing)
        worst = alpha * limit // RAO_PER_TAO
    return OpQuote(operation, "SubtensorModule", name, args, origin_netuid, alpha, "alpha",
                   "alpha", received, fee, fee_token, spot_o, max(ideal - received, 0), ideal,
                   tolerance if limited else None, limit, worst, limited, partial and limited,
                   amount_in, destination_netuid=destination_netuid,
                   destination_spot_price=spot_d, price_after=price_after)


def _transition_call(operation: str, limited: bool, hotkey: bytes, origin_netuid: int,
                     destination_netuid: int, alpha: int, limit: int | None, partial: bool,
                     destination_hotkey: bytes | None, destination_coldkey: bytes | None):
    """(call name, args) of a swap, move or transfer, with subtensor's argument names."""
    if operation == "swap":
        base = {"hotkey": hotkey, "origin_netuid": origin_netuid,
                "destination_netuid": destination_netuid, "alpha_amount": alpha}
        if limited:
            return "swap_stake_limit", base | {"limit_price": limit, "allow_partial": partial}
        return "swap_stake", base
    if operation == "move":
        base = {"origin_hotkey": hotkey, "destination_hotkey": destination_hotkey,
                "origin_netuid": origin_netuid, "destination_netuid": destination_netuid,
                "alpha_amount": alpha}
        if limited:
            return "move_stake_limit", base | {"limit_price": limit, "allow_partial": partial}
        return "move_stake", base
    return "transfer_stake", {"destination_coldkey": destination_coldkey, "hotkey": hotkey,
                              "origin_netuid": origin_netuid,
                              "destination_netuid": destination_netuid, "alpha_amount": alpha}


# --- tables ----------------------------------------------------------------------------------


def _money(rao: int | None, token: str, symbol: str = "α") -> str:
    from chain.units import format_alpha, format_tao

    if rao is None:
        return "-"
    return format_tao(rao) if token == "TAO" else format_alpha(rao, symbol=symbol)


def _rate(price_rao: int) -> str:
    """Spot rate both ways: τ per α and α per τ."""
    from chain.units import tao_str

    inverse = (RAO_PER_TAO * RAO_PER_TAO // price_rao) if price_rao else 0
    return f"{tao_str(price_rao)} τ/α ({tao_str(inverse)} α/τ)"


def render_quotes(console, quotes: list[OpQuote], title: str) -> None:
    """One table, one row per operation: the numbers to check before signing."""
    from rich.table import Table

    from cli.output import over_tolerance

    table = Table(title=title, title_justify="left", caption=_tx_fee_caption(quotes),
                  caption_justify="left")
    for col in ("Netuid", "Amount", "Spot rate", "Received", "Fee", "Slippage",
                "Limit price", "Worst case accepted"):
        table.add_column(col, justify="left" if col in ("Spot rate",) else "right")
    for q in quotes:
        where = str(q.netuid) if q.destination_netuid is None else \
            f"{q.netuid} → {q.destination_netuid}"
        limit = ("no limit (unsafe)" if trades_through_a_pool(q) else "no swap") \
            if q.limit_price is None else f"{_price_or_rate(q)} (±{pct_str(q.tolerance)}%)"
        worst = "-" if q.limit_price is None else (
            "refused now" if q.worst_case is None else f"≥ {_money(q.worst_case, q.output_token)}")
        table.add_row(where, _money(q.amount, q.input_token), _rate(q.spot_price),
                      _money(q.received, q.output_token), _money(q.fee, q.fee_token),
                      over_tolerance(f"{_money(q.slippage, q.output_token)} "
                                     f"({q.slippage_pct}%)", q.slippage_pct,
                                     q.tolerance and q.tolerance * 100),
                      limit, worst)
    console.print(table)
    for q in quotes:
        if q.refund:
            console.print(f"[yellow]Partial:[/yellow] only {_money(q.amount_in, q.input_token)} "
                          f"of {_money(q.amount, q.input_token)} fills within the limit.")
        for note in q.notes:
            console.print(f"[yellow]Note:[/yellow] {note}")
        if q.refusal:
            largest = q.refusal.get("largest_passing_rao")
            console.print(f"[red]The chain would refuse this ({q.refusal['error']}):[/red] "
                          f"{q.refusal['why']}" + ("" if largest is None else
                                                   f"; the most that passes is "
                                                   f"{_money(largest, q.input_token)}"))


def _tx_fee_caption(quotes: list[OpQuote]) -> str | None:
    """Under the quote table: each extrinsic's own fee and who pays it (the table's "Fee" is
    the pool's swap fee)."""
    shown = [q for q in quotes if q.tx_fee]
    if not shown:
        return None
    if len(shown) == 1:
        return f"Tx fee (paid in): {tx_fee_cell(shown[0].tx_fee)}"
    return "Tx fee (paid in): " + "; ".join(f"subnet {q.netuid}: {tx_fee_cell(q.tx_fee)}"
                                            for q in shown)


def tx_fee_cell(fee: dict | None) -> str:
    """The extrinsic's fee and who pays it (`cli.feeview.fee_text`)."""
    from cli.feeview import fee_text

    return fee_text(fee)


def _price_or_rate(q: OpQuote) -> str:
    from chain.units import tao_str

    if q.operation in ("swap", "move", "transfer"):
        return f"rate {tao_str(q.limit_price)}"
    return f"{tao_str(q.limit_price)} τ/α"


def render_outcome(console, rows: list[dict]) -> None:
    """After execution: what was received next to what was quoted, per operation."""
    from rich.table import Table

    table = Table(title="Executed", title_justify="left")
    for col in ("Call", "Extrinsic", "Quoted", "Received", "Difference", "Tx fee (paid in)"):
        table.add_column(col, justify="left" if col in ("Call", "Extrinsic") else "right")
    for row in rows:
        token = row["output_token"]
        table.add_row(row["call"], row["extrinsic_id"], _money(row["quoted_rao"], token),
                      _money(row["received_rao"], token),
                      _money(row["received_rao"] - row["quoted_rao"], token),
                      tx_fee_cell(row.get("receipt")))
    console.print(table)


# --- positions (stake list, wallet overview) ------------------------------------------------


def positions(backend, coldkey: bytes, names=None, only: list[int] | None = None) -> list[dict]:
    """A coldkey's positions as the views show them: `ChainBackend.stake_info` rows (valued
    once, by `chain.rules.valuation`), with the hotkey's ss58 and wallet name, the subnet's
    symbol, the exit's slippage and what the position earned since staking."""
    from chain.units import tao_str
    from wallet.ss58 import ss58_encode

    rows = []
    for info in backend.stake_info(coldkey):
        if only is not None and info["netuid"] not in only:
            continue
        hotkey = bytes.fromhex(info["hotkey"][2:])
        address = ss58_encode(hotkey)
        symbol = info.get("symbol") or _symbol(backend, info["netuid"])
        if isinstance(symbol, (bytes, bytearray)):
            symbol = symbol.decode("utf-8", "replace")
        spot, exit_ = info["spot_value_rao"], info["exit_value_rao"]
        rows.append({"hotkey": address, "hotkey_name": names.name(address) if names else None,
                     "netuid": info["netuid"], "symbol": symbol,
                     "alpha_rao": info["alpha_rao"], "alpha": tao_str(info["alpha_rao"]),
                     "price_rao": info["price_rao"],
                     "spot_value_rao": spot, "spot_value": tao_str(spot),
                     "exit_value_rao": exit_, "exit_value": tao_str(exit_),
                     "exit_slippage_rao": max(spot - exit_, 0),
                     # the same two numbers under their earlier names
                     "value_rao": spot, "unstake_value_rao": exit_,
                     "slippage_rao": max(spot - exit_, 0), "_hotkey": hotkey})
    rows.sort(key=lambda r: (r["netuid"], r["hotkey"]))
    earned = backend.earnings(coldkey, [(r["_hotkey"], r["netuid"], r["alpha_rao"])
                                        for r in rows])
    for row, value in zip(rows, earned, strict=True):
        row["earned_rao"] = value
        del row["_hotkey"]
    return rows


def totals(rows: list[dict]) -> dict:
    """The sums under a list of positions (`stake_info` or `positions` rows), in rao."""
    return {"total_spot_value_rao": sum(r["spot_value_rao"] for r in rows),
            "total_exit_value_rao": sum(r["exit_value_rao"] for r in rows)}


def _symbol(backend, netuid: int) -> str:
    from cli.chainview import subnet_name

    return subnet_name(backend, netuid)[1]


def render_positions(console, rows: list[dict], title: str) -> None:
    """The positions table (stake list and overview print the same one): hotkeys by their
    wallet names where known. Amounts are never cut: on a console too narrow for the table,
    each position is printed as one reflowed line instead."""
    from rich.table import Table

    from chain.units import format_alpha, format_tao, tao_str

    header = ("Hotkey", "Netuid", "Alpha", "Price", "Spot value", "Exit value",
              "Exit slippage", "Earned since staking")
    cells = []
    for r in rows:
        earned = r.get("earned_rao")
        cells.append((r.get("hotkey_name") or r["hotkey"], str(r["netuid"]),
                      format_alpha(r["alpha_rao"], symbol=r["symbol"]),
                      f"{tao_str(r['price_rao'])} τ/{r['symbol']}",
                      format_tao(r["spot_value_rao"]), format_tao(r["exit_value_rao"]),
                      format_tao(r["exit_slippage_rao"]),
                      "?" if earned is None else format_alpha(earned, symbol=r["symbol"])))
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(header)]
    if sum(widths) + 3 * len(widths) + 1 > console.width:
        console.print(title)
        for c in cells:
            console.print(f"{c[0]} · subnet {c[1]}: {c[2]} at {c[3]}; spot value {c[4]}, exit "
                          f"value {c[5]} (slippage {c[6]}); earned since staking {c[7]}",
                          overflow="fold")
        return
    table = Table(title=title, title_justify="left")
    for col in header:
        table.add_column(col, justify="left" if col == "Hotkey" else "right", no_wrap=True)
    for c in cells:
        table.add_row(*c)
    console.print(table)

"""`taoctl quote stake|unstake`: what a stake or unstake would give, exactly as the chain computes
it, from explicit pool reserves (offline) or from a subnet's live pool (`--netuid N`).

The quote runs the same `amm` functions the bundled chain executes, so it is exact to the rao:
amount, fee, net into the pool, amount received, spot / after / effective prices, price impact,
slippage (the chain's SimSwapResult definition, in rao and %), the limit price a --tolerance
gives and the worst case it accepts. `--want` (or `--reverse`) asks the other way round: the
input needed for a wanted output. `--curve` draws slippage % against trade size.

The pool comes from `resolve_pool` (explicit reserves) or `live_pool` (`--netuid`, read through
the backend seam with `--network`/`--chain-db`; the pool's own weight and fee rate are used).
Only typer and our light modules load at import; amm and rich load in commands.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import typer

from cli.errors import UsageError
from cli.netopts import ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.staking_view import parse_tolerance

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    help="Quote stake and unstake swaps exactly as the chain executes them.",
)

TaoReserveOpt = Annotated[
    str | None,
    typer.Option("--tao-reserve", help="The pool's TAO reserve (SubnetTAO), in TAO.",
                 show_default=False),
]
AlphaReserveOpt = Annotated[
    str | None,
    typer.Option("--alpha-reserve", help="The pool's alpha reserve (SubnetAlphaIn), in alpha.",
                 show_default=False),
]
NetuidOpt = Annotated[
    int | None,
    typer.Option("--netuid", help="Quote against this subnet's live pool on the chain instead "
                 "of --tao-reserve/--alpha-reserve.", show_default=False),
]
AmountOpt = Annotated[
    str | None,
    typer.Option(
        "--amount", help="Amount to swap: TAO to stake, alpha to unstake.", show_default=False
    ),
]
WantOpt = Annotated[
    str | None,
    typer.Option(
        "--want",
        help="Amount wanted out instead: the input needed is computed.",
        show_default=False,
    ),
]
ReverseOpt = Annotated[
    bool, typer.Option("--reverse", help="Read --amount as the amount wanted out (like --want).")
]
WeightsOpt = Annotated[
    str, typer.Option("--weights", "--weight", help="The TAO-side pool weight w2, in [0.01, 0.99].")
]
FeeRateOpt = Annotated[
    int, typer.Option("--fee-rate", help="Swap fee rate in 65535ths (FeeRate; 33 = 0.0504%).")
]
ModelOpt = Annotated[
    str, typer.Option("--model", help="Pool model: weighted (current) or constant-product.")
]
ToleranceOpt = Annotated[
    str | None,
    typer.Option(
        "--tolerance",
        "--rate-tolerance",
        help="Price tolerance for the limit price, as btcli reads it: 0.005 or 0.5% (the default).",
        show_default=False,
    ),
]
PartialOpt = Annotated[
    bool, typer.Option("--allow-partial", help="Quote a partial fill when the limit binds.")
]
CurveOpt = Annotated[
    bool, typer.Option("--curve", help="Plot slippage % against amount up to --max-amount.")
]
MaxAmountOpt = Annotated[
    str | None,
    typer.Option(
        "--max-amount",
        help="Largest amount on the curve [default: --amount, or 10% of the input reserve].",
        show_default=False,
    ),
]
PointsOpt = Annotated[int, typer.Option("--points", help="Number of amounts on the curve.")]


@app.command("stake")
def stake(
    tao_reserve: TaoReserveOpt = None,
    alpha_reserve: AlphaReserveOpt = None,
    netuid: NetuidOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    amount: AmountOpt = None,
    want: WantOpt = None,
    reverse: ReverseOpt = False,
    weights: WeightsOpt = "0.5",
    fee_rate: FeeRateOpt = 33,
    model: ModelOpt = "weighted",
    tolerance: ToleranceOpt = None,
    allow_partial: PartialOpt = False,
    curve: CurveOpt = False,
    max_amount: MaxAmountOpt = None,
    points: PointsOpt = 24,
    json_out: JsonOpt = False,
) -> None:
    """Quote staking TAO into a subnet pool (a buy: TAO in, alpha out)."""
    _quote("buy", locals())


@app.command("unstake")
def unstake(
    tao_reserve: TaoReserveOpt = None,
    alpha_reserve: AlphaReserveOpt = None,
    netuid: NetuidOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    amount: AmountOpt = None,
    want: WantOpt = None,
    reverse: ReverseOpt = False,
    weights: WeightsOpt = "0.5",
    fee_rate: FeeRateOpt = 33,
    model: ModelOpt = "weighted",
    tolerance: ToleranceOpt = None,
    allow_partial: PartialOpt = False,
    curve: CurveOpt = False,
    max_amount: MaxAmountOpt = None,
    points: PointsOpt = 24,
    json_out: JsonOpt = False,
) -> None:
    """Quote unstaking alpha from a subnet pool (a sell: alpha in, TAO out)."""
    _quote("sell", locals())


# --- inputs ----------------------------------------------------------------------------------


def resolve_pool(tao_reserve: str, alpha_reserve: str, weights: str, fee_rate: int, model: str):
    """The pool to quote against, from explicit reserves (`live_pool` reads one by --netuid)."""
    import amm
    from chain.units import parse_tao

    if model not in (amm.WEIGHTED, amm.CONSTANT_PRODUCT):
        raise UsageError(f"--model must be 'weighted' or 'constant-product', got {model!r}")
    tao = parse_tao(tao_reserve, allow_zero=True, what="--tao-reserve")
    alpha = parse_tao(alpha_reserve, allow_zero=True, what="--alpha-reserve")
    weight = parse_weight(weights)
    return amm.Pool(tao, alpha, tao_weight=weight, fee_rate=fee_rate, model=model)


def live_pool(netuid: int, network: str, chain_db, opts: dict):
    """The pool of subnet `netuid` as the chain holds it now (reserves, weight, fee rate)."""
    from cli.chainview import pool, require_subnet
    from cli.netopts import open_backend

    if opts["tao_reserve"] is not None or opts["alpha_reserve"] is not None:
        raise UsageError("--netuid reads the pool from the chain: drop --tao-reserve/"
                         "--alpha-reserve")
    backend = open_backend(network, chain_db)
    try:
        require_subnet(backend, netuid)
        return pool(backend, netuid)
    finally:
        backend.close()


def parse_weight(text: str) -> int:
    """A decimal weight ("0.5", "0.437") as Perquintill parts, exactly; [0.01, 0.99] only."""
    import amm

    value = _decimal(text, "--weights")
    parts = value * amm.ACCURACY
    if parts != parts.to_integral_value():
        raise UsageError(f"--weights {text!r} has more than 18 decimals")
    weight = int(parts)
    if not amm.MIN_WEIGHT <= weight <= amm.ACCURACY - amm.MIN_WEIGHT:
        raise amm.InvalidWeights(f"--weights {text!r} is outside [0.01, 0.99]")
    return weight


def _decimal(text: str, what: str) -> Decimal:
    from cli.numparse import parse_decimal

    return parse_decimal(text.strip().rstrip("%") if isinstance(text, str) else text, what)


# --- the quote -------------------------------------------------------------------------------


def _quote(direction: str, opts: dict) -> None:
    out = Output(json_mode=opts["json_out"])
    import amm
    from chain.units import parse_tao

    if opts["netuid"] is not None:
        pool = live_pool(opts["netuid"], opts["network"], opts["chain_db"], opts)
    else:
        if opts["tao_reserve"] is None or opts["alpha_reserve"] is None:
            raise UsageError("give --netuid (a live pool) or --tao-reserve and --alpha-reserve")
        pool = resolve_pool(
            opts["tao_reserve"],
            opts["alpha_reserve"],
            opts["weights"],
            opts["fee_rate"],
            opts["model"],
        )
    in_name = "TAO" if direction == "buy" else "alpha"
    out_name = "alpha" if direction == "buy" else "TAO"
    tolerance = parse_tolerance(opts["tolerance"], selling=direction == "sell", out=out)
    amount_text, want_text = opts["amount"], opts["want"]
    if opts["reverse"]:
        if want_text is not None:
            raise UsageError("use either --reverse with --amount, or --want, not both")
        want_text, amount_text = amount_text, None
        if want_text is None:
            raise UsageError("--reverse needs --amount (the amount wanted out)")
    if amount_text is not None and want_text is not None:
        raise UsageError("give either --amount or --want, not both")
    if amount_text is None and want_text is None and not opts["curve"]:
        raise UsageError(f"--amount is required (the {in_name} to swap), or --want")

    doc: dict = {"command": f"quote {'stake' if direction == 'buy' else 'unstake'}"}
    result = None
    if amount_text is not None or want_text is not None:
        wanted = None
        if want_text is not None:
            wanted = parse_tao(want_text, what="--want")
            amount = amm.amount_in_for_out(pool, direction, wanted)
        else:
            amount = parse_tao(amount_text, what="--amount")
        limit = amm.limit_price_for_tolerance(pool, direction, tolerance)
        result = _swap(pool, direction, amount, opts["allow_partial"], limit)
        doc.update(result.to_json())
        doc.update(_limit_fields(pool, direction, result, limit, tolerance, opts["allow_partial"]))
        if wanted is not None:
            doc["wanted_out_rao"] = wanted
        doc["warnings"] = _warnings(result)
    else:
        doc["pool"] = pool.to_json()

    curve_rows = None
    if opts["curve"]:
        curve_rows = _curve(pool, direction, opts, doc.get("amount_requested_rao"))
        doc["curve"] = curve_rows

    out.result(doc, lambda console: _render(console, doc, result, curve_rows, in_name, out_name))


def _swap(pool, direction: str, amount: int, allow_partial: bool, limit: int):
    """The quote itself: plain add/remove_stake, or the limit order when --allow-partial."""
    import amm

    trade = amm.buy if direction == "buy" else amm.sell
    if allow_partial:
        return trade(pool, amount, limit_price=limit, allow_partial=True)
    return trade(pool, amount)


def _limit_fields(
    pool, direction: str, result, limit: int, tolerance: Decimal, allow_partial: bool
) -> dict:
    """Limit price from the tolerance, the worst case it accepts, and the most that fits."""
    import amm

    fields = {
        "tolerance_pct": _trim(tolerance * 100),
        "limit_price_rao": limit,
        "limit_price": _rao_price_str(limit),
    }
    try:
        maximum = amm.max_amount(pool, direction, limit)
        worst = amm.worst_case_out(pool, direction, result.amount_requested, limit)
    except amm.AmmError:
        maximum, worst = 0, None
    # the least this order still fills at if others move the price up to the limit first;
    # None when a fill-or-kill limit order of this size is refused already now, 0 when a
    # partial order may fill nothing
    if worst is None and allow_partial:
        worst = 0
    fields["min_received_rao"] = worst
    fields["max_amount_within_limit_rao"] = maximum
    fields["within_limit"] = result.amount_requested <= maximum
    return fields


def _warnings(result) -> list[str]:
    import amm

    notes = []
    after = result.pool_after
    reserve_out = after.alpha_reserve if result.direction == "buy" else after.tao_reserve
    if reserve_out < amm.MINIMUM_RESERVE:
        notes.append(
            f"the pool's {result.output_token} reserve would fall to {reserve_out} rao, below "
            f"MinimumReserve ({amm.MINIMUM_RESERVE} rao): later swaps out of it are refused"
        )
    if result.partial:
        notes.append(f"partial fill: {result.refund} rao of {result.input_token} stays unswapped")
    return notes


def _curve(pool, direction: str, opts: dict, amount: int | None) -> list[dict]:
    """Slippage at evenly spaced sizes up to --max-amount (stops at the first refused size)."""
    import amm
    from chain.units import parse_tao

    points = opts["points"]
    if not 2 <= points <= 500:
        raise UsageError("--points must be between 2 and 500")
    if opts["max_amount"] is not None:
        top = parse_tao(opts["max_amount"], what="--max-amount")
    elif amount:
        top = amount
    else:
        reserve_in = pool.tao_reserve if direction == "buy" else pool.alpha_reserve
        top = max(reserve_in // 10, 1)
    trade = amm.buy if direction == "buy" else amm.sell
    rows = []
    for i in range(1, points + 1):
        size = max(top * i // points, 1)
        try:
            r = trade(pool, size)
        except amm.AmmError:
            break
        rows.append(
            {
                "amount_rao": size,
                "amount_out_rao": r.amount_out,
                "fee_rao": r.fee,
                "slippage_rao": r.slippage,
                "slippage_pct": str(r.slippage_pct),
                "price_after_rao": r.price_after_rao,
            }
        )
    if not rows:
        raise UsageError("no amount on the curve can be swapped in this pool")
    return rows


# --- rendering -------------------------------------------------------------------------------


def _trim(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _rao_price_str(rao: int) -> str:
    from chain.units import tao_str

    return tao_str(rao)


def _render(console, doc: dict, result, curve_rows, in_name: str, out_name: str) -> None:
    if result is not None:
        _render_table(console, doc, result, in_name, out_name)
    if curve_rows:
        _render_curve(console, curve_rows, in_name)


def _render_table(console, doc: dict, result, in_name: str, out_name: str) -> None:
    from rich.table import Table

    from chain.units import format_alpha, format_tao

    def money(rao: int, token: str) -> str:
        return format_tao(rao) if token == "TAO" else format_alpha(rao)

    def price(rao_per_alpha: int, exact: str) -> str:
        inverse = (10**18 // rao_per_alpha) if rao_per_alpha else 0
        return f"{exact} τ/α  ({format_alpha(inverse, decimals=6)[1:]} α/τ)"

    action = "Stake" if result.direction == "buy" else "Unstake"
    table = Table(
        title=f"{action} quote ({result.pool_before.model} pool)",
        show_header=False,
        title_justify="left",
    )
    table.add_column("", style="bold")
    table.add_column("", justify="right")
    if "wanted_out_rao" in doc:
        table.add_row("Wanted", money(doc["wanted_out_rao"], out_name))
    if result.partial:
        table.add_row("Requested", money(result.amount_requested, in_name))
    table.add_row("Amount in", money(result.amount_in, in_name))
    table.add_row("Fee", f"{money(result.fee, in_name)}  ({doc['pool_after']['fee_rate_pct']}%)")
    table.add_row("Net into pool", money(result.net_in, in_name))
    table.add_row("You receive", money(result.amount_out, out_name))
    table.add_row("Spot price", price(result.price_before_rao, doc["price_before"]))
    table.add_row("Price after", price(result.price_after_rao, doc["price_after"]))
    table.add_row("Effective price", price(result.effective_price_rao, doc["effective_price"]))
    table.add_row("Price impact", f"{result.price_impact_pct}%")
    from cli.output import over_tolerance

    table.add_row("Slippage", over_tolerance(f"{money(result.slippage, out_name)}  "
                                             f"({result.slippage_pct}%)", result.slippage_pct,
                                             doc["tolerance_pct"]))
    table.add_row("Tolerance", f"{doc['tolerance_pct']}%")
    table.add_row("Limit price", f"{doc['limit_price']} τ/α")
    worst = doc["min_received_rao"]
    table.add_row(
        "Worst case accepted",
        f"≥ {money(worst, out_name)}" if worst is not None else "refused: beyond the limit",
    )
    table.add_row("Max within limit", money(doc["max_amount_within_limit_rao"], in_name))
    if not doc["within_limit"] and not result.partial:
        table.add_row("", "[yellow]a limit order this size fails (SlippageTooHigh);[/yellow]")
        table.add_row("", "[yellow]raise --tolerance or use --allow-partial[/yellow]")
    if result.partial:
        table.add_row("Unswapped (refund)", money(result.refund, in_name))
    console.print(table)
    for note in doc.get("warnings", []):
        console.print(f"[yellow]Warning:[/yellow] {note}")


def _render_curve(console, rows: list[dict], in_name: str) -> None:
    from cli.chart import print_chart

    xs = [row["amount_rao"] / 10**9 for row in rows]  # display only
    ys = [float(row["slippage_pct"]) for row in rows]
    print_chart(
        console,
        xs,
        ys,
        width=min(64, max(console.width - 16, 20)),
        height=12,
        title=f"Slippage % against amount ({in_name} in)",
        y_label="slippage %",
        x_label=f"amount ({in_name})",
        y_format=lambda v: f"{v:.4g}%",
        x_format=lambda v: f"{v:.6g}",
    )

"""`taoctl stake chart` and `taoctl stake yield-chart`: history drawn in the terminal (issue 17).

Both sample the chain at `--points` blocks spread over the last `--blocks` blocks (the sandbox's
kept history, or an archive node's), each sample a read through `ChainBackend.at(block)`:

- `stake chart`: what a wallet's positions were worth, spot and exit value (TAO), block by block.
- `stake yield-chart`: what 1,000 alpha staked through a validator at the first sampled block
  grew to. A staker owns shares of the validator's alpha (`TotalHotkeyAlpha` over
  `TotalHotkeySharesV2`); emission after the take raises the alpha per share, while stake added
  or removed by others buys or sells shares at that rate and leaves it unchanged, so the growth
  of alpha per share is the nominators' yield. Display only: the ratio is a float for the chart;
  the JSON carries the two integers read at each block.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import typer

from chain.exitcodes import EXIT_USAGE
from cli.netopts import ChainDbOpt, NetworkOpt
from cli.optbundle import bundled, options_of
from cli.output import JsonOpt, Output
from cli.stakeopts import HotkeySs58Opt, NetuidOpt
from cli.walletopts import HotkeyOpt, WalletNameOpt, WalletPathOpt

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

PointsOpt = Annotated[int, typer.Option("--points", min=2, max=400,
                                        help="How many blocks to sample.")]
BlocksOpt = Annotated[int | None, typer.Option(
    "--blocks", min=1, show_default=False,
    help="How far back to look. [default: 7 days (50,400 blocks), within the kept history]")]
WEEK = 50_400


@dataclass(frozen=True)
class ChartOptions:
    """The options both charts take (one declaration: `cli.optbundle`)."""

    points: PointsOpt = 40
    blocks: BlocksOpt = None
    wallet_name: WalletNameOpt = None
    wallet_path: WalletPathOpt = None
    wallet_hotkey: HotkeyOpt = None
    network: NetworkOpt = "sandbox"
    chain_db: ChainDbOpt = None
    json_out: JsonOpt = False


chart_options = bundled(options_of(ChartOptions), "opts", ChartOptions)


class NoHistory(ValueError):
    name = "UsageError"
    exit_code = EXIT_USAGE


def sample_blocks(backend: Any, blocks: int | None, points: int) -> list[int]:
    """`points` sealed blocks, evenly spread from `blocks` back to the last sealed one (not
    before the oldest the sandbox keeps)."""
    head = backend.block_info().number - 1
    oldest = 0
    retention = getattr(backend, "history_retention", None)
    if callable(retention):
        oldest = retention()["oldest"]
    first = max(oldest, head - (blocks or WEEK))
    if first >= head:
        raise NoHistory(f"no history to chart: the last sealed block is {head} and the "
                        f"oldest kept is {oldest} (advance the chain first)")
    span = head - first
    return sorted({first + span * i // (points - 1) for i in range(points)})


def _chart(out: Output, data: dict, xs: list[int], ys: list[float], title: str,
           y_label: str, note: str) -> None:
    def render(console) -> None:
        from cli.chart import print_chart

        print_chart(console, xs, ys, width=min(64, max(console.width - 16, 20)), height=12,
                    title=title, y_label=y_label, x_label="block",
                    y_format=lambda v: f"{v:,.4f}", x_format=lambda v: f"{int(v):,}")
        console.print(note)

    out.result(data, render)


@app.command("chart")
@chart_options
def chart(netuid: NetuidOpt = None, *, opts: ChartOptions) -> None:
    """A wallet's stake value over time (spot and exit value, TAO), as a terminal chart."""
    from chain.units import format_tao
    from cli.netopts import open_backend
    from cli.stakeopts import parse_netuids
    from cli.wallet_chain import decode_address
    from cli.walletopts import resolve_wallet

    out = Output(opts.json_out)
    only = parse_netuids(netuid) if netuid is not None else None
    wallet = resolve_wallet(opts.wallet_name, opts.wallet_path, opts.wallet_hotkey)
    coldkey = decode_address(wallet.coldkeypub_ss58)
    backend = open_backend(opts.network, opts.chain_db)
    try:
        samples = []
        for block in sample_blocks(backend, opts.blocks, opts.points):
            rows = [r for r in backend.at(block).stake_info(coldkey)
                    if only is None or r["netuid"] in only]
            samples.append({"block": block,
                            "spot_value_rao": sum(r["spot_value_rao"] for r in rows),
                            "exit_value_rao": sum(r["exit_value_rao"] for r in rows)})
    finally:
        backend.close()
    data = {"coldkey": wallet.coldkeypub_ss58, "netuids": only, "points": samples}
    first, last = samples[0], samples[-1]
    _chart(out, data, [s["block"] for s in samples],
           [s["exit_value_rao"] / 1e9 for s in samples],  # display only
           f"Exit value of {wallet.name}'s stake (τ) by block", "τ",
           f"From block {first['block']:,} to {last['block']:,}: exit value "
           f"{format_tao(first['exit_value_rao'])} -> {format_tao(last['exit_value_rao'])} "
           f"(spot {format_tao(first['spot_value_rao'])} -> "
           f"{format_tao(last['spot_value_rao'])}); stake added or removed moves it too.")


def alpha_per_share(shares: Any) -> tuple[int, int] | None:
    """`TotalHotkeySharesV2` (SafeFloat: mantissa * 10**exponent) as (numerator, denominator)
    of the share count; None when there are none."""
    if shares is None:
        return None
    if isinstance(shares, dict):
        mantissa, exponent = int(shares["mantissa"]), int(shares["exponent"])
    else:
        mantissa, exponent = int(shares[0]), int(shares[1])
    if mantissa == 0:
        return None
    return (mantissa * 10**exponent, 1) if exponent >= 0 else (mantissa, 10**-exponent)


@app.command("yield-chart")
@chart_options
def yield_chart(netuid: NetuidOpt = None, hotkey_ss58: HotkeySs58Opt = None, *,
                opts: ChartOptions) -> None:
    """What 1,000 alpha staked through a validator grew to over time (its yield after take)."""
    from cli.netopts import open_backend
    from cli.stakeopts import parse_netuid
    from cli.wallet_chain import decode_address

    out = Output(opts.json_out)
    n = parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))
    if hotkey_ss58:
        address = hotkey_ss58
    else:
        from cli.walletopts import resolve_wallet

        address = resolve_wallet(opts.wallet_name, opts.wallet_path,
                                 opts.wallet_hotkey).hotkey_ss58()
    hotkey = decode_address(address, what="--hotkey-ss58")
    backend = open_backend(opts.network, opts.chain_db)
    try:
        from cli.chainview import require_subnet

        require_subnet(backend, n)
        samples = []
        for block in sample_blocks(backend, opts.blocks, opts.points):
            past = backend.at(block)
            alpha = past.read("SubtensorModule.TotalHotkeyAlpha", hotkey, n)
            shares = past.read("SubtensorModule.TotalHotkeySharesV2", hotkey, n)
            samples.append({"block": block, "total_hotkey_alpha_rao": alpha,
                            "total_hotkey_shares": shares})
    finally:
        backend.close()
    ratios = []
    for s in samples:
        count = alpha_per_share(s["total_hotkey_shares"])
        ratios.append(None if count is None or not s["total_hotkey_alpha_rao"] else
                      s["total_hotkey_alpha_rao"] * count[1] / count[0])  # display only
    held = [(s, r) for s, r in zip(samples, ratios, strict=True) if r is not None]
    if len(held) < 2:
        raise NoHistory(f"{address} held no stake on subnet {n} at two of the sampled blocks")
    base = held[0][1]
    grown = [1000 * r / base for _, r in held]
    data = {"netuid": n, "hotkey": address, "points": [
        {**s, "alpha_per_1000": round(g, 9)} for (s, _), g in zip(held, grown, strict=True)]}
    first, last = held[0][0]["block"], held[-1][0]["block"]
    _chart(out, data, [s["block"] for s, _ in held], grown,
           f"1,000 α staked through {address[:8]}… on subnet {n} at block {first:,}", "α",
           f"Block {first:,} -> {last:,}: 1,000 α became {grown[-1]:,.4f} α "
           f"({grown[-1] / 10 - 100:+.4f}%): emission after the validator's take; the "
           "TAO value also moves with the price.")

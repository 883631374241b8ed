"""`taoctl simulate`: run a copy of the sandbox chain forward in memory (nothing is committed)
for N blocks or N tempos under the current weights, and report what a wallet's stakes, a hotkey
and the subnets would earn -- a table and a terminal chart (`cli.chart`).

    taoctl simulate --epochs 3 --netuid 1 --wallet-name alice
    taoctl simulate --blocks 7200 --hotkey 5F...
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.netopts import ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.walletopts import WalletNameOpt, WalletPathOpt
from chain.exitcodes import EXIT_USAGE

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False,
                  help="Run a copy of the chain forward and report earnings.")


class SimulateUsageError(Exception):
    name = "SimulateUsageError"
    exit_code = EXIT_USAGE


@app.command()
def simulate(
    blocks: Annotated[int | None, typer.Option("--blocks", min=1, help="Blocks to run")] = None,
    epochs: Annotated[int | None, typer.Option("--epochs", min=1, help="Tempos to run (of the "
                                               "first subnet reported)")] = None,
    netuid: Annotated[str | None, typer.Option("--netuid", help="Subnets to report: 1,2")] = None,
    hotkey: Annotated[str | None, typer.Option("--hotkey",
                                               help="A hotkey (ss58) to follow")] = None,
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    points: Annotated[int, typer.Option("--points", min=1, max=200,
                                        help="Samples for the chart")] = 20,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Advance an in-memory copy of the chain and report earnings (nothing is committed)."""
    from cli.netopts import chain_path, require_sandbox
    from cli.stakeopts import decode_ss58, parse_netuids

    out = Output(json_out)
    require_sandbox(network, "taoctl simulate")
    if (blocks is None) == (epochs is None):
        raise SimulateUsageError("give exactly one of --blocks N or --epochs N")
    netuids = parse_netuids(netuid) if netuid else None
    hotkey_key = decode_ss58(hotkey, "--hotkey") if hotkey else None
    coldkey = None
    if wallet_name is not None or (hotkey is None and netuid is None):
        try:
            from cli.stakeopts import coldkey_of
            from cli.walletopts import resolve_wallet

            coldkey, _ = coldkey_of(resolve_wallet(wallet_name, wallet_path, None))
        except Exception:
            if wallet_name is not None:
                raise
    from chain.factory import open_sandbox

    backend = open_sandbox(chain_path(chain_db))
    try:
        if epochs is not None:
            blocks = epochs * backend.epoch_blocks(netuids)
        assert blocks is not None
        with out.status(f"Simulating {blocks:,} blocks in memory..."):
            result = backend.simulate(blocks, points=points, coldkey=coldkey,
                                      hotkey=hotkey_key, netuids=netuids)
    finally:
        backend.close()
    data = _json(result)
    out.result(data, lambda console: _render(console, data))


def _json(result: dict) -> dict:
    from cli.wallet_chain import ss58

    data = dict(result)
    data["stakes"] = [{**r, "hotkey": ss58(r["hotkey"]), "coldkey": ss58(r["coldkey"])}
                      for r in result["stakes"]]
    data["hotkeys"] = [{**r, "hotkey": ss58(r["hotkey"])} for r in result["hotkeys"]]
    data["total_earned_rao"] = sum(r["earned_rao"] for r in data["stakes"])
    return data


def _render(console, data: dict) -> None:
    from rich.table import Table

    from chain.units import format_alpha

    console.print(f"Simulated blocks {data['from_block']:,}..{data['to_block']:,} "
                  f"({data['blocks']:,} blocks, {data['epochs']} epochs) in memory; the chain "
                  "file is unchanged.")
    if data["stakes"]:
        table = Table(title="Your stakes", title_justify="left")
        for col in ("Netuid", "Hotkey", "Alpha now", "Alpha after", "Earned"):
            table.add_column(col, justify="left" if col == "Hotkey" else "right")
        for r in data["stakes"]:
            table.add_row(str(r["netuid"]), r["hotkey"][:12] + "…",
                          format_alpha(r["alpha_before_rao"], decimals=4),
                          format_alpha(r["alpha_after_rao"], decimals=4),
                          format_alpha(r["earned_rao"], decimals=4))
        console.print(table)
    if data["hotkeys"]:
        table = Table(title="Hotkey", title_justify="left")
        for col in ("Netuid", "Total alpha now", "After", "Earned"):
            table.add_column(col, justify="right")
        for r in data["hotkeys"]:
            table.add_row(str(r["netuid"]), format_alpha(r["alpha_before_rao"], decimals=4),
                          format_alpha(r["alpha_after_rao"], decimals=4),
                          format_alpha(r["earned_rao"], decimals=4))
        console.print(table)
    table = Table(title="Subnets", title_justify="left")
    for col in ("Netuid", "Alpha paid by epochs", "Price before", "Price after"):
        table.add_column(col, justify="right")
    for r in data["subnets"]:
        table.add_row(str(r["netuid"]), format_alpha(r["paid_rao"], decimals=4),
                      f"{r['price_before_rao'] / 1e9:.6f}", f"{r['price_after_rao'] / 1e9:.6f}")
    console.print(table)
    from cli.chart import print_chart

    xs = data["blocks_series"]
    if data["stakes"]:
        ys = [sum(r["series"][k] for r in data["stakes"]) / 1e9 for k in range(len(xs))]
        print_chart(console, xs, ys, title="Your alpha", x_label="block", y_label="alpha")
    elif data["hotkeys"]:
        ys = [sum(r["series"][k] for r in data["hotkeys"]) / 1e9 for k in range(len(xs))]
        print_chart(console, xs, ys, title="Hotkey alpha", x_label="block", y_label="alpha")
    elif data["subnets"]:
        ys = [sum(r["series"][k] for r in data["subnets"]) / 1e9 for k in range(len(xs))]
        print_chart(console, xs, ys, title="Alpha paid", x_label="block", y_label="alpha")

"""`taoctl watch`: a live view that refreshes every block and marks what changed.

Three views: `positions` (a wallet's stake), `metagraph` (a subnet's neurons), `prices` (every
subnet's pool). The loop polls the chain's head cheaply (`block_info`, one read) every
`--interval` seconds and rebuilds the view only when a new block has been sealed (on the
sandbox: when someone runs `taoctl chain advance`). A changed cell is shown bold with ▲ or ▼
(the marks stay under NO_COLOR); a new row is marked "new". Ctrl-C ends the watch: the usual
way to finish it, so it exits 0 with nothing on stderr. `--count N` stops after N refreshes.

`--json` streams JSON Lines, one object per refresh: {"view", "block", "rows", "changed"}
(`changed`: [{"key", "field", "from", "to"}], empty on the first line). This is taoctl's one
exception to "exactly one JSON document on stdout": a script reads it line by line.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import typer

from cli.netopts import ChainDbOpt, NetworkOpt
from cli.optbundle import bundled, options_of
from cli.output import JSON_FLAGS, Output
from cli.stakeopts import NetuidOpt
from cli.walletopts import HotkeyOpt, WalletNameOpt, WalletPathOpt

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Live views that refresh every block: positions, metagraph, prices.")

IntervalOpt = Annotated[float, typer.Option(
    "--interval", min=0.05, max=3600.0,
    help="Seconds between checks for a new block (each check is one cheap read).")]
CountOpt = Annotated[int | None, typer.Option(
    "--count", min=1, show_default=False,
    help="Stop after this many refreshes (default: until Ctrl-C).")]
JsonLinesOpt = Annotated[bool, typer.Option(
    *JSON_FLAGS, help="Stream JSON Lines: one JSON object per line per refresh (the one "
    "exception to taoctl's single JSON document).")]


@dataclass(frozen=True)
class WatchOptions:
    """The options every watch takes (one declaration: `cli.optbundle`)."""

    interval: IntervalOpt = 1.0
    count: CountOpt = None
    network: NetworkOpt = "sandbox"
    chain_db: ChainDbOpt = None
    json_out: JsonLinesOpt = False

    def watch(self, view: View, backend: Any = None) -> None:
        """Run `view` on `backend` (default: the one --network names) until done."""
        if backend is None:
            from cli.netopts import open_backend

            backend = open_backend(self.network, self.chain_db)
        run(Output(self.json_out), view, backend, interval=self.interval, count=self.count)


watch_options = bundled(options_of(WatchOptions), "opts", WatchOptions)


class View:
    """What one watch shows: rows keyed by `key`, the `columns` (header, field, format)."""

    def __init__(self, name: str, title: str, key: tuple[str, ...],
                 columns: list[tuple[str, str, Callable[[Any], str]]],
                 rows: Callable[[Any], list[dict]]) -> None:
        self.name, self.title, self.key, self.columns, self.rows = name, title, key, columns, rows

    def key_of(self, row: dict) -> str:
        return "/".join(str(row[k]) for k in self.key)


def changes(view: View, before: list[dict] | None, after: list[dict]) -> list[dict]:
    """Every (row, field) whose value differs from the previous refresh; new rows whole."""
    if before is None:
        return []
    old = {view.key_of(r): r for r in before}
    out = []
    for row in after:
        key = view.key_of(row)
        prior = old.get(key)
        for field, value in row.items():
            was = None if prior is None else prior.get(field)
            if prior is None or was != value:
                out.append({"key": key, "field": field, "from": was, "to": value})
    gone = {view.key_of(r) for r in after}
    out += [{"key": k, "field": None, "from": r, "to": None} for k, r in old.items()
            if k not in gone]
    return out


def run(out: Output, view: View, backend: Any, *, interval: float, count: int | None,
        sleep: Callable[[float], None] = time.sleep) -> None:
    """Poll, refresh on every new sealed block, until `count` refreshes or Ctrl-C."""
    previous: list[dict] | None = None
    seen: int | None = None
    refreshes = 0
    try:
        while count is None or refreshes < count:
            head = backend.block_info().number
            if head != seen:
                rows = view.rows(backend)
                changed = changes(view, previous, rows)
                if out.json_mode:
                    sys.stdout.write(json.dumps({"view": view.name, "block": head, "rows": rows,
                                                 "changed": changed}) + "\n")
                    sys.stdout.flush()
                else:
                    _render(out.console, view, head, rows, changed, refreshes)
                previous, seen, refreshes = rows, head, refreshes + 1
                continue
            sleep(interval)
    except KeyboardInterrupt:
        if not out.json_mode:
            out.console.print()
    finally:
        backend.close()


def _render(console, view: View, block: int, rows: list[dict], changed: list[dict],
            refreshes: int) -> None:
    from rich.table import Table
    from rich.text import Text

    marks = {(c["key"], c["field"]): c for c in changed}
    if console.is_terminal:
        console.clear()
    table = Table(title=f"{view.title} at block {block:,}", title_justify="left")
    for header, _, _ in view.columns:
        table.add_column(header, justify="left" if header in ("Hotkey", "Name") else "right")
    for row in rows:
        key = view.key_of(row)
        new = refreshes > 0 and (key, view.key[0]) in marks
        cells = []
        for _, field, fmt in view.columns:
            text = fmt(row[field])
            change = marks.get((key, field))
            if change is not None and not new:
                arrow = _arrow(change["from"], change["to"])
                cells.append(Text(f"{text} {arrow}".rstrip(), style="bold yellow"))
            else:
                cells.append(Text(text))
        if new:
            cells[0] = Text(f"{cells[0].plain} new", style="bold green")
        table.add_row(*cells)
    console.print(table)
    fields = len({c["key"] for c in changed})
    console.print(f"refresh {refreshes + 1}: {fields} row(s) changed since the last block; "
                  "Ctrl-C to stop")


def _arrow(before: Any, after: Any) -> str:
    if isinstance(before, int) and isinstance(after, int):
        return "▲" if after > before else "▼"
    return "•"


# -- the views ----------------------------------------------------------------------------------
def _tao(rao: Any) -> str:
    from chain.units import format_tao

    return "" if rao is None else format_tao(rao, decimals=4)


def _alpha(rao: Any) -> str:
    from chain.units import format_alpha

    return "" if rao is None else format_alpha(rao, decimals=4)


def _price(rao: Any) -> str:
    from chain.units import tao_str

    return tao_str(rao)


def _positions_view(coldkey: bytes, names: Any) -> View:
    from cli.staking_view import positions

    def rows(backend) -> list[dict]:
        free = backend.free_balance(coldkey)
        out = [{"netuid": r["netuid"], "hotkey": r["hotkey_name"] or r["hotkey"],
                "alpha_rao": r["alpha_rao"], "price_rao": r["price_rao"],
                "spot_value_rao": r["spot_value_rao"], "exit_value_rao": r["exit_value_rao"],
                "earned_rao": r["earned_rao"]} for r in positions(backend, coldkey, names)]
        return out + [{"netuid": "free", "hotkey": "", "alpha_rao": None, "price_rao": None,
                       "spot_value_rao": free, "exit_value_rao": free, "earned_rao": None}]

    return View("positions", "Positions", ("netuid", "hotkey"),
                [("Netuid", "netuid", str), ("Hotkey", "hotkey", str),
                 ("Alpha", "alpha_rao", _alpha),
                 ("Price (τ/α)", "price_rao", lambda v: "" if v is None else _price(v)),
                 ("Spot value", "spot_value_rao", _tao), ("Exit value", "exit_value_rao", _tao),
                 ("Earned (α)", "earned_rao", _alpha)], rows)


def _metagraph_view(netuid: int) -> View:
    from cli.chainview import neurons, require_subnet

    def rows(backend) -> list[dict]:
        require_subnet(backend, netuid)
        return [{"uid": r["uid"], "hotkey": r["hotkey"], "stake_rao": r["stake_rao"],
                 "emission_rao": r["emission_rao"], "immune": r["immune"]}
                for r in neurons(backend, netuid)]

    return View("metagraph", f"Subnet {netuid} metagraph", ("uid",),
                [("UID", "uid", str), ("Hotkey", "hotkey", str), ("Stake", "stake_rao", _alpha),
                 ("Emission", "emission_rao", _alpha),
                 ("Immune", "immune", lambda v: "yes" if v else "")], rows)


def _prices_view() -> View:
    from cli.chainview import all_subnets

    def rows(backend) -> list[dict]:
        return [{"netuid": r["netuid"], "name": f"{r['name']} {r['symbol']}".strip(),
                 "price_rao": r["price_rao"], "tao_in_rao": r["tao_in_rao"],
                 "alpha_in_rao": r["alpha_in_rao"],
                 "emission_share_pct": r["emission_share_pct"]} for r in all_subnets(backend)]

    return View("prices", "Subnet prices", ("netuid",),
                [("Netuid", "netuid", str), ("Name", "name", str),
                 ("Price (τ/α)", "price_rao", _price), ("TAO in", "tao_in_rao", _tao),
                 ("Alpha in", "alpha_in_rao", _alpha),
                 ("Emission", "emission_share_pct", lambda v: f"{v}%")], rows)


@app.command("positions")
@watch_options
def watch_positions(wallet_name: WalletNameOpt = None, wallet_path: WalletPathOpt = None,
                    wallet_hotkey: HotkeyOpt = None, *, opts: WatchOptions) -> None:
    """A wallet's positions and free balance, refreshed every block. With --json: JSON Lines,
    one object per refresh (the one exception to taoctl's single JSON document)."""
    from cli.names import for_wallets
    from cli.wallet_chain import decode_address
    from cli.walletopts import resolve_wallet

    wallet = resolve_wallet(wallet_name, wallet_path, wallet_hotkey)
    coldkey = decode_address(wallet.coldkeypub_ss58)
    opts.watch(_positions_view(coldkey, for_wallets(wallet_path)))


@app.command("metagraph")
@watch_options
def watch_metagraph(netuid: NetuidOpt = None, *, opts: WatchOptions) -> None:
    """A subnet's neurons (stake, emission), refreshed every block. With --json: JSON Lines,
    one object per refresh (the one exception to taoctl's single JSON document)."""
    from cli.chainview import require_subnet
    from cli.netopts import open_backend
    from cli.stakeopts import parse_netuid

    out = Output(opts.json_out)
    n = parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))
    backend = open_backend(opts.network, opts.chain_db)

    try:
        require_subnet(backend, n)
    except BaseException:
        backend.close()
        raise
    opts.watch(_metagraph_view(n), backend)


@app.command("prices")
@watch_options
def watch_prices(*, opts: WatchOptions) -> None:
    """Every subnet's price and reserves, refreshed every block. With --json: JSON Lines, one
    object per refresh (the one exception to taoctl's single JSON document)."""
    opts.watch(_prices_view())

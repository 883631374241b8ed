"""`taoctl portfolio`: what a coldkey's stake cost, what it is worth, and where the change came
from (emission or price).

Per position (subnet, hotkey): cost basis, alpha bought, sold, moved and earned, spot value and
exit value (`chain.rules.valuation`, through `ChainBackend.stake_info`), realized and unrealized
P&L and the emission/price split, by the one accounting method of `cli.cost_basis`. The
operations come from the chain's own record on the sandbox (`ChainBackend.account_history`) and
from taoctl's journal on a real network (`cli.journal`). Light module: typer and the stdlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.archive import DEFAULT_BLOCKS, MAX_BLOCKS
from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.walletopts import AllWalletsOpt, ColdkeySs58Opt, WalletNameOpt, WalletPathOpt

if TYPE_CHECKING:
    from chain.backend import ChainBackend
    from cli.archive import Archive
    from cli.names import Names

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

CSV_COLUMNS = ("wallet", "coldkey", "netuid", "hotkey", "hotkey_name", "basis_known", "origin",
               "alpha_rao", "alpha_bought_rao", "alpha_sold_rao", "alpha_moved_in_rao",
               "alpha_moved_out_rao", "alpha_earned_rao", "cost_basis_rao", "spot_value_rao",
               "exit_value_rao", "realized_pnl_rao", "unrealized_pnl_rao", "emission_pnl_rao",
               "price_pnl_rao", "fees_rao")


@app.command("portfolio")
def portfolio(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    all_wallets: AllWalletsOpt = False,
    ss58: ColdkeySs58Opt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
    csv_out: Annotated[bool, typer.Option("--csv", help="Print the rows as CSV (rao).")] = False,
    at_block: AtBlockOpt = None,
    archive_network: Annotated[str | None, typer.Option(
        "--archive", metavar="URL", show_default=False,
        help="An archive node (ws(s):// URL or network name) whose blocks complete the journal "
        "for positions it cannot explain (a real network only).")] = None,
    archive_blocks: Annotated[int, typer.Option(
        "--archive-blocks", min=1, max=MAX_BLOCKS, metavar="N",
        help="How many blocks back --archive reads (two or three requests a block).")
    ] = DEFAULT_BLOCKS,
) -> None:
    """Cost basis, value and P&L of every position (average cost; emission vs price)."""
    from cli.cost_basis import METHOD
    from cli.names import coldkey_targets
    from cli.netopts import open_backend

    out = Output(json_out)
    if json_out and csv_out:
        from cli.errors import UsageError

        raise UsageError("choose one of --json and --csv")
    names, targets = coldkey_targets(wallet_name, wallet_path, ss58, all_wallets)
    archive = None
    if archive_network is not None:
        from cli.archive import Archive
        from cli.netopts import remote_url

        if remote_url(network) is None or remote_url(archive_network) is None:
            from cli.errors import UsageError

            raise UsageError("--archive completes the journal of a real network: both "
                             "--network and --archive name a node (the sandbox keeps its own "
                             "record)")
        archive = Archive(archive_network.strip(), archive_blocks, out)
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        info = backend.block_info()
        wallets = [one(backend, names, name, address, at_block, archive)
                   for name, address in targets]
    finally:
        backend.close()
    from cli.cost_basis import TOTALLED

    data = {"network": backend.network, "block": info.number, "method": METHOD,
            "wallets": wallets,
            "totals": {k: sum(w["totals"][k] for w in wallets)
                       for k in (*TOTALLED, "failed_fees_rao", "unknown_positions",
                                 "split_unknown_positions",
                                 "unknown_spot_value_rao", "unknown_exit_value_rao")}}
    if csv_out:
        _csv(data)
        return
    out.result(data, lambda console: _render(console, data))


def one(backend: ChainBackend, names: Names | None, name: str | None, address: str,
        until: int | None = None, archive: Archive | None = None) -> dict:
    """One coldkey's portfolio: rows (known basis first by netuid) and their totals; `until`:
    the block of an --at-block view (the operations up to it); `archive`: where to read the
    operations of positions the journal cannot explain."""
    from cli import cost_basis
    from cli.wallet_chain import decode_address

    coldkey = decode_address(address, what="the coldkey")
    ops, source = operations(backend, coldkey, until)
    book = cost_basis.book_of("0x" + coldkey.hex(), ops)
    held = {(r["hotkey"].lower(), int(r["netuid"])): r for r in backend.stake_info(coldkey)}
    scanned = None
    if archive is not None and source == "journal" and any(k not in book.positions
                                                           for k in held):
        from cli import journal
        from cli.archive import complete

        found, scanned = complete(archive, backend, coldkey, ops, until)
        ops, source = journal.merge(ops, found), "journal+archive"
        book = cost_basis.book_of("0x" + coldkey.hex(), ops)
    untouched = [k for k in held if k not in book.positions]
    if untouched:  # never touched by an operation: all earned, or of unknown origin
        earned = backend.earnings(coldkey, [(bytes.fromhex(h[2:]), n, held[(h, n)]["alpha_rao"])
                                            for h, n in untouched])
        for key, value in zip(untouched, earned, strict=True):
            pos = book.at(key)
            if value != held[key]["alpha_rao"]:
                pos.unknown = _unexplained(source, scanned)
    rows = []
    for key, pos in book.positions.items():
        now = held.get(key)
        alpha = now["alpha_rao"] if now else 0
        earned_alpha = alpha - pos.costed_alpha
        rows.append(cost_basis.row(pos, alpha, now["spot_value_rao"] if now else 0,
                                   now["exit_value_rao"] if now else 0,
                                   _spot(backend, key[1], earned_alpha)))
    from wallet.ss58 import ss58_encode

    for r in rows:
        r["hotkey"] = ss58_encode(bytes.fromhex(r.pop("hotkey_hex")[2:]))
        r["hotkey_name"] = names.name(r["hotkey"]) if names else None
    rows.sort(key=lambda r: (not r["basis_known"], r["netuid"], r["hotkey"]))
    return {"wallet": name, "coldkey": address, "source": source, "operations": book.operations,
            "archive": scanned, "positions": rows,
            "totals": cost_basis.totals(rows, book.failed_fees_rao)}


def _unexplained(source: str, scanned: dict | None) -> str:
    """Why a held position has no basis: where taoctl looked for its operations."""
    if source == "chain":
        return "no operation on record (stake older than the record?)"
    if scanned is None:
        return ("no operation on record: not in taoctl's journal (made with another tool? "
                "--archive URL reads them from an archive node's blocks)")
    return (f"no operation on record: not in the journal nor in blocks "
            f"{scanned['first_block']:,}..{scanned['last_block']:,} of {scanned['network']} "
            "(older? --archive-blocks reads further back)")


def operations(backend: ChainBackend, coldkey: bytes,
               until: int | None = None) -> tuple[list[dict], str]:
    """The coldkey's operations and where they came from: the chain's own record (a view at a
    past block gives its own), else the journal's entries (up to block `until`, --at-block)."""
    ops = backend.account_history(coldkey)
    if ops is not None:
        return ops, "chain"
    from cli import journal

    ops = journal.operations(backend.block_info().genesis_hash, coldkey)
    return [op for op in ops if until is None or op["block"] <= until], "journal"


def _spot(backend: ChainBackend, netuid: int, alpha: int) -> int:
    """Spot value of `alpha` (negative alpha: minus the value of its size)."""
    if alpha == 0:
        return 0
    value = backend.alpha_value(netuid, abs(alpha))[0]
    return value if alpha > 0 else -value


def _csv(data: dict) -> None:
    import csv
    import sys

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for w in data["wallets"]:
        for r in w["positions"]:
            cells = {"wallet": w["wallet"] or "", "coldkey": w["coldkey"], **r}
            writer.writerow(["" if cells.get(c) is None else cells.get(c) for c in CSV_COLUMNS])


def _signed(rao: int | None) -> str:
    from chain.units import format_tao

    if rao is None:
        return "unknown"
    return ("+" if rao > 0 else "") + format_tao(rao)


def _render(console, data: dict) -> None:
    from rich.table import Table

    from chain.units import format_alpha, format_tao

    console.print(f"Portfolio at block {data['block']:,} on {data['network']}. "
                  f"Method: {data['method']}.")
    for w in data["wallets"]:
        label = f"{w['wallet']} ({w['coldkey']})" if w["wallet"] else w["coldkey"]
        console.print(f"[bold]{label}[/bold]: {w['operations']} staking operations from the "
                      f"{w['source']}")
        if not w["positions"]:
            console.print("No positions.")
            continue
        table = Table(title_justify="left")
        for col in ("Netuid", "Hotkey", "Alpha", "Bought", "Sold", "Earned", "Cost basis",
                    "Spot value", "Exit value", "Realized", "Unrealized", "Emission", "Price"):
            table.add_column(col, justify="left" if col == "Hotkey" else "right",
                             overflow="fold")
        for r in w["positions"]:
            def a(v: int | None) -> str:
                return "unknown" if v is None else format_alpha(v)

            table.add_row(str(r["netuid"]), r["hotkey_name"] or r["hotkey"], a(r["alpha_rao"]),
                          a(r["alpha_bought_rao"]), a(r["alpha_sold_rao"]),
                          a(r["alpha_earned_rao"]),
                          "unknown" if r["cost_basis_rao"] is None
                          else format_tao(r["cost_basis_rao"]),
                          format_tao(r["spot_value_rao"]), format_tao(r["exit_value_rao"]),
                          _signed(r["realized_pnl_rao"]), _signed(r["unrealized_pnl_rao"]),
                          _signed(r["emission_pnl_rao"]), _signed(r["price_pnl_rao"]))
        console.print(table)
        t = w["totals"]
        console.print(f"Totals (known basis): cost {format_tao(t['cost_basis_rao'])}, spot "
                      f"{format_tao(t['spot_value_rao'])}, exit {format_tao(t['exit_value_rao'])}"
                      f"; realized {_signed(t['realized_pnl_rao'])}, unrealized "
                      f"{_signed(t['unrealized_pnl_rao'])} (emission "
                      f"{_signed(t['emission_pnl_rao'])}, price {_signed(t['price_pnl_rao'])}); "
                      f"fees {format_tao(t['fees_rao'])}")
        for r in w["positions"]:
            if not r["basis_known"]:
                console.print(f"  netuid {r['netuid']} {r['hotkey_name'] or r['hotkey']}: "
                              f"basis unknown ({r['origin']})")

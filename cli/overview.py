"""`taoctl wallet overview`: one screen per coldkey (btcli's most used view).

The free balance; every position by subnet and hotkey (hotkeys by their wallet names), valued
as every view values it (`chain.rules.valuation`: spot value and exit value) with what it
earned since staking (`ChainBackend.earnings`); and where the wallet's hotkeys are registered
(UID, incentive, dividends, emission). Everything is read through the backend contract, so the
same command reads the sandbox, `taoctl node serve` and a real node. Light module: typer and
the stdlib at import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.walletopts import AllWalletsOpt, ColdkeySs58Opt, WalletNameOpt, WalletPathOpt

if TYPE_CHECKING:
    from chain.backend import ChainBackend
    from cli.names import Names

SM = "SubtensorModule"
U16_MAX = 65535
_VECTORS = ("Incentive", "Dividends", "Emission")


def overview(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    all_wallets: AllWalletsOpt = False,
    ss58: ColdkeySs58Opt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A coldkey at a glance: free balance, every position (spot value, exit value, earned)
    and the hotkeys' registrations (UID, incentive, dividends, emission)."""
    from cli.names import coldkey_targets
    from cli.netopts import open_backend

    out = Output(json_out)
    names, targets = coldkey_targets(wallet_name, wallet_path, ss58, all_wallets)
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        block = backend.block_info().number
        wallets = [_one(backend, names, name, address) for name, address in targets]
    finally:
        backend.close()
    data = {"network": backend.network, "block": block, "wallets": wallets,
            "total_free_rao": sum(w["free_rao"] for w in wallets),
            "total_spot_value_rao": sum(w["total_spot_value_rao"] for w in wallets),
            "total_exit_value_rao": sum(w["total_exit_value_rao"] for w in wallets)}
    out.result(data, lambda console: _render(console, data, names))


def _one(backend: ChainBackend, names: Names, name: str | None, address: str) -> dict:
    from cli.staking_view import positions, totals
    from cli.wallet_chain import decode_address

    coldkey = decode_address(address, what="the coldkey")
    rows = positions(backend, coldkey, names)
    free = backend.free_balance(coldkey)
    sums = totals(rows)
    hotkeys = list(names.wallet_hotkeys.get(name, {}).values()) if name else []
    for r in rows:
        if r["hotkey"] not in hotkeys:
            hotkeys.append(r["hotkey"])
    return {"wallet": name, "coldkey": address, "free_rao": free, "positions": rows, **sums,
            "total_rao": free + sums["total_spot_value_rao"],
            "registrations": registrations(backend, names, hotkeys)}


def registrations(backend: ChainBackend, names: Names, hotkeys: list[str]) -> list[dict]:
    """Where each hotkey holds a UID: netuid, uid, incentive and dividends (fractions of 1,
    from the chain's u16), the last epoch's emission (alpha rao) and the hotkey's stake."""
    from cli.chainview import netuids
    from cli.wallet_chain import decode_address

    keys = [(h, decode_address(h, what="a hotkey")) for h in hotkeys]
    subnets = [n for n in netuids(backend) if n != 0]
    pairs = [(n, key) for n in subnets for _, key in keys]
    uids = backend.read_many(f"{SM}.Uids", pairs) if pairs else []
    found = [(n, key, uid) for (n, key), uid in zip(pairs, uids, strict=True) if uid is not None]
    vectors: dict[int, dict] = {}
    rows = []
    for n, key, uid in found:
        if n not in vectors:
            from cli.chainview import subnet_name

            vectors[n] = {v: backend.read(f"{SM}.{v}", n) or [] for v in _VECTORS}
            vectors[n]["symbol"] = subnet_name(backend, n)[1]
        vec = vectors[n]

        def at(item: str, uid: int = uid, vec: dict = vec) -> int:
            values = vec[item]
            return int(values[uid]) if uid < len(values) else 0

        address = next(h for h, k in keys if k == key)
        rows.append({"hotkey": address, "hotkey_name": names.name(address), "netuid": n,
                     "symbol": vec["symbol"], "uid": uid, "incentive_u16": at("Incentive"),
                     "incentive": at("Incentive") / U16_MAX,
                     "dividends_u16": at("Dividends"), "dividends": at("Dividends") / U16_MAX,
                     "emission_rao": at("Emission"),
                     "stake_rao": backend.read(f"{SM}.TotalHotkeyAlpha", key, n) or 0})
    return rows


def _render(console, data: dict, names: Names) -> None:
    from rich.table import Table

    from chain.units import format_alpha, format_tao
    from cli.staking_view import render_positions

    for w in data["wallets"]:
        console.print(f"[bold]{names.label(w['coldkey'])}[/bold] at block {data['block']:,}: "
                      f"free {format_tao(w['free_rao'])}; staked: spot value "
                      f"{format_tao(w['total_spot_value_rao'])}, exit value "
                      f"{format_tao(w['total_exit_value_rao'])}; total (spot) "
                      f"{format_tao(w['total_rao'])}")
        if w["positions"]:
            render_positions(console, w["positions"], "Positions")
        else:
            console.print("No stake.")
        if w["registrations"]:
            table = Table(title="Registrations", title_justify="left")
            for col in ("Hotkey", "Netuid", "UID", "Incentive", "Dividends", "Emission",
                        "Hotkey stake"):
                table.add_column(col, justify="left" if col == "Hotkey" else "right",
                                 overflow="fold")
            for r in w["registrations"]:
                symbol = r["symbol"]
                table.add_row(r["hotkey_name"] or r["hotkey"], str(r["netuid"]), str(r["uid"]),
                              f"{r['incentive']:.4f}", f"{r['dividends']:.4f}",
                              format_alpha(r["emission_rao"], symbol=symbol),
                              format_alpha(r["stake_rao"], symbol=symbol))
            console.print(table)
        else:
            console.print("No hotkey of this wallet is registered on a subnet.")
    if len(data["wallets"]) > 1:
        console.print(f"All wallets: free {format_tao(data['total_free_rao'])}; staked: spot "
                      f"value {format_tao(data['total_spot_value_rao'])}, exit value "
                      f"{format_tao(data['total_exit_value_rao'])}")

"""`taoctl subnet metagraph`: btcli's `subnets show` columns from the epoch's stored outputs --
UID, hotkey, stake, incentive, dividends, emission, validator trust, permit, active, updated.

Its own `app` with the one command `metagraph`, merged into the `subnet` group by cli/subnet.py.
Proportions are the chain's u16 values over 65535. Rows of the subnet owner's own hotkeys (its
coldkey's, and SubnetOwnerHotkey) are marked: the chain burns the incentive they earn, so their
emission never turns into stake (`owner_burned` in JSON). "Updated" is blocks since the UID last
set weights, as in `weights show`.
"""

from __future__ import annotations

import typer

from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.stakeopts import NetuidOpt
from cli.walletopts import WalletPathOpt

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="The metagraph of a subnet.")

U16_MAX = 65_535
_VECTORS = ("Incentive", "Dividends", "Consensus", "ValidatorTrust", "Emission", "Active",
            "ValidatorPermit", "LastUpdate")


OWNER_BURN_NOTE = ("† the subnet owner's own hotkey: the chain burns the incentive it earns, so "
                   "its emission is not added to its stake")


def owner_hotkeys(info: dict, rows: list[dict]) -> set[str]:
    """The hotkeys whose incentive the chain burns: the owner hotkey and every hotkey of the
    owner's coldkey."""
    owned = {r["hotkey"] for r in rows if r.get("coldkey") and r["coldkey"] ==
             info.get("owner_coldkey")}
    return owned | ({info["owner_hotkey"]} if info.get("owner_hotkey") else set())


def metagraph_rows(backend, netuid: int) -> list[dict]:
    """One dict per UID: the `neurons` query joined with the epoch's stored vectors."""
    from cli.chainview import neurons, subnet_info

    rows = neurons(backend, netuid)
    burned = owner_hotkeys(subnet_info(backend, netuid), rows)
    vectors = {name: backend.read(f"SubtensorModule.{name}", netuid) for name in _VECTORS}

    def at(name: str, uid: int, default=0):
        values = vectors[name]
        return values[uid] if uid < len(values) else default

    out = []
    for r in rows:
        uid = r["uid"]
        out.append({
            "uid": uid, "hotkey": r["hotkey"], "coldkey": r.get("coldkey"),
            "stake_rao": r["stake_rao"],
            "incentive": at("Incentive", uid) / U16_MAX,
            "dividends": at("Dividends", uid) / U16_MAX,
            "consensus": at("Consensus", uid) / U16_MAX,
            "validator_trust": at("ValidatorTrust", uid) / U16_MAX,
            "emission_rao": int(at("Emission", uid)),
            "validator_permit": bool(at("ValidatorPermit", uid, False)),
            "active": bool(at("Active", uid, False)),
            "last_update": int(at("LastUpdate", uid)),
            "owner_burned": r["hotkey"] in burned,
        })
    return out


@app.command("metagraph")
def metagraph(
    netuid: NetuidOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    wallet_path: WalletPathOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """UID, hotkey, stake, incentive, dividends, emission, validator trust, permit, active,
    updated -- as the last epoch left them. Your own hotkeys show their wallet names."""
    from cli.chainview import require_subnet, subnet_info
    from cli.netopts import open_backend
    from cli.stakeopts import parse_netuid

    out = Output(json_out)
    n = parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        require_subnet(backend, n)
        info = subnet_info(backend, n)
        rows = metagraph_rows(backend, n)
        block = backend.block_info().number
    finally:
        backend.close()
    from cli.names import for_wallets

    names = for_wallets(wallet_path)
    for r in rows:
        r["hotkey_name"] = names.name(r["hotkey"]) if r["hotkey"] in names.hotkeys else None
    data = {"netuid": n, "block": block, "symbol": info.get("symbol"), "neurons": rows}

    def render(console) -> None:
        from rich.table import Table

        from chain.units import format_alpha

        sym = info.get("symbol") or ""
        table = Table(title=f"Subnet {n} metagraph at block {block}", title_justify="left")
        for col in ("UID", "Hotkey", "Stake", "Incentive", "Dividends", "Emission", "VTrust",
                    "Permit", "Active", "Updated (blocks ago)"):
            table.add_column(col, justify="left" if col == "Hotkey" else "right")
        for r in rows:
            hotkey = r["hotkey_name"] or r["hotkey"][:12] + "…"
            table.add_row(str(r["uid"]), hotkey + (" †" if r["owner_burned"] else ""),
                          format_alpha(r["stake_rao"], symbol=sym, decimals=4),
                          f"{r['incentive']:.4f}", f"{r['dividends']:.4f}",
                          format_alpha(r["emission_rao"], symbol=sym, decimals=4),
                          f"{r['validator_trust']:.4f}", "*" if r["validator_permit"] else "",
                          "*" if r["active"] else "", str(block - r["last_update"]))
        console.print(table)
        if any(r["owner_burned"] for r in rows):
            console.print(OWNER_BURN_NOTE)

    out.result(data, render)

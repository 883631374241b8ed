"""`taoctl subnet list | show | create | start | register | burn-cost | price | hyperparameters`.

Reads go through `cli.chainview` (the backend contract, subtensor's storage names). The changing
commands (`create` = register_network, `start` = start_call, `register` = burned_register /
register_limit / root_register) go through `cli.pipeline`: the quote holds what it costs and the
chain's verdict (a refusal exits 4 with subtensor's error name, nothing signed), confirm unless
-y, unlock the coldkey, sign, submit, report. `--dry-run` prints the quote before any password.
Heavy modules load inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.pipeline import Signing, signed_command
from cli.stakeopts import HotkeySs58Opt, NetuidOpt, SafeOpt, ToleranceOpt

if TYPE_CHECKING:
    from chain.backend import ChainBackend

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Subnets: list, create, register neurons, prices, metagraph.")


def _backend(network: str, chain_db, at_block: int | None = None):
    from cli.netopts import open_backend

    return open_backend(network, chain_db, at_block=at_block)


def _netuid(out: Output, netuid: str | None) -> int:
    from cli.stakeopts import parse_netuid

    return parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))


def _signed_call(out: Output, backend: ChainBackend, signing: Signing, wallet, coldkey: bytes,
                 pallet: str, name: str, args: dict, *, summary: dict, title: str,
                 doc: dict) -> dict:
    """Quote, show, confirm, sign and submit one call through the pipeline; returns
    {"dry_run", "receipt"} (a dry run prints `doc` with the quote and exits here)."""
    from chain.backend import Call
    from cli.pipeline import call_quote, run

    call = Call(pallet, name, args)
    quote = call_quote(backend, coldkey, call, summary={k: str(v) for k, v in summary.items()})

    def render(console) -> None:
        from cli.feeview import fee_text

        _print_summary(console, title + (" (dry run: nothing signed)" if signing.dry_run
                                         else ""), summary)
        console.print(f"Transaction fee: {fee_text(quote)}")
        if quote["refusal"]:
            console.print(f"[red]The chain would refuse this ({quote['refusal']['error']}):"
                          f"[/red] {quote['refusal']['why']}")

    executed = run(out, backend, title=f"{pallet}.{name}",
                   doc={**doc, "events": _plain_events(quote["chain"]["events"]),
                        "quote": quote}, render=render, calls=[call],
                   unlock=lambda: signing.coldkey_signer(out, wallet, coldkey),
                   dry_run=signing.dry_run)
    if signing.dry_run:
        raise typer.Exit(0)
    return {"dry_run": False, "receipt": executed[0]["receipt"]}


def _plain_events(events: list[dict]) -> list[dict]:
    from chain.backend import canonical

    return list(canonical(events))


def _print_summary(console, title: str, summary: dict) -> None:
    from rich.table import Table

    table = Table(title=title, show_header=False, title_justify="left")
    table.add_column("", style="bold")
    table.add_column("")
    for key, value in summary.items():
        table.add_row(key, str(value))
    console.print(table)


def _wallet_keys(signing: Signing, hotkey_ss58: str | None):
    from cli.stakeopts import coldkey_of, resolve_hotkey

    wallet = signing.wallet()
    coldkey, coldkey_ss58 = coldkey_of(wallet)
    hotkey, hotkey_address = resolve_hotkey(wallet, hotkey_ss58, signing.wallet_hotkey)
    return wallet, coldkey, coldkey_ss58, hotkey, hotkey_address


# --- reads -------------------------------------------------------------------------------------


@app.command("list")
def list_subnets(
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every subnet: price, TAO and alpha reserves, market cap, emission share, tempo."""
    from cli.chainview import all_subnets

    out = Output(json_out)
    backend = _backend(network, chain_db, at_block)
    try:
        block = backend.block_info().number
        rows = all_subnets(backend)
    finally:
        backend.close()
    data = {"block": block, "subnets": rows,
            "total_tao_in_rao": sum(r["tao_in_rao"] for r in rows)}

    def render(console) -> None:
        from rich.table import Table

        from chain.units import format_alpha, format_tao, tao_str

        table = Table(title=f"Subnets at block {block:,}", title_justify="left")
        for col in ("Netuid", "Name", "Price (τ/α)", "TAO in", "Alpha in", "Alpha out",
                    "Market cap", "Emission", "Tempo"):
            table.add_column(col, justify="left" if col == "Name" else "right")
        for r in rows:
            sym = r["symbol"]
            table.add_row(str(r["netuid"]), f"{r['name']} {sym}".strip(),
                          tao_str(r["price_rao"]), format_tao(r["tao_in_rao"], decimals=4),
                          format_alpha(r["alpha_in_rao"], symbol=sym, decimals=4),
                          format_alpha(r["alpha_out_rao"], symbol=sym, decimals=4),
                          format_tao(r["market_cap_rao"], decimals=4),
                          f"{r['emission_share_pct']}%", str(r["tempo"]))
        console.print(table)

    out.result(data, render)


@app.command("show")
def show(
    netuid: NetuidOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """One subnet and its metagraph (UID, hotkey, coldkey, stake, registration, immunity)."""
    from cli.chainview import neurons, require_subnet, subnet_info

    out = Output(json_out)
    n = _netuid(out, netuid)
    backend = _backend(network, chain_db, at_block)
    try:
        require_subnet(backend, n)
        info = subnet_info(backend, n)
        rows = neurons(backend, n)
    finally:
        backend.close()
    data = {**info, "neurons": rows}

    def render(console) -> None:
        from rich.table import Table

        from chain.units import format_alpha, format_tao, tao_str
        from cli.metagraph import OWNER_BURN_NOTE, owner_hotkeys

        sym = info["symbol"]
        console.print(f"Subnet {n} {info['name']} {sym}: price "
                      f"{tao_str(info['price_rao'])} τ/{sym}, TAO in "
                      f"{format_tao(info['tao_in_rao'])}, alpha in "
                      f"{format_alpha(info['alpha_in_rao'], symbol=sym)}, owner "
                      f"{info['owner_coldkey']}, burn {format_tao(info['burn_rao'])}, "
                      f"{info['subnetwork_n']}/{info['max_allowed_uids']} UIDs")
        table = Table(title="Metagraph", title_justify="left")
        for col in ("UID", "Hotkey", "Coldkey", "Stake", "Registered", "Immune", "Emission"):
            table.add_column(col, justify="right" if col in ("UID", "Stake", "Registered",
                                                             "Emission") else "left")
        burned = owner_hotkeys(info, rows)
        for r in rows:
            table.add_row(str(r["uid"]), r["hotkey"] + (" †" if r["hotkey"] in burned else ""),
                          r["coldkey"] or "",
                          format_alpha(r["stake_rao"], symbol=sym, decimals=4),
                          str(r["registered_at"]), "yes" if r["immune"] else "",
                          format_alpha(r["emission_rao"], symbol=sym, decimals=4))
        console.print(table)
        if burned & {r["hotkey"] for r in rows}:
            console.print(OWNER_BURN_NOTE)

    out.result(data, render)


def _register_metagraph() -> None:
    """`subnet metagraph`: the epoch's outputs per UID (cli/metagraph.py, issue 6)."""
    from cli.metagraph import metagraph

    app.command("metagraph")(metagraph)


_register_metagraph()


@app.command("burn-cost")
def burn_cost(
    netuid: NetuidOpt = None,
    at_block: AtBlockOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The TAO locked to create a subnet now (and with --netuid, a neuron's registration burn)."""
    from chain.units import format_tao
    from cli.chainview import lock_cost, require_subnet

    out = Output(json_out)
    backend = _backend(network, chain_db, at_block)
    try:
        block = backend.block_info().number
        data = {"block": block, "lock_cost_rao": lock_cost(backend)}
        if netuid is not None:
            from cli.stakeopts import parse_netuid

            n = parse_netuid(netuid)
            require_subnet(backend, n)
            data["netuid"] = n
            data["burn_rao"] = backend.read("SubtensorModule.Burn", n)
    finally:
        backend.close()
    data["lock_cost"] = format_tao(data["lock_cost_rao"])

    def render(console) -> None:
        console.print(f"Creating a subnet locks {format_tao(data['lock_cost_rao'])} "
                      f"(block {block:,}).")
        if "burn_rao" in data:
            console.print(f"Registering a neuron on subnet {data['netuid']} burns "
                          f"{format_tao(data['burn_rao'])}.")

    out.result(data, render)


app.command("burn_cost", hidden=True)(burn_cost)

# (JSON key, storage item, unit, meaning); the table shows each value in its unit, the JSON
# keeps the raw stored value.
HYPERPARAMETERS = (
    ("tempo", "Tempo", "blocks", "blocks between epochs"),
    ("max_allowed_uids", "MaxAllowedUids", "count", "neuron capacity"),
    ("max_allowed_validators", "MaxAllowedValidators", "count", "validator permits"),
    ("min_allowed_weights", "MinAllowedWeights", "count", "fewest weights a validator may set"),
    ("immunity_period", "ImmunityPeriod", "blocks", "a new neuron cannot be pruned for"),
    ("yuma3_enabled", "Yuma3On", "switch", "Yuma3 bonds"),
    ("burn", "Burn", "tao", "current registration burn"),
    ("min_burn", "MinBurn", "tao", "lowest registration burn"),
    ("max_burn", "MaxBurn", "tao", "highest registration burn"),
    ("burn_half_life", "BurnHalfLife", "blocks", "the burn halves over"),
    ("burn_increase_mult", "BurnIncreaseMult", "u64f64", "burn multiplier per registration"),
    ("immune_owner_uids_limit", "ImmuneOwnerUidsLimit", "count", "owner UIDs never pruned"),
    ("min_non_immune_uids", "MinNonImmuneUids", "count", "UIDs kept open to pruning"),
    ("max_registrations_per_block", "MaxRegistrationsPerBlock", "count",
     "registrations a block accepts"),
    ("registration_allowed", "NetworkRegistrationAllowed", "switch", "burned registration open"),
    ("subtoken_enabled", "SubtokenEnabled", "switch", "staking open (after start_call)"),
    ("transfers_enabled", "TransferToggle", "switch", "stake transfers allowed"),
    ("fee_rate", "FeeRate", "u16", "the pool's swap fee"),
    ("tao_weight_parts", "SwapBalancer", "perquintill", "the pool's TAO weight"),
    # regqueue: epoch modes and the collateral share (ECONOMICS-2026 §7.0, §7.7, §6.1.2)
    ("epoch_consensus", "SubnetEpochConsensus", "mode:Yuma,Null", "the epoch's consensus"),
    ("liquid_alpha_consensus_mode", "LiquidAlphaConsensusMode", "mode:Current,Previous,Auto",
     "liquid alpha's consensus"),
    ("collateral_lock_share", "CollateralLockShare", "u16",
     "burn share staked as miner collateral"),
)


def human_value(unit: str, value) -> str:
    """A stored hyperparameter in its unit: rao as τ, U64F64 bits and u16 / Perquintill
    proportions as decimals (display only; exact to the digits shown, rounded half down)."""
    from decimal import Decimal

    from chain.units import format_tao

    if unit == "tao":
        return format_tao(int(value))
    if unit == "switch":
        return "on" if value else "off"
    if unit == "blocks":
        return f"{int(value):,} blocks"
    if unit.startswith("mode:"):  # an enum stored as its index
        names = unit.removeprefix("mode:").split(",")
        return f"{names[value]} ({value})" if 0 <= int(value) < len(names) else str(value)
    if unit == "u64f64":
        return f"×{Decimal(int(value)) / (1 << 64):.6f}"
    if unit == "u16":
        return f"{Decimal(int(value)) * 100 / 65535:.4f} %"
    if unit == "perquintill":
        return f"{Decimal(int(value)) * 100 / 10**18:.4f} %"
    return f"{int(value):,}" if isinstance(value, int) else str(value)


@app.command("hyperparameters")
def hyperparameters(
    netuid: NetuidOpt = None,
    at_block: AtBlockOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A subnet's hyperparameters as stored on chain, with the pool's fee and weight."""
    from cli.chainview import require_subnet

    out = Output(json_out)
    n = _netuid(out, netuid)
    backend = _backend(network, chain_db, at_block)
    try:
        require_subnet(backend, n)
        stored = backend.hyperparameters(n)
        values = {key: stored[item] for key, item, _, _ in HYPERPARAMETERS if item in stored}
        owner = backend.read("SubtensorModule.SubnetOwner", n)
    finally:
        backend.close()
    from cli.chainview import _ss58

    data = {"netuid": n, "owner": _ss58(owner), "hyperparameters": values}

    def render(console) -> None:
        from rich.table import Table

        table = Table(title=f"Subnet {n} hyperparameters (owner {data['owner']})",
                      title_justify="left")
        for col in ("Hyperparameter", "Value", "Meaning"):
            table.add_column(col, justify="right" if col == "Value" else "left")
        for key, _, unit, meaning in HYPERPARAMETERS:
            if key in values:
                table.add_row(key, human_value(unit, values[key]), meaning)
        console.print(table)
        console.print("(--json gives the raw stored values)")

    out.result(data, render)


app.command("hyperparams", hidden=True)(hyperparameters)


@app.command("price")
def price(
    netuid: NetuidOpt = None,
    current: Annotated[bool, typer.Option("--current", help="Only the current price.")] = False,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """A subnet's price history on the bundled chain, as a terminal chart."""
    import amm
    from chain.units import tao_str
    from cli.chainview import pool, price_history, require_subnet

    out = Output(json_out)
    n = _netuid(out, netuid)
    backend = _backend(network, chain_db, at_block)
    try:
        require_subnet(backend, n)
        now = amm.price_rao(pool(backend, n))
        block = backend.block_info().number
        points = [] if current else price_history(backend, n)
    finally:
        backend.close()
    points = [(b, p) for b, p in points if b <= block]  # --at-block: nothing after it
    if points and points[-1][0] != block:
        points.append((block, now))
    data = {"netuid": n, "block": block, "price_rao": now, "price": tao_str(now),
            "history": [{"block": b, "price_rao": p} for b, p in points]}

    def render(console) -> None:
        console.print(f"Subnet {n} price at block {block:,}: {tao_str(now)} τ per alpha")
        if len(points) < 2:
            if not current:
                console.print("(no price changes recorded yet)")
            return
        from cli.chart import print_chart

        print_chart(console, [b for b, _ in points], [p / 1e9 for _, p in points],  # display
                    width=min(64, max(console.width - 16, 20)), height=12,
                    title=f"Subnet {n} price (τ per alpha) by block (axis: its range)",
                    y_label="price",
                    x_label="block", y_format=lambda v: f"{v:.9f}",
                    x_format=lambda v: f"{int(v):,}")

    out.result(data, render)


# --- changes -----------------------------------------------------------------------------------


IdentityOpt = Annotated[str | None, typer.Option(show_default=False)]


@app.command("create")
@signed_command()
def create(
    subnet_name: Annotated[str | None, typer.Option("--subnet-name", "--name-subnet",
                                                    help="The subnet's name.",
                                                    show_default=False)] = None,
    github_repo: Annotated[str | None, typer.Option("--github-repo", "--repo",
                                                    show_default=False)] = None,
    subnet_contact: Annotated[str | None, typer.Option("--subnet-contact", "--contact",
                                                       show_default=False)] = None,
    subnet_url: Annotated[str | None, typer.Option("--subnet-url", "--url",
                                                   show_default=False)] = None,
    discord: Annotated[str | None, typer.Option("--discord-handle", "--discord",
                                                show_default=False)] = None,
    description: Annotated[str | None, typer.Option("--description",
                                                    show_default=False)] = None,
    logo_url: Annotated[str | None, typer.Option("--logo-url", show_default=False)] = None,
    additional: Annotated[str | None, typer.Option("--additional-info",
                                                   show_default=False)] = None,
    hotkey_ss58: HotkeySs58Opt = None,
    *,
    signing: Signing,
) -> None:
    """Register a new subnet, locking the current lock cost; the hotkey becomes its UID 0."""
    from chain.units import format_tao
    from cli.chainview import lock_cost, netuids

    out = signing.output()
    wallet, coldkey, coldkey_ss58, hotkey, hotkey_address = _wallet_keys(signing, hotkey_ss58)
    identity = {"subnet_name": subnet_name, "github_repo": github_repo,
                "subnet_contact": subnet_contact, "subnet_url": subnet_url, "discord": discord,
                "description": description, "logo_url": logo_url, "additional": additional}
    backend = signing.open()
    try:
        cost = lock_cost(backend)
        free = backend.read("System.Account", coldkey).free
        before = set(netuids(backend))
        if any(v is not None for v in identity.values()):
            name = "register_network_with_identity"
            args = {"hotkey": hotkey,
                    "identity": {k: (v or "") for k, v in identity.items()}}
        else:
            name, args = "register_network", {"hotkey": hotkey}
        queue = _registration_queue(backend, coldkey, name, args)
        summary = {"Lock cost": format_tao(cost), "Balance": format_tao(free),
                   "Owner coldkey": coldkey_ss58, "Owner hotkey (UID 0)": hotkey_address,
                   **_queue_summary(queue)}
        base = {"call": f"SubtensorModule.{name}", "lock_cost_rao": cost,
                "lock_cost": format_tao(cost), "coldkey": coldkey_ss58, "hotkey": hotkey_address,
                "free_balance_rao": free, "free_balance_after_rao": free, "netuid": None,
                **queue}
        result = _signed_call(out, backend, signing, wallet, coldkey, "SubtensorModule", name,
                              args, summary=summary, title="Create a subnet", doc=base)
        new = sorted(set(netuids(backend)) - before)
        after = backend.read("System.Account", coldkey).free
    finally:
        backend.close()
    events = {e["name"] for e in result["receipt"]["events"]}
    if "NetworkRegistrationQueued" not in events and "NetworkAdded" in events:
        queue = {**queue, "queued": False, "queue_position": None}
    data = {"call": f"SubtensorModule.{name}", "lock_cost_rao": cost, "lock_cost":
            format_tao(cost), "coldkey": coldkey_ss58, "hotkey": hotkey_address,
            "free_balance_rao": free, "free_balance_after_rao": after,
            "netuid": new[0] if new else None, **queue, **result}

    def render(console) -> None:
        if data["queued"]:
            console.print(f"[green]Subnet registration queued[/green] at position "
                          f"{data['queue_position']} (extrinsic "
                          f"{data['receipt']['extrinsic_id']}): {format_tao(free - after)} "
                          f"held in escrow; the subnet exists from block "
                          f"{data['exists_at_block']:,} (`taoctl chain advance 1` on the "
                          "sandbox), or the escrow is refunded if no netuid is free then.")
        else:
            console.print(f"[green]Created subnet {data['netuid']}[/green], locking "
                          f"{format_tao(free - after)} (extrinsic "
                          f"{data['receipt']['extrinsic_id']}). Start it with `taoctl subnet "
                          f"start --netuid {data['netuid']}`.")

    out.result(data, render)


# -- regqueue: the subnet registration queue (ECONOMICS-2026 §6.3) --------------------------------
def _registration_queue(backend: ChainBackend, coldkey: bytes, name: str, args: dict) -> dict:
    """Whether the registration would wait in the queue, where, and from which block the subnet
    exists, from the chain's dry run (a chain without the queue always creates at once)."""
    from chain.backend import Call
    from cli.pipeline import verdict

    result = verdict(backend, coldkey, Call("SubtensorModule", name, args)).result or {}
    queued = bool(result.get("queued"))
    return {"queued": queued, "queue_position": result.get("queue_position"),
            "exists_at_block": result.get("exists_at_block"),
            "pruned_netuid": result.get("pruned_netuid"),
            "escrow_account": result.get("escrow_account")}


def _queue_summary(queue: dict) -> dict:
    if not queue["queued"]:
        return {"Subnet exists": "at once"}
    rows = {"Queue position": f"{queue['queue_position']} (0 = next)",
            "Subnet exists": f"from block {queue['exists_at_block']:,} (the lock waits in "
                             "escrow; refunded if no netuid is free then)"}
    if queue["pruned_netuid"] is not None:
        rows["Pruned to make room"] = f"subnet {queue['pruned_netuid']}"
    return rows


@app.command("start")
@signed_command()
def start(
    netuid: NetuidOpt = None,
    *,
    signing: Signing,
) -> None:
    """Start a subnet's emission and open staking (start_call, by the owner coldkey)."""
    from cli.chainview import require_subnet
    from cli.stakeopts import coldkey_of
    from cli.walletopts import resolve_wallet

    out = signing.output()
    n = _netuid(out, netuid)
    wallet = resolve_wallet(signing.wallet_name, signing.wallet_path, None)
    coldkey, coldkey_ss58 = coldkey_of(wallet)
    backend = signing.open()
    try:
        require_subnet(backend, n)
        base = {"netuid": n, "call": "SubtensorModule.start_call",
                "first_emission_block": backend.read("SubtensorModule.FirstEmissionBlockNumber",
                                                     n),
                "subtoken_enabled": bool(backend.read("SubtensorModule.SubtokenEnabled", n))}
        result = _signed_call(out, backend, signing, wallet, coldkey, "SubtensorModule",
                              "start_call", {"netuid": n},
                              summary={"Netuid": n, "Owner coldkey": coldkey_ss58},
                              title="Start a subnet", doc=base)
        first = backend.read("SubtensorModule.FirstEmissionBlockNumber", n)
        enabled = bool(backend.read("SubtensorModule.SubtokenEnabled", n))
    finally:
        backend.close()
    data = {"netuid": n, "call": "SubtensorModule.start_call", "first_emission_block": first,
            "subtoken_enabled": enabled, **result}

    def render(console) -> None:
        if data["dry_run"]:
            console.print(f"Dry run: subnet {n} can be started (nothing signed).")
        else:
            console.print(f"[green]Started subnet {n}[/green]: emission from block {first}.")

    out.result(data, render)


@app.command("register")
@signed_command()
def register(
    netuid: NetuidOpt = None,
    tolerance: ToleranceOpt = None,
    safe: SafeOpt = True,
    max_burn: Annotated[str | None, typer.Option(
        "--max-burn", help="The most TAO to burn (register_limit's limit) instead of burn x "
        "(1 + tolerance).", show_default=False)] = None,
    hotkey_ss58: HotkeySs58Opt = None,
    *,
    signing: Signing,
) -> None:
    """Register the hotkey as a neuron by burning the registration price (register_limit by
    default: refused if the burn rose above burn x (1 + tolerance)); netuid 0 is root."""
    from chain.units import format_tao
    from cli.chainview import ROOT_NETUID, require_subnet, uid_of
    from cli.staking_view import parse_tolerance, pct_str

    out = signing.output()
    n = _netuid(out, netuid)
    tol = parse_tolerance(tolerance, selling=False, out=out)
    cap = None
    if max_burn is not None:
        from chain.units import parse_tao

        if not safe:
            from cli.errors import UsageError

            raise UsageError("--max-burn sets register_limit's limit: it cannot go with --unsafe")
        cap = parse_tao(max_burn, what="--max-burn")
    wallet, coldkey, coldkey_ss58, hotkey, hotkey_address = _wallet_keys(signing, hotkey_ss58)
    backend = signing.open()
    try:
        require_subnet(backend, n)
        burn = backend.read("SubtensorModule.Burn", n)
        free = backend.read("System.Account", coldkey).free
        limit = None
        if n == ROOT_NETUID:
            name, args = "root_register", {"hotkey": hotkey}
        elif safe:
            num, den = tol.as_integer_ratio()
            limit = burn * (den + num) // den if max_burn is None else cap
            name, args = "register_limit", {"netuid": n, "hotkey": hotkey, "limit_price": limit}
        else:
            name, args = "burned_register", {"netuid": n, "hotkey": hotkey}
        summary = {"Netuid": n, "Cost (burn)": format_tao(burn),
                   "Limit cost": "-" if limit is None else format_tao(limit) + (
                       f" (+{pct_str(tol)}%)" if cap is None else " (--max-burn)"),
                   "Balance": format_tao(free), "Hotkey": hotkey_address,
                   "Coldkey": coldkey_ss58}
        base = {"netuid": n, "call": f"SubtensorModule.{name}", "hotkey": hotkey_address,
                "coldkey": coldkey_ss58, "burn_rao": burn, "limit_price_rao": limit,
                "free_balance_rao": free, "free_balance_after_rao": free, "uid": None}
        result = _signed_call(out, backend, signing, wallet, coldkey, "SubtensorModule", name,
                              args, summary=summary, title="Register a neuron", doc=base)
        uid = uid_of(backend, n, hotkey)
        after = backend.read("System.Account", coldkey).free
    finally:
        backend.close()
    data = {"netuid": n, "call": f"SubtensorModule.{name}", "hotkey": hotkey_address,
            "coldkey": coldkey_ss58, "burn_rao": burn, "limit_price_rao": limit,
            "free_balance_rao": free, "free_balance_after_rao": after,
            "uid": None if result["dry_run"] else uid, **result}

    def render(console) -> None:
        if data["dry_run"]:
            console.print(f"Dry run: registering on subnet {n} would burn {format_tao(burn)} "
                          "(nothing signed).")
        else:
            console.print(f"[green]Registered[/green] {hotkey_address} on subnet {n} as UID "
                          f"{uid}, paying {format_tao(free - after)}.")

    out.result(data, render)

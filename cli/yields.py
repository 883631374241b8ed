"""`taoctl stake yields`: what 1,000 TAO staked through each validator earned per day.

From chain storage only (`ChainBackend.read`, so the sandbox, `taoctl node serve` and a real
node answer alike). For hotkey h on subnet n, the last epoch's `AlphaDividendsPerSubnet[n][h]`
is the pool growth of h's stakers *after* h's take (the take is credited to h's owner apart, as
`take / (1 - take)` of it). The stake it grew is `TotalHotkeyAlpha[h][n]` minus that growth and
minus the take's credit. So, per epoch, a staker's alpha grows by `dividends / stake_before`.

1,000 TAO buys `alpha_in = 1,000 TAO / spot price` (the pool's U64F64 spot, no slippage:
it is a rate, not a quote); per day that earns `alpha_in * dividends * epochs_per_day //
stake_before` alpha (epochs_per_day = 7,200 blocks // (tempo + 1)), valued in TAO at spot
(`ChainBackend.alpha_value`, i.e. `chain.rules.valuation`). The annualised figure is **simple**: TAO per day x 365 /
1,000 TAO, assuming the last epoch's dividends, the hotkey's stake and the price stay as they
are and nothing is compounded. All amounts are integer rao, floored.

Per subnet: the same over all its hotkeys (their dividends over their stakes).

`--epochs K` averages the per-day figures of the subnet's last K epochs (a hotkey absent from
one counts 0 there), each read from the chain as it was right after that epoch: storage holds
only the last epoch's record, so K > 1 reads past blocks (`ChainBackend.at`: the sandbox's
state history, a node's state at a block hash, which an archive node keeps); the epochs are
found by `BlocksSinceLastStep`. Where fewer than K are readable, the figure averages those
found and says so. The average alpha is valued at today's spot price.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chain.errors import StateNotKept
from cli.netopts import ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output

if TYPE_CHECKING:
    from chain.backend import ChainBackend

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

SM = "SubtensorModule"
TAO = 10**9
STAKE_RAO = 1_000 * TAO
BLOCKS_PER_DAY = 7_200
DAYS_PER_YEAR = 365
TAKE_ONE = 65_535  # takes are u16 fractions of 65535
ASSUMPTIONS = ("the epochs' average dividends repeat every epoch; the hotkey's stake and the "
               "alpha price stay as they are; simple rate, nothing compounded; 1,000 TAO "
               "valued at the spot price (no slippage)")


def stake_before(total_alpha: int, dividends: int, take: int) -> int:
    """The hotkey's stake before the epoch paid it: total minus the stakers' growth minus the
    owner's take credit (`dividends * take // (65535 - take)`, floored)."""
    credit = dividends * take // (TAKE_ONE - take) if take < TAKE_ONE else 0
    return max(total_alpha - dividends - credit, 0)


def per_day(alpha_in: int, dividends: int, base: int, tempo: int) -> int:
    """Alpha rao `alpha_in` staked earns per day: `alpha_in * dividends * epochs // base`."""
    if base <= 0:
        return 0
    return alpha_in * dividends * (BLOCKS_PER_DAY // (tempo + 1)) // base


def entry(backend: ChainBackend, netuid: int, pool, tempo: int, dividends: int,
          base: int) -> dict:
    """The yield figures of one (dividends, stake) pair on a subnet with this pool."""
    import amm

    price = amm.spot_price(pool)
    alpha_in = (STAKE_RAO << 64) // price if price else 0
    alpha_day = per_day(alpha_in, dividends, base, tempo)
    tao_day = backend.alpha_value(netuid, alpha_day)[0]
    return {"alpha_per_day_rao": alpha_day, "tao_per_day_rao": tao_day,
            "apr": tao_day * DAYS_PER_YEAR / STAKE_RAO,
            "epochs_per_day": BLOCKS_PER_DAY // (tempo + 1)}


def epoch_views(backend: ChainBackend, netuid: int, epochs: int) -> list[ChainBackend]:
    """The chain right after each of the subnet's last `epochs` epochs, newest first: each
    read at a past block (`ChainBackend.at`: the sandbox's kept history, a node's state at that
    block's hash). Fewer when the chain is younger or the older state is no longer kept (a
    pruned node: `StateDiscarded`); the caller says how many it found."""
    views = [backend]
    if epochs <= 1:
        return views
    info = backend.block_info()
    view, open_block = backend, info.number
    since = _since(view, netuid)
    while len(views) < epochs:
        before = open_block - since - 2  # the sealed block whose open successor preceded it
        if before < info.genesis_number:
            break
        try:
            view = backend.at(before)
            since = _since(view, netuid)
        except StateNotKept:  # only a discarded state ends the walk
            break
        views.append(view)
        open_block = before + 1
    return views


def _since(view: ChainBackend, netuid: int) -> int:
    return int(view.read(f"{SM}.BlocksSinceLastStep", netuid) or 0)


def averaged(backend: ChainBackend, netuid: int, epochs: int,
             names=None) -> tuple[list[dict], dict, int]:
    """`subnet_yields` averaged over the last `epochs` epochs: (rows, subnet, epochs used)."""
    views = epoch_views(backend, netuid, epochs)
    if len(views) == 1:
        rows, subnet = subnet_yields(backend, netuid, names)
        return rows, subnet, 1
    per = [subnet_yields(v, netuid, names) for v in views]
    k = len(per)
    rows_by: dict[str, dict] = {}
    for rows, _ in per:
        for r in rows:
            acc = rows_by.setdefault(r["hotkey"], {**r, "alpha_per_day_rao": 0,
                                                   "dividends_rao": 0})
            acc["alpha_per_day_rao"] += r["alpha_per_day_rao"]
            acc["dividends_rao"] += r["dividends_rao"]
    current = {r["hotkey"]: r for r in per[0][0]}
    out = []
    for hotkey, acc in rows_by.items():
        alpha_day = acc["alpha_per_day_rao"] // k
        now = current.get(hotkey, acc)
        out.append({**now, "dividends_rao": acc["dividends_rao"], "alpha_per_day_rao": alpha_day,
                    **_valued(backend, netuid, alpha_day)})
    out.sort(key=lambda r: (-r["tao_per_day_rao"], r["hotkey"]))
    for rank, r in enumerate(out, 1):
        r["subnet_rank"] = rank
    subnet = dict(per[0][1])
    subnet["alpha_per_day_rao"] = sum(s["alpha_per_day_rao"] for _, s in per) // k
    subnet["dividends_rao"] = sum(s["dividends_rao"] for _, s in per)
    subnet.update(_valued(backend, netuid, subnet["alpha_per_day_rao"]))
    return out, subnet, k


def _valued(backend: ChainBackend, netuid: int, alpha_day: int) -> dict:
    tao_day = backend.alpha_value(netuid, alpha_day)[0]
    return {"tao_per_day_rao": tao_day, "apr": tao_day * DAYS_PER_YEAR / STAKE_RAO}


def subnet_yields(backend: ChainBackend, netuid: int, names=None) -> tuple[list[dict], dict]:
    """Every hotkey of `netuid` with stake, ranked; and the subnet's own figure."""
    from wallet.ss58 import ss58_encode

    hotkeys = list(dict.fromkeys(_hotkey(r["hotkey"]) for r in backend.neurons(netuid)
                                 if r["hotkey"]))
    tempo = int(backend.read(f"{SM}.Tempo", netuid) or 0)
    pool = backend.pool(netuid)
    divs = backend.read_many(f"{SM}.AlphaDividendsPerSubnet", [(netuid, h) for h in hotkeys])
    totals = backend.read_many(f"{SM}.TotalHotkeyAlpha", [(h, netuid) for h in hotkeys])
    takes = backend.read_many(f"{SM}.Delegates", [(h,) for h in hotkeys])
    rows = []
    sum_div = sum_base = 0
    for h, d, total, take in zip(hotkeys, divs, totals, takes, strict=True):
        d, total, take = int(d or 0), int(total or 0), int(take or 0)
        base = stake_before(total, d, take)
        if base <= 0:
            continue
        sum_div += d
        sum_base += base
        address = ss58_encode(h)
        rows.append({"netuid": netuid, "hotkey": address,
                     "hotkey_name": names.name(address) if names else None,
                     "take": take / TAKE_ONE, "take_u16": take, "dividends_rao": d,
                     "stake_rao": base, **entry(backend, netuid, pool, tempo, d, base)})
    rows.sort(key=lambda r: (-r["tao_per_day_rao"], r["hotkey"]))
    for rank, r in enumerate(rows, 1):
        r["subnet_rank"] = rank
    subnet = {"netuid": netuid, "validators": len(rows), "dividends_rao": sum_div,
              "stake_rao": sum_base, **entry(backend, netuid, pool, tempo, sum_div, sum_base)}
    return rows, subnet


def _hotkey(value) -> bytes:
    """A neuron row's hotkey as 32 bytes (rows carry "0x" hex, ss58 or bytes)."""
    if isinstance(value, (bytes, bytearray)):
        return bytes(value)
    if value.startswith("0x"):
        return bytes.fromhex(value[2:])
    from cli.wallet_chain import decode_address

    return decode_address(value, what="a hotkey")


@app.command("yields")
def yields(
    netuid: Annotated[int | None, typer.Option("--netuid", help="One subnet (default: every "
                                               "subnet).", show_default=False)] = None,
    epochs: Annotated[int, typer.Option("--epochs", "-k", min=1, help="Average over the "
                                        "last K epochs (K > 1 reads past blocks: the sandbox's "
                                        "history or an archive node).")] = 1,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Rank validators by what 1,000 TAO staked through them earned per day (after take)."""
    from cli.chainview import netuids
    from cli.names import for_wallets
    from cli.netopts import open_backend

    out = Output(json_out)
    names = for_wallets(None)
    backend = open_backend(network, chain_db)
    try:
        existing = [n for n in netuids(backend) if n != 0]
        if netuid is not None and netuid not in existing:
            from cli.errors import UsageError

            raise UsageError(f"subnet {netuid} does not exist (or is root, which has no "
                             "alpha dividends)")
        block = backend.block_info().number
        validators, subnets = [], []
        for n in ([netuid] if netuid is not None else existing):
            rows, subnet, used = averaged(backend, n, epochs, names)
            subnet["epochs"] = used
            validators += rows
            subnets.append(subnet)
    finally:
        backend.close()
    short = [s["netuid"] for s in subnets if s["epochs"] < epochs]
    if short:
        out.warn(f"--epochs {epochs}: fewer epochs readable on subnet(s) "
                 f"{', '.join(map(str, short))} (a young chain, or older state no longer kept: "
                 "reading past epochs needs the sandbox's history or an archive node); each "
                 "subnet's `epochs` says how many were averaged")
    validators.sort(key=lambda r: (-r["tao_per_day_rao"], r["netuid"], r["hotkey"]))
    subnets.sort(key=lambda s: (-s["tao_per_day_rao"], s["netuid"]))
    for rank, r in enumerate(validators, 1):
        r["rank"] = rank
    data = {"network": backend.network, "block": block, "stake_rao": STAKE_RAO,
            "epochs": epochs, "assumptions": ASSUMPTIONS, "validators": validators,
            "subnets": subnets}
    out.result(data, lambda console: _render(console, data))


def _render(console, data: dict) -> None:
    from rich.table import Table

    from chain.units import format_alpha, format_tao

    console.print(f"What 1,000 TAO staked earned per day at block {data['block']:,} "
                  f"(average of the last {data['epochs']} epoch(s), after take). "
                  f"APR assumes: {data['assumptions']}.")
    table = Table(title="Validators", title_justify="left")
    for col in ("Rank", "Netuid", "Hotkey", "Take", "Alpha/day", "TAO/day", "APR"):
        table.add_column(col, justify="left" if col == "Hotkey" else "right", overflow="fold")
    for r in data["validators"]:
        table.add_row(str(r["rank"]), str(r["netuid"]), r["hotkey_name"] or r["hotkey"],
                      f"{r['take']:.2%}", format_alpha(r["alpha_per_day_rao"]),
                      format_tao(r["tao_per_day_rao"]), f"{r['apr']:.2%}")
    console.print(table)
    table = Table(title="Subnets", title_justify="left")
    for col in ("Netuid", "Validators", "Alpha/day", "TAO/day", "APR"):
        table.add_column(col, justify="right")
    for s in data["subnets"]:
        table.add_row(str(s["netuid"]), str(s["validators"]), format_alpha(s["alpha_per_day_rao"]),
                      format_tao(s["tao_per_day_rao"]), f"{s['apr']:.2%}")
    console.print(table)

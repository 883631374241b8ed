"""`taoctl chain ...`: the bundled sandbox chain -- init, status, advance, halving, check, fund.

Every command works on the chain file chosen by `--chain-db` / `TAOCTL_CHAIN_DB` (default
`~/.local/share/taoctl/sandbox.db`) and goes through `chain.local.backend.LocalBackend`, never
SQLite directly. Heavy imports (sqlite3, rich, sr25519) happen inside the commands.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Annotated

import typer

from chain.exitcodes import EXIT_USAGE
from chain.units import format_tao, parse_tao
from cli.netopts import ChainDbOpt, NetworkOpt, chain_path, open_sandbox_backend, require_sandbox
from cli.output import JsonOpt, NoPromptOpt, Output
from cli.pipeline import Signing, signed_command

if TYPE_CHECKING:
    from chain.backend import SandboxBackend

app = typer.Typer(help="The bundled sandbox chain: init, status, advance, check.",
                  no_args_is_help=True)

ADVANCE_CHUNK = 1_000_000  # blocks per committed transaction when hooks allow skipping
ADVANCE_CHUNK_EMITTING = 7_200  # with subnets emitting: a day per transaction (Ctrl-C keeps
#                                 every finished day; the bar moves inside each day)
ADVANCE_CHUNK_SLOW = 2_000  # blocks per transaction when every block runs its hooks
COARSE_STEPS = 32  # committed steps of a --coarse run (each: emission batches, one epoch round)
MIN_COARSE_STEP = 360  # blocks: a coarse step never merges less than a default tempo
MAX_ADVANCE = 1_000_000_000  # blocks per command: keeps every date within the calendar


class ChainUsageError(ValueError):
    """Bad options for a chain command."""

    name = "UsageError"
    exit_code = EXIT_USAGE


def iso_date(timestamp_ms: int) -> str:
    """A block timestamp as an ISO date in UTC, to the second (seconds since 1970 if beyond
    year 9999)."""
    try:
        return datetime.fromtimestamp(timestamp_ms // 1000, tz=timezone.utc).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError, OSError):
        return f"{timestamp_ms // 1000} s after 1970"


def _hex(data: bytes) -> str:
    return "0x" + bytes(data).hex()


@app.command("init")
def init(
    preset: Annotated[str, typer.Option("--preset", help="Genesis preset: dev or mainnet.")] = \
        "dev",
    force: Annotated[bool, typer.Option("--force", help="Replace an existing chain.")] = False,
    chain_db: ChainDbOpt = None,
    network: NetworkOpt = "sandbox",
    json_out: JsonOpt = False,
) -> None:
    """Create a new sandbox chain from a genesis preset."""
    from chain.factory import create_sandbox

    require_sandbox(network, "taoctl chain init")
    out = Output(json_out)
    path = chain_path(chain_db)
    create_sandbox(path, preset, force=force)
    backend = open_sandbox_backend(network, path, "taoctl chain init")
    try:
        data = _status(backend)
    finally:
        backend.close()

    def render(console) -> None:
        console.print(f"Created a [bold]{preset}[/bold] chain at {data['path']}")
        console.print(f"Genesis {data['genesis_hash']}, open block {data['block']:,} "
                      f"({data['date']}), issuance {format_tao(data['issuance_rao'])}")

    out.result(data, render)


def _ss58(public_key: bytes) -> str:
    from wallet.ss58 import ss58_encode

    return ss58_encode(public_key)


def _status(backend: SandboxBackend) -> dict:
    info = backend.block_info()
    halvings = backend.halvings()
    upcoming = [h for h in halvings["halvings"] if not h["past"]]
    counts = backend.counts()
    return {
        "network": "sandbox",
        "path": str(backend.path),
        "preset": backend.preset(),
        "genesis_hash": _hex(info.genesis_hash),
        "genesis_block": info.genesis_number,
        "block": info.number,
        "date": iso_date(info.timestamp_ms),
        "timestamp_ms": info.timestamp_ms,
        "head_block": info.head_number,
        "head_hash": _hex(info.head_hash),
        "issuance_rao": halvings["issuance_rao"],
        "issuance": format_tao(halvings["issuance_rao"]),
        "block_emission_rao": halvings["block_emission_rao"],
        "next_halving": upcoming[0] | {"date": iso_date(upcoming[0]["timestamp_ms"])}
        if upcoming else None,
        "accounts": counts["accounts"],
        "extrinsics": counts["extrinsics"],
        "block_author": _ss58(backend.block_author()),
        "emission_gate": backend.emission_gate(),  # issue 16: which subnets are above the bar
    }


@app.command("status")
def status(chain_db: ChainDbOpt = None, network: NetworkOpt = "sandbox",
           json_out: JsonOpt = False) -> None:
    """Where the chain file is, the open block and its date, issuance and emission."""
    out = Output(json_out)
    backend = open_sandbox_backend(network, chain_db, "taoctl chain status")
    try:
        data = _status(backend)
    finally:
        backend.close()

    def render(console) -> None:
        from rich.table import Table

        table = Table(show_header=False, box=None)
        nxt = data["next_halving"]
        rows = [
            ("Chain file", data["path"]),
            ("Preset", data["preset"]),
            ("Genesis hash", data["genesis_hash"]),
            ("Open block", f"{data['block']:,}  ({data['date']})"),
            ("Last sealed block", f"{data['head_block']:,}  {data['head_hash']}"),
            ("Total issuance", format_tao(data["issuance_rao"])),
            ("Emission per block", format_tao(data["block_emission_rao"])),
            ("Next halving", f"block {nxt['block']:,} ({nxt['date']}) at "
                             f"{format_tao(nxt['threshold_rao'], decimals=0)} issued"
             if nxt else "none (emission has ended)"),
            ("Accounts / extrinsics", f"{data['accounts']:,} / {data['extrinsics']:,}"),
        ]
        rows += _gate_rows(data["emission_gate"])
        for key, value in rows:
            table.add_row(f"[bold]{key}[/bold]", value)
        console.print(table)

    out.result(data, render)


def _gate_rows(gate: dict) -> list[tuple[str, str]]:
    """`chain status` rows for the emission gate (issue 16): the bar and the subnets at or
    above it (they receive about half or more of their price share; those below, much less)."""
    if not gate["above"] and not gate["below"]:
        return [("Emission gate", "no emitting subnets")]
    bar = f"{gate['bar_ppb'] / 1e7:.3f}% share" if gate["bar_ppb"] else "not yet computed"
    above = ", ".join(str(n) for n in gate["above"]) or "none"
    return [("Emission gate", f"rank {gate['rank']}, bar {bar}"),
            (f"Above the bar ({len(gate['above'])})", above),
            ("Below the bar", f"{len(gate['below'])} subnets"
                              + (f" ({len(gate['emission_disabled'])} emission-disabled)"
                                 if gate["emission_disabled"] else ""))]


@app.command("advance")
def advance(
    blocks: Annotated[int | None, typer.Argument(help="How many blocks to advance.",
                                                    show_default=False)] = None,
    to_block: Annotated[int | None, typer.Option("--to-block", help="Advance until this "
                                                    "block is the open block.")] = None,
    to_halving: Annotated[bool, typer.Option("--to-halving", help="Advance to the first block "
                                             "after the next halving.")] = False,
    block_by_block: Annotated[bool, typer.Option("--block-by-block", hidden=True)] = False,
    coarse: Annotated[bool, typer.Option(
        "--coarse", help="Fast-forward runs too long to compute block by block (years with "
        "subnets emitting): emission in closed-form batches, one merged epoch per subnet per "
        "step. Issuance, halvings and every ledger invariant stay exact; the path of prices "
        "and payouts is approximate.")] = False,
    chain_db: ChainDbOpt = None,
    network: NetworkOpt = "sandbox",
    json_out: JsonOpt = False,
) -> None:
    """Seal the open block and open more, running their start-of-block work (emission).

    Long runs show a progress bar; Ctrl-C stops cleanly at the last committed block.
    """
    out = Output(json_out)
    if sum(x is not None and x is not False for x in (blocks, to_block, to_halving)) != 1:
        raise ChainUsageError("give exactly one of: N (blocks), --to-block B, --to-halving")
    backend = open_sandbox_backend(network, chain_db, "taoctl chain advance")
    try:
        start = backend.block_info().number
        minted_before = backend.read("Taoctl.Minted") - backend.read("Taoctl.CoinbaseRecycled")
        epochs_before = _epoch_ledger(backend)
        if blocks is not None:
            count = blocks
        elif to_block is not None:
            count = to_block - start
        else:
            upcoming = [h for h in backend.halvings()["halvings"] if not h["past"]]
            if not upcoming:
                raise ChainUsageError("there is no next halving: emission has ended")
            count = upcoming[0]["block"] - start
        if count > MAX_ADVANCE:
            raise ChainUsageError(f"at most {MAX_ADVANCE:,} blocks per advance (about 380 years "
                                  "of 12 s blocks; emission ends long before)")
        if count < 1:
            raise ChainUsageError(
                f"nothing to advance: the open block is {start:,}" if to_block is not None
                else "the number of blocks must be at least 1")
        if block_by_block and coarse:
            raise ChainUsageError("--coarse and --block-by-block exclude each other")
        emitting = backend.plan_advance(count, coarse=coarse)
        done, interrupted = 0, False
        chunk = ADVANCE_CHUNK_SLOW if block_by_block else \
            ADVANCE_CHUNK_EMITTING if emitting else ADVANCE_CHUNK
        if coarse:  # each committed chunk is one coarse step: emission batches, then epochs
            chunk = max(-(-count // COARSE_STEPS), MIN_COARSE_STEP)
        t0 = time.perf_counter()
        with out.progress("Advancing", count) as progress:
            reported = 0  # blocks a run reported from inside (emitting subnets)

            def report(n: int) -> None:
                nonlocal reported
                reported += n
                progress(n)

            try:
                while done < count:
                    step = min(chunk, count - done)
                    started, before = time.perf_counter(), reported
                    backend.advance(step, block_by_block=block_by_block, coarse=coarse,
                                    on_progress=report)
                    done += step
                    progress(step - (reported - before))
                    if not coarse and not emitting and time.perf_counter() - started < 0.1:
                        chunk = min(chunk * 4, MAX_ADVANCE)  # cheap chunks: commit less often
            except KeyboardInterrupt:
                interrupted = True
        elapsed = time.perf_counter() - t0
        info = backend.block_info()
        issuance_after = backend.read("Balances.TotalIssuance")
        minted = backend.read("Taoctl.Minted") - backend.read("Taoctl.CoinbaseRecycled") - \
            minted_before
        epochs_after = _epoch_ledger(backend)
        emission = backend.block_emission()
        crossed = [h | {"date": iso_date(h["timestamp_ms"])}
                   for h in backend.halvings()["halvings"]
                   if h["past"] and start < h["block"] <= info.number]
    finally:
        backend.close()
    data = {
        "blocks_advanced": info.number - start, "requested": count, "interrupted": interrupted,
        "from_block": start, "block": info.number, "date": iso_date(info.timestamp_ms),
        "timestamp_ms": info.timestamp_ms, "head_hash": _hex(info.head_hash),
        "issuance_rao": issuance_after, "issuance": format_tao(issuance_after),
        "emission_paid_rao": minted, "block_emission_rao": emission, "halvings": crossed,
        "epochs_fired": epochs_after[0] - epochs_before[0],
        "emission_paid_alpha_rao": sum(epochs_after[1].values()) - sum(epochs_before[1].values()),
        "epoch_paid_by_subnet": {str(n): paid - epochs_before[1].get(n, 0)
                                 for n, paid in epochs_after[1].items()
                                 if paid != epochs_before[1].get(n, 0)},
        "mode": "coarse" if coarse else "exact",
        "seconds": round(elapsed, 3),
    }

    def render(console) -> None:
        verb = "Interrupted after" if interrupted else "Advanced"
        console.print(f"{verb} {data['blocks_advanced']:,} blocks: open block {info.number:,} "
                      f"({data['date']})")
        console.print(f"Issuance {format_tao(issuance_after)} "
                      f"(+{format_tao(data['emission_paid_rao'])}), emission now "
                      f"{format_tao(emission)} per block")
        if data["epochs_fired"]:
            _render_epochs(console, data)
        for h in crossed:
            console.print(f"Halving {h['k']} at block {h['block']:,} ({h['date']}): emission "
                          f"{format_tao(h['emission_before_rao'])} -> "
                          f"{format_tao(h['emission_after_rao'])}")

    out.result(data, render)
    if interrupted:
        raise typer.Exit(130)


EPOCH_LIST_LIMIT = 12


def _render_epochs(console, data: dict) -> None:
    """The epochs line, then the alpha each subnet's epochs paid, in columns across the
    terminal: the largest EPOCH_LIST_LIMIT and "… and K more" (a mainnet-shaped chain has 128
    subnets; the JSON keeps every one)."""
    from rich.columns import Columns

    from chain.units import format_alpha
    from cli.output import summarised

    console.print(f"Epochs fired: {data['epochs_fired']:,}, paying "
                  f"{format_alpha(data['emission_paid_alpha_rao'], decimals=4)} into stake")
    shown, more = summarised([(f"[bold]SN{n}[/] {format_alpha(v, decimals=4)}", v)
                              for n, v in data["epoch_paid_by_subnet"].items() if v],
                             EPOCH_LIST_LIMIT)
    if more:
        shown.append(f"… and {more} more (--json lists every subnet)")
    if shown:
        console.print(Columns(shown, padding=(0, 3)))


def _epoch_ledger(backend) -> tuple[int, dict[int, int]]:
    """(epochs run so far, alpha paid by epochs per netuid): taoctl's part-3 ledgers."""
    from cli.chainview import netuids

    subnets = [n for n in netuids(backend) if n != 0]
    paid = backend.read_many("Taoctl.EpochPaid", [(n,) for n in subnets])
    return backend.read("Taoctl.EpochsRun"), dict(zip(subnets, paid, strict=True))


# -- state history (histfees) ------------------------------------------------------------------
@app.command("history")
def history_cmd(keep: Annotated[int | None, typer.Option(
        "--keep", min=1, help="Keep the state of the last N blocks (default 216,000: 30 days)")]
        = None, chain_db: ChainDbOpt = None, network: NetworkOpt = "sandbox",
        json_out: JsonOpt = False) -> None:
    """The state history the bundled chain keeps: reads at any of the last N blocks (the node's
    block-hash reads) answer that block's state; older ones are refused."""
    out = Output(json_out)
    backend = open_sandbox_backend(network, chain_db, "taoctl chain history")
    try:
        data = backend.set_history_retention(keep) if keep else backend.history_retention()
    finally:
        backend.close()

    def render(console) -> None:
        console.print(f"State history: the last {data['keep']:,} blocks are kept; blocks "
                      f"{data['oldest']:,}..{data['head']:,} can be read now.")

    out.result(data, render)


@app.command("halving")
def halving(chain_db: ChainDbOpt = None, network: NetworkOpt = "sandbox",
            json_out: JsonOpt = False) -> None:
    """Past and next halvings: issuance threshold, block, date, emission before and after."""
    out = Output(json_out)
    backend = open_sandbox_backend(network, chain_db, "taoctl chain halving")
    try:
        data = backend.halvings()
    finally:
        backend.close()
    for row in data["halvings"]:
        row["date"] = iso_date(row["timestamp_ms"])
    shown = [r for r in data["halvings"] if r["past"]] + \
        [r for r in data["halvings"] if not r["past"]][:4]

    def render(console) -> None:
        from rich.table import Table

        table = Table(title=f"Halvings (open block {data['block']:,}, issuance "
                            f"{format_tao(data['issuance_rao'], decimals=2)})")
        for col in ("#", "Issuance threshold", "Block", "Date (UTC)", "Emission before",
                    "Emission after", ""):
            table.add_column(col, justify="right" if col not in ("", "Date (UTC)") else "left")
        for r in shown:
            table.add_row(str(r["k"]), format_tao(r["threshold_rao"], decimals=0),
                          f"{r['block']:,}", r["date"][:10],
                          format_tao(r["emission_before_rao"]),
                          format_tao(r["emission_after_rao"]),
                          "past" if r["past"] else "predicted")
        console.print(table)

    out.result(data, render)


@app.command("check")
def check(chain_db: ChainDbOpt = None, network: NetworkOpt = "sandbox",
          json_out: JsonOpt = False) -> None:
    """Verify the chain's invariants; exits 1 with a report if any fails."""
    out = Output(json_out)
    backend = open_sandbox_backend(network, chain_db, "taoctl chain check")
    try:
        failures = backend.check()
        block = backend.block_info().number
    finally:
        backend.close()
    ok = not any(failures.values())
    data = {"ok": ok, "block": block,
            "checks": {name: {"ok": not fails, "failures": fails}
                       for name, fails in failures.items()}}

    def render(console) -> None:
        for name, fails in failures.items():
            mark = "[green]ok[/green]" if not fails else "[red]FAILED[/red]"
            console.print(f"{mark:>24}  {name.replace('_', ' ')}")
            for line in fails:
                console.print(f"            {line}")
        console.print("All invariants hold." if ok else "[red]Invariants failed.[/red]")

    out.result(data, render)
    if not ok:
        raise typer.Exit(1)


@app.command("fund")
@signed_command(wallet=False)
def fund(
    address: Annotated[str, typer.Argument(help="ss58 address to fund.")],
    amount: Annotated[str, typer.Argument(help="TAO to send, e.g. 100 or 0.5.")],
    *,
    signing: Signing,
) -> None:
    """Dev preset only: send play TAO to an address with a signed transfer from //Alice.

    It asks nothing (play money), so -y is accepted only for scripts that pass it everywhere."""
    from cli.wallet_chain import decode_address, run_transfer

    out = signing.output()
    dest = decode_address(address, what="ADDRESS")
    value = parse_tao(amount)
    backend = open_sandbox_backend(signing.network, signing.chain_db, "taoctl chain fund")
    try:
        if backend.preset() != "dev":
            raise ChainUsageError(f"chain fund works on the dev preset only (this chain is "
                                  f"{backend.preset()!r}); use `taoctl wallet transfer`")
        alice = backend.dev_signer("Alice")
        data = run_transfer(out, backend, bytes(alice.public_key), dest, value, keep_alive=True,
                            transfer_all=False, dry_run=signing.dry_run, unlock=lambda: alice,
                            confirm=False)
    finally:
        backend.close()
    if data is None:
        return

    def render(console) -> None:
        console.print(f"Funded {address} with {format_tao(value)} from //Alice in block "
                      f"{data['receipt']['extrinsic_id']}; balance now "
                      f"{format_tao(data['dest_balance_after_rao'])}")

    out.result(data, render)

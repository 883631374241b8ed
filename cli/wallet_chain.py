"""`taoctl wallet balance` and `taoctl wallet transfer`: TAO balances and signed transfers.

Merged into the `wallet` group with `cli/wallet.py`. Balances are read through the backend
contract (`free_balance`, `stake_info`); a transfer goes through `cli.pipeline`: the chain's
verdict on the very call that will be submitted is part of its quote (a refusal -- too little
balance, the existential deposit -- exits 4 with nothing signed; `--dry-run` prints the quote
with it), confirmed with a table unless -y, signed with the unlocked coldkey and submitted; the
receipt is shown. `chain fund` uses the same steps from //Alice.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from chain.exitcodes import EXIT_USAGE, EXIT_WALLET
from chain.units import format_tao, parse_tao
from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt, open_backend
from cli.output import JsonOpt, Output
from cli.pipeline import Signing, chain_refusal, signed_command
from cli.walletopts import HotkeyOpt, WalletNameOpt, WalletPathOpt, resolve_wallet

if TYPE_CHECKING:  # pragma: no cover
    from chain.backend import ChainBackend, Signer

app = typer.Typer()


class NothingToTransfer(ValueError):
    """A transfer that would move nothing (taoctl's check, not the chain's): a usage error."""

    name = "NothingToTransfer"
    exit_code = EXIT_USAGE

    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.name = error


class AddressError(ValueError):
    name = "InvalidAddress"
    exit_code = EXIT_USAGE


def decode_address(text: str, *, what: str = "address") -> bytes:
    """An ss58 address (or 0x-hex public key) as 32 bytes; one-line error otherwise."""
    text = (text or "").strip()
    if text.startswith("0x") and len(text) == 66:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            pass
    from wallet.ss58 import ss58_decode

    try:
        return ss58_decode(text)
    except Exception as exc:  # noqa: BLE001 - any decoding failure is the user's input
        raise AddressError(f"{what} {text!r} is not a valid ss58 address: {exc}") from None


def ss58(public_key: bytes) -> str:
    from wallet.ss58 import ss58_encode

    return ss58_encode(public_key)


def _free(backend: ChainBackend, account: bytes) -> int:
    return backend.free_balance(account)


def _staked(backend: ChainBackend, coldkey: bytes) -> dict:
    """The coldkey's stake valued as every view values it (`chain.rules.valuation`): total
    spot value and total exit value (rao)."""
    from cli.staking_view import totals

    return totals(backend.stake_info(coldkey))


def _call_for(dest: bytes, value: int, keep_alive: bool, transfer_all: bool) -> tuple[str, dict]:
    if transfer_all:
        return "transfer_all", {"dest": dest, "keep_alive": keep_alive}
    name = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
    return name, {"dest": dest, "value": value}


def preview_transfer(backend, source: bytes, dest: bytes, value: int, *, keep_alive: bool,
                     transfer_all: bool) -> dict:
    """Dry-run the transfer and describe it; raises the chain's typed refusal (`chain.errors`)
    if the chain would refuse."""
    from chain.backend import Call

    if source == dest:
        raise NothingToTransfer("SameAccount", "the destination is the sending account")
    name, args = _call_for(dest, value, keep_alive, transfer_all)
    source_free, dest_free = _free(backend, source), _free(backend, dest)
    call = Call("Balances", name, args)
    fee = backend.estimate_fee(source, call)  # paid before the transfer, whatever its outcome
    verdict = backend.quote_call(source, call)
    if not verdict.success:
        error = verdict.error or "DispatchError"
        raise chain_refusal(error, verdict.message or error)
    events = verdict.events
    moved = sum(e["args"]["amount"] for e in events
                if e["pallet"] == "Balances" and e["name"] == "Transfer")
    if moved == 0:
        raise NothingToTransfer("NothingToTransfer", "nothing to transfer: the amount is zero "
                              "(or the whole balance is the existential deposit)")
    dust = sum(e["args"]["amount"] for e in events
               if e["pallet"] == "Balances" and e["name"] == "DustLost")
    return {"call": f"Balances.{name}", "from": ss58(source), "to": ss58(dest),
            "amount_rao": moved, "amount": format_tao(moved), "fee_rao": fee, "fee_payer": "tao",
            "source_balance_rao": source_free, "dest_balance_rao": dest_free,
            "source_balance_after_rao": source_free - fee - moved - dust,
            "dest_balance_after_rao": dest_free + moved, "reaped": any(
                e["name"] == "KilledAccount" for e in events), "dust_recycled_rao": dust}


def quote_transfer(backend: ChainBackend, source: bytes, dest: bytes, value: int, *,
                   keep_alive: bool, transfer_all: bool) -> dict:
    """The whole quote, the refusal included: what a dry run shows."""
    from chain.errors import DispatchError
    from cli.pipeline import refusal

    try:
        quote = preview_transfer(backend, source, dest, value, keep_alive=keep_alive,
                                 transfer_all=transfer_all)
        quote["refusal"] = None
    except DispatchError as exc:  # the chain's typed refusal
        from chain.backend import Call

        free = _free(backend, source)
        name, args = _call_for(dest, value, keep_alive, transfer_all)
        fee = backend.estimate_fee(source, Call("Balances", name, args))
        largest = max(free - fee - backend.existential_deposit(), 0) if keep_alive else \
            max(free - fee, 0)
        quote = {"call": f"Balances.{name}", "from": ss58(source), "to": ss58(dest),
                 "amount_rao": value, "amount": format_tao(value), "fee_rao": fee,
                 "fee_payer": "tao",
                 "source_balance_rao": free, "dest_balance_rao": _free(backend, dest),
                 "refusal": refusal(exc.name, str(exc), largest)}
    return quote


class UnsupportedKeyType(Exception):
    """The coldkey is not sr25519, the only signature type taoctl submits."""

    name = "UnsupportedKeyType"
    exit_code = EXIT_WALLET


def as_signer(keypair: Any) -> Signer:
    """A wallet Keypair as the chain's Signer (public key + sr25519 signing)."""
    from chain.factory import keypair_signer

    if getattr(keypair, "crypto_type", 1) != 1:  # substrate-interface: 1 == sr25519
        raise UnsupportedKeyType("this coldkey is not sr25519; taoctl signs extrinsics with "
                                 "sr25519 keys only")
    return keypair_signer(keypair)


@app.command("balance")
def balance(
    ss58_addresses: Annotated[list[str] | None, typer.Option(
        "--ss58", "--ss58-address", help="Address to show (repeatable); default: the wallet's "
        "coldkey.", show_default=False)] = None,
    all_wallets: Annotated[bool, typer.Option("--all", "-a", help="Every wallet under the "
                                              "wallet path.")] = False,
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    wallet_hotkey: HotkeyOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Free, staked and total TAO of the wallet's coldkey, of every wallet (--all) or of
    --ss58 addresses."""
    out = Output(json_out)
    targets: list[tuple[str | None, str, bytes]]
    if ss58_addresses:
        from cli.names import for_wallets

        names = for_wallets(wallet_path)  # an address of one of our wallets shows its name
        targets = [(names.name(a), a, decode_address(a, what="--ss58")) for a in ss58_addresses]
    elif all_wallets:
        from wallet.listing import list_wallets

        path = resolve_wallet(wallet_name, wallet_path, wallet_hotkey).path
        targets = [(w["name"], w["ss58_address"], decode_address(w["ss58_address"]))
                   for w in list_wallets(path, coldkeys_only=True) if w.get("ss58_address")]
        if not targets:
            raise AddressError(f"no wallet with a readable coldkey under {path}")
    else:
        wallet = resolve_wallet(wallet_name, wallet_path, wallet_hotkey)
        address = wallet.coldkeypub_ss58
        targets = [(wallet.name, address, decode_address(address))]
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        block = backend.block_info().number
        infos = backend.read_many("System.Account", [(key,) for _, _, key in targets])
        staked = [_staked(backend, key) for _, _, key in targets]
    finally:
        backend.close()
    rows = []
    for (name, address, _), info, stake in zip(targets, infos, staked, strict=True):
        spot, exit_ = stake["total_spot_value_rao"], stake["total_exit_value_rao"]
        total = info.free + spot
        rows.append({"wallet": name, "ss58": address, "free_rao": info.free,
                     "staked_rao": spot, "staked_spot_value_rao": spot,
                     "staked_exit_value_rao": exit_, "total_rao": total,
                     "total_exit_rao": info.free + exit_, "free": format_tao(info.free),
                     "total": format_tao(total)})
    data = {"network": backend.network, "block": block, "balances": rows,
            "total_free_rao": sum(r["free_rao"] for r in rows),
            "total_staked_spot_value_rao": sum(r["staked_spot_value_rao"] for r in rows),
            "total_staked_exit_value_rao": sum(r["staked_exit_value_rao"] for r in rows),
            "total_rao": sum(r["total_rao"] for r in rows)}

    def render(console) -> None:
        from rich.table import Table

        def amount(rao: int | None) -> str:
            return "n/a" if rao is None else format_tao(rao)

        table = Table(title=f"Balances at block {block:,}")
        money = ("Free", "Staked (spot value)", "Staked (exit value)", "Total (spot)")
        for col in ("Wallet", "Coldkey", *money):
            table.add_column(col, justify="right" if col in money else "left",
                             overflow="fold")
        for r in rows:
            table.add_row(r["wallet"] or "", r["ss58"], amount(r["free_rao"]),
                          amount(r["staked_spot_value_rao"]),
                          amount(r["staked_exit_value_rao"]), amount(r["total_rao"]))
        console.print(table)
        console.print("Spot value: the alpha at the pools' prices; exit value: what unstaking "
                      "each position now pays (fee and slippage taken).")

    out.result(data, render)


def _register_overview() -> None:
    """`wallet overview` lives in `cli.overview` (light at import: its reads load inside)."""
    from cli.overview import overview

    app.command("overview")(overview)


_register_overview()


@app.command("transfer")
@signed_command()
def transfer(
    dest: Annotated[str | None, typer.Option("--dest", "-d", "--destination",
                                                help="ss58 address to send to.",
                                                show_default=False)] = None,
    amount: Annotated[str | None, typer.Option("--amount", "-a", help="TAO to send.",
                                                  show_default=False)] = None,
    transfer_all: Annotated[bool, typer.Option("--all", help="Send the whole balance "
                                               "(keeping the existential deposit unless "
                                               "--allow-death).")] = False,
    allow_death: Annotated[bool, typer.Option("--allow-death", help="Allow the sending account "
                                              "to fall below the existential deposit and be "
                                              "reaped.")] = False,
    *,
    signing: Signing,
) -> None:
    """Send TAO from the wallet's coldkey: a confirmation table, then a signed transfer."""
    out = signing.output()
    if dest is None:
        dest = out.prompt("Destination ss58 address", what="--dest")
    dest_key = decode_address(dest, what="--dest")
    if transfer_all and amount is not None:
        from cli.errors import UsageError

        raise UsageError("give either --amount or --all, not both")
    value = 0
    if not transfer_all:
        if amount is None:
            amount = out.prompt("Amount of TAO to send", what="--amount")
        value = parse_tao(amount)
    wallet = signing.wallet()
    source = decode_address(wallet.coldkeypub_ss58)
    backend = signing.open()
    try:
        data = run_transfer(out, backend, source, dest_key, value, keep_alive=not allow_death,
                            transfer_all=transfer_all, dry_run=signing.dry_run,
                            unlock=lambda: signing.coldkey_signer(out, wallet, source))
    finally:
        backend.close()
    if data is None:
        return

    def render(console) -> None:
        receipt = data["receipt"]
        console.print(f"[green]Transferred {format_tao(data['amount_rao'])}[/green] to "
                      f"{data['to']} in extrinsic {receipt['extrinsic_id']} "
                      f"({receipt['extrinsic_hash'][:18]}...)")
        console.print(f"Balance: {format_tao(data['source_balance_rao'])} -> "
                      f"{format_tao(data['source_balance_after_rao'])}")

    out.result(data, render)


def run_transfer(out: Output, backend: ChainBackend, source: bytes, dest: bytes, value: int, *,
                 keep_alive: bool, transfer_all: bool, dry_run: bool, unlock,
                 confirm: bool = True) -> dict | None:
    """A transfer through the pipeline: quote, show, confirm, sign, submit; the preview plus
    the receipt and the balances after (None after a dry run, which printed the quote)."""
    from chain.backend import Call
    from cli.pipeline import run

    quote = quote_transfer(backend, source, dest, value, keep_alive=keep_alive,
                           transfer_all=transfer_all)
    name, args = _call_for(dest, value, keep_alive, transfer_all)
    executed = run(out, backend, title="this transfer", doc={"quote": quote},
                   render=lambda console: _render_quote(console, quote, dry_run),
                   calls=[Call("Balances", name, args)], unlock=unlock, dry_run=dry_run,
                   confirm=confirm)
    if dry_run:
        return None
    return {k: v for k, v in quote.items() if k != "refusal"} | {
        "receipt": executed[0]["receipt"], "source_balance_after_rao": _free(backend, source),
        "dest_balance_after_rao": _free(backend, dest)}


def _render_quote(console, quote: dict, dry_run: bool = True) -> None:
    """The transfer's table (what the confirmation shows), with the chain's verdict."""
    from rich.table import Table

    from cli.feeview import fee_text

    title = "Transfer (transferring is not the same as staking)" + \
        (" -- dry run: nothing signed" if dry_run else "")
    table = Table(title=title, show_header=False)
    table.add_column(style="bold")
    table.add_column()
    rows = [("From", quote["from"]), ("To", quote["to"]),
            ("Amount", format_tao(quote["amount_rao"])), ("Fee", fee_text(quote))]
    if "source_balance_after_rao" in quote:
        rows.append(("Balance after", format_tao(quote["source_balance_after_rao"])))
    rows.append(("Call", quote["call"]))
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)
    if quote.get("reaped"):
        console.print("[yellow]Warning:[/yellow] the sending account will be reaped (it falls "
                      "below the existential deposit)")
    if quote["refusal"]:
        r = quote["refusal"]
        console.print(f"[red]The chain would refuse this ({r['error']}):[/red] {r['why']}; "
                      f"the most that passes is {format_tao(r['largest_passing_rao'])}")

"""`taoctl proxy add|remove|list`: the Proxy pallet's accounts that may act for a coldkey.

`add DELEGATE TYPE` lets DELEGATE sign for the wallet's coldkey within TYPE's filter (Staking:
the stake trades; Transfer; NonTransfer; Any; ...), holding the deposit ProxyDepositBase +
ProxyDepositFactor per proxy; `remove` undoes exactly one (delegate, type and delay must match)
and releases its share of the deposit; `list [ADDRESS]` shows an account's proxies. The signed
two go through the one pipeline (`cli.pipeline`: quote, dry run, confirm, sign, receipt). The
delegate then acts with `--proxy-for <coldkey>` on any signed command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.netopts import ChainDbOpt, NetworkOpt
from cli.output import JsonOpt
from cli.pipeline import Signing, signed_command
from cli.walletopts import WalletNameOpt, WalletPathOpt

app = typer.Typer(help="Proxies: let another account stake (or transfer) for a coldkey.",
                  no_args_is_help=True)

DelegateArg = Annotated[str, typer.Argument(help="The proxy's address (ss58).",
                                            show_default=False)]
TypeArg = Annotated[str, typer.Argument(
    help="The proxy type: Staking, Transfer, SmallTransfer, NonTransfer, Registration, "
    "ChildKeys, NonCritical, Owner, Any, ...", show_default=False)]
DelayOpt = Annotated[int, typer.Option("--delay", help="Blocks the proxy must announce a call "
                                       "ahead (0: acts at once).")]


def _change(name: str, delegate: str, proxy_type: str, delay: int, signing: Signing) -> None:
    from chain.backend import Call
    from chain.factory import proxy_types
    from chain.units import format_tao
    from cli.feeview import fee_text
    from cli.errors import UsageError
    from cli.pipeline import call_quote, run
    from cli.stakeopts import decode_ss58

    if proxy_type not in proxy_types():
        raise UsageError(f"not a proxy type: {proxy_type!r} (one of {', '.join(proxy_types())})")
    if not 0 <= delay < 2**32:
        raise UsageError("--delay: a block count from 0 to 4294967295")
    out = signing.output()
    delegate_key = decode_ss58(delegate, "the delegate")
    wallet = signing.wallet()
    origin = decode_ss58(wallet.coldkeypub_ss58, "the wallet's coldkey")
    backend = signing.open()
    try:
        call = Call("Proxy", name, {"delegate": delegate_key, "proxy_type": proxy_type,
                                    "delay": delay})
        quote = call_quote(backend, origin, call)
        result = (quote["chain"] or {}).get("result") or {}
        doc = {"account": wallet.coldkeypub_ss58, "delegate": delegate, "proxy_type": proxy_type,
               "delay": delay, "quote": quote}

        def render(console) -> None:
            verb = "Add" if name == "add_proxy" else "Remove"
            console.print(f"{verb} proxy {delegate} ({proxy_type}, delay {delay}) for "
                          f"{wallet.coldkeypub_ss58}; fee {fee_text(quote)}")
            if "deposit_rao" in result:
                console.print(f"Deposit held after: {format_tao(result['deposit_rao'])}")
            if quote["refusal"]:
                r = quote["refusal"]
                console.print(f"[red]The chain would refuse this ({r['error']}):[/red] {r['why']}")

        executed = run(out, backend, title=f"Proxy.{name}", doc=doc, render=render,
                       calls=[call], unlock=lambda: signing.coldkey_signer(out, wallet, origin),
                       dry_run=signing.dry_run)
        if signing.dry_run:
            return
        doc["receipt"] = executed[0]["receipt"]
        doc["proxies"] = _listing(backend, origin)
    finally:
        backend.close()
    out.result(doc, lambda console: console.print(
        f"[green]Done[/green] in extrinsic {doc['receipt']['extrinsic_id']}; "
        f"{len(doc['proxies']['proxies'])} prox{'y' if len(doc['proxies']['proxies']) == 1 else 'ies'} now"))


@app.command("add")
@signed_command()
def add(delegate: DelegateArg, kind: TypeArg, delay: DelayOpt = 0, *,
        signing: Signing) -> None:
    """Let DELEGATE act for the wallet's coldkey within KIND's filter (Proxy.add_proxy)."""
    _change("add_proxy", delegate, kind, delay, signing)


@app.command("remove")
@signed_command()
def remove(delegate: DelegateArg, kind: TypeArg, delay: DelayOpt = 0, *,
           signing: Signing) -> None:
    """Remove one proxy of the wallet's coldkey (Proxy.remove_proxy)."""
    _change("remove_proxy", delegate, kind, delay, signing)


def _listing(backend, account: bytes) -> dict:
    from cli.wallet_chain import ss58

    try:
        definitions, deposit = backend.read("Proxy.Proxies", account)
    except Exception:  # noqa: BLE001 - a runtime without the Proxy pallet has no proxies
        definitions, deposit = [], 0
    return {"account": ss58(account), "deposit_rao": deposit,
            "proxies": [{"delegate": ss58(bytes.fromhex(d["delegate"][2:])),
                         "proxy_type": d["proxy_type"], "delay": d["delay"]}
                        for d in definitions]}


@app.command("list")
def list_(
    address: Annotated[str | None, typer.Argument(help="The account (ss58) [default: the "
                                                  "wallet's coldkey].", show_default=False)]
    = None,
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The proxies an account has: who may act for it, of which type, with what delay."""
    from chain.units import format_tao
    from cli.netopts import open_backend
    from cli.output import Output
    from cli.stakeopts import decode_ss58
    from cli.walletopts import resolve_wallet

    out = Output(json_out, True)
    if address is None:
        address = resolve_wallet(wallet_name, wallet_path, None).coldkeypub_ss58
    account = decode_ss58(address, "the account")
    backend = open_backend(network, chain_db)
    try:
        doc = _listing(backend, account)
    finally:
        backend.close()

    def render(console) -> None:
        if not doc["proxies"]:
            console.print(f"{doc['account']} has no proxies")
            return
        console.print(f"Proxies of {doc['account']} (deposit {format_tao(doc['deposit_rao'])}):")
        for p in doc["proxies"]:
            console.print(f"  {p['delegate']}  {p['proxy_type']}  delay {p['delay']}")

    out.result(doc, render)

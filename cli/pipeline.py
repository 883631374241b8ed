"""The steps every signed operation shares: resolve -> build -> quote -> render -> confirm ->
sign -> submit -> receipt, the refusal as part of the quote, and one bundle of options.

`@signed_command()` gives a command the bundle (`Signing`): --wallet-name, --wallet-path,
--hotkey, --password-file, --password-stdin, --network, --chain-db, --period, --dry-run, -y
and --json, declared here once. `run` is the sequence after the quote: a dry run prints the
whole quote and stops; otherwise a refusal stops before signing, the quote is shown on stderr
and confirmed (unless -y), the key is unlocked (only now: a dry run never asks a password),
each call is signed, submitted and its receipt awaited.

A dry run always prints the whole quote; when the chain would refuse, the quote carries the
refusal (`{"error", "why", "largest_passing_rao"}`: subtensor's error name, its message, and
the largest amount that would pass within the tolerance where one can be said) and the command
exits 4 after printing it. Without --dry-run a refusal stops before signing with the chain's
error (exit 4); a call the chain includes but fails is the same error, from the receipt.
--proxy-for ADDRESS [--proxy-type T] (every command signed by a coldkey): the wallet's coldkey
acts as a proxy of ADDRESS. The command reads and quotes for ADDRESS (`Signing.wallet` gives
a wallet whose coldkeypub is ADDRESS); `submit` wraps each call in `Proxy.proxy(real,
force_proxy_type, call)`, signed and paid by the proxy; the dry run shows the wrapped call, who
pays the fee and whether the chain's Proxies list allows it; the receipt is the inner call's
outcome from `ProxyExecuted` (an included proxy whose inner call failed exits 4 and says so).
Light module: stdlib and typer only at import.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from chain.exitcodes import EXIT_REFUSED
from cli.netopts import ChainDbOpt, NetworkOpt, PeriodOpt
from cli.output import JsonOpt, NoPromptOpt, Output
from cli.stakeopts import DryRunOpt
from cli.walletopts import (
    HotkeyOpt,
    PasswordFileOpt,
    PasswordStdinOpt,
    WalletNameOpt,
    WalletPathOpt,
)

if TYPE_CHECKING:
    from chain.backend import Call, CallQuote, ChainBackend, Receipt, Signer


MevShieldOpt = Annotated[
    bool,
    typer.Option("--mev-shield/--no-mev-shield",
                 help="Through a node whose runtime has the MEV shield: send stake trades and "
                      "subnet creations encrypted to the next block's author (default on)."),
]


def chain_refusal(error: str, message: str) -> Exception:
    """The chain's refusal as the typed class of its subtensor name (`chain.errors`, exit 4)."""
    from chain.errors import refusal as typed

    return typed(error, message)


def refusal(error: str, why: str | None, largest_passing_rao: int | None = None) -> dict:
    """The refusal as the quote shows it."""
    return {"error": error, "why": why, "largest_passing_rao": largest_passing_rao}


def verdict(backend: ChainBackend, origin: bytes, call: Call) -> CallQuote:
    """The chain's quote of the call (its dry run, or its checks restated by the rules)."""
    return backend.quote_call(origin, call)


def call_quote(backend: ChainBackend, origin: bytes, call: Call, **amounts: Any) -> dict:
    """The quote document of one call: the call, its fee, what the chain says it would do
    (events, result) and the refusal if any."""
    answer = verdict(backend, origin, call)
    doc = {"call": call.id, "args": _plain(call.args),
           **backend.fee_payment(origin, call), **amounts,  # fee_rao, fee_payer (feeson)
           **_shielded(backend, call),
           "chain": answer.to_json(),
           "refusal": None if answer.success else refusal(answer.error or "DispatchError",
                                                            answer.message)}
    return doc


def _shielded(backend: ChainBackend, call: Call) -> dict:
    """`{"mev_shield": True}` when the backend sends the call through the MEV shield (a node
    whose runtime has it; the fee quoted then includes the carrier's)."""
    shields = getattr(backend, "shields", None)
    return {"mev_shield": True} if shields is not None and shields(call) else {}


def show_dry_run(out: Output, doc: dict, render: Callable[[Any], None]) -> None:
    """Print the whole quote; exit 4 when it carries a refusal."""
    out.result(doc, render)
    if refused(doc):
        raise typer.Exit(EXIT_REFUSED)


def refused(doc: dict) -> bool:
    quotes = doc.get("quotes") or [doc.get("quote") or {}]
    return any(isinstance(q, dict) and q.get("refusal")
               for q in [doc, *quotes, doc.get("proxy")])


def refuse_unless_dry_run(doc: dict, what: str) -> None:
    """Without --dry-run, a refusal stops here: nothing is signed."""
    found = doc.get("refusal")
    if found:
        raise chain_refusal(found["error"], f"{what} refused ({found['error']}): {found['why']}")


def submit(out: Output, backend: ChainBackend, signer: Signer, call: Call) -> Receipt:
    """Sign, submit, wait for the receipt; a failed call raises its chain error (exit 4).
    A proxy signer's call goes wrapped in Proxy.proxy; its receipt is the inner call's."""
    proxied = isinstance(signer, ProxySigner)
    sent = proxy_call(backend, call, signer.real, signer.proxy_type) if isinstance(
        signer, ProxySigner) else call
    with out.status(f"Submitting {call.name}" + (" through Proxy.proxy" if proxied else "")
                    + "..."):
        receipt = backend.submit(backend.sign(signer, sent))
    failed = inner_failure(receipt.events) if proxied and receipt.success else None
    from cli import journal  # issue 17: the cost basis of a real network's positions

    owner = signer.real if isinstance(signer, ProxySigner) else bytes(signer.public_key)
    try:
        if failed is None:  # an inner call that failed moved nothing to record
            journal.record(backend, owner, call, receipt)
    except OSError as exc:  # the extrinsic is on chain: say the record is missing, go on
        out.warn(f"the receipt of {receipt.extrinsic_id} was not written to the journal "
                 f"({journal.path()}): {exc.strerror or exc}; `taoctl portfolio` will not "
                 "know this operation")
    if not receipt.success:  # issue 15 (hatch): the fee the failed extrinsic still paid
        carried = _shielded(backend, sent) and receipt.error != "ShieldedInnerNotIncluded"
        raise chain_refusal(receipt.error or "DispatchError",
                      f"{sent.name} failed on chain ({receipt.error}): {receipt.message} "
                      f"(extrinsic {receipt.extrinsic_id}"
                      + (", carried by a MEV-shield submit_encrypted that landed" if carried
                         else "") + f"; fee paid {receipt.fee_rao} rao"
                      + (", the carrier's included" if carried else "") + ")")
    if failed is not None:
        name, message = failed
        raise chain_refusal(name, f"the proxy extrinsic {receipt.extrinsic_id} was included "
                            f"(its fee paid by the proxy) but the inner {call.id} failed "
                            f"({name}): {message}")
    return receipt


# -- --proxy-for ------------------------------------------------------------------------------
ProxyForOpt = Annotated[str | None, typer.Option(
    "--proxy-for", help="Act for this account (ss58) as its proxy: the call is wrapped in "
    "Proxy.proxy, signed and paid for by your coldkey.", show_default=False)]
ProxyTypeOpt = Annotated[str | None, typer.Option(
    "--proxy-type", help="With --proxy-for: the proxy type to use (Staking, Transfer, "
    "NonTransfer, Any, ...) [default: the first that matches].", show_default=False)]

_PROXYING: contextvars.ContextVar[Signing | None] = contextvars.ContextVar(  # noqa: F821
    "proxying", default=None)


class ProxySigner:
    """The proxy's signer, carrying the account it acts for (`submit` wraps its calls)."""

    def __init__(self, signer: Signer, real: bytes, proxy_type: str | None) -> None:
        self.inner, self.real, self.proxy_type = signer, real, proxy_type
        self.public_key = signer.public_key

    def sign(self, message: bytes) -> bytes:
        return self.inner.sign(message)


class ProxiedWallet:
    """A wallet acting for another account: its coldkeypub reads as the real account's, so the
    command reads and quotes for it; `own_coldkeypub_ss58` is the proxy's own key."""

    def __init__(self, wallet: Any, real_ss58: str) -> None:
        self._wallet = wallet
        self.coldkeypub_ss58 = real_ss58
        self.own_coldkeypub_ss58 = wallet.coldkeypub_ss58

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wallet, name)


def proxy_call(backend: ChainBackend, call: Call, real: bytes, proxy_type: str | None) -> Call:
    """`Proxy.proxy(real, force_proxy_type, call)` around `call`."""
    return backend.build_call("Proxy", "proxy", {
        "real": real, "force_proxy_type": proxy_type,
        "call": {"pallet": call.pallet, "name": call.name, "args": dict(call.args)}})


def inner_failure(events: list[dict]) -> tuple[str, str] | None:
    """(error name, message) when the receipt's ProxyExecuted says the inner call failed."""
    for event in events:
        if event.get("pallet") == "Proxy" and event.get("name") == "ProxyExecuted":
            result = (event.get("args") or {}).get("result")
            if isinstance(result, dict) and "Err" in result:
                err = result["Err"]
                if isinstance(err, dict) and "error" in err:
                    return str(err["error"]), str(err.get("message") or err["error"])
                return "DispatchError", str(err)
    return None


def proxy_check(backend: ChainBackend, signing: Signing, real: bytes, delegate: bytes,
                calls: list[Call]) -> dict:
    """What the dry run shows under --proxy-for: the wrapped calls, who pays the fee, and the
    refusal the chain would give (NotProxy, CallFiltered) read from its Proxies list."""
    from chain.factory import proxy_permits
    from cli.wallet_chain import ss58

    doc: dict[str, Any] = {"real": ss58(real), "delegate": ss58(delegate),
                           "proxy_type": signing.proxy_type, "fee_payer": ss58(delegate),
                           "wrapped": [], "refusal": None}
    try:
        definitions = backend.read("Proxy.Proxies", real)[0]
    except Exception:  # noqa: BLE001 - a runtime without the pallet: nobody is a proxy there
        definitions = []
    for call in calls:
        wrapped = proxy_call(backend, call, real, signing.proxy_type)
        entry = {"call": wrapped.id, "inner": call.id,
                 "fee_rao": backend.estimate_fee(delegate, wrapped)}
        try:
            entry["call_hex"] = "0x" + backend.call_data(wrapped).hex()
        except Exception:  # noqa: BLE001 - offline encoding needs the Proxy pallet's metadata
            entry["call_hex"] = None
        doc["wrapped"].append(entry)
        kind, refused_as = proxy_permits(definitions, delegate, signing.proxy_type, call)
        doc["proxy_type"] = kind or signing.proxy_type
        if refused_as == "NotProxy" and doc["refusal"] is None:
            doc["refusal"] = refusal("NotProxy", f"{doc['delegate']} is not a proxy of "
                                     f"{doc['real']}" + (f" of type {signing.proxy_type}"
                                                         if signing.proxy_type else ""))
        elif refused_as and doc["refusal"] is None:
            doc["refusal"] = refusal(refused_as, f"a {kind} proxy may not call {call.id}")
    return doc


@dataclass
class Signing:
    """The options every signed command takes, as one value."""

    wallet_name: str | None = None
    wallet_path: str | None = None
    wallet_hotkey: str | None = None
    password_file: Path | None = None
    password_stdin: bool = False
    network: str = "sandbox"
    chain_db: Path | None = None
    period: int | None = None
    dry_run: bool = False
    mev_shield: bool = True
    no_prompt: bool = False
    json_out: bool = False
    proxy_for: str | None = None
    proxy_type: str | None = None

    def output(self) -> Output:
        return Output(self.json_out, self.no_prompt)

    def open(self) -> ChainBackend:
        from cli.netopts import open_backend

        backend = open_backend(self.network, self.chain_db, period=self.period)
        if hasattr(backend, "mev_shield"):  # a node: shield stake trades unless told not to
            backend.mev_shield = self.mev_shield
        return backend

    def wallet(self) -> Any:
        from cli.walletopts import resolve_wallet

        wallet = resolve_wallet(self.wallet_name, self.wallet_path, self.wallet_hotkey)
        if self.proxy_for is None:
            return wallet
        return ProxiedWallet(wallet, self.proxy_for)

    def check_proxy_options(self) -> None:
        """--proxy-for must be an address; --proxy-type a ProxyType and only with it."""
        from chain.factory import proxy_types
        from cli.errors import UsageError

        PROXY_TYPES = proxy_types()

        if self.proxy_type is not None:
            if self.proxy_for is None:
                raise UsageError("--proxy-type needs --proxy-for")
            if self.proxy_type not in PROXY_TYPES:
                raise UsageError(f"--proxy-type: not a proxy type: {self.proxy_type!r} "
                                 f"(one of {', '.join(PROXY_TYPES)})")
        if self.proxy_for is not None:
            from cli.stakeopts import decode_ss58

            decode_ss58(self.proxy_for, "--proxy-for")

    def coldkey_signer(self, out: Output, wallet: Any, expected: bytes) -> Signer:
        """Unlock the wallet's coldkey; it must be the key the quote was made for."""
        from cli.wallet_chain import AddressError, as_signer
        from cli.walletopts import unlock_coldkey

        if isinstance(wallet, ProxiedWallet):
            from cli.stakeopts import decode_ss58

            own = decode_ss58(wallet.own_coldkeypub_ss58, "the wallet's coldkey")
            signer = as_signer(unlock_coldkey(wallet._wallet, out, self.password_file,
                                              self.password_stdin))
            if signer.public_key != own:
                raise AddressError("the coldkey does not match the wallet's coldkeypub file")
            return ProxySigner(signer, expected, self.proxy_type)
        signer = as_signer(unlock_coldkey(wallet, out, self.password_file, self.password_stdin))
        if signer.public_key != expected:
            raise AddressError("the coldkey does not match the wallet's coldkeypub file")
        return signer

    def hotkey_signer(self, out: Output, wallet: Any, expected: bytes) -> Signer:
        from cli.wallet_chain import AddressError, as_signer
        from cli.walletopts import unlock_hotkey

        if isinstance(wallet, ProxiedWallet):
            from cli.errors import UsageError

            raise UsageError("--proxy-for acts for a coldkey; this call is signed by the hotkey")

        signer = as_signer(unlock_hotkey(wallet, out, None, self.password_file,
                                         self.password_stdin))
        if signer.public_key != expected:
            raise AddressError("the hotkey does not match the wallet's hotkey file")
        return signer


_WALLET_OPTIONS = [("wallet_name", WalletNameOpt, None), ("wallet_path", WalletPathOpt, None),
                   ("wallet_hotkey", HotkeyOpt, None), ("password_file", PasswordFileOpt, None),
                   ("password_stdin", PasswordStdinOpt, False)]
_CHAIN_OPTIONS = [("network", NetworkOpt, "sandbox"), ("chain_db", ChainDbOpt, None),
                  ("period", PeriodOpt, None), ("dry_run", DryRunOpt, False),
                  ("mev_shield", MevShieldOpt, True),  # issue 15: the MEV shield
                  ("no_prompt", NoPromptOpt, False), ("json_out", JsonOpt, False)]


_PROXY_OPTIONS: list[tuple[str, Any, Any]] = [("proxy_for", ProxyForOpt, None), ("proxy_type", ProxyTypeOpt, None)]


def signed_command(*, wallet: bool = True) -> Callable[[Callable[..., None]],
                                                       Callable[..., None]]:
    """Give a command the signing bundle: its `signing: Signing` parameter is replaced by the
    bundle's options (without the wallet's for commands that sign with a dev key)."""
    from cli.optbundle import bundled

    bundle = (_WALLET_OPTIONS + _PROXY_OPTIONS if wallet else []) + _CHAIN_OPTIONS

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def command(*, signing: Signing, **kwargs: Any) -> None:
            signing.check_proxy_options()
            token = _PROXYING.set(signing if signing.proxy_for else None)
            try:
                fn(signing=signing, **kwargs)
            finally:
                _PROXYING.reset(token)

        return bundled(bundle, "signing", Signing)(command)

    return decorate


def run(out: Output, backend: ChainBackend, *, title: str, doc: dict,
        render: Callable[[Any], None], calls: list[Call], unlock: Callable[[], Signer],
        dry_run: bool, confirm: bool = True,
        around: Callable[[Call, Callable[[], Receipt]], dict] | None = None) -> list[dict]:
    """The steps after the quote. Returns one entry per submitted call (`{"receipt": ...}`,
    plus what `around` measured); under --dry-run prints the quote and returns []."""
    proxying = _PROXYING.get()
    if proxying is not None and calls:
        from cli.stakeopts import decode_ss58

        wallet = proxying.wallet()
        doc = {**doc, "proxy": proxy_check(
            backend, proxying, decode_ss58(proxying.proxy_for or "", "--proxy-for"),
            decode_ss58(wallet.own_coldkeypub_ss58, "the wallet's coldkey"), calls)}
        shown = render

        def render(console: Any) -> None:
            shown(console)
            p = doc["proxy"]
            console.print(f"As proxy ({p['proxy_type'] or 'any type'}): {p['delegate']} signs "
                          f"Proxy.proxy for {p['real']} and pays the fee "
                          f"({sum(w['fee_rao'] for w in p['wrapped'])} rao)")
    if dry_run:
        show_dry_run(out, {"dry_run": True, **doc}, render)
        return []
    for quote in doc.get("quotes") or [doc.get("quote") or doc]:
        refuse_unless_dry_run(quote, title)
    if "proxy" in doc:
        refuse_unless_dry_run(doc["proxy"], title)
    if not out.json_mode:
        render(out.err)
    if confirm:
        out.confirm(f"Sign and submit {title}?")
    signer = unlock()
    executed = []
    for call in calls:
        def step(call: Call = call) -> Receipt:
            return submit(out, backend, signer, call)

        if around is None:
            executed.append({"receipt": step().to_json()})
        else:
            executed.append(around(call, step))
    return executed


def _plain(value: Any) -> Any:
    from chain.backend import canonical

    return canonical(value)

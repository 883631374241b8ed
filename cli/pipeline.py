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
Light module: stdlib and typer only at import.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
           "fee_rao": backend.estimate_fee(origin, call), **amounts,
           "chain": answer.to_json(),
           "refusal": None if answer.success else refusal(answer.error or "DispatchError",
                                                            answer.message)}
    return doc


def show_dry_run(out: Output, doc: dict, render: Callable[[Any], None]) -> None:
    """Print the whole quote; exit 4 when it carries a refusal."""
    out.result(doc, render)
    if refused(doc):
        raise typer.Exit(EXIT_REFUSED)


def refused(doc: dict) -> bool:
    quotes = doc.get("quotes") or [doc.get("quote") or {}]
    return any(isinstance(q, dict) and q.get("refusal") for q in [doc, *quotes])


def refuse_unless_dry_run(doc: dict, what: str) -> None:
    """Without --dry-run, a refusal stops here: nothing is signed."""
    found = doc.get("refusal")
    if found:
        raise chain_refusal(found["error"], f"{what} refused ({found['error']}): {found['why']}")


def submit(out: Output, backend: ChainBackend, signer: Signer, call: Call) -> Receipt:
    """Sign, submit, wait for the receipt; a failed call raises its chain error (exit 4)."""
    with out.status(f"Submitting {call.name}..."):
        receipt = backend.submit(backend.sign(signer, call))
    from cli import journal  # issue 17: the cost basis of a real network's positions

    try:
        journal.record(backend, bytes(signer.public_key), call, receipt)
    except OSError as exc:  # the extrinsic is on chain: say the record is missing, go on
        out.warn(f"the receipt of {receipt.extrinsic_id} was not written to the journal "
                 f"({journal.path()}): {exc.strerror or exc}; `taoctl portfolio` will not "
                 "know this operation")
    if not receipt.success:
        raise chain_refusal(receipt.error or "DispatchError",
                      f"{call.name} failed on chain ({receipt.error}): {receipt.message} "
                      f"(extrinsic {receipt.extrinsic_id})")
    return receipt


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
    no_prompt: bool = False
    json_out: bool = False

    def output(self) -> Output:
        return Output(self.json_out, self.no_prompt)

    def open(self) -> ChainBackend:
        from cli.netopts import open_backend

        return open_backend(self.network, self.chain_db, period=self.period)

    def wallet(self) -> Any:
        from cli.walletopts import resolve_wallet

        return resolve_wallet(self.wallet_name, self.wallet_path, self.wallet_hotkey)

    def coldkey_signer(self, out: Output, wallet: Any, expected: bytes) -> Signer:
        """Unlock the wallet's coldkey; it must be the key the quote was made for."""
        from cli.wallet_chain import AddressError, as_signer
        from cli.walletopts import unlock_coldkey

        signer = as_signer(unlock_coldkey(wallet, out, self.password_file, self.password_stdin))
        if signer.public_key != expected:
            raise AddressError("the coldkey does not match the wallet's coldkeypub file")
        return signer

    def hotkey_signer(self, out: Output, wallet: Any, expected: bytes) -> Signer:
        from cli.wallet_chain import AddressError, as_signer
        from cli.walletopts import unlock_hotkey

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
                  ("no_prompt", NoPromptOpt, False), ("json_out", JsonOpt, False)]


def signed_command(*, wallet: bool = True) -> Callable[[Callable[..., None]],
                                                       Callable[..., None]]:
    """Give a command the signing bundle: its `signing: Signing` parameter is replaced by the
    bundle's options (without the wallet's for commands that sign with a dev key)."""
    bundle = (_WALLET_OPTIONS if wallet else []) + _CHAIN_OPTIONS

    def decorate(fn: Callable[..., None]) -> Callable[..., None]:
        own = [p for p in inspect.signature(fn, eval_str=True).parameters.values()
               if p.name != "signing"]
        added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                                   annotation=kind) for name, kind, default in bundle]

        @functools.wraps(fn)
        def command(**kwargs: Any) -> None:
            signing = Signing(**{name: kwargs.pop(name) for name, _, _ in bundle})
            fn(signing=signing, **kwargs)

        command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + added)
        command.__annotations__ = {**{p.name: p.annotation for p in own},
                                   **{name: kind for name, kind, _ in bundle}}
        return command

    return decorate


def run(out: Output, backend: ChainBackend, *, title: str, doc: dict,
        render: Callable[[Any], None], calls: list[Call], unlock: Callable[[], Signer],
        dry_run: bool, confirm: bool = True,
        around: Callable[[Call, Callable[[], Receipt]], dict] | None = None) -> list[dict]:
    """The steps after the quote. Returns one entry per submitted call (`{"receipt": ...}`,
    plus what `around` measured); under --dry-run prints the quote and returns []."""
    if dry_run:
        show_dry_run(out, {"dry_run": True, **doc}, render)
        return []
    for quote in doc.get("quotes") or [doc.get("quote") or doc]:
        refuse_unless_dry_run(quote, title)
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

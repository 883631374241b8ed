"""The steps every signed operation shares: quote -> render -> confirm -> sign -> submit ->
receipt, and the refusal as part of the quote.

A dry run always prints the whole quote; when the chain would refuse, the quote carries the
refusal (`{"error", "why", "largest_passing_rao"}`: subtensor's error name, its message, and
the largest amount that would pass within the tolerance where one can be said) and the command
exits 4 after printing it. Without --dry-run a refusal stops before signing with the chain's
error (exit 4); a call the chain includes but fails is the same error, from the receipt.
Light module: stdlib and typer only at import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from chain.backend import Call, CallQuote, ChainBackend, Receipt, Signer
    from cli.output import Output

EXIT_REFUSED = 4  # README: the chain refused


class Refused(Exception):
    """The chain refuses (or refused) the call; `name` is subtensor's error name."""

    name = "Refused"
    exit_code = EXIT_REFUSED

    def __init__(self, error: str, message: str) -> None:
        super().__init__(message)
        self.name = error


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
        raise Refused(found["error"], f"{what} refused ({found['error']}): {found['why']}")


def submit(out: Output, backend: ChainBackend, signer: Signer, call: Call) -> Receipt:
    """Sign, submit, wait for the receipt; a failed call raises its chain error (exit 4)."""
    with out.status(f"Submitting {call.name}..."):
        receipt = backend.submit(backend.sign(signer, call))
    if not receipt.success:
        raise Refused(receipt.error or "DispatchError",
                      f"{call.name} failed on chain ({receipt.error}): {receipt.message} "
                      f"(extrinsic {receipt.extrinsic_id})")
    return receipt


def _plain(value: Any) -> Any:
    from chain.backend import canonical

    return canonical(value)

"""`taoctl stake add | remove | move | transfer | swap | list`: staking through the subnet pools.

Every changing command runs the same steps, so a user always sees the price before signing:

1. resolve the wallet's coldkey (its pub file) and the hotkey, read the live pools;
2. quote the call with the `amm` functions the chain executes (`cli.staking_view`): amount,
   spot rate, received, fee, slippage, the limit price from --tolerance and the worst case it
   accepts;
3. ask the chain (`ChainBackend.quote_call`: its dry run, in its order of checks); its result
   is the number of record, its refusal (subtensor's error name) is part of the quote;
4. the rest is `cli.pipeline`: `--dry-run` prints the whole quote (exit 4 when refused, no
   password asked); otherwise a refusal stops here, the table is confirmed (unless -y), the
   coldkey is unlocked, the call is signed and submitted, and the result shows what was
   received next to what was quoted. The signing options are the pipeline's one bundle.

Safe staking is on by default on every path that trades through a pool (`add_stake_limit`,
`remove_stake_limit`, `remove_stake_full_limit` per subnet for `--all`, `swap_stake_limit`,
`move_stake_limit`), with btcli's tolerance default of 0.5 %; `--unsafe` uses the plain calls
and warns on stderr when the quoted slippage is over 5 %; a cross-subnet transfer has no limit
call and needs `--unsafe`. `--partial` lets a limit order fill only what fits. Heavy modules
(amm, rich, sqlite3) load inside the commands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from chain.exitcodes import EXIT_REFUSED
from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.pipeline import Signing, chain_refusal, signed_command
from cli.stakeopts import (
    AmountOpt,
    HotkeySs58Opt,
    NetuidOpt,
    PartialOpt,
    SafeOpt,
    ToleranceOpt,
)
from cli.walletopts import WalletNameOpt, WalletPathOpt

if TYPE_CHECKING:
    from chain.backend import Signer

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Stake and unstake through the subnet pools, slippage shown first.")


class LimitCallMissing(Exception):
    """The runtime has no limit variant of the call (e.g. move_stake_limit before spec 461):
    nothing is signed unprotected unless --unsafe asks for it."""

    name = "LimitCallMissing"
    exit_code = EXIT_REFUSED


# --- shared steps ------------------------------------------------------------------------------


def _amount(text: str | None, out: Output, what: str) -> int:
    from chain.units import parse_tao

    if text is None:
        text = out.prompt(f"Amount of {what}", what="--amount")
    return parse_tao(text, what="--amount")


def _event_amount(events: list[dict], name: str, token: str) -> int | None:
    """The TAO or alpha amount of the last `name` event (StakeAdded, StakeRemoved), if any."""
    keys = ("alpha_amount", "alpha", "alpha_out", "amount_alpha") if token == "alpha" else \
        ("tao_amount", "tao", "tao_out", "amount_tao")
    for event in reversed(events):
        if event.get("name") != name:
            continue
        args = event.get("args") or {}
        if isinstance(args, dict) and list(args) == ["value"]:  # a node's unnamed fields
            args = args["value"]
        if isinstance(args, dict):
            for key in keys:
                if isinstance(args.get(key), int):
                    return args[key]
        elif isinstance(args, (list, tuple)) and len(args) >= 4:  # subtensor's positional order
            value = args[3] if token == "alpha" else args[2]
            if isinstance(value, int):
                return value
    return None


def _received_from_events(events: list[dict], quote) -> int | None:
    """What the chain says the operation gave: alpha staked, or TAO unstaked."""
    if quote.output_token == "alpha":
        return _event_amount(events, "StakeAdded", "alpha")
    return _event_amount(events, "StakeRemoved", "tao")


def _received_from_result(result: dict | None, quote) -> int | None:
    """The same from a call's result record (`env.result` of the bundled runtime)."""
    if not isinstance(result, dict):
        return None
    key = "alpha_received_rao" if quote.output_token == "alpha" else "tao_received_rao"
    value = result.get(key)
    return value if isinstance(value, int) else None


def _settle_quote(quote, events: list[dict], result: dict | None = None) -> None:
    """Make the chain's dry run the quote of record; note any difference from the amm quote."""
    chain_says = _received_from_result(result, quote)
    if chain_says is None:
        chain_says = _received_from_events(events, quote)
    if chain_says is not None and chain_says != quote.received:
        quote.notes.append(f"the pool model quoted {quote.received} rao, the chain's dry run "
                           f"{chain_says} rao; the dry run is shown")
        quote.received = chain_says


class Session:
    """One stake command's wallet, keys and open backend."""

    def __init__(self, out: Output, signing: Signing, hotkey_ss58: str | None) -> None:
        from cli.stakeopts import coldkey_of

        self.out = out
        self.signing = signing
        self.wallet = signing.wallet()
        self.coldkey, self.coldkey_ss58 = coldkey_of(self.wallet)
        self._hotkey_args = (hotkey_ss58, signing.wallet_hotkey)
        self._hotkey: tuple[bytes, str] | None = None
        self._names = None
        self.backend = signing.open()

    @property
    def hotkey(self) -> tuple[bytes, str]:
        if self._hotkey is None:
            from cli.stakeopts import resolve_hotkey

            self._hotkey = resolve_hotkey(self.wallet, *self._hotkey_args)
        return self._hotkey

    def close(self) -> None:
        self.backend.close()

    @property
    def names(self):
        """The wallets directory's names (`cli.names`), read on first use."""
        if self._names is None:
            from cli.names import Names

            self._names = Names.scan(self.wallet.path)
        return self._names

    def label(self, ss58: str) -> str:
        return self.names.label(ss58)

    def free(self) -> int:
        return self.backend.read("System.Account", self.coldkey).free

    def stake(self, hotkey: bytes, netuid: int, coldkey: bytes | None = None) -> int:
        from cli.chainview import stake

        return stake(self.backend, hotkey, coldkey or self.coldkey, netuid)

    def signer(self) -> Signer:
        return self.signing.coldkey_signer(self.out, self.wallet, self.coldkey)


def _finish(session: Session, quotes: list, title: str, *, measure, extra: dict,
            shown: list | None = None, destination: str | None = None) -> None:
    """The pipeline after the quote (`cli.pipeline.run`), reporting quoted against received.

    `quotes` are the calls submitted; `shown` (default: the same) are the table's rows, e.g.
    one per subnet for a single unstake_all. `destination` (who receives, by name where
    known) is part of the table's title and of the confirmation question. A trade without a
    price limit whose quoted slippage is over 5 % is warned about on stderr."""
    from cli.pipeline import run
    from cli.staking_view import render_outcome, render_quotes, unprotected_warnings

    out, dry_run = session.out, session.signing.dry_run
    shown = quotes if shown is None else shown
    for line in unprotected_warnings(shown):
        out.warn(line)
    if destination:
        title = f"{title} → {destination}"
    block = session.backend.block_info().number
    for q in quotes:
        q.tx_fee = _tx_fee(session, q)
    doc = {"dry_run": dry_run, "block": block, "coldkey": session.coldkey_ss58,
           "free_balance_rao": session.free(), **extra,
           "quotes": [{**q.to_json(), **(q.tx_fee or {})} for q in quotes]}
    if shown is not quotes:
        doc["per_subnet"] = [q.to_json() for q in shown]
    pending = iter(quotes)

    def measured(call, step) -> dict:
        q = next(pending)
        before = measure(q)
        receipt = step()
        by_state = measure(q) - before
        received = _received_from_result(receipt.result, q)
        if received is None:
            received = _received_from_events(receipt.events, q)
        return {"call": f"{q.pallet}.{q.call}", "extrinsic_id": receipt.extrinsic_id,
                "output_token": q.output_token, "quoted_rao": q.received,
                "received_rao": received if received is not None else by_state,
                "state_change_rao": by_state, "receipt": receipt.to_json()}

    what = f"{len(quotes)} operation{'s' if len(quotes) > 1 else ''}"
    executed = run(out, session.backend,
                   title=what + (f" → {destination}" if destination else ""), doc=doc,
                   render=lambda console: render_quotes(
                       console, shown, title + (" (dry run: nothing signed)" if dry_run else "")),
                   calls=[_call(q.pallet, q.call, q.args) for q in quotes],
                   unlock=session.signer, dry_run=dry_run, around=measured)
    if dry_run:
        return
    doc["executed"] = executed
    doc["free_balance_after_rao"] = session.free()
    doc["matches_quote"] = all(e["received_rao"] == e["quoted_rao"] for e in executed)
    out.result(doc, lambda console: render_outcome(console, executed))


# --- commands ---------------------------------------------------------------------------------


@app.command("add")
@signed_command()
def add(
    netuid: NetuidOpt = None,
    amount: AmountOpt = None,
    stake_all: Annotated[bool, typer.Option("--all", "--all-tokens", help="Stake the whole free "
                                            "balance (less the existential deposit).")] = False,
    tolerance: ToleranceOpt = None,
    safe: SafeOpt = True,
    partial: PartialOpt = False,
    hotkey_ss58: HotkeySs58Opt = None,
    *,
    signing: Signing,
) -> None:
    """Stake TAO from the coldkey into subnet pools on a hotkey (add_stake_limit by default)."""
    from cli.chainview import pool, require_subnet
    from cli.errors import UsageError
    from cli.stakeopts import parse_netuids
    from cli.staking_view import parse_tolerance, quote_add

    out = signing.output()
    dry_run = signing.dry_run
    netuids = parse_netuids(netuid if netuid is not None else
                            out.prompt("Netuid to stake into", what="--netuid"))
    if stake_all and amount is not None:
        raise UsageError("give either --amount or --all, not both")
    if stake_all and len(netuids) > 1:
        raise UsageError("--all stakes the whole balance into one subnet; give one --netuid")
    value = None if stake_all else _amount(amount, out, "TAO to stake")
    tol = parse_tolerance(tolerance, selling=False, out=out)
    session = Session(out, signing, hotkey_ss58)
    try:
        hotkey, hotkey_address = session.hotkey
        if stake_all:
            value = session.free() - session.backend.existential_deposit()
            if value <= 0:
                raise chain_refusal("NotEnoughBalanceToStake", "nothing to stake: the free "
                                   "balance is at most the existential deposit")
        quotes = []
        for n in netuids:
            require_subnet(session.backend, n)
            q = _quote_checked(session, lambda n=n, **kw: quote_add(
                pool(session.backend, n), n, hotkey, value,
                **{"safe": safe, "partial": partial, "tolerance": tol, **kw}), dry_run)
            q.hotkey = hotkey_address
            quotes.append(q)

        def measure(q):
            return session.stake(hotkey, q.netuid)

        _finish(session, quotes, f"Stake into subnet{'s' if len(quotes) > 1 else ''} "
                f"{', '.join(map(str, netuids))} on {session.label(hotkey_address)}",
                measure=measure,
                extra={"hotkey": hotkey_address})
    finally:
        session.close()


def _quote_checked(session: Session, make_quote, dry_run: bool = False):
    """Quote, then ask the chain (its checks and error names, in its order); the chain's
    answer is the number of record when the two differ. Under --dry-run a refusal becomes
    part of the quote (`q.refusal`, with the largest fill the limit lets through) instead of
    stopping: the user sees the numbers exactly when they matter."""
    from cli.pipeline import refusal
    from cli.staking_view import QuoteRefused

    try:
        q = make_quote()
    except QuoteRefused as exc:
        # the pool refuses the order (SlippageTooHigh, ...); the chain's verdict comes first,
        # since its checks (subnet, amount, balance) may fail before the pool's
        answer = session.backend.quote_call(session.coldkey, _call(exc.pallet, exc.call,
                                                                   exc.call_args))
        error = exc.name if answer.success else answer.error or "DispatchError"
        why = str(exc) if answer.success else answer.message
        if not dry_run:
            raise chain_refusal(error, f"{exc.call} refused ({error}): {why}") from None
        try:
            q = make_quote(partial=True)  # what the limit lets through: the largest fill
            largest = q.amount_in
        except QuoteRefused:
            q, largest = make_quote(safe=False), 0
        q.call, q.args = exc.call, exc.call_args
        if q.operation == "add":  # the balance bounds what passes too (checked after the limit)
            spendable = max(session.free() - session.backend.existential_deposit(), 0)
            if q.amount > spendable:
                q.notes.append(f"the coldkey can spend {spendable} rao: past the limit price "
                               "the chain checks the balance next (NotEnoughBalanceToStake)")
            largest = min(largest, spendable)
        q.refusal = refusal(error, why, largest)
        return q
    answer = session.backend.quote_call(session.coldkey, _call(q.pallet, q.call, q.args))
    if not answer.success:
        error = answer.error or "DispatchError"
        if not dry_run:
            raise chain_refusal(error, f"{q.call} refused ({error}): {answer.message}")
        q.refusal = refusal(error, answer.message, _largest_passing(session, q, error))
        return q
    _settle_quote(q, [], answer.result or {})
    return q


def _tx_fee(session: Session, q) -> dict:
    """Issue 15: the extrinsic's own fee in TAO (the node's `TransactionPaymentApi`, the
    sandbox's schedule), who pays it (`fee_payer`: "tao", or "alpha" with the alpha sold when
    the coldkey's free TAO cannot, or "none"), and whether the call goes through the MEV
    shield (then the fee is its inner extrinsic's and its carrier's)."""
    call = _call(q.pallet, q.call, q.args)
    shields = getattr(session.backend, "shields", None)
    paid = dict(session.backend.fee_payment(session.coldkey, call))
    return {"tx_fee_rao": paid.pop("fee_rao"), "tx_fee_token": "TAO", **paid,
            "mev_shield": bool(shields is not None and shields(call))}


def _call(pallet: str, name: str, args: dict):
    from chain.backend import Call

    return Call(pallet, name, args)


def _largest_passing(session: Session, q, error: str) -> int | None:
    """The largest amount the chain would take for the refusals that have one."""
    if error == "NotEnoughBalanceToStake":
        return max(session.free() - session.backend.existential_deposit(), 0)
    if error == "NotEnoughStakeToWithdraw":
        held = session.stake(session.hotkey[0], q.netuid)
        paid = session.backend.fee_payment(session.coldkey, _call(q.pallet, q.call, q.args))
        if paid.get("fee_payer") == "alpha" and paid.get("fee_netuid") == q.netuid:
            held -= int(paid["fee_alpha_rao"])  # the fee's alpha is sold before the call runs
        return max(held, 0)
    return None


@app.command("remove")
@signed_command()
def remove(
    netuid: NetuidOpt = None,
    amount: AmountOpt = None,
    unstake_all: Annotated[bool, typer.Option("--all", "--unstake-all",
                                              help="Unstake all the alpha held through this "
                                              "hotkey: on --netuid, or on every subnet (one "
                                              "limit order per subnet; unstake_all with "
                                              "--unsafe).")] = False,
    tolerance: ToleranceOpt = None,
    safe: SafeOpt = True,
    partial: PartialOpt = False,
    hotkey_ss58: HotkeySs58Opt = None,
    *,
    signing: Signing,
) -> None:
    """Unstake alpha back to TAO (remove_stake_limit by default; with --all, one
    remove_stake_full_limit per subnet; --unsafe: remove_stake / unstake_all)."""
    from cli.chainview import pool, require_subnet
    from cli.errors import UsageError
    from cli.stakeopts import parse_netuid
    from cli.staking_view import parse_tolerance, quote_remove

    out = signing.output()
    dry_run = signing.dry_run
    if unstake_all and amount is not None:
        raise UsageError("give either --amount or --all, not both")
    if unstake_all and netuid is None:
        tol = parse_tolerance(tolerance, selling=True, out=out)
        session = Session(out, signing, hotkey_ss58)
        try:
            if safe:
                _unstake_each(session, tol, partial)
            else:
                _unstake_all(session)
        finally:
            session.close()
        return
    n = parse_netuid(netuid if netuid is not None else
                     out.prompt("Netuid to unstake from", what="--netuid"))
    value = None if unstake_all else _amount(amount, out, "alpha to unstake")
    tol = parse_tolerance(tolerance, selling=True, out=out)
    session = Session(out, signing, hotkey_ss58)
    try:
        hotkey, hotkey_address = session.hotkey
        require_subnet(session.backend, n)
        held = session.stake(hotkey, n)
        if unstake_all:
            value = held
        if value == 0 or value > held:
            raise chain_refusal(
                "NotEnoughStakeToWithdraw", f"the coldkey holds {held} rao of alpha on this "
                f"hotkey in subnet {n}; cannot unstake {value} (NotEnoughStakeToWithdraw)")
        q = _quote_checked(session, lambda **kw: quote_remove(
            pool(session.backend, n), n, hotkey, value,
            **{"safe": safe, "partial": partial, "tolerance": tol, "full": unstake_all,
               **kw}), dry_run)
        q.hotkey = hotkey_address
        _finish(session, [q], f"Unstake from subnet {n} on {session.label(hotkey_address)}",
                measure=lambda q: session.free(),
                extra={"hotkey": hotkey_address, "stake_rao": held})
    finally:
        session.close()


def _held_through_hotkey(session: Session) -> list[tuple[int, int]]:
    from cli.chainview import stakes_of_coldkey

    hotkey, hotkey_address = session.hotkey
    held = [(n, alpha) for h, n, alpha in stakes_of_coldkey(session.backend, session.coldkey)
            if h == hotkey]
    if not held:
        raise chain_refusal("NotEnoughStakeToWithdraw", f"the coldkey holds no stake through "
                            f"hotkey {hotkey_address} (NotEnoughStakeToWithdraw)")
    return held


def _unstake_each(session: Session, tol, partial: bool) -> None:
    """`stake remove --all` without --netuid, safe (the default): one limit order per subnet
    held, `remove_stake_full_limit(hotkey, netuid, limit_price)` from the tolerance
    (`remove_stake_limit` with --partial; root, a 1:1 pool, needs no limit). Every order is
    quoted and checked by the chain before the first is signed."""
    from cli.chainview import pool
    from cli.staking_view import quote_remove

    hotkey, hotkey_address = session.hotkey
    quotes = []
    for n, alpha in _held_through_hotkey(session):
        q = _quote_checked(session, lambda n=n, alpha=alpha, **kw: quote_remove(
            pool(session.backend, n), n, hotkey, alpha,
            **{"safe": True, "partial": partial, "tolerance": tol, "full": True, **kw}),
            session.signing.dry_run)
        q.hotkey = hotkey_address
        quotes.append(q)
    _finish(session, quotes, f"Unstake everything on {session.label(hotkey_address)}",
            measure=lambda q: session.free(), extra={"hotkey": hotkey_address})


def _unstake_all(session: Session) -> None:
    """`stake remove --all --unsafe` without --netuid: one unstake_all(hotkey) call, every
    subnet sold at the pool's price (the call has no limit), shown one row per subnet."""
    from dataclasses import replace

    from cli.chainview import pool
    from cli.staking_view import DEFAULT_TOLERANCE, OpQuote, quote_remove

    hotkey, hotkey_address = session.hotkey
    held = _held_through_hotkey(session)
    rows = []
    for n, alpha in held:
        q = quote_remove(pool(session.backend, n), n, hotkey, alpha, safe=False, partial=False,
                         tolerance=DEFAULT_TOLERANCE)
        rows.append(replace(q, hotkey=hotkey_address))
    total = OpQuote("remove", "SubtensorModule", "unstake_all", {"hotkey": hotkey}, -1,
                    sum(q.amount for q in rows), "alpha", "TAO", sum(q.received for q in rows),
                    sum(q.fee for q in rows), "alpha", 0, sum(q.slippage for q in rows),
                    sum(q.ideal_out for q in rows), None, None, None, False, False,
                    sum(q.amount_in for q in rows), hotkey=hotkey_address)
    answer = session.backend.quote_call(session.coldkey, _call(total.pallet, total.call,
                                                               total.args))
    if answer.success:
        _settle_quote(total, [], answer.result or {})
    elif session.signing.dry_run:
        from cli.pipeline import refusal

        total.refusal = refusal(answer.error or "DispatchError", answer.message)
    else:
        error = answer.error or "DispatchError"
        raise chain_refusal(error, f"unstake_all refused ({error}): {answer.message}")
    _finish(session, [total], f"Unstake everything on {session.label(hotkey_address)}",
            measure=lambda q: session.free(), extra={"hotkey": hotkey_address}, shown=rows)


def _move_like(operation: str, *, origin: int, destination: int, amount: str | None,
               move_all: bool, tolerance: str | None, safe: bool, partial: bool, dry_run: bool,
               destination_hotkey: str | None, destination_coldkey: str | None,
               session: Session) -> None:
    """swap / move / transfer: the alpha leaves (hotkey, coldkey, origin) for the destination.

    Across subnets the alpha is sold and bought again: swap and move use their limit calls
    (swap_stake_limit, move_stake_limit) unless --unsafe; transfer_stake has no limit call,
    so a cross-subnet transfer is refused without --unsafe."""
    from cli.chainview import pool, require_subnet, stake
    from cli.errors import UsageError
    from cli.staking_view import parse_tolerance, quote_swap

    out = session.out
    if move_all and amount is not None:
        raise UsageError("give either --amount or --all, not both")
    if operation == "transfer" and origin != destination and safe:
        raise UsageError("a transfer across subnets sells and buys alpha and the chain has no "
                         "limit call for it (transfer_stake): swap within your coldkey first "
                         "(stake swap, limit-protected), then transfer within one subnet, or "
                         "pass --unsafe")
    value = None if move_all else _amount(amount, out, "alpha to move")
    tol = parse_tolerance(tolerance, selling=True, out=out)
    hotkey, hotkey_address = session.hotkey
    for n in (origin, destination):
        require_subnet(session.backend, n)
    dest_hot_ss58 = _destination_hotkey(session, destination_hotkey) if destination_hotkey \
        else None
    dest_cold_ss58 = _destination_coldkey(session, destination_coldkey) if destination_coldkey \
        else None
    dest_hot = _decode(dest_hot_ss58, "--to") if dest_hot_ss58 else None
    dest_cold = _decode(dest_cold_ss58, "--dest") if dest_cold_ss58 else None
    held = session.stake(hotkey, origin)
    if move_all:
        value = held
    if value == 0 or value > held:
        raise chain_refusal("NotEnoughStakeToWithdraw", f"the coldkey holds {held} rao of alpha on "
                            f"this hotkey in subnet {origin}; cannot move {value} "
                            "(NotEnoughStakeToWithdraw)")
    if operation == "swap" and origin == destination:
        raise UsageError("a swap moves stake between two different subnets (use stake move "
                         "to change hotkey)")
    if operation == "move" and safe and origin != destination:
        _require_call(session, "move_stake_limit", "move_stake")
    q = _quote_checked(session, lambda **kw: quote_swap(
        pool(session.backend, origin), pool(session.backend, destination), operation, origin,
        destination, hotkey, value, destination_hotkey=dest_hot, destination_coldkey=dest_cold,
        **{"safe": safe, "partial": partial, "tolerance": tol, **kw}), dry_run)
    q.hotkey = hotkey_address
    if dest_hot_ss58:
        q.destination_hotkey = dest_hot_ss58
    if dest_cold_ss58:
        q.destination_coldkey = dest_cold_ss58
    receiver_hot = dest_hot or hotkey
    receiver_cold = dest_cold or session.coldkey
    from wallet.ss58 import ss58_encode

    where = f"hotkey {session.label(ss58_encode(receiver_hot))}"
    if operation == "transfer":
        where = f"coldkey {session.label(ss58_encode(receiver_cold))}, {where}"
    where += f", subnet {destination}"
    extra = {"hotkey": hotkey_address, "stake_rao": held,
             "destination": {"hotkey": ss58_encode(receiver_hot),
                             "hotkey_name": session.names.name(ss58_encode(receiver_hot)),
                             "coldkey": ss58_encode(receiver_cold),
                             "coldkey_name": session.names.name(ss58_encode(receiver_cold)),
                             "netuid": destination}}

    def measure(_q):
        return stake(session.backend, receiver_hot, receiver_cold, destination)

    _finish(session, [q], f"{operation.capitalize()} stake of {session.label(hotkey_address)} "
            f"from subnet {origin}", measure=measure, extra=extra, destination=where)


def _require_call(session: Session, name: str, unprotected: str) -> None:
    """Refuse (exit 4, nothing signed) when the runtime lacks the limit call `name`."""
    try:
        session.backend.build_call("SubtensorModule", name, {})
    except Exception as exc:  # noqa: BLE001 - the remote backend's MetadataError, by name
        if type(exc).__name__ != "MetadataError":
            raise
        raise LimitCallMissing(f"this chain's runtime has no {name}, so the trade cannot be "
                               f"price-limited; nothing was signed (pass --unsafe to use "
                               f"{unprotected} without a limit)") from None


def _decode(address: str, what: str) -> bytes:
    from cli.stakeopts import decode_ss58

    return decode_ss58(address, what)


def _destination_hotkey(session: Session, text: str) -> str:
    """--to: an ss58 address, or a hotkey name ("miner" of this wallet, or "wallet/miner")."""
    from cli.errors import UsageError
    from cli.stakeopts import looks_like_ss58

    if looks_like_ss58(text):
        _decode(text, "--to")
        return text
    found = session.names.find_hotkey(text, session.wallet.name)
    if found is None:
        raise UsageError(f"--to {text!r} is neither an ss58 address nor a hotkey of wallet "
                         f"{session.wallet.name!r} (or \"wallet/hotkey\") under "
                         f"{session.wallet.path}")
    return found


def _destination_coldkey(session: Session, text: str) -> str:
    """--dest: an ss58 address, or the name of a wallet (its coldkeypub)."""
    from cli.errors import UsageError
    from cli.stakeopts import looks_like_ss58

    if looks_like_ss58(text):
        _decode(text, "--dest")
        return text
    found = session.names.find_coldkey(text)
    if found is None:
        raise UsageError(f"--dest {text!r} is neither an ss58 address nor a wallet under "
                         f"{session.wallet.path}")
    return found


OriginOpt = Annotated[str | None, typer.Option("--origin-netuid", "-o",
                                               help="Subnet the stake leaves.",
                                               show_default=False)]
DestNetuidOpt = Annotated[str | None, typer.Option("--dest-netuid", "-d",
                                                   help="Subnet the stake goes to.",
                                                   show_default=False)]


def _origin_dest(out: Output, origin: str | None, dest: str | None, *, same_default: bool):
    from cli.stakeopts import parse_netuid

    o = parse_netuid(origin if origin is not None else
                     out.prompt("Origin netuid", what="--origin-netuid"), what="--origin-netuid")
    if dest is None and same_default:
        return o, o
    d = parse_netuid(dest if dest is not None else
                     out.prompt("Destination netuid", what="--dest-netuid"), what="--dest-netuid")
    return o, d


@app.command("swap")
@signed_command()
def swap(
    origin_netuid: OriginOpt = None,
    dest_netuid: DestNetuidOpt = None,
    amount: AmountOpt = None,
    swap_all: Annotated[bool, typer.Option("--all", "--swap-all",
                                           help="Swap all the alpha held.")] = False,
    tolerance: ToleranceOpt = None,
    safe: SafeOpt = True,
    partial: PartialOpt = False,
    hotkey_ss58: HotkeySs58Opt = None,
    *,
    signing: Signing,
) -> None:
    """Move stake between subnets, same coldkey and hotkey (swap_stake_limit by default)."""
    out = signing.output()
    dry_run = signing.dry_run
    o, d = _origin_dest(out, origin_netuid, dest_netuid, same_default=False)
    session = Session(out, signing, hotkey_ss58)
    try:
        _move_like("swap", origin=o, destination=d, amount=amount, move_all=swap_all,
                   tolerance=tolerance, safe=safe, partial=partial, dry_run=dry_run,
                   destination_hotkey=None, destination_coldkey=None, session=session)
    finally:
        session.close()


@app.command("move")
@signed_command()
def move(
    dest: Annotated[str | None, typer.Option("--to", "--dest", "--destination-hotkey",
                                             help="The destination hotkey: ss58, or a hotkey "
                                             "name of the wallet (or wallet/hotkey).",
                                             show_default=False)] = None,
    origin_netuid: OriginOpt = None,
    dest_netuid: Annotated[str | None, typer.Option("--dest-netuid",
                                                    help="Destination subnet [default: the "
                                                    "origin].", show_default=False)] = None,
    amount: AmountOpt = None,
    move_all: Annotated[bool, typer.Option("--all", "--stake-all",
                                           help="Move all the alpha held.")] = False,
    from_hotkey: Annotated[str | None, typer.Option("--from", "--hotkey-ss58", "--origin-hotkey",
                                                    help="The origin hotkey (ss58) [default: "
                                                    "the wallet's hotkey].",
                                                    show_default=False)] = None,
    tolerance: ToleranceOpt = None,
    safe: SafeOpt = True,
    partial: PartialOpt = False,
    *,
    signing: Signing,
) -> None:
    """Move stake to another hotkey of the same coldkey, optionally across subnets
    (move_stake_limit across subnets by default)."""
    out = signing.output()
    dry_run = signing.dry_run
    o, d = _origin_dest(out, origin_netuid, dest_netuid, same_default=True)
    if dest is None:
        dest = out.prompt("Destination hotkey (ss58 or name)", what="--to")
    session = Session(out, signing, from_hotkey)
    try:
        _move_like("move", origin=o, destination=d, amount=amount, move_all=move_all,
                   tolerance=tolerance, safe=safe, partial=partial, dry_run=dry_run,
                   destination_hotkey=dest, destination_coldkey=None, session=session)
    finally:
        session.close()


@app.command("transfer")
@signed_command()
def transfer(
    dest: Annotated[str | None, typer.Option("--dest", "--destination-coldkey",
                                             help="The destination coldkey: ss58, or a "
                                             "wallet's name.",
                                             show_default=False)] = None,
    origin_netuid: OriginOpt = None,
    dest_netuid: Annotated[str | None, typer.Option("--dest-netuid",
                                                    help="Destination subnet [default: the "
                                                    "origin].", show_default=False)] = None,
    amount: AmountOpt = None,
    transfer_all: Annotated[bool, typer.Option("--all", "--stake-all",
                                               help="Transfer all the alpha held.")] = False,
    hotkey_ss58: HotkeySs58Opt = None,
    safe: Annotated[bool, typer.Option("--safe/--unsafe", help="A transfer across subnets "
                                       "has no limit call on chain: it needs --unsafe.")] = True,
    *,
    signing: Signing,
) -> None:
    """Give stake to another coldkey (same hotkey), optionally across subnets (--unsafe)."""
    out = signing.output()
    dry_run = signing.dry_run
    o, d = _origin_dest(out, origin_netuid, dest_netuid, same_default=True)
    if dest is None:
        dest = out.prompt("Destination coldkey (ss58 or wallet name)", what="--dest")
    session = Session(out, signing, hotkey_ss58)
    try:
        _move_like("transfer", origin=o, destination=d, amount=amount, move_all=transfer_all,
                   tolerance=None, safe=safe, partial=False, dry_run=dry_run,
                   destination_hotkey=None, destination_coldkey=dest, session=session)
    finally:
        session.close()


@app.command("list")
def list_stakes(
    ss58: Annotated[str | None, typer.Option("--ss58", "--coldkey-ss58", "-k", "--key",
                                             help="Coldkey to show [default: the wallet's].",
                                             show_default=False)] = None,
    netuid: NetuidOpt = None,
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    at_block: AtBlockOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Stake per hotkey and subnet: alpha, its spot value (at the pool's price) and its exit
    value (what unstaking it now pays, after the fee and slippage), and what it earned."""
    from cli.names import for_wallets
    from cli.netopts import open_backend
    from cli.stakeopts import coldkey_of, decode_ss58, parse_netuids
    from cli.staking_view import positions, render_positions
    from cli.walletopts import resolve_wallet

    out = Output(json_out)
    if ss58:
        coldkey, address = decode_ss58(ss58, "--ss58"), ss58
    else:
        coldkey, address = coldkey_of(resolve_wallet(wallet_name, wallet_path, None))
    only = parse_netuids(netuid) if netuid is not None else None
    names = for_wallets(wallet_path)
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        block = backend.block_info().number
        rows = positions(backend, coldkey, names, only)
        free = backend.free_balance(coldkey)
    finally:
        backend.close()
    from cli.staking_view import totals

    sums = totals(rows)
    data = {"coldkey": address, "coldkey_name": names.name(address), "block": block,
            "free_balance_rao": free, "stakes": rows, **sums,
            "total_value_rao": sums["total_spot_value_rao"],
            "total_unstake_value_rao": sums["total_exit_value_rao"]}

    def render(console) -> None:
        from chain.units import format_tao

        render_positions(console, rows, f"Stakes of {names.label(address)} at block {block:,}")
        console.print(f"Free balance {format_tao(free)}; staked: spot value "
                      f"{format_tao(sums['total_spot_value_rao'])}, exit value "
                      f"{format_tao(sums['total_exit_value_rao'])} (each position unstaked "
                      "alone, now).")

    out.result(data, render)

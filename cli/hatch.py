"""The escape hatch: `taoctl query`, `taoctl call` and `taoctl explain`, for what no wrapped
command covers.

- `query PALLET ITEM [KEY...] [--at-block B]`: one storage entry by subtensor's names, keys
  parsed against the item's declared key kinds (ss58 for AccountId, ASCII integers within the
  type's bounds, true/false), on any network (a node maps it through its metadata; at B, its
  state at B's hash). `block` is the block whose state was read: a node's head (or B), the
  sandbox's open block (its reads see the open block, as every sandbox command's do).
- `call PALLET FUNCTION name=value...`: any declared call through the one pipeline (dry run
  with the call's SCALE hex and fee, confirmation, receipt; --proxy-for works here too).
- `explain ERROR`: what a subtensor error means (the spec-461 metadata's own doc text, else
  taoctl's list) and what to do (taoctl's advice: which flag or command helps).

Each is its own top-level command (`cli.query`, `cli.call`, `cli.explain` register them).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from chain.errors import did_you_mean
from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt
from cli.pipeline import Signing, signed_command

_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "u128": 128}


def parse_value(kind: str, text: str, what: str) -> Any:
    """One argument from the command line in the kind's local shape; UsageError otherwise."""
    from cli.errors import UsageError

    if kind.startswith("Option<") and text.lower() in ("none", "null"):
        return None
    if kind.startswith("Option<"):
        kind = kind[len("Option<"):-1]
    if kind == "AccountId":
        from cli.stakeopts import decode_ss58

        return decode_ss58(text, what)
    if kind in _BITS or kind == "i64":
        body = text[1:] if kind == "i64" and text.startswith("-") else text
        if not body or not (body.isascii() and body.isdigit()):
            raise UsageError(f"{what}: not a whole number: {text!r} ({kind})")
        value = int(text)
        low, high = (-(2**63), 2**63 - 1) if kind == "i64" else (0, 2 ** _BITS[kind] - 1)
        if not low <= value <= high:
            raise UsageError(f"{what}: {text} is outside {kind} ({low} to {high})")
        return value
    if kind == "bool":
        if text.lower() not in ("true", "false"):
            raise UsageError(f"{what}: true or false, not {text!r}")
        return text.lower() == "true"
    if kind == "ProxyType":
        from chain.factory import proxy_types

        if text not in proxy_types():
            raise UsageError(f"{what}: not a proxy type: {text!r} "
                             f"(one of {', '.join(proxy_types())})")
        return text
    if kind.startswith("Vec<") and kind[4:-1] in _BITS:
        return [parse_value(kind[4:-1], part, what) for part in text.split(",") if part]
    if kind == "RuntimeCall":
        raise UsageError(f"{what}: a nested call cannot be given here; use --proxy-for on the "
                         "call itself")
    import json

    try:
        return json.loads(text)
    except ValueError:
        return text


def _shown(kind: str, value: Any) -> Any:
    import dataclasses

    from chain.backend import canonical

    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)

    if kind == "AccountId" and isinstance(value, (bytes, bytearray)) and len(value) == 32:
        from cli.wallet_chain import ss58

        return ss58(bytes(value))
    return canonical(value)


def query(
    pallet: Annotated[str, typer.Argument(help="The pallet, e.g. SubtensorModule.")],
    item: Annotated[str, typer.Argument(help="The storage item, e.g. SubnetTAO.")],
    keys: Annotated[list[str] | None, typer.Argument(help="The item's keys, in order.",
                                                     show_default=False)] = None,
    at_block: AtBlockOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Read one storage entry by subtensor's names (keys: ss58, integers, true/false)."""
    from chain.factory import declared_item, declared_names
    from cli.errors import UsageError
    from cli.netopts import open_backend, state_block
    from cli.output import Output

    out = Output(json_out, True)
    item_id = f"{pallet}.{item}"
    shape = declared_item(item_id)
    if shape is None:
        raise UsageError(f"no storage item {item_id}" + did_you_mean(item_id, declared_names()[0]))
    kinds, value_kind = shape
    keys = keys or []
    if len(keys) != len(kinds):
        raise UsageError(f"{item_id} takes {len(kinds)} key(s) ({', '.join(kinds) or 'none'}), "
                         f"got {len(keys)}")
    parsed = tuple(parse_value(k, t, f"key {i + 1} ({k})")
                   for i, (k, t) in enumerate(zip(kinds, keys, strict=True)))
    backend = open_backend(network, chain_db, at_block=at_block)  # a node: at B's hash
    try:
        block = state_block(backend, at_block)
        value = backend.read(item_id, *parsed)
    finally:
        backend.close()
    doc = {"item": item_id, "keys": [_shown(k, v) for k, v in zip(kinds, parsed, strict=True)],
           "value": _shown(value_kind, value), "value_kind": value_kind, "block": block}
    out.result(doc, lambda console: console.print(f"{item_id}{doc['keys'] or ''} = "
                                                  f"{doc['value']}  (block {block})"))


@signed_command()
def call(
    pallet: Annotated[str, typer.Argument(help="The pallet, e.g. SubtensorModule.")],
    function: Annotated[str, typer.Argument(help="The call, e.g. add_stake.")],
    args: Annotated[list[str] | None, typer.Argument(help="name=value for every argument.",
                                                     show_default=False)] = None,
    *,
    signing: Signing,
) -> None:
    """Sign and submit any call by subtensor's names: dry run (call hex, fee), confirm, receipt."""
    from chain.backend import Call
    from chain.factory import declared_call, declared_names
    from cli.errors import UsageError
    from cli.pipeline import call_quote, run
    from cli.stakeopts import decode_ss58

    call_id = f"{pallet}.{function}"
    params = declared_call(call_id)
    if params is None:
        raise UsageError(f"no call {call_id}" + did_you_mean(call_id, declared_names()[1]))
    given: dict[str, str] = {}
    for arg in args or []:
        name, sep, text = arg.partition("=")
        if not sep:
            raise UsageError(f"arguments are name=value, not {arg!r}")
        if name not in params:
            raise UsageError(f"{call_id} has no argument {name!r} ({', '.join(params)})")
        given[name] = text
    missing = [n for n in params if n not in given]
    if missing:
        raise UsageError(f"{call_id} needs {', '.join(f'{n}=<{params[n]}>' for n in missing)}")
    values = {n: parse_value(k, given[n], f"{n} ({k})") for n, k in params.items()}
    out = signing.output()
    wallet = signing.wallet()
    origin = decode_ss58(wallet.coldkeypub_ss58, "the wallet's coldkey")
    backend = signing.open()
    try:
        the_call = Call(pallet, function, values)
        backend.build_call(pallet, function, values)  # the runtime's call table: unknown raises
        quote = call_quote(backend, origin, the_call)
        try:
            quote["call_hex"] = "0x" + backend.call_data(the_call).hex()
        except Exception:  # noqa: BLE001 - a call the recorded metadata lacks (taoctl's own)
            quote["call_hex"] = None
        doc = {"account": wallet.coldkeypub_ss58, "quote": quote}

        def render(console) -> None:
            console.print(f"{call_id}({', '.join(f'{n}={given[n]}' for n in params)})")
            console.print(f"call hex: {quote['call_hex'] or '(not in the recorded metadata)'}")
            from cli.feeview import fee_text

            console.print(f"fee: {fee_text(quote)}; signed by "
                          f"{wallet.coldkeypub_ss58}")
            if quote["refusal"]:
                r = quote["refusal"]
                console.print(f"[red]The chain would refuse this ({r['error']}):[/red] {r['why']}")

        executed = run(out, backend, title=call_id, doc=doc, render=render, calls=[the_call],
                       unlock=lambda: signing.coldkey_signer(out, wallet, origin),
                       dry_run=signing.dry_run)
    finally:
        backend.close()
    if signing.dry_run:
        return
    doc["receipt"] = executed[0]["receipt"]
    out.result(doc, lambda console: console.print(
        f"[green]{call_id} included[/green] in extrinsic {doc['receipt']['extrinsic_id']}"))


# taoctl's own advice where it adds something to the metadata's text: which flag or command
ADVICE: dict[str, str] = {
    "SlippageTooHigh": "The price moved past your limit. Re-quote (--dry-run), raise "
    "--tolerance, pass --partial to fill what fits, or trade a smaller --amount.",
    "NotEnoughBalanceToStake": "Stake less (--amount), or use --all to stake the free balance "
    "less the existential deposit; `taoctl wallet balance` shows what is free.",
    "NotEnoughStakeToWithdraw": "Unstake less; `taoctl stake list` shows what you hold per "
    "hotkey and subnet (use --all to unstake everything there).",
    "AmountTooLow": "Each stake trade must move at least the minimum (0.0005 TAO); raise --amount.",
    "InsufficientBalance": "The account has too little free TAO; fund it or send less "
    "(`taoctl wallet balance`).",
    "NotExpendable": "The transfer would leave the sender below the existential deposit: send "
    "less, or pass --allow-death to let the account be reaped.",
    "ExistentialDeposit": "The destination would be created below the existential deposit "
    "(500 rao): send more.",
    "SubnetNotExists": "No such subnet: `taoctl subnet list` shows the netuids.",
    "HotKeyAccountNotExists": "The hotkey is not registered anywhere: register it first "
    "(`taoctl subnet register --netuid N`) or pick another with --hotkey-ss58.",
    "HotKeyNotRegisteredInSubNet": "Register the hotkey on that subnet first "
    "(`taoctl subnet register --netuid N`).",
    "SubtokenDisabled": "The subnet has not started trading: its owner runs "
    "`taoctl subnet start --netuid N`.",
    "StakingRateLimitExceeded": "Wait a block (`taoctl chain advance` on the sandbox) and retry.",
    "TooManyRegistrationsThisBlock": "Retry in the next block.",
    "RegistrationPriceLimitExceeded": "The burn rose past your limit: re-quote with --dry-run.",
    "NotProxy": "The signing wallet is not a proxy of --proxy-for's account (or not of "
    "--proxy-type): `taoctl proxy list ADDRESS` shows its proxies; the real account adds one "
    "with `taoctl proxy add DELEGATE TYPE`.",
    "CallFiltered": "The proxy's type does not allow this call (a Staking proxy may only trade "
    "stake): add a proxy of a type that does, or sign with the real coldkey.",
    "Unproxyable": "This call cannot be made through a proxy: sign with the real coldkey.",
    "Duplicate": "That proxy (delegate, type, delay) already exists: `taoctl proxy list`.",
    "NotFound": "For proxies: no proxy with that delegate, type and delay; `taoctl proxy list` "
    "shows the exact ones to remove.",
    "NoSelfProxy": "An account cannot be its own proxy: name another account as the delegate.",
    "TooMany": "An account has at most 20 proxies: remove one first (`taoctl proxy remove`).",
    "Stale": "The nonce was used: the extrinsic was already submitted; check with "
    "`taoctl wallet balance` before retrying.",
    "BadOrigin": "The call needs another signer (root, the subnet owner, or the hotkey).",
    "NotSubnetOwner": "Only the subnet's owner coldkey may do this: sign with --wallet-name of "
    "the owner.",
}


# -- hatch: the names taoctl itself gives a receipt (exit 4), which no metadata lists ---------
OWN_ERRORS: dict[str, tuple[str, str]] = {
    "ShieldedInnerNotIncluded": (
        "A MEV-shielded submission: the submit_encrypted carrier was included (its fee paid, "
        "its nonce used) but the encrypted inner extrinsic was not in that block or the next "
        "two, so the call itself did not run.",
        "Check with `taoctl stake list` / `taoctl wallet balance` that nothing moved, then "
        "re-run the command (it takes fresh nonces); --no-mev-shield sends it in the clear."),
}


def explain(
    error: Annotated[str, typer.Argument(help="A subtensor error name, e.g. SlippageTooHigh.")],
    json_out: JsonOpt = False,
) -> None:
    """What a chain error means and what to do about it."""
    from chain.errors import BY_NAME, REFUSALS
    from chain.factory import error_docs
    from cli.errors import UsageError
    from cli.output import Output

    out = Output(json_out, True)
    docs = error_docs()
    names = {n.lower(): n for n in [*docs, *BY_NAME, *OWN_ERRORS]}
    name = names.get(error.lower())
    if name is None:
        raise UsageError(f"no error named {error!r}" + did_you_mean(error, sorted(set(names.values()))))
    meanings = [{"pallet": p, "doc": d} for p, d in docs.get(name, [])]
    in_metadata = bool(meanings)
    if name in OWN_ERRORS:
        meanings = [{"pallet": "taoctl", "doc": OWN_ERRORS[name][0]}]
    listed = next((p for p, ns in REFUSALS.items() if name in ns.split()), None)
    advice = OWN_ERRORS[name][1] if name in OWN_ERRORS else \
        ADVICE.get(name) or _generic(name, meanings)
    doc = {"error": name, "in_metadata": in_metadata, "meanings": meanings,
           "taoctl_pallet": listed, "advice": advice, "exit_code": 4}

    def render(console) -> None:
        console.print(f"[bold]{name}[/bold]")
        for m in meanings:
            console.print(f"  {m['pallet']}: {m['doc'] or '(no text in the metadata)'}",
                          markup=False)
        if not meanings:
            console.print("  (not in the spec-461 metadata: an older runtime's name)")
        console.print(f"What to do: {doc['advice']}")

    out.result(doc, render)


def _generic(name: str, meanings: list[dict]) -> str:
    pallets = {m["pallet"] for m in meanings}
    if "AdminUtils" in pallets or "Sudo" in pallets:
        return "An administrative call was refused: only root or the subnet owner may make it."
    return ("The chain refused the call: nothing it would have done happened (an extrinsic "
            "that was included still paid its fee). Read the meaning above, adjust the command "
            "and re-run it with --dry-run first.")

"""`taoctl weights set | commit | reveal | show`: a validator's weights on a subnet
(`set_weights`; `commit_weights` / `reveal_weights` on a subnet with commit-reveal on).

`set` parses `--uids 1,2,3 --weights 0.5,0.3,0.2` (any non-negative numbers: they are scaled so
the largest is 65535, as the chain stores them) and goes through `cli.pipeline`: the quote holds
the chain's verdict (a refusal exits 4 with subtensor's error name, nothing signed), confirmed
unless -y, signed with the wallet's HOTKEY (as on chain, weights come from the validator's
hotkey) and submitted. `commit` sends the hash of the weights with a salt (random unless
`--salt`; printed, it is needed to reveal) and says the epoch to reveal in; `reveal` sends the
same weights, salt and version key then. `show` lists the stored rows
of a subnet (or of one UID) as UID -> weight fractions. Heavy modules load inside the commands.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from chain.exitcodes import EXIT_USAGE
from cli.netopts import ChainDbOpt, NetworkOpt
from cli.output import JsonOpt, Output
from cli.pipeline import Signing, signed_command
from cli.stakeopts import NetuidOpt

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
                  help="Set and show validator weights.")

U16_MAX = 65_535


class WeightsUsageError(Exception):
    """Malformed --uids / --weights."""

    name = "WeightsUsageError"
    exit_code = EXIT_USAGE


def parse_list(text: str, what: str, *, integers: bool) -> list:
    """`1,2,3` (or space separated) as numbers; WeightsUsageError on anything else."""
    from cli.numparse import parse_uid_list, parse_weight_list

    return parse_uid_list(text, what) if integers else parse_weight_list(text, what)


def to_u16(weights: list) -> list[int]:
    """Non-negative numbers as u16 values with the largest at 65535 (floored, exact decimals)."""
    top = max(weights)
    if top == 0:
        raise WeightsUsageError("--weights are all zero")
    return [int(w * U16_MAX / top) for w in weights]


# the options `set`, `commit` and `reveal` share
UidsOpt = Annotated[str | None, typer.Option("--uids", help="Destination UIDs: 1,2,3")]
WeightsOpt = Annotated[str | None, typer.Option("--weights", help="Weights (any scale): "
                                                "0.5,0.3,0.2")]
VersionKeyOpt = Annotated[int, typer.Option("--version-key", min=0)]


@app.command("set")
@signed_command()
def set_weights(
    netuid: NetuidOpt = None,
    uids: UidsOpt = None,
    weights: WeightsOpt = None,
    version_key: VersionKeyOpt = 0,
    *,
    signing: Signing,
) -> None:
    """Set this wallet hotkey's weights on a subnet (signed by the hotkey)."""
    from cli.wallet_chain import ss58

    out = signing.output()
    n, dests, scaled = _weights_inputs(out, netuid, uids, weights)
    wallet, hotkey = _wallet_hotkey(signing)
    summary = {"netuid": n, "hotkey": ss58(hotkey), "uids": dests, "weights_u16": scaled,
               "version_key": version_key}
    data = _send_hotkey_call(
        signing, out, wallet, hotkey, "set_weights",
        {"netuid": n, "dests": dests, "weights": scaled, "version_key": version_key}, summary,
        f"set_weights on subnet {n}: " + ", ".join(
            f"{d}:{w}" for d, w in zip(dests, scaled, strict=True)))
    if data is None:
        return
    receipt = data["receipt"]
    out.result(data, lambda c: c.print(
        f"Weights set on subnet {n} at block {receipt['block_number']}: " +
        ", ".join(f"{d}:{w / U16_MAX:.4f}" for d, w in zip(dests, scaled, strict=True))))


@app.command("show")
def show(
    netuid: NetuidOpt = None,
    uid: Annotated[int | None, typer.Option("--uid", min=0, help="Only this validator")] = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """The weights stored on a subnet: one row per validator that set them."""
    from cli.chainview import require_subnet
    from cli.netopts import open_backend
    from cli.stakeopts import parse_netuid

    out = Output(json_out)
    n = parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))
    backend = open_backend(network, chain_db)
    try:
        require_subnet(backend, n)
        count = backend.read("SubtensorModule.SubnetworkN", n)
        wanted = [uid] if uid is not None else list(range(count))
        rows = backend.read_many("SubtensorModule.Weights", [(n, u) for u in wanted])
        last = backend.read("SubtensorModule.LastUpdate", n)
        block = backend.block_info().number
    finally:
        backend.close()
    validators: list[dict[str, Any]] = []
    for u, row in zip(wanted, rows, strict=True):
        if not row:
            continue
        total = sum(w for _, w in row) or 1
        updated = last[u] if u < len(last) else 0
        validators.append({"uid": u, "last_update": updated, "blocks_since_update": block - updated,
                           "weights": [{"uid": d, "weight_u16": w, "weight": w / total}
                                       for d, w in row]})
    data = {"netuid": n, "block": block, "validators": validators}

    def render(console) -> None:
        from rich.table import Table

        if not validators:
            console.print(f"No weights set on subnet {n}.")
            return
        table = Table(title=f"Weights on subnet {n}", title_justify="left")
        for col in ("Validator UID", "Updated (blocks ago)", "Weights (UID: share)"):
            table.add_column(col)
        for v in validators:
            table.add_row(str(v["uid"]), str(v["blocks_since_update"]), ", ".join(
                f"{w['uid']}: {w['weight']:.4f}" for w in v["weights"]))
        console.print(table)

    out.result(data, render)


# -- econ: commit-reveal (ECONOMICS-2026 §7.0; chain.local.commit_reveal) -------------------------
def _weights_inputs(out, netuid, uids, weights):
    """The netuid, the UIDs and their weights scaled to u16, from the options or prompts."""
    from cli.stakeopts import parse_netuid

    n = parse_netuid(netuid if netuid is not None else out.prompt("Netuid", what="--netuid"))
    dests = parse_list(uids if uids is not None else out.prompt("UIDs", what="--uids"),
                       "--uids", integers=True)
    values = parse_list(weights if weights is not None else out.prompt("Weights",
                        what="--weights"), "--weights", integers=False)
    if len(dests) != len(values):
        raise WeightsUsageError(f"{len(dests)} UIDs but {len(values)} weights")
    return n, dests, to_u16(values)


def _wallet_hotkey(signing: Signing):
    """(the wallet, its hotkey's public key): the hotkey that signs a weights call."""
    from cli.stakeopts import resolve_hotkey

    wallet = signing.wallet()
    hotkey, _ = resolve_hotkey(wallet, None, signing.wallet_hotkey)
    return wallet, hotkey


def _send_hotkey_call(signing: Signing, out, wallet, hotkey: bytes, name: str, args: dict,
                      summary: dict, line: str) -> dict | None:
    """One weights call signed by the wallet's hotkey through the pipeline; the receipt's
    document, or None on a dry run."""
    from chain.backend import Call
    from cli.pipeline import call_quote, run

    backend = signing.open()
    try:
        call = Call("SubtensorModule", name, args)
        quote = call_quote(backend, hotkey, call)
        result = (quote["chain"] or {}).get("result") or {}
        executed = run(out, backend, title=f"{name} on subnet {args['netuid']}",
                       doc={**summary, "quote": quote}, render=lambda c: c.print(
                           line + (f" (the chain would refuse: {quote['refusal']['error']})"
                                   if quote["refusal"] else "")),
                       calls=[call], unlock=lambda: signing.hotkey_signer(out, wallet, hotkey),
                       dry_run=signing.dry_run)
    finally:
        backend.close()
    if signing.dry_run:
        return None
    receipt = executed[0]["receipt"]
    return {**summary, **{k: v for k, v in result.items() if k.endswith("epoch")},
            "block": receipt["block_number"], "extrinsic": receipt["extrinsic_hash"],
            "receipt": receipt}


SaltOpt = Annotated[str | None, typer.Option(
    "--salt", help="Salt: u16 numbers, 1,2,3 (default: 8 random ones, printed: keep them)")]


@app.command("commit")
@signed_command()
def commit_weights(
    netuid: NetuidOpt = None,
    uids: UidsOpt = None,
    weights: WeightsOpt = None,
    salt: SaltOpt = None,
    version_key: VersionKeyOpt = 0,
    *,
    signing: Signing,
) -> None:
    """Commit this hotkey's weights on a commit-reveal subnet (reveal them one period later)."""
    import secrets

    from chain.factory import weights_commit_hash
    from cli.wallet_chain import ss58

    out = signing.output()
    n, dests, scaled = _weights_inputs(out, netuid, uids, weights)
    salts = parse_list(salt, "--salt", integers=True) if salt is not None else \
        [secrets.randbelow(65_536) for _ in range(8)]
    wallet, hotkey = _wallet_hotkey(signing)
    digest = "0x" + weights_commit_hash(hotkey, n, dests, scaled, salts, version_key).hex()
    summary = {"netuid": n, "hotkey": ss58(hotkey), "uids": dests, "weights_u16": scaled,
               "salt": salts, "version_key": version_key, "commit_hash": digest}
    data = _send_hotkey_call(signing, out, wallet, hotkey, "commit_weights",
                             {"netuid": n, "commit_hash": digest}, summary,
                             f"commit_weights on subnet {n}: {digest}")
    if data is None:
        return
    salt_text = ",".join(map(str, salts))
    out.result(data, lambda c: c.print(
        f"Weights committed on subnet {n} at block {data['block']} (hash {digest}). Reveal in "
        f"epoch {data.get('reveal_epoch', '?')} with: taoctl weights reveal --netuid {n} "
        f"--uids {','.join(map(str, dests))} --weights {','.join(map(str, scaled))} "
        f"--salt {salt_text}" + (f" --version-key {version_key}" if version_key else "")))


@app.command("reveal")
@signed_command()
def reveal_weights(
    netuid: NetuidOpt = None,
    uids: UidsOpt = None,
    weights: Annotated[str | None, typer.Option("--weights", help="The committed weights")] = None,
    salt: Annotated[str | None, typer.Option("--salt", help="The commit's salt: 1,2,3")] = None,
    version_key: VersionKeyOpt = 0,
    *,
    signing: Signing,
) -> None:
    """Reveal weights committed one reveal period ago (same weights, salt and version key)."""
    from cli.wallet_chain import ss58

    out = signing.output()
    n, dests, scaled = _weights_inputs(out, netuid, uids, weights)
    salts = parse_list(salt if salt is not None else out.prompt("Salt", what="--salt"),
                       "--salt", integers=True)
    wallet, hotkey = _wallet_hotkey(signing)
    summary = {"netuid": n, "hotkey": ss58(hotkey), "uids": dests, "weights_u16": scaled,
               "salt": salts, "version_key": version_key}
    data = _send_hotkey_call(signing, out, wallet, hotkey, "reveal_weights",
                             {"netuid": n, "uids": dests, "values": scaled, "salt": salts,
                              "version_key": version_key}, summary,
                             f"reveal_weights on subnet {n}")
    if data is None:
        return
    out.result(data, lambda c: c.print(
        f"Weights revealed on subnet {n} at block {data['block']}: " +
        ", ".join(f"{d}:{w / U16_MAX:.4f}" for d, w in zip(dests, scaled, strict=True))))
# -- end econ

"""Options shared by the stake and subnet commands, with btcli's spellings, and their parsing.

`--netuid/--netuids/-n` (one netuid or a comma list), `--amount/-a`, `--tolerance`
(`--rate-tolerance`, `--limit`: btcli's fraction, 0.005 = 0.5 %, or "0.5%"), `--safe/--unsafe`
(also `--safe-staking/--no-safe-staking`), `--partial/--no-partial` (also
`--allow-partial-stake`), `--dry-run`, and the hotkey a stake goes to: `--hotkey-ss58`
(`--hotkey-ss58-address`, `--include-hotkeys`, `-in`), or the wallet's `--hotkey` (a name, or an
ss58 address as btcli accepts). Light module: typer and the stdlib only.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.errors import UsageError

NetuidOpt = Annotated[
    str | None,
    typer.Option("--netuid", "--netuids", "-n",
                 help="Subnet netuid (a comma list where several are allowed).",
                 show_default=False),
]
AmountOpt = Annotated[
    str | None,
    typer.Option("--amount", "-a", help="Amount: TAO to stake, alpha to unstake or move.",
                 show_default=False),
]
ToleranceOpt = Annotated[
    str | None,
    typer.Option("--tolerance", "--rate-tolerance", "--limit",
                 help="Price tolerance for the limit price, as btcli: 0.005 = 0.5 % "
                 "(or write 0.5%). [default: 0.005]", show_default=False),
]
SafeOpt = Annotated[
    bool,
    typer.Option("--safe/--unsafe", "--safe-staking/--no-safe-staking",
                 help="Use the limit calls (*_limit) so the price cannot move past "
                 "--tolerance before inclusion."),
]
PartialOpt = Annotated[
    bool,
    typer.Option("--partial/--no-partial", "--allow-partial-stake/--no-allow-partial-stake",
                 help="With --safe: fill what fits within the limit instead of failing "
                 "(SlippageTooHigh)."),
]
DryRunOpt = Annotated[
    bool,
    typer.Option("--dry-run", help="Quote only: show what would happen; nothing is signed "
                 "and no password is asked."),
]
HotkeySs58Opt = Annotated[
    str | None,
    typer.Option("--hotkey-ss58", "--hotkey-ss58-address", "--include-hotkeys", "-in",
                 help="The hotkey's ss58 address (default: the wallet's --hotkey).",
                 show_default=False),
]


def parse_netuids(text: str | None, *, what: str = "--netuid") -> list[int]:
    """"1" or "1,2,3" as netuids; a one-line UsageError for anything else."""
    if text is None:
        raise UsageError(f"{what} is required")
    from cli.numparse import parse_netuid as netuid_of

    values = []
    for part in text.split(","):
        value = netuid_of(part, what)
        if value not in values:
            values.append(value)
    if not values:
        raise UsageError(f"{what} is empty")
    return values


def parse_netuid(text: str | None, *, what: str = "--netuid") -> int:
    values = parse_netuids(text, what=what)
    if len(values) != 1:
        raise UsageError(f"{what} takes one netuid here, got {text!r}")
    return values[0]


def decode_ss58(text: str, what: str) -> bytes:
    from cli.wallet_chain import decode_address

    return decode_address(text, what=what)


def looks_like_ss58(text: str | None) -> bool:
    return bool(text) and len(text) >= 46 and text[0] in "123456789ABCDEFGHJKLMNPQRSTUVWXYZ" \
        and text.isalnum()


def resolve_hotkey(wallet, hotkey_ss58: str | None, hotkey_flag: str | None) -> tuple[bytes, str]:
    """(public key, ss58) of the hotkey meant: --hotkey-ss58, an ss58 given as --hotkey, or the
    wallet's hotkey file (its pub file; nothing is unlocked)."""
    if hotkey_ss58:
        return decode_ss58(hotkey_ss58, "--hotkey-ss58"), hotkey_ss58
    if looks_like_ss58(hotkey_flag):
        return decode_ss58(hotkey_flag, "--hotkey"), hotkey_flag
    address = wallet.hotkey_ss58(hotkey_flag or None)
    return decode_ss58(address, "the wallet's hotkey"), address


def coldkey_of(wallet) -> tuple[bytes, str]:
    """(public key, ss58) of the wallet's coldkey, from coldkeypub.txt (nothing unlocked)."""
    address = wallet.coldkeypub_ss58
    return decode_ss58(address, "the wallet's coldkey"), address

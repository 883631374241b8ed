"""Addresses by the names a person gave them: the wallets directory's pub files, read once.

`Names.scan(path)` reads every `<wallet>/coldkeypub.txt` and `<wallet>/hotkeys/<name>pub.txt`
under the wallets directory (pub files only: nothing is decrypted, nothing is written), so a
view can show "me/miner" beside an ss58 address, and `--to miner` can mean a hotkey of the
wallet. A damaged or missing pub file leaves that key unnamed; it is never an error here.
Light module: stdlib only at import.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Names:
    """ss58 -> wallet name (coldkeys) and ss58 -> (wallet, hotkey name) (hotkeys)."""

    coldkeys: dict[str, str] = field(default_factory=dict)
    hotkeys: dict[str, tuple[str, str]] = field(default_factory=dict)
    wallet_hotkeys: dict[str, dict[str, str]] = field(default_factory=dict)  # wallet: name->ss58

    @classmethod
    def scan(cls, path: str | Path | None) -> Names:
        names = cls()
        if path is None:
            return names
        root = Path(os.path.expanduser(str(path)))
        try:
            wallets = sorted(e.name for e in os.scandir(root) if e.is_dir()
                             and not e.name.startswith("."))
        except OSError:
            return names
        for wallet in wallets:
            cold = _pub_ss58(root / wallet / "coldkeypub.txt")
            if cold:
                names.coldkeys.setdefault(cold, wallet)
            try:
                entries = sorted(os.listdir(root / wallet / "hotkeys"))
            except OSError:
                continue
            for entry in entries:
                if not entry.endswith("pub.txt") or entry.startswith("."):
                    continue
                hotkey = entry[: -len("pub.txt")]
                address = _pub_ss58(root / wallet / "hotkeys" / entry)
                if address and hotkey:
                    names.hotkeys.setdefault(address, (wallet, hotkey))
                    names.wallet_hotkeys.setdefault(wallet, {})[hotkey] = address
        return names

    def name(self, ss58: str | None) -> str | None:
        """"wallet/hotkey" for a known hotkey, "wallet" for a known coldkey, else None."""
        if not ss58:
            return None
        if ss58 in self.hotkeys:
            return "/".join(self.hotkeys[ss58])
        return self.coldkeys.get(ss58)

    def hotkey_name(self, ss58: str) -> str | None:
        """The hotkey's own name (without the wallet), if it is one of ours."""
        found = self.hotkeys.get(ss58)
        return found[1] if found else None

    def label(self, ss58: str | None) -> str:
        """"name (ss58)" where the address is known, else the address alone."""
        if not ss58:
            return "-"
        known = self.name(ss58)
        return f"{known} ({ss58})" if known else ss58

    def find_hotkey(self, text: str, wallet: str | None) -> str | None:
        """A hotkey named by the user: "name" (of `wallet`, else of the only wallet that has
        it) or "wallet/name"; None when nothing or more than one matches."""
        if "/" in text:
            w, _, h = text.partition("/")
            return self.wallet_hotkeys.get(w, {}).get(h)
        if wallet and text in self.wallet_hotkeys.get(wallet, {}):
            return self.wallet_hotkeys[wallet][text]
        found = [keys[text] for keys in self.wallet_hotkeys.values() if text in keys]
        return found[0] if len(found) == 1 else None

    def find_coldkey(self, text: str) -> str | None:
        """A wallet's coldkey by the wallet's name."""
        for address, wallet in self.coldkeys.items():
            if wallet == text:
                return address
        return None


def _pub_ss58(path: Path) -> str | None:
    """The ss58 address a pub file holds (btcli's JSON pub file or a bare address)."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    from wallet import keyfile

    try:
        return keyfile.parse_keyfile_json(data, path.name).ss58_address
    except Exception:  # noqa: BLE001 - a damaged pub file leaves the key unnamed
        return None


def for_wallets(wallet_path: str | None) -> Names:
    """The names under the wallets directory the options point at (flag, env, config)."""
    if wallet_path is None:
        from cli.walletopts import wallet_defaults

        wallet_path = wallet_defaults()["path"][0]
    return Names.scan(wallet_path)


def coldkey_targets(wallet_name: str | None, wallet_path: str | None, ss58: str | None,
                    all_wallets: bool) -> tuple[Names, list[tuple[str | None, str]]]:
    """The names under the wallets directory and the coldkeys a view is about, as (wallet
    name or None, ss58): `--ss58`, every wallet (`--all`), or the chosen wallet."""
    from cli.wallet_chain import AddressError, decode_address
    from cli.walletopts import resolve_wallet

    wallet = resolve_wallet(wallet_name, wallet_path, None)
    names = Names.scan(wallet.path)
    if ss58:
        decode_address(ss58, what="--ss58")
        return names, [(names.name(ss58), ss58)]
    if all_wallets:
        targets = sorted(((w, a) for a, w in names.coldkeys.items()), key=lambda t: t[0] or "")
        if not targets:
            raise AddressError(f"no wallet with a readable coldkeypub.txt under {wallet.path}")
        return names, targets
    return names, [(wallet.name, wallet.coldkeypub_ss58)]

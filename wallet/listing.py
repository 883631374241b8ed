"""A fast inventory of a wallets directory for `wallet list` and `wallet inspect`.

Only public files are parsed (coldkeypub.txt, <hk>pub.txt, or a plaintext keyfile when the pub
file is missing); encrypted keyfiles are recognised by their first bytes and never decrypted.
Stdlib only, so listing 100 wallets x 10 hotkeys stays well under a few hundred milliseconds.
"""

from __future__ import annotations

import os
from pathlib import Path

from wallet import keyfile as kf
from wallet.errors import KeyFileError, KeyNotFound, WalletError


def _head(path: str, size: int = 16) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError:
        return None


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def describe_key(key_path: str, pub_path: str | None) -> dict:
    """What can be said about one key without decrypting it.

    Returns `ss58_address` (None if unknown), `crypto_type`, `keyfile` (present, missing,
    encrypted, unreadable), `encrypted`, `has_pub` and `error` (a short reason when a file is
    corrupt).
    """
    info: dict = {
        "ss58_address": None,
        "crypto_type": None,
        "encrypted": False,
        "keyfile": "missing",
        "has_pub": False,
        "error": None,
    }
    head = _head(key_path) if os.path.isfile(key_path) else None
    if head is not None:
        info["keyfile"] = "present"
        info["encrypted"] = kf.is_encrypted(head)
    elif os.path.lexists(key_path):
        info["keyfile"] = "unreadable"
    sources = []
    if pub_path and os.path.isfile(pub_path):
        info["has_pub"] = True
        sources.append(pub_path)
    if head is not None and not info["encrypted"]:
        sources.append(key_path)
    for source in sources:
        data = _read(source)
        if data is None:
            continue
        try:
            key = kf.parse_keyfile_json(data, os.path.basename(source))
        except WalletError as exc:
            info["error"] = str(exc)
            continue
        info["ss58_address"] = key.ss58_address
        info["crypto_type"] = key.crypto_name
        info["error"] = None
        break
    return info


def describe_wallet(path: Path, name: str, coldkeys_only: bool = False) -> dict:
    """One wallet: its coldkey (from coldkeypub.txt) and each hotkey, as plain data."""
    root = os.path.join(path, name)
    cold = describe_key(os.path.join(root, "coldkey"), os.path.join(root, "coldkeypub.txt"))
    hotkeys = []
    if not coldkeys_only:
        folder = os.path.join(root, "hotkeys")
        try:
            entries = os.listdir(folder)
        except OSError:
            entries = []
        names = sorted({e[:-7] if e.endswith("pub.txt") else e for e in entries})
        for hk in names:
            if not hk or hk.startswith("."):
                continue
            info = describe_key(os.path.join(folder, hk), os.path.join(folder, hk + "pub.txt"))
            hotkeys.append({"name": hk, **info})
    return {"name": name, "path": root, **cold, "hotkeys": hotkeys}


def list_wallets(path: str | Path, coldkeys_only: bool = False) -> list[dict]:
    """Every wallet (directory) under `path`, sorted by name; [] if `path` does not exist."""
    path = Path(os.path.expanduser(str(path))).absolute()
    try:
        entries = sorted(e.name for e in os.scandir(path) if e.is_dir() and e.name[:1] != ".")
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise KeyFileError(f"wallet path {path} is not a directory") from None
    except PermissionError:
        raise KeyFileError(f"wallet path {path} is not readable (permission denied)") from None
    return [describe_wallet(path, name, coldkeys_only) for name in entries]


def inspect_wallet(path: str | Path, name: str) -> dict:
    """One wallet by name; KeyNotFound if it does not exist, KeyFileError if unreadable."""
    path = Path(os.path.expanduser(str(path))).absolute()
    root = path / name
    if not root.exists():
        raise KeyNotFound(f"wallet {name!r} not found under {path}")
    if not root.is_dir():
        raise KeyFileError(f"wallet {name!r} at {root} is not a directory")
    if not os.access(root, os.R_OK | os.X_OK):
        raise KeyFileError(f"wallet directory {root} is not readable (permission denied)")
    return describe_wallet(path, name)

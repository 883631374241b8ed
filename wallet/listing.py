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


def _probe(path: str, size: int = -1) -> tuple[str, bytes | None]:
    """('present', bytes) for a readable file, else ('missing' | 'unreadable', None).

    Opening directly (no stat first) keeps a listing of a thousand keys cheap.
    """
    try:
        with open(path, "rb") as handle:
            return "present", handle.read(size)
    except FileNotFoundError:
        return "missing", None
    except OSError:  # a directory, no permission, ...
        return "unreadable", None


def describe_key(key_path: str, pub_path: str | None) -> dict:
    """What can be said about one key without decrypting it.

    Returns `ss58_address` (None if unknown), `crypto_type`, `keyfile` (present, missing,
    unreadable), `encrypted`, `has_pub` and `error` (a short reason when a file is corrupt).
    """
    state, head = _probe(key_path, 16)
    encrypted = head is not None and kf.is_encrypted(head)
    info: dict = {
        "ss58_address": None,
        "crypto_type": None,
        "encrypted": encrypted,
        "keyfile": state,
        "has_pub": False,
        "error": None,
    }
    pub = _probe(pub_path)[1] if pub_path else None
    info["has_pub"] = pub is not None
    sources = [(pub_path, pub)] if pub is not None else []
    if head is not None and not encrypted:
        sources.append((key_path, None))
    for source, data in sources:
        if data is None:
            data = _probe(source)[1]
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


def _finish_interrupted_writes(root: str) -> None:
    """A key pair whose write was cut short after its commit point is finished first, so the
    listing shows the pair that signing will use (see `wallet.pairwrite`)."""
    from wallet.pairwrite import PENDING_PREFIX, settle

    try:
        pending = [e for e in os.listdir(root) if e.startswith(PENDING_PREFIX)]
    except OSError:
        return
    for entry in pending:
        try:
            settle(Path(root), entry[len(PENDING_PREFIX):])
        except KeyFileError:
            pass  # a read-only wallet: listed as it is; unlocking it reports the problem


def describe_wallet(path: Path, name: str, coldkeys_only: bool = False) -> dict:
    """One wallet: its coldkey (from coldkeypub.txt) and each hotkey, as plain data."""
    root = os.path.join(path, name)
    _finish_interrupted_writes(root)
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

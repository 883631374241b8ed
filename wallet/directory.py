"""The wallet directory, exactly as btcli lays it out:

    <path>/<name>/coldkey                 full keypair JSON, usually $NACL-encrypted
    <path>/<name>/coldkeypub.txt          public JSON, never encrypted
    <path>/<name>/hotkeys/<hk>            full keypair JSON, usually plaintext
    <path>/<name>/hotkeys/<hk>pub.txt     public JSON (btwallet >= 3.1)

Files are written 0600 and directories 0700, atomically (`wallet.fsio`). Nothing here prompts:
passwords come in as a string, or as a callable `passwords(keyfile_path, role)` that yields
candidate passwords (the CLI's chain of sources); the first that decrypts wins. The Argon2i key
of each password is cached for the life of the process (`wallet.keyfile.nacl_key`), so a key
unlocked twice costs the KDF once.

Public API (stable): `Wallet(name, path, hotkey)` with `coldkeypub_ss58`, `hotkey_ss58(name)`,
`coldkey_keypair(passwords)`, `hotkey_keypair(name, passwords)`; `DEFAULT_WALLET_PATH`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from wallet import keyfile as kf
from wallet.errors import (
    InvalidWalletName,
    KeyExists,
    KeyFileError,
    KeyNotFound,
    PasswordError,
)
from wallet.fsio import ensure_private_dir

if TYPE_CHECKING:  # pragma: no cover
    from substrateinterface import Keypair

DEFAULT_WALLET_PATH = "~/.bittensor/wallets"
DEFAULT_WALLET_NAME = "default"
DEFAULT_HOTKEY = "default"

PasswordCallback = Callable[[Path, str], Iterable[str]]
Passwords = str | PasswordCallback | None


def read_keyfile(path: Path, what: str) -> bytes:
    """The bytes of a keyfile, or a one-line error naming `what` (never a raw OSError)."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise KeyNotFound(f"{what} not found at {path}") from None
    except IsADirectoryError:
        raise KeyFileError(f"{what} at {path} is a directory, not a keyfile") from None
    except PermissionError:
        raise KeyFileError(f"{what} at {path} is not readable (permission denied)") from None
    except OSError as exc:
        raise KeyFileError(f"{what} at {path} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise KeyFileError(f"{what} at {path} is empty")
    return data


def check_name(value: object, label: str = "wallet name") -> str:
    """A wallet or hotkey name must be one plain file name: not empty, no '/', not '.' or '..',
    and no control character (a newline or an escape in a directory name misleads every
    listing and terminal that shows it). InvalidWalletName (exit 2) otherwise."""
    if not isinstance(value, str) or not value:
        raise InvalidWalletName(f"the {label} is empty")
    if "/" in value or value in (".", "..") or any(
            ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
        raise InvalidWalletName(f"invalid {label} {value!r} (no '/', control characters, "
                                "'.' or '..')")
    return value


def _candidates(passwords: Passwords, path: Path, role: str) -> Iterable[str]:
    if passwords is None:
        return ()
    if isinstance(passwords, str):
        return (passwords,)
    return passwords(path, role)


def decrypt_keyfile(data: bytes, path: Path, what: str, passwords: Passwords) -> bytes:
    """Plaintext keyfile JSON, trying each candidate password; PasswordError if none fits."""
    if not kf.is_encrypted(data):
        return data
    tried = False
    for password in _candidates(passwords, path, what):
        tried = True
        try:
            return kf.decrypt(data, password, what)
        except PasswordError:
            continue
    if not tried:
        raise PasswordError(f"{what} is encrypted and no password was given")
    raise PasswordError(f"wrong password for {what}")


class Wallet:
    """One wallet (a coldkey and its hotkeys) under a wallets directory."""

    def __init__(
        self,
        name: str = DEFAULT_WALLET_NAME,
        path: str | Path = DEFAULT_WALLET_PATH,
        hotkey: str = DEFAULT_HOTKEY,
    ) -> None:
        for label, value in (("wallet name", name), ("hotkey name", hotkey)):
            check_name(value, label)
        self.name = name
        self.path = Path(os.path.expanduser(str(path))).absolute()
        self.hotkey_str = hotkey

    def __repr__(self) -> str:
        return f"Wallet(name={self.name!r}, path={str(self.path)!r}, hotkey={self.hotkey_str!r})"

    # paths -------------------------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return self.path / self.name

    @property
    def coldkey_file(self) -> Path:
        return self.root / "coldkey"

    @property
    def coldkeypub_file(self) -> Path:
        return self.root / "coldkeypub.txt"

    def hotkey_file(self, name: str | None = None) -> Path:
        return self.root / "hotkeys" / self._hotkey_name(name)

    def hotkeypub_file(self, name: str | None = None) -> Path:
        return self.root / "hotkeys" / f"{self._hotkey_name(name)}pub.txt"

    def _hotkey_name(self, name: str | None) -> str:
        return self.hotkey_str if name is None else check_name(name, "hotkey name")

    def exists(self) -> bool:
        return self.root.is_dir()

    def _require_wallet(self) -> None:
        if not self.root.exists():
            raise KeyNotFound(f"wallet {self.name!r} not found under {self.path}")
        if not self.root.is_dir():
            raise KeyFileError(f"wallet {self.name!r} at {self.root} is not a directory")
        if not os.access(self.root, os.R_OK | os.X_OK):
            raise KeyFileError(f"wallet directory {self.root} is not readable")

    def hotkey_names(self) -> list[str]:
        """Names of the hotkeys with a keyfile or a pub file, sorted."""
        self._require_wallet()
        folder = self.root / "hotkeys"
        try:
            entries = os.listdir(folder)
        except FileNotFoundError:
            return []
        except OSError:
            raise KeyFileError(f"hotkeys directory {folder} is not readable") from None
        names = {e[: -len("pub.txt")] if e.endswith("pub.txt") else e for e in entries}
        return sorted(n for n in names if n and not n.startswith("."))

    # public keys (no decryption) ---------------------------------------------------------------
    def coldkeypub(self) -> kf.KeyData:
        """The coldkey's public key from coldkeypub.txt (or a plaintext coldkey file)."""
        self._require_wallet()
        self._settle("coldkey")
        what = f"coldkeypub of wallet {self.name!r}"
        if self.coldkeypub_file.exists() or not self.coldkey_file.is_file():
            data = read_keyfile(self.coldkeypub_file, what)
            pub = kf.parse_keyfile_json(data, what).public()
            self._check_plain_pair(self.coldkey_file, f"coldkey of wallet {self.name!r}", pub,
                                   self.coldkeypub_file)
            return pub
        data = read_keyfile(self.coldkey_file, f"coldkey of wallet {self.name!r}")
        if kf.is_encrypted(data):
            raise KeyNotFound(f"{what} not found at {self.coldkeypub_file} (run regen-coldkeypub)")
        return kf.parse_keyfile_json(data, what).public()

    @staticmethod
    def check_pair(key_public: bytes, pub: kf.KeyData, what: str, pub_file: Path) -> None:
        """A key and its pub file must describe the same account; a mismatched pair (a crash
        in another tool, a hand copy) is an error naming both addresses, never a silent pick."""
        if key_public != pub.public_key:
            from wallet.ss58 import ss58_encode as encode

            raise KeyFileError(
                f"{what} and {pub_file.name} do not match: the key is {encode(key_public)} but "
                f"{pub_file.name} says {pub.ss58_address}; regenerate the pub file from the key "
                "(regen-coldkeypub / regen-hotkeypub) or restore the right key")

    def _check_plain_pair(self, key_file: Path, what: str, pub: kf.KeyData,
                          pub_file: Path) -> None:
        """When the key file is plaintext its public key is free to read: compare it."""
        try:
            data = Path(key_file).read_bytes()
        except OSError:
            return
        if not data.strip() or kf.is_encrypted(data):
            return
        try:
            key = kf.parse_keyfile_json(data, what)
        except KeyFileError:
            return  # a damaged key file is reported when it is used, not when its pub is read
        self.check_pair(key.public_key, pub, what, pub_file)

    @property
    def coldkeypub_ss58(self) -> str:
        """The coldkey's ss58 address, read from coldkeypub.txt."""
        return self.coldkeypub().ss58_address

    def hotkeypub(self, name: str | None = None) -> kf.KeyData:
        """A hotkey's public key: `<hk>pub.txt`, else the hotkey file when it is plaintext."""
        self._require_wallet()
        name = name or self.hotkey_str
        self._settle(f"hotkey-{name}")
        what = f"hotkey {name!r} of wallet {self.name!r}"
        pub = self.hotkeypub_file(name)
        if pub.exists():
            found = kf.parse_keyfile_json(read_keyfile(pub, what), what).public()
            self._check_plain_pair(self.hotkey_file(name), what, found, pub)
            return found
        data = read_keyfile(self.hotkey_file(name), what)
        if kf.is_encrypted(data):
            raise KeyFileError(f"{what} is encrypted and has no pub file; unlock it to see it")
        return kf.parse_keyfile_json(data, what).public()

    def hotkey_ss58(self, name: str | None = None) -> str:
        """A hotkey's ss58 address (default: this wallet's hotkey), without decrypting."""
        return self.hotkeypub(name).ss58_address

    # private keys ------------------------------------------------------------------------------
    def _unlock(self, path: Path, pub_file: Path, what: str, passwords: Passwords) -> Keypair:
        from wallet.keys import keypair_of

        self._require_wallet()
        self._settle("coldkey" if path == self.coldkey_file else f"hotkey-{path.name}")
        data = read_keyfile(path, what)
        key = kf.parse_keyfile_json(decrypt_keyfile(data, path, what, passwords), what)
        if not key.is_private:
            raise KeyFileError(f"{what} at {path} holds no private key")
        keypair = keypair_of(key, what)
        if pub_file.is_file():  # signing must never use another key than the one shown
            pub = kf.parse_keyfile_json(read_keyfile(pub_file, what), what)
            self.check_pair(bytes(keypair.public_key), pub, what, pub_file)
        return keypair

    def coldkey_keypair(self, passwords: Passwords = None) -> Keypair:
        """The coldkey's full keypair (substrateinterface.Keypair), decrypting if needed."""
        return self._unlock(self.coldkey_file, self.coldkeypub_file,
                            f"coldkey of wallet {self.name!r}", passwords)

    def hotkey_keypair(self, name: str | None = None, passwords: Passwords = None) -> Keypair:
        """A hotkey's full keypair (default: this wallet's hotkey), decrypting if needed."""
        name = name or self.hotkey_str
        return self._unlock(self.hotkey_file(name), self.hotkeypub_file(name),
                            f"hotkey {name!r} of wallet {self.name!r}", passwords)

    def is_encrypted(self, path: Path) -> bool:
        """Whether a keyfile of this wallet is encrypted; KeyNotFound/KeyFileError if unreadable."""
        return kf.is_encrypted(read_keyfile(path, f"keyfile {Path(path).name!r}")[:16])

    # writing -----------------------------------------------------------------------------------
    @staticmethod
    def refuse_existing(paths: Iterable[Path], overwrite: bool) -> None:
        """KeyExists when any target exists and overwriting was not allowed."""
        if overwrite:
            return
        for path in paths:
            if os.path.lexists(path):
                raise KeyExists(f"{path} already exists; pass --overwrite to replace it")

    def coldkey_targets(self, pub_only: bool = False) -> list[Path]:
        return [self.coldkeypub_file] if pub_only else [self.coldkey_file, self.coldkeypub_file]

    def hotkey_targets(self, name: str | None = None, pub_only: bool = False) -> list[Path]:
        pub = self.hotkeypub_file(name)
        return [pub] if pub_only else [self.hotkey_file(name), pub]

    def _prepare_dirs(self, *folders: Path) -> None:
        if self.path.exists() and not os.access(self.path, os.W_OK | os.X_OK):
            raise KeyFileError(f"wallet path {self.path} is not writable")
        for folder in folders:
            try:
                ensure_private_dir(folder)
            except OSError as exc:
                raise KeyFileError(f"cannot create {folder} ({exc.strerror})") from None

    @staticmethod
    def _encode(key: kf.KeyData, password: str | None) -> bytes:
        data = kf.keyfile_json(key)
        return kf.encrypt_nacl(data, password) if password is not None else data

    def _write_pair(self, what: str, files: list[tuple[Path, bytes]], overwrite: bool) -> None:
        """Write a key and/or its pub file as one step (`wallet.pairwrite`): exclusively
        unless `overwrite`, and so that a crash leaves the old pair or the new one."""
        from wallet.pairwrite import write_pair

        try:
            write_pair(self.root, what, files, overwrite)
        except OSError as exc:
            raise KeyFileError(f"cannot write {files[0][0]} ({exc.strerror})") from None

    def _settle(self, what: str) -> None:
        from wallet.pairwrite import settle

        settle(self.root, what)

    def write_coldkey(
        self, keypair: Keypair | kf.KeyData, password: str | None = None, overwrite: bool = False
    ) -> None:
        """Write coldkey (encrypted with `password` unless None) and coldkeypub.txt."""
        key = _keydata(keypair)
        self.refuse_existing(self.coldkey_targets(), overwrite)
        self._prepare_dirs(self.root)
        pub = kf.keyfile_json(key, public_only=True)
        self._write_pair("coldkey", [(self.coldkey_file, self._encode(key, password)),
                                     (self.coldkeypub_file, pub)], overwrite)

    def write_coldkeypub(self, key: Keypair | kf.KeyData, overwrite: bool = False) -> None:
        """Write only coldkeypub.txt (a watch-only wallet)."""
        self.refuse_existing(self.coldkey_targets(pub_only=True), overwrite)
        self._prepare_dirs(self.root)
        self._write_pair("coldkey", [(self.coldkeypub_file,
                                      kf.keyfile_json(_keydata(key), public_only=True))], overwrite)

    def write_hotkey(
        self,
        keypair: Keypair | kf.KeyData,
        name: str | None = None,
        password: str | None = None,
        overwrite: bool = False,
    ) -> None:
        """Write hotkeys/<name> (plaintext unless a password is given) and <name>pub.txt."""
        key = _keydata(keypair)
        name = self._hotkey_name(name)
        self.refuse_existing(self.hotkey_targets(name), overwrite)
        self._prepare_dirs(self.root, self.root / "hotkeys")
        self._write_pair(f"hotkey-{name}",
                         [(self.hotkey_file(name), self._encode(key, password)),
                          (self.hotkeypub_file(name), kf.keyfile_json(key, public_only=True))],
                         overwrite)

    def write_hotkeypub(
        self, key: Keypair | kf.KeyData, name: str | None = None, overwrite: bool = False
    ) -> None:
        """Write only hotkeys/<name>pub.txt."""
        name = self._hotkey_name(name)
        self.refuse_existing(self.hotkey_targets(name, pub_only=True), overwrite)
        self._prepare_dirs(self.root, self.root / "hotkeys")
        self._write_pair(f"hotkey-{name}", [(self.hotkeypub_file(name),
                         kf.keyfile_json(_keydata(key), public_only=True))], overwrite)

    def rewrite_keyfile(
        self, path: Path, what: str, passwords: Passwords, new_password: str | None
    ) -> kf.KeyData:
        """Re-encrypt one keyfile under `new_password` ($NACL; None = plaintext), atomically.

        Used by change-password and to move legacy (Ansible Vault, Fernet) files to $NACL.
        """
        data = read_keyfile(path, what)
        key = kf.parse_keyfile_json(decrypt_keyfile(data, path, what, passwords), what)
        if not key.is_private:
            raise KeyFileError(f"{what} at {path} holds no private key")
        pair = "coldkey" if Path(path) == self.coldkey_file else f"hotkey-{Path(path).name}"
        self._write_pair(pair, [(Path(path), self._encode(key, new_password))], True)
        return key


def _keydata(key: Keypair | kf.KeyData) -> kf.KeyData:
    if isinstance(key, kf.KeyData):
        return key
    from wallet.keys import keydata_of

    return keydata_of(key)

"""Wallet options shared by every command that needs a key, with btcli's flag spellings, and the
two things such commands do with them: find the wallet, and unlock a key.

Wallet defaults resolve as: the flag, then the environment (`TAOCTL_WALLET_NAME`,
`TAOCTL_WALLET_PATH`, `TAOCTL_WALLET_HOTKEY`), then taoctl's config
(`$TAOCTL_CONFIG` or `$XDG_CONFIG_HOME/taoctl/config.toml`: top-level `wallet_name`,
`wallet_path`, `wallet_hotkey`, or a `[wallet]` table with `name`, `path`, `hotkey`), then btcli's
`~/.bittensor/config.yml` (or `$BTCLI_CONFIG_PATH`; keys `wallet_name`, `wallet_path`,
`wallet_hotkey`), then btcli's defaults (`default`, `~/.bittensor/wallets`, `default`).

Passwords: the first source that answers is used (see `wallet.passwords`): --password-file or
--password-stdin, the OS keyring, TAOCTL_PASSWORD, BT_PW_<PATH>, BT_COLD_PW_<NAME>, then a prompt
on stderr (three tries; never under -y or without a terminal).

Public API (stable): `WalletNameOpt`, `WalletPathOpt`, `HotkeyOpt`, `PasswordFileOpt`,
`PasswordStdinOpt`, `resolve_wallet(name, path, hotkey)`, `unlock_coldkey(wallet, out, ...)`,
`unlock_hotkey(wallet, out, ...)`, `new_password(...)`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from wallet.directory import (
    DEFAULT_HOTKEY,
    DEFAULT_WALLET_NAME,
    DEFAULT_WALLET_PATH,
    Wallet,
    read_keyfile,
)
from wallet.errors import PasswordError

if TYPE_CHECKING:  # pragma: no cover
    from substrateinterface import Keypair

    from cli.output import Output

WalletNameOpt = Annotated[
    str | None,
    typer.Option(
        "--wallet-name",
        "--name",
        "--wallet_name",
        "--wallet.name",
        help="Wallet (coldkey) name (default: env, config, then 'default').",
        show_default=False,
    ),
]
WalletPathOpt = Annotated[
    str | None,
    typer.Option(
        "--wallet-path",
        "-p",
        "--wallet_path",
        "--wallet.path",
        help="Directory holding the wallets (default: env, config, then ~/.bittensor/wallets).",
        show_default=False,
    ),
]

# The coldkeys a read command shows (cli.names.coldkey_targets): the wallet, every wallet, or
# an address.
AllWalletsOpt = Annotated[bool, typer.Option("--all", "-a", help="Every wallet under the "
                                             "wallets directory.")]
ColdkeySs58Opt = Annotated[str | None, typer.Option(
    "--ss58", "--coldkey-ss58", help="A coldkey address instead of a wallet.",
    show_default=False)]
HotkeyOpt = Annotated[
    str | None,
    typer.Option(
        "--hotkey",
        "-H",
        "--wallet-hotkey",
        "--wallet_hotkey",
        "--wallet.hotkey",
        help="Hotkey name (default: env, config, then 'default').",
        show_default=False,
    ),
]
PasswordFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the key's password from this file (one trailing newline is dropped).",
        show_default=False,
    ),
]
PasswordStdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the key's password from standard input."),
]

ENV_NAME, ENV_PATH, ENV_HOTKEY = "TAOCTL_WALLET_NAME", "TAOCTL_WALLET_PATH", "TAOCTL_WALLET_HOTKEY"


# --- configuration ----------------------------------------------------------------------------


def taoctl_config_path() -> Path:
    """taoctl's own config file."""
    if os.environ.get("TAOCTL_CONFIG"):
        return Path(os.environ["TAOCTL_CONFIG"]).expanduser()
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "taoctl" / "config.toml"


def btcli_config_path() -> Path:
    """btcli's config file (BTCLI_CONFIG_PATH or ~/.bittensor/config.yml)."""
    return Path(os.environ.get("BTCLI_CONFIG_PATH") or "~/.bittensor/config.yml").expanduser()


def _taoctl_config() -> dict[str, str]:
    path = taoctl_config_path()
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    import tomllib

    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {}
    table = doc.get("wallet") if isinstance(doc.get("wallet"), dict) else {}
    found = {}
    for key in ("name", "path", "hotkey"):
        value = doc.get(f"wallet_{key}", table.get(key))
        if isinstance(value, str) and value:
            found[key] = value
    return found


def read_flat_yaml(text: str) -> dict[str, str | None]:
    """The top-level `key: value` scalars of a YAML file (enough for btcli's config.yml)."""
    values: dict[str, str | None] = {}
    for line in text.splitlines():
        if not line or line[0] in " \t#-" or ":" not in line:
            continue
        key, _, value = line.partition(":")
        value = value.split(" #", 1)[0].strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = None if value in ("", "null", "~", "None") else value
    return values


def _btcli_config() -> dict[str, str]:
    try:
        text = btcli_config_path().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    doc = read_flat_yaml(text)
    return {
        key: doc[f"wallet_{key}"] for key in ("name", "path", "hotkey") if doc.get(f"wallet_{key}")
    }


def wallet_defaults() -> dict[str, tuple[str, str]]:
    """For name, path and hotkey: (value, where it came from) when no flag is given."""
    env = {"name": ENV_NAME, "path": ENV_PATH, "hotkey": ENV_HOTKEY}
    builtin = {"name": DEFAULT_WALLET_NAME, "path": DEFAULT_WALLET_PATH, "hotkey": DEFAULT_HOTKEY}
    ours, theirs = _taoctl_config(), None
    result = {}
    for key in ("name", "path", "hotkey"):
        if os.environ.get(env[key]):
            result[key] = (os.environ[env[key]], env[key])
        elif key in ours:
            result[key] = (ours[key], str(taoctl_config_path()))
        else:
            theirs = _btcli_config() if theirs is None else theirs
            if key in theirs:
                result[key] = (theirs[key], str(btcli_config_path()))
            else:
                result[key] = (builtin[key], "default")
    return result


def resolve_wallet(
    name: str | None = None, path: str | None = None, hotkey: str | None = None
) -> Wallet:
    """The wallet the user means: flags, then environment, then config, then defaults."""
    from wallet.directory import check_name

    # an empty name given on purpose is an error, not a request for the default wallet
    for label, value in (("--wallet-name", name), ("--hotkey", hotkey)):
        if value is not None:
            check_name(value, label)
    if path is not None and not path.strip():
        from cli.errors import UsageError

        raise UsageError("--wallet-path is empty")
    if name and path and hotkey:
        return Wallet(name, path, hotkey)
    defaults = wallet_defaults()
    return Wallet(
        name if name is not None else defaults["name"][0],
        path if path is not None else defaults["path"][0],
        hotkey if hotkey is not None else defaults["hotkey"][0],
    )


# --- passwords --------------------------------------------------------------------------------

_stdin_password: str | None = None
_unlocked: dict[tuple[str, bytes], Keypair] = {}  # keys unlocked in this process, by file content
_passwords_used: dict[str, str] = {}  # keyfile path -> the password that opened it (memory only)


def _read_stdin_password() -> str:
    """The password piped on stdin, read once per process (the first line)."""
    global _stdin_password
    if _stdin_password is None:
        from wallet.passwords import strip_newline

        if sys.stdin.isatty():  # typed, not piped: do not echo it
            import getpass

            _stdin_password = getpass.getpass("Password: ", stream=sys.stderr)
        else:
            _stdin_password = strip_newline(sys.stdin.readline())
    from wallet.passwords import check_password

    return check_password(_stdin_password, "the password on stdin")


def password_sources(
    path: Path,
    wallet: Wallet,
    coldkey: bool,
    password_file: Path | None = None,
    password_stdin: bool = False,
    use_keyring: bool = True,
) -> tuple[str, list[str]] | None:
    """(source name, candidate passwords) from the first source that answers, or None."""
    from wallet import passwords as pw

    if password_file is not None and password_stdin:
        from cli.errors import UsageError

        raise UsageError("give either --password-file or --password-stdin, not both")
    if password_file is not None:
        return "--password-file", [pw.read_password_file(password_file)]
    if password_stdin:
        return "--password-stdin", [_read_stdin_password()]
    if use_keyring:
        remembered = pw.keyring_get(path)
        if remembered:
            return "the OS keyring", [remembered]
    found: dict[str, list[str]] = {}
    for source, value in pw.env_passwords(path, wallet.name, coldkey):
        found.setdefault(source, []).append(value)
    if found:
        source = next(iter(found))
        return source, found[source]
    return None


def _can_prompt(out: Output) -> bool:
    return not out.no_prompt and sys.stdin.isatty()


def _ask(out: Output, question: str) -> str:
    import getpass

    sys.stderr.flush()
    return (
        getpass.getpass(question, stream=sys.stderr)
        if sys.stderr.isatty()
        else out.prompt(question, secret=True, what="a password")
    )


def password_that_unlocked(path: Path) -> str | None:
    """The password that unlocked `path` earlier in this process (None: not encrypted)."""
    return _passwords_used.get(str(path))


def _unlock(
    wallet: Wallet,
    out: Output,
    path: Path,
    what: str,
    unlock,
    coldkey: bool,
    password_file: Path | None,
    password_stdin: bool,
    use_keyring: bool = True,
) -> Keypair:
    from wallet import keyfile as kf

    data = read_keyfile(path, what) if wallet.exists() else None
    if data is None or not kf.is_encrypted(data):
        return unlock(None)
    import hashlib

    cache_key = (str(path), hashlib.sha256(data).digest())
    if cache_key in _unlocked:
        return _unlocked[cache_key]
    used: list[str] = []

    def tracked(candidates):
        def callback(_path, _role):
            for candidate in candidates:
                used.append(candidate)
                yield candidate

        return callback

    found = password_sources(path, wallet, coldkey, password_file, password_stdin, use_keyring)
    spinner = f"Decrypting the {what} (Argon2i takes a few seconds)..."
    keypair = None
    if found is not None:
        source, candidates = found
        with out.status(spinner):
            try:
                keypair = unlock(tracked(candidates))
            except PasswordError:
                raise PasswordError(f"wrong password for the {what} (from {source})") from None
    else:
        if not _can_prompt(out):
            raise PasswordError(
                f"the {what} is encrypted and no password was given: use --password-file, "
                "--password-stdin, TAOCTL_PASSWORD or `taoctl wallet remember-password`"
            )
        for attempt in range(3):
            password = _ask(out, f"Password for the {what}: ")
            if not password:
                out.warn("the password is empty")
                continue
            try:
                with out.status(spinner):
                    keypair = unlock(tracked([password]))
                break
            except PasswordError:
                if attempt == 2:
                    break
                out.warn("wrong password, try again")
        if keypair is None:
            raise PasswordError(f"wrong password for the {what}")
    _unlocked[cache_key] = keypair
    if used:
        _passwords_used[str(path)] = used[-1]
    _offer_nacl_upgrade(wallet, out, path, what, data, used[-1] if used else None)
    return keypair


def _offer_nacl_upgrade(
    wallet: Wallet, out: Output, path: Path, what: str, data: bytes, password: str | None
) -> None:
    """A legacy-encrypted keyfile (Ansible Vault, Fernet) may be re-encrypted as $NACL."""
    from wallet import keyfile as kf

    kind = kf.encryption_of(data)
    if kind in (None, "nacl") or password is None:
        return
    question = (
        f"The {what} uses the legacy {kind} encryption. Re-encrypt it as $NACL with the "
        "same password (have you stored its mnemonic)?"
    )
    if not _can_prompt(out):
        out.warn(
            f"the {what} uses the legacy {kind} encryption; run "
            "`taoctl wallet change-password` to re-encrypt it as $NACL"
        )
        return
    from rich.prompt import Confirm

    if Confirm.ask(question, default=False, console=out.err):
        wallet.rewrite_keyfile(path, what, password, password)
        out.info(f"Re-encrypted the {what} as $NACL.")


def unlock_coldkey(
    wallet: Wallet,
    out: Output,
    password_file: Path | None = None,
    password_stdin: bool = False,
    use_keyring: bool = True,
) -> Keypair:
    """The wallet's coldkey Keypair, asking the password sources in order (spinner on stderr).

    Raises KeyNotFound / KeyFileError / PasswordError (exit code 3) with a one-line message.
    """
    what = f"coldkey of wallet {wallet.name!r}"
    return _unlock(
        wallet,
        out,
        wallet.coldkey_file,
        what,
        lambda passwords: wallet.coldkey_keypair(passwords),
        True,
        password_file,
        password_stdin,
        use_keyring,
    )


def unlock_hotkey(
    wallet: Wallet,
    out: Output,
    name: str | None = None,
    password_file: Path | None = None,
    password_stdin: bool = False,
    use_keyring: bool = True,
) -> Keypair:
    """A hotkey's Keypair (default: the wallet's hotkey); hotkeys are usually not encrypted."""
    name = name or wallet.hotkey_str
    what = f"hotkey {name!r} of wallet {wallet.name!r}"
    return _unlock(
        wallet,
        out,
        wallet.hotkey_file(name),
        what,
        lambda passwords: wallet.hotkey_keypair(name, passwords),
        False,
        password_file,
        password_stdin,
        use_keyring,
    )


def new_password(
    wallet: Wallet,
    out: Output,
    path: Path,
    what: str,
    password_file: Path | None = None,
    password_stdin: bool = False,
) -> str:
    """The password for a key being created or re-encrypted: the same sources, else a prompt
    twice. BT_PW_ values in the XOR-base64 form are decoded; others are taken as plain text."""
    from wallet.passwords import check_password

    found = password_sources(
        path, wallet, path == wallet.coldkey_file, password_file, password_stdin
    )
    if found is not None:
        source, candidates = found
        return check_password(candidates[0], f"the password from {source}")
    return ask_new_password(out, what)


def ask_new_password(out: Output, what: str) -> str:
    """Prompt twice on stderr for a new password; PasswordError when no terminal can ask."""
    if not _can_prompt(out):
        raise PasswordError(
            f"a password is needed to encrypt the {what}: use --password-file, --password-stdin "
            "or TAOCTL_PASSWORD (or --no-use-password to store it unencrypted)"
        )
    for _ in range(3):
        first = _ask(out, f"New password for the {what}: ")
        if not first:
            out.warn("the password is empty; an empty password is not allowed")
            continue
        if _ask(out, "Retype the password: ") == first:
            if len(first) < 6:
                out.warn("this password is short; btcli asks for at least 6 characters")
            return first
        out.warn("the passwords do not match")
    raise PasswordError("no password was set (empty or not matching three times)")

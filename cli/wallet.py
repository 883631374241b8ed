"""`taoctl wallet` key commands: create, regenerate, list, inspect, sign, verify and manage the
passwords of btcli-format wallets (`wallet balance` and `wallet transfer` live in
`cli.wallet_chain`).

Every command takes --json and then prints exactly one JSON document. New keys are written only
after every check passed, atomically and 0600; an existing key is never replaced without
--overwrite (or a yes on a terminal). A new mnemonic is shown once; under --json only with
--print-mnemonic. Heavy modules (substrate-interface, nacl, keyring, rich) load inside commands.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from cli.output import JsonOpt, NoPromptOpt, Output
from cli.walletopts import (
    HotkeyOpt,
    PasswordFileOpt,
    PasswordStdinOpt,
    WalletNameOpt,
    WalletPathOpt,
    ask_new_password,
    new_password,
    password_that_unlocked,
    resolve_wallet,
    unlock_coldkey,
    unlock_hotkey,
    wallet_defaults,
)

app = typer.Typer(no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

NWordsOpt = Annotated[
    int, typer.Option("--n-words", "--n_words", help="Mnemonic length: 12, 15, 18, 21 or 24.")
]
UseHotkeyFlag = Annotated[
    bool, typer.Option("--use-hotkey/--no-use-hotkey", help="Act on the hotkey, not the coldkey.")
]
UsePasswordOpt = Annotated[
    bool | None,
    typer.Option(
        "--use-password/--no-use-password",
        help="Encrypt the new key with a password ($NACL); on by default for coldkeys.",
        show_default=False,
    ),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace an existing key of the same name.")
]
UriOpt = Annotated[
    str | None,
    typer.Option(
        "--uri",
        help="Derive from a dev URI instead (//Alice; 'alice' also works).",
        show_default=False,
    ),
]
CryptoOpt = Annotated[
    str, typer.Option("--crypto-type", "--crypto_type", help="Key type: sr25519 or ed25519.")
]
PrintMnemonicOpt = Annotated[
    bool, typer.Option("--print-mnemonic", help="Include the new mnemonic in --json output.")
]
MnemonicOpt = Annotated[
    str | None,
    typer.Option(
        "--mnemonic",
        help="The mnemonic words (numbered '1-word' form accepted); '-' reads them from stdin.",
        show_default=False,
    ),
]
SeedOpt = Annotated[
    str | None,
    typer.Option(
        "--seed", help="A 0x-prefixed 32-byte seed; '-' reads it from stdin.", show_default=False
    ),
]
BackupOpt = Annotated[
    Path | None,
    typer.Option(
        "--json-path",
        "--json-backup",
        "--backup",
        help="A Polkadot-JS JSON account backup (btcli's --json PATH).",
        show_default=False,
    ),
]
BackupPasswordOpt = Annotated[
    str | None,
    typer.Option(
        "--json-password",
        help="The password of the Polkadot-JS backup (visible to other processes: prefer "
        "--json-password-file).",
        show_default=False,
    ),
]
BackupPasswordFileOpt = Annotated[
    str | None,
    typer.Option(
        "--json-password-file",
        help="Read the Polkadot-JS backup's password from this file ('-': from stdin).",
        show_default=False,
    ),
]


def _backup_password(out: Output, given: str | None, file: str | None) -> str | None:
    """The backup password from --json-password-file (a file, or '-' for stdin) or, with a
    warning, from --json-password itself; None when neither was given (a prompt may ask)."""
    from wallet.passwords import check_password, read_password_file

    if given is not None and file is not None:
        from cli.errors import UsageError

        raise UsageError("give either --json-password or --json-password-file, not both")
    if file == "-":
        return check_password(_secret_from_stdin("--json-password-file -"),
                              "the JSON backup password on stdin")
    if file is not None:
        return read_password_file(file, "--json-password-file")
    if given is not None:
        warn_secret_on_command_line(out, "--json-password", "--json-password-file")
    return given


def warn_secret_on_command_line(out: Output, flag: str, instead: str) -> None:
    """A secret typed as an argument is visible to every process (ps, /proc) and kept in the
    shell's history: say so, once, on stderr."""
    out.warn(f"{flag} on the command line is visible to other processes and kept in shell "
             f"history; use {instead} instead")


def _esc(text: str) -> str:
    """User-controlled text (names, paths) made safe inside rich markup."""
    from rich.markup import escape

    return escape(str(text))


def _out(json_mode: bool, no_prompt: bool) -> Output:
    return Output(json_mode=json_mode, no_prompt=no_prompt)


def _can_prompt(out: Output) -> bool:
    return not out.no_prompt and sys.stdin.isatty()


def _check_targets(out: Output, paths: list[Path], overwrite: bool) -> bool:
    """Refuse to replace existing keys unless --overwrite, or a yes typed on a terminal.

    Returns whether the write may replace keys: False when nothing existed, so that a key
    another process creates meanwhile is refused (KeyExists) by the write, never replaced.
    """
    from wallet.errors import KeyExists, KeyFileError

    for path in paths:
        if os.path.isdir(path):
            raise KeyFileError(f"{path} is a directory, not a keyfile")
    existing = [p for p in paths if os.path.lexists(p)]
    if overwrite:
        return True
    if not existing:
        return False
    if _can_prompt(out):
        from rich.prompt import Confirm

        if Confirm.ask(f"{existing[0]} already exists. Overwrite?", default=False, console=out.err):
            return True
    raise KeyExists(f"{existing[0]} already exists; pass --overwrite to replace it")


def _crypto(name: str) -> int:
    from wallet.keys import crypto_type_of

    return crypto_type_of(name)


def _new_keypair(n_words: int, uri: str | None, crypto: int):
    """(keypair, mnemonic or None) for a fresh key or a dev URI."""
    from wallet import keys

    if uri is not None:
        return keys.keypair_from_uri(uri, crypto), None
    mnemonic = keys.generate_mnemonic(n_words)
    return keys.keypair_from_mnemonic(mnemonic, crypto), mnemonic


def _show_mnemonic(out: Output, what: str, mnemonic: str | None) -> None:
    """Show a new mnemonic once, with a warning (stdout for people, never in JSON by default)."""
    if mnemonic is None or out.json_mode:
        return
    out.console.print(
        f"\n[bold red]IMPORTANT:[/bold red] write down the mnemonic of the new {what} and keep "
        "it offline. Anyone with it controls the key; it will not be shown again.\n"
    )
    from rich.text import Text

    out.console.print(Text(mnemonic + "\n", style="bold"), soft_wrap=True)


def _key_doc(
    role: str, keypair, encrypted: bool, path: Path, mnemonic: str | None, print_mnemonic: bool
) -> dict:
    from wallet.keyfile import CRYPTO_NAMES

    doc = {
        "role": role,
        "ss58_address": keypair.ss58_address,
        "public_key": "0x" + bytes(keypair.public_key).hex(),
        "crypto_type": CRYPTO_NAMES[int(keypair.crypto_type)],
        "encrypted": encrypted,
        "path": str(path),
    }
    if mnemonic is not None and print_mnemonic:
        doc["mnemonic"] = mnemonic
    return doc


def _want_password(use_password: bool | None, default: bool, uri: str | None) -> bool:
    if use_password is not None:
        return use_password
    return default and uri is None  # dev URIs are written unencrypted, as btcli does


@app.command("create")
def create(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    n_words: NWordsOpt = 12,
    use_password: UsePasswordOpt = None,
    uri: UriOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: Annotated[
        str,
        typer.Option(
            "--crypto-type", "--coldkey-crypto-type", help="Coldkey type: sr25519 or ed25519."
        ),
    ] = "sr25519",
    hotkey_crypto_type: Annotated[
        str, typer.Option("--hotkey-crypto-type", help="Hotkey type: sr25519 or ed25519.")
    ] = "sr25519",
    print_mnemonic: PrintMnemonicOpt = False,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Create a wallet: a new coldkey (unless one exists) and a new hotkey."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    cold_crypto, hot_crypto = _crypto(crypto_type), _crypto(hotkey_crypto_type)
    make_coldkey = overwrite or not os.path.lexists(wallet.coldkey_file)
    targets = wallet.hotkey_targets()
    if make_coldkey:
        targets = wallet.coldkey_targets() + targets
    replace = _check_targets(out, targets, overwrite)
    docs, shown = [], []
    cold_password = None
    if make_coldkey:
        cold_keypair, cold_mnemonic = _new_keypair(n_words, uri, cold_crypto)
        if _want_password(use_password, True, uri):
            cold_password = new_password(
                wallet,
                out,
                wallet.coldkey_file,
                f"coldkey of wallet {wallet.name!r}",
                password_file,
                password_stdin,
            )
    hot_keypair, hot_mnemonic = _new_keypair(n_words, uri, hot_crypto)
    if make_coldkey:
        with out.status("Encrypting the coldkey (Argon2i takes a few seconds)..."):
            wallet.write_coldkey(cold_keypair, cold_password, overwrite=replace)
        docs.append(
            _key_doc(
                "coldkey",
                cold_keypair,
                cold_password is not None,
                wallet.coldkey_file,
                cold_mnemonic,
                print_mnemonic,
            )
        )
        shown.append(("coldkey", cold_mnemonic))
    else:
        out.info(f"Using the existing coldkey of wallet {_esc(repr(wallet.name))}.")
    wallet.write_hotkey(hot_keypair, overwrite=replace)
    docs.append(
        _key_doc("hotkey", hot_keypair, False, wallet.hotkey_file(), hot_mnemonic, print_mnemonic)
    )
    shown.append(("hotkey", hot_mnemonic))
    _report_created(out, wallet, docs, shown)


def _report_created(out: Output, wallet, docs: list[dict], shown) -> None:
    result = {
        "name": wallet.name,
        "path": str(wallet.path),
        "hotkey": wallet.hotkey_str,
        "keys": docs,
    }
    for doc in docs:
        result[f"{doc['role'].removesuffix('pub')}_ss58"] = doc["ss58_address"]

    def render(console) -> None:
        for doc in docs:
            lock = "encrypted" if doc["encrypted"] else "not encrypted"
            from rich.markup import escape

            console.print(
                f"[green]Wrote[/green] {doc['role']} {doc['ss58_address']} "
                + escape(f"[{doc['crypto_type']}, {lock}] -> {doc['path']}"),
                soft_wrap=True,
            )
        for role, mnemonic in shown:
            _show_mnemonic(out, role, mnemonic)

    out.result(result, render)


@app.command("new-coldkey")
def new_coldkey(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    n_words: NWordsOpt = 12,
    use_password: UsePasswordOpt = None,
    uri: UriOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    print_mnemonic: PrintMnemonicOpt = False,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Create a new coldkey (coldkey + coldkeypub.txt), encrypted by default."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, None)
    crypto = _crypto(crypto_type)
    replace = _check_targets(out, wallet.coldkey_targets(), overwrite)
    keypair, mnemonic = _new_keypair(n_words, uri, crypto)
    password = None
    if _want_password(use_password, True, uri):
        password = new_password(
            wallet,
            out,
            wallet.coldkey_file,
            f"coldkey of wallet {wallet.name!r}",
            password_file,
            password_stdin,
        )
    with out.status("Encrypting the coldkey (Argon2i takes a few seconds)..."):
        wallet.write_coldkey(keypair, password, overwrite=replace)
    doc = _key_doc(
        "coldkey", keypair, password is not None, wallet.coldkey_file, mnemonic, print_mnemonic
    )
    _report_created(out, wallet, [doc], [("coldkey", mnemonic)])


@app.command("new-hotkey")
def new_hotkey(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    n_words: NWordsOpt = 12,
    use_password: UsePasswordOpt = None,
    uri: UriOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    print_mnemonic: PrintMnemonicOpt = False,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Create a new hotkey (hotkeys/<name> + <name>pub.txt), unencrypted by default."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    crypto = _crypto(crypto_type)
    replace = _check_targets(out, wallet.hotkey_targets(), overwrite)
    keypair, mnemonic = _new_keypair(n_words, uri, crypto)
    password = None
    if _want_password(use_password, False, uri):
        password = new_password(
            wallet,
            out,
            wallet.hotkey_file(),
            f"hotkey {wallet.hotkey_str!r} of wallet {wallet.name!r}",
            password_file,
            password_stdin,
        )
    with out.status("Writing the hotkey..."):
        wallet.write_hotkey(keypair, password=password, overwrite=replace)
    doc = _key_doc(
        "hotkey", keypair, password is not None, wallet.hotkey_file(), mnemonic, print_mnemonic
    )
    _report_created(out, wallet, [doc], [("hotkey", mnemonic)])


def _keypair_from_inputs(
    out: Output,
    mnemonic: str | None,
    seed: str | None,
    backup: Path | None,
    backup_password: str | None,
    uri: str | None,
    crypto: int,
):
    """The keypair a regen command rebuilds, from exactly one of its inputs.

    `--mnemonic -` and `--seed -` read the secret from the first line of stdin, so scripts need
    not put it on the command line (a --password-stdin password then follows on line two).
    """
    from cli.errors import UsageError
    from wallet import keys

    for flag, value in (("--mnemonic", mnemonic), ("--seed", seed)):
        if value not in (None, "-"):
            warn_secret_on_command_line(out, flag, f"{flag} - (stdin)")
    if mnemonic == "-":
        mnemonic = _secret_from_stdin("--mnemonic -")
    if seed == "-":
        seed = _secret_from_stdin("--seed -")

    given = [
        n
        for n, v in (
            ("--mnemonic", mnemonic),
            ("--seed", seed),
            ("--json-path", backup),
            ("--uri", uri),
        )
        if v is not None
    ]
    if len(given) > 1:
        raise UsageError(f"give only one of {', '.join(given)}")
    if seed is not None:
        return keys.keypair_from_seed(seed, crypto)
    if uri is not None:
        return keys.keypair_from_uri(uri, crypto)
    if backup is not None:
        from wallet.errors import KeyFileError
        from wallet.passwords import check_password

        try:
            text = Path(backup).expanduser().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise KeyFileError(f"cannot read the JSON backup {backup}") from None
        if backup_password is None:
            if not _can_prompt(out):
                raise UsageError(
                    "--json-password-file (or --json-password) is required (no prompt under -y "
                    "or without a terminal)"
                )
            import getpass

            backup_password = getpass.getpass("Password of the JSON backup: ", stream=sys.stderr)
        check_password(backup_password, "the JSON backup password")
        return keys.keypair_from_polkadot_json(text, backup_password)
    if mnemonic is None:
        if not _can_prompt(out):
            raise UsageError(
                "give --mnemonic, --seed or --json-path (no prompt under -y or without a terminal)"
            )
        import getpass

        mnemonic = getpass.getpass("Enter the mnemonic (hidden): ", stream=sys.stderr)
    return keys.keypair_from_mnemonic(mnemonic, crypto)


def _secret_from_stdin(flag: str) -> str:
    """One line of stdin (hidden when typed on a terminal)."""
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass(f"{flag}: ", stream=sys.stderr)
    return sys.stdin.readline().rstrip("\r\n")


@app.command("regen-coldkey")
def regen_coldkey(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    mnemonic: MnemonicOpt = None,
    seed: SeedOpt = None,
    backup: BackupOpt = None,
    backup_password: BackupPasswordOpt = None,
    backup_password_file: BackupPasswordFileOpt = None,
    uri: UriOpt = None,
    use_password: UsePasswordOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Rebuild a coldkey from its mnemonic, seed or Polkadot-JS JSON backup."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, None)
    backup_password = _backup_password(out, backup_password, backup_password_file)
    _regen(out, wallet, "coldkey", (mnemonic, seed, backup, backup_password, uri), crypto_type,
           use_password, overwrite, password_file, password_stdin)


@app.command("regen-hotkey")
def regen_hotkey(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    mnemonic: MnemonicOpt = None,
    seed: SeedOpt = None,
    backup: BackupOpt = None,
    backup_password: BackupPasswordOpt = None,
    backup_password_file: BackupPasswordFileOpt = None,
    uri: UriOpt = None,
    use_password: UsePasswordOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Rebuild a hotkey from its mnemonic, seed or Polkadot-JS JSON backup."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    backup_password = _backup_password(out, backup_password, backup_password_file)
    _regen(out, wallet, "hotkey", (mnemonic, seed, backup, backup_password, uri), crypto_type,
           use_password, overwrite, password_file, password_stdin)


def _regen(out: Output, wallet, role: str, secrets: tuple, crypto_type: str,
           use_password: bool | None, overwrite: bool, password_file, password_stdin) -> None:
    """`regen-coldkey` / `regen-hotkey`: refuse an existing key unless `overwrite`, rebuild
    the keypair from `secrets` (mnemonic, seed, backup, backup password, URI), encrypt it
    (coldkeys by default, hotkeys on request; dev URIs never by default) and write it."""
    from contextlib import nullcontext

    mnemonic, seed, backup, backup_password, uri = secrets
    coldkey = role == "coldkey"
    crypto = _crypto(crypto_type)
    replace = _check_targets(out, wallet.coldkey_targets() if coldkey else
                             wallet.hotkey_targets(), overwrite)
    keypair = _keypair_from_inputs(out, mnemonic, seed, backup, backup_password, uri, crypto)
    path = wallet.coldkey_file if coldkey else wallet.hotkey_file()
    label = f"coldkey of wallet {wallet.name!r}" if coldkey else \
        f"hotkey {wallet.hotkey_str!r} of wallet {wallet.name!r}"
    password = None
    if _want_password(use_password, coldkey, uri):
        password = new_password(wallet, out, path, label, password_file, password_stdin)
    busy = out.status(f"Encrypting the {role} (Argon2i takes a few seconds)...") if password \
        else nullcontext()
    with busy:
        if coldkey:
            wallet.write_coldkey(keypair, password, overwrite=replace)
        else:
            wallet.write_hotkey(keypair, password=password, overwrite=replace)
    doc = _key_doc(role, keypair, password is not None, path, None, False)
    _report_created(out, wallet, [doc], [])


def _public_keypair(ss58: str | None, public_key: str | None, crypto: int):
    from substrateinterface import Keypair

    from cli.errors import UsageError
    from wallet.ss58 import public_key_from, ss58_decode

    if (ss58 is None) == (public_key is None):
        raise UsageError("give exactly one of --ss58 or --public-key-hex")
    raw = ss58_decode(ss58) if ss58 is not None else public_key_from(public_key)
    return Keypair(public_key=raw, ss58_format=42, crypto_type=crypto)


Ss58Opt = Annotated[
    str | None,
    typer.Option(
        "--ss58",
        "--ss58-address",
        "--addr",
        "--address",
        help="The key's ss58 address.",
        show_default=False,
    ),
]
PublicKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--public-key-hex",
        "--public-key",
        "--pubkey",
        help="The key's public key in hex.",
        show_default=False,
    ),
]


@app.command("regen-coldkeypub")
def regen_coldkeypub(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    ss58: Ss58Opt = None,
    public_key: PublicKeyOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Write only coldkeypub.txt, for a watch-only machine."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, None)
    keypair = _public_keypair(ss58, public_key, _crypto(crypto_type))
    replace = _check_targets(out, wallet.coldkey_targets(pub_only=True), overwrite)
    wallet.write_coldkeypub(keypair, overwrite=replace)
    doc = _key_doc("coldkeypub", keypair, False, wallet.coldkeypub_file, None, False)
    _report_created(out, wallet, [doc], [])


@app.command("regen-hotkeypub")
def regen_hotkeypub(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    ss58: Ss58Opt = None,
    public_key: PublicKeyOpt = None,
    overwrite: OverwriteOpt = False,
    crypto_type: CryptoOpt = "sr25519",
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Write only hotkeys/<name>pub.txt."""
    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    keypair = _public_keypair(ss58, public_key, _crypto(crypto_type))
    replace = _check_targets(out, wallet.hotkey_targets(pub_only=True), overwrite)
    wallet.write_hotkeypub(keypair, overwrite=replace)
    doc = _key_doc("hotkeypub", keypair, False, wallet.hotkeypub_file(), None, False)
    _report_created(out, wallet, [doc], [])


# --- listing ----------------------------------------------------------------------------------


def _key_label(info: dict) -> str:
    """btcli's markers: '?' for an unknown address, <ENCRYPTED>, (pub only), [type]."""
    address = info["ss58_address"] or "?"
    parts = [f"ss58_address {address}"]
    if info["crypto_type"]:
        parts.append(f"[{info['crypto_type']}]")
    if info["keyfile"] == "missing":
        parts.append("(pub only)" if info["has_pub"] else "(missing)")
    elif info["keyfile"] == "unreadable":
        parts.append("(unreadable)")
    if info["encrypted"]:
        parts.append("<ENCRYPTED>")
    if info["error"]:
        parts.append("(corrupt)")
    return "  ".join(parts)


def _public_view(info: dict) -> dict:
    keep = ("name", "ss58_address", "crypto_type", "encrypted", "keyfile", "has_pub", "error")
    return {k: info[k] for k in keep if k in info}


def _wallet_json(info: dict) -> dict:
    doc = _public_view(info)
    doc["path"] = info["path"]
    doc["hotkeys"] = [_public_view(h) for h in info["hotkeys"]]
    return doc


def _tree_text(path: str, wallets: list[dict]):
    """The wallet tree as one rich Text (rich's Tree widget is too slow for 1000+ keys)."""
    from rich.text import Text

    text = Text()
    text.append("Wallets  ")
    text.append(path, style="dim")
    if not wallets:
        text.append("\n└── ")
        text.append("(no wallets)", style="dim")
    for i, info in enumerate(wallets):
        last_wallet = i == len(wallets) - 1
        text.append("\n└── " if last_wallet else "\n├── ")
        text.append("Coldkey ")
        text.append(info["name"], style="bold")
        text.append("  " + _key_label(info))
        indent = "    " if last_wallet else "│   "
        for j, hk in enumerate(info["hotkeys"]):
            last = j == len(info["hotkeys"]) - 1
            text.append(f"\n{indent}{'└── ' if last else '├── '}Hotkey ")
            text.append(hk["name"], style="bold")
            text.append("  " + _key_label(hk))
    return text


@app.command("list")
def list_(
    wallet_path: WalletPathOpt = None,
    coldkeys_only: Annotated[
        bool, typer.Option("--coldkeys-only", help="Show coldkeys only.")
    ] = False,
    json_mode: JsonOpt = False,
) -> None:
    """Show every wallet under the wallet path as a tree (nothing is decrypted)."""
    from wallet.listing import list_wallets

    out = _out(json_mode, True)
    path = wallet_path or wallet_defaults()["path"][0]
    wallets = list_wallets(path, coldkeys_only)
    doc = {
        "path": str(Path(os.path.expanduser(path)).absolute()),
        "wallets": [_wallet_json(w) for w in wallets],
    }

    def render(console) -> None:
        console.print(_tree_text(doc["path"], wallets), soft_wrap=True)

    out.result(doc, render)


@app.command("inspect")
def inspect(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    json_mode: JsonOpt = False,
) -> None:
    """Show one wallet: its coldkey, its hotkeys, which keys are encrypted or missing."""
    from wallet.listing import inspect_wallet

    out = _out(json_mode, True)
    wallet = resolve_wallet(wallet_name, wallet_path, None)
    info = inspect_wallet(wallet.path, wallet.name)
    doc = _wallet_json(info)

    def render(console) -> None:
        from rich.table import Table
        from rich.text import Text

        table = Table(title=Text(f"Wallet {wallet.name}  ({info['path']})"), show_edge=False)
        for column in ("key", "name", "ss58 address", "type", "state"):
            table.add_column(column)

        def state(i: dict) -> str:
            flags = (
                ["encrypted" if i["encrypted"] else "plaintext"]
                if i["keyfile"] == "present"
                else [i["keyfile"]]
            )
            if not i["has_pub"]:
                flags.append("no pub file")
            if i["error"]:
                flags.append("corrupt")
            return ", ".join(flags)

        table.add_row(
            "coldkey",
            Text(info["name"]),
            info["ss58_address"] or "?",
            info["crypto_type"] or "",
            state(info),
        )
        for hk in info["hotkeys"]:
            table.add_row(
                "hotkey",
                Text(hk["name"]),
                hk["ss58_address"] or "?",
                hk["crypto_type"] or "",
                state(hk),
            )
        console.print(table)

    out.result(doc, render)


# --- signing ----------------------------------------------------------------------------------


@app.command("sign")
def sign(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    message: Annotated[
        str | None,
        typer.Option("--message", "-m", help="The UTF-8 message to sign.", show_default=False),
    ] = None,
    use_hotkey: UseHotkeyFlag = False,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Sign a message (its raw UTF-8 bytes) with the coldkey, or the hotkey with --use-hotkey."""
    from wallet.keys import sign as sign_bytes

    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    if message is None:
        message = out.prompt("Message to sign", what="--message")
    if use_hotkey:
        keypair = unlock_hotkey(wallet, out, None, password_file, password_stdin)
    else:
        keypair = unlock_coldkey(wallet, out, password_file, password_stdin)
    signature = sign_bytes(keypair, message.encode("utf-8"))
    doc = {
        "signer": "hotkey" if use_hotkey else "coldkey",
        "signer_address": keypair.ss58_address,
        "crypto_type": "sr25519" if keypair.crypto_type == 1 else "ed25519",
        "signature": "0x" + signature.hex(),
        "signed_message": signature.hex(),
    }

    def render(console) -> None:
        console.print(f"Signed by {doc['signer_address']} ({doc['signer']}):")
        console.print(doc["signature"], soft_wrap=True)

    out.result(doc, render)


@app.command("verify")
def verify(
    message: Annotated[
        str | None, typer.Option("--message", "-m", help="The signed message.", show_default=False)
    ] = None,
    signature: Annotated[
        str | None,
        typer.Option("--signature", "-s", help="The signature in hex.", show_default=False),
    ] = None,
    address: Annotated[
        str | None,
        typer.Option(
            "--address",
            "-a",
            "--public-key",
            "-p",
            "--ss58",
            help="The signer's ss58 address or hex public key.",
            show_default=False,
        ),
    ] = None,
    crypto_type: Annotated[
        str | None,
        typer.Option(
            "--crypto-type", help="sr25519 or ed25519 (default: try both).", show_default=False
        ),
    ] = None,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Check a signature against an address; exit 1 when it does not verify.

    Signatures over the message wrapped in <Bytes>...</Bytes> (Polkadot-JS) also verify.
    """
    from cli.errors import UsageError
    from wallet.keys import verify as verify_bytes
    from wallet.ss58 import public_key_from, ss58_encode

    out = _out(json_mode, no_prompt)
    message = message if message is not None else out.prompt("Message", what="--message")
    signature = signature if signature is not None else out.prompt("Signature", what="--signature")
    address = address if address is not None else out.prompt("Address", what="--address")
    public_key = public_key_from(address)
    text = signature.strip()
    hex_part = text[2:] if text[:2].lower() == "0x" else text
    try:
        raw = bytes.fromhex(hex_part)
    except ValueError:
        raise UsageError("the signature is not hex") from None
    if len(raw) != 64:
        raise UsageError(f"a signature is 64 bytes, got {len(raw)}")
    wanted = _crypto(crypto_type) if crypto_type else None
    kind = verify_bytes(public_key, message.encode("utf-8"), raw, wanted)
    doc = {
        "valid": kind is not None,
        "address": ss58_encode(public_key),
        "crypto_type": {1: "sr25519", 0: "ed25519"}.get(kind),
    }

    def render(console) -> None:
        if kind is not None:
            console.print(
                f"[green]Valid[/green] {doc['crypto_type']} signature by {doc['address']}"
            )
        else:
            console.print(f"[red]Invalid[/red]: the signature does not match {doc['address']}")

    out.result(doc, render)
    if kind is None:
        raise typer.Exit(1)


# --- passwords --------------------------------------------------------------------------------


def _target(wallet, use_hotkey: bool) -> tuple[Path, str]:
    if use_hotkey:
        return wallet.hotkey_file(), f"hotkey {wallet.hotkey_str!r} of wallet {wallet.name!r}"
    return wallet.coldkey_file, f"coldkey of wallet {wallet.name!r}"


@app.command("change-password")
def change_password(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    use_hotkey: UseHotkeyFlag = False,
    use_password: Annotated[
        bool,
        typer.Option(
            "--use-password/--no-use-password", help="--no-use-password stores the key unencrypted."
        ),
    ] = True,
    new_password_file: Annotated[
        Path | None,
        typer.Option(
            "--new-password-file", help="Read the new password from this file.", show_default=False
        ),
    ] = None,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Re-encrypt a key under a new password ($NACL); also upgrades legacy encryptions.

    The current password comes from the usual sources; the new one from --new-password-file,
    TAOCTL_NEW_PASSWORD, or a prompt (twice).
    """
    from wallet import keyfile as kf
    from wallet import passwords as pw
    from wallet.directory import read_keyfile

    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    path, what = _target(wallet, use_hotkey)
    if use_hotkey:
        unlock_hotkey(wallet, out, None, password_file, password_stdin)
    else:
        unlock_coldkey(wallet, out, password_file, password_stdin)
    new: str | None = None
    if use_password:
        if new_password_file is not None:
            new = pw.read_password_file(new_password_file)
        elif os.environ.get("TAOCTL_NEW_PASSWORD"):
            new = os.environ["TAOCTL_NEW_PASSWORD"]
        else:
            new = ask_new_password(out, what)
    old_data = read_keyfile(path, what)
    old_password = password_that_unlocked(path)
    with out.status("Encrypting (Argon2i takes a few seconds)..."):
        key = wallet.rewrite_keyfile(path, what, old_password, new)
    remembered = False
    if pw.keyring_get(path) is not None:  # keep the keyring in step with the file
        if new is not None:
            pw.keyring_set(path, new)
            remembered = True
        else:
            pw.keyring_delete(path)
    doc = {
        "path": str(path),
        "ss58_address": key.ss58_address,
        "encrypted": new is not None,
        "previous_encryption": kf.encryption_of(old_data),
        "keyring_updated": remembered,
    }
    out.result(
        doc,
        lambda c: c.print(
            "[green]Re-encrypted[/green] "
            + _esc(f"{what} ({'$NACL' if new else 'no password'}) -> {path}")
        ),
    )


@app.command("remember-password")
def remember_password(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    use_hotkey: UseHotkeyFlag = False,
    password_file: PasswordFileOpt = None,
    password_stdin: PasswordStdinOpt = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Check a key's password and store it in the OS keyring (service taoctl)."""
    from wallet import passwords as pw
    from wallet.errors import KeyFileError

    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    path, what = _target(wallet, use_hotkey)
    pw.require_keyring()
    if use_hotkey:
        unlock_hotkey(wallet, out, None, password_file, password_stdin, use_keyring=False)
    else:
        unlock_coldkey(wallet, out, password_file, password_stdin, use_keyring=False)
    password = password_that_unlocked(path)
    if password is None:
        raise KeyFileError(f"the {what} is not encrypted; there is no password to remember")
    pw.keyring_set(path, password)
    doc = {
        "path": str(path),
        "keyring_service": pw.KEYRING_SERVICE,
        "keyring_user": pw.keyring_user(path),
        "remembered": True,
    }
    out.result(
        doc,
        lambda c: c.print(
            f"[green]Remembered[/green] the password of the {_esc(what)} in the OS keyring."
        ),
    )


@app.command("forget-password")
def forget_password(
    wallet_name: WalletNameOpt = None,
    wallet_path: WalletPathOpt = None,
    hotkey: HotkeyOpt = None,
    use_hotkey: UseHotkeyFlag = False,
    json_mode: JsonOpt = False,
    no_prompt: NoPromptOpt = False,
) -> None:
    """Remove a key's password from the OS keyring."""
    from wallet import passwords as pw

    out = _out(json_mode, no_prompt)
    wallet = resolve_wallet(wallet_name, wallet_path, hotkey)
    path, what = _target(wallet, use_hotkey)
    removed = pw.keyring_delete(path)
    doc = {"path": str(path), "keyring_service": pw.KEYRING_SERVICE, "forgotten": removed}
    out.result(
        doc,
        lambda c: c.print(
            f"Forgot the password of the {_esc(what)}."
            if removed
            else f"No password was remembered for the {_esc(what)}."
        ),
    )


# btcli's hidden snake_case twins
for _name, _func in [
    ("regen_coldkey", regen_coldkey),
    ("regen_coldkeypub", regen_coldkeypub),
    ("regen_hotkey", regen_hotkey),
    ("regen_hotkeypub", regen_hotkeypub),
    ("new_coldkey", new_coldkey),
    ("new_hotkey", new_hotkey),
]:
    app.command(_name, hidden=True)(_func)

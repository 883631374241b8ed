"""Where a keyfile password comes from, without a prompt when a script runs us.

Sources, first that answers wins (the CLI builds the chain in `cli.walletopts`):
1. `--password-file PATH` / `--password-stdin` (the value minus one trailing newline);
2. the OS keyring: service "taoctl", user = the absolute keyfile path
   (`taoctl wallet remember-password` / `forget-password`);
3. `TAOCTL_PASSWORD` (plain text);
4. btcli's `BT_PW_<PATH>`: the name is "BT_PW_" + the upper-cased absolute keyfile path with
   "/" and "." turned into "_"; the value is base64(password XOR the variable name, cycled),
   and a plain-text value is also accepted;
5. the older `BT_COLD_PW_<WALLET NAME>` (upper-cased, "-" -> "_"; coldkeys only, plain text).
Then the caller may prompt. The keyring package is imported only when it is used.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Iterator
from pathlib import Path

from wallet.errors import EmptyPassword, KeyringUnavailable, PasswordError

KEYRING_SERVICE = "taoctl"


def bt_pw_env_name(keyfile_path: str | Path) -> str:
    """btwallet's variable name for a keyfile: BT_PW_ + upper(path with / and . as _)."""
    path = os.path.abspath(os.path.expanduser(str(keyfile_path)))
    return "BT_PW_" + path.replace(os.sep, "_").replace(".", "_").upper()


def _xor(data: bytes, key: bytes) -> bytes:
    return bytes(b ^ key[i % len(key)] for i, b in enumerate(data))


def bt_pw_encode(env_name: str, password: str) -> str:
    """The value btwallet expects in BT_PW_...: base64(password XOR cycle(env_name))."""
    return base64.b64encode(_xor(password.encode(), env_name.encode())).decode()


def bt_pw_decode(env_name: str, value: str) -> str | None:
    """The password in a BT_PW_ value in the XOR-base64 form, or None if it is not that form."""
    try:
        raw = base64.b64decode(value.strip(), validate=True)
        text = _xor(raw, env_name.encode()).decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not raw or not text.isprintable():
        return None
    return text


def bt_cold_pw_env_name(wallet_name: str) -> str:
    """The bittensor-SDK-era variable: BT_COLD_PW_ + upper(wallet name with - as _)."""
    return "BT_COLD_PW_" + wallet_name.replace("-", "_").upper()


def env_passwords(
    keyfile_path: str | Path,
    wallet_name: str | None = None,
    coldkey: bool = False,
    environ: dict | None = None,
) -> Iterator[tuple[str, str]]:
    """(source, password) candidates from the environment, best first.

    A BT_PW_ value yields its XOR-decoded form first and its plain text second, because the
    same string can be read both ways; the caller keeps the first that decrypts.
    """
    env = os.environ if environ is None else environ
    if env.get("TAOCTL_PASSWORD"):
        yield "TAOCTL_PASSWORD", env["TAOCTL_PASSWORD"]
    name = bt_pw_env_name(keyfile_path)
    value = env.get(name)
    if value:
        decoded = bt_pw_decode(name, value)
        if decoded:
            yield name, decoded
        if decoded != value:
            yield name, value
    if coldkey and wallet_name:
        legacy = env.get(bt_cold_pw_env_name(wallet_name))
        if legacy:
            yield bt_cold_pw_env_name(wallet_name), legacy


def read_password_file(path: str | Path, flag: str = "--password-file") -> str:
    """A password stored in a file: its text minus one trailing newline; never empty."""
    try:
        text = Path(path).expanduser().read_text(encoding="utf-8")
    except IsADirectoryError:
        raise PasswordError(f"{flag} {path} is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PasswordError(f"cannot read {flag} {path}: {type(exc).__name__}") from None
    return check_password(strip_newline(text), f"the file of {flag}")


def strip_newline(text: str) -> str:
    """Drop exactly one trailing line break (a password may end in spaces)."""
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def check_password(password: str | None, source: str = "the password") -> str:
    """The password itself, or PasswordError (exit 2) when it is empty."""
    if not password:
        raise EmptyPassword(f"{source} is empty; an empty password is not allowed")
    return password


# --- the OS keyring ---------------------------------------------------------------------------


def _keyring():
    """The keyring module and whether a usable backend exists."""
    import keyring
    from keyring.backends import fail

    backend = keyring.get_keyring()
    usable = not isinstance(backend, fail.Keyring)
    if usable and type(backend).__name__ == "ChainerBackend":
        usable = bool(getattr(backend, "backends", ()))
    return keyring, usable


def keyring_available() -> bool:
    """Whether an OS keyring backend (not keyring's "fail" backend) is configured."""
    try:
        return _keyring()[1]
    except Exception:  # noqa: BLE001
        return False


def require_keyring() -> None:
    """KeyringUnavailable, with what to use instead, when there is no keyring backend."""
    if not keyring_available():
        raise _unavailable("no backend")


def keyring_user(keyfile_path: str | Path) -> str:
    """The keyring account for a keyfile: its absolute path."""
    return os.path.abspath(os.path.expanduser(str(keyfile_path)))


def keyring_get(keyfile_path: str | Path) -> str | None:
    """The remembered password for a keyfile, or None (also when no keyring backend exists)."""
    try:
        keyring, usable = _keyring()
        if not usable:
            return None
        return keyring.get_password(KEYRING_SERVICE, keyring_user(keyfile_path)) or None
    except Exception:  # noqa: BLE001 - a broken keyring must not stop an unlock
        return None


def _unavailable(reason: str) -> KeyringUnavailable:
    return KeyringUnavailable(
        f"no OS keyring is available ({reason}); use --password-file, --password-stdin or "
        "TAOCTL_PASSWORD instead"
    )


def keyring_set(keyfile_path: str | Path, password: str) -> None:
    """Remember a keyfile's password in the OS keyring; KeyringUnavailable if there is none."""
    try:
        keyring, usable = _keyring()
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(type(exc).__name__) from None
    if not usable:
        raise _unavailable("no backend")
    try:
        keyring.set_password(KEYRING_SERVICE, keyring_user(keyfile_path), password)
    except Exception as exc:  # noqa: BLE001 - backends raise their own types
        raise _unavailable(type(exc).__name__) from None


def keyring_delete(keyfile_path: str | Path) -> bool:
    """Forget a keyfile's password; True if one was stored."""
    try:
        keyring, usable = _keyring()
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(type(exc).__name__) from None
    if not usable:
        raise _unavailable("no backend")
    from keyring.errors import PasswordDeleteError

    try:
        keyring.delete_password(KEYRING_SERVICE, keyring_user(keyfile_path))
    except PasswordDeleteError:
        return False
    except Exception as exc:  # noqa: BLE001
        raise _unavailable(type(exc).__name__) from None
    return True

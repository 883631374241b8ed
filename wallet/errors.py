"""Exceptions of the wallet room.

Each type carries the two class attributes `cli.errors` reads by duck typing: `name` (shown to
the user) and `exit_code` (from `exitcodes`: 2 = bad input, 3 = a wallet problem). Messages
never contain a secret: no mnemonic, seed, private key or password is ever formatted into one.
"""

from __future__ import annotations

from exitcodes import EXIT_USAGE, EXIT_WALLET


class WalletError(Exception):
    """Base class: something about a key, a keyfile or a wallet directory is wrong."""

    name = "WalletError"
    exit_code = EXIT_WALLET


class InvalidAddress(WalletError, ValueError):
    """A string that is not a valid ss58 address (bad base58, checksum or length)."""

    name = "InvalidAddress"
    exit_code = EXIT_USAGE


class InvalidMnemonic(WalletError, ValueError):
    """A mnemonic with an unknown word, a bad checksum or a wrong number of words."""

    name = "InvalidMnemonic"
    exit_code = EXIT_USAGE


class InvalidSeed(WalletError, ValueError):
    """A seed that is not `0x` followed by 64 hex digits, or a malformed key input."""

    name = "InvalidSeed"
    exit_code = EXIT_USAGE


class InvalidWalletName(WalletError, ValueError):
    """A wallet or hotkey name that cannot be a file name (empty, '.', '..', or with a '/')."""

    name = "InvalidWalletName"
    exit_code = EXIT_USAGE


class KeyFileError(WalletError):
    """A keyfile that cannot be read: missing, a directory, corrupt, truncated, unreadable."""

    name = "KeyFileError"


class KeyNotFound(KeyFileError):
    """The wallet, coldkey or hotkey asked for does not exist."""

    name = "KeyNotFound"


class KeyExists(KeyFileError):
    """Writing would replace an existing key and --overwrite was not given."""

    name = "KeyExists"


class PasswordError(WalletError):
    """A wrong password (decryption failed) or an unusable one (empty, not matching)."""

    name = "PasswordError"


class EmptyPassword(PasswordError):
    """An empty password was given (bad input, not a wallet problem)."""

    name = "EmptyPassword"
    exit_code = EXIT_USAGE


class KeyringUnavailable(WalletError):
    """No OS keyring backend is available to remember a password."""

    name = "KeyringUnavailable"

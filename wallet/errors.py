"""Exceptions of the wallet room.

Each type carries `name`, shown to the user. The wallet room knows no exit codes:
`cli.errors.ROOM_EXIT_CODES` gives them (2 = bad input, 3 = a wallet problem). Messages
never contain a secret: no mnemonic, seed, private key or password is ever formatted into one.
"""

from __future__ import annotations


class WalletError(Exception):
    """Base class: something about a key, a keyfile or a wallet directory is wrong."""

    name = "WalletError"


class InvalidAddress(WalletError, ValueError):
    """A string that is not a valid ss58 address (bad base58, checksum or length)."""

    name = "InvalidAddress"


class InvalidMnemonic(WalletError, ValueError):
    """A mnemonic with an unknown word, a bad checksum or a wrong number of words."""

    name = "InvalidMnemonic"


class InvalidSeed(WalletError, ValueError):
    """A seed that is not `0x` followed by 64 hex digits, or a malformed key input."""

    name = "InvalidSeed"


class InvalidWalletName(WalletError, ValueError):
    """A wallet or hotkey name that cannot be a file name (empty, '.', '..', or with a '/')."""

    name = "InvalidWalletName"


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


class KeyringUnavailable(WalletError):
    """No OS keyring backend is available to remember a password."""

    name = "KeyringUnavailable"

"""Wallets in btcli's format: sr25519/ed25519 keys, the keyfile codec, the wallet directory and
password sources. No chain knowledge lives here.

Modules: `ss58` (addresses, stdlib only), `keyfile` (JSON + $NACL/legacy encryption), `keys`
(keypairs from mnemonics, seeds, URIs, Polkadot-JS backups; signing), `directory` (the `Wallet`
class), `passwords` (env, keyring and file sources), `fsio` (atomic 0600 writes), `errors`.
`Wallet` and the ss58 helpers are re-exported here; importing this package stays light (no
nacl, no substrate-interface).
"""

from wallet.directory import DEFAULT_WALLET_PATH, Wallet
from wallet.errors import (
    InvalidAddress,
    InvalidMnemonic,
    InvalidSeed,
    KeyExists,
    KeyFileError,
    KeyNotFound,
    PasswordError,
    WalletError,
)
from wallet.ss58 import is_valid_ss58, ss58_decode, ss58_encode

__all__ = [
    "DEFAULT_WALLET_PATH",
    "InvalidAddress",
    "InvalidMnemonic",
    "InvalidSeed",
    "KeyExists",
    "KeyFileError",
    "KeyNotFound",
    "PasswordError",
    "Wallet",
    "WalletError",
    "is_valid_ss58",
    "ss58_decode",
    "ss58_encode",
]

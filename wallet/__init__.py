"""Wallets in btcli's format: sr25519/ed25519 keys, the keyfile codec, the wallet directory and
password sources. No chain knowledge lives here."""

"""Well-known accounts of the bundled chain: subnet accounts, the burn address, the block author,
and the Substrate dev accounts (//Alice ... //Ferdie).

Accounts are 32-byte public keys everywhere below the CLI; ss58 is only for display.
Module accounts follow Substrate's `PalletId::into_sub_account_truncating`: the bytes
b"modl" + pallet id (8 bytes) + SCALE of the sub-account, zero-padded to 32 bytes.
"""

from __future__ import annotations

import hashlib
from typing import Any

SUBTENSOR_PALLET_ID = b"subtensr"
BURN_PALLET_ID = b"burntnsr"
ROOT_NETUID = 0
DEV_NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")


def _module_account(pallet_id: bytes, sub: bytes = b"") -> bytes:
    return (b"modl" + pallet_id + sub).ljust(32, b"\0")[:32]


def subnet_account(netuid: int) -> bytes:
    """The account holding a subnet's TAO (`get_subnet_account_id`): sub-account = u16 LE netuid."""
    return _module_account(SUBTENSOR_PALLET_ID, netuid.to_bytes(2, "little"))


BURN_ACCOUNT = _module_account(BURN_PALLET_ID)
# The bundled chain's fixed block author (transaction fees go here). A key nobody holds.
AUTHOR_ACCOUNT = hashlib.blake2b(b"taoctl/sandbox/block-author", digest_size=32).digest()


class Signer:
    """An sr25519 key pair that can sign extrinsics: `public_key` (32 bytes) and `sign(msg)`."""

    def __init__(self, public_key: bytes, secret_key: bytes) -> None:
        self.public_key = bytes(public_key)
        self._secret_key = bytes(secret_key)

    def sign(self, message: bytes) -> bytes:
        import sr25519

        return bytes(sr25519.sign((self.public_key, self._secret_key), message))

    @classmethod
    def from_keypair(cls, keypair: Any) -> Signer:
        """Adapt a substrate-interface / bittensor-wallet Keypair (public_key, private_key)."""
        return cls(bytes(keypair.public_key), bytes(keypair.private_key))

    def __repr__(self) -> str:  # never show the secret
        return f"Signer(0x{self.public_key.hex()})"


_DEV_CACHE: dict[str, Signer] = {}


def dev_signer(name_or_uri: str) -> Signer:
    """The signer of a dev URI like "//Alice" (or just "Alice"): derived as Substrate does."""
    uri = name_or_uri if name_or_uri.startswith("//") else "//" + name_or_uri
    if uri not in _DEV_CACHE:
        from substrateinterface import Keypair

        _DEV_CACHE[uri] = Signer.from_keypair(Keypair.create_from_uri(uri))
    return _DEV_CACHE[uri]


# Public keys of the dev accounts, so reading them needs no key derivation (checked in tests).
DEV_ACCOUNTS: dict[str, bytes] = {
    "Alice": bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"),
    "Bob": bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48"),
    "Charlie": bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22"),
    "Dave": bytes.fromhex("306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20"),
    "Eve": bytes.fromhex("e659a7a1628cdd93febc04a4e0646ea20e9f5f0ce097d9a05290d4a9e054df4e"),
    "Ferdie": bytes.fromhex("1cbd2d43530a44705ad088af313e18f80b53ef16b36177cd4b77b846f2a5f07c"),
}

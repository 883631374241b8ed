"""The MEV shield's ciphertext format (NODE-461 §3.2), one implementation for both sides:
taoctl's remote backend encrypts its signed inner extrinsic with `encrypt` (what btcli 9.23.2
and bittensor 11.3.0 send: `encrypt_mlkem768(pk, plaintext, include_key_hash=True)`), and the
node (`chain.node.mevshield`) takes a carrier's ciphertext apart with `parse`.

    twox128(pk) ‖ u16_le(len(kem_ct)) ‖ kem_ct(1088) ‖ nonce(24) ‖ XChaCha20-Poly1305(ss, nonce,
    plaintext, aad=b"") with ss the ML-KEM-768 shared secret used raw as the AEAD key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from chain.substrate.hashing import twox

KEY_HASH_BYTES = 16
KEM_CT_BYTES = 1088
NONCE_BYTES = 24
TAG_BYTES = 16
MAX_CIPHERTEXT = 8192  # BoundedVec<u8, ConstU32<8192>>
MAX_PERIOD = 8  # the carrier's era; both clients use exactly 8
FAILED_SHIELDED_TX_PARSING = 23  # InvalidTransaction::Custom(23)


class ShieldError(ValueError):
    """A ciphertext that does not parse as the shield's envelope."""


@dataclass(frozen=True)
class Shielded:
    """A carrier's ciphertext taken apart."""

    key_hash: bytes
    kem_ct: bytes
    nonce: bytes
    aead_ct: bytes


def key_hash(public_key: bytes) -> bytes:
    """Substrate's twox128 of an encapsulation key (xxh64 seeds 0 and 1, little-endian)."""
    return twox(public_key, 128)


def parse(ciphertext: bytes) -> Shielded:
    """The envelope of NODE-461 §3.2; ShieldError when the bytes do not fit it."""
    if len(ciphertext) > MAX_CIPHERTEXT:
        raise ShieldError(f"longer than {MAX_CIPHERTEXT} bytes")
    head = KEY_HASH_BYTES + 2
    if len(ciphertext) < head + KEM_CT_BYTES + NONCE_BYTES + TAG_BYTES:
        raise ShieldError("too short")
    kem_len = int.from_bytes(ciphertext[KEY_HASH_BYTES:head], "little")
    if kem_len != KEM_CT_BYTES:
        raise ShieldError(f"an ML-KEM-768 ciphertext is {KEM_CT_BYTES} bytes, not {kem_len}")
    nonce_at = head + KEM_CT_BYTES
    return Shielded(bytes(ciphertext[:KEY_HASH_BYTES]), bytes(ciphertext[head:nonce_at]),
                    bytes(ciphertext[nonce_at:nonce_at + NONCE_BYTES]),
                    bytes(ciphertext[nonce_at + NONCE_BYTES:]))


def encrypt(public_key: bytes, plaintext: bytes, nonce: bytes | None = None) -> bytes:
    """What the clients send (`encrypt_mlkem768(pk, plaintext, include_key_hash=True)`): for
    taoctl's own shielded submissions and the tests."""
    from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PublicKey
    from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_encrypt

    secret, kem_ct = MLKEM768PublicKey.from_public_bytes(public_key).encapsulate()
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    sealed = crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, b"", nonce, secret)
    return key_hash(public_key) + len(kem_ct).to_bytes(2, "little") + kem_ct + nonce + sealed


def ciphertext_len(plaintext_len: int) -> int:
    """The envelope's length for a plaintext of `plaintext_len` bytes (fee estimates)."""
    return KEY_HASH_BYTES + 2 + KEM_CT_BYTES + NONCE_BYTES + plaintext_len + TAG_BYTES

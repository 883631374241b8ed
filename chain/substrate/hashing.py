"""Substrate's hashes: the xxHash and blake2 variants storage keys and extrinsic hashes use."""

from __future__ import annotations

import hashlib


def twox(data: bytes, bits: int) -> bytes:
    """xxHash64 lanes concatenated (Twox64/128/256), seeds 0, 1, ... as Substrate does."""
    import xxhash

    return b"".join(xxhash.xxh64(data, seed=i).digest()[::-1] for i in range(bits // 64))


def blake2(data: bytes, bits: int) -> bytes:
    return hashlib.blake2b(data, digest_size=bits // 8).digest()


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


# bytes of the hash in front of the key part, for the hashers whose key can be read back
CONCAT_PREFIX = {"Identity": 0, "Blake2_128Concat": 16, "Twox64Concat": 8}


def storage_prefix(pallet: str, name: str) -> bytes:
    """twox128(pallet) ++ twox128(item): the first 32 bytes of every key of the item."""
    return twox(pallet.encode(), 128) + twox(name.encode(), 128)

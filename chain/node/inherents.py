"""The inherents every block of a spec-461 chain opens with, as a real node builds them.

A block's extrinsics are `Timestamp.set(now)` at index 0 and `MevShield.announce_next_key(key)`
at index 1, both extrinsic-format **v5 bare** (`compact(len) ‖ 0x05 ‖ call`, NODE-461 §1.6),
then the signed extrinsics from index `COUNT` on. Both calls are encoded from the served
metadata.

The key the author announces comes from a `KeySource` (the MEV-shield key rotation,
`chain.node.mevshield`, registers one with `set_key_source`); with none registered the node
announces `None`, which is what a real author announces when it has no key (the pallet then
drops it from shielded-transaction eligibility).
"""

from __future__ import annotations

from typing import Protocol

from chain.local.blocks import INHERENTS
from chain.substrate.metadata import Metadata
from chain.substrate.scale import encode_compact

BARE_V5 = 0x05
COUNT = INHERENTS  # Timestamp.set, MevShield.announce_next_key
ML_KEM_768_PUBLIC_KEY = 1184  # the only length the pallet accepts (else BadEncKeyLen)


class KeySource(Protocol):
    """What announces the author's ML-KEM-768 encapsulation key for a block."""

    def announced_key(self, block_number: int) -> bytes | None:
        """The 1184-byte public key announced in block `block_number`, or None."""


_KEY_SOURCE: KeySource | None = None


def set_key_source(source: KeySource | None) -> None:
    """Install (or remove, None) the key rotation whose keys the inherent announces."""
    global _KEY_SOURCE
    _KEY_SOURCE = source


def bare(call: bytes) -> bytes:
    """A v5 bare (unsigned, extension-less) extrinsic around `call`, with its length prefix."""
    body = bytes([BARE_V5]) + call
    return encode_compact(len(body)) + body


def timestamp_set(md: Metadata, now_ms: int) -> bytes:
    """The `Timestamp.set(now)` inherent (milliseconds since the epoch)."""
    return bare(md.encode_call("Timestamp", "set", {"now": now_ms}))


def announce_next_key_call(md: Metadata, public_key: bytes | None) -> bytes:
    """The call bytes of `MevShield.announce_next_key(enc_key)`: `Some(key)` for a 1184-byte
    ML-KEM-768 encapsulation key, `None` for none."""
    if public_key is not None and len(public_key) != ML_KEM_768_PUBLIC_KEY:
        raise ValueError(f"an ML-KEM-768 public key is {ML_KEM_768_PUBLIC_KEY} bytes, got "
                         f"{len(public_key)}")
    return md.encode_call("MevShield", "announce_next_key",
                          {"enc_key": None if public_key is None else bytes(public_key)})


def announce_next_key(md: Metadata, block_number: int) -> bytes:
    """The `MevShield.announce_next_key` inherent of block `block_number`."""
    key = _KEY_SOURCE.announced_key(block_number) if _KEY_SOURCE is not None else None
    return bare(announce_next_key_call(md, key))


def of_block(md: Metadata, block_number: int, now_ms: int) -> list[bytes]:
    """Both inherents of a block, in their order."""
    return [timestamp_set(md, now_ms), announce_next_key(md, block_number)]

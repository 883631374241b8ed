"""Calls and signed extrinsics of the bundled chain.

A `Call` is (pallet, name, args) with subtensor's names and argument names, e.g.
`Call("Balances", "transfer_keep_alive", {"dest": <32 bytes>, "value": 10**9})`. A
`SignedExtrinsic` wraps it with the sender, the sender's nonce and an sr25519 signature over the
signing payload:

    payload = b"taoctl/ext/v1" || genesis_hash (32) || nonce (u64 LE) || call_bytes
    call_bytes = canonical JSON of [pallet, name, args] (sorted keys, bytes as "0x" hex)

The extrinsic hash is blake2b-256 of signer || signature || payload, so it identifies one
signed transaction. The JSON-RPC node (`chain.node`) decodes SCALE extrinsics into the same `Call`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from chain.backend import Signer

PAYLOAD_TAG = b"taoctl/ext/v1"


def _canonical(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict):
        return {k: _canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_canonical(v) for v in value]
    return value


@dataclass(frozen=True)
class Call:
    """A runtime call: pallet, call name and its arguments (bytes for accounts, ints for rao)."""

    pallet: str
    name: str
    args: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.pallet}.{self.name}"

    def encode(self) -> bytes:
        """Deterministic bytes of the call (what the signature covers)."""
        return json.dumps([self.pallet, self.name, _canonical(self.args)], sort_keys=True,
                          separators=(",", ":")).encode()

    def to_json(self) -> dict:
        return {"pallet": self.pallet, "name": self.name, "args": _canonical(self.args)}


def signing_payload(genesis_hash: bytes, nonce: int, call: Call) -> bytes:
    """The bytes a sender signs: ties the call to this chain (genesis) and to one nonce."""
    return PAYLOAD_TAG + bytes(genesis_hash) + nonce.to_bytes(8, "little") + call.encode()


@dataclass(frozen=True)
class SignedExtrinsic:
    """A call signed by `signer` (32-byte public key) for `genesis_hash` at `nonce`."""

    signer: bytes
    nonce: int
    call: Call
    signature: bytes
    genesis_hash: bytes

    def payload(self) -> bytes:
        return signing_payload(self.genesis_hash, self.nonce, self.call)

    @property
    def hash(self) -> bytes:
        return hashlib.blake2b(self.signer + self.signature + self.payload(),
                               digest_size=32).digest()

    def verify(self) -> bool:
        """True when the signature is the signer's over this payload (sr25519)."""
        import sr25519

        if len(self.signer) != 32 or len(self.signature) != 64:
            return False
        try:
            return bool(sr25519.verify(self.signature, self.payload(), self.signer))
        except Exception:  # noqa: BLE001 - malformed bytes are simply a bad proof
            return False


def sign(signer: Signer, genesis_hash: bytes, nonce: int, call: Call) -> SignedExtrinsic:
    """Sign `call` with `signer` (anything with `public_key` and `sign(bytes)`)."""
    signature = signer.sign(signing_payload(genesis_hash, nonce, call))
    return SignedExtrinsic(bytes(signer.public_key), nonce, call, bytes(signature),
                           bytes(genesis_hash))

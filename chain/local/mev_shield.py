"""The MevShield pallet's state changes (NODE-461 §3.1, §3.4): key rotation and the carrier.

`announce(state, author, enc_key, number)` is the `announce_next_key` inherent every block
starts with: Current <- Pending, Pending <- Next, Next <- the author's previously announced key,
and the author's entry <- `enc_key`. With one author (the sandbox) a key announced at block b is
Next from b+1, Pending from b+2 and Current from b+3; expiries are now+2 (Pending) and now+3
(Next), as the pallet sets them.

`submit_encrypted(ciphertext)` only records the carrier: `EncryptedSubmitted{id, who}` with
id = blake2_256(SCALE(who, ciphertext)). The block author decrypts it and applies the inner
extrinsic after it (`chain.node.mevshield`); a chain without an author's key (taoctl's own
commands) applies the carrier alone.
"""

from __future__ import annotations

from chain.local.calls import Env, call
from chain.local.state import State
from chain.pallets import mev_shield as ms
from chain.substrate.hashing import blake2_256
from chain.substrate.scale import encode_compact

KEY_BYTES = 1184  # an ML-KEM-768 encapsulation key
SANDBOX_AUTHOR = bytes.fromhex(  # the sandbox's one Aura authority: //Alice, as on a dev node
    "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


class BadEncKeyLen(ValueError):
    """The pallet's `BadEncKeyLen`: an announced key that is not 1184 bytes."""


def announce(state: State, author: bytes, enc_key: bytes | None, number: int) -> None:
    """Rotate the keys as `announce_next_key(enc_key)` does at the start of block `number`."""
    if enc_key is not None and len(enc_key) != KEY_BYTES:
        raise BadEncKeyLen(f"an encapsulation key is {KEY_BYTES} bytes, not {len(enc_key)}")
    state.set(ms.CURRENT_KEY, state.get(ms.PENDING_KEY))
    state.set(ms.PENDING_KEY, state.get(ms.NEXT_KEY))
    state.set(ms.NEXT_KEY, state.get(ms.AUTHOR_KEYS, author))
    state.set(ms.PENDING_KEY_EXPIRES_AT, number + 2)
    state.set(ms.NEXT_KEY_EXPIRES_AT, number + 3)
    if enc_key is None:
        state.remove(ms.AUTHOR_KEYS, author)
    else:
        state.set(ms.AUTHOR_KEYS, author, "0x" + enc_key.hex())


def key_bytes(stored: str | None) -> bytes | None:
    """A stored key's bytes (None when the slot is empty)."""
    return None if stored is None else bytes.fromhex(stored[2:])


def carrier_id(who: bytes, ciphertext: bytes) -> bytes:
    """The carrier's id in `EncryptedSubmitted`: blake2_256 of SCALE (AccountId32, Vec<u8>)."""
    return blake2_256(who + encode_compact(len(ciphertext)) + ciphertext)


def _bytes(value: bytes | str) -> bytes:
    """Call bytes as the node hands them over: raw, "0x" hex, or text (printable bytes)."""
    if isinstance(value, str):
        return bytes.fromhex(value[2:]) if value.startswith("0x") else value.encode()
    return bytes(value)


@call("MevShield", "submit_encrypted")
def submit_encrypted(env: Env, origin: bytes, ciphertext: bytes | str) -> None:
    env.emit("MevShield", "EncryptedSubmitted", id=carrier_id(origin, _bytes(ciphertext)),
             who=origin)


@call("MevShield", "announce_next_key")
def announce_next_key(env: Env, origin: bytes | None, enc_key: bytes | str | None) -> None:
    announce(env.state, SANDBOX_AUTHOR, None if enc_key is None else _bytes(enc_key),
             env.block_number)

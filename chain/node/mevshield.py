"""The node as the MEV shield's block author (NODE-461 §3): its ML-KEM-768 key pairs, the
carrier's validity rules, and the inner extrinsic applied right after its carrier.

Keys: the node generates a key pair for every block it opens and announces the public half as
the pallet's `announce_next_key` inherent does (`chain.local.mev_shield.announce`); the secret
halves stay in this process (`AuthorKeys._secrets`), never in the chain file, a log or a reply.
A restarted node cannot decrypt to the keys of the previous run, so it announces four fresh
keys (every stage of the rotation) when it opens the chain.

Carriers (`MevShield.submit_encrypted{ciphertext}`), checked before anything is applied:
- mortal with a period of at most 8 blocks (the runtime's CheckMortality wrapper);
- the ciphertext parses: key_hash(16) ‖ u16 kem_len ‖ kem_ct ‖ nonce(24) ‖ aead_ct, kem_len 1088,
  at most 8192 bytes (CheckShieldedTxValidity: `Custom(23)` FailedShieldedTxParsing);
- key_hash is twox128 of the open block's PendingKey (the proposer's rule) or NextKey: this
  node applies a submission in the block open at that moment, one block before a real author
  would, so a client that just read NextKey is encrypting to the key that is Pending when its
  carrier would be authored. Another key hash is refused ("invalid": the client reports a
  changed key).

Then the carrier is applied as any signed extrinsic, and its plaintext (ML-KEM-768 decapsulate,
XChaCha20-Poly1305 with the shared secret as key and empty aad) is applied as the next extrinsic
of the same block. A plaintext that does not decrypt or is not a valid signed extrinsic leaves
the carrier alone in the block (spec 461 reports nothing more). The carrier and its inner are two
writes: a node killed between them leaves the carrier applied without its inner, which is what
a decryption failure looks like.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from chain.local import mev_shield as pallet
from chain.pallets import mev_shield as ms
from chain.shield import (
    FAILED_SHIELDED_TX_PARSING,
    MAX_PERIOD,
    Shielded,
    ShieldError,
    key_hash,
    parse,
)
from chain.substrate.era import era_decode

if TYPE_CHECKING:
    from chain.local.chain import LocalChain
    from chain.local.state import State
    from chain.node.view import Included, NodeView
    from chain.substrate.extrinsic import DecodedExtrinsic

log = logging.getLogger("taoctl.node")


def check_carrier(xt: DecodedExtrinsic) -> Shielded:
    """The carrier's validity rules (era, envelope); RpcError 1010 when one fails."""
    from chain.node.view import invalid

    era = era_decode(xt.era)
    if era is None or era[0] > MAX_PERIOD:
        raise invalid(f"Transaction has a bad mortality: a shielded carrier must be mortal with "
                      f"a period of at most {MAX_PERIOD} blocks")
    try:
        return parse(bytes(xt.args["ciphertext"]))
    except ShieldError as exc:
        raise invalid(f"Custom error: {FAILED_SHIELDED_TX_PARSING} "
                      f"(FailedShieldedTxParsing: {exc})") from None


_TABLE = """CREATE TABLE IF NOT EXISTS node_shield_keys (block INTEGER PRIMARY KEY,
    key BLOB NOT NULL)"""


class AuthorKeys:
    """The node's shield keys: public halves in the chain's MevShield storage and, per block,
    in `node_shield_keys` (what the block's `announce_next_key` inherent carried); the secret
    halves here only. It is the key source of `chain.node.inherents`."""

    def __init__(self, chain: LocalChain | None = None,
                 author: bytes = pallet.SANDBOX_AUTHOR) -> None:
        self.chain = chain
        self.author = author
        self._secrets: dict[bytes, object] = {}  # key hash -> MLKEM768PrivateKey
        if chain is not None:
            chain.conn.execute(_TABLE)

    def __repr__(self) -> str:  # never the secrets
        return f"AuthorKeys({len(self._secrets)} live keys)"

    def _fresh(self) -> bytes:
        from cryptography.hazmat.primitives.asymmetric.mlkem import MLKEM768PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        secret = MLKEM768PrivateKey.generate()
        public = secret.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        self._secrets[key_hash(public)] = secret
        return public

    def start(self, state: State, number: int) -> None:
        """Fill every stage of the rotation with keys of this process (a node just opened);
        the open block `number` is recorded as announcing the last of them."""
        self._secrets.clear()
        for _ in range(4):  # AuthorKeys, then Next, Pending and Current
            public = self._fresh()
            pallet.announce(state, self.author, public, number)
        self._record(number, public)

    def announce(self, state: State, number: int) -> None:
        """The `announce_next_key` inherent of block `number`, with a new key of this node."""
        public = self._fresh()
        pallet.announce(state, self.author, public, number)
        self._record(number, public)
        live = {key_hash(k) for k in self._live(state) if k is not None}
        for stale in set(self._secrets) - live:
            del self._secrets[stale]

    def _record(self, number: int, public: bytes) -> None:
        """Within the caller's write transaction: block `number` announced `public`."""
        if self.chain is not None:
            self.chain.conn.execute("INSERT OR REPLACE INTO node_shield_keys (block, key) "
                                    "VALUES (?, ?)", (number, public))

    def announced_key(self, block_number: int) -> bytes | None:
        """The public key block `block_number`'s inherent announced (None: no announcement,
        a block this node did not open)."""
        if self.chain is None:
            return None
        row = self.chain.conn.execute("SELECT key FROM node_shield_keys WHERE block = ?",
                                      (block_number,)).fetchone()
        return None if row is None else bytes(row[0])

    def _live(self, state: State) -> list[bytes | None]:
        return [pallet.key_bytes(state.get(item)) for item in
                (ms.CURRENT_KEY, ms.PENDING_KEY, ms.NEXT_KEY)] + \
            [pallet.key_bytes(state.get(ms.AUTHOR_KEYS, self.author))]

    def accepts(self, state: State, hashed: bytes) -> bool:
        """True when a carrier encrypted to `hashed` is authored now (Pending or Next key)."""
        pending, upcoming = (pallet.key_bytes(state.get(i)) for i in (ms.PENDING_KEY,
                                                                       ms.NEXT_KEY))
        return hashed in self._secrets and hashed in {key_hash(k) for k in (pending, upcoming)
                                                     if k is not None}

    def decrypt(self, shielded: Shielded) -> bytes | None:
        """The plaintext (the inner signed extrinsic), None when it does not decrypt."""
        from nacl.bindings import crypto_aead_xchacha20poly1305_ietf_decrypt
        from nacl.exceptions import CryptoError

        secret = self._secrets.get(shielded.key_hash)
        if secret is None:
            return None
        try:
            shared = secret.decapsulate(shielded.kem_ct)  # type: ignore[attr-defined]
            return crypto_aead_xchacha20poly1305_ietf_decrypt(shielded.aead_ct, b"",
                                                              shielded.nonce, shared)
        except (CryptoError, ValueError):
            return None

    def include(self, view: NodeView, raw: bytes) -> Included:
        """Apply a submitted extrinsic; a carrier is followed by its decrypted inner extrinsic.
        Returns the submitted extrinsic's own inclusion (the carrier's for a carrier)."""
        from chain.node.view import RpcError, invalid

        xt = view.decode(raw)
        if (xt.pallet, xt.name) != ("MevShield", "submit_encrypted"):
            return view.include(raw)
        shielded = check_carrier(xt)
        with view.chain.reading() as state:
            current = self.accepts(state, shielded.key_hash)
        if not current:
            raise invalid("Transaction is outdated: encrypted to a MevShield key that is not "
                          "the next block's (read MevShield.NextKey again)")
        carrier = view.include(raw)
        plaintext = self.decrypt(shielded)
        if plaintext is None:
            log.warning("MevShield carrier 0x%s: the ciphertext does not decrypt; the carrier "
                        "is included alone", carrier.hash.hex())
            return carrier
        try:
            inner = view.include(plaintext)
        except RpcError as exc:
            log.warning("MevShield carrier 0x%s: its inner extrinsic is not valid (%s); the "
                        "carrier is included alone", carrier.hash.hex(), exc.data or exc.message)
            return carrier
        call = view.decode(plaintext)
        log.info("MevShield carrier 0x%s: inner 0x%s (%s.%s) applied at %d/%d",
                 carrier.hash.hex(), inner.hash.hex(), call.pallet, call.name,
                 inner.block_number, inner.index)
        return carrier

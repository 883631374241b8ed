"""MevShield (pallet 30 at spec 461): the block authors' ML-KEM-768 encapsulation keys and the
carrier call that brings an encrypted extrinsic to the author (NODE-461 §3).

Keys are stored as "0x" hex of the 1184-byte encapsulation key (the metadata's
`BoundedVec<u8>`); a missing key reads as None. `AuthorKeys` is keyed by the author's Aura id.
The `PendingExtrinsics` queue of `store_encrypted` is not modelled: neither client uses it.
"""

from __future__ import annotations

from chain.pallets.calls import call
from chain.pallets.storage import ACCOUNT_ID, StorageItem

PALLET = "MevShield"

CURRENT_KEY = StorageItem(PALLET, "CurrentKey", (), "json", None)  # the open block's author
PENDING_KEY = StorageItem(PALLET, "PendingKey", (), "json", None)  # next block's author
NEXT_KEY = StorageItem(PALLET, "NextKey", (), "json", None)  # the one after: clients encrypt to it
AUTHOR_KEYS = StorageItem(PALLET, "AuthorKeys", (ACCOUNT_ID,), "json", None)
PENDING_KEY_EXPIRES_AT = StorageItem(PALLET, "PendingKeyExpiresAt", (), "u32", None)
NEXT_KEY_EXPIRES_AT = StorageItem(PALLET, "NextKeyExpiresAt", (), "u32", None)

CALLS = (
    call(PALLET, "announce_next_key", enc_key="Option<Vec<u8>>"),
    call(PALLET, "submit_encrypted", ciphertext="Vec<u8>"),
)

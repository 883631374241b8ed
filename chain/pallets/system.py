"""System (frame_system): accounts with their nonce and TAO, and the open block's number."""

from __future__ import annotations

from chain.pallets.storage import ACCOUNT_ID, AccountInfo, StorageItem

PALLET = "System"

ACCOUNT = StorageItem(PALLET, "Account", (ACCOUNT_ID,), "AccountInfo", AccountInfo())
NUMBER = StorageItem(PALLET, "Number", (), "u64", 0)  # the open block's number

CALLS = ()

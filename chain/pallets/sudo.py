"""Sudo: the key AdminUtils obeys."""

from __future__ import annotations

from chain.pallets.storage import ACCOUNT_ID, StorageItem

PALLET = "Sudo"

KEY = StorageItem(PALLET, "Key", (), ACCOUNT_ID, None)

CALLS = ()

"""Timestamp: the open block's time."""

from __future__ import annotations

from chain.pallets.storage import StorageItem

PALLET = "Timestamp"

NOW = StorageItem(PALLET, "Now", (), "u64", 0)  # the open block's time (ms)

CALLS = ()

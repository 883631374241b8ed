"""Balances (pallet_balances): the TAO issuance and the transfers."""

from __future__ import annotations

from chain.pallets.calls import call
from chain.pallets.storage import ACCOUNT_ID, StorageItem

PALLET = "Balances"

TOTAL_ISSUANCE = StorageItem(PALLET, "TotalIssuance", (), "u128", 0)

CALLS = (
    call(PALLET, "transfer_keep_alive", dest=ACCOUNT_ID, value="u64"),
    call(PALLET, "transfer_allow_death", dest=ACCOUNT_ID, value="u64"),
    call(PALLET, "transfer_all", dest=ACCOUNT_ID, keep_alive="bool"),
)

"""Taoctl: taoctl's own ledgers, kept beside subtensor's storage for reports (`chain advance`,
`stake list`) and for `chain check`. They are not subtensor storage: a real node has none."""

from __future__ import annotations

from chain.pallets.storage import ACCOUNT_ID, StorageItem

PALLET = "Taoctl"
NETUID = "u16"

# how issuance moved, so `chain check` can prove it only grew by emission and only fell by
# recycling: TotalIssuance == GenesisIssuance + Minted - Recycled.
GENESIS_ISSUANCE = StorageItem(PALLET, "GenesisIssuance", (), "u128", 0)
MINTED = StorageItem(PALLET, "Minted", (), "u128", 0)
RECYCLED = StorageItem(PALLET, "Recycled", (), "u128", 0)
# the block at which each halving took effect: the first block minting at the k-th rate
HALVING_BLOCK = StorageItem(PALLET, "HalvingBlock", ("u16",), "u64", 0)
PRICE_AT = StorageItem(PALLET, "PriceAt", (NETUID, "u64"), "u64", 0)  # (netuid, block) -> rao/alpha
# unspent coinbase credit (floor dust, rejected injections): counted in Minted and in Recycled
COINBASE_RECYCLED = StorageItem(PALLET, "CoinbaseRecycled", (), "u128", 0)
EPOCHS_RUN = StorageItem(PALLET, "EpochsRun", (), "u64", 0)
# alpha drained from the pending accumulators by epochs (owner cut included), per subnet,
# and what the epochs actually paid into stake (the difference is floor dust and burns)
EPOCH_DRAINED = StorageItem(PALLET, "EpochDrained", (NETUID,), "u128", 0)
EPOCH_PAID = StorageItem(PALLET, "EpochPaid", (NETUID,), "u128", 0)
# alpha earned by each (hotkey, coldkey, netuid) stake through epochs, for "earnings since
# staking" (reset when the stake is emptied is left to the reader: it compares with the stake)
EARNED = StorageItem(PALLET, "Earned", (ACCOUNT_ID, ACCOUNT_ID, NETUID), "u64", 0)

CALLS = ()

# -- fees and history (issue 14, histfees) ----------------------------------------------------
# the runtime's fee schedule the chain models (`chain.rules.fees.SCHEDULES`): "spec461", or
# "spec467" (the halving) which the mainnet preset turns on
FEE_SCHEDULE = StorageItem(PALLET, "FeeSchedule", (), "json", "spec461")
# TAO recycled as transaction fees (counted in Recycled too), for `chain check` and reports
FEES_RECYCLED = StorageItem(PALLET, "FeesRecycled", (), "u128", 0)

"""Swap: the per-subnet pool parameters of subtensor's swap pallet.

`FeeRate` and `SwapBalancer` (the pool's TAO weight, Perquintill parts) stand for the swap
pallet's per-subnet fee and balancer weights; the spec-343 metadata lacks them, so the node and
the remote backend serve and read them as extension items (`chain.substrate.mapping`).
"""

from __future__ import annotations

from chain.pallets.storage import StorageItem

PALLET = "Swap"
NETUID = "u16"

FEE_RATE = StorageItem(PALLET, "FeeRate", (NETUID,), "u16", 33)
SWAP_BALANCER = StorageItem(PALLET, "SwapBalancer", (NETUID,), "u64", 500_000_000_000_000_000)

CALLS = ()

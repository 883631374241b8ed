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

# -- balancer reservoirs (issue 16, branch gate; ECONOMICS-2026 §4.2.4'): injection that could
# not be made price-active. The TAO is minted and held in the subnet account outside SubnetTAO;
# the alpha is minted and counted in alpha issuance outside SubnetAlphaIn. Removed at 0.
BALANCER_TAO_RESERVOIR = StorageItem(PALLET, "BalancerTaoReservoir", (NETUID,), "u64", 0)
BALANCER_ALPHA_RESERVOIR = StorageItem(PALLET, "BalancerAlphaReservoir", (NETUID,), "u64", 0)
# -- end balancer reservoirs

CALLS = ()

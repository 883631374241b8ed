"""A subnet's pool as `amm` models it, read from any chain (`stake_utils::read_pool`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chain.rules.reader import ROOT_NETUID, SM, StorageReader

if TYPE_CHECKING:
    import amm


def is_stable(reader: StorageReader, netuid: int) -> bool:
    """Root and mechanism-0 subnets swap 1:1 without fee."""
    return netuid == ROOT_NETUID or reader.read(f"{SM}.SubnetMechanism", netuid) == 0


def read_pool(reader: StorageReader, netuid: int) -> amm.Pool:
    """Five reads: the reserves, the swap pallet's weight and fee rate, the mechanism."""
    import amm

    return amm.Pool(tao_reserve=reader.read(f"{SM}.SubnetTAO", netuid),
                    alpha_reserve=reader.read(f"{SM}.SubnetAlphaIn", netuid),
                    tao_weight=reader.read("Swap.SwapBalancer", netuid),
                    fee_rate=reader.read("Swap.FeeRate", netuid),
                    stable=is_stable(reader, netuid))

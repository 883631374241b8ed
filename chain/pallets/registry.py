"""Every storage item and every call the chain knows, collected from the pallet modules listed
here, in this order. Built when this module loads, from that list alone: no import elsewhere
adds or removes anything, so every process sees the same registry."""

from __future__ import annotations

from types import ModuleType

from chain.pallets import (
    admin_utils,
    balances,
    mev_shield,
    proxy,  # proxyhatch
    subtensor_module,
    sudo,
    swap,
    system,
    taoctl,
    timestamp,
)
from chain.pallets.calls import CallDecl
from chain.pallets.storage import StorageItem

PALLETS: tuple[ModuleType, ...] = (system, timestamp, balances, sudo, subtensor_module, swap,
                                   admin_utils, taoctl,
                                   mev_shield,  # mevclients: MEV shield (NODE-461 §3)
                                   proxy)  # proxyhatch


def collect_storage(pallets: tuple[ModuleType, ...]) -> dict[str, StorageItem]:
    """The items each pallet module defines at its top level, by "Pallet.Name"."""
    found: dict[str, StorageItem] = {}
    for module in pallets:
        for value in vars(module).values():
            if not isinstance(value, StorageItem):
                continue
            if value.pallet != module.PALLET:
                raise ValueError(f"{module.__name__} declares {value.id}, another pallet's item")
            if value.id in found:
                raise ValueError(f"storage item {value.id} declared twice")
            found[value.id] = value
    return found


def collect_calls(pallets: tuple[ModuleType, ...]) -> dict[str, CallDecl]:
    """Each pallet module's `CALLS`, by "Pallet.name"."""
    found: dict[str, CallDecl] = {}
    for module in pallets:
        for decl in module.CALLS:
            if decl.pallet != module.PALLET:
                raise ValueError(f"{module.__name__} declares {decl.id}, another pallet's call")
            if decl.id in found:
                raise ValueError(f"call {decl.id} declared twice")
            found[decl.id] = decl
    return found


REGISTRY: dict[str, StorageItem] = collect_storage(PALLETS)
CALLS: dict[str, CallDecl] = collect_calls(PALLETS)


def item(item_id: str) -> StorageItem:
    """Look an item up by "Pallet.Name"."""
    try:
        return REGISTRY[item_id]
    except KeyError:
        raise KeyError(f"unknown storage item {item_id}") from None

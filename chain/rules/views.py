"""Reads assembled from storage items the same way on every chain: the metagraph rows and a
subnet's hyperparameters (what `ChainBackend.neurons` / `.hyperparameters` answer)."""

from __future__ import annotations

from typing import Any, Protocol

from chain.rules.reader import SM

HYPERPARAMETER_ITEMS = (
    "Tempo", "MaxAllowedUids", "MaxAllowedValidators", "MinAllowedWeights", "ImmunityPeriod",
    "Yuma3On", "Burn", "MinBurn", "MaxBurn", "BurnHalfLife", "BurnIncreaseMult",
    "ImmuneOwnerUidsLimit", "MinNonImmuneUids", "MaxRegistrationsPerBlock",
    "NetworkRegistrationAllowed", "SubtokenEnabled", "TransferToggle",
    # regqueue: epoch modes and the collateral share (ECONOMICS-2026 §7.0, §7.7, §6.1.2)
    "SubnetEpochConsensus", "LiquidAlphaConsensusMode", "CollateralLockShare",
)


class ViewReader(Protocol):
    def read(self, item: str, *key: Any) -> Any: ...

    def read_many(self, item: str, keys: list[tuple]) -> list[Any]: ...

    def open_number(self) -> int: ...


def neurons(reader: ViewReader, netuid: int) -> list[dict]:
    """uid, hotkey, coldkey (32 bytes), stake, registration block, immunity, emission (rao)."""
    n = reader.read(f"{SM}.SubnetworkN", netuid)
    hotkeys = reader.read_many(f"{SM}.Keys", [(netuid, uid) for uid in range(n)])
    present = [h for h in hotkeys if h]
    owner_of = dict(zip(present, reader.read_many(f"{SM}.Owner", [(h,) for h in present]),
                        strict=True))
    registered = reader.read_many(f"{SM}.BlockAtRegistration", [(netuid, u) for u in range(n)])
    total_of = dict(zip(present, reader.read_many(f"{SM}.TotalHotkeyAlpha",
                                                  [(h, netuid) for h in present]), strict=True))
    emission = reader.read(f"{SM}.Emission", netuid) or []
    immunity = reader.read(f"{SM}.ImmunityPeriod", netuid)
    block = reader.open_number()
    rows = []
    for uid, hotkey in enumerate(hotkeys):
        if not hotkey:
            continue
        reg = registered[uid]
        rows.append({"uid": uid, "hotkey": bytes(hotkey), "coldkey": owner_of.get(hotkey),
                     "stake_rao": total_of.get(hotkey, 0), "registered_at": reg,
                     "immune": block - reg < immunity,
                     "emission_rao": emission[uid] if uid < len(emission) else 0})
    return rows


def hyperparameters(reader: ViewReader, netuid: int) -> dict[str, Any]:
    """The subnet's settings by storage name, with the swap pallet's `FeeRate` and
    `SwapBalancer`; items a chain does not declare are left out."""
    values: dict[str, Any] = {}
    for item in HYPERPARAMETER_ITEMS:
        try:
            values[item] = reader.read(f"{SM}.{item}", netuid)
        except KeyError:
            continue
    values["FeeRate"] = reader.read("Swap.FeeRate", netuid)
    values["SwapBalancer"] = reader.read("Swap.SwapBalancer", netuid)
    return values

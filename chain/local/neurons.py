"""Neurons of a subnet: UIDs, appending, replacing, and which UID a full subnet prunes.

Storage (subtensor's): `SubnetworkN[netuid]` UIDs in use, `Keys[netuid, uid]` -> hotkey,
`Uids[netuid, hotkey]` -> uid, `BlockAtRegistration[netuid, uid]`, `IsNetworkMember[hotkey,
netuid]`, and the per-UID vectors `Emission` and `LastUpdate`.

Pruning (`get_neuron_to_prune`, ECONOMICS.md §6.2): the owner's immortal UIDs are skipped (at
most `ImmuneOwnerUidsLimit`: the `SubnetOwnerHotkey` first, then the UIDs whose hotkey the
owner coldkey owns, `Owner[hotkey]`, oldest registration first; ECONOMICS-2026 §6.2); of the rest the lowest `Emission` is pruned,
ties to the earliest registration, then the lowest UID. A non-immune candidate is preferred when
more than `MinNonImmuneUids` UIDs are non-immune; otherwise the lowest immune candidate goes.
"""

from __future__ import annotations

from chain.local import registration_price as rp
from chain.local.state import State
from chain.pallets import subtensor_module as sm


def uid_of(state: State, netuid: int, hotkey: bytes) -> int | None:
    """The hotkey's UID on the subnet, or None when it is not registered there."""
    return state.get(sm.UIDS, netuid, hotkey)


def hotkeys(state: State, netuid: int) -> list[bytes]:
    """Hotkeys by UID (reads `Keys` for each UID in use)."""
    return [state.get(sm.KEYS, netuid, uid) for uid in range(state.get(sm.SUBNETWORK_N, netuid))]


def _set_vector(state: State, item, netuid: int, uid: int, value: int) -> None:
    vector = list(state.get(item, netuid))
    vector += [0] * (uid + 1 - len(vector))
    vector[uid] = value
    state.set(item, netuid, vector)


def append_neuron(state: State, netuid: int, hotkey: bytes, block: int) -> int:
    """Give the hotkey the next UID (the subnet is not full)."""
    uid = state.get(sm.SUBNETWORK_N, netuid)
    state.set(sm.SUBNETWORK_N, netuid, uid + 1)
    _assign(state, netuid, uid, hotkey, block)
    return uid


def replace_neuron(state: State, netuid: int, uid: int, hotkey: bytes, block: int) -> bytes:
    """Give `uid` to a new hotkey, clearing the old one's per-neuron state; returns the old
    hotkey. Stake stays with the old hotkey (it is not per UID)."""
    old = state.get(sm.KEYS, netuid, uid)
    if old is not None:
        state.remove(sm.UIDS, netuid, old)
        state.remove(sm.IS_NETWORK_MEMBER, old, netuid)
    _assign(state, netuid, uid, hotkey, block)
    return old


def _assign(state: State, netuid: int, uid: int, hotkey: bytes, block: int) -> None:
    state.set(sm.KEYS, netuid, uid, hotkey)
    state.set(sm.UIDS, netuid, hotkey, uid)
    state.set(sm.BLOCK_AT_REGISTRATION, netuid, uid, block)
    state.set(sm.IS_NETWORK_MEMBER, hotkey, netuid, True)
    _set_vector(state, sm.EMISSION, netuid, uid, 0)
    _set_vector(state, sm.LAST_UPDATE, netuid, uid, block)


def immortal_uids(state: State, netuid: int) -> list[int]:
    """The owner's UIDs that are never pruned (`get_immune_owner_uids`, via the kernel). Since
    475 the owner's hotkeys are found by scanning the subnet's UIDs for `Owner[hotkey] ==
    SubnetOwner` (ECONOMICS-2026 §6.2), not by walking `OwnedHotkeys`: the sets agree while the
    two maps do."""
    owner_hotkey = state.get(sm.SUBNET_OWNER_HOTKEY, netuid)
    owner = state.get(sm.SUBNET_OWNER, netuid)
    owned = []
    if owner is not None:
        for uid, hotkey in enumerate(hotkeys(state, netuid)):
            if hotkey is not None and state.get(sm.OWNER, hotkey) == owner:
                owned.append((uid, state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid)))
    hotkey_uid = uid_of(state, netuid, owner_hotkey) if owner_hotkey is not None else None
    return rp.immortal_uids(owned, hotkey_uid, state.get(sm.IMMUNE_OWNER_UIDS_LIMIT, netuid))


def neuron_to_prune(state: State, netuid: int, block: int) -> int | None:
    """The UID a registration on a full subnet replaces, or None when every UID is immortal."""
    emission = list(state.get(sm.EMISSION, netuid))
    immortal = set(immortal_uids(state, netuid))
    period = state.get(sm.IMMUNITY_PERIOD, netuid)
    candidates = []
    for uid in range(state.get(sm.SUBNETWORK_N, netuid)):
        registered = state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid)
        candidates.append(rp.PruneCandidate(
            uid, emission[uid] if uid < len(emission) else 0, registered,
            immune=rp.is_immune(block, registered, period), immortal=uid in immortal))
    return rp.neuron_to_prune(candidates, state.get(sm.MIN_NON_IMMUNE_UIDS, netuid))

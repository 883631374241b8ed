"""Which calls a proxy of each type may make: subtensor's `InstanceFilter<RuntimeCall> for
ProxyType` (runtime/src/lib.rs) restated over (pallet, call) names, shared by the bundled
chain's `Proxy.proxy` and the CLI's pre-check of `--proxy-for` (what a node would refuse).

The variant names and their order are spec 461's `ProxyType` (the metadata's enum). Types whose
calls the bundled chain does not have (Senate, Triumvirate, Governance, SudoUncheckedSetCode,
RootClaim, BasketTrading) allow nothing here; `RootWeights` is deprecated and allows nothing.
Stdlib only.
"""

from __future__ import annotations

PROXY_TYPES: tuple[str, ...] = (
    "Any", "Owner", "NonCritical", "NonTransfer", "Senate", "NonFungible", "Triumvirate",
    "Governance", "Staking", "Registration", "Transfer", "SmallTransfer", "RootWeights",
    "ChildKeys", "SudoUncheckedSetCode", "SwapHotkey", "SubnetLeaseBeneficiary", "RootClaim",
    "BasketTrading")

SMALL_TRANSFER_LIMIT = 500_000_000  # rao (0.5 TAO): SmallTransfer's bound, strictly below

SM = "SubtensorModule"
_STAKE_TRADES = frozenset({
    "add_stake", "add_stake_limit", "remove_stake", "remove_stake_limit",
    "remove_stake_full_limit", "unstake_all", "unstake_all_alpha", "swap_stake",
    "swap_stake_limit", "move_stake"})
_COLDKEY_MOVES = frozenset({"transfer_stake", "schedule_swap_coldkey", "swap_coldkey"})
_NON_FUNGIBLE_OUT = _STAKE_TRADES | _COLDKEY_MOVES | {"burned_register", "root_register",
                                                      "swap_hotkey"}
_TRANSFERS = frozenset({"transfer_keep_alive", "transfer_allow_death", "transfer_all"})


def allows(proxy_type: str, pallet: str, name: str, args: dict) -> bool:
    """True when a proxy of `proxy_type` may dispatch `pallet.name(args)` for its real account."""
    if proxy_type == "Any":
        return True
    if proxy_type == "NonTransfer":
        return not (pallet == "Balances" or (pallet == SM and name in _COLDKEY_MOVES))
    if proxy_type == "NonFungible":
        return not (pallet == "Balances" or (pallet == SM and name in _NON_FUNGIBLE_OUT))
    if proxy_type == "Transfer":
        return (pallet == "Balances" and name in _TRANSFERS) or \
            (pallet == SM and name == "transfer_stake")
    if proxy_type == "SmallTransfer":
        if pallet == "Balances" and name in ("transfer_keep_alive", "transfer_allow_death"):
            return int(args.get("value", 0)) < SMALL_TRANSFER_LIMIT
        if pallet == SM and name == "transfer_stake":
            return int(args.get("alpha_amount", 0)) < SMALL_TRANSFER_LIMIT
        return False
    if proxy_type == "Owner":
        return (pallet == "AdminUtils" and name != "sudo_set_sn_owner_hotkey") or \
            (pallet == SM and name in ("set_subnet_identity", "update_symbol"))
    if proxy_type == "NonCritical":
        return not ((pallet == SM and name in ("dissolve_network", "root_register",
                                               "burned_register"))
                    or pallet in ("Triumvirate", "Sudo"))
    if proxy_type == "Staking":
        return pallet == SM and name in _STAKE_TRADES
    if proxy_type == "Registration":
        return pallet == SM and name in ("burned_register", "register")
    if proxy_type == "ChildKeys":
        return pallet == SM and name in ("set_children", "set_childkey_take")
    if proxy_type == "SwapHotkey":
        return pallet == SM and name == "swap_hotkey"
    if proxy_type == "SubnetLeaseBeneficiary":
        return (pallet == SM and name == "start_call") or \
            (pallet == "AdminUtils" and name in _LEASE_ADMIN)
    return False


_LEASE_ADMIN = frozenset({
    "sudo_set_serving_rate_limit", "sudo_set_min_difficulty", "sudo_set_max_difficulty",
    "sudo_set_weights_version_key", "sudo_set_adjustment_alpha", "sudo_set_max_weight_limit",
    "sudo_set_immunity_period", "sudo_set_min_allowed_weights", "sudo_set_kappa",
    "sudo_set_rho", "sudo_set_activity_cutoff", "sudo_set_network_registration_allowed",
    "sudo_set_network_pow_registration_allowed", "sudo_set_max_burn",
    "sudo_set_bonds_moving_average", "sudo_set_bonds_penalty",
    "sudo_set_commit_reveal_weights_enabled", "sudo_set_liquid_alpha_enabled",
    "sudo_set_alpha_values", "sudo_set_commit_reveal_weights_interval",
    "sudo_set_toggle_transfer"})


def is_superset(mine: str, other: str) -> bool:
    """`is_superset`: may a proxy of type `mine` add or remove proxies of type `other`."""
    if mine == other or mine == "Any":
        return True
    if other == "Any":
        return False
    if mine == "NonTransfer":
        return other not in ("Transfer", "SmallTransfer")
    if mine == "Governance":
        return other in ("Triumvirate", "Senate")
    return mine == "Transfer" and other == "SmallTransfer"


def find(definitions: list, delegate: bytes, force_type: str | None) -> dict | None:
    """pallet_proxy's `find_proxy`: the first definition of `delegate` (of `force_type`, if
    given) in the real account's list; definitions are `{delegate: "0x..", proxy_type, delay}`."""
    want = "0x" + delegate.hex()
    for d in definitions:
        if d["delegate"] == want and (force_type is None or d["proxy_type"] == force_type):
            return d
    return None

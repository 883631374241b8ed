"""AdminUtils (`pallets/admin-utils/src/lib.rs`): the sudo setters the bundled chain offers.

Each setter writes one SubtensorModule item; the tables say which, under subtensor's call and
argument names. Per-subnet setters take `netuid` first.
"""

from __future__ import annotations

from chain.pallets import subtensor_module as sm
from chain.pallets.calls import call

PALLET = "AdminUtils"
NETUID = "u16"

# (call, the item it sets, argument, kind)
SUBNET_SETTERS = (
    ("sudo_set_subnet_emission_enabled", sm.SUBNET_EMISSION_ENABLED, "enabled", "bool"),
    ("sudo_set_subtoken_enabled", sm.SUBTOKEN_ENABLED, "subtoken_enabled", "bool"),
    ("sudo_set_max_allowed_uids", sm.MAX_ALLOWED_UIDS, "max_allowed_uids", "u16"),
    ("sudo_set_immunity_period", sm.IMMUNITY_PERIOD, "immunity_period", "u16"),
    ("sudo_set_min_burn", sm.MIN_BURN, "min_burn", "u64"),
    ("sudo_set_max_burn", sm.MAX_BURN, "max_burn", "u64"),
    ("sudo_set_tempo", sm.TEMPO, "tempo", "u16"),
    ("sudo_set_network_registration_allowed", sm.NETWORK_REGISTRATION_ALLOWED,
     "registration_allowed", "bool"),
    ("sudo_set_toggle_transfer", sm.TRANSFER_TOGGLE, "toggle", "bool"),
    ("sudo_set_owner_immune_neuron_limit", sm.IMMUNE_OWNER_UIDS_LIMIT, "immune_neurons", "u16"),
    ("sudo_set_max_registrations_per_block", sm.MAX_REGISTRATIONS_PER_BLOCK,
     "max_registrations_per_block", "u16"),
)
GLOBAL_SETTERS = (
    ("sudo_set_network_min_lock_cost", sm.NETWORK_MIN_LOCK_COST, "lock_cost", "u64"),
    ("sudo_set_lock_reduction_interval", sm.NETWORK_LOCK_REDUCTION_INTERVAL, "interval", "u64"),
    ("sudo_set_subnet_limit", sm.SUBNET_LIMIT, "max_subnets", "u16"),
    ("sudo_set_network_immunity_period", sm.NETWORK_IMMUNITY_PERIOD, "immunity_period", "u64"),
    ("sudo_set_start_call_delay", sm.START_CALL_DELAY, "delay", "u64"),
)

# -- regqueue: the collateral share of the burn (§6.1.2) -------------------------------------------
SUBNET_SETTERS += (
    ("sudo_set_collateral_lock_share", sm.COLLATERAL_LOCK_SHARE, "share", "u16"),
)
# -- end regqueue
# -- econ: MinAllowedUids, the floor of a trim (call 79; sudo; `chain.local.null_pruning`) -------
SUBNET_SETTERS += (
    ("sudo_set_min_allowed_uids", sm.MIN_ALLOWED_UIDS, "min_allowed_uids", "u16"),
)
# -- end econ

CALLS = (
    # regqueue: epoch modes (owner or sudo; `chain.local.epoch_modes`), calls 111 and 104
    call(PALLET, "sudo_set_epoch_consensus", netuid=NETUID, mode="u16"),
    call(PALLET, "sudo_set_liquid_alpha_consensus_mode", netuid=NETUID, mode="u16"),
    # econ: batched pruning of a Null subnet (call 112; `chain.local.null_pruning`)
    call(PALLET, "sudo_trim_null_uids_batch", netuid=NETUID, target="u16"),
    call(PALLET, "sudo_trim_to_max_allowed_uids", netuid=NETUID, max_n="u16"),  # call 78
    # econ: the emission gate's root setters, calls 100-102 (`chain.local.gate_admin`)
    call(PALLET, "sudo_set_emission_bar_quantile", quantile="u128"),
    call(PALLET, "sudo_set_emission_gate_exponent", exponent="u128"),
    call(PALLET, "sudo_set_emission_bar_rank", rank="u16"),
    # econ: commit-reveal switches (owner or sudo; `chain.local.commit_reveal`)
    call(PALLET, "sudo_set_commit_reveal_weights_enabled", netuid=NETUID, enabled="bool"),
    call(PALLET, "sudo_set_commit_reveal_weights_interval", netuid=NETUID, interval="u64"),
    *(call(PALLET, name, netuid=NETUID, **{arg: kind}) for name, _, arg, kind in SUBNET_SETTERS),
    *(call(PALLET, name, **{arg: kind}) for name, _, arg, kind in GLOBAL_SETTERS),
)

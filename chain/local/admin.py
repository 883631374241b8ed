"""AdminUtils: the sudo calls the bundled chain offers (`pallets/admin-utils/src/lib.rs`).

Only the `Sudo.Key` account may call them (BadOrigin otherwise); on the dev preset that is
//Alice. Arguments carry subtensor's names. `sudo_set_subnet_emission_enabled` turns a subnet's
emission on or off (new subnets start with it off); `sudo_set_start_call_delay` shortens the
wait before `start_call`. Per-subnet setters refuse unknown netuids (SubnetNotExists).
"""

from __future__ import annotations

from chain.local import items as i
from chain.local import stake_utils as su
from chain.local import storage as s
from chain.local.calls import Env, call
from chain.local.errors import BadOrigin


def _ensure_sudo(env: Env, origin: bytes) -> None:
    if origin != env.state.get(s.SUDO_KEY):
        raise BadOrigin("only the sudo key can call AdminUtils")


def _subnet_setter(name: str, item, arg: str, kind: str) -> None:
    def setter(env: Env, origin: bytes, netuid: int, **value) -> None:
        _ensure_sudo(env, origin)
        su.ensure_subnet(env.state, netuid)
        env.state.set(item, netuid, value[arg])
        env.emit("AdminUtils", name, netuid=netuid, **{arg: value[arg]})

    setter.__name__ = name
    setter.__doc__ = f"Sudo: set `{item.name}` of a subnet."
    call("AdminUtils", name, netuid="u16", **{arg: kind})(setter)


def _global_setter(name: str, item, arg: str, kind: str) -> None:
    def setter(env: Env, origin: bytes, **value) -> None:
        _ensure_sudo(env, origin)
        env.state.set(item, value[arg])
        env.emit("AdminUtils", name, **{arg: value[arg]})

    setter.__name__ = name
    setter.__doc__ = f"Sudo: set `{item.name}`."
    call("AdminUtils", name, **{arg: kind})(setter)


for _name, _item, _arg, _kind in (
    ("sudo_set_subnet_emission_enabled", i.SUBNET_EMISSION_ENABLED, "enabled", "bool"),
    ("sudo_set_subtoken_enabled", i.SUBTOKEN_ENABLED, "subtoken_enabled", "bool"),
    ("sudo_set_max_allowed_uids", i.MAX_ALLOWED_UIDS, "max_allowed_uids", "u16"),
    ("sudo_set_immunity_period", i.IMMUNITY_PERIOD, "immunity_period", "u16"),
    ("sudo_set_min_burn", i.MIN_BURN, "min_burn", "u64"),
    ("sudo_set_max_burn", i.MAX_BURN, "max_burn", "u64"),
    ("sudo_set_tempo", i.TEMPO, "tempo", "u16"),
    ("sudo_set_network_registration_allowed", i.NETWORK_REGISTRATION_ALLOWED,
     "registration_allowed", "bool"),
    ("sudo_set_toggle_transfer", i.TRANSFER_TOGGLE, "toggle", "bool"),
    ("sudo_set_owner_immune_neuron_limit", i.IMMUNE_OWNER_UIDS_LIMIT, "immune_neurons", "u16"),
    ("sudo_set_max_registrations_per_block", i.MAX_REGISTRATIONS_PER_BLOCK,
     "max_registrations_per_block", "u16"),
):
    _subnet_setter(_name, _item, _arg, _kind)

for _name, _item, _arg, _kind in (
    ("sudo_set_network_min_lock_cost", i.NETWORK_MIN_LOCK_COST, "lock_cost", "u64"),
    ("sudo_set_lock_reduction_interval", i.NETWORK_LOCK_REDUCTION_INTERVAL, "interval", "u64"),
    ("sudo_set_subnet_limit", i.SUBNET_LIMIT, "max_subnets", "u16"),
    ("sudo_set_network_immunity_period", i.NETWORK_IMMUNITY_PERIOD, "immunity_period", "u64"),
    ("sudo_set_start_call_delay", i.START_CALL_DELAY, "delay", "u64"),
):
    _global_setter(_name, _item, _arg, _kind)

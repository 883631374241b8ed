"""AdminUtils: the sudo calls the bundled chain offers (`pallets/admin-utils/src/lib.rs`).

Only the `Sudo.Key` account may call them (BadOrigin otherwise); on the dev preset that is
//Alice. The setters, the item each writes and their arguments are declared in
`chain.pallets.admin_utils`. `sudo_set_subnet_emission_enabled` turns a subnet's
emission on or off (new subnets start with it off); `sudo_set_start_call_delay` shortens the
wait before `start_call`. Per-subnet setters refuse unknown netuids (SubnetNotExists).
"""

from __future__ import annotations

from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.errors import BadOrigin
from chain.pallets import admin_utils, sudo


def ensure_sudo(env: Env, origin: bytes) -> None:
    if origin != env.state.get(sudo.KEY):
        raise BadOrigin("only the sudo key can call AdminUtils")


def _subnet_setter(name: str, item, arg: str) -> None:
    def setter(env: Env, origin: bytes, netuid: int, **value) -> None:
        ensure_sudo(env, origin)
        su.ensure_subnet(env.state, netuid)
        if name in _SETTER_CHECKS:  # regqueue
            _SETTER_CHECKS[name](env.state, netuid, value[arg])
        env.state.set(item, netuid, value[arg])
        env.emit("AdminUtils", name, netuid=netuid, **{arg: value[arg]})

    setter.__name__ = name
    setter.__doc__ = f"Sudo: set `{item.name}` of a subnet."
    call(admin_utils.PALLET, name)(setter)


def _global_setter(name: str, item, arg: str) -> None:
    def setter(env: Env, origin: bytes, **value) -> None:
        ensure_sudo(env, origin)
        env.state.set(item, value[arg])
        env.emit("AdminUtils", name, **{arg: value[arg]})

    setter.__name__ = name
    setter.__doc__ = f"Sudo: set `{item.name}`."
    call(admin_utils.PALLET, name)(setter)


# -- regqueue: `sudo_set_max_allowed_uids` is bounded by the epoch mode's UID budget (§6.2) ----
def _max_allowed_uids_check(state, netuid: int, value: int) -> None:
    from chain.local.epoch_modes import check_max_allowed_uids

    check_max_allowed_uids(state, netuid, value)


_SETTER_CHECKS = {"sudo_set_max_allowed_uids": _max_allowed_uids_check}
# -- end regqueue


# -- econ: `sudo_set_min_allowed_uids` (call 79): below MaxAllowedUids and below SubnetworkN ----
def _min_allowed_uids_check(state, netuid: int, value: int) -> None:
    from chain.local.subtensor_errors import fail
    from chain.pallets import subtensor_module as sm

    if value >= state.get(sm.MAX_ALLOWED_UIDS, netuid):
        raise fail("MinAllowedUidsGreaterThanMaxAllowedUids",
                   f"MinAllowedUids {value} must be below MaxAllowedUids "
                   f"{state.get(sm.MAX_ALLOWED_UIDS, netuid)}")
    if value >= state.get(sm.SUBNETWORK_N, netuid):
        raise fail("MinAllowedUidsGreaterThanCurrentUids",
                   f"MinAllowedUids {value} must be below the subnet's "
                   f"{state.get(sm.SUBNETWORK_N, netuid)} UIDs")


_SETTER_CHECKS["sudo_set_min_allowed_uids"] = _min_allowed_uids_check
# -- end econ

for _name, _item, _arg, _ in admin_utils.SUBNET_SETTERS:
    _subnet_setter(_name, _item, _arg)
for _name, _item, _arg, _ in admin_utils.GLOBAL_SETTERS:
    _global_setter(_name, _item, _arg)

"""The pool and stake invariants that `chain check` adds (see `invariants.py`, checks 7-9):
subnet accounts cover `SubnetTAO`, `SubnetAlphaOut` covers stake and pending alpha, and share
pools never hand out more than the hotkey holds. One pass over the stake maps.
"""

from __future__ import annotations

from collections import defaultdict

from chain.local import share_pool as sp
from chain.local.accounts import subnet_account
from chain.local.state import State
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import AccountInfo

# alpha minted but not yet staked
_PENDING = (sm.PENDING_SERVER, sm.PENDING_VALIDATOR, sm.PENDING_ROOT, sm.PENDING_OWNER_CUT,
            sm.SUBNET_PROTOCOL_ALPHA)


def check_into(state: State, accounts: dict, results: dict[str, list[str]]) -> None:
    """Append failures of checks 7-9 to `results` (keys subnet_accounts, alpha_out,
    share_pools)."""
    netuids = [n for (n,), added in state.iter(sm.NETWORKS_ADDED) if added]
    for netuid in netuids:
        held = accounts.get((subnet_account(netuid),), AccountInfo()).free
        tao = state.get(sm.SUBNET_TAO, netuid)
        if held < tao:
            results["subnet_accounts"].append(
                f"subnet {netuid}: account holds {held} rao, less than SubnetTAO {tao}")
    staked: dict[int, int] = defaultdict(int)
    for (_hotkey, netuid), total in state.iter(sm.TOTAL_HOTKEY_ALPHA):
        staked[netuid] += total
    pending: dict[int, int] = defaultdict(int)
    for item in _PENDING:
        for (netuid,), amount in state.iter(item):
            pending[netuid] += int(amount)
    for netuid in netuids:
        out = state.get(sm.SUBNET_ALPHA_OUT, netuid)
        need = staked[netuid] + pending[netuid]
        if out < need:
            results["alpha_out"].append(
                f"subnet {netuid}: SubnetAlphaOut {out} < stake {staked[netuid]} + pending "
                f"{pending[netuid]}")
    values: dict[tuple, int] = defaultdict(int)
    pools: dict[tuple, sp.SharePool] = {}
    for (hotkey, _coldkey, netuid), raw in state.iter(sm.ALPHA):
        key = (hotkey, netuid)
        if key not in pools:
            denom = state.get(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid)
            pools[key] = sp.SharePool(state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid),
                                      sp.ZERO if denom is None else sp.SafeFloat(*denom))
        values[key] += sp.value(pools[key], sp.SafeFloat(*raw))
    for (hotkey, netuid), total in values.items():
        if total > pools[(hotkey, netuid)].shared:
            results["share_pools"].append(
                f"hotkey 0x{hotkey.hex()} on subnet {netuid}: nominators hold {total} > "
                f"TotalHotkeyAlpha {pools[(hotkey, netuid)].shared}")
            if len(results["share_pools"]) > 10:
                break

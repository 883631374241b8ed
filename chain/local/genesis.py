"""Genesis state of subnets: the root subnet, preset subnets with their pools, stakes and
neurons, and global parameters, written from a preset's plain data (see `presets.py`).

Preset keys read here (all optional):

- `params`: {"StorageName": value} for plain `SubtensorModule` values (e.g. NetworkMinLockCost,
  StartCallDelay, SubnetLimit, NetworkLastLockCost, NetworkLastRegistered);
- `subnets`: netuids (ints: an empty subnet, root for 0) or dicts describing a running subnet:
  netuid, owner_coldkey, owner_hotkey (hex), tao, alpha_in, name, symbol, registered_at,
  moving_price (I96F32 bits), burn, started, emission_enabled, neurons ([hotkey hex, ...] after
  the owner at UID 0) and stakes ([[hotkey hex, coldkey hex, alpha], ...]; SubnetAlphaOut is
  their sum). Each subnet account must already hold `tao` in the preset's `balances`.
- `root_stakes`: [[hotkey hex, coldkey hex, tao], ...] staked on root 1:1 (SubnetTAO[0] and
  SubnetAlphaOut[0] are their sum; the root account must hold it).
- `emission_gate_bar`: true to compute `EmissionGateBar` from the genesis shares
  (`genesis_gate_bar`), so the emission gate is in force from the first block.
"""

from __future__ import annotations

from chain.local import neurons
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID
from chain.local.state import State
from chain.pallets import registry, system
from chain.pallets import subtensor_module as sm


def write(state: State, spec: dict, block: int) -> None:
    """Write the subnet genesis of `spec` into `state` (before the genesis block is sealed)."""
    state.set(system.NUMBER, block)
    for name, value in spec.get("params", {}).items():
        state.set(registry.item(f"SubtensorModule.{name}"), value)
    for entry in spec.get("subnets", []):
        if isinstance(entry, int):
            entry = {"netuid": entry}
        if entry["netuid"] == ROOT_NETUID:
            _root(state)
        else:
            _subnet(state, entry, block)
    root_total = 0
    for hotkey, coldkey, tao in spec.get("root_stakes", []):
        hot, cold = bytes.fromhex(hotkey), bytes.fromhex(coldkey)
        su.create_account_if_non_existent(state, cold, hot)
        su.credit_stake(state, hot, cold, ROOT_NETUID, tao)
        if neurons.uid_of(state, ROOT_NETUID, hot) is None:
            neurons.append_neuron(state, ROOT_NETUID, hot, block)
        root_total += tao
    if root_total:
        state.set(sm.SUBNET_TAO, ROOT_NETUID, root_total)
        state.set(sm.SUBNET_ALPHA_OUT, ROOT_NETUID, root_total)
        state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + root_total)
    if spec.get("emission_gate_bar"):
        state.set(sm.EMISSION_GATE_BAR, genesis_gate_bar(state, block))


def genesis_gate_bar(state: State, block: int) -> int:
    """The emission gate's bar over the genesis subnets' shares (what the first block would
    compute, `maybe_update_emission_gate_bar`), so a preset starts with the gate in force."""
    from chain.local import coinbase as cb
    from chain.local import coinbase_math as cm

    emitting = [n for n in cb.all_subnets(state) if cb.emits(state, n)]
    _, _, bar = cm.block_tao_emissions(
        [state.get(sm.SUBNET_MOVING_PRICE, n) for n in emitting],
        [state.get(sm.MINER_BURNED, n) for n in emitting],
        [bool(state.get(sm.SUBNET_EMISSION_ENABLED, n)) for n in emitting], 0, block,
        cm.GateParams(0, state.get(sm.EMISSION_BAR_RANK), state.get(sm.EMISSION_BAR_QUANTILE),
                      state.get(sm.EMISSION_GATE_EXPONENT)))
    return bar


def _root(state: State) -> None:
    """Root: the stable mechanism 0, always trading, 64 seats."""
    state.set(sm.NETWORKS_ADDED, ROOT_NETUID, True)
    state.set(sm.TOTAL_NETWORKS, state.get(sm.TOTAL_NETWORKS) + 1)
    state.set(sm.SUBNET_MECHANISM, ROOT_NETUID, 0)
    state.set(sm.SUBTOKEN_ENABLED, ROOT_NETUID, True)
    state.set(sm.MAX_ALLOWED_UIDS, ROOT_NETUID, 64)
    state.set(sm.TEMPO, ROOT_NETUID, 360)
    state.set(sm.TOKEN_SYMBOL, ROOT_NETUID, "Τ")
    state.set(sm.SUBNET_IDENTITIES, ROOT_NETUID, {"subnet_name": "root"})


def _subnet(state: State, entry: dict, block: int) -> None:
    from chain.local.subnets import init_new_network

    netuid = entry["netuid"]
    registered = entry.get("registered_at", block)
    init_new_network(state, netuid, registered)
    if "owner_coldkey" not in entry:
        return
    cold, hot = bytes.fromhex(entry["owner_coldkey"]), bytes.fromhex(entry["owner_hotkey"])
    state.set(sm.SUBNET_OWNER, netuid, cold)
    state.set(sm.SUBNET_OWNER_HOTKEY, netuid, hot)
    su.create_account_if_non_existent(state, cold, hot)
    neurons.append_neuron(state, netuid, hot, registered)
    for hotkey in entry.get("neurons", []):
        neurons.append_neuron(state, netuid, bytes.fromhex(hotkey), registered)
    state.set(sm.SUBNET_TAO, netuid, entry["tao"])
    state.set(sm.SUBNET_ALPHA_IN, netuid, entry["alpha_in"])
    state.set(sm.SUBNET_LOCKED, netuid, entry.get("locked", 0))
    state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + entry["tao"])
    out = 0
    for hotkey, coldkey, alpha in entry.get("stakes", []):
        h, c = bytes.fromhex(hotkey), bytes.fromhex(coldkey)
        su.create_account_if_non_existent(state, c, h)
        su.credit_stake(state, h, c, netuid, alpha)
        out += alpha
    state.set(sm.SUBNET_ALPHA_OUT, netuid, out)
    su.record_price(state, netuid)
    if entry.get("name"):
        state.set(sm.SUBNET_IDENTITIES, netuid, {"subnet_name": entry["name"]})
    if entry.get("symbol"):
        state.set(sm.TOKEN_SYMBOL, netuid, entry["symbol"])
    if "moving_price" in entry:
        state.set(sm.SUBNET_MOVING_PRICE, netuid, entry["moving_price"])
    if "burn" in entry:
        state.set(sm.BURN, netuid, entry["burn"])
    if entry.get("started"):
        state.set(sm.SUBTOKEN_ENABLED, netuid, True)
        state.set(sm.FIRST_EMISSION_BLOCK, netuid, registered + 1)
    if entry.get("emission_enabled"):
        state.set(sm.SUBNET_EMISSION_ENABLED, netuid, True)

"""Subnets: `register_network` with its lock cost, the new pool, `init_new_network`,
`start_call`, the subnet limit with pruning, and dissolution (`subnets/subnet.rs`,
`coinbase/root.rs`, `staking/remove_stake.rs::destroy_alpha_in_out_stakes`).

The lock cost, the new pool, the median price and the subnet to prune are the pure kernels of
`chain.local.network_lock` (ECONOMICS.md §6.3) applied to storage.

The lock moves into the subnet account and seeds the pool: SubnetTAO = the TAO paid
(`network_lock.POOL_TAO_SOURCE`), SubnetAlphaIn = floor(SubnetTAO / median spot price of the
other dynamic subnets) (1 when none). When no netuid is free (`SubnetLimit` non-root subnets,
counting those still in cleanup), the non-immune subnet with the lowest `SubnetMovingPrice`
(ties: earliest registered, then lowest netuid) is dissolved and the registration queued with
its lock in escrow; it becomes a subnet in `on_idle` (`registration_queue`, ECONOMICS-2026
§6.3). Dissolution pays `SubnetTAO` out pro rata to every staker's alpha (largest
remainder); the protocol's share (`SubnetAlphaIn` + `SubnetProtocolAlpha`) and the rest of the
subnet account are recycled. Not modelled: the network rate limit, the owner's lock refund.
"""

from __future__ import annotations

import amm
from chain.local import network_lock as nl
from chain.local import neurons
from chain.local import registration_queue as rq
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID, subnet_account
from chain.local.balances import free_balance, recycle
from chain.local.calls import Env, call
from chain.local.state import State
from chain.local.subtensor_errors import fail
from chain.pallets import registry, sudo
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import ACCOUNT_ID

SYMBOLS = ("Τ αβγδεζηθικλμνξοπρστυφχψω" "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ" "אבגדהוזחטיכלמנסעפצקרשת"
           "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" "ᚠᚢᚦᚨᚱᚲᚷᚹᚺᚾᛁᛃᛇᛈᛉᛊᛏᛒᛖᛗᛚᛜᛞᛟ").replace(" ", "")
INIT_TEMPO = 360


def symbol_for(netuid: int) -> str:
    """The default token symbol of a netuid (Τ for root, then Greek, Hebrew, Arabic, runes)."""
    return SYMBOLS[netuid % len(SYMBOLS)]


# -- lock cost ------------------------------------------------------------------------------------
def lock_cost(state: State, block: int) -> int:
    """`get_network_lock_cost` at `block`, in rao (the `network_lock` kernel on storage)."""
    return nl.lock_cost(state.get(sm.NETWORK_LAST_LOCK_COST), state.get(sm.NETWORK_LAST_REGISTERED),
                        block, state.get(sm.NETWORK_MIN_LOCK_COST),
                        state.get(sm.NETWORK_LOCK_REDUCTION_INTERVAL), state.get(sm.BLOCK_EMISSION))


# -- which subnets exist ---------------------------------------------------------------------------
def netuids(state: State) -> list[int]:
    """Every existing netuid, root included, ascending."""
    return sorted(n for (n,), added in state.iter(sm.NETWORKS_ADDED) if added)


def next_netuid(state: State) -> int:
    """The lowest netuid above root neither in use nor waiting for cleanup (`get_next_netuid`)."""
    taken = set(netuids(state)) | set(rq.cleanup_queue(state))
    n = 1
    while n in taken:
        n += 1
    return n


def moving_price_u64f64(state: State, netuid: int) -> int:
    """`SubnetMovingPrice` (I96F32 bits) as U64F64 bits; 1.0 for a stable subnet."""
    if su.is_stable(state, netuid):
        return 1 << 64
    return state.get(sm.SUBNET_MOVING_PRICE, netuid) << 32


def network_to_prune(state: State, block: int) -> int | None:
    """`get_network_to_prune`: lowest moving price among non-immune subnets, or None."""
    subnets = [nl.SubnetForPruning(n, state.get(sm.NETWORK_REGISTERED_AT, n),
                                   moving_price_u64f64(state, n))
               for n in netuids(state) if n != ROOT_NETUID]
    return nl.network_to_prune(subnets, block, state.get(sm.NETWORK_IMMUNITY_PERIOD))


def median_price_bits(state: State, exclude: int | None = None) -> int:
    """Median spot price (U64F64 bits) of the other dynamic subnets (1.0 when none)."""
    return nl.median_price(amm.spot_price(su.read_pool(state, n)) for n in netuids(state)
                           if n not in (ROOT_NETUID, exclude) and not su.is_stable(state, n))


# -- creating a subnet -----------------------------------------------------------------------------
def init_new_network(state: State, netuid: int, block: int) -> None:
    """The hyperparameters `init_new_network` sets (and the registration price)."""
    state.set(sm.NETWORKS_ADDED, netuid, True)
    state.set(sm.TOTAL_NETWORKS, state.get(sm.TOTAL_NETWORKS) + 1)
    state.set(sm.TEMPO, netuid, INIT_TEMPO)
    state.set(sm.MAX_ALLOWED_UIDS, netuid, 256)
    state.set(sm.MAX_ALLOWED_VALIDATORS, netuid, 64)
    state.set(sm.MIN_ALLOWED_WEIGHTS, netuid, 1)
    state.set(sm.IMMUNITY_PERIOD, netuid, 5000)
    state.set(sm.YUMA3_ON, netuid, True)
    state.set(sm.BURN, netuid, 10**9)
    state.set(sm.NETWORK_REGISTERED_AT, netuid, block)
    state.set(sm.SUBNET_MECHANISM, netuid, 1)
    state.set(sm.SUBTOKEN_ENABLED, netuid, False)
    state.set(sm.SUBNET_EMISSION_ENABLED, netuid, False)
    state.set(sm.TOKEN_SYMBOL, netuid, symbol_for(netuid))


def create_subnet(state: State, netuid: int, coldkey: bytes, hotkey: bytes, lock: int,
                  block: int, identity: dict | None = None, median: int | None = None) -> None:
    """Everything `set_new_network_state` does after taking the lock (also used by presets).
    `median` is the other subnets' median price, snapshotted before the subnet is created."""
    if median is None:
        median = median_price_bits(state, exclude=netuid)
    init_new_network(state, netuid, block)
    state.set(sm.SUBNET_OWNER, netuid, coldkey)
    state.set(sm.SUBNET_OWNER_HOTKEY, netuid, hotkey)
    su.create_account_if_non_existent(state, coldkey, hotkey)
    neurons.append_neuron(state, netuid, hotkey, block)
    pool = nl.new_pool(lock, state.get(sm.NETWORK_MIN_LOCK_COST), median)
    state.set(sm.SUBNET_TAO, netuid, pool.subnet_tao)
    state.set(sm.SUBNET_ALPHA_IN, netuid, pool.subnet_alpha_in)
    state.set(sm.SUBNET_ALPHA_OUT, netuid, 0)
    state.set(sm.SUBNET_LOCKED, netuid, pool.subnet_locked)
    state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + pool.subnet_tao)
    su.record_price(state, netuid)
    name = (identity or {}).get("subnet_name") or f"subnet {netuid}"
    state.set(sm.SUBNET_IDENTITIES, netuid, {**(identity or {}), "subnet_name": name})


def subnet_count(state: State) -> int:
    """Added non-root subnets."""
    return sum(1 for n in netuids(state) if n != ROOT_NETUID)


def set_new_network_state(env: Env, coldkey: bytes, hotkey: bytes, identity: dict | None,
                          lock: int, median: int, lock_id: int | None = None) -> int:
    """Create the subnet at the lowest free netuid, paying `lock` into its account: from the
    coldkey, or (a queued registration, `lock_id`) from its escrow. The lock pricing is updated
    here only for a registration that was not queued (a queued one updated it when queued)."""
    state, block = env.state, env.block_number
    if subnet_count(state) + len(rq.cleanup_queue(state)) >= state.get(sm.SUBNET_LIMIT):
        raise fail("SubnetLimitReached", "no netuid is free for the new subnet")
    netuid = next_netuid(state)
    if lock_id is None:
        su.move_tao(state, coldkey, subnet_account(netuid), lock)
        state.set(sm.NETWORK_LAST_LOCK_COST, lock)
        state.set(sm.NETWORK_LAST_REGISTERED, block)
    else:
        lock = rq.release_escrow(state, lock_id, subnet_account(netuid))
    create_subnet(state, netuid, coldkey, hotkey, lock, block, identity, median)
    env.emit("SubtensorModule", "NetworkAdded", netuid=netuid, mechanism=1)
    return netuid


def do_register_network(env: Env, coldkey: bytes, hotkey: bytes,
                        identity: dict | None = None) -> int | None:
    """Pay the lock cost and create the subnet now, or (no netuid free) prune one if needed and
    queue the registration with the lock in escrow (`registration_queue`). Returns the netuid,
    or None when queued."""
    state, block = env.state, env.block_number
    su.ensure_owns_hotkey(state, coldkey, hotkey)
    if block < state.get(sm.NETWORK_REGISTRATION_START_BLOCK):
        raise fail("SubNetRegistrationDisabled", "subnet registration opens at block "
                   f"{state.get(sm.NETWORK_REGISTRATION_START_BLOCK)}")
    queued, prune = rq.must_queue(subnet_count(state), len(rq.cleanup_queue(state)),
                                  len(rq.queue(state)), state.get(sm.SUBNET_LIMIT))
    pruned = None
    if prune:
        pruned = network_to_prune(state, block)
        if pruned is None:
            raise fail("SubnetLimitReached", f"{subnet_count(state)} subnets exist (the limit) "
                       "and every one is still immune")
    cost = lock_cost(state, block)
    if su.keep_alive_balance(state, coldkey) < cost:
        raise fail("CannotAffordLockCost",
                   f"creating a subnet locks {cost} rao; the coldkey can spend "
                   f"{su.keep_alive_balance(state, coldkey)} rao")
    if pruned is not None:
        dissolve_network(env, pruned)
    result = {"call": "register_network", "lock_cost_rao": cost, "pruned_netuid": pruned}
    if queued:
        entry = rq.enqueue(env, coldkey, hotkey, identity, cost, median_price_bits(state))
        env.result = {**result, "netuid": None, "queued": True,
                      "queue_position": entry["queue_position"], "lock_id": entry["lock_id"],
                      "exists_at_block": entry["exists_at_block"],
                      "escrow_account": "0x" + rq.escrow_account(entry["lock_id"]).hex(),
                      "median_price_u64f64": entry["median_subnet_alpha_price"]}
        return None
    netuid = set_new_network_state(env, coldkey, hotkey, identity, cost,
                                   median_price_bits(state))
    env.result = {**result, "netuid": netuid, "queued": False, "queue_position": None,
                  "exists_at_block": block,
                  "alpha_in_rao": state.get(sm.SUBNET_ALPHA_IN, netuid)}
    return netuid


@call("SubtensorModule", "register_network")
def register_network(env: Env, origin: bytes, hotkey: bytes) -> None:
    """Create a subnet owned by the sender, with `hotkey` at UID 0."""
    do_register_network(env, origin, hotkey)


@call("SubtensorModule", "register_network_with_identity")
def register_network_with_identity(env: Env, origin: bytes, hotkey: bytes,
                                   identity: dict | None) -> None:
    """`register_network` with a name and links (`identity["subnet_name"]`, ...)."""
    if identity is not None and (not isinstance(identity, dict) or not all(
            isinstance(v, str) and len(v) <= 1024 for v in identity.values())):
        raise fail("InvalidIdentity",
                   "identity must map field names to short strings")
    do_register_network(env, origin, hotkey, identity)


def _ensure_owner_or_sudo(state: State, origin: bytes, netuid: int) -> None:
    if origin != state.get(sm.SUBNET_OWNER, netuid) and origin != state.get(sudo.KEY):
        raise fail("NotSubnetOwner", f"only the owner of subnet {netuid} can do this")


@call("SubtensorModule", "start_call")
def start_call(env: Env, origin: bytes, netuid: int) -> None:
    """Start a subnet: trading opens (SubtokenEnabled) and emission may begin next block."""
    state, block = env.state, env.block_number
    su.ensure_subnet(state, netuid)
    _ensure_owner_or_sudo(state, origin, netuid)
    if state.get(sm.FIRST_EMISSION_BLOCK, netuid) is not None:
        raise fail("FirstEmissionBlockNumberAlreadySet", f"subnet {netuid} has already started")
    ready = state.get(sm.NETWORK_REGISTERED_AT, netuid) + state.get(sm.START_CALL_DELAY)
    if block < ready:
        raise fail("NeedWaitingMoreBlocksToStarCall",
                   f"subnet {netuid} can start at block {ready} (now {block})")
    state.set(sm.FIRST_EMISSION_BLOCK, netuid, block + 1)
    state.set(sm.SUBTOKEN_ENABLED, netuid, True)
    env.emit("SubtensorModule", "FirstEmissionBlockNumberSet", netuid=netuid, block=block + 1)
    env.result = {"call": "start_call", "netuid": netuid, "first_emission_block": block + 1}


@call("SubtensorModule", "update_symbol")
def update_symbol(env: Env, origin: bytes, netuid: int, symbol) -> None:
    """The owner picks another token symbol (unique among subnets)."""
    state = env.state
    su.ensure_subnet(state, netuid)
    _ensure_owner_or_sudo(state, origin, netuid)
    text = _text(symbol)
    if not text or len(text) > 8:
        raise fail("InvalidValue", "a symbol is 1 to 8 characters")
    for other in netuids(state):
        if other != netuid and state.get(sm.TOKEN_SYMBOL, other) == text:
            raise fail("InvalidValue", f"subnet {other} already uses the symbol {text}")
    state.set(sm.TOKEN_SYMBOL, netuid, text)
    env.emit("SubtensorModule", "SymbolUpdated", netuid=netuid, symbol=text)


def _text(value) -> str:
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("utf-8", "replace")
    if isinstance(value, str):
        return value
    raise fail("InvalidValue", "expected text")


# -- dissolving a subnet ---------------------------------------------------------------------
# u16-keyed items whose key is not a netuid
_NOT_NETUID_KEYED = {"Taoctl.HalvingBlock"}


def _clear_netuid_items(state: State, netuid: int) -> None:
    """Remove every entry of every declared item whose first key is this netuid (the subnet's
    pool, hyperparameters, neurons, prices, and what later parts declare: pending emission,
    weights, bonds, ...)."""
    for item in list(registry.REGISTRY.values()):
        if not item.keys or item.id in _NOT_NETUID_KEYED:
            continue
        if item.keys == ("u16",):
            state.remove(item, netuid)
        elif item.keys[0] == "u16":
            position = 0
        elif item.keys[-1] == "u16" and item.keys[0] == ACCOUNT_ID:
            position = len(item.keys) - 1  # (hotkey, [coldkey,] netuid) items
        else:
            continue
        if len(item.keys) > 1:
            for key, _ in list(state.iter(item)):
                if key[position] == netuid:
                    state.remove(item, *key)


def _largest_remainder(pot: int, weights: list[int]) -> list[int]:
    """Split `pot` in proportion to `weights`: floors, then one rao each to the largest
    remainders (ties to the earlier entry), so the parts sum exactly to `pot`."""
    total = sum(weights)
    if total == 0 or pot == 0:
        return [0] * len(weights)
    parts = [pot * w // total for w in weights]
    left = pot - sum(parts)
    order = sorted(range(len(weights)), key=lambda k: (-(pot * weights[k] % total), k))
    for k in order[:left]:
        parts[k] += 1
    return parts


def dissolve_network(env: Env, netuid: int) -> None:
    """Pay stakers out of `SubnetTAO`, recycle the rest of the subnet account, clear the subnet."""
    state = env.state
    stakes = []  # (hotkey, coldkey, alpha)
    for (hotkey, coldkey, n), _share in list(state.iter(sm.ALPHA)):
        if n == netuid:
            alpha = su.stake_of(state, hotkey, coldkey, netuid)
            stakes.append((hotkey, coldkey, alpha))
    # the pool's and the chain-bought alpha
    protocol = state.get(sm.SUBNET_ALPHA_IN, netuid) + state.get(sm.SUBNET_PROTOCOL_ALPHA, netuid)
    pot = state.get(sm.SUBNET_TAO, netuid)
    parts = _largest_remainder(pot, [a for _, _, a in stakes] + [protocol])
    account = subnet_account(netuid)
    for (_hotkey, coldkey, _), tao in zip(stakes, parts, strict=False):
        if tao:
            su.move_tao(state, account, coldkey, tao)
    leftover = free_balance(state, account)
    if leftover:
        recycle(state, account, leftover)
        env.emit("SubtensorModule", "TaoRecycled", account=account, amount=leftover)
    state.set(sm.TOTAL_STAKE, max(state.get(sm.TOTAL_STAKE) - pot, 0))
    _clear_netuid_items(state, netuid)
    state.set(sm.TOTAL_NETWORKS, max(state.get(sm.TOTAL_NETWORKS) - 1, 0))
    # its netuid is free again only after `on_idle`'s cleanup (`registration_queue`)
    state.set(sm.DISSOLVE_CLEANUP_QUEUE, [*rq.cleanup_queue(state), netuid])
    env.emit("SubtensorModule", "NetworkRemoved", netuid=netuid)


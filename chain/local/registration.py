"""Neuron registration calls: `burned_register`, `register_limit`, `root_register`
(`subnets/registration.rs`, `coinbase/root.rs::do_root_register`).

A registration pays the subnet's current `Burn`: the TAO goes into the subnet account and buys
alpha through the pool (`amm.swap`, fees on, no limit; the fee stays in the subnet account), and
that alpha is destroyed (it never enters `SubnetAlphaOut`). A share `CollateralLockShare / 65535`
of the burn (default 0: none) is bought second and staked to the new neuron as locked miner
collateral instead (`MinerCollateral`, ECONOMICS-2026 §6.1.2; `registration_price.
collateral_split` rounds it). Issuance does not change; the price
rises. The UID is the next free one, or on a full subnet the one `neurons.neuron_to_prune`
picks. Afterwards the price is bumped by `BurnIncreaseMult` (1.26).

Root (netuid 0) takes no burn: `root_register` admits a hotkey while root has room, and on a
full root replaces the member with the least root stake if the newcomer has more.
"""

from __future__ import annotations

import amm
from chain.local import neurons
from chain.local import registration_price as rp
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID, subnet_account
from chain.local.calls import Env, call
from chain.local.subtensor_errors import fail, from_amm
from chain.pallets import subtensor_module as sm


def _check_subnet(state, netuid: int) -> None:
    if netuid == ROOT_NETUID:
        raise fail("RegistrationNotPermittedOnRootSubnet",
                   "neurons cannot burn-register on the root subnet (use root_register)")
    su.ensure_subnet(state, netuid)


def do_register(env: Env, coldkey: bytes, netuid: int, hotkey: bytes) -> int:
    """Pay the burn (a buy whose alpha is destroyed), take a UID, bump the price."""
    state, block = env.state, env.block_number
    _check_subnet(state, netuid)
    if not state.get(sm.NETWORK_REGISTRATION_ALLOWED, netuid):
        raise fail("SubNetRegistrationDisabled", f"registration is closed on subnet {netuid}")
    if neurons.uid_of(state, netuid, hotkey) is not None:
        raise fail("HotKeyAlreadyRegisteredInSubNet",
                   f"hotkey 0x{hotkey.hex()} is already registered on subnet {netuid}")
    burn = state.get(sm.BURN, netuid)
    if su.keep_alive_balance(state, coldkey) < burn:
        raise fail("NotEnoughBalanceToStake",
                   f"registration costs {burn} rao; the coldkey can spend "
                   f"{su.keep_alive_balance(state, coldkey)} rao")
    su.ensure_owns_hotkey(state, coldkey, hotkey)
    if state.get(sm.MAX_ALLOWED_UIDS, netuid) == 0:
        raise fail("NoNeuronIdAvailable", f"subnet {netuid} admits no neurons")
    full = state.get(sm.SUBNETWORK_N, netuid) >= state.get(sm.MAX_ALLOWED_UIDS, netuid)
    prune = neurons.neuron_to_prune(state, netuid, block) if full else None
    if full and prune is None:
        raise fail("NoNeuronIdAvailable", f"subnet {netuid} is full and every UID is immortal")
    burned, collateral = rp.collateral_split(burn, state.get(sm.COLLATERAL_LOCK_SHARE, netuid))
    pool = su.read_pool(state, netuid)
    try:
        swap = amm.swap(pool, amm.BUY, burned)
        locked = amm.swap(swap.pool_after, amm.BUY, collateral) if collateral else None
    except amm.AmmError as exc:
        raise from_amm(exc) from None
    su.create_account_if_non_existent(state, coldkey, hotkey)
    su.move_tao(state, coldkey, subnet_account(netuid), burn)
    if not su.is_stable(state, netuid):
        su.write_pool(state, netuid, (locked or swap).pool_after)
    state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + burn)
    state.set(sm.SUBNET_TAO_FLOW, netuid, state.get(sm.SUBNET_TAO_FLOW, netuid) + swap.net_in
              + (locked.net_in if locked else 0))
    if locked is not None:  # the collateral part: staked to the new neuron and locked
        lock_collateral(state, netuid, hotkey, coldkey, locked.amount_out)
    if full:
        replaced = neurons.replace_neuron(state, netuid, prune, hotkey, block)
        uid = prune
    else:
        replaced = None
        uid = neurons.append_neuron(state, netuid, hotkey, block)
    state.set(sm.BURN, netuid, rp.bump_burn(burn, state.get(sm.BURN_INCREASE_MULT, netuid),
                                           state.get(sm.MIN_BURN, netuid),
                                           state.get(sm.MAX_BURN, netuid)))
    state.set(sm.REGISTRATIONS_THIS_BLOCK, netuid,
              state.get(sm.REGISTRATIONS_THIS_BLOCK, netuid) + 1)
    state.set(sm.RAO_RECYCLED_FOR_REGISTRATION, netuid,
              state.get(sm.RAO_RECYCLED_FOR_REGISTRATION, netuid) + burn)
    env.emit("SubtensorModule", "NeuronRegistered", netuid=netuid, uid=uid, hotkey=hotkey)
    env.result = {"call": "burned_register", "netuid": netuid, "uid": uid,
                  "burn_rao": burn, "alpha_burned_rao": swap.amount_out,
                  "fee_rao": swap.fee + (locked.fee if locked else 0),
                  "collateral_tao_rao": collateral,
                  "collateral_alpha_rao": locked.amount_out if locked else 0,
                  "replaced_hotkey": None if replaced is None else "0x" + replaced.hex(),
                  "next_burn_rao": state.get(sm.BURN, netuid)}
    return uid


@call("SubtensorModule", "burned_register")
def burned_register(env: Env, origin: bytes, netuid: int, hotkey: bytes) -> None:
    """Register `hotkey` on `netuid` for the current burn price."""
    do_register(env, origin, netuid, hotkey)


@call("SubtensorModule", "register_limit")
def register_limit(env: Env, origin: bytes, netuid: int, hotkey: bytes, limit_price: int) -> None:
    """`burned_register`, refused when the burn is above `limit_price` rao."""
    _check_subnet(env.state, netuid)
    burn = env.state.get(sm.BURN, netuid)
    if burn > limit_price:
        raise fail("RegistrationPriceLimitExceeded",
                   f"the burn is {burn} rao, above the limit of {limit_price} rao")
    do_register(env, origin, netuid, hotkey)


@call("SubtensorModule", "root_register")
def root_register(env: Env, origin: bytes, hotkey: bytes) -> None:
    """Register `hotkey` on the root subnet (no burn; a full root admits only more stake)."""
    state, block = env.state, env.block_number
    if not su.subnet_exists(state, ROOT_NETUID):
        raise fail("RootNetworkDoesNotExist", "this chain has no root subnet")
    count = state.get(sm.REGISTRATIONS_THIS_BLOCK, ROOT_NETUID)
    if count >= state.get(sm.MAX_REGISTRATIONS_PER_BLOCK, ROOT_NETUID):
        raise fail("TooManyRegistrationsThisBlock",
                   "root already took its registration for this block; try the next block")
    if neurons.uid_of(state, ROOT_NETUID, hotkey) is not None:
        raise fail("HotKeyAlreadyRegisteredInSubNet", "the hotkey is already on root")
    su.ensure_owns_hotkey(state, origin, hotkey)
    su.create_account_if_non_existent(state, origin, hotkey)
    n = state.get(sm.SUBNETWORK_N, ROOT_NETUID)
    if n < state.get(sm.MAX_ALLOWED_UIDS, ROOT_NETUID):
        uid = neurons.append_neuron(state, ROOT_NETUID, hotkey, block)
    else:
        stakes = [(state.get(sm.TOTAL_HOTKEY_ALPHA, key, ROOT_NETUID), uid)
                  for uid, key in enumerate(neurons.hotkeys(state, ROOT_NETUID))]
        lowest, uid = min(stakes)
        mine = state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, ROOT_NETUID)
        if mine <= lowest:
            raise fail("StakeTooLowForRoot", f"root is full; the hotkey needs more than {lowest} "
                       f"rao of root stake to take a seat (has {mine})")
        neurons.replace_neuron(state, ROOT_NETUID, uid, hotkey, block)
    state.set(sm.REGISTRATIONS_THIS_BLOCK, ROOT_NETUID, count + 1)
    env.emit("SubtensorModule", "NeuronRegistered", netuid=ROOT_NETUID, uid=uid, hotkey=hotkey)
    env.result = {"call": "root_register", "netuid": ROOT_NETUID, "uid": uid}


def lock_collateral(state, netuid: int, hotkey: bytes, coldkey: bytes, alpha: int) -> None:
    """Stake `alpha` (already bought) to (hotkey, coldkey) and add it to the miner's locked
    collateral (`MinerCollateral`, ECONOMICS-2026 §5.6)."""
    state.set(sm.SUBNET_ALPHA_OUT, netuid, state.get(sm.SUBNET_ALPHA_OUT, netuid) + alpha)
    su.credit_stake(state, hotkey, coldkey, netuid, alpha)
    state.set(sm.MINER_COLLATERAL, netuid, hotkey, coldkey,
              state.get(sm.MINER_COLLATERAL, netuid, hotkey, coldkey) + alpha)


def available_to_unstake(state, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """The part of a position that may leave it (§5.2 unstake step 3): the stake less the
    miner collateral locked on it (`MinerCollateral`, 0 unless a share of a burn was locked)."""
    locked = state.get(sm.MINER_COLLATERAL, netuid, hotkey, coldkey)
    return max(su.stake_of(state, hotkey, coldkey, netuid) - locked, 0)


def burn_cost(state, netuid: int) -> int:
    """The price a registration pays now (`Burn`), for queries."""
    return state.get(sm.BURN, netuid)



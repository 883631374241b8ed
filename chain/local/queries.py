"""Runtime queries (subnets, pools, stakes, quotes), answered from a `State` at the open block
(read-only).

`LocalBackend.query(name, *args)` dispatches here; every answer is plain JSON-able data with
amounts as integers of rao (`_rao`), except `pool`, which returns an `amm.Pool`.

    pool(netuid)                      -> amm.Pool (reads five storage entries, nothing else)
    subnet(netuid)                    -> dict: name, symbol, owner, reserves, price, market cap,
                                         emission share, tempo, burn, trading/emission flags
    subnets()                         -> [subnet(n) for every netuid]
    netuids()                         -> every existing netuid, ascending (root first)
    hyperparameters(netuid)           -> dict of the subnet's settings
    neurons(netuid)                   -> [{uid, hotkey, coldkey, registered_at, emission, immune,
                                          immortal}]
    stake(hotkey, coldkey, netuid)    -> alpha rao
    stake_info(coldkey)               -> [{hotkey, netuid, alpha_rao, value_rao (spot),
                                          unstake_rao (what remove_stake would pay now)}]
    burn_cost(netuid) / lock_cost()   -> rao
    price_history(netuid)             -> [[block, rao per alpha], ...] (bundled chain only)
    quote(origin, pallet, name, args) -> dry run of a call: {success, error, message, result,
                                         events}; `result` is the call's `env.result` (see
                                         `staking.py`), equal to what the execution will do.
"""

from __future__ import annotations

from typing import Any

import amm
from chain.local import neurons as nrn
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID
from chain.local.state import State
from chain.local.subtensor_errors import fail
from chain.pallets import subtensor_module as sm
from chain.pallets import swap, taoctl


def _hex(key: bytes | None) -> str | None:
    return None if key is None else "0x" + key.hex()


def pool(state: State, netuid: int) -> amm.Pool:
    su.ensure_subnet(state, netuid)
    return su.read_pool(state, netuid)


def emission_shares(state: State, netuids: list[int]) -> dict[int, int]:
    """Each subnet's share of TAO emission in parts per billion, as the next block splits it
    (ECONOMICS-2026 §3.3: EMA price x (1 - MinerBurned), the emission gate, emission-disabled
    subnets at 0; `emission_gate.gate_status`); subnets that do not emit get 0."""
    from chain.local.emission_gate import gate_status
    from chain.pallets import system

    shares = gate_status(state, state.get(system.NUMBER))["shares"]
    return {n: shares[n]["share_ppb"] for n in netuids if n in shares}


def subnet(state: State, netuid: int, shares: dict[int, int] | None = None) -> dict:
    su.ensure_subnet(state, netuid)
    p = su.read_pool(state, netuid)
    price = amm.price_rao(p)
    alpha_out = state.get(sm.SUBNET_ALPHA_OUT, netuid)
    identity = state.get(sm.SUBNET_IDENTITIES, netuid) or {}
    if shares is None:
        from chain.local.subnets import netuids

        shares = emission_shares(state, netuids(state))
    return {
        "netuid": netuid,
        "name": identity.get("subnet_name", f"subnet {netuid}"),
        "symbol": state.get(sm.TOKEN_SYMBOL, netuid),
        "owner_coldkey": _hex(state.get(sm.SUBNET_OWNER, netuid)),
        "owner_hotkey": _hex(state.get(sm.SUBNET_OWNER_HOTKEY, netuid)),
        "mechanism": 0 if su.is_stable(state, netuid) else 1,
        "tao_in_rao": p.tao_reserve,
        "alpha_in_rao": p.alpha_reserve,
        "alpha_out_rao": alpha_out,
        "price_rao": price,
        "market_cap_rao": (alpha_out + p.alpha_reserve) * price // 10**9,
        "moving_price_i96f32": state.get(sm.SUBNET_MOVING_PRICE, netuid),
        "emission_share_ppb": shares.get(netuid, 0),
        "tempo": state.get(sm.TEMPO, netuid),
        "burn_rao": state.get(sm.BURN, netuid),
        "neurons": state.get(sm.SUBNETWORK_N, netuid),
        "max_neurons": state.get(sm.MAX_ALLOWED_UIDS, netuid),
        "registered_at": state.get(sm.NETWORK_REGISTERED_AT, netuid),
        "subtoken_enabled": bool(state.get(sm.SUBTOKEN_ENABLED, netuid)),
        "emission_enabled": bool(state.get(sm.SUBNET_EMISSION_ENABLED, netuid)),
        "first_emission_block": state.get(sm.FIRST_EMISSION_BLOCK, netuid),
        "locked_rao": state.get(sm.SUBNET_LOCKED, netuid),
        "volume_rao": state.get(sm.SUBNET_VOLUME, netuid),
        "pool": p.to_json(),
    }


def subnets(state: State) -> list[dict]:
    from chain.local.subnets import netuids

    all_netuids = netuids(state)
    shares = emission_shares(state, all_netuids)
    return [subnet(state, n, shares) for n in all_netuids]


def hyperparameters(state: State, netuid: int) -> dict:
    su.ensure_subnet(state, netuid)
    items = (sm.TEMPO, sm.MAX_ALLOWED_UIDS, sm.MAX_ALLOWED_VALIDATORS, sm.MIN_ALLOWED_WEIGHTS,
             sm.IMMUNITY_PERIOD, sm.YUMA3_ON, sm.IMMUNE_OWNER_UIDS_LIMIT, sm.MIN_NON_IMMUNE_UIDS,
             sm.MAX_REGISTRATIONS_PER_BLOCK, sm.NETWORK_REGISTRATION_ALLOWED, sm.BURN, sm.MIN_BURN,
             sm.MAX_BURN, sm.BURN_HALF_LIFE, sm.BURN_INCREASE_MULT, sm.SUBTOKEN_ENABLED,
             sm.SUBNET_EMISSION_ENABLED, sm.TRANSFER_TOGGLE, swap.FEE_RATE, swap.SWAP_BALANCER,
             # regqueue: epoch modes, collateral share
             sm.SUBNET_EPOCH_CONSENSUS, sm.LIQUID_ALPHA_CONSENSUS_MODE, sm.COLLATERAL_LOCK_SHARE)
    params = {item.name: state.get(item, netuid) for item in items}
    params["SubnetOwnerCut"] = state.get(sm.SUBNET_OWNER_CUT)
    return {"netuid": netuid, **params}


def neurons(state: State, netuid: int, block: int) -> list[dict]:
    su.ensure_subnet(state, netuid)
    emission = list(state.get(sm.EMISSION, netuid))
    immortal = set(nrn.immortal_uids(state, netuid)) if netuid != ROOT_NETUID else set()
    period = state.get(sm.IMMUNITY_PERIOD, netuid)
    rows = []
    for uid, hotkey in enumerate(nrn.hotkeys(state, netuid)):
        registered = state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid)
        rows.append({"uid": uid, "hotkey": _hex(hotkey),
                     "coldkey": _hex(state.get(sm.OWNER, hotkey)) if hotkey else None,
                     "registered_at": registered,
                     "emission_rao": emission[uid] if uid < len(emission) else 0,
                     "immune": block - registered < period, "immortal": uid in immortal,
                     "stake_rao": state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid)
                     if hotkey else 0})
    return rows


def stake_info(state: State, coldkey: bytes) -> list[dict]:
    """Every position of a coldkey: per hotkey it stakes through and subnet it holds alpha on,
    valued as every chain's positions are (`chain.rules.valuation`)."""
    from chain.local.subnets import netuids
    from chain.rules.valuation import position

    rows = []
    all_netuids = netuids(state)
    for hex_key in state.get(sm.STAKING_HOTKEYS, coldkey):
        hotkey = bytes.fromhex(hex_key)
        for netuid in all_netuids:
            alpha = su.stake_of(state, hotkey, coldkey, netuid)
            if not alpha:
                continue
            rows.append(position(su.read_pool(state, netuid), hotkey, netuid, alpha,
                                 state.get(sm.TOKEN_SYMBOL, netuid)))
    return rows


def price_history(state: State, netuid: int) -> list[list[int]]:
    su.ensure_subnet(state, netuid)
    return sorted([block, price] for (n, block), price in state.iter(taoctl.PRICE_AT)
                  if n == netuid)


def answer(state: State, block: int, method: str, *args: Any) -> Any:
    """Dispatch a query by name (see the module docstring)."""
    if method == "pool":
        return pool(state, *args)
    if method == "subnet":
        return subnet(state, *args)
    if method == "subnets":
        return subnets(state)
    if method == "netuids":
        from chain.local.subnets import netuids

        return netuids(state)
    if method == "hyperparameters":
        return hyperparameters(state, *args)
    if method == "neurons":
        return neurons(state, args[0], block)
    if method == "stake":
        return su.stake_of(state, *args)
    if method == "stake_info":
        return stake_info(state, *args)
    if method == "burn_cost":
        su.ensure_subnet(state, args[0])
        return state.get(sm.BURN, args[0])
    if method == "lock_cost":
        from chain.local.subnets import lock_cost

        return lock_cost(state, block)
    if method == "price_history":
        return price_history(state, *args)
    raise fail("InvalidValue", f"unknown runtime query {method!r}")


def quote(state: State, block: int, origin: bytes, pallet: str, name: str, args: dict) -> dict:
    """Dry-run a call on `state` inside a snapshot that is always rolled back."""
    from chain.local.calls import Env, decode_args, lookup
    from chain.local.errors import DispatchError

    from chain.local.errors import InvalidTransaction

    spec = lookup(pallet, name)
    decoded = decode_args(spec, args)
    env = Env(state, block)
    paid: dict = {}  # the fee and who pays it: a call that then fails still pays it
    state.begin()
    try:
        payment = _charge_fee(state, origin, pallet, name, args, decoded)  # first, as on chain
        paid = {"transaction_fee_rao": payment.fee_rao, "fee_payment": payment.to_json()}
        spec.fn(env, origin, **decoded)
    except (DispatchError, InvalidTransaction) as exc:
        return {"success": False, "error": exc.name, "message": str(exc), "result": None,
                "events": [], **paid}
    finally:
        state.rollback()
    return {"success": True, "error": None, "message": None, "result": env.result,
            "events": env.events, **paid}


def _charge_fee(state: State, origin: bytes, pallet: str, name: str, args: dict,
                decoded: dict):
    """The fee's payment (`fee_payer.FeePayment`), made as the runtime makes it before the call
    runs, in TAO or in alpha (so a dry run sees the balance, pool and position the call will
    see); CannotPayFees if nothing can pay (histfees, feeson). The length is the SCALE
    extrinsic's (`args` as submitted), the payer's position comes from the decoded arguments."""
    from chain.local import transaction_payment
    from chain.local.extrinsic import Call
    from chain.pallets import system

    nonce = state.get(system.ACCOUNT, origin).nonce
    call = Call(pallet, name, args)
    details = transaction_payment.fee_details(state, call.id,
                                              transaction_payment.fee_length(call, nonce))
    return transaction_payment.charge(state, origin, call.id, decoded, details).payment

"""The runtime APIs spec 461 adds or re-shapes, answered from the bundled chain's real state
and encoded with the output types of the served V15 metadata (NODE-461 §1.5, §2.5).

Every result is built as a value of the method's declared output type and encoded by the V15
registry, so field order and widths are the runtime's. Fields the sandbox has state for are
read through the node's own storage view (the same encoding `state_getStorage` serves, decoded
with the metadata); fields of mechanisms the sandbox does not have (root baskets, conviction
locks, collateral, axons) are the type's zero, which is what the runtime answers when nothing
is there. Handlers register into `runtime_api.HANDLERS` (importing this module does it).
"""

from __future__ import annotations

from typing import Any, cast

from chain.node import runtime_api
from chain.node.runtime_api import api
from chain.node.view import NodeView
from chain.substrate.mapping import to_scale, zero
from chain.substrate.metadata import Metadata
from chain.substrate.scale import decode_compact

SM = "SubtensorModule"
PER_UID = ("Active", "ValidatorPermit", "LastUpdate", "Emission", "Dividends", "Incentive",
           "Consensus", "PruningScore", "Trust", "Rank", "ValidatorTrust")
# Metagraph / hyperparameter fields and the storage item (keyed by netuid) holding each.
SUBNET_FIELDS = {
    "network_registered_at": "NetworkRegisteredAt", "tempo": "Tempo",
    "blocks_since_last_step": "BlocksSinceLastStep",
    "subnet_emission": "EmissionValues", "alpha_in": "SubnetAlphaIn",
    "alpha_out": "SubnetAlphaOut", "tao_in": "SubnetTAO",
    "alpha_out_emission": "SubnetAlphaOutEmission", "alpha_in_emission": "SubnetAlphaInEmission",
    "tao_in_emission": "SubnetTaoInEmission", "pending_alpha_emission": "PendingEmission",
    "pending_root_emission": "PendingRootDivs", "subnet_volume": "SubnetVolume",
    "moving_price": "SubnetMovingPrice", "rho": "Rho", "kappa": "Kappa",
    "min_allowed_weights": "MinAllowedWeights", "max_weights_limit": "MaxWeightsLimit",
    "weights_version": "WeightsVersionKey", "weights_rate_limit": "WeightsSetRateLimit",
    "activity_cutoff": "ActivityCutoff", "max_validators": "MaxAllowedValidators",
    "num_uids": "SubnetworkN", "max_uids": "MaxAllowedUids", "max_n": "MaxAllowedUids",
    "burn": "Burn", "difficulty": "Difficulty", "registration_allowed":
    "NetworkRegistrationAllowed", "pow_registration_allowed": "NetworkPowRegistrationAllowed",
    "immunity_period": "ImmunityPeriod", "min_difficulty": "MinDifficulty",
    "max_difficulty": "MaxDifficulty", "min_burn": "MinBurn", "max_burn": "MaxBurn",
    "adjustment_alpha": "AdjustmentAlpha", "adjustment_interval": "AdjustmentInterval",
    "target_regs_per_interval": "TargetRegistrationsPerInterval",
    "max_regs_per_block": "MaxRegistrationsPerBlock", "serving_rate_limit": "ServingRateLimit",
    "commit_reveal_weights_enabled": "CommitRevealWeightsEnabled",
    "commit_reveal_period": "RevealPeriodEpochs", "liquid_alpha_enabled": "LiquidAlphaOn",
    "bonds_moving_avg": "BondsMovingAverage", "bonds_reset_enabled": "BondsResetOn",
    "alpha_sigmoid_steepness": "AlphaSigmoidSteepness", "transfers_enabled": "TransferToggle",
    "subnet_is_active": "SubtokenEnabled", "user_liquidity_enabled": "EnabledUserLiquidity",
    "yuma_version": "Yuma3On", "bonds_penalty": "BondsPenalty",
    "owner_hotkey": "SubnetOwnerHotkey", "owner_coldkey": "SubnetOwner",
    "symbol": "TokenSymbol",
}
# HyperparamValue variant per primitive width of the SubnetHyperparamsV2 field.
VALUE_KIND = {"bool": "Bool", "u16": "U16", "u32": "U32", "u64": "U64", "u128": "U128"}


class _V15Types:
    """The V15 registry in the shape `chain.substrate.mapping` walks (it reads `.registry`
    only)."""

    def __init__(self, view: NodeView) -> None:
        self.registry = view.api_registry


def _Types(view: NodeView) -> Metadata:  # noqa: N802 - reads as the type it stands for
    return cast(Metadata, _V15Types(view))


def _out(view: NodeView, method: str) -> int:
    return view.apis[method]["output"]


def _encode(view: NodeView, method: str, value: Any) -> bytes:
    types = _Types(view)
    out = _out(view, method)
    return view.api_registry.encode(out, to_scale(types, out, value))


def _inner(view: NodeView, type_id: int) -> int:
    """The element type of an Option or a Vec."""
    reg = view.api_registry
    kind, d = reg.kind(type_id)
    if reg.is_option(type_id):
        return d["variants"][1]["fields"][0]["type"]
    if kind == "sequence":
        return d["type"]
    raise TypeError(f"type {type_id} is neither an Option nor a Vec")


def _fields(view: NodeView, type_id: int) -> list[dict]:
    kind, d = view.api_registry.kind(type_id)
    if kind != "composite":
        raise TypeError(f"type {type_id} is not a struct")
    return d["fields"]


def stored(view: NodeView, name: str, *key: Any, pallet: str = SM) -> Any:
    """A storage value as served (the sandbox's state, else the metadata's default), decoded
    with the metadata; None for an absent Optional item or an item the metadata lacks."""
    md = view.md
    if not md.has_storage(pallet, name):
        return None
    entry = md.storage(pallet, name)
    raw = view.storage(md.storage_key(pallet, name, key), view.head_number())
    if raw is None:
        if entry["modifier"] == "Optional":
            return None
        raw = md.storage_default(pallet, name)
    return md.registry.decode_all(entry["value"], raw)


def _plain(value: Any) -> Any:
    """Unwrap single-field newtypes ({'bits': n} stays: it is the fixed-point value)."""
    if isinstance(value, dict) and len(value) == 1 and "bits" not in value:
        return _plain(next(iter(value.values())))
    return value


def _netuids(view: NodeView) -> list[int]:
    with view.chain.reading() as state:
        return runtime_api._netuids(view, state)


def _netuid(params: bytes) -> int:
    return runtime_api._netuid(params)


def _hotkeys(view: NodeView, netuid: int) -> list[bytes]:
    from chain.local import neurons

    with view.chain.reading() as state:
        return [bytes(h) for h in neurons.hotkeys(state, netuid)]


# What `append_neuron` pushes onto each per-UID vector for a new UID (0 for the others).
APPENDED = {"Active": True, "ValidatorPermit": False}


def _per_uid(view: NodeView, name: str, netuid: int, n: int) -> list[Any] | None:
    """A per-UID vector of `n` entries. The bundled chain writes the epoch's vectors when an
    epoch runs, so a UID registered since is past their end: it gets what the runtime's
    `append_neuron` pushes at registration (true for `Active`, zero otherwise)."""
    value = stored(view, name, netuid)
    if not isinstance(value, list):
        return None
    value = [_plain(v) for v in value][:n]
    value += [APPENDED.get(name, 0)] * (n - len(value))
    return value


def _subnet_values(view: NodeView, netuid: int) -> dict[str, Any]:
    """Subnet-level fields by their runtime-API names, from the served storage."""
    out: dict[str, Any] = {"netuid": netuid, "block": view.head_number()}
    with view.chain.reading() as state:
        out["last_step"] = runtime_api.last_step(view, state, netuid)
    for fieldname, item in SUBNET_FIELDS.items():
        value = stored(view, item, netuid)
        if value is not None:
            out[fieldname] = _plain(value)
    if isinstance(out.get("yuma_version"), bool):
        out["yuma_version"] = 3 if out["yuma_version"] else 2
    if "symbol" in out and isinstance(out["symbol"], (bytes, str)):
        symbol = out["symbol"]
        out["symbol"] = list(symbol.encode() if isinstance(symbol, str) else symbol)
    if not out.get("symbol"):
        out["symbol"] = list(runtime_api.default_symbol(netuid).encode())
    identity = stored(view, "SubnetIdentitiesV3", netuid)
    if isinstance(identity, dict):
        out["name"] = list(identity.get("subnet_name") or b"")
        out["identity"] = identity
    alpha = stored(view, "AlphaValues", netuid)
    if isinstance(alpha, (list, tuple)) and len(alpha) == 2:
        out["alpha_low"], out["alpha_high"] = alpha
    return out


def fill(view: NodeView, type_id: int, values: dict[str, Any], n: int = 0) -> dict:
    """A struct of `type_id`: the given fields, the type's zero for the rest (per-uid vectors
    absent from `values` are `n` zeros)."""
    types = _Types(view)
    reg = view.api_registry
    out = {}
    for f in _fields(view, type_id):
        name, ty = f["name"], f["type"]
        if name in values and values[name] is not None:
            out[name] = values[name]
        elif reg.kind(ty)[0] == "sequence" and n and not reg.is_u8(reg.kind(ty)[1]["type"]) \
                and reg.kind(reg.kind(ty)[1]["type"])[0] != "tuple":
            out[name] = [zero(types, reg.kind(ty)[1]["type"])] * n
        else:
            out[name] = zero(types, ty)
    return out


# -- prices and quotes ------------------------------------------------------------------------
@api("SwapRuntimeApi_current_alpha_price_all")
def _alpha_price_all(view: NodeView, params: bytes) -> bytes:
    """Vec<SubnetPrice{netuid, price}> over every subnet, root included (price 1 TAO)."""
    import amm

    prices = []
    for netuid in _netuids(view):
        prices.append({"netuid": netuid,
                       "price": amm.price_rao(runtime_api._pool(view, netuid))})
    return _encode(view, "SwapRuntimeApi_current_alpha_price_all", prices)


def _sim(view: NodeView, params: bytes, buying: bool) -> bytes:
    """SimSwapResult, six fields: amounts and fees from the same pool functions the bundled
    chain stakes with; the slippage is what the trade lost against the spot price (the ideal
    amount out at the pre-trade price minus the amount out, floored at 0), in the output
    token."""
    import amm

    netuid = _netuid(params)
    pool = runtime_api._pool(view, netuid)
    amount = runtime_api._u64(params, 2)
    price = amm.price_rao(pool)  # rao per 1e9 alpha units
    if buying:
        r = amm.buy(pool, amount)
        ideal = (r.amount_in - r.fee) * 10**9 // price if price else 0
        value = {"tao_amount": r.amount_in, "alpha_amount": r.amount_out, "tao_fee": r.fee,
                 "alpha_fee": 0, "tao_slippage": 0,
                 "alpha_slippage": max(0, ideal - r.amount_out)}
        method = "SwapRuntimeApi_sim_swap_tao_for_alpha"
    else:
        r = amm.sell(pool, amount)
        ideal = (r.amount_in - r.fee) * price // 10**9
        value = {"tao_amount": r.amount_out, "alpha_amount": r.amount_in, "tao_fee": 0,
                 "alpha_fee": r.fee, "tao_slippage": max(0, ideal - r.amount_out),
                 "alpha_slippage": 0}
        method = "SwapRuntimeApi_sim_swap_alpha_for_tao"
    return _encode(view, method, value)


@api("SwapRuntimeApi_sim_swap_tao_for_alpha")
def _sim_tao_for_alpha(view: NodeView, params: bytes) -> bytes:
    return _sim(view, params, True)


@api("SwapRuntimeApi_sim_swap_alpha_for_tao")
def _sim_alpha_for_tao(view: NodeView, params: bytes) -> bytes:
    return _sim(view, params, False)


# -- subnets ----------------------------------------------------------------------------------
@api("SubnetInfoRuntimeApi_get_subnet_hyperparams_v3")
def _hyperparams_v3(view: NodeView, params: bytes) -> bytes:
    """Option<Vec<HyperparamEntry{name, value}>>: every field of SubnetHyperparamsV2, in its
    order, named as there and typed by its width."""
    method = "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3"
    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"
    v2 = _inner(view, _out(view, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2"))
    values = fill(view, v2, _subnet_values(view, netuid))
    entries = []
    for f in _fields(view, v2):
        entries.append({"name": f["name"].encode(),
                        "value": _hyper_value(view, f["type"], values[f["name"]])})
    return _encode(view, method, entries)


def _hyperparams(view: NodeView, method: str, params: bytes) -> bytes:
    """Option<SubnetHyperparams(V2)>: the struct's fields from the served storage."""
    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"
    return _encode(view, method, fill(view, _inner(view, _out(view, method)),
                                      _subnet_values(view, netuid)))


@api("SubnetInfoRuntimeApi_get_subnet_hyperparams")
def _hyperparams_v1(view: NodeView, params: bytes) -> bytes:
    return _hyperparams(view, "SubnetInfoRuntimeApi_get_subnet_hyperparams", params)


@api("SubnetInfoRuntimeApi_get_subnet_hyperparams_v2")
def _hyperparams_v2(view: NodeView, params: bytes) -> bytes:
    return _hyperparams(view, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v2", params)


def _hyper_value(view: NodeView, type_id: int, value: Any) -> dict:
    reg = view.api_registry
    kind, d = reg.kind(type_id)
    while kind in ("compact", "composite"):
        if kind == "composite":
            fields = d["fields"]
            if len(fields) == 1 and fields[0]["name"] == "bits":
                bits = value.get("bits", 0) if isinstance(value, dict) else int(value or 0)
                prim = reg.kind(fields[0]["type"])[1]
                return {"I32F32" if prim == "i64" else "U64F64": {"bits": bits}}
            type_id = fields[0]["type"]
        else:
            type_id = d["type"]
        kind, d = reg.kind(type_id)
    return {VALUE_KIND.get(d, "U64"): _plain(value)}


@api("SubnetInfoRuntimeApi_get_next_epoch_start_block")
def _next_epoch_start(view: NodeView, params: bytes) -> bytes:
    """Option<u64>: the first block after the head whose epoch runs by spec 461's scheduler
    (`should_run_epoch` over `LastEpochBlock`, `PendingEpochAt`, `BlocksSinceLastStep`, the
    bundled chain's `coinbase_math`); None for an unknown subnet or tempo 0."""
    from chain.local import coinbase_math as cm
    from chain.pallets import subtensor_module as sm

    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"
    head = view.head_number()
    with view.chain.reading() as state:
        tempo = state.get(sm.TEMPO, netuid)
        last = state.get(sm.LAST_EPOCH_BLOCK, netuid)
        if last is None:  # not seeded yet: the seed the subnet gets on its first block
            last = cm.initial_last_epoch_block(netuid, tempo,
                                               state.get(sm.NETWORK_REGISTERED_AT, netuid))
            if tempo and head - last >= tempo:  # as `coinbase.seeded_last_epoch` moves it
                last += (head - last) // tempo * tempo
        pending = state.get(sm.PENDING_EPOCH_AT, netuid) or 0
        since = state.get(sm.BLOCKS_SINCE_LAST_STEP, netuid) or 0
    if not tempo:
        return b"\x00"
    for step in range(1, cm.MAX_TEMPO + 3):
        if cm.should_run_epoch(tempo, head + step, last, pending, since + step):
            return b"\x01" + (head + step).to_bytes(8, "little")
    return b"\x00"


@api("SubnetInfoRuntimeApi_get_block_emission")
def _block_emission(view: NodeView, params: bytes) -> bytes:
    value = stored(view, "BlockEmission") or 0
    return int(_plain(value)).to_bytes(8, "little")


@api("SubnetInfoRuntimeApi_get_subnet_account_id")
def _subnet_account(view: NodeView, params: bytes) -> bytes:
    """Option<AccountId32>: the subnet's pallet account (`PalletId(b"py/subtn").
    into_sub_account_truncating(netuid)`: b"modl" ‖ id ‖ netuid LE, zero padded)."""
    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"
    account = (b"modl" + b"py/subtn" + netuid.to_bytes(2, "little")).ljust(32, b"\x00")
    return b"\x01" + account


def _neuron_lite(view: NodeView, netuid: int, uid: int, hotkey: bytes, cols: dict) -> dict:
    coldkey = stored(view, "Owner", hotkey) or bytes(32)
    stake = int(_plain(stored(view, "TotalHotkeyAlpha", hotkey, netuid)) or 0)
    values = {"hotkey": hotkey, "coldkey": coldkey, "uid": uid, "netuid": netuid,
              "stake": [(coldkey, stake)]}
    for column, name in (("active", "Active"), ("validator_permit", "ValidatorPermit"),
                         ("last_update", "LastUpdate"), ("emission", "Emission"),
                         ("dividends", "Dividends"), ("incentive", "Incentive"),
                         ("consensus", "Consensus"), ("pruning_score", "PruningScore"),
                         ("trust", "Trust"), ("rank", "Rank"),
                         ("validator_trust", "ValidatorTrust")):
        vec = cols.get(name)
        if vec is not None and uid < len(vec):
            values[column] = vec[uid]
    lite = _inner(view, _out(view, "NeuronInfoRuntimeApi_get_neurons_lite"))
    return fill(view, lite, values)


def _columns(view: NodeView, netuid: int, n: int) -> dict[str, list]:
    return {name: vec for name in PER_UID
            if (vec := _per_uid(view, name, netuid, n)) is not None}


@api("NeuronInfoRuntimeApi_get_neurons_lite")
def _neurons_lite(view: NodeView, params: bytes) -> bytes:
    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"  # an empty Vec
    hotkeys = _hotkeys(view, netuid)
    cols = _columns(view, netuid, len(hotkeys))
    return _encode(view, "NeuronInfoRuntimeApi_get_neurons_lite",
                   [_neuron_lite(view, netuid, uid, h, cols) for uid, h in enumerate(hotkeys)])


@api("NeuronInfoRuntimeApi_get_neuron_lite")
def _neuron_lite_one(view: NodeView, params: bytes) -> bytes:
    netuid = _netuid(params)
    uid, _ = int.from_bytes(params[2:4], "little"), None
    if netuid not in _netuids(view):
        return b"\x00"
    hotkeys = _hotkeys(view, netuid)
    if uid >= len(hotkeys):
        return b"\x00"
    cols = _columns(view, netuid, len(hotkeys))
    return _encode(view, "NeuronInfoRuntimeApi_get_neuron_lite",
                   _neuron_lite(view, netuid, uid, hotkeys[uid], cols))


def _metagraph_value(view: NodeView, type_id: int, netuid: int) -> dict:
    hotkeys = _hotkeys(view, netuid)
    n = len(hotkeys)
    values = _subnet_values(view, netuid)
    cols = _columns(view, netuid, n)
    coldkeys = [stored(view, "Owner", h) or bytes(32) for h in hotkeys]
    alpha = [int(_plain(stored(view, "TotalHotkeyAlpha", h, netuid)) or 0) for h in hotkeys]
    tao = [int(_plain(stored(view, "TotalHotkeyAlpha", h, 0)) or 0) for h in hotkeys]
    values.update({
        "hotkeys": hotkeys, "coldkeys": coldkeys, "identities": [None] * n,
        "active": cols.get("Active"), "validator_permit": cols.get("ValidatorPermit"),
        "pruning_score": cols.get("PruningScore"), "last_update": cols.get("LastUpdate"),
        "emission": cols.get("Emission"), "dividends": cols.get("Dividends"),
        "incentives": cols.get("Incentive"), "consensus": cols.get("Consensus"),
        "trust": cols.get("Trust"), "rank": cols.get("Rank"),
        "block_at_registration": [int(_plain(stored(view, "BlockAtRegistration", netuid, u))
                                      or 0) for u in range(n)],
        "alpha_stake": alpha, "tao_stake": tao,
        "total_stake": [a + t for a, t in zip(alpha, tao, strict=True)],
        "tao_dividends_per_hotkey": [], "alpha_dividends_per_hotkey": [],
    })
    for name in list(values):
        vec = values[name]
        if isinstance(vec, list) and name not in ("name", "symbol") and len(vec) < n:
            values[name] = None  # a short local column: the runtime's zeros
    return fill(view, type_id, values, n)


@api("SubnetInfoRuntimeApi_get_metagraph")
def _metagraph(view: NodeView, params: bytes) -> bytes:
    """Option<Metagraph>, collateral columns included (zeros: the sandbox has no collateral)."""
    return _one_metagraph(view, "SubnetInfoRuntimeApi_get_metagraph", _netuid(params))


@api("SubnetInfoRuntimeApi_get_mechagraph")
def _mechagraph(view: NodeView, params: bytes) -> bytes:
    """Option<Metagraph> of mechanism 0 (the sandbox's subnets have one mechanism)."""
    mechanism_zero = params[2:3] in (b"", b"\x00")
    return _one_metagraph(view, "SubnetInfoRuntimeApi_get_mechagraph", _netuid(params),
                          mechanism_zero)


def _one_metagraph(view: NodeView, method: str, netuid: int, exists: bool = True) -> bytes:
    """`method`'s Option<Metagraph> of one subnet: None for a subnet (or mechanism) that does
    not exist."""
    if not exists or netuid not in _netuids(view):
        return b"\x00"
    return _encode(view, method, _metagraph_value(view, _inner(view, _out(view, method)),
                                                  netuid))


@api("SubnetInfoRuntimeApi_get_all_metagraphs")
def _all_metagraphs(view: NodeView, params: bytes) -> bytes:
    method = "SubnetInfoRuntimeApi_get_all_metagraphs"
    inner = _inner(view, _inner(view, _out(view, method)))
    return _encode(view, method, [_metagraph_value(view, inner, n) for n in _netuids(view)])


@api("SubnetInfoRuntimeApi_get_subnet_state")
def _subnet_state(view: NodeView, params: bytes) -> bytes:
    method = "SubnetInfoRuntimeApi_get_subnet_state"
    netuid = _netuid(params)
    if netuid not in _netuids(view):
        return b"\x00"
    meta = _metagraph_value(view, _inner(view, _out(view, "SubnetInfoRuntimeApi_get_metagraph")),
                            netuid)
    state_type = _inner(view, _out(view, method))
    values = {f["name"]: meta[f["name"]] for f in _fields(view, state_type)
              if f["name"] in meta}
    values["emission_history"] = []
    return _encode(view, method, fill(view, state_type, values, len(meta["hotkeys"])))


# -- stake ------------------------------------------------------------------------------------
def _coldkeys(params: bytes) -> tuple[list[bytes], int]:
    count, offset = decode_compact(params, 0)
    keys = [params[offset + 32 * i: offset + 32 * (i + 1)] for i in range(count)]
    if any(len(k) != 32 for k in keys):
        raise ValueError("expected a Vec<AccountId32>")
    return keys, offset + 32 * count


@api("StakeInfoRuntimeApi_get_stake_availability_for_coldkeys")
def _availability(view: NodeView, params: bytes) -> bytes:
    """BTreeMap<coldkey, BTreeMap<netuid, StakeAvailability{total, locked, available}>>: the
    sandbox locks nothing, so available = total (alpha per subnet summed over hotkeys)."""
    coldkeys, offset = _coldkeys(params)
    wanted = None
    if params[offset:offset + 1] == b"\x01":
        count, at = decode_compact(params, offset + 1)
        wanted = {int.from_bytes(params[at + 2 * i:at + 2 * i + 2], "little")
                  for i in range(count)}
    out = []
    with view.chain.reading() as state:
        netuids = runtime_api._netuids(view, state)
        for coldkey in sorted(set(coldkeys)):
            totals: dict[int, int] = {}
            for hotkey in _staking_hotkeys(view, state, coldkey):
                for netuid in netuids:
                    if wanted is not None and netuid not in wanted:
                        continue
                    stake = runtime_api._stake_of(view, state, hotkey, coldkey, netuid)
                    if stake > 0:
                        totals[netuid] = totals.get(netuid, 0) + stake
            out.append((coldkey, [(n, {"total": t, "locked": 0, "available": t})
                                  for n, t in sorted(totals.items())]))
    return _encode(view, "StakeInfoRuntimeApi_get_stake_availability_for_coldkeys", out)


@api("StakeInfoRuntimeApi_get_coldkey_lock")
def _coldkey_lock(view: NodeView, params: bytes) -> bytes:
    """Option<LockState>: None, the sandbox has no conviction locks."""
    if len(params) != 34:
        raise ValueError("expected (AccountId32, NetUid)")
    return b"\x00"


@api("StakeInfoRuntimeApi_get_hotkey_conviction")
def _hotkey_conviction(view: NodeView, params: bytes) -> bytes:
    """FixedU128 conviction: 0 without locks."""
    return (0).to_bytes(16, "little")


@api("StakeInfoRuntimeApi_get_most_convicted_hotkey_on_subnet")
def _most_convicted(view: NodeView, params: bytes) -> bytes:
    return b"\x00"


def _staking_hotkeys(view: NodeView, state, coldkey: bytes) -> list[bytes]:
    hotkeys = runtime_api._read(view, state, f"{SM}.StakingHotkeys", coldkey, default=[])
    return list(dict.fromkeys(runtime_api._account(h) for h in hotkeys or []))


# -- delegates --------------------------------------------------------------------------------
def _delegate(view: NodeView, hotkey: bytes, take: int) -> dict:
    with view.chain.reading() as state:
        netuids = runtime_api._netuids(view, state)
        nominators: dict[bytes, list] = {}
        for coldkey in _stakers_of(view, state, hotkey):
            for netuid in netuids:
                stake = runtime_api._stake_of(view, state, hotkey, coldkey, netuid)
                if stake > 0:
                    nominators.setdefault(coldkey, []).append((netuid, stake))
        uids = view.registry.get(f"{SM}.Uids")
        registrations = [n for n in netuids if state.get(uids, n, hotkey) is not None]
    owner = stored(view, "Owner", hotkey) or bytes(32)
    permits = [n for n in registrations
               if _bool_at(view, "ValidatorPermit", n, _uid(view, n, hotkey))]
    return {"delegate_ss58": hotkey, "take": take, "nominators": sorted(nominators.items()),
            "owner_ss58": owner, "registrations": registrations,
            "validator_permits": permits, "return_per_1000": 0, "total_daily_return": 0}


def _uid(view: NodeView, netuid: int, hotkey: bytes) -> int | None:
    value = stored(view, "Uids", netuid, hotkey)
    return None if value is None else int(value)


def _bool_at(view: NodeView, name: str, netuid: int, uid: int | None) -> bool:
    vec = stored(view, name, netuid)
    return uid is not None and isinstance(vec, list) and uid < len(vec) and bool(vec[uid])


def _stakers_of(view: NodeView, state, hotkey: bytes) -> list[bytes]:
    item = view.registry.get(f"{SM}.StakingHotkeys")
    out = []
    for (coldkey,), hotkeys in state.iter(item):
        if any(runtime_api._account(h) == hotkey for h in hotkeys or []):
            out.append(bytes(coldkey))
    return sorted(out)


@api("DelegateInfoRuntimeApi_get_delegates")
def _delegates(view: NodeView, params: bytes) -> bytes:
    """Vec<DelegateInfo> over every hotkey with a `Delegates` take entry."""
    with view.chain.reading() as state:
        item = view.registry.get(f"{SM}.Delegates")
        takes = sorted((bytes(k[0]), v) for k, v in state.iter(item))
    return _encode(view, "DelegateInfoRuntimeApi_get_delegates",
                   [_delegate(view, h, t) for h, t in takes])


@api("DelegateInfoRuntimeApi_get_delegate")
def _delegate_one(view: NodeView, params: bytes) -> bytes:
    hotkey = params[:32]
    take = stored(view, "Delegates", hotkey)
    with view.chain.reading() as state:
        known = view.chain.conn is not None and state.get(
            view.registry.get(f"{SM}.Owner"), hotkey) is not None
    if not known:
        return b"\x00"
    return _encode(view, "DelegateInfoRuntimeApi_get_delegate",
                   _delegate(view, hotkey, int(take or 0)))


# -- root baskets: the sandbox has none -------------------------------------------------------
def _empty(method: str):
    def handler(view: NodeView, params: bytes) -> bytes:
        types = _Types(view)
        return view.api_registry.encode(_out(view, method), zero(types, _out(view, method)))

    handler.__doc__ = f"{method}: the runtime's answer when no basket exists (the type's zero)."
    return handler


for _method in ("get_root_basket_owed", "get_basket_payout", "get_validator_basket_nav",
                "get_validator_basket", "get_root_basket_total_nav",
                "get_all_validator_baskets", "get_root_basket_positions",
                "get_basket_position", "get_root_basket_portfolio", "get_beta_pricing",
                "get_all_beta_pricing", "get_beta_portfolio", "get_beta_position"):
    api(f"BetaBasketRuntimeApi_{_method}")(_empty(f"BetaBasketRuntimeApi_{_method}"))

"""`state_call` runtime APIs answered from the bundled chain's real state.

Each handler takes the SCALE-encoded parameters and returns the SCALE-encoded result, with the
result types of the served runtime (spec 461; its new and re-shaped APIs are in
`runtime_api_461`). APIs the local runtime cannot answer yet
raise an RpcError naming the method, as a node without that API does.
"""

from __future__ import annotations

from collections.abc import Callable

from chain.node.view import NodeView, RpcError, opaque
from chain.substrate.scale import decode_compact, encode_compact

Handler = Callable[[NodeView, bytes], bytes]
HANDLERS: dict[str, Handler] = {}


def api(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def implemented() -> frozenset[str]:
    """Every `Api_method` this node answers."""
    import chain.node.runtime_api_461  # noqa: F401 - registers spec 461's APIs

    return frozenset(HANDLERS)


# Answered from the open (pending) block's state when no block hash is given: taoctl's own dry
# run, so a quote is what the call does in the block it will be included in.
PENDING = frozenset({"TaoctlDryRunApi_dry_run_call"})


def call(view: NodeView, method: str, params: bytes) -> bytes:
    """Run a runtime API by its `Api_method` name."""
    import chain.node.runtime_api_461  # noqa: F401 - registers spec 461's APIs

    handler = HANDLERS.get(method)
    if handler is None:
        raise RpcError(4003, f"Client error: Execution failed: Other: Exported method {method} "
                             "is not found")
    try:
        return handler(view, params)
    except RpcError:
        raise
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise RpcError(4003, f"Client error: Execution failed: {method}: {exc}") from None


@api("Core_version")
def _core_version(view: NodeView, params: bytes) -> bytes:
    return view.runtime_version_scale()


@api("Metadata_metadata")
def _metadata(view: NodeView, params: bytes) -> bytes:
    return opaque(view.md.raw)


@api("Metadata_metadata_versions")
def _metadata_versions(view: NodeView, params: bytes) -> bytes:
    return encode_compact(2) + (14).to_bytes(4, "little") + (15).to_bytes(4, "little")


@api("Metadata_metadata_at_version")
def _metadata_at_version(view: NodeView, params: bytes) -> bytes:
    version = int.from_bytes(params[:4], "little")
    if version == 14:
        return b"\x01" + opaque(view.md.raw)
    if version == 15:
        return view.v15_raw
    return b"\x00"


@api("AccountNonceApi_account_nonce")
def _account_nonce(view: NodeView, params: bytes) -> bytes:
    if len(params) != 32:
        raise ValueError("expected a 32-byte account id")
    return view.nonce(params).to_bytes(4, "little")


# -- TransactionPaymentApi (histfees): the fee schedule of `chain.rules.fees` -------------------
def _payment_params(view: NodeView, params: bytes) -> tuple[str, int, int]:
    """(call id, length, tip) of `(extrinsic, u32 len)`: the call decoded from the extrinsic
    (its signature is not checked: clients send a zero one), the length as given."""
    length, offset = decode_compact(params, 0)
    if offset + length + 4 != len(params):
        raise ValueError("expected (extrinsic bytes, u32 length)")
    xt = view.decode(params[:offset + length])
    return f"{xt.pallet}.{xt.name}", int.from_bytes(params[-4:], "little"), xt.tip


def payment_fee_details(view: NodeView, params: bytes):
    """The `chain.rules.fees.FeeDetails` of a query, under the chain's fee schedule."""
    from chain.rules import fees

    call_id, length, tip = _payment_params(view, params)
    with view.chain.reading() as state:
        schedule = fees.SCHEDULES[_fee_schedule_name(view, state)]
    return call_id, fees.fee_details(call_id, length, schedule, tip)


def _fee_schedule_name(view: NodeView, state) -> str:
    item = view.registry.get("Taoctl.FeeSchedule")
    return "spec461" if item is None else state.get(item)


@api("TransactionPaymentApi_query_info")
def _query_info(view: NodeView, params: bytes) -> bytes:
    """RuntimeDispatchInfo {weight {ref_time, proof_size}, class, partial_fee: u64}: the call's
    declared weight (no base; FRAME adds it only in the event) and the fee without the tip."""
    from chain.rules import fees

    call_id, details = payment_fee_details(view, params)
    return (encode_compact(fees.call_weight(call_id)) +
            encode_compact(fees.CALL_PROOF_SIZES.get(call_id, 0)) + b"\x00" +
            details.partial_fee.to_bytes(8, "little"))


@api("TransactionPaymentApi_query_fee_details")
def _query_fee_details(view: NodeView, params: bytes) -> bytes:
    """FeeDetails {inclusion_fee: Option<{base_fee, len_fee, adjusted_weight_fee}>, tip}: None
    for a call that pays no fee."""
    _, d = payment_fee_details(view, params)
    if not d.pays:
        return b"\x00" + (0).to_bytes(8, "little")
    return (b"\x01" + b"".join(v.to_bytes(8, "little") for v in
                               (d.base_fee, d.len_fee, d.adjusted_weight_fee)) +
            d.tip.to_bytes(8, "little"))


# -- subtensor's runtime APIs (btcli) ---------------------------------------------------------
SM = "SubtensorModule"
ZERO_ACCOUNT = bytes(32)
IDENTITY_FIELDS = ("subnet_name", "github_repo", "subnet_contact", "subnet_url", "discord",
                   "description", "logo_url", "additional")


def default_symbol(netuid: int) -> str:
    """Subtensor's default token symbols: 0 is TAO's, then the Greek alphabet."""
    if netuid == 0:
        return "\u03a4"
    letters = "αβγδεζηθικλμνξοπρστυφχψω"
    return letters[netuid - 1] if netuid - 1 < len(letters) else f"sn{netuid}"


def _read(view: NodeView, state, item_id: str, *key, default=0):
    """A local item's value, or `default` when no pallet module declares it (yet)."""
    item = view.registry.get(item_id)
    if item is None:
        return default
    value = state.get(item, *key)
    return default if value is None else value


def last_step(view: NodeView, state, netuid: int) -> int:
    """`LastMechansimStepBlock`: the block the subnet's last epoch ran at. The bundled chain's
    scheduler keeps it as `LastEpochBlock`, which before the first epoch holds the seed that
    staggers subnets, not a run: then 0, as the runtime has nothing there."""
    if not _read(view, state, f"{SM}.SubnetEpochIndex", netuid):
        return 0
    return int(_read(view, state, f"{SM}.LastEpochBlock", netuid))


def _u64(data: bytes, offset: int = 0) -> int:
    if len(data) < offset + 8:
        raise ValueError("expected a u64")
    return int.from_bytes(data[offset:offset + 8], "little")


def _netuid(data: bytes) -> int:
    if len(data) < 2:
        raise ValueError("expected a u16 netuid")
    return int.from_bytes(data[:2], "little")


def _text(value) -> bytes:
    if isinstance(value, bytes):
        return value
    return str(value or "").encode()


def _compact_bytes(data: bytes) -> bytes:
    """Vec<Compact<u8>>, as subtensor's runtime API structs carry names and symbols."""
    return encode_compact(len(data)) + b"".join(encode_compact(b) for b in data)


def _vec_u8(data: bytes) -> bytes:
    return encode_compact(len(data)) + data


def _account(value) -> bytes:
    if isinstance(value, (bytes, bytearray)) and len(value) == 32:
        return bytes(value)
    if isinstance(value, str):
        raw = bytes.fromhex(value[2:] if value.startswith("0x") else value)
        if len(raw) == 32:
            return raw
    return ZERO_ACCOUNT


def _netuids(view: NodeView, state) -> list[int]:
    item = view.registry.get(f"{SM}.NetworksAdded")
    return sorted(k[0] for k, added in state.iter(item) if added)


def dynamic_info(view: NodeView, state, netuid: int) -> bytes:
    """DynamicInfo of one subnet (NODE.md field order), from the local state."""
    def r(name, default=0):
        return _read(view, state, f"{SM}.{name}", netuid, default=default)

    identity = r("SubnetIdentitiesV3", None)
    name = identity.get("subnet_name", "") if isinstance(identity, dict) else ""
    out = encode_compact(netuid)
    out += _account(r("SubnetOwnerHotkey", None)) + _account(r("SubnetOwner", None))
    out += _compact_bytes(_text(name)) + _compact_bytes(_text(r("TokenSymbol", "") or
                                                           default_symbol(netuid)))
    out += encode_compact(r("Tempo", 360))
    out += encode_compact(last_step(view, state, netuid))
    for field in ("BlocksSinceLastStep", "SubnetTaoInEmission"):
        out += encode_compact(int(r(field) or 0))
    for field in ("SubnetAlphaIn", "SubnetAlphaOut", "SubnetTAO", "SubnetAlphaOutEmission",
                  "SubnetAlphaInEmission", "SubnetTaoInEmission", "PendingEmission",
                  "PendingRootDivs"):
        out += encode_compact(int(r(field) or 0))
    out += encode_compact(int(r("SubnetVolume") or 0))
    out += encode_compact(int(r("NetworkRegisteredAt") or 0))
    if isinstance(identity, dict):
        out += b"\x01" + b"".join(_vec_u8(_text(identity.get(f, ""))) for f in IDENTITY_FIELDS)
    else:
        out += b"\x00"
    out += int(r("SubnetMovingPrice") or 0).to_bytes(16, "little", signed=True)
    return out


@api("SubnetInfoRuntimeApi_get_all_dynamic_info")
def _all_dynamic_info(view: NodeView, params: bytes) -> bytes:
    with view.chain.reading() as state:
        netuids = _netuids(view, state)
        return encode_compact(len(netuids)) + b"".join(
            b"\x01" + dynamic_info(view, state, n) for n in netuids)


@api("SubnetInfoRuntimeApi_get_dynamic_info")
def _dynamic_info(view: NodeView, params: bytes) -> bytes:
    netuid = _netuid(params)
    with view.chain.reading() as state:
        if netuid not in _netuids(view, state):
            return b"\x00"
        return b"\x01" + dynamic_info(view, state, netuid)


def _stake_of(view: NodeView, state, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    try:
        from chain.local.stake_utils import stake_of
    except ImportError:
        return 0
    return stake_of(state, hotkey, coldkey, netuid)


def _stake_info(view: NodeView, state, hotkey: bytes, coldkey: bytes, netuid: int,
                stake: int) -> bytes:
    """StakeInfo {hotkey, coldkey, netuid, stake, locked, emission, tao_emission, drain,
    is_registered}."""
    uids = view.registry.get(f"{SM}.Uids")
    registered = uids is not None and state.get(uids, netuid, hotkey) is not None
    return (hotkey + coldkey + encode_compact(netuid) + encode_compact(stake) +
            encode_compact(0) * 4 + (b"\x01" if registered else b"\x00"))


def _stakes_of_coldkey(view: NodeView, state, coldkey: bytes) -> list[bytes]:
    hotkeys = []
    for item in ("StakingHotkeys",):  # the hotkeys a coldkey stakes through, as subtensor
        for h in _read(view, state, f"{SM}.{item}", coldkey, default=[]) or []:
            key = _account(h)
            if key != ZERO_ACCOUNT and key not in hotkeys:
                hotkeys.append(key)
    out = []
    for hotkey in hotkeys:
        for netuid in _netuids(view, state):
            stake = _stake_of(view, state, hotkey, coldkey, netuid)
            if stake > 0:
                out.append(_stake_info(view, state, hotkey, coldkey, netuid, stake))
    return out


@api("StakeInfoRuntimeApi_get_stake_info_for_coldkey")
def _stake_for_coldkey(view: NodeView, params: bytes) -> bytes:
    coldkey = params[:32]
    with view.chain.reading() as state:
        infos = _stakes_of_coldkey(view, state, coldkey)
    return encode_compact(len(infos)) + b"".join(infos)


@api("StakeInfoRuntimeApi_get_stake_info_for_coldkeys")
def _stake_for_coldkeys(view: NodeView, params: bytes) -> bytes:
    count, offset = decode_compact(params, 0)
    coldkeys = [params[offset + 32 * i: offset + 32 * (i + 1)] for i in range(count)]
    out = encode_compact(len(coldkeys))
    with view.chain.reading() as state:
        for coldkey in coldkeys:
            infos = _stakes_of_coldkey(view, state, coldkey)
            out += coldkey + encode_compact(len(infos)) + b"".join(infos)
    return out


@api("StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid")
def _stake_for_triple(view: NodeView, params: bytes) -> bytes:
    hotkey, coldkey, netuid = params[:32], params[32:64], _netuid(params[64:])
    with view.chain.reading() as state:
        if netuid not in _netuids(view, state):
            return b"\x00"
        stake = _stake_of(view, state, hotkey, coldkey, netuid)
        # Some even without stake, as the runtime answers (zeros, not registered)
        return b"\x01" + _stake_info(view, state, hotkey, coldkey, netuid, stake)


def _pool(view: NodeView, netuid: int):
    from chain.local.stake_utils import read_pool

    with view.chain.reading() as state:
        if netuid not in _netuids(view, state):
            raise ValueError(f"subnet {netuid} does not exist")
        return read_pool(state, netuid)


@api("SwapRuntimeApi_current_alpha_price")
def _current_alpha_price(view: NodeView, params: bytes) -> bytes:
    import amm

    return amm.price_rao(_pool(view, _netuid(params))).to_bytes(8, "little")


@api("SubnetRegistrationRuntimeApi_get_network_registration_cost")
def _registration_cost(view: NodeView, params: bytes) -> bytes:
    """The TAO a `register_network` would lock now (u64 rao), from the local lock-cost rule."""
    from chain.local.subnets import lock_cost

    with view.chain.reading() as state:
        return lock_cost(state, view.chain.open_number()).to_bytes(8, "little")


@api("TaoctlDryRunApi_dry_run_call")
def _dry_run_call(view: NodeView, params: bytes) -> bytes:
    """taoctl's own API: origin (32 bytes) ++ SCALE call -> the runtime's dry run of the call at
    the open block, always rolled back, as UTF-8 JSON {success, error, message, result,
    events} (accounts as 0x hex). Real nodes lack it; the remote backend then uses the shared
    rules (`chain.rules`)."""
    import json

    from chain.local import queries
    from chain.local.calls import lookup
    from chain.local.errors import DispatchError
    from chain.local.extrinsic import _canonical

    if len(params) < 34:
        raise ValueError("expected a 32-byte origin and a call")
    pallet, name, args, end = view.md.decode_call(params, 32)
    if end != len(params):
        raise ValueError(f"{len(params) - end} trailing bytes after the call")
    try:
        spec = lookup(pallet, name)
        local_args = view._local_args(spec, args)
    except DispatchError as exc:
        raise ValueError(str(exc)) from None
    with view.chain.reading() as state:
        answer = queries.quote(state, view.chain.open_number(), params[:32], pallet, name,
                               local_args)
    return json.dumps(_canonical(answer)).encode()

"""What the subnet and stake commands read from a chain, in one place, through the contract.

Every read is a `ChainBackend` operation: the typed reads (`pool`, `stake`, `netuids`,
`neurons`, `lock_cost`, `price_history`) and storage items by subtensor's names
(`SubtensorModule.SubnetTAO`, `TokenSymbol`, ...), so the same code reads the bundled chain
and a node. What is assembled here is presentation: rows, ss58 addresses, emission shares.
Light module: typer-free, stdlib only at import; amm loads in the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chain.exitcodes import EXIT_REFUSED

if TYPE_CHECKING:
    import amm
    from chain.backend import ChainBackend

ROOT_NETUID = 0
SM = "SubtensorModule"


class UnknownNetuid(LookupError):
    """The netuid names no subnet (subtensor: SubnetNotExists)."""

    name = "SubnetNotExists"
    exit_code = EXIT_REFUSED


def subnet_exists(backend, netuid: int) -> bool:
    return bool(backend.read(f"{SM}.NetworksAdded", netuid))


def require_subnet(backend, netuid: int) -> None:
    """Raise SubnetNotExists (one line, nothing changed) for an unknown netuid."""
    if not 0 <= netuid < 65536 or not subnet_exists(backend, netuid):
        raise UnknownNetuid(f"subnet {netuid} does not exist (SubnetNotExists)")


def pool(backend: ChainBackend, netuid: int) -> amm.Pool:
    """The live pool of `netuid` as an `amm.Pool` (root is a stable 1:1 pool)."""
    return backend.pool(netuid)


def stake(backend: ChainBackend, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """Alpha (rao) the coldkey holds on the hotkey in `netuid`."""
    return backend.stake(hotkey, coldkey, netuid)


def netuids(backend: ChainBackend) -> list[int]:
    """Every existing subnet's netuid, root first."""
    return sorted(backend.netuids())


def subnet_name(backend, netuid: int) -> tuple[str, str]:
    """(name, symbol) of a subnet from its identity and TokenSymbol."""
    identity = backend.read(f"{SM}.SubnetIdentitiesV3", netuid) or {}
    symbol = backend.read(f"{SM}.TokenSymbol", netuid) or ""
    if isinstance(symbol, (bytes, bytearray)):
        symbol = symbol.decode("utf-8", "replace")
    name = identity.get("subnet_name", "") if isinstance(identity, dict) else ""
    if isinstance(name, (bytes, bytearray)):
        name = name.decode("utf-8", "replace")
    if not name:
        name = "root" if netuid == ROOT_NETUID else ""
    return name, symbol or default_symbol(netuid)




def default_symbol(netuid: int) -> str:
    """btcli's UNITS table, first letters: 0 τ, 1 α, 2 β, ... (Greek), then the netuid."""
    if netuid == 0:
        return "τ"
    letters = "αβγδεζηθικλμνξοπρστυφχψω"
    return letters[netuid - 1] if netuid - 1 < len(letters) else f"sn{netuid}"


def subnet_info(backend, netuid: int) -> dict:
    """One subnet's row: pool, prices, owner, tempo, neurons, burn, emission state."""
    import amm

    p = pool(backend, netuid)
    name, symbol = subnet_name(backend, netuid)
    alpha_out = backend.read(f"{SM}.SubnetAlphaOut", netuid)
    price = amm.price_rao(p)
    owner = backend.read(f"{SM}.SubnetOwner", netuid)
    owner_hotkey = backend.read(f"{SM}.SubnetOwnerHotkey", netuid)
    first_emission = backend.read(f"{SM}.FirstEmissionBlockNumber", netuid)
    return {
        "netuid": netuid, "name": name, "symbol": symbol,
        "price_rao": price,
        "tao_in_rao": p.tao_reserve, "alpha_in_rao": p.alpha_reserve,
        "alpha_out_rao": alpha_out,
        # market cap: alpha outstanding plus in the pool, valued at the spot price (floored)
        "market_cap_rao": (p.alpha_reserve + alpha_out) * price // 10**9,
        "tempo": backend.read(f"{SM}.Tempo", netuid),
        "owner_coldkey": _ss58(owner), "owner_hotkey": _ss58(owner_hotkey),
        "subnetwork_n": backend.read(f"{SM}.SubnetworkN", netuid),
        "max_allowed_uids": backend.read(f"{SM}.MaxAllowedUids", netuid),
        "burn_rao": backend.read(f"{SM}.Burn", netuid),
        "registered_at": backend.read(f"{SM}.NetworkRegisteredAt", netuid),
        "subtoken_enabled": bool(backend.read(f"{SM}.SubtokenEnabled", netuid))
        or netuid == ROOT_NETUID,
        "emission_enabled": bool(backend.read(f"{SM}.SubnetEmissionEnabled", netuid)),
        "first_emission_block": first_emission,
        "moving_price": _moving_price_str(backend.read(f"{SM}.SubnetMovingPrice", netuid)),
        "pool": p.to_json(),
    }


def _moving_price_str(bits: int | None) -> str:
    """SubnetMovingPrice is I96F32 bits; shown as a decimal (display only)."""
    if not bits:
        return "0"
    whole, frac = bits >> 32, (bits & 0xFFFFFFFF) * 10**9 >> 32
    return f"{whole}.{frac:09d}".rstrip("0").rstrip(".")


def all_subnets(backend) -> list[dict]:
    """Every subnet's row, with its share of emission (by EMA price among enabled subnets)."""
    rows = [subnet_info(backend, n) for n in netuids(backend)]
    _emission_shares(rows)
    return rows


def _emission_shares(rows: list[dict]) -> None:
    """§3.3: TAO emission splits by moving price among subnets with emission on (root none)."""
    from decimal import Decimal

    weights = {}
    for row in rows:
        if row["netuid"] == ROOT_NETUID or not row["emission_enabled"] or \
                row["first_emission_block"] is None:
            weights[row["netuid"]] = Decimal(0)
        else:
            weights[row["netuid"]] = Decimal(row["moving_price"])
    total = sum(weights.values())
    for row in rows:
        share = weights[row["netuid"]] / total if total else Decimal(0)
        row["emission_share_pct"] = format((share * 100).quantize(Decimal("0.0001")), "f")


def _ss58(key: bytes | None) -> str | None:
    if not key:
        return None
    from wallet.ss58 import ss58_encode

    return ss58_encode(bytes(key))


def hotkey_of_uid(backend, netuid: int, uid: int) -> bytes | None:
    return backend.read(f"{SM}.Keys", netuid, uid)


def uid_of(backend, netuid: int, hotkey: bytes) -> int | None:
    return backend.read(f"{SM}.Uids", netuid, hotkey)


def neurons(backend: ChainBackend, netuid: int) -> list[dict]:
    """The metagraph rows of a subnet: uid, hotkey, coldkey, stake, registration, emission."""
    return [{"uid": r["uid"], "hotkey": _ss58(r["hotkey"]), "coldkey": _ss58(r["coldkey"]),
             "stake_rao": r["stake_rao"], "registered_at": r["registered_at"],
             "immune": r["immune"], "emission_rao": r["emission_rao"]}
            for r in backend.neurons(netuid)]


def staking_hotkeys(backend, coldkey: bytes) -> list[bytes]:
    """Hotkeys the coldkey has staked to (`StakingHotkeys`) and owns (`OwnedHotkeys`)."""
    seen: list[bytes] = []
    for item in ("StakingHotkeys", "OwnedHotkeys"):
        for h in backend.read(f"{SM}.{item}", coldkey) or []:
            key = bytes.fromhex(h[2:] if h.startswith("0x") else h) if isinstance(h, str) \
                else bytes(h)
            if key not in seen:
                seen.append(key)
    return seen


def stakes_of_coldkey(backend, coldkey: bytes, only_netuids: list[int] | None = None) -> list:
    """(hotkey, netuid, alpha) for every non-zero stake of the coldkey."""
    subnets = only_netuids if only_netuids is not None else netuids(backend)
    rows = []
    for hotkey in staking_hotkeys(backend, coldkey):
        for netuid in subnets:
            alpha = stake(backend, hotkey, coldkey, netuid)
            if alpha:
                rows.append((hotkey, netuid, alpha))
    return rows


def lock_cost(backend: ChainBackend) -> int:
    """The TAO (rao) that registering a subnet locks now."""
    return backend.lock_cost()


def price_history(backend: ChainBackend, netuid: int) -> list[tuple[int, int]]:
    """(block, price in rao per alpha) points of a subnet's price, oldest first."""
    return backend.price_history(netuid)

"""Genesis presets: the state a new bundled chain starts from, as plain data.

A preset is a dict: `genesis_number` and `genesis_time` (the first block and its date; blocks
follow every 12 s), `balances` (hex public key -> free rao), `sudo` (hex key or None),
`subnets` (netuids that exist) and a description. Add a preset by adding an entry to `PRESETS`.

- dev: the well-known dev accounts //Alice ... //Ferdie with 1,000,000 TAO each, Alice as sudo,
  issuance 6 M TAO (emission 1 TAO per block, first halving at 10.5 M). Its genesis date is fixed,
  so every dev chain is the same chain (same genesis hash): scripts get a deterministic sandbox.
- mainnet: shaped like finney after the first halving (2025-12-15, at 10.5 M TAO issued):
  10.72 M TAO issued at block 7,540,000, emission 0.5 TAO per block. 0.22 M TAO after the
  halving at 3,600 TAO per day puts genesis on 2026-02-14; the next halving (15.75 M) then comes
  10,060,000 blocks later, on 2029-12-12 (see the tests). Balances: a handful of large holders,
  128 subnets with running pools (`_mainnet_subnets`, generated from a seed; six of them
  emission-disabled as on finney) and the rest staked on root by eight validators; the
  emission gate as finney runs it (`MAINNET_GATE`), its bar computed at genesis. `params`, `subnets` as dicts and `root_stakes` are read
  by `chain.local.genesis`.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from chain.local.accounts import DEV_ACCOUNTS, ROOT_NETUID, subnet_account
from chain.local.errors import UnknownPreset

TAO = 10**9


def _ts(iso: str) -> int:
    """Milliseconds since the epoch of a UTC ISO date."""
    return int(datetime.fromisoformat(iso).replace(tzinfo=timezone.utc).timestamp() * 1000)


def _holder(i: int) -> str:
    return hashlib.blake2b(b"taoctl/mainnet/holder/%d" % i, digest_size=32).hexdigest()


_MAINNET_ISSUANCE = 10_720_000 * TAO
_MAINNET_HOLDERS = {_holder(i): amount * TAO for i, amount in enumerate(
    [412_000, 298_500, 187_250, 150_000, 96_400, 61_000, 25_000, 9_850])}

_POW2_QUARTERS = (1_000_000, 1_189_207, 1_414_214, 1_681_793)  # 2**(k/4) * 1e6, k = 0..3


def _scaled(base: int, z: int) -> int:
    """base * 2**(z/4) with integers only (so every machine generates the same preset)."""
    whole, quarter = divmod(z, 4)
    value = base * _POW2_QUARTERS[quarter] // 1_000_000
    return value << whole if whole >= 0 else value >> -whole


def _spread(rng, width: int) -> int:
    """An integer roughly normal around 0: a sum of four dice of `width` faces, centred."""
    return sum(rng.randint(0, width) for _ in range(4)) - 2 * width


def _mainnet_subnets() -> tuple[dict, list[dict], list]:
    """Balances, 128 subnets and the root stakes of the mainnet preset, from a fixed seed.

    Shaped like finney in early 2026: pool TAO spread log-normally around 9,000 TAO (a few
    near 100,000), prices around 0.012 TAO per alpha (0.002 to 0.2), alpha outstanding 0.5-2.5x
    the pool's alpha, registration dates from the dTAO launch (block 4,920,000) to a few days
    before genesis (the newest still inside the network immunity period), burns between 0.0005
    and 2 TAO. Each subnet's staked alpha is held by its owner (20 %) and three of eight large
    validators (80 %), who also hold the root stake. Integers only, from `random.Random(seed)`.
    """
    import random

    rng = random.Random(20260214)
    validators = [(_key(b"validator-hot", k), _holder(k)) for k in range(8)]
    subnets, subnet_tao = [], 0
    for netuid in range(1, 129):
        tao = max(_scaled(9_000 * TAO, _spread(rng, 6)), 1_500 * TAO)
        price_rao = max(_scaled(12_000_000, _spread(rng, 5)), 2_000_000)
        alpha_in = tao * TAO // price_rao
        alpha_out = alpha_in * rng.randint(50, 250) // 100
        owner_cold, owner_hot = _key(b"owner-cold", netuid), _key(b"owner-hot", netuid)
        picked = rng.sample(validators, 3)
        owner_part = alpha_out // 5
        split = [(alpha_out - owner_part) * w // 6 for w in (3, 2, 1)]
        split[0] += alpha_out - owner_part - sum(split)
        stakes = [[owner_hot, owner_cold, owner_part]] + [
            [hot, cold, part] for (hot, cold), part in zip(picked, split, strict=True)]
        moving = min(price_rao * rng.randint(80, 120) // 100, TAO)
        subnets.append({
            "netuid": netuid, "owner_coldkey": owner_cold, "owner_hotkey": owner_hot,
            "tao": tao, "alpha_in": alpha_in, "stakes": stakes,
            "neurons": [hot for hot, _ in picked], "name": f"sn{netuid}",
            "registered_at": rng.randint(4_920_000, 7_530_000),
            "locked": rng.randint(1, 2_000) * TAO,
            "moving_price": (moving << 32) // TAO,  # I96F32 bits
            "burn": rng.randint(500_000, 2 * TAO), "started": True,
            "emission_enabled": netuid not in MAINNET_EMISSION_DISABLED,
        })
        subnet_tao += tao
    held = sum(_MAINNET_HOLDERS.values())
    root_tao = _MAINNET_ISSUANCE - held - subnet_tao
    weights = [30, 22, 16, 11, 8, 6, 4, 3]
    root_stakes = [[hot, cold, root_tao * w // 100] for (hot, cold), w in
                   zip(validators, weights, strict=True)]
    root_stakes[0][2] += root_tao - sum(r[2] for r in root_stakes)
    balances = {**_MAINNET_HOLDERS, subnet_account(ROOT_NETUID).hex(): root_tao}
    for entry in subnets:
        balances[subnet_account(entry["netuid"]).hex()] = entry["tao"]
    return balances, subnets, root_stakes


def _key(tag: bytes, n: int) -> str:
    return hashlib.blake2b(b"taoctl/mainnet/" + tag + b"/%d" % n, digest_size=32).hexdigest()


MAINNET_EMISSION_DISABLED = frozenset({29, 35, 36, 82, 108, 116})
"""Subnets with `SubnetEmissionEnabled = false` on finney at spec 475 (Atlas, ECONOMICS-2026
§3.3): they receive no TAO but their alpha is still minted and paid out."""

MAINNET_GATE = {"EmissionBarRank": 32, "EmissionGateExponent": 3 << 64,
                "EmissionBarQuantile": 13_835_058_055_282_163_712}
"""The emission gate as finney runs it (ECONOMICS-2026 §3.3): rank 32, exponent 3; the live
quantile 0.75 (U64F64 bits of the f64) is inert while the rank is above 0. The bar itself is
computed at genesis from the preset's prices (`genesis.write`), so it is in force from the
first block."""

_MAINNET_BALANCES, _MAINNET_SUBNETS, _MAINNET_ROOT_STAKES = _mainnet_subnets()

PRESETS: dict[str, dict] = {
    "dev": {
        "description": "dev accounts //Alice..//Ferdie with 1,000,000 TAO each; Alice is sudo",
        "genesis_number": 0,
        "genesis_time": _ts("2026-01-01T00:00:00"),
        "balances": {pk.hex(): 1_000_000 * TAO for pk in DEV_ACCOUNTS.values()},
        "sudo": DEV_ACCOUNTS["Alice"].hex(),
        "subnets": [ROOT_NETUID],
        # a sandbox subnet can start trading as soon as it is created
        "params": {"StartCallDelay": 0},
        # every signed extrinsic pays what spec 461's runtime charges (ECONOMICS-2026 §9)
        "fee_schedule": "spec461",
    },
    "mainnet": {
        "description": "finney-shaped: 10.72 M TAO issued, 0.5 TAO per block, next halving at "
                       "15.75 M (about 2029-12-12); 128 subnets, the emission gate (rank 32) "
                       "in force, 6 emission-disabled",
        "genesis_number": 7_540_000,
        "genesis_time": _ts("2026-02-14T02:40:00"),
        "balances": _MAINNET_BALANCES,
        "sudo": None,
        "subnets": [ROOT_NETUID, *_MAINNET_SUBNETS],
        "root_stakes": _MAINNET_ROOT_STAKES,
        "params": {"NetworkMinLockCost": 1 * TAO, "NetworkLockReductionInterval": 57_600,
                   "NetworkLastLockCost": 1_400 * TAO, "NetworkLastRegistered": 7_521_000,
                   "SubnetLimit": 128, "StartCallDelay": 50_400,
                   "TaoWeight": 3_320_413_933_267_719_290, **MAINNET_GATE},
        "emission_gate_bar": True,
        # the first halving took effect on 2025-12-15, 440,000 blocks before genesis
        "past_halvings": {1: 7_100_000},
        "fee_schedule": "spec467",  # the post-467 fee halving (ECONOMICS-2026 §9.2)
    },
}


def preset(name: str) -> dict:
    """The preset called `name`; raises UnknownPreset listing the known ones."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownPreset(
            f"unknown preset {name!r}; choose one of: {', '.join(sorted(PRESETS))}") from None

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
  with the rest held by the root subnet's account (the root stake); part 2 adds subnets.
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

PRESETS: dict[str, dict] = {
    "dev": {
        "description": "dev accounts //Alice..//Ferdie with 1,000,000 TAO each; Alice is sudo",
        "genesis_number": 0,
        "genesis_time": _ts("2026-01-01T00:00:00"),
        "balances": {pk.hex(): 1_000_000 * TAO for pk in DEV_ACCOUNTS.values()},
        "sudo": DEV_ACCOUNTS["Alice"].hex(),
        "subnets": [ROOT_NETUID],
    },
    "mainnet": {
        "description": "finney-shaped: 10.72 M TAO issued, 0.5 TAO per block, next halving at "
                       "15.75 M (about 2029-12-12)",
        "genesis_number": 7_540_000,
        "genesis_time": _ts("2026-02-14T02:40:00"),
        "balances": {
            **_MAINNET_HOLDERS,
            subnet_account(ROOT_NETUID).hex(): _MAINNET_ISSUANCE - sum(_MAINNET_HOLDERS.values()),
        },
        "sudo": None,
        "subnets": [ROOT_NETUID],
        # the first halving took effect on 2025-12-15, 440,000 blocks before genesis
        "past_halvings": {1: 7_100_000},
    },
}


def preset(name: str) -> dict:
    """The preset called `name`; raises UnknownPreset listing the known ones."""
    try:
        return PRESETS[name]
    except KeyError:
        raise UnknownPreset(
            f"unknown preset {name!r}; choose one of: {', '.join(sorted(PRESETS))}") from None

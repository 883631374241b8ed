"""Proxy (subtensor's `pallet_subtensor_proxy`, index 16 at spec 461): accounts that may act for
another. `Proxies[real]` is `(Vec<ProxyDefinition>, deposit)`, stored as JSON
`[[{"delegate": "0x<hex>", "proxy_type": "<ProxyType>", "delay": n}, ...], deposit_rao]`, the
metadata's shape, so a node serves it as SCALE unchanged. The deposit reserved on the real
account is ProxyDepositBase + ProxyDepositFactor * len (spec-461 constants, rao).
"""

from __future__ import annotations

from chain.pallets.calls import call
from chain.pallets.storage import ACCOUNT_ID, StorageItem

PALLET = "Proxy"

PROXY_DEPOSIT_BASE = 60_000_000
PROXY_DEPOSIT_FACTOR = 33_000_000
MAX_PROXIES = 20

PROXIES = StorageItem(PALLET, "Proxies", (ACCOUNT_ID,), "json", [[], 0])

CALLS = (
    call(PALLET, "proxy", real=ACCOUNT_ID, force_proxy_type="Option<ProxyType>",
         call="RuntimeCall"),
    call(PALLET, "add_proxy", delegate=ACCOUNT_ID, proxy_type="ProxyType", delay="u32"),
    call(PALLET, "remove_proxy", delegate=ACCOUNT_ID, proxy_type="ProxyType", delay="u32"),
)

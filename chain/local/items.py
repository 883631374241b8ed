"""Storage items of subnets: pools, neurons, stake share pools, registration prices.

Names, keys and defaults are subtensor's (`pallets/subtensor/src/lib.rs`, the swap pallet for
the pool's fee and weights). Where the recorded spec-343 metadata differs from subtensor's main
branch, main wins and the difference is noted:

- stake shares are `AlphaV2` / `TotalHotkeySharesV2` (SafeFloat, stored as JSON
  `[mantissa, exponent]`); spec 343 still has the U64F64 `Alpha` / `TotalHotkeyShares`;
- `SubnetEmissionEnabled` (main only), `StartCallDelay`, `MinNonImmuneUids`, `BurnHalfLife`,
  `BurnIncreaseMult` (U64F64 bits) are main's;
- `Swap.FeeRate` and `Swap.SwapBalancer` (the pool's TAO weight, Perquintill parts) stand for
  the swap pallet's per-subnet fee and balancer weights.

Per-UID vectors (`Emission`, `LastUpdate`, ...) are JSON lists indexed by UID, as subtensor's
`Vec`s. Accounts inside lists are lowercase hex.
"""

from __future__ import annotations

from chain.local import registration_price
from chain.local.storage import ACCOUNT_ID, declare

TAO = 10**9
SM = "SubtensorModule"
NETUID = "u16"

# -- pools ------------------------------------------------------------------------------------
SUBNET_ALPHA_IN = declare(SM, "SubnetAlphaIn", (NETUID,), "u64", 0)
SUBNET_ALPHA_OUT = declare(SM, "SubnetAlphaOut", (NETUID,), "u64", 0)
SUBNET_LOCKED = declare(SM, "SubnetLocked", (NETUID,), "u64", 0)
SUBNET_MECHANISM = declare(SM, "SubnetMechanism", (NETUID,), "u16", 1)  # 0 = stable (root)
SUBNET_MOVING_PRICE = declare(SM, "SubnetMovingPrice", (NETUID,), "u128", 0)  # I96F32 bits
SUBNET_VOLUME = declare(SM, "SubnetVolume", (NETUID,), "u128", 0)
SUBNET_TAO_FLOW = declare(SM, "SubnetTaoFlow", (NETUID,), "i64", 0)
TOTAL_STAKE = declare(SM, "TotalStake", (), "u64", 0)
FEE_RATE = declare("Swap", "FeeRate", (NETUID,), "u16", 33)
SWAP_BALANCER = declare("Swap", "SwapBalancer", (NETUID,), "u64", 500_000_000_000_000_000)

# -- subnets ----------------------------------------------------------------------------------
TOTAL_NETWORKS = declare(SM, "TotalNetworks", (), "u16", 0)
SUBNET_LIMIT = declare(SM, "SubnetLimit", (), "u16", 128)
SUBNET_OWNER = declare(SM, "SubnetOwner", (NETUID,), ACCOUNT_ID, None)
SUBNET_OWNER_HOTKEY = declare(SM, "SubnetOwnerHotkey", (NETUID,), ACCOUNT_ID, None)
TOKEN_SYMBOL = declare(SM, "TokenSymbol", (NETUID,), "json", "")
SUBNET_IDENTITIES = declare(SM, "SubnetIdentitiesV3", (NETUID,), "json", None)  # {subnet_name,..}
NETWORK_REGISTERED_AT = declare(SM, "NetworkRegisteredAt", (NETUID,), "u64", 0)
NETWORK_LAST_LOCK_COST = declare(SM, "NetworkLastLockCost", (), "u64", 1_000 * TAO)
NETWORK_LAST_REGISTERED = declare(SM, "NetworkLastRegistered", (), "u64", 0)  # lock block
NETWORK_MIN_LOCK_COST = declare(SM, "NetworkMinLockCost", (), "u64", 1_000 * TAO)
NETWORK_LOCK_REDUCTION_INTERVAL = declare(SM, "NetworkLockReductionInterval", (), "u64", 100_800)
NETWORK_IMMUNITY_PERIOD = declare(SM, "NetworkImmunityPeriod", (), "u64", 1_296_000)
SUBTOKEN_ENABLED = declare(SM, "SubtokenEnabled", (NETUID,), "bool", False)
SUBNET_EMISSION_ENABLED = declare(SM, "SubnetEmissionEnabled", (NETUID,), "bool", False)
FIRST_EMISSION_BLOCK = declare(SM, "FirstEmissionBlockNumber", (NETUID,), "u64", None)
START_CALL_DELAY = declare(SM, "StartCallDelay", (), "u64", 50_400)
TRANSFER_TOGGLE = declare(SM, "TransferToggle", (NETUID,), "bool", True)

# -- hyperparameters set by init_new_network ---------------------------------------------------
TEMPO = declare(SM, "Tempo", (NETUID,), "u16", 360)
MAX_ALLOWED_UIDS = declare(SM, "MaxAllowedUids", (NETUID,), "u16", 4096)
MAX_ALLOWED_VALIDATORS = declare(SM, "MaxAllowedValidators", (NETUID,), "u16", 128)
MIN_ALLOWED_WEIGHTS = declare(SM, "MinAllowedWeights", (NETUID,), "u16", 1024)
IMMUNITY_PERIOD = declare(SM, "ImmunityPeriod", (NETUID,), "u16", 4096)
YUMA3_ON = declare(SM, "Yuma3On", (NETUID,), "bool", False)
IMMUNE_OWNER_UIDS_LIMIT = declare(SM, "ImmuneOwnerUidsLimit", (NETUID,), "u16", 1)
MIN_NON_IMMUNE_UIDS = declare(SM, "MinNonImmuneUids", (NETUID,), "u16", 10)
MAX_REGISTRATIONS_PER_BLOCK = declare(SM, "MaxRegistrationsPerBlock", (NETUID,), "u16", 1)
NETWORK_REGISTRATION_ALLOWED = declare(SM, "NetworkRegistrationAllowed", (NETUID,), "bool", True)
SUBNET_OWNER_CUT = declare(SM, "SubnetOwnerCut", (), "u16", 11_796)

# -- neurons ----------------------------------------------------------------------------------
SUBNETWORK_N = declare(SM, "SubnetworkN", (NETUID,), "u16", 0)
KEYS = declare(SM, "Keys", (NETUID, "u16"), ACCOUNT_ID, None)  # (netuid, uid) -> hotkey
UIDS = declare(SM, "Uids", (NETUID, ACCOUNT_ID), "u16", None)  # (netuid, hotkey) -> uid
BLOCK_AT_REGISTRATION = declare(SM, "BlockAtRegistration", (NETUID, "u16"), "u64", 0)
IS_NETWORK_MEMBER = declare(SM, "IsNetworkMember", (ACCOUNT_ID, NETUID), "bool", False)
EMISSION = declare(SM, "Emission", (NETUID,), "json", [])  # per-UID alpha of the last epoch
LAST_UPDATE = declare(SM, "LastUpdate", (NETUID,), "json", [])

# -- registration price -------------------------------------------------------------------------
BURN = declare(SM, "Burn", (NETUID,), "u64", 1 * TAO)
MIN_BURN = declare(SM, "MinBurn", (NETUID,), "u64", 500_000)
MAX_BURN = declare(SM, "MaxBurn", (NETUID,), "u64", 100 * TAO)
BURN_HALF_LIFE = declare(SM, "BurnHalfLife", (NETUID,), "u16", 360)
BURN_INCREASE_MULT = declare(SM, "BurnIncreaseMult", (NETUID,), "u128",
                             registration_price.BURN_INCREASE_MULT)  # U64F64 bits of 1.26
REGISTRATIONS_THIS_BLOCK = declare(SM, "RegistrationsThisBlock", (NETUID,), "u16", 0)
RAO_RECYCLED_FOR_REGISTRATION = declare(SM, "RAORecycledForRegistration", (NETUID,), "u64", 0)

# -- accounts and stake ---------------------------------------------------------------------------
OWNER = declare(SM, "Owner", (ACCOUNT_ID,), ACCOUNT_ID, None)  # hotkey -> coldkey
OWNED_HOTKEYS = declare(SM, "OwnedHotkeys", (ACCOUNT_ID,), "json", [])  # coldkey -> [hex]
STAKING_HOTKEYS = declare(SM, "StakingHotkeys", (ACCOUNT_ID,), "json", [])  # coldkey -> [hex]
DELEGATES = declare(SM, "Delegates", (ACCOUNT_ID,), "u16", 11_796)  # take, of 65535
MIN_DELEGATE_TAKE = declare(SM, "MinDelegateTake", (), "u16", 0)
MAX_DELEGATE_TAKE = declare(SM, "MaxDelegateTake", (), "u16", 11_796)
TOTAL_HOTKEY_ALPHA = declare(SM, "TotalHotkeyAlpha", (ACCOUNT_ID, NETUID), "u64", 0)
TOTAL_HOTKEY_SHARES = declare(SM, "TotalHotkeySharesV2", (ACCOUNT_ID, NETUID), "json", None)
ALPHA = declare(SM, "AlphaV2", (ACCOUNT_ID, ACCOUNT_ID, NETUID), "json", None)  # (hot, cold, n)
TAO_WEIGHT = declare(SM, "TaoWeight", (), "u64", 971_718_665_099_567_868)

# -- taoctl's own records -------------------------------------------------------------------------
PRICE_AT = declare("Taoctl", "PriceAt", (NETUID, "u64"), "u64", 0)  # (netuid, block) -> rao/alpha

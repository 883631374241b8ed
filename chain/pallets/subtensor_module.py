"""SubtensorModule: subtensor's own pallet (`pallets/subtensor/src/lib.rs`): its storage items
and its calls. Names, keys and defaults are subtensor's. Where the recorded spec-343 metadata
differs from subtensor's main branch, main wins and the difference is noted:

- stake shares are `AlphaV2` / `TotalHotkeySharesV2` (SafeFloat, stored as JSON
  `[mantissa, exponent]`); spec 343 still has the U64F64 `Alpha` / `TotalHotkeyShares`;
- `SubnetEmissionEnabled` (main only), `StartCallDelay`, `MinNonImmuneUids`, `BurnHalfLife`,
  `BurnIncreaseMult` (U64F64 bits) are main's.

Per-UID vectors (`Emission`, `LastUpdate`, `Incentive`, `Dividends`, `Consensus`,
`ValidatorTrust`, `Active`, `ValidatorPermit`) are JSON lists indexed by UID, as subtensor's
`Vec`s (u16 proportions of 65535, or bools). `Weights[netuid, uid]` and `Bonds[netuid, uid]` are
sparse rows `[[uid, u16], ...]`, as subtensor's `Vec<(u16, u16)>`. Accounts inside lists are
lowercase hex.
"""

from __future__ import annotations

from chain.pallets.calls import call
from chain.pallets.storage import ACCOUNT_ID, StorageItem

TAO = 10**9
PALLET = SM = "SubtensorModule"
NETUID = "u16"

# -- issuance and emission ----------------------------------------------------------------------
TOTAL_ISSUANCE = StorageItem(SM, "TotalIssuance", (), "u64", 0)
BLOCK_EMISSION = StorageItem(SM, "BlockEmission", (), "u64", 1_000_000_000)

# -- pools ------------------------------------------------------------------------------------
SUBNET_ALPHA_IN = StorageItem(SM, "SubnetAlphaIn", (NETUID,), "u64", 0)
SUBNET_ALPHA_OUT = StorageItem(SM, "SubnetAlphaOut", (NETUID,), "u64", 0)
SUBNET_LOCKED = StorageItem(SM, "SubnetLocked", (NETUID,), "u64", 0)
SUBNET_MECHANISM = StorageItem(SM, "SubnetMechanism", (NETUID,), "u16", 1)  # 0 = stable (root)
SUBNET_MOVING_PRICE = StorageItem(SM, "SubnetMovingPrice", (NETUID,), "u128", 0)  # I96F32 bits
SUBNET_VOLUME = StorageItem(SM, "SubnetVolume", (NETUID,), "u128", 0)
SUBNET_TAO_FLOW = StorageItem(SM, "SubnetTaoFlow", (NETUID,), "i64", 0)
SUBNET_TAO = StorageItem(SM, "SubnetTAO", (NETUID,), "u64", 0)
TOTAL_STAKE = StorageItem(SM, "TotalStake", (), "u64", 0)

# -- subnets ----------------------------------------------------------------------------------
NETWORKS_ADDED = StorageItem(SM, "NetworksAdded", (NETUID,), "bool", False)
TOTAL_NETWORKS = StorageItem(SM, "TotalNetworks", (), "u16", 0)
SUBNET_LIMIT = StorageItem(SM, "SubnetLimit", (), "u16", 128)
SUBNET_OWNER = StorageItem(SM, "SubnetOwner", (NETUID,), ACCOUNT_ID, None)
SUBNET_OWNER_HOTKEY = StorageItem(SM, "SubnetOwnerHotkey", (NETUID,), ACCOUNT_ID, None)
TOKEN_SYMBOL = StorageItem(SM, "TokenSymbol", (NETUID,), "json", "")
# {subnet_name, ...}
SUBNET_IDENTITIES = StorageItem(SM, "SubnetIdentitiesV3", (NETUID,), "json", None)
NETWORK_REGISTERED_AT = StorageItem(SM, "NetworkRegisteredAt", (NETUID,), "u64", 0)
NETWORK_LAST_LOCK_COST = StorageItem(SM, "NetworkLastLockCost", (), "u64", 1_000 * TAO)
NETWORK_LAST_REGISTERED = StorageItem(SM, "NetworkLastRegistered", (), "u64", 0)  # lock block
NETWORK_MIN_LOCK_COST = StorageItem(SM, "NetworkMinLockCost", (), "u64", 1_000 * TAO)
NETWORK_LOCK_REDUCTION_INTERVAL = StorageItem(SM, "NetworkLockReductionInterval", (), "u64",
                                              100_800)
NETWORK_IMMUNITY_PERIOD = StorageItem(SM, "NetworkImmunityPeriod", (), "u64", 1_296_000)
SUBTOKEN_ENABLED = StorageItem(SM, "SubtokenEnabled", (NETUID,), "bool", False)
SUBNET_EMISSION_ENABLED = StorageItem(SM, "SubnetEmissionEnabled", (NETUID,), "bool", False)
FIRST_EMISSION_BLOCK = StorageItem(SM, "FirstEmissionBlockNumber", (NETUID,), "u64", None)
START_CALL_DELAY = StorageItem(SM, "StartCallDelay", (), "u64", 50_400)
TRANSFER_TOGGLE = StorageItem(SM, "TransferToggle", (NETUID,), "bool", True)

# -- hyperparameters set by init_new_network ---------------------------------------------------
TEMPO = StorageItem(SM, "Tempo", (NETUID,), "u16", 360)
MAX_ALLOWED_UIDS = StorageItem(SM, "MaxAllowedUids", (NETUID,), "u16", 4096)
MAX_ALLOWED_VALIDATORS = StorageItem(SM, "MaxAllowedValidators", (NETUID,), "u16", 128)
MIN_ALLOWED_WEIGHTS = StorageItem(SM, "MinAllowedWeights", (NETUID,), "u16", 1024)
IMMUNITY_PERIOD = StorageItem(SM, "ImmunityPeriod", (NETUID,), "u16", 4096)
YUMA3_ON = StorageItem(SM, "Yuma3On", (NETUID,), "bool", False)
IMMUNE_OWNER_UIDS_LIMIT = StorageItem(SM, "ImmuneOwnerUidsLimit", (NETUID,), "u16", 1)
MIN_NON_IMMUNE_UIDS = StorageItem(SM, "MinNonImmuneUids", (NETUID,), "u16", 10)
MAX_REGISTRATIONS_PER_BLOCK = StorageItem(SM, "MaxRegistrationsPerBlock", (NETUID,), "u16", 1)
NETWORK_REGISTRATION_ALLOWED = StorageItem(SM, "NetworkRegistrationAllowed", (NETUID,), "bool",
                                           True)
SUBNET_OWNER_CUT = StorageItem(SM, "SubnetOwnerCut", (), "u16", 11_796)

# -- neurons ----------------------------------------------------------------------------------
SUBNETWORK_N = StorageItem(SM, "SubnetworkN", (NETUID,), "u16", 0)
KEYS = StorageItem(SM, "Keys", (NETUID, "u16"), ACCOUNT_ID, None)  # (netuid, uid) -> hotkey
UIDS = StorageItem(SM, "Uids", (NETUID, ACCOUNT_ID), "u16", None)  # (netuid, hotkey) -> uid
BLOCK_AT_REGISTRATION = StorageItem(SM, "BlockAtRegistration", (NETUID, "u16"), "u64", 0)
IS_NETWORK_MEMBER = StorageItem(SM, "IsNetworkMember", (ACCOUNT_ID, NETUID), "bool", False)
EMISSION = StorageItem(SM, "Emission", (NETUID,), "json", [])  # per-UID alpha of the last epoch
LAST_UPDATE = StorageItem(SM, "LastUpdate", (NETUID,), "json", [])

# -- registration price -------------------------------------------------------------------------
BURN = StorageItem(SM, "Burn", (NETUID,), "u64", 1 * TAO)
MIN_BURN = StorageItem(SM, "MinBurn", (NETUID,), "u64", 500_000)
MAX_BURN = StorageItem(SM, "MaxBurn", (NETUID,), "u64", 100 * TAO)
BURN_HALF_LIFE = StorageItem(SM, "BurnHalfLife", (NETUID,), "u16", 360)
# U64F64 bits of 1.26, as chain.local.registration_price.BURN_INCREASE_MULT
BURN_INCREASE_MULT = StorageItem(SM, "BurnIncreaseMult", (NETUID,), "u128", 0x1_428F_5C28_F5C2_9000)
REGISTRATIONS_THIS_BLOCK = StorageItem(SM, "RegistrationsThisBlock", (NETUID,), "u16", 0)
RAO_RECYCLED_FOR_REGISTRATION = StorageItem(SM, "RAORecycledForRegistration", (NETUID,), "u64", 0)

# -- accounts and stake ---------------------------------------------------------------------------
OWNER = StorageItem(SM, "Owner", (ACCOUNT_ID,), ACCOUNT_ID, None)  # hotkey -> coldkey
OWNED_HOTKEYS = StorageItem(SM, "OwnedHotkeys", (ACCOUNT_ID,), "json", [])  # coldkey -> [hex]
STAKING_HOTKEYS = StorageItem(SM, "StakingHotkeys", (ACCOUNT_ID,), "json", [])  # coldkey -> [hex]
DELEGATES = StorageItem(SM, "Delegates", (ACCOUNT_ID,), "u16", 11_796)  # take, of 65535
MIN_DELEGATE_TAKE = StorageItem(SM, "MinDelegateTake", (), "u16", 0)
MAX_DELEGATE_TAKE = StorageItem(SM, "MaxDelegateTake", (), "u16", 11_796)
TOTAL_HOTKEY_ALPHA = StorageItem(SM, "TotalHotkeyAlpha", (ACCOUNT_ID, NETUID), "u64", 0)
TOTAL_HOTKEY_SHARES = StorageItem(SM, "TotalHotkeySharesV2", (ACCOUNT_ID, NETUID), "json", None)
ALPHA = StorageItem(SM, "AlphaV2", (ACCOUNT_ID, ACCOUNT_ID, NETUID), "json", None)  # (hot, cold, n)
TAO_WEIGHT = StorageItem(SM, "TaoWeight", (), "u64", 971_718_665_099_567_868)

# -- weights ------------------------------------------------------------------------------------
WEIGHTS = StorageItem(SM, "Weights", (NETUID, "u16"), "json", [])
WEIGHTS_SET_RATE_LIMIT = StorageItem(SM, "WeightsSetRateLimit", (NETUID,), "u64", 100)
WEIGHTS_VERSION_KEY = StorageItem(SM, "WeightsVersionKey", (NETUID,), "u64", 0)
MAX_WEIGHTS_LIMIT = StorageItem(SM, "MaxWeightsLimit", (NETUID,), "u16", 65_535)
STAKE_THRESHOLD = StorageItem(SM, "StakeThreshold", (), "u64", 0)

# -- epoch hyperparameters ------------------------------------------------------------------------
KAPPA = StorageItem(SM, "Kappa", (NETUID,), "u16", 32_767)
BONDS_PENALTY = StorageItem(SM, "BondsPenalty", (NETUID,), "u16", 65_535)
BONDS_MOVING_AVERAGE = StorageItem(SM, "BondsMovingAverage", (NETUID,), "u64", 900_000)
LIQUID_ALPHA_ON = StorageItem(SM, "LiquidAlphaOn", (NETUID,), "bool", False)
ALPHA_VALUES = StorageItem(SM, "AlphaValues", (NETUID,), "json", [45_875, 58_982])
ALPHA_SIGMOID_STEEPNESS = StorageItem(SM, "AlphaSigmoidSteepness", (NETUID,), "i64", 1000)
ACTIVITY_CUTOFF_FACTOR_MILLI = StorageItem(SM, "ActivityCutoffFactorMilli", (NETUID,), "u64",
                                           13_889)
MAX_EPOCHS_PER_BLOCK = StorageItem(SM, "MaxEpochsPerBlock", (), "u16", 2)

# -- epoch outputs -----------------------------------------------------------------------------
BONDS = StorageItem(SM, "Bonds", (NETUID, "u16"), "json", [])
INCENTIVE = StorageItem(SM, "Incentive", (NETUID,), "json", [])
DIVIDENDS = StorageItem(SM, "Dividends", (NETUID,), "json", [])
CONSENSUS = StorageItem(SM, "Consensus", (NETUID,), "json", [])
VALIDATOR_TRUST = StorageItem(SM, "ValidatorTrust", (NETUID,), "json", [])
ACTIVE = StorageItem(SM, "Active", (NETUID,), "json", [])
VALIDATOR_PERMIT = StorageItem(SM, "ValidatorPermit", (NETUID,), "json", [])
MINER_BURNED = StorageItem(SM, "MinerBurned", (NETUID,), "u128", 0)  # U96F32 bits
ALPHA_DIVIDENDS_PER_SUBNET = StorageItem(SM, "AlphaDividendsPerSubnet", (NETUID, ACCOUNT_ID),
                                         "u64", 0)
ROOT_ALPHA_DIVIDENDS_PER_SUBNET = StorageItem(SM, "RootAlphaDividendsPerSubnet",
                                              (NETUID, ACCOUNT_ID), "u64", 0)
ROOT_CLAIMABLE = StorageItem(SM, "RootClaimable", (ACCOUNT_ID, NETUID), "u128", 0)  # I96F32 bits

# -- coinbase accumulators and per-block records -------------------------------------------------
PENDING_SERVER = StorageItem(SM, "PendingServerEmission", (NETUID,), "u64", 0)
PENDING_VALIDATOR = StorageItem(SM, "PendingValidatorEmission", (NETUID,), "u64", 0)
PENDING_ROOT = StorageItem(SM, "PendingRootAlphaDivs", (NETUID,), "u64", 0)
PENDING_OWNER_CUT = StorageItem(SM, "PendingOwnerCut", (NETUID,), "u64", 0)
SUBNET_PROTOCOL_ALPHA = StorageItem(SM, "SubnetProtocolAlpha", (NETUID,), "u64", 0)
SUBNET_ALPHA_IN_EMISSION = StorageItem(SM, "SubnetAlphaInEmission", (NETUID,), "u64", 0)
SUBNET_ALPHA_OUT_EMISSION = StorageItem(SM, "SubnetAlphaOutEmission", (NETUID,), "u64", 0)
SUBNET_TAO_IN_EMISSION = StorageItem(SM, "SubnetTaoInEmission", (NETUID,), "u64", 0)
SUBNET_EXCESS_TAO = StorageItem(SM, "SubnetExcessTao", (NETUID,), "u64", 0)

# -- emission gate (issue 16, branch gate; ECONOMICS-2026 §3.3) -----------------------------------
# theta, U64F64 bits; 0 = never computed (recomputed at the next block)
EMISSION_GATE_BAR = StorageItem(SM, "EmissionGateBar", (), "u128", 0)
EMISSION_BAR_RANK = StorageItem(SM, "EmissionBarRank", (), "u16", 32)
# U64F64 bits of the f64 0.61 (used only when the rank is 0)
EMISSION_BAR_QUANTILE = StorageItem(SM, "EmissionBarQuantile", (), "u128",
                                    11_252_513_884_962_826_240)
EMISSION_GATE_EXPONENT = StorageItem(SM, "EmissionGateExponent", (), "u128", 3 << 64)  # U64F64
# -- end emission gate ---------------------------------------------------------------------------

# -- epoch scheduler ------------------------------------------------------------------------------
LAST_EPOCH_BLOCK = StorageItem(SM, "LastEpochBlock", (NETUID,), "u64", None)  # None: not seeded
BLOCKS_SINCE_LAST_STEP = StorageItem(SM, "BlocksSinceLastStep", (NETUID,), "u64", 0)
PENDING_EPOCH_AT = StorageItem(SM, "PendingEpochAt", (NETUID,), "u64", 0)
SUBNET_EPOCH_INDEX = StorageItem(SM, "SubnetEpochIndex", (NETUID,), "u64", 0)

# -- regqueue: subnet registration queue and escrow (ECONOMICS-2026 §6.3) ----------------------
# [NetworkRegistrationInfo as a dict: coldkey, hotkey (hex), mechid, identity, lock_amount,
#  median_subnet_alpha_price (U64F64 bits), registration_block, lock_id], oldest first
NETWORK_REGISTRATION_QUEUE = StorageItem(SM, "NetworkRegistrationQueue", (), "json", [])
NETWORK_REGISTRATION_LOCK_ID = StorageItem(SM, "NetworkRegistrationLockId", (), "u32", 0)
# lock id -> the rao held in that registration's escrow sub-account ("rges" + lock id)
NETWORK_REGISTRATION_ESCROW = StorageItem(SM, "NetworkRegistrationEscrow", ("u32",), "u64", 0)
NETWORK_REGISTRATION_START_BLOCK = StorageItem(SM, "NetworkRegistrationStartBlock", (), "u64", 0)
DISSOLVE_CLEANUP_QUEUE = StorageItem(SM, "DissolveCleanupQueue", (), "json", [])  # [netuid]

# -- regqueue: neuron registration collateral (§5.6, §6.1.2) ------------------------------------
COLLATERAL_LOCK_SHARE = StorageItem(SM, "CollateralLockShare", (NETUID,), "u16", 0)
# (netuid, hotkey, coldkey) -> alpha rao locked as miner collateral
MINER_COLLATERAL = StorageItem(SM, "MinerCollateral", (NETUID, ACCOUNT_ID, ACCOUNT_ID), "u64", 0)

# -- regqueue: epoch consensus modes (§7.0, §7.7) ------------------------------------------------
SUBNET_EPOCH_CONSENSUS = StorageItem(SM, "SubnetEpochConsensus", (NETUID,), "u16", 0)  # 0 Yuma
LIQUID_ALPHA_CONSENSUS_MODE = StorageItem(SM, "LiquidAlphaConsensusMode", (NETUID,), "u16", 2)
LAST_YUMA_STEP_BLOCK = StorageItem(SM, "LastYumaStepBlock", (NETUID,), "u64", 0)
SAVED_YUMA_MAX_ALLOWED_VALIDATORS = StorageItem(SM, "SavedYumaMaxAllowedValidators", (NETUID,),
                                                "u16", 0)
# -- end regqueue --------------------------------------------------------------------------------

# -- econ: Null pruning (§6.2, §7.0; `subnets/uids.rs`) ---------------------------------------
MIN_ALLOWED_UIDS = StorageItem(SM, "MinAllowedUids", (NETUID,), "u16", 64)  # runtime default
# the owner's final UID count while a batched Null trim is under way (absent: none)
NULL_PRUNING_TARGET = StorageItem(SM, "NullPruningTarget", (NETUID,), "u16", None)
# -- econ: one-off migrations (§5.1, spec 473's dust sweep; `chain.local.dust_migration`) -------
HAS_MIGRATION_RUN = StorageItem(SM, "HasMigrationRun", ("json",), "bool", False)  # name -> done
# the dust sweep's counters {scanned, deleted, refunded, burned, pending_burn, kept_collateral}
ALPHA_V2_MIGRATION = StorageItem(SM, "AlphaV2Migration", (), "json", None)
# -- econ: commit-reveal of weights, hash form (§7.0 on Null subnets; `chain.local.commit_reveal`)
# finney's default is true; the bundled chain's subnets set weights directly until switched
COMMIT_REVEAL_WEIGHTS_ENABLED = StorageItem(SM, "CommitRevealWeightsEnabled", (NETUID,), "bool",
                                            False)
REVEAL_PERIOD_EPOCHS = StorageItem(SM, "RevealPeriodEpochs", (NETUID,), "u64", 1)
# (netuid, hotkey) -> [["0x" hash, commit_epoch, commit_block, 0], ...], oldest first
WEIGHT_COMMITS = StorageItem(SM, "WeightCommits", (NETUID, ACCOUNT_ID), "json", None)
# -- end econ

# -- calls --------------------------------------------------------------------------------------
CALLS = (
    call(SM, "register_network", hotkey=ACCOUNT_ID),
    call(SM, "register_network_with_identity", hotkey=ACCOUNT_ID,
         identity="Option<SubnetIdentityOfV3>"),
    call(SM, "start_call", netuid=NETUID),
    call(SM, "update_symbol", netuid=NETUID, symbol="Vec<u8>"),
    call(SM, "burned_register", netuid=NETUID, hotkey=ACCOUNT_ID),
    call(SM, "register_limit", netuid=NETUID, hotkey=ACCOUNT_ID, limit_price="u64"),
    call(SM, "root_register", hotkey=ACCOUNT_ID),
    call(SM, "add_stake", hotkey=ACCOUNT_ID, netuid=NETUID, amount_staked="u64"),
    call(SM, "add_stake_limit", hotkey=ACCOUNT_ID, netuid=NETUID, amount_staked="u64",
         limit_price="u64", allow_partial="bool"),
    call(SM, "remove_stake", hotkey=ACCOUNT_ID, netuid=NETUID, amount_unstaked="u64"),
    call(SM, "remove_stake_limit", hotkey=ACCOUNT_ID, netuid=NETUID, amount_unstaked="u64",
         limit_price="u64", allow_partial="bool"),
    call(SM, "remove_stake_full_limit", hotkey=ACCOUNT_ID, netuid=NETUID,
         limit_price="Option<u64>"),
    call(SM, "unstake_all", hotkey=ACCOUNT_ID),
    call(SM, "unstake_all_alpha", hotkey=ACCOUNT_ID),
    call(SM, "move_stake", origin_hotkey=ACCOUNT_ID, destination_hotkey=ACCOUNT_ID,
         origin_netuid=NETUID, destination_netuid=NETUID, alpha_amount="u64"),
    call(SM, "transfer_stake", destination_coldkey=ACCOUNT_ID, hotkey=ACCOUNT_ID,
         origin_netuid=NETUID, destination_netuid=NETUID, alpha_amount="u64"),
    call(SM, "swap_stake", hotkey=ACCOUNT_ID, origin_netuid=NETUID, destination_netuid=NETUID,
         alpha_amount="u64"),
    call(SM, "swap_stake_limit", hotkey=ACCOUNT_ID, origin_netuid=NETUID,
         destination_netuid=NETUID, alpha_amount="u64", limit_price="u64", allow_partial="bool"),
    # -- issue 13 (safety): move_stake_limit, call_index 149 at spec 461 --
    call(SM, "move_stake_limit", origin_hotkey=ACCOUNT_ID, destination_hotkey=ACCOUNT_ID,
         origin_netuid=NETUID, destination_netuid=NETUID, alpha_amount="u64", limit_price="u64",
         allow_partial="bool"),
    # -- end issue 13 --
    call(SM, "try_associate_hotkey", hotkey=ACCOUNT_ID),
    call(SM, "decrease_take", hotkey=ACCOUNT_ID, take="u16"),
    call(SM, "increase_take", hotkey=ACCOUNT_ID, take="u16"),
    # regqueue
    call(SM, "transfer_stake_and_hotkey", destination_coldkey=ACCOUNT_ID,
         origin_hotkey=ACCOUNT_ID, destination_hotkey=ACCOUNT_ID, origin_netuid=NETUID,
         destination_netuid=NETUID, alpha_amount="u64"),
    call(SM, "set_weights", netuid=NETUID, dests="Vec<u16>", weights="Vec<u16>",
         version_key="u64"),
    # econ: commit-reveal (hash form; `chain.local.commit_reveal`)
    call(SM, "commit_weights", netuid=NETUID, commit_hash="H256"),
    call(SM, "reveal_weights", netuid=NETUID, uids="Vec<u16>", values="Vec<u16>",
         salt="Vec<u16>", version_key="u64"),
)

# -- clients (issue 14): the call bittensor 11.3's SetWeights sends when commit-reveal is off ---
CALLS += (
    call(SM, "set_mechanism_weights", netuid=NETUID, mecid="u8", dests="Vec<u16>",
         weights="Vec<u16>", version_key="u64"),
)
# -- end clients --

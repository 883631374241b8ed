"""Storage items of the epoch: weights, the epoch's stored outputs, the coinbase's accumulators and
the epoch scheduler. Names, keys and defaults are subtensor's (`pallets/subtensor/src/lib.rs`).

Per-UID outputs (`Incentive`, `Dividends`, `Consensus`, `ValidatorTrust`, `Active`,
`ValidatorPermit`) are JSON lists indexed by UID, as subtensor's `Vec`s (u16 proportions of
65535, or bools). `Weights[netuid, uid]` and `Bonds[netuid, uid]` are sparse rows
`[[uid, u16], ...]`, as subtensor's `Vec<(u16, u16)>`.

`Taoctl.*` items are taoctl's own ledgers for reports (`chain advance`, `stake list`) and for
`chain check`; they are not served as subtensor storage.
"""

from __future__ import annotations

from chain.local.storage import ACCOUNT_ID, declare

SM = "SubtensorModule"
NETUID = "u16"

# -- weights ------------------------------------------------------------------------------------
WEIGHTS = declare(SM, "Weights", (NETUID, "u16"), "json", [])
WEIGHTS_SET_RATE_LIMIT = declare(SM, "WeightsSetRateLimit", (NETUID,), "u64", 100)
WEIGHTS_VERSION_KEY = declare(SM, "WeightsVersionKey", (NETUID,), "u64", 0)
MAX_WEIGHTS_LIMIT = declare(SM, "MaxWeightsLimit", (NETUID,), "u16", 65_535)
STAKE_THRESHOLD = declare(SM, "StakeThreshold", (), "u64", 0)

# -- epoch hyperparameters ------------------------------------------------------------------------
KAPPA = declare(SM, "Kappa", (NETUID,), "u16", 32_767)
BONDS_PENALTY = declare(SM, "BondsPenalty", (NETUID,), "u16", 65_535)
BONDS_MOVING_AVERAGE = declare(SM, "BondsMovingAverage", (NETUID,), "u64", 900_000)
LIQUID_ALPHA_ON = declare(SM, "LiquidAlphaOn", (NETUID,), "bool", False)
ALPHA_VALUES = declare(SM, "AlphaValues", (NETUID,), "json", [45_875, 58_982])
ALPHA_SIGMOID_STEEPNESS = declare(SM, "AlphaSigmoidSteepness", (NETUID,), "i64", 1000)
ACTIVITY_CUTOFF_FACTOR_MILLI = declare(SM, "ActivityCutoffFactorMilli", (NETUID,), "u64", 13_889)
MAX_EPOCHS_PER_BLOCK = declare(SM, "MaxEpochsPerBlock", (), "u16", 2)

# -- epoch outputs -----------------------------------------------------------------------------
BONDS = declare(SM, "Bonds", (NETUID, "u16"), "json", [])
INCENTIVE = declare(SM, "Incentive", (NETUID,), "json", [])
DIVIDENDS = declare(SM, "Dividends", (NETUID,), "json", [])
CONSENSUS = declare(SM, "Consensus", (NETUID,), "json", [])
VALIDATOR_TRUST = declare(SM, "ValidatorTrust", (NETUID,), "json", [])
ACTIVE = declare(SM, "Active", (NETUID,), "json", [])
VALIDATOR_PERMIT = declare(SM, "ValidatorPermit", (NETUID,), "json", [])
MINER_BURNED = declare(SM, "MinerBurned", (NETUID,), "u128", 0)  # U96F32 bits
ALPHA_DIVIDENDS_PER_SUBNET = declare(SM, "AlphaDividendsPerSubnet", (NETUID, ACCOUNT_ID), "u64", 0)
ROOT_ALPHA_DIVIDENDS_PER_SUBNET = declare(SM, "RootAlphaDividendsPerSubnet",
                                          (NETUID, ACCOUNT_ID), "u64", 0)
ROOT_CLAIMABLE = declare(SM, "RootClaimable", (ACCOUNT_ID, NETUID), "u128", 0)  # I96F32 bits

# -- coinbase accumulators and per-block records -------------------------------------------------
PENDING_SERVER = declare(SM, "PendingServerEmission", (NETUID,), "u64", 0)
PENDING_VALIDATOR = declare(SM, "PendingValidatorEmission", (NETUID,), "u64", 0)
PENDING_ROOT = declare(SM, "PendingRootAlphaDivs", (NETUID,), "u64", 0)
PENDING_OWNER_CUT = declare(SM, "PendingOwnerCut", (NETUID,), "u64", 0)
SUBNET_PROTOCOL_ALPHA = declare(SM, "SubnetProtocolAlpha", (NETUID,), "u64", 0)
SUBNET_ALPHA_IN_EMISSION = declare(SM, "SubnetAlphaInEmission", (NETUID,), "u64", 0)
SUBNET_ALPHA_OUT_EMISSION = declare(SM, "SubnetAlphaOutEmission", (NETUID,), "u64", 0)
SUBNET_TAO_IN_EMISSION = declare(SM, "SubnetTaoInEmission", (NETUID,), "u64", 0)
SUBNET_EXCESS_TAO = declare(SM, "SubnetExcessTao", (NETUID,), "u64", 0)

# -- epoch scheduler ------------------------------------------------------------------------------
LAST_EPOCH_BLOCK = declare(SM, "LastEpochBlock", (NETUID,), "u64", None)  # None: not seeded
BLOCKS_SINCE_LAST_STEP = declare(SM, "BlocksSinceLastStep", (NETUID,), "u64", 0)
PENDING_EPOCH_AT = declare(SM, "PendingEpochAt", (NETUID,), "u64", 0)
SUBNET_EPOCH_INDEX = declare(SM, "SubnetEpochIndex", (NETUID,), "u64", 0)

# -- taoctl's ledgers ------------------------------------------------------------------------------
# unspent coinbase credit (floor dust, rejected injections): counted in Minted and in Recycled
COINBASE_RECYCLED = declare("Taoctl", "CoinbaseRecycled", (), "u128", 0)
EPOCHS_RUN = declare("Taoctl", "EpochsRun", (), "u64", 0)
# alpha drained from the pending accumulators by epochs (owner cut included), per subnet,
# and what the epochs actually paid into stake (the difference is floor dust and burns)
EPOCH_DRAINED = declare("Taoctl", "EpochDrained", (NETUID,), "u128", 0)
EPOCH_PAID = declare("Taoctl", "EpochPaid", (NETUID,), "u128", 0)
# alpha earned by each (hotkey, coldkey, netuid) stake through epochs, for "earnings since
# staking" (reset when the stake is emptied is left to the reader: it compares with the stake)
EARNED = declare("Taoctl", "Earned", (ACCOUNT_ID, ACCOUNT_ID, NETUID), "u64", 0)

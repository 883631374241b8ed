"""The registry is whole in every process: every storage item and every call, declared per pallet
in `chain.pallets`, whatever was imported first (it used to depend on import side effects:
76 items without `Weights` and `Bonds` until `epoch_items` was imported, and `set_weights` only
once `hooks` had imported `weights`). Each check runs in a fresh interpreter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from chain.pallets import registry
from chain.pallets.calls import call
from chain.pallets.storage import StorageItem

ROOT = Path(__file__).resolve().parents[3]

STORAGE = {
    "Balances": """
        TotalIssuance
    """.split(),
    "SubtensorModule": """
        Active ActivityCutoffFactorMilli AlphaDividendsPerSubnet AlphaSigmoidSteepness AlphaV2
        AlphaValues BlockAtRegistration BlockEmission BlocksSinceLastStep Bonds
        BondsMovingAverage BondsPenalty Burn BurnHalfLife BurnIncreaseMult Consensus Delegates
        Dividends Emission FirstEmissionBlockNumber ImmuneOwnerUidsLimit ImmunityPeriod
        Incentive IsNetworkMember Kappa Keys LastEpochBlock LastUpdate LiquidAlphaOn
        MaxAllowedUids MaxAllowedValidators MaxBurn MaxDelegateTake MaxEpochsPerBlock
        MaxRegistrationsPerBlock MaxWeightsLimit MinAllowedWeights MinBurn MinDelegateTake
        MinNonImmuneUids MinerBurned NetworkImmunityPeriod NetworkLastLockCost
        NetworkLastRegistered NetworkLockReductionInterval NetworkMinLockCost
        NetworkRegisteredAt NetworkRegistrationAllowed NetworksAdded OwnedHotkeys Owner
        PendingEpochAt PendingOwnerCut PendingRootAlphaDivs PendingServerEmission
        PendingValidatorEmission RAORecycledForRegistration RegistrationsThisBlock
        RootAlphaDividendsPerSubnet RootClaimable StakeThreshold StakingHotkeys StartCallDelay
        SubnetAlphaIn SubnetAlphaInEmission SubnetAlphaOut SubnetAlphaOutEmission
        SubnetEmissionEnabled SubnetEpochIndex SubnetExcessTao SubnetIdentitiesV3 SubnetLimit
        SubnetLocked SubnetMechanism SubnetMovingPrice SubnetOwner SubnetOwnerCut
        SubnetOwnerHotkey SubnetProtocolAlpha SubnetTAO SubnetTaoFlow SubnetTaoInEmission
        SubnetVolume SubnetworkN SubtokenEnabled TaoWeight Tempo TokenSymbol TotalHotkeyAlpha
        TotalHotkeySharesV2 TotalIssuance TotalNetworks TotalStake TransferToggle Uids
        ValidatorPermit ValidatorTrust Weights WeightsSetRateLimit WeightsVersionKey Yuma3On
    """.split() + """
        EmissionBarQuantile EmissionBarRank EmissionGateBar EmissionGateExponent
    """.split(),  # the emission gate (issue 16)
    "MevShield": """
        AuthorKeys CurrentKey NextKey NextKeyExpiresAt PendingKey PendingKeyExpiresAt
    """.split(),  # mevclients
    "Sudo": """
        Key
    """.split(),
    "Swap": """
        FeeRate SwapBalancer
        BalancerAlphaReservoir BalancerTaoReservoir
    """.split(),
    "System": """
        Account Number
    """.split(),
    "Taoctl": """
        CoinbaseRecycled Earned EpochDrained EpochPaid EpochsRun GenesisIssuance HalvingBlock
        Minted PriceAt Recycled FeeSchedule FeesRecycled
    """.split(),
    "Timestamp": """
        Now
    """.split(),
}
# -- regqueue: registration queue/escrow, collateral, epoch modes ---------------------------------
STORAGE["SubtensorModule"] += """
    NetworkRegistrationQueue NetworkRegistrationLockId NetworkRegistrationEscrow
    NetworkRegistrationStartBlock DissolveCleanupQueue CollateralLockShare MinerCollateral
    SubnetEpochConsensus LiquidAlphaConsensusMode LastYumaStepBlock SavedYumaMaxAllowedValidators
""".split()
# -- end regqueue
STORAGE["Proxy"] = ["Proxies"]  # proxyhatch
STORAGE["SubtensorModule"] += ["MinAllowedUids", "NullPruningTarget", "HasMigrationRun",
                               "AlphaV2Migration", "CommitRevealWeightsEnabled",
                               "RevealPeriodEpochs", "WeightCommits"]  # econ

# "Pallet.call": "its arguments, in order"
CALLS = {
    "AdminUtils.sudo_set_collateral_lock_share": "netuid share",  # regqueue
    "AdminUtils.sudo_set_epoch_consensus": "netuid mode",  # regqueue
    "AdminUtils.sudo_set_liquid_alpha_consensus_mode": "netuid mode",  # regqueue
    "AdminUtils.sudo_trim_null_uids_batch": "netuid target",  # econ
    "AdminUtils.sudo_trim_to_max_allowed_uids": "netuid max_n",  # econ
    "AdminUtils.sudo_set_emission_bar_quantile": "quantile",  # econ
    "AdminUtils.sudo_set_emission_gate_exponent": "exponent",  # econ
    "AdminUtils.sudo_set_emission_bar_rank": "rank",  # econ
    "AdminUtils.sudo_set_min_allowed_uids": "netuid min_allowed_uids",  # econ
    "AdminUtils.sudo_set_commit_reveal_weights_enabled": "netuid enabled",  # econ
    "AdminUtils.sudo_set_commit_reveal_weights_interval": "netuid interval",  # econ
    "SubtensorModule.commit_weights": "netuid commit_hash",  # econ
    "SubtensorModule.reveal_weights": "netuid uids values salt version_key",  # econ
    "AdminUtils.sudo_set_immunity_period": "netuid immunity_period",
    "AdminUtils.sudo_set_lock_reduction_interval": "interval",
    "AdminUtils.sudo_set_max_allowed_uids": "netuid max_allowed_uids",
    "AdminUtils.sudo_set_max_burn": "netuid max_burn",
    "AdminUtils.sudo_set_max_registrations_per_block": "netuid max_registrations_per_block",
    "AdminUtils.sudo_set_min_burn": "netuid min_burn",
    "AdminUtils.sudo_set_network_immunity_period": "immunity_period",
    "AdminUtils.sudo_set_network_min_lock_cost": "lock_cost",
    "AdminUtils.sudo_set_network_registration_allowed": "netuid registration_allowed",
    "AdminUtils.sudo_set_owner_immune_neuron_limit": "netuid immune_neurons",
    "AdminUtils.sudo_set_start_call_delay": "delay",
    "AdminUtils.sudo_set_subnet_emission_enabled": "netuid enabled",
    "AdminUtils.sudo_set_subnet_limit": "max_subnets",
    "AdminUtils.sudo_set_subtoken_enabled": "netuid subtoken_enabled",
    "AdminUtils.sudo_set_tempo": "netuid tempo",
    "AdminUtils.sudo_set_toggle_transfer": "netuid toggle",
    "Balances.transfer_all": "dest keep_alive",
    "Balances.transfer_allow_death": "dest value",
    "Balances.transfer_keep_alive": "dest value",
    "MevShield.announce_next_key": "enc_key",  # mevclients
    "MevShield.submit_encrypted": "ciphertext",  # mevclients
    "SubtensorModule.add_stake": "hotkey netuid amount_staked",
    "SubtensorModule.add_stake_limit": "hotkey netuid amount_staked limit_price allow_partial",
    "SubtensorModule.burned_register": "netuid hotkey",
    "SubtensorModule.decrease_take": "hotkey take",
    "SubtensorModule.increase_take": "hotkey take",
    "SubtensorModule.move_stake":
        "origin_hotkey destination_hotkey origin_netuid destination_netuid alpha_amount",
    "SubtensorModule.move_stake_limit": "origin_hotkey destination_hotkey origin_netuid "
    "destination_netuid alpha_amount limit_price allow_partial",
    "SubtensorModule.register_limit": "netuid hotkey limit_price",
    "SubtensorModule.register_network": "hotkey",
    "SubtensorModule.register_network_with_identity": "hotkey identity",
    "SubtensorModule.remove_stake": "hotkey netuid amount_unstaked",
    "SubtensorModule.remove_stake_full_limit": "hotkey netuid limit_price",
    "SubtensorModule.remove_stake_limit": "hotkey netuid amount_unstaked limit_price allow_partial",
    "SubtensorModule.root_register": "hotkey",
    "SubtensorModule.set_weights": "netuid dests weights version_key",
    "SubtensorModule.set_mechanism_weights": "netuid mecid dests weights version_key",  # clients
    "SubtensorModule.start_call": "netuid",
    "SubtensorModule.swap_stake": "hotkey origin_netuid destination_netuid alpha_amount",
    "SubtensorModule.swap_stake_limit":
        "hotkey origin_netuid destination_netuid alpha_amount limit_price allow_partial",
    "SubtensorModule.transfer_stake":
        "destination_coldkey hotkey origin_netuid destination_netuid alpha_amount",
    "SubtensorModule.transfer_stake_and_hotkey":  # regqueue
        "destination_coldkey origin_hotkey destination_hotkey origin_netuid destination_netuid "
        "alpha_amount",
    "SubtensorModule.try_associate_hotkey": "hotkey",
    "SubtensorModule.unstake_all": "hotkey",
    "SubtensorModule.unstake_all_alpha": "hotkey",
    "SubtensorModule.update_symbol": "netuid symbol",
    "Proxy.add_proxy": "delegate proxy_type delay",  # proxyhatch
    "Proxy.proxy": "real force_proxy_type call",  # proxyhatch
    "Proxy.remove_proxy": "delegate proxy_type delay",  # proxyhatch
}

# what the fresh process reports: the declared registry, and the bundled chain's bound calls
_REPORT = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
from chain.pallets.registry import CALLS, REGISTRY
from chain.local.calls import bound
print(json.dumps({
    "storage": sorted(REGISTRY),
    "calls": {k: " ".join(v.params) for k, v in CALLS.items()},
    "bound": {k: " ".join(v.params) for k, v in bound().items()},
}))
"""


def _fresh(*first: str) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _REPORT, *first], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True, timeout=120)
    return json.loads(out.stdout)


def _expected_storage() -> list[str]:
    return sorted(f"{pallet}.{name}" for pallet, names in STORAGE.items() for name in names)


@pytest.mark.parametrize("first", [
    (),
    ("chain.pallets.subtensor_module",),
    ("chain.local.staking",),
    ("chain.local.hooks",),
    ("chain.local.epoch", "chain.local.weights"),
    ("chain.node.view",),
    ("chain.remote.backend",),
], ids=lambda first: "+".join(first) or "nothing")
def test_the_whole_registry_whatever_was_imported_first(first):
    report = _fresh(*first)
    assert report["storage"] == _expected_storage()
    assert report["calls"] == CALLS
    assert report["bound"] == CALLS  # the bundled chain runs every declared call


def test_the_registry_in_this_process_is_the_same():
    assert sorted(registry.REGISTRY) == _expected_storage()
    assert {k: " ".join(v.params) for k, v in registry.CALLS.items()} == CALLS
    assert "SubtensorModule.Weights" in registry.REGISTRY
    assert "SubtensorModule.Bonds" in registry.REGISTRY
    assert "SubtensorModule.set_weights" in registry.CALLS


def _pallet(name: str, **attrs) -> SimpleNamespace:
    """A stand-in pallet module."""
    return SimpleNamespace(__name__=f"test.{name}", PALLET=name, **{"CALLS": (), **attrs})


def test_an_item_declared_twice_is_refused():
    one = _pallet("System", ACCOUNT=StorageItem("System", "Account", (), "u64", 0))
    two = _pallet("System", OTHER=StorageItem("System", "Account", (), "u64", 1))
    with pytest.raises(ValueError, match="declared twice"):
        registry.collect_storage((one, two))


def test_an_item_of_another_pallet_is_refused():
    stray = _pallet("System", NOW=StorageItem("Timestamp", "Now", (), "u64", 0))
    with pytest.raises(ValueError, match="another pallet"):
        registry.collect_storage((stray,))


def test_a_call_declared_twice_or_in_another_pallet_is_refused():
    twice = _pallet("Balances", CALLS=(call("Balances", "transfer_all"),) * 2)
    with pytest.raises(ValueError, match="declared twice"):
        registry.collect_calls((twice,))
    stray = _pallet("Balances", CALLS=(call("Sudo", "sudo"),))
    with pytest.raises(ValueError, match="another pallet"):
        registry.collect_calls((stray,))


def test_burn_increase_mult_default_is_the_kernels():
    from chain.local import registration_price
    from chain.pallets import subtensor_module as sm

    assert sm.BURN_INCREASE_MULT.default == registration_price.BURN_INCREASE_MULT

"""Spec 473's one dust sweep of stake positions, `migrate_alpha_v2_and_unstake_dust_v1`
(ECONOMICS-2026 §5.1; read from `pallets/subtensor/src/migrations/migrate_alpha_v2.rs`,
RaoFoundation/subtensor). A chain file written by an older taoctl runs it once when it is
opened (`chain._v2_to_v3`); `HasMigrationRun["migrate_alpha_v2_and_unstake_dust_v1"]` marks it
done and `AlphaV2Migration` keeps its counters for audits.

Each position `(hotkey, coldkey, netuid)` is valued at its **executable** TAO value: the TAO a
fee-free sale of the whole position would pay now (`amm.sell(..., drop_fees=True)`; 1:1 on the
stable root subnet). A sale the pool cannot fill completely values the position at nothing and
leaves it alone. Then, in key order:

- value < `MIN_PAYOUT_TAO` (1,000 rao): the position is **deleted**. Its alpha goes back to the
  pool (`SubnetAlphaIn += alpha`, `SubnetAlphaOut -= alpha`, the hotkey pool's shared value and
  denominator lose it) and the TAO that sale would have paid leaves the pool (`SubnetTAO`,
  `TotalStake` and the subnet's TAO flow fall by it) and is **burned**: moved to the burn account
  (`accounts.BURN_ACCOUNT`). Issuance does not change: the TAO already existed, it only leaves
  staking. The burns gather in the root subnet account first and move to the burn account once
  they reach `max(ExistentialDeposit, 1,000)` or the burn account already holds something (no
  account may hold less than the deposit); until then they stay in the root account outside
  `SubnetTAO[0]` (`pending_burn`).
- 1,000 <= value <= `MAX_DUST_TAO` (3,000,000 rao), **legacy rows only**: the position is
  unstaked for its coldkey (a fee-free sale, paid out). On finney this applied to rows still in
  the retired U64F64 `Alpha` map. The bundled chain has only ever stored `AlphaV2`, so every row
  is a V2 row and nothing is paid out: `OLDER_ROWS_ARE_LEGACY` keeps that choice in one place.
- positions holding locked miner collateral (`available_to_unstake` < the position) are kept.

Rounding: the values are the AMM's (floors, as every sale); every amount is an integer of rao.
"""

from __future__ import annotations

import amm
from chain.local import stake_utils as su
from chain.local.accounts import BURN_ACCOUNT, subnet_account
from chain.local.balances import EXISTENTIAL_DEPOSIT, free_balance
from chain.local.state import State
from chain.local.subtensor_errors import SubtensorError
from chain.pallets import subtensor_module as sm

MIGRATION_NAME = "migrate_alpha_v2_and_unstake_dust_v1"
MIN_PAYOUT_TAO = 1_000
"""Positions worth less than this (rao) are deleted without a payout."""
MAX_DUST_TAO = 3_000_000
"""Legacy positions worth up to this (inclusive) are unstaked to the coldkey."""
OLDER_ROWS_ARE_LEGACY = False
"""Whether an older bundled chain's rows count as legacy `Alpha` rows (paid out when worth
1,000..3,000,000 rao). They are `AlphaV2` rows, so no (see the module docstring)."""
ROOT = 0


def executable_tao_value(state: State, netuid: int, alpha: int) -> int | None:
    """The TAO a fee-free sale of `alpha` pays now, or None when the pool cannot sell all of it
    (`executable_tao_value`): 1:1 on a stable subnet."""
    if su.is_stable(state, netuid):
        return alpha
    try:
        sale = amm.sell(su.read_pool(state, netuid), alpha, drop_fees=True)
    except amm.AmmError:
        return None
    return sale.amount_out if sale.amount_in == alpha else None


def _delete_position(state: State, hotkey: bytes, coldkey: bytes, netuid: int, alpha: int,
                     tao: int) -> None:
    """`collect_burn` + `delete_dust`: the alpha back into the pool, its TAO out of the pool
    into the root account (the collector), the share and its part of the denominator gone."""
    if tao:
        su.move_tao(state, subnet_account(netuid), subnet_account(ROOT), tao)
        state.set(sm.SUBNET_TAO, netuid, state.get(sm.SUBNET_TAO, netuid) - tao)
        state.set(sm.SUBNET_TAO_FLOW, netuid, state.get(sm.SUBNET_TAO_FLOW, netuid) - tao)
        state.set(sm.TOTAL_STAKE, max(state.get(sm.TOTAL_STAKE) - tao, 0))
    pool, share = su.hotkey_pool(state, hotkey, netuid), su.share_of(state, hotkey, coldkey, netuid)
    if alpha:
        state.set(sm.SUBNET_ALPHA_OUT, netuid, max(state.get(sm.SUBNET_ALPHA_OUT, netuid) - alpha, 0))
        state.set(sm.SUBNET_ALPHA_IN, netuid, state.get(sm.SUBNET_ALPHA_IN, netuid) + alpha)
    denominator = pool.denominator.sub(share) or pool.denominator.zero()
    su.store_stake(state, hotkey, coldkey, netuid, max(pool.shared - alpha, 0),
                   (denominator.mantissa, denominator.exponent), (0, 0))


def _flush_burn(state: State, progress: dict) -> None:
    """`flush_burn`: move the gathered burns to the burn account once no account would be left
    below the existential deposit."""
    amount = progress["pending_burn"]
    if amount == 0:
        return
    if free_balance(state, BURN_ACCOUNT) == 0 and amount < max(EXISTENTIAL_DEPOSIT,
                                                                MIN_PAYOUT_TAO):
        return
    su.move_tao(state, subnet_account(ROOT), BURN_ACCOUNT, amount)
    progress["burned"] += amount
    progress["pending_burn"] = 0


def migrate_alpha_v2_and_unstake_dust(state: State,
                                      legacy: bool = OLDER_ROWS_ARE_LEGACY) -> dict:
    """Run the sweep once (see the module docstring); returns (and stores) its counters."""
    if state.get(sm.HAS_MIGRATION_RUN, MIGRATION_NAME):
        return dict(state.get(sm.ALPHA_V2_MIGRATION) or {})
    progress = {"scanned": 0, "deleted": 0, "refunded": 0, "burned": 0, "pending_burn": 0,
                "kept_collateral": 0, "deferred": 0}
    from chain.local.registration import available_to_unstake

    rows = [key for key, _ in state.iter(sm.ALPHA)]
    for hotkey, coldkey, netuid in rows:
        progress["scanned"] += 1
        alpha = su.stake_of(state, hotkey, coldkey, netuid)
        value = executable_tao_value(state, netuid, alpha)
        if value is None:
            continue
        dust = value < MIN_PAYOUT_TAO
        payout = legacy and MIN_PAYOUT_TAO <= value <= MAX_DUST_TAO
        if not (dust or payout):
            continue
        if available_to_unstake(state, hotkey, coldkey, netuid) < alpha:
            progress["kept_collateral"] += 1
            continue
        if dust:
            _delete_position(state, hotkey, coldkey, netuid, alpha, value)
            progress["pending_burn"] += value
            progress["deleted"] += 1
        else:  # a legacy row worth 1,000..3,000,000 rao: sold fee-free for its coldkey
            state.begin()
            try:
                sale = su.simulate_sell(su.read_pool(state, netuid), alpha, drop_fees=True)
                su.unstake_from_subnet(state, hotkey, coldkey, netuid, sale)
            except SubtensorError:  # e.g. it would leave the coldkey below the deposit
                state.rollback()
                progress["deferred"] += 1
                continue
            state.commit()
            progress["refunded"] += sale.amount_out
    _flush_burn(state, progress)
    state.set(sm.ALPHA_V2_MIGRATION, progress)
    state.set(sm.HAS_MIGRATION_RUN, MIGRATION_NAME, True)
    return progress

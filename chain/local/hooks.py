"""Start-of-block work (`on_initialize`): the hooks that run when a block opens.

Each hook is an object with:

- `on_initialize(env)`: the work for the block `env.block_number`, run before its extrinsics;
- `next_block_needing_work(state, first)`: the first block >= `first` that must run block by
  block, or None if every block from `first` on can be skipped in closed form;
- `skip(state, first, last, coarse=False)`: the combined effect of blocks first..last, in
  closed form (`coarse`: an approximate fast-forward is acceptable where no closed form exists).

The runtime skips a run of empty blocks only up to the smallest `next_block_needing_work` of all
hooks, so a later hook (coinbase, epochs every tempo) can demand block-by-block work from a given
block on. Hooks run in list order; part 2/3 append registration-price decay, the coinbase and
epochs to `BLOCK_HOOKS`.

Part 3's `chain.local.coinbase.Coinbase` is the emission hook: the block's TAO and alpha go
into the subnet pools and pending accumulators, epochs run on their schedule (`chain.local.epoch`)
and pay out. Part 1's `EmissionStandIn` (all emission credited to the root subnet account) is
kept below for reference and tests; the coinbase does the same only while no subnet emits.
"""

from __future__ import annotations

from chain.local.accounts import ROOT_NETUID, subnet_account
from chain.local.balances import deposit_minted
from chain.local.calls import Env
from chain.local.emission import (
    block_emission_for_issuance,
    emit_blocks,
    halving_index,
    halvings_in_run,
    mint_amount,
)
from chain.local.state import State
from chain.pallets import balances, taoctl
from chain.pallets import subtensor_module as sm


class EmissionStandIn:
    """Mint the block emission and credit it to the root subnet account (stand-in for part 3)."""

    name = "emission_stand_in"

    def on_initialize(self, env: Env) -> None:
        issuance = env.state.get(balances.TOTAL_ISSUANCE)
        minted = mint_amount(issuance)
        emission = block_emission_for_issuance(issuance)
        if emission < env.state.get(sm.BLOCK_EMISSION):
            env.state.set(taoctl.HALVING_BLOCK, halving_index(issuance), env.block_number)
            env.emit("SubtensorModule", "Halving", k=halving_index(issuance), emission=emission)
        env.state.set(sm.BLOCK_EMISSION, emission)
        if minted:
            deposit_minted(env.state, subnet_account(ROOT_NETUID), minted)
            env.emit("SubtensorModule", "EmissionStandIn", netuid=ROOT_NETUID, amount=minted)

    def next_block_needing_work(self, state: State, first: int) -> int | None:
        return None  # emission is constant between thresholds: always skippable

    def skip(self, state: State, first: int, last: int, coarse: bool = False) -> None:
        issuance = state.get(balances.TOTAL_ISSUANCE)
        minted = emit_blocks(issuance, last - first + 1)
        for k, block in halvings_in_run(issuance, first, last - first + 1):
            state.set(taoctl.HALVING_BLOCK, k, block)
        if minted:
            deposit_minted(state, subnet_account(ROOT_NETUID), minted)
        # BlockEmission is what the last of these blocks minted at (its issuance before minting)
        before_last = issuance + emit_blocks(issuance, last - first)
        state.set(sm.BLOCK_EMISSION, block_emission_for_issuance(before_last))


def _hooks() -> list:
    from chain.local.coinbase import Coinbase
    from chain.local.registration_hook import RegistrationPriceDecay

    return [RegistrationPriceDecay(), Coinbase()]


BLOCK_HOOKS: list = _hooks()  # registration prices first, then the coinbase (block_step's order)

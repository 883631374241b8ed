"""The start-of-block hook for registration prices (`update_registration_prices_for_networks`).

Every block after block 1, each subnet's `Burn` decays by its `BurnHalfLife` factor and is
clamped to [MinBurn, MaxBurn] (the `registration_price` kernel), and `RegistrationsThisBlock`
is reset. A run of empty blocks is skipped per subnet by applying the decay until the price
rests at its floor (a decay step never raises it, so that takes a few thousand steps at most).
"""

from __future__ import annotations

from chain.local import registration_price as rp
from chain.local.state import State
from chain.pallets import subtensor_module as sm


def _decay_all(state: State, first: int, last: int) -> None:
    """Apply the start-of-block price update of blocks first..last to every subnet."""
    for (netuid,), added in list(state.iter(sm.NETWORKS_ADDED)):
        if not added:
            continue
        if state.get(sm.REGISTRATIONS_THIS_BLOCK, netuid):
            state.set(sm.REGISTRATIONS_THIS_BLOCK, netuid, 0)
        if netuid == 0:
            continue
        original = state.get(sm.BURN, netuid)
        burn = rp.decay_burn_blocks(original, first, last, state.get(sm.BURN_HALF_LIFE, netuid),
                                    state.get(sm.MIN_BURN, netuid),
                                    state.get(sm.MAX_BURN, netuid))
        if burn != original:
            state.set(sm.BURN, netuid, burn)


class RegistrationPriceDecay:
    """Decay every subnet's registration price once per block."""

    name = "registration_price_decay"

    def on_initialize(self, env) -> None:
        _decay_all(env.state, env.block_number, env.block_number)

    def next_block_needing_work(self, state: State, first: int) -> int | None:
        return None  # a run's decay is computed directly in `skip`

    def skip(self, state: State, first: int, last: int, coarse: bool = False) -> None:
        _decay_all(state, first, last)

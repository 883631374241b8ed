"""Start-of-block work (`on_initialize`): subtensor's `block_step`, in its order.

`BLOCK_HOOKS` lists the hooks `runtime.open_block` runs when a block opens (ECONOMICS.md §3.1):

0. `on_idle` of the previous block (the bundled chain has no end-of-block point): dissolution
   cleanup and the subnet registration queue, `registration_queue.RegistrationQueueHook`;
1. `update_registration_prices_for_networks`: `registration_hook.RegistrationPriceDecay`;
2.-5. the block emission, `run_coinbase` and the price EMA: `coinbase.Coinbase` (its `Run.block`
   lists the steps).

Each hook is an object with:

- `on_initialize(env)`: the work for the block `env.block_number`, run before its extrinsics;
- `next_block_needing_work(state, first)`: the first block >= `first` that must run block by
  block, or None if every block from `first` on can be skipped in closed form;
- `skip(state, first, last, coarse=False)`: the combined effect of blocks first..last, in
  closed form (`coarse`: an approximate fast-forward is acceptable where no closed form exists).

The runtime skips a run of empty blocks only up to the smallest `next_block_needing_work` of all
hooks, so one hook can demand block-by-block work from a given block on.
"""

from __future__ import annotations


def _hooks() -> list:
    from chain.local.coinbase import Coinbase
    from chain.local.registration_hook import RegistrationPriceDecay
    from chain.local.registration_queue import RegistrationQueueHook

    return [RegistrationQueueHook(), RegistrationPriceDecay(), Coinbase()]


def __getattr__(name: str) -> list:
    """`BLOCK_HOOKS`, made on first use: a command that only reads the chain never opens a block,
    and importing the coinbase (numpy, the emission math) would cost it ~75 ms of start-up."""
    if name == "BLOCK_HOOKS":
        hooks = globals()["BLOCK_HOOKS"] = _hooks()
        return hooks
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

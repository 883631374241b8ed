"""The coinbase: each block's TAO and alpha emission into the subnet pools, the epochs that pay it
out, and the price EMA (`block_step.rs`, `coinbase/run_coinbase.rs`; ECONOMICS.md §2.2, §3, as
updated for specs 461-475 by ECONOMICS-2026.md §3).

`Run.block` is the specification: it reads top to bottom as subtensor's `block_step` from step 2
(step 1, registration prices, is its own hook: `hooks.BLOCK_HOOKS`), with `run_coinbase`'s steps
inside, one named method each:

- block_step 2, `get_block_emission`: what this block may mint, by total issuance (halvings
  come by issuance, `emission`).
- block_step 4, `run_coinbase`, in its steps:
  - 1-2, the subnets to emit to (`emits`: started, trading, open to registration). `Run` reads
    them once: no extrinsic runs inside a run of empty blocks.
  - 3, `get_subnet_block_emissions` (ECONOMICS-2026 §3.3): the block emission shared by EMA
    price, weighted by 1 - MinerBurned, passed through the emission gate (`emission_gate`: the
    bar theta recomputed every 360 blocks or when unset, each share times 1/(1+(theta/s)^3),
    renormalised), emission-disabled subnets then renormalised away (their alpha is still
    minted, step 4); with the root sell flag (`coinbase_math.block_tao_emissions`, held by a
    property test to its reference `emission_shares_and_bar`).
  - 4, `emit_to_subnets`, per subnet (`coinbase_subnet.emit_subnet`, on the subnet's hot
    state `coinbase_subnet.HotSubnet`): `get_subnet_terms` caps the alpha injected at
    `root_proportion * alpha_emission` (alpha issuance includes the reservoir);
    `inject_and_maybe_swap` (§3.4) buys alpha fee-less with the TAO that cannot be injected
    first (held as `SubnetProtocolAlpha`), then re-weights the post-buy pool for this block's
    injection plus the balancer reservoirs and adds what can be made price-active; the rest is
    parked in `BalancerTaoReservoir` / `BalancerAlphaReservoir` (minted, not recycled); then all
    of `alpha_out` is minted into `SubnetAlphaOut` and split into the owner cut, the miners' and
    validators' halves and root's part (`owner_cut_and_pending`), root's part recycled when the
    moving prices sum to at most 1. Only the TAO actually credited is minted; the rest of the
    block emission (floor dust, a failed chain buy) is recycled: counted in `Minted` and
    `Recycled` and in taoctl's `CoinbaseRecycled` ledger, so `chain check` can account for it.
  - 5-6, `drain_pending`: the epochs due (at most `MaxEpochsPerBlock` per block,
    `coinbase_math.schedule_epochs`); each drains its subnet's four accumulators, runs
    `epoch.run_epoch` on server + validator + root pending and pays out (`epoch.distribute`).
- block_step 5, `update_moving_prices`: `SubnetMovingPrice` of each emitting subnet moves
  toward min(spot, 1).

Not modelled: commit-reveal weights (block_step 3), `RootProp` (6, display only), pending
childkeys (7), root-claim auto claims (8).

When no subnet emits, a run of blocks is skipped in closed form: the block emission then goes
to the root subnet account (a taoctl convention: the chain would recycle it), so issuance and
halvings still follow the schedule on a sandbox with no running subnet, and epoch clocks jump to
their last due block without running epochs (nothing is pending).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from chain.local import coinbase_math as cm
from chain.local import emission_split as es
from chain.local.accounts import ROOT_NETUID, subnet_account
from chain.local.coinbase_subnet import HotSubnet, emit_subnet, emit_subnet_fast
from chain.local.balances import deposit_minted
from chain.local.emission import (
    block_emission_for_issuance,
    emit_blocks,
    halving_index,
    halvings_in_run,
    mint_amount,
)
from chain.local.errors import ChainError
from chain.local.network_lock import storage_order
from chain.local.state import State
from chain.pallets import balances, taoctl
from chain.pallets import subtensor_module as sm

MAX_SUBNET_BLOCKS = 50_000_000
"""The longest block-by-block run accepted in one advance, in emitting-subnet blocks (blocks
times emitting subnets): about four years of 32 subnets. Longer runs are refused rather than
left to run for hours."""


PROGRESS_EVERY = 64
"""Blocks between two progress reports of a block-by-block run."""

_progress: ContextVar[Callable[[int], None] | None] = ContextVar("coinbase_progress",
                                                                default=None)


@contextmanager
def reporting_progress(report: Callable[[int], None] | None) -> Iterator[None]:
    """Within this block, block-by-block coinbase runs call `report(n)` every
    `PROGRESS_EVERY` blocks (n blocks done since the last call), so a long advance inside one
    transaction can still move a progress bar. A KeyboardInterrupt raised by `report`
    abandons the run; the caller's transaction then rolls back."""
    token = _progress.set(report)
    try:
        yield
    finally:
        _progress.reset(token)


_shared_reads: ContextVar[dict | None] = ContextVar("coinbase_shared_reads", default=None)


@contextmanager
def sharing_epoch_reads() -> Iterator[dict]:
    """Within this block, the coinbase runs of one run of empty blocks (cut into history
    pieces, `runtime.HISTORY_STRIDE`) share what their epochs read (`epoch.NeuronCache` per
    subnet: keys, weights, bonds, payees), as the epochs of one run already do: only the
    coinbase changes state between two pieces, and it keeps each cache true (the bonds are
    written at each piece's end). Re-reading them cost most of a run's epochs. The caller
    clears the returned dict before anything else runs (an opened block's hooks)."""
    shared: dict = {}
    token = _shared_reads.set(shared)
    try:
        yield shared
    finally:
        _shared_reads.reset(token)


class AdvanceTooLong(ChainError):
    """A run of blocks too long to compute block by block with subnets emitting."""

    name = "AdvanceTooLong"
    exit_code = 2


def check_run_length(state: State, blocks: int) -> None:
    """Refuse `blocks` empty blocks when emitting subnets make them block-by-block work
    beyond `MAX_SUBNET_BLOCKS`."""
    emitting = sum(1 for n in all_subnets(state) if emits(state, n))
    if emitting and blocks * emitting > MAX_SUBNET_BLOCKS:
        raise AdvanceTooLong(
            f"{blocks:,} blocks with {emitting} emitting subnets run block by block (about "
            f"{blocks * emitting // 40_000 // 60:,} minutes); advance at most "
            f"{MAX_SUBNET_BLOCKS // emitting:,} blocks at a time, or pass --coarse (emission "
            "in batches, merged epochs: fast, not block-exact)")


# -- which subnets -------------------------------------------------------------------------------
def all_subnets(state: State) -> list[int]:
    """Every non-root netuid, ascending."""
    return sorted(n for (n,), added in state.iter(sm.NETWORKS_ADDED) if added and n != ROOT_NETUID)


def emits(state: State, netuid: int) -> bool:
    """`get_subnets_to_emit_to`: started (`FirstEmissionBlockNumber` set), trading and open to
    registration."""
    return (state.get(sm.FIRST_EMISSION_BLOCK, netuid) is not None
            and bool(state.get(sm.SUBTOKEN_ENABLED, netuid))
            and bool(state.get(sm.NETWORK_REGISTRATION_ALLOWED, netuid)))


# -- epoch clocks -------------------------------------------------------------------------------
def seeded_last_epoch(state: State, netuid: int, block: int) -> int:
    """`LastEpochBlock`, seeded on first use as a new subnet gets it (`registered - netuid mod
    tempo`, which staggers subnets), then moved forward by whole tempos to the latest block of
    that phase not after `block`, so a long-lived preset subnet does not start with a backlog."""
    stored = state.get(sm.LAST_EPOCH_BLOCK, netuid)
    if stored is not None:
        return stored
    tempo = state.get(sm.TEMPO, netuid)
    seed = cm.initial_last_epoch_block(netuid, tempo, state.get(sm.NETWORK_REGISTERED_AT, netuid))
    if tempo and block - seed >= tempo:
        seed += (block - seed) // tempo * tempo
    state.set(sm.LAST_EPOCH_BLOCK, netuid, seed)
    return seed


def _clock(state: State, netuid: int, block: int) -> cm.EpochClock:
    return cm.EpochClock(state.get(sm.TEMPO, netuid), seeded_last_epoch(state, netuid, block),
                         state.get(sm.PENDING_EPOCH_AT, netuid),
                         state.get(sm.BLOCKS_SINCE_LAST_STEP, netuid),
                         state.get(sm.SUBNET_EPOCH_INDEX, netuid))


def _store_clock(state: State, netuid: int, old: cm.EpochClock, new: cm.EpochClock) -> None:
    for item, a, b in ((sm.LAST_EPOCH_BLOCK, old.last_epoch_block, new.last_epoch_block),
                       (sm.PENDING_EPOCH_AT, old.pending_epoch_at, new.pending_epoch_at),
                       (sm.BLOCKS_SINCE_LAST_STEP, old.blocks_since_last_step,
                        new.blocks_since_last_step),
                       (sm.SUBNET_EPOCH_INDEX, old.epoch_index, new.epoch_index)):
        if a != b:
            state.set(item, netuid, b)


class Run:
    """Blocks first..last of the coinbase with the hot items of every emitting subnet in memory;
    written back before each epoch of a subnet and at the end (`finish`)."""

    def __init__(self, state: State, first: int) -> None:
        self.state = state
        self.subnets = sorted(all_subnets(state), key=storage_order)
        self.emitting = [HotSubnet(state, n) for n in sorted(self.subnets) if emits(state, n)]
        self.by_netuid = {sub.netuid: sub for sub in self.emitting}
        self.weighted_root = cm.weighted_root_tao(state.get(sm.SUBNET_TAO, ROOT_NETUID),
                                                  state.get(sm.TAO_WEIGHT))
        self.owner_cut = state.get(sm.SUBNET_OWNER_CUT)
        self.max_epochs = state.get(sm.MAX_EPOCHS_PER_BLOCK)
        # regqueue: Null subnets cap a block's epochs at 1 (`epoch_modes`, §7.0)
        self.null_subnets = frozenset(n for n in self.subnets
                                      if state.get(sm.SUBNET_EPOCH_CONSENSUS, n) == 1)
        self.stored_clocks = {n: _clock(state, n, first) for n in self.subnets}
        self.clocks = cm.EpochClocks(self.stored_clocks, first - 1)
        self.issuance = state.get(balances.TOTAL_ISSUANCE)
        self.block_emission = state.get(sm.BLOCK_EMISSION)
        self.gate = cm.GateParams(state.get(sm.EMISSION_GATE_BAR), state.get(sm.EMISSION_BAR_RANK),
                                  state.get(sm.EMISSION_BAR_QUANTILE),
                                  state.get(sm.EMISSION_GATE_EXPONENT))
        self.stored_bar = self.gate.bar
        self.root_credit = 0
        self.recycled = 0
        # netuid -> epoch.NeuronCache, valid while no extrinsic runs (shared by the pieces of
        # one run of empty blocks: `sharing_epoch_reads`)
        shared = _shared_reads.get()
        self.neurons: dict = {} if shared is None else shared

    def block(self, number: int) -> list[dict]:
        """Block `number`, step by step as subtensor runs it (the module docstring); returns
        the epochs that ran."""
        # block_step 2: the block emission
        block_emission = self.get_block_emission(number)
        if self.emitting:
            # run_coinbase 3: its share for each subnet to emit to (price EMA x (1 -
            # MinerBurned), the emission gate, emission-disabled subnets at 0), root sell flag
            tao_emissions, root_sell = self.get_subnet_block_emissions(block_emission, number)
            # run_coinbase 4: into the pools and the pending accumulators
            spent = self.emit_to_subnets(tao_emissions, root_sell)
        else:
            spent = 0
        self.settle_block_emission(block_emission, spent)
        # run_coinbase 5-6: the epochs due, each paid out
        ran = self.drain_pending(number)
        # block_step 5: the price EMA, after the prices were used
        self.update_moving_prices(number)
        return ran

    def get_block_emission(self, number: int) -> int:
        """`get_block_emission` at the run's issuance: what block `number` mints (recording a
        halving when the rate drops)."""
        emission = block_emission_for_issuance(self.issuance)
        if emission < self.block_emission:
            self.state.set(taoctl.HALVING_BLOCK, halving_index(self.issuance), number)
        self.block_emission = emission
        return mint_amount(self.issuance)

    def get_subnet_block_emissions(self, block_emission: int,
                                   number: int) -> tuple[list[int], bool]:
        """Each emitting subnet's TAO emission (U96F32 bits, in `self.emitting`'s order) and the
        root sell flag at block `number` (`coinbase_math.block_tao_emissions`); the emission
        gate's bar is recomputed when due and kept in `self.gate`."""
        emitting = self.emitting
        emissions, root_sell, bar = cm.block_tao_emissions(
            [sub.moving for sub in emitting], [sub.miner_burned for sub in emitting],
            [sub.enabled for sub in emitting], block_emission, number, self.gate)
        if bar != self.gate.bar:
            self.gate = self.gate._replace(bar=bar)
        return emissions, root_sell

    def emit_to_subnets(self, tao_emissions: list[int], root_sell: bool,
                        blocks: int = 1) -> int:
        """`emit_to_subnets`: per subnet `get_subnet_terms`, `inject_and_maybe_swap`, the
        alpha_out mint and its split into the pending accumulators (`emit_subnet`, or its
        fused form for a weighted pool; `blocks` blocks' alpha emission at once for a coarse
        batch). Returns the TAO the pools took."""
        spent = 0
        cut = cm.owner_cut_fraction(self.owner_cut)
        weighted_root = self.weighted_root
        for sub, tao_emission in zip(self.emitting, tao_emissions, strict=True):
            issuance = sub.alpha_in + sub.alpha_out + sub.alpha_reservoir  # `alpha_issuance`
            if blocks == 1:  # `alpha_block_emission`, its remembered span tested here
                lo, hi, alpha_emission = sub._emission
                if not lo <= issuance < hi:
                    alpha_emission = sub.alpha_block_emission(issuance)
            else:
                alpha_emission = emit_blocks(issuance, blocks)
            step = emit_subnet_fast if sub.weighted else emit_subnet
            spent += step(sub, tao_emission, alpha_emission, weighted_root, cut, root_sell)
        return spent

    def settle_block_emission(self, block_emission: int, spent: int) -> None:
        """Account for a block's (or batch's) emission of which the pools took `spent`: the
        rest is recycled; when no subnet takes any, the sandbox credits the root account."""
        if spent == 0:
            self.root_credit += block_emission
            self.issuance += block_emission
        else:
            self.recycled += block_emission - spent
            self.issuance += spent

    def drain_pending(self, number: int) -> list[dict]:
        """`drain_pending` + `distribute_emissions_to_subnets`: run the epochs due at block
        `number` (`cm.EpochClocks.schedule`: most blocks have none)."""
        schedule = self.clocks.schedule(number, self.max_epochs, self.null_subnets)
        if schedule is None:
            return []
        return [self.epoch(netuid, number, schedule.last_epoch_blocks[netuid])
                for netuid in schedule.run]

    def update_moving_prices(self, number: int, blocks: int = 1) -> None:
        """`update_moving_prices` of the emitting subnets (`blocks` > 1: a coarse batch's
        closed-form move)."""
        update, halving, alpha = cm.update_moving_price, cm.EMA_PRICE_HALVING_BLOCKS, \
            cm.MOVING_ALPHA
        for sub in self.emitting:
            spot = sub.price  # `spot_price`, its remembered value tested here
            if spot is None:
                spot = sub.spot_price()
            # `blocks_since_start_call(number, first_emission)`, its start block taken once
            start = sub.start_call_block
            since = number - start if number > start else 0
            if blocks == 1:
                sub.moving = update(sub.moving, spot, since, halving, alpha, sub.stable)
            else:
                sub.moving = cm.update_moving_price_blocks(sub.moving, spot, since, blocks,
                                                           is_root_or_stable=sub.stable)

    def batch(self, number: int, blocks: int) -> None:
        """`blocks` blocks from `number` on as one coarse step (`coarse_blocks`): their TAO
        credit in closed form, shared once at the step's EMA prices, alpha emission for the
        whole step, one closed-form EMA move. Epoch clocks are left to the caller."""
        before = self.issuance
        block_emission = emit_blocks(before, blocks)
        for k, block in halvings_in_run(before, number, blocks):
            self.state.set(taoctl.HALVING_BLOCK, k, block)
        spent = 0
        if self.emitting:
            tao_emissions, root_sell = self.get_subnet_block_emissions(block_emission, number)
            spent = self.emit_to_subnets(tao_emissions, root_sell, blocks)
        self.settle_block_emission(block_emission, spent)
        # what the batch's last block minted at, so the next block's drop records a halving
        self.block_emission = block_emission_for_issuance(before + emit_blocks(before, blocks - 1))
        self.update_moving_prices(number + blocks // 2, blocks)

    def epoch(self, netuid: int, number: int, last_epoch_block: int) -> dict:
        """Run one subnet's epoch at block `number`, its hot items written back before and
        read again after."""
        sub = self.by_netuid.get(netuid)
        if sub is not None:
            sub.flush(self.state, number)
        ran = run_subnet_epoch(self.state, netuid, number, last_epoch_block, self.neurons)
        if sub is not None:
            sub.load(self.state)
            sub.miner_burned = self.state.get(sm.MINER_BURNED, netuid)
        return ran

    def finish(self, last: int) -> None:
        """Write everything held in memory back to the state."""
        from chain.local.epoch import write_bonds

        state = self.state
        for netuid, neurons in self.neurons.items():
            write_bonds(state, netuid, neurons)
        for sub in self.emitting:
            sub.flush(state, last)
        clocks = self.clocks.all()
        for netuid in self.subnets:
            _store_clock(state, netuid, self.stored_clocks[netuid], clocks[netuid])
        if self.root_credit:
            deposit_minted(state, subnet_account(ROOT_NETUID), self.root_credit)
        if self.recycled:
            state.set(taoctl.MINTED, state.get(taoctl.MINTED) + self.recycled)
            state.set(taoctl.RECYCLED, state.get(taoctl.RECYCLED) + self.recycled)
            state.set(taoctl.COINBASE_RECYCLED, state.get(taoctl.COINBASE_RECYCLED) + self.recycled)
        state.set(sm.BLOCK_EMISSION, self.block_emission)
        if self.gate.bar != self.stored_bar:
            state.set(sm.EMISSION_GATE_BAR, self.gate.bar)
            self.stored_bar = self.gate.bar


def run_subnet_epoch(state: State, netuid: int, block: int, last_epoch_block: int,
                     neurons: dict) -> dict:
    """Drain the subnet's accumulators, run its epoch and pay it out. `neurons` is a run's
    `epoch.NeuronCache` per subnet (see `epoch.run_epoch`)."""
    from chain.local import epoch

    pending = es.Pending(server=state.get(sm.PENDING_SERVER, netuid),
                         validator=state.get(sm.PENDING_VALIDATOR, netuid),
                         root=state.get(sm.PENDING_ROOT, netuid),
                         owner_cut=state.get(sm.PENDING_OWNER_CUT, netuid))
    for item in (sm.PENDING_SERVER, sm.PENDING_VALIDATOR, sm.PENDING_ROOT, sm.PENDING_OWNER_CUT):
        if state.get(item, netuid):
            state.set(item, netuid, 0)
    outputs = epoch.run_epoch(state, netuid, pending.server + pending.validator + pending.root,
                              block, last_epoch_block, neurons)
    paid = epoch.distribute(state, netuid, outputs, pending)
    drained = pending.server + pending.validator + pending.root + pending.owner_cut
    state.set(taoctl.EPOCHS_RUN, state.get(taoctl.EPOCHS_RUN) + 1)
    if drained:
        state.set(taoctl.EPOCH_DRAINED, netuid, state.get(taoctl.EPOCH_DRAINED, netuid) + drained)
    if paid:
        state.set(taoctl.EPOCH_PAID, netuid, state.get(taoctl.EPOCH_PAID, netuid) + paid)
    return {"netuid": netuid, "block": block, "drained_rao": drained, "paid_rao": paid}


def run_blocks(state: State, first: int, last: int) -> list[dict]:
    """The coinbase of blocks first..last, block by block, hot items kept in memory."""
    run = Run(state, first)
    ran = []
    report = _progress.get()
    for number in range(first, last + 1):
        ran += run.block(number)
        if report is not None and (number - first + 1) % PROGRESS_EVERY == 0:
            report(PROGRESS_EVERY)
    run.finish(last)
    return ran


COARSE_SUBSTEPS = 16
"""Emission batches per coarse run (`coarse_blocks`)."""


def coarse_blocks(state: State, first: int, last: int) -> list[dict]:
    """Blocks first..last fast-forwarded coarsely: emission in `COARSE_SUBSTEPS` closed-form
    batches (`Run.batch`), then one epoch per emitting subnet at `last` paying everything
    pending, and every epoch clock moved as if its slots had passed.

    Issuance, halvings and every ledger invariant are kept exactly; what is approximate is the
    path (prices and shares are held for a batch, epochs are merged), so the result is not the
    block-by-block chain's. `chain advance --coarse` uses it for runs too long to compute block
    by block (years of a mainnet-shaped chain)."""
    run = Run(state, first)
    size = -(-(last - first + 1) // COARSE_SUBSTEPS)
    for start in range(first, last + 1, size):
        run.batch(start, min(size, last - start + 1))
    clocks = run.clocks.all()
    ran = [run.epoch(sub.netuid, last, clocks[sub.netuid].last_epoch_block)
           for sub in run.emitting if clocks[sub.netuid].tempo]
    run.finish(last)
    for netuid in run.subnets:
        _skip_clock(state, netuid, first, last)
    return ran


def run_block(state: State, block: int) -> list[dict]:
    """The coinbase of one block (`Run.block`); returns the epochs that ran."""
    return run_blocks(state, block, block)


# -- the hook ------------------------------------------------------------------------------------
class Coinbase:
    """Start-of-block hook. Runs of empty blocks are handed to `skip`, which goes block by block
    with the hot items in memory (`run_blocks`) when a subnet emits, and in closed form when none
    does (see the module docstring)."""

    name = "coinbase"

    def on_initialize(self, env) -> None:
        for record in run_block(env.state, env.block_number):
            env.emit("SubtensorModule", "EpochRan", netuid=record["netuid"],
                     drained=record["drained_rao"], paid=record["paid_rao"])

    def next_block_needing_work(self, state: State, first: int) -> int | None:
        return None  # `skip` itself goes block by block when it must

    def skip(self, state: State, first: int, last: int, coarse: bool = False) -> None:
        if any(emits(state, n) for n in all_subnets(state)):
            if coarse:
                coarse_blocks(state, first, last)
                return
            run_blocks(state, first, last)
            return
        issuance = state.get(balances.TOTAL_ISSUANCE)
        minted = emit_blocks(issuance, last - first + 1)
        for k, block in halvings_in_run(issuance, first, last - first + 1):
            state.set(taoctl.HALVING_BLOCK, k, block)
        if minted:
            deposit_minted(state, subnet_account(ROOT_NETUID), minted)
        before_last = issuance + emit_blocks(issuance, last - first)
        state.set(sm.BLOCK_EMISSION, block_emission_for_issuance(before_last))
        for netuid in all_subnets(state):
            _skip_clock(state, netuid, first, last)


def _skip_clock(state: State, netuid: int, first: int, last: int) -> None:
    """Epoch clocks over blocks first..last with nothing pending: each due epoch consumes its
    slot (LastEpochBlock, index) without changing outputs; `BlocksSinceLastStep` keeps counting."""
    clock = _clock(state, netuid, first)
    since = clock.blocks_since_last_step + (last - first + 1)
    last_epoch, index, pending_at = clock.last_epoch_block, clock.epoch_index, \
        clock.pending_epoch_at
    if clock.tempo:
        start = max(first, pending_at) if pending_at else None
        due = last_epoch + clock.tempo
        if start is not None and start <= last:
            due = min(due, start)
        due = max(due, first)
        if due <= last:
            count = 1 + (last - due) // clock.tempo
            last_epoch = due + (count - 1) * clock.tempo
            index += count
            pending_at = 0
            since = last - last_epoch
    since = min(since, clock.tempo + 1)  # `BlocksSinceLastStep` saturates at tempo + 1 (475)
    _store_clock(state, netuid, clock, cm.EpochClock(clock.tempo, last_epoch, pending_at, since,
                                                     index))

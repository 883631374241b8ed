"""The coinbase: each block's TAO and alpha emission into the subnet pools, the epochs that pay it
out, and the price EMA (`coinbase/run_coinbase.rs`, `block_step.rs`; ECONOMICS.md §2.2, §3).

Per block (`run_block`), for the subnets that emit (started, trading, registration allowed):

1. TAO: the block emission is shared by EMA price (`coinbase_math.subnet_emission_shares`, the
   HEAD rule: weighted by 1 - MinerBurned, emission-disabled subnets renormalised away);
   `get_subnet_terms` caps the alpha injected at `root_proportion * alpha_emission`; the TAO that
   cannot be injected buys alpha fee-less (the "chain buy", held as `SubnetProtocolAlpha`). The
   injection re-weights the pool against the pre-block reserves (`amm.adjust_protocol_liquidity`),
   then reserves grow. Only the TAO actually credited is minted; the unspent credit (floor
   dust, a rejected re-weighting) is recycled: counted in `Minted` and `Recycled` and in
   taoctl's `CoinbaseRecycled` ledger so `chain check` can account for it.
2. Alpha: `alpha_emission = block_emission_for_issuance(SubnetAlphaIn + SubnetAlphaOut)` (its
   own halvings), all minted into `SubnetAlphaOut`; the owner cut, miners' and validators'
   halves and root's part go to the pending accumulators (`owner_cut_and_pending`); root's part
   is recycled when the sum of moving prices is at most 1.
3. Epochs (`drain_pending`): `coinbase_math.schedule_epochs` over every subnet (at most
   `MaxEpochsPerBlock` per block); a running epoch drains the four accumulators, runs
   `epoch.run_epoch` on server + validator + root pending and `epoch.distribute`.
4. `SubnetMovingPrice` of each emitting subnet moves toward min(spot, 1).

When no subnet emits, the whole run is skipped in closed form: the block emission then goes
to the root subnet account, as part 1 did, so issuance and halvings still follow the schedule
on a sandbox with no running subnet (a taoctl convention: the chain would recycle that credit),
and epoch clocks jump to their last due block without running epochs (nothing is pending).
"""

from __future__ import annotations

import amm
from chain.local import coinbase_math as cm
from chain.local import emission_split as es
from chain.local import epoch_items as e
from chain.local import items as i
from chain.local import stake_utils as su
from chain.local import storage as s
from chain.local.accounts import ROOT_NETUID, subnet_account
from chain.local.balances import change_issuance, deposit_minted, free_balance, set_free
from chain.local.emission import (
    block_emission_for_issuance,
    emit_blocks,
    halving_index,
    halvings_in_run,
    mint_amount,
)
from chain.local.network_lock import storage_order
from chain.local.state import State


# -- which subnets -------------------------------------------------------------------------------
def all_subnets(state: State) -> list[int]:
    """Every non-root netuid, ascending."""
    return sorted(n for (n,), added in state.iter(s.NETWORKS_ADDED) if added and n != ROOT_NETUID)


def emits(state: State, netuid: int) -> bool:
    """`get_subnets_to_emit_to`: started (`FirstEmissionBlockNumber` set), trading and open to
    registration."""
    return (state.get(i.FIRST_EMISSION_BLOCK, netuid) is not None
            and bool(state.get(i.SUBTOKEN_ENABLED, netuid))
            and bool(state.get(i.NETWORK_REGISTRATION_ALLOWED, netuid)))


# -- epoch clocks -------------------------------------------------------------------------------
def seeded_last_epoch(state: State, netuid: int, block: int) -> int:
    """`LastEpochBlock`, seeded on first use as a new subnet gets it (`registered - netuid mod
    tempo`, which staggers subnets), then moved forward by whole tempos to the latest block of
    that phase not after `block`, so a long-lived preset subnet does not start with a backlog."""
    stored = state.get(e.LAST_EPOCH_BLOCK, netuid)
    if stored is not None:
        return stored
    tempo = state.get(i.TEMPO, netuid)
    seed = cm.initial_last_epoch_block(netuid, tempo, state.get(i.NETWORK_REGISTERED_AT, netuid))
    if tempo and block - seed >= tempo:
        seed += (block - seed) // tempo * tempo
    state.set(e.LAST_EPOCH_BLOCK, netuid, seed)
    return seed


def _clock(state: State, netuid: int, block: int) -> cm.EpochClock:
    return cm.EpochClock(state.get(i.TEMPO, netuid), seeded_last_epoch(state, netuid, block),
                         state.get(e.PENDING_EPOCH_AT, netuid),
                         state.get(e.BLOCKS_SINCE_LAST_STEP, netuid),
                         state.get(e.SUBNET_EPOCH_INDEX, netuid))


def _store_clock(state: State, netuid: int, old: cm.EpochClock, new: cm.EpochClock) -> None:
    for item, a, b in ((e.LAST_EPOCH_BLOCK, old.last_epoch_block, new.last_epoch_block),
                       (e.PENDING_EPOCH_AT, old.pending_epoch_at, new.pending_epoch_at),
                       (e.BLOCKS_SINCE_LAST_STEP, old.blocks_since_last_step,
                        new.blocks_since_last_step),
                       (e.SUBNET_EPOCH_INDEX, old.epoch_index, new.epoch_index)):
        if a != b:
            state.set(item, netuid, b)


# -- one block ------------------------------------------------------------------------------------
def _mint_credit(state: State, block: int) -> int:
    """The block's emission (`get_block_emission`), recording halvings and `BlockEmission`."""
    issuance = state.get(s.BALANCES_ISSUANCE)
    emission = block_emission_for_issuance(issuance)
    if emission < state.get(s.BLOCK_EMISSION):
        state.set(s.HALVING_BLOCK, halving_index(issuance), block)
    state.set(s.BLOCK_EMISSION, emission)
    return mint_amount(issuance)


def _recycle_credit(state: State, amount: int) -> None:
    """Unspent credit: minted and recycled in the same breath (issuance unchanged)."""
    if amount:
        state.set(s.MINTED, state.get(s.MINTED) + amount)
        state.set(s.RECYCLED, state.get(s.RECYCLED) + amount)
        state.set(e.COINBASE_RECYCLED, state.get(e.COINBASE_RECYCLED) + amount)


def _credit_subnet(state: State, netuid: int, amount: int) -> None:
    """Mint `amount` into the subnet account (spend_tao of the block's credit)."""
    account = subnet_account(netuid)
    set_free(state, account, free_balance(state, account) + amount)
    change_issuance(state, amount)
    state.set(s.MINTED, state.get(s.MINTED) + amount)


def _inject(state: State, netuid: int, terms: cm.SubnetTerms) -> int:
    """`inject_and_maybe_swap` for one subnet; returns the TAO credited (injected + bought)."""
    pool = su.read_pool(state, netuid)
    weighted, tao_in, alpha_in = amm.adjust_protocol_liquidity(
        pool, terms.tao_in_rao, terms.alpha_in_rao)
    excess = terms.excess_tao_rao
    spent = 0
    bought = 0
    if excess > 0:
        try:
            swap = amm.swap(weighted, amm.BUY, excess, drop_fees=True)
        except amm.AmmError:
            swap = None
        if swap is not None:
            weighted = swap.pool_after
            bought = swap.amount_out
            spent += excess
            state.set(e.SUBNET_PROTOCOL_ALPHA, netuid,
                      state.get(e.SUBNET_PROTOCOL_ALPHA, netuid) + bought)
            state.set(i.SUBNET_ALPHA_OUT, netuid, state.get(i.SUBNET_ALPHA_OUT, netuid) + bought)
    weighted = weighted.with_reserves(weighted.tao_reserve + tao_in,
                                      weighted.alpha_reserve + alpha_in)
    spent += tao_in
    if spent:
        _credit_subnet(state, netuid, spent)
    if tao_in:
        state.set(i.TOTAL_STAKE, state.get(i.TOTAL_STAKE) + tao_in)
    if spent or alpha_in:
        su.write_pool(state, netuid, weighted)
    state.set(e.SUBNET_TAO_IN_EMISSION, netuid, tao_in)
    state.set(e.SUBNET_ALPHA_IN_EMISSION, netuid, alpha_in)
    state.set(e.SUBNET_EXCESS_TAO, netuid, excess if bought else 0)
    return spent


def _add(state: State, item, netuid: int, amount: int) -> None:
    if amount:
        state.set(item, netuid, state.get(item, netuid) + amount)


def emit_to_subnets(state: State, emitting: list[int], credit: int) -> int:
    """Steps 1-2 of the module docstring for one block; returns the TAO spent of `credit`."""
    prices = {n: cm.moving_alpha_price(state.get(i.SUBNET_MOVING_PRICE, n)) for n in emitting}
    shares = cm.subnet_emission_shares(
        prices, {n: state.get(e.MINER_BURNED, n) for n in emitting},
        {n: bool(state.get(i.SUBNET_EMISSION_ENABLED, n)) for n in emitting})
    tao_emissions = cm.subnet_tao_emissions(shares, credit)
    root_sell = cm.root_sell_flag(prices.values())
    root_tao = state.get(s.SUBNET_TAO, ROOT_NETUID)
    tao_weight = state.get(i.TAO_WEIGHT)
    owner_cut = state.get(i.SUBNET_OWNER_CUT)
    spent = 0
    for netuid in emitting:
        alpha_in = state.get(i.SUBNET_ALPHA_IN, netuid)
        alpha_out = state.get(i.SUBNET_ALPHA_OUT, netuid)
        alpha_emission = block_emission_for_issuance(alpha_in + alpha_out)
        price = amm.spot_price(su.read_pool(state, netuid))
        proportion = cm.root_proportion(root_tao, tao_weight, alpha_in + alpha_out)
        terms = cm.subnet_terms(tao_emissions[netuid], alpha_emission, price, proportion)
        spent += _inject(state, netuid, terms)
        _add(state, i.SUBNET_ALPHA_OUT, netuid, terms.alpha_out_rao)
        state.set(e.SUBNET_ALPHA_OUT_EMISSION, netuid, terms.alpha_out_rao)
        issuance_after = state.get(i.SUBNET_ALPHA_IN, netuid) + state.get(i.SUBNET_ALPHA_OUT, netuid)
        split = cm.owner_cut_and_pending(
            terms.alpha_out, owner_cut, cm.root_proportion(root_tao, tao_weight, issuance_after),
            root_sell)
        _add(state, e.PENDING_OWNER_CUT, netuid, split.owner_cut)
        _add(state, e.PENDING_SERVER, netuid, split.pending_server)
        _add(state, e.PENDING_VALIDATOR, netuid, split.pending_validator)
        _add(state, e.PENDING_ROOT, netuid, split.pending_root)
        if split.root_recycled:
            state.set(i.SUBNET_ALPHA_OUT, netuid,
                      max(state.get(i.SUBNET_ALPHA_OUT, netuid) - split.root_recycled, 0))
    return spent


def drain_pending(state: State, subnets: list[int], block: int) -> list[dict]:
    """Step 3: run the due epochs; returns one record per epoch that ran."""
    clocks = {n: _clock(state, n, block) for n in subnets}
    schedule = cm.schedule_epochs(clocks, block, state.get(e.MAX_EPOCHS_PER_BLOCK))
    for netuid in subnets:
        _store_clock(state, netuid, clocks[netuid], schedule.clocks[netuid])
    ran = []
    for netuid in schedule.run:
        ran.append(run_subnet_epoch(state, netuid, block, clocks[netuid].last_epoch_block))
    return ran


def run_subnet_epoch(state: State, netuid: int, block: int, last_epoch_block: int) -> dict:
    """Drain the subnet's accumulators, run its epoch and pay it out."""
    from chain.local import epoch

    pending = es.Pending(server=state.get(e.PENDING_SERVER, netuid),
                         validator=state.get(e.PENDING_VALIDATOR, netuid),
                         root=state.get(e.PENDING_ROOT, netuid),
                         owner_cut=state.get(e.PENDING_OWNER_CUT, netuid))
    for item in (e.PENDING_SERVER, e.PENDING_VALIDATOR, e.PENDING_ROOT, e.PENDING_OWNER_CUT):
        if state.get(item, netuid):
            state.set(item, netuid, 0)
    outputs = epoch.run_epoch(state, netuid, pending.server + pending.validator + pending.root,
                              block, last_epoch_block)
    paid = epoch.distribute(state, netuid, outputs, pending)
    drained = pending.server + pending.validator + pending.root + pending.owner_cut
    state.set(e.EPOCHS_RUN, state.get(e.EPOCHS_RUN) + 1)
    _add(state, e.EPOCH_DRAINED, netuid, drained)
    _add(state, e.EPOCH_PAID, netuid, paid)
    return {"netuid": netuid, "block": block, "drained_rao": drained, "paid_rao": paid}


def update_moving_prices(state: State, emitting: list[int], block: int) -> None:
    """Step 4: `update_moving_price` for each emitting subnet."""
    for netuid in emitting:
        moving = state.get(i.SUBNET_MOVING_PRICE, netuid)
        spot = amm.spot_price(su.read_pool(state, netuid))
        since = cm.blocks_since_start_call(block, state.get(i.FIRST_EMISSION_BLOCK, netuid))
        new = cm.update_moving_price(moving, spot, since, is_root_or_stable=su.is_stable(
            state, netuid))
        if new != moving:
            state.set(i.SUBNET_MOVING_PRICE, netuid, new)


def run_block(state: State, block: int) -> list[dict]:
    """The coinbase of one block (module docstring); returns the epochs that ran."""
    credit = _mint_credit(state, block)
    subnets = all_subnets(state)
    emitting = [n for n in subnets if emits(state, n)]
    if emitting:
        spent = emit_to_subnets(state, emitting, credit)
        if spent == 0 and credit:
            deposit_minted(state, subnet_account(ROOT_NETUID), credit)  # nobody takes TAO
        else:
            _recycle_credit(state, credit - spent)
    elif credit:
        deposit_minted(state, subnet_account(ROOT_NETUID), credit)
    ran = drain_pending(state, sorted(subnets, key=storage_order), block)
    update_moving_prices(state, emitting, block)
    return ran


# -- the hook ---------------------------------------------------------------------------------------
class Coinbase:
    """Start-of-block hook: `run_block`; a run of blocks with no emitting subnet is skipped in
    closed form (see the module docstring)."""

    name = "coinbase"

    def on_initialize(self, env) -> None:
        for record in run_block(env.state, env.block_number):
            env.emit("SubtensorModule", "EpochRan", netuid=record["netuid"],
                     drained=record["drained_rao"], paid=record["paid_rao"])

    def next_block_needing_work(self, state: State, first: int) -> int | None:
        if any(emits(state, n) for n in all_subnets(state)):
            return first
        return None

    def skip(self, state: State, first: int, last: int) -> None:
        issuance = state.get(s.BALANCES_ISSUANCE)
        minted = emit_blocks(issuance, last - first + 1)
        for k, block in halvings_in_run(issuance, first, last - first + 1):
            state.set(s.HALVING_BLOCK, k, block)
        if minted:
            deposit_minted(state, subnet_account(ROOT_NETUID), minted)
        before_last = issuance + emit_blocks(issuance, last - first)
        state.set(s.BLOCK_EMISSION, block_emission_for_issuance(before_last))
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
    _store_clock(state, netuid, clock, cm.EpochClock(clock.tempo, last_epoch, pending_at, since,
                                                     index))

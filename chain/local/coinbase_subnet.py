"""One emitting subnet's hot state through a run of blocks (`HotSubnet`) and its part of each
block's `emit_to_subnets`: the terms, the pool step (`inject_and_maybe_swap`, ECONOMICS-2026
§3.4), the alpha_out mint and its split (`emit_subnet`), and that step fused for a weighted
pool (`emit_subnet_fast`). `coinbase.Run` holds one per emitting subnet and writes it back
before each of its epochs and at the end of the run."""

from __future__ import annotations

import amm
from amm.injection import (
    ReserveStep,
    inject_and_buy,
    inject_reserves,
    pool_price,
    weight_after,
    weighted_price,
)
from chain.local import coinbase_math as cm
from chain.local import stake_utils as su
from chain.local.accounts import subnet_account
from chain.local.balances import change_issuance, free_balance, set_free
from chain.local.emission import block_emission_for_issuance, emission_span
from chain.local.state import State
from chain.pallets import swap, taoctl
from chain.pallets import subtensor_module as sm


class HotSubnet:
    """One emitting subnet's hot items, held in plain ints for a run of blocks. Its pool is
    `tao` (SubnetTAO), `alpha_in` (SubnetAlphaIn) and `weight` (SwapBalancer), with the
    pool's fee rate, model and stable flag beside them: the `pool` property builds the `Pool`."""

    FIELDS = (("tao", sm.SUBNET_TAO), ("alpha_in", sm.SUBNET_ALPHA_IN),
              ("alpha_out", sm.SUBNET_ALPHA_OUT), ("moving", sm.SUBNET_MOVING_PRICE),
              ("pending_server", sm.PENDING_SERVER), ("pending_validator", sm.PENDING_VALIDATOR),
              ("pending_root", sm.PENDING_ROOT), ("pending_owner", sm.PENDING_OWNER_CUT),
              ("protocol", sm.SUBNET_PROTOCOL_ALPHA), ("tao_in_em", sm.SUBNET_TAO_IN_EMISSION),
              ("alpha_in_em", sm.SUBNET_ALPHA_IN_EMISSION),
              ("alpha_out_em", sm.SUBNET_ALPHA_OUT_EMISSION), ("excess", sm.SUBNET_EXCESS_TAO),
              ("tao_reservoir", swap.BALANCER_TAO_RESERVOIR),
              ("alpha_reservoir", swap.BALANCER_ALPHA_RESERVOIR))
    RESERVOIRS = ("tao_reservoir", "alpha_reservoir")  # removed, not stored, at 0
    # the FIELDS, each an int set by `load` (declared for the type checker)
    tao: int
    alpha_in: int
    alpha_out: int
    moving: int
    pending_server: int
    pending_validator: int
    pending_root: int
    pending_owner: int
    protocol: int
    tao_in_em: int
    alpha_in_em: int
    alpha_out_em: int
    excess: int
    tao_reservoir: int
    alpha_reservoir: int
    price: int | None  # the pool's spot price (U64F64), None until asked again after a move
    __slots__ = (*(name for name, _ in FIELDS), "netuid", "saved", "weight", "fee_rate",
                 "model", "stable", "weighted", "price", "first_emission", "start_call_block",
                 "enabled", "miner_burned", "account", "minted", "injected", "pool_moved",
                 "_emission")

    def __init__(self, state: State, netuid: int) -> None:
        self.netuid = netuid
        self.load(state)
        pool = su.read_pool(state, netuid)
        self.fee_rate, self.model, self.stable = pool.fee_rate, pool.model, pool.stable
        # `amm.injection.inject_reserves` runs the pool step on plain ints (else `Pool` calls)
        self.weighted = pool.model == amm.WEIGHTED and not pool.stable
        self.first_emission = state.get(sm.FIRST_EMISSION_BLOCK, netuid)
        # `blocks_since_start_call(b, first_emission)` is `max(b - start_call_block, 0)`
        self.start_call_block = cm.start_call_block(self.first_emission)
        self.enabled = bool(state.get(sm.SUBNET_EMISSION_ENABLED, netuid))
        self.miner_burned = state.get(sm.MINER_BURNED, netuid)
        self.account = subnet_account(netuid)
        self.minted = 0  # TAO credited to the subnet account during the run
        self.injected = 0  # TAO that entered SubnetTAO (TotalStake grows by it)
        self.pool_moved = False
        self._emission = (0, 0, 0)  # (lo, hi, alpha emission) of `alpha_block_emission`

    def alpha_block_emission(self, issuance: int) -> int:
        """`block_emission_for_issuance(issuance)` of the subnet's alpha, remembered with the
        issuances over which it holds (`emission_span`: it changes only at a halving)."""
        lo, hi, emission = self._emission
        if not lo <= issuance < hi:
            emission = block_emission_for_issuance(issuance)
            self._emission = (*emission_span(issuance), emission)
        return emission

    @property
    def pool(self) -> amm.Pool:
        return amm.Pool(self.tao, self.alpha_in, self.weight, self.fee_rate, self.model,
                        self.stable)

    @pool.setter
    def pool(self, pool: amm.Pool) -> None:
        self.tao, self.alpha_in, self.weight = pool.tao_reserve, pool.alpha_reserve, \
            pool.tao_weight
        self.price = None

    def alpha_issuance(self) -> int:
        """`get_alpha_issuance`: `SubnetAlphaIn + SubnetAlphaOut + BalancerAlphaReservoir`
        (ECONOMICS-2026 §2.3: parked alpha is minted, so it counts toward the halving)."""
        return self.alpha_in + self.alpha_out + self.alpha_reservoir

    def spot_price(self) -> int:
        """`amm.spot_price` of the pool, remembered until the pool moves: the price after a
        block's injection is the next block's price before it."""
        price = self.price
        if price is None:
            price = self.price = weighted_price(self.weight, self.tao, self.alpha_in) \
                if self.weighted else pool_price(self.pool)
        return price

    def load(self, state: State) -> None:
        self.saved = {name: state.get(item, self.netuid) for name, item in self.FIELDS}
        for name, value in self.saved.items():
            setattr(self, name, value)
        self.weight = state.get(swap.SWAP_BALANCER, self.netuid)  # the pool: with tao, alpha_in
        self.price = None

    def flush(self, state: State, block: int) -> None:
        """Write the changed items back (and the pool's weight, price record, TAO minted)."""
        for name, item in self.FIELDS:
            value = getattr(self, name)
            if value != self.saved[name]:
                if value == 0 and name in self.RESERVOIRS:
                    state.remove(item, self.netuid)
                else:
                    state.set(item, self.netuid, value)
        self.saved = {name: getattr(self, name) for name, _ in self.FIELDS}
        if self.weight != state.get(swap.SWAP_BALANCER, self.netuid):
            state.set(swap.SWAP_BALANCER, self.netuid, self.weight)
        if self.pool_moved:
            state.set(taoctl.PRICE_AT, self.netuid, block, amm.price_rao(self.pool))
            self.pool_moved = False
        if self.minted:
            credit_minted(state, self.account, self.minted)
            self.minted = 0
        if self.injected:
            state.set(sm.TOTAL_STAKE, state.get(sm.TOTAL_STAKE) + self.injected)
            self.injected = 0


def credit_minted(state: State, account: bytes, amount: int) -> None:
    """Mint `amount` into an account (spend_tao of the block's credit)."""
    set_free(state, account, free_balance(state, account) + amount)
    change_issuance(state, amount)
    state.set(taoctl.MINTED, state.get(taoctl.MINTED) + amount)


def inject_and_maybe_swap(sub: HotSubnet, terms: cm.TermsRao) -> int:
    """`inject_pool_liquidity_and_swap_excess` for one subnet (ECONOMICS-2026 §3.4), in its
    order: (1) the chain buy of the excess TAO, fee-less, on the pre-block pool; (2) this
    block's tao_in is materialised in the subnet account; (3) the post-buy pool is re-weighted
    for it and this block's alpha_in plus the reservoirs, and what cannot be made price-active
    stays parked (`amm.injection.inject_and_buy`); (4) all of alpha_in is minted, the
    price-active amounts join the reserves. Returns the TAO minted (tao_in, parked or not, and
    the excess a successful buy spent); a failed buy's excess is left to be recycled."""
    excess = terms.excess_tao
    step = inject_reserves(sub.weight, sub.tao, sub.alpha_in, terms.tao_in, terms.alpha_in,
                           excess, sub.tao_reservoir, sub.alpha_reservoir) \
        if sub.weighted else None
    paid_in = None  # (no partial fill on ints: a successful buy spent all the excess)
    if step is None:  # a stable or constant-product pool, or a partial fill: `Pool` calls
        step, paid_in = _step_through_pools(sub, terms)
    weight, tao_reserve, alpha_reserve, tao_active, alpha_active, bought, parked_tao, \
        parked_alpha, moved = step
    # a partial fill (only against the default limit price: in practice unreachable) spends
    # only what entered the pool; the rest is left to be recycled, like a failed buy's
    bought_with = (excess if paid_in is None else paid_in) if bought else 0
    if bought:
        sub.protocol += bought
        sub.alpha_out += bought
    spent = terms[0] + bought_with  # `terms.tao_in`
    sub.minted += spent
    sub.injected += tao_active
    sub.tao_reservoir, sub.alpha_reservoir = parked_tao, parked_alpha
    if moved:
        sub.tao, sub.alpha_in, sub.weight, sub.price = tao_reserve, alpha_reserve, weight, None
        sub.pool_moved = True
    sub.tao_in_em, sub.alpha_in_em, sub.excess = tao_active, alpha_active, bought_with
    return spent


def _step_through_pools(sub: HotSubnet, terms: cm.TermsRao) -> tuple[ReserveStep, int | None]:
    """The pool step through `inject_and_buy` on the subnet's `Pool` (any model), as a
    `ReserveStep` and the TAO a partial fill consumed (None: all of the excess or none)."""
    pool = sub.pool
    step = inject_and_buy(pool, terms.tao_in, terms.alpha_in, terms.excess_tao,
                          sub.tao_reservoir, sub.alpha_reservoir)
    after = step.pool
    return (after.tao_weight, after.tao_reserve, after.alpha_reserve, step.tao_in, step.alpha_in,
            step.bought, step.tao_reservoir, step.alpha_reservoir, after is not pool), \
        step.paid_in


def emit_subnet(sub: HotSubnet, tao_emission: int, alpha_emission: int, weighted_root: int,
                cut: int, root_sell: bool) -> int:
    """One subnet's part of `emit_to_subnets`: `get_subnet_terms` at its price and alpha
    issuance, `inject_and_maybe_swap`, the alpha_out mint and its split (owner cut on) into the
    pending accumulators, the root part pending or recycled by the root sell flag. Returns the
    TAO the pool took."""
    terms = cm.subnet_terms_rao(tao_emission, alpha_emission, sub.spot_price(), weighted_root,
                                sub.alpha_issuance())
    spent = inject_and_maybe_swap(sub, terms)
    sub.alpha_out += terms.alpha_out
    sub.alpha_out_em = terms.alpha_out
    _pend(sub, cm.pending_split(terms.alpha_out_bits, cut,
                                cm.root_proportion_of(weighted_root, sub.alpha_issuance())),
          root_sell)
    return spent


def _pend(sub: HotSubnet, split: tuple[int, int, int, int], root_sell: bool) -> None:
    """`pending_split`'s (owner cut, server, validator, root) into the pending accumulators;
    the root part pending with root sells on, else recycled out of `SubnetAlphaOut`."""
    owner, server, validator, root = split
    sub.pending_owner += owner
    sub.pending_server += server
    sub.pending_validator += validator
    if root_sell:
        sub.pending_root += root
    else:
        sub.alpha_out = sub.alpha_out - root if sub.alpha_out > root else 0


# `emit_subnet_fast`'s constants, as module globals
_ONE_RAO = 1 << 32  # 1 rao in U96F32 bits
_MAX_U64, _MAX_U128 = cm.MAX_U64, (1 << 128) - 1
_ROOT_INLINE = cm.ROOT_INLINE


def emit_subnet_fast(sub: HotSubnet, tao_emission: int, alpha_emission: int, weighted_root: int,
                     cut: int, root_sell: bool) -> int:
    """`emit_subnet` of a weighted pool in one function (every weighted subnet, every
    block): the terms (`subnet_terms_rao`), the re-weighting of the pool for this block's TAO
    and alpha plus the parked reservoirs (`inject_reserves`' `weight_after`), the bookkeeping
    and the split (`pending_split`), on plain ints, the terms and the bookkeeping inlined.
    It hands the subnet to `emit_subnet` where a rarer path begins: excess TAO to buy with, a
    re-weighting the fallback order must retry, reserves that would pass u64 (the reference
    refuses), operands beyond the inlined ranges. The caps it keeps from its references
    cannot bind at these ranges; they stay so that each line reads as its reference's. A
    property test (and one test per hand-off) holds it to `emit_subnet`."""
    top, u64 = _MAX_U128, _MAX_U64
    alpha_reserve, alpha_out_r = sub.alpha_in, sub.alpha_out
    issuance = alpha_reserve + alpha_out_r + sub.alpha_reservoir  # `alpha_issuance`
    if not (0 <= weighted_root < _ROOT_INLINE and 0 <= issuance <= u64 and cut >= 0
            and 0 <= tao_emission and 0 <= alpha_emission <= u64):
        return emit_subnet(sub, tao_emission, alpha_emission, weighted_root, cut, root_sell)
    price = sub.price
    if price is None:
        price = sub.spot_price()
    # `subnet_terms_rao`: the root proportion, alpha_in at the price, capped by the root
    # proportion of alpha_out (then tao_in at the price), what is left of the TAO is excess
    denominator = weighted_root + (issuance << 32)
    proportion = (weighted_root << 32) // denominator if denominator else 0
    price = price >> 32  # U96F32 of the U64F64 price (below 2^96: no cap)
    alpha_out = alpha_emission << 32
    alpha_in = 0
    if price:
        alpha_in = (tao_emission << 32) // price
        if alpha_in > top:
            alpha_in = 0  # checked_div fails: 0
    tao_in = tao_emission
    cap = (proportion * alpha_out) >> 32
    if cap > top:
        cap = top
    if alpha_in > cap:
        alpha_in = cap
        tao_in = (alpha_in * price) >> 32
        if tao_in > top:
            tao_in = top
    if tao_emission - tao_in >= _ONE_RAO:  # a rao of excess TAO: the chain buy
        return emit_subnet(sub, tao_emission, alpha_emission, weighted_root, cut, root_sell)
    tao_in >>= 32
    alpha_in >>= 32
    if tao_in > u64 or alpha_in > u64:
        return emit_subnet(sub, tao_emission, alpha_emission, weighted_root, cut, root_sell)
    # `inject_reserves` without a buy: the first of the fallback order (both amounts)
    tao_in += sub.tao_reservoir
    alpha_in += sub.alpha_reservoir
    tao_reserve = sub.tao
    weight = weight_after(sub.weight, tao_reserve, alpha_reserve, tao_in, alpha_in)
    tao_reserve += tao_in
    alpha_reserve += alpha_in
    if weight is None or tao_reserve > u64 or alpha_reserve > u64:
        return emit_subnet(sub, tao_emission, alpha_emission, weighted_root, cut, root_sell)
    spent = tao_in - sub.tao_reservoir  # this block's tao_in, parked or not
    sub.minted += spent
    sub.injected += tao_in
    sub.tao_reservoir = sub.alpha_reservoir = 0
    sub.tao, sub.alpha_in, sub.weight, sub.price = tao_reserve, alpha_reserve, weight, None
    sub.pool_moved = True
    sub.tao_in_em, sub.alpha_in_em, sub.excess = tao_in, alpha_in, 0
    # the alpha_out mint, then `pending_split` at the root proportion of the grown issuance
    # (below 2^66, so the denominator stays inside U96F32 as above)
    sub.alpha_out_em = alpha_emission
    sub.alpha_out = alpha_out_r = alpha_out_r + alpha_emission
    issuance = alpha_reserve + alpha_out_r
    denominator = weighted_root + (issuance << 32)
    proportion = (weighted_root << 32) // denominator if denominator else 0
    _pend(sub, cm.pending_split(alpha_out, cut, proportion), root_sell)
    return spent

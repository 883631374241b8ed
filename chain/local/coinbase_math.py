"""The coinbase's arithmetic: how a block's TAO emission is split across subnets, injected into
their pools, turned into alpha for owners, miners, validators and root, how the price EMA moves,
how an epoch's dividends split between alpha and root stakers and validator takes, and when an
epoch is due. Pure integer functions over fixed-point bit patterns, bit-exact with subtensor.

Fixed-point values are `amm.fixed` bit patterns (an int `bits`, value `bits / 2**frac`); each
parameter says its format. Rounding is substrate-fixed's: products floor, quotients truncate,
`saturating_*` clamp, conversions between formats drop extra fractional bits (toward -inf), and
`to_u64` floors. A `checked_div` that divides by zero or overflows yields the documented default.
A float literal in the Rust (`from_num(0.000003)`) is the f64 nearest the decimal, converted to
the fixed format rounding to nearest with ties to even (substrate-fixed `to_neg_abs_overflow`);
`f64_literal` computes those bits with integers only.

Dictionaries keyed by netuid are iterated in ascending netuid order, as the chain's BTreeMaps.

Source: opentensor/subtensor at 14bc6f9f, `pallets/subtensor/src/coinbase/{run_coinbase.rs,
subnet_emissions.rs,block_step.rs}`, `staking/stake_utils.rs` (`update_moving_price`,
`get_tao_weight`), `staking/helpers.rs` (`get_hotkey_take_float`), `utils/misc.rs`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from amm.fixed import I96F32, U64F64, U96F32, Format, convert, f64_literal
from chain.local import emission_gate as eg
from chain.local.network_lock import storage_order

__all__ = [
    "DEFAULT_SUBNET_OWNER_CUT",
    "DEFAULT_TAO_WEIGHT",
    "EMA_PRICE_HALVING_BLOCKS",
    "HALF_U96F32",
    "MAINNET_TAO_WEIGHT",
    "MAX_TEMPO",
    "MOVING_ALPHA",
    "AlphaSplit",
    "blocks_since_start_call",
    "emission_shares_and_bar",
    "enabled_shares",
    "GateParams",
    "gated_shares",
    "EpochClock",
    "EpochSchedule",
    "f64_literal",
    "initial_last_epoch_block",
    "miner_burned",
    "moving_alpha_price",
    "update_moving_price_blocks",
    "owner_cut_and_pending",
    "owner_cut_fraction",
    "price_shares",
    "root_proportion",
    "root_sell_flag",
    "block_tao_emissions",
    "schedule_epochs",
    "epoch_cap_for_block",
    "should_run_epoch",
    "split_dividends",
    "subnet_emission_shares",
    "subnet_tao_emissions",
    "subnet_terms",
    "subnet_terms_rao",
    "SubnetTerms",
    "TermsRao",
    "take_fraction",
    "tao_weight",
    "update_moving_price",
    "validator_pool",
    "validator_take_split",
    "weighted_shares",
]


MAX_U64 = 2**64 - 1
_MAX_U128 = 2**128 - 1
_ONE64 = 1 << 64  # U64F64 1.0
_MAX_I96 = 2**127 - 1  # I96F32's largest bits
U16_MAX = 65_535
MAX_TEMPO = 50_400
"""Safety net of the epoch scheduler: an epoch is forced after this many blocks without one."""

DEFAULT_SUBNET_OWNER_CUT = 11_796
"""`SubnetOwnerCut` runtime default, over 65535 (about 18%)."""
DEFAULT_TAO_WEIGHT = 971_718_665_099_567_868
"""`TaoWeight` runtime default, over u64::MAX (about 0.0527)."""
MAINNET_TAO_WEIGHT = 3_320_413_933_267_719_290
"""`TaoWeight` set on mainnet by `migrate_rao` (0.18)."""
EMA_PRICE_HALVING_BLOCKS = 201_600
"""`EMAPriceHalvingBlocks` default (four weeks)."""


# --- Float literals ----------------------------------------------------------------------------


MOVING_ALPHA = f64_literal("0.000003", I96F32)
"""`SubnetMovingAlpha` default, `I96F32::saturating_from_num(0.000003)` (bits 12885)."""
HALF_U96F32 = U96F32.one >> 1


# --- Weights and proportions -------------------------------------------------------------------


@lru_cache(maxsize=64)
def tao_weight(tao_weight_u64: int) -> int:
    """`get_tao_weight`: `U96F32(TaoWeight) / U96F32(u64::MAX)`, truncated (U96F32 bits)."""
    return U96F32.div(U96F32.from_int(tao_weight_u64), U96F32.from_int(MAX_U64))


def root_proportion(root_tao: int, tao_weight_u64: int, alpha_issuance: int) -> int:
    """`root_proportion(n)` as U96F32 bits: `w*tau / (w*tau + alpha_issuance)` where
    `tau = SubnetTAO[ROOT]`, `w = tao_weight(TaoWeight)`, and `alpha_issuance = SubnetAlphaIn[n] +
    SubnetAlphaOut[n]`. The product floors, the quotient truncates; 0 if the denominator is 0."""
    return root_proportion_of(weighted_root_tao(root_tao, tao_weight_u64), alpha_issuance)


def weighted_root_tao(root_tao: int, tao_weight_u64: int) -> int:
    """`w * tau` of `root_proportion` (U96F32 bits, the product floors): constant over a run of
    blocks, so the coinbase computes it once."""
    return U96F32.saturating_mul(U96F32.from_int(root_tao), tao_weight(tao_weight_u64))


def root_proportion_of(weighted_root: int, alpha_issuance: int) -> int:
    """`root_proportion` from `weighted_root_tao`: `wt / (wt + alpha_issuance)`, truncated.
    (Twice per subnet per block: for non-negative operands, the U96F32 clamp and division are
    inlined; a property test holds them to `U96F32.clamp` / `U96F32.div`.)"""
    if weighted_root >= 0 and alpha_issuance >= 0:
        denominator = weighted_root + (alpha_issuance << 32)
        if denominator > _MAX_U128:
            denominator = _MAX_U128
        return (weighted_root << 32) // denominator if denominator else 0
    denominator = U96F32.clamp(weighted_root + U96F32.from_int(alpha_issuance))
    if denominator == 0:
        return 0
    return U96F32.div(weighted_root, denominator)


def moving_alpha_price(moving_price_i96f32: int, is_root_or_stable: bool = False) -> int:
    """`get_moving_alpha_price` as U64F64 bits: 1.0 for root and stable (mechanism 0) subnets,
    otherwise the stored `SubnetMovingPrice` (I96F32) converted, saturating (negatives -> 0)."""
    if is_root_or_stable:
        return U64F64.one
    # `convert(.., I96F32, U64F64)` for this one case (every subnet, every block): 32 more
    # fractional bits, negatives to 0, capped at the top of U64F64
    return 0 if moving_price_i96f32 < 0 else min(moving_price_i96f32 << 32, U64F64.max_bits)


def _saturating_sum(values: Iterable[int], fmt: Format) -> int:
    """A fold of `saturating_add` over non-negative values: once it saturates it stays there,
    so this is the plain sum clamped at the end."""
    return min(sum(values), fmt.max_bits)


def _checked_div(fmt: Format, a: int, b: int) -> int | None:
    """`checked_div`: None on division by zero or when the quotient leaves the format."""
    if b == 0:
        return None
    q = fmt.div(a, b)
    return q if fmt.min_bits <= q <= fmt.max_bits else None


# --- Emission shares across subnets (§3.3) ----------------------------------------------------


def price_shares(moving_prices: Mapping[int, int]) -> dict[int, int]:
    """`get_shares_price_ema`: each subnet's moving price (U64F64 bits, from
    `moving_alpha_price`) over their saturating sum; 0 where the sum is 0 (U64F64 bits)."""
    total = _saturating_sum(moving_prices.values(), U64F64)
    return {n: _checked_div(U64F64, moving_prices[n], total) or 0 for n in sorted(moving_prices)}


def weighted_shares(shares: Mapping[int, int], miner_burned: Mapping[int, int]) -> dict[int, int]:
    """`get_shares` (HEAD): weight each price share by `1 - min(MinerBurned, 1)` (MinerBurned is
    U96F32 bits, missing = 0). Renormalise by the saturating sum; if the sum is 0, fall back to
    the unweighted shares. All U64F64, products floor, quotients truncate."""
    one = U64F64.one
    weighted: dict[int, int] = {}
    for netuid in sorted(shares):
        burned = min(convert(miner_burned.get(netuid, 0), U96F32, U64F64), one)
        weighted[netuid] = U64F64.saturating_mul(shares[netuid], one - burned)
    total = _saturating_sum(weighted.values(), U64F64)
    if total == 0:
        return dict(sorted(shares.items()))
    return {n: _checked_div(U64F64, w, total) or 0 for n, w in weighted.items()}


def enabled_shares(shares: Mapping[int, int], enabled: Mapping[int, bool]) -> dict[int, int]:
    """`get_subnet_block_emissions`' renormalisation: when any subnet has
    `SubnetEmissionEnabled == false` (missing = true), disabled subnets get 0 and enabled ones
    `share / sum(enabled shares)` (0 if that sum is 0); otherwise shares are unchanged."""
    ordered = sorted(shares)
    if all(enabled.get(n, True) for n in ordered):
        return {n: shares[n] for n in ordered}
    total = _saturating_sum((shares[n] for n in ordered if enabled.get(n, True)), U64F64)
    out = {}
    for n in ordered:
        if enabled.get(n, True) and total > 0:
            out[n] = _checked_div(U64F64, shares[n], total) or 0
        else:
            out[n] = 0
    return out


class GateParams(NamedTuple):
    """The emission gate's storage as a block reads it (`emission_gate`): `EmissionGateBar`
    (U64F64 bits, 0 = unset), `EmissionBarRank`, `EmissionBarQuantile`, `EmissionGateExponent`
    (U64F64 bits)."""

    bar: int = 0
    rank: int = eg.DEFAULT_BAR_RANK
    quantile: int = eg.DEFAULT_BAR_QUANTILE
    exponent: int = eg.DEFAULT_GATE_EXPONENT


def gated_shares(shares: Mapping[int, int], block: int,
                 params: GateParams) -> tuple[dict[int, int], int]:
    """`maybe_update_emission_gate_bar` then `apply_emission_gate` on the miner-burn-weighted
    shares of block `block`: returns the gated, renormalised shares and the bar in force
    (recomputed at multiples of 360 or when unset; a zero recomputation keeps the old bar)."""
    ordered = sorted(shares)
    values = [shares[n] for n in ordered]
    bar = params.bar
    if eg.bar_due(block, bar):
        bar = eg.gate_bar(values, params.rank, params.quantile) or bar
    return dict(zip(ordered, eg.apply_gate(values, bar, params.exponent), strict=True)), bar


def emission_shares_and_bar(
    moving_prices: Mapping[int, int],
    miner_burned: Mapping[int, int] | None,
    enabled: Mapping[int, bool] | None,
    block: int,
    gate: GateParams,
) -> tuple[dict[int, int], int]:
    """`get_shares` + `get_subnet_block_emissions`' renormalisation at spec 461-475
    (ECONOMICS-2026 §3.3): price shares, weighted by 1 - MinerBurned and renormalised, then the
    emission gate, then emission-disabled subnets zeroed and the rest renormalised (the gate
    sees disabled subnets: they can hold a rank and move the bar). Returns the final U64F64
    shares and the bar in force (`EmissionGateBar` after the block)."""
    shares = weighted_shares(price_shares(moving_prices), miner_burned or {})
    shares, bar = gated_shares(shares, block, gate)
    return enabled_shares(shares, enabled or {}), bar


def subnet_emission_shares(
    moving_prices: Mapping[int, int],
    miner_burned: Mapping[int, int] | None = None,
    enabled: Mapping[int, bool] | None = None,
) -> dict[int, int]:
    """Final U64F64 share of the block's TAO emission for each emitting subnet WITHOUT the
    emission gate (the spec-425 rule, HEAD bb3591e7): `emission_shares_and_bar` is today's.

    `moving_prices`: netuid -> U64F64 bits (`moving_alpha_price`) for the subnets to emit to.
    """
    shares = weighted_shares(price_shares(moving_prices), miner_burned or {})
    return enabled_shares(shares, enabled or {})


def subnet_tao_emissions(shares: Mapping[int, int], block_emission: int) -> dict[int, int]:
    """Each subnet's TAO emission as U96F32 bits: `U96F32(U64F64(block_emission) * share)`
    (the product floors at 64 fractional bits, the conversion drops 32 more)."""
    emission = U64F64.from_int(block_emission)
    return {
        n: convert(U64F64.saturating_mul(emission, shares[n]), U64F64, U96F32)
        for n in sorted(shares)
    }


def block_tao_emissions(moving_prices_i96f32: Sequence[int], miner_burned: Sequence[int],
                        enabled: Sequence[bool], block_emission: int, block: int = 0,
                        gate: GateParams | None = None) -> tuple[list[int], bool, int]:
    """One block's TAO emission per emitting subnet (U96F32 bits, in the order given), the
    root sell flag and the gate bar in force: `subnet_tao_emissions` of
    `emission_shares_and_bar(..)` (without the gate when `gate` is None: the bar is then 0)
    and `root_sell_flag` over `moving_alpha_price` of each stored price. The coinbase runs
    this every block, so the share passes work on lists with the U64F64 steps inlined (same
    truncations and saturations; a property test holds it to the composition)."""
    one, top = U64F64.one, U64F64.max_bits
    # `moving_alpha_price` of each (I96F32 to U64F64: negatives 0, capped at the top)
    prices = [0 if m < 0 else v if (v := m << 32) < top else top
              for m in moving_prices_i96f32]
    price_sum = sum(prices)
    total = min(price_sum, top)
    # `_checked_div(U64F64, p, total) or 0` of non-negative prices: truncated, 0 when the
    # total is 0 or the quotient leaves U64F64
    shares = [q if (q := (p << 64) // total) <= top else 0 for p in prices] if total \
        else [0] * len(prices)
    if any(miner_burned):
        weighted = [min((share * (one - min(min(max(b, 0) << 32, top), one))) >> 64, top)
                    for share, b in zip(shares, miner_burned, strict=True)]
    else:  # nothing burned: each share times exactly 1.0, floored, is itself (<= top)
        weighted = shares
    total = min(sum(weighted), top)
    if total:  # `_checked_div(U64F64, w, total) or 0` of non-negative shares
        shares = [q if (q := (w << 64) // total) <= top else 0 for w in weighted]
    bar = 0
    if gate is not None:
        bar = gate.bar
        if eg.bar_due(block, bar):
            bar = eg.gate_bar(shares, gate.rank, gate.quantile) or bar
        shares = eg.apply_gate(shares, bar, gate.exponent)
    if not all(enabled):  # the same division inlined (shares are non-negative)
        total = min(sum(s for s, on in zip(shares, enabled, strict=True) if on), top)
        shares = [(q if q <= top else 0) if on and total else 0
                  for q, on in zip(((s << 64) // total if total else 0 for s in shares),
                                   enabled, strict=True)]
    emission = block_emission << 64
    # U96F32(U64F64(emission) * share): the product floored and capped at the top, 32 bits
    # dropped (below U96F32's top, so its own cap cannot bind)
    return ([(e if (e := (emission * share) >> 64) < top else top) >> 32 for share in shares],
            price_sum > one, bar)


def root_sell_flag(moving_prices: Iterable[int]) -> bool:
    """`get_network_root_sell_flag`: root alpha is paid out (not recycled) when the sum of the
    emitting subnets' moving prices (U64F64 bits) is strictly above 1.0."""
    return sum(moving_prices) > U64F64.one


# --- Subnet terms and the alpha split (§3.4) --------------------------------------------------


class SubnetTerms(NamedTuple):
    """One subnet's injection for a block, U96F32 bits (`get_subnet_terms`). The chain floors
    each to rao when it uses it; the `*_rao` properties do that. (A NamedTuple: one is built
    per subnet per block.)"""

    tao_in: int
    alpha_in: int
    alpha_out: int
    excess_tao: int

    @property
    def tao_in_rao(self) -> int:
        return U96F32.to_u64(self.tao_in)

    @property
    def alpha_in_rao(self) -> int:
        return U96F32.to_u64(self.alpha_in)

    @property
    def alpha_out_rao(self) -> int:
        return U96F32.to_u64(self.alpha_out)

    @property
    def excess_tao_rao(self) -> int:
        """TAO the chain buys alpha with (fee-less swap) instead of injecting it."""
        return U96F32.to_u64(self.excess_tao)


def subnet_terms(
    tao_emission: int, alpha_emission: int, price_u64f64: int, root_proportion_u96f32: int
) -> SubnetTerms:
    """`get_subnet_terms` for one subnet.

    `tao_emission`: U96F32 bits (from `subnet_tao_emissions`); `alpha_emission`: integer rao
    (block emission for the subnet's alpha issuance); `price_u64f64`: the pool's current price
    (U64F64 bits), converted to U96F32 (drops 32 bits); `root_proportion_u96f32`: from
    `root_proportion`, before this block's injection.

    `alpha_in = tao_emission / price` (0 if the price is 0), capped at `root_proportion *
    alpha_emission`; when capped, `tao_in = alpha_in * price`, and the rest of the TAO emission
    is `excess_tao`. `alpha_out` is always the full alpha emission.
    """
    price = convert(price_u64f64, U64F64, U96F32)
    alpha_out = U96F32.from_int(alpha_emission)
    tao_in = tao_emission
    alpha_in = _checked_div(U96F32, tao_emission, price) or 0
    cap = U96F32.saturating_mul(root_proportion_u96f32, alpha_out)
    if alpha_in > cap:
        alpha_in = cap
        tao_in = U96F32.saturating_mul(alpha_in, price)
    excess = max(tao_emission - tao_in, 0)
    return SubnetTerms(tao_in=tao_in, alpha_in=alpha_in, alpha_out=alpha_out, excess_tao=excess)


class TermsRao(NamedTuple):
    """`SubnetTerms` floored to rao, plus `alpha_out` in U96F32 bits (what the owner split
    takes)."""

    tao_in: int
    alpha_in: int
    alpha_out: int
    excess_tao: int
    alpha_out_bits: int


def subnet_terms_rao(tao_emission: int, alpha_emission: int, price_u64f64: int,
                     weighted_root: int, alpha_issuance: int) -> TermsRao:
    """`subnet_terms(tao_emission, alpha_emission, price, root_proportion_of(weighted_root,
    alpha_issuance))` with each amount floored to rao: the coinbase's form, run for every
    subnet in every block, so the terms' U96F32 steps are inlined (same truncations, same
    saturation; a property test holds it to the composition)."""
    top = _MAX_U128
    if 0 <= weighted_root < ROOT_INLINE and 0 <= alpha_issuance <= MAX_U64:
        # `root_proportion_of`, inlined where its denominator cannot reach the U96F32 cap
        proportion = weighted_root + (alpha_issuance << 32)
        proportion = (weighted_root << 32) // proportion if proportion else 0
    else:
        proportion = root_proportion_of(weighted_root, alpha_issuance)
    price = price_u64f64 >> 32
    if price > top:
        price = top
    alpha_out = alpha_emission << 32
    alpha_in = 0
    if price:
        quotient = (tao_emission << 32) // price
        alpha_in = quotient if quotient <= top else 0  # checked_div fails: 0
    tao_in = tao_emission
    cap = (proportion * alpha_out) >> 32  # U96F32 saturating_mul: clamped to [0, top]
    cap = top if cap > top else 0 if cap < 0 else cap
    if alpha_in > cap:
        alpha_in = cap
        tao_in = (alpha_in * price) >> 32
        tao_in = top if tao_in > top else 0 if tao_in < 0 else tao_in
    excess = tao_emission - tao_in
    # `U96F32.to_u64` (`_rao`) of each, inlined: floored to rao, 0 below, u64::MAX above
    u64 = MAX_U64
    tao_rao = tao_in >> 32 if tao_in > 0 else 0
    alpha_rao = alpha_in >> 32 if alpha_in > 0 else 0
    out_rao = alpha_out >> 32 if alpha_out > 0 else 0
    excess_rao = excess >> 32 if excess > 0 else 0
    return _new_tuple(TermsRao, (tao_rao if tao_rao < u64 else u64,
                                 alpha_rao if alpha_rao < u64 else u64,
                                 out_rao if out_rao < u64 else u64,
                                 excess_rao if excess_rao < u64 else u64, alpha_out))


ROOT_INLINE = 1 << 127
"""Below it (and an alpha issuance below 2^95), `w*tau + alpha_issuance` stays under 2^128:
`subnet_terms_rao` (and the coinbase's fused step) divide without the U96F32 clamp."""
_new_tuple = tuple.__new__
"""`_new_tuple(T, values)` is `T(*values)` for a NamedTuple `T` given every field, without
its Python-level `__new__` (one per subnet per block)."""


def _rao(bits: int) -> int:
    """`U96F32.to_u64`."""
    if bits <= 0:
        return 0
    whole = bits >> 32
    return whole if whole < MAX_U64 else MAX_U64


class AlphaSplit(NamedTuple):
    """Where one block's `alpha_out` goes (`emit_to_subnets`), in rao (each floored separately).

    `alpha_created` is minted into `SubnetAlphaOut` up front. `pending_root` is added to
    `PendingRootAlphaDivs` when root sells are on; otherwise `root_recycled` is recycled
    (subtracted from `SubnetAlphaOut`). Floor dust stays counted in `SubnetAlphaOut`."""

    alpha_created: int
    owner_cut: int
    pending_server: int
    pending_validator: int
    root_alpha: int
    pending_root: int
    root_recycled: int


@lru_cache(maxsize=64)
def owner_cut_fraction(owner_cut_u16: int) -> int:
    """`get_float_subnet_owner_cut`: `U96F32(SubnetOwnerCut) / U96F32(65535)`, truncated."""
    return U96F32.div(U96F32.from_int(owner_cut_u16), U96F32.from_int(U16_MAX))


def owner_cut_and_pending(
    alpha_out: int,
    owner_cut_u16: int,
    root_proportion_u96f32: int,
    root_sell: bool,
    owner_cut_enabled: bool = True,
) -> AlphaSplit:
    """Split `alpha_out` (U96F32 bits, `SubnetTerms.alpha_out`) as `emit_to_subnets` does:

        owner_cut         = alpha_out * cut                      (if OwnerCutEnabled)
        rest              = alpha_out - owner_cut
        root_alpha        = root_proportion * rest * 0.5
        pending_server    = rest * 0.5
        pending_validator = (rest - pending_server) - root_alpha

    all in U96F32 (products floor, subtractions saturate at 0), each floored to rao on its own.
    The chain computes `root_proportion` here AFTER this block's injection and alpha_out mint
    (SubnetAlphaIn and SubnetAlphaOut have grown), so pass that value, not the one used by
    `subnet_terms`.
    """
    # products floor and saturate, subtractions saturate at 0, each amount floors to rao
    rest = alpha_out
    owner_cut = 0
    if owner_cut_enabled:
        owner_cut = U96F32.saturating_mul(rest, owner_cut_fraction(owner_cut_u16))
        rest = max(rest - owner_cut, 0)
    root_alpha = U96F32.saturating_mul(U96F32.saturating_mul(root_proportion_u96f32, rest),
                                       HALF_U96F32)
    pending_server = U96F32.saturating_mul(rest, HALF_U96F32)
    pending_validator = max(max(rest - pending_server, 0) - root_alpha, 0)
    rao = U96F32.to_u64
    root_rao = rao(root_alpha)
    return AlphaSplit(rao(alpha_out), rao(owner_cut), rao(pending_server),
                      rao(pending_validator), root_rao, root_rao if root_sell else 0,
                      0 if root_sell else root_rao)


def pending_split(alpha_out: int, cut_fraction: int,
                  root_proportion_u96f32: int) -> tuple[int, int, int, int]:
    """(owner_cut, pending_server, pending_validator, root_alpha) in rao of
    `owner_cut_and_pending(alpha_out, .., root_proportion)` with the owner cut on, for the
    coinbase (every subnet, every block): `cut_fraction` is `owner_cut_fraction(cut)`, and for
    non-negative operands the U96F32 products (floored, saturating), subtractions (at 0) and
    rao conversions are inlined. A property test holds it to `owner_cut_and_pending`."""
    if not 0 <= alpha_out <= _MAX_U128 or cut_fraction < 0 or root_proportion_u96f32 < 0:
        split = _split_reference(alpha_out, cut_fraction, root_proportion_u96f32)
        return split
    top, u64 = _MAX_U128, MAX_U64
    owner = (alpha_out * cut_fraction) >> 32
    if owner > top:
        owner = top
    rest = alpha_out - owner if alpha_out > owner else 0
    root_alpha = (root_proportion_u96f32 * rest) >> 32
    if root_alpha > top:
        root_alpha = top
    root_alpha = (root_alpha * HALF_U96F32) >> 32  # at most half of top: no cap needed
    server = (rest * HALF_U96F32) >> 32  # likewise
    validator = rest - server - root_alpha if rest > server + root_alpha else 0
    owner, server, validator, root_alpha = \
        owner >> 32, server >> 32, validator >> 32, root_alpha >> 32
    return (owner if owner < u64 else u64, server if server < u64 else u64,
            validator if validator < u64 else u64, root_alpha if root_alpha < u64 else u64)


def _split_reference(alpha_out: int, cut_fraction: int,
                     root_proportion_u96f32: int) -> tuple[int, int, int, int]:
    """`pending_split` through the generic U96F32 steps (any operands)."""
    owner_cut = U96F32.saturating_mul(alpha_out, cut_fraction)
    rest = max(alpha_out - owner_cut, 0)
    root_alpha = U96F32.saturating_mul(U96F32.saturating_mul(root_proportion_u96f32, rest),
                                       HALF_U96F32)
    server = U96F32.saturating_mul(rest, HALF_U96F32)
    validator = max(max(rest - server, 0) - root_alpha, 0)
    rao = U96F32.to_u64
    return rao(owner_cut), rao(server), rao(validator), rao(root_alpha)


# --- Moving price (§3.5) -----------------------------------------------------------------------


def blocks_since_start_call(current_block: int, first_emission_block: int | None) -> int:
    """Blocks since `start_call`: `current_block - (FirstEmissionBlockNumber - 1)`, saturating
    (an unset first emission block counts as 0)."""
    return max(current_block - start_call_block(first_emission_block), 0)


def start_call_block(first_emission_block: int | None) -> int:
    """The block `start_call` ran at: `FirstEmissionBlockNumber - 1`, saturating (unset: 0)."""
    return max((first_emission_block or 0) - 1, 0)


@lru_cache(maxsize=1024)
def _ema_alpha(blocks_since_start: int, halving_blocks: int, moving_alpha_i96f32: int) -> int:
    """The EMA's per-block weight, U64F64: `SubnetMovingAlpha * (b / (b + halving_blocks))`,
    the quotient first (truncating), then the product (floored, saturating). Cached: subnets
    started at the same block share it in every block."""
    b = U64F64.from_int(blocks_since_start)
    ramp = _checked_div(U64F64, b, U64F64.clamp(b + U64F64.from_int(halving_blocks))) or 0
    return U64F64.saturating_mul(convert(moving_alpha_i96f32, I96F32, U64F64), ramp)


def update_moving_price(
    moving_price_i96f32: int,
    spot_price_u64f64: int,
    blocks_since_start: int,
    halving_blocks: int = EMA_PRICE_HALVING_BLOCKS,
    moving_alpha_i96f32: int = MOVING_ALPHA,
    is_root_or_stable: bool = False,
) -> int:
    """The new `SubnetMovingPrice` (I96F32 bits) after one block (`update_moving_price`):

        alpha = SubnetMovingAlpha * (b / (b + halving_blocks))          U64F64
        new   = alpha * min(spot, 1.0) + (1 - alpha) * previous          U64F64
        store I96F32(new)  (drops 32 fractional bits)

    `b` is `blocks_since_start_call`; the quotient is taken first and truncates, the products
    floor, sums saturate. `previous` is `moving_alpha_price` (1.0 for root and stable subnets).
    """
    # U64F64 inlined (every subnet, every block): operands are non-negative, so each
    # saturating product is the floored product capped at the format's top (caps written as
    # comparisons: the builtin `min` costs more than the arithmetic here)
    one, top = _ONE64, _MAX_U128
    # `_ema_alpha` inlined (its cache missed: `blocks_since_start` moves every block): the
    # ramp b / (b + halving_blocks) in U64F64, truncated (0 on a zero or overflowing
    # quotient), times the moving alpha converted to U64F64 (negatives 0), floored, saturated
    ramp_den = (blocks_since_start + halving_blocks) << 64
    if ramp_den > top:
        ramp_den = top
    ramp = (blocks_since_start << 128) // ramp_den if ramp_den else 0
    if ramp > top:
        ramp = 0
    moving_alpha = moving_alpha_i96f32 << 32 if moving_alpha_i96f32 > 0 else 0
    if moving_alpha > top:
        moving_alpha = top
    alpha = (moving_alpha * ramp) >> 64
    if alpha > top:
        alpha = top
    price_term = (alpha * (spot_price_u64f64 if spot_price_u64f64 < one else one)) >> 64
    if price_term > top:
        price_term = top
    if is_root_or_stable:
        previous = one
    else:  # `moving_alpha_price`
        previous = moving_price_i96f32 << 32 if moving_price_i96f32 > 0 else 0
        if previous > top:
            previous = top
    moving_term = ((one - alpha if alpha < one else 0) * previous) >> 64
    if moving_term > top:
        moving_term = top
    new = price_term + moving_term
    new = (new if new < top else top) >> 32
    return new if new < _MAX_I96 else _MAX_I96


def update_moving_price_blocks(
    moving_price_i96f32: int,
    spot_price_u64f64: int,
    blocks_since_start: int,
    blocks: int,
    halving_blocks: int = EMA_PRICE_HALVING_BLOCKS,
    moving_alpha_i96f32: int = MOVING_ALPHA,
    is_root_or_stable: bool = False,
) -> int:
    """`blocks` applications of `update_moving_price` at a constant spot price, in closed form,
    for the coarse fast-forward (not bit-exact with the block-by-block EMA):

        new = target + (previous - target) * (1 - alpha)^blocks,   target = min(spot, 1.0)

    `alpha` is taken at `blocks_since_start`; the power is U64F64 by squaring (products floor).
    """
    if blocks <= 1:
        return update_moving_price(moving_price_i96f32, spot_price_u64f64, blocks_since_start,
                                   halving_blocks, moving_alpha_i96f32, is_root_or_stable)
    one = U64F64.one
    alpha = _ema_alpha(blocks_since_start, halving_blocks, moving_alpha_i96f32)
    base, factor, n = max(one - alpha, 0), one, blocks
    while n:
        if n & 1:
            factor = U64F64.saturating_mul(factor, base)
        base = U64F64.saturating_mul(base, base)
        n >>= 1
    target = min(spot_price_u64f64, one)
    previous = moving_alpha_price(moving_price_i96f32, is_root_or_stable)
    if previous >= target:
        new = target + U64F64.saturating_mul(previous - target, factor)
    else:
        new = target - U64F64.saturating_mul(target - previous, factor)
    return convert(U64F64.clamp(new), U64F64, I96F32)


# --- Distributing an epoch's output (§7.10) ----------------------------------------------------


def validator_pool(pending_server: int, pending_validator: int, incentive_sum: int) -> int:
    """Alpha for validators at an epoch: `pending_validator`, plus `pending_server` when the
    epoch paid no incentive at all (then validators get the miners' half too)."""
    if incentive_sum != 0:
        return pending_validator
    return min(pending_validator + pending_server, MAX_U64)


def split_dividends(
    pending_validator: int,
    pending_root: int,
    tao_weight_u96f32: int,
    stakes: Mapping[object, tuple[int, int]],
    dividends: Mapping[object, int],
) -> tuple[dict[object, int], dict[object, int]]:
    """`calculate_dividend_distribution`: share the epoch's alpha and root pots by dividend.

    `stakes[h] = (alpha_stake, root_stake)` in rao (TotalHotkeyAlpha on the subnet and on root);
    `dividends[h]` are U96F32 bits. Hotkeys without a stake entry are skipped. Per hotkey, in
    U96F32:

        root_prop  = root_stake*w / (alpha_stake + root_stake*w)     (0 if the sum is 0)
        root_div   = dividend * root_prop ;  alpha_div = dividend - root_div
        alpha_h    = pending_validator * alpha_div / sum(alpha_div)
        root_h     = pending_root      * root_div  / sum(root_div)

    Returns (alpha dividends, root alpha dividends), U96F32 bits per hotkey, in `dividends`'
    order (pass it sorted as the chain's BTreeMap: by AccountId bytes).
    """
    alpha_divs: dict[object, int] = {}
    root_divs: dict[object, int] = {}
    total_alpha = total_root = 0
    for hotkey, dividend in dividends.items():
        if hotkey not in stakes:
            continue
        if dividend == 0:  # nothing to split (most UIDs: miners); the sums do not move
            alpha_divs.setdefault(hotkey, 0)
            root_divs.setdefault(hotkey, 0)
            continue
        alpha_stake, root_stake = stakes[hotkey]
        root_alpha = U96F32.saturating_mul(U96F32.from_int(root_stake), tao_weight_u96f32)
        total_stake = U96F32.clamp(U96F32.from_int(alpha_stake) + root_alpha)
        root_prop = _checked_div(U96F32, root_alpha, total_stake) or 0
        root_div = U96F32.saturating_mul(dividend, root_prop)
        alpha_div = max(dividend - root_div, 0)
        alpha_divs[hotkey] = U96F32.clamp(alpha_divs.get(hotkey, 0) + alpha_div)
        root_divs[hotkey] = U96F32.clamp(root_divs.get(hotkey, 0) + root_div)
        total_alpha = U96F32.clamp(total_alpha + alpha_div)
        total_root = U96F32.clamp(total_root + root_div)
    pending_validator_fixed = U96F32.from_int(pending_validator)
    pending_root_fixed = U96F32.from_int(pending_root)
    alpha_out = {
        h: U96F32.saturating_mul(pending_validator_fixed, _checked_div(U96F32, d, total_alpha) or 0)
        if d else 0 for h, d in alpha_divs.items()
    }
    root_out = {
        h: U96F32.saturating_mul(pending_root_fixed, _checked_div(U96F32, d, total_root) or 0)
        if d else 0 for h, d in root_divs.items()
    }
    return alpha_out, root_out


@lru_cache(maxsize=1024)
def take_fraction(take_u16: int) -> int:
    """`get_hotkey_take_float`: `U96F32(Delegates[h]) / U96F32(65535)`, truncated."""
    return U96F32.div(U96F32.from_int(take_u16), U96F32.from_int(U16_MAX))


def validator_take_split(dividend_u96f32: int, take_u16: int) -> tuple[int, int]:
    """Split one hotkey's dividend (U96F32 bits) into (take, rest) in rao: `take = take_fraction
    * dividend` (floor) is staked to the hotkey's owner coldkey; `rest = dividend - take` goes to
    all nominators pro rata (alpha dividends) or to root claimable (root dividends). Each is
    floored to rao separately, so up to 2 rao of dust can be lost per hotkey."""
    take = U96F32.saturating_mul(take_fraction(take_u16), dividend_u96f32)
    rest = max(dividend_u96f32 - take, 0)
    return U96F32.to_u64(take), U96F32.to_u64(rest)


def miner_burned(withheld_incentive: int, total_incentive: int) -> int:
    """`MinerBurned[n]` after an epoch (U96F32 bits): the share of miner incentive withheld
    because it went to owner hotkeys, `U96F32(withheld) / U96F32(total)`; 0 if total is 0."""
    q = _checked_div(U96F32, U96F32.from_int(withheld_incentive), U96F32.from_int(total_incentive))
    return q or 0


# --- Epoch schedule (§3.6) ---------------------------------------------------------------------


def should_run_epoch(
    tempo: int,
    block: int,
    last_epoch_block: int,
    pending_epoch_at: int = 0,
    blocks_since_last_step: int = 0,
) -> bool:
    """`should_run_epoch`: never with tempo 0; yes if an owner trigger / deferral is due
    (`PendingEpochAt > 0` and reached), or (the safety net, ECONOMICS-2026 §0 item 14) after
    more than `tempo` blocks without a step, or once `block - LastEpochBlock >= tempo`
    (saturating)."""
    if tempo == 0:
        return False
    if pending_epoch_at > 0 and block >= pending_epoch_at:
        return True
    if blocks_since_last_step > tempo:
        return True
    return max(block - last_epoch_block, 0) >= tempo


def initial_last_epoch_block(netuid: int, tempo: int, block: int) -> int:
    """`LastEpochBlock` given to a new subnet: `block - (netuid mod max(tempo, 1))`, saturating,
    which staggers subnets' epochs."""
    return max(block - netuid % max(tempo, 1), 0)


class EpochClock(NamedTuple):
    """One subnet's epoch-scheduler storage: `Tempo`, `LastEpochBlock`, `PendingEpochAt`,
    `BlocksSinceLastStep`, `SubnetEpochIndex`. (A NamedTuple: a block with an epoch due
    rebuilds every subnet's clock, twice.)"""

    tempo: int
    last_epoch_block: int
    pending_epoch_at: int = 0
    blocks_since_last_step: int = 0
    epoch_index: int = 0


@dataclass(frozen=True)
class EpochSchedule:
    """The outcome of one block's `drain_pending` scheduling."""

    clocks: dict[int, EpochClock]
    """Every subnet's clock after the block."""
    run: list[int]
    """Subnets whose epoch runs (and whose pending emission is drained), in order."""
    deferred: list[int]
    """Due subnets beyond the per-block cap, pushed to `PendingEpochAt = block + 1`."""


def epoch_cap_for_block(clocks: Mapping[int, EpochClock], block: int, configured: int,
                        null_subnets: frozenset[int] | set[int] = frozenset()) -> int:
    """`epoch_cap_for_block` (475): `MaxEpochsPerBlock`, or at most 1 when any non-root subnet
    in Null mode (`null_subnets`) is due this block (a large Null epoch takes the block)."""
    for netuid in null_subnets:
        c = clocks.get(netuid)
        if netuid != 0 and c is not None and should_run_epoch(
                c.tempo, block, c.last_epoch_block, c.pending_epoch_at, c.blocks_since_last_step):
            return min(configured, 1)
    return configured


def schedule_epochs(
    clocks: Mapping[int, EpochClock],
    block: int,
    max_epochs_per_block: int = 2,
    null_subnets: frozenset[int] | set[int] = frozenset(),
) -> EpochSchedule:
    """`drain_pending`'s scheduling, per subnet in storage order (`network_lock.storage_order`):
    `BlocksSinceLastStep += 1`, saturating at `tempo + 1` (475); if `should_run_epoch`, either
    defer it (cap reached: `epoch_cap_for_block`, 1 when a Null subnet is due) or run it
    (reset `BlocksSinceLastStep`); a run consumes the slot: `LastEpochBlock = block`,
    `PendingEpochAt = 0`, index + 1. Root (netuid 0) is not passed in by the chain. (The chain
    also skips, slot consumed and pending kept, a subnet whose epoch input is inconsistent: the
    bundled chain's input always is.)"""
    out: dict[int, EpochClock] = {}
    run: list[int] = []
    deferred: list[int] = []
    max_epochs_per_block = epoch_cap_for_block(clocks, block, max_epochs_per_block, null_subnets)
    for netuid in sorted(clocks, key=storage_order):
        c = clocks[netuid]
        since = min(c.blocks_since_last_step + 1, c.tempo + 1)
        c = EpochClock(c.tempo, c.last_epoch_block, c.pending_epoch_at, since, c.epoch_index)
        if not should_run_epoch(c.tempo, block, c.last_epoch_block, c.pending_epoch_at, since):
            out[netuid] = c
            continue
        if len(run) >= max_epochs_per_block:
            out[netuid] = EpochClock(c.tempo, c.last_epoch_block, block + 1, since, c.epoch_index)
            deferred.append(netuid)
            continue
        run.append(netuid)
        out[netuid] = EpochClock(c.tempo, block, 0, 0, c.epoch_index + 1)
    return EpochSchedule(clocks=out, run=run, deferred=deferred)


class DueEpochs(NamedTuple):
    """`EpochClocks.schedule`'s answer for a block with an epoch due."""

    run: list[int]
    """Subnets whose epoch runs, in order (`EpochSchedule.run`)."""
    last_epoch_blocks: dict[int, int]
    """Their `LastEpochBlock` before this block (what the epoch's blocks are counted from)."""


_NEVER = 2**63


class EpochClocks:
    """`schedule_epochs` block after block over a run of blocks, looking only at the subnets
    whose epoch can be due: for every other subnet it would only count
    `BlocksSinceLastStep` up, which is done when its clock is next read (`counted`). On the
    `mainnet` preset (128 subnets on 110 staggered slots of tempo 360) an epoch falls in about
    a third of the blocks, and rebuilding and testing all 128 clocks in each cost about half a
    second a day. `first_due` is exact, safety net included (the scheduler it replaces took
    the net roughly and missed it while no other subnet was due). A property test holds it to
    `schedule_epochs` over every clock in every block."""

    def __init__(self, clocks: Mapping[int, EpochClock], block: int) -> None:
        """`clocks` as they stand after `block`."""
        self.clocks = dict(clocks)
        self.drained = block  # the last block scheduled
        self.counted_through = dict.fromkeys(self.clocks, block)
        self.due = {n: first_due(c, block) for n, c in self.clocks.items()}
        self.next_due = min(self.due.values(), default=_NEVER)

    def schedule(self, block: int, max_epochs_per_block: int = 2,
                 null_subnets: frozenset[int] | set[int] = frozenset()) -> DueEpochs | None:
        """`schedule_epochs` at `block` (the block after the last one scheduled); None when no
        subnet's epoch can be due."""
        self.drained = block
        if block < self.next_due:
            return None
        due, counted_through = self.due, self.counted_through
        before = {n: self.counted(n, block - 1) for n, at in due.items() if at <= block}
        schedule = schedule_epochs(before, block, max_epochs_per_block, null_subnets)
        for n, clock in schedule.clocks.items():
            self.clocks[n] = clock
            counted_through[n] = block
            due[n] = first_due(clock, block)
        self.next_due = min(due.values(), default=_NEVER)
        return DueEpochs(schedule.run, {n: before[n].last_epoch_block for n in schedule.run})

    def counted(self, netuid: int, block: int) -> EpochClock:
        """The subnet's clock after `block` (no epoch of it due since it was last read)."""
        clock = self.clocks[netuid]
        blocks = block - self.counted_through[netuid]
        if blocks <= 0:
            return clock
        return EpochClock(clock.tempo, clock.last_epoch_block, clock.pending_epoch_at,
                          min(clock.blocks_since_last_step + blocks, clock.tempo + 1),
                          clock.epoch_index)

    def all(self) -> dict[int, EpochClock]:
        """Every clock after the last block scheduled."""
        return {n: self.counted(n, self.drained) for n in self.clocks}


def first_due(clock: EpochClock, block: int) -> int:
    """The first block after `block` (through which `clock` is counted) at which
    `should_run_epoch` can hold: `LastEpochBlock + tempo`, a `PendingEpochAt`, or the block at
    which `BlocksSinceLastStep` passes tempo (the safety net); never with tempo 0."""
    tempo = clock.tempo
    if tempo == 0:
        return _NEVER
    at = min(clock.last_epoch_block + tempo,
             block + tempo + 1 - clock.blocks_since_last_step)
    if clock.pending_epoch_at and clock.pending_epoch_at < at:
        at = clock.pending_epoch_at
    return at if at > block else block + 1

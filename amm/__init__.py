"""The exact integer math of a subnet pool, bit for bit as subtensor computes it. Pure: no I/O,
no numpy, no imports of chain/ or cli/.

Everything that moves a pool (quotes, the bundled chain's staking, registration buys, emission
injection) calls these same functions, so a quote equals its execution to the rao.

Public API (amounts are ints of rao, prices are U64F64 bit patterns unless named `_rao`):

    Pool(tao_reserve, alpha_reserve, tao_weight=HALF, fee_rate=33, model="weighted", stable=False)
    buy(pool, tao_in, *, limit_price=None, allow_partial=False, drop_fees=False) -> SwapResult
    sell(pool, alpha_in, *, limit_price=None, allow_partial=False, drop_fees=False) -> SwapResult
    swap(pool, "buy"|"sell", amount, *, limit_price=None, drop_fees=False, simulate=False)
        the pallet-level swap (no allow_partial logic, amount 0 allowed)
    spot_price(pool) -> int (U64F64 bits); price_rao(pool) -> floor(price * 1e9)
    max_amount_add(pool, limit_price_rao) / max_amount_remove(...) / max_amount(pool, dir, limit)
    amount_in_for_out(pool, direction, amount_out) -> smallest gross input giving >= amount_out
    adjust_protocol_liquidity(pool, tao, alpha) -> (pool re-weighted, tao, alpha) or (pool, 0, 0)
    inject_liquidity(pool, tao, alpha) -> the same, with the reserves also increased
    limit_price_for_tolerance(pool, direction, tolerance) -> rao per alpha
    swap_fee(pool, amount) -> the fee the chain takes from a gross amount
    alpha_amount_for_tao(pool, tao) -> alpha worth `tao` at the spot price (fees paid in alpha)
    worst_case_out(pool, direction, amount, limit_price) -> least output a limit order accepts

`SwapResult` fields: direction, amount_requested, amount_in (net_in + fee), fee, net_in,
amount_out, price_before, price_after (bits), slippage (rao of the output token, the chain's
SimSwapResult definition), partial, pool_before, pool_after; properties refund, ideal_out,
effective_price (bits), *_rao prices, slippage_pct and price_impact_pct (Decimal), to_json().

Models: "weighted" is the current pool (v3.4.8 and later), exact to the bit. "constant-product"
is the dTAO launch pool's pricing (U110F18 k = x*y, output floored, the output reserve kept at
10_000_000 rao or more); it takes the same fee_rate from the input, the same 1000x guard and the
same limit-order steps (closed-form square roots) rather than the launch runtime's flat 50_000
rao fee credited to the pool, so the two models compare like for like.

Errors (`amm.errors`, each with the chain's `name`): ReservesTooLow,
SwapInputTooLarge, PriceLimitExceeded, SlippageTooHigh, InsufficientLiquidity, InvalidWeights,
AmountTooLow, InvalidPool. Modules: `fixed` (substrate-fixed formats), `bigmath`
(pow_ratio_scaled), `balancer` (the weighted pool's formulas), `pool` (values), `swap` (the swap
steps, limits, reverse quote, injection).
"""

from amm.balancer import ACCURACY, HALF, MIN_WEIGHT, perquintill_from_rational
from amm.errors import (
    AmmError,
    AmountTooLow,
    InsufficientLiquidity,
    InvalidPool,
    InvalidWeights,
    PriceLimitExceeded,
    ReservesTooLow,
    SlippageTooHigh,
    SwapInputTooLarge,
)
from amm.pool import BUY, CONSTANT_PRODUCT, SELL, WEIGHTED, Pool, SwapResult, price_str
from amm.swap import (
    MAX_PRICE_RAO,
    MIN_PRICE_RAO,
    MINIMUM_RESERVE,
    adjust_protocol_liquidity,
    alpha_amount_for_tao,
    amount_in_for_out,
    buy,
    inject_liquidity,
    limit_price_for_tolerance,
    max_amount,
    max_amount_add,
    max_amount_remove,
    price_rao,
    sell,
    spot_price,
    swap,
    swap_fee,
    worst_case_out,
)

__all__ = [
    "ACCURACY",
    "BUY",
    "CONSTANT_PRODUCT",
    "HALF",
    "MAX_PRICE_RAO",
    "MINIMUM_RESERVE",
    "MIN_PRICE_RAO",
    "MIN_WEIGHT",
    "SELL",
    "WEIGHTED",
    "AmmError",
    "AmountTooLow",
    "InsufficientLiquidity",
    "InvalidPool",
    "InvalidWeights",
    "Pool",
    "PriceLimitExceeded",
    "ReservesTooLow",
    "SlippageTooHigh",
    "SwapInputTooLarge",
    "SwapResult",
    "adjust_protocol_liquidity",
    "alpha_amount_for_tao",
    "amount_in_for_out",
    "buy",
    "inject_liquidity",
    "limit_price_for_tolerance",
    "max_amount",
    "max_amount_add",
    "max_amount_remove",
    "perquintill_from_rational",
    "price_rao",
    "price_str",
    "sell",
    "spot_price",
    "swap",
    "swap_fee",
    "worst_case_out",
]

"""What a position is worth, one way for every view and every chain: its **spot value** (the
alpha at the pool's spot price) and its **exit value** (the TAO unstaking it now pays, after the
fee and the price impact). `wallet balance`, `stake list` and `wallet overview` all show these
two numbers, from `position` rows (`ChainBackend.stake_info`), so their totals agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from chain.rules.reader import MAX_U64

if TYPE_CHECKING:
    import amm


def spot_value(pool: amm.Pool, alpha: int) -> int:
    """Alpha at the spot price, floored: (alpha x U64F64 price) >> 64, as the runtime values
    stake (1:1 on root and stable pools)."""
    import amm

    return min((alpha * amm.spot_price(pool)) >> 64, MAX_U64)


def exit_value(pool: amm.Pool, alpha: int) -> int:
    """TAO an unstake of `alpha` would pay now (fee and slippage taken, the chain's own
    `amm.sell`, floored as it rounds); 0 if the pool cannot take it."""
    import amm

    try:
        return amm.sell(pool, alpha).amount_out
    except amm.AmmError:
        return 0


def position(pool: amm.Pool, hotkey: bytes, netuid: int, alpha: int, symbol: str) -> dict:
    """One row of `stake_info`: the position valued both ways (amounts in rao).
    `value_rao`/`unstake_rao` are the contract's older names of the same two numbers."""
    import amm

    spot, exit_ = spot_value(pool, alpha), exit_value(pool, alpha)
    return {"hotkey": "0x" + bytes(hotkey).hex(), "netuid": netuid, "alpha_rao": alpha,
            "spot_value_rao": spot, "exit_value_rao": exit_,
            "value_rao": spot, "unstake_rao": exit_,
            "price_rao": amm.price_rao(pool), "symbol": symbol}


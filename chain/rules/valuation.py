"""What a stake is worth: at the spot price, and what selling it now would pay."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chain.rules.reader import MAX_U64

if TYPE_CHECKING:
    import amm


def spot_value(pool: amm.Pool, alpha: int) -> int:
    """Alpha at the spot price, floored (U64F64 price times alpha, as the runtime does)."""
    import amm

    return min((alpha * amm.spot_price(pool)) >> 64, MAX_U64)


def exit_value(pool: amm.Pool, alpha: int) -> int:
    """TAO an unstake of `alpha` would pay now (fee and slippage taken); 0 if the pool
    cannot take it."""
    import amm

    try:
        return amm.sell(pool, alpha).amount_out
    except amm.AmmError:
        return 0


def position(pool: amm.Pool, hotkey: bytes, netuid: int, alpha: int, symbol: str) -> dict:
    """One row of `stake_info`: the position valued both ways (amounts in rao)."""
    import amm

    return {"hotkey": "0x" + bytes(hotkey).hex(), "netuid": netuid, "alpha_rao": alpha,
            "value_rao": spot_value(pool, alpha), "unstake_rao": exit_value(pool, alpha),
            "price_rao": amm.price_rao(pool), "symbol": symbol}

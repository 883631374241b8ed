"""A subnet pool and the result of one swap against it: plain frozen values, integers of rao.

`Pool` is what the chain stores for a subnet (`SubnetTAO`, `SubnetAlphaIn`, the balancer's TAO
weight, `FeeRate`) plus which pricing model applies. `SwapResult` is everything a quote shows and
an execution applies: the amounts, the fee, prices before and after as U64F64 bits, the
slippage as the chain's `SimSwapResult` defines it, and the pool afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from amm.balancer import ACCURACY, HALF, MAX_U64, weights_valid
from amm.errors import InvalidPool, InvalidWeights

WEIGHTED = "weighted"
CONSTANT_PRODUCT = "constant-product"
MODELS = (WEIGHTED, CONSTANT_PRODUCT)
BUY = "buy"  # TAO in, alpha out (stake)
SELL = "sell"  # alpha in, TAO out (unstake)
DEFAULT_FEE_RATE = 33  # FeeRate default, of 65535
MAX_FEE_RATE = 10_000  # runtime SwapMaxFeeRate
RAO_PER_TAO = 1_000_000_000
_FRACTION = (1 << 64) - 1


@dataclass(frozen=True, slots=True)
class Pool:
    """One subnet's pool. Reserves in rao; `tao_weight` is w2 in Perquintill parts of 1e18."""

    tao_reserve: int  # SubnetTAO (y)
    alpha_reserve: int  # SubnetAlphaIn (x)
    tao_weight: int = HALF  # w2, quote (TAO) weight; the alpha weight is 1e18 - w2
    fee_rate: int = DEFAULT_FEE_RATE  # of 65535
    model: str = WEIGHTED  # or "constant-product" (the dTAO launch pool)
    stable: bool = False  # root / mechanism 0: swaps are 1:1 without fee

    def __post_init__(self) -> None:
        for field in ("tao_reserve", "alpha_reserve", "tao_weight", "fee_rate"):
            value = getattr(self, field)
            if type(value) is not int:  # noqa: E721 - bool and floats are refused on purpose
                raise InvalidPool(f"{field} must be an integer, got {value!r}")
        if not 0 <= self.tao_reserve <= MAX_U64 or not 0 <= self.alpha_reserve <= MAX_U64:
            raise InvalidPool("reserves must be between 0 and u64::MAX rao")
        if self.model not in MODELS:
            raise InvalidPool(f"unknown pool model {self.model!r} (use {' or '.join(MODELS)})")
        if not 0 <= self.fee_rate <= MAX_FEE_RATE:
            raise InvalidPool(f"fee rate must be between 0 and {MAX_FEE_RATE} (of 65535)")
        if not weights_valid(self.tao_weight):
            raise InvalidWeights(
                f"TAO weight {weight_str(self.tao_weight)} is outside [0.01, 0.99]"
            )

    @classmethod
    def unchecked(cls, tao_reserve: int, alpha_reserve: int, tao_weight: int, fee_rate: int,
                  model: str, stable: bool) -> Pool:
        """A pool built from values the caller has already validated, without `__post_init__`
        (the coinbase builds one per subnet per block, and the checks cost as much as the
        arithmetic of that step)."""
        pool = object.__new__(cls)
        # each slot set through its own descriptor (what `object.__setattr__` finds by name)
        set_tao, set_alpha, set_weight, set_fee, set_model, set_stable = _SLOT_SETTERS
        set_tao(pool, tao_reserve)
        set_alpha(pool, alpha_reserve)
        set_weight(pool, tao_weight)
        set_fee(pool, fee_rate)
        set_model(pool, model)
        set_stable(pool, stable)
        return pool

    @property
    def alpha_weight(self) -> int:
        """w1 = 1 - w2, Perquintill parts."""
        return ACCURACY - self.tao_weight

    def with_reserves(self, tao_reserve: int, alpha_reserve: int) -> Pool:
        """The same pool with new reserves (weights, fee and model unchanged)."""
        return Pool(tao_reserve, alpha_reserve, self.tao_weight, self.fee_rate, self.model,
                    self.stable)  # not dataclasses.replace (3x slower): the coinbase calls this

    def with_tao_weight(self, tao_weight: int) -> Pool:
        """The same pool with a new TAO weight (validated: [0.01, 0.99])."""
        return Pool(self.tao_reserve, self.alpha_reserve, tao_weight, self.fee_rate, self.model,
                    self.stable)

    def to_json(self) -> dict:
        return {
            "tao_reserve_rao": self.tao_reserve,
            "alpha_reserve_rao": self.alpha_reserve,
            "tao_weight_parts": self.tao_weight,
            "tao_weight": weight_str(self.tao_weight),
            "fee_rate": self.fee_rate,
            "fee_rate_pct": ratio_str(self.fee_rate * 100, 65535, 6),
            "model": self.model,
            "stable": self.stable,
        }


_SLOT_SETTERS = tuple(Pool.__dict__[name].__set__ for name in (
    "tao_reserve", "alpha_reserve", "tao_weight", "fee_rate", "model", "stable"))
"""`Pool.unchecked`'s setters: the slots' member descriptors, bound once."""


@dataclass(frozen=True, slots=True)
class SwapResult:
    """One swap, quoted or executed. Amounts are rao of the input or output token.

    `amount_in` is what the swap consumes (net input plus fee); on a partial fill it is less than
    `amount_requested` and `refund` is the difference (the chain re-stakes unused alpha on
    sells). `slippage` is `SimSwapResult`'s: the output at the spot price (amount_in / price for
    a buy, amount_in * price for a sell, U64F64, floored) minus the actual output, at least 0.
    """

    direction: str  # "buy" (TAO -> alpha) or "sell" (alpha -> TAO)
    amount_requested: int
    amount_in: int
    fee: int
    net_in: int
    amount_out: int
    price_before: int  # U64F64 bits, TAO per alpha
    price_after: int  # U64F64 bits
    slippage: int  # rao of the output token
    partial: bool
    pool_before: Pool
    pool_after: Pool

    @property
    def refund(self) -> int:
        """Input left unused by a partial fill."""
        return max(self.amount_requested - self.amount_in, 0)

    @property
    def input_token(self) -> str:
        return "TAO" if self.direction == BUY else "alpha"

    @property
    def output_token(self) -> str:
        return "alpha" if self.direction == BUY else "TAO"

    @property
    def ideal_out(self) -> int:
        """The output at the spot price before the swap (`amount_out + slippage`)."""
        return self.amount_out + self.slippage

    @property
    def effective_price(self) -> int:
        """TAO paid or received per alpha, U64F64 bits (0 when nothing was swapped)."""
        tao, alpha = self._tao_alpha()
        return (tao << 64) // alpha if alpha else 0

    @property
    def effective_price_rao(self) -> int:
        """Effective price in rao per alpha, floored."""
        tao, alpha = self._tao_alpha()
        return tao * RAO_PER_TAO // alpha if alpha else 0

    @property
    def price_before_rao(self) -> int:
        return price_to_rao(self.price_before)

    @property
    def price_after_rao(self) -> int:
        return price_to_rao(self.price_after)

    @property
    def slippage_pct(self) -> Decimal:
        """Slippage as a percentage of the ideal output."""
        return Decimal(ratio_str(self.slippage * 100, self.ideal_out, 6))

    @property
    def price_impact_pct(self) -> Decimal:
        """How far the swap moves the spot price, in percent (negative for sells)."""
        change = self.price_after - self.price_before
        sign = "-" if change < 0 else ""
        return Decimal(sign + ratio_str(abs(change) * 100, self.price_before, 6))

    def _tao_alpha(self) -> tuple[int, int]:
        if self.direction == BUY:
            return self.amount_in, self.amount_out
        return self.amount_out, self.amount_in

    def to_json(self) -> dict:
        return {
            "direction": self.direction,
            "model": self.pool_before.model,
            "input_token": self.input_token,
            "output_token": self.output_token,
            "amount_requested_rao": self.amount_requested,
            "amount_in_rao": self.amount_in,
            "fee_rao": self.fee,
            "net_in_rao": self.net_in,
            "amount_out_rao": self.amount_out,
            "refund_rao": self.refund,
            "partial": self.partial,
            "ideal_out_rao": self.ideal_out,
            "slippage_rao": self.slippage,
            "slippage_pct": str(self.slippage_pct),
            "price_before_rao": self.price_before_rao,
            "price_after_rao": self.price_after_rao,
            "effective_price_rao": self.effective_price_rao,
            "price_before": price_str(self.price_before),
            "price_after": price_str(self.price_after),
            "effective_price": price_str(self.effective_price),
            "price_impact_pct": str(self.price_impact_pct),
            "pool_before": self.pool_before.to_json(),
            "pool_after": self.pool_after.to_json(),
        }


def price_to_rao(bits: int) -> int:
    """`current_alpha_price`: floor(price * 1e9) rao per alpha, saturating into u64."""
    return min(min(bits * RAO_PER_TAO, 2**128 - 1) >> 64, MAX_U64)


def price_str(bits: int, digits: int = 12) -> str:
    """A U64F64 price as a decimal string, truncated to `digits` places (display only)."""
    whole = bits >> 64
    frac = ((bits & _FRACTION) * 10**digits) >> 64
    text = f"{whole}.{frac:0{digits}d}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def weight_str(parts: int) -> str:
    """Perquintill parts as an exact decimal ("0.5")."""
    text = f"{parts // ACCURACY}.{parts % ACCURACY:018d}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def ratio_str(num: int, den: int, digits: int) -> str:
    """num/den as a decimal string truncated toward zero to `digits` places; "0" when den == 0."""
    if den == 0:
        return "0"
    scaled = num * 10**digits // den
    text = f"{scaled // 10**digits}.{scaled % 10**digits:0{digits}d}".rstrip("0").rstrip(".")
    return text or "0"

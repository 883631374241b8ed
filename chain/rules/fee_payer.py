"""Who pays a signed extrinsic's fee: the signer's free TAO, or alpha sold out of the position a
staking call touches (ECONOMICS-2026 §9.3; subtensor `pallets/transaction-fee/src/lib.rs`,
`SubtensorTxFeeHandler::withdraw_fee` / `fees_in_alpha` and `AlphaFeeHandler`, read at
RaoFoundation/subtensor@040e9e09 and its tests @664d0baa).

The runtime's order, restated once for both backends (the bundled chain executes what
`who_pays` decides; a node that cannot dry-run is quoted from it):

1. TAO first: a keep-alive withdrawal of the fee (`Preservation::Preserve`): the signer must
   keep the existential deposit.
2. When that fails and the call is one of `fees_in_alpha`'s (`ALPHA_FEE_POSITIONS`), the fee is
   paid in alpha only if the call touches exactly one (hotkey, netuid) position (`unstake_all`
   and friends list every subnet where the pair holds stake, on a subtoken-enabled subnet;
   more than one refuses).
3. The alpha is `get_alpha_amount_for_tao(netuid, fee)`: `U64F64(fee) / current_price`,
   truncated (no slippage; 1:1 on a stable subnet) - `amm.alpha_amount_for_tao`. It must be
   non-zero and within `available_to_unstake` (the stake less locked miner collateral), else
   the transaction is invalid (`Payment`), nothing changes.
4. That alpha is unstaked fee-free (`drop_fees`) and sold; the TAO the sale gives is recycled
   (TotalIssuance falls by it), the whole of it: before spec 470 the surplus over the fee is
   not refunded (§9.3, §9.5). Events: the sale's `StakeRemoved` before the call's events,
   `SubtensorModule.TransactionFeePaidWithAlpha {who, netuid, alpha_fee, tao_amount}` and then
   `TransactionPayment.TransactionFeePaid {who, actual_fee: fee, tip}` after them.

Where the sources differ (kept here, in one place): ECONOMICS-2026 §9.3 names the balancer's
`get_base_needed_for_quote` for step 3, but the swap pallet's `get_alpha_amount_for_tao` at
@63369449 divides by the spot price, and that is what is modelled. §9.3 lists
`move_stake_limit`; `fees_in_alpha` @040e9e09 does not, so it pays in TAO only. @040e9e09 sends
the sale's TAO to the burn account; its tests @664d0baa and §9.5 have it recycled, as here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from chain.errors import InvalidTransaction
from chain.rules.pool import read_pool
from chain.rules.reader import ROOT_NETUID, SM

if TYPE_CHECKING:
    import amm

    from chain.rules.staking import StakeReader

TAO, ALPHA = "tao", "alpha"

# `fees_in_alpha`: the calls whose fee may be paid in alpha and the arguments naming the
# position (hotkey argument, netuid argument); a netuid argument of None means every subnet
# where the signer holds stake through the hotkey (`get_all_netuids_for_coldkey_and_hotkey`).
ALPHA_FEE_POSITIONS: dict[str, tuple[str, str | None]] = {
    "SubtensorModule.remove_stake": ("hotkey", "netuid"),
    "SubtensorModule.remove_stake_limit": ("hotkey", "netuid"),
    "SubtensorModule.remove_stake_full_limit": ("hotkey", "netuid"),
    "SubtensorModule.unstake_all": ("hotkey", None),
    "SubtensorModule.unstake_all_alpha": ("hotkey", None),
    "SubtensorModule.move_stake": ("origin_hotkey", "origin_netuid"),
    "SubtensorModule.transfer_stake": ("hotkey", "origin_netuid"),
    "SubtensorModule.transfer_stake_and_hotkey": ("origin_hotkey", "origin_netuid"),
    "SubtensorModule.swap_stake": ("hotkey", "origin_netuid"),
    "SubtensorModule.swap_stake_limit": ("hotkey", "origin_netuid"),
    "SubtensorModule.swap_hotkey": ("hotkey", "netuid"),  # netuid None: every subnet
    "SubtensorModule.swap_hotkey_v2": ("hotkey", "netuid"),
    "SubtensorModule.recycle_alpha": ("hotkey", "netuid"),
    "SubtensorModule.burn_alpha": ("hotkey", "netuid"),
}


class CannotPayFees(InvalidTransaction):
    """Neither the signer's free TAO nor (for a staking call) one position's alpha can pay the
    fee: the transaction is invalid, not included, nothing changes."""

    name = "Payment"


class FeeReader(Protocol):
    """The reads the rule needs (both backends and the bundled chain's state offer them)."""

    def read(self, item: str, *key: Any) -> Any: ...

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int: ...

    def free_balance(self, account: bytes) -> int: ...

    def existential_deposit(self) -> int: ...

    def netuids(self) -> list[int]: ...


@dataclass(frozen=True)
class FeePayment:
    """How the fee is paid. For alpha: the position, the alpha sold and the TAO it gave (all of
    it recycled), and the sale (`swap`, fee-free) that the call then runs after."""

    fee_rao: int
    payer: str = TAO  # "tao" | "alpha"
    hotkey: bytes | None = None
    netuid: int | None = None
    alpha_rao: int = 0
    tao_rao: int = 0
    swap: amm.SwapResult | None = None

    def to_json(self) -> dict:
        """The fields every quote, dry run and receipt carries."""
        doc: dict[str, Any] = {"fee_rao": self.fee_rao, "fee_payer": self.payer}
        if self.payer == ALPHA:
            doc |= {"fee_netuid": self.netuid, "fee_alpha_rao": self.alpha_rao,
                    "fee_alpha_tao_rao": self.tao_rao,
                    "fee_hotkey": "0x" + bytes(self.hotkey or b"").hex()}
        return doc


def can_pay_in_tao(reader: FeeReader, who: bytes, fee: int) -> bool:
    """A keep-alive withdrawal of `fee` succeeds (`Preservation::Preserve`)."""
    return fee == 0 or reader.free_balance(who) - fee >= reader.existential_deposit()


def positions(reader: FeeReader, who: bytes, call_id: str, args: dict) -> list[tuple[bytes, int]]:
    """`fees_in_alpha`: the (hotkey, netuid) positions the call may pay its fee from ([] for a
    call that pays in TAO only)."""
    named = ALPHA_FEE_POSITIONS.get(call_id)
    if named is None:
        return []
    hotkey = bytes(args[named[0]])
    netuid = args.get(named[1]) if named[1] is not None else None
    if netuid is not None:
        return [(hotkey, int(netuid))]
    return [(hotkey, n) for n in reader.netuids()
            if (n == ROOT_NETUID or reader.read(f"{SM}.SubtokenEnabled", n))
            and reader.stake(hotkey, who, n) > 0]


def available_to_unstake(reader: FeeReader, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    """The stake less the miner collateral locked on it (`available_to_unstake_from_hotkey`)."""
    locked = int(reader.read(f"{SM}.MinerCollateral", netuid, hotkey, coldkey) or 0)
    return max(reader.stake(hotkey, coldkey, netuid) - locked, 0)


def who_pays(reader: FeeReader, who: bytes, call_id: str, args: dict, fee: int) -> FeePayment:
    """The fee's payment as the runtime makes it now; CannotPayFees when nothing can pay."""
    if can_pay_in_tao(reader, who, fee):
        return FeePayment(fee)
    held = positions(reader, who, call_id, args)
    free = reader.free_balance(who)
    short = (f"the fee is {fee} rao and the account holds {free} rao free (it must keep "
             f"{reader.existential_deposit()} rao)")
    if not held:
        raise CannotPayFees(f"Inability to pay some fees: {short}")
    if len(held) != 1:
        raise CannotPayFees(f"Inability to pay some fees: {short}, and the call touches "
                            f"{len(held)} positions (alpha pays only for a call on one subnet)")
    hotkey, netuid = held[0]
    return alpha_payment(reader, who, hotkey, netuid, fee, short)


def alpha_payment(reader: FeeReader, who: bytes, hotkey: bytes, netuid: int, fee: int,
                  short: str = "") -> FeePayment:
    """Steps 3-4: the alpha worth `fee` at the spot price, sold fee-free."""
    import amm

    pool = read_pool(reader, netuid)
    alpha = amm.alpha_amount_for_tao(pool, fee)
    available = available_to_unstake(reader, hotkey, who, netuid)
    if alpha == 0 or available < alpha:
        raise CannotPayFees(f"Inability to pay some fees: {short}; paying in alpha on subnet "
                            f"{netuid} needs {alpha} alpha rao and {available} can be unstaked")
    try:
        # `unstake_from_subnet(.., price_limit 0, drop_fees true)`: the pallet-level swap
        sale = amm.swap(pool, amm.SELL, alpha, limit_price=0, drop_fees=True)
    except amm.AmmError as exc:
        raise CannotPayFees(f"Inability to pay some fees: {short}; the {alpha} alpha rao "
                            f"cannot be sold on subnet {netuid} ({exc})") from None
    return FeePayment(fee, ALPHA, bytes(hotkey), netuid, sale.amount_in, sale.amount_out, sale)


def payment_json(reader: FeeReader, who: bytes, call_id: str, args: dict, fee: int) -> dict:
    """`who_pays` as the backends' `fee_payment` gives it: "none" with the reason (`fee_why`)
    when nothing can pay (the chain then refuses the extrinsic as invalid)."""
    try:
        return who_pays(reader, who, call_id, args, fee).to_json()
    except CannotPayFees as exc:
        return {"fee_rao": fee, "fee_payer": "none", "fee_why": str(exc)}


def after(reader: Any, who: bytes, payment: FeePayment) -> Any:
    """The chain as the call sees it, its fee paid first: less free TAO (`fees.AfterFee`), or,
    for alpha, the pool after the fee's sale and the position less the alpha sold (read by
    rules that restate a call for a node without a dry run; the bundled chain executes)."""
    from chain.rules.fees import AfterFee

    if payment.payer == TAO:
        return AfterFee(reader, who, payment.fee_rao) if payment.fee_rao else reader
    return AfterAlphaFee(reader, who, payment)


class AfterAlphaFee:
    """A reader that sees an alpha-paid fee's sale: the subnet's reserves after it, the
    signer's position less the alpha sold (the share pool may round that by a rao)."""

    def __init__(self, reader: Any, who: bytes, payment: FeePayment) -> None:
        assert payment.swap is not None
        self._reader, self._who, self._payment = reader, bytes(who), payment
        pool = payment.swap.pool_after
        self._reserves = {f"{SM}.SubnetTAO": pool.tao_reserve,
                          f"{SM}.SubnetAlphaIn": pool.alpha_reserve}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)

    def read(self, item: str, *key: Any) -> Any:
        if item in self._reserves and key and key[0] == self._payment.netuid:
            return self._reserves[item]
        value = self._reader.read(item, *key)
        if item == f"{SM}.SubnetAlphaOut" and key and key[0] == self._payment.netuid:
            return max(int(value) - self._payment.alpha_rao, 0)
        return value

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        held = int(self._reader.stake(hotkey, coldkey, netuid))
        if (bytes(hotkey), bytes(coldkey), netuid) == (self._payment.hotkey, self._who,
                                                        self._payment.netuid):
            return max(held - self._payment.alpha_rao, 0)
        return held

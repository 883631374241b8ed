"""`ChargeTransactionPayment` on the bundled chain: every signed extrinsic pays the runtime's fee
(`chain.rules.fees`, the schedule the chain stores in `Taoctl.FeeSchedule`) before its call runs,
whether the call then succeeds or fails, and the fee is recycled: TotalIssuance falls by it
(ECONOMICS-2026 §9.5; `Taoctl.FeesRecycled` keeps the sum for `chain check`).

The signer pays in TAO with a keep-alive withdrawal; when that fails, a staking call pays in
alpha sold out of the position it touches (`chain.rules.fee_payer`, the one statement of who
pays; `charge` executes it). Nothing able to pay makes the extrinsic invalid (`Payment`,
"Inability to pay some fees"), so it is not included and changes nothing, as on chain.

The fee depends on the extrinsic's encoded length. A node has the SCALE bytes; the bundled
chain's own extrinsics are JSON, so their length is that of the SCALE extrinsic taoctl's own
client sends a node for the same call (`fee_length`: a mortal era, as `chain.remote` signs, the
signer's nonce, no tip; the call encoded per the recorded metadata), which makes the fee the
same whichever door the call comes through (the parity session holds it to the rao; an
immortal era here was one byte, one rao, short of the node's fee).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from chain.local.balances import EXISTENTIAL_DEPOSIT, free_balance, recycle
from chain.pallets import taoctl
from chain.rules import fee_payer, fees
from chain.rules.fee_payer import CannotPayFees, FeePayment

if TYPE_CHECKING:  # pragma: no cover
    from chain.local.extrinsic import Call
    from chain.local.state import State

# version (1) + MultiAddress::Id (1 + 32) + MultiSignature::Sr25519 (1 + 64)
_SIGNED_HEADER = 1 + 33 + 65
# CheckMortality mortal (2 bytes whatever the period, as taoctl's client signs; 1 immortal),
# ChargeTransactionPayment tip 0 (1), CheckMetadataHash mode (1)
_FIXED_EXTRAS = 2 + 1 + 1


def _compact_len(n: int) -> int:
    return 1 if n < 1 << 6 else 2 if n < 1 << 14 else 4 if n < 1 << 30 else \
        1 + max(4, (n.bit_length() + 7) // 8)


def call_length(call: Call) -> int:
    """The SCALE length of the call per the recorded metadata (its JSON form's length for a
    call the metadata does not have, e.g. one of taoctl's own)."""
    if call.pallet == "Proxy" and call.name == "proxy":  # proxyhatch: spec 461's layout
        return proxy_call_length(call)
    try:
        from chain.remote import call_hex

        return (len(call_hex(call.pallet, call.name, call.args)) - 2) // 2
    except Exception:  # noqa: BLE001 - any call the metadata cannot encode
        return len(call.encode())


def proxy_call_length(call: Call) -> int:
    """Proxy.proxy's SCALE length at spec 461: pallet and call index (2), `real` as
    MultiAddress::Id (33), `force_proxy_type` Option<ProxyType> (1, or 2 with a type), then
    the inner call's own bytes."""
    from chain.local.extrinsic import Call as LocalCall

    inner = call.args["call"]
    forced = 1 if call.args.get("force_proxy_type") is None else 2
    return 2 + 33 + forced + call_length(LocalCall(inner["pallet"], inner["name"],
                                                   dict(inner["args"])))


def fee_length(call: Call, nonce: int, tip: int = 0, *, immortal: bool = False) -> int:
    """The encoded length of the signed SCALE extrinsic carrying `call` (prefix included):
    mortal as taoctl signs it, or `immortal` (one byte shorter, as the recorded transfer)."""
    body = _SIGNED_HEADER + _FIXED_EXTRAS - (1 if immortal else 0) + _compact_len(nonce) + \
        _compact_len(tip) - 1 + call_length(call)
    return _compact_len(body) + body


def schedule(state: State) -> fees.FeeSchedule:
    return fees.SCHEDULES[state.get(taoctl.FEE_SCHEDULE)]


def fee_details(state: State, call_id: str, length: int, tip: int = 0) -> fees.FeeDetails:
    return fees.fee_details(call_id, length, schedule(state), tip)


def can_pay(state: State, who: bytes, fee: int) -> bool:
    """Whether a keep-alive withdrawal of `fee` succeeds (`fee_payer.can_pay_in_tao`)."""
    from chain.rules import fee_payer

    return fee_payer.can_pay_in_tao(StateReader(state), who, fee)


class StateReader:
    """The bundled chain's state as `chain.rules` reads a chain (items by subtensor's names)."""

    def __init__(self, state: State) -> None:
        self.state = state

    def read(self, item: str, *key: Any) -> Any:
        from chain.pallets import registry

        return self.state.get(registry.item(item), *key)

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        from chain.local.stake_utils import stake_of

        return stake_of(self.state, hotkey, coldkey, netuid)

    def free_balance(self, account: bytes) -> int:
        return free_balance(self.state, account)

    def existential_deposit(self) -> int:
        return EXISTENTIAL_DEPOSIT

    def netuids(self) -> list[int]:
        from chain.local.subnets import netuids

        return netuids(self.state)


@dataclass(frozen=True)
class Charged:
    """A fee charged before dispatch: how it was paid, and the events it put before the call's
    (`Balances.Withdraw`, or the alpha sale's `StakeRemoved`) and after them
    (`TransactionFeePaidWithAlpha`, `TransactionFeePaid`)."""

    payment: FeePayment
    before: list[dict[str, Any]]
    after: list[dict[str, Any]]


def charge(state: State, who: bytes, call_id: str, args: dict,
           details: fees.FeeDetails) -> Charged:
    """`SubtensorTxFeeHandler::withdraw_fee` and its post-dispatch events: TAO if the signer can
    pay and stay alive, else alpha from the call's one position (`fee_payer.who_pays`, the
    same rule a quote uses); CannotPayFees (nothing changed) when neither can."""
    fee = details.total
    if fee == 0:
        return Charged(FeePayment(0), [], [])
    payment = fee_payer.who_pays(StateReader(state), who, call_id, args, fee)
    if payment.payer == fee_payer.TAO:
        return Charged(payment, withdraw_fee(state, who, details),
                       fee_paid_event(who, details))
    return Charged(payment, sell_alpha_fee(state, who, payment),
                   [{"pallet": "SubtensorModule", "name": "TransactionFeePaidWithAlpha",
                     "args": {"who": who, "netuid": payment.netuid,
                              "alpha_fee": payment.alpha_rao, "tao_amount": payment.tao_rao}},
                    *fee_paid_event(who, details)])


def sell_alpha_fee(state: State, who: bytes, payment: FeePayment) -> list[dict[str, Any]]:
    """Unstake the fee's alpha fee-free into the subnet account (`unstake_from_subnet` with
    drop_fees) and recycle all the TAO the sale gave (ECONOMICS-2026 §9.3, §9.5); its
    `StakeRemoved`, as `unstake_from_subnet` emits it."""
    from chain.local import stake_utils as su
    from chain.local.accounts import subnet_account

    assert payment.swap is not None and payment.hotkey is not None and payment.netuid is not None
    hotkey, netuid = payment.hotkey, payment.netuid
    account = subnet_account(netuid)
    done = su.unstake_from_subnet(state, hotkey, who, netuid, payment.swap, payee=account)
    _recycle_fee(state, account, done.tao)
    return [{"pallet": "SubtensorModule", "name": "StakeRemoved",
             "args": {"coldkey": who, "hotkey": hotkey, "tao_amount": done.tao,
                      "alpha_amount": done.alpha, "netuid": netuid, "fee": 0}}]


def withdraw_fee(state: State, who: bytes, details: fees.FeeDetails) -> list[dict[str, Any]]:
    """Charge the fee before dispatch (CannotPayFees if it cannot be paid; nothing changes);
    returns the `Balances.Withdraw` event ([] for a free call)."""
    fee = details.total
    if fee == 0:
        return []
    if not can_pay(state, who, fee):
        raise CannotPayFees(f"Inability to pay some fees: the fee is {fee} rao and the account "
                            f"holds {free_balance(state, who)} rao free (it must keep "
                            f"{EXISTENTIAL_DEPOSIT} rao)")
    _recycle_fee(state, who, fee)
    return [{"pallet": "Balances", "name": "Withdraw", "args": {"who": who, "amount": fee}}]


def fee_paid_event(who: bytes, details: fees.FeeDetails) -> list[dict[str, Any]]:
    """`TransactionPayment.TransactionFeePaid` after dispatch ([] for a free call)."""
    if details.total == 0:
        return []
    return [{"pallet": "TransactionPayment", "name": "TransactionFeePaid",
             "args": {"who": who, "actual_fee": details.total, "tip": details.tip}}]


def _recycle_fee(state: State, account: bytes, rao: int) -> None:
    """A fee's TAO taken from `account` out of issuance, and counted in taoctl's ledger of
    recycled fees (what `chain check` reconciles)."""
    recycle(state, account, rao)
    state.set(taoctl.FEES_RECYCLED, state.get(taoctl.FEES_RECYCLED) + rao)

"""The transaction fee of a signed extrinsic, as subtensor's runtime charges it (ECONOMICS-2026 §9).

    fee = WeightToFee(base_extrinsic) + WeightToFee(fee_weight(call)) + LengthToFee(length) + tip

`WeightToFee(w) = Perbill(per_ref_time) * w.ref_time` and `LengthToFee(n) = Perbill(per_byte) * n`;
each term is rounded on its own, to the nearest with ties down (sp-arithmetic's Perbill times an
integer), which is what reproduces the recorded receipt: 54,078 + 112,025 + 144 = 166,247 rao for a
144-byte `transfer_keep_alive` of weight 224,051,000 at spec 461 (§0.0 item 2, §9.4).

The schedule is the runtime's: `SPEC_461` (0.0005 rao per ref_time, 1 rao per byte) up to spec 466,
`SPEC_467` (halved: 0.00025 and 0.5) from 467 on. The fee weight of a call is its declared weight,
capped at spec-459 weights from 466 on (§9.2). The fee is recycled (TotalIssuance falls); it does
not go to a block author (§9.5). Stdlib only: both backends and the node use it.
"""

from __future__ import annotations

from dataclasses import dataclass

PERBILL = 10**9
BASE_EXTRINSIC_REF_TIME = 108_157_000  # frame_system BlockWeights, normal class


@dataclass(frozen=True)
class FeeSchedule:
    """The runtime's fee constants: Perbill parts per ref_time unit and per byte."""

    name: str
    weight_fee_parts: int  # Perbill parts of a rao per ref_time unit
    length_fee_parts: int  # Perbill parts of a rao per byte
    caps: bool  # spec >= 466: per-call fee-weight caps (§9.2)


SPEC_461 = FeeSchedule("spec461", 500_000, PERBILL, caps=False)
SPEC_467 = FeeSchedule("spec467", 250_000, 500_000_000, caps=True)
NO_FEES = FeeSchedule("none", 0, 0, caps=False)  # a chain that charges nothing (the dev preset)
SCHEDULES = {s.name: s for s in (SPEC_461, SPEC_467, NO_FEES)}


def perbill_mul(parts: int, x: int) -> int:
    """`Perbill::from_parts(parts) * x`: rounded to the nearest integer, ties down."""
    q, r = divmod(parts * x, PERBILL)
    return q + 1 if 2 * r > PERBILL else q


# Declared call weights (ref_time) of spec 461. Balances.transfer_keep_alive is the recorded
# `payment_info` weight (call plus extensions); the SubtensorModule rows are the spec-459 weights
# ECONOMICS-2026 §9.2 lists as caps (the declared weights those calls had). Calls declared
# `Pays::No` (weights, serving, inherents) are in FREE_CALLS.
#
# Where those figures come from (feeson, checked 2026-12-05): every cap row that was checked is
# subtensor's benchmarked `WeightInfo` in `pallets/subtensor/src/weights.rs` @03b1d91a (dated
# 2026-07-21) at RocksDbWeight (25,000,000 per read, 100,000,000 per write) plus 60,000,000
# (`WEIGHTS_459` below; tests/chain/rules/test_fees.py holds all ten rows to it). `add_stake` and
# `add_stake_limit`, declared `WeightInfo::add_stake()` / `add_stake_limit()` in dispatches.rs
# and without a cap (§9.2), get the same formula from the same file: 2,770,000,000 and
# 2,855,000,000. Still unverified: that spec 461 shipped that file (the ten caps agreeing is the
# evidence), and what the constant 60,000,000 is (the transaction extensions' weight, as the
# recorded transfer's weight includes theirs, is the likely reading; it is the same on every
# row checked, so it is taken as call-independent).
READ_REF_TIME, WRITE_REF_TIME = 25_000_000, 100_000_000  # frame_support RocksDbWeight
EXTENSIONS_REF_TIME = 60_000_000  # the constant every checked row carries over its benchmark
# weights.rs @03b1d91a: call -> (Weight::from_parts ref_time, reads, writes)
WEIGHTS_459: dict[str, tuple[int, int, int]] = {
    "SubtensorModule.register": (364_683_000, 34, 29),
    "SubtensorModule.add_stake": (310_000_000, 32, 16),
    "SubtensorModule.add_stake_limit": (395_000_000, 32, 16),
    "SubtensorModule.remove_stake": (299_000_000, 30, 13),
    "SubtensorModule.remove_stake_limit": (387_000_000, 29, 13),
    "SubtensorModule.move_stake": (110_000_000, 20, 7),
    "SubtensorModule.move_stake_limit": (484_000_000, 50, 24),  # swap_stake_limit + 1 read
    "SubtensorModule.transfer_stake": (142_000_000, 21, 7),
    "SubtensorModule.transfer_stake_and_hotkey": (146_000_000, 24, 7),
    "SubtensorModule.swap_stake": (388_000_000, 49, 24),
    "SubtensorModule.swap_stake_limit": (484_000_000, 49, 24),
    "SubtensorModule.set_min_collateral": (21_000_000, 4, 1),
}


def benchmarked_weight(call_id: str) -> int:
    """A `WEIGHTS_459` row as the runtime declares it: ref_time + reads and writes at
    RocksDbWeight + the extensions' constant."""
    base, reads, writes = WEIGHTS_459[call_id]
    return base + reads * READ_REF_TIME + writes * WRITE_REF_TIME + EXTENSIONS_REF_TIME


CALL_WEIGHTS: dict[str, int] = {
    "Balances.transfer_keep_alive": 224_051_000,
    "Balances.transfer_allow_death": 224_051_000,
    "SubtensorModule.burned_register": 4_175_124_000,
    "SubtensorModule.register_limit": 4_155_012_000,
    "SubtensorModule.register": 4_174_683_000,
    "SubtensorModule.swap_hotkey": 672_080_000_000,
    "SubtensorModule.swap_coldkey": 27_790_000_000,
    "SubtensorModule.remove_stake": 2_409_000_000,
    "SubtensorModule.remove_stake_limit": 2_472_000_000,
    "SubtensorModule.remove_stake_full_limit": 2_500_000_000,
    "SubtensorModule.move_stake": 1_370_000_000,
    "SubtensorModule.move_stake_limit": 4_194_000_000,
    "SubtensorModule.transfer_stake": 1_427_000_000,
    "SubtensorModule.transfer_stake_and_hotkey": 1_506_000_000,
    "SubtensorModule.swap_stake": 4_073_000_000,
    "SubtensorModule.swap_stake_limit": 4_169_000_000,
    "SubtensorModule.unstake_all": 225_000_000,
    "SubtensorModule.unstake_all_alpha": 4_069_000_000,
    "SubtensorModule.burn_alpha": 912_000_000,
    "SubtensorModule.recycle_alpha": 1_133_000_000,
    "SubtensorModule.set_min_collateral": 281_000_000,
}
# Spec-459 caps (§9.2): from 466 the weight charged for is at most these.
FEE_WEIGHT_CAPS: dict[str, int] = {k: v for k, v in CALL_WEIGHTS.items()
                                   if k.startswith("SubtensorModule.")}
# No cap for these (§9.2): their declared weight, from the benchmark file the caps come from.
CALL_WEIGHTS["SubtensorModule.add_stake"] = benchmarked_weight("SubtensorModule.add_stake")
CALL_WEIGHTS["SubtensorModule.add_stake_limit"] = \
    benchmarked_weight("SubtensorModule.add_stake_limit")
# Declared proof sizes, where recorded (query_info reports them; the fee ignores them).
CALL_PROOF_SIZES: dict[str, int] = {"Balances.transfer_keep_alive": 7_791}
# A call the tables above do not list (e.g. register_network, transfer_all, taoctl's own) is
# charged a remove_stake-sized weight: an estimate, not a declared figure.
DEFAULT_CALL_WEIGHT = 2_409_000_000
FREE_CALLS = frozenset({
    "SubtensorModule.set_weights", "SubtensorModule.commit_weights",
    "SubtensorModule.reveal_weights", "SubtensorModule.batch_set_weights",
    "SubtensorModule.serve_axon", "SubtensorModule.serve_prometheus",
    "SubtensorModule.pow_register", "Timestamp.set", "MevShield.announce_next_key",
    "SubtensorModule.set_mechanism_weights",  # clients (issue 14): Pays::No like set_weights
})


def pays_fee(call_id: str) -> bool:
    """Whether the call is declared `Pays::Yes` (sudo and admin calls pay too, as on chain)."""
    return call_id not in FREE_CALLS


def call_weight(call_id: str) -> int:
    """The declared ref_time weight of a call ("Pallet.name"), what `query_info` reports."""
    return CALL_WEIGHTS.get(call_id, DEFAULT_CALL_WEIGHT)


def fee_weight(call_id: str, schedule: FeeSchedule) -> int:
    """The weight the fee is computed from: the declared one, capped from spec 466 (§9.2)."""
    weight = call_weight(call_id)
    cap = FEE_WEIGHT_CAPS.get(call_id) if schedule.caps else None
    return weight if cap is None else min(weight, cap)


@dataclass(frozen=True)
class FeeDetails:
    """`FeeDetails`: the inclusion fee's three terms (None for a free call) and the tip."""

    base_fee: int
    len_fee: int
    adjusted_weight_fee: int
    tip: int = 0
    pays: bool = True

    @property
    def partial_fee(self) -> int:
        """`query_info`'s partial_fee: the inclusion fee without the tip."""
        return self.base_fee + self.len_fee + self.adjusted_weight_fee if self.pays else 0

    @property
    def total(self) -> int:
        """What the signer is charged: partial fee plus tip (0 for a `Pays::No` call)."""
        return self.partial_fee + self.tip if self.pays else 0


def fee_details(call_id: str, length: int, schedule: FeeSchedule = SPEC_461,
                tip: int = 0) -> FeeDetails:
    """The fee of a signed extrinsic of `length` bytes (the whole encoded extrinsic, its compact
    length prefix included) carrying `call_id`."""
    if not pays_fee(call_id):
        return FeeDetails(0, 0, 0, 0, pays=False)
    return FeeDetails(perbill_mul(schedule.weight_fee_parts, BASE_EXTRINSIC_REF_TIME),
                      perbill_mul(schedule.length_fee_parts, length),
                      perbill_mul(schedule.weight_fee_parts, fee_weight(call_id, schedule)),
                      tip)


def transaction_fee(call_id: str, length: int, schedule: FeeSchedule = SPEC_461,
                    tip: int = 0) -> int:
    """The rao a signed extrinsic pays (recycled out of issuance)."""
    return fee_details(call_id, length, schedule, tip).total


# --- feeson: the balance a call sees, its fee withdrawn first ---------------------------------
class AfterFee:
    """A reader whose `free_balance(payer)` is the balance after the fee was withdrawn: the
    runtime charges the fee before dispatch, so the call's checks see what is left (a rule that
    ignored it would pass a transfer the chain refuses)."""

    def __init__(self, reader: object, payer: bytes, fee: int) -> None:
        self._reader, self._payer, self._fee = reader, bytes(payer), fee

    def __getattr__(self, name: str) -> object:
        return getattr(self._reader, name)

    def free_balance(self, account: bytes) -> int:
        free: int = self._reader.free_balance(account)  # type: ignore[attr-defined]
        return max(free - self._fee, 0) if bytes(account) == self._payer else free

"""The checks of a Balances transfer (`pallet_balances::transfer_*`), for a node that cannot
dry-run a call: the amount moved and the refusal, with the runtime's error names."""

from __future__ import annotations

from typing import Any

from chain.errors import fail
from chain.rules.staking import StakeReader

TRANSFER_CALLS = ("transfer_keep_alive", "transfer_allow_death", "transfer_all")


def transfer(reader: StakeReader, source: bytes, name: str, args: dict[str, Any],
             fee: int = 0) -> list[dict]:
    """The events the transfer would emit (Transfer, DustLost, KilledAccount); a refusal raises
    the typed class of its subtensor name (`chain.errors`). `fee` is the transaction fee the
    runtime withdraws before the call runs: `transfer_all` moves what is left after it."""
    if fee:
        from chain.rules.fees import AfterFee

        reader = AfterFee(reader, source, fee)  # type: ignore[assignment]
    ed = reader.existential_deposit()
    free = reader.free_balance(source)
    dest = args["dest"]
    keep_alive = name == "transfer_keep_alive" or (name == "transfer_all"
                                                     and bool(args.get("keep_alive")))
    value = max(free - ed, 0) if name == "transfer_all" and keep_alive else \
        free if name == "transfer_all" else int(args["value"])
    if value > free:
        raise fail("InsufficientBalance", f"balance too low: has {free} rao, transfer "
                      f"needs {value} rao")
    remaining = free - value
    if keep_alive and remaining < ed:
        raise fail("NotExpendable", f"the transfer would leave {remaining} rao, below the "
                      f"existential deposit of {ed} rao (transfer less, or allow the account "
                      "to be reaped)")
    if source == dest or value == 0:
        return []
    if reader.free_balance(dest) + value < ed:
        raise fail("ExistentialDeposit", f"the destination would hold less than the "
                      f"existential deposit of {ed} rao")
    events = [{"pallet": "Balances", "name": "Transfer",
               "args": {"from": source, "to": dest, "amount": value}}]
    if remaining < ed:
        if remaining:
            events.append({"pallet": "Balances", "name": "DustLost",
                           "args": {"account": source, "amount": remaining}})
        events.append({"pallet": "System", "name": "KilledAccount", "args": {"account": source}})
    return events

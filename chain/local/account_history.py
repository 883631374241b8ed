"""An account's own operations, read from the bundled chain's `extrinsics` table.

Every extrinsic the account signed, and every other extrinsic whose events name it (stake
transferred to it, say), oldest first, in the contract's shape (`ChainBackend.account_history`).
The fee is the `TransactionPayment.TransactionFeePaid` event's `actual_fee` for the signer (0
where the chain charged none). Rows that do not decode are ChainCorrupt, as elsewhere.
"""

from __future__ import annotations

import json
import sqlite3


def operations(conn: sqlite3.Connection, account: bytes, until: int | None = None,
               since: int = 0) -> list[dict]:
    """The account's operations in blocks `since`..`until` (all by default), each {block,
    index, hash, signer, call, success, error, fee_rao, events}; accounts as "0x" hex."""
    from chain.local.rows import corrupt

    try:
        return _operations(conn, account, since, 2**62 if until is None else until)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise corrupt("table extrinsics", "has rows this taoctl cannot read") from None


def _operations(conn: sqlite3.Connection, account: bytes, since: int, until: int) -> list[dict]:
    rows = conn.execute(
        "SELECT block, idx, hash, signer, call, success, error, events FROM extrinsics "
        "WHERE (signer = ? OR instr(events, ?) > 0) AND block BETWEEN ? AND ? "
        "ORDER BY block, idx", (account, account.hex(), since, until))
    out = []
    for block, idx, xt_hash, signer, call_text, success, error, events_text in rows:
        pallet, name, args = json.loads(call_text)
        events = json.loads(events_text)
        who = "0x" + bytes(signer).hex()
        fee = sum(int(e["args"]["actual_fee"]) for e in events
                  if e.get("name") == "TransactionFeePaid" and e["args"].get("who") == who)
        out.append({"block": int(block), "index": int(idx), "hash": "0x" + bytes(xt_hash).hex(),
                    "signer": who, "call": {"pallet": pallet, "name": name, "args": args},
                    "success": bool(success), "error": error, "fee_rao": fee,
                    "events": events})
    return out

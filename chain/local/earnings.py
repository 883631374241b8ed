"""Earnings since staking, read from the chain's own record of stake calls.

For each (hotkey, netuid) a coldkey stakes through, the net alpha it put in is the sum of the
`alpha_amount` of its `StakeAdded` events minus those of its `StakeRemoved` events (from the
`extrinsics` table); what it holds now minus that is what epochs paid it (incentive, dividends,
pool growth), in rao of alpha. Stake that also arrived or left by `move_stake`,
`transfer_stake` or `swap_stake` (whose events carry no alpha amount), or that predates the
chain (genesis stakes), has no such baseline: its earnings are None (unknown).
"""

from __future__ import annotations

import json
import sqlite3


def net_staked_alpha(conn: sqlite3.Connection, coldkey: bytes,
                     until: int | None = None) -> dict[tuple[bytes, int], int | None]:
    """(hotkey, netuid) -> alpha staked minus alpha unstaked by this coldkey's calls (those
    in blocks up to `until`, all by default), or None when a move, transfer or swap touched
    the pair. Damaged event rows are ChainCorrupt."""
    from chain.local.rows import corrupt

    try:
        return _net_staked_alpha(conn, coldkey, until)
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise corrupt("table extrinsics", "has events this taoctl cannot read") from None


def _net_staked_alpha(conn: sqlite3.Connection, coldkey: bytes,
                      until: int | None = None) -> dict[tuple[bytes, int], int | None]:
    who = "0x" + coldkey.hex()
    net: dict[tuple[bytes, int], int | None] = {}
    rows = conn.execute("SELECT events FROM extrinsics WHERE success = 1 AND (signer = ? OR "
                        "instr(events, ?) > 0) AND block <= ? ORDER BY block, idx",
                        (coldkey, coldkey.hex(), 2**62 if until is None else until))
    for (text,) in rows:
        if "Stake" not in text:
            continue
        for event in json.loads(text):
            name, args = event.get("name"), event.get("args", {})
            if name in ("StakeAdded", "StakeRemoved") and args.get("coldkey") == who:
                key = (bytes.fromhex(args["hotkey"][2:]), int(args["netuid"]))
                if key in net and net[key] is None:
                    continue
                sign = 1 if name == "StakeAdded" else -1
                net[key] = (net.get(key) or 0) + sign * int(args["alpha_amount"])
            elif name in ("StakeMoved", "StakeSwapped") and args.get("coldkey") == who:
                for hot in (args.get("origin_hotkey"), args.get("destination_hotkey"),
                            args.get("hotkey")):
                    if hot:
                        for n in (args.get("origin_netuid"), args.get("destination_netuid")):
                            net[(bytes.fromhex(hot[2:]), int(n))] = None
            elif name == "StakeTransferred" and who in (args.get("origin_coldkey"),
                                                       args.get("destination_coldkey")):
                hot = bytes.fromhex(args["hotkey"][2:])
                for n in (args.get("origin_netuid"), args.get("destination_netuid")):
                    net[(hot, int(n))] = None
    return net


def earned(conn: sqlite3.Connection, coldkey: bytes, holdings: list[tuple[bytes, int, int]],
           *, genesis_stakes: bool = False, until: int | None = None) -> list[int | None]:
    """For (hotkey, netuid, alpha held now) rows: alpha held minus net alpha staked, or None.
    A pair never touched by a stake call was all earned (incentive to a miner), unless the
    chain began with stakes (`genesis_stakes`, e.g. the mainnet preset): then it is unknown."""
    net = net_staked_alpha(conn, coldkey, until)
    out: list[int | None] = []
    for hotkey, netuid, alpha in holdings:
        if (hotkey, netuid) not in net:
            out.append(None if genesis_stakes else alpha)
        else:
            base = net[(hotkey, netuid)]
            out.append(None if base is None else alpha - base)
    return out

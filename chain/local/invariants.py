"""`chain check`: the invariants every bundled chain must keep, checked against the file.

1. Issuance matches balances: Balances.TotalIssuance == SubtensorModule.TotalIssuance == the
   sum of every account's free + reserved balance (ECONOMICS.md §8.1).
2. Issuance never exceeds 21 M TAO.
3. Issuance only grows by emission and only falls by recycling: TotalIssuance == genesis issuance
   + minted - recycled, and, block row by block row, the issuance recorded at each opened block
   equals the previous row's minus the dust its extrinsics recycled plus the emission of the
   blocks in between (recomputed here from the halving schedule).
4. Blocks link: every row's parent is the hash of the block before it, and every sealed row's
   hash matches its contents.
5. Nonces: every account's nonce equals its number of included extrinsics.
6. No account holds a balance between 0 and the existential deposit (it would have been reaped).

`check(chain)` returns a list of failures (empty when all hold); each is one readable line.
"""

from __future__ import annotations

import json
from collections import Counter

from chain.local import blocks
from chain.local import storage as s
from chain.local.balances import EXISTENTIAL_DEPOSIT
from chain.local.emission import TOTAL_SUPPLY, emit_blocks

CHECKS = ("issuance_equals_balances", "issuance_cap", "issuance_moves", "block_links", "nonces",
          "existential_deposit")


def check(chain) -> dict[str, list[str]]:
    """Run every invariant in one read transaction; maps check name -> failures (empty = ok)."""
    results: dict[str, list[str]] = {name: [] for name in CHECKS}
    with chain.reading() as state:
        conn = chain.conn
        accounts = dict(state.iter(s.ACCOUNT))
        total = sum(info.total for info in accounts.values())
        issuance = state.get(s.BALANCES_ISSUANCE)
        subtensor_issuance = state.get(s.SUBTENSOR_ISSUANCE)
        if not issuance == subtensor_issuance == total:
            results["issuance_equals_balances"].append(
                f"Balances.TotalIssuance {issuance}, SubtensorModule.TotalIssuance "
                f"{subtensor_issuance}, sum of balances {total}")
        if issuance > TOTAL_SUPPLY:
            results["issuance_cap"].append(f"issuance {issuance} exceeds {TOTAL_SUPPLY}")
        ledger = state.get(s.GENESIS_ISSUANCE) + state.get(s.MINTED) - state.get(s.RECYCLED)
        if ledger != issuance:
            results["issuance_moves"].append(
                f"issuance {issuance} != genesis + minted - recycled = {ledger}")
        results["issuance_moves"] += _issuance_by_rows(conn, issuance)
        results["block_links"] += _block_links(conn, chain)
        results["nonces"] += _nonces(conn, accounts)
        for key, info in accounts.items():
            if 0 < info.free < EXISTENTIAL_DEPOSIT:
                results["existential_deposit"].append(
                    f"account 0x{key[0].hex()} holds {info.free} rao, below the deposit")
    return results


def _dust(events_text: str) -> int:
    return sum(e["args"]["amount"] for e in json.loads(events_text)
               if e["pallet"] == "Balances" and e["name"] == "DustLost")


def _issuance_by_rows(conn, issuance_now: int) -> list[str]:
    failures = []
    rows = conn.execute("SELECT number, issuance FROM blocks ORDER BY number").fetchall()
    dust_by_block = Counter()
    for block, events in conn.execute("SELECT block, events FROM extrinsics"):
        dust_by_block[block] += _dust(events)
    for (number, issued), (next_number, next_issued) in zip(rows, rows[1:], strict=False):
        start = int(issued) - dust_by_block[number]
        expected = start + emit_blocks(start, next_number - number)
        if expected != int(next_issued):
            failures.append(f"block {next_number}: issuance {next_issued}, expected {expected} "
                            f"from block {number}")
            if len(failures) > 5:
                break
    if rows:
        last_number, last_issued = rows[-1]
        if int(last_issued) - dust_by_block[last_number] != issuance_now:
            failures.append(f"open block {last_number}: issuance {issuance_now}, expected "
                            f"{int(last_issued) - dust_by_block[last_number]}")
    return failures


def _block_links(conn, chain) -> list[str]:
    failures = []
    previous = None  # (number, hash, run_end)
    rows = conn.execute("SELECT number, hash, parent, timestamp, extrinsics, events, run_end "
                        "FROM blocks ORDER BY number").fetchall()
    for i, (number, block_hash, parent, ts, extrinsics, events, run_end) in enumerate(rows):
        is_last = i == len(rows) - 1
        if ts != chain.timestamp_of(number):
            failures.append(f"block {number}: timestamp {ts} is not genesis + 12 s per block")
        if (block_hash is None) != is_last:
            failures.append(f"block {number}: only the last block may be open (unsealed)")
        if block_hash is not None and bytes(block_hash) != blocks.row_hash(
                number, bytes(parent), ts, extrinsics, events):
            failures.append(f"block {number}: its hash does not match its contents")
        if previous is None:
            if number != chain.genesis_number or bytes(block_hash or b"") != chain.genesis_hash:
                failures.append(f"block {number}: the first block is not the genesis block")
        else:
            prev_number, prev_hash, prev_end = previous
            if number != prev_end + 1:
                failures.append(f"block {number}: follows a run ending at {prev_end}")
            expected = bytes(prev_hash) if prev_end == prev_number else \
                blocks.empty_hash(bytes(prev_hash), prev_end)
            if bytes(parent) != expected:
                failures.append(f"block {number}: parent hash does not link to block "
                                f"{number - 1}")
        if run_end < number:
            failures.append(f"block {number}: run ends before it starts")
        previous = (number, block_hash, run_end)
        if len(failures) > 10:
            break
    return failures


def _nonces(conn, accounts: dict) -> list[str]:
    failures = []
    counts = {bytes(signer): n for signer, n in
              conn.execute("SELECT signer, COUNT(*) FROM extrinsics GROUP BY signer")}
    for (key,), info in accounts.items():
        if info.nonce != counts.get(key, 0):
            failures.append(f"account 0x{key.hex()}: nonce {info.nonce}, "
                            f"{counts.get(key, 0)} extrinsics")
    for key, n in counts.items():
        if (key,) not in accounts:
            failures.append(f"account 0x{key.hex()} sent {n} extrinsics but has no nonce")
    return failures

"""`chain check`: the invariants every bundled chain must keep, checked against the file.

1. Issuance matches balances: Balances.TotalIssuance == SubtensorModule.TotalIssuance == the
   sum of every account's free + reserved balance (ECONOMICS.md §8.1).
2. Issuance never exceeds 21 M TAO.
3. Issuance only grows by emission and only falls by recycling: TotalIssuance == genesis issuance
   + minted - recycled; block row by block row, issuance grows only between the end of a block
   and the start-of-block work of the next (by exactly the emission schedule, recomputed here)
   and only falls inside blocks; both sums match the Minted and Recycled ledgers.
4. Blocks link: every row's parent is the hash of the block before it, and every sealed row's
   hash matches its contents.
5. Nonces: every account's nonce equals its number of included extrinsics.
6. No account holds a balance between 0 and the existential deposit (it would have been reaped).
7. Subnet accounts: every subnet account holds at least its `SubnetTAO` (ECONOMICS.md §8.1.5);
   subnets that do not exist hold nothing.
8. Alpha: `SubnetAlphaOut[n]` covers all stake on n plus the pending and protocol alpha
   (§8.2: sum of `TotalHotkeyAlpha[., n]` + Pending*Emission/PendingOwnerCut/PendingRootAlphaDivs
   + SubnetProtocolAlpha, those that this chain declares).
9. Share pools: for every (hotkey, netuid) the nominators' values sum to at most
   `TotalHotkeyAlpha` (truncation only ever loses, never creates, alpha).
10. Epoch payouts: on every subnet the alpha epochs paid into stake never exceeds what
   they drained from the pending accumulators (`Taoctl.EpochPaid <= Taoctl.EpochDrained`), and
   the per-UID epoch vectors have one entry per UID.
11. Storage decodes: every entry of a declared item has a key and a value this taoctl can read
   (a file damaged or edited by hand fails here, naming the entries, rather than in the middle
   of a later command).
12. Database integrity: SQLite's own `PRAGMA quick_check` passes (a damaged page, "database
   disk image is malformed", is a failed check, and the checks that read the file are then
   reported as not run rather than run on garbage).
15. History (histfees): every kept state-history row decodes, and the issuance the history keeps
   for each recent block equals the issuance its block row recorded (`history.check`).
13. Rows decode: every row of `blocks` and `extrinsics` is well formed (`rows.py`: hashes of
   32 bytes, JSON columns that parse, whole numbers where numbers are), the open block included
   (its hash does not cover it yet).
14. Reservoirs (issue 16, ECONOMICS-2026 §8.1.5, §8.2): every subnet account holds at least
   `SubnetTAO + BalancerTaoReservoir` (parked TAO was minted into it: checks 1-3 then account
   for it as issuance), reservoirs exist only for existing non-root subnets, and the
   emission gate's bar is a share (at most 1.0).

`check(chain)` returns a list of failures (empty when all hold); each is one readable line.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from chain.local import blocks
from chain.local.balances import EXISTENTIAL_DEPOSIT
from chain.local.emission import TOTAL_SUPPLY, emit_blocks
from chain.local.errors import ChainCorrupt
from chain.pallets import balances, registry, system, taoctl
from chain.pallets import subtensor_module as sm

if TYPE_CHECKING:  # pragma: no cover
    from chain.local.chain import LocalChain

CHECKS = ("issuance_equals_balances", "issuance_cap", "issuance_moves", "block_links", "nonces",
          "existential_deposit", "subnet_accounts", "alpha_out", "share_pools",
          "epoch_payouts", "storage_decodes", "database_integrity", "rows_decode",
          "reservoirs")
# -- regqueue: the subnet registration queue's escrow (ECONOMICS-2026 §6.3) ---------------------
CHECKS += ("registration_escrow",)
"""14. Registration escrow: every queued subnet registration has its escrow row equal to its
    lock, every escrow row belongs to a queued registration and its sub-account holds exactly
    that, and no netuid waiting for cleanup is still added (`registration_queue`)."""
# -- end regqueue
# -- econ: UIDs and batched Null pruning (chain.local.null_pruning) -----------------------------
CHECKS += ("uids",)
"""16. UIDs: on every subnet `Keys` and `Uids` agree for every UID below `SubnetworkN` and no
    key is left at or above it; `NullPruningTarget` exists only on a Null subnet still above
    that target; every weights commit queue (`WeightCommits`) belongs to an existing subnet and
    holds at most 10 well-formed commits of epochs that have begun."""
CHECKS += ("dust_sweep",)
"""17. Dust sweep: once spec 473's sweep has run (`HasMigrationRun`), its counters exist and
    the burns it has not yet moved to the burn account (`pending_burn`) sit in the root subnet
    account beside `SubnetTAO[0]`."""
# -- end econ
# -- histfees: the state history (chain.local.history) -------------------------------------------
CHECKS += ("history",)
# -- end histfees
_FILE_CHECKS = ("database_integrity", "storage_decodes", "rows_decode")


def check(chain: LocalChain) -> dict[str, list[str]]:
    """Run every invariant in one read transaction; maps check name -> failures (empty = ok)."""
    results: dict[str, list[str]] = {name: [] for name in CHECKS}
    try:
        results["database_integrity"] += _integrity(chain.conn)
        if not results["database_integrity"]:
            results["storage_decodes"] += _storage_decodes(chain.conn)
            results["rows_decode"] += _rows_decode(chain.conn)
    except sqlite3.DatabaseError as exc:  # the file cannot even be scanned
        results["database_integrity"].append(f"SQLite: {exc}")
    if results["database_integrity"]:
        return _not_checked(results, "the database file is damaged (see database integrity)",
                            keep=("database_integrity",))
    damaged = any(results[name] for name in _FILE_CHECKS)
    try:
        _check_ledger(chain, results)
    except (ChainCorrupt, sqlite3.DatabaseError, ValueError, TypeError) as exc:
        # an entry or row the checks need is damaged; a ValueError on a file that decodes
        # cleanly would be a bug, and is not hidden
        if not damaged and not isinstance(exc, (ChainCorrupt, sqlite3.DatabaseError)):
            raise
        if not damaged:
            results["storage_decodes"].append(str(exc))
        _not_checked(results, "an entry it reads does not decode (see storage decodes and "
                     "rows decode)")
    # -- history and fees (histfees) --
    if not any(results[name] for name in _FILE_CHECKS):
        with chain.reading() as state:
            fees_paid, recycled = state.get(taoctl.FEES_RECYCLED), state.get(taoctl.RECYCLED)
        if fees_paid > recycled:  # fees are recycled: they are part of Recycled
            results["issuance_moves"].append(f"transaction fees recycled {fees_paid} exceed "
                                             f"everything recycled {recycled}")
    if not results["history"]:
        try:
            with chain.reading():
                from chain.local import history

                results["history"] += history.check(
                    chain.conn, chain.open_number() - 1, (chain.genesis_number,
                                                          chain.genesis_time))
        except (ChainCorrupt, sqlite3.DatabaseError, ValueError, TypeError) as exc:
            results["history"].append(f"history: {exc}")
    return results


def _not_checked(results: dict[str, list[str]], why: str,
                 keep: tuple[str, ...] = _FILE_CHECKS) -> dict[str, list[str]]:
    """Mark every check outside `keep` that found nothing as not run (it could not be)."""
    for name, failures in results.items():
        if name not in keep and not failures:
            failures.append(f"not checked: {why}")
    return results


def _integrity(conn) -> list[str]:
    """Check 12: SQLite's quick_check over every page and index ("ok" or the problems)."""
    found = [row[0] for row in conn.execute("PRAGMA quick_check(20)")]
    return [] if found == ["ok"] else [f"SQLite: {line}" for line in found]


def _rows_decode(conn) -> list[str]:
    """Check 13: every `blocks` and `extrinsics` row is well formed (see `rows.py`)."""
    from chain.local import rows

    bad = []
    for row in conn.execute("SELECT number, hash, parent, timestamp, extrinsics, events, "
                            "issuance, issuance_end, run_end FROM blocks ORDER BY number"):
        problem = rows.block_row_problem(row)
        if problem:
            bad.append(f"block {row[0]!r} {problem}")
    for row in conn.execute("SELECT block, idx, hash, signer, nonce, call, signature, success, "
                            "error, events FROM extrinsics ORDER BY block, idx"):
        problem = rows.extrinsic_row_problem(row)
        if problem:
            bad.append(f"extrinsic {row[0]!r}-{row[1]!r} {problem}")
    if len(bad) > _REPORTED:
        bad[_REPORTED:] = [f"... and {len(bad) - _REPORTED} more"]
    return bad


def _check_ledger(chain: LocalChain, results: dict[str, list[str]]) -> None:
    """Checks 1-10, into `results`."""
    with chain.reading() as state:
        conn = chain.conn
        accounts = dict(state.iter(system.ACCOUNT))
        total = sum(info.total for info in accounts.values())
        issuance = state.get(balances.TOTAL_ISSUANCE)
        subtensor_issuance = state.get(sm.TOTAL_ISSUANCE)
        if not issuance == subtensor_issuance == total:
            results["issuance_equals_balances"].append(
                f"Balances.TotalIssuance {issuance}, SubtensorModule.TotalIssuance "
                f"{subtensor_issuance}, sum of balances {total}")
        if issuance > TOTAL_SUPPLY:
            results["issuance_cap"].append(f"issuance {issuance} exceeds {TOTAL_SUPPLY}")
        ledger = (state.get(taoctl.GENESIS_ISSUANCE) + state.get(taoctl.MINTED)
                  - state.get(taoctl.RECYCLED))
        if ledger != issuance:
            results["issuance_moves"].append(
                f"issuance {issuance} != genesis + minted - recycled = {ledger}")
        results["issuance_moves"] += _issuance_by_rows(conn, state)
        results["block_links"] += _block_links(conn, chain)
        results["nonces"] += _nonces(conn, accounts)
        for key, info in accounts.items():
            if 0 < info.free < EXISTENTIAL_DEPOSIT:
                results["existential_deposit"].append(
                    f"account 0x{key[0].hex()} holds {info.free} rao, below the deposit")
        from chain.local import pool_invariants

        pool_invariants.check_into(state, accounts, results)
        results["epoch_payouts"] += _epoch_payouts(state)
        results["reservoirs"] += _reservoirs(state, accounts)
        # regqueue
        from chain.local.registration_queue import escrow_failures

        results["registration_escrow"] += escrow_failures(state)
        results["uids"] += _uids(state)  # econ
        results["dust_sweep"] += _dust_sweep(state, accounts)  # econ


def _issuance_by_rows(conn, state) -> list[str]:
    """Replay issuance over the block rows: it may grow only between a block's end and the next
    block's start-of-block work (by the emission schedule), and only fall inside a block (by
    recycling); the sums must match the Minted and Recycled ledgers.

    The coinbase mints only the credit it spends and recycles the rest at block start (taoctl
    ledger `CoinbaseRecycled`, counted in both Minted and Recycled), so between rows issuance
    grows by at most the schedule (`emit_blocks`, or the rate at the row's issuance times the
    blocks when recycling delayed a halving), exactly the schedule when nothing was recycled,
    and the sums match `Minted - CoinbaseRecycled` and `Recycled - CoinbaseRecycled`.
    """
    from chain.local.emission import block_emission_for_issuance

    failures: list[str] = []
    rows = conn.execute("SELECT number, issuance, issuance_end FROM blocks ORDER BY number")
    rows = [(n, int(i), int(e_) if e_ is not None else state.get(balances.TOTAL_ISSUANCE))
            for n, i, e_ in rows.fetchall()]
    coinbase_recycled = state.get(taoctl.COINBASE_RECYCLED)
    minted = recycled = 0
    for number, opened, ended in rows:
        if ended > opened:
            failures.append(f"block {number}: issuance grew from {opened} to {ended} inside "
                            "the block (only emission at block start may mint)")
        recycled += opened - ended
    for (number, _, ended), (next_number, next_opened, _) in zip(rows, rows[1:], strict=False):
        grown = next_opened - ended
        count = next_number - number
        expected = emit_blocks(ended, count)
        bound = max(expected, min(count * block_emission_for_issuance(ended),
                                  TOTAL_SUPPLY - ended))
        if grown < 0 or grown > bound or (coinbase_recycled == 0 and grown != expected):
            failures.append(f"blocks {number + 1}..{next_number}: issuance grew by {grown}, "
                            f"the emission schedule pays {expected}")
        minted += grown
        if len(failures) > 10:
            break
    if minted != state.get(taoctl.MINTED) - coinbase_recycled:
        failures.append(f"issuance grew by {minted} over the blocks, the Minted ledger less the "
                        f"coinbase's recycled credit says "
                        f"{state.get(taoctl.MINTED) - coinbase_recycled}")
    if recycled != state.get(taoctl.RECYCLED) - coinbase_recycled:
        failures.append(f"issuance fell by {recycled} inside blocks, the Recycled ledger says "
                        f"{state.get(taoctl.RECYCLED) - coinbase_recycled} (coinbase credit aside)")
    return failures


_REPORTED = 20  # undecodable entries named before the rest are counted


def _storage_decodes(conn) -> list[str]:
    """Check 11: decode every stored key and value of the declared items."""
    bad, count = [], 0
    for item_id, key_text, value_text in conn.execute("SELECT item, key, value FROM storage"):
        item = registry.REGISTRY.get(item_id)
        if item is None:
            continue
        try:
            item.decode_key(key_text)
            item.decode_value(value_text)
        except (ValueError, TypeError):
            count += 1
            if len(bad) < _REPORTED:
                bad.append(f"{item_id}{key_text} holds {value_text[:40]!r}, not a valid value")
    if count > len(bad):
        bad.append(f"... and {count - len(bad)} more")
    return bad


def _epoch_payouts(state) -> list[str]:
    """Check 10: epochs pay at most what they drained; epoch vectors match SubnetworkN."""
    failures = []
    for (netuid,), added in state.iter(sm.NETWORKS_ADDED):
        if not added or netuid == 0:
            continue
        paid = state.get(taoctl.EPOCH_PAID, netuid)
        drained = state.get(taoctl.EPOCH_DRAINED, netuid)
        if paid > drained:
            failures.append(f"subnet {netuid}: epochs paid {paid} alpha rao, more than the "
                            f"{drained} they drained")
        n = state.get(sm.SUBNETWORK_N, netuid)
        for item in (sm.INCENTIVE, sm.DIVIDENDS, sm.VALIDATOR_PERMIT):
            vector = state.get(item, netuid)
            if vector and len(vector) > n:
                failures.append(f"subnet {netuid}: {item.name} has {len(vector)} entries for "
                                f"{n} UIDs")
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


# -- check 14: balancer reservoirs and the emission gate (issue 16, branch gate) ----------------
def _reservoirs(state, accounts: dict) -> list[str]:
    """Check 14: parked TAO sits in the subnet account beside `SubnetTAO`; reservoirs belong
    to existing non-root subnets; the bar is a share. (TAO conservation through a block is
    `issuance_moves`: the coinbase mints exactly what it credits to subnet accounts, reservoir
    TAO included, and counts the rest of the block emission as recycled; a separate
    fee-recycling term joins it there as one more entry of the Recycled ledger.)"""
    from chain.local.accounts import subnet_account
    from chain.pallets import swap
    from chain.pallets.storage import AccountInfo

    failures = []
    added = {n for (n,), on in state.iter(sm.NETWORKS_ADDED) if on}
    parked_tao = {n: amount for (n,), amount in state.iter(swap.BALANCER_TAO_RESERVOIR)}
    parked_alpha = {n: amount for (n,), amount in state.iter(swap.BALANCER_ALPHA_RESERVOIR)}
    for netuid in sorted(set(parked_tao) | set(parked_alpha)):
        if netuid not in added or netuid == 0:
            failures.append(f"subnet {netuid}: balancer reservoirs hold {parked_tao.get(netuid, 0)}"
                            f" TAO rao and {parked_alpha.get(netuid, 0)} alpha rao, but it is "
                            "not an existing non-root subnet")
    for netuid in sorted(added):
        tao = state.get(sm.SUBNET_TAO, netuid) + parked_tao.get(netuid, 0)
        held = accounts.get((subnet_account(netuid),), AccountInfo()).free
        if held < tao:
            failures.append(f"subnet {netuid}: account holds {held} rao, less than SubnetTAO + "
                            f"BalancerTaoReservoir {tao}")
    bar = state.get(sm.EMISSION_GATE_BAR)
    if bar > 1 << 64:
        failures.append(f"EmissionGateBar {bar} (U64F64 bits) is above 1.0, not a share")
    return failures
# -- end check 14


# -- check 16: UIDs and batched Null pruning (econ) -----------------------------------------------
def _uids(state) -> list[str]:
    """Check 16 (see CHECKS): `Keys`/`Uids` agree below `SubnetworkN`; a pruning target belongs
    to a Null subnet above it."""
    from chain.local.epoch_modes import NULL

    failures = []
    keys: dict[int, dict[int, bytes]] = {}
    for (netuid, uid), hotkey in state.iter(sm.KEYS):
        keys.setdefault(netuid, {})[uid] = hotkey
    for netuid, by_uid in sorted(keys.items()):
        n = state.get(sm.SUBNETWORK_N, netuid)
        for uid, hotkey in sorted(by_uid.items()):
            if uid >= n:
                failures.append(f"subnet {netuid}: Keys has UID {uid}, at or above SubnetworkN {n}")
            elif state.get(sm.UIDS, netuid, hotkey) != uid:
                failures.append(f"subnet {netuid}: Keys[{uid}] is 0x{hotkey.hex()}, whose Uids "
                                f"entry is {state.get(sm.UIDS, netuid, hotkey)}")
    for (netuid,), target in state.iter(sm.NULL_PRUNING_TARGET):
        n = state.get(sm.SUBNETWORK_N, netuid)
        if state.get(sm.SUBNET_EPOCH_CONSENSUS, netuid) != NULL or n <= target:
            failures.append(f"subnet {netuid}: NullPruningTarget {target} with {n} UIDs on a "
                            f"subnet that is not a Null subnet above it")
    from chain.local.commit_reveal import MAX_UNREVEALED_COMMITS

    for (netuid, hotkey), queue in state.iter(sm.WEIGHT_COMMITS):
        where = f"subnet {netuid}: WeightCommits of 0x{hotkey.hex()}"
        if not state.get(sm.NETWORKS_ADDED, netuid):
            failures.append(f"{where} on a subnet that does not exist")
        elif not isinstance(queue, list) or not 0 < len(queue) <= MAX_UNREVEALED_COMMITS:
            failures.append(f"{where}: not 1 to {MAX_UNREVEALED_COMMITS} commits")
        elif not all(isinstance(c, list) and len(c) == 4 and isinstance(c[0], str)
                     and len(c[0]) == 66 and isinstance(c[1], int)
                     and c[1] <= state.get(sm.SUBNET_EPOCH_INDEX, netuid) + 1 for c in queue):
            failures.append(f"{where}: a commit is malformed or of an epoch not yet begun")
    return failures
# -- end check 16


# -- check 17: spec 473's dust sweep (econ) ------------------------------------------------------
def _dust_sweep(state, accounts: dict) -> list[str]:
    """Check 17 (see CHECKS)."""
    from chain.local.accounts import subnet_account
    from chain.local.dust_migration import MIGRATION_NAME
    from chain.pallets.storage import AccountInfo

    progress = state.get(sm.ALPHA_V2_MIGRATION)
    if not state.get(sm.HAS_MIGRATION_RUN, MIGRATION_NAME):
        return [] if progress is None else ["AlphaV2Migration is set but the sweep never ran"]
    if not isinstance(progress, dict) or not isinstance(progress.get("pending_burn"), int):
        return ["the dust sweep ran but AlphaV2Migration has no counters"]
    held = accounts.get((subnet_account(0),), AccountInfo()).free
    need = state.get(sm.SUBNET_TAO, 0) + progress["pending_burn"]
    if held < need:
        return [f"the root account holds {held} rao, less than SubnetTAO[0] + the dust sweep's "
                f"pending burn {need}"]
    return []
# -- end check 17

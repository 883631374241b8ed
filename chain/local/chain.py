"""A bundled chain in one SQLite file: create it from a preset, open it, read it, write blocks.

The file holds four tables: `meta` (genesis hash and number, genesis time, preset), `storage`
(the storage items, declared in `chain.pallets`), `blocks` (see `blocks.py`) and `extrinsics` (each
included extrinsic: block, index, hash, signer, nonce, call, signature, success, error, events).
`PRAGMA application_id` marks the file as a taoctl chain and `PRAGMA user_version` is the schema
version, so a foreign or newer file is refused with a clear error.

Durability and concurrency: WAL journal, `synchronous=FULL` (a commit is on disk before a receipt
is reported), one write transaction per submitted extrinsic or per batch of advanced blocks,
opened with `BEGIN IMMEDIATE` so that the state a submission reads (nonce, balances) is read
under the write lock: concurrent writers are serialised by SQLite's busy timeout and no update
is lost. A kill at any moment leaves the last committed transaction, which is always a whole
block or a whole extrinsic.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chain.backend import BlockInfo, Receipt, Signer
from chain.local import blocks, history
from chain.local.accounts import ROOT_NETUID
from chain.local.errors import (
    ChainCorrupt,
    ChainExists,
    ChainLocked,
    ChainNotFound,
    ChainPermissionDenied,
    ChainUnavailable,
    SchemaTooNew,
    SchemaTooOld,
)
from chain.local.extrinsic import Call, SignedExtrinsic, sign
from chain.local.presets import preset as get_preset
from chain.local.runtime import (
    BLOCK_TIME_MS,
    apply_extrinsic,
    fewer_collections,
    open_block,
    run_empty_blocks,
)
from chain.local.state import State
from chain.pallets import balances, sudo, system, taoctl, timestamp
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import AccountInfo

SCHEMA_VERSION = 3  # econ: 3 runs spec 473's dust sweep on open
"""1: up to issue 16; 2: today's economics (emission gate, balancer reservoirs); 3: spec 473's
dust sweep has run (`dust_migration`). Opening an older file runs `MIGRATIONS` in order (see `_migrate`)."""
APPLICATION_ID = 0x74616F63  # "taoc"
PAGE_SIZE = 8192
"""SQLite page size of a new chain file (speedC; SQLite's default is 4096, and files made with
it keep it). A day of blocks keeps hundreds of thousands of history rows, bond rows of 1-3 KB
among them: a row longer than about a quarter of a page spills to overflow pages; at 4096
most bond rows did, at 8192 those up to about 2 KB (a 256-UID subnet's, ~1.7 KB) fit
(SQLite's share of a 32-subnet day fell by ~0.3 s CPU). Not larger: every small transaction
(one extrinsic) writes its changed pages whole to the WAL."""
DEFAULT_BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE storage (item TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                      PRIMARY KEY (item, key)) WITHOUT ROWID;
CREATE TABLE blocks (number INTEGER PRIMARY KEY, hash BLOB, parent BLOB NOT NULL,
                     timestamp INTEGER NOT NULL, extrinsics TEXT NOT NULL, events TEXT NOT NULL,
                     issuance TEXT NOT NULL, issuance_end TEXT, run_end INTEGER NOT NULL);
CREATE TABLE extrinsics (block INTEGER NOT NULL, idx INTEGER NOT NULL, hash BLOB NOT NULL UNIQUE,
                         signer BLOB NOT NULL, nonce INTEGER NOT NULL, call TEXT NOT NULL,
                         signature BLOB NOT NULL, success INTEGER NOT NULL, error TEXT,
                         events TEXT NOT NULL, PRIMARY KEY (block, idx));
CREATE INDEX extrinsics_by_signer ON extrinsics (signer, nonce);
"""


@dataclass(frozen=True)
class AdvanceResult:
    """What `advance` did: blocks advanced, the new open block and the TAO minted."""

    blocks: int
    from_block: int
    to_block: int
    timestamp_ms: int
    issuance_before: int
    issuance_after: int
    block_emission: int

    @property
    def minted(self) -> int:
        return self.issuance_after - self.issuance_before


def _busy_timeout() -> float:
    try:
        return float(os.environ.get("TAOCTL_CHAIN_BUSY_TIMEOUT", DEFAULT_BUSY_TIMEOUT_S))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT_S


def _connect(path: Path, *, create: bool = False) -> sqlite3.Connection:
    mode = "rwc" if create else "rw"
    try:
        conn = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, timeout=_busy_timeout(),
                               isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from None
    except UnicodeDecodeError:  # SQLite's error names a schema entry whose text is damaged
        raise ChainCorrupt(f"the chain file {path} is damaged or not a taoctl chain (its "
                           f"schema is unreadable); {_NOTHING_CHANGED}; restore a backup, or "
                           "start a new chain with `taoctl chain init --force` (this replaces "
                           "the file)") from None
    return conn


_NOTHING_CHANGED = "nothing was changed"


def _translate(exc: sqlite3.Error, path: Path) -> ChainUnavailable:
    """SQLite's error as what it means for the user: busy, a permissions problem, missing, or
    damaged, each saying that nothing was changed (a failed transaction is rolled back)."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return ChainLocked(f"the chain at {path} is busy: another process is writing to it "
                           f"(waited {_busy_timeout():g} s); {_NOTHING_CHANGED}; retry")
    if "readonly" in text or "read-only" in text or _not_writable(path):
        return ChainPermissionDenied(
            f"cannot write the chain at {path}: permission denied (the file, or the directory "
            f"that holds it, is read-only for this user; SQLite writes its journal beside the "
            f"file); {_NOTHING_CHANGED}")
    if "unable to open" in text:
        return ChainNotFound(f"cannot open the chain at {path}: {text}")
    return ChainCorrupt(f"the chain file {path} is damaged or not a taoctl chain ({text}); "
                        f"{_NOTHING_CHANGED}; `taoctl chain check` says what is damaged")


def _not_writable(path: Path) -> bool:
    """The file exists but this user cannot write it or create files beside it."""
    path = Path(path)
    return path.exists() and not (os.access(path, os.R_OK | os.W_OK)
                                  and os.access(path.parent, os.W_OK | os.X_OK))


class LocalChain:
    """One open chain file. Use as a context manager, or call `close()`."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
            self.genesis_hash = bytes.fromhex(meta["genesis_hash"])
            self.genesis_number = int(meta["genesis_number"])
            self.genesis_time = int(meta["genesis_time"])
            self.preset = meta["preset"]
        except (sqlite3.DatabaseError, KeyError, ValueError) as exc:
            conn.close()
            raise ChainCorrupt(f"the chain file {path} is corrupt or not a taoctl chain "
                               f"({type(exc).__name__}: {exc})") from None

    # opening --------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike) -> LocalChain:
        """Open an existing chain; ChainNotFound / ChainCorrupt / SchemaTooNew otherwise."""
        path = Path(path)
        if not path.exists():
            raise ChainNotFound(f"no chain at {path}: create one with `taoctl chain init`")
        if path.is_dir():
            raise ChainCorrupt(f"{path} is a directory, not a chain file")
        conn = _connect(path)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise _translate(exc, path) from None
        if app_id != APPLICATION_ID:
            conn.close()
            raise ChainCorrupt(f"{path} is not a taoctl chain file (another program's database, "
                               "or damaged); use another --chain-db or `taoctl chain init --force`")
        if version > SCHEMA_VERSION:
            conn.close()
            raise SchemaTooNew(f"the chain {path} has schema version {version}, newer than this "
                               f"taoctl understands ({SCHEMA_VERSION}); upgrade taoctl")
        if version < SCHEMA_VERSION:
            _migrate(conn, path, version)
        chain = cls(path, conn)
        chain._ensure_history()
        return chain

    def _ensure_history(self) -> None:
        """Give a file made before state history its tables, and restart the history of one
        kept under the earlier rule (`history.RULE`): its history starts now."""
        try:
            kept = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
                                     "name = 'history'").fetchone() is not None
            if kept and history.has_rule(self.conn):
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if kept:
                    history.restart_if_old_rule(self.conn, self.open_number() - 1)
                else:
                    history.ensure(self.conn, self.open_number() - 1)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            self.conn.close()
            raise _translate(exc, self.path) from None

    @classmethod
    def create(cls, path: str | os.PathLike, preset: str = "dev", *,
               force: bool = False) -> LocalChain:
        """Write a new chain from a genesis preset; refuses to overwrite unless `force`.

        The chain is built in a temporary file that replaces `path` only when complete, so an
        interrupted init never leaves a half-made chain (nor destroys the old one).
        """
        path = Path(path)
        spec = get_preset(preset)
        if path.is_dir():
            raise ChainExists(f"{path} is a directory; give a file path for the chain")
        if path.exists() and not force:
            raise ChainExists(f"a chain already exists at {path}; pass --force to replace it")
        try:
            return cls._create(path, preset, spec)
        except OSError as exc:
            raise ChainUnavailable(f"cannot create the chain at {path}: "
                                   f"{exc.strerror or exc}") from None

    @classmethod
    def _create(cls, path: Path, preset: str, spec: dict) -> LocalChain:
        from wallet.fsio import ensure_private_dir

        ensure_private_dir(path.parent)  # 0700 whatever the umask
        tmp = path.with_name(path.name + ".init-tmp")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        # 0600 before SQLite opens it: SQLite keeps a file's mode and gives it to -wal and -shm
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.chmod(tmp, 0o600)
        conn = _connect(tmp, create=True)
        try:
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # before anything is written
            conn.execute("PRAGMA journal_mode = WAL")
            conn.executescript(_SCHEMA)
            conn.executescript(history.SCHEMA)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("BEGIN IMMEDIATE")
            _write_genesis(conn, preset, spec)
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for old in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            old.unlink(missing_ok=True)
        os.replace(tmp, path)
        for leftover in (Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        return cls.open(path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> LocalChain:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # transactions ---------------------------------------------------------------------------
    @contextlib.contextmanager
    def reading(self) -> Iterator[State]:
        """A consistent read-only view of the chain (one read transaction)."""
        try:
            self.conn.execute("BEGIN")
            try:
                yield State(self.conn)
            finally:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    @contextlib.contextmanager
    def reading_at(self, block: int, block_hash: bytes | None = None) -> Iterator[State]:
        """A consistent read-only view of the state at sealed block `block`, from the history
        (StateDiscarded when it is no longer kept)."""
        try:
            self.conn.execute("BEGIN")
            try:
                yield history.state_at(self.conn, block, self.open_number() - 1,
                                       (self.genesis_number, self.genesis_time), block_hash)
            finally:
                self.conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None

    def at(self, block: int) -> ChainAt:
        """This chain as it was at sealed block `block`: read-only (see `ChainAt`)."""
        head = self.open_number() - 1
        if not self.genesis_number <= block <= head:
            raise ValueError(f"block {block} is not a sealed block of this chain "
                             f"({self.genesis_number}..{head})")
        with self.reading_at(block):
            pass  # StateDiscarded now rather than at the first read
        return ChainAt(self, block)

    @contextlib.contextmanager
    def writing(self) -> Iterator[State]:
        """One write transaction: state changes are flushed and committed together, or not at all.
        """
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        try:
            state = State(self.conn)
            state.history_block = self.open_number()  # writes are the open block's, until
            yield state                                # the runtime opens another
            state.flush()
            self.conn.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise _translate(exc, self.path) from None
            raise

    # blocks ---------------------------------------------------------------------------------
    def open_number(self) -> int:
        """The open block's number (the block extrinsics are applied into)."""
        try:
            number = self.conn.execute("SELECT MAX(number) FROM blocks").fetchone()[0]
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        if type(number) is not int:
            from chain.local.rows import corrupt

            raise corrupt("table blocks", f"has no open block (highest number {number!r})")
        return number

    def timestamp_of(self, number: int) -> int:
        """Milliseconds since the epoch of block `number` (12 s per block from genesis)."""
        return self.genesis_time + (number - self.genesis_number) * BLOCK_TIME_MS

    def block_info(self) -> BlockInfo:
        with self.reading():
            number = self.open_number()
            head = blocks.hash_at(self.conn, number - 1) if number > self.genesis_number \
                else self.genesis_hash
        return BlockInfo(number, self.timestamp_of(number), number - 1, head or b"",
                         self.genesis_hash, self.genesis_number)

    def advance(self, count: int, *, block_by_block: bool = False,
                coarse: bool = False) -> AdvanceResult:
        """Seal the open block and open `count` more, all in one transaction.

        Blocks in between are empty: their start-of-block work runs (in closed form where every
        hook allows) and they get no row of their own (see `blocks.py`).
        """
        if count < 1:
            raise ValueError("advance needs at least one block")
        with fewer_collections(), self.writing() as state:
            start = self.open_number()
            before = state.get(balances.TOTAL_ISSUANCE)
            target = start + count
            blocks.close_open(self.conn, start, target - 1, before)
            run_empty_blocks(state, start + 1, target - 1, (self.genesis_number,
                             self.genesis_time), block_by_block=block_by_block,
                             coarse=coarse)
            events = open_block(state, target, self.timestamp_of(target))
            parent = blocks.hash_at(self.conn, target - 1)
            after = state.get(balances.TOTAL_ISSUANCE)
            blocks.insert_open(self.conn, target, parent, self.timestamp_of(target), events,
                               after)
            emission = state.get(sm.BLOCK_EMISSION)
            state.flush()
            history.prune(self.conn, target - 1)
        return AdvanceResult(count, start, target, self.timestamp_of(target), before, after,
                             emission)

    # extrinsics -----------------------------------------------------------------------------
    def submit(self, xt: SignedExtrinsic) -> Receipt:
        """Include a signed extrinsic in the open block; InvalidTransaction if it is refused."""
        with self.writing() as state:
            return self._include(state, xt)

    def submit_call(self, signer: Signer, call: Call) -> Receipt:
        """Sign `call` with the sender's next nonce and include it, under one write lock."""
        with self.writing() as state:
            nonce = state.get(system.ACCOUNT, bytes(signer.public_key)).nonce
            return self._include(state, sign(signer, self.genesis_hash, nonce, call))

    def _include(self, state: State, xt: SignedExtrinsic) -> Receipt:
        number = self.open_number()
        result = apply_extrinsic(state, xt, self.genesis_hash, number)
        xt_hash = xt.hash
        index = blocks.append_extrinsic(self.conn, number, xt_hash, result.events)
        self.conn.execute(
            "INSERT INTO extrinsics (block, idx, hash, signer, nonce, call, signature, success, "
            "error, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (number, index, xt_hash, xt.signer, xt.nonce, xt.call.encode().decode(),
             xt.signature, int(result.success), result.error,
             blocks.record_json(result.events)))
        return Receipt(result.success, number, blocks.INHERENTS + index, xt_hash,
                       result.events, result.error, result.message, result.fee)

    def nonce(self, account: bytes) -> int:
        with self.reading() as state:
            return state.get(system.ACCOUNT, account).nonce


# -- schema migrations (issue 16, branch gate) ------------------------------------------------------
def _v1_to_v2(state: State) -> None:
    """Today's economics (ECONOMICS-2026 §3.3, §3.4): nothing to rewrite. The new items read
    as their defaults: the gate's parameters as finney's (rank 32, exponent 3), no bar yet
    (the next block computes it: the gate is in force from then on), empty reservoirs. Blocks
    already sealed keep the economics they were made with."""


def _v2_to_v3(state: State) -> None:  # econ
    """Spec 473's one dust sweep of stake positions (ECONOMICS-2026 §5.1;
    `dust_migration.migrate_alpha_v2_and_unstake_dust`): positions worth less than 1,000 rao
    go back to their pools and their TAO to the burn account; issuance is unchanged."""
    from chain.local.dust_migration import migrate_alpha_v2_and_unstake_dust

    migrate_alpha_v2_and_unstake_dust(state)


MIGRATIONS = {1: _v1_to_v2, 2: _v2_to_v3}
"""schema version -> the step that brings a file of that version to the next one."""


def _migrate(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Bring a chain file written by an older taoctl to `SCHEMA_VERSION`, all steps in one
    write transaction (a kill leaves the old file as it was); refuse, saying how to start
    fresh, when there is no path from its version."""
    if any(v not in MIGRATIONS for v in range(version, SCHEMA_VERSION)):
        conn.close()
        raise SchemaTooOld(f"the chain {path} has schema version {version}, from an older taoctl "
                           f"that this one ({SCHEMA_VERSION}) cannot migrate; start a fresh "
                           "chain with `taoctl chain init --force` (this replaces the file) or "
                           "give another --chain-db")
    try:
        conn.execute("BEGIN IMMEDIATE")
        state = State(conn)
        for v in range(version, SCHEMA_VERSION):
            MIGRATIONS[v](state)
        state.flush()
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        raise _translate(exc, path) from None


def _write_genesis(conn: sqlite3.Connection, name: str, spec: dict) -> None:
    """Genesis state and the sealed genesis block, then the first open block (number + 1)."""
    state = State(conn)
    issuance = 0
    for key_hex, free in sorted(spec["balances"].items()):
        state.set(system.ACCOUNT, bytes.fromhex(key_hex), AccountInfo(free=free))
        issuance += free
    for item in (balances.TOTAL_ISSUANCE, sm.TOTAL_ISSUANCE, taoctl.GENESIS_ISSUANCE):
        state.set(item, issuance)
    if spec.get("fee_schedule"):
        state.set(taoctl.FEE_SCHEDULE, spec["fee_schedule"])
    if spec.get("sudo"):
        state.set(sudo.KEY, bytes.fromhex(spec["sudo"]))
    from chain.local import genesis

    genesis.write(state, spec, spec["genesis_number"])  # subnets, pools, stakes
    from chain.local.emission import block_emission_for_issuance

    state.set(sm.BLOCK_EMISSION, block_emission_for_issuance(issuance))
    for k, block in spec.get("past_halvings", {}).items():
        state.set(taoctl.HALVING_BLOCK, int(k), block)
    number, ts = spec["genesis_number"], spec["genesis_time"]
    state.set(system.NUMBER, number)
    state.set(timestamp.NOW, ts)
    state.flush()
    # the genesis block commits to its state: its events are the genesis storage itself
    genesis_state = json.dumps(
        conn.execute("SELECT item, key, value FROM storage ORDER BY item, key").fetchall(),
        separators=(",", ":"))
    blocks.insert_open(conn, number, b"\0" * 32, ts, [], issuance)
    conn.execute("UPDATE blocks SET events = ? WHERE number = ?",
                 (blocks.events_json([{"pallet": "Genesis", "name": "State",
                                       "args": {"preset": name,
                                                "storage": genesis_state}}]), number))
    genesis_hash = blocks.close_open(conn, number, number, issuance)
    meta = {"genesis_hash": genesis_hash.hex(), "genesis_number": str(number),
            "genesis_time": str(ts), "preset": name, "root_netuid": str(ROOT_NETUID)}
    conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", meta.items())
    conn.execute("INSERT INTO meta (key, value) VALUES ('history_since', ?)", (str(number),))
    history.mark_rule(conn)
    state.history_block = number + 1  # from here on, every change is kept (history.py)
    events = open_block(state, number + 1, ts + BLOCK_TIME_MS)
    blocks.insert_open(conn, number + 1, genesis_hash, ts + BLOCK_TIME_MS, events,
                       state.get(balances.TOTAL_ISSUANCE))
    state.flush()


class ChainAt:
    """A `LocalChain` pinned at a past block for reads: `reading()` yields the state at that
    block, its end as a node keeps it (history.py), and `open_number()` is the block after it
    (the block an extrinsic would have gone into next). Anything that writes is refused."""

    def __init__(self, chain: LocalChain, block: int) -> None:
        self._chain = chain
        self.block = block
        self.path, self.conn = chain.path, chain.conn
        self.genesis_hash, self.genesis_number = chain.genesis_hash, chain.genesis_number
        self.genesis_time, self.preset = chain.genesis_time, chain.preset
        self._state: State | None = None

    @contextlib.contextmanager
    def reading(self) -> Iterator[State]:
        """The state at the block, built once (a read inside a fast-forwarded run replays up
        to `runtime.HISTORY_STRIDE` blocks) and kept: a past block's state never changes."""
        if self._state is None:
            with self._chain.reading_at(self.block) as state:
                self._state = state
                yield state
            return
        with self._chain.reading():  # one read transaction, as every reading() is
            yield self._state

    def open_number(self) -> int:
        return self.block + 1

    def timestamp_of(self, number: int) -> int:
        return self._chain.timestamp_of(number)

    def block_info(self) -> BlockInfo:
        number = self.block + 1
        head = blocks.hash_at(self.conn, self.block) if self.block > self.genesis_number \
            else self.genesis_hash
        return BlockInfo(number, self.timestamp_of(number), self.block, head or b"",
                         self.genesis_hash, self.genesis_number)

    def nonce(self, account: bytes) -> int:
        with self.reading() as state:
            return state.get(system.ACCOUNT, account).nonce

    def close(self) -> None:
        """The pinned view shares its chain's connection: closing it closes nothing."""

    def __getattr__(self, name: str):
        if name in ("writing", "advance", "submit", "submit_call"):
            raise PermissionError(f"the chain at block {self.block} is read-only")
        raise AttributeError(name)

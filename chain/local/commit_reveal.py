"""Commit-reveal of weights, hash form (CR v2): `commit_weights` and `reveal_weights`
(`subnets/weights.rs`, RaoFoundation/subtensor, the version keyed by the stateful
`SubnetEpochIndex`), with the Null-subnet rule of spec 475 (ECONOMICS-2026 §7.0).

- `CommitRevealWeightsEnabled[netuid]` switches a subnet to commit-reveal (owner or sudo:
  `AdminUtils.sudo_set_commit_reveal_weights_enabled`). Finney's default is on; the bundled
  chain's subnets start with it off (`set_weights` as before) - a choice kept in the item's
  declared default. While it is on, `set_weights` is refused (`CommitRevealEnabled`).
- `commit_weights(netuid, commit_hash)`, signed by the hotkey: registered
  (`HotKeyNotRegisteredInSubNet`), within `WeightsSetRateLimit` of its last update
  (`CommittingWeightsTooFast`), expired commits dropped from the front of its queue, at most
  10 unrevealed (`TooManyUnrevealedCommits`); stores `(hash, commit_epoch, commit_block, 0)` in
  `WeightCommits[netuid, hotkey]` and sets the UID's `LastUpdate` to this block.
- `reveal_weights(netuid, uids, values, salt, version_key)`: the hash is
  `blake2b-256(SCALE(hotkey, netuid, uids, values, salt, version_key))` (`get_commit_hash`);
  it must match a queued commit (`InvalidRevealCommitHashNotMatch`, `ExpiredWeightCommit`,
  `NoWeightsCommitFound`) whose reveal epoch is now: `current epoch == commit_epoch +
  RevealPeriodEpochs` (`RevealTooEarly` otherwise; after that it has expired). The commits up
  to it are removed and the weights are set through every `set_weights` check except the rate
  limit (the commit was rate limited) and without touching `LastUpdate`.
- the epoch a commit or reveal belongs to is `SubnetEpochIndex`, plus one when the subnet's
  epoch is due in this block (`current_epoch_with_lookahead`).
- `RevealPeriodEpochs` is 1..=100 (`sudo_set_commit_reveal_weights_interval`, owner or sudo).
- **Null subnets**: only the permit holder may commit or reveal (as it alone may set weights):
  `NeuronNoValidatorPermit`. A Null pruning batch drops every queued commit of the subnet (they
  name the old UID layout; `null_pruning`).

Not modelled: timelocked commits (CR v3: drand-encrypted payloads, `commit_timelocked_weights`,
and Null's 32 KiB / 64 KiB / 64-entry limits on them), batch commit/reveal, mechanisms other
than the main one.
"""

from __future__ import annotations

import hashlib

from chain.local import epoch_modes
from chain.local import stake_utils as su
from chain.local.calls import Env, call
from chain.local.state import State
from chain.local.subtensor_errors import fail
from chain.pallets import subtensor_module as sm

MAX_UNREVEALED_COMMITS = 10
MIN_COMMIT_REVEAL_PERIODS, MAX_COMMIT_REVEAL_PERIODS = 1, 100
"""`MIN_COMMIT_REVEAL_PEROIDS` / `MAX_COMMIT_REVEAL_PEROIDS` (sic)."""


def _compact(n: int) -> bytes:
    from chain.substrate.scale import encode_compact

    return encode_compact(n)


def _vec_u16(values: list[int]) -> bytes:
    return _compact(len(values)) + b"".join(v.to_bytes(2, "little") for v in values)


def commit_hash(hotkey: bytes, netuid: int, uids: list[int], values: list[int],
                salt: list[int], version_key: int) -> bytes:
    """`get_commit_hash`: blake2b-256 over the SCALE tuple (AccountId, u16 netuid index,
    Vec<u16> uids, Vec<u16> values, Vec<u16> salt, u64 version key)."""
    data = (hotkey + netuid.to_bytes(2, "little") + _vec_u16(uids) + _vec_u16(values)
            + _vec_u16(salt) + version_key.to_bytes(8, "little"))
    return hashlib.blake2b(data, digest_size=32).digest()


def _hash_bytes(value) -> bytes:
    """A commit hash argument as 32 bytes (bytes, "0x"-hex, or a list of ints)."""
    try:
        if isinstance(value, str):
            raw = bytes.fromhex(value[2:] if value.startswith("0x") else value)
        else:
            raw = bytes(value)
    except (TypeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise fail("InvalidValue", "a commit hash is 32 bytes")
    return raw


def enabled(state: State, netuid: int) -> bool:
    """`CommitRevealWeightsEnabled` of the subnet."""
    return bool(state.get(sm.COMMIT_REVEAL_WEIGHTS_ENABLED, netuid))


def current_epoch_with_lookahead(state: State, netuid: int, block: int) -> int:
    """`SubnetEpochIndex`, plus one when the subnet's epoch is due in `block`."""
    from chain.local import coinbase as cb
    from chain.local import coinbase_math as cm

    state.begin()  # the lazy seed of `LastEpochBlock` must not be written by a read
    try:
        last = cb.seeded_last_epoch(state, netuid, block)
    finally:
        state.rollback()
    due = cm.should_run_epoch(state.get(sm.TEMPO, netuid), block, last,
                              state.get(sm.PENDING_EPOCH_AT, netuid),
                              state.get(sm.BLOCKS_SINCE_LAST_STEP, netuid))
    return state.get(sm.SUBNET_EPOCH_INDEX, netuid) + (1 if due else 0)


def _commits(state: State, netuid: int, hotkey: bytes) -> list[list]:
    return [list(c) for c in state.get(sm.WEIGHT_COMMITS, netuid, hotkey) or []]


def _store(state: State, netuid: int, hotkey: bytes, commits: list[list]) -> None:
    if commits:
        state.set(sm.WEIGHT_COMMITS, netuid, hotkey, commits)
    else:
        state.remove(sm.WEIGHT_COMMITS, netuid, hotkey)


def _ensure_null_permit(state: State, netuid: int, uid: int) -> None:
    """§7.0: on a Null subnet only the one permit holder commits or reveals."""
    if epoch_modes.is_null(state, netuid):
        permits = state.get(sm.VALIDATOR_PERMIT, netuid)
        if not (uid < len(permits) and permits[uid]):
            raise fail("NeuronNoValidatorPermit", f"subnet {netuid} runs Null epochs: only its "
                       "one permit holder commits or reveals weights")


def do_commit_weights(state: State, hotkey: bytes, netuid: int, hash_: bytes,
                      block: int) -> int:
    """Queue a commit (see the module docstring); returns the epoch it belongs to."""
    if netuid == 0 or not su.subnet_exists(state, netuid):
        raise fail("MechanismDoesNotExist", f"subnet {netuid} does not exist")
    if not enabled(state, netuid):
        raise fail("CommitRevealDisabled", f"commit-reveal is off on subnet {netuid}: set "
                   "weights directly")
    uid = state.get(sm.UIDS, netuid, hotkey)
    if uid is None:
        raise fail("HotKeyNotRegisteredInSubNet",
                   f"hotkey 0x{hotkey.hex()} is not registered on subnet {netuid}")
    _ensure_null_permit(state, netuid, uid)
    last = state.get(sm.LAST_UPDATE, netuid)
    last_update = last[uid] if uid < len(last) else 0
    limit = state.get(sm.WEIGHTS_SET_RATE_LIMIT, netuid)
    if last_update and block - last_update < limit:
        raise fail("CommittingWeightsTooFast", f"the last commit or update was at block "
                   f"{last_update}; the next is allowed at block {last_update + limit}")
    epoch = current_epoch_with_lookahead(state, netuid, block)
    period = state.get(sm.REVEAL_PERIOD_EPOCHS, netuid)
    commits = [c for c in _commits(state, netuid, hotkey)]
    while commits and epoch > commits[0][1] + period:  # expired
        commits.pop(0)
    if len(commits) >= MAX_UNREVEALED_COMMITS:
        raise fail("TooManyUnrevealedCommits", f"{len(commits)} commits are waiting to be "
                   "revealed; reveal or let them expire first")
    commits.append(["0x" + hash_.hex(), epoch, block, 0])
    _store(state, netuid, hotkey, commits)
    last = list(last) + [0] * (uid + 1 - len(last))
    last[uid] = block
    state.set(sm.LAST_UPDATE, netuid, last)
    return epoch


def do_reveal_weights(state: State, hotkey: bytes, netuid: int, uids: list, values: list,
                      salt: list, version_key: int, block: int) -> tuple[int, list, bytes]:
    """Check a reveal against the queue and set the weights; returns (uid, row, hash)."""
    from chain.local.weights import check_and_upscale

    if not su.subnet_exists(state, netuid):
        raise fail("SubnetNotExists", f"subnet {netuid} does not exist")
    if not enabled(state, netuid):
        raise fail("CommitRevealDisabled", f"commit-reveal is off on subnet {netuid}")
    commits = _commits(state, netuid, hotkey)
    if not commits:
        raise fail("NoWeightsCommitFound", "this hotkey has no weights commit on this subnet")
    for v in (*uids, *values, *salt):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 65_535:
            raise fail("UidVecContainInvalidOne", f"{v!r} is not a u16")
    epoch = current_epoch_with_lookahead(state, netuid, block)
    period = state.get(sm.REVEAL_PERIOD_EPOCHS, netuid)
    expired = []
    while commits and epoch > commits[0][1] + period:
        expired.append(commits.pop(0)[0])
    provided = "0x" + commit_hash(hotkey, netuid, uids, values, salt, version_key).hex()
    position = next((k for k, c in enumerate(commits) if c[0] == provided), None)
    if position is None:
        if provided in expired:
            raise fail("ExpiredWeightCommit", "that commit's reveal epoch has passed")
        if not commits:
            raise fail("NoWeightsCommitFound", "this hotkey has no live weights commit")
        raise fail("InvalidRevealCommitHashNotMatch", "the revealed weights, salt and version "
                   "key do not hash to any of this hotkey's commits")
    if epoch != commits[position][1] + period:
        raise fail("RevealTooEarly", f"committed in epoch {commits[position][1]}: reveal in "
                   f"epoch {commits[position][1] + period} (this is epoch {epoch})")
    uid = state.get(sm.UIDS, netuid, hotkey)
    if uid is not None:
        _ensure_null_permit(state, netuid, uid)
    _store(state, netuid, hotkey, commits[position + 1:])
    uid, row = check_and_upscale(state, hotkey, netuid, list(uids), list(values), version_key,
                                 block, rate_limited=False)
    state.set(sm.WEIGHTS, netuid, uid, row)
    return uid, row, bytes.fromhex(provided[2:])


def clear_subnet_commits(state: State, netuid: int) -> int:
    """Drop every queued commit of a subnet (a Null trim changes the UIDs they name);
    returns how many hotkeys' queues went."""
    keys = [key for key, _ in state.iter(sm.WEIGHT_COMMITS) if key[0] == netuid]
    for key in keys:
        state.remove(sm.WEIGHT_COMMITS, *key)
    return len(keys)


# -- calls ----------------------------------------------------------------------------------------
@call("SubtensorModule", "commit_weights")
def commit_weights(env: Env, origin: bytes, netuid: int, commit_hash: object) -> None:
    """Commit a hash of the weights the sender hotkey will reveal one reveal period later."""
    raw = _hash_bytes(commit_hash)
    epoch = do_commit_weights(env.state, origin, netuid, raw, env.block_number)
    env.emit("SubtensorModule", "WeightsCommitted", who=origin, netuid=netuid,
             commit_hash="0x" + raw.hex())
    reveal = epoch + env.state.get(sm.REVEAL_PERIOD_EPOCHS, netuid)
    env.result = {"call": "commit_weights", "netuid": netuid, "commit_hash": "0x" + raw.hex(),
                  "commit_epoch": epoch, "reveal_epoch": reveal}


@call("SubtensorModule", "reveal_weights")
def reveal_weights(env: Env, origin: bytes, netuid: int, uids: list, values: list, salt: list,
                   version_key: int) -> None:
    """Reveal committed weights: they are set if they hash to a commit due for reveal now."""
    def as_list(v):
        return list(v) if isinstance(v, (list, tuple)) else v

    for arg in (uids, values, salt):
        if not isinstance(arg, (list, tuple)):
            raise fail("WeightVecNotEqualSize", "uids, values and salt must be lists")
    uid, row, hash_ = do_reveal_weights(env.state, origin, netuid, as_list(uids),
                                        as_list(values), as_list(salt), version_key,
                                        env.block_number)
    env.emit("SubtensorModule", "WeightsRevealed", who=origin, netuid=netuid,
             commit_hash="0x" + hash_.hex())
    env.result = {"call": "reveal_weights", "netuid": netuid, "uid": uid, "weights": row}


@call("AdminUtils", "sudo_set_commit_reveal_weights_enabled")
def sudo_set_commit_reveal_weights_enabled(env: Env, origin: bytes, netuid: int,
                                           enabled: bool) -> None:
    """Owner or sudo: weights by commit-reveal (True) or set directly (False)."""
    epoch_modes.ensure_owner_or_sudo(env.state, origin, netuid)
    su.ensure_subnet(env.state, netuid)
    env.state.set(sm.COMMIT_REVEAL_WEIGHTS_ENABLED, netuid, bool(enabled))
    env.emit("AdminUtils", "sudo_set_commit_reveal_weights_enabled", netuid=netuid,
             enabled=bool(enabled))


@call("AdminUtils", "sudo_set_commit_reveal_weights_interval")
def sudo_set_commit_reveal_weights_interval(env: Env, origin: bytes, netuid: int,
                                            interval: int) -> None:
    """Owner or sudo: epochs between a commit and its reveal (1..=100)."""
    epoch_modes.ensure_owner_or_sudo(env.state, origin, netuid)
    su.ensure_subnet(env.state, netuid)
    if interval > MAX_COMMIT_REVEAL_PERIODS:
        raise fail("RevealPeriodTooLarge", f"the reveal period is at most "
                   f"{MAX_COMMIT_REVEAL_PERIODS} epochs")
    if interval < MIN_COMMIT_REVEAL_PERIODS:
        raise fail("RevealPeriodTooSmall", "the reveal period is at least 1 epoch")
    env.state.set(sm.REVEAL_PERIOD_EPOCHS, netuid, interval)
    env.emit("SubtensorModule", "CommitRevealPeriodsSet", netuid=netuid, periods=interval)

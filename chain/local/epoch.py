"""The epoch in the runtime: Yuma consensus (`chain.yuma`) wrapped as `epoch_mechanism` does it,
and the payout of its result into stake (`distribute_emission`, via `emission_split`).

`run_epoch(state, netuid, rao_emission, block)` (ECONOMICS.md §7.1-7.9):

- stake per UID: `TotalHotkeyAlpha[h, n] + TotalHotkeyAlpha[h, root] * TaoWeight / u64::MAX`
  (rao, floored), zeroed below `StakeThreshold` except the owner's UID, then `stake_vector`;
- activity: `LastUpdate + max(1, ActivityCutoffFactorMilli * tempo / 1000) < block` is inactive;
- permits: this epoch uses the *stored* `ValidatorPermit` (owner forced); new permits are
  `is_topk_nonzero(S, MaxAllowedValidators)` (owner forced) and stored for the next epoch;
- weights: rows of non-permit UIDs dropped, the diagonal dropped (except the owner's UID), stale
  weights (`LastUpdate_i <= BlockAtRegistration_j`) dropped;
- bonds: the stored u16 rows (Yuma3: as `u16 / 65535`; legacy: raw), those to UIDs registered
  since the last epoch dropped; written back only for new permit holders;
- `yuma_epoch`, then `epoch_emission_split` of `rao_emission` into (server, validator) rao;
- stored as u16 (`Incentive`, `Dividends`, `Consensus`, `ValidatorTrust`), `Emission` in rao,
  `Active`, `ValidatorPermit`, `Bonds`.

`distribute(state, netuid, outputs, pending)` applies `plan_epoch_payout`: the owner cut
to (SubnetOwnerHotkey, SubnetOwner), incentives to miners (owner hotkeys' withheld and burned),
alpha dividends (take to the validator's owner, the rest grows its pool for every nominator),
root dividends (take staked, the rest claimable in `RootClaimable`). A subnet whose `SubnetEpochConsensus` is Null runs
`epoch_modes`' Null epoch instead (ECONOMICS-2026 §7.0); liquid alpha reads its consensus input
per `LiquidAlphaConsensusMode` and the bond cutoff is `LastYumaStepBlock` (§7.7). Not modelled:
childkeys, auto-stake destinations, root claims (the claimable alpha stays counted in `SubnetAlphaOut`).
Arithmetic: the matrix math is float64 on the I32F32 grid (`chain.yuma`); everything that moves
alpha is integer rao with the chain's floors.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from chain.local import emission_split as es
from chain.local import epoch_modes
from chain.local import share_pool as sp
from chain.local import stake_utils as su
from chain.local.accounts import ROOT_NETUID
from chain.local.state import State
from chain.pallets import subtensor_module as sm
from chain.pallets.storage import Encoded

MAX_U64 = 2**64 - 1


@dataclass(frozen=True)
class EpochOutputs:
    """What one epoch paid per UID, in rao of alpha."""

    hotkeys: list[bytes]
    server: list[int]
    validator: list[int]
    alpha_stake: list[int]  # TotalHotkeyAlpha[hotkey, netuid] per UID, as the epoch read it
    root_stake: list[int]  # TotalHotkeyAlpha[hotkey, ROOT] per UID
    neurons: NeuronCache | None = None  # what the epoch read, handed on to its payout
    null: object | None = None  # regqueue: a Null epoch's `epoch_modes.NullPlan`

    @property
    def total(self) -> int:
        return sum(self.server) + sum(self.validator)


def yuma_params(state: State, netuid: int):
    """The subnet's hyperparameters as `chain.yuma.YumaParams`."""
    from chain.yuma import YumaParams

    low, high = state.get(sm.ALPHA_VALUES, netuid)
    return YumaParams(
        kappa=state.get(sm.KAPPA, netuid),
        bonds_penalty=state.get(sm.BONDS_PENALTY, netuid),
        bonds_moving_average=state.get(sm.BONDS_MOVING_AVERAGE, netuid),
        yuma3=bool(state.get(sm.YUMA3_ON, netuid)),
        liquid_alpha=bool(state.get(sm.LIQUID_ALPHA_ON, netuid)),
        alpha_low=low, alpha_high=high,
        alpha_sigmoid_steepness=state.get(sm.ALPHA_SIGMOID_STEEPNESS, netuid),
    )


def activity_cutoff(state: State, netuid: int) -> int:
    """`max(1, floor(ActivityCutoffFactorMilli * tempo / 1000))` blocks."""
    return max(1, state.get(sm.ACTIVITY_CUTOFF_FACTOR_MILLI, netuid) * state.get(sm.TEMPO, netuid)
               // 1000)


def _vector(values: list, n: int, fill=0) -> list:
    values = list(values)[:n]
    return values + [fill] * (n - len(values))


def _dense(rows: list[list], n: int):
    """Sparse `[[uid, u16], ...]` rows as a dense (n, n) float64 matrix."""
    from itertools import chain

    import numpy as np

    lengths = [len(row) for row in rows]
    flat = np.fromiter(chain.from_iterable(chain.from_iterable(rows)), dtype=np.int64,
                       count=2 * sum(lengths))
    return _fill(flat, lengths, n)


_PAIR_PUNCTUATION = str.maketrans("[],", "   ")


def _dense_rows(state: State, item, netuid: int, n: int):
    """`_dense` of a subnet's stored rows of `item` (weights or bonds), parsed from their JSON
    by numpy in one pass (`_parse_rows`): a subnet's weights are tens of thousands of pairs,
    and decoding them into Python lists cost most of an epoch's first read. Rows that are not
    plain digits are decoded one by one (the state then names an entry it cannot read)."""
    slots = [(netuid, uid) for uid in range(n)]
    matrix = _parse_rows(state.texts(item, slots), n)
    if matrix is None:
        matrix = _dense([state.get(item, *slot) for slot in slots], n)
    return matrix


def _parse_rows(texts: list[str | None], n: int):
    """The (n, n) matrix of rows given as `[[uid,value],...]` JSON (None for no row), or None
    when the text holds anything but brackets, commas and digits."""
    import warnings

    import numpy as np

    rows = [t or "[]" for t in texts]
    lengths = [row.count("[") - 1 for row in rows]  # one bracket per pair, one for the row
    numbers = " ".join(rows).translate(_PAIR_PUNCTUATION)
    digits = numbers.replace(" ", "")
    if not digits and not any(lengths):  # no pairs at all
        return _fill(np.zeros(0, dtype=np.int64), lengths, n)
    if not (digits.isascii() and digits.isdigit()):  # numpy could misread it
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # numpy only warns about text it stopped at
            flat = np.fromstring(numbers, dtype=np.int64, sep=" ")
    except (ValueError, DeprecationWarning):
        return None
    if flat.size != 2 * sum(lengths):
        return None
    return _fill(flat, lengths, n)


def _fill(flat, lengths: list[int], n: int):
    """The (n, n) float64 matrix of flat `uid, value` pairs, `lengths[r]` of them in row r
    (uids past the matrix are dropped)."""
    import numpy as np

    matrix = np.zeros((n, n), dtype=np.float64)
    if flat.size:
        flat = flat.reshape(-1, 2)
        row_of = np.repeat(np.arange(len(lengths)), lengths)
        keep = flat[:, 0] < n
        matrix[row_of[keep], flat[keep, 0]] = flat[keep, 1]
    return matrix


@dataclass
class NeuronCache:
    """A subnet's neurons as one epoch read them, kept across the epochs of a run of empty
    blocks (`coinbase.Run`): no extrinsic runs in between, so keys, registration blocks,
    `LastUpdate` and weights cannot change, and the bonds are what the last epoch stored.
    Saves re-reading and re-densifying 2 x n rows per epoch."""

    n: int
    hotkeys: list
    last_update: object  # np.ndarray (n,) int64
    registered: object  # np.ndarray (n,) int64
    weights: object  # np.ndarray (n, n) float64, raw u16 values, before any mask
    bonds: object  # np.ndarray (n, n) float64, the u16 values as stored (or still to store)
    root_stake: list  # TotalHotkeyAlpha[hotkey, ROOT] per UID (only extrinsics move it)
    unwritten: bool = False  # `bonds` differ from storage until `write_bonds`
    payees: Payees | None = None  # read by the first payout of the run


@dataclass
class Payees:
    """What a payout reads about the hotkeys it pays and that no block of a run changes: the
    subnet's owner and owner hotkeys, each hotkey's owning coldkey and take, and the dividend
    records already written (`AlphaDividendsPerSubnet` and `RootAlphaDividendsPerSubnet`, which
    only payouts write), so an unchanged record is not written again."""

    owner: bytes | None
    owner_hotkey: bytes | None
    owner_hotkeys: set
    hotkey_owner: dict
    delegate_take: dict
    records: dict = field(default_factory=dict)  # (item id, hotkey) -> amount in storage


def _read_payees(state: State, netuid: int, hotkeys) -> Payees:
    owner = state.get(sm.SUBNET_OWNER, netuid)
    owner_hotkey = state.get(sm.SUBNET_OWNER_HOTKEY, netuid)
    owner_hotkeys = set()
    if owner is not None:
        owner_hotkeys = {bytes.fromhex(h) for h in state.get(sm.OWNED_HOTKEYS, owner)}
    if owner_hotkey is not None:
        owner_hotkeys.add(owner_hotkey)
    for item in (sm.OWNER, sm.DELEGATES):
        state.prefetch(item, [(h,) for h in hotkeys])
    payees = Payees(owner, owner_hotkey, owner_hotkeys,
                    hotkey_owner={h: state.get(sm.OWNER, h) for h in hotkeys},
                    delegate_take={h: state.get(sm.DELEGATES, h) for h in hotkeys})
    # what the payout's credits and records read next
    for item in (sm.TOTAL_HOTKEY_ALPHA, sm.TOTAL_HOTKEY_SHARES):
        state.prefetch(item, [(h, netuid) for h in hotkeys])
    state.prefetch(sm.ALPHA, [(h, c, netuid) for h, c in payees.hotkey_owner.items()
                             if c is not None])
    for item in (sm.ALPHA_DIVIDENDS_PER_SUBNET, sm.ROOT_ALPHA_DIVIDENDS_PER_SUBNET):
        state.prefetch(item, [(netuid, h) for h in hotkeys])
    return payees


def _read_neurons(state: State, netuid: int, n: int) -> NeuronCache:
    import numpy as np

    slots = [(netuid, uid) for uid in range(n)]
    for item in (sm.KEYS, sm.BLOCK_AT_REGISTRATION):
        state.prefetch(item, slots)
    hotkeys = [state.get(sm.KEYS, netuid, uid) for uid in range(n)]
    state.prefetch(sm.TOTAL_HOTKEY_ALPHA, [(h, ROOT_NETUID) for h in hotkeys if h is not None])
    return NeuronCache(
        n=n,
        hotkeys=hotkeys,
        last_update=np.array(_vector(state.get(sm.LAST_UPDATE, netuid), n), dtype=np.int64),
        registered=np.array([state.get(sm.BLOCK_AT_REGISTRATION, netuid, uid)
                             for uid in range(n)], dtype=np.int64),
        weights=_dense_rows(state, sm.WEIGHTS, netuid, n),
        bonds=_dense_rows(state, sm.BONDS, netuid, n),
        root_stake=[state.get(sm.TOTAL_HOTKEY_ALPHA, h, ROOT_NETUID) for h in hotkeys],
    )


def run_epoch(state: State, netuid: int, rao_emission: int, block: int, last_epoch_block: int,
              memo: dict[int, NeuronCache]) -> EpochOutputs:
    """One epoch of the subnet over `rao_emission` alpha (server + validator + root pending);
    stores the outputs and returns the rao per UID (see the module docstring). `memo` keeps
    each subnet's `NeuronCache` across the epochs of one run of empty blocks; the run writes
    the bonds at its end (`write_bonds`)."""
    import numpy as np

    from chain.yuma import (
        epoch_emission_split,
        is_topk_nonzero,
        quantise_u16,
        renormalise,
        stake_vector,
        u16_to_float,
        yuma_epoch,
    )

    n = state.get(sm.SUBNETWORK_N, netuid)
    if n == 0:
        return EpochOutputs([], [], [], [], [])
    neurons = memo.get(netuid)
    if neurons is None or neurons.n != n:
        neurons = memo[netuid] = _read_neurons(state, netuid, n)
    hotkeys = neurons.hotkeys
    owner_hotkey = state.get(sm.SUBNET_OWNER_HOTKEY, netuid)
    owner_uid = state.get(sm.UIDS, netuid, owner_hotkey) if owner_hotkey is not None else None
    tao_weight = state.get(sm.TAO_WEIGHT)
    threshold = state.get(sm.STAKE_THRESHOLD)
    alpha_stake = [state.get(sm.TOTAL_HOTKEY_ALPHA, h, netuid) for h in hotkeys]
    stakes = []
    for uid, (alpha, root) in enumerate(zip(alpha_stake, neurons.root_stake, strict=True)):
        amount = alpha + root * tao_weight // MAX_U64
        stakes.append(0 if amount < threshold and uid != owner_uid else amount)
    stake = stake_vector(stakes)

    last_update, registered = neurons.last_update, neurons.registered
    active = last_update + activity_cutoff(state, netuid) >= block
    if epoch_modes.mode(state, netuid) == epoch_modes.NULL:  # regqueue: ECONOMICS-2026 §7.0
        return epoch_modes.run_null_epoch(state, netuid, block, last_epoch_block, stakes,
                                          hotkeys, active.tolist())
    permits = np.array(_vector(state.get(sm.VALIDATOR_PERMIT, netuid), n, False), dtype=bool)
    if owner_uid is not None:
        permits[owner_uid] = True
    new_permits = is_topk_nonzero(stake, state.get(sm.MAX_ALLOWED_VALIDATORS, netuid))
    if owner_uid is not None:
        new_permits[owner_uid] = True
    active_stake = renormalise(np.where(active & permits, stake, 0.0))

    weights = neurons.weights.copy()
    weights[~permits] = 0.0
    diagonal = np.arange(n)
    keep_self = weights[owner_uid, owner_uid] if owner_uid is not None else 0.0
    weights[diagonal, diagonal] = 0.0
    if owner_uid is not None:
        weights[owner_uid, owner_uid] = keep_self
    weights[last_update[:, None] <= registered[None, :]] = 0.0

    params = yuma_params(state, netuid)
    bonds_prev = u16_to_float(neurons.bonds.astype(np.int64)) if params.yuma3 else \
        neurons.bonds.copy()  # masked below: the cache keeps what is stored
    tempo = state.get(sm.TEMPO, netuid)
    # bonds to UIDs registered since the last Yuma epoch go (0: none ran yet, then a tempo
    # back); `LastYumaStepBlock` since 475, which differs only after Null epochs
    last_yuma = epoch_modes.yuma_bond_cutoff_block(state, netuid, last_epoch_block)
    last_tempo = (last_yuma + 1) if last_yuma else max(block - tempo, 0)
    bonds_prev[:, registered >= last_tempo] = 0.0

    alpha_consensus = None
    if params.liquid_alpha:  # `LiquidAlphaConsensusMode` (§7.7): Previous needs the stored one
        previous = epoch_modes.previous_consensus(state, netuid, n)
        mode = state.get(sm.LIQUID_ALPHA_CONSENSUS_MODE, netuid)
        if epoch_modes.liquid_alpha_consensus(mode, params.bonds_penalty, None,
                                              previous) is previous:
            alpha_consensus = previous
    result = yuma_epoch(active_stake, weights, bonds_prev, params,
                        alpha_consensus=alpha_consensus)
    epoch_modes.after_yuma_epoch(state, netuid)
    server, validator = epoch_emission_split(result.incentive, result.dividends, active_stake,
                                             rao_emission, stake)
    server_l, validator_l = [int(x) for x in server], [int(x) for x in validator]

    state.set(sm.INCENTIVE, netuid, quantise_u16(result.incentive).tolist())
    state.set(sm.DIVIDENDS, netuid, quantise_u16(result.dividends).tolist())
    state.set(sm.CONSENSUS, netuid, quantise_u16(result.consensus).tolist())
    state.set(sm.VALIDATOR_TRUST, netuid, quantise_u16(result.validator_trust).tolist())
    state.set(sm.EMISSION, netuid, [s + v for s, v in zip(server_l, validator_l, strict=True)])
    state.set(sm.ACTIVE, netuid, active.tolist())
    state.set(sm.VALIDATOR_PERMIT, netuid, new_permits.tolist())
    stored = quantise_u16(result.bonds).astype(np.int64)
    neurons.bonds = np.where(new_permits[:, None], stored, 0).astype(np.float64)
    neurons.unwritten = True
    return EpochOutputs(hotkeys, server_l, validator_l, alpha_stake, neurons.root_stake,
                        neurons)


def write_bonds(state: State, netuid: int, neurons: NeuronCache) -> None:
    """Store the bonds an epoch computed: u16 rows of `[uid, value]` pairs for permit holders,
    empty rows for the rest (only where something was stored before). A run of empty blocks
    calls this once at its end rather than after each of its epochs: building the rows costs
    more than the epoch's Yuma step, and nothing reads them in between."""
    import numpy as np

    if not neurons.unwritten:
        return
    stored = neurons.bonds.astype(np.int64)
    rows, cols = np.nonzero(stored)  # row-major: each UID's pairs are one slice
    table = np.column_stack((cols, stored[rows, cols]))
    bounds = np.searchsorted(rows, np.arange(neurons.n + 1)).tolist()
    texts = u16_pair_row_texts(table, bounds)
    for uid, text in enumerate(texts):
        if text is not None:  # held as its text (the flush, the history and `texts` use it)
            state.set(sm.BONDS, netuid, uid, Encoded(sm.BONDS, text))
        elif state.get(sm.BONDS, netuid, uid):
            state.set(sm.BONDS, netuid, uid, [])
    neurons.unwritten = False


_PAIR_FORMATS: dict[int, str] = {}  # pairs in a row -> its `%` format


def pair_row_texts(flat: list[int], bounds: list[int]) -> list[str | None]:
    """The JSON text of each row of `[uid, value]` pairs (None for an empty row), from the
    pairs flattened (`uid0, value0, uid1, ...`) and each row's pair bounds: one `%` format a
    row instead of the JSON encoder walking each pair's list (a property test holds it to
    `json.dumps(row, separators=(",", ":"))`)."""
    texts: list[str | None] = []
    for start, end in zip(bounds, bounds[1:]):
        if start == end:
            texts.append(None)
            continue
        form = _PAIR_FORMATS.get(end - start)
        if form is None:
            if len(_PAIR_FORMATS) >= 256:  # row lengths of a few subnets at a time
                _PAIR_FORMATS.clear()
            form = "[" + ",".join(["[%d,%d]"] * (end - start)) + "]"
            _PAIR_FORMATS[end - start] = form
        texts.append(form % tuple(flat[2 * start:2 * end]))
    return texts


_U16 = 1 << 16
# the pieces of a row's text, each a string built once: "<v>]" at index v (a u16 value), then
# ",[<uid>," at index _U16 + uid, up to the largest UID asked for so far. A longer table
# replaces the list whole (never extended in place), under the lock: a thread that read the
# old list keeps a consistent one
_PAIR_TOKENS: list[str] = []
_PAIR_TOKENS_LOCK = threading.Lock()


def _pair_tokens(largest_uid: int) -> list[str]:
    """`_PAIR_TOKENS`, with the UID pieces through `largest_uid`."""
    global _PAIR_TOKENS
    tokens = _PAIR_TOKENS
    if len(tokens) > _U16 + largest_uid:
        return tokens
    with _PAIR_TOKENS_LOCK:
        tokens = _PAIR_TOKENS
        if len(tokens) <= _U16 + largest_uid:
            values = tokens[:_U16] if tokens else [f"{v}]" for v in range(_U16)]
            uids = [f",[{uid}," for uid in range(max(largest_uid + 1, len(tokens) - _U16))]
            tokens = _PAIR_TOKENS = values + uids
    return tokens


def u16_pair_row_texts(table, bounds: list[int]) -> list[str | None]:
    """`pair_row_texts` of a numpy (pairs, 2) table of `[uid, value]` u16 pairs: each pair is
    two strings looked up in `_PAIR_TOKENS` (one C call for the whole table) and a row is
    their join, instead of a `%` format turning every integer into digits again (speedC:
    ~0.5 ms of the ~1 ms a subnet's bonds took). Pairs outside u16 take `pair_row_texts`;
    a property test holds the two to the same texts."""
    from operator import itemgetter

    import numpy as np

    table = np.asarray(table, dtype=np.int64)  # (u64 + i64 would be float in numpy)
    if table.size and (table.min() < 0 or table.max() >= _U16):
        return pair_row_texts(table.ravel().tolist(), bounds)
    tokens = _pair_tokens(int(table[:, 0].max()) if table.size else 0)
    indices = (table + np.array([_U16, 0])).ravel().tolist()
    pieces = itemgetter(*indices)(tokens) if len(indices) > 1 else tuple(
        tokens[i] for i in indices)
    join = "".join
    return [None if start == end else "[" + join(pieces[2 * start:2 * end])[1:] + "]"
            for start, end in zip(bounds, bounds[1:])]


# -- payout ---------------------------------------------------------------------------------------
def _grow_pool(state: State, hotkey: bytes, netuid: int, amount: int) -> bool:
    """`increase_stake_for_hotkey_on_subnet`: every nominator of the hotkey gains pro rata.
    False, changing nothing, when the pool holds nothing (nobody to share with: the alpha then
    stays as dust in `SubnetAlphaOut`). Only the shared value moves, so the shares are not read."""
    shared = state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid)
    if shared == 0:
        return False
    state.set(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid,
              sp.increase_shared(sp.SharePool(shared), amount).shared)
    return True


def pay(state: State, netuid: int, operations) -> int:
    """The reference payout loop: each operation in plan order, through the generic pool
    growth and `credit_stake_if_possible`; returns the alpha that went into stake."""
    paid = 0
    for op in operations:
        if isinstance(op, es.GrowPool):
            if not _grow_pool(state, op.hotkey, netuid, op.amount):
                continue
        elif op.coldkey is None or not su.credit_stake_if_possible(
                state, op.hotkey, op.coldkey, netuid, op.amount):
            continue
        paid += op.amount
    return paid


def pay_batched(state: State, netuid: int, operations) -> int:
    """`pay` with each hotkey's pool (`TotalHotkeyAlpha`, `TotalHotkeySharesV2`) read once,
    carried through the operations in plan order in locals and written once at the end: the
    same sequence of exact integer steps (`increase_shared`'s saturating add, `credit_parts`),
    so the same final values; the history keeps a block's first pre-image of each entry and
    compares it with the end value, so fewer intermediate writes leave the same rows. A
    property test holds it to `pay` (every storage row after both)."""
    pools: dict = {}  # hotkey -> [shared, denominator parts, shared moved, shares moved]
    get, set_, remove = state.get, state.set, state.remove
    paid = 0
    for op in operations:
        hotkey = op.hotkey
        pool = pools.get(hotkey)
        if pool is None:
            pool = pools[hotkey] = [get(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid),
                                    su.parts(get(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid)),
                                    False, False]
        if isinstance(op, es.GrowPool):  # `_grow_pool`
            if pool[0] == 0:
                continue
            pool[0] = sp.increase_shared(sp.SharePool(pool[0]), op.amount).shared
            pool[2] = True
        else:  # `credit_stake_if_possible`
            coldkey = op.coldkey
            if coldkey is None:
                continue
            held = su.parts(get(sm.ALPHA, hotkey, coldkey, netuid))
            credited = sp.credit_parts(pool[0], pool[1], held, op.amount)
            if credited is None:
                continue
            pool[0], pool[1], share = credited
            pool[2] = pool[3] = True
            if share[0] == 0:
                remove(sm.ALPHA, hotkey, coldkey, netuid)
            else:
                set_(sm.ALPHA, hotkey, coldkey, netuid, list(share))
            if held[0] == 0:
                su.remember_staking_hotkey(state, coldkey, hotkey)
        paid += op.amount
    for hotkey, (shared, denominator, shared_moved, shares_moved) in pools.items():
        if shared_moved:
            set_(sm.TOTAL_HOTKEY_ALPHA, hotkey, netuid, shared)
        if shares_moved:
            if denominator[0] == 0:
                remove(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid)
            else:
                set_(sm.TOTAL_HOTKEY_SHARES, hotkey, netuid, list(denominator))
    return paid


def distribute(state: State, netuid: int, outputs: EpochOutputs, pending: es.Pending) -> int:
    """Carry out `plan_epoch_payout` for the epoch's outputs; returns the alpha paid into stake
    (credits and pool growth). Burned incentive stays in `SubnetAlphaOut`, and so does what
    floors away, as dust."""
    if outputs.null is not None:  # regqueue: a Null epoch's amounts need the drained pools
        return epoch_modes.distribute_null(state, netuid, outputs, pending)
    emission = [(h, s, v) for h, s, v in zip(outputs.hotkeys, outputs.server, outputs.validator,
                                             strict=True) if h is not None]
    neurons = outputs.neurons
    payees = neurons.payees if neurons is not None else None
    if payees is None:
        payees = _read_payees(state, netuid, {h for h, _, _ in emission})
        if neurons is not None:
            neurons.payees = payees
    # nothing has moved stake since the epoch read it
    alpha_stake = dict(zip(outputs.hotkeys, outputs.alpha_stake, strict=True))
    root_stake = dict(zip(outputs.hotkeys, outputs.root_stake, strict=True))
    plan = es.plan_epoch_payout(
        emission, pending,
        subnet_owner=payees.owner, subnet_owner_hotkey=payees.owner_hotkey,
        owner_hotkeys=payees.owner_hotkeys, hotkey_owner=payees.hotkey_owner,
        alpha_stake=alpha_stake,
        root_stake=root_stake,
        tao_weight_u64=state.get(sm.TAO_WEIGHT),
        delegate_take=payees.delegate_take,
    )
    paid = pay_batched(state, netuid, plan.operations)
    written = payees.records
    for item, record in ((sm.ALPHA_DIVIDENDS_PER_SUBNET, plan.alpha_dividends),
                         (sm.ROOT_ALPHA_DIVIDENDS_PER_SUBNET, plan.root_alpha_dividends)):
        for hotkey, amount in record.items():  # mostly the same zeros as last time
            if written.get((item.id, hotkey)) != amount:
                state.set_if_changed(item, netuid, hotkey, amount)
                written[item.id, hotkey] = amount
    for hotkey, amount in plan.root_claimable.items():  # the epoch's hotkeys (no childkeys)
        rate = es.root_claimable_increment(amount, root_stake[hotkey])
        if rate:
            state.set(sm.ROOT_CLAIMABLE, hotkey, netuid,
                      state.get(sm.ROOT_CLAIMABLE, hotkey, netuid) + rate)
    state.set(sm.MINER_BURNED, netuid, plan.miner_burned)
    return paid

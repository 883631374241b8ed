"""The subnet registration queue and its escrow (ECONOMICS-2026 §6.3 and §0.0 item 3;
`subnets/subnet.rs::do_register_network`, `process_network_registration_queue`, the 473 audit).

A `register_network` that finds no free netuid (`subnet count + DissolveCleanupQueue length >=
SubnetLimit`) does not create its subnet in the same block:

- if more netuids are being cleaned up than registrations wait, it waits for one of them;
- otherwise the subnet `get_network_to_prune` picks is dissolved now (its cleanup deferred) and
  the registration waits for that netuid.

Either way the lock cost moves from the coldkey into an escrow sub-account (`"rges"` + the
registration's lock id, `escrow_account`), recorded in `NetworkRegistrationEscrow`, and the
registration is appended to `NetworkRegistrationQueue` with the median subnet price of that
moment (the new pool is priced at it) and the lock pricing is updated then.

`on_idle` of the same block first finishes dissolution cleanup (`DissolveCleanupQueue`), then
processes the queue oldest first: each entry becomes a subnet, its escrow moving into the subnet
account and seeding the pool; an entry that still finds no netuid is cancelled, its escrow
refunded to the registrant in full (`NetworkRegistrationCancelled`). The bundled chain has no
end-of-block point, so `on_idle` of block b runs as the first start-of-block hook of block b + 1,
before anything of b + 1: a queued subnet exists from block b + 1 on (`exists_at_block`).

Choices where the sources are silent (each in one place):
- the escrow sub-account is `modl` + `subtensr` + `rges` + the u32 lock id (little-endian), the
  way `into_sub_account_truncating` builds the subnet accounts (`escrow_account`);
- dissolution pays out at once, as before; what is deferred is only the freeing of its netuid
  (`DissolveCleanupQueue`), which is what makes a registration wait;
- `on_idle` always has the weight to empty both queues (`ON_IDLE_ENTRIES_PER_BLOCK`).
"""

from __future__ import annotations

from chain.local import stake_utils as su
from chain.local.balances import free_balance
from chain.local.calls import Env
from chain.local.state import State
from chain.pallets import subtensor_module as sm

ESCROW_SUB_ACCOUNT_PREFIX = b"rges"
ON_IDLE_ENTRIES_PER_BLOCK = None
"""How many queued registrations one `on_idle` processes (None: all of them; the chain is
bounded by its spare block weight, which the bundled chain does not model)."""


def escrow_account(lock_id: int) -> bytes:
    """The escrow sub-account of a queued registration: `modl` + pallet id + `rges` + u32 LE."""
    sub = ESCROW_SUB_ACCOUNT_PREFIX + lock_id.to_bytes(4, "little")
    return (b"modl" + b"subtensr" + sub).ljust(32, b"\0")[:32]


def queue(state: State) -> list[dict]:
    """The waiting registrations, oldest first (`NetworkRegistrationQueue`)."""
    return list(state.get(sm.NETWORK_REGISTRATION_QUEUE))


def cleanup_queue(state: State) -> list[int]:
    """Netuids dissolved whose cleanup has not run yet (`DissolveCleanupQueue`)."""
    return list(state.get(sm.DISSOLVE_CLEANUP_QUEUE))


def must_queue(subnet_count: int, cleanup_len: int, registration_len: int,
               subnet_limit: int) -> tuple[bool, bool]:
    """The queue rule of `do_register_network`: (queue it, prune a subnet first). No netuid is
    free when `subnet_count + cleanup_len >= subnet_limit`; the registration then waits for a
    netuid in cleanup if there are more of them than waiting registrations, else one subnet is
    pruned for it."""
    if subnet_count + cleanup_len < subnet_limit:
        return False, False
    return True, cleanup_len <= registration_len


def enqueue(env: Env, coldkey: bytes, hotkey: bytes, identity: dict | None, lock: int,
            median: int) -> dict:
    """Move `lock` into a fresh escrow and append the registration; returns the entry with its
    queue position (0 = next)."""
    state, block = env.state, env.block_number
    lock_id = state.get(sm.NETWORK_REGISTRATION_LOCK_ID)
    if lock_id >= 2**32 - 1:
        from chain.local.subtensor_errors import fail

        raise fail("LockIdOverFlow", "no registration lock id is left")
    su.move_tao(state, coldkey, escrow_account(lock_id), lock)
    state.set(sm.NETWORK_REGISTRATION_ESCROW, lock_id, lock)
    state.set(sm.NETWORK_REGISTRATION_LOCK_ID, lock_id + 1)
    su.create_account_if_non_existent(state, coldkey, hotkey)
    entry = {"coldkey": coldkey.hex(), "hotkey": hotkey.hex(), "mechid": 1,
             "identity": identity, "lock_amount": lock,
             "median_subnet_alpha_price": median, "registration_block": block,
             "lock_id": lock_id}
    waiting = queue(state)
    state.set(sm.NETWORK_REGISTRATION_QUEUE, [*waiting, entry])
    state.set(sm.NETWORK_LAST_LOCK_COST, lock)
    state.set(sm.NETWORK_LAST_REGISTERED, block)
    env.emit("SubtensorModule", "NetworkRegistrationQueued", coldkey=coldkey, hotkey=hotkey,
             mechid=1, lock_amount=lock, median_subnet_alpha_price=median,
             registration_block=block)
    return {**entry, "queue_position": len(waiting), "exists_at_block": block + 1}


def release_escrow(state: State, lock_id: int, dest: bytes) -> int:
    """Empty a registration's escrow into `dest`; returns the rao moved."""
    amount = state.get(sm.NETWORK_REGISTRATION_ESCROW, lock_id)
    su.move_tao(state, escrow_account(lock_id), dest, amount)
    state.remove(sm.NETWORK_REGISTRATION_ESCROW, lock_id)
    return amount


def on_idle(env: Env) -> None:
    """`remove_data_for_dissolved_networks`, then `process_network_registration_queue`."""
    from chain.local import subnets
    from chain.local.subtensor_errors import SubtensorError

    state = env.state
    if state.get(sm.DISSOLVE_CLEANUP_QUEUE):
        state.set(sm.DISSOLVE_CLEANUP_QUEUE, [])
    waiting = queue(state)
    if not waiting:
        return
    todo = waiting if ON_IDLE_ENTRIES_PER_BLOCK is None else waiting[:ON_IDLE_ENTRIES_PER_BLOCK]
    state.set(sm.NETWORK_REGISTRATION_QUEUE, waiting[len(todo):])
    for entry in todo:
        coldkey, hotkey = bytes.fromhex(entry["coldkey"]), bytes.fromhex(entry["hotkey"])
        state.begin()
        try:
            subnets.set_new_network_state(env, coldkey, hotkey, entry["identity"],
                                          entry["lock_amount"],
                                          entry["median_subnet_alpha_price"],
                                          lock_id=entry["lock_id"])
        except SubtensorError as exc:
            state.rollback()
            refunded = release_escrow(state, entry["lock_id"], coldkey)
            env.emit("SubtensorModule", "NetworkRegistrationCancelled", coldkey=coldkey,
                     hotkey=hotkey, lock_amount=refunded, reason=exc.name)
        else:
            state.commit()


def escrow_failures(state: State) -> list[str]:
    """`chain check` (regqueue block): every queued registration has its escrow, every escrow
    row belongs to a queued registration and its sub-account holds exactly that much, and no
    netuid in cleanup is still added."""
    failures = []
    entries = {e["lock_id"]: e for e in queue(state)}
    rows = dict(((lock_id,), amount) for (lock_id,), amount in
                state.iter(sm.NETWORK_REGISTRATION_ESCROW))
    rows = {k[0]: v for k, v in rows.items()}
    for lock_id, entry in entries.items():
        if rows.get(lock_id) != entry["lock_amount"]:
            failures.append(f"queued registration {lock_id}: escrow row {rows.get(lock_id)}, "
                            f"lock {entry['lock_amount']}")
    for lock_id, amount in rows.items():
        if lock_id not in entries:
            failures.append(f"escrow {lock_id} holds {amount} rao for no queued registration")
        held = free_balance(state, escrow_account(lock_id))
        if held != amount:
            failures.append(f"escrow account {lock_id} holds {held} rao, its row says {amount}")
    for netuid in cleanup_queue(state):
        if state.get(sm.NETWORKS_ADDED, netuid):
            failures.append(f"subnet {netuid} is in the cleanup queue but still added")
    return failures


class RegistrationQueueHook:
    """`on_idle` of the previous block, run before anything of the new one."""

    name = "network_registration_queue"

    def on_initialize(self, env) -> None:
        on_idle(env)

    def next_block_needing_work(self, state: State, first: int) -> int | None:
        busy = state.get(sm.NETWORK_REGISTRATION_QUEUE) or state.get(sm.DISSOLVE_CLEANUP_QUEUE)
        return first if busy else None

    def skip(self, state: State, first: int, last: int, coarse: bool = False) -> None:
        return None  # only reached with both queues empty

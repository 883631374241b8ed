"""Helpers for the subnet and staking tests: build subnets with given pools, submit calls,
snapshot state."""

from __future__ import annotations

import hashlib

from chain.local import stake_utils as su
from chain.local.accounts import DEV_ACCOUNTS, subnet_account
from chain.local.balances import deposit_minted
from chain.local.extrinsic import Call
from chain.local.subnets import create_subnet
from chain.pallets import subtensor_module as sm
from chain.pallets import system

TAO = 10**9
ALICE, BOB, CHARLIE = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"], DEV_ACCOUNTS["Charlie"]


def key(tag: str) -> bytes:
    """A deterministic 32-byte account for tests."""
    return hashlib.blake2b(tag.encode(), digest_size=32).digest()


def add_subnet(chain, netuid: int, tao: int, alpha_in: int, *, owner: bytes = ALICE,
               owner_hotkey: bytes | None = None, started: bool = True,
               registered_at: int | None = None, moving_price: int = 0) -> bytes:
    """A running subnet with exactly these reserves (its TAO minted into the subnet account).
    Returns the owner hotkey."""
    hotkey = owner_hotkey or key(f"owner-hot-{netuid}")
    with chain.writing() as state:
        block = state.get(system.NUMBER) if registered_at is None else registered_at
        create_subnet(state, netuid, owner, hotkey, tao, block)
        state.set(sm.SUBNET_TAO, netuid, tao)
        state.set(sm.SUBNET_ALPHA_IN, netuid, alpha_in)
        state.set(sm.SUBNET_MOVING_PRICE, netuid, moving_price)
        deposit_minted(state, subnet_account(netuid), tao)
        if started:
            state.set(sm.SUBTOKEN_ENABLED, netuid, True)
            state.set(sm.FIRST_EMISSION_BLOCK, netuid, block + 1)
    return hotkey


def give_stake(chain, hotkey: bytes, coldkey: bytes, netuid: int, alpha: int) -> None:
    """Credit alpha directly (as if bought earlier): SubnetAlphaOut grows with it."""
    with chain.writing() as state:
        su.create_account_if_non_existent(state, coldkey, hotkey)
        su.credit_stake(state, hotkey, coldkey, netuid, alpha)
        state.set(sm.SUBNET_ALPHA_OUT, netuid, state.get(sm.SUBNET_ALPHA_OUT, netuid) + alpha)


def submit(chain, signer, name: str, pallet: str = "SubtensorModule", **args):
    return chain.submit_call(signer, Call(pallet, name, args))


def snapshot(chain) -> dict:
    """Every storage row except nonces (which a failed call still bumps)."""
    rows = {}
    for item, k, value in chain.conn.execute("SELECT item, key, value FROM storage"):
        if item == "System.Account":
            value = value.replace('"nonce":', '"n":')  # keep balances, drop the nonce
            import json

            data = json.loads(value)
            data.pop("n", None)
            value = json.dumps(data, sort_keys=True)
        rows[(item, k)] = value
    return rows


def read(chain, item, *key_):
    with chain.reading() as state:
        return state.get(item, *key_)


def stake(chain, hotkey, coldkey, netuid) -> int:
    with chain.reading() as state:
        return su.stake_of(state, hotkey, coldkey, netuid)


def free(chain, who) -> int:
    with chain.reading() as state:
        return state.get(system.ACCOUNT, who).free


def charged(before: dict, who: bytes, fee: int) -> dict:
    """`before` (a `snapshot`) as it must read after `who` paid a transaction fee of `fee` rao
    and nothing else changed: the payer's free balance and both TotalIssuance items fall by
    the fee, which the Recycled and FeesRecycled ledgers count."""
    import json

    after = dict(before)
    slot = ("System.Account", f'["{who.hex()}"]')
    data = json.loads(after[slot])
    data["free"] -= fee
    after[slot] = json.dumps(data, sort_keys=True)
    for item, sign in (("Balances.TotalIssuance", -1), ("SubtensorModule.TotalIssuance", -1),
                       ("Taoctl.Recycled", 1), ("Taoctl.FeesRecycled", 1)):
        after[(item, "[]")] = str(int(after.get((item, "[]"), "0")) + sign * fee)
    return after


# --- feeson: every signed extrinsic pays its transaction fee (spec 461 on the dev preset) ------
def call_events(receipt) -> list[dict]:
    """The call's own events: the receipt's without the fee's Balances.Withdraw (first), the
    TransactionPayment.TransactionFeePaid and the System.Extrinsic* record. Checks the fee
    events carry `receipt.fee_rao`, so a test that uses this still sees the fee charged."""
    assert receipt.fee_rao > 0
    withdraw, rest = receipt.events[0], receipt.events[1:]
    assert (withdraw["pallet"], withdraw["name"]) == ("Balances", "Withdraw")
    assert withdraw["args"]["amount"] == receipt.fee_rao
    paid = [e for e in rest if e["name"] == "TransactionFeePaid"]
    assert [e["args"]["actual_fee"] for e in paid] == [receipt.fee_rao]
    return [e for e in rest if e["name"] not in ("TransactionFeePaid", "ExtrinsicSuccess",
                                                   "ExtrinsicFailed")]


def assert_only_the_fee_changed(chain, before: dict, receipt, payer: bytes) -> None:
    """A refused signed call changes nothing but its fee (feeson): compared with `before`
    (a `snapshot`), the payer's free TAO is `receipt.fee_rao` lower, both issuances are that
    much lower, Recycled and FeesRecycled that much higher, and no other row differs."""
    import json

    fee = receipt.fee_rao
    assert fee > 0
    after = snapshot(chain)
    moves = {"Balances.TotalIssuance": -fee, "SubtensorModule.TotalIssuance": -fee,
             "Taoctl.Recycled": fee, "Taoctl.FeesRecycled": fee}
    changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    for item, k in changed:
        if item == "System.Account":
            old, new = json.loads(before[(item, k)]), json.loads(after[(item, k)])
            assert old.pop("free") - new.pop("free") == fee, k
            assert old == new
            assert bytes(payer).hex() in str(k), k
        else:
            assert item in moves, item
            old_v, new_v = json.loads(before.get((item, k), "0")), json.loads(after[(item, k)])
            assert int(new_v) - int(old_v) == moves[item], item

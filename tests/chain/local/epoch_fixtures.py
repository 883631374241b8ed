"""Helpers for the epoch and coinbase tests: a running, emitting subnet built through real calls
(so every `chain check` invariant holds), validators with stake, miners, weights."""

from __future__ import annotations

from chain.local.accounts import dev_signer
from chain.local.extrinsic import Call
from chain.pallets import subtensor_module as sm

TAO = 10**9


def call(chain, signer, name: str, pallet: str = "SubtensorModule", **args):
    receipt = chain.submit_call(signer, Call(pallet, name, args))
    assert receipt.success, (name, receipt.error, receipt.message)
    return receipt


def emitting_subnet(chain, *, tempo: int = 10, validators: int = 2, miners: int = 3) -> dict:
    """Alice owns a started, emission-enabled subnet with tempo `tempo`; Bob's hotkeys
    (Bob, Charlie, ...) validate with stake, Ferdie's hotkeys mine. Returns names -> keys."""
    alice = dev_signer("Alice")
    call(chain, alice, "register_network", hotkey=dev_signer("Alice//owner").public_key)
    from chain.local.coinbase import all_subnets

    with chain.reading() as state:
        netuid = max(all_subnets(state))
    call(chain, alice, "start_call", netuid=netuid)
    call(chain, alice, "sudo_set_subnet_emission_enabled", "AdminUtils", netuid=netuid,
         enabled=True)
    call(chain, alice, "sudo_set_tempo", "AdminUtils", netuid=netuid, tempo=tempo)
    bob, ferdie = dev_signer("Bob"), dev_signer("Ferdie")
    vals = [dev_signer(f"Bob//v{k}") for k in range(validators)]
    mins = [dev_signer(f"Ferdie//m{k}") for k in range(miners)]
    for hot in vals:
        call(chain, bob, "burned_register", netuid=netuid, hotkey=hot.public_key)
        chain.advance(1)
    for hot in mins:
        call(chain, ferdie, "burned_register", netuid=netuid, hotkey=hot.public_key)
        chain.advance(1)
    for k, hot in enumerate(vals):
        call(chain, bob, "add_stake", hotkey=hot.public_key, netuid=netuid,
             amount_staked=(100 + 50 * k) * TAO)
    return {"netuid": netuid, "validators": vals, "miners": mins, "bob": bob, "ferdie": ferdie}


def uid(chain, netuid: int, hotkey: bytes) -> int:
    with chain.reading() as state:
        return state.get(sm.UIDS, netuid, hotkey)


def set_all_weights(chain, net: dict) -> None:
    """Every validator weights every miner (uneven)."""
    dests = [uid(chain, net["netuid"], m.public_key) for m in net["miners"]]
    for k, val in enumerate(net["validators"]):
        call(chain, val, "set_weights", netuid=net["netuid"], dests=dests,
             weights=[(j + k) % 3 + 1 for j in range(len(dests))], version_key=0)

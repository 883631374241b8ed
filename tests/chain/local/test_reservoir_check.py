"""`chain check`'s reservoirs invariant (ECONOMICS-2026 §8.1.5, §8.2) catches what it guards:
parked TAO the subnet account does not hold, reservoirs of a subnet that does not exist, and a
bar that is not a share."""

from __future__ import annotations

from chain.local.accounts import subnet_account
from chain.local.balances import free_balance
from chain.local.invariants import check
from chain.pallets import subtensor_module as sm
from chain.pallets import swap
from tests.chain.local.epoch_fixtures import emitting_subnet


def test_the_reservoir_check_sees_what_it_guards(dev_chain):
    n = emitting_subnet(dev_chain)["netuid"]
    assert not check(dev_chain)["reservoirs"]
    with dev_chain.writing() as state:
        held = free_balance(state, subnet_account(n))
        spare = held - state.get(sm.SUBNET_TAO, n)
        state.set(swap.BALANCER_TAO_RESERVOIR, n, spare)  # exactly covered: fine
    assert not check(dev_chain)["reservoirs"]
    with dev_chain.writing() as state:
        state.set(swap.BALANCER_TAO_RESERVOIR, n, spare + 1)  # one rao more than the account
        state.set(swap.BALANCER_ALPHA_RESERVOIR, 77, 5)  # no subnet 77
        state.set(sm.EMISSION_GATE_BAR, (1 << 64) + 1)
    failures = check(dev_chain)["reservoirs"]
    assert any(f"subnet {n}: account holds" in f for f in failures)
    assert any("subnet 77" in f for f in failures)
    assert any("EmissionGateBar" in f for f in failures)

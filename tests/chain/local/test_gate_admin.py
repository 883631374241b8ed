"""The emission gate's root setters (AdminUtils 100-102, ECONOMICS-2026 §3.3): bounds, root
only, and the rank and quantile setters clearing the bar so the next block recomputes it with
the new parameters."""

from __future__ import annotations

from chain.local.accounts import dev_signer
from chain.local.emission_gate import gate_status
from chain.local.extrinsic import Call
from chain.local.invariants import check
from chain.pallets import subtensor_module as sm
from tests.chain.local.epoch_fixtures import emitting_subnet

ONE = 1 << 64


def _sudo(chain, name, signer=None, **args):
    return chain.submit_call(signer or dev_signer("Alice"), Call("AdminUtils", name, args))


def _read(chain, item):
    with chain.reading() as state:
        return state.get(item)


def test_the_setters_are_roots_and_bounded(dev_chain):
    bob = dev_signer("Bob")
    assert _sudo(dev_chain, "sudo_set_emission_bar_rank", bob, rank=4).error == "BadOrigin"
    for q in (0, ONE, ONE + 1):
        assert _sudo(dev_chain, "sudo_set_emission_bar_quantile", quantile=q).error == \
            "InvalidValue"
    for h in (ONE - 1, 8 * ONE + 1):
        assert _sudo(dev_chain, "sudo_set_emission_gate_exponent", exponent=h).error == \
            "InvalidValue"
    assert _sudo(dev_chain, "sudo_set_emission_gate_exponent", exponent=8 * ONE).success
    assert _sudo(dev_chain, "sudo_set_emission_bar_quantile", quantile=ONE * 3 // 4).success
    assert _read(dev_chain, sm.EMISSION_GATE_EXPONENT) == 8 * ONE
    assert _read(dev_chain, sm.EMISSION_BAR_QUANTILE) == ONE * 3 // 4


def test_a_new_rank_moves_the_bar_from_the_next_block(dev_chain):
    netuids = [emitting_subnet(dev_chain, validators=1, miners=1)["netuid"] for _ in range(3)]
    with dev_chain.writing() as state:  # moving prices 0.1, 0.2, 0.4 (I96F32)
        for k, n in enumerate(netuids):
            state.set(sm.SUBNET_MOVING_PRICE, n, (1 << 32) * (2**k) // 10)
    dev_chain.advance(2)
    bar_rank_32 = _read(dev_chain, sm.EMISSION_GATE_BAR)
    assert bar_rank_32 > 0  # fewer than 32 subnets: the smallest positive share
    assert _sudo(dev_chain, "sudo_set_emission_bar_rank", rank=1).success
    assert _read(dev_chain, sm.EMISSION_GATE_BAR) == 0  # cleared: recomputed next block
    dev_chain.advance(1)
    bar = _read(dev_chain, sm.EMISSION_GATE_BAR)
    with dev_chain.reading() as state:
        shares = [s["pre_gate_ppb"] for s in gate_status(state, dev_chain.open_number())
                  ["shares"].values()]
    assert bar > bar_rank_32 and abs((bar * 10**9 >> 64) - max(shares)) <= max(shares) // 1000
    assert not any(check(dev_chain).values())

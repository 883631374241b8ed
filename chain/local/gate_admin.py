"""The emission gate's root setters (`pallets/admin-utils/src/lib.rs`, calls 100-102;
ECONOMICS-2026 §3.3): `sudo_set_emission_bar_quantile(quantile)` (U64F64 bits, strictly between
0 and 1), `sudo_set_emission_gate_exponent(exponent)` (U64F64 bits, 1 to 8 inclusive) and
`sudo_set_emission_bar_rank(rank)` (u16; 0 selects quantile mode). Root (the sudo key) only;
out of range: `InvalidValue`.

The quantile and rank setters "force a bar recompute on the next block" (their doc comments):
read here as clearing `EmissionGateBar`, since a zero bar is recomputed by the next block
(`emission_gate.bar_due`). The exponent setter leaves the bar as it is.
"""

from __future__ import annotations

from amm.balancer import ONE_BITS as ONE  # U64F64 1.0
from chain.local.admin import ensure_sudo
from chain.local.calls import Env, call
from chain.local.subtensor_errors import fail
from chain.pallets import subtensor_module as sm



@call("AdminUtils", "sudo_set_emission_bar_quantile")
def sudo_set_emission_bar_quantile(env: Env, origin: bytes, quantile: int) -> None:
    """Root: the quantile q (U64F64 bits, 0 < q < 1) the bar uses when the rank is 0."""
    ensure_sudo(env, origin)
    if not 0 < quantile < ONE:
        raise fail("InvalidValue", "the quantile is a U64F64 strictly between 0 and 1")
    env.state.set(sm.EMISSION_BAR_QUANTILE, quantile)
    env.state.remove(sm.EMISSION_GATE_BAR)


@call("AdminUtils", "sudo_set_emission_bar_rank")
def sudo_set_emission_bar_rank(env: Env, origin: bytes, rank: int) -> None:
    """Root: the bar is the rank-th largest share (0: quantile mode)."""
    ensure_sudo(env, origin)
    env.state.set(sm.EMISSION_BAR_RANK, rank)
    env.state.remove(sm.EMISSION_GATE_BAR)


@call("AdminUtils", "sudo_set_emission_gate_exponent")
def sudo_set_emission_gate_exponent(env: Env, origin: bytes, exponent: int) -> None:
    """Root: the Hill exponent h (U64F64 bits, 1 <= h <= 8): the cliff's sharpness."""
    ensure_sudo(env, origin)
    if not ONE <= exponent <= 8 * ONE:
        raise fail("InvalidValue", "the exponent is a U64F64 from 1 to 8")
    env.state.set(sm.EMISSION_GATE_EXPONENT, exponent)

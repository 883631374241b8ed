"""Today's coinbase (ECONOMICS-2026 §3.3, §3.4, §2.3, §8): TAO conserved through the injection
with reservoirs, alpha issuance including the parked alpha, a block-by-block day of the
`mainnet` preset under the emission gate, and a chain file from an older taoctl."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import amm
from amm import WEIGHTED, Pool
from amm.balancer import ACCURACY
from chain.local import coinbase_subnet as cs
from chain.local import coinbase_math as cm
from chain.local.accounts import subnet_account
from chain.local.balances import free_balance
from chain.local.chain import SCHEMA_VERSION, LocalChain
from chain.local.emission import block_emission_for_issuance, halving_threshold
from chain.local.errors import SchemaTooOld
from chain.local.invariants import check
from chain.pallets import swap
from chain.pallets import subtensor_module as sm

TAO = 10**9
BLOCKS = 7_200  # a day: the coinbase of every block, as `taoctl chain advance 7200` runs it


def _bare_subnet(pool: Pool, tao_reservoir: int, alpha_reservoir: int,
                 as_ints: bool = True) -> cs.HotSubnet:
    """A `HotSubnet` holding `pool`; `as_ints=False` sends its pool step through the `Pool`
    calls (`inject_and_buy`) instead of `inject_reserves`."""
    sub = cs.HotSubnet.__new__(cs.HotSubnet)
    sub.fee_rate, sub.model, sub.stable = pool.fee_rate, pool.model, pool.stable
    sub.weighted = as_ints and pool.model == WEIGHTED and not pool.stable
    sub.pool, sub.protocol, sub.alpha_out, sub.minted, sub.injected = pool, 0, 10**15, 0, 0
    sub.tao_reservoir, sub.alpha_reservoir, sub.pool_moved = tao_reservoir, alpha_reservoir, \
        False
    return sub


_STEP_FIELDS = ("tao", "alpha_in", "weight", "protocol", "alpha_out", "minted", "injected",
                "tao_reservoir", "alpha_reservoir", "pool_moved", "tao_in_em", "alpha_in_em",
                "excess")


amounts = st.one_of(st.just(0), st.integers(1, 10**9), st.integers(10**9, 10**16))
_pool_steps = given(  # a weighted pool, one block's terms and the parked reservoirs
    tao_reserve=st.integers(10**9, 10**17), alpha_reserve=st.integers(10**9, 10**18),
    weight=st.integers(ACCURACY // 100, ACCURACY * 99 // 100), tao_in=amounts,
    alpha_in=amounts, excess=amounts, parked_tao=amounts, parked_alpha=amounts)


@settings(max_examples=300, deadline=None)
@_pool_steps
def test_tao_is_conserved_through_the_injection_with_reservoirs(
        tao_reserve, alpha_reserve, weight, tao_in, alpha_in, excess, parked_tao, parked_alpha):
    """minted = delta SubnetTAO + delta BalancerTaoReservoir, and the block's offer = minted +
    recycled (the excess of a failed chain buy); alpha offered is active or parked."""
    pool = Pool(tao_reserve, alpha_reserve, weight)
    sub = _bare_subnet(pool, parked_tao, parked_alpha)
    terms = cm.TermsRao(tao_in, alpha_in, 0, excess, 0)
    spent = cs.inject_and_maybe_swap(sub, terms)
    assert spent == sub.minted
    delta_tao = sub.pool.tao_reserve - tao_reserve
    assert spent == delta_tao + (sub.tao_reservoir - parked_tao)
    recycled = tao_in + excess - spent
    assert 0 <= recycled <= excess  # a failed buy recycles all, a partial fill the unspent
    bought = sub.protocol
    assert sub.pool.alpha_reserve - alpha_reserve + bought == sub.alpha_in_em
    assert sub.alpha_in_em + sub.alpha_reservoir == alpha_in + parked_alpha
    assert sub.injected == sub.tao_in_em


@pytest.fixture(scope="module")
def mainnet(tmp_path_factory):
    path = tmp_path_factory.mktemp("mainnet") / "m.db"
    LocalChain.create(path, "mainnet").close()
    return path


def test_alpha_issuance_includes_the_reservoir_and_halves_on_schedule(mainnet, tmp_path):
    """A subnet whose SubnetAlphaIn + SubnetAlphaOut is just under the first halving threshold
    mints 1 alpha per block; the same subnet with parked alpha taking it over the threshold
    mints 0.5 (ECONOMICS-2026 §2.3)."""
    minted = {}
    for parked in (0, 10 * TAO):
        path = tmp_path / f"h{parked}.db"
        path.write_bytes(mainnet.read_bytes())
        with LocalChain.open(path) as chain:
            with chain.writing() as state:
                alpha_in = state.get(sm.SUBNET_ALPHA_IN, 1)
                state.set(sm.SUBNET_ALPHA_OUT, 1, halving_threshold(1) - alpha_in - 5 * TAO)
                if parked:
                    state.set(swap.BALANCER_ALPHA_RESERVOIR, 1, parked)
                    # parked alpha counts toward issuance: the bar of alpha_out is unchanged
            chain.advance(1, block_by_block=True)
            with chain.reading() as state:
                minted[parked] = state.get(sm.SUBNET_ALPHA_OUT_EMISSION, 1)
    assert minted[0] == block_emission_for_issuance(0) == TAO
    assert minted[10 * TAO] == TAO // 2


def test_a_day_of_the_mainnet_preset_under_the_gate(mainnet, tmp_path):
    """7,200 blocks, each block's coinbase run (the path `chain advance` takes; the forced
    open-every-block path is held equal to it elsewhere and costs 10x): each enabled subnet
    receives the TAO share the gate gives it at the start (prices move little in a day),
    subnets below the bar get a small fraction of what those above it get, disabled subnets
    get none (their alpha still minted), and `chain check` passes."""
    path = tmp_path / "day.db"
    path.write_bytes(mainnet.read_bytes())
    with LocalChain.open(path) as chain:
        gate = None
        with chain.reading() as state:
            from chain.local.emission_gate import gate_status

            gate = gate_status(state, chain.open_number())
            before = {n: free_balance(state, subnet_account(n)) for n in gate["shares"]}
            out_before = {n: state.get(sm.SUBNET_ALPHA_OUT, n) for n in gate["shares"]}
        chain.advance(BLOCKS)
        with chain.reading() as state:
            got = {n: free_balance(state, subnet_account(n)) - before[n] for n in before}
            out_after = {n: state.get(sm.SUBNET_ALPHA_OUT, n) for n in before}
        assert not any(check(chain).values()), check(chain)
    total = sum(got.values())
    assert 0.99 * BLOCKS * TAO // 2 <= total <= BLOCKS * TAO // 2  # 0.5 TAO a block
    for n in gate["emission_disabled"]:
        assert got[n] == 0 and out_after[n] > out_before[n]
    above, below = gate["above"], [n for n in gate["below"] if n not in gate["emission_disabled"]]
    assert len(above) == 32
    assert set(below) == set(gate["shares"]) - set(above) - set(gate["emission_disabled"])
    for n, share in gate["shares"].items():
        if share["share_ppb"] > 10**6:  # at least 0.1%: within 5% of the formula's share
            assert abs(got[n] / total - share["share_ppb"] / 1e9) <= 0.05 * share["share_ppb"] / 1e9
    mean_above = sum(got[n] for n in above) / len(above)
    mean_below = sum(got[n] for n in below) / len(below)
    predicted = (sum(gate["shares"][n]["share_ppb"] for n in below) / len(below)) / \
        (sum(gate["shares"][n]["share_ppb"] for n in above) / len(above))
    assert mean_below < 0.2 * mean_above
    assert abs(mean_below / mean_above - predicted) <= 0.1 * predicted


def test_the_mainnet_preset_runs_the_same_whether_blocks_open_or_run(mainnet, tmp_path):
    """`chain advance`'s path (each block's coinbase inside a run of empty blocks, what the
    day above takes) leaves the storage the forced open-every-block path leaves, with the
    gate in force and the subnets' epochs falling inside the run. (Taoctl.PriceAt, taoctl's
    own price samples for charts, is sampled per opened block or per run: not chain state.)"""
    dump = ("SELECT item, key, value FROM storage WHERE item != 'Taoctl.PriceAt' "
            "ORDER BY item, key")
    rows = []
    for name, by_opening in (("run.db", False), ("open.db", True)):
        path = tmp_path / name
        path.write_bytes(mainnet.read_bytes())
        with LocalChain.open(path) as chain:
            chain.advance(30, block_by_block=by_opening)
            chain.advance(7, block_by_block=by_opening)
            rows.append(chain.conn.execute(dump).fetchall())
    assert len(rows[0]) > 8_000 and rows[0] == rows[1]


def test_a_chain_from_an_older_taoctl_is_migrated_on_open(mainnet, tmp_path):
    path = tmp_path / "old.db"
    path.write_bytes(mainnet.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM storage WHERE item LIKE 'SubtensorModule.Emission%'")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with LocalChain.open(path) as chain:
        assert chain.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        chain.advance(3, block_by_block=True)
        with chain.reading() as state:
            assert state.get(sm.EMISSION_GATE_BAR) > 0  # computed by the first block
        assert not any(check(chain).values())


def test_a_chain_too_old_to_migrate_is_refused_with_how_to_start_fresh(mainnet, tmp_path):
    path = tmp_path / "ancient.db"
    path.write_bytes(mainnet.read_bytes())
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 0")
    conn.commit()
    conn.close()
    with pytest.raises(SchemaTooOld, match="chain init --force"):
        LocalChain.open(path)
    conn = sqlite3.connect(path)  # nothing changed
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
    conn.close()


@settings(max_examples=500, deadline=None)
@_pool_steps
def test_the_pool_step_on_ints_is_the_step_through_pools(
        tao_reserve, alpha_reserve, weight, tao_in, alpha_in, excess, parked_tao, parked_alpha):
    """`inject_and_maybe_swap` on a subnet held as ints (`inject_reserves`, the coinbase's
    form) leaves every field as the step through the public `Pool` calls does (`swap` and
    `adjust_protocol_liquidity_with_reservoirs`: `amm.injection._generic`, so the two sides
    share no code of the pool step)."""
    from unittest import mock

    from amm.injection import _generic

    terms = cm.TermsRao(tao_in, alpha_in, 0, excess, 0)
    subs = [_bare_subnet(Pool(tao_reserve, alpha_reserve, weight), parked_tao, parked_alpha,
                         as_ints) for as_ints in (True, False)]
    before = [sub.spot_price() for sub in subs]  # remembered: the step must forget it
    assert before[0] == before[1]
    spent = [cs.inject_and_maybe_swap(subs[0], terms)]
    with mock.patch.object(cs, "inject_and_buy", _generic):
        spent.append(cs.inject_and_maybe_swap(subs[1], terms))
    assert spent[0] == spent[1]
    assert [getattr(subs[0], f) for f in _STEP_FIELDS] == \
        [getattr(subs[1], f) for f in _STEP_FIELDS]
    assert subs[0].spot_price() == amm.spot_price(subs[1].pool)


_EMIT_FIELDS = _STEP_FIELDS + ("alpha_out_em", "pending_owner", "pending_server",
                               "pending_validator", "pending_root", "price")


def _subnet(tao: int, alpha_in: int, weight: int, tao_reservoir: int, alpha_reservoir: int,
            alpha_out: int) -> cs.HotSubnet:
    sub = _bare_subnet(Pool(tao, alpha_in, weight), tao_reservoir, alpha_reservoir)
    sub.alpha_out = alpha_out
    sub.pending_owner = sub.pending_server = sub.pending_validator = sub.pending_root = 0
    return sub


_U64 = 2**64 - 1
_reserves = st.one_of(st.integers(10**9, 10**17), st.integers(10**9, 10**17),
                      st.integers(_U64 - 10**13, _U64), st.just(0))
_weights = st.one_of(st.integers(ACCURACY // 100, ACCURACY * 99 // 100),
                     st.sampled_from([ACCURACY // 100, ACCURACY * 99 // 100, ACCURACY // 2]))


@st.composite
def _emitting(draw):
    """A weighted subnet's hot state and one block's emission for it. The root proportion is
    drawn around the subnet's alpha issuance, so the cap on alpha_in binds (a chain buy) often;
    the TAO emission is whole rao plus a fraction; reserves reach 0 and u64; the operands
    outside the fused form's ranges come now and then."""
    sub = _subnet(draw(_reserves), draw(_reserves), draw(_weights), draw(amounts),
                  draw(amounts), draw(st.integers(0, 10**18)))
    if draw(st.booleans()):
        sub.spot_price()  # a price remembered from the block before
    issuance = sub.alpha_in + sub.alpha_out + sub.alpha_reservoir
    near = st.integers(0, 50).map(lambda k: (issuance << 32) * k // 10)
    weighted_root = draw(st.one_of(near, near, near, near, st.integers(0, 2**100),
                                   st.sampled_from([2**127 - 1, 2**127, -1])))
    rao = st.builds(lambda whole, part: (whole << 32) + part, st.integers(0, 2 * 10**9),
                    st.integers(0, 2**32 - 1))
    tao_emission = draw(st.one_of(rao, rao, rao, st.integers(0, 2**33), st.integers(0, 2**100)))
    alpha_emission = draw(st.one_of(st.integers(0, 2 * 10**9), st.integers(0, 2 * 10**9),
                                    st.integers(0, 2 * 10**9), st.just(2**64)))
    cut = draw(st.one_of(st.just(cm.owner_cut_fraction(11_796)),
                         st.integers(0, 65_535).map(cm.owner_cut_fraction)))
    return sub, tao_emission, alpha_emission, weighted_root, cut, draw(st.booleans())


def _fused_is_composed(sub: cs.HotSubnet, *block) -> None:
    """`emit_subnet_fast` and `emit_subnet` on copies of `sub`: the same TAO taken (or the same
    refusal: reserves past u64) and every field of the subnet the same."""
    import copy

    from amm.errors import AmmError

    twin = copy.copy(sub)

    def taken(step, subnet):
        try:
            return step(subnet, *block)
        except AmmError as refused:
            return type(refused)

    assert taken(cs.emit_subnet_fast, sub) == taken(cs.emit_subnet, twin)
    assert [getattr(sub, f, None) for f in _EMIT_FIELDS] == \
        [getattr(twin, f, None) for f in _EMIT_FIELDS]


@settings(max_examples=1500, deadline=None)
@given(case=_emitting())
def test_the_fused_emit_step_is_the_composed_one(case):
    """`emit_subnet_fast` (terms, re-weighting, bookkeeping and split in one function) leaves
    every field of the subnet, and takes the same TAO, as `emit_subnet`, the composition of
    `subnet_terms_rao`, `inject_and_maybe_swap` and `pending_split`: without a buy, with one
    (where it hands over), with a re-weighting out of bounds, and with a price remembered."""
    _fused_is_composed(*case)


_HALF_WEIGHT = ACCURACY // 2


@pytest.mark.parametrize("sub, block", [
    # one rao of excess TAO: the reference buys 1e9 alpha with it
    ((10**9, 10**18, _HALF_WEIGHT, 0, 0, 10**12), (2**32, 10**9, 0, 11_796, True)),
    # SubnetTAO would pass u64: the reference refuses (InvalidPool)
    ((_U64 - 10**9 + 1, 10**12, _HALF_WEIGHT, 0, 0, 0),
     (10**9 << 32, 10**9, 2**126, 11_796, True)),
    # SubnetAlphaIn would pass u64 (the parked alpha made active): refused likewise
    ((10**12, _U64 - 10**9, _HALF_WEIGHT, 0, 10**10, 0), (0, 10**9, 0, 11_796, True)),
    # an empty pool: q1 + q2 = 0, the weight is one half
    ((0, 0, _HALF_WEIGHT, 5, 7, 0), (3 << 32, 2, 10**30, 0, False)),
    # the re-weighting lands a hair past 0.99: the fallback order retries
    ((10**14, 10**14, _HALF_WEIGHT, 9_800_000_000_000_002, 0, 10**12), (0, 0, 0, 11_796, True)),
], ids=["one-rao-buy", "tao-past-u64", "alpha-past-u64", "empty-pool", "weight-past-bound"])
def test_the_fused_emit_step_at_its_hand_offs(sub, block):
    """The boundaries where `emit_subnet_fast` must hand over to `emit_subnet` (or, for the
    empty pool, keep the reference's one-half weight), each a planted mistake's witness."""
    tao_emission, alpha_emission, weighted_root, cut, root_sell = block
    _fused_is_composed(_subnet(*sub), tao_emission, alpha_emission, weighted_root,
                       cm.owner_cut_fraction(cut), root_sell)

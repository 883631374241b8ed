"""`amm.injection.inject_and_buy` is the coinbase's shortcut for chain buy + re-weight with the
balancer reservoirs + injection: it must give exactly what the public calls give, for any pool."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from amm import Pool
from amm.balancer import ACCURACY
from amm.injection import _generic, inject_and_buy

MAX_U64 = 2**64 - 1

reserves = st.one_of(st.integers(0, 10**7), st.integers(10**9, 10**18))
weights = st.one_of(st.just(ACCURACY // 2), st.integers(ACCURACY // 100, ACCURACY * 99 // 100),
                    st.integers(ACCURACY // 2 - 10**6, ACCURACY // 2 + 10**6))
amounts = st.one_of(st.just(0), st.integers(1, 10**6), st.integers(10**6, 10**13),
                    st.integers(10**13, 10**19))


@settings(max_examples=600, deadline=None)
@given(tao_reserve=reserves, alpha_reserve=reserves, weight=weights, tao=amounts, alpha=amounts,
       excess=amounts, model=st.sampled_from(["weighted", "constant-product"]),
       parked_tao=amounts, parked_alpha=amounts)
def test_inject_and_buy_equals_the_public_calls(tao_reserve, alpha_reserve, weight, tao, alpha,
                                                excess, model, parked_tao, parked_alpha):
    pool = Pool(tao_reserve, alpha_reserve, weight, model=model)
    try:
        expected = _generic(pool, tao, alpha, excess, parked_tao, parked_alpha)
    except ValueError as exc:  # a reserve past u64::MAX: both refuse it the same way
        try:
            inject_and_buy(pool, tao, alpha, excess, parked_tao, parked_alpha)
        except ValueError as same:
            assert type(same) is type(exc)
            return
        raise AssertionError("the shortcut accepted what the public calls refuse") from exc
    got = inject_and_buy(pool, tao, alpha, excess, parked_tao, parked_alpha)
    assert got == expected
    # nothing is lost: what is offered is either price-active or parked
    assert got.tao_in + got.tao_reservoir == tao + parked_tao
    assert got.alpha_in + got.alpha_reservoir == alpha + parked_alpha
    assert (got.pool is pool) == (expected.pool is pool)  # "nothing moved" is told the same


def test_a_typical_block_buys_and_injects():
    pool = Pool(10_000 * 10**9, 200_000 * 10**9)
    got = inject_and_buy(pool, 5 * 10**8, 10**10, 3 * 10**8)
    assert got.bought > 0 and got.tao_in == 5 * 10**8 and got.alpha_in == 10**10
    assert got.pool.tao_reserve == pool.tao_reserve + 3 * 10**8 + 5 * 10**8
    assert got.pool.alpha_reserve == pool.alpha_reserve - got.bought + 10**10


def test_the_chain_buy_comes_first_and_moves_the_weight_update():
    """Spec 461-475 order: the buy runs on the pre-block pool, the re-weighting on the
    post-buy reserves (ECONOMICS-2026 §3.4): the weight is the one computed after the buy."""
    from amm import balancer as bal
    from amm.swap import BUY, swap

    pool = Pool(10_000 * 10**9, 200_000 * 10**9)
    got = inject_and_buy(pool, 5 * 10**8, 10**10, 3 * 10**8)
    bought = swap(pool, BUY, 3 * 10**8, drop_fees=True)
    assert got.bought == bought.amount_out
    after = bought.pool_after
    assert got.pool.tao_weight == bal.weight_after_liquidity(
        after.tao_weight, after.tao_reserve, after.alpha_reserve, 5 * 10**8, 10**10)


def test_what_cannot_be_made_price_active_is_parked_then_released():
    """A lopsided injection that would push the TAO weight under 0.01 parks the alpha (the TAO
    alone is accepted); once trades bring the pool back, the parked alpha enters in one step."""
    pool = Pool(10**12, 10**12)
    huge_alpha = 10**15  # 1000x the reserve: weight of TAO would fall far below 0.01
    step = inject_and_buy(pool, 10**9, huge_alpha, 0)
    assert (step.tao_in, step.alpha_in) == (10**9, 0)
    assert step.alpha_reservoir == huge_alpha and step.tao_reservoir == 0
    # nothing more offered: still cannot be released into this pool
    again = inject_and_buy(step.pool, 0, 0, 0, step.tao_reservoir, step.alpha_reservoir)
    assert again.alpha_reservoir == huge_alpha and again.alpha_in == 0
    # a much deeper pool can take it: released at once, reservoir emptied
    deep = Pool(10**17, 10**17)
    released = inject_and_buy(deep, 0, 0, 0, 0, huge_alpha)
    assert released.alpha_in == huge_alpha and released.alpha_reservoir == 0
    assert released.pool.alpha_reserve == deep.alpha_reserve + huge_alpha



# -- speed2: the re-weighting inlined --------------------------------------------------------------
@given(weight=st.one_of(st.integers(0, 10**18), st.integers(-(10**18), 2 * 10**18)),
       reserves=st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1)),
       deltas=st.tuples(st.one_of(st.integers(0, 2**64 - 1), st.integers(-(2**40), 2**70)),
                        st.one_of(st.integers(0, 2**64 - 1), st.integers(-(2**40), 2**70))))
def test_weight_after_is_the_balancer_reweighting(weight, reserves, deltas):
    """`weight_after` is `balancer.weight_after_liquidity` for any operands (saturating
    products, weights out of range, zero sums)."""
    from amm import balancer as bal
    from amm.injection import weight_after

    assert weight_after(weight, *reserves, *deltas) == \
        bal.weight_after_liquidity(weight, *reserves, *deltas)


@settings(max_examples=400, deadline=None)
@given(tao_reserve=reserves, alpha_reserve=reserves, weight=weights,
       model=st.sampled_from(["weighted", "constant-product"]), stable=st.booleans())
@example(tao_reserve=10**18, alpha_reserve=1, weight=ACCURACY // 100, model="weighted",
         stable=False)  # (w1/w2)(y/x) past u128::MAX: capped
def test_pool_price_is_the_spot_price(tao_reserve, alpha_reserve, weight, model, stable):
    """The coinbase's `pool_price` is `spot_price` for every pool model (and a stable pool)."""
    from amm import spot_price
    from amm.injection import pool_price

    pool = Pool(tao_reserve, alpha_reserve, weight, model=model, stable=stable)
    assert pool_price(pool) == spot_price(pool)

"""`amm.injection.inject_and_buy` is the coinbase's shortcut for re-weight + chain buy +
injection: it must give exactly what the public calls give, for any pool."""

from hypothesis import given, settings
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
       excess=amounts, model=st.sampled_from(["weighted", "constant-product"]))
def test_inject_and_buy_equals_the_public_calls(tao_reserve, alpha_reserve, weight, tao, alpha,
                                                excess, model):
    pool = Pool(tao_reserve, alpha_reserve, weight, model=model)
    try:
        expected = _generic(pool, tao, alpha, excess)
    except ValueError as exc:  # a reserve past u64::MAX: both refuse it the same way
        try:
            inject_and_buy(pool, tao, alpha, excess)
        except ValueError as same:
            assert type(same) is type(exc)
            return
        raise AssertionError("the shortcut accepted what the public calls refuse") from exc
    got = inject_and_buy(pool, tao, alpha, excess)
    assert got == expected
    assert (got.pool is pool) == (expected.pool is pool)  # "nothing moved" is told the same


def test_a_typical_block_buys_and_injects():
    pool = Pool(10_000 * 10**9, 200_000 * 10**9)
    got = inject_and_buy(pool, 5 * 10**8, 10**10, 3 * 10**8)
    assert got.bought > 0 and got.tao_in == 5 * 10**8 and got.alpha_in == 10**10
    assert got.pool.tao_reserve == pool.tao_reserve + 3 * 10**8 + 5 * 10**8
    assert got.pool.alpha_reserve == pool.alpha_reserve - got.bought + 10**10

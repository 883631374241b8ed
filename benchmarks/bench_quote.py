"""Quotes per second through the amm API in one process (the issue asks for >= 20 000/s).

Prints the rate for buys and sells on an equal-weight pool (the exact 1/1 power), on a pool
whose weights drifted a little (the shape every pool takes after emission injections), with a
limit price (the `*_stake_limit` path, including `max_amount_add`), and for the reverse quote.

    .venv/bin/python benchmarks/bench_quote.py [--seconds 1.0]
"""

from __future__ import annotations

import argparse
import time

import amm

TAO = 10**9


def rate(label: str, fn, seconds: float) -> None:
    count, start = 0, time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(200):
            fn(count)
            count += 1
        now = time.perf_counter()
        if now >= deadline:
            break
    per_second = count / (now - start)
    print(f"{label:<52} {per_second:>10,.0f} quotes/s  ({1e6 / per_second:7.1f} µs each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0)
    args = parser.parse_args()
    s = args.seconds
    equal = amm.Pool(10_000 * TAO, 40_000 * TAO)
    drifted = amm.Pool(10_000 * TAO, 40_000 * TAO, tao_weight=amm.HALF + 123_456_789)
    buy_limit = amm.limit_price_for_tolerance(equal, "buy", 5000)
    rate("buy, equal weights (exact 1/1 power)", lambda i: amm.buy(equal, TAO + i), s)
    rate("sell, equal weights", lambda i: amm.sell(equal, TAO + i), s)
    rate("buy, drifted weights (series / shortcut)", lambda i: amm.buy(drifted, TAO + i), s)
    rate("sell, drifted weights", lambda i: amm.sell(drifted, TAO + i), s)
    rate(
        "buy with limit price (add_stake_limit)",
        lambda i: amm.buy(equal, TAO + i, limit_price=buy_limit, allow_partial=True),
        s,
    )
    rate(
        "reverse quote (amount_in_for_out, buy)",
        lambda i: amm.amount_in_for_out(equal, "buy", 4 * TAO + i),
        s,
    )
    rate(
        "buy, constant-product model",
        lambda i: amm.buy(amm.Pool(10_000 * TAO, 40_000 * TAO, model="constant-product"), TAO + i),
        s,
    )


if __name__ == "__main__":
    main()

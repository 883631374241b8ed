"""Benchmark: `chain advance 7200` (one day) on a dev chain with 32 running subnets of 256 UIDs
whose 64 validators have set weights on every miner. Prints the set-up and advance times (wall
and CPU: the CPU seconds hold still when other work shares the cores), the epochs that fired and
the alpha they paid; and one `yuma_epoch` at 256, 1024 and 4096 UIDs.

    .venv/bin/python benchmarks/bench_epoch_advance.py [--subnets 32] [--uids 256] [--blocks 7200]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TAO = 10**9


def key(tag: str) -> bytes:
    return hashlib.blake2b(tag.encode(), digest_size=32).digest()


def build(path: Path, subnets: int, uids: int, validators: int = 64):
    """A dev chain with running, emitting subnets, stake on validators and weights set."""
    import random

    from chain.local import neurons
    from chain.local import stake_utils as su
    from chain.local.accounts import DEV_ACCOUNTS, subnet_account
    from chain.local.balances import free_balance, set_free
    from chain.local.chain import LocalChain
    from chain.local.subnets import create_subnet
    from chain.pallets import subtensor_module as sm
    from chain.pallets import system

    rng = random.Random(7)
    chain = LocalChain.create(path, "dev")
    owner = DEV_ACCOUNTS["Alice"]
    with chain.writing() as state:
        block = state.get(system.NUMBER)
        for netuid in range(1, subnets + 1):
            tao = rng.randint(1_000, 20_000) * TAO // max(1, subnets // 32)
            create_subnet(state, netuid, owner, key(f"owner-{netuid}"), tao, block)
            state.set(sm.SUBNET_ALPHA_IN, netuid, tao * rng.randint(20, 200))
            state.set(sm.SUBNET_MOVING_PRICE, netuid, (1 << 32) // rng.randint(20, 200))
            state.set(sm.SUBTOKEN_ENABLED, netuid, True)
            state.set(sm.SUBNET_EMISSION_ENABLED, netuid, True)
            state.set(sm.FIRST_EMISSION_BLOCK, netuid, block)
            state.set(sm.MAX_ALLOWED_UIDS, netuid, uids)
            # the pool's TAO comes from Alice (issuance unchanged, so `chain check` holds)
            set_free(state, owner, free_balance(state, owner) - tao)
            set_free(state, subnet_account(netuid), free_balance(state, subnet_account(netuid))
                     + tao)
            hotkeys = [key(f"hot-{netuid}-{u}") for u in range(1, uids)]
            staked = 0
            for uid, hotkey in enumerate(hotkeys, start=1):
                neurons.append_neuron(state, netuid, hotkey, block - 1)
                coldkey = key(f"cold-{netuid}-{uid}")
                su.create_account_if_non_existent(state, coldkey, hotkey)
                if uid <= validators:
                    amount = rng.randint(1_000, 100_000) * TAO
                    su.credit_stake(state, hotkey, coldkey, netuid, amount)
                    staked += amount
            state.set(sm.SUBNET_ALPHA_OUT, netuid, staked)
            state.set(sm.VALIDATOR_PERMIT, netuid, [uid <= validators for uid in range(uids)])
            for uid in range(1, validators + 1):
                row = [[m, rng.randint(1, 65_535)] for m in range(validators + 1, uids)]
                state.set(sm.WEIGHTS, netuid, uid, row)
            state.set(sm.LAST_UPDATE, netuid, [block + 7_200] * uids)  # active all day
    return chain


def bench_yuma() -> None:
    import numpy as np

    from chain.yuma import YumaParams, yuma_epoch

    rng = np.random.default_rng(1)
    for n in (256, 1024, 4096):
        stake = rng.random(n)
        weights = rng.random((n, n))
        bonds = rng.random((n, n))
        yuma_epoch(stake, weights, bonds, YumaParams())
        runs = 5 if n < 4096 else 1
        t0 = time.perf_counter()
        for _ in range(runs):
            yuma_epoch(stake, weights, bonds, YumaParams())
        print(f"yuma_epoch {n} x {n}: {(time.perf_counter() - t0) / runs * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subnets", type=int, default=32)
    parser.add_argument("--uids", type=int, default=256)
    parser.add_argument("--blocks", type=int, default=7200)
    parser.add_argument("--no-yuma", action="store_true")
    args = parser.parse_args()
    from chain.heap import keep_freed_memory

    keep_freed_memory()  # as the CLI entry point does (chain.heap)
    from chain.local import invariants
    from chain.pallets import taoctl

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        chain = build(Path(tmp) / "bench.db", args.subnets, args.uids)
        print(f"set-up: {args.subnets} subnets x {args.uids} UIDs in "
              f"{time.perf_counter() - t0:.1f} s")
        with chain.reading() as state:
            epochs0 = state.get(taoctl.EPOCHS_RUN)
        t0, c0 = time.perf_counter(), time.process_time()
        result = chain.advance(args.blocks)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
        with chain.reading() as state:
            epochs = state.get(taoctl.EPOCHS_RUN) - epochs0
            paid = sum(state.get(taoctl.EPOCH_PAID, n) for n in range(1, args.subnets + 1))
        print(f"chain advance {args.blocks}: {elapsed:.2f} s wall, {cpu:.2f} s CPU ({epochs} epochs, "
              f"{paid / TAO:,.1f} alpha paid, {result.minted / TAO:,.1f} TAO minted)")
        failures = {k: v for k, v in invariants.check(chain).items() if v}
        print("chain check:", "ok" if not failures else failures)
        chain.close()
    if not args.no_yuma:
        bench_yuma()


if __name__ == "__main__":
    main()

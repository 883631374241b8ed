"""Run a copy of the bundled chain forward in memory and measure what stakes, hotkeys and subnets
earn (`taoctl simulate`). Nothing is written to the chain file: the file is copied into an
in-memory SQLite database with the backup API and advanced there under the current weights.

`simulate(path, blocks, ...)` advances in `points` equal steps and samples, after each step,
the alpha held by the watched (hotkey, coldkey, netuid) stakes, the watched hotkeys' total alpha
per subnet, and each subnet's alpha paid by epochs; it returns the series (integers of rao).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from chain.local import stake_utils as su
from chain.local.chain import LocalChain
from chain.pallets import subtensor_module as sm
from chain.pallets import taoctl


def in_memory_copy(path: str | Path) -> LocalChain:
    """The chain at `path`, copied into memory (changes never reach the file)."""
    source = LocalChain.open(path)
    try:
        memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        source.conn.backup(memory)
    finally:
        source.close()
    return LocalChain(Path(path), memory)


def _stakes_of(state, coldkey: bytes, netuids: set[int] | None) -> list[tuple[bytes, int]]:
    """The (hotkey, netuid) pairs a coldkey stakes through."""
    pairs = []
    for hex_key in state.get(sm.STAKING_HOTKEYS, coldkey):
        hotkey = bytes.fromhex(hex_key)
        for netuid in _subnets(state):
            if (netuids is None or netuid in netuids) and \
                    state.get(sm.ALPHA, hotkey, coldkey, netuid) is not None:
                pairs.append((hotkey, netuid))
    return pairs


def _subnets(state) -> list[int]:
    from chain.local.coinbase import all_subnets

    return all_subnets(state)


def _sample(chain: LocalChain, stakes, hotkeys, netuids) -> dict:
    with chain.reading() as state:
        return {
            "stakes": [su.stake_of(state, h, c, n) for h, c, n in stakes],
            "hotkeys": [state.get(sm.TOTAL_HOTKEY_ALPHA, h, n) for h, n in hotkeys],
            "subnets": [state.get(taoctl.EPOCH_PAID, n) for n in netuids],
            "epochs": state.get(taoctl.EPOCHS_RUN),
            "prices": [su.spot_price_rao(state, n) for n in netuids],
        }


def simulate(path: str | Path, blocks: int, *, points: int = 20, coldkey: bytes | None = None,
             hotkey: bytes | None = None, netuids: list[int] | None = None) -> dict:
    """Advance a memory copy by `blocks` in `points` steps; the sampled series (see module)."""
    if blocks < 1:
        raise ValueError("simulate needs at least one block")
    chain = in_memory_copy(path)
    try:
        with chain.reading() as state:
            subnets = _subnets(state)
            wanted = [n for n in subnets if netuids is None or n in netuids]
            stakes = []
            if coldkey is not None:
                stakes = [(h, coldkey, n) for h, n in _stakes_of(state, coldkey, set(wanted))]
            hotkeys = [] if hotkey is None else [
                (hotkey, n) for n in wanted if state.get(sm.UIDS, n, hotkey) is not None
                or state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, n)]
        start = chain.open_number()
        steps = max(1, min(points, blocks))
        marks = sorted({blocks * k // steps for k in range(1, steps + 1)})
        series = [(start, _sample(chain, stakes, hotkeys, wanted))]
        done = 0
        for mark in marks:
            chain.advance(mark - done)
            done = mark
            series.append((start + done, _sample(chain, stakes, hotkeys, wanted)))
    finally:
        chain.close()
    first, last = series[0][1], series[-1][1]
    return {
        "from_block": start, "to_block": start + blocks, "blocks": blocks,
        "epochs": last["epochs"] - first["epochs"],
        "stakes": [{"hotkey": h, "coldkey": c, "netuid": n, "alpha_before_rao": first["stakes"][k],
                    "alpha_after_rao": last["stakes"][k],
                    "earned_rao": last["stakes"][k] - first["stakes"][k],
                    "series": [s["stakes"][k] for _, s in series]}
                   for k, (h, c, n) in enumerate(stakes)],
        "hotkeys": [{"hotkey": h, "netuid": n, "alpha_before_rao": first["hotkeys"][k],
                     "alpha_after_rao": last["hotkeys"][k],
                     "earned_rao": last["hotkeys"][k] - first["hotkeys"][k],
                     "series": [s["hotkeys"][k] for _, s in series]}
                    for k, (h, n) in enumerate(hotkeys)],
        "subnets": [{"netuid": n, "paid_rao": last["subnets"][k] - first["subnets"][k],
                     "price_before_rao": first["prices"][k], "price_after_rao": last["prices"][k],
                     "series": [s["subnets"][k] - first["subnets"][k] for _, s in series]}
                    for k, n in enumerate(wanted)],
        "blocks_series": [b for b, _ in series],
    }

"""The backend seam (`chain.backend.ChainBackend`) over the bundled chain.

Commands go through this: storage reads by subtensor's item names, runtime queries (the halving
schedule, invariants), block info, and signed submissions. The sandbox-only operations
(`advance`, `check`) live here too, since only the bundled chain can do them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chain.backend import BlockInfo, Receipt, Signer
from chain.local.chain import AdvanceResult, LocalChain
from chain.local.emission import (
    block_emission_for_issuance,
    halving_index,
    halving_threshold,
    halvings_in_run,
)
from chain.local.extrinsic import Call
from chain.pallets import balances, registry, taoctl

MAX_HALVINGS = 30  # emission is 0 from the 30th halving on (1e9 >> 30 == 0)


class LocalBackend:
    """The bundled sandbox chain behind the `ChainBackend` seam."""

    network = "sandbox"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.chain = LocalChain.open(self.path)

    def close(self) -> None:
        self.chain.close()

    # reads ----------------------------------------------------------------------------------
    def block_info(self) -> BlockInfo:
        return self.chain.block_info()

    def read(self, item: str, *key: Any) -> Any:
        with self.chain.reading() as state:
            return state.get(registry.item(item), *key)

    def read_many(self, item: str, keys: list[tuple]) -> list[Any]:
        with self.chain.reading() as state:
            declared = registry.item(item)
            return [state.get(declared, *key) for key in keys]

    def query(self, method: str, *args: Any) -> Any:
        """Runtime queries: "halvings", "block_emission", "nonce" (account), and those of
        `chain.local.queries` (pool, subnet, subnets, hyperparameters, neurons, stake,
        stake_info, burn_cost, lock_cost, price_history) and "quote" (a dry run:
        `query("quote", origin, pallet, name, args)`)."""
        if method == "halvings":
            return self.halvings()
        if method == "block_emission":
            return block_emission_for_issuance(self.read("Balances.TotalIssuance"))
        if method == "nonce":
            return self.chain.nonce(args[0])
        from chain.local import queries

        with self.chain.reading() as state:
            block = self.chain.open_number()
            if method == "quote":
                return queries.quote(state, block, *args)
            return queries.answer(state, block, method, *args)

    def pool(self, netuid: int):
        """The subnet's pool as an `amm.Pool` (the same reads the runtime makes)."""
        return self.query("pool", netuid)

    def quote(self, origin: bytes, pallet: str, name: str, args: dict) -> dict:
        """What the call would do now, from a dry run that is always rolled back:
        {success, error, message, result, events}; submitting it gives the same result."""
        return self.query("quote", origin, pallet, name, args)

    def halvings(self) -> dict:
        """Past halvings (recorded) and future ones (predicted, assuming nothing is recycled).

        A halving's block is the first block minting at the halved rate.
        """
        with self.chain.reading() as state:
            issuance = state.get(balances.TOTAL_ISSUANCE)
            past = {k: block for (k,), block in state.iter(taoctl.HALVING_BLOCK)}
            number = self.chain.open_number()
        rows = []
        for k in sorted(past):
            rows.append(self._halving_row(k, past[k], done=True))
        future = halvings_in_run(issuance, number + 1, 10**12)
        for k, block in future[: MAX_HALVINGS]:
            rows.append(self._halving_row(k, block, done=False))
        return {"issuance_rao": issuance, "block": number,
                "block_emission_rao": block_emission_for_issuance(issuance),
                "halving_index": halving_index(issuance), "halvings": rows}

    def _halving_row(self, k: int, block: int, *, done: bool) -> dict:
        return {"k": k, "threshold_rao": halving_threshold(k), "block": block,
                "timestamp_ms": self.chain.timestamp_of(block), "past": done,
                "emission_before_rao": 1_000_000_000 >> (k - 1),
                "emission_after_rao": 1_000_000_000 >> k}

    # writes ---------------------------------------------------------------------------------
    def submit_call(self, signer: Signer, pallet: str, name: str, args: dict) -> Receipt:
        return self.chain.submit_call(signer, Call(pallet, name, args))

    def dry_run(self, origin: bytes, pallet: str, name: str, args: dict) -> list[dict]:
        """Run a call for `origin` on a throw-away view of the open block: its events, or the
        DispatchError it would raise. Nothing is written (the read transaction is discarded)."""
        from chain.local.runtime import dispatch

        with self.chain.reading() as state:
            return dispatch(state, origin, Call(pallet, name, args), self.chain.open_number())

    def advance(self, count: int, *, block_by_block: bool = False, coarse: bool = False,
                on_progress=None) -> AdvanceResult:
        """`on_progress(n)` hears of blocks done inside a long block-by-block run."""
        from chain.local.coinbase import reporting_progress

        with reporting_progress(on_progress):
            return self.chain.advance(count, block_by_block=block_by_block, coarse=coarse)

    def check(self) -> dict[str, list[str]]:
        from chain.local.invariants import check

        return check(self.chain)

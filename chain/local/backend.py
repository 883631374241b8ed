"""The backend contract (`chain.backend.SandboxBackend`, which includes `ChainBackend`) over
the bundled chain.

Commands go through this: storage reads by subtensor's item names, the typed reads (pools,
stakes, neurons, ...) answered by the chain's own query code, the runtime's dry run as the quote
of a call, and signed submissions. The sandbox-only operations (`advance`, `check`, dev
signers, halvings, simulation) live here too, since only the bundled chain can do them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from chain.backend import (
    BlockInfo,
    Call,
    CallQuote,
    Receipt,
    RuntimeAnswer,
    RuntimeMethod,
    Signed,
    Signer,
)
from chain.local.chain import AdvanceResult, LocalChain
from chain.local.emission import (
    block_emission_for_issuance,
    halving_index,
    halving_threshold,
    halvings_in_run,
)
from chain.local.extrinsic import Call as LocalCall
from chain.pallets import balances, registry, system, taoctl

if TYPE_CHECKING:
    import amm

MAX_HALVINGS = 30  # emission is 0 from the 30th halving on (1e9 >> 30 == 0)


class LocalBackend:
    """The bundled sandbox chain behind the `ChainBackend` seam."""

    network = "sandbox"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.chain = LocalChain.open(self.path)

    def close(self) -> None:
        self.chain.close()

    # state history (histfees) ------------------------------------------------------------------
    def at(self, block: int) -> LocalBackend:
        """This chain pinned at sealed block `block` (`chain.local.history`), read-only."""
        pinned = object.__new__(type(self))
        pinned.__dict__.update(self.__dict__)
        pinned.chain = self.chain.at(block)  # type: ignore[assignment]  # reads alike
        return pinned

    def history_retention(self) -> dict[str, int]:
        from chain.local import history

        with self.chain.reading():
            head = self.chain.open_number() - 1
            return {"keep": history.keep(self.chain.conn),
                    "oldest": history.horizon(self.chain.conn, head), "head": head}

    def set_history_retention(self, blocks: int) -> dict[str, int]:
        from chain.local import history

        with self.chain.writing():
            history.set_keep(self.chain.conn, blocks)
        return self.history_retention()

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

    def pool(self, netuid: int) -> amm.Pool:
        """The subnet's pool as an `amm.Pool` (the same reads the runtime makes)."""
        return self.query("pool", netuid)

    def quote(self, origin: bytes, pallet: str, name: str, args: dict) -> dict:
        """What the call would do now, from a dry run that is always rolled back:
        {success, error, message, result, events}; submitting it gives the same result."""
        return self.query("quote", origin, pallet, name, args)

    def open_number(self) -> int:
        return self.chain.open_number()

    # typed reads (the contract) -------------------------------------------------------------
    def _answer(self, method: str, *args: Any) -> Any:
        from chain.local import queries

        with self.chain.reading() as state:
            return queries.answer(state, self.chain.open_number(), method, *args)

    def free_balance(self, account: bytes) -> int:
        return int(self.read("System.Account", account).free)

    def existential_deposit(self) -> int:
        from chain.local.balances import EXISTENTIAL_DEPOSIT

        return EXISTENTIAL_DEPOSIT

    def nonce(self, account: bytes) -> int:
        return self.chain.nonce(account)

    def netuids(self) -> list[int]:
        return list(self._answer("netuids"))

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        return int(self._answer("stake", hotkey, coldkey, netuid))

    def stake_info(self, coldkey: bytes) -> list[dict]:
        return list(self._answer("stake_info", coldkey))

    def neurons(self, netuid: int) -> list[dict]:
        from chain.rules.views import neurons

        return neurons(self, netuid)

    def hyperparameters(self, netuid: int) -> dict[str, Any]:
        from chain.rules.views import hyperparameters

        return hyperparameters(self, netuid)

    def burn_cost(self, netuid: int) -> int:
        return int(self._answer("burn_cost", netuid))

    def lock_cost(self) -> int:
        return int(self._answer("lock_cost"))

    def block_emission(self) -> int:
        return block_emission_for_issuance(self.read("Balances.TotalIssuance"))

    def price_history(self, netuid: int) -> list[tuple[int, int]]:
        return [(int(b), int(p)) for b, p in self._answer("price_history", netuid)]

    def earnings(self, coldkey: bytes, stakes: list[tuple[bytes, int, int]]) -> list[int | None]:
        """From the chain's own record of this coldkey's stake calls (`chain.local.earnings`)."""
        from chain.local.earnings import earned

        with self.chain.reading():
            return earned(self.chain.conn, coldkey, list(stakes),
                          genesis_stakes=self.chain.preset != "dev",
                          until=getattr(self.chain, "block", None))  # `at`: its calls only

    def account_history(self, account: bytes) -> list[dict] | None:
        """From the chain's `extrinsics` table (`chain.local.account_history`); a view `at` a
        block: the operations up to that block."""
        from chain.local.account_history import operations

        with self.chain.reading():
            return operations(self.chain.conn, account, getattr(self.chain, "block", None))

    def account_operations(self, account: bytes, first: int, last: int,
                           progress: Any = None) -> list[dict]:
        """The chain's own record of blocks first..last (`chain.local.account_history`)."""
        from chain.local.account_history import operations

        with self.chain.reading():
            found = operations(self.chain.conn, account, last, since=first)
        if progress is not None:
            progress(last - first + 1)
        return found

    def alpha_value(self, netuid: int, alpha: int) -> tuple[int, int]:
        """`chain.rules.valuation` on the subnet's pool now (issue 17)."""
        from chain.rules.valuation import exit_value, spot_value

        pool = self.pool(netuid)
        return spot_value(pool, alpha), exit_value(pool, alpha)

    def sim_swap(self, netuid: int, direction: str, amount: int) -> dict | None:
        """The runtime's own swap, as `SwapRuntimeApi.sim_swap_*` answers it."""
        import amm

        pool = self.pool(netuid)
        try:
            swap = (amm.buy if direction == "buy" else amm.sell)(pool, amount)
        except amm.AmmError:
            return None
        if direction == "buy":
            return {"tao_amount": swap.amount_in, "alpha_amount": swap.amount_out,
                    "tao_fee": swap.fee, "alpha_fee": 0}
        return {"tao_amount": swap.amount_out, "alpha_amount": swap.amount_in,
                "tao_fee": 0, "alpha_fee": swap.fee}

    def quote_call(self, origin: bytes, call: Call) -> CallQuote:
        """The runtime's dry run, always rolled back: submitting now gives the same result."""
        answer = self.query("quote", origin, call.pallet, call.name, call.args)
        return CallQuote(bool(answer["success"]), answer["error"], answer["message"],
                         answer["result"], list(answer["events"]), "runtime")

    # -- issue 15 (hatch): runtime APIs, answered by the node's own implementation ------------
    def _runtime_catalogue(self):
        from chain.substrate.metadata import NODE_SPEC, served, v15_read
        from chain.substrate.runtime_calls import RuntimeCatalogue

        return RuntimeCatalogue(v15_read(NODE_SPEC), served(NODE_SPEC).ss58_prefix)

    def runtime_methods(self) -> list[RuntimeMethod]:
        """The methods of the spec-461 V15 metadata `taoctl node serve` serves, marked
        `answered` where its runtime-API code implements them."""
        from dataclasses import replace

        from chain.node.runtime_api import implemented

        answered = implemented()
        return [replace(m, answered=f"{m.api}_{m.method}" in answered)
                for m in self._runtime_catalogue().methods()]

    def runtime_api(self, api: str, method: str, args: list[str]) -> RuntimeAnswer:
        """Answered by `chain.node.runtime_api` (what `taoctl node serve` answers
        `state_call` with) over this chain file, read-only: the same bytes a client of the
        node gets, decoded with the same metadata."""
        from chain.node import runtime_api
        from chain.node.view import NodeView, RpcError
        from chain.substrate.metadata import NODE_SPEC, served
        from chain.substrate.runtime_calls import failure

        view = NodeView(self.chain, served(NODE_SPEC), serving=False)  # type: ignore[arg-type]

        def run(name: str, params: bytes) -> bytes:
            try:
                return runtime_api.call(view, name, params)
            except RpcError as exc:
                raise failure(name, exc.message) from None

        return self._runtime_catalogue().answer(api, method, args, run)

    # sandbox-only (the SandboxBackend contract) -----------------------------------------------
    def preset(self) -> str:
        return str(self.chain.preset)

    def block_author(self) -> bytes:
        from chain.local.accounts import AUTHOR_ACCOUNT

        return AUTHOR_ACCOUNT

    def counts(self) -> dict[str, int]:
        with self.chain.reading() as state:
            accounts = sum(1 for _ in state.iter(system.ACCOUNT))
            extrinsics = self.chain.conn.execute("SELECT COUNT(*) FROM extrinsics").fetchone()[0]
        return {"accounts": accounts, "extrinsics": int(extrinsics)}

    def plan_advance(self, count: int, *, coarse: bool) -> bool:
        from chain.local.coinbase import all_subnets, check_run_length, emits

        with self.chain.reading() as state:
            if not coarse:
                check_run_length(state, count)
            return any(emits(state, n) for n in all_subnets(state))

    def dev_signer(self, name: str) -> Signer:
        from chain.local.accounts import dev_signer

        return dev_signer(name)

    def epoch_blocks(self, netuids: list[int] | None) -> int:
        from chain.local.coinbase import all_subnets

        with self.chain.reading() as state:
            first = (netuids or all_subnets(state) or [0])[0]
        return max(int(self.read("SubtensorModule.Tempo", first)), 1)

    def simulate(self, blocks: int, **options: Any) -> dict:
        from chain.local.simulate import simulate

        return simulate(self.path, blocks, **options)

    def emission_gate(self) -> dict:
        from chain.local.emission_gate import gate_status

        with self.chain.reading() as state:
            return gate_status(state, self.chain.open_number())

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
    def build_call(self, pallet: str, name: str, args: dict[str, Any]) -> Call:
        from chain.local.calls import lookup

        lookup(pallet, name)
        return Call(pallet, name, dict(args))

    def call_data(self, call: Call) -> bytes:
        """The SCALE bytes per the recorded finney metadata (what a node would be sent)."""
        from chain.factory import offline_call_data

        return offline_call_data(call)

    def estimate_fee(self, origin: bytes, call: Call) -> int:
        """The transaction fee a signed `call` from `origin` pays now (recycled), as the chain
        charges it (`chain.local.transaction_payment`): the quote's fee is the execution's."""
        local = LocalCall(call.pallet, call.name, dict(call.args))
        with self.chain.reading() as state:
            return _fee_now(state, origin, local)

    def fee_payment(self, origin: bytes, call: Call) -> dict:
        """The fee and who pays it, decided by the rule the runtime executes
        (`chain.rules.fee_payer.who_pays` over this state)."""
        from chain.local import transaction_payment
        from chain.errors import ChainError
        from chain.local.calls import decode_args, lookup
        from chain.rules import fee_payer

        local = LocalCall(call.pallet, call.name, dict(call.args))
        try:
            args: dict | None = decode_args(lookup(call.pallet, call.name), dict(call.args))
        except ChainError:  # a call the chain refuses to parse: its dry run says why
            args = None
        with self.chain.reading() as state:  # one read: the fee and its payer of one state
            # (a call whose arguments do not parse names no position: TAO pays, or nothing)
            return fee_payer.payment_json(transaction_payment.StateReader(state), origin,
                                          local.id if args is not None else "", args or {},
                                          _fee_now(state, origin, local))

    def sign(self, signer: Signer, call: Call) -> Signed:
        from chain.local.extrinsic import sign

        nonce = self.chain.nonce(bytes(signer.public_key))
        xt = sign(signer, self.chain.genesis_hash, nonce,
                  LocalCall(call.pallet, call.name, call.args))
        return Signed(call, bytes(signer.public_key), xt)

    def submit(self, signed: Signed) -> Receipt:
        return self.chain.submit(signed.payload)

    def submit_call(self, signer: Signer, pallet: str, name: str, args: dict) -> Receipt:
        return self.chain.submit_call(signer, LocalCall(pallet, name, args))

    def dry_run(self, origin: bytes, pallet: str, name: str, args: dict) -> list[dict]:
        """Run a call for `origin` on a throw-away view of the open block: its events, or the
        DispatchError it would raise. Nothing is written (the read transaction is discarded)."""
        from chain.local.runtime import dispatch

        with self.chain.reading() as state:
            return dispatch(state, origin, LocalCall(pallet, name, args),
                            self.chain.open_number())

    def advance(self, count: int, *, block_by_block: bool = False, coarse: bool = False,
                on_progress: Any = None) -> AdvanceResult:
        """`on_progress(n)` hears of blocks done inside a long block-by-block run."""
        from chain.local.coinbase import reporting_progress

        with reporting_progress(on_progress):
            return self.chain.advance(count, block_by_block=block_by_block, coarse=coarse)

    def check(self) -> dict[str, list[str]]:
        from chain.local.invariants import check

        return check(self.chain)


def _fee_now(state, origin: bytes, local: LocalCall) -> int:
    """The fee `origin` pays for `local` signed now (its next nonce sets the length)."""
    from chain.local import transaction_payment

    nonce = state.get(system.ACCOUNT, origin).nonce
    return transaction_payment.fee_details(
        state, local.id, transaction_payment.fee_length(local, nonce)).total

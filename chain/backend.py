"""The contract between the CLI and a chain: what a command may ask of any chain.

`ChainBackend` is every network's contract: typed reads (balances, pools, stakes, subnets,
neurons, hyperparameters, block info, the existential deposit, earnings, the runtime's own
quotes) and the submission steps (build a call, estimate its fee, sign it, submit it and wait
for its receipt). `SandboxBackend` adds what only the bundled chain can do (advance, check,
fund from the dev accounts, presets, halvings, history). `chain.local.backend.LocalBackend`
implements both; `chain.remote.RemoteBackend` implements `ChainBackend` only, and mypy checks
both against these protocols (`chain/contract_check.py`, run by `.ci/run`).

The CLI opens a backend through `chain.factory` and never imports a backend package itself.
This module is light (stdlib only) so CLI modules can import it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Callable

    import amm


def canonical(value: Any) -> Any:
    """JSON-able form of events and results: bytes as "0x" hex, tuples as lists."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [canonical(v) for v in value]
    return value


@dataclass(frozen=True)
class BlockInfo:
    """Where the chain is: the open block (extrinsics go there) and the last sealed block."""

    number: int  # the open block
    timestamp_ms: int  # the open block's time
    head_number: int  # the last sealed block (number - 1)
    head_hash: bytes
    genesis_hash: bytes
    genesis_number: int

    def to_json(self) -> dict:
        return {"number": self.number, "timestamp_ms": self.timestamp_ms,
                "head_number": self.head_number, "head_hash": "0x" + self.head_hash.hex(),
                "genesis_hash": "0x" + self.genesis_hash.hex(),
                "genesis_number": self.genesis_number}


@dataclass(frozen=True)
class Call:
    """A call by subtensor's names, arguments in local shapes (accounts as 32 bytes)."""

    pallet: str
    name: str
    args: dict[str, Any]

    @property
    def id(self) -> str:
        return f"{self.pallet}.{self.name}"


@dataclass
class CallQuote:
    """What a call would do now, nothing sent: the runtime's dry run where the chain offers
    one (`source` "runtime"), else taoctl's restatement of its checks (`source` "rules"), else
    unchecked (`source` "none": the refusal, if any, comes with the receipt)."""

    success: bool
    error: str | None = None  # subtensor's error name when the chain would refuse
    message: str | None = None
    result: dict | None = None  # the call's result record (amounts moved, fee, swap)
    events: list[dict] = field(default_factory=list)
    source: str = "runtime"

    def to_json(self) -> dict:
        return {"success": self.success, "error": self.error, "message": self.message,
                "result": canonical(self.result), "events": canonical(self.events),
                "source": self.source}


@dataclass
class Signed:
    """A signed extrinsic ready to submit; `payload` is the backend's own form of it."""

    call: Call
    signer: bytes
    payload: Any


@dataclass
class Receipt:
    """What happened to a submitted extrinsic once it was included in a block."""

    success: bool
    block_number: int
    extrinsic_index: int
    extrinsic_hash: bytes
    events: list[dict] = field(default_factory=list)
    error: str | None = None  # the subtensor error name when the call failed
    message: str | None = None
    fee_rao: int = 0
    result: dict | None = None  # the call's result record, where the chain keeps it

    @property
    def extrinsic_id(self) -> str:
        """btcli's id form: "<block>-<index>"."""
        return f"{self.block_number}-{self.extrinsic_index}"

    @property
    def fee_payment(self) -> dict:
        """Who paid the fee, from the events (both backends' receipts carry the runtime's):
        `SubtensorModule.TransactionFeePaidWithAlpha` says alpha paid, and how much."""
        for event in self.events:
            if (event.get("pallet"), event.get("name")) == ("SubtensorModule",
                                                            "TransactionFeePaidWithAlpha"):
                args = event.get("args") or {}
                # (an older runtime's event carries `who` and `alpha_fee` only)
                return {"fee_payer": "alpha", "fee_netuid": int(args.get("netuid", 0)),
                        "fee_alpha_rao": int(args.get("alpha_fee", 0)),
                        "fee_alpha_tao_rao": int(args.get("tao_amount", 0))}
        return {"fee_payer": "tao"}

    def to_json(self) -> dict:
        return {"success": self.success, "block_number": self.block_number,
                "extrinsic_index": self.extrinsic_index, "extrinsic_id": self.extrinsic_id,
                "extrinsic_hash": "0x" + self.extrinsic_hash.hex(), "error": self.error,
                "message": self.message, "fee_rao": self.fee_rao, **self.fee_payment,
                "events": canonical(self.events)}


# -- issue 15 (hatch): runtime API calls by name ---------------------------------------------
@dataclass(frozen=True)
class RuntimeMethod:
    """One runtime API method of a network's V15 metadata, types spelled as in Rust."""

    api: str
    method: str
    inputs: tuple[tuple[str, str], ...]  # (parameter name, type name), in order
    output: str
    answered: bool | None = None  # whether the runtime implements it (None: not known)

    def to_json(self) -> dict:
        return {"api": self.api, "method": self.method,
                "inputs": [{"name": n, "type": t} for n, t in self.inputs],
                "output": self.output, "answered": self.answered}


@dataclass(frozen=True)
class RuntimeAnswer:
    """A runtime API call's answer: the arguments as parsed, the SCALE bytes both ways, and
    the result decoded (`value`: the clients' JSON form; `display`: byte strings as text)."""

    method: RuntimeMethod
    args: list
    params: bytes
    raw: bytes
    value: Any
    display: Any


class Signer(Protocol):
    """Anything that can sign for an account: a 32-byte `public_key` and `sign(message)`."""

    public_key: bytes

    def sign(self, message: bytes) -> bytes: ...


class ChainBackend(Protocol):
    """The operations every chain offers the CLI."""

    network: str

    # -- reads -------------------------------------------------------------------------------
    def block_info(self) -> BlockInfo:
        """The open block, the last sealed block and the genesis hash."""
        ...

    def read(self, item: str, *key: Any) -> Any:
        """A storage item by subtensor's name, e.g. read("System.Account", pubkey)."""
        ...

    def read_many(self, item: str, keys: list[tuple]) -> list[Any]:
        """Several entries of one item, read at the same block."""
        ...

    def free_balance(self, account: bytes) -> int:
        """Free TAO of an account, rao."""
        ...

    def existential_deposit(self) -> int:
        """The balance below which an account is reaped, rao."""
        ...

    def nonce(self, account: bytes) -> int:
        """The account's next nonce."""
        ...

    def netuids(self) -> list[int]:
        """Every existing subnet, ascending (root first)."""
        ...

    def pool(self, netuid: int) -> amm.Pool:
        """The subnet's pool as `amm` models it (root: the stable 1:1 pool)."""
        ...

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        """Alpha (rao) of `coldkey` on `hotkey` in `netuid`."""
        ...

    def stake_info(self, coldkey: bytes) -> list[dict]:
        """Every position of a coldkey: {hotkey, netuid, alpha_rao, value_rao (spot),
        unstake_rao (what an unstake pays now), price_rao, symbol}."""
        ...

    def neurons(self, netuid: int) -> list[dict]:
        """The metagraph rows: uid, hotkey, coldkey, stake, registration, immunity, emission."""
        ...

    def hyperparameters(self, netuid: int) -> dict[str, Any]:
        """The subnet's settings by subtensor's storage names."""
        ...

    def burn_cost(self, netuid: int) -> int:
        """Rao a neuron registration burns now."""
        ...

    def lock_cost(self) -> int:
        """Rao registering a subnet locks now."""
        ...

    def block_emission(self) -> int:
        """Rao minted per block now."""
        ...

    def price_history(self, netuid: int) -> list[tuple[int, int]]:
        """(block, rao per alpha) points, oldest first (the open block's price at least)."""
        ...

    def earnings(self, coldkey: bytes, stakes: list[tuple[bytes, int, int]]) -> list[int | None]:
        """Per (hotkey, netuid, alpha): alpha earned since staking, None where unknown."""
        ...

    # -- issue 17 (portfolio): an account's own operations ----------------------------------
    def account_history(self, account: bytes) -> list[dict] | None:
        """The signed operations that touched `account`, oldest first, each
        {block, index, hash, signer, call: {pallet, name, args}, success, error, fee_rao,
        events} (accounts as "0x" hex): the extrinsics it signed and those whose events name
        it. None where the chain keeps no such record (a node without an indexer)."""
        ...

    def account_operations(self, account: bytes, first: int, last: int,
                           progress: Callable[[int], None] | None = None) -> list[dict]:
        """The operations of sealed blocks `first`..`last` that touched `account`, read from
        the chain's own blocks and events (old blocks: an archive node), in
        `account_history`'s shape; `progress(1)` after each block. Costs a request or more a
        block on a node: the caller bounds the range."""
        ...

    def alpha_value(self, netuid: int, alpha: int) -> tuple[int, int]:
        """(spot value, exit value) of `alpha` rao on `netuid` now, rao: the one valuation
        (`chain.rules.valuation`) for an amount that is not a whole position."""
        ...

    def sim_swap(self, netuid: int, direction: str, amount: int) -> dict | None:
        """The runtime's own swap quote ("buy" TAO->alpha, "sell"), None without one."""
        ...

    def quote_call(self, origin: bytes, call: Call) -> CallQuote:
        """What `call` would do for `origin` now; nothing is sent."""
        ...

    # -- submission --------------------------------------------------------------------------
    def build_call(self, pallet: str, name: str, args: dict[str, Any]) -> Call:
        """The call, checked against the runtime's call table (unknown calls raise)."""
        ...

    def call_data(self, call: Call) -> bytes:
        """The SCALE bytes of the call, per the runtime's metadata."""
        ...

    def estimate_fee(self, origin: bytes, call: Call) -> int:
        """The transaction fee the chain would charge, rao."""
        ...

    def fee_payment(self, origin: bytes, call: Call) -> dict:
        """The fee and who pays it now (`chain.rules.fee_payer`): {fee_rao, fee_payer} with
        fee_payer "tao", or "alpha" (then fee_netuid, fee_hotkey, fee_alpha_rao: the alpha sold,
        fee_alpha_tao_rao: the TAO its sale gives, recycled), or "none" (fee_why: nothing can
        pay; the chain refuses the extrinsic)."""
        ...

    def sign(self, signer: Signer, call: Call) -> Signed:
        """Sign with the signer's next nonce (and the backend's era)."""
        ...

    def submit(self, signed: Signed) -> Receipt:
        """Submit and wait for inclusion; the receipt names a failure by subtensor's name."""
        ...

    def submit_call(self, signer: Signer, pallet: str, name: str, args: dict) -> Receipt:
        """build_call, sign and submit in one step."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...

    # -- issue 15 (hatch): runtime APIs by name ------------------------------------------------
    def runtime_methods(self) -> list[RuntimeMethod]:
        """Every runtime API method of the network's V15 metadata (the sandbox: the spec-461
        metadata `taoctl node serve` serves, each marked `answered` or not; a node cannot say
        which it implements short of calling it)."""
        ...

    def runtime_api(self, api: str, method: str, args: list[str]) -> RuntimeAnswer:
        """Call runtime API method `api`.`method` with `args` given as text, parsed and
        encoded per the network's V15 metadata (`chain.substrate.runtime_calls`), and decode
        its answer. An unknown API or method or a bad argument raises a usage error (exit 2);
        a method the runtime cannot answer, an error of exit 5. Reads only."""
        ...

    # -- history (issue 17: `--at-block`) --------------------------------------------------------
    def at(self, block: int) -> ChainBackend:
        """A read-only backend answering every read as of sealed block `block` -- the state at
        that block's hash as a Substrate node keeps it (after the block's start-of-block work and
        extrinsics, not the next block's start): the sandbox from its kept history, a node from
        its state at that block's hash (an archive node).
        `StateDiscarded` when that state is no longer kept."""
        ...


@runtime_checkable
class SandboxBackend(ChainBackend, Protocol):
    """What only the bundled chain can do."""

    path: Path

    def preset(self) -> str:
        """The genesis preset the chain was created from (dev, mainnet)."""
        ...

    def block_author(self) -> bytes:
        """The account block fees go to."""
        ...

    def counts(self) -> dict[str, int]:
        """{"accounts", "extrinsics"} on the chain so far."""
        ...

    def halvings(self) -> dict:
        """Past and predicted halvings with the issuance and block emission."""
        ...

    def emission_gate(self) -> dict:
        """The emission gate at the open block (issue 16): `bar_ppb`, `rank`, the emitting
        subnets `above` and `below` the bar, `emission_disabled`, and each subnet's
        `pre_gate_ppb` / `share_ppb` (`chain.local.emission_gate.gate_status`)."""
        ...

    def plan_advance(self, count: int, *, coarse: bool) -> bool:
        """Check that `count` blocks may be advanced (raise if not); True when emitting."""
        ...

    def advance(self, count: int, *, block_by_block: bool = False, coarse: bool = False,
                on_progress: Any = None) -> Any:
        """Seal `count` blocks, running the block step and epochs."""
        ...

    def check(self) -> dict[str, list[str]]:
        """Every invariant's failures (empty lists when the chain is sound)."""
        ...

    def dev_signer(self, name: str) -> Signer:
        """A dev account's signer ("Alice"): the sandbox's funding source."""
        ...

    def epoch_blocks(self, netuids: list[int] | None) -> int:
        """Blocks per epoch of the first of `netuids` (default: the first emitting subnet)."""
        ...

    def simulate(self, blocks: int, **options: Any) -> dict:
        """Run `blocks` ahead in memory, the chain file unchanged."""
        ...

    # -- state history (issue 14: histfees; `--at-block` reads, issue 17) ----------------------
    def at(self, block: int) -> SandboxBackend:
        """A read-only view of the chain as it was at sealed block `block`: every read answers
        that block's state (the open block is `block + 1`); submissions and advances are
        refused. `StateDiscarded` (exit code 2) when the block is older than the history kept."""
        ...

    def history_retention(self) -> dict[str, int]:
        """{"keep": blocks kept, "oldest": the oldest block readable with `at`, "head"}."""
        ...

    def set_history_retention(self, blocks: int) -> dict[str, int]:
        """Keep the state of the last `blocks` blocks from now on (older rows are pruned as
        blocks advance); returns the new `history_retention()`."""
        ...

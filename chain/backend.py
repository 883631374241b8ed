"""The seam between the CLI and a chain: what a command may ask of any chain.

The CLI never touches SQLite or websockets directly; it asks a `ChainBackend` to read storage
items by subtensor's names, run runtime queries, tell it about blocks, and submit a signed call,
getting a `Receipt` back. `chain.local.backend.LocalBackend` implements it over the bundled chain;
`chain.remote` will implement it over substrate-interface for finney/test/local nodes.

This module is light (stdlib only) so CLI modules can import it at start-up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol


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

    @property
    def extrinsic_id(self) -> str:
        """btcli's id form: "<block>-<index>"."""
        return f"{self.block_number}-{self.extrinsic_index}"

    def to_json(self) -> dict:
        from chain.local.extrinsic import _canonical

        return {"success": self.success, "block_number": self.block_number,
                "extrinsic_index": self.extrinsic_index, "extrinsic_id": self.extrinsic_id,
                "extrinsic_hash": "0x" + self.extrinsic_hash.hex(), "error": self.error,
                "message": self.message, "fee_rao": self.fee_rao,
                "events": _canonical(self.events)}


class Signer(Protocol):
    """Anything that can sign for an account: a 32-byte `public_key` and `sign(message)`."""

    public_key: bytes

    def sign(self, message: bytes) -> bytes: ...


class ChainBackend(Protocol):
    """The operations every chain offers the CLI."""

    network: str

    def block_info(self) -> BlockInfo:
        """The open block, the last sealed block and the genesis hash."""

    def read(self, item: str, *key: Any) -> Any:
        """A storage item by subtensor's name, e.g. read("System.Account", pubkey)."""

    def read_many(self, item: str, keys: list[tuple]) -> list[Any]:
        """Several entries of one item, read at the same block."""

    def query(self, method: str, *args: Any) -> Any:
        """A runtime query, answered at the open block. Names: "block_emission", "halvings",
        "nonce", and for subnets and staking (chain/local/README.md lists the answers):
        "pool" (an `amm.Pool`), "subnet", "subnets", "hyperparameters", "neurons", "stake",
        "stake_info", "burn_cost", "lock_cost", "price_history" and "quote" (origin, pallet,
        call, args: the call's dry run, `{success, error, message, result, events}`)."""

    def submit_call(self, signer: Signer, pallet: str, name: str, args: dict) -> Receipt:
        """Sign a call with the sender's next nonce, submit it and wait for inclusion."""

    def close(self) -> None:
        """Release the connection."""

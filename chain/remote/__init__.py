"""The `ChainBackend` seam over a real Substrate node (finney, test, a local subtensor, or
`taoctl node serve`), through a light websocket JSON-RPC client (`wsrpc`).

- Connecting: `open_remote(url)` connects with a timeout (10 s by default), checks that the
  peer is a Substrate node running subtensor (`state_getRuntimeVersion` spec name, and the
  genesis hash for finney), and loads the runtime's metadata: the recorded one when the spec
  version matches, else the node's own (`state_getMetadata`, cached on disk by hash). The
  connection and metadata are cached per process and URL.
- Reading: storage items by subtensor's names, keys and values mapped per metadata
  (`chain.substrate.mapping`), so a command reads a pool the same way from the sandbox and finney.
  A missing entry reads as the bundled chain's declared default (what its runtime code
  expects), else the metadata's default. Stakes come from the runtime's StakeInfo API; pools,
  valuations and the metagraph are read through the shared rules (`chain.rules`).
- Writing: `submit_call` composes the call from the metadata, signs it with the seam's
  `Signer` (mortal era, `period` blocks, 16 by default), submits with
  `author_submitAndWatchExtrinsic`, waits for inclusion and returns a `Receipt` with the
  extrinsic's events and the decoded module error name (e.g. `SlippageTooHigh`).
- MEV shield (issue 15): on a runtime with MevShield, stake trades and subnet creation are
  signed at nonce n+1, encrypted to `MevShield.NextKey` (`chain.shield`) and carried by
  `submit_encrypted` at nonce n; the receipt is the inner extrinsic's, or a failed one
  (`ShieldedInnerNotIncluded`) when only the carrier landed. `mev_shield = False` turns it off.
- `quote_call` asks the node's runtime for a dry run where it has one (`taoctl node serve`);
  on other nodes the shared rules judge stake trades and transfers in the runtime's order.
- `compose_call` gives the SCALE call bytes (`--dry-run` prints them as hex).

Errors are domain exceptions with exit code 5 (unreachable, timeout, not a Substrate node,
unexpected chain) and clear one-line messages.

Modules: `connection` (websocket, handshake, metadata, cache), `backend` (`RemoteBackend`),
`queries` (the typed reads), `wsrpc` (the JSON-RPC client), `items` (where the storage declarations come from), `errors`.
"""

from chain.remote.backend import INCLUSION_TIMEOUT_S, RemoteBackend, call_hex
from chain.remote.connection import (
    DEFAULT_PERIOD,
    DEFAULT_TIMEOUT_S,
    EXPECTED_GENESIS,
    FINNEY_GENESIS,
    forget,
    open_remote,
)
from chain.remote.errors import (
    NodeTimeout,
    NodeUnreachable,
    NotASubstrateNode,
    RemoteError,
    RemoteRefused,
    SandboxOnly,
    UnexpectedChain,
    UnsupportedQuery,
)

__all__ = [
    "DEFAULT_PERIOD", "DEFAULT_TIMEOUT_S", "EXPECTED_GENESIS", "FINNEY_GENESIS",
    "INCLUSION_TIMEOUT_S", "NodeTimeout", "NodeUnreachable", "NotASubstrateNode",
    "RemoteBackend", "RemoteError", "RemoteRefused", "SandboxOnly",
    "UnexpectedChain", "UnsupportedQuery", "call_hex", "forget", "open_remote",
]

"""`state_call` runtime APIs answered from the bundled chain's real state.

Each handler takes the SCALE-encoded parameters and returns the SCALE-encoded result, with the
result types subtensor's spec 343 declares (NODE.md). APIs the local runtime cannot answer yet
raise an RpcError naming the method, as a node without that API does.
"""

from __future__ import annotations

from collections.abc import Callable

from chain.node.metadata import recorded_v15
from chain.node.scale import decode_compact, encode_compact
from chain.node.view import NodeView, RpcError, opaque

Handler = Callable[[NodeView, bytes], bytes]
HANDLERS: dict[str, Handler] = {}


def api(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[name] = fn
        return fn

    return register


def call(view: NodeView, method: str, params: bytes) -> bytes:
    """Run a runtime API by its `Api_method` name."""
    handler = HANDLERS.get(method)
    if handler is None:
        raise RpcError(4003, f"Client error: Execution failed: Other: Exported method {method} "
                             "is not found")
    try:
        return handler(view, params)
    except RpcError:
        raise
    except (ValueError, IndexError, KeyError, TypeError) as exc:
        raise RpcError(4003, f"Client error: Execution failed: {method}: {exc}") from None


@api("Core_version")
def _core_version(view: NodeView, params: bytes) -> bytes:
    return view.runtime_version_scale()


@api("Metadata_metadata")
def _metadata(view: NodeView, params: bytes) -> bytes:
    return opaque(view.md.raw)


@api("Metadata_metadata_versions")
def _metadata_versions(view: NodeView, params: bytes) -> bytes:
    return encode_compact(2) + (14).to_bytes(4, "little") + (15).to_bytes(4, "little")


@api("Metadata_metadata_at_version")
def _metadata_at_version(view: NodeView, params: bytes) -> bytes:
    version = int.from_bytes(params[:4], "little")
    if version == 14:
        return b"\x01" + opaque(view.md.raw)
    if version == 15:
        return recorded_v15(view.md.spec_version)
    return b"\x00"


@api("AccountNonceApi_account_nonce")
def _account_nonce(view: NodeView, params: bytes) -> bytes:
    if len(params) != 32:
        raise ValueError("expected a 32-byte account id")
    return view.nonce(params).to_bytes(4, "little")


@api("TransactionPaymentApi_query_info")
def _query_info(view: NodeView, params: bytes) -> bytes:
    """RuntimeDispatchInfo {weight {ref_time, proof_size}, class, partial_fee}: the bundled
    chain charges no fees, so the fee is 0."""
    length, offset = decode_compact(params, 0)
    if offset + length + 4 != len(params):
        raise ValueError("expected (extrinsic bytes, u32 length)")
    return encode_compact(0) + encode_compact(0) + b"\x00" + (0).to_bytes(8, "little")


@api("TransactionPaymentApi_query_fee_details")
def _query_fee_details(view: NodeView, params: bytes) -> bytes:
    """FeeDetails {inclusion_fee: None, tip: 0}."""
    return b"\x00" + (0).to_bytes(8, "little")

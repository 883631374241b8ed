"""The bundled chain served as a Substrate JSON-RPC node (the wire formats are
`chain.substrate`'s):

- `view`: the chain file seen as a node (block hashes, storage by key, SCALE extrinsics checked
  and dispatched through the local runtime, `System.Events`);
- `runtime_api`: `state_call` runtime APIs (nonce, fees, metadata V15, subtensor's dynamic
  info, stake info, swap quotes) answered from the local state;
- `server`: the websocket JSON-RPC server behind `taoctl node serve`.
"""

"""The bundled chain served as a spec-461 Substrate JSON-RPC node (the wire formats are
`chain.substrate`'s; the metadata served is `chain.substrate.metadata.served`):

- `view`: the chain file seen as a node (block hashes, storage by key, SCALE extrinsics checked
  and dispatched through the local runtime, every extrinsic of a block at its true index,
  `System.Events`);
- `inherents`: the two v5 bare inherents every block opens with (`Timestamp.set`,
  `MevShield.announce_next_key`, whose key a `KeySource` supplies);
- `runtime_api`: `state_call` runtime APIs (nonce, fees, metadata, dynamic info, stake info)
  answered from the local state; `runtime_api_461`: the APIs spec 461 adds or re-shapes
  (prices of all subnets, six-field sim-swap, hyperparameters v3, neurons lite, metagraph,
  stake availability, locks, delegates, epochs, baskets), encoded by the V15 registry;
- `server`: the websocket JSON-RPC server behind `taoctl node serve`, and its log.
"""

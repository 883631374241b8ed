"""The bundled chain served as a Substrate JSON-RPC node, and the SCALE/metadata layer shared
with the remote backend (`chain.remote`):

- `metadata`: the recorded finney metadata (spec 343, shipped pre-extracted), storage keys,
  calls, events, errors and constants by name;
- `scale`: a SCALE codec over the metadata's type registry;
- `mapping`: taoctl's Python values <-> SCALE values per storage item (and "extension items",
  modelled items the metadata lacks);
- `extrinsic`: signed v4 extrinsics, their signing payload and mortal eras;
- `view`: the chain file seen as a node (block hashes, storage by key, SCALE extrinsics checked
  and dispatched through the local runtime, `System.Events`);
- `runtime_api`: `state_call` runtime APIs (nonce, fees, metadata V15, subtensor's dynamic
  info, stake info, swap quotes) answered from the local state;
- `server`: the websocket JSON-RPC server behind `taoctl node serve`.
"""

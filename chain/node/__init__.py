"""The bundled chain served as a Substrate JSON-RPC node, and the SCALE/metadata layer shared
with the remote backend (`chain.remote`): `metadata` (recorded finney metadata, storage keys,
calls, events, errors), `scale` (a codec over the metadata's type registry), `mapping`
(taoctl's Python values <-> SCALE values per storage item), `extrinsic` (signed extrinsics and
their signing payload), `server` (the websocket JSON-RPC node).
"""

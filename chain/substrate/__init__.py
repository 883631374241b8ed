"""Substrate's wire formats, shared by the node server (`chain.node`) and the remote backend
(`chain.remote`). It knows subtensor only through the metadata and `chain.pallets`; it imports
no backend.

- `scale`: a SCALE codec over the metadata's type registry;
- `metadata`: runtime metadata (the recorded finney spec 343 and the recorded spec 461, V14
  shipped pre-extracted, V15 as recorded bytes; `served` is what `taoctl node serve` speaks),
  storage keys, calls, events, errors and constants by name;
- `metadata_reader`: walks V14/V15 metadata bytes (types, pallets, runtime APIs, where the
  storage vectors lie); `metadata_extend`: adds the storage entries today's clients look up by
  name that spec 461 lacks, spliced into the recorded bytes;
- `hashing`: the twox / blake2 hashes of storage keys and extrinsics;
- `mapping`: taoctl's Python values <-> SCALE values per storage item (and "extension items",
  modelled items the metadata lacks);
- `era`: mortal eras;
- `extrinsic`: signed v4 extrinsics, their signing payload, and their verification;
- `runtime_calls`: runtime API methods by name per a V15 metadata (`taoctl runtime`): the
  catalogue with type names, arguments encoded, answers decoded; `typed_text`: a value of a
  metadata type from command-line text (its arguments).
"""

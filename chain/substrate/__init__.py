"""Substrate's wire formats, shared by the node server (`chain.node`) and the remote backend
(`chain.remote`). It knows subtensor only through the metadata and `chain.pallets`; it imports
no backend.

- `scale`: a SCALE codec over the metadata's type registry;
- `metadata`: runtime metadata (the recorded finney spec 343, V14 shipped pre-extracted, V15 as
  recorded bytes), storage keys, calls, events, errors and constants by name;
- `hashing`: the twox / blake2 hashes of storage keys and extrinsics;
- `mapping`: taoctl's Python values <-> SCALE values per storage item (and "extension items",
  modelled items the metadata lacks);
- `era`: mortal eras;
- `extrinsic`: signed v4 extrinsics, their signing payload, and their verification.
"""

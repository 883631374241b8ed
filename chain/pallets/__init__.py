"""Subtensor's pallets as taoctl knows them: per pallet, its storage items (name, key kinds,
value kind, default) and its calls (name, argument names and kinds). Shared knowledge: the
bundled chain (`chain.local`) keeps these items and runs these calls, the node and the remote
backend map them to SCALE. This package imports no backend.

- `storage`: what a storage item is (`StorageItem`, `AccountInfo`) and its JSON encoding;
- `calls`: what a call is (`CallDecl`);
- `system`, `timestamp`, `balances`, `sudo`, `subtensor_module`, `swap`, `admin_utils`: one
  module per pallet, named after it;
- `taoctl`: taoctl's own ledgers (not subtensor storage);
- `registry`: every item and call of the modules above, by "Pallet.Name".
"""

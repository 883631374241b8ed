"""The bundled chain: storage on SQLite, the runtime modules, blocks, signed extrinsics, presets.

Map of the package (each module's docstring says more). The storage items and calls it keeps
and runs are declared per pallet in `chain.pallets`.

- `state`     `State`: items read through an overlay, nested snapshots, flushed per transaction
- `extrinsic` `Call`, `SignedExtrinsic`, `sign(signer, genesis_hash, nonce, call)`
- `calls`     the call table: `@call("Pallet", "name")` binds a function to a declared call
- `balances`  Balances pallet: transfers, existential deposit, reaping, mint/recycle helpers
- `hooks`     start-of-block hooks (`BLOCK_HOOKS`): `block_step`'s order
- `emission`  block emission by issuance (halvings), closed-form sums over many blocks
- `runtime`   `apply_extrinsic`, `dispatch`, `open_block`, `run_empty_blocks`
- `blocks`    block rows, hashes, runs of empty blocks
- `chain`     `LocalChain`: the SQLite file (create/open, reading/writing, submit, advance)
- `presets`   genesis presets as data (dev, mainnet)
- `accounts`  dev accounts and signers, subnet/burn/author accounts
- `invariants` what `taoctl chain check` verifies
- `backend`   `LocalBackend`, the `chain.backend.ChainBackend` seam over a chain file
- `errors`    one exception type per failure, with subtensor's names

Subnets and staking (`README.md` in this directory is the contract for the CLI):

- `subtensor_errors` `fail(name, message)`: the refusal class of that name (`chain.errors`)
- `stake_utils` pools as `amm.Pool`, share pools in storage, the executing swaps
- `staking`   add/remove (limit), unstake_all, move/transfer/swap (limit), take
- `subnets`   register_network, start_call, the subnet limit, dissolution
- `neurons`   UIDs: append, replace, which UID a full subnet prunes
- `registration` burned_register, register_limit, root_register
- `registration_hook` the per-block burn decay; `registration_price`, `network_lock` kernels
- `admin`     AdminUtils sudo setters (emission on, limits, delays)
- `genesis`   preset subnets, pools, stakes and parameters at genesis
- `queries`   runtime queries (pool, subnets, stake info, quote = dry run)
- `pool_invariants` the pool and stake checks of `chain check`
"""

"""Rules both backends need, over a pool or a position read from any chain.

The bundled chain's runtime (`chain.local`) is the reference; a real node is judged by its own
runtime. What taoctl must compute the same way on either side lives here, stdlib and `amm`
only, over the small read interface of `chain.rules.reader`:

- `pool`: a subnet's pool as `amm.Pool` (SubnetTAO, SubnetAlphaIn, Swap weight and fee,
  the mechanism);
- `valuation`: alpha at the spot price and what selling it would pay now;
- `staking`: the pre-checks of a stake trade in the order subtensor runs them, for a node
  that cannot dry-run a call.
"""

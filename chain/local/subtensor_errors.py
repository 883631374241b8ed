"""How the bundled runtime raises subtensor's refusals (`pallets/subtensor/src/macros/errors.rs`).

The refusal types themselves are the chain's, one class per name, generated from the one list
in `chain.errors` and shared with real nodes; a runtime module raises one with
`raise fail("SubnetNotExists", "no subnet 7")` (an unlisted name fails loudly in tests). Errors
of the pure pool (`amm.errors`, the same names as the chain's) become the chain's by `from_amm`.
"""

from __future__ import annotations

from chain.errors import ERROR_NAMES, SubtensorError, fail

__all__ = ["ERROR_NAMES", "SubtensorError", "fail", "from_amm"]


def from_amm(exc: Exception) -> SubtensorError:
    """The pool's error (`amm.errors`, chain names) as the dispatch error of the same name; a
    pool error the runtime has no name for is `InsufficientLiquidity`, as `sim_swap` maps it."""
    name = getattr(exc, "name", "InsufficientLiquidity")
    if name not in ERROR_NAMES:
        name = "InsufficientLiquidity"
    return fail(name, str(exc))

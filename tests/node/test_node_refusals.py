"""The node turns a refusal back into a DispatchError value by the names of the chain's list."""

from __future__ import annotations

import chain.errors as ce


def test_the_node_encodes_the_same_token_and_bare_names():
    """`taoctl node serve` turns a refusal back into a DispatchError value by these names."""
    from chain.node import view

    assert set(ce.REFUSALS["Token"].split()) == set(view.TOKEN_ERRORS)
    assert set(ce.REFUSALS["System"].split()) == set(view.PLAIN_DISPATCH_ERRORS) - {"Other"}

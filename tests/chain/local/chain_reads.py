"""Two helpers the bundled-chain tests share: read one storage entry, and assert that every
`chain check` invariant holds."""

from __future__ import annotations

from chain.local.invariants import check


def read_item(chain, item, *key):
    """The value of storage `item` at `key` in `chain`'s committed state."""
    with chain.reading() as state:
        return state.get(item, *key)


def assert_checks_pass(chain) -> None:
    """Every invariant of `taoctl chain check` holds; the failing ones are the message."""
    failures = {k: v for k, v in check(chain).items() if v}
    assert not failures, failures

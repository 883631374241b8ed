"""A real node's refusals are the chain's classes: a module error index decodes to the class
of its name (every error of the pallets taoctl talks to), token and bare dispatch errors too,
and a node refusing the extrinsic is an `InvalidTransaction`; all exit 4."""

from __future__ import annotations

import pytest

import chain.errors as ce
from chain.errors import DispatchError
from chain.exitcodes import EXIT_REFUSED

PALLETS = ("Balances", "SubtensorModule", "Swap", "AdminUtils")


def _recorded():
    """Finney's recorded spec-343 metadata, as the remote backend loads it."""
    from chain.substrate.metadata import recorded

    return recorded()


@pytest.mark.parametrize(("pallet", "name"), [
    ("SubtensorModule", "SlippageTooHigh"), ("SubtensorModule", "NotEnoughBalanceToStake"),
    ("SubtensorModule", "InsufficientBalance"), ("Balances", "InsufficientBalance"),
    ("Swap", "ReservesTooLow"), ("SubtensorModule", "StakingRateLimitExceeded"),
])
def test_a_remote_module_error_index_decodes_to_its_class(pallet, name):
    from chain.remote.errors import decode_refusal

    md = _recorded()
    index, error = md.module_error(name, (pallet,))
    assert md.error_name(index, bytes([error, 0, 0, 0])) == (pallet, name)
    exc = decode_refusal(md, {"Module": {"index": index, "error": bytes([error, 0, 0, 0])}})
    assert type(exc) is getattr(ce, name)
    assert isinstance(exc, DispatchError) and exc.exit_code == EXIT_REFUSED
    assert str(exc) == f"{pallet}.{name}"


def test_every_module_error_of_the_node_decodes_to_a_listed_class():
    from chain.remote.errors import decode_refusal

    md = _recorded()
    for pallet in PALLETS:
        p = md.pallet(pallet)
        for v in md.variants(p["error"]):
            value = {"Module": {"index": p["index"], "error": bytes([v["index"], 0, 0, 0])}}
            assert type(decode_refusal(md, value)) is getattr(ce, v["name"])


def test_token_and_bare_dispatch_errors_decode_to_their_classes():
    from chain.remote.errors import decode_refusal

    assert type(decode_refusal(None, {"Token": "NotExpendable"})) is ce.NotExpendable
    assert type(decode_refusal(None, "BadOrigin")) is ce.BadOrigin
    other = decode_refusal(None, {"Arithmetic": "Overflow"})
    assert type(other) is ce.Overflow


def test_a_node_refusing_the_extrinsic_is_an_invalid_transaction():
    from chain.remote.errors import RemoteError, RemoteRefused

    assert issubclass(RemoteRefused, ce.InvalidTransaction) and issubclass(RemoteRefused,
                                                                          RemoteError)
    assert RemoteRefused.exit_code == EXIT_REFUSED

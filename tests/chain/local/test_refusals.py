"""The bundled chain raises the chain's refusal classes: the same public names as before
(`chain.local.errors`, `subtensor_errors`), pool errors as the chain's class of that name, and
a refused call as the class of its subtensor name."""

from __future__ import annotations

import pytest

import chain.errors as ce
from chain.errors import DispatchError


def test_the_public_names_other_modules_use_are_the_same_classes():
    from chain.local import errors as local
    from chain.local import subtensor_errors as st

    for name in ("DispatchError", "InsufficientBalance", "ExistentialDeposit",
                 "NotExpendable", "BadOrigin", "InvalidTransaction", "BadProof", "ChainError"):
        assert getattr(local, name) is getattr(ce, name)
    assert st.SubtensorError is ce.SubtensorError and st.fail is ce.fail
    assert local.ChainLocked.exit_code == 5


def test_a_pool_refusal_becomes_the_chains_class():
    import amm
    from chain.local.subtensor_errors import from_amm

    exc = from_amm(amm.SlippageTooHigh("over the limit"))
    assert type(exc) is ce.SlippageTooHigh and isinstance(exc, DispatchError)


def test_the_sandbox_raises_the_typed_class(dev_chain):
    """A refused call on the bundled chain raises the class of its subtensor name."""
    from chain.local.accounts import DEV_ACCOUNTS
    from chain.local.extrinsic import Call
    from chain.local.runtime import dispatch

    bob = DEV_ACCOUNTS["Bob"]
    cases = [
        (Call("SubtensorModule", "add_stake", {"hotkey": bob, "netuid": 9,
                                               "amount_staked": 10**9}), ce.SubnetNotExists),
        (Call("Balances", "transfer_keep_alive", {"dest": bob, "value": 2**63}),
         ce.InsufficientBalance),
    ]
    for call, cls in cases:
        with dev_chain.reading() as state, pytest.raises(DispatchError) as info:
            dispatch(state, DEV_ACCOUNTS["Alice"], call, dev_chain.open_number())
        assert type(info.value) is cls

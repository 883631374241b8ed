"""The chain's refusals: one class per subtensor name, generated from one list, every one a
`DispatchError` that exits 4, the same classes on the sandbox and from a real node's events."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import chain.errors as ce
from chain.errors import DispatchError
from exitcodes import EXIT_REFUSED

ROOT = Path(__file__).resolve().parents[2]
PALLETS = ("Balances", "SubtensorModule", "Swap", "AdminUtils")


def _recorded():
    """Finney's recorded spec-343 metadata, as the remote backend loads it."""
    from chain.substrate.metadata import recorded

    return recorded()


def _metadata_errors() -> dict[str, set[str]]:
    """Error variant names per pallet in finney's recorded spec-343 metadata."""
    path = ROOT / "chain" / "substrate" / "metadata" / "metadata_v14_spec343.json"
    meta = json.loads(path.read_text())
    types = {t["id"]: t["type"] for t in meta["types"]}
    return {p["name"]: {v["name"] for v in types[p["error"]]["def"]["variant"]["variants"]}
            for p in meta["pallets"] if p.get("error") is not None}


@pytest.mark.parametrize("name", ce.NAMES)
def test_every_refusal_is_a_dispatch_error_that_exits_4_under_its_name(name):
    cls = getattr(ce, name)
    assert isinstance(cls, type) and issubclass(cls, DispatchError)
    assert issubclass(cls, ce.SubtensorError)
    assert cls.__name__ == cls.name == name
    assert cls.exit_code == EXIT_REFUSED
    assert cls.__doc__
    exc = ce.fail(name, "why")
    assert type(exc) is cls and str(exc) == "why"


def test_the_list_has_no_duplicates():
    assert len(ce.NAMES) == len(set(ce.NAMES)) == len(ce.BY_NAME)
    assert ce.ERROR_NAMES == set(ce.NAMES)


def test_the_list_is_subtensors_and_complete():
    """Every error of the pallets taoctl talks to is listed, and nothing listed under them is
    invented: a node's refusal always finds its class."""
    metadata = _metadata_errors()
    known = set().union(*(metadata[p] for p in PALLETS))
    assert known <= ce.ERROR_NAMES
    for pallet in PALLETS:
        assert set(ce.REFUSALS[pallet].split()) <= metadata[pallet], pallet
    newer = set(ce.REFUSALS["Newer"].split())
    assert not newer & set().union(*metadata.values())


def test_the_runtime_raises_only_listed_names():
    """A typo in `fail("...")` anywhere in the chain would be a ValueError at the worst time."""
    raised = set()
    for path in (ROOT / "chain").rglob("*.py"):
        raised |= set(re.findall(r"\b(?:fail|WeightsError)\(\s*\"(\w+)\"", path.read_text()))
    assert raised and raised <= ce.ERROR_NAMES, raised - ce.ERROR_NAMES


def test_an_unlisted_name():
    with pytest.raises(ValueError):
        ce.fail("NoSuchError", "x")
    exc = ce.refusal("ErrorOfANewerRuntime", "x")
    assert isinstance(exc, DispatchError) and exc.name == "ErrorOfANewerRuntime"
    assert exc.exit_code == EXIT_REFUSED
    with pytest.raises(ImportError):
        from chain.errors import NoSuchError  # noqa: F401


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


def test_the_sandbox_raises_the_typed_class(dev_chain_path):
    """A refused call on the bundled chain raises the class of its subtensor name."""
    from chain.local.accounts import DEV_ACCOUNTS
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call
    from chain.local.runtime import dispatch

    chain = LocalChain.create(dev_chain_path, "dev")
    try:
        cases = [
            (Call("SubtensorModule", "add_stake", {"hotkey": DEV_ACCOUNTS["Bob"], "netuid": 9,
                                                   "amount_staked": 10**9}), ce.SubnetNotExists),
            (Call("Balances", "transfer_keep_alive", {"dest": DEV_ACCOUNTS["Bob"],
                                                      "value": 2**63}), ce.InsufficientBalance),
        ]
        for call, cls in cases:
            with chain.reading() as state, pytest.raises(DispatchError) as info:
                dispatch(state, DEV_ACCOUNTS["Alice"], call, chain.open_number())
            assert type(info.value) is cls
    finally:
        chain.close()


@pytest.fixture
def dev_chain_path(tmp_path):
    return tmp_path / "dev.db"


def test_the_node_encodes_the_same_token_and_bare_names():
    """`taoctl node serve` turns a refusal back into a DispatchError value by these names."""
    from chain.node import view

    assert set(ce.REFUSALS["Token"].split()) == set(view.TOKEN_ERRORS)
    assert set(ce.REFUSALS["System"].split()) == set(view.PLAIN_DISPATCH_ERRORS) - {"Other"}

"""The chain's refusals: one class per subtensor name, generated from one list, every one a
`DispatchError` that exits 4 (the bundled chain's use of them: tests/chain/local/
test_refusals.py; a node's: tests/remote/test_remote_refusals.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import chain.errors as ce
from chain.errors import DispatchError
from chain.exitcodes import EXIT_REFUSED

ROOT = Path(__file__).resolve().parents[2]
PALLETS = ("Balances", "SubtensorModule", "Swap", "AdminUtils")


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

"""`taoctl explain` covers every error the served runtime can name: the spec-461 metadata is
fetched from `taoctl node serve` (`state_getMetadata`, as a client reads it), every pallet's
error variants enumerated, and each name explained with that pallet's own doc text and
advice, exit 0."""

from __future__ import annotations

import json

import pytest

from chain.remote import open_remote
from chain.substrate.metadata import from_bytes


@pytest.fixture()
def served_errors(node) -> dict[str, list[tuple[str, str]]]:
    """Every error name of the node's metadata -> [(pallet, doc text)]."""
    _, url, _ = node
    raw = open_remote(url).rpc("state_getMetadata", [])
    md = from_bytes(bytes.fromhex(raw[2:]))
    assert md.spec_version == 461
    found: dict[str, list[tuple[str, str]]] = {}
    for pallet, p in md.pallets.items():
        for v in md.variants(p["error"]):
            found.setdefault(v["name"], []).append((pallet, " ".join(v.get("docs") or [])))
    return found


def test_every_error_of_the_served_metadata_is_explained(served_errors, capsys):
    from cli.main import main

    assert len(served_errors) > 380
    assert ("SubtensorModule", "Slippage is too high for the transaction.") in \
        served_errors["SlippageTooHigh"]
    for name, meanings in sorted(served_errors.items()):
        with pytest.raises(SystemExit) as done:
            main(["explain", name, "--json"])
        assert done.value.code == 0, name
        doc = json.loads(capsys.readouterr().out)
        assert doc["error"] == name and doc["in_metadata"] and doc["advice"], name
        explained = {(m["pallet"], m["doc"]) for m in doc["meanings"]}
        assert set(meanings) <= explained, name  # each pallet's meaning, word for word


def test_the_shielded_carriers_errors_are_explained(served_errors, capsys):
    """The MEV shield's own refusals (spec 461's new pallet) are among them."""
    from cli.main import main

    shield = sorted(n for n, ms in served_errors.items() if any(p == "MevShield" for p, _ in ms))
    assert shield
    for name in shield:
        with pytest.raises(SystemExit):
            main(["explain", name])
        assert name in capsys.readouterr().out


def test_taoctls_own_receipt_error_is_explained(capsys):
    """ShieldedInnerNotIncluded (a carrier whose inner extrinsic never came) is no runtime's
    name, but a receipt says it with exit 4: explain knows it too."""
    from cli.main import main

    with pytest.raises(SystemExit) as done:
        main(["explain", "shieldedinnernotincluded", "--json"])
    assert done.value.code == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["error"] == "ShieldedInnerNotIncluded" and not doc["in_metadata"]
    assert "carrier" in doc["meanings"][0]["doc"] and "--no-mev-shield" in doc["advice"]

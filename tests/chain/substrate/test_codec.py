"""Offline checks of the codec (`chain.substrate`): storage keys, composed calls and extrinsics
against the recorded metadata.

References: the facts in fixtures/subtensor/README.md (call indices, hashers) and scalecodec /
substrate-interface composing the same things from the same metadata bytes.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain.pallets.registry import REGISTRY
from chain.substrate import metadata as m
from chain.substrate.era import era_birth, era_decode, era_encode
from chain.substrate.extrinsic import (
    SigningContext,
    additional_bytes,
    build_signed,
    decode_signed,
    verify_signature,
)
from chain.substrate.mapping import decode_value, encode_value, storage_key
from chain.substrate.scale import ScaleError

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")


@pytest.fixture(scope="module")
def md():
    return m.recorded()


@pytest.fixture(scope="module")
def reference():
    """scalecodec's own decoding of the same metadata bytes (slow: about 1.5 s)."""
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject(ss58_format=42)
    config.update_type_registry(load_type_registry_preset("core"))
    config.update_type_registry({"types": {"Balance": "u64"}})
    obj = config.create_scale_object(
        "MetadataVersioned", data=ScaleBytes(m.read_hex("metadata_v14_spec343.hex")))
    obj.decode()
    config.add_portable_registry(obj)
    return config, obj


def test_recorded_facts(md):
    assert (md.spec_name, md.spec_version, md.transaction_version) == ("node-subtensor", 343, 1)
    assert md.ss58_prefix == 42
    assert {n: md.pallet(n)["index"] for n in ("System", "Balances", "SubtensorModule",
                                               "Swap")} == \
        {"System": 0, "Balances": 5, "SubtensorModule": 7, "Swap": 28}
    expected = {("SubtensorModule", "add_stake"): 0x0702,
                ("SubtensorModule", "remove_stake"): 0x0703,
                ("SubtensorModule", "burned_register"): 0x0707,
                ("SubtensorModule", "add_stake_limit"): 0x0758,
                ("SubtensorModule", "remove_stake_limit"): 0x0759,
                ("SubtensorModule", "swap_stake"): 0x0757,
                ("SubtensorModule", "move_stake"): 0x0755,
                ("SubtensorModule", "transfer_stake"): 0x0756,
                ("Balances", "transfer_keep_alive"): 0x0503}
    for (pallet, name), code in expected.items():
        index, variant = md.call(pallet, name)
        assert index << 8 | variant["index"] == code, (pallet, name)
    fields = [f["name"] for f in md.call("SubtensorModule", "burned_register")[1]["fields"]]
    assert fields == ["netuid", "hotkey"]
    assert md.storage("SubtensorModule", "Alpha")["hashers"] == \
        ["Blake2_128Concat", "Blake2_128Concat", "Identity"]
    assert md.storage("SubtensorModule", "SubnetTAO")["hashers"] == ["Identity"]
    assert md.constant("Balances", "ExistentialDeposit") == 500


def test_system_account_key_is_the_well_known_one(md):
    # twox128("System") ++ twox128("Account") ++ blake2_128(alice) ++ alice
    key = md.storage_key("System", "Account", [ALICE])
    assert key.hex().startswith("26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9")
    assert key[32:48] == hashlib.blake2b(ALICE, digest_size=16).digest()
    assert key[48:] == ALICE
    assert md.item_of_key(key) == ("System", "Account")
    assert md.decode_key("System", "Account", key) == (ALICE,)


@pytest.mark.parametrize("pallet,name,params", [
    ("System", "Account", [ALICE]),
    ("SubtensorModule", "SubnetTAO", [3]),
    ("SubtensorModule", "Alpha", [ALICE, BOB, 7]),
    ("SubtensorModule", "TotalHotkeyAlpha", [ALICE, 1]),
    ("SubtensorModule", "Owner", [BOB]),
    ("Swap", "AlphaSqrtPrice", [5]),
    ("SubtensorModule", "TotalStake", []),
])
def test_storage_keys_match_substrate_interface(md, reference, pallet, name, params):
    from substrateinterface.storage import StorageKey

    config, obj = reference
    ref = StorageKey.create_from_storage_function(
        pallet, name, ["0x" + p.hex() if isinstance(p, bytes) else p for p in params],
        runtime_config=config, metadata=obj)
    assert md.storage_key(pallet, name, params) == bytes(ref.data)


def test_composed_calls_match_scalecodec(md, reference):
    config, obj = reference
    cases = [
        ("Balances", "transfer_keep_alive", {"dest": {"Id": BOB}, "value": 123_456_789},
         {"dest": "0x" + BOB.hex(), "value": 123_456_789}),
        ("SubtensorModule", "add_stake_limit",
         {"hotkey": BOB, "netuid": 3, "amount_staked": 10**9, "limit_price": 2 * 10**9,
          "allow_partial": False},
         {"hotkey": "0x" + BOB.hex(), "netuid": 3, "amount_staked": 10**9,
          "limit_price": 2 * 10**9, "allow_partial": False}),
        ("SubtensorModule", "burned_register", {"netuid": 1, "hotkey": ALICE},
         {"netuid": 1, "hotkey": "0x" + ALICE.hex()}),
        ("SubtensorModule", "set_weights",
         {"netuid": 1, "dests": [0, 1], "weights": [65535, 1], "version_key": 0},
         {"netuid": 1, "dests": [0, 1], "weights": [65535, 1], "version_key": 0}),
    ]
    for pallet, name, ours, theirs in cases:
        call = config.create_scale_object("Call", metadata=obj)
        ref = call.encode({"call_module": pallet, "call_function": name, "call_args": theirs})
        mine = md.encode_call(pallet, name, ours)
        assert mine == bytes(ref.data), name
        decoded = md.decode_call(mine)
        assert decoded[:2] == (pallet, name) and decoded[3] == len(mine)


def test_unknown_call_and_bad_args_are_clear(md):
    with pytest.raises(m.MetadataError, match="no call Balances.teleport"):
        md.encode_call("Balances", "teleport", {})
    with pytest.raises(m.MetadataError, match="takes"):
        md.encode_call("Balances", "transfer_keep_alive", {"dest": {"Id": BOB}})
    with pytest.raises(m.MetadataError):
        md.encode_call("Balances", "transfer_keep_alive", {"dest": {"Id": BOB}, "value": -1})


def test_account_info_value_roundtrip_and_matches_scalecodec(md, reference):
    from chain.pallets.storage import AccountInfo

    config, _ = reference
    item = REGISTRY["System.Account"]
    info = AccountInfo(nonce=7, free=1_000_000_000_123, reserved=5, frozen=0)
    data = encode_value(md, item, info)
    ref = config.create_scale_object("scale_info::3")
    ref.decode(__import__("scalecodec").ScaleBytes(data))
    assert ref.value["nonce"] == 7 and ref.value["data"]["free"] == 1_000_000_000_123
    assert ref.value["providers"] == 1
    assert decode_value(md, item, data) == info
    assert storage_key(md, item, (ALICE,)) == md.storage_key("System", "Account", [ALICE])


def test_era_matches_scalecodec(reference):
    config, _ = reference
    for period, current in [(16, 0), (16, 1234), (64, 99_999), (4096, 7_540_123), (5, 77)]:
        era = config.create_scale_object("Era")
        ref = bytes(era.encode({"period": period, "current": current}).data)
        assert era_encode(period, current) == ref, (period, current)
        got_period, phase = era_decode(ref)
        assert era_birth(got_period, phase, current) <= current < \
            era_birth(got_period, phase, current) + got_period


@settings(max_examples=50, deadline=None)
@given(period=st.sampled_from([4, 8, 16, 32, 64, 128, 1024]), current=st.integers(0, 10**8))
def test_era_birth_is_alive_at_current(period, current):
    p, phase = era_decode(era_encode(period, current))
    birth = era_birth(p, phase, current)
    assert p == period and birth <= current < birth + p and birth % p == current % p


def test_signed_extrinsic_roundtrip_and_signature(md):
    from chain.local.accounts import dev_signer

    alice = dev_signer("Alice")
    ctx = SigningContext(b"\x11" * 32, 343, 1)
    call = md.encode_call("Balances", "transfer_keep_alive", {"dest": {"Id": BOB},
                                                              "value": 10**9})
    raw = build_signed(md, alice, call, ctx, nonce=5, era=era_encode(16, 100),
                       birth_hash=b"\x22" * 32, tip=3)
    xt = decode_signed(md, raw)
    assert (xt.signer, xt.nonce, xt.tip, xt.mode) == (alice.public_key, 5, 3, 0)
    assert (xt.pallet, xt.name, xt.args) == ("Balances", "transfer_keep_alive",
                                             {"dest": {"Id": BOB}, "value": 10**9})
    assert verify_signature(xt, additional_bytes(md, ctx, b"\x22" * 32))
    # another genesis, another birth block or another spec: the signature no longer verifies
    assert not verify_signature(xt, additional_bytes(md, SigningContext(b"\x12" * 32, 343, 1),
                                                     b"\x22" * 32))
    assert not verify_signature(xt, additional_bytes(md, ctx, b"\x23" * 32))
    assert not verify_signature(xt, additional_bytes(md, SigningContext(b"\x11" * 32, 344, 1),
                                                     b"\x22" * 32))
    with pytest.raises(ScaleError):
        decode_signed(md, raw[:-1])
    with pytest.raises(ScaleError):
        decode_signed(md, raw + b"\x00")


def test_shipped_extract_matches_a_fresh_decode(tmp_path, monkeypatch):
    """The pre-extracted JSON shipped with the package is what decoding the hex gives, and a
    node's metadata bytes (any spec) go through the same decode, cached on disk."""
    import json

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    raw = m.read_hex("metadata_v14_spec343.hex")
    shipped = json.loads((m.METADATA_DIR / "metadata_v14_spec343.json").read_text())
    assert shipped["sha256"] == hashlib.sha256(raw).hexdigest()
    fresh = m.from_bytes(raw)
    (cached,) = (tmp_path / "taoctl" / "metadata").glob("v14-*.json")
    assert fresh.spec_version == 343
    assert {k: v for k, v in shipped.items() if k != "sha256"} == json.loads(cached.read_text())
    with pytest.raises(m.MetadataError):
        m.from_bytes(b"not metadata")

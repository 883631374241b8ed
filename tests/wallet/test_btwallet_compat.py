"""Cross-checks against the real bittensor-wallet package (what btcli uses): files each side
writes are opened by the other with the same keys, and signatures verify both ways."""

from __future__ import annotations

import json
import os

import bittensor_wallet
import pytest

from tests.wallet.vectors import MNEMONIC, MNEMONIC_SS58
from wallet import Wallet, keys
from wallet import keyfile as kf
from wallet import passwords as pw
from wallet.keyfile import ED25519, SR25519


def bt_wallet(wallet: Wallet):
    return bittensor_wallet.Wallet(
        name=wallet.name, hotkey=wallet.hotkey_str, path=str(wallet.path)
    )


@pytest.mark.parametrize("crypto", [SR25519, ED25519])
def test_taoctl_plain_files_open_in_bittensor_wallet(tmp_path, crypto):
    ours = Wallet("t1", tmp_path, "hk")
    cold = keys.keypair_from_mnemonic(MNEMONIC, crypto)
    hot = (
        keys.keypair_from_uri("//Alice")
        if crypto == SR25519
        else keys.keypair_from_seed("0x" + "07" * 32, crypto)
    )
    ours.write_coldkey(cold, None)
    ours.write_hotkey(hot)
    theirs = bt_wallet(ours)
    assert theirs.coldkeypub.ss58_address == cold.ss58_address
    assert theirs.get_coldkey().ss58_address == cold.ss58_address
    signature = bytes(theirs.get_coldkey().sign(b"same secret"))
    assert keys.verify(cold.public_key, b"same secret", signature) == crypto
    assert theirs.hotkey.ss58_address == hot.ss58_address
    assert theirs.get_hotkeypub().ss58_address == hot.ss58_address
    assert int(theirs.get_coldkey().crypto_type) == crypto


@pytest.mark.parametrize("crypto", [SR25519, ED25519])
def test_bittensor_wallet_plain_files_open_in_taoctl(tmp_path, crypto):
    theirs = bittensor_wallet.Wallet(name="b1", hotkey="hk", path=str(tmp_path))
    theirs.regenerate_coldkey(
        mnemonic=MNEMONIC, use_password=False, overwrite=True, suppress=True, crypto_type=crypto
    )
    theirs.create_new_hotkey(use_password=False, overwrite=True, suppress=True, crypto_type=crypto)
    ours = Wallet("b1", tmp_path, "hk")
    expected = keys.keypair_from_mnemonic(MNEMONIC, crypto)
    assert ours.coldkeypub_ss58 == expected.ss58_address
    keypair = ours.coldkey_keypair()
    assert bytes(keypair.private_key) == bytes(expected.private_key)
    assert ours.hotkey_ss58() == theirs.hotkey.ss58_address
    assert ours.hotkey_keypair().ss58_address == theirs.hotkey.ss58_address
    if crypto == SR25519:
        assert MNEMONIC_SS58 == ours.coldkeypub_ss58


def test_old_python_style_files_with_nulls_open_in_both(tmp_path):
    ours = Wallet("old", tmp_path)
    ours.root.mkdir(parents=True)
    key = keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC))
    doc = json.loads(kf.keyfile_json(key))
    pub = {
        k: (v if k in ("accountId", "publicKey", "ss58Address") else None) for k, v in doc.items()
    }
    ours.coldkey_file.write_text(json.dumps(doc, indent=2))
    ours.coldkeypub_file.write_text(json.dumps(pub))
    assert ours.coldkey_keypair().ss58_address == MNEMONIC_SS58
    assert bt_wallet(ours).coldkeypub.ss58_address == MNEMONIC_SS58


@pytest.mark.parametrize("crypto", [SR25519, ED25519])
def test_signatures_verify_both_ways(crypto):
    ours = keys.keypair_from_mnemonic(MNEMONIC, crypto)
    theirs = bittensor_wallet.Keypair.create_from_mnemonic(MNEMONIC, crypto_type=crypto)
    assert theirs.ss58_address == ours.ss58_address
    message = b"taoctl <-> btcli"
    assert theirs.verify(message, keys.sign(ours, message))
    assert keys.verify(ours.public_key, message, bytes(theirs.sign(message))) == crypto
    assert not theirs.verify(b"other", keys.sign(ours, message))


@pytest.mark.slow
def test_encrypted_coldkeys_cross_open_with_real_argon2i(tmp_path, monkeypatch):
    """Real $NACL both ways (Argon2i SENSITIVE: a few seconds each side)."""
    password = "CorrectHorse-Battery9!"
    monkeypatch.setattr(kf, "_derived", {})
    # taoctl writes, bittensor-wallet opens it through btcli's BT_PW_ variable (XOR form)
    ours = Wallet("enc-ours", tmp_path)
    ours.write_coldkey(keys.keypair_from_mnemonic(MNEMONIC), password)
    assert ours.coldkey_file.read_bytes().startswith(b"$NACL")
    name = pw.bt_pw_env_name(ours.coldkey_file)
    monkeypatch.setenv(name, pw.bt_pw_encode(name, password))
    opened = bt_wallet(ours).coldkey_file.get_keypair()
    assert opened.ss58_address == MNEMONIC_SS58
    # bittensor-wallet writes, taoctl opens (same password: our Argon2i key is cached)
    theirs = bittensor_wallet.Wallet(name="enc-theirs", hotkey="default", path=str(tmp_path))
    theirs.create_coldkey_from_uri(
        "//Alice", use_password=True, overwrite=True, suppress=True, coldkey_password=password
    )
    mine = Wallet("enc-theirs", tmp_path)
    assert mine.coldkey_file.read_bytes().startswith(b"$NACL")
    assert (
        mine.coldkey_keypair(password).ss58_address
        == "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    )
    assert os.environ[name]  # still set for the duration of the test only


@pytest.mark.parametrize("uri", ["//Alice", "//Bob//stash", MNEMONIC + "//hot//1"])
def test_ed25519_uris_derive_as_in_bittensor_wallet(tmp_path, uri):
    theirs = bittensor_wallet.Keypair.create_from_uri(uri, crypto_type=ED25519)
    assert keys.keypair_from_uri(uri, ED25519).ss58_address == theirs.ss58_address
    ours = Wallet("ed", tmp_path)
    ours.write_coldkey(keys.keypair_from_uri(uri, ED25519), None)
    opened = bt_wallet(ours).get_coldkey()
    assert opened.ss58_address == theirs.ss58_address
    assert opened.verify(b"m", bytes(theirs.sign(b"m")))


@pytest.mark.parametrize("uri", ["//Alice/soft", "//Bob//stash/0", MNEMONIC + "/a//b"])
def test_sr25519_uris_derive_as_in_bittensor_wallet(uri):
    theirs = bittensor_wallet.Keypair.create_from_uri(uri)
    assert keys.keypair_from_uri(uri).ss58_address == theirs.ss58_address

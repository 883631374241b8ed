"""Keypairs from mnemonics, seeds, URIs and Polkadot-JS backups: the public vectors of BTCLI.md
§4.7 (btwallet's tests), invalid inputs, and sign/verify."""

from __future__ import annotations

import pytest

from cli.errors import room_exit_code
from tests.wallet.vectors import MNEMONIC, MNEMONIC_SS58, POLKADOT_JS_BACKUP
from wallet import keys
from wallet.errors import InvalidMnemonic, InvalidSeed, KeyFileError, PasswordError
from wallet.keyfile import ED25519, SR25519


def test_mnemonic_vector():
    keypair = keys.keypair_from_mnemonic(MNEMONIC)
    assert keypair.ss58_address == MNEMONIC_SS58
    key = keys.keydata_of(keypair)
    assert key.public_key.hex() == (
        "e4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446"
    )
    assert key.secret_seed.hex() == (
        "da3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"
    )
    assert key.private_key.hex() == (
        "1f1995bdf3a17b60626a26cfe6f564b337d46056b7a1281b64c649d592ccda0a"
        "9cffd34d9fb01cae1fba61aeed184c817442a2186d5172416729a4b54dd4b84e"
    )
    assert key.secret_phrase == MNEMONIC


@pytest.mark.parametrize(
    "uri, address",
    [
        (MNEMONIC + "//Alice", "5FEiH8iuDUw271xbqWTWuB6WrDjv5dnCeDX1CyHubAniXDNN"),
        (MNEMONIC + "/Alice", "5GNXbA46ma5dg19GXdiKi5JH3mnkZ8Yea3bBtZAvj7t99P9i"),
        ("//Alice", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
        ("alice", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
        ("Alice", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"),
        ("//Bob/test", "5CJGwWiKXSE16WJaxBdPZhWqUYkotgenLUALv7ZvqQ4TXeqf"),
    ],
)
def test_uri_vectors(uri, address):
    assert keys.keypair_from_uri(uri).ss58_address == address


def test_ed25519_from_mnemonic():
    keypair = keys.keypair_from_mnemonic(MNEMONIC, ED25519)
    assert keypair.ss58_address == "5HhFH9GvwCST4kRVoFREE7qDJcjYteR5unhQCrBGhhGuRgNb"
    assert len(keypair.private_key) == 32


def test_seed_gives_the_same_key_as_the_mnemonic():
    seed = "0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"
    assert keys.keypair_from_seed(seed).ss58_address == MNEMONIC_SS58
    assert keys.keypair_from_seed(seed[2:]).ss58_address == MNEMONIC_SS58


def test_numbered_mnemonic_is_accepted():
    numbered = " ".join(f"{i}-{w}" for i, w in enumerate(MNEMONIC.split(), 1))
    assert keys.keypair_from_mnemonic(numbered).ss58_address == MNEMONIC_SS58
    assert keys.keypair_from_mnemonic("  " + MNEMONIC.upper() + " ").ss58_address == MNEMONIC_SS58


@pytest.mark.parametrize("n_words", [12, 15, 18, 21, 24])
def test_generated_mnemonics_are_valid(n_words):
    phrase = keys.generate_mnemonic(n_words)
    assert len(phrase.split()) == n_words
    assert keys.check_mnemonic(phrase) == phrase


@pytest.mark.parametrize("n_words", [0, 11, 13, 25])
def test_bad_word_counts_are_refused(n_words):
    with pytest.raises(InvalidMnemonic):
        keys.generate_mnemonic(n_words)


@pytest.mark.parametrize(
    "phrase, reason",
    [
        (MNEMONIC.rsplit(" ", 1)[0] + " xyzzy", "word 12"),
        (MNEMONIC.rsplit(" ", 1)[0] + " old", "checksum"),
        (" ".join(MNEMONIC.split()[:11]), "11 words"),
        ("", "0 words"),
    ],
)
def test_invalid_mnemonics_say_why_without_echoing(phrase, reason):
    with pytest.raises(InvalidMnemonic) as info:
        keys.keypair_from_mnemonic(phrase)
    assert reason in str(info.value)
    assert room_exit_code(type(info.value)) == 2  # bad input
    assert "leopard" not in str(info.value)


@pytest.mark.parametrize("seed", ["0x1234", "0x" + "zz" * 32, "", "0x" + "00" * 33, "hello"])
def test_malformed_seeds_are_refused(seed):
    with pytest.raises(InvalidSeed) as info:
        keys.keypair_from_seed(seed)
    assert room_exit_code(type(info.value)) == 2  # bad input


def test_polkadot_js_backup_vector():
    keypair = keys.keypair_from_polkadot_json(POLKADOT_JS_BACKUP, "Password123")
    assert keypair.ss58_address == "5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f"
    assert keypair.crypto_type == SR25519
    assert len(keypair.private_key) == 64


def test_polkadot_js_backup_wrong_password_and_garbage():
    with pytest.raises(PasswordError):
        keys.keypair_from_polkadot_json(POLKADOT_JS_BACKUP, "wrong")
    with pytest.raises(KeyFileError):
        keys.keypair_from_polkadot_json('{"not": "a backup"}', "x")
    with pytest.raises(KeyFileError):
        keys.keypair_from_polkadot_json("not json", "x")


@pytest.mark.parametrize("crypto", [SR25519, ED25519])
def test_sign_and_verify(crypto):
    keypair = keys.keypair_from_mnemonic(MNEMONIC, crypto)
    signature = keys.sign(keypair, b"hello")
    assert keys.verify(keypair.public_key, b"hello", signature) == crypto
    assert keys.verify(keypair.public_key, b"hellO", signature) is None
    other = keys.keypair_from_uri("//Bob")
    assert keys.verify(other.public_key, b"hello", signature) is None


def test_verify_accepts_the_bytes_wrapped_form():
    keypair = keys.keypair_from_uri("//Alice")
    wrapped = keys.sign(keypair, b"<Bytes>hello</Bytes>")
    assert keys.verify(keypair.public_key, b"hello", wrapped) == SR25519
    plain = keys.sign(keypair, b"hello")
    assert keys.verify(keypair.public_key, b"<Bytes>hello</Bytes>", plain) == SR25519


def test_keydata_round_trip_through_keypair_of():
    keypair = keys.keypair_from_uri("//Alice")
    key = keys.keydata_of(keypair)
    assert key.secret_phrase is None and key.private_key is not None
    assert keys.keypair_of(key).ss58_address == keypair.ss58_address
    assert "private" in repr(key) and key.private_key.hex() not in repr(key)


def test_ed25519_hard_derivation_matches_substrate():
    # the well-known ed25519 //Alice account (public key 0x88dc34...b0ee)
    keypair = keys.keypair_from_uri("//Alice", ED25519)
    assert keypair.public_key.hex() == (
        "88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"
    )
    assert keys.keypair_from_uri("alice", ED25519).ss58_address == keypair.ss58_address
    with pytest.raises(InvalidSeed, match="hard"):
        keys.keypair_from_uri("//Alice/soft", ED25519)

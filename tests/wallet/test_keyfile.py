"""The keyfile codec: btcli's JSON in all its historical shapes, $NACL, and the legacy formats."""

from __future__ import annotations

import base64
import hashlib
import json

import pytest

from tests.wallet.vectors import MNEMONIC, MNEMONIC_SS58, ansible_vault
from wallet import keyfile as kf
from wallet import keys
from wallet.errors import KeyFileError, PasswordError

PUB = "0xe4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446"
SEED = "0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"


def full_doc() -> dict:
    return json.loads(kf.keyfile_json(keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC))))


def test_written_json_is_compact_and_without_crypto_type_for_sr25519():
    data = kf.keyfile_json(keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC)))
    assert b" " not in data.replace(MNEMONIC.encode(), b"")
    assert not data.endswith(b"\n")
    doc = json.loads(data)
    assert "cryptoType" not in doc
    assert doc["accountId"] == doc["publicKey"] == PUB
    assert doc["secretSeed"] == SEED
    assert doc["ss58Address"] == MNEMONIC_SS58


def test_ed25519_writes_integer_crypto_type():
    key = keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC, kf.ED25519))
    doc = json.loads(kf.keyfile_json(key))
    assert doc["cryptoType"] == 0
    assert kf.parse_keyfile_json(kf.keyfile_json(key)).crypto_type == kf.ED25519


def test_pub_files_hold_no_secret():
    key = keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC))
    doc = json.loads(kf.keyfile_json(key, public_only=True))
    assert set(doc) == {"accountId", "publicKey", "ss58Address"}


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: dict(reversed(list(d.items()))),  # any key order
        lambda d: {**d, "cryptoType": 1},  # btwallet 4.1 integer
        lambda d: {**d, "cryptoType": "1"},  # as a string
        lambda d: {k: v for k, v in d.items() if k != "secretPhrase"},  # missing optional
        lambda d: {**d, "secretPhrase": None},  # null (old Python writers)
        lambda d: {k: v for k, v in d.items() if k not in ("secretPhrase", "secretSeed")},
        lambda d: {k: v for k, v in d.items() if k not in ("accountId",)},
    ],
)
def test_reader_accepts_every_historical_shape(mutate):
    data = json.dumps(mutate(full_doc()), indent=1).encode()
    key = kf.parse_keyfile_json(data)
    assert key.ss58_address == MNEMONIC_SS58
    assert keys.keypair_of(key).ss58_address == MNEMONIC_SS58


def test_old_python_public_file_with_nulls():
    doc = {
        "accountId": PUB,
        "publicKey": PUB,
        "privateKey": None,
        "secretPhrase": None,
        "secretSeed": None,
        "ss58Address": MNEMONIC_SS58,
    }
    key = kf.parse_keyfile_json(json.dumps(doc))
    assert not key.is_private and key.ss58_address == MNEMONIC_SS58


def test_address_only_file_and_bare_hex():
    assert (
        kf.parse_keyfile_json(json.dumps({"ss58Address": MNEMONIC_SS58})).public_key.hex()
        == PUB[2:]
    )
    assert kf.parse_keyfile_json(PUB).ss58_address == MNEMONIC_SS58


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"{",
        b'{"publicKey": "0x12"}',
        b"[1, 2]",
        b"\xff\xfe\x00",
        b'{"privateKey": "0xnothex"}',
        b'{"ss58Address": "5notanaddress"}',
        b'{"publicKey": "' + PUB.encode() + b'", "cryptoType": 7}',
    ],
)
def test_corrupt_json_is_a_keyfile_error(data):
    with pytest.raises(KeyFileError):
        kf.parse_keyfile_json(data, "coldkey")


def test_truncated_file_is_a_keyfile_error():
    data = kf.keyfile_json(keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC)))
    with pytest.raises(KeyFileError, match="corrupt or truncated"):
        kf.parse_keyfile_json(data[: len(data) // 2])


def test_secret_not_matching_public_key_is_corrupt():
    doc = full_doc()
    doc["publicKey"] = doc["accountId"] = "0x" + "11" * 32
    doc.pop("ss58Address")
    with pytest.raises(KeyFileError, match="does not match"):
        keys.keypair_of(kf.parse_keyfile_json(json.dumps(doc)))


def test_nacl_layout_and_round_trip(fast_kdf):
    plaintext = b'{"x":1}'
    data = kf.encrypt_nacl(plaintext, "pw")
    assert data.startswith(b"$NACL") and len(data) == 45 + len(plaintext)
    assert kf.encryption_of(data) == "nacl" and kf.is_encrypted(data)
    assert kf.decrypt(data, "pw") == plaintext
    with pytest.raises(PasswordError):
        kf.decrypt(data, "wrong")


def test_nacl_matches_pynacl_with_the_fixed_salt(fast_kdf):
    from nacl.secret import SecretBox

    data = kf.encrypt_nacl(b"secret json", "pw")
    box = SecretBox(hashlib.sha256(b"test-kdf" + b"pw").digest())
    assert box.decrypt(data[5:]) == b"secret json"


def test_kdf_runs_once_per_password(fast_kdf):
    data = kf.encrypt_nacl(b"a", "pw")
    kf.decrypt(data, "pw")
    kf.decrypt(data, "pw")
    assert fast_kdf == [b"pw"]


def test_truncated_nacl_is_corrupt(fast_kdf):
    with pytest.raises(KeyFileError):
        kf.decrypt(b"$NACL" + b"\0" * 20, "pw")
    data = kf.encrypt_nacl(b"abcdef", "pw")
    with pytest.raises(PasswordError):  # a cut MAC cannot be told from a wrong password
        kf.decrypt(data[:-3], "pw")


def test_real_argon2i_parameters():
    """The real key derivation: SENSITIVE limits and the fixed salt (checked without running it)."""
    from nacl import pwhash

    assert kf.NACL_SALT == b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"
    assert pwhash.argon2i.OPSLIMIT_SENSITIVE == 8
    assert pwhash.argon2i.MEMLIMIT_SENSITIVE == 536870912


def test_ansible_vault_legacy_is_read():
    data = ansible_vault(b'{"hello": "vault"}', "pw")
    assert kf.encryption_of(data) == "ansible"
    assert kf.decrypt(data, "pw") == b'{"hello": "vault"}'
    with pytest.raises(PasswordError):
        kf.decrypt(data, "nope")


def test_ansible_vault_written_by_bittensor_wallet_is_read():
    from bittensor_wallet import keyfile as btkeyfile

    data = bytes(btkeyfile.legacy_encrypt_keyfile_data(b'{"from":"btwallet"}', "pw123456"))
    assert kf.encryption_of(data) == "ansible"
    assert kf.decrypt(data, "pw123456") == b'{"from":"btwallet"}'


def test_fernet_legacy_is_read(monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setattr(kf, "FERNET_ROUNDS", 1000)  # the real 10^7 rounds take seconds
    raw = hashlib.pbkdf2_hmac("sha256", b"pw", kf.FERNET_SALT, 1000, 32)
    token = Fernet(base64.urlsafe_b64encode(raw)).encrypt(b'{"legacy": true}')
    assert kf.encryption_of(token) == "fernet"
    assert kf.decrypt(token, "pw") == b'{"legacy": true}'
    with pytest.raises(PasswordError):
        kf.decrypt(token, "other")

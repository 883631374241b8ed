"""The btcli keyfile codec: the keypair JSON and its encryptions, byte for byte.

A keyfile holds one JSON object (any key order; `null` and missing optional fields allowed):
`accountId` and `publicKey` (0x + 32-byte hex), `privateKey` (0x + hex: 64 bytes for sr25519,
32 for ed25519), `secretPhrase` (BIP39 words), `secretSeed` (0x + 32-byte mini-secret),
`ss58Address` (format 42) and, since bittensor-wallet 4.1, an integer `cryptoType` (1 = sr25519,
0 = ed25519). We write compact JSON with no trailing newline and leave `cryptoType` out for
sr25519, so bittensor-wallet 4.0 (which reads every value as a string) can open our files.

Encryption (`$NACL`): b"$NACL" + pynacl SecretBox(key).encrypt(json) where key =
Argon2i(password, fixed salt, OPSLIMIT_SENSITIVE, MEMLIMIT_SENSITIVE) -- about 2.5 s and 512 MiB,
so each password's key is derived at most once per process. Two legacy formats are read (never
written): Ansible Vault 1.1 (`$ANSIBLE_VAULT`) and Fernet (`gAAAAA`, PBKDF2-SHA256, 10^7 rounds).

nacl and cryptography are imported inside the functions that need them.
"""

from __future__ import annotations

import binascii
import hashlib
import json
from dataclasses import dataclass

from wallet.errors import KeyFileError, PasswordError
from wallet.ss58 import SS58_FORMAT, ss58_decode, ss58_encode

SR25519 = 1
ED25519 = 0
CRYPTO_NAMES = {SR25519: "sr25519", ED25519: "ed25519"}

NACL_PREFIX = b"$NACL"
ANSIBLE_PREFIX = b"$ANSIBLE_VAULT"
FERNET_PREFIX = b"gAAAAA"
NACL_SALT = bytes.fromhex("137183dff15a09bc9c90b5518739e9b1")
FERNET_SALT = b"Iguesscyborgslikemyselfhaveatendencytobeparanoidaboutourorigins"
FERNET_ROUNDS = 10_000_000
ANSIBLE_ROUNDS = 10_000


# --- the JSON ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeyData:
    """What a keyfile says about one key; `private_key` is None for a public-only file."""

    public_key: bytes
    crypto_type: int = SR25519
    private_key: bytes | None = None
    secret_seed: bytes | None = None
    secret_phrase: str | None = None

    @property
    def ss58_address(self) -> str:
        return ss58_encode(self.public_key, SS58_FORMAT)

    @property
    def crypto_name(self) -> str:
        return CRYPTO_NAMES.get(self.crypto_type, str(self.crypto_type))

    @property
    def is_private(self) -> bool:
        return bool(self.private_key or self.secret_seed or self.secret_phrase)

    def public(self) -> KeyData:
        """The same key with every secret dropped (what a pub file holds)."""
        return KeyData(self.public_key, self.crypto_type)

    def __repr__(self) -> str:  # never show secrets in a traceback or log
        return f"KeyData({self.ss58_address}, {self.crypto_name}, private={self.is_private})"


def _hex_field(doc: dict, key: str, sizes: tuple[int, ...], where: str) -> bytes | None:
    value = doc.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise KeyFileError(f"{where}: field {key} is not a hex string")
    text = value[2:] if value[:2].lower() == "0x" else value
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise KeyFileError(f"{where}: field {key} is not valid hex") from None
    if len(raw) not in sizes:
        raise KeyFileError(f"{where}: field {key} has {len(raw)} bytes")
    return raw


def _crypto_type(value: object, where: str) -> int:
    if value is None:
        return SR25519
    if isinstance(value, bool):
        raise KeyFileError(f"{where}: cryptoType is not a number")
    if isinstance(value, str):
        lowered = value.strip().lower()
        by_name = {"sr25519": SR25519, "ed25519": ED25519}
        if lowered in by_name:
            return by_name[lowered]
        if lowered.isdigit():
            value = int(lowered)
    if value in (SR25519, ED25519):
        return int(value)
    raise KeyFileError(f"{where}: unsupported cryptoType {value!r}")


def parse_keyfile_json(data: bytes | str, where: str = "keyfile") -> KeyData:
    """Read keyfile JSON (full or pub-only) into `KeyData`; raises KeyFileError if malformed.

    `where` names the file in error messages. A bare `0x...` public key (the oldest pub format)
    is also accepted.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise KeyFileError(f"{where} is corrupt (not UTF-8 text)") from None
    text = data.strip()
    if not text:
        raise KeyFileError(f"{where} is empty")
    if text.startswith("0x") and len(text) == 66:
        try:
            return KeyData(bytes.fromhex(text[2:]))
        except ValueError:
            raise KeyFileError(f"{where} is corrupt") from None
    try:
        doc = json.loads(text)
    except ValueError:
        raise KeyFileError(f"{where} is corrupt or truncated (not valid JSON)") from None
    if not isinstance(doc, dict):
        raise KeyFileError(f"{where} is corrupt (not a JSON object)")
    crypto = _crypto_type(doc.get("cryptoType"), where)
    private_sizes = (64,) if crypto == SR25519 else (32, 64)
    private_key = _hex_field(doc, "privateKey", private_sizes, where)
    if crypto == ED25519 and private_key is not None:
        private_key = private_key[:32]
    seed = _hex_field(doc, "secretSeed", (32,), where)
    phrase = doc.get("secretPhrase") or None
    if phrase is not None and not isinstance(phrase, str):
        raise KeyFileError(f"{where}: field secretPhrase is not text")
    public_key = _hex_field(doc, "publicKey", (32,), where) or _hex_field(
        doc, "accountId", (32,), where
    )
    address = doc.get("ss58Address")
    if public_key is None and isinstance(address, str) and address:
        try:
            public_key = ss58_decode(address)
        except ValueError:
            raise KeyFileError(f"{where}: field ss58Address is not a valid address") from None
    if public_key is None:
        raise KeyFileError(f"{where} has no public key")
    return KeyData(public_key, crypto, private_key, seed, phrase)


def _hex(raw: bytes | None) -> str | None:
    return None if raw is None else "0x" + raw.hex()


def keyfile_json(key: KeyData, *, public_only: bool = False) -> bytes:
    """Compact keyfile JSON as bittensor-wallet writes it (no cryptoType for sr25519)."""
    doc: dict[str, object] = {
        "accountId": _hex(key.public_key),
        "publicKey": _hex(key.public_key),
    }
    if not public_only:
        doc["privateKey"] = _hex(key.private_key)
        doc["secretPhrase"] = key.secret_phrase
        doc["secretSeed"] = _hex(key.secret_seed)
    doc["ss58Address"] = key.ss58_address
    if key.crypto_type != SR25519:
        doc["cryptoType"] = key.crypto_type
    return json.dumps(doc, separators=(",", ":")).encode()


# --- encryption -------------------------------------------------------------------------------


def encryption_of(data: bytes) -> str | None:
    """'nacl', 'ansible' or 'fernet' for an encrypted keyfile; None for plaintext."""
    if data.startswith(NACL_PREFIX):
        return "nacl"
    if data.startswith(ANSIBLE_PREFIX):
        return "ansible"
    if data.startswith(FERNET_PREFIX):
        return "fernet"
    return None


def is_encrypted(data: bytes) -> bool:
    """True when the keyfile bytes are encrypted in any format btcli ever wrote."""
    return encryption_of(data) is not None


def argon2i_sensitive(password: bytes) -> bytes:
    """The 32-byte SecretBox key for `password`: Argon2i, fixed salt, SENSITIVE limits.

    Tests replace this function (never the file format) to avoid the 2.5 s / 512 MiB cost.
    """
    from nacl import pwhash

    return pwhash.argon2i.kdf(
        32,
        password,
        NACL_SALT,
        opslimit=pwhash.argon2i.OPSLIMIT_SENSITIVE,
        memlimit=pwhash.argon2i.MEMLIMIT_SENSITIVE,
    )


_derived: dict[bytes, bytes] = {}


def nacl_key(password: str) -> bytes:
    """The key for `password`, derived at most once per process (the salt is fixed)."""
    raw = password.encode("utf-8")
    tag = hashlib.sha256(raw).digest()
    if tag not in _derived:
        _derived[tag] = argon2i_sensitive(raw)
    return _derived[tag]


def encrypt_nacl(plaintext: bytes, password: str) -> bytes:
    """`$NACL` + nonce + XSalsa20-Poly1305 ciphertext of `plaintext` under `password`."""
    from nacl.secret import SecretBox

    return NACL_PREFIX + bytes(SecretBox(nacl_key(password)).encrypt(plaintext))


def decrypt(data: bytes, password: str, where: str = "keyfile") -> bytes:
    """Decrypt keyfile bytes in any supported format; raises PasswordError on a wrong password."""
    kind = encryption_of(data)
    if kind is None:
        return data
    if kind == "nacl":
        return _decrypt_nacl(data, password, where)
    if kind == "ansible":
        return _decrypt_ansible(data, password, where)
    return _decrypt_fernet(data, password, where)


def _decrypt_nacl(data: bytes, password: str, where: str) -> bytes:
    from nacl.exceptions import CryptoError
    from nacl.secret import SecretBox

    body = data[len(NACL_PREFIX) :]
    if len(body) < SecretBox.NONCE_SIZE + SecretBox.MACBYTES:
        raise KeyFileError(f"{where} is corrupt or truncated")
    try:
        return SecretBox(nacl_key(password)).decrypt(body)
    except CryptoError:
        raise PasswordError(f"wrong password for {where} (or the file is corrupt)") from None


def _decrypt_ansible(data: bytes, password: str, where: str) -> bytes:
    """Ansible Vault 1.1 AES256: PBKDF2-SHA256 -> (AES key, HMAC key, CTR iv), HMAC then CTR."""
    import hmac

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    try:
        header, _, body = data.decode("ascii").partition("\n")
        if not header.startswith("$ANSIBLE_VAULT;1.1;AES256"):
            raise ValueError(header)
        inner = binascii.unhexlify("".join(body.split()))
        salt_hex, mac_hex, cipher_hex = inner.decode("ascii").split("\n")
        salt, mac = bytes.fromhex(salt_hex), bytes.fromhex(mac_hex)
        ciphertext = bytes.fromhex(cipher_hex)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise KeyFileError(f"{where} is a corrupt Ansible Vault file") from None
    material = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ANSIBLE_ROUNDS, 80)
    aes_key, mac_key, iv = material[:32], material[32:64], material[64:]
    expected = hmac.new(mac_key, ciphertext, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, mac):
        raise PasswordError(f"wrong password for {where} (or the file is corrupt)")
    decryptor = Cipher(algorithms.AES(aes_key), modes.CTR(iv)).decryptor()
    padded = decryptor.update(ciphertext) + decryptor.finalize()
    pad = padded[-1] if padded else 0
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise KeyFileError(f"{where} is a corrupt Ansible Vault file")
    return padded[:-pad]


def fernet_key(password: str) -> bytes:
    """The legacy Fernet key: urlsafe-base64(PBKDF2-HMAC-SHA256(password, fixed salt, 10^7))."""
    import base64

    raw = hashlib.pbkdf2_hmac("sha256", password.encode(), FERNET_SALT, FERNET_ROUNDS, 32)
    return base64.urlsafe_b64encode(raw)


def _decrypt_fernet(data: bytes, password: str, where: str) -> bytes:
    from cryptography.fernet import Fernet, InvalidToken

    try:
        return Fernet(fernet_key(password)).decrypt(data.strip())
    except InvalidToken:
        raise PasswordError(f"wrong password for {where} (or the file is corrupt)") from None

"""Keypairs: sr25519 (default) or ed25519 keys from a new mnemonic, a mnemonic, a 0x seed, a
dev URI (`//Alice`, with soft `/` and hard `//` paths) or a Polkadot-JS JSON backup.

Everything is built on substrate-interface's `Keypair` (imported inside each function, it takes
~0.2 s to load), with ss58 format 42. Mnemonics follow substrate-bip39: the BIP39 entropy goes
through PBKDF2-HMAC-SHA512 (salt "mnemonic", 2048 rounds) and the first 32 bytes are the seed.
Error messages say what is wrong with an input without repeating it.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

from wallet.errors import InvalidMnemonic, InvalidSeed, KeyFileError, PasswordError
from wallet.keyfile import ED25519, SR25519, KeyData
from wallet.ss58 import SS58_FORMAT

if TYPE_CHECKING:  # pragma: no cover
    from substrateinterface import Keypair

N_WORDS = (12, 15, 18, 21, 24)
CRYPTO_TYPES = {"sr25519": SR25519, "ed25519": ED25519}


def crypto_type_of(name: str | int) -> int:
    """1 for 'sr25519', 0 for 'ed25519' (the substrate-interface KeypairType numbers)."""
    if isinstance(name, int) and name in (SR25519, ED25519):
        return name
    try:
        return CRYPTO_TYPES[str(name).strip().lower()]
    except KeyError:
        raise InvalidSeed(f"unknown crypto type {name!r}: use sr25519 or ed25519") from None


def generate_mnemonic(n_words: int = 12) -> str:
    """A new English BIP39 mnemonic of 12, 15, 18, 21 or 24 words."""
    if n_words not in N_WORDS:
        raise InvalidMnemonic(f"--n-words must be one of {', '.join(map(str, N_WORDS))}")
    from bip39 import bip39_generate

    return bip39_generate(n_words, "en")


def normalize_mnemonic(text: str) -> str:
    """Words lower-cased and single-spaced; btcli's numbered form `1-word 2-word` is accepted."""
    words = []
    for token in str(text).replace(",", " ").split():
        match = re.fullmatch(r"\d+[-.:)](\S+)", token)
        words.append((match.group(1) if match else token).lower())
    return " ".join(words)


def check_mnemonic(text: str) -> str:
    """The normalized mnemonic, or InvalidMnemonic saying which rule failed (not the words)."""
    from bip39 import bip39_to_mini_secret, bip39_validate

    phrase = normalize_mnemonic(text)
    count = len(phrase.split())
    if count not in N_WORDS:
        raise InvalidMnemonic(
            f"invalid mnemonic: {count} words, expected {', '.join(map(str, N_WORDS))}"
        )
    if not bip39_validate(phrase, "en"):
        try:
            bip39_to_mini_secret(phrase, "", "en")
        except ValueError as exc:  # "invalid checksum" / "invalid word in phrase with index N"
            reason = str(exc).split(":", 1)[-1].strip()
            match = re.search(r"index (\d+)", reason)
            if match:
                reason = f"word {int(match.group(1)) + 1} is not in the BIP39 English word list"
            raise InvalidMnemonic(f"invalid mnemonic: {reason}") from None
        raise InvalidMnemonic("invalid mnemonic")
    return phrase


def keypair_from_mnemonic(mnemonic: str, crypto_type: int = SR25519) -> Keypair:
    """The keypair of a BIP39 mnemonic (validated first)."""
    from substrateinterface import Keypair

    phrase = check_mnemonic(mnemonic)
    return Keypair.create_from_mnemonic(phrase, ss58_format=SS58_FORMAT, crypto_type=crypto_type)


def parse_seed(seed: str) -> bytes:
    """32 bytes from `0x` + 64 hex digits (the 0x is optional); InvalidSeed otherwise."""
    text = str(seed).strip()
    hex_part = text[2:] if text[:2].lower() == "0x" else text
    if len(hex_part) != 64 or not re.fullmatch(r"[0-9a-fA-F]*", hex_part):
        raise InvalidSeed("a seed must be 0x followed by 64 hex digits (32 bytes)")
    return bytes.fromhex(hex_part)


def keypair_from_seed(seed: str | bytes, crypto_type: int = SR25519) -> Keypair:
    """The keypair of a 32-byte mini-secret seed."""
    from substrateinterface import Keypair

    raw = seed if isinstance(seed, bytes) else parse_seed(seed)
    if len(raw) != 32:
        raise InvalidSeed("a seed must be 32 bytes")
    return Keypair.create_from_seed(raw.hex(), ss58_format=SS58_FORMAT, crypto_type=crypto_type)


def normalize_uri(uri: str) -> str:
    """btcli's shorthand: `alice` and `Alice` mean `//Alice`; full URIs pass through."""
    text = str(uri).strip()
    if not text:
        raise InvalidSeed("the URI is empty")
    if "/" not in text and " " not in text:
        return "//" + text[:1].upper() + text[1:]
    return text


def keypair_from_uri(uri: str, crypto_type: int = SR25519) -> Keypair:
    """The keypair of a secret URI: `//Alice`, `//Bob/test`, or `<mnemonic>//hard/soft`."""
    from substrateinterface import Keypair

    suri = normalize_uri(uri)
    phrase, sep, path = suri.partition("/")
    if phrase.strip():
        check_mnemonic(phrase)
    if crypto_type == ED25519 and path.strip("/"):
        return _ed25519_from_uri(phrase, "/" + path)
    try:
        return Keypair.create_from_uri(suri, ss58_format=SS58_FORMAT, crypto_type=crypto_type)
    except (ValueError, NotImplementedError, AttributeError):
        raise InvalidSeed("the URI is not a valid secret URI") from None


def _ed25519_from_uri(phrase: str, path: str) -> Keypair:
    """ed25519 with hard junctions, as substrate derives it (soft ones do not exist there):
    each `//junction` replaces the seed by blake2b-256(SCALE("Ed25519HDKD") ++ seed ++ code)."""
    import hashlib

    from bip39 import bip39_to_mini_secret
    from substrateinterface.constants import DEV_PHRASE
    from substrateinterface.key import extract_derive_path

    if "///" in path:
        raise InvalidSeed("passwords in secret URIs (///) are not supported")
    junctions = extract_derive_path(path)
    if not junctions or any(not j.is_hard for j in junctions):
        raise InvalidSeed("ed25519 keys support hard (//) derivation only")
    seed = bytes(bip39_to_mini_secret(phrase.strip() or DEV_PHRASE, "", "en"))
    for junction in junctions:
        seed = hashlib.blake2b(
            b"\x2cEd25519HDKD" + seed + junction.chain_code, digest_size=32
        ).digest()
    keypair = keypair_from_seed(seed, ED25519)
    keypair.seed_hex = None  # a derived key: its file holds the private key, not a seed
    return keypair


def keypair_from_polkadot_json(backup: str | bytes | dict, password: str) -> Keypair:
    """The keypair inside a Polkadot-JS JSON backup (scrypt + xsalsa20-poly1305, pkcs8)."""
    from substrateinterface import Keypair

    try:
        doc = backup if isinstance(backup, dict) else json.loads(backup)
        if not isinstance(doc, dict) or "encoded" not in doc or "encoding" not in doc:
            raise ValueError
    except ValueError:
        raise KeyFileError("the JSON backup is not a Polkadot-JS account export") from None
    try:
        keypair = Keypair.create_from_encrypted_json(doc, password, ss58_format=SS58_FORMAT)
    except NotImplementedError:
        raise KeyFileError("the JSON backup uses an unsupported key type") from None
    except Exception as exc:  # nacl CryptoError / ValueError on a wrong password
        if "password" in str(exc).lower() or type(exc).__name__ == "CryptoError":
            raise PasswordError("wrong password for the JSON backup") from None
        raise KeyFileError("the JSON backup could not be decoded") from None
    return keypair


def _seed_bytes(keypair: Keypair) -> bytes | None:
    seed = getattr(keypair, "seed_hex", None)
    if seed is None:
        return None
    if isinstance(seed, str):
        return bytes.fromhex(seed.removeprefix("0x"))
    return bytes(seed)


def keydata_of(keypair: Keypair) -> KeyData:
    """What a keyfile stores for `keypair` (phrase and seed when the keypair knows them)."""
    private = bytes(keypair.private_key) if keypair.private_key else None
    return KeyData(
        public_key=bytes(keypair.public_key),
        crypto_type=int(keypair.crypto_type),
        private_key=private,
        secret_seed=_seed_bytes(keypair) if private else None,
        secret_phrase=getattr(keypair, "mnemonic", None) if private else None,
    )


def keypair_of(key: KeyData, where: str = "keyfile") -> Keypair:
    """The keypair a keyfile describes, in btwallet's read order: phrase, seed, private key,
    then public only. A secret that does not match the stored public key is a corrupt file."""
    from substrateinterface import Keypair

    try:
        if key.secret_phrase:
            keypair = keypair_from_mnemonic(key.secret_phrase, key.crypto_type)
        elif key.secret_seed:
            keypair = keypair_from_seed(key.secret_seed, key.crypto_type)
        elif key.private_key:
            _check_private_key(key)
            keypair = Keypair(
                public_key=key.public_key,
                private_key=key.private_key,
                ss58_format=SS58_FORMAT,
                crypto_type=key.crypto_type,
            )
        else:
            return Keypair(
                public_key=key.public_key, ss58_format=SS58_FORMAT, crypto_type=key.crypto_type
            )
    except (InvalidMnemonic, InvalidSeed, ValueError):
        raise KeyFileError(f"{where} is corrupt (its secret is malformed)") from None
    if bytes(keypair.public_key) != key.public_key:
        raise KeyFileError(f"{where} is corrupt (its secret does not match its public key)")
    return keypair


def _check_private_key(key: KeyData) -> None:
    """An sr25519 private key must be a usable scalar whose public key is the stored one.

    substrate-interface accepts any 64 bytes here and only fails when signing (a ValueError far
    from the keyfile); checking at load time names the file instead. Mismatch: ValueError.
    """
    if key.crypto_type != SR25519:  # ed25519 keys are checked by their seed, not here
        return
    import sr25519

    if bytes(sr25519.public_from_secret_key(bytes(key.private_key))) != key.public_key:
        raise ValueError("private key does not match the public key")


def sign(keypair: Keypair, message: bytes) -> bytes:
    """A signature over the raw message bytes (no <Bytes> wrapper), like btcli's `wallet sign`."""
    import sr25519

    if not keypair.private_key:
        raise KeyFileError("this key has no private part (public-only keyfile)")
    if keypair.crypto_type == SR25519:
        return bytes(sr25519.sign((keypair.public_key, keypair.private_key), message))
    import ed25519_zebra

    return bytes(ed25519_zebra.ed_sign(keypair.private_key, message))


def verify(
    public_key: bytes, message: bytes, signature: bytes, crypto_type: int | None = None
) -> int | None:
    """The crypto type (1 sr25519, 0 ed25519) under which `signature` is valid for `message`
    or for `<Bytes>message</Bytes>` (Polkadot-JS), trying sr25519 first; None if neither."""
    import ed25519_zebra
    import sr25519

    if len(signature) != 64:
        return None
    candidates = [message, b"<Bytes>" + message + b"</Bytes>"]
    if message.startswith(b"<Bytes>") and message.endswith(b"</Bytes>"):
        candidates.append(message[len(b"<Bytes>") : -len(b"</Bytes>")])
    checks = {SR25519: sr25519.verify, ED25519: ed25519_zebra.ed_verify}
    for kind in (SR25519, ED25519):
        if crypto_type is not None and kind != crypto_type:
            continue
        for data in candidates:
            try:
                if checks[kind](signature, data, public_key):
                    return kind
            except Exception:  # malformed points raise in the bindings
                continue
    return None

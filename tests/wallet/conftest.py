"""Fixtures for the wallet room: a cheap stand-in for Argon2i so unit tests stay fast.

Only the key-derivation function is replaced (the $NACL layout, salt and SecretBox are real);
tests that must match bittensor-wallet byte for byte use the real cost and are marked slow.
"""

from __future__ import annotations

import hashlib

import pytest

from wallet import keyfile


@pytest.fixture
def fast_kdf(monkeypatch):
    """Replace Argon2i SENSITIVE by one SHA-256 (and start with an empty key cache)."""
    calls = []

    def cheap(password: bytes) -> bytes:
        calls.append(password)
        return hashlib.sha256(b"test-kdf" + password).digest()

    monkeypatch.setattr(keyfile, "argon2i_sensitive", cheap)
    monkeypatch.setattr(keyfile, "_derived", {})
    return calls

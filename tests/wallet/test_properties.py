"""Round-trip properties of the codecs (hypothesis)."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wallet import keyfile as kf
from wallet import passwords as pw

keys32 = st.binary(min_size=32, max_size=32)


@given(
    public=keys32,
    private=st.none() | st.binary(min_size=64, max_size=64),
    seed=st.none() | keys32,
    crypto=st.sampled_from([kf.SR25519, kf.ED25519]),
    shuffle=st.integers(0, 2**32),
)
def test_keyfile_json_round_trip_in_any_key_order(public, private, seed, crypto, shuffle):
    if crypto == kf.ED25519 and private is not None:
        private = private[:32]
    key = kf.KeyData(public, crypto, private, seed, None)
    doc = json.loads(kf.keyfile_json(key))
    items = list(doc.items())
    random.Random(shuffle).shuffle(items)
    parsed = kf.parse_keyfile_json(json.dumps(dict(items)))
    assert parsed == key
    assert kf.parse_keyfile_json(kf.keyfile_json(key, public_only=True)) == key.public()


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plaintext=st.binary(max_size=2000), password=st.text(min_size=1, max_size=40))
def test_nacl_round_trip(fast_kdf, plaintext, password):
    """(The cheap KDF stand-in may persist across examples: it is stateless.)"""
    data = kf.encrypt_nacl(plaintext, password)
    assert len(data) == 45 + len(plaintext)
    assert kf.decrypt(data, password) == plaintext


@given(
    path=st.text(alphabet="abcXYZ019._-/", min_size=1, max_size=40),
    password=st.text(min_size=1, max_size=60).filter(str.isprintable),
)
def test_bt_pw_encoding_round_trip(path, password):
    name = pw.bt_pw_env_name("/" + path)
    assert name.startswith("BT_PW__") and "/" not in name and "." not in name
    assert pw.bt_pw_decode(name, pw.bt_pw_encode(name, password)) == password

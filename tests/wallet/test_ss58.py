"""ss58 addresses: our stdlib codec against published addresses and scalecodec's codec."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.errors import room_exit_code
from wallet.errors import InvalidAddress
from wallet.ss58 import (
    is_valid_ss58,
    public_key_from,
    ss58_decode,
    ss58_decode_with_format,
    ss58_encode,
)

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
ALICE_PUB = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


def test_alice_round_trip():
    assert ss58_decode(ALICE) == ALICE_PUB
    assert ss58_encode(ALICE_PUB) == ALICE
    assert is_valid_ss58(ALICE)


def test_vector_public_key():
    pub = ss58_decode("5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX")
    assert pub.hex() == "e4359ad3e2716c539a1d663ebd0a51bdc5c98a12e663bb4c4402db47828c9446"


@given(st.binary(min_size=32, max_size=32), st.sampled_from([0, 2, 42, 63, 64, 255, 1000, 16383]))
def test_matches_scalecodec(public_key, fmt):
    from scalecodec.utils.ss58 import ss58_encode as reference

    address = ss58_encode(public_key, fmt)
    assert address == reference(public_key, fmt)
    assert ss58_decode_with_format(address) == (public_key, fmt)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "   ",
        ALICE[:-1] + ("Z" if ALICE[-1] != "Z" else "Y"),  # checksum
        ALICE[:-2],  # length
        ALICE.replace("G", "0", 1),  # 0 is not base58
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQYxx",
        "hello world",
    ],
)
def test_malformed_addresses_are_refused(bad):
    assert not is_valid_ss58(bad)
    with pytest.raises(InvalidAddress) as info:
        ss58_decode(bad)
    assert room_exit_code(type(info.value)) == 2  # bad input


def test_expected_format_is_enforced():
    polkadot = ss58_encode(ALICE_PUB, 0)
    assert ss58_decode(polkadot) == ALICE_PUB
    with pytest.raises(InvalidAddress):
        ss58_decode(polkadot, ss58_format=42)
    assert not is_valid_ss58(polkadot, 42)


def test_public_key_from_hex_or_address():
    assert public_key_from(ALICE) == ALICE_PUB
    assert public_key_from("0x" + ALICE_PUB.hex()) == ALICE_PUB
    assert public_key_from(ALICE_PUB.hex()) == ALICE_PUB
    with pytest.raises(InvalidAddress):
        public_key_from("0x1234")

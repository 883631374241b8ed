"""Amounts parse to rao exactly and format back without loss."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.units import (
    MAX_U64,
    AmountError,
    format_tao,
    parse_rao,
    parse_tao,
    tao_str,
)


@pytest.mark.parametrize(
    "text, rao",
    [
        ("1.5", 1_500_000_000),
        ("0.000000001", 1),
        ("1,000.25", 1_000_250_000_000),
        ("1,234,567", 1_234_567_000_000_000),
        (".5", 500_000_000),
        ("5.", 5_000_000_000),
        ("  2  ", 2_000_000_000),
        ("1.5 TAO", 1_500_000_000),
        ("τ1.5", 1_500_000_000),
        ("1500 rao", 1_500),
        ("0.1", 100_000_000),
        ("18446744073.709551615", MAX_U64),
    ],
)
def test_parse_tao_exact(text, rao):
    assert parse_tao(text) == rao


@pytest.mark.parametrize(
    "text",
    ["", "   ", "-1", "+1", "1e9", "1E-3", "nan", "NaN", "inf", "-inf", "0.0000000001",
     "1,00", "1,0000", "1.2.3", "abc", "0x10", "1 000", ".", "0", "0.000000000",
     "18446744073.709551616", "1.5 rao"],
)
def test_parse_tao_refuses(text):
    with pytest.raises(AmountError):
        parse_tao(text)


def test_zero_allowed_only_when_asked():
    assert parse_tao("0", allow_zero=True) == 0


def test_parse_rao():
    assert parse_rao("1,000,000") == 1_000_000
    with pytest.raises(AmountError):
        parse_rao("1.5")


@given(st.integers(min_value=1, max_value=MAX_U64))
def test_round_trip(rao):
    assert parse_tao(tao_str(rao)) == rao
    assert parse_tao(format_tao(rao)) == rao


def test_format():
    assert format_tao(1_000_250_000_000) == "τ1,000.250000000"
    assert format_tao(1_500_000_000, decimals=4) == "τ1.5000"
    assert tao_str(1) == "0.000000001"
    assert tao_str(2_000_000_000) == "2"

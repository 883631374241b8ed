"""Numbers a user types are ASCII digits within what the chain can hold; anything else is one
clear line and exit 2 (issue 12, observations 1 and 2). The keyfile whose private key is not a
usable scalar is a wallet error (exit 3), not an internal one."""

from __future__ import annotations

import json

import pytest

from chain.units import AmountError, parse_rao, parse_tao
from cli.numparse import (
    NumberError,
    parse_decimal,
    parse_netuid,
    parse_uid,
    parse_uid_list,
    parse_weight_list,
)
from tests.conftest import Taoctl
from wallet.directory import Wallet
from wallet.keys import keypair_from_uri

FULLWIDTH_ONE = "\uff11"  # １
DEVANAGARI_ONE = "\u0967"  # १
ARABIC_INDIC_ONE = "\u0661"  # ١
HUGE = "9" * 5000
NON_ASCII = [FULLWIDTH_ONE, DEVANAGARI_ONE, ARABIC_INDIC_ONE, "1" + ARABIC_INDIC_ONE,
             "\u00b2", "1\u200b"]
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


@pytest.mark.parametrize("text", [*NON_ASCII, HUGE, "0" * 5000 + "1" + "0" * 20, HUGE + ".5",
                                  "1." + "0" * 5000, f"{HUGE} rao"])
def test_amounts_refuse_non_ascii_and_huge(text):
    with pytest.raises(AmountError) as info:
        parse_tao(text)
    assert len(str(info.value)) < 200  # one readable line, not 5000 digits


@pytest.mark.parametrize("text", [*NON_ASCII, HUGE])
def test_rao_amounts_refuse_non_ascii_and_huge(text):
    with pytest.raises(AmountError):
        parse_rao(text)


def test_leading_zeros_are_still_a_number():
    assert parse_tao("0" * 100 + "1") == 10**9


@pytest.mark.parametrize("text", [*NON_ASCII, HUGE, "65536", "-1", "+1", "1.0", "", " ",
                                  "0x10", "1e3"])
def test_netuids_and_uids_are_ascii_u16(text):
    with pytest.raises(NumberError):
        parse_netuid(text)
    with pytest.raises(NumberError):
        parse_uid(text)


def test_u16_bounds():
    assert parse_netuid("65535") == 65535 and parse_uid(" 0 ") == 0
    assert parse_uid_list("1, 2 3") == [1, 2, 3]


@pytest.mark.parametrize("text", ["nan", "NaN", "sNaN", "-sNaN", "inf", "Infinity", "-1", "1e3",
                                  *NON_ASCII, HUGE, "1,nan"])
def test_weights_refuse_nan_exponents_and_non_ascii(text):
    with pytest.raises(NumberError) as info:
        parse_weight_list(text)
    assert info.value.exit_code == 2


def test_weights_and_decimals_that_are_fine():
    assert [str(w) for w in parse_weight_list("0.5,.25 3")] == ["0.5", "0.25", "3"]
    assert str(parse_decimal("0.005", "--tolerance")) == "0.005"


# --- through the CLI: exit 2 and one line, nothing sent ------------------------------------


@pytest.fixture(scope="module")
def t(tmp_path_factory):
    """A dev chain and a funded plaintext wallet, shared by the module (nothing here changes
    them: every command is refused)."""
    home = tmp_path_factory.mktemp("numbers") / "home"
    home.mkdir()
    t = Taoctl(home, in_process=True)
    t.env["TAOCTL_CHAIN_DB"] = str(home / "sandbox.db")
    t.json("chain", "init")
    keypair = keypair_from_uri("//NumberTester")
    Wallet("default", home / ".bittensor" / "wallets").write_coldkey(keypair, None)
    Wallet("default", home / ".bittensor" / "wallets").write_hotkey(keypair_from_uri("//NH"))
    t.json("chain", "fund", keypair.ss58_address, "100")
    return t


def _refused(t, *args, code=2):
    proc = t.run(*args, "--json", "-y")
    assert proc.returncode == code, (args, proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    return json.loads(proc.stdout)["error"]


@pytest.mark.parametrize("amount", [FULLWIDTH_ONE, DEVANAGARI_ONE, "1" + ARABIC_INDIC_ONE, HUGE])
def test_transfer_amounts(t, amount):
    _refused(t, "wallet", "transfer", "--dest", BOB, "--amount", amount)
    balance = t.json("wallet", "balance", "--ss58", BOB)["balances"][0]["free_rao"]
    assert balance == 1_000_000 * 10**9  # nothing moved


def test_quote_subnet_and_weights(t):
    _refused(t, "quote", "stake", "--netuid", "1", "--amount", "1" + ARABIC_INDIC_ONE)
    _refused(t, "quote", "stake", "--netuid", ARABIC_INDIC_ONE, "--amount", "1")
    _refused(t, "subnet", "show", "--netuid", ARABIC_INDIC_ONE)
    _refused(t, "stake", "add", "--netuid", FULLWIDTH_ONE, "--amount", "1")
    for bad in ("nan", "sNaN", "1," + FULLWIDTH_ONE):
        _refused(t, "weights", "set", "--netuid", "1", "--uids", "0", "--weights", bad)
    _refused(t, "weights", "set", "--netuid", "1", "--uids", "65536", "--weights", "1")
    _refused(t, "weights", "show", "--netuid", "1", "--uid", ARABIC_INDIC_ONE)


def test_a_private_key_that_is_not_a_scalar_is_a_wallet_error(t):
    """privateKey = 64 bytes of 0x11 (the high bit of the scalar set): exit 3, named file."""
    folder = t.home / ".bittensor" / "wallets" / "bad"
    folder.mkdir(parents=True)
    public = keypair_from_uri("//Bad").public_key
    doc = {"privateKey": "0x" + "11" * 64, "publicKey": "0x" + public.hex(),
           "accountId": "0x" + public.hex(), "ss58Address": keypair_from_uri("//Bad").ss58_address}
    (folder / "coldkey").write_text(json.dumps(doc))
    error = _refused(t, "wallet", "sign", "--name", "bad", "--message", "x", code=3)
    assert error["type"] == "KeyFileError" and "coldkey" in error["message"]

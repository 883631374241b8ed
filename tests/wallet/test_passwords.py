"""Password sources: btcli's BT_PW_ name and XOR-base64 value, BT_COLD_PW_, TAOCTL_PASSWORD,
password files, and the OS keyring (an in-process backend here)."""

from __future__ import annotations

import keyring
import pytest
from keyring.backends import fail

from cli.errors import room_exit_code
from tests.wallet.memkeyring import FileKeyring
from wallet import passwords as pw
from wallet.errors import KeyringUnavailable, PasswordError


def test_bt_pw_variable_name_vectors():
    assert pw.bt_pw_env_name("/srv/wallets/tw/coldkey") == "BT_PW__SRV_WALLETS_TW_COLDKEY"
    assert (
        pw.bt_pw_env_name("/home/ubuntu/.bittensor/wallets/test/coldkey")
        == "BT_PW__HOME_UBUNTU__BITTENSOR_WALLETS_TEST_COLDKEY"
    )
    assert pw.bt_pw_env_name("/w/x/hotkeys/hk1") == "BT_PW__W_X_HOTKEYS_HK1"


def test_bt_pw_value_vector():
    name = "BT_PW__TMP_RWEXP_WALLETS_PYW_COLDKEY"
    assert pw.bt_pw_encode(name, "CorrectHorse-Battery9!") == "ATstIjI8KxwiIiw3egc5JCsyMzV1ZA=="
    assert pw.bt_pw_decode(name, "ATstIjI8KxwiIiw3egc5JCsyMzV1ZA==") == "CorrectHorse-Battery9!"


def test_bt_pw_name_matches_bittensor_wallet(tmp_path):
    from bittensor_wallet import Keyfile

    for path in (tmp_path / "coldkey", tmp_path / ".hidden.dir" / "hotkeys" / "hk-1"):
        assert Keyfile(str(path), name="k").env_var_name() == pw.bt_pw_env_name(path)


def test_env_sources_in_order(tmp_path):
    path = tmp_path / "w" / "coldkey"
    name = pw.bt_pw_env_name(path)
    env = {
        "TAOCTL_PASSWORD": "first",
        name: pw.bt_pw_encode(name, "second"),
        "BT_COLD_PW_MY_WALLET": "third",
    }
    found = list(pw.env_passwords(path, "my-wallet", coldkey=True, environ=env))
    assert found[0] == ("TAOCTL_PASSWORD", "first")
    assert found[1] == (name, "second")
    assert found[-1] == ("BT_COLD_PW_MY_WALLET", "third")
    assert ("BT_COLD_PW_MY_WALLET", "third") not in list(
        pw.env_passwords(path, "my-wallet", coldkey=False, environ=env)
    )


def test_plain_bt_pw_value_is_also_offered(tmp_path):
    path = tmp_path / "coldkey"
    name = pw.bt_pw_env_name(path)
    found = [v for _, v in pw.env_passwords(path, None, environ={name: "plain text pw"})]
    assert found == ["plain text pw"]  # not base64: only the plain reading


def test_password_file(tmp_path):
    file = tmp_path / "pw"
    file.write_text("  spaced pw \n")
    assert pw.read_password_file(file) == "  spaced pw "
    file.write_text("\n")
    with pytest.raises(PasswordError) as info:
        pw.read_password_file(file)
    assert room_exit_code(type(info.value)) == 2  # bad input
    with pytest.raises(PasswordError):
        pw.read_password_file(tmp_path)
    with pytest.raises(PasswordError):
        pw.read_password_file(tmp_path / "missing")


@pytest.fixture
def memory_keyring():
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring())
    yield
    keyring.set_keyring(previous)


def test_keyring_round_trip(memory_keyring, tmp_path):
    path = tmp_path / "wallets" / "a" / "coldkey"
    assert pw.keyring_available()
    assert pw.keyring_get(path) is None
    pw.keyring_set(path, "pw1")
    assert pw.keyring_get(path) == "pw1"
    assert keyring.get_password("taoctl", str(path.absolute())) == "pw1"
    assert pw.keyring_delete(path) is True
    assert pw.keyring_get(path) is None
    assert pw.keyring_delete(path) is False


def test_no_keyring_backend_is_said_clearly(tmp_path):
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        assert not pw.keyring_available()
        assert pw.keyring_get(tmp_path / "coldkey") is None  # unlocking goes on without it
        with pytest.raises(KeyringUnavailable, match="no OS keyring"):
            pw.keyring_set(tmp_path / "coldkey", "x")
        with pytest.raises(KeyringUnavailable):
            pw.keyring_delete(tmp_path / "coldkey")
    finally:
        keyring.set_keyring(previous)

"""Wallet defaults resolution (flags, env, taoctl config, btcli config) and btcli's YAML."""

from __future__ import annotations

import pytest

from cli import walletopts


@pytest.fixture
def home(tmp_path, monkeypatch):
    for name in (
        "TAOCTL_WALLET_NAME",
        "TAOCTL_WALLET_PATH",
        "TAOCTL_WALLET_HOTKEY",
        "TAOCTL_CONFIG",
        "BTCLI_CONFIG_PATH",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    return tmp_path


def test_flat_yaml_reader():
    text = (
        "network: finney\n"
        "wallet_name: 'main'\n"
        'wallet_path: "~/w"  # comment\n'
        "wallet_hotkey: null\n"
        "metagraph_cols:\n"
        "  UID: true\n"
        "# wallet_name: commented\n"
    )
    assert walletopts.read_flat_yaml(text) == {
        "network": "finney",
        "wallet_name": "main",
        "wallet_path": "~/w",
        "wallet_hotkey": None,
        "metagraph_cols": None,
    }


def test_builtin_defaults(home):
    wallet = walletopts.resolve_wallet()
    assert (wallet.name, wallet.hotkey_str) == ("default", "default")
    assert wallet.path == home / ".bittensor" / "wallets"


def test_precedence_flag_env_taoctl_btcli(home, monkeypatch):
    (home / ".bittensor").mkdir()
    (home / ".bittensor" / "config.yml").write_text(
        "wallet_name: b-name\nwallet_hotkey: b-hk\nwallet_path: ~/b-path\n"
    )
    wallet = walletopts.resolve_wallet()
    assert (wallet.name, wallet.hotkey_str, wallet.path) == ("b-name", "b-hk", home / "b-path")
    (home / ".config" / "taoctl").mkdir(parents=True)
    (home / ".config" / "taoctl" / "config.toml").write_text('wallet_hotkey = "t-hk"\n')
    wallet = walletopts.resolve_wallet()
    assert (wallet.name, wallet.hotkey_str) == ("b-name", "t-hk")
    monkeypatch.setenv("TAOCTL_WALLET_NAME", "e-name")
    assert walletopts.resolve_wallet().name == "e-name"
    assert walletopts.resolve_wallet("f-name").name == "f-name"
    assert walletopts.wallet_defaults()["hotkey"][1].endswith("config.toml")


def test_btcli_config_path_override_and_broken_files(home, monkeypatch):
    custom = home / "elsewhere.yml"
    custom.write_text("wallet_name: custom\n")
    monkeypatch.setenv("BTCLI_CONFIG_PATH", str(custom))
    assert walletopts.resolve_wallet().name == "custom"
    (home / ".config" / "taoctl").mkdir(parents=True)
    (home / ".config" / "taoctl" / "config.toml").write_text("not = [valid toml")
    assert walletopts.resolve_wallet().name == "custom"  # a broken config is ignored


def test_a_key_is_unlocked_once_per_process(home, monkeypatch):
    import hashlib

    from cli.output import Output
    from wallet import keyfile, keys
    from wallet.directory import Wallet
    from wallet.errors import PasswordError

    derived = []

    def cheap(password: bytes) -> bytes:
        derived.append(password)
        return hashlib.sha256(b"t" + password).digest()

    monkeypatch.setattr(keyfile, "argon2i_sensitive", cheap)
    monkeypatch.setattr(keyfile, "_derived", {})
    monkeypatch.setattr(walletopts, "_unlocked", {})
    monkeypatch.setattr(walletopts, "_passwords_used", {})
    wallet = Wallet("w", home / "wallets")
    wallet.write_coldkey(keys.keypair_from_uri("//Alice"), "pw")
    out = Output(json_mode=True, no_prompt=True)
    with pytest.raises(PasswordError, match="no password was given"):
        walletopts.unlock_coldkey(wallet, out)
    monkeypatch.setenv("TAOCTL_PASSWORD", "wrong")
    with pytest.raises(PasswordError, match="from TAOCTL_PASSWORD"):
        walletopts.unlock_coldkey(wallet, out)
    monkeypatch.setenv("TAOCTL_PASSWORD", "pw")
    first = walletopts.unlock_coldkey(wallet, out)
    monkeypatch.setenv("TAOCTL_PASSWORD", "wrong-again")  # not asked any more
    assert walletopts.unlock_coldkey(wallet, out) is first
    assert walletopts.password_that_unlocked(wallet.coldkey_file) == "pw"
    assert derived == [b"pw", b"wrong"]

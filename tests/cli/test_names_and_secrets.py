"""Wallet and hotkey names are plain file names, and every secret has a file or stdin source
(issue 12, observations 7 and 8)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.in_process

from tests.wallet.vectors import POLKADOT_JS_BACKUP
from wallet.directory import Wallet
from wallet.errors import InvalidWalletName

PJ_SS58 = "5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f"
MNEMONIC = "old leopard transfer rib spatial phone calm indicate online fire caution review"


@pytest.mark.parametrize("name", ["", "a\nb", "a\tb", "a\x1b[31mred", "a\rb", "a\x7fb",
                                  "a\x85b", "\x00", "a/b", ".", ".."])
def test_bad_names_are_refused(tmp_path, name):
    with pytest.raises(InvalidWalletName):
        Wallet(name, tmp_path)
    with pytest.raises(InvalidWalletName):
        Wallet("ok", tmp_path, hotkey=name)
    if name:
        with pytest.raises(InvalidWalletName):
            Wallet("ok", tmp_path).hotkey_file(name)


def test_unicode_names_are_fine(tmp_path):
    assert Wallet("wallet-é-钱包", tmp_path, "hk 1").root.name == "wallet-é-钱包"


@pytest.mark.parametrize("flag, value", [("--wallet-name", "a\nb"), ("--wallet-name", ""),
                                         ("--hotkey", ""), ("--hotkey", "x\x1by")])
def test_cli_refuses_bad_names_and_writes_nothing(taoctl, flag, value):
    proc = taoctl.run("wallet", "new-hotkey", flag, value, "--uri", "//Bob",
                      "--no-use-password", "--json")
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["error"]["type"] == "InvalidWalletName"
    assert not (taoctl.home / ".bittensor").exists()


def test_json_backup_password_from_a_file_or_stdin(taoctl, tmp_path):
    backup = tmp_path / "account.json"
    backup.write_text(POLKADOT_JS_BACKUP)
    secret = tmp_path / "pw"
    secret.write_text("Password123\n")
    args = ("wallet", "regen-coldkey", "--name", "pj", "--json-path", backup,
            "--no-use-password", "--overwrite", "--json")
    proc = taoctl.run(*args, "--json-password-file", secret)
    assert proc.returncode == 0 and json.loads(proc.stdout)["coldkey_ss58"] == PJ_SS58
    assert "Warning" not in proc.stderr
    proc = taoctl.run(*args, "--json-password-file", "-", input="Password123\n")
    assert proc.returncode == 0 and json.loads(proc.stdout)["coldkey_ss58"] == PJ_SS58
    proc = taoctl.run(*args, "--json-password-file", "-", input="wrong\n")
    assert proc.returncode == 3
    proc = taoctl.run(*args, "--json-password-file", secret, "--json-password", "Password123")
    assert proc.returncode == 2


def test_a_secret_on_the_command_line_gets_a_warning(taoctl, tmp_path):
    backup = tmp_path / "account.json"
    backup.write_text(POLKADOT_JS_BACKUP)
    proc = taoctl.run("wallet", "regen-coldkey", "--name", "pj", "--json-path", backup,
                      "--no-use-password", "--json-password", "Password123", "--json")
    assert proc.returncode == 0
    assert "--json-password on the command line" in proc.stderr
    assert "Password123" not in proc.stderr + proc.stdout
    proc = taoctl.run("wallet", "regen-coldkey", "--name", "m", "--mnemonic", MNEMONIC,
                      "--no-use-password", "--json")
    assert proc.returncode == 0 and "--mnemonic on the command line" in proc.stderr
    assert "leopard" not in proc.stderr
    proc = taoctl.run("wallet", "regen-coldkey", "--name", "m2", "--mnemonic", "-",
                      "--no-use-password", "--json", input=MNEMONIC + "\n")
    assert proc.returncode == 0 and "Warning" not in proc.stderr

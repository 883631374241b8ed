"""`taoctl wallet` end to end in a temporary HOME, parsed as JSON: in process (the commands are
under test; test_entrypoint and the tty tests run the installed binary), except the tests that
load a keyring module through PYTHONPATH and the real_kdf test, which run the installed command.

Encrypted keys use the cheap test KDF except in the test marked real_kdf, which pays the real
Argon2i cost once each way.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

pytestmark = pytest.mark.in_process

MNEMONIC = "old leopard transfer rib spatial phone calm indicate online fire caution review"
MNEMONIC_SS58 = "5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


def wallets(taoctl) -> Path:
    return taoctl.home / ".bittensor" / "wallets"


def error_of(proc) -> dict:
    """The JSON error document: exactly one on stdout, the same one line on stderr."""
    doc = json.loads(proc.stdout)
    assert json.loads(proc.stderr.strip().splitlines()[-1]) == doc
    assert "Traceback" not in proc.stderr
    return doc["error"]


def regen_alice(taoctl, name="alice", **kw):
    return taoctl.json(
        "wallet",
        "regen-coldkey",
        "--wallet-name",
        name,
        "--uri",
        "//Alice",
        "--no-use-password",
        **kw,
    )


def test_create_unencrypted_writes_btcli_layout(taoctl):
    doc = taoctl.json("wallet", "create", "--no-use-password", "--wallet.name", "w1", "-H", "miner")
    root = wallets(taoctl) / "w1"
    assert doc["name"] == "w1" and doc["hotkey"] == "miner"
    assert "mnemonic" not in json.dumps(doc)  # never in JSON unless asked
    files = [
        root / "coldkey",
        root / "coldkeypub.txt",
        root / "hotkeys" / "miner",
        root / "hotkeys" / "minerpub.txt",
    ]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    pub = json.loads((root / "coldkeypub.txt").read_text())
    assert pub["ss58Address"] == doc["coldkey_ss58"]
    assert "cryptoType" not in pub
    hot = json.loads((root / "hotkeys" / "miner").read_text())
    assert hot["ss58Address"] == doc["hotkey_ss58"] and len(hot["secretPhrase"].split()) == 12


def test_print_mnemonic_regenerates_the_same_key(taoctl):
    doc = taoctl.json(
        "wallet",
        "new-coldkey",
        "--name",
        "w1",
        "--no-use-password",
        "--n-words",
        "24",
        "--print-mnemonic",
    )
    (key,) = doc["keys"]
    assert len(key["mnemonic"].split()) == 24
    again = taoctl.json(
        "wallet",
        "regen-coldkey",
        "--name",
        "w2",
        "--mnemonic",
        key["mnemonic"],
        "--no-use-password",
    )
    assert again["coldkey_ss58"] == key["ss58_address"]


def test_mnemonic_is_shown_once_to_people(taoctl):
    proc = taoctl.run("wallet", "new-hotkey", "--name", "w[1]", "--hotkey", "h1")
    assert proc.returncode == 0, proc.stderr
    assert "IMPORTANT" in proc.stdout
    phrase = json.loads((wallets(taoctl) / "w[1]" / "hotkeys" / "h1").read_text())["secretPhrase"]
    assert proc.stdout.count(phrase) == 1
    assert "[sr25519, not encrypted]" in proc.stdout and "w[1]" in proc.stdout
    assert "[bold]" not in proc.stdout


def test_encrypted_create_without_a_password_source_fails_fast(taoctl):
    proc = taoctl.run("wallet", "create", "--name", "w1", "--json", timeout=30)
    error = error_of(proc)
    assert proc.returncode == 3 and error["type"] == "PasswordError"
    assert "--password-file" in error["message"]
    assert not (wallets(taoctl) / "w1").exists()


def test_regen_coldkey_vector_and_overwrite_refusal(taoctl):
    doc = taoctl.json(
        "wallet", "regen-coldkey", "--name", "v", "--mnemonic", MNEMONIC, "--no-use-password"
    )
    assert doc["coldkey_ss58"] == MNEMONIC_SS58
    coldkey = wallets(taoctl) / "v" / "coldkey"
    before = coldkey.read_bytes()
    proc = taoctl.run(
        "wallet", "regen-coldkey", "--name", "v", "--uri", "//Bob", "--no-use-password", "--json"
    )
    assert proc.returncode == 3 and error_of(proc)["type"] == "KeyExists"
    assert coldkey.read_bytes() == before
    doc = taoctl.json(
        "wallet",
        "regen-coldkey",
        "--name",
        "v",
        "--uri",
        "//Bob",
        "--no-use-password",
        "--overwrite",
    )
    assert doc["coldkey_ss58"] == BOB


def test_regen_from_seed_and_numbered_mnemonic(taoctl):
    seed = "0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"
    assert (
        taoctl.json("wallet", "regen-coldkey", "--name", "s", "--seed", seed, "--no-use-password")[
            "coldkey_ss58"
        ]
        == MNEMONIC_SS58
    )
    numbered = " ".join(f"{i}-{w}" for i, w in enumerate(MNEMONIC.split(), 1))
    doc = taoctl.json(
        "wallet", "regen-hotkey", "--name", "s", "--hotkey", "h", "--mnemonic", numbered
    )
    assert doc["hotkey_ss58"] == MNEMONIC_SS58


def test_secrets_from_stdin_stay_off_the_command_line(taoctl):
    doc = taoctl.json(
        "wallet",
        "regen-coldkey",
        "--name",
        "in",
        "--mnemonic",
        "-",
        "--no-use-password",
        input=MNEMONIC + "\n",
    )
    assert doc["coldkey_ss58"] == MNEMONIC_SS58
    seed = "0xda3cf5b1e9144931a0f0db65664aab662673b099415a7f8121b7245fb0be4143"
    doc = taoctl.json("wallet", "regen-hotkey", "--name", "in", "--seed", "-", input=seed + "\n")
    assert doc["hotkey_ss58"] == MNEMONIC_SS58
    proc = taoctl.run("wallet", "regen-hotkey", "--name", "in2", "--seed", "-", "--json", input="")
    assert proc.returncode == 2 and error_of(proc)["type"] == "InvalidSeed"


def test_ed25519_keys(taoctl):
    doc = taoctl.json(
        "wallet",
        "regen-coldkey",
        "--name",
        "ed",
        "--mnemonic",
        MNEMONIC,
        "--crypto-type",
        "ed25519",
        "--no-use-password",
    )
    assert doc["coldkey_ss58"] == "5HhFH9GvwCST4kRVoFREE7qDJcjYteR5unhQCrBGhhGuRgNb"
    pub = json.loads((wallets(taoctl) / "ed" / "coldkeypub.txt").read_text())
    assert pub["cryptoType"] == 0
    listed = taoctl.json("wallet", "list")["wallets"][0]
    assert listed["crypto_type"] == "ed25519"


@pytest.mark.parametrize(
    "args, kind",
    [
        (("--mnemonic", MNEMONIC.replace("review", "xyzzy")), "InvalidMnemonic"),
        (("--mnemonic", MNEMONIC.replace("review", "old")), "InvalidMnemonic"),
        (("--mnemonic", "old leopard transfer"), "InvalidMnemonic"),
        (("--seed", "0x1234"), "InvalidSeed"),
        (("--seed", "0x" + "zz" * 32), "InvalidSeed"),
    ],
)
def test_bad_key_inputs_exit_2_and_write_nothing(taoctl, args, kind):
    proc = taoctl.run(
        "wallet", "regen-coldkey", "--name", "bad", *args, "--no-use-password", "--json"
    )
    error = error_of(proc)
    assert proc.returncode == 2 and error["type"] == kind
    assert "leopard" not in proc.stdout + proc.stderr and "zzzz" not in error["message"]
    assert not (wallets(taoctl) / "bad").exists()


def test_bad_ss58_for_regen_coldkeypub(taoctl):
    proc = taoctl.run(
        "wallet", "regen-coldkeypub", "--name", "watch", "--ss58", ALICE[:-1] + "Z", "--json"
    )
    assert proc.returncode == 2 and error_of(proc)["type"] == "InvalidAddress"
    doc = taoctl.json("wallet", "regen-coldkeypub", "--name", "watch", "--ss58", ALICE)
    assert doc["coldkey_ss58"] == ALICE
    listed = taoctl.json("wallet", "list")["wallets"][0]
    assert listed["keyfile"] == "missing" and listed["ss58_address"] == ALICE
    assert not (wallets(taoctl) / "watch" / "coldkey").exists()


def test_list_tree_and_json(taoctl):
    regen_alice(taoctl, "a")
    taoctl.json("wallet", "new-hotkey", "--name", "a", "--hotkey", "h1", "--uri", "//Bob")
    taoctl.json("wallet", "regen-hotkeypub", "--name", "a", "--hotkey", "watch", "--ss58", BOB)
    doc = taoctl.json("wallet", "list")
    (a,) = doc["wallets"]
    assert a["name"] == "a" and a["ss58_address"] == ALICE and a["encrypted"] is False
    assert [(h["name"], h["ss58_address"], h["keyfile"]) for h in a["hotkeys"]] == [
        ("h1", BOB, "present"),
        ("watch", BOB, "missing"),
    ]
    proc = taoctl.run("wallet", "list")
    assert proc.returncode == 0
    assert "Coldkey a" in proc.stdout and ALICE in proc.stdout and "(pub only)" in proc.stdout
    assert taoctl.json("wallet", "list", "--coldkeys-only")["wallets"][0]["hotkeys"] == []


def test_btcli_aliases_and_spellings(taoctl):
    doc = taoctl.json(
        "w",
        "regen_coldkey",
        "--wallet_name",
        "al",
        "--wallet_path",
        str(taoctl.home / "wl"),
        "--uri",
        "alice",
        "--no-use-password",
    )
    assert doc["coldkey_ss58"] == ALICE and doc["path"] == str(taoctl.home / "wl")
    doc = taoctl.json(
        "wallets",
        "new_hotkey",
        "--wallet.name",
        "al",
        "-p",
        str(taoctl.home / "wl"),
        "--wallet.hotkey",
        "h9",
        "--uri",
        "//Bob",
    )
    assert (taoctl.home / "wl" / "al" / "hotkeys" / "h9").is_file()
    proc = taoctl.run("wallet", "create", "--name", "x/y", "--no-use-password", "--json")
    assert proc.returncode == 2 and error_of(proc)["type"] == "InvalidWalletName"


def test_list_of_an_empty_path(taoctl):
    assert taoctl.json("wallet", "list", "-p", str(taoctl.home / "none"))["wallets"] == []


def test_inspect_one_wallet_and_a_missing_one(taoctl):
    regen_alice(taoctl, "a")
    doc = taoctl.json("wallet", "inspect", "--wallet-name", "a")
    assert doc["ss58_address"] == ALICE and doc["hotkeys"] == []
    proc = taoctl.run("wallet", "inspect", "--wallet-name", "ghost", "--json")
    assert proc.returncode == 3 and error_of(proc)["type"] == "KeyNotFound"


def test_sign_and_verify(taoctl):
    regen_alice(taoctl, "a")
    taoctl.json("wallet", "regen-hotkey", "--name", "a", "--uri", "//Bob")
    signed = taoctl.json("wallet", "sign", "--name", "a", "--message", "hello taoctl")
    assert signed["signer_address"] == ALICE
    ok = taoctl.json(
        "wallet", "verify", "-m", "hello taoctl", "-s", signed["signature"], "-a", ALICE
    )
    assert ok == {"valid": True, "address": ALICE, "crypto_type": "sr25519"}
    hot = taoctl.json("wallet", "sign", "--name", "a", "--use-hotkey", "-m", "x")
    assert hot["signer_address"] == BOB
    bad = taoctl.run(
        "wallet", "verify", "-m", "hello taoctl!", "-s", signed["signature"], "-a", ALICE, "--json"
    )
    assert bad.returncode == 1 and json.loads(bad.stdout)["valid"] is False
    wrong_signer = taoctl.run(
        "wallet", "verify", "-m", "x", "-s", hot["signature"], "-a", ALICE, "--json"
    )
    assert wrong_signer.returncode == 1


def test_verify_bytes_wrapped_signature(taoctl):
    from substrateinterface import Keypair

    keypair = Keypair.create_from_uri("//Alice")
    signature = keypair.sign(b"<Bytes>polkadot-js</Bytes>").hex()
    doc = taoctl.json(
        "wallet",
        "verify",
        "-m",
        "polkadot-js",
        "-s",
        "0x" + signature,
        "-a",
        keypair.public_key.hex(),
    )
    assert doc["valid"] is True


@pytest.mark.parametrize(
    "args",
    [
        ("-m", "x", "-s", "0x" + "00" * 64, "-a", "5notanaddress"),
        ("-m", "x", "-s", "0x1234", "-a", ALICE),
        ("-m", "x", "-s", "nothex", "-a", ALICE),
    ],
)
def test_verify_bad_input_exits_2(taoctl, args):
    proc = taoctl.run("wallet", "verify", *args, "--json")
    assert proc.returncode == 2, proc.stderr
    error_of(proc)


def test_keyfile_that_is_a_directory(taoctl):
    (wallets(taoctl) / "d" / "coldkey").mkdir(parents=True)
    proc = taoctl.run("wallet", "sign", "--name", "d", "-m", "x", "--json")
    assert proc.returncode == 3 and "is a directory" in error_of(proc)["message"]
    proc = taoctl.run(
        "wallet",
        "regen-coldkey",
        "--name",
        "d",
        "--uri",
        "//Alice",
        "--no-use-password",
        "--overwrite",
        "--json",
    )
    assert proc.returncode == 3 and "is a directory" in error_of(proc)["message"]


def test_corrupt_keyfile_and_missing_hotkey(taoctl):
    regen_alice(taoctl, "a")
    (wallets(taoctl) / "a" / "coldkey").write_text('{"accountId": "0x12')
    proc = taoctl.run("wallet", "sign", "--name", "a", "-m", "x", "--json")
    assert proc.returncode == 3 and error_of(proc)["type"] == "KeyFileError"
    proc = taoctl.run(
        "wallet", "sign", "--name", "a", "-H", "nope", "--use-hotkey", "-m", "x", "--json"
    )
    assert proc.returncode == 3 and error_of(proc)["type"] == "KeyNotFound"
    proc = taoctl.run("wallet", "sign", "--name", "a", "-H", "nope", "--use-hotkey", "-m", "x")
    assert proc.returncode == 3 and proc.stderr.startswith("Error:")
    assert len(proc.stderr.strip().splitlines()) == 1


def test_defaults_from_btcli_config_env_and_taoctl_config(taoctl):
    (taoctl.home / ".bittensor").mkdir()
    (taoctl.home / ".bittensor" / "config.yml").write_text(
        "network: finney\nwallet_name: from-btcli\nwallet_path: '~/wl'\nwallet_hotkey: hk\n"
        "metagraph_cols:\n  UID: true\n"
    )
    doc = taoctl.json("wallet", "regen-coldkey", "--uri", "//Alice", "--no-use-password")
    assert doc["name"] == "from-btcli" and doc["path"] == str(taoctl.home / "wl")
    assert (taoctl.home / "wl" / "from-btcli" / "coldkey").is_file()
    doc = taoctl.json("wallet", "new-hotkey", "--uri", "//Bob")
    assert (taoctl.home / "wl" / "from-btcli" / "hotkeys" / "hk").is_file()
    config = taoctl.home / ".config" / "taoctl"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('[wallet]\nname = "from-taoctl"\n')
    doc = taoctl.json("wallet", "regen-coldkeypub", "--ss58", BOB)
    assert doc["name"] == "from-taoctl" and doc["path"] == str(taoctl.home / "wl")
    doc = taoctl.json(
        "wallet", "regen-coldkeypub", "--ss58", BOB, env={"TAOCTL_WALLET_NAME": "from-env"}
    )
    assert doc["name"] == "from-env"
    doc = taoctl.json(
        "wallet",
        "regen-coldkeypub",
        "--ss58",
        BOB,
        "--wallet.name",
        "flag",
        "--wallet.path",
        str(taoctl.home / "p2"),
        env={"TAOCTL_WALLET_NAME": "from-env"},
    )
    assert doc["name"] == "flag" and doc["path"] == str(taoctl.home / "p2")


def test_list_imports_no_heavy_modules(taoctl):
    import subprocess
    import sys

    regen_alice(taoctl, "a")
    code = (
        "import sys\nfrom cli.main import main\ntry:\n    main(['wallet', 'list', '--json'])\n"
        "finally:\n    heavy = [m for m in ('nacl', 'substrateinterface', 'keyring', 'rich',"
        " 'scalecodec', 'sqlite3') if m in sys.modules]\n    print(heavy, file=sys.stderr)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=taoctl.env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["wallets"][0]["ss58_address"] == ALICE
    assert proc.stderr.strip().splitlines()[-1] == "[]"


def test_keyring_unavailable_is_said_clearly(taoctl):
    regen_alice(taoctl, "a")
    proc = taoctl.run("wallet", "remember-password", "--name", "a", "--json")
    error = error_of(proc)
    assert proc.returncode == 3 and error["type"] == "KeyringUnavailable"
    assert "--password-file" in error["message"]


def test_empty_password_file_is_refused(taoctl, tmp_path):
    empty = tmp_path / "pw"
    empty.write_text("\n")
    proc = taoctl.run("wallet", "new-coldkey", "--name", "e", "--password-file", empty, "--json")
    assert proc.returncode == 2 and error_of(proc)["type"] == "EmptyPassword"
    assert not (wallets(taoctl) / "e").exists()


def test_legacy_ansible_vault_coldkey_opens_with_a_warning(taoctl):
    from tests.wallet.vectors import ansible_vault
    from wallet import keys
    from wallet.keyfile import keyfile_json

    regen_alice(taoctl, "legacy")
    coldkey = wallets(taoctl) / "legacy" / "coldkey"
    key = keys.keydata_of(keys.keypair_from_mnemonic(MNEMONIC))
    coldkey.write_bytes(ansible_vault(keyfile_json(key), "vault-pw"))
    (coldkey.parent / "coldkeypub.txt").write_bytes(keyfile_json(key, public_only=True))
    proc = taoctl.run(
        "wallet",
        "sign",
        "--name",
        "legacy",
        "-m",
        "x",
        "--json",
        env={"TAOCTL_PASSWORD": "vault-pw"},
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["signer_address"] == MNEMONIC_SS58
    assert "legacy" in proc.stderr and "change-password" in proc.stderr
    wrong = taoctl.run(
        "wallet", "sign", "--name", "legacy", "-m", "x", "--json", env={"TAOCTL_PASSWORD": "nope"}
    )
    assert wrong.returncode == 3 and "TAOCTL_PASSWORD" in error_of(wrong)["message"]
    assert "nope" not in wrong.stdout + wrong.stderr
    # the other password sources, cheap to test on this legacy file
    piped = taoctl.json(
        "wallet", "sign", "--name", "legacy", "-m", "x", "--password-stdin", input="vault-pw\n"
    )
    assert piped["signer_address"] == MNEMONIC_SS58
    old_env = taoctl.json(
        "wallet", "sign", "--name", "legacy", "-m", "x", env={"BT_COLD_PW_LEGACY": "vault-pw"}
    )
    assert old_env["signer_address"] == MNEMONIC_SS58
    # the first source that answers wins: a wrong --password-file is not rescued by the env
    bad = taoctl.home / "bad-pw"
    bad.write_text("wrong")
    proc = taoctl.run(
        "wallet",
        "sign",
        "--name",
        "legacy",
        "-m",
        "x",
        "--password-file",
        bad,
        "--json",
        env={"TAOCTL_PASSWORD": "vault-pw"},
    )
    assert proc.returncode == 3 and "--password-file" in error_of(proc)["message"]


# --- encrypted keys ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.real_kdf
def test_real_argon2i_through_the_command(taoctl, tmp_path):
    """The installed command with the real Argon2i: one derivation to write, one to unlock, and
    the file opens with the real KDF in this process too (bittensor-wallet's format)."""
    from wallet import keyfile
    from wallet.directory import Wallet

    pw_file = tmp_path / "pw"
    pw_file.write_text("Tr0ub4dor&3\n")
    doc = taoctl.json("wallet", "regen-coldkey", "--name", "real", "--mnemonic", "-",
                      "--password-file", pw_file, input=MNEMONIC + "\n")
    assert doc["keys"][0]["encrypted"] is True
    signed = taoctl.json("wallet", "sign", "--name", "real", "-m", "m",
                         env={"TAOCTL_PASSWORD": "Tr0ub4dor&3"})
    assert signed["signer_address"] == MNEMONIC_SS58
    keyfile._derived.clear()
    wallet = Wallet("real", wallets(taoctl))
    assert wallet.coldkey_keypair("Tr0ub4dor&3").ss58_address == MNEMONIC_SS58


def test_encrypted_wallet_from_a_script(taoctl, tmp_path):
    """Create encrypted keys without a prompt, then unlock them from each password source."""
    pw_file = tmp_path / "pw"
    pw_file.write_text("Tr0ub4dor&3\n")
    doc = taoctl.json(
        "wallet",
        "regen-coldkey",
        "--name",
        "enc",
        "--mnemonic",
        MNEMONIC,
        "--password-file",
        pw_file,
    )
    assert doc["keys"][0]["encrypted"] is True
    coldkey = wallets(taoctl) / "enc" / "coldkey"
    assert coldkey.read_bytes().startswith(b"$NACL")
    listed = taoctl.json("wallet", "list")["wallets"][0]
    assert listed["encrypted"] and listed["ss58_address"] == MNEMONIC_SS58

    # btcli's BT_PW_ variable in its XOR-base64 form
    from wallet.passwords import bt_pw_encode, bt_pw_env_name

    name = bt_pw_env_name(coldkey)
    signed = taoctl.json(
        "wallet", "sign", "--name", "enc", "-m", "m", env={name: bt_pw_encode(name, "Tr0ub4dor&3")}
    )
    assert signed["signer_address"] == MNEMONIC_SS58
    # a wrong password: exit 3, one line, the password never echoed
    proc = taoctl.run(
        "wallet",
        "sign",
        "--name",
        "enc",
        "-m",
        "m",
        "--json",
        env={"TAOCTL_PASSWORD": "hunter2-wrong"},
    )
    assert proc.returncode == 3 and error_of(proc)["type"] == "PasswordError"
    assert "hunter2-wrong" not in proc.stdout + proc.stderr


def test_change_remember_and_forget_password(taoctl, tmp_path):
    here = Path(__file__).resolve().parents[1] / "wallet"
    ring = {
        "PYTHON_KEYRING_BACKEND": "memkeyring.FileKeyring",
        "PYTHONPATH": str(here),
        "TAOCTL_TEST_KEYRING": str(tmp_path / "ring.json"),
    }
    regen_alice(taoctl, "a")
    new = tmp_path / "new"
    new.write_text("n3w-password")
    doc = taoctl.json("wallet", "change-password", "--name", "a", "--new-password-file", new)
    assert doc["encrypted"] is True and doc["previous_encryption"] is None
    coldkey = wallets(taoctl) / "a" / "coldkey"
    assert coldkey.read_bytes().startswith(b"$NACL")

    doc = taoctl.json(
        "wallet", "remember-password", "--name", "a", "--password-file", new, env=ring
    )
    assert doc["remembered"] is True and doc["keyring_user"] == str(coldkey)
    stored = json.loads((tmp_path / "ring.json").read_text())
    assert stored == {f"taoctl\0{coldkey}": "n3w-password"}
    # the keyring unlocks the key (no other source is given), and a password change keeps
    # the keyring in step
    doc = taoctl.json(
        "wallet", "change-password", "--name", "a", env={**ring, "TAOCTL_NEW_PASSWORD": "third"}
    )
    assert doc["ss58_address"] == ALICE and doc["keyring_updated"] is True
    stored = json.loads((tmp_path / "ring.json").read_text())
    assert stored == {f"taoctl\0{coldkey}": "third"}
    doc = taoctl.json("wallet", "forget-password", "--name", "a", env=ring)
    assert doc["forgotten"] is True
    assert json.loads((tmp_path / "ring.json").read_text()) == {}
    proc = taoctl.run("wallet", "sign", "--name", "a", "-m", "m", "--json", env=ring)
    assert proc.returncode == 3 and "encrypted" in error_of(proc)["message"]
    assert os.path.exists(coldkey)


def test_regen_from_a_polkadot_js_backup(taoctl, tmp_path):
    from tests.wallet.vectors import POLKADOT_JS_BACKUP

    backup = tmp_path / "account.json"
    backup.write_text(POLKADOT_JS_BACKUP)
    args = ("wallet", "regen-coldkey", "--name", "pj", "--json-path", backup, "--no-use-password")
    doc = taoctl.json(*args, "--json-password", "Password123")
    assert doc["coldkey_ss58"] == "5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f"
    proc = taoctl.run(*args, "--overwrite", "--json-password", "wrong", "--json")
    assert proc.returncode == 3 and error_of(proc)["type"] == "PasswordError"
    proc = taoctl.run(*args, "--overwrite", "--json")  # no password and no terminal
    assert proc.returncode == 2
    signed = taoctl.json("wallet", "sign", "--name", "pj", "-m", "m")
    ok = taoctl.json(
        "wallet",
        "verify",
        "-m",
        "m",
        "-s",
        signed["signature"],
        "-p",
        doc["coldkey_ss58"],
        "--crypto-type",
        "sr25519",
    )
    assert ok["valid"] is True
    proc = taoctl.run(
        "wallet",
        "verify",
        "-m",
        "m",
        "-s",
        signed["signature"],
        "-p",
        doc["coldkey_ss58"],
        "--crypto-type",
        "ed25519",
        "--json",
    )
    assert proc.returncode == 1 and json.loads(proc.stdout)["valid"] is False

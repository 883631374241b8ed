"""The wallet directory: layout, permissions, atomic writes, overwrite refusal, bad inputs."""

from __future__ import annotations

import os
import stat

import pytest

from cli.errors import room_exit_code
from tests.wallet.vectors import MNEMONIC, MNEMONIC_SS58
from wallet import Wallet, fsio, keys
from wallet.errors import InvalidWalletName, KeyExists, KeyFileError, KeyNotFound, PasswordError
from wallet.listing import inspect_wallet, list_wallets

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def wallet(tmp_path, fast_kdf) -> Wallet:
    w = Wallet("w1", tmp_path / "wallets", "hk")
    w.write_coldkey(keys.keypair_from_mnemonic(MNEMONIC), "pw")
    w.write_hotkey(keys.keypair_from_uri("//Alice"))
    return w


def test_layout_and_permissions(wallet, tmp_path):
    root = tmp_path / "wallets" / "w1"
    for path in (
        root / "coldkey",
        root / "coldkeypub.txt",
        root / "hotkeys" / "hk",
        root / "hotkeys" / "hkpub.txt",
    ):
        assert path.is_file() and mode(path) == 0o600
    for path in (tmp_path / "wallets", root, root / "hotkeys"):
        assert mode(path) == 0o700
    assert (root / "coldkey").read_bytes().startswith(b"$NACL")
    assert not (root / "hotkeys" / "hk").read_bytes().startswith(b"$NACL")
    assert [p.name for p in root.rglob(".*")] == []  # no temp files left behind


def test_directories_are_private_even_with_a_loose_umask(tmp_path, fast_kdf):
    old = os.umask(0o022)
    try:
        Wallet("w2", tmp_path / "deep" / "wallets").write_coldkeypub(keys.keypair_from_uri("//Bob"))
    finally:
        os.umask(old)
    assert mode(tmp_path / "deep") == 0o700
    assert mode(tmp_path / "deep" / "wallets" / "w2" / "coldkeypub.txt") == 0o600


def test_public_addresses_without_decryption(wallet, fast_kdf):
    fast_kdf.clear()
    assert wallet.coldkeypub_ss58 == MNEMONIC_SS58
    assert wallet.hotkey_ss58() == ALICE
    assert wallet.hotkey_names() == ["hk"]
    assert fast_kdf == []


def test_unlock_with_the_right_and_wrong_password(wallet):
    assert wallet.coldkey_keypair("pw").ss58_address == MNEMONIC_SS58
    with pytest.raises(PasswordError, match="wrong password"):
        wallet.coldkey_keypair("nope")
    with pytest.raises(PasswordError, match="no password"):
        wallet.coldkey_keypair(None)
    assert wallet.hotkey_keypair().ss58_address == ALICE


def test_password_candidates_first_that_fits_wins(wallet):
    seen = []

    def candidates(path, role):
        for pw in ("a", "b", "pw", "never"):
            seen.append(pw)
            yield pw

    assert wallet.coldkey_keypair(candidates).ss58_address == MNEMONIC_SS58
    assert seen == ["a", "b", "pw"]


def test_overwrite_is_refused_and_nothing_changes(wallet):
    before = wallet.coldkey_file.read_bytes(), wallet.coldkeypub_file.read_bytes()
    with pytest.raises(KeyExists, match="--overwrite"):
        wallet.write_coldkey(keys.keypair_from_uri("//Bob"), None)
    assert (wallet.coldkey_file.read_bytes(), wallet.coldkeypub_file.read_bytes()) == before
    with pytest.raises(KeyExists):
        wallet.write_hotkey(keys.keypair_from_uri("//Bob"))
    wallet.write_hotkey(keys.keypair_from_uri("//Bob"), overwrite=True)
    assert wallet.hotkey_ss58() == keys.keypair_from_uri("//Bob").ss58_address


def test_interrupted_write_leaves_the_old_file(wallet, monkeypatch):
    before = wallet.hotkey_file().read_bytes()

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fsio.os, "replace", crash)
    with pytest.raises(KeyFileError, match="cannot write"):
        wallet.write_hotkey(keys.keypair_from_uri("//Bob"), overwrite=True)
    assert wallet.hotkey_file().read_bytes() == before
    assert sorted(p.name for p in wallet.hotkey_file().parent.iterdir()) == ["hk", "hkpub.txt"]


def test_interrupted_write_before_fsync_leaves_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "keyfile"
    fsio.atomic_write(target, b"old")

    def crash(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(fsio.os, "fsync", crash)
    with pytest.raises(KeyboardInterrupt):
        fsio.atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keyfile"]


def test_missing_wallet_and_hotkey(tmp_path, wallet):
    with pytest.raises(KeyNotFound, match="wallet 'nope' not found"):
        Wallet("nope", tmp_path / "wallets").coldkeypub()
    with pytest.raises(KeyNotFound, match="hotkey 'ghost'"):
        wallet.hotkey_ss58("ghost")
    with pytest.raises(KeyNotFound):
        wallet.hotkey_keypair("ghost")


def test_keyfile_that_is_a_directory(tmp_path, fast_kdf):
    w = Wallet("w3", tmp_path)
    (w.root / "coldkey").mkdir(parents=True)
    with pytest.raises(KeyFileError, match="is a directory"):
        w.coldkey_keypair("pw")


def test_corrupt_and_truncated_keyfiles(wallet):
    data = wallet.hotkey_file().read_bytes()
    wallet.hotkey_file().write_bytes(data[:40])
    wallet.hotkeypub_file().unlink()
    with pytest.raises(KeyFileError, match="corrupt or truncated"):
        wallet.hotkey_keypair()
    wallet.coldkey_file.write_bytes(wallet.coldkey_file.read_bytes()[:30])
    with pytest.raises(KeyFileError, match="truncated"):
        wallet.coldkey_keypair("pw")
    wallet.coldkey_file.write_bytes(b"")
    with pytest.raises(KeyFileError, match="empty"):
        wallet.coldkey_keypair("pw")


def test_wallet_that_is_a_file_is_refused(tmp_path):
    (tmp_path / "flat").write_text("not a dir")
    with pytest.raises(KeyFileError, match="not a directory"):
        Wallet("flat", tmp_path).coldkeypub()
    with pytest.raises(KeyFileError, match="not a directory"):
        inspect_wallet(tmp_path, "flat")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory")
def test_unreadable_wallet_directory(wallet):
    os.chmod(wallet.root, 0)
    try:
        with pytest.raises(KeyFileError, match="not readable"):
            wallet.coldkeypub()
        with pytest.raises(KeyFileError, match="not readable"):
            inspect_wallet(wallet.path, wallet.name)
    finally:
        os.chmod(wallet.root, 0o700)


def test_unreadable_wallet_path_in_listing(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(KeyFileError, match="not a directory"):
        list_wallets(tmp_path / "file")
    assert list_wallets(tmp_path / "absent") == []


def test_invalid_names_are_refused(tmp_path):
    for name in ("", "..", "a/b"):
        with pytest.raises(InvalidWalletName) as info:
            Wallet(name, tmp_path)
        assert room_exit_code(type(info.value)) == 2  # bad input
        with pytest.raises(InvalidWalletName):
            Wallet("ok", tmp_path, hotkey=name or ".")


def test_legacy_keyfile_is_re_encrypted_as_nacl(wallet):
    from tests.wallet.vectors import ansible_vault
    from wallet.keyfile import keyfile_json

    key = keys.keydata_of(keys.keypair_from_uri("//Bob"))
    wallet.hotkey_file().write_bytes(ansible_vault(keyfile_json(key), "old"))
    wallet.hotkeypub_file().write_bytes(keyfile_json(key, public_only=True))
    assert wallet.hotkey_keypair(passwords="old").ss58_address == key.ss58_address
    wallet.rewrite_keyfile(wallet.hotkey_file(), "hotkey", "old", "old")
    assert wallet.hotkey_file().read_bytes().startswith(b"$NACL")
    assert wallet.hotkey_keypair(passwords="old").ss58_address == key.ss58_address


def test_rewrite_keyfile_changes_the_password(wallet):
    key = wallet.rewrite_keyfile(wallet.coldkey_file, "coldkey", "pw", "new-pw")
    assert key.ss58_address == MNEMONIC_SS58
    with pytest.raises(PasswordError):
        wallet.coldkey_keypair("pw")
    assert wallet.coldkey_keypair("new-pw").ss58_address == MNEMONIC_SS58
    wallet.rewrite_keyfile(wallet.coldkey_file, "coldkey", "new-pw", None)
    assert wallet.coldkey_keypair(None).ss58_address == MNEMONIC_SS58


def test_listing_marks_encrypted_missing_and_pub_only(wallet, tmp_path):
    wallet.write_hotkey(keys.keypair_from_uri("//Bob"), "enc", password="pw")
    wallet.write_hotkeypub(keys.keypair_from_uri("//Charlie"), "watch")
    (wallet.root / "hotkeys" / "oldstyle").write_bytes(
        (wallet.root / "hotkeys" / "hk").read_bytes()
    )  # no pub file: read the keyfile
    Wallet("pubonly", wallet.path).write_coldkeypub(keys.keypair_from_uri("//Dave"))
    (wallet.path / "empty").mkdir()
    listed = {w["name"]: w for w in list_wallets(wallet.path)}
    assert sorted(listed) == ["empty", "pubonly", "w1"]
    w1 = listed["w1"]
    assert w1["ss58_address"] == MNEMONIC_SS58 and w1["encrypted"]
    hotkeys = {h["name"]: h for h in w1["hotkeys"]}
    assert hotkeys["hk"]["ss58_address"] == ALICE and not hotkeys["hk"]["encrypted"]
    assert hotkeys["enc"]["encrypted"] and hotkeys["enc"]["ss58_address"]
    assert hotkeys["watch"]["keyfile"] == "missing" and hotkeys["watch"]["has_pub"]
    assert hotkeys["oldstyle"]["ss58_address"] == ALICE and not hotkeys["oldstyle"]["has_pub"]
    assert listed["pubonly"]["keyfile"] == "missing" and listed["pubonly"]["ss58_address"]
    assert listed["empty"]["ss58_address"] is None and listed["empty"]["hotkeys"] == []
    assert wallet.is_encrypted(wallet.coldkey_file)
    assert not wallet.is_encrypted(wallet.hotkey_file())


def test_listing_reports_a_corrupt_pub_file(wallet):
    wallet.hotkeypub_file().write_text('{"publicKey": "0x12"')
    wallet.hotkey_file().write_bytes(b"$NACL" + bytes(40))  # encrypted: no fallback
    (hk,) = list_wallets(wallet.path)[0]["hotkeys"]
    assert hk["ss58_address"] is None and "corrupt" in hk["error"]
    from cli.wallet import _key_label

    assert "(corrupt)" in _key_label(hk) and "<ENCRYPTED>" in _key_label(hk)


KILL_LOOP = r"""
import sys
from pathlib import Path
from wallet.fsio import atomic_write
target = Path(sys.argv[1])
payloads = [b"A" * 70000, b"B" * 90000]
i = 0
print("ready", flush=True)
while True:
    atomic_write(target, payloads[i % 2])
    i += 1
"""


def test_kill_9_during_writes_never_leaves_a_partial_keyfile(tmp_path):
    """A writer killed at random moments leaves either the old or the new file, never a mix."""
    import random
    import signal
    import subprocess
    import sys
    import time

    target = tmp_path / "coldkey"
    fsio.atomic_write(target, b"A" * 70000)
    rng = random.Random(7)
    for _ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", KILL_LOOP, str(target)],
            stdout=subprocess.PIPE,
            cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
        )
        assert proc.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0.0, 0.05))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        data = target.read_bytes()
        assert data in (b"A" * 70000, b"B" * 90000)
        assert mode(target) == 0o600


def test_unreadable_wallet_directory_message(wallet, monkeypatch):
    """The permission check itself (root passes every real permission check)."""
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(KeyFileError, match="not readable"):
        wallet.coldkeypub()
    with pytest.raises(KeyFileError, match="not readable"):
        inspect_wallet(wallet.path, wallet.name)
    with pytest.raises(KeyFileError, match="not writable"):
        wallet.write_hotkey(keys.keypair_from_uri("//Bob"), "new")

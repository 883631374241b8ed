"""A key and its pub file are written as one step: the second of two concurrent creators gets
KeyExists, a crash at any moment leaves the old pair or the new pair, and a mismatched pair
found on disk is an error naming both addresses (issue 12, observations 3 and 4)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from wallet import pairwrite
from wallet.directory import Wallet
from wallet.errors import KeyExists, KeyFileError
from wallet.keyfile import keyfile_json
from wallet.keys import keydata_of, keypair_from_uri

ROOT = Path(__file__).resolve().parents[2]
OLD, NEW = keypair_from_uri("//Old"), keypair_from_uri("//New")


def _pair(wallet: Wallet, name: str = "hk") -> tuple[str, str]:
    """(address in the hotkey file, address the pub file gives), read as taoctl reads them."""
    shown = wallet.hotkey_ss58(name)
    held = wallet.hotkey_keypair(name).ss58_address
    return held, shown


def test_concurrent_creators_one_wins_the_other_gets_key_exists(tmp_path):
    for trial in range(20):
        wallet = Wallet("w", tmp_path)
        name = f"race{trial}"
        start = threading.Barrier(2)
        results: list = [None, None]

        def create(i, keypair):
            start.wait()
            try:
                Wallet("w", tmp_path).write_hotkey(keypair, name)
                results[i] = keypair.ss58_address
            except KeyExists as exc:
                results[i] = exc

        threads = [threading.Thread(target=create, args=(i, kp)) for i, kp in
                   enumerate((OLD, NEW))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        winners = [r for r in results if isinstance(r, str)]
        assert len(winners) == 1, results
        assert _pair(wallet, name) == (winners[0], winners[0])


def test_concurrent_cli_new_hotkey_without_overwrite(taoctl):
    from tests.conftest import taoctl_path

    taoctl.json("wallet", "new-coldkey", "--uri", "//Alice", "--no-use-password")
    for trial in range(3):
        procs = [subprocess.Popen([taoctl_path(), "wallet", "new-hotkey", "--hotkey",
                                   f"race{trial}", "--uri", uri, "--json"],
                                  env=taoctl.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  stdin=subprocess.DEVNULL, text=True)
                 for uri in ("//One", "//Two")]
        outs = [(p.wait(60), json.loads(p.communicate()[0])) for p in procs]
        codes = sorted(code for code, _ in outs)
        assert codes == [0, 3], outs
        loser = next(doc for code, doc in outs if code == 3)
        assert loser["error"]["type"] == "KeyExists"


def test_a_crash_between_the_renames_leaves_the_new_pair(tmp_path, monkeypatch):
    wallet = Wallet("w", tmp_path)
    wallet.write_hotkey(OLD, "hk")
    real = os.replace
    calls = []

    def crash_after_first(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed between the two renames")
        return real(src, dst)

    monkeypatch.setattr(pairwrite.os, "replace", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        wallet.write_hotkey(NEW, "hk", overwrite=True)
    monkeypatch.setattr(pairwrite.os, "replace", real)
    # the key file is new and the pub file still old on disk: the next reader finishes the write
    assert _pair(Wallet("w", tmp_path), "hk") == (NEW.ss58_address, NEW.ss58_address)
    assert not [p for p in (tmp_path / "w").rglob(".*")]


def test_a_listing_after_a_crash_shows_the_new_pair(tmp_path, monkeypatch):
    from wallet.listing import inspect_wallet

    Wallet("w", tmp_path).write_coldkey(OLD)
    real = os.replace
    calls = []

    def crash_after_first(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt("killed between the two renames")
        return real(src, dst)

    monkeypatch.setattr(pairwrite.os, "replace", crash_after_first)
    with pytest.raises(KeyboardInterrupt):
        Wallet("w", tmp_path).write_coldkey(NEW, overwrite=True)
    monkeypatch.setattr(pairwrite.os, "replace", real)
    assert inspect_wallet(tmp_path, "w")["ss58_address"] == NEW.ss58_address


def test_a_crash_before_the_commit_leaves_the_old_pair(tmp_path, monkeypatch):
    wallet = Wallet("w", tmp_path)
    wallet.write_coldkey(OLD)

    def crash(*args, **kw):
        raise KeyboardInterrupt("killed before the commit")

    monkeypatch.setattr(pairwrite, "atomic_write", crash)
    with pytest.raises(KeyboardInterrupt):
        wallet.write_coldkey(NEW, overwrite=True)
    assert wallet.coldkeypub_ss58 == OLD.ss58_address
    assert wallet.coldkey_keypair().ss58_address == OLD.ss58_address


_WRITER = textwrap.dedent("""
    import sys
    from wallet.directory import Wallet
    from wallet.keys import keypair_from_uri
    keys = [keypair_from_uri(f"//K{i}") for i in range(4)]
    wallet = Wallet("w", sys.argv[1])
    print("ready", flush=True)
    i = 0
    while True:
        wallet.write_coldkey(keys[i % 4], overwrite=True)
        wallet.write_hotkey(keys[(i + 1) % 4], "hk", overwrite=True)
        i += 1
""")


@pytest.mark.slow
def test_kill_9_at_random_moments_never_splits_a_pair(tmp_path):
    rng = random.Random(12)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for _ in range(12):
        proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(tmp_path)], env=env,
                                stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        wallet = Wallet("w", tmp_path)
        if wallet.coldkey_file.exists():
            assert wallet.coldkeypub_ss58 == wallet.coldkey_keypair().ss58_address
        if wallet.hotkey_file("hk").exists():
            held, shown = _pair(wallet)
            assert held == shown


def test_a_mismatched_pair_names_both_addresses(tmp_path):
    wallet = Wallet("w", tmp_path)
    wallet.write_hotkey(OLD, "hk")
    wallet.hotkeypub_file("hk").write_bytes(keyfile_json(keydata_of(NEW), public_only=True))
    for read in (lambda: wallet.hotkey_ss58("hk"), lambda: wallet.hotkey_keypair("hk")):
        with pytest.raises(KeyFileError) as info:
            read()
        assert OLD.ss58_address in str(info.value) and NEW.ss58_address in str(info.value)


def test_a_mismatched_encrypted_coldkey_is_refused_before_signing(tmp_path, fast_kdf):
    wallet = Wallet("w", tmp_path)
    wallet.write_coldkey(OLD, password="pw")
    wallet.coldkeypub_file.write_bytes(keyfile_json(keydata_of(NEW), public_only=True))
    assert wallet.coldkeypub_ss58 == NEW.ss58_address  # encrypted: nothing to compare yet
    with pytest.raises(KeyFileError) as info:
        wallet.coldkey_keypair("pw")
    assert OLD.ss58_address in str(info.value) and NEW.ss58_address in str(info.value)

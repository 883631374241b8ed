"""`taoctl wallet` on a terminal: the questions it asks (overwrite, password, legacy upgrade)
are answered through a pseudo-terminal, and -y never asks."""

from __future__ import annotations

import os
import pty
import select
import sys
import time

import pytest

from tests.conftest import taoctl_path

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


def run_in_pty(taoctl, args, answers, timeout=30.0) -> tuple[int, str]:
    """Run taoctl with a pty as its terminal; reply to each expected prompt in turn."""
    argv = [taoctl_path(), *map(str, args)]
    env = {**taoctl.env, "TERM": "dumb"}
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.execve(argv[0], argv, env)
        finally:
            os._exit(127)
    output = b""
    deadline = time.monotonic() + timeout

    def read_some() -> bool:
        nonlocal output
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise AssertionError(f"timed out; output so far: {output!r}")
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            return False
        output += chunk
        return bool(chunk)

    try:
        for expect, reply in answers:
            while expect.encode() not in output:
                if not read_some():
                    raise AssertionError(f"no prompt {expect!r}; output: {output!r}")
            output = output.replace(expect.encode(), b"<asked>", 1)
            os.write(fd, reply.encode() + b"\n")
        while read_some():
            pass
    finally:
        stop = time.monotonic() + 10
        done, status = os.waitpid(pid, os.WNOHANG)
        while done == 0 and time.monotonic() < stop:
            time.sleep(0.05)
            done, status = os.waitpid(pid, os.WNOHANG)
        if done == 0:  # still waiting for input: stop it
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
        os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode(errors="replace")


def coldkey(taoctl, name):
    return taoctl.home / ".bittensor" / "wallets" / name / "coldkey"


def test_overwrite_is_asked_on_a_terminal(taoctl):
    taoctl.json("wallet", "regen-coldkey", "--name", "a", "--uri", "//Alice", "--no-use-password")
    before = coldkey(taoctl, "a").read_bytes()
    args = ("wallet", "regen-coldkey", "--name", "a", "--uri", "//Bob", "--no-use-password")
    code, out = run_in_pty(taoctl, args, [("Overwrite?", "n")])
    assert code == 3 and "--overwrite" in out
    assert coldkey(taoctl, "a").read_bytes() == before
    code, out = run_in_pty(taoctl, args, [("Overwrite?", "y")])
    assert code == 0, out
    assert BOB in coldkey(taoctl, "a").read_text()


def test_no_prompt_never_asks(taoctl):
    taoctl.json("wallet", "regen-coldkey", "--name", "a", "--uri", "//Alice", "--no-use-password")
    args = ("wallet", "regen-coldkey", "--name", "a", "--uri", "//Bob", "--no-use-password", "-y")
    code, out = run_in_pty(taoctl, args, [], timeout=30)
    assert code == 3 and "Overwrite?" not in out
    code, out = run_in_pty(taoctl, ("wallet", "new-coldkey", "--name", "b", "-y"), [], timeout=30)
    assert code == 3 and "--password-file" in out
    assert not coldkey(taoctl, "b").exists()


def _legacy_wallet(taoctl):
    from tests.wallet.vectors import ansible_vault
    from wallet import keys
    from wallet.keyfile import keyfile_json

    taoctl.json("wallet", "regen-coldkey", "--name", "old", "--uri", "//Alice", "--no-use-password")
    key = keys.keydata_of(keys.keypair_from_uri("//Alice"))
    coldkey(taoctl, "old").write_bytes(ansible_vault(keyfile_json(key), "vault-pw"))


def test_password_prompt_retries_then_fails(taoctl):
    _legacy_wallet(taoctl)
    prompts = [
        ("Password for the coldkey", "bad1"),
        ("Password for the coldkey", "bad2"),
        ("Password for the coldkey", "bad3"),
    ]
    code, out = run_in_pty(taoctl, ("wallet", "sign", "--name", "old", "-m", "x"), prompts)
    assert code == 3 and "wrong password" in out
    assert "bad1" not in out and "bad3" not in out  # typed passwords are not echoed


def test_password_prompt_and_legacy_upgrade_declined(taoctl):
    _legacy_wallet(taoctl)
    code, out = run_in_pty(
        taoctl,
        ("wallet", "sign", "--name", "old", "-m", "x"),
        [("Password for the coldkey", "vault-pw"), ("Re-encrypt it", "n")],
    )
    assert code == 0, out
    assert ALICE in out
    assert "vault-pw" not in out
    assert coldkey(taoctl, "old").read_bytes().startswith(b"$ANSIBLE_VAULT")


@pytest.mark.slow
def test_new_coldkey_asks_the_password_twice(taoctl):
    """The interactive path: a mismatch is asked again; the key is written with $NACL."""
    answers = [
        ("New password for the coldkey", "first-pass"),
        ("Retype the password", "other-pass"),
        ("New password for the coldkey", "second-pass"),
        ("Retype the password", "second-pass"),
    ]
    code, out = run_in_pty(taoctl, ("wallet", "new-coldkey", "--name", "p"), answers, timeout=90)
    assert code == 0, out
    assert "do not match" in out and "IMPORTANT" in out
    assert "second-pass" not in out
    assert coldkey(taoctl, "p").read_bytes().startswith(b"$NACL")

"""btcli as an external client of `taoctl node serve`: `wallet balance`, `subnets list`,
`wallet transfer` and `stake add --no-mev-protection`, each checked against the chain file.

btcli 9.23.2 comes from its pinned venv (`tests.clients.venvs`, made once under
~/.cache/taoctl-tests/clients; `TAOCTL_BTCLI` points at another btcli). A venv that cannot be
made fails these tests: they never skip. The full client flows are in tests/clients/.
btcli exits 0 on failure and prints nothing under --json-output: it is judged by its JSON and by
the chain state.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from chain.local.backend import LocalBackend
from chain.local.chain import LocalChain
from tests.clients.conftest import fees_paid
from tests.node.conftest import serving
from wallet.directory import Wallet
from wallet.keys import keypair_from_uri
from wallet.ss58 import ss58_encode

pytestmark = pytest.mark.slow

TAO = 10**9
ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]


def btcli_path() -> str:
    """btcli 9.23.2 from its pinned venv (`tests/clients/btcli9.txt`, made once and cached);
    `TAOCTL_BTCLI` points at another btcli."""
    given = os.environ.get("TAOCTL_BTCLI")
    if given:
        return given
    from tests.clients import venvs

    try:
        venv, _ = venvs.ensure("btcli9")
    except venvs.VenvError as exc:
        pytest.fail(str(exc))
    return str(venv / "bin" / "btcli")


@pytest.fixture(scope="module")
def btcli():
    return btcli_path()


@pytest.fixture()
def served(tmp_path):
    """A dev chain (a few blocks in, as a live chain is) served on a free port."""
    path = tmp_path / "chain.db"
    with LocalChain.create(path, "dev") as chain:
        charge_fees(chain)
        chain.advance(3)
    with serving(path) as (_, url, _):
        yield url, path


def run(btcli: str, home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BT_", "TAOCTL_"))}
    env.update(HOME=str(home), COLUMNS="200", NO_COLOR="1")
    return subprocess.run([btcli, *args], capture_output=True, text=True, timeout=120, env=env,
                          stdin=subprocess.DEVNULL)


def as_json(proc: subprocess.CompletedProcess) -> dict:
    assert proc.stdout.strip(), f"btcli printed nothing (stderr: {proc.stderr[-500:]})"
    return json.loads(proc.stdout)


def charge_fees(chain: LocalChain) -> None:
    """Spec 461's fee schedule, as the runtime btcli targets (the dev preset charges none)."""
    from chain.pallets import taoctl

    with chain.writing() as state:
        state.set(taoctl.FEE_SCHEDULE, "spec461")


def head(path: Path) -> int:
    with LocalChain.open(path) as chain:
        return chain.open_number() - 1


def read_free(path: Path, *keys: bytes) -> list[int]:
    backend = LocalBackend(path)
    try:
        return [backend.read("System.Account", k).free for k in keys]
    finally:
        backend.close()


def test_wallet_balance(btcli, served, tmp_path):
    url, path = served
    doc = as_json(run(btcli, tmp_path, "wallet", "balance", "--ss58", ss58_encode(ALICE),
                      "--network", url, "--json-output"))
    (row,) = doc["balances"].values()
    assert row["coldkey"] == ss58_encode(ALICE)
    assert round(row["free"] * TAO) == read_free(path, ALICE)[0]


def test_subnets_list(btcli, served, tmp_path):
    url, path = served
    doc = as_json(run(btcli, tmp_path, "subnets", "list", "--network", url, "--json-output"))
    backend = LocalBackend(path)
    try:
        with backend.chain.reading() as state:
            from chain.pallets import subtensor_module as sm

            added = sorted(k[0] for k, v in state.iter(sm.NETWORKS_ADDED) if v)
    finally:
        backend.close()
    listed = sorted(int(n) for n in doc["subnets"])
    assert listed == added


def test_wallet_transfer(btcli, served, tmp_path):
    url, path = served
    wallets = tmp_path / "wallets"
    keypair = keypair_from_uri("//Alice")
    Wallet("alice", wallets).write_coldkey(keypair, None)
    before = read_free(path, ALICE, BOB)
    proc = run(btcli, tmp_path, "wallet", "transfer", "--dest", ss58_encode(BOB), "--amount",
               "2.5", "--wallet-name", "alice", "--wallet-path", str(wallets), "--network", url,
               "--no-prompt", "--json-output")
    doc = as_json(proc)
    assert doc.get("success") is True, doc
    after = read_free(path, ALICE, BOB)
    (fee,) = fees_paid(path, ALICE, head(path))  # the chain's fee, paid by the sender
    assert fee > 0
    assert after == [before[0] - 2_500_000_000 - fee, before[1] + 2_500_000_000]


@pytest.fixture()
def served_subnet(tmp_path):
    """A dev chain with subnet 1 created and started by Alice (hotkey //AliceHot), served."""
    from chain.local.accounts import dev_signer
    from chain.local.extrinsic import Call

    from chain.pallets.subtensor_module import START_CALL_DELAY

    path = tmp_path / "chain.db"
    hotkey = keypair_from_uri("//AliceHot")
    alice = dev_signer("Alice")
    with LocalChain.create(path, "dev") as chain:
        charge_fees(chain)
        assert chain.submit_call(alice, Call("SubtensorModule", "register_network",
                                             {"hotkey": hotkey.public_key})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(alice, Call("SubtensorModule", "start_call",
                                             {"netuid": 1})).success
        chain.advance(2)
    wallets = tmp_path / "wallets"
    Wallet("alice", wallets).write_coldkey(keypair_from_uri("//Alice"), None)
    Wallet("alice", wallets).write_hotkey(hotkey, "default", None)
    with serving(path) as (_, url, _):
        yield url, path, wallets, hotkey.public_key


def stake_in_file(path: Path, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
    from chain.local import stake_utils

    with LocalChain.open(path) as chain, chain.reading() as state:
        return stake_utils.stake_of(state, hotkey, coldkey, netuid)


def test_stake_add_without_mev_protection(btcli, served_subnet, tmp_path):
    url, path, wallets, hotkey = served_subnet
    common = ["--netuid", "1", "--amount", "5", "--wallet-name", "alice", "--wallet-path",
              str(wallets), "--wallet-hotkey", "default", "--no-mev-protection", "--no-prompt",
              "--json-output", "--network", url]
    # safe staking (0.5 % tolerance) on a young, shallow pool: the chain refuses, btcli
    # reports the module error by name, nothing is staked
    doc = as_json(run(btcli, tmp_path, "stake", "add", *common))
    (ok,) = doc["staking_success"]["1"].values()
    (message,) = doc["error_messages"]["1"].values()
    assert ok is False and "SlippageTooHigh" in message
    assert stake_in_file(path, hotkey, ALICE, 1) == 0
    before = read_free(path, ALICE)[0]
    doc = as_json(run(btcli, tmp_path, "stake", "add", *common, "--unsafe"))
    (ok,) = doc["staking_success"]["1"].values()
    assert ok is True, doc
    (fee,) = fees_paid(path, ALICE, head(path))
    assert read_free(path, ALICE)[0] == before - 5 * TAO - fee
    assert stake_in_file(path, hotkey, ALICE, 1) > 0


def test_reads_of_spec_461_flows_equal_the_sandbox(btcli, served_subnet, tmp_path):
    """`stake list`, `subnets show`, `subnets hyperparameters` and `wallet overview` (the
    flows that failed at spec 343: get_coldkey_lock, RootClaimType, hyperparams v3,
    neurons lite) answer, each equal to the chain file's figures."""
    from chain.local.accounts import dev_signer
    from chain.local.extrinsic import Call
    from chain.pallets import subtensor_module as sm

    url, path, wallets, hotkey = served_subnet
    with LocalChain.open(path) as chain:  # taoctl's own command, in the served file
        assert chain.submit_call(dev_signer("Alice"), Call(
            "SubtensorModule", "add_stake",
            {"hotkey": hotkey, "netuid": 1, "amount_staked": 7 * TAO})).success
        chain.advance(1)
        with chain.reading() as state:
            tempo = state.get(sm.TEMPO, 1)
    stake = stake_in_file(path, hotkey, ALICE, 1)
    net = ["--network", url, "--json-output"]
    doc = as_json(run(btcli, tmp_path, "stake", "list", "--ss58", ss58_encode(ALICE),
                      "--no-prompt", *net))
    (rows,) = doc["stake_info"].values()
    assert [(r["netuid"], round(r["stake_value"] * TAO)) for r in rows] == [(1, stake)]
    doc = as_json(run(btcli, tmp_path, "subnets", "show", "--netuid", "1", "--no-prompt",
                      *net))
    (uid,) = doc["uids"]
    assert uid["hotkey"] == ss58_encode(hotkey) and uid["coldkey"] == ss58_encode(ALICE)
    assert doc["tempo"]["tempo"] == tempo
    doc = as_json(run(btcli, tmp_path, "subnets", "hyperparameters", "--netuid", "1", *net))
    values = {row["hyperparameter"]: row["value"] for row in doc}
    assert values["tempo"] == tempo
    doc = as_json(run(btcli, tmp_path, "wallet", "overview", "--wallet-name", "alice",
                      "--wallet-path", str(wallets), *net))
    (subnet,) = doc["subnets"]
    (neuron,) = subnet["neurons"]
    with LocalChain.open(path) as chain, chain.reading() as state:
        total_alpha = state.get(sm.TOTAL_HOTKEY_ALPHA, hotkey, 1)
    assert (subnet["netuid"], neuron["uid"], neuron["hotkey_ss58"]) == \
        (1, 0, ss58_encode(hotkey))
    assert round(neuron["stake"] * TAO) == total_alpha
    # `subnets register --safe-register` submits register_limit (absent before spec 461)
    second = keypair_from_uri("//AliceHot2")
    Wallet("alice", wallets).write_hotkey(second, "second", None)
    doc = as_json(run(btcli, tmp_path, "subnets", "register", "--netuid", "1", "--wallet-name",
                      "alice", "--wallet-path", str(wallets), "--wallet-hotkey", "second",
                      "--safe-register", "--no-prompt", *net))
    assert doc["success"] is True, doc
    with LocalChain.open(path) as chain, chain.reading() as state:
        assert state.get(sm.UIDS, 1, second.public_key) == 1

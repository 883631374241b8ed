"""Weights, epochs and earnings through the installed CLI: a subnet with a validator and a miner,
`weights set` (refused before a permit, accepted after an epoch), `weights show`, `chain advance`
reporting the epochs and emission, the metagraph, and `simulate` leaving the file unchanged."""

from __future__ import annotations

import pytest

from chain.local.accounts import dev_signer
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call

pytestmark = pytest.mark.in_process  # what the commands do: no process start-up needed

TAO = 10**9


def _sudo(db, name: str, **args) -> None:
    with LocalChain.open(db) as chain:
        receipt = chain.submit_call(dev_signer("Alice"), Call("AdminUtils", name, args))
        assert receipt.success, receipt


@pytest.fixture
def subnet(taoctl, tmp_path):
    """A started, emitting subnet (tempo 10) with validator `val` (staked) and miner `miner`."""
    db = tmp_path / "sandbox.db"
    taoctl.env["TAOCTL_CHAIN_DB"] = str(db)
    taoctl.json("chain", "init")
    keys = {}
    for name in ("owner", "val", "miner"):
        keys[name] = taoctl.json("wallet", "create", "--wallet-name", name, "--no-use-password",
                                 "-y")
        taoctl.json("chain", "fund", keys[name]["coldkey_ss58"], "5000")
    netuid = taoctl.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    taoctl.json("subnet", "start", "--netuid", str(netuid), "--wallet-name", "owner", "-y")
    _sudo(db, "sudo_set_subnet_emission_enabled", netuid=netuid, enabled=True)
    _sudo(db, "sudo_set_tempo", netuid=netuid, tempo=10)
    for name in ("val", "miner"):
        taoctl.json("subnet", "register", "--netuid", str(netuid), "--wallet-name", name, "-y")
    taoctl.json("stake", "add", "--netuid", str(netuid), "--amount", "100", "--wallet-name",
                "val", "-y", "--unsafe")
    return db, netuid, keys


def _uid(db, netuid: int, ss58: str) -> int:
    from chain.pallets import subtensor_module as sm
    from cli.stakeopts import decode_ss58

    with LocalChain.open(db) as chain, chain.reading() as state:
        return state.get(sm.UIDS, netuid, decode_ss58(ss58, "hotkey"))


@pytest.mark.slow
def test_weights_epochs_metagraph_and_simulate(taoctl, subnet):
    db, netuid, keys = subnet
    miner_uid = _uid(db, netuid, keys["miner"]["hotkey_ss58"])
    val_uid = _uid(db, netuid, keys["val"]["hotkey_ss58"])
    args = ("weights", "set", "--netuid", str(netuid), "--uids", str(miner_uid), "--weights",
            "1", "--wallet-name", "val", "-H", "default", "-y")
    refused = taoctl.run(*args, "--json")
    assert refused.returncode == 4 and "NeuronNoValidatorPermit" in refused.stdout

    advanced = taoctl.json("chain", "advance", "12")
    assert advanced["epochs_fired"] >= 1
    done = taoctl.json(*args)
    assert done["weights_u16"] == [65535]
    shown = taoctl.json("weights", "show", "--netuid", str(netuid))
    assert shown["validators"] == [{"uid": val_uid, "last_update": done["block"],
                                    "blocks_since_update": shown["block"] - done["block"],
                                    "weights": [{"uid": miner_uid, "weight_u16": 65535,
                                                 "weight": 1.0}]}]
    again = taoctl.run(*args, "--json")  # the rate limit: 100 blocks between changes
    assert again.returncode == 4 and "SettingWeightsTooFast" in again.stdout

    before = taoctl.json("stake", "list", "--wallet-name", "miner")
    advanced = taoctl.json("chain", "advance", "30")
    assert advanced["epochs_fired"] == 3
    assert advanced["emission_paid_alpha_rao"] > 0
    after = taoctl.json("stake", "list", "--wallet-name", "miner")
    assert sum(r["alpha_rao"] for r in after["stakes"]) > \
        sum(r["alpha_rao"] for r in before["stakes"])
    # the miner never staked: everything it holds was earned
    assert [r["earned_rao"] for r in after["stakes"]] == [r["alpha_rao"] for r in after["stakes"]]
    val = taoctl.json("stake", "list", "--wallet-name", "val")["stakes"]
    assert len(val) == 1 and 0 < val[0]["earned_rao"] < val[0]["alpha_rao"]

    meta = taoctl.json("subnet", "metagraph", "--netuid", str(netuid))
    rows = {r["uid"]: r for r in meta["neurons"]}
    assert rows[miner_uid]["incentive"] == 1.0 and rows[val_uid]["dividends"] == 1.0
    assert rows[val_uid]["validator_permit"] and rows[val_uid]["active"]
    assert rows[miner_uid]["emission_rao"] > 0

    status = taoctl.json("chain", "status")
    sim = taoctl.json("simulate", "--epochs", "2", "--netuid", str(netuid), "--wallet-name",
                      "val", "--points", "4")
    assert sim["epochs"] == 2 and sim["blocks"] == 20
    assert sim["stakes"] and sim["total_earned_rao"] > 0
    assert sim["subnets"][0]["paid_rao"] > 0
    assert taoctl.json("chain", "status")["block"] == status["block"]  # nothing committed

    for args in (("subnet", "metagraph", "--netuid", str(netuid)),
                 ("weights", "show", "--netuid", str(netuid)),
                 ("simulate", "--blocks", "15", "--wallet-name", "val", "--points", "3"),
                 ("chain", "advance", "10")):
        proc = taoctl.run(*args)
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
        assert {"subnet": "VTrust", "weights": "Weights on subnet", "simulate": "Your alpha",
                "chain": "Epochs fired"}[args[0]] in proc.stdout, proc.stdout
        if args[0] == "chain":  # each subnet's payout, in alpha floored to 4 decimals
            assert f"SN{netuid} α" in proc.stdout, proc.stdout


@pytest.mark.parametrize("extra, error", [
    (("--uids", "1,2", "--weights", "1"), "2 UIDs but 1 weights"),
    (("--uids", "x", "--weights", "1"), "not a UID"),
    (("--uids", "1", "--weights", "0"), "all zero"),
    (("--uids", "1", "--weights", "-1"), "out of range"),
])
def test_bad_weights_input_is_a_one_line_error(taoctl, tmp_path, extra, error):
    taoctl.env["TAOCTL_CHAIN_DB"] = str(tmp_path / "s.db")
    proc = taoctl.run("weights", "set", "--netuid", "1", *extra, "-y", "--json")
    assert proc.returncode == 2
    assert error in proc.stdout and "Traceback" not in proc.stderr

"""Parity: one scripted CLI session run on `--network sandbox` and through `taoctl node serve`
+ `--network ws://127.0.0.1:PORT` gives the same balances, receipts and errors.

The node seals a block per extrinsic, so the sandbox run advances one block after each write
to stay block-for-block identical. Both chain files start from the same dev genesis. A node
answers at its best block, whose state is that block's end: the sandbox's reads see its open
block, whose start-of-block work (coinbase, burn decay) has run, so the sandbox side reads
`--at-block` its last sealed block wherever the command takes it (the figures the subnet's
start-of-block work moves: alpha out, burn, moving price).
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.in_process

from chain.node.server import NodeServer
from wallet.directory import Wallet
from wallet.keys import keypair_from_uri

BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
CHARLIE = "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y"

SESSION = [
    ("read", ["wallet", "balance", "--ss58", BOB, "--ss58", CHARLIE]),
    ("read", ["wallet", "balance"]),
    ("write", ["wallet", "transfer", "--dest", BOB, "--amount", "1.5", "-y"]),
    ("write", ["wallet", "transfer", "--dest", CHARLIE, "--amount", "7", "-y"]),
    ("write", ["wallet", "transfer", "--dest", BOB, "--amount", "5000", "-y"]),  # too much
    ("read", ["wallet", "balance", "--ss58", BOB, "--ss58", CHARLIE]),
]
STAKING = [
    ("write", ["subnet", "create", "--wallet-name", "owner", "--subnet-name", "parity", "-y"]),
    ("write", ["subnet", "start", "--netuid", "1", "--wallet-name", "owner", "-y"]),
    ("advance", ["chain", "advance", "50401"]),
    ("write", ["subnet", "start", "--netuid", "1", "--wallet-name", "owner", "-y"]),
    # spec 343 has no register_limit: the unsafe form (burned_register) exists on both sides
    ("write", ["subnet", "register", "--netuid", "1", "--wallet-name", "staker", "--unsafe",
               "-y"]),
    ("write", ["stake", "add", "--netuid", "1", "--amount", "10", "--wallet-name", "staker",
               "--partial", "-y"]),
    ("write", ["stake", "add", "--netuid", "1", "--amount", "500", "--wallet-name", "staker",
               "--tolerance", "0.0001", "-y"]),  # the limit cannot be met: refused
    ("read", ["stake", "list", "--wallet-name", "staker"]),
    ("write", ["weights", "set", "--netuid", "1", "--uids", "1", "--weights", "1",
               "--wallet-name", "staker", "-y"]),  # a self-weight needs no validator permit
    ("write", ["weights", "set", "--netuid", "1", "--uids", "0", "--weights", "1",
               "--wallet-name", "staker", "-y"]),  # refused: no validator permit
    ("read", ["weights", "show", "--netuid", "1"]),
    ("write", ["stake", "remove", "--netuid", "1", "--amount", "1000000 rao", "--wallet-name",
               "staker", "-y"]),
    ("advance", ["chain", "advance", "5"]),
    ("read", ["stake", "list", "--wallet-name", "staker"]),
    ("read", ["subnet", "list"]),
    ("read", ["subnet", "show", "--netuid", "1"]),
    ("read", ["subnet", "hyperparameters", "--netuid", "1"]),
    ("read", ["subnet", "burn-cost", "--netuid", "1"]),
    ("read", ["quote", "stake", "--netuid", "1", "--amount", "25"]),
    ("read", ["quote", "unstake", "--netuid", "1", "--amount", "3"]),
    ("read", ["wallet", "balance", "--wallet-name", "staker"]),
    ("read", ["wallet", "balance", "--wallet-name", "owner"]),
    # issue 13: the overview reads the same on every network
    ("read", ["wallet", "overview", "--wallet-name", "staker"]),
    ("read", ["wallet", "overview", "--all"]),
]
# what legitimately differs: hashes of differently signed extrinsics, free text, and
# `earned_rao`, which only the bundled chain can compute (from its extrinsic history)
VOLATILE = {"network", "extrinsic_hash", "extrinsic", "message", "earned_rao"}
# Both sides submit in the clear: through a node a shielded trade is two extrinsics (its carrier
# pays a fee too) while the sandbox has no author's key to encrypt to, so a shielded session
# cannot be rao-equal; `test_shielded_stake_costs_the_carriers_fee` holds the difference to
# exactly the carrier's fee.
CLEAR = ["--no-mev-shield"]


def normalise(doc):
    """Drop what legitimately differs (hashes of differently signed extrinsics, free text)."""
    if isinstance(doc, dict):
        out = {k: normalise(v) for k, v in doc.items() if k not in VOLATILE}
        if "pallet" in out and "args" in out:  # an event
            args = out["args"]
            if out["pallet"] == "System":
                args = {}  # dispatch info is only on the node side
            # events whose metadata fields are unnamed decode positionally on the node side
            values = args["value"] if list(args) == ["value"] else list(args.values())
            out["args"] = values if isinstance(values, list) else [values]
        return out
    if isinstance(doc, list):
        return [normalise(v) for v in doc]
    return doc


def included_in_open_block(path) -> bool:
    """True when the sandbox's open block holds an extrinsic (the node would have sealed it)."""
    from chain.local.chain import LocalChain

    with LocalChain.open(path) as chain:
        number = chain.open_number()
        return chain.conn.execute("SELECT COUNT(*) FROM extrinsics WHERE block = ?",
                                  (number,)).fetchone()[0] > 0


AT_HEAD = {("subnet", "list"), ("subnet", "show"), ("subnet", "hyperparameters"),
           ("subnet", "burn-cost")}  # the reads the open block's start-of-block work moves


def run_session(taoctl, network: str, *, advance: bool, steps=SESSION) -> list:
    results = []
    for kind, args in steps:
        if kind == "advance":  # sandbox-only: on the chain file the node serves
            results.append((0, taoctl.json(*args)["block"]))
            continue
        extra = CLEAR if kind == "write" else []
        if kind == "read" and network == "sandbox" and tuple(args[:2]) in AT_HEAD:
            extra = ["--at-block", str(taoctl.json("chain", "history")["head"])]
        proc = taoctl.run(*args, *extra, "--network", network, "--json")
        doc = json.loads(proc.stdout) if proc.stdout.strip() else None
        if doc and "error" in doc:
            doc = {"error": {"type": doc["error"]["type"]}}
        results.append((proc.returncode, normalise(doc)))
        if kind == "write" and advance and included_in_open_block(taoctl.env["TAOCTL_CHAIN_DB"]):
            taoctl.json("chain", "advance", "1")
    return results


def setup_chains(taoctl, tmp_path, *wallets: str) -> dict:
    """Two identical dev chains (sandbox and node) with these wallets funded."""
    keys = {}
    for name in wallets:
        keys[name] = keypair_from_uri(f"//Parity{name}")
        Wallet(name, taoctl.home / ".bittensor" / "wallets").write_coldkey(keys[name], None)
        Wallet(name, taoctl.home / ".bittensor" / "wallets").write_hotkey(
            keypair_from_uri(f"//Parity{name}Hot"), "default", None)
    paths = {}
    for side in ("sandbox", "node"):
        paths[side] = tmp_path / f"{side}.db"
        taoctl.env["TAOCTL_CHAIN_DB"] = str(paths[side])
        taoctl.json("chain", "init")
        for keypair in keys.values():
            taoctl.json("chain", "fund", keypair.ss58_address, "5000")
        taoctl.json("chain", "advance", "1")  # the session starts in a fresh block
    return paths


def both_sides(taoctl, paths, steps) -> tuple[list, list]:
    taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["sandbox"])
    sandbox = run_session(taoctl, "sandbox", advance=True, steps=steps)
    server = NodeServer(paths["node"], "127.0.0.1", 0)
    _, stop = server.start_thread()
    try:
        taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["node"])
        remote = run_session(taoctl, f"ws://127.0.0.1:{server.port}", advance=False,
                             steps=steps)
    finally:
        stop()
    return sandbox, remote


def assert_same(steps, sandbox, remote) -> None:
    for step, (a, b) in enumerate(zip(sandbox, remote, strict=True)):
        assert a == b, (steps[step], json.dumps(a, indent=1), json.dumps(b, indent=1))


@pytest.mark.slow
def test_balances_and_transfers(taoctl, tmp_path):
    paths = setup_chains(taoctl, tmp_path, "default")
    sandbox, remote = both_sides(taoctl, paths, SESSION)
    assert_same(SESSION, sandbox, remote)
    assert sandbox[4][0] != 0 and sandbox[2][0] == 0  # the session did fail and succeed
    for side in ("sandbox", "node"):
        taoctl.env["TAOCTL_CHAIN_DB"] = str(paths[side])
        assert taoctl.json("chain", "check")["ok"], side


@pytest.mark.slow
def test_subnets_registration_staking_and_weights(taoctl, tmp_path):
    paths = setup_chains(taoctl, tmp_path, "owner", "staker")
    sandbox, remote = both_sides(taoctl, paths, STAKING)
    assert_same(STAKING, sandbox, remote)
    codes = [code for code, _ in sandbox]
    assert codes[0] == 0 and codes[5] == 0 and codes[6] != 0  # created, staked, refused
    stakes = sandbox[7][1]["stakes"]
    assert stakes and stakes[0]["alpha_rao"] > 0
    assert codes[8] == 0 and codes[9] == 4  # the self-weight set, the other refused
    overview = sandbox[-2][1]["wallets"][0]  # issue 13: positions and registrations, both sides
    assert codes[-2:] == [0, 0] and overview["positions"] and overview["registrations"]
    assert overview["registrations"][0]["hotkey_name"] == "staker/default"
    for side in ("sandbox", "node"):
        taoctl.env["TAOCTL_CHAIN_DB"] = str(paths[side])
        assert taoctl.json("chain", "check")["ok"], side


@pytest.mark.slow
def test_shielded_stake_costs_the_carriers_fee(taoctl, tmp_path):
    """The same stake add, in the clear on the sandbox and MEV-shielded through the node: the
    same alpha for the same TAO, and the node's fee is the sandbox's plus exactly the fee of the
    carrier in the node's block (spec 461's schedule at the carrier's encoded length)."""
    from chain.remote.connection import forget, open_remote
    from chain.rules import fees
    from chain.substrate.scale import decode_compact

    paths = setup_chains(taoctl, tmp_path, "owner", "staker")
    both_sides(taoctl, paths, STAKING[:5])  # the subnet started, the staker registered
    stake = ["stake", "add", "--netuid", "1", "--amount", "10", "--wallet-name", "staker",
             "--partial", "-y"]
    taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["sandbox"])
    clear = taoctl.json(*stake, "--network", "sandbox")["executed"][0]
    server = NodeServer(paths["node"], "127.0.0.1", 0)
    _, stop = server.start_thread()
    url = f"ws://127.0.0.1:{server.port}"
    try:
        taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["node"])
        shielded = taoctl.json(*stake, "--network", url)["executed"][0]
        receipt = shielded["receipt"]
        backend = open_remote(url)
        block_hash = backend.rpc("chain_getBlockHash", [receipt["block_number"]])
        block = backend.rpc("chain_getBlock", [block_hash])["block"]
        carrier = bytes.fromhex(block["extrinsics"][receipt["extrinsic_index"] - 1][2:])
        size, at = decode_compact(carrier, 0)
        assert at + size == len(carrier) > 1000  # the carrier, its ciphertext and all
        carrier_fee = fees.transaction_fee("MevShield.submit_encrypted", len(carrier),
                                           fees.SPEC_461)
    finally:
        forget(url)
        stop()
    assert carrier_fee > 0 and shielded["received_rao"] == clear["received_rao"] > 0
    assert receipt["fee_rao"] == clear["receipt"]["fee_rao"] + carrier_fee

"""The bittensor 11.3.0 SDK (NODE-461 §2.3) and the btcli v11 it ships (§2.4) against
`taoctl node serve`, checked against the sandbox's own figures: balances and stake per position
to the rao, reads with `block=N` returning block N's figures, prices, the 6-field quote, the
metagraph's columns, hyperparameters, the shield's key, and btcli v11's shielded `stake add`
equal to taoctl's quote for the same block. The SDK's reads run in one client session
(`sdk_driver.py`, once for the module); `chain check` runs after the module.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from tests.clients.conftest import (
    TAO,
    as_json,
    client_env,
    extrinsic_calls,
    fees_paid,
    run,
    schedule_fees,
    taoctl_json,
)
from wallet.ss58 import ss58_encode

pytestmark = pytest.mark.slow

ALICE = DEV_ACCOUNTS["Alice"]
DRIVER = Path(__file__).with_name("sdk_driver.py")


def rao(tao: float) -> int:
    return round(tao * TAO)


def sandbox_now(served):
    """(free, stake, price, neurons, hyperparameters, pool) of the served chain now."""
    import amm
    from chain.local.backend import LocalBackend

    backend = LocalBackend(served.path)
    try:
        pool = backend.pool(1)
        return (backend.free_balance(ALICE), backend.stake(served.hotkey, ALICE, 1),
                amm.price_rao(pool), backend.neurons(1), backend.hyperparameters(1), pool)
    finally:
        backend.close()


@pytest.fixture(scope="module")
def past(served) -> int:
    """A past block whose figures differ from the head's (before Alice's second stake)."""
    blocks = sorted(served.at)
    return blocks[len(blocks) // 4]


@pytest.fixture(scope="module")
def reads(sdk11, served, past) -> dict:
    """Every SDK read, in one client session, before anything changes the chain."""
    proc = subprocess.run([str(sdk11 / "bin" / "python"), str(DRIVER), served.url,
                           ss58_encode(ALICE), ss58_encode(served.hotkey), "1", str(past)],
                          capture_output=True, text=True, timeout=120,
                          env=client_env(served.home), stdin=subprocess.DEVNULL)
    assert proc.returncode == 0, proc.stderr[-2000:]
    doc = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"doc": doc, "now": sandbox_now(served)}


def answer(reads: dict, name: str):
    value = reads["doc"][name]
    assert not (isinstance(value, dict) and "error" in value), f"{name}: {value}"
    return value


def test_balance(reads):
    assert answer(reads, "balance") == reads["now"][0]


def test_positions(reads, served):
    (position,) = [p for p in answer(reads, "positions") if p[1] == 1]
    assert position == [ss58_encode(served.hotkey), 1, reads["now"][1]]


def test_reads_at_a_past_block_return_that_blocks_figures(reads, served, past):
    then = served.at[past]
    assert answer(reads, "balance_past") == then.alice_free
    assert answer(reads, "stake_past") == then.alice_stake
    assert rao(answer(reads, "alpha_price_past")) == then.price_rao
    now = reads["now"]
    assert (then.alice_free, then.alice_stake, then.price_rao) != now[:3]  # a real history


def test_alpha_price(reads):
    assert rao(answer(reads, "alpha_price")) == reads["now"][2]


def test_quote_stake_is_taoctls_quote(reads, served):
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "2")
    got = answer(reads, "quote_stake")
    assert got["alpha"] == quote["amount_out_rao"]
    assert got["tao_fee"] == quote["fee_rao"]
    assert all(isinstance(got[k], int) for k in ("tao_slippage", "alpha_slippage"))


def test_metagraph_columns(reads):
    got = answer(reads, "metagraph")
    neurons = reads["now"][3]
    assert got["num_uids"] == len(neurons)
    assert [n[:4] for n in got["neurons"]] == [
        [n["uid"], ss58_encode(n["hotkey"]), ss58_encode(n["coldkey"]), n["stake_rao"]]
        for n in neurons]
    pool = reads["now"][5]  # the SDK's metagraph price is tao_in / alpha_in, as a float
    assert got["price"] == pool.tao_reserve / pool.alpha_reserve


def test_hyperparameters(reads):
    got = answer(reads, "hyperparameters")
    ours = reads["now"][4]
    assert int(got["tempo"]) == ours["Tempo"]
    assert int(got["immunity_period"]) == ours["ImmunityPeriod"]
    assert int(got["min_allowed_weights"]) == ours["MinAllowedWeights"]


def test_mev_shield_next_key(reads):
    assert answer(reads, "next_key_len") == 1184


# -- btcli v11 -------------------------------------------------------------------------------
def btcli11(sdk11, served, *args, timeout: float = 60) -> subprocess.CompletedProcess:
    return run(str(sdk11 / "bin" / "btcli"), served.home, "--network", served.url, "--json",
               "--wallet", "alice", "--wallet-hotkey", "default", "--yes", "--fallback-endpoints",
               "none", "--archive-endpoints", "none", *args, timeout=timeout)


def dicts(doc):
    """Every dict inside a JSON document."""
    if isinstance(doc, dict):
        yield doc
        for v in doc.values():
            yield from dicts(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from dicts(v)


def test_btcli11_wallet_balance(sdk11, served, reads):
    proc = btcli11(sdk11, served, "wallet", "balance")
    assert proc.returncode == 0, proc.stderr[-1500:]
    (row,) = [d for d in dicts(as_json(proc)) if d.get("coldkey") == ss58_encode(ALICE)]
    free = sandbox_now(served)[0]
    assert rao(row["free_tao"]) == free


def test_btcli11_stake_list(sdk11, served, reads):
    proc = btcli11(sdk11, served, "stake", "list")
    assert proc.returncode == 0, proc.stderr[-1500:]
    stake = sandbox_now(served)[1]
    rows = [d for d in dicts(as_json(proc)) if d.get("netuid") == 1
            and ss58_encode(served.hotkey) in json.dumps(d)]
    assert rows, as_json(proc)
    figures = {v for v in rows[0].values() if isinstance(v, int) and not isinstance(v, bool)}
    figures |= {rao(v) for v in rows[0].values() if isinstance(v, float)}
    assert stake in figures, rows[0]


def test_btcli11_shielded_stake_add_is_taoctls_quote(sdk11, served, reads):
    """btcli v11's `stake add` shields by default: carrier then add_stake_limit in one block,
    the alpha received equal to taoctl's quote for that block, both fees charged."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "2")
    free, stake = sandbox_now(served)[:2]
    proc = btcli11(sdk11, served, "stake", "add", "--netuid", "1", "--amount", "2",
                   timeout=90)
    assert proc.returncode == 0, (proc.stdout[-1500:], proc.stderr[-1500:])
    from chain.local.backend import LocalBackend

    backend = LocalBackend(served.path)
    try:
        head = backend.chain.open_number() - 1
    finally:
        backend.close()
    block = next(b for b in range(head, head - 10, -1)
                 if "MevShield.submit_encrypted" in [c for _, c in
                                                     extrinsic_calls(served.path, b)])
    calls = [c for s, c in extrinsic_calls(served.path, block) if s == ALICE]
    assert calls[-2:] == ["MevShield.submit_encrypted", "SubtensorModule.add_stake_limit"]
    free_after, stake_after = sandbox_now(served)[:2]
    assert stake_after - stake == quote["amount_out_rao"]
    fees = fees_paid(served.path, ALICE, block)
    assert len(fees) == 2 and fees == schedule_fees(served.path, ALICE, block)
    assert free_after == free - 2 * TAO - sum(fees)

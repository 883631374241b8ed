"""The bittensor 11.3.0 SDK (NODE-461 §2.3) and the btcli v11 it ships (§2.4) against
`taoctl node serve`, checked against the sandbox's own figures: balances and stake per position
to the rao, reads with `block=N` returning block N's figures, prices, the 6-field quote, the
metagraph's columns, hyperparameters, the shield's key, and btcli v11's shielded `stake add`
equal to taoctl's quote for the same block. The SDK's reads run in one client session
(`sdk_driver.py`, once for the module); `chain check` runs after the module.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS
from tests.clients.conftest import (
    ALICE_TAKE,
    SECOND_HOT_URI,
    TAO,
    THIRD_HOT_URI,
    as_json,
    client_env,
    extrinsic_calls,
    fees_paid,
    run,
    schedule_fees,
    taoctl_json,
)
from wallet.keys import keypair_from_uri
from wallet.ss58 import ss58_encode

# one served chain whose flows run in file order (pyproject: `--dist loadfile`)
pytestmark = pytest.mark.slow

ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]
SECOND = keypair_from_uri(SECOND_HOT_URI).public_key  # the wallet's hotkey "second"
THIRD = keypair_from_uri(THIRD_HOT_URI).public_key  # and "third"
DRIVER = Path(__file__).with_name("sdk_driver.py")


def rao(tao: float) -> int:
    return round(tao * TAO)


def at_head(path):
    """The sandbox at its last sealed block: the state the node serves at its head (a
    Substrate node's state at a block hash is that block's end; the open block's coinbase has
    run in the sandbox's own reads, not in the head's state)."""
    from chain.local.backend import LocalBackend

    backend = LocalBackend(path)
    return backend, backend.at(backend.block_info().head_number)


def sandbox(served, method: str, *args):
    """One of the sandbox's own reads at the node's head (`read` for a storage item by
    subtensor's name)."""
    backend, head = at_head(served.path)
    try:
        return getattr(head, method)(*args)
    finally:
        backend.close()


def pending(served, method: str, *args):
    """One of the sandbox's own reads of its open block (what an extrinsic submitted now
    executes against: the burn it pays), or an advance."""
    from chain.local.backend import LocalBackend

    backend = LocalBackend(served.path)
    try:
        return getattr(backend, method)(*args)
    finally:
        backend.close()


def item(served, name: str, *key):
    return sandbox(served, "read", f"SubtensorModule.{name}", *key)


def stored(served, name: str, *key, at: int | None = None) -> int:
    """A SubtensorModule entry the sandbox holds (now, or at block `at`), or 0 when it holds
    none."""
    from chain.local.backend import LocalBackend
    from chain.pallets import registry

    backend, view = at_head(served.path)
    try:
        view = view if at is None else backend.at(at)
        with view.chain.reading() as state:
            declared = registry.item(f"SubtensorModule.{name}")
            return state.get(declared, *key) if state.has(declared, *key) else 0
    finally:
        backend.close()


def sandbox_now(served):
    """(free, stake, price, neurons, hyperparameters, pool) of the served chain now."""
    import amm
    from chain.local.backend import LocalBackend

    backend, head = at_head(served.path)
    try:
        pool = head.pool(1)
        return (head.free_balance(ALICE), head.stake(served.hotkey, ALICE, 1),
                amm.price_rao(pool), head.neurons(1), head.hyperparameters(1), pool)
    finally:
        backend.close()


@pytest.fixture(scope="module")
def past(served) -> int:
    """A past block whose figures differ from the head's (before Alice's second stake)."""
    blocks = sorted(served.at)
    return blocks[len(blocks) // 4]


class Session:
    """The SDK's one client session (`sdk_driver.py`): its reads taken at start, then one
    command at a time on the same connection."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def next(self, timeout: float) -> dict:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            line = None
        assert line is not None, f"the SDK session gave no answer: {self.proc.stderr.read()[-2000:] if self.proc.poll() is not None else 'still running'}"
        return json.loads(line)

    def ask(self, timeout: float = 90, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self.next(timeout)


@pytest.fixture(scope="module")
def sdk(sdk11, served, past):
    proc = subprocess.Popen([str(sdk11 / "bin" / "python"), str(DRIVER), served.url,
                             ss58_encode(ALICE), ss58_encode(served.hotkey), "1", str(past),
                             str(served.wallets)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=client_env(served.home))
    session = Session(proc)
    try:
        yield session
    finally:
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def reads(sdk, served) -> dict:
    """Every SDK read, taken when the session starts, before anything changes the chain."""
    doc = sdk.next(timeout=120)
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


def test_metagraph_epoch_columns(reads, served):
    """last_step is the block the sandbox last ran the subnet's epoch at; blocks since it are
    the count stored at the head (the head's own coinbase bumped it; the open block's has not
    been served: a node's state at a hash is that block's end)."""
    got = answer(reads, "metagraph")
    assert item(served, "SubnetEpochIndex", 1) > 0  # the history ran epochs
    assert got["last_step"] == item(served, "LastEpochBlock", 1)
    assert got["blocks_since_last_step"] == item(served, "BlocksSinceLastStep", 1)


@pytest.mark.parametrize("when", ["head", "past"])
def test_blocks_since_last_step_is_a_real_nodes(reads, served, past, when):
    """What a subtensor node serves at block N's hash: `System.Number` N (the recorded spec-461
    node: 67 at block 67's hash) and `BlocksSinceLastStep` N - `LastEpochBlock` (run_coinbase
    bumps it, or resets it to 0 with LastEpochBlock = N, in N's own on_initialize). Read by the
    SDK raw and through the metagraph, at the head and at a past block; before the headfix the
    node served N's number with N + 1's counters (one ahead)."""
    got = answer(reads, f"epoch_clock_{when}")
    number = past if when == "past" else got["block"]
    assert got["number"] == got["block"] == number
    if when == "past":
        assert got["asked"] == past
    assert got["stored_since"] == got["blocks_since_last_step"]
    assert got["stored_last"] == got["last_step"] == stored(served, "LastEpochBlock", 1,
                                                           at=number)
    since = got["blocks_since_last_step"]
    assert since == stored(served, "BlocksSinceLastStep", 1, at=number)
    if got["last_step"]:  # an epoch has run: the count is from it
        assert since == number - got["last_step"]
    else:  # none yet: N's coinbase bumped the count N - 1 ended with
        assert since == stored(served, "BlocksSinceLastStep", 1, at=number - 1) + 1
    if when == "head":
        assert got["last_step"] > 0


def test_hyperparameters(reads):
    got = answer(reads, "hyperparameters")
    ours = reads["now"][4]
    assert int(got["tempo"]) == ours["Tempo"]
    assert int(got["immunity_period"]) == ours["ImmunityPeriod"]
    assert int(got["min_allowed_weights"]) == ours["MinAllowedWeights"]


def test_mev_shield_next_key(reads):
    assert answer(reads, "next_key_len") == 1184


def test_existential_deposit(reads, served):
    assert answer(reads, "existential_deposit") == sandbox(served, "existential_deposit")


def test_subnets(reads, served):
    """`read subnets`: every netuid with its tempo, burn and neuron count, as stored. The SDK
    enumerates each map's keys, so an entry the chain does not hold reads 0, not the item's
    default (the root subnet has no `Burn`)."""
    assert answer(reads, "subnets") == [
        [n, stored(served, "Tempo", n), stored(served, "Burn", n),
         stored(served, "SubnetworkN", n)] for n in sandbox(served, "netuids")]


def test_subnets_at_a_past_block(reads, served, past):
    """`client.at(N).read("subnets")`: the maps enumerated and read at block N's hash give
    block N's burn (it moved since: registrations and its decay)."""
    from chain.local.backend import LocalBackend

    backend = LocalBackend(served.path)
    try:
        netuids = backend.at(past).netuids()
    finally:
        backend.close()
    expected = [[n, stored(served, "Tempo", n, at=past), stored(served, "Burn", n, at=past),
                 stored(served, "SubnetworkN", n, at=past)] for n in netuids]
    assert answer(reads, "subnets_past") == expected
    assert expected != answer(reads, "subnets")


def test_neurons_lite_uid_and_stake(reads, served):
    neurons = reads["now"][3]
    assert answer(reads, "neurons_lite") == [
        [n["uid"], ss58_encode(n["hotkey"]), ss58_encode(n["coldkey"]), n["stake_rao"]]
        for n in neurons]
    assert answer(reads, "uid") == item(served, "Uids", 1, served.hotkey) == 0
    assert answer(reads, "stake") == reads["now"][1]


def test_alpha_prices(reads, served):
    import amm

    got = answer(reads, "alpha_prices")
    assert sorted(int(n) for n in got) == sandbox(served, "netuids")
    for netuid, price in got.items():
        expected = TAO if netuid == "0" else amm.price_rao(sandbox(served, "pool", int(netuid)))
        assert rao(price) == expected, netuid


def test_quote_unstake_is_taoctls_quote(reads, served):
    quote = taoctl_json(served.path, "quote", "unstake", "--netuid", "1", "--amount", "2")
    got = answer(reads, "quote_unstake")
    assert got["tao"] == quote["amount_out_rao"]
    assert got["alpha_fee"] == quote["fee_rao"]


def test_registration_costs(reads, served):
    """`burn` (a neuron's registration) and `subnet_registration_cost` (the lock)."""
    assert answer(reads, "burn") == sandbox(served, "burn_cost", 1)
    assert answer(reads, "subnet_registration_cost") == sandbox(served, "lock_cost")


def test_delegates(reads, served):
    """get_delegates: //AliceHot (a delegate since its take was lowered) with its take, owner,
    nominators (the coldkeys staking through it: Alice and Bob), registrations and permits."""
    (delegate,) = answer(reads, "delegates")
    assert delegate["hotkey"] == ss58_encode(served.hotkey)
    assert round(delegate["take"] * 65535) == ALICE_TAKE
    assert delegate["owner"] == ss58_encode(ALICE)
    netuids = sandbox(served, "netuids")
    stakers = {who for who in (ALICE, BOB) for n in netuids
               if sandbox(served, "stake", served.hotkey, who, n) > 0}
    assert delegate["nominators"] == len(stakers) == 2
    registered = {n: item(served, "Uids", n, served.hotkey) for n in netuids}
    registered = {n: uid for n, uid in registered.items() if uid is not None}
    assert delegate["registrations"] == sorted(registered)
    assert delegate["validator_permits"] == [
        n for n, uid in sorted(registered.items()) if item(served, "ValidatorPermit", n)[uid]]


def test_stake_availability_and_empty_mechanisms(reads, served):
    """Availability is the whole stake (the sandbox has no locks); no lock, no children."""
    stake = reads["now"][1]
    assert answer(reads, "stake_availability") == {"netuid": 1, "total": stake, "locked": 0,
                                                   "available": stake}
    assert answer(reads, "coldkey_lock") is None
    assert answer(reads, "children") == []


# -- the SDK's intents, on the same connection ------------------------------------------------
def _block(result: dict) -> int:
    assert result.get("success") is True, result
    return int(result["extrinsic_id"].split("-")[0])


def _calls(served, block: int, signer: bytes = ALICE) -> list[str]:
    return [c for s, c in extrinsic_calls(served.path, block) if s == signer]


def _fees(served, block: int, count: int, signer: bytes = ALICE) -> list[int]:
    """The fees `signer` paid in `block` (TransactionFeePaid), each the schedule's fee."""
    fees = fees_paid(served.path, signer, block)
    assert len(fees) == count and fees == schedule_fees(served.path, signer, block)
    return fees


def test_transfer_intent(sdk, served, reads):
    free, bobs = (sandbox(served, "free_balance", who) for who in (ALICE, BOB))
    result = sdk.ask(op="execute", intent="Transfer",
                     args={"dest_ss58": ss58_encode(BOB), "amount_tao": 1.0})
    block = _block(result)
    assert _calls(served, block) == ["Balances.transfer_keep_alive"]
    (fee,) = _fees(served, block, 1)
    assert result["fee_rao"] == fee
    assert sandbox(served, "free_balance", ALICE) == free - TAO - fee
    assert sandbox(served, "free_balance", BOB) == bobs + TAO


def test_add_stake_intent_is_taoctls_quote(sdk, served, reads):
    """AddStake's default (slippage protection: add_stake_limit at price x 1.05)."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "1")
    free, stake = reads_now(served)
    result = sdk.ask(op="execute", intent="AddStake", args={
        "hotkey_ss58": ss58_encode(served.hotkey), "netuid": 1, "amount_tao": 1.0})
    block = _block(result)
    assert _calls(served, block) == ["SubtensorModule.add_stake_limit"]
    (fee,) = _fees(served, block, 1)
    assert result["fee_rao"] == fee
    assert reads_now(served) == (free - TAO - fee, stake + quote["amount_out_rao"])


def test_remove_stake_intent_is_taoctls_quote(sdk, served, reads):
    quote = taoctl_json(served.path, "quote", "unstake", "--netuid", "1", "--amount", "0.5")
    free, stake = reads_now(served)
    result = sdk.ask(op="execute", intent="RemoveStake", args={
        "hotkey_ss58": ss58_encode(served.hotkey), "netuid": 1, "amount_alpha": 0.5})
    block = _block(result)
    assert _calls(served, block) == ["SubtensorModule.remove_stake_limit"]
    (fee,) = _fees(served, block, 1)
    assert reads_now(served) == (free + quote["amount_out_rao"] - fee, stake - TAO // 2)


def test_burned_register_intent_shielded(sdk, served, reads):
    """BurnedRegister (MEV-shielded by the SDK's default): the hotkey "second" takes the next
    UID of subnet 1 for the sandbox's burn of that block, plus both fees."""
    burn = pending(served, "burn_cost", 1)
    uid = item(served, "SubnetworkN", 1)
    free = sandbox(served, "free_balance", ALICE)
    result = sdk.ask(op="execute", intent="BurnedRegister",
                     args={"netuid": 1, "hotkey_ss58": ss58_encode(SECOND)})
    block = _block(result)
    assert result["data"].get("shielded") is True
    assert _calls(served, block) == ["MevShield.submit_encrypted",
                                     "SubtensorModule.burned_register"]
    fees = _fees(served, block, 2)
    assert item(served, "Uids", 1, SECOND) == uid
    assert sandbox(served, "free_balance", ALICE) == free - burn - sum(fees)


def test_set_weights_intent(sdk, served, reads):
    """SetWeights, signed by //AliceHot (UID 0): the row the sandbox stores is the SDK's
    weights max-upscaled, read back through the SDK; weights pay no fee."""
    second = item(served, "Uids", 1, SECOND)
    result = sdk.ask(op="execute", intent="SetWeights", hotkey="default",
                     args={"netuid": 1, "uids": [0, second], "weights": [0.75, 0.25]})
    block = _block(result)
    assert _calls(served, block, served.hotkey) == ["SubtensorModule.set_mechanism_weights"]
    assert item(served, "Weights", 1, 0) == [[0, 65535], [second, 21845]]
    assert result["fee_rao"] in (0, None)
    back = sdk.ask(op="read", name="weights", params={"netuid": 1, "mechid": 0})
    # the SDK normalises a row to sum 1
    assert back == {"value": {"0": {"0": 65535 / 87380, str(second): 21845 / 87380}}}


def test_shielded_add_stake_intent_is_taoctls_quote(sdk, served, reads):
    """submit_shielded(AddStake): carrier then add_stake_limit in one block, both fees."""
    quote = taoctl_json(served.path, "quote", "stake", "--netuid", "1", "--amount", "1")
    free, stake = reads_now(served)
    result = sdk.ask(op="execute", intent="AddStake", shielded=True, args={
        "hotkey_ss58": ss58_encode(served.hotkey), "netuid": 1, "amount_tao": 1.0})
    block = _block(result)
    assert _calls(served, block) == ["MevShield.submit_encrypted",
                                     "SubtensorModule.add_stake_limit"]
    fees = _fees(served, block, 2)
    assert reads_now(served) == (free - TAO - sum(fees), stake + quote["amount_out_rao"])


def reads_now(served) -> tuple[int, int]:
    """(Alice's free balance, her stake on //AliceHot in subnet 1) now."""
    return (sandbox(served, "free_balance", ALICE),
            sandbox(served, "stake", served.hotkey, ALICE, 1))


# -- btcli v11 -------------------------------------------------------------------------------
def btcli11(sdk11, served, *args, timeout: float = 60,
            hotkey: str = "default") -> subprocess.CompletedProcess:
    return run(str(sdk11 / "bin" / "btcli"), served.home, "--network", served.url, "--json",
               "--wallet", "alice", "--wallet-hotkey", hotkey, "--yes", "--fallback-endpoints",
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


def btcli11_json(sdk11, served, *args, hotkey: str = "default"):
    proc = btcli11(sdk11, served, *args, hotkey=hotkey)
    assert proc.returncode == 0, (proc.stdout[-1500:], proc.stderr[-1500:])
    return as_json(proc)


def test_btcli11_subnets_list(sdk11, served, reads):
    """Every subnet's price (the pool's, root none), tempo, burn and neuron counts, as the
    sandbox holds them (map entries it does not hold read 0, as the SDK enumerates keys)."""
    import amm

    rows = btcli11_json(sdk11, served, "subnets", "list")
    assert [r["netuid"] for r in rows] == sandbox(served, "netuids")
    for r in rows:
        n = r["netuid"]
        price = None if n == 0 else amm.price_rao(sandbox(served, "pool", n))
        assert (None if r["price_tao_per_alpha"] is None else rao(r["price_tao_per_alpha"])) \
            == price, r
        assert (r["tempo"], rao(r["burn_tao"]), r["neurons"], r["max_neurons"]) == (
            stored(served, "Tempo", n), stored(served, "Burn", n),
            stored(served, "SubnetworkN", n), stored(served, "MaxAllowedUids", n)), r


def test_btcli11_subnets_show(sdk11, served, reads):
    doc = btcli11_json(sdk11, served, "subnets", "show", "1")
    assert (doc["owner_coldkey"], doc["owner_hotkey"]) == (ss58_encode(ALICE),
                                                           ss58_encode(served.hotkey))
    assert (doc["registered_at"], doc["tempo"], rao(doc["burn_tao"]), doc["neurons"],
            doc["max_neurons"]) == tuple(item(served, name, 1) for name in (
                "NetworkRegisteredAt", "Tempo", "Burn", "SubnetworkN", "MaxAllowedUids"))
    assert doc["identity"]["subnet_name"] == doc["name"] == \
        item(served, "SubnetIdentitiesV3", 1)["subnet_name"]


def test_btcli11_subnets_metagraph(sdk11, served, reads):
    """get_metagraph: the pool, the epoch clock and every UID's columns, each the sandbox's (a
    UID registered after the last epoch has what registration gives it: active, no permit)."""
    doc = btcli11_json(sdk11, served, "subnets", "metagraph", "1")
    neurons = sandbox(served, "neurons", 1)
    pool = sandbox(served, "pool", 1)
    assert (doc["tao_in"], doc["alpha_in"]) == (pool.tao_reserve, pool.alpha_reserve)
    assert doc["alpha_out"] == item(served, "SubnetAlphaOut", 1)
    assert (doc["num_uids"], doc["burn"]) == (len(neurons), sandbox(served, "burn_cost", 1))
    assert doc["last_step"] == item(served, "LastEpochBlock", 1)
    assert doc["blocks_since_last_step"] == item(served, "BlocksSinceLastStep", 1)
    assert doc["hotkeys"] == [ss58_encode(n["hotkey"]) for n in neurons]
    assert doc["coldkeys"] == [ss58_encode(n["coldkey"]) for n in neurons]
    assert doc["alpha_stake"] == [n["stake_rao"] for n in neurons]
    assert doc["emission"] == [n["emission_rao"] for n in neurons]
    assert doc["block_at_registration"] == [n["registered_at"] for n in neurons]
    assert doc["last_update"] == item(served, "LastUpdate", 1)
    for column, name, appended in (("active", "Active", True),
                                   ("validator_permit", "ValidatorPermit", False)):
        ran = item(served, name, 1)
        assert 0 < len(ran) < len(neurons)  # UIDs registered since the last epoch
        assert doc[column] == ran + [appended] * (len(neurons) - len(ran)), column


def test_btcli11_subnets_hyperparameters(sdk11, served, reads):
    doc = btcli11_json(sdk11, served, "subnets", "hyperparameters", "1")
    ours = sandbox(served, "hyperparameters", 1)
    assert (doc["tempo"], doc["immunity_period"], doc["min_allowed_weights"],
            doc["max_allowed_uids"], doc["max_validators"], doc["min_burn"], doc["max_burn"],
            doc["burn_half_life"], doc["burn_increase_mult"], doc["registration_allowed"],
            doc["max_regs_per_block"], doc["owner_immune_neuron_limit"],
            doc["collateral_lock_share"], doc["yuma3_enabled"], doc["transfers_enabled"],
            doc["subnet_is_active"]) == (
        ours["Tempo"], ours["ImmunityPeriod"], ours["MinAllowedWeights"],
        ours["MaxAllowedUids"], ours["MaxAllowedValidators"], ours["MinBurn"], ours["MaxBurn"],
        ours["BurnHalfLife"], ours["BurnIncreaseMult"], ours["NetworkRegistrationAllowed"],
        ours["MaxRegistrationsPerBlock"], ours["ImmuneOwnerUidsLimit"],
        ours["CollateralLockShare"], ours["Yuma3On"], ours["TransferToggle"],
        ours["SubtokenEnabled"])
    assert doc["commit_reveal_weights_enabled"] is False  # the sandbox has no commit-reveal


def test_btcli11_wallet_overview(sdk11, served, reads):
    """Free balance and every position's alpha (all of it available: no locks)."""
    (row,) = [d for d in btcli11_json(sdk11, served, "wallet", "overview")
              if d["coldkey"] == ss58_encode(ALICE)]
    assert rao(row["free_tao"]) == sandbox(served, "free_balance", ALICE)
    got = sorted((s["netuid"], s["hotkey"], rao(s["stake_amount"]), rao(s["available_amount"]))
                 for s in row["stakes"])
    positions = [p for p in sandbox(served, "stake_info", ALICE) if p["alpha_rao"] > 0]
    assert got == sorted((p["netuid"], ss58_encode(bytes.fromhex(p["hotkey"][2:])),
                          p["alpha_rao"], p["alpha_rao"]) for p in positions)
    assert row["positions"] == len(positions) and rao(row["locked_value_tao"]) == 0


def test_btcli11_shielded_stake_remove_is_taoctls_quote(sdk11, served, reads):
    """`stake remove` (shielded by default): carrier then remove_stake_limit in one block; the
    TAO received is taoctl's quote for that block; the fee it reports is the inner's."""
    quote = taoctl_json(served.path, "quote", "unstake", "--netuid", "1", "--amount", "1")
    free, stake = reads_now(served)
    doc = btcli11_json(sdk11, served, "stake", "remove", "--netuid", "1", "--amount", "1",
                       "--hotkey", ss58_encode(served.hotkey))
    assert doc["success"] is True and doc["data"]["shielded"] is True, doc
    block = int(doc["extrinsic_id"].split("-")[0])
    assert _calls(served, block) == ["MevShield.submit_encrypted",
                                     "SubtensorModule.remove_stake_limit"]
    fees = _fees(served, block, 2)
    assert rao(doc["fee_tao"]) == fees[1]
    assert reads_now(served) == (free + quote["amount_out_rao"] - sum(fees), stake - TAO)


def _shielded(served, doc: dict, inner: str) -> list[int]:
    """Alice's carrier and `inner` in the block btcli v11 reports; their fees (the schedule's),
    the reported fee being the inner's."""
    assert doc["success"] is True and doc["data"]["shielded"] is True, doc
    block = int(doc["extrinsic_id"].split("-")[0])
    assert _calls(served, block) == ["MevShield.submit_encrypted", inner]
    fees = _fees(served, block, 2)
    assert rao(doc["fee_tao"]) == fees[1]
    return fees


def quote_json(served, *args: str) -> dict:
    """taoctl's dry-run quote (`taoctl stake ... --dry-run`) of Alice's wallet, this block."""
    doc = taoctl_json(served.path, *args, "--wallet-name", "alice", "--wallet-path",
                      str(served.wallets), "--dry-run", "-y")
    (quote,) = doc["quotes"]
    return quote


def test_btcli11_stake_move_shielded(sdk11, served, reads):
    """Within subnet 1, //AliceHot to "second": the alpha moves as taoctl quotes it."""
    quote = quote_json(served, "stake", "move", "--to", ss58_encode(SECOND), "--origin-netuid",
                       "1", "--amount", "1", "--unsafe")
    mine, theirs = (sandbox(served, "stake", h, ALICE, 1) for h in (served.hotkey, SECOND))
    free = sandbox(served, "free_balance", ALICE)
    doc = btcli11_json(sdk11, served, "stake", "move", "--origin-hotkey",
                       ss58_encode(served.hotkey), "--dest-hotkey", ss58_encode(SECOND),
                       "--netuid", "1", "--amount", "1")
    fees = _shielded(served, doc, "SubtensorModule.move_stake")
    assert sandbox(served, "stake", served.hotkey, ALICE, 1) == mine - TAO
    assert sandbox(served, "stake", SECOND, ALICE, 1) == theirs + quote["received_rao"]
    assert sandbox(served, "free_balance", ALICE) == free - sum(fees)


def test_btcli11_stake_transfer_shielded(sdk11, served, reads):
    mine, bobs = (sandbox(served, "stake", served.hotkey, who, 1) for who in (ALICE, BOB))
    free = sandbox(served, "free_balance", ALICE)
    doc = btcli11_json(sdk11, served, "stake", "transfer", "--dest", ss58_encode(BOB),
                       "--hotkey", ss58_encode(served.hotkey), "--netuid", "1", "--amount", "1")
    fees = _shielded(served, doc, "SubtensorModule.transfer_stake")
    assert sandbox(served, "stake", served.hotkey, ALICE, 1) == mine - TAO
    assert sandbox(served, "stake", served.hotkey, BOB, 1) == bobs + TAO
    assert sandbox(served, "free_balance", ALICE) == free - sum(fees)


def test_btcli11_stake_swap_to_root_shielded(sdk11, served, reads):
    """Subnet 1 to root with slippage protection (swap_stake_limit): taoctl's quote."""
    quote = quote_json(served, "stake", "swap", "--origin-netuid", "1", "--dest-netuid", "0",
                       "--amount", "1")
    mine, root = (sandbox(served, "stake", served.hotkey, ALICE, n) for n in (1, 0))
    free = sandbox(served, "free_balance", ALICE)
    doc = btcli11_json(sdk11, served, "stake", "swap", "--hotkey", ss58_encode(served.hotkey),
                       "--origin-netuid", "1", "--dest-netuid", "0", "--amount", "1")
    fees = _shielded(served, doc, "SubtensorModule.swap_stake_limit")
    assert sandbox(served, "stake", served.hotkey, ALICE, 1) == mine - TAO
    assert sandbox(served, "stake", served.hotkey, ALICE, 0) == root + quote["received_rao"]
    assert sandbox(served, "free_balance", ALICE) == free - sum(fees)


def test_btcli11_subnets_register_shielded(sdk11, served, reads):
    """burned_register of "third" inside a carrier: the next UID for the block's burn."""
    burn = pending(served, "burn_cost", 1)
    uid = item(served, "SubnetworkN", 1)
    free = sandbox(served, "free_balance", ALICE)
    doc = btcli11_json(sdk11, served, "subnets", "register", "--netuid", "1", "--hotkey",
                       ss58_encode(THIRD))
    fees = _shielded(served, doc, "SubtensorModule.burned_register")
    assert item(served, "Uids", 1, THIRD) == uid
    assert sandbox(served, "free_balance", ALICE) == free - burn - sum(fees)


def test_next_epoch_start_block_is_when_the_sandbox_runs_it(reads, served):
    """The block the SDK was told (at the session's start) is the one at which the sandbox
    runs subnet 1's epoch. Last in the module: it advances the chain to that block."""
    start = answer(reads, "next_epoch_start_block")
    ran = item(served, "SubnetEpochIndex", 1)
    open_now = pending(served, "open_number")
    assert start > open_now
    pending(served, "advance", start + 1 - open_now)  # the head is now `start`
    assert stored(served, "SubnetEpochIndex", 1, at=start - 1) == ran
    # the epoch is in block `start`'s own state (its coinbase, in its on_initialize), with
    # subtensor's counters: LastEpochBlock = start and BlocksSinceLastStep reset to 0
    assert item(served, "SubnetEpochIndex", 1) == ran + 1
    assert item(served, "LastEpochBlock", 1) == start
    assert stored(served, "BlocksSinceLastStep", 1) == 0
    assert stored(served, "BlocksSinceLastStep", 1, at=start - 1) == \
        start - 1 - stored(served, "LastEpochBlock", 1, at=start - 1)


def test_btcli11_tx_set_weights(sdk11, served, reads):
    """"second" (no validator permit) sets a self-weight, the one row it may set: stored as
    the sandbox's row, signed by the hotkey. After the epoch check: the chain has moved past
    the rate limit since "second" registered (else advanced here)."""
    uid = item(served, "Uids", 1, SECOND)
    due = item(served, "LastUpdate", 1)[uid] + item(served, "WeightsSetRateLimit", 1)
    if due >= pending(served, "open_number"):
        pending(served, "advance", due + 1 - pending(served, "open_number"))
    doc = btcli11_json(sdk11, served, "tx", "set-weights", "--netuid", "1", "--uids", str(uid),
                       "--weights", "1", hotkey="second")
    assert doc.get("success") is True, doc
    block = int(doc["extrinsic_id"].split("-")[0])
    assert _calls(served, block, SECOND) == ["SubtensorModule.set_mechanism_weights"]
    assert item(served, "Weights", 1, uid) == [[uid, 65535]]

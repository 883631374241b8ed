"""Bad input to the stake and subnet commands, through the installed CLI with `--json -y`.

Each case must give subtensor's error name in the JSON error object, exactly one line on stderr,
a non-zero exit code, and change nothing: balances, stakes and pools are compared before and
after every case (a refusal is found by the dry run, before anything is signed).
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import new_wallets, sandbox_session

TAO = 10**9
STRANGER = "5CiPPseXPECbkjWCa6MnjNokrgYjMqmKndv2rSnekmSK2DjL"  # //Ferdie: never a hotkey here


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev chain with a started subnet, the staker's hotkey registered and 10 TAO staked."""
    t = sandbox_session(tmp_path_factory, "stake-errors")
    owner, staker, poor = new_wallets(t, "owner", "staker", "poor")
    lock = t.json("subnet", "burn-cost")["lock_cost_rao"]
    t.json("chain", "fund", owner["coldkey_ss58"], str(lock // TAO + 100))
    t.json("chain", "fund", staker["coldkey_ss58"], "100")
    t.json("chain", "fund", poor["coldkey_ss58"], "1")
    netuid = t.json("subnet", "create", "--wallet-name", "owner", "-y")["netuid"]
    if t.run("subnet", "start", "--netuid", netuid, "--wallet-name", "owner", "-y").returncode:
        t.json("chain", "advance", "50401")
        t.json("subnet", "start", "--netuid", netuid, "--wallet-name", "owner", "-y")
    t.json("subnet", "register", "--netuid", netuid, "--wallet-name", "staker", "-y")
    t.json("stake", "add", "--netuid", netuid, "--amount", "10", "--wallet-name", "staker",
           "--partial", "-y")
    t.accounts = [w["coldkey_ss58"] for w in (owner, staker, poor)]
    return t, netuid, staker


def _snapshot(t) -> str:
    """Everything a refused command must leave alone (balances, stakes, every pool and the
    block), as one comparable string."""
    docs = [t.json("wallet", "balance", *[a for x in t.accounts for a in ("--ss58", x)]),
            t.json("stake", "list", "--wallet-name", "staker"), t.json("subnet", "list")]
    return json.dumps(docs, sort_keys=True)


def _refused(t, args: list, error: str) -> None:
    before = _snapshot(t)
    proc = t.run(*map(str, args), "--json", "-y")
    assert proc.returncode != 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["error"]["type"] == error, doc
    assert len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert _snapshot(t) == before


def test_stake_more_than_the_balance(chain):
    t, netuid, _ = chain
    _refused(t, ["stake", "add", "--netuid", netuid, "--amount", "1000", "--unsafe",
                 "--wallet-name", "staker"], "NotEnoughBalanceToStake")


def test_stake_below_the_minimum(chain):
    t, netuid, _ = chain
    _refused(t, ["stake", "add", "--netuid", netuid, "--amount", "0.001", "--wallet-name",
                 "staker"], "AmountTooLow")


def test_unknown_netuid(chain):
    t, _, _ = chain
    _refused(t, ["stake", "add", "--netuid", "77", "--amount", "1", "--wallet-name", "staker"],
             "SubnetNotExists")
    _refused(t, ["subnet", "register", "--netuid", "77", "--wallet-name", "staker"],
             "SubnetNotExists")


def test_hotkey_not_registered(chain):
    t, netuid, _ = chain
    _refused(t, ["stake", "add", "--netuid", netuid, "--amount", "1", "--hotkey-ss58",
                 STRANGER, "--wallet-name", "staker"], "HotKeyAccountNotExists")


def test_limit_exceeded_without_partial(chain):
    t, netuid, _ = chain
    _refused(t, ["stake", "add", "--netuid", netuid, "--amount", "50", "--wallet-name",
                 "staker"], "SlippageTooHigh")


def test_registering_twice(chain):
    t, netuid, _ = chain
    _refused(t, ["subnet", "register", "--netuid", netuid, "--wallet-name", "staker"],
             "HotKeyAlreadyRegisteredInSubNet")


def test_registering_while_the_burn_exceeds_the_limit(chain):
    t, netuid, _ = chain
    _refused(t, ["subnet", "register", "--netuid", netuid, "--wallet-name", "poor",
                 "--max-burn", "0.0001"], "RegistrationPriceLimitExceeded")


def test_creating_a_subnet_without_the_lock_cost(chain):
    t, _, _ = chain
    proc = t.run("subnet", "create", "--wallet-name", "poor", "--json", "-y")
    assert json.loads(proc.stdout)["error"]["type"] in ("CannotAffordLockCost",
                                                        "NotEnoughBalanceToStake")
    _refused(t, ["subnet", "create", "--wallet-name", "poor"],
             json.loads(proc.stdout)["error"]["type"])


def test_unstaking_more_than_held(chain):
    t, netuid, _ = chain
    _refused(t, ["stake", "remove", "--netuid", netuid, "--amount", "1000000",
                 "--wallet-name", "staker"], "NotEnoughStakeToWithdraw")


def test_root_subnet_refusals(chain):
    t, _, _ = chain
    # root has no owner: nobody can start_call it
    _refused(t, ["subnet", "start", "--netuid", "0", "--wallet-name", "owner"], "NotSubnetOwner")
    # root_register goes through once; a second time is refused and changes nothing
    first = t.json("subnet", "register", "--netuid", "0", "--wallet-name", "poor", "-y")
    assert first["call"] == "SubtensorModule.root_register" and first["uid"] is not None
    t.json("chain", "advance", "1")  # root admits one registration per block
    _refused(t, ["subnet", "register", "--netuid", "0", "--wallet-name", "poor"],
             "HotKeyAlreadyRegisteredInSubNet")


def test_starting_a_subnet_twice_or_not_owned(chain):
    t, netuid, _ = chain
    _refused(t, ["subnet", "start", "--netuid", netuid, "--wallet-name", "owner"],
             "FirstEmissionBlockNumberAlreadySet")
    _refused(t, ["subnet", "start", "--netuid", netuid, "--wallet-name", "staker"],
             "NotSubnetOwner")


@pytest.mark.parametrize("args,error", [
    (["stake", "add", "--netuid", "x", "--amount", "1"], "UsageError"),
    (["stake", "add", "--netuid", "{n}", "--amount", "-1"], "InvalidAmount"),
    (["stake", "add", "--netuid", "{n}", "--amount", "1", "--tolerance", "abc"], "UsageError"),
    (["stake", "swap", "--origin-netuid", "{n}", "--dest-netuid", "{n}", "--amount", "1"],
     "UsageError"),
    (["stake", "remove", "--netuid", "{n}", "--amount", "1", "--all"], "UsageError"),
])
def test_malformed_inputs(chain, args, error):
    t, netuid, _ = chain
    _refused(t, [a.format(n=netuid) for a in args] + ["--wallet-name", "staker"], error)

"""`taoctl subnet create` with the registration queue (ECONOMICS-2026 §6.3) and `subnet
register` with its price limit by default (§6.1.2), end to end through the CLI against a
bundled dev chain; `chain check` after each step."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Taoctl

TAO = 10**9


def _sudo(db, name: str, **args) -> None:
    """The sandbox's sudo path: an AdminUtils call signed by //Alice (the dev sudo key)."""
    from chain.local.accounts import dev_signer
    from chain.local.chain import LocalChain
    from chain.local.extrinsic import Call

    with LocalChain.open(db) as chain:
        receipt = chain.submit_call(dev_signer("Alice"), Call("AdminUtils", name, args))
        assert receipt.success, receipt.message


def _check(t) -> None:
    doc = t.json("chain", "check")
    failures = {k: v for k, v in doc.items() if isinstance(v, list) and v}
    assert not failures and doc.get("ok", True), doc


@pytest.fixture
def chain(tmp_path):
    """A dev chain, two funded wallets and subnet 1 created by "first" (each test its own)."""
    root = tmp_path
    home = root / "home"
    home.mkdir()
    t = Taoctl(home, in_process=True)
    db = root / "sandbox.db"
    t.env["TAOCTL_CHAIN_DB"] = str(db)
    t.json("chain", "init")
    first = t.json("wallet", "create", "--wallet-name", "first", "--no-use-password", "-y")
    second = t.json("wallet", "create", "--wallet-name", "second", "--no-use-password", "-y")
    for w in (first, second):
        t.json("chain", "fund", w["coldkey_ss58"], "10000")
    t.made = t.json("subnet", "create", "--wallet-name", "first", "-y")
    return t, db


def test_create_queues_when_no_netuid_is_free_and_the_subnet_appears_when_the_queue_says(chain):
    t, db = chain
    made = t.made
    assert made["queued"] is False and made["queue_position"] is None and made["netuid"] == 1
    _check(t)
    # one subnet is the limit, and it may be pruned at once
    _sudo(db, "sudo_set_subnet_limit", max_subnets=1)
    _sudo(db, "sudo_set_network_immunity_period", immunity_period=0)
    open_block = t.json("chain", "status")["block"]
    quote = t.json("subnet", "create", "--wallet-name", "second", "--dry-run")
    assert quote["queued"] is True and quote["queue_position"] == 0
    assert quote["pruned_netuid"] == 1 and quote["exists_at_block"] == open_block + 1
    assert quote["quote"]["refusal"] is None
    queued = t.json("subnet", "create", "--wallet-name", "second", "-y")
    assert queued["queued"] is True and queued["queue_position"] == 0
    assert queued["netuid"] is None
    assert queued["free_balance_rao"] - queued["free_balance_after_rao"] == \
        queued["lock_cost_rao"] + queued["receipt"]["fee_rao"]  # in escrow, and the fee
    assert [s["netuid"] for s in t.json("subnet", "list")["subnets"]] == [0]
    _check(t)
    t.json("chain", "advance", "1")
    subnets = {s["netuid"]: s for s in t.json("subnet", "list")["subnets"]}
    assert set(subnets) == {0, 1}
    assert subnets[1]["tao_in_rao"] == queued["lock_cost_rao"]  # the pool holds the TAO paid
    show = t.json("subnet", "show", "--netuid", "1")
    assert queued["coldkey"] in str(show)  # the second wallet owns the new subnet 1
    _check(t)


def test_create_text_output_says_the_queue_position(chain):
    t, db = chain
    _sudo(db, "sudo_set_subnet_limit", max_subnets=1)
    _sudo(db, "sudo_set_network_immunity_period", immunity_period=0)
    proc = t.run("subnet", "create", "--wallet-name", "first", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    assert "Queue position" in proc.stdout and "from block" in proc.stdout


def test_register_uses_register_limit_and_refuses_past_the_limit_in_the_quote(chain):
    t, db = chain
    netuid = 1
    t.json("subnet", "start", "--netuid", netuid, "--wallet-name", "first", "-y")
    t.json("wallet", "new-hotkey", "--wallet-name", "first", "--hotkey", "miner",
           "--no-use-password", "-y")
    burn = t.json("subnet", "burn-cost", "--netuid", netuid)
    burn_rao = burn.get("burn_rao") or burn.get("neuron_burn_rao")
    # a limit below the burn: the dry run's quote already says the chain refuses (exit 4)
    proc = t.run("subnet", "register", "--netuid", netuid, "--wallet-name", "first",
                 "--hotkey", "miner", "--max-burn", "0.0001", "--dry-run", "--json")
    assert proc.returncode == 4, proc.stderr
    low = json.loads(proc.stdout)
    assert low["call"] == "SubtensorModule.register_limit" and low["dry_run"] is True
    assert low["quote"]["refusal"]["error"] == "RegistrationPriceLimitExceeded"
    assert low["limit_price_rao"] == TAO // 10_000 < low["burn_rao"]
    # and without --dry-run nothing is signed: the same refusal, exit 4
    proc = t.run("subnet", "register", "--netuid", netuid, "--wallet-name", "first",
                 "--hotkey", "miner", "--max-burn", "0.0001", "-y")
    assert proc.returncode == 4 and "RegistrationPriceLimitExceeded" in proc.stderr
    reg = t.json("subnet", "register", "--netuid", netuid, "--wallet-name", "first",
                 "--hotkey", "miner", "-y")
    assert reg["call"] == "SubtensorModule.register_limit"
    assert reg["limit_price_rao"] >= reg["burn_rao"] and reg["uid"] is not None
    assert burn_rao is None or burn_rao == reg["burn_rao"]
    _check(t)


def test_hyperparameters_show_the_epoch_mode_set_through_the_sudo_path(chain):
    t, db = chain
    netuid = 1
    before = t.json("subnet", "hyperparameters", "--netuid", netuid)["hyperparameters"]
    assert before["epoch_consensus"] == 0  # Yuma, the default
    assert before["liquid_alpha_consensus_mode"] == 2 and before["collateral_lock_share"] == 0
    _sudo(db, "sudo_set_epoch_consensus", netuid=netuid, mode=1)
    after = t.json("subnet", "hyperparameters", "--netuid", netuid)["hyperparameters"]
    assert after["epoch_consensus"] == 1 and after["max_allowed_validators"] == 1
    proc = t.run("subnet", "hyperparameters", "--netuid", netuid)
    assert "epoch_consensus" in proc.stdout and "Null (1)" in proc.stdout  # by name (issue 13)
    _sudo(db, "sudo_set_epoch_consensus", netuid=netuid, mode=0)
    _check(t)

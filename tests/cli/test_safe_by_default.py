"""Issue 13, observations 1, 5 and 8 through the CLI: every path that trades through a pool is
limit-protected by default (`stake remove --all` with and without --netuid, move, swap), an
unprotected path needs --unsafe and then warns over 5 % quoted slippage, a cross-subnet
transfer (no limit call exists) needs --unsafe; quote equals execution for remove --all, move
and transfer (the receiving position's change, not just the chain's record); `--to` takes a
hotkey name and the confirmation names the destination."""

from __future__ import annotations

import json

import pytest

from tests.conftest import new_wallets, owned_subnets, sandbox_session

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Two started subnets; 'staker' (hotkeys default and miner, both registered on the first)
    holds 300 TAO of stake on each subnet: big positions, so unstaking all slips past 5 %."""
    t = sandbox_session(tmp_path_factory, "safe-cli")
    owner, staker = new_wallets(t, "owner", "staker")
    miner = t.json("wallet", "new-hotkey", "--wallet-name", "staker", "--hotkey", "miner",
                   "--no-use-password", "-y")
    (other,) = new_wallets(t, "other")
    t.json("chain", "fund", staker["coldkey_ss58"], "2000")
    nets = owned_subnets(t, owner, 2)
    for hotkey in ("default", "miner"):
        t.json("subnet", "register", "--netuid", nets[0], "--wallet-name", "staker",
               "--hotkey", hotkey, "-y")
    for n in nets:
        t.json("stake", "add", "--netuid", n, "--amount", "300", "--wallet-name", "staker",
               "--unsafe", "-y")
    return t, nets, staker, miner, other


def _dry(t, *args):
    proc = t.run(*args, "--dry-run", "--json")
    return proc, json.loads(proc.stdout)


def test_remove_all_without_netuid_is_one_limit_order_per_subnet(chain):
    t, nets, *_ = chain
    proc, doc = _dry(t, "stake", "remove", "--all", "--wallet-name", "staker", "--tolerance",
                     "0.01")
    calls = [(q["call"], q["args"]["netuid"]) for q in doc["quotes"]]
    assert calls == [("SubtensorModule.remove_stake_full_limit", n) for n in nets]
    assert all(q["limit_price_rao"] and q["args"]["limit_price"] == q["limit_price_rao"]
               for q in doc["quotes"])
    # 300 TAO into each pool: selling it all within 1 % is refused, and said so (exit 4)
    assert proc.returncode == 4
    assert all(q["refusal"]["error"] == "SlippageTooHigh" for q in doc["quotes"])
    assert "Warning" not in proc.stderr


def test_remove_all_on_a_netuid_is_a_full_limit_order(chain):
    t, nets, *_ = chain
    _, doc = _dry(t, "stake", "remove", "--all", "--netuid", nets[1], "--wallet-name", "staker")
    [q] = doc["quotes"]
    assert q["call"] == "SubtensorModule.remove_stake_full_limit"
    assert q["args"]["limit_price"] == q["limit_price_rao"] > 0


def test_unsafe_remove_all_warns_over_five_percent(chain):
    t, nets, *_ = chain
    proc, doc = _dry(t, "stake", "remove", "--all", "--unsafe", "--wallet-name", "staker")
    assert proc.returncode == 0
    assert [q["call"] for q in doc["quotes"]] == ["SubtensorModule.unstake_all"]
    slipped = [r for r in doc["per_subnet"] if float(r["slippage_pct"]) > 5]
    assert slipped, "the positions are too small to slip past 5 %: the test proves nothing"
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == len(slipped)
    assert all("over 5 %" in w for w in warnings)


def test_no_warning_under_five_percent(chain):
    t, nets, *_ = chain
    proc, _ = _dry(t, "stake", "remove", "--netuid", nets[0], "--amount", "0.01", "--unsafe",
                   "--wallet-name", "staker")
    assert proc.returncode == 0
    assert "Warning" not in proc.stderr


def test_move_across_subnets_is_limit_protected_and_takes_a_hotkey_name(chain):
    t, nets, staker, miner, _ = chain
    proc, doc = _dry(t, "stake", "move", "--to", "miner", "--origin-netuid", nets[0],
                     "--dest-netuid", nets[1], "--amount", "1", "--wallet-name", "staker")
    assert proc.returncode == 0, proc.stderr
    [q] = doc["quotes"]
    assert q["call"] == "SubtensorModule.move_stake_limit"
    assert q["args"]["limit_price"] == q["limit_price_rao"] > 0
    assert q["args"]["allow_partial"] is False
    assert q["destination_hotkey"] == miner["hotkey_ss58"]
    assert doc["destination"]["hotkey_name"] == "staker/miner"
    unsafe = _dry(t, "stake", "move", "--to", "miner", "--origin-netuid", nets[0],
                  "--dest-netuid", nets[1], "--amount", "1", "--wallet-name", "staker",
                  "--unsafe")[1]
    assert unsafe["quotes"][0]["call"] == "SubtensorModule.move_stake"


def test_an_unknown_hotkey_name_is_one_line_about_to(chain):
    t, nets, *_ = chain
    proc = t.run("stake", "move", "--to", "nosuch", "--origin-netuid", nets[0], "--amount",
                 "1", "--wallet-name", "staker", "--dry-run")
    assert proc.returncode == 2
    assert "--to 'nosuch'" in proc.stderr and "--dest" not in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cross_subnet_transfer_needs_unsafe(chain):
    t, nets, _, _, other = chain
    proc = t.run("stake", "transfer", "--dest", other["coldkey_ss58"], "--origin-netuid",
                 nets[0], "--dest-netuid", nets[1], "--amount", "1", "--wallet-name", "staker",
                 "--dry-run")
    assert proc.returncode == 2 and "--unsafe" in proc.stderr
    proc, doc = _dry(t, "stake", "transfer", "--dest", "other", "--origin-netuid", nets[0],
                     "--dest-netuid", nets[1], "--amount", "1", "--wallet-name", "staker",
                     "--unsafe")
    assert proc.returncode == 0 and doc["quotes"][0]["call"] == "SubtensorModule.transfer_stake"


def test_confirmations_name_the_destination(chain):
    t, nets, _, miner, other = chain
    proc = t.run("stake", "move", "--to", "miner", "--origin-netuid", nets[0], "--amount", "1",
                 "--wallet-name", "staker", "--dry-run")
    assert f"hotkey staker/miner ({miner['hotkey_ss58']})" in " ".join(proc.stdout.split())
    proc = t.run("stake", "transfer", "--dest", other["coldkey_ss58"], "--origin-netuid",
                 nets[0], "--amount", "1", "--wallet-name", "staker")
    assert proc.returncode == 2  # no terminal to confirm on, no -y: nothing signed
    shown = " ".join(proc.stderr.split())
    assert f"coldkey other ({other['coldkey_ss58']})" in shown  # the table's title
    assert f"Sign and submit 1 operation → coldkey other ({other['coldkey_ss58']})" in shown


def _execute(t, *args):
    dry = t.json(*args, "--dry-run")
    done = t.json(*args, "-y")
    assert [q["received_rao"] for q in dry["quotes"]] == \
        [e["received_rao"] for e in done["executed"]]
    assert done["matches_quote"] is True
    return dry, done


def test_move_and_transfer_deliver_what_they_quote(chain):
    """The receiving position grows by exactly the quoted alpha (no fee is taken in alpha
    from it, so the state change is the quote even with a transaction fee)."""
    t, nets, _, miner, other = chain
    for args in (("stake", "move", "--to", "miner", "--origin-netuid", nets[0],
                  "--dest-netuid", nets[1], "--amount", "1.5", "--tolerance", "0.05",
                  "--wallet-name", "staker"),
                 ("stake", "move", "--to", "miner", "--origin-netuid", nets[0], "--amount",
                  "0.7", "--wallet-name", "staker"),
                 ("stake", "transfer", "--dest", "other", "--origin-netuid", nets[0],
                  "--amount", "1", "--wallet-name", "staker"),
                 ("stake", "swap", "--origin-netuid", nets[1], "--dest-netuid", nets[0],
                  "--amount", "1", "--tolerance", "0.05", "--wallet-name", "staker")):
        _, done = _execute(t, *args)
        [e] = done["executed"]
        assert e["state_change_rao"] == e["quoted_rao"], args


def test_remove_all_executes_what_it_quotes(chain):
    """Safe remove --all on a netuid with a tolerance wide enough: the TAO received is the
    quote, and the free balance grows by it less the transaction fee."""
    t, nets, *_ = chain
    _, done = _execute(t, "stake", "remove", "--all", "--netuid", nets[1], "--tolerance",
                       "0.9", "--wallet-name", "staker")
    [e] = done["executed"]
    assert e["call"] == "SubtensorModule.remove_stake_full_limit"
    assert e["state_change_rao"] == e["received_rao"] - (e["receipt"].get("fee_rao") or 0)


def test_a_runtime_without_the_limit_call_is_refused_not_traded_unprotected():
    """Before spec 461 a runtime has no move_stake_limit: the move is refused (exit 4, nothing
    signed) rather than sent as move_stake; --unsafe is named as the way to do it anyway."""
    from types import SimpleNamespace

    from chain.substrate.metadata import MetadataError
    from cli.stake import LimitCallMissing, _require_call

    def build_call(pallet, name, args):
        raise MetadataError(f"the runtime has no call {pallet}.{name}")

    session = SimpleNamespace(backend=SimpleNamespace(build_call=build_call))
    with pytest.raises(LimitCallMissing) as refused:
        _require_call(session, "move_stake_limit", "move_stake")
    assert refused.value.exit_code == 4 and "--unsafe" in str(refused.value)
    session.backend.build_call = lambda pallet, name, args: None  # a runtime that has it
    _require_call(session, "move_stake_limit", "move_stake")

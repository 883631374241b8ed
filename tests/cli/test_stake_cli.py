"""`taoctl stake ...` through the installed CLI: the dry-run quote is the execution (hypothesis
over amounts, tolerances, safe/unsafe and partial, for add, remove and swap), the dry run never
asks for a password, nothing is signed without a confirmation, and the tables show the numbers.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import new_wallets, owned_subnets, sandbox_session, staker_on

TAO = 10**9


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """A dev chain with two started subnets; 'staker' registered on the first, 200 TAO free;
    'locked' has an encrypted coldkey (password in a file) and 50 TAO."""
    t = sandbox_session(tmp_path_factory, "stake-cli")
    owner, staker = new_wallets(t, "owner", "staker")
    t.password = t.root / "pw.txt"
    t.password.write_text("a long enough password\n")
    locked = t.json("wallet", "create", "--wallet-name", "locked", "--password-file",
                    str(t.password), "-y")
    t.json("chain", "fund", staker["coldkey_ss58"], "200")
    t.json("chain", "fund", locked["coldkey_ss58"], "50")
    nets = owned_subnets(t, owner, 2)
    staker_on(t, nets[0])
    return t, nets, staker


def _state(t) -> str:
    docs = [t.json("stake", "list", "--wallet-name", w) for w in ("staker", "locked")]
    docs.append(t.json("subnet", "list"))
    return json.dumps(docs, sort_keys=True)


def _dry_then_execute(t, args: list[str]) -> None:
    """The dry run's verdict is the execution's: the same received amounts, or the same error
    (and then nothing changed)."""
    dry = t.run(*args, "--dry-run", "--json", "-y")
    before = _state(t) if dry.returncode != 0 else None
    done = t.run(*args, "--json", "-y")
    if dry.returncode != 0:
        assert done.returncode == dry.returncode
        assert json.loads(done.stdout)["error"]["type"] == _error_of(json.loads(dry.stdout))
        assert _state(t) == before
        return
    quoted, executed = json.loads(dry.stdout), json.loads(done.stdout)
    assert done.returncode == 0, done.stdout
    assert [q["received_rao"] for q in quoted["quotes"]] == \
        [e["received_rao"] for e in executed["executed"]]
    assert [q["args"] for q in quoted["quotes"]] == [q["args"] for q in executed["quotes"]]
    assert executed["matches_quote"] is True


def _error_of(doc: dict) -> str:
    """The error a dry run reports: an error document, or the refusal inside its quote."""
    if "error" in doc:
        return doc["error"]["type"]
    return next(q["refusal"]["error"] for q in doc["quotes"] if q.get("refusal"))


options = st.fixed_dictionaries({
    "tolerance": st.sampled_from(["0.001", "0.005", "0.05", "2%"]),
    "safe": st.booleans(),
    "partial": st.booleans(),
})


def _flags(opts: dict) -> list[str]:
    return ["--tolerance", opts["tolerance"], "--safe" if opts["safe"] else "--unsafe",
            "--partial" if opts["partial"] else "--no-partial"]


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tao=st.integers(min_value=1_000_000, max_value=15 * TAO), opts=options)
def test_add_quote_equals_execution(chain, tao, opts):
    t, nets, _ = chain
    _dry_then_execute(t, ["stake", "add", "--netuid", str(nets[0]), "--amount", f"{tao} rao",
                          "--wallet-name", "staker", *_flags(opts)])


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(share=st.integers(min_value=1, max_value=300), opts=options)
def test_remove_quote_equals_execution(chain, share, opts):
    t, nets, staker = chain
    held = {r["netuid"]: r["alpha_rao"] for r in
            t.json("stake", "list", "--wallet-name", "staker")["stakes"]}.get(nets[0], 0)
    alpha = max(held * share // 1000, 1)
    _dry_then_execute(t, ["stake", "remove", "--netuid", str(nets[0]), "--amount",
                          f"{alpha} rao", "--wallet-name", "staker", *_flags(opts)])


@pytest.mark.slow
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(share=st.integers(min_value=1, max_value=300), opts=options)
def test_swap_quote_equals_execution(chain, share, opts):
    t, nets, _ = chain
    held = {r["netuid"]: r["alpha_rao"] for r in
            t.json("stake", "list", "--wallet-name", "staker")["stakes"]}.get(nets[0], 0)
    alpha = max(held * share // 1000, 1)
    _dry_then_execute(t, ["stake", "swap", "--origin-netuid", str(nets[0]), "--dest-netuid",
                          str(nets[1]), "--amount", f"{alpha} rao", "--wallet-name", "staker",
                          *_flags(opts)])


def test_dry_run_never_asks_for_a_password(chain):
    t, nets, staker = chain
    # an encrypted coldkey, no password source, no -y, no terminal: a quote still works
    proc = t.run("stake", "add", "--netuid", nets[0], "--amount", "1", "--hotkey-ss58",
                 staker["hotkey_ss58"], "--wallet-name", "locked", "--dry-run", "--json")
    assert proc.returncode == 0, proc.stdout
    doc = json.loads(proc.stdout)
    assert doc["dry_run"] and doc["quotes"][0]["received_rao"] > 0
    assert "password" not in proc.stderr.lower()


def test_nothing_is_signed_without_a_confirmation(chain):
    t, nets, staker = chain
    before = _state(t)
    proc = t.run("stake", "add", "--netuid", nets[0], "--amount", "1", "--wallet-name",
                 "staker", "--json")
    assert proc.returncode == 2
    assert "-y" in json.loads(proc.stdout)["error"]["message"]
    assert _state(t) == before


@pytest.mark.slow
def test_encrypted_coldkey_signs_with_a_password_file(chain):
    t, nets, staker = chain
    doc = t.json("stake", "add", "--netuid", nets[0], "--amount", "1", "--hotkey-ss58",
                 staker["hotkey_ss58"], "--wallet-name", "locked", "--password-file",
                 str(t.password), "-y")
    assert doc["matches_quote"] and doc["executed"][0]["received_rao"] > 0
    proc = t.run("stake", "add", "--netuid", nets[0], "--amount", "1", "--hotkey-ss58",
                 staker["hotkey_ss58"], "--wallet-name", "locked", "-y", "--json")
    assert proc.returncode == 3  # encrypted, and no password given: refused before signing


def test_the_table_shows_the_numbers_before_signing(chain):
    t, nets, _ = chain
    proc = t.run("stake", "add", "--netuid", nets[0], "--amount", "1", "--wallet-name",
                 "staker", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    for column in ("Amount", "Spot rate", "Received", "Fee", "Slippage", "Limit price",
                   "Worst case accepted", "dry run"):
        assert column in proc.stdout, proc.stdout
    done = t.run("stake", "remove", "--netuid", nets[0], "--amount", "0.5", "--wallet-name",
                 "staker", "-y")
    assert done.returncode == 0, done.stderr
    assert "Quoted" in done.stdout and "Received" in done.stdout
    assert "Slippage" in done.stderr  # the table before signing, on stderr


def test_stake_list_values(chain):
    import amm

    t, nets, staker = chain
    doc = t.json("stake", "list", "--wallet-name", "staker")
    row = next(r for r in doc["stakes"] if r["netuid"] == nets[0])
    assert row["hotkey"] == staker["hotkey_ss58"]
    from chain.rules.valuation import exit_value, spot_value

    pools = {r["netuid"]: r["pool"] for r in t.json("subnet", "list")["subnets"]}
    p = pools[nets[0]]
    pool = amm.Pool(p["tao_reserve_rao"], p["alpha_reserve_rao"],
                    tao_weight=p["tao_weight_parts"], fee_rate=p["fee_rate"])
    assert row["spot_value_rao"] == row["value_rao"] == spot_value(pool, row["alpha_rao"])
    assert row["exit_value_rao"] == row["unstake_value_rao"] == \
        amm.sell(pool, row["alpha_rao"]).amount_out == exit_value(pool, row["alpha_rao"])
    assert doc["total_spot_value_rao"] == sum(r["spot_value_rao"] for r in doc["stakes"])

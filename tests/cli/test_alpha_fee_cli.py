"""End to end (ECONOMICS-2026 §9.3): a coldkey whose free TAO cannot pay a staking call's fee
unstakes and swaps stake anyway, the fee paid in alpha sold out of the position; every quote,
dry run and receipt says who paid and how much, in `--json` and in the human table, and the
quote is the execution to the rao."""

from __future__ import annotations

import json

import pytest

from tests.conftest import new_wallets, owned_subnets, sandbox_session, staker_on

TAO = 10**9
ED = 500


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    """Two started subnets; 'staker' holds 40 TAO of stake on the first and, after sending
    the rest away (keep-alive), only the existential deposit free."""
    t = sandbox_session(tmp_path_factory, "alpha-fee-cli")
    owner, staker = new_wallets(t, "owner", "staker")
    t.json("chain", "fund", staker["coldkey_ss58"], "100")
    nets = owned_subnets(t, owner, 2)
    staker_on(t, nets[0], amount="40")
    t.owner = owner["coldkey_ss58"]
    return t, nets


def _drain(t) -> None:
    """Send every rao the staker can spare away (keep-alive): the existential deposit stays."""
    if _free(t) == ED:
        return
    t.json("wallet", "transfer", "--dest", t.owner, "--all", "--wallet-name", "staker", "-y")
    assert _free(t) == ED


def _position(t, netuid: int) -> int:
    rows = t.json("stake", "list", "--wallet-name", "staker")["stakes"]
    return sum(r["alpha_rao"] for r in rows if r["netuid"] == netuid)


def _free(t) -> int:
    return t.json("wallet", "balance", "--wallet-name", "staker")["balances"][0]["free_rao"]


def _alpha_paid(t, args: list[str]) -> tuple[dict, dict]:
    """Dry run then execution of a stake command whose fee alpha pays: (quote, executed)."""
    dry = t.json(*args, "--dry-run")
    (quote,) = dry["quotes"]
    assert quote["refusal"] is None, quote
    assert quote["fee_payer"] == "alpha" and quote["tx_fee_token"] == "TAO"
    assert quote["tx_fee_rao"] > 0 and quote["fee_alpha_rao"] > 0
    done = t.json(*args, "-y")
    (executed,) = done["executed"]
    receipt = executed["receipt"]
    assert receipt["success"] and receipt["fee_rao"] == quote["tx_fee_rao"]
    assert {k: receipt[k] for k in ("fee_payer", "fee_netuid", "fee_alpha_rao",
                                    "fee_alpha_tao_rao")} == \
        {k: quote[k] for k in ("fee_payer", "fee_netuid", "fee_alpha_rao", "fee_alpha_tao_rao")}
    assert executed["received_rao"] == executed["quoted_rao"] == quote["received_rao"]
    assert done["matches_quote"] is True
    return quote, executed


def test_unstake_with_no_free_tao_pays_the_fee_in_alpha(chain):
    t, nets = chain
    _drain(t)
    held, free = _position(t, nets[0]), _free(t)
    args = ["stake", "remove", "--netuid", str(nets[0]), "--amount", "2", "--wallet-name",
            "staker"]
    human = t.run(*args, "--dry-run")
    assert human.returncode == 0, human.stderr
    table = human.stdout + human.stderr
    assert "Tx fee (paid in): " in table and "paid in alpha" in table
    quote, executed = _alpha_paid(t, args)
    assert quote["fee_netuid"] == nets[0]
    # no TAO left the coldkey: its free balance grew by exactly what the unstake paid
    assert _free(t) == free + executed["received_rao"]
    assert _position(t, nets[0]) == held - 2 * TAO - quote["fee_alpha_rao"]
    assert t.json("chain", "check")["ok"]


def test_swap_with_no_free_tao_pays_the_fee_in_alpha(chain):
    t, nets = chain
    _drain(t)
    held, free = _position(t, nets[0]), _free(t)
    args = ["stake", "swap", "--origin-netuid", str(nets[0]), "--dest-netuid", str(nets[1]),
            "--amount", "1", "--wallet-name", "staker"]
    quote, executed = _alpha_paid(t, args)
    assert _free(t) == free  # the fee came out of the position, not the free balance
    assert _position(t, nets[0]) == held - TAO - quote["fee_alpha_rao"]
    assert _position(t, nets[1]) == executed["received_rao"]
    assert t.json("chain", "check")["ok"]


def test_add_stake_cannot_pay_in_alpha(chain):
    """`add_stake` is not among the runtime's alpha-paid calls: with only the existential
    deposit free the extrinsic cannot be paid (`Payment`), the dry run says so, nothing
    changes."""
    t, nets = chain
    _drain(t)
    held, free = _position(t, nets[0]), _free(t)
    args = ["stake", "add", "--netuid", str(nets[0]), "--amount", "0.0001", "--wallet-name",
            "staker", "--unsafe"]
    dry = t.run(*args, "--dry-run", "--json")
    doc = json.loads(dry.stdout)
    assert doc["quotes"][0]["fee_payer"] == "none"
    done = t.run(*args, "-y", "--json")
    assert done.returncode != 0
    assert _position(t, nets[0]) == held and _free(t) == free


def test_unstaking_everything_leaves_room_for_the_fees_alpha(chain):
    """With alpha paying, the fee's alpha is sold first: unstaking the whole position is
    refused (NotEnoughStakeToWithdraw, nothing changes) and the dry run names the most that
    passes, the position less that alpha, which then executes as quoted."""
    t, nets = chain
    _drain(t)
    held, free = _position(t, nets[0]), _free(t)
    args = ["stake", "remove", "--netuid", str(nets[0]), "--amount", f"{held} rao",
            "--wallet-name", "staker", "--unsafe"]
    (quote,) = t.json(*args, "--dry-run", ok=False)["quotes"]  # exit 4: a refusal
    assert quote["refusal"]["error"] == "NotEnoughStakeToWithdraw"
    assert quote["fee_payer"] == "alpha"
    largest = quote["refusal"]["largest_passing_rao"]
    assert largest == held - quote["fee_alpha_rao"]
    assert t.run(*args, "-y", "--json").returncode == 4
    assert (_position(t, nets[0]), _free(t)) == (held, free)
    args[5] = f"{largest} rao"
    quote, executed = _alpha_paid(t, args)
    assert _position(t, nets[0]) == 0
    assert _free(t) == free + executed["received_rao"]
    assert t.json("chain", "check")["ok"]

"""The sandbox walkthrough (the README's first steps) runs end to end through the installed CLI:
init a dev chain, create a wallet, fund it, transfer, advance, show balances and halvings."""

from __future__ import annotations

TAO = 10**9
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"


def test_walkthrough(taoctl):
    assert taoctl.json("chain", "init")["preset"] == "dev"
    wallet = taoctl.json("wallet", "create", "--wallet-name", "demo", "--no-use-password",
                         "-y")
    address = wallet["coldkey_ss58"]
    assert taoctl.json("chain", "fund", address, "100")["receipt"]["success"]
    sent = taoctl.json("wallet", "transfer", "--wallet-name", "demo", "--dest", BOB,
                       "--amount", "1.5", "-y")
    assert sent["receipt"]["success"]
    advanced = taoctl.json("chain", "advance", "7200")
    assert advanced["date"] == "2026-01-02T00:00:12Z"  # one day of 12 s blocks later
    balances = taoctl.json("wallet", "balance", "--wallet-name", "demo")["balances"]
    assert balances[0]["free_rao"] == 100 * TAO - 1_500_000_000 - sent["receipt"]["fee_rao"]
    halvings = taoctl.json("chain", "halving")["halvings"]
    assert halvings[0]["threshold_rao"] == 10_500_000 * TAO
    assert taoctl.json("chain", "check")["ok"]

"""Alpha-paid fees through `taoctl node serve` (ECONOMICS-2026 §9.3): the node charges them as
the runtime does (the sale's `StakeRemoved`, `TransactionFeePaidWithAlpha`, then
`TransactionFeePaid`), and taoctl's client quotes who pays from the node's state
(`chain.rules.fee_payer`), the same figures to the rao."""

from __future__ import annotations

import json

from chain.node.server import NodeServer
from chain.remote.connection import forget
from tests.remote.test_remote_parity import setup_chains

TAO = 10**9
ED = 500


def _cli(taoctl, url, *args):
    proc = taoctl.run(*args, "--network", url, "--json")
    assert proc.stdout.strip(), proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_an_unstake_through_the_node_pays_its_fee_in_alpha(taoctl, tmp_path):
    paths = setup_chains(taoctl, tmp_path, "owner", "staker")
    taoctl.env["TAOCTL_CHAIN_DB"] = str(paths["node"])
    for args in (["subnet", "create", "--wallet-name", "owner", "--subnet-name", "fees", "-y"],
                 ["subnet", "start", "--netuid", "1", "--wallet-name", "owner", "-y"],
                 ["subnet", "register", "--netuid", "1", "--wallet-name", "staker",
                  "--unsafe", "-y"],
                 ["stake", "add", "--netuid", "1", "--amount", "30", "--wallet-name", "staker",
                  "--unsafe", "-y"]):
        taoctl.json(*args)
    owner = taoctl.json("wallet", "balance", "--wallet-name", "owner")["balances"][0]["ss58"]
    taoctl.json("wallet", "transfer", "--dest", owner, "--all", "--wallet-name", "staker", "-y")
    taoctl.json("chain", "advance", "1")
    server = NodeServer(paths["node"], "127.0.0.1", 0)
    _, stop = server.start_thread()
    url = f"ws://127.0.0.1:{server.port}"
    try:
        args = ["stake", "remove", "--netuid", "1", "--amount", "1", "--wallet-name", "staker"]
        # shielded (the default through a node): the carrier pays in TAO only, so nothing can
        code, dry = _cli(taoctl, url, *args, "--dry-run")
        assert dry["quotes"][0]["fee_payer"] == "none"
        assert "--no-mev-shield" in dry["quotes"][0]["fee_why"]
        # in the clear the position's alpha pays
        code, dry = _cli(taoctl, url, *args, "--no-mev-shield", "--dry-run")
        assert code == 0, dry
        (quote,) = dry["quotes"]
        assert quote["fee_payer"] == "alpha" and quote["fee_alpha_rao"] > 0
        code, done = _cli(taoctl, url, *args, "--no-mev-shield", "-y")
        assert code == 0, done
        (executed,) = done["executed"]
        receipt = executed["receipt"]
        assert receipt["fee_rao"] == quote["tx_fee_rao"]
        assert receipt["fee_payer"] == "alpha"
        assert (receipt["fee_alpha_rao"], receipt["fee_alpha_tao_rao"]) == \
            (quote["fee_alpha_rao"], quote["fee_alpha_tao_rao"])
        names = [(e["pallet"], e["name"]) for e in receipt["events"]]
        assert names.index(("SubtensorModule", "TransactionFeePaidWithAlpha")) < \
            names.index(("TransactionPayment", "TransactionFeePaid"))
        assert ("Balances", "Withdraw") not in names
        assert executed["received_rao"] == executed["quoted_rao"] == quote["received_rao"]
        assert done["free_balance_after_rao"] == ED + executed["received_rao"]
    finally:
        forget(url)
        stop()
    assert taoctl.json("chain", "check")["ok"]

"""The bittensor 11.3.0 SDK's reads of NODE-461 §2.3 in one client session: run by the SDK
venv's python (it imports nothing of taoctl), it prints one JSON document, each read's answer
(amounts in rao) or its error, for `test_sdk11.py` to check against the sandbox.

Usage: python sdk_driver.py URL ALICE_SS58 HOTKEY_SS58 NETUID PAST_BLOCK
"""

from __future__ import annotations

import json
import sys
import traceback


def main() -> None:
    url, alice, hotkey, netuid, past = sys.argv[1:6]
    netuid, past = int(netuid), int(past)
    import bittensor as bt

    out: dict = {}
    sub = bt.Subtensor(url)

    def read(name, fn):
        try:
            out[name] = fn()
        except Exception as exc:  # noqa: BLE001 - each read's failure is reported, not fatal
            out[name] = {"error": f"{type(exc).__name__}: {exc}",
                         "where": traceback.format_exc()[-600:]}

    read("balance", lambda: sub.balances.get(alice).rao)
    read("balance_past", lambda: sub.balances.get(alice, block=past).rao)
    read("positions", lambda: [[p.hotkey, p.netuid, p.stake.rao]
                               for p in sub.staking.positions(alice)])
    read("stake_past", lambda: sub.staking.get(alice, hotkey, netuid, block=past).rao)
    read("alpha_price", lambda: sub.prices.alpha_price(netuid)["tao_per_alpha"])
    read("alpha_price_past",
         lambda: sub.prices.alpha_price(netuid, block=past)["tao_per_alpha"])

    def quote():
        q = sub.prices.quote_stake(netuid, 2.0)
        return {"alpha": q.alpha.rao, "tao_fee": q.tao_fee.rao, "alpha_fee": q.alpha_fee.rao,
                "tao_slippage": q.tao_slippage.rao, "alpha_slippage": q.alpha_slippage.rao}

    read("quote_stake", quote)

    def metagraph():
        mg = sub.subnets.metagraph(netuid, commitments=False)
        return {"num_uids": mg.num_uids, "price": mg.price,
                "neurons": [[n.uid, n.hotkey, n.coldkey, n.alpha_stake.rao]
                            for n in mg.neurons]}

    read("metagraph", metagraph)
    read("hyperparameters", lambda: json.loads(json.dumps(
        sub.read("subnet_hyperparameters", netuid=netuid), default=str)))
    read("next_key_len", lambda: len(bytes.fromhex(str(
        sub.read("mev_shield_next_key")).removeprefix("0x"))))
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()

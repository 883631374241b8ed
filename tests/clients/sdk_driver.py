"""The bittensor 11.3.0 SDK in one client session (NODE-461 §2.3), for `test_sdk11.py`: run by
the SDK venv's python (it imports nothing of taoctl).

It first prints one JSON line: every read's answer (amounts in rao) or its error, taken before
anything changes the chain. Then it answers commands, one JSON line in, one out, on the same
connection: `{"op": "execute", "intent": "Transfer", "args": {...}, "hotkey": "default",
"shielded": false}` runs an intent (`Subtensor.execute`, or `submit_shielded`), and
`{"op": "read", "name": ..., "params": {...}}` one read; the test checks the chain between them.

Usage: python sdk_driver.py URL ALICE_SS58 HOTKEY_SS58 NETUID PAST_BLOCK WALLET_PATH
"""

from __future__ import annotations

import json
import sys
import traceback


def rao_of(value):
    """Balances as rao, containers walked, everything else as is (JSON-able)."""
    if hasattr(value, "rao"):
        return value.rao
    if isinstance(value, dict):
        return {str(k): rao_of(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rao_of(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return {k: rao_of(getattr(value, k)) for k in value.__dataclass_fields__}
    return value


def failure(exc: Exception) -> dict:
    return {"error": f"{type(exc).__name__}: {exc}", "where": traceback.format_exc()[-600:]}


def reads(sub, alice: str, hotkey: str, netuid: int, past: int) -> dict:
    out: dict = {}

    def read(name, fn):
        try:
            out[name] = fn()
        except Exception as exc:  # noqa: BLE001 - each read's failure is reported, not fatal
            out[name] = failure(exc)

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
        return {"num_uids": mg.num_uids, "price": mg.price, "block": mg.block,
                "last_step": mg.last_step, "blocks_since_last_step": mg.blocks_since_last_step,
                "neurons": [[n.uid, n.hotkey, n.coldkey, n.alpha_stake.rao]
                            for n in mg.neurons]}

    read("metagraph", metagraph)

    def epoch_clock(block):
        """The SDK's reads of a block's number and subnet epoch counters (raw storage at the
        block's hash, and the metagraph runtime call there)."""
        mg = sub.subnets.metagraph(netuid, block=block, commitments=False)
        at = sub.block if block is None else block
        return {"number": sub.query(("System", "Number"), block=block),
                "block": mg.block, "last_step": mg.last_step,
                "blocks_since_last_step": mg.blocks_since_last_step,
                "stored_since": sub.query(("SubtensorModule", "BlocksSinceLastStep"), [netuid],
                                          block=block),
                "stored_last": sub.query(("SubtensorModule", "LastEpochBlock"), [netuid],
                                         block=block),
                "asked": at}

    read("epoch_clock_head", lambda: epoch_clock(None))
    read("epoch_clock_past", lambda: epoch_clock(past))
    read("hyperparameters", lambda: json.loads(json.dumps(
        sub.read("subnet_hyperparameters", netuid=netuid), default=str)))
    read("next_key_len", lambda: len(bytes.fromhex(str(
        sub.read("mev_shield_next_key")).removeprefix("0x"))))
    # the rest of §2.3's reads, through the SDK's read registry
    read("existential_deposit", lambda: sub.read("existential_deposit").rao)
    read("subnets", lambda: [[s.netuid, s.tempo, s.burn.rao, s.neuron_count]
                             for s in sub.read("subnets")])
    read("neurons_lite", lambda: [[n.uid, n.hotkey, n.coldkey, n.total_stake.rao]
                                  for n in sub.read("neurons", netuid=netuid, lite=True)])
    read("uid", lambda: sub.read("uid", hotkey_ss58=hotkey, netuid=netuid))
    read("stake", lambda: sub.read("stake", coldkey_ss58=alice, hotkey_ss58=hotkey,
                                   netuid=netuid).rao)
    read("alpha_prices", lambda: {str(k): v for k, v in sub.read("alpha_prices").items()})

    def quote_unstake():
        q = sub.read("quote_unstake", netuid=netuid, amount_alpha=2.0)
        return {"tao": q.tao.rao, "alpha_fee": q.alpha_fee.rao, "tao_fee": q.tao_fee.rao}

    read("quote_unstake", quote_unstake)
    read("burn", lambda: sub.read("burn", netuid=netuid).rao)
    read("subnet_registration_cost", lambda: sub.read("subnet_registration_cost").rao)
    read("delegates", lambda: rao_of(sub.read("delegates")))
    read("children", lambda: rao_of(sub.read("children", hotkey_ss58=hotkey, netuid=netuid)))
    read("stake_availability", lambda: rao_of(sub.read("stake_availability",
                                                       coldkey_ss58=alice, netuid=netuid)))
    read("coldkey_lock", lambda: rao_of(sub.read("coldkey_lock", coldkey_ss58=alice,
                                                 netuid=netuid)))
    read("next_epoch_start_block", lambda: sub.read("next_epoch_start_block", netuid=netuid))
    # a map read at a past block (keys paged and queried at that block's hash)
    read("subnets_past", lambda: [[s.netuid, s.tempo, s.burn.rao, s.neuron_count]
                                  for s in sub.at(past).read("subnets")])
    return out


def execute(sub, bt, wallet_path: str, cmd: dict) -> dict:
    from bittensor import intents

    wallet = bt.Wallet("alice", cmd.get("hotkey", "default"), path=wallet_path)
    intent = getattr(intents, cmd["intent"])(**cmd.get("args", {}))
    submit = sub.submit_shielded if cmd.get("shielded") else sub.execute
    result = submit(intent, wallet)
    data = rao_of(result.data)
    if data.get("shielded"):
        # The SDK caches the next nonce per account and, after a shielded pair (carrier at n,
        # inner at n+1), holds n: its next extrinsic would reuse n+1 and be refused as stale
        # by any node. A client defect, not the node's: start the cache afresh.
        sub._client._substrate.raw.clear_nonce_cache_for_account(  # noqa: SLF001
            wallet.coldkeypub.ss58_address)
    return {"success": result.success, "message": result.message,
            "extrinsic_id": result.extrinsic_id, "block_hash": result.block_hash,
            "fee_rao": rao_of(result.fee), "data": data}


def main() -> None:
    url, alice, hotkey, netuid, past, wallet_path = sys.argv[1:7]
    import bittensor as bt

    sub = bt.Subtensor(url)
    print(json.dumps(reads(sub, alice, hotkey, int(netuid), int(past)), default=str),
          flush=True)
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["op"] == "execute":
                answer = execute(sub, bt, wallet_path, cmd)
            else:
                answer = {"value": rao_of(sub.read(cmd["name"], **cmd.get("params", {})))}
        except Exception as exc:  # noqa: BLE001 - reported to the test, the session goes on
            answer = failure(exc)
        print(json.dumps(answer, default=str), flush=True)


if __name__ == "__main__":
    main()

"""A subprocess that streams transfers into a chain file and reports each applied one.

Usage: python transfer_worker.py CHAIN_DB SENDER DEST_HEX COUNT
Prints "READY", then waits for a line on stdin before it starts, so the parent's `readline()` of
READY cannot buffer (and then lose to `communicate()`) any of the lines that follow. Prints
"APPLIED <extrinsic hash hex> <block> <success> <fee rao>" after each receipt (i.e. after the commit),
flushed, so a parent that kills this process knows exactly which transfers were reported as applied.
"""

from __future__ import annotations

import sys

from chain.local.accounts import dev_signer
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call


def main() -> None:
    path, sender, dest_hex, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    signer = dev_signer(sender)
    chain = LocalChain.open(path)
    call = Call("Balances", "transfer_keep_alive", {"dest": bytes.fromhex(dest_hex),
                                                    "value": 1_000_000})
    print("READY", flush=True)
    sys.stdin.readline()  # the parent's go
    for _ in range(count):
        receipt = chain.submit_call(signer, call)
        print(f"APPLIED {receipt.extrinsic_hash.hex()} {receipt.block_number} "
              f"{int(receipt.success)} {receipt.fee_rao}", flush=True)
    chain.close()


if __name__ == "__main__":
    main()

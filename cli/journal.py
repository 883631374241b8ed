"""taoctl's own record of what it submitted on a real network: one JSON line per receipt.

A node keeps no index of an account's extrinsics, so `taoctl portfolio` learns a coldkey's cost
basis from this journal (`cli.cost_basis`). `cli.pipeline.submit` appends an entry for every
receipt it gets (failed calls too: their fee was paid). The file is append-only
(`O_APPEND`, one `write` per line, `fsync` before returning), created 0600, under the data
directory: `$TAOCTL_JOURNAL`, else `$XDG_DATA_HOME/taoctl/journal.jsonl`. Entries carry the
chain's genesis hash, so one file serves every network. It holds public data only (calls,
events, amounts); never a secret. A torn last line (a crash mid-write) is skipped on reading.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chain.backend import Call, Receipt


def path() -> Path:
    """Where the journal lives."""
    explicit = os.environ.get("TAOCTL_JOURNAL")
    if explicit:
        return Path(explicit).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return Path(base) / "taoctl" / "journal.jsonl"


def entry(genesis_hash: bytes, network: str, signer: bytes, call: Call,
          receipt: Receipt) -> dict:
    """The journal line of one receipt, in `ChainBackend.account_history`'s shape."""
    from chain.backend import canonical

    return {"genesis": "0x" + genesis_hash.hex(), "network": network,
            "block": receipt.block_number, "index": receipt.extrinsic_index,
            "hash": "0x" + receipt.extrinsic_hash.hex(), "signer": "0x" + signer.hex(),
            "call": {"pallet": call.pallet, "name": call.name, "args": canonical(call.args)},
            "success": receipt.success, "error": receipt.error, "fee_rao": receipt.fee_rao,
            "events": canonical(receipt.events), "result": canonical(receipt.result)}


def append(record: dict, where: Path | None = None) -> None:
    """Append one entry durably: created 0600 (parents 0700), one write, fsync."""
    target = where or path()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    line = (json.dumps(record, sort_keys=True, separators=(",", ":")) + "\n").encode()
    fd = os.open(target, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, line)
        os.fsync(fd)
    finally:
        os.close(fd)


def record(backend: Any, signer: bytes, call: Call, receipt: Receipt) -> None:
    """Journal a receipt from a real network (the sandbox keeps its own history)."""
    from chain.backend import SandboxBackend

    if isinstance(backend, SandboxBackend):
        return
    append(entry(backend.block_info().genesis_hash, backend.network, signer, call, receipt))


def operations(genesis_hash: bytes, account: bytes, where: Path | None = None) -> list[dict]:
    """This chain's entries that touch `account` (signed by it or naming it), oldest first,
    without duplicates (the same extrinsic hash twice is one operation)."""
    target = where or path()
    try:
        text = target.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    genesis, who = "0x" + genesis_hash.hex(), account.hex()
    seen: set[str] = set()
    out = []
    for line in text.splitlines():
        if who not in line or genesis not in line:
            continue
        try:
            op = json.loads(line)
        except ValueError:
            continue  # a torn line from a crash mid-write
        if op.get("genesis") != genesis or op.get("hash") in seen:
            continue
        seen.add(op["hash"])
        out.append(op)
    out.sort(key=lambda op: (op["block"], op["index"]))
    return out


def merge(*sources: list[dict]) -> list[dict]:
    """Operations from several records (journal, archive events), one per extrinsic hash."""
    seen: dict[str, dict] = {}
    for ops in sources:
        for op in ops:
            seen.setdefault(op["hash"], op)
    return sorted(seen.values(), key=lambda op: (op["block"], op["index"]))

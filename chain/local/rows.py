"""The shape of a row in `blocks` and `extrinsics`, checked where rows are read.

SQLite stores whatever it is given, and a damaged page or a hand edit can leave a row whose
JSON does not parse, whose hash is not 32 bytes or whose number is text. Commands that read a
row go through `loads` / `block_row_problem`, so a damaged row is `ChainCorrupt` naming the
table, the row and the column (exit 5, nothing changed), never a JSON parser's error; `chain
check` runs the same functions over every row.
"""

from __future__ import annotations

import json
import re
from typing import Any

from chain.local.errors import ChainCorrupt

_HASH_HEX = re.compile(r"0x[0-9a-f]{64}")
_DIGITS = re.compile(r"[0-9]{1,40}")


def corrupt(where: str, problem: str) -> ChainCorrupt:
    """The error for a damaged row: what is damaged, and that nothing was changed."""
    return ChainCorrupt(f"the chain file is damaged: {where} {problem}; nothing was changed "
                        "(`taoctl chain check` lists what is damaged)")


def loads(text: Any, where: str) -> Any:
    """JSON text of a row's column, or ChainCorrupt naming `where` (e.g. "block 12 events")."""
    if not isinstance(text, str):
        raise corrupt(where, f"is {type(text).__name__}, not JSON text")
    try:
        return json.loads(text)
    except ValueError:
        raise corrupt(where, f"is not valid JSON ({text[:40]!r})") from None


def hash_list(text: Any, where: str) -> list[str]:
    """A JSON list of "0x" + 64 hex digit hashes (a block's extrinsics), or ChainCorrupt."""
    value = loads(text, where)
    if not isinstance(value, list) or not all(
            isinstance(h, str) and _HASH_HEX.fullmatch(h) for h in value):
        raise corrupt(where, "is not a JSON list of extrinsic hashes")
    return value


def _is_hash(value: Any) -> bool:
    return isinstance(value, bytes) and len(value) == 32


def _is_int(value: Any) -> bool:
    return type(value) is int and value >= 0


def _is_amount(text: Any) -> bool:
    return isinstance(text, str) and _DIGITS.fullmatch(text) is not None


def _json_list(text: Any) -> list | None:
    try:
        value = json.loads(text) if isinstance(text, str) else None
    except ValueError:
        return None
    return value if isinstance(value, list) else None


def block_row_problem(row: tuple) -> str | None:
    """What is wrong with a `blocks` row (number, hash, parent, timestamp, extrinsics, events,
    issuance, issuance_end, run_end), or None when it is well formed."""
    number, block_hash, parent, timestamp, extrinsics, events, issuance, issuance_end, \
        run_end = row
    if not _is_int(number):
        return f"has number {number!r}"
    if block_hash is not None and not _is_hash(block_hash):
        return "has a hash that is not 32 bytes"
    if not _is_hash(parent):
        return "has a parent hash that is not 32 bytes"
    if not _is_int(timestamp) or not _is_int(run_end):
        return "has a timestamp or run end that is not a whole number"
    hashes = _json_list(extrinsics)
    if hashes is None or not all(isinstance(h, str) and _HASH_HEX.fullmatch(h) for h in hashes):
        return "has an extrinsics column that is not a JSON list of hashes"
    if _json_list(events) is None:
        return "has an events column that is not a JSON list"
    if not _is_amount(issuance) or (issuance_end is not None and not _is_amount(issuance_end)):
        return "has an issuance that is not a whole number"
    return None


def extrinsic_row_problem(row: tuple) -> str | None:
    """What is wrong with an `extrinsics` row (block, idx, hash, signer, nonce, call,
    signature, success, error, events), or None when it is well formed."""
    block, idx, xt_hash, signer, nonce, call, signature, success, error, events = row
    if not (_is_int(block) and _is_int(idx) and _is_int(nonce)):
        return "has a block, index or nonce that is not a whole number"
    if not _is_hash(xt_hash) or not _is_hash(signer):
        return "has a hash or signer that is not 32 bytes"
    if not isinstance(signature, bytes) or success not in (0, 1):
        return "has a malformed signature or success flag"
    if not isinstance(call, str) or (error is not None and not isinstance(error, str)):
        return "has a call or error that is not text"
    if _json_list(events) is None:
        return "has an events column that is not a JSON list"
    return None

"""The read interface the rules need: storage items by subtensor's names."""

from __future__ import annotations

from typing import Any, Protocol

SM = "SubtensorModule"
ROOT_NETUID = 0
MAX_U64 = 2**64 - 1


class StorageReader(Protocol):
    """Anything that reads a storage item by name at one block (both backends do)."""

    def read(self, item: str, *key: Any) -> Any: ...

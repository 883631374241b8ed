"""The storage-item declarations the remote backend maps node storage with.

One function names where the declarations live, so moving them is a one-line change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def declared() -> dict[str, Any]:
    """Every storage item taoctl declares, by "Pallet.Name"."""
    from chain.pallets.registry import REGISTRY

    return REGISTRY


@dataclass(frozen=True)
class Undeclared:
    """An item only the runtime's metadata knows: keys and value kept as decoded JSON."""

    pallet: str
    name: str
    keys: tuple[str, ...]
    value: str = "json"
    default: Any = None

    @property
    def id(self) -> str:
        return f"{self.pallet}.{self.name}"

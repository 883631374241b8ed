"""What a call is: subtensor's pallet and call names and its arguments, named and in subtensor's
order, each with its kind ("AccountId", "u16", "u64", "bool", "Vec<u16>", "Option<u64>", ...).
The calls themselves are declared per pallet and collected by `chain.pallets.registry`; the
bundled chain binds a runtime function to each (`chain.local.calls`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CallDecl:
    """One dispatchable call: `Pallet.name(arg: kind, ...)`."""

    pallet: str
    name: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.pallet}.{self.name}"


def call(pallet: str, name: str, **params: str) -> CallDecl:
    """Declare a call; keyword order is the argument order."""
    return CallDecl(pallet, name, dict(params))

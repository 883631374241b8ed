"""The call table: the function that runs each call `chain.pallets` declares.

Which (pallet, call) names exist and their arguments are declared once, per pallet, in
`chain.pallets`; a runtime module binds its function to one with `@call("Pallet", "name")`, and
`lookup` loads every module of `PALLET_MODULES` first, so the table is whole whatever was
imported before. Argument kinds: "AccountId" (32 bytes, or "0x"-hex in JSON),
"u16"/"u64"/"u128" (non-negative ints in range), "bool". `decode_args` checks and normalises
arguments before dispatch, so a malformed call is an invalid transaction (refused, nothing
changed) rather than a failed dispatch.

A call function has the signature `fn(env, origin, **args)`: `env` carries the state, the open
block number and the list of events being recorded; `origin` is the sender's public key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from chain.local.errors import CallUnknown
from chain.local.state import State
from chain.pallets.registry import CALLS as DECLARED

_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "u128": 128}


@dataclass
class Env:
    """What a dispatched call sees: the state, the open block, and the events it emits."""

    state: State
    block_number: int
    events: list[dict] = field(default_factory=list)
    result: dict | None = None  # what a call did, for quotes (dry runs) and receipts

    def emit(self, pallet: str, name: str, **args: Any) -> None:
        """Record an event (pallet, name, args) for the extrinsic or block being applied."""
        self.events.append({"pallet": pallet, "name": name, "args": args})


@dataclass(frozen=True)
class CallSpec:
    pallet: str
    name: str
    params: dict[str, str]
    fn: Callable[..., None]


CALLS: dict[str, CallSpec] = {}


def call(pallet: str, name: str) -> Callable:
    """Decorator binding the runtime function of a call declared in `chain.pallets`."""
    decl = DECLARED.get(f"{pallet}.{name}")
    if decl is None:
        raise ValueError(f"{pallet}.{name} is not declared in chain.pallets")

    def register(fn: Callable) -> Callable:
        CALLS[decl.id] = CallSpec(pallet, name, dict(decl.params), fn)
        return fn

    return register


def bound() -> dict[str, CallSpec]:
    """Every call with its runtime function (all pallet modules loaded)."""
    _load_pallets()
    return CALLS


def lookup(pallet: str, name: str) -> CallSpec:
    """The registered call, loading the pallet modules on first use."""
    _load_pallets()
    spec = CALLS.get(f"{pallet}.{name}")
    if spec is None:
        raise CallUnknown(f"no call {pallet}.{name} on this chain")
    return spec


def decode_args(spec: CallSpec, args: dict) -> dict:
    """Check and normalise call arguments; raises CallUnknown when they do not fit."""
    if set(args) != set(spec.params):
        raise CallUnknown(f"{spec.pallet}.{spec.name} takes ({', '.join(spec.params)}), "
                          f"got ({', '.join(args)})")
    return {name: _decode(spec, name, kind, args[name]) for name, kind in spec.params.items()}


def _decode(spec: CallSpec, name: str, kind: str, value: Any) -> Any:
    where = f"{spec.pallet}.{spec.name}({name})"
    if kind == "AccountId":
        if isinstance(value, str) and value.startswith("0x"):
            try:
                value = bytes.fromhex(value[2:])
            except ValueError:
                raise CallUnknown(f"{where}: not hex") from None
        if not isinstance(value, (bytes, bytearray)) or len(value) != 32:
            raise CallUnknown(f"{where}: an account is 32 bytes")
        return bytes(value)
    if kind in _BITS:
        if isinstance(value, bool) or not isinstance(value, int) or not \
                0 <= value < 2 ** _BITS[kind]:
            raise CallUnknown(f"{where}: not a {kind}")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise CallUnknown(f"{where}: not a bool")
        return value
    if kind in ("ProxyType", "Option<ProxyType>", "RuntimeCall"):  # proxyhatch
        return _decode_proxy_arg(where, kind, value)
    return value


def _decode_proxy_arg(where: str, kind: str, value: Any) -> Any:
    """The Proxy pallet's kinds: a ProxyType by variant name (None allowed for the Option),
    a RuntimeCall as {"pallet", "name", "args"} of a call this chain has (args checked)."""
    from chain.rules.proxy import PROXY_TYPES

    if kind == "RuntimeCall":
        if isinstance(value, dict) and len(value) == 1:  # SCALE's {Pallet: {name: {args}}}
            (pallet, inner), = value.items()
            if isinstance(inner, dict) and len(inner) == 1:
                (name, args), = inner.items()
                value = {"pallet": pallet, "name": name, "args": {
                    k: v["Id"] if isinstance(v, dict) and set(v) == {"Id"} else v
                    for k, v in (args or {}).items()}}
        if not isinstance(value, dict) or set(value) != {"pallet", "name", "args"}:
            raise CallUnknown(f"{where}: a call is {{pallet, name, args}}")
        spec = lookup(str(value["pallet"]), str(value["name"]))
        return {"pallet": spec.pallet, "name": spec.name,
                "args": decode_args(spec, dict(value["args"]))}
    if value is None and kind.startswith("Option"):
        return None
    if isinstance(value, dict) and len(value) == 1 and None in value.values():
        (value,) = value  # a unit variant as {"Staking": None}
    if value not in PROXY_TYPES:
        raise CallUnknown(f"{where}: not a proxy type ({', '.join(PROXY_TYPES)})")
    return value


_LOADED = False
PALLET_MODULES = ["chain.local.balances", "chain.local.subnets", "chain.local.registration",
                  "chain.local.staking", "chain.local.admin", "chain.local.weights",
                  "chain.local.mev_shield",  # mevclients: the MEV shield's carrier
                  "chain.local.staking_transfer", "chain.local.epoch_modes",  # regqueue
                  "chain.local.proxy"]  # proxyhatch
PALLET_MODULES += ["chain.local.null_pruning",  # econ: sudo_trim_null_uids_batch
                   "chain.local.commit_reveal",  # econ: commit_weights / reveal_weights
                   "chain.local.gate_admin"]  # econ: the emission gate's root setters


def _load_pallets() -> None:
    global _LOADED
    if not _LOADED:
        import importlib

        for module in PALLET_MODULES:
            importlib.import_module(module)
        _LOADED = True

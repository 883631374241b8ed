"""Where the CLI gets a chain: the one module that names the backends.

`open_backend` gives the `ChainBackend` of a network (the bundled sandbox file, or a node's
websocket URL); `sandbox` narrows one to the `SandboxBackend` contract, refusing real nodes
with `SandboxOnly` (exit 5); `create_sandbox`, `node_server`, `keypair_signer` and
`offline_call_data` are the few other things a command needs from a backend package. Light
at import (stdlib only): each backend loads inside the function that opens it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from chain.backend import Call, ChainBackend, SandboxBackend, Signer

if TYPE_CHECKING:
    from chain.node.server import NodeServer


def open_sandbox(path: str | Path) -> SandboxBackend:
    """The bundled chain in one SQLite file."""
    from chain.local.backend import LocalBackend

    return LocalBackend(path)


def open_node(url: str, *, name: str, timeout: float | None,
              period: int | None) -> ChainBackend:
    """A Substrate node running subtensor (finney, test, local, `taoctl node serve`)."""
    from chain.remote import DEFAULT_PERIOD, DEFAULT_TIMEOUT_S, open_remote

    return open_remote(url, name=name, timeout=timeout or DEFAULT_TIMEOUT_S,
                       period=period or DEFAULT_PERIOD)


def sandbox(backend: ChainBackend, what: str = "this command") -> SandboxBackend:
    """The backend as the sandbox contract, or SandboxOnly naming the network."""
    if isinstance(backend, SandboxBackend):
        return backend
    from chain.remote.errors import SandboxOnly

    raise SandboxOnly(f"{what} works only on the bundled sandbox chain (--network sandbox), "
                      f"not on {backend.network}")


def create_sandbox(path: str | Path, preset: str, *, force: bool = False) -> None:
    """Write a new chain file from a genesis preset (dev, mainnet)."""
    from chain.local.chain import LocalChain

    with LocalChain.create(Path(path), preset, force=force):
        pass


def node_server(path: str | Path, host: str, port: int, *,
                block_time: float | None = None, log_level: str | None = None) -> NodeServer:
    """`taoctl node serve`'s server over a sandbox chain file (logging to stderr at
    `log_level` when given)."""
    from chain.node.server import NodeServer, configure_logging

    if log_level is not None:
        configure_logging(log_level)
    return NodeServer(Path(path), host, port, block_time=block_time)


def keypair_signer(keypair: Any) -> Signer:
    """A wallet Keypair (public_key, private_key) as an sr25519 `Signer`."""
    from chain.local.accounts import Signer as Sr25519Signer

    return Sr25519Signer.from_keypair(keypair)


def offline_call_data(call: Call) -> bytes:
    """The call's SCALE bytes per the recorded finney metadata (no node needed)."""
    from chain.remote import call_hex

    return bytes.fromhex(call_hex(call.pallet, call.name, call.args)[2:])


# -- proxyhatch: the Proxy pallet's rules, for --proxy-for's pre-check ----------------------------
def proxy_types() -> tuple[str, ...]:
    """Spec 461's ProxyType variants, in order (`chain.rules.proxy`)."""
    from chain.rules.proxy import PROXY_TYPES

    return PROXY_TYPES


def proxy_permits(definitions: list, delegate: bytes, proxy_type: str | None,
                  call: Call) -> tuple[str | None, str | None]:
    """(the proxy type that matched, or None; the refusal's name, or None) for `delegate`
    dispatching `call` through a real account whose Proxies list is `definitions`."""
    from chain.rules.proxy import allows, find

    found = find(definitions, delegate, proxy_type)
    if found is None:
        return None, "NotProxy"
    kind = str(found["proxy_type"])
    if not allows(kind, call.pallet, call.name, dict(call.args)):
        return kind, "CallFiltered"
    return kind, None


def error_docs(spec: int = 461) -> dict[str, list[tuple[str, str]]]:
    """Every error name of runtime `spec`'s recorded metadata -> [(pallet, its doc text)],
    with frame_system's DispatchError variants (Token, Arithmetic, ...) under "System"."""
    from chain.substrate.metadata import recorded

    md = recorded(spec)  # shipped pre-extracted: no first-run decoding of the hex
    found: dict[str, list[tuple[str, str]]] = {}
    for pallet, p in md.pallets.items():
        for v in md.variants(p["error"]):
            found.setdefault(v["name"], []).append((pallet, " ".join(v.get("docs") or [])))
    outer = {("sp_runtime", "DispatchError"): "System", ("sp_runtime", "TokenError"): "Token",
             ("sp_runtime", "ArithmeticError"): "Arithmetic",
             ("sp_runtime", "TransactionalError"): "Transactional"}
    for ty in md.registry.types.values():
        where = outer.get(tuple(ty.get("path") or ()))
        if where is None or "variant" not in ty["def"]:
            continue
        for v in ty["def"]["variant"]["variants"]:
            if where == "System" and v["fields"]:
                continue  # Module, Token, Arithmetic, ...: the families listed on their own
            found.setdefault(v["name"], []).append((where, " ".join(v.get("docs") or [])))
    return found


def declared_item(item_id: str) -> tuple[tuple[str, ...], str] | None:
    """(key kinds, value kind) of a storage item taoctl declares ("Pallet.Name"), or None."""
    from chain.pallets.registry import REGISTRY

    item = REGISTRY.get(item_id)
    return None if item is None else (item.keys, item.value)


def declared_call(call_id: str) -> dict[str, str] | None:
    """The argument kinds, in order, of a call taoctl declares ("Pallet.name"), or None."""
    from chain.pallets.registry import CALLS

    decl = CALLS.get(call_id)
    return None if decl is None else dict(decl.params)


def declared_names() -> tuple[list[str], list[str]]:
    """Every declared storage item and call id (for "did you mean")."""
    from chain.pallets.registry import CALLS, REGISTRY

    return sorted(REGISTRY), sorted(CALLS)


def weights_commit_hash(hotkey: bytes, netuid: int, uids: list[int], values: list[int],
                        salt: list[int], version_key: int) -> bytes:
    """The hash `weights commit` signs: the chain's own `get_commit_hash`
    (`chain.local.commit_reveal.commit_hash`, held to btcli's `generate_weight_hash`)."""
    from chain.local.commit_reveal import commit_hash

    return commit_hash(hotkey, netuid, uids, values, salt, version_key)

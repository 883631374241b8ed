"""The Proxy pallet (subtensor's `pallet_subtensor_proxy`): add_proxy, remove_proxy, proxy.

- `add_proxy(delegate, proxy_type, delay)`: the sender (the real account) lets `delegate` act
  for it within `proxy_type`'s filter. Refused: NoSelfProxy, Duplicate (same delegate, type and
  delay), TooMany (MaxProxies, 20). The deposit ProxyDepositBase + ProxyDepositFactor * n is
  held: moved from free to reserved (InsufficientBalance when free would fall below the
  existential deposit). Emits ProxyAdded{delegator, delegatee, proxy_type, delay}.
- `remove_proxy`: the exact definition goes (NotFound otherwise), the deposit shrinks (released
  to free; nothing reserved once the list is empty). Emits ProxyRemoved.
- `proxy(real, force_proxy_type, call)`: the sender must be a proxy of `real` (of that type if
  forced: NotProxy otherwise; a delayed proxy must announce, which the bundled chain does not
  offer: Unannounced). The inner call runs as `real` in its own snapshot when the type's filter
  (`chain.rules.proxy.allows`) lets it through; a filtered call fails with CallFiltered. As on
  subtensor the proxy extrinsic itself succeeds either way: the inner outcome is the
  `ProxyExecuted{result}` event (`{"Ok": null}` or `{"Err": {"error", "message"}}`), and the
  inner call's result record is the receipt's.
"""

from __future__ import annotations

from dataclasses import replace

from chain.errors import fail
from chain.local.balances import EXISTENTIAL_DEPOSIT
from chain.local.calls import Env, call, decode_args, lookup
from chain.local.errors import DispatchError, InsufficientBalance
from chain.pallets import proxy as px
from chain.pallets import system
from chain.rules.proxy import allows, find, is_superset


def deposit_for(count: int) -> int:
    """The reserve held for `count` proxies (none for none)."""
    return px.PROXY_DEPOSIT_BASE + px.PROXY_DEPOSIT_FACTOR * count if count else 0


def _hold(env: Env, who: bytes, new_deposit: int, old_deposit: int) -> None:
    """Move the deposit's change between free and reserved."""
    info = env.state.get(system.ACCOUNT, who)
    delta = new_deposit - old_deposit
    if delta > 0 and info.free - delta < EXISTENTIAL_DEPOSIT:
        raise InsufficientBalance(f"the proxy deposit needs {delta} rao more reserved; the "
                                  f"account has {info.free} rao free")
    env.state.set(system.ACCOUNT, who, replace(info, free=info.free - delta,
                                               reserved=info.reserved + delta))


def _definition(delegate: bytes, proxy_type: str, delay: int) -> dict:
    return {"delegate": "0x" + delegate.hex(), "proxy_type": proxy_type, "delay": delay}


@call("Proxy", "add_proxy")
def add_proxy(env: Env, origin: bytes, delegate: bytes, proxy_type: str, delay: int) -> None:
    if delegate == origin:
        raise fail("NoSelfProxy", "an account cannot be its own proxy")
    definitions, deposit = env.state.get(px.PROXIES, origin)
    new = _definition(delegate, proxy_type, delay)
    if new in definitions:
        raise fail("Duplicate", "this delegate is already a proxy of that type and delay")
    if len(definitions) >= px.MAX_PROXIES:
        raise fail("TooMany", f"an account has at most {px.MAX_PROXIES} proxies")
    definitions = sorted([*definitions, new], key=lambda d: (d["delegate"], d["proxy_type"],
                                                             d["delay"]))
    new_deposit = deposit_for(len(definitions))
    _hold(env, origin, new_deposit, deposit)
    env.state.set(px.PROXIES, origin, [definitions, new_deposit])
    env.emit("Proxy", "ProxyAdded", delegator=origin, delegatee=delegate,
             proxy_type=proxy_type, delay=delay)
    env.result = {"deposit_rao": new_deposit, "reserved_rao": new_deposit - deposit}


@call("Proxy", "remove_proxy")
def remove_proxy(env: Env, origin: bytes, delegate: bytes, proxy_type: str, delay: int) -> None:
    definitions, deposit = env.state.get(px.PROXIES, origin)
    gone = _definition(delegate, proxy_type, delay)
    if gone not in definitions:
        raise fail("NotFound", "no such proxy (delegate, type and delay must all match)")
    definitions = [d for d in definitions if d != gone]
    new_deposit = deposit_for(len(definitions))
    _hold(env, origin, new_deposit, deposit)
    if definitions:
        env.state.set(px.PROXIES, origin, [definitions, new_deposit])
    else:
        env.state.remove(px.PROXIES, origin)
    env.emit("Proxy", "ProxyRemoved", delegator=origin, delegatee=delegate,
             proxy_type=proxy_type, delay=delay)
    env.result = {"deposit_rao": new_deposit, "released_rao": deposit - new_deposit}


@call("Proxy", "proxy")
def proxy(env: Env, origin: bytes, real: bytes, force_proxy_type: str | None,
          call: dict) -> None:
    definitions, _ = env.state.get(px.PROXIES, real)
    found = find(definitions, origin, force_proxy_type)
    if found is None:
        raise fail("NotProxy", "the sender is not a proxy of this account"
                   + (f" of type {force_proxy_type}" if force_proxy_type else ""))
    if found["delay"]:
        raise fail("Unannounced", "a proxy with a delay must announce the call first; the "
                   "bundled chain has no announcements")
    inner = Env(env.state, env.block_number)
    env.state.begin()
    try:
        if not _permitted(found["proxy_type"], call):
            raise fail("CallFiltered", f"a {found['proxy_type']} proxy may not call "
                       f"{call['pallet']}.{call['name']}")
        spec = lookup(call["pallet"], call["name"])
        spec.fn(inner, real, **decode_args(spec, call["args"]))
    except DispatchError as exc:
        env.state.rollback()
        env.emit("Proxy", "ProxyExecuted",
                 result={"Err": {"error": exc.name, "message": str(exc)}})
        return
    env.state.commit()
    env.events.extend(inner.events)
    env.result = inner.result
    env.emit("Proxy", "ProxyExecuted", result={"Ok": None})


def _permitted(proxy_type: str, call: dict) -> bool:
    """The type's filter, and pallet_proxy's own rule: managing proxies through a proxy needs
    a type that is a superset of the one managed."""
    if not allows(proxy_type, call["pallet"], call["name"], call["args"]):
        return False
    if call["pallet"] == "Proxy" and call["name"] in ("add_proxy", "remove_proxy"):
        return is_superset(proxy_type, call["args"]["proxy_type"])
    return True

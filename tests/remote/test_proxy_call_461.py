"""Proxy.proxy composed from the spec-461 metadata: the wrapped call's bytes are the Proxy
pallet's index and call index, `real` as MultiAddress::Id, the Option<ProxyType>, then the inner
call's own bytes unchanged; decoding them gives back what the bundled chain dispatches."""

from __future__ import annotations

from types import SimpleNamespace

from chain.local.calls import decode_args, lookup
from chain.remote.backend import RemoteBackend
from tests.chain.local.proxy_metadata import metadata

HOT, REAL = bytes(range(32)), bytes(range(32, 64))


def _composer():
    return SimpleNamespace(md=metadata(), _arg=lambda t, v: RemoteBackend._arg(composer, t, v),
                           _nested_call=lambda c: RemoteBackend._nested_call(composer, c))


composer = _composer()


def _compose(pallet, name, args):
    return RemoteBackend.compose_call(composer, pallet, name, args)


def test_proxy_wraps_the_inner_call_bytes():
    inner_args = {"hotkey": HOT, "netuid": 3, "amount_staked": 10**9}
    inner = _compose("SubtensorModule", "add_stake", inner_args)
    md = metadata()
    proxy_index = md.pallets["Proxy"]["index"]
    for forced, option in ((None, b"\x00"), ("Staking", b"\x01\x08")):
        data = _compose("Proxy", "proxy", {
            "real": REAL, "force_proxy_type": forced,
            "call": {"pallet": "SubtensorModule", "name": "add_stake", "args": inner_args}})
        assert data == bytes([proxy_index, 0]) + b"\x00" + REAL + option + inner
        pallet, name, args, end = md.decode_call(data)
        assert (pallet, name, end) == ("Proxy", "proxy", len(data))
        from chain.substrate.mapping import from_scale

        spec = lookup("Proxy", "proxy")
        local = decode_args(spec, {"real": args["real"]["Id"],
                                   "force_proxy_type": args["force_proxy_type"],
                                   "call": from_scale("RuntimeCall", args["call"])})
        assert local["call"] == {"pallet": "SubtensorModule", "name": "add_stake",
                                 "args": inner_args}
        assert local["force_proxy_type"] == forced

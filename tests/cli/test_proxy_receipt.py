"""`cli.pipeline.submit` with a proxy signer against the bundled chain: the call goes wrapped
in Proxy.proxy, and when the proxy extrinsic is included but its inner call fails (here a
transfer the Staking type filters, which the dry run would have refused) the CLI raises the
inner error by name (exit 4), saying the proxy paid its fee; a permitted call's receipt is the
inner call's."""

from __future__ import annotations

import pytest

from chain.backend import Call
from chain.errors import DispatchError
from chain.factory import create_sandbox, open_sandbox
from cli.output import Output
from cli.pipeline import ProxySigner, submit


def test_an_included_proxy_whose_inner_call_failed_is_refused_by_the_inner_name(tmp_path):
    create_sandbox(tmp_path / "c.db", "dev")
    backend = open_sandbox(tmp_path / "c.db")
    try:
        alice, bob = backend.dev_signer("Alice"), backend.dev_signer("Bob")
        assert backend.submit_call(alice, "Proxy", "add_proxy", {
            "delegate": bob.public_key, "proxy_type": "Staking", "delay": 0}).success
        nonce = backend.nonce(bob.public_key)
        transfer = Call("Balances", "transfer_keep_alive",
                        {"dest": bob.public_key, "value": 10**9})
        before = backend.free_balance(alice.public_key)
        with pytest.raises(DispatchError) as refused:
            submit(Output(True, True), backend, ProxySigner(bob, alice.public_key, None),
                   transfer)
        assert refused.value.name == "CallFiltered"
        assert "was included" in str(refused.value) and "Balances.transfer_keep_alive" in \
            str(refused.value)
        assert backend.nonce(bob.public_key) == nonce + 1  # included: the proxy's nonce moved
        assert backend.free_balance(alice.public_key) == before  # the inner call left no trace
        remark = Call("Proxy", "add_proxy", {"delegate": bytes(32), "proxy_type": "Staking",
                                             "delay": 0})
        with pytest.raises(DispatchError) as refused:  # Staking may not manage proxies
            submit(Output(True, True), backend, ProxySigner(bob, alice.public_key, "Staking"),
                   remark)
        assert refused.value.name == "CallFiltered"
    finally:
        backend.close()

"""Runtime queries of the remote backend (a mixin of `RemoteBackend`).

Where the runtime has an API, it answers (StakeInfo for stakes, SwapRuntimeApi for quotes,
SubnetRegistrationRuntimeApi for the lock cost); the bundled chain's own query code
(`chain.local.queries`: pool, subnets, hyperparameters, neurons, quote, ...) runs over a
read-through `RemoteState` of the node's storage for the rest, so both networks answer in the
same shapes. The pool model the runtime implements is read from its swap pallet's storage.
"""

from __future__ import annotations

from typing import Any

from chain.remote.errors import RemoteError, UnsupportedQuery

LOCAL_QUERIES = ("pool", "subnet", "subnets", "hyperparameters", "neurons", "burn_cost",
                 "price_history", "quote")


class RemoteQueries:
    """`query(method, *args)` and the quote helpers; needs `read`, `iter`, `head`,
    `runtime_call` and `md` from the backend."""

    def query(self, method: str, *args: Any) -> Any:
        """Runtime queries: "nonce" (account), "block_emission"; others are sandbox-only."""
        if method == "nonce":
            from wallet.ss58 import ss58_encode

            return int(self.rpc("system_accountNextIndex", [ss58_encode(args[0])]))
        if method == "block_emission":
            return self.read("SubtensorModule.BlockEmission")
        if method == "runtime_api":
            return self.runtime_call(*args)
        if method == "stake":
            return self.stake(*args)
        if method == "netuids":
            return sorted(k[0] for k, added in self.iter("SubtensorModule.NetworksAdded")
                          if added)
        if method == "lock_cost":
            return int.from_bytes(self.runtime_call(
                "SubnetRegistrationRuntimeApi_get_network_registration_cost"), "little")
        if method == "pool_model":
            return self.pool_model()
        if method == "sim_swap":
            return self.sim_swap(*args)
        if method == "alpha_price":
            return int.from_bytes(self.runtime_call("SwapRuntimeApi_current_alpha_price",
                                                    int(args[0]).to_bytes(2, "little")),
                                  "little")
        if method == "quote_check":
            return self.quote_check(*args)
        if method == "stake_info":
            return self.stake_info(*args)
        if method in LOCAL_QUERIES:
            return self._local_query(method, *args)
        raise UnsupportedQuery(f"unknown runtime query {method!r} on a remote node (it is only "
                               "available on the sandbox chain)")

    def _local_query(self, method: str, *args: Any) -> Any:
        """The bundled chain's own query code (`chain.local.queries`) over the node's state."""
        try:
            from chain.local import queries
        except ImportError:
            raise UnsupportedQuery(f"unknown runtime query {method!r}") from None
        number, _ = self.head()
        from chain.remote.state import RemoteState

        state = RemoteState(self)
        if method == "quote":
            return queries.quote(state, number + 1, *args)
        return queries.answer(state, number + 1, method, *args)

    def pool(self, netuid: int):
        """The subnet's pool as an `amm.Pool`, from the node's storage."""
        return self.query("pool", netuid)

    def quote(self, origin: bytes, pallet: str, name: str, args: dict) -> dict:
        """What the call would do now (the bundled runtime's dry run over the node's state)."""
        return self.query("quote", origin, pallet, name, args)

    def stake_info(self, coldkey: bytes) -> list[dict]:
        """Every position of a coldkey (the runtime's StakeInfo API), valued with the pools."""
        import amm
        from chain.substrate.scale import decode_compact

        raw = self.runtime_call("StakeInfoRuntimeApi_get_stake_info_for_coldkey", bytes(coldkey))
        count, offset = decode_compact(raw, 0)
        positions = []
        for _ in range(count):
            hotkey = raw[offset:offset + 32]
            offset += 64
            netuid, offset = decode_compact(raw, offset)
            alpha, offset = decode_compact(raw, offset)
            for _ in range(4):  # locked, emission, tao_emission, drain
                _, offset = decode_compact(raw, offset)
            offset += 1  # is_registered
            positions.append((hotkey, netuid, alpha))
        rows = []
        for hotkey, netuid, alpha in positions:
            if not alpha:
                continue
            pool = self.query("pool", netuid)
            try:
                unstake = amm.sell(pool, alpha).amount_out
            except amm.AmmError:
                unstake = 0
            price = amm.price_rao(pool)
            value = min((alpha * amm.spot_price(pool)) >> 64, 2**64 - 1)
            rows.append({"hotkey": "0x" + hotkey.hex(), "netuid": netuid, "alpha_rao": alpha,
                         "value_rao": value, "unstake_rao": unstake, "price_rao": price,
                         "symbol": self.read("SubtensorModule.TokenSymbol", netuid)})
        return rows

    def stake(self, hotkey: bytes, coldkey: bytes, netuid: int) -> int:
        """Alpha (rao) of `coldkey` on `hotkey` in `netuid`, from the runtime's StakeInfo API
        (whatever share-pool storage the runtime uses)."""
        from chain.substrate.scale import decode_compact

        raw = self.runtime_call("StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
                                bytes(hotkey) + bytes(coldkey) + int(netuid).to_bytes(2, "little"))
        if not raw or raw[0] == 0:
            return 0
        _, offset = decode_compact(raw, 65)  # Some ++ hotkey ++ coldkey, then netuid
        stake, _ = decode_compact(raw, offset)
        return stake

    def pool_model(self) -> str:
        """Which pool the runtime's swap pallet implements, read from its storage items:
        "weighted" (balancer weights), "concentrated-liquidity" (v3 ticks; with only the
        protocol's full-range position it prices as constant product), or "constant-product"."""
        if self.md.has_storage("Swap", "SwapBalancer"):
            return "weighted"
        if self.md.has_storage("Swap", "AlphaSqrtPrice"):
            return "concentrated-liquidity"
        return "constant-product"

    def sim_swap(self, netuid: int, direction: str, amount: int) -> dict | None:
        """The runtime's own quote (`SwapRuntimeApi.sim_swap_*`), None when it has none."""
        method = "SwapRuntimeApi_sim_swap_tao_for_alpha" if direction == "buy" else \
            "SwapRuntimeApi_sim_swap_alpha_for_tao"
        params = int(netuid).to_bytes(2, "little") + int(amount).to_bytes(8, "little")
        try:
            raw = self.runtime_call(method, params)
        except RemoteError:
            return None
        if len(raw) < 32:
            return None
        names = ("tao_amount", "alpha_amount", "tao_fee", "alpha_fee")
        return {n: int.from_bytes(raw[8 * i:8 * i + 8], "little") for i, n in enumerate(names)}

    def quote_check(self, netuid: int, direction: str, amount: int) -> dict:
        """The chain's quote beside taoctl's `amm` model computed from the chain's pool state,
        with a warning when they differ (amounts in rao)."""
        import amm

        model = self.pool_model()
        tao, alpha_in = self.read("SubtensorModule.SubnetTAO", netuid), \
            self.read("SubtensorModule.SubnetAlphaIn", netuid)
        fee_rate = self.read("Swap.FeeRate", netuid) if "Swap.FeeRate" in self.registry else 33
        local_model = amm.WEIGHTED if model == "weighted" else amm.CONSTANT_PRODUCT
        weight = self.read("Swap.SwapBalancer", netuid) if model == "weighted" else amm.HALF
        stable = self.read("SubtensorModule.SubnetMechanism", netuid) == 0 \
            if "SubtensorModule.SubnetMechanism" in self.registry else netuid == 0
        pool = amm.Pool(tao, alpha_in, weight, fee_rate, local_model, stable)
        ours = (amm.buy if direction == "buy" else amm.sell)(pool, amount)
        chain = self.sim_swap(netuid, direction, amount)
        out_key = "alpha_amount" if direction == "buy" else "tao_amount"
        result = {"pool_model": model, "local_model": local_model,
                  "local": {"amount_in_rao": ours.amount_in, "fee_rao": ours.fee,
                            "amount_out_rao": ours.amount_out},
                  "chain": chain, "warning": None}
        if chain is None:
            result["warning"] = "the runtime has no SwapRuntimeApi.sim_swap: local model only"
        elif chain[out_key] != ours.amount_out:
            result["warning"] = (f"the chain quotes {chain[out_key]} rao out, taoctl's "
                                 f"{local_model} model {ours.amount_out} rao "
                                 f"(the runtime's pool model is {model})")
        return result

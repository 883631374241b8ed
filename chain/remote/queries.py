"""The typed reads of the remote backend (a mixin of `RemoteBackend`).

Where the runtime has an API, it answers (StakeInfo for stakes, SwapRuntimeApi for swap quotes,
SubnetRegistrationRuntimeApi for the lock cost, a dry-run API for the quote of a call);
otherwise taoctl's shared rules (`chain.rules`) read the node's storage: the pool model, the
stake valuation, the metagraph and the pre-checks of stake trades and transfers. Nothing of the
bundled chain's runtime runs here.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from chain.backend import Call, CallQuote
from chain.errors import DispatchError
from chain.remote.errors import RemoteError

if TYPE_CHECKING:
    import amm

DRY_RUN_API = "TaoctlDryRunApi_dry_run_call"  # `taoctl node serve`'s runtime dry run
DEFAULT_EXISTENTIAL_DEPOSIT = 500  # rao, subtensor's Balances::ExistentialDeposit


class RemoteQueries:
    """Typed reads over `read`, `iter`, `head`, `rpc`, `runtime_call` and `md`."""

    md: Any
    registry: dict

    if TYPE_CHECKING:  # supplied by RemoteBackend
        def read(self, item: str, *key: Any) -> Any: ...

        def read_many(self, item: str, keys: list[tuple]) -> list[Any]: ...

        def iter(self, item: str) -> list[tuple[tuple, Any]]: ...

        def head(self) -> tuple[int, str]: ...

        def rpc(self, method: str, params: list) -> Any: ...

        def runtime_call(self, api_method: str, params: bytes = b"") -> bytes: ...

        def call_data(self, call: Call) -> bytes: ...

    # -- accounts ----------------------------------------------------------------------------
    def open_number(self) -> int:
        return self.head()[0] + 1

    def free_balance(self, account: bytes) -> int:
        return int(self.read("System.Account", account).free)

    def existential_deposit(self) -> int:
        """The runtime's `Balances.ExistentialDeposit` constant."""
        try:
            return int(self.md.constant("Balances", "ExistentialDeposit"))
        except Exception:  # noqa: BLE001 - metadata without the constant: subtensor's value
            return DEFAULT_EXISTENTIAL_DEPOSIT

    def nonce(self, account: bytes) -> int:
        from wallet.ss58 import ss58_encode

        return int(self.rpc("system_accountNextIndex", [ss58_encode(account)]))

    # -- subnets -----------------------------------------------------------------------------
    def netuids(self) -> list[int]:
        return sorted(k[0] for k, added in self.iter("SubtensorModule.NetworksAdded") if added)

    def pool(self, netuid: int) -> amm.Pool:
        """The subnet's pool from the node's storage (`chain.rules.pool`)."""
        from chain.rules.pool import read_pool

        return read_pool(self, netuid)

    def neurons(self, netuid: int) -> list[dict]:
        from chain.rules.views import neurons

        return neurons(self, netuid)

    def hyperparameters(self, netuid: int) -> dict[str, Any]:
        from chain.rules.views import hyperparameters

        return hyperparameters(self, netuid)

    def burn_cost(self, netuid: int) -> int:
        return int(self.read("SubtensorModule.Burn", netuid))

    def lock_cost(self) -> int:
        return int.from_bytes(self.runtime_call(
            "SubnetRegistrationRuntimeApi_get_network_registration_cost"), "little")

    def block_emission(self) -> int:
        return int(self.read("SubtensorModule.BlockEmission"))

    def price_history(self, netuid: int) -> list[tuple[int, int]]:
        """The node's recorded prices where it keeps them (`taoctl node serve`), else the
        spot price at the open block."""
        import amm

        points = sorted((int(block), int(price)) for (n, block), price
                        in self.iter("Taoctl.PriceAt") if n == netuid)
        return points or [(self.open_number(), amm.price_rao(self.pool(netuid)))]

    # -- stakes ------------------------------------------------------------------------------
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

    def stake_info(self, coldkey: bytes) -> list[dict]:
        """Every position of a coldkey (the runtime's StakeInfo API), valued with the pools."""
        from chain.rules.valuation import position
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
        return [position(self.pool(netuid), hotkey, netuid, alpha,
                         self.read("SubtensorModule.TokenSymbol", netuid))
                for hotkey, netuid, alpha in positions if alpha]

    def earnings(self, coldkey: bytes, stakes: list[tuple[bytes, int, int]]) -> list[int | None]:
        """Unknown on a node: the baseline is the sandbox's own record of stake calls."""
        return [None] * len(stakes)

    def account_history(self, account: bytes) -> list[dict] | None:
        """None: a node keeps no index of an account's extrinsics (taoctl's journal does)."""
        return None

    def alpha_value(self, netuid: int, alpha: int) -> tuple[int, int]:
        """`chain.rules.valuation` on the subnet's pool now (issue 17)."""
        from chain.rules.valuation import exit_value, spot_value

        pool = self.pool(netuid)
        return spot_value(pool, alpha), exit_value(pool, alpha)

    # -- quotes ------------------------------------------------------------------------------
    def pool_model(self) -> str:
        """Which pool the runtime's swap pallet implements, read from its storage items:
        "weighted" (balancer weights), "concentrated-liquidity" (v3 ticks; with only the
        protocol's full-range position it prices as constant product), or "constant-product"."""
        if self.md.has_storage("Swap", "SwapBalancer"):
            return "weighted"
        if self.md.has_storage("Swap", "AlphaSqrtPrice"):
            return "concentrated-liquidity"
        return "constant-product"

    def alpha_price(self, netuid: int) -> int:
        """`SwapRuntimeApi.current_alpha_price`, rao per alpha."""
        return int.from_bytes(self.runtime_call("SwapRuntimeApi_current_alpha_price",
                                                int(netuid).to_bytes(2, "little")), "little")

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
        local_model = amm.WEIGHTED if model == "weighted" else amm.CONSTANT_PRODUCT
        pool = self.pool(netuid)
        if model != "weighted":
            pool = amm.Pool(pool.tao_reserve, pool.alpha_reserve, amm.HALF, pool.fee_rate,
                            local_model, pool.stable)
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

    def quote_call(self, origin: bytes, call: Call) -> CallQuote:
        """The runtime's dry run where the node offers one; else the shared rules for stake
        trades and transfers (the node asked for the fee only then); else unchecked (the
        receipt will say)."""
        answer = self._runtime_dry_run(origin, call)
        if answer is not None:
            return answer
        from chain.rules import balances, fee_payer, staking

        try:
            if call.pallet == "SubtensorModule" and call.name in staking.STAKE_CALLS:
                # the fee first, in TAO or in the position's alpha (feeson)
                fee = self._fee_or_zero(origin, call)
                payment = fee_payer.who_pays(self, origin, call.id, call.args, fee)
                result = staking.check(fee_payer.after(self, origin, payment), origin,
                                       call.name, call.args)
                return CallQuote(True, result=self._with_runtime_swap(result), source="rules")
            if call.pallet == "Balances" and call.name in balances.TRANSFER_CALLS:
                fee = self._fee_or_zero(origin, call)
                return CallQuote(True, events=balances.transfer(self, origin, call.name,
                                                                call.args, fee), source="rules")
        except (DispatchError, fee_payer.CannotPayFees) as refusal:  # the rules' verdict
            return CallQuote(False, refusal.name, str(refusal), source="rules")
        return CallQuote(True, message="the node offers no dry run of this call: a refusal "
                         "would come with the receipt", source="none")

    def _fee_or_zero(self, origin: bytes, call: Call) -> int:
        """The node's fee for the call (`TransactionPaymentApi`), withdrawn before it runs;
        0 where the node cannot say (feeson)."""
        try:
            return int(self.estimate_fee(origin, call))  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - a node without the API: the rules see no fee
            return 0

    def _with_runtime_swap(self, result: dict) -> dict:
        """A stake or unstake's amount out as the runtime's own swap gives it (`sim_swap`),
        where the node has the API: its pool model is the truth, taoctl's `amm` a model."""
        swap = result.get("swap")
        if result.get("call") not in ("add_stake", "remove_stake") or not swap:
            return result
        buying = result["call"] == "add_stake"
        chain = self.sim_swap(result["netuid"], "buy" if buying else "sell",
                              swap["amount_in_rao"])
        if chain is None:
            return result
        key, out = ("alpha_received_rao", "alpha_amount") if buying else \
            ("tao_received_rao", "tao_amount")
        return result | {key: chain[out], "runtime_sim_swap": chain}

    def _runtime_dry_run(self, origin: bytes, call: Call) -> CallQuote | None:
        """`TaoctlDryRunApi.dry_run_call(origin, call)`: the node's runtime runs the call on a
        throw-away view of its open block; None when the node has no such API."""
        try:
            raw = self.runtime_call(DRY_RUN_API, bytes(origin) + self.call_data(call))
        except RemoteError:
            return None
        answer = json.loads(raw.decode())
        return CallQuote(bool(answer["success"]), answer.get("error"), answer.get("message"),
                         _accounts(answer.get("result")), _accounts(answer.get("events") or []),
                         "runtime")


def _accounts(value: Any) -> Any:
    """The dry run's JSON with 32-byte hex strings back as bytes (the local shapes)."""
    if isinstance(value, str) and value.startswith("0x") and len(value) == 66:
        return bytes.fromhex(value[2:])
    if isinstance(value, dict):
        return {k: _accounts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_accounts(v) for v in value]
    return value

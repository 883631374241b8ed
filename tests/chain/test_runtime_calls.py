"""`chain.substrate.runtime_calls` against recorded data: every runtime call a real spec-461
node answered (`recorded_spec461_node.json`) is encoded byte for byte from the arguments as a
user types them and decoded to the values the recording's client printed, with the recorded
V15 metadata and with the one `taoctl node serve` serves. Arguments round-trip through their
types (hypothesis), and bad ones are refused naming the parameter."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chain.substrate.metadata import recorded_v15, served_v15
from chain.substrate.metadata_reader import read
from chain.substrate.runtime_calls import RuntimeCatalogue
from chain.substrate.typed_text import BadValue
from wallet.ss58 import ss58_encode

# the recorded node's runtime calls (`recorded_spec461_node.json`, copied whole into the excerpt)
RECORDED = Path(__file__).resolve().parents[1] / "node" / "data" / \
    "recorded_spec461_excerpt.json"


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(RECORDED.read_text())


@pytest.fixture(scope="module", params=["recorded", "served"])
def catalogue(request, recorded) -> RuntimeCatalogue:
    # the recorded node's V15 metadata (byte for byte its `metadata.v15_hex`), or the served one
    raw = recorded_v15(461) if request.param == "recorded" else served_v15(461)
    return RuntimeCatalogue(read(raw), recorded["network"]["ss58_format"])


def test_the_recording_has_runtime_calls(recorded):
    assert len(recorded["runtime_calls"]) == 4


@pytest.mark.parametrize("index", range(4))
def test_recorded_calls_encode_and_decode_identically(catalogue, recorded, index):
    call = recorded["runtime_calls"][index]
    typed = [str(p) for p in call["params"]]  # as a user types them on the command line
    params, shown = catalogue.encode_args(call["api"], call["method"], typed)
    assert params.hex() == call["encoded_params_hex"]
    assert shown == call["params"]
    raw = bytes.fromhex(call["raw_hex"][2:])
    assert catalogue.decode(call["api"], call["method"], raw) == call["decoded"]


def test_the_catalogue_lists_every_method_with_types(catalogue):
    methods = {(m.api, m.method): m for m in catalogue.methods()}
    assert len(methods) == 122
    fee = methods["StakeInfoRuntimeApi", "get_stake_fee"]
    assert fee.inputs[0] == ("origin", "Option<(AccountId32, NetUid)>")
    assert fee.output == "u64"
    assert methods["SubnetInfoRuntimeApi", "get_dynamic_info"].output == "Option<DynamicInfo>"


@given(netuid=st.integers(0, 2**16 - 1), amount=st.integers(0, 2**64 - 1),
       account=st.binary(min_size=32, max_size=32))
def test_arguments_round_trip_through_their_types(netuid, amount, account):
    cat = _served()
    ss58 = ss58_encode(account, 42)
    params, shown = cat.encode_args("SwapRuntimeApi", "sim_swap_tao_for_alpha",
                                    [str(netuid), str(amount)])
    assert params == netuid.to_bytes(2, "little") + amount.to_bytes(8, "little")
    assert shown == [netuid, amount]
    params, shown = cat.encode_args(
        "StakeInfoRuntimeApi", "get_stake_fee",
        [json.dumps([ss58, netuid]), "0x" + account.hex(), "none", ss58, str(amount)])
    assert params == b"\x01" + account + netuid.to_bytes(2, "little") + account + b"\x00" + \
        account + amount.to_bytes(8, "little")
    assert shown == [[ss58, netuid], ss58, None, ss58, amount]


_CATALOGUE: list[RuntimeCatalogue] = []


def _served() -> RuntimeCatalogue:
    if not _CATALOGUE:
        _CATALOGUE.append(RuntimeCatalogue(read(served_v15(461)), 42))
    return _CATALOGUE[0]


@pytest.mark.parametrize("call, says", [
    (("Nope", "x", []), "no runtime API 'Nope'"),
    (("SubnetInfo", "x", []), "did you mean SubnetInfoRuntimeApi"),
    (("SwapRuntimeApi", "current_price", ["1"]), "no method 'current_price'"),
    (("SwapRuntimeApi", "current_alpha_price", []), "takes 1 argument(s) (netuid: NetUid)"),
    (("SwapRuntimeApi", "current_alpha_price", ["-1"]), "outside u16"),
    (("SwapRuntimeApi", "current_alpha_price", ["１"]), "not a whole number"),
    (("SwapRuntimeApi", "current_alpha_price", ["65536"]), "outside u16"),
    (("AccountNonceApi", "account_nonce", ["5FHn"]), "not an ss58 address"),
    (("AccountNonceApi", "account_nonce", ["0x1234"]), "32 bytes"),
    (("StakeInfoRuntimeApi", "get_stake_fee", ["[1]", "x", "none", "x", "1"]),
     "origin (Option<(AccountId32, NetUid)>): expected a list of 2 values"),
    (("SubnetInfoRuntimeApi", "get_selective_metagraph", ["1", "1,x"]), "not a whole number"),
    (("SwapRuntimeApi", "current_alpha_price_all", ["1"]), "takes 0 argument(s) (none)"),
    (("StakeInfoRuntimeApi", "get_stake_fee", ["0x01", "x", "none", "x", "1"]),
     "is not the SCALE encoding"),
])
def test_bad_input_names_the_parameter(call, says):
    with pytest.raises(BadValue) as refused:
        _served().encode_args(*call)
    assert says in str(refused.value)
    assert refused.value.exit_code == 2


@given(bits=st.integers(-(2**127), 2**127 - 1))
def test_fixed_point_values_display_as_their_decimal(bits):
    """substrate_fixed values (I96F32: Frac = 32, read from the typenum parameter) show as
    bits / 2^32, truncated toward zero at 18 places; the JSON form keeps the bits."""
    from decimal import Decimal, localcontext

    cat = _served()
    i96f32 = next(i for i, t in cat.registry.types.items()
                  if t.get("path") == ["substrate_fixed", "FixedI128"] and
                  cat._typenum(dict(t["params"])["Frac"]) == 32)
    shown = cat.readable(i96f32, {"bits": bits}, display=True)
    with localcontext() as ctx:
        ctx.prec = 100
        exact = Decimal(bits) / Decimal(2**32)
        assert abs(Decimal(shown) - exact) < Decimal(10) ** -18
        assert abs(Decimal(shown)) <= abs(exact)
    assert cat.readable(i96f32, {"bits": bits}) == {"bits": bits}
    assert cat.readable(i96f32, {"bits": 7 * 2**32 + 2**31}, display=True) == "7.5"

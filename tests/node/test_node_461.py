"""Spec 461 on the wire: the served metadata, the blocks, the runtime APIs and the node's log,
checked against the recorded spec-461 node conversation (`recorded_spec461_node.json`) where it
has the call, byte for byte, and against the sandbox's own figures otherwise. Results are
decoded with the served V15 metadata's type registry, as the clients decode them.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from chain.local.accounts import DEV_ACCOUNTS, dev_signer
from chain.local.chain import LocalChain
from chain.local.extrinsic import Call
from chain.node import runtime_api
from chain.node.server import NodeServer
from chain.node.view import NodeView
from chain.substrate import metadata as m
from chain.substrate.metadata_reader import read

TAO = 10**9
GOLDEN = Path(__file__).parent / "data" / "recorded_spec461_excerpt.json"
# node461/sdk_codegen_vs_461.txt: bittensor 11.3.0's storage items that spec 461 lacks
SDK_ITEMS = ["Commitments.TimelockRevealCursor", "SubtensorModule.BasketClaimForfeitCapTao",
             "SubtensorModule.BasketClaimRowDustBps", "SubtensorModule.BasketClaimRowDustCapTao",
             "SubtensorModule.BasketClaimSliceDustTao", "SubtensorModule.BasketLiquidityUsed",
             "SubtensorModule.BasketMinTradeTao", "SubtensorModule.LastPowRegistrationBlock",
             "SubtensorModule.LastYumaStepBlock", "SubtensorModule.NetworkRegistrationEscrow",
             "SubtensorModule.NullPruningTarget",
             "SubtensorModule.SavedYumaMaxAllowedValidators",
             "SubtensorModule.StakeMoveCooldownUntil", "SubtensorModule.SubnetEpochConsensus",
             "SubtensorModule.SubnetLeaseUnpaidDividends"]
ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]


@pytest.fixture(scope="module")
def golden() -> dict:
    return json.loads(GOLDEN.read_text())


@pytest.fixture(scope="module")
def chain_with_subnet(tmp_path_factory) -> Path:
    """A dev chain: Bob owns and started subnet 1 (hotkey //BobHot), Alice staked 10 TAO on
    it through //BobHot and sent one transfer (nonce 2)."""
    from chain.pallets.subtensor_module import START_CALL_DELAY
    from wallet.keys import keypair_from_uri

    path = tmp_path_factory.mktemp("c461") / "chain.db"
    hot = keypair_from_uri("//BobHot").public_key
    alice, bob = dev_signer("Alice"), dev_signer("Bob")
    with LocalChain.create(path, "dev") as chain:
        assert chain.submit_call(bob, Call("SubtensorModule", "register_network",
                                           {"hotkey": hot})).success
        with chain.reading() as state:
            delay = state.get(START_CALL_DELAY)
        chain.advance(delay + 1)
        assert chain.submit_call(bob, Call("SubtensorModule", "start_call",
                                           {"netuid": 1})).success
        assert chain.submit_call(alice, Call("SubtensorModule", "add_stake",
                                             {"hotkey": hot, "netuid": 1,
                                              "amount_staked": 10 * TAO})).success
        chain.advance(2)
    return path


@pytest.fixture()
def view(chain_with_subnet):
    chain = LocalChain.open(chain_with_subnet)
    yield NodeView(chain, m.served())
    chain.close()


def decoded(view: NodeView, method: str, params: bytes):
    raw = runtime_api.call(view, method, params)
    return raw, view.api_registry.decode_all(view.apis[method]["output"], raw)


# -- metadata ---------------------------------------------------------------------------------
def test_served_metadata_is_461_plus_the_clients_items_and_nothing_moved():
    base, served = read(m.recorded_v15(461)), read(m.served_v15(461))
    assert served.version == 15 and served.apis == base.apis
    assert served.types[:len(base.types)] == base.types  # every type id keeps its meaning
    for old, new in zip(base.pallets, served.pallets, strict=True):
        assert (old["name"], old["index"], old["calls"], old["event"], old["error"]) == \
            (new["name"], new["index"], new["calls"], new["event"], new["error"])
        assert {k: v for k, v in new["storage"].items() if k in old["storage"]} == \
            old["storage"]
    added = {(p["name"], k) for p in served.pallets for k in p["storage"]} - \
        {(p["name"], k) for p in base.pallets for k in p["storage"]}
    assert ("SubtensorModule", "RootClaimType") in added
    assert ("SubtensorModule", "SubnetEpochConsensus") in added
    assert {tuple(w.split(".")) for w in SDK_ITEMS} <= added
    md = m.served()
    assert md.spec_version == 461 and md.transaction_version == 1
    epoch = md.storage("SubtensorModule", "SubnetEpochConsensus")
    assert [v["name"] for v in md.variants(epoch["value"])] == ["Yuma", "Null"]


def test_served_v14_decodes_with_scalecodec_as_substrate_interface_does():
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    obj = config.create_scale_object("MetadataVersioned", data=ScaleBytes(m.served().raw))
    obj.decode()
    pallets = {p["name"]: p for p in obj.value[1]["V14"]["pallets"]}
    names = [e["name"] for e in pallets["SubtensorModule"]["storage"]["entries"]]
    assert "RootClaimType" in names and "Alpha" in names


# -- blocks -----------------------------------------------------------------------------------
def test_inherents_are_the_recorded_v5_bare_extrinsics(golden):
    from chain.node import inherents

    md = m.served()
    recorded = [bytes.fromhex(x[2:]) for x in golden["block"]["raw"]["block"]["extrinsics"]]
    assert inherents.timestamp_set(md, 0x01A0A77A817E) == recorded[0]
    key = recorded[1][-inherents.ML_KEM_768_PUBLIC_KEY:]
    assert inherents.bare(inherents.announce_next_key_call(md, key)) == recorded[1]

    class Keys:
        def announced_key(self, block_number: int) -> bytes:
            return key

    inherents.set_key_source(Keys())
    try:
        assert inherents.of_block(md, 67, 0x01A0A77A817E) == recorded[:2]
    finally:
        inherents.set_key_source(None)
    assert inherents.announce_next_key(md, 1) == bytes.fromhex("10051e0000")  # None
    with pytest.raises(ValueError):
        inherents.announce_next_key_call(md, b"\x01" * 32)


def test_a_block_lists_cli_and_client_extrinsics_at_their_true_indices(node, substrate):
    """taoctl's own command and a client's extrinsic in one block: both listed after the two
    inherents, each with its events under its own index."""
    server, _, path = node
    call = substrate.compose_call("Balances", "transfer_keep_alive",
                                  {"dest": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
                                   "value": 3 * TAO})
    from substrateinterface import Keypair

    bob = Keypair.create_from_uri("//Bob")
    # signed first: a read of state seals what the CLI left in the open block (its own block)
    xt = substrate.create_signed_extrinsic(call, bob, era={"period": 16})
    with LocalChain.open(path) as chain:  # taoctl's CLI path: applied in the open block
        receipt = chain.submit_call(dev_signer("Alice"), Call(
            "Balances", "transfer_keep_alive", {"dest": BOB, "value": 2 * TAO}))
    assert receipt.success and receipt.extrinsic_index == 2
    client = substrate.submit_extrinsic(xt, wait_for_inclusion=True)
    assert client.is_success and client.extrinsic_idx == 3
    assert substrate.get_block_number(client.block_hash) == receipt.block_number
    block = substrate.get_block(client.block_hash)
    calls = [(x.value["call"]["call_module"], x.value["call"]["call_function"])
             for x in block["extrinsics"]]
    assert calls == [("Timestamp", "set"), ("MevShield", "announce_next_key"),
                     ("Balances", "transfer_keep_alive"), ("Balances", "transfer_keep_alive")]
    assert block["extrinsics"][2].value["address"] == \
        "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
    events = substrate.get_events(client.block_hash)
    by_index = {}
    for e in events:
        by_index.setdefault(e.value["extrinsic_idx"], []).append(
            (e.value["module_id"], e.value["event_id"]))
    assert by_index[0] == by_index[1] == [("System", "ExtrinsicSuccess")]
    classes = [e.value["attributes"]["dispatch_info"]["class"] for e in events
               if e.value["extrinsic_idx"] in (0, 1)]
    assert classes == ["Mandatory", "Normal"]  # as in the recorded block
    assert by_index[2] == by_index[3] == [  # each signed transfer pays its fee (feeson)
        ("Balances", "Withdraw"), ("Balances", "Transfer"),
        ("TransactionPayment", "TransactionFeePaid"), ("System", "ExtrinsicSuccess")]
    amounts = [e.value["attributes"]["amount"] for e in events
               if e.value["event_id"] == "Transfer"]
    assert amounts == [2 * TAO, 3 * TAO]
    assert [e.value["extrinsic_idx"] for e in client.triggered_events] == [3, 3, 3, 3]


def test_event_indices_come_from_the_served_metadata(view):
    md = view.md
    assert md.module_error("SlippageTooHigh", ("SubtensorModule",)) == (7, 84)
    assert md.event("SubtensorModule", "NeuronRegistered")["index"] == 7
    error = view.dispatch_error("SlippageTooHigh", "SubtensorModule")
    assert error == {"Module": {"index": 7, "error": bytes([84, 0, 0, 0])}}


# -- runtime APIs against the recorded node -----------------------------------------------------
def test_stake_info_for_a_triple_is_the_recorded_encoding(view, golden):
    recorded = next(c for c in golden["runtime_calls"]
                    if c["method"] == "get_stake_info_for_hotkey_coldkey_netuid")
    params = bytes.fromhex(recorded["encoded_params_hex"])
    raw, value = decoded(view, "StakeInfoRuntimeApi_get_stake_info_for_hotkey_coldkey_netuid",
                         params)
    assert raw == bytes.fromhex(recorded["raw_hex"][2:])  # no stake there: Some(zeros)
    assert value["netuid"] == 1 and value["stake"] == 0 and not value["is_registered"]


def test_account_nonce_is_the_recorded_encoding(view, golden):
    recorded = next(c for c in golden["runtime_calls"] if c["method"] == "account_nonce")
    raw = runtime_api.call(view, "AccountNonceApi_account_nonce",
                           bytes.fromhex(recorded["encoded_params_hex"]))
    assert raw == view.nonce(ALICE).to_bytes(4, "little")
    assert len(raw) == len(bytes.fromhex(recorded["raw_hex"][2:]))


@pytest.mark.parametrize("method", ["get_neurons_lite", "get_subnet_hyperparams"])
def test_shapes_match_the_recorded_answers(view, golden, method):
    recorded = next(c for c in golden["runtime_calls"] if c["method"] == method)
    name = f"{recorded['api']}_{method}"
    _, ours = decoded(view, name, bytes.fromhex(recorded["encoded_params_hex"]))
    theirs = view.api_registry.decode_all(view.apis[name]["output"],
                                          bytes.fromhex(recorded["raw_hex"][2:]))
    if isinstance(theirs, list):
        assert ours and set(ours[0]) == set(theirs[0])
    else:
        assert set(ours) == set(theirs)


def test_prices_quotes_and_stake_are_the_sandbox_figures(view):
    import amm
    from chain.local import stake_utils

    with view.chain.reading() as state:
        pool = stake_utils.read_pool(state, 1)
        hotkey = next(bytes(k) for k in (state.get(
            view.registry["SubtensorModule.SubnetOwnerHotkey"], 1),))
        stake = stake_utils.stake_of(state, hotkey, ALICE, 1)
    _, prices = decoded(view, "SwapRuntimeApi_current_alpha_price_all", b"")
    assert prices == [{"netuid": 0, "price": TAO}, {"netuid": 1, "price": amm.price_rao(pool)}]
    _, quote = decoded(view, "SwapRuntimeApi_sim_swap_tao_for_alpha",
                       (1).to_bytes(2, "little") + TAO.to_bytes(8, "little"))
    buy = amm.buy(pool, TAO)
    assert (quote["tao_amount"], quote["alpha_amount"], quote["tao_fee"]) == \
        (TAO, buy.amount_out, buy.fee)
    assert set(quote) == {"tao_amount", "alpha_amount", "tao_fee", "alpha_fee",
                          "tao_slippage", "alpha_slippage"}
    _, sell = decoded(view, "SwapRuntimeApi_sim_swap_alpha_for_tao",
                      (1).to_bytes(2, "little") + TAO.to_bytes(8, "little"))
    assert sell["tao_amount"] == amm.sell(pool, TAO).amount_out and sell["alpha_amount"] == TAO
    _, avail = decoded(view, "StakeInfoRuntimeApi_get_stake_availability_for_coldkeys",
                       b"\x04" + ALICE + b"\x00")
    assert avail == [[ALICE, [[1, {"total": stake, "locked": 0, "available": stake}]]]]
    _, lock = decoded(view, "StakeInfoRuntimeApi_get_coldkey_lock", ALICE + b"\x01\x00")
    assert lock is None
    _, infos = decoded(view, "StakeInfoRuntimeApi_get_stake_info_for_coldkey", ALICE)
    assert [(i["hotkey"], i["netuid"], i["stake"]) for i in infos] == [(hotkey, 1, stake)]


def test_metagraph_neurons_and_hyperparameters_are_the_sandbox_figures(view):
    from chain.local import neurons
    from chain.pallets import subtensor_module as sm

    with view.chain.reading() as state:
        hotkeys = [bytes(h) for h in neurons.hotkeys(state, 1)]
        tempo = state.get(sm.TEMPO, 1)
        alpha = [state.get(sm.TOTAL_HOTKEY_ALPHA, h, 1) for h in hotkeys]
    _, meta = decoded(view, "SubnetInfoRuntimeApi_get_metagraph", b"\x01\x00")
    assert meta["hotkeys"] == hotkeys and meta["coldkeys"] == [BOB] * len(hotkeys)
    assert meta["alpha_stake"] == alpha and meta["tempo"] == tempo and meta["num_uids"] == 1
    n = len(hotkeys)
    assert meta["collateral_locked"] == meta["collateral_min"] == \
        meta["collateral_earned"] == [0] * n
    assert len(meta["last_update"]) == len(meta["active"]) == n
    _, lite = decoded(view, "NeuronInfoRuntimeApi_get_neurons_lite", b"\x01\x00")
    assert [(x["uid"], x["hotkey"], x["coldkey"]) for x in lite] == [(0, hotkeys[0], BOB)]
    assert lite[0]["stake"] == [(BOB, alpha[0])] or lite[0]["stake"] == [[BOB, alpha[0]]]
    _, v3 = decoded(view, "SubnetInfoRuntimeApi_get_subnet_hyperparams_v3", b"\x01\x00")
    entries = {e["name"].decode(): e["value"] for e in v3}
    assert entries["tempo"] == {"U16": tempo}
    assert set(entries) == {f["name"] for f in view.api_registry.kind(
        view.api_registry.kind(view.apis["SubnetInfoRuntimeApi_get_subnet_hyperparams_v2"]
                               ["output"])[1]["variants"][1]["fields"][0]["type"])[1]["fields"]}
    assert runtime_api.call(view, "SubnetInfoRuntimeApi_get_metagraph", b"\x09\x00") == b"\x00"
    _, start = decoded(view, "SubnetInfoRuntimeApi_get_next_epoch_start_block", b"\x01\x00")
    from chain.local import coinbase_math as cm

    with view.chain.reading() as state:
        last = state.get(sm.LAST_EPOCH_BLOCK, 1)
    head = view.head_number()
    assert start > head and cm.should_run_epoch(tempo, start, last if last is not None
                                                else cm.initial_last_epoch_block(
                                                    1, tempo, 1))
    _, emission = decoded(view, "SubnetInfoRuntimeApi_get_block_emission", b"")
    with view.chain.reading() as state:
        assert emission == state.get(sm.BLOCK_EMISSION)


def test_the_mechagraph_of_mechanism_zero_is_the_metagraph_and_no_other_exists(view):
    """`get_mechagraph(netuid, 0)` is the subnet's metagraph; mechanism 1 and an unknown
    subnet answer None."""
    meta = runtime_api.call(view, "SubnetInfoRuntimeApi_get_metagraph", b"\x01\x00")
    assert meta[:1] == b"\x01"
    assert runtime_api.call(view, "SubnetInfoRuntimeApi_get_mechagraph", b"\x01\x00\x00") \
        == meta
    assert runtime_api.call(view, "SubnetInfoRuntimeApi_get_mechagraph", b"\x01\x00\x01") \
        == b"\x00"
    assert runtime_api.call(view, "SubnetInfoRuntimeApi_get_mechagraph", b"\x09\x00\x00") \
        == b"\x00"


def test_mechanisms_the_sandbox_lacks_answer_the_empty_value(view):
    _, page = decoded(view, "BetaBasketRuntimeApi_get_all_beta_pricing",
                      b"\x00" + (100).to_bytes(4, "little"))
    assert page == {"pricing": [], "next": None}
    _, owed = decoded(view, "BetaBasketRuntimeApi_get_root_basket_owed", ALICE)
    assert owed == 0
    _, baskets = decoded(view, "BetaBasketRuntimeApi_get_all_validator_baskets", b"")
    assert baskets == []


# -- the node's log ---------------------------------------------------------------------------
def test_refused_requests_are_logged_with_method_and_reason_never_params(node, substrate):
    from chain.node.server import configure_logging

    server, _, _ = node
    stream = io.StringIO()
    configure_logging("warning", stream)
    try:
        secretish = "0x" + "ab" * 40
        reply, _ = server._reply({"jsonrpc": "2.0", "id": 1, "method": "state_call",
                                  "params": ["NoSuchApi_method", secretish]})
        assert reply["error"]["code"] == 4003
        reply, _ = server._reply({"jsonrpc": "2.0", "id": 2,
                                  "method": "author_submitExtrinsic", "params": [secretish]})
        assert "error" in reply
        reply, _ = server._reply({"jsonrpc": "2.0", "id": 3, "method": "chain_getHead"})
        assert "result" in reply
    finally:
        configure_logging("warning")
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "state_call refused (4003)" in lines[0] and "NoSuchApi_method" in lines[0]
    assert "author_submitExtrinsic refused (1002)" in lines[1]
    assert "ab" * 40 not in stream.getvalue()


def test_a_transfer_event_record_is_the_recorded_bytes(view, golden):
    """The node's System.Events record of a local `Balances.Transfer` equals the recorded
    node's record byte for byte (461's event index, u64 amount, phase ApplyExtrinsic(2))."""
    md = view.md
    raw = bytes.fromhex(golden["events"]["raw_hex"][2:])
    records = md.registry.decode_all(md.events_type(), raw)
    record_type = md.registry.kind(md.events_type())[1]["type"]
    recorded = next(r for r in records if r["event"].get("Balances", {}) and
                    "Transfer" in r["event"]["Balances"])
    args = recorded["event"]["Balances"]["Transfer"]
    local = {"pallet": "Balances", "name": "Transfer",
             "args": {"from": args["from"], "to": args["to"], "amount": args["amount"]}}
    _, ours = view._record({"ApplyExtrinsic": 2}, view._event(local, "Balances"))
    assert ours == md.registry.encode(record_type, recorded)
    assert ours in raw


def test_the_rpc_surface_today_s_clients_use(node, substrate):
    """NODE-461 §2.1: rpc_methods lists account_nextIndex (btcli refuses to submit without
    it); maps read by getKeys (btcli) and getKeysPaged (SDK) agree and read back through
    queryStorageAt; the finalized head is the best block."""
    server, _, _ = node

    def rpc(method, *params):
        reply, _ = server._reply({"jsonrpc": "2.0", "id": 1, "method": method,
                                  "params": list(params)})
        assert "result" in reply, reply
        return reply["result"]

    methods = rpc("rpc_methods")["methods"]
    for name in ("account_nextIndex", "state_getKeys", "state_getKeysPaged",
                 "state_queryStorageAt", "author_submitAndWatchExtrinsic",
                 "chain_getFinalizedHead", "chain_subscribeFinalizedHeads", "state_call"):
        assert name in methods
    md = server.view.md
    prefix = "0x" + md.storage_key("SubtensorModule", "NetworksAdded", ()).hex()
    head = rpc("chain_getHead")
    keys = rpc("state_getKeys", prefix, head)
    assert keys and rpc("state_getKeysPaged", prefix, 100, prefix, head) == keys
    assert rpc("state_getKeysPaged", prefix, 1, keys[0], head) == keys[1:2]
    (answer,) = rpc("state_queryStorageAt", keys, head)
    assert answer["block"] == head and [k for k, _ in answer["changes"]] == keys
    assert all(v == "0x01" for _, v in answer["changes"])  # NetworksAdded = true
    assert rpc("chain_getFinalizedHead") == head
    assert rpc("state_getRuntimeVersion", head)["specVersion"] == 461
    assert rpc("account_nextIndex", "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY") == \
        server.view.nonce(ALICE)


def test_an_added_item_serves_the_sandbox_value(node, substrate):
    """SubnetEpochConsensus (added to 461's metadata for the SDK) serves the sandbox's epoch
    mode: a local enum index is the variant of that index."""
    from chain.pallets import subtensor_module as sm

    _, _, path = node
    with LocalChain.open(path) as chain:
        with chain.writing() as state:
            state.set(sm.SUBNET_EPOCH_CONSENSUS, 1, 1)
        chain.advance(1)  # the best block is the last sealed one
    assert substrate.query("SubtensorModule", "SubnetEpochConsensus", [1]).value == "Null"
    assert substrate.query("SubtensorModule", "SubnetEpochConsensus", [2]).value == "Yuma"

"""The node's MEV shield (NODE-461 §3): the envelope decrypts what the real clients' encryption
libraries produce, keys rotate as the pallet rotates them, carriers are held to the pallet's
validity rules, the inner extrinsic is applied right after its carrier with the events of §3.4,
and no secret key reaches the chain file or a reply.
"""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chain import shield
from chain.local import mev_shield as pallet
from chain.local.accounts import DEV_ACCOUNTS
from chain.local.chain import LocalChain
from chain.node import mevshield
from chain.node.server import NodeServer
from chain.node.view import RpcError
from chain.pallets import mev_shield as ms
from chain.pallets import system
from chain.substrate.era import era_birth, era_decode, era_encode
from chain.substrate.extrinsic import build_signed
from chain.substrate.hashing import blake2_256
from chain.substrate.scale import encode_compact
from tests.clients import venvs
from wallet.keys import keypair_from_uri

TAO = 10**9
ALICE, BOB = DEV_ACCOUNTS["Alice"], DEV_ACCOUNTS["Bob"]


# -- the envelope -------------------------------------------------------------------------------
PEERS = {  # the clients' own encryption, run in their own venvs
    "btcli9": "import sys, bittensor_drand as d; print(bytes(d.encrypt_mlkem768("
              "bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), "
              "include_key_hash=True)).hex())",
    "sdk11": "import sys, bittensor_core as d; print(bytes(d.encrypt_mlkem768("
             "bytes.fromhex(sys.argv[1]), bytes.fromhex(sys.argv[2]), "
             "include_key_hash=True)).hex())",
}


@pytest.mark.parametrize("client", sorted(PEERS))
def test_the_clients_encryption_decrypts(client):
    venv, _ = venvs.ensure(client)
    keys = mevshield.AuthorKeys()
    public = keys._fresh()
    plaintext = bytes(range(256)) * 2
    out = subprocess.run([str(venv / "bin" / "python"), "-c", PEERS[client], public.hex(),
                          plaintext.hex()], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-1000:]
    blob = bytes.fromhex(out.stdout.strip())
    assert len(blob) == 16 + 2 + 1088 + 24 + len(plaintext) + 16
    shielded = shield.parse(blob)
    assert shielded.key_hash == shield.key_hash(public)
    assert keys.decrypt(shielded) == plaintext


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=600))
def test_encrypt_then_decrypt(plaintext):
    keys = mevshield.AuthorKeys()
    public = keys._fresh()
    assert keys.decrypt(shield.parse(shield.encrypt(public, plaintext))) == plaintext


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=1200))
def test_short_or_foreign_bytes_do_not_parse(data):
    with pytest.raises(shield.ShieldError):
        shield.parse(data)  # shorter than an envelope around an empty plaintext


def test_envelope_bounds():
    blob = shield.encrypt(mevshield.AuthorKeys()._fresh(), b"x")
    wrong_len = blob[:16] + (1087).to_bytes(2, "little") + blob[18:]
    with pytest.raises(shield.ShieldError, match="1088"):
        shield.parse(wrong_len)
    with pytest.raises(shield.ShieldError, match="8192"):
        shield.parse(blob + bytes(8192))


def test_a_tampered_ciphertext_does_not_decrypt():
    keys = mevshield.AuthorKeys()
    blob = bytearray(shield.encrypt(keys._fresh(), b"inner extrinsic"))
    blob[-1] ^= 1
    assert keys.decrypt(shield.parse(bytes(blob))) is None


# -- rotation -----------------------------------------------------------------------------------
def test_rotation_is_the_pallets(tmp_path):
    """A key announced at block b is Next from b+1, Pending from b+2, Current from b+3."""
    path = tmp_path / "chain.db"
    LocalChain.create(path, "dev").close()
    author = pallet.SANDBOX_AUTHOR
    keys = [bytes([i]) * 1184 for i in range(1, 7)]
    with LocalChain.open(path) as chain, chain.writing() as state:
        for b, key in enumerate(keys, start=10):
            pallet.announce(state, author, key, b)
            got = [pallet.key_bytes(state.get(i)) for i in (ms.CURRENT_KEY, ms.PENDING_KEY,
                                                             ms.NEXT_KEY)]
            i = b - 10
            want = [keys[i - 3] if i >= 3 else None, keys[i - 2] if i >= 2 else None,
                    keys[i - 1] if i >= 1 else None]
            assert got == want
            assert pallet.key_bytes(state.get(ms.AUTHOR_KEYS, author)) == key
            assert state.get(ms.PENDING_KEY_EXPIRES_AT) == b + 2
            assert state.get(ms.NEXT_KEY_EXPIRES_AT) == b + 3
        with pytest.raises(pallet.BadEncKeyLen):
            pallet.announce(state, author, b"\x01" * 1183, 99)


# -- carriers through the node ------------------------------------------------------------------
@pytest.fixture()
def node(tmp_path):
    """A dev chain opened by the node's server (its shield keys announced), not listening."""
    path = tmp_path / "chain.db"
    LocalChain.create(path, "dev").close()
    server = NodeServer(path, "127.0.0.1", 0)
    server.open()
    server._seal()  # one block in: the node's keys are Next and Pending
    yield server
    server._stop_shield()
    server.view.chain.close()


def next_key(server) -> bytes:
    with server.view.chain.reading() as state:
        return pallet.key_bytes(state.get(ms.NEXT_KEY))


def signed(server, call: bytes, nonce: int, era: bytes | None = None) -> bytes:
    view = server.view
    era = era_encode(8, view.head_number()) if era is None else era
    decoded = era_decode(era)
    birth = view.chain.genesis_hash if decoded is None else view.block_hash(
        era_birth(*decoded, view.chain.open_number()))
    return build_signed(view.md, keypair_from_uri("//Alice"), call, view.ctx, nonce=nonce,
                        era=era, birth_hash=birth)


def carrier_of(server, ciphertext: bytes, nonce: int, era: bytes | None = None) -> bytes:
    md = server.view.md
    return signed(server, md.encode_call("MevShield", "submit_encrypted",
                                         {"ciphertext": ciphertext}), nonce, era)


def transfer(server, nonce: int) -> bytes:
    md = server.view.md
    return signed(server, md.encode_call("Balances", "transfer_keep_alive",
                                         {"dest": {"Id": BOB}, "value": TAO}), nonce)


def account(server, who: bytes):
    with server.view.chain.reading() as state:
        return state.get(system.ACCOUNT, who)


def test_the_inner_extrinsic_follows_its_carrier(node):
    nonce = account(node, ALICE).nonce
    inner = transfer(node, nonce + 1)
    ciphertext = shield.encrypt(next_key(node), inner)
    carrier = carrier_of(node, ciphertext, nonce)
    bob = account(node, BOB).free
    included = node._include(carrier)
    assert included.success
    assert account(node, BOB).free == bob + TAO
    assert account(node, ALICE).nonce == nonce + 2
    node._seal()
    block = node.rpc_chain_getBlock(node.rpc_chain_getBlockHash(included.block_number))
    xts = [bytes.fromhex(x[2:]) for x in block["block"]["extrinsics"]]
    at = xts.index(carrier)
    assert xts[at + 1] == inner  # right after its carrier, in the same block
    md = node.view.md
    records = md.registry.decode_all(md.events_type(), node.view.events(included.block_number))
    carrier_events = [r["event"] for r in records if r["phase"] == {"ApplyExtrinsic": at}]
    inner_events = [r["event"] for r in records if r["phase"] == {"ApplyExtrinsic": at + 1}]
    (submitted,) = [e["MevShield"]["EncryptedSubmitted"] for e in carrier_events
                    if "MevShield" in e]
    assert bytes(submitted["id"]) == blake2_256(ALICE + encode_compact(len(ciphertext)) +
                                                ciphertext)
    assert bytes(submitted["who"]) == ALICE
    assert any("Transfer" in e.get("Balances", {}) for e in inner_events)
    assert any("ExtrinsicSuccess" in e.get("System", {}) for e in inner_events)


@pytest.mark.parametrize("case", ["immortal", "period 16", "unparseable", "foreign key"])
def test_carriers_the_pallet_refuses_change_nothing(node, case):
    nonce = account(node, ALICE).nonce
    inner = transfer(node, nonce + 1)
    era, ciphertext = None, shield.encrypt(next_key(node), inner)
    if case == "immortal":
        era = b"\x00"
    elif case == "period 16":
        era = era_encode(16, node.view.head_number())
    elif case == "unparseable":
        ciphertext = b"\x01" * 300
    else:
        ciphertext = shield.encrypt(mevshield.AuthorKeys()._fresh(), inner)
    before = account(node, ALICE)
    with pytest.raises(RpcError) as refused:
        node._include(carrier_of(node, ciphertext, nonce, era))
    assert refused.value.code == 1010
    if case == "unparseable":
        assert "Custom error: 23" in refused.value.data
    assert account(node, ALICE) == before


def test_a_carrier_that_does_not_decrypt_is_included_alone(node):
    nonce = account(node, ALICE).nonce
    blob = bytearray(shield.encrypt(next_key(node), transfer(node, nonce + 1)))
    blob[-1] ^= 1
    bob = account(node, BOB).free
    included = node._include(carrier_of(node, bytes(blob), nonce))
    assert included.success
    assert account(node, ALICE).nonce == nonce + 1  # the carrier's nonce only
    assert account(node, BOB).free == bob


def test_keys_rotate_with_every_block_and_stay_decryptable(node):
    """A client that read NextKey one block ago still gets in (its key is now Pending)."""
    key = next_key(node)
    node._seal()
    assert next_key(node) != key
    nonce = account(node, ALICE).nonce
    inner = transfer(node, nonce + 1)
    assert node._include(carrier_of(node, shield.encrypt(key, inner), nonce)).success
    assert account(node, ALICE).nonce == nonce + 2
    node._seal()
    node._seal()  # two more blocks: that key is Current now, no longer accepted
    nonce += 2
    with pytest.raises(RpcError):
        node._include(carrier_of(node, shield.encrypt(key, transfer(node, nonce + 1)),
                                 nonce))


def test_no_secret_key_reaches_the_chain_file(node, tmp_path):
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

    secrets = [k.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
               for k in node.shield._secrets.values()]
    assert len(secrets) == 4
    node.view.chain.conn.execute("PRAGMA wal_checkpoint(FULL)")
    stored = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert next_key(node) in stored  # the public half is published
    assert not any(s in stored for s in secrets)
    assert all(s.hex() not in repr(node.shield) for s in secrets)

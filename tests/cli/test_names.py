"""`cli.names`: addresses by wallet and hotkey name, from pub files only."""

from __future__ import annotations

from cli.names import Names
from wallet.directory import Wallet
from wallet.keys import keypair_from_uri


def _wallets(tmp_path):
    keys = {}
    for wallet, hotkeys in (("me", ("validator", "miner")), ("ops", ("miner",))):
        w = Wallet(wallet, tmp_path)
        cold = keypair_from_uri(f"//Names{wallet}")
        w.write_coldkey(cold, None)
        keys[wallet] = cold.ss58_address
        for hotkey in hotkeys:
            hot = keypair_from_uri(f"//Names{wallet}{hotkey}")
            w.write_hotkey(hot, hotkey, None)
            keys[f"{wallet}/{hotkey}"] = hot.ss58_address
    return keys


def test_names_from_pub_files(tmp_path):
    keys = _wallets(tmp_path)
    names = Names.scan(tmp_path)
    assert names.name(keys["me"]) == "me" and names.name(keys["ops/miner"]) == "ops/miner"
    assert names.label(keys["me/validator"]) == f"me/validator ({keys['me/validator']})"
    assert names.label("5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty") == \
        "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"
    assert names.find_hotkey("miner", "me") == keys["me/miner"]
    assert names.find_hotkey("ops/miner", "me") == keys["ops/miner"]
    assert names.find_hotkey("validator", None) == keys["me/validator"]
    assert names.find_hotkey("miner", None) is None  # two wallets have one: ambiguous
    assert names.find_coldkey("ops") == keys["ops"]


def test_a_damaged_pub_file_leaves_the_key_unnamed(tmp_path):
    keys = _wallets(tmp_path)
    (tmp_path / "me" / "hotkeys" / "minerpub.txt").write_text("{not json")
    names = Names.scan(tmp_path)
    assert names.name(keys["me/miner"]) is None and names.name(keys["me"]) == "me"
    assert Names.scan(tmp_path / "nowhere").coldkeys == {}

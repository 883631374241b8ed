"""Public test vectors and small test-only writers shared by the wallet tests.

The mnemonic and addresses are btwallet's published vectors (BTCLI.md §4.7); the Polkadot-JS
backup is the one in btwallet's tests (password "Password123").
"""

from __future__ import annotations

import hashlib
import hmac
import os

MNEMONIC = "old leopard transfer rib spatial phone calm indicate online fire caution review"
MNEMONIC_SS58 = "5HDvhV6WDCjCKyrXqGQSDYqQAzkzabNhctmiDYEqgBC66BsX"
ALICE = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"

POLKADOT_JS_BACKUP = (
    '{"encoded":"Z1yzxASuj21ej3CANbZKc3ibDaOpQPMahTT0qkniyZgAgAAAAQAAAAgAAACSDgflXWKXrX36EmX9XcA6'
    "cRpkN+oZX30/9FhtNP17krIG/yHLKmDnL1km1W/nZ+BpC7Qid6IuBvbZeboFyewFeXsKtcoY/bRY6nx/cLB5BND9Wp"
    "XXS6Enf4RXAX7vPu/BY+o2z7VwPaXyFARfyPTiqJKqLDJWm3W5ZlvK0ks8FBv66mWEBYc+lLx8jvuzDNkdD3pnV3G8"
    '02OwwHTy","encoding":{"content":["pkcs8","sr25519"],"type":["scrypt","xsalsa20-poly1305"],'
    '"version":"3"},"address":"5CuByUQBWZci5AtXonuHHhcbRL3yxM5xDdJsTNaYN3vPDY6f","meta":'
    '{"genesisHash":null,"name":"test","whenCreated":1727395683981}}'
)


def ansible_vault(plaintext: bytes, password: str) -> bytes:
    """Ansible Vault 1.1 AES256, built from its published description (test-only writer)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    salt = os.urandom(32)
    material = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 10_000, 80)
    pad = 16 - len(plaintext) % 16
    padded = plaintext + bytes([pad]) * pad
    enc = Cipher(algorithms.AES(material[:32]), modes.CTR(material[64:])).encryptor()
    ciphertext = enc.update(padded) + enc.finalize()
    mac = hmac.new(material[32:64], ciphertext, hashlib.sha256).hexdigest()
    inner = f"{salt.hex()}\n{mac}\n{ciphertext.hex()}".encode().hex()
    lines = [inner[i : i + 80] for i in range(0, len(inner), 80)]
    return ("$ANSIBLE_VAULT;1.1;AES256\n" + "\n".join(lines)).encode()

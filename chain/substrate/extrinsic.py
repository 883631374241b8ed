"""Signed Substrate extrinsics (v4) as subtensor's metadata defines them: build, decode, check.

Layout: `compact(len) ‖ 0x84 ‖ MultiAddress::Id (0x00 ‖ 32) ‖ MultiSignature (0x01 sr25519 ‖ 64)
‖ extra ‖ call`. The signed extensions are walked in metadata order; only those we know carry
bytes (a new non-empty extension fails loudly instead of producing a bad signature):

| extension | extra | additional (signed, not sent) |
|---|---|---|
| CheckSpecVersion / CheckTxVersion | - | u32 spec / transaction version |
| CheckGenesis | - | genesis hash |
| CheckMortality | era (0x00 immortal, or 2 bytes) | hash of the era's birth block |
| CheckNonce | Compact<u32> | - |
| ChargeTransactionPayment | Compact<u64> tip | - |
| CheckMetadataHash | mode u8 (0 = Disabled) | Option<[u8;32]> = None (0x00) |

The signing payload is `call ‖ extras ‖ additionals`, hashed with blake2-256 first when longer
than 256 bytes. The extrinsic hash is blake2-256 of the whole encoding (length prefix included).
"""

from __future__ import annotations

from dataclasses import dataclass

from chain.substrate.hashing import blake2_256
from chain.substrate.metadata import Metadata, MetadataError
from chain.substrate.scale import ScaleError, decode_compact, encode_compact

SIGNED_V4 = 0x84
SR25519 = 0x01
KNOWN_EXTRA = {"CheckMortality", "CheckNonce", "ChargeTransactionPayment", "CheckMetadataHash"}
KNOWN_ADDITIONAL = {"CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
                    "CheckMetadataHash"}


# -- building ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SigningContext:
    """What the additional-signed data commits to."""

    genesis_hash: bytes
    spec_version: int
    transaction_version: int


def _extensions(md: Metadata) -> list[dict]:
    exts = md.extrinsic["signed_extensions"]
    for ext in exts:
        ident = ext["identifier"]
        if ident not in KNOWN_EXTRA and not md.registry.is_empty(ext["ty"]):
            raise MetadataError(f"unsupported signed extension {ident} (it carries extra data)")
        if ident not in KNOWN_ADDITIONAL and not md.registry.is_empty(ext["additional_signed"]):
            raise MetadataError(f"unsupported signed extension {ident} (it signs extra data)")
    return exts


def extra_bytes(md: Metadata, era: bytes, nonce: int, tip: int, mode: int = 0) -> bytes:
    """The extensions' extra bytes, in metadata order."""
    out = b""
    for ext in _extensions(md):
        ident = ext["identifier"]
        if ident == "CheckMortality":
            out += era
        elif ident == "CheckNonce":
            out += encode_compact(nonce)
        elif ident == "ChargeTransactionPayment":
            out += encode_compact(tip)
        elif ident == "CheckMetadataHash":
            out += bytes([mode])
    return out


def additional_bytes(md: Metadata, ctx: SigningContext, birth_hash: bytes) -> bytes:
    """The extensions' additional-signed bytes, in metadata order (metadata hash: None)."""
    out = b""
    for ext in _extensions(md):
        ident = ext["identifier"]
        if ident == "CheckSpecVersion":
            out += ctx.spec_version.to_bytes(4, "little")
        elif ident == "CheckTxVersion":
            out += ctx.transaction_version.to_bytes(4, "little")
        elif ident == "CheckGenesis":
            out += ctx.genesis_hash
        elif ident == "CheckMortality":
            out += birth_hash
        elif ident == "CheckMetadataHash":
            out += b"\x00"
    return out


def signing_payload(call: bytes, extra: bytes, additional: bytes) -> bytes:
    """What the sender signs (hashed when longer than 256 bytes)."""
    payload = call + extra + additional
    return blake2_256(payload) if len(payload) > 256 else payload


def build_signed(md: Metadata, signer, call: bytes, ctx: SigningContext, *, nonce: int,
                 era: bytes, birth_hash: bytes, tip: int = 0, mode: int = 0) -> bytes:
    """A complete signed extrinsic (with its length prefix) for an sr25519 signer."""
    extra = extra_bytes(md, era, nonce, tip, mode)
    signature = bytes(signer.sign(signing_payload(call, extra,
                                                  additional_bytes(md, ctx, birth_hash))))
    body = bytes([SIGNED_V4, 0]) + bytes(signer.public_key) + bytes([SR25519]) + signature + \
        extra + call
    return encode_compact(len(body)) + body


# -- decoding ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class DecodedExtrinsic:
    """A signed extrinsic taken apart (the call decoded per metadata)."""

    raw: bytes
    signer: bytes
    signature_type: int
    signature: bytes
    era: bytes
    nonce: int
    tip: int
    mode: int
    extra: bytes
    call: bytes
    pallet: str
    name: str
    args: dict

    @property
    def hash(self) -> bytes:
        return blake2_256(self.raw)


def decode_signed(md: Metadata, raw: bytes) -> DecodedExtrinsic:
    """Take a signed v4 extrinsic apart strictly; ScaleError when anything does not fit."""
    length, offset = decode_compact(raw, 0)
    if offset + length != len(raw):
        raise ScaleError("the length prefix does not match the extrinsic")
    if length < 1 or raw[offset] != SIGNED_V4:
        raise ScaleError("not a signed v4 extrinsic")
    offset += 1
    if raw[offset:offset + 1] != b"\x00":
        raise ScaleError("only MultiAddress::Id senders are supported")
    signer = raw[offset + 1:offset + 33]
    offset += 33
    sig_type = raw[offset] if offset < len(raw) else -1
    sig_len = {0: 64, 1: 64, 2: 65}.get(sig_type)
    if sig_len is None:
        raise ScaleError("unknown signature type")
    signature = raw[offset + 1:offset + 1 + sig_len]
    offset += 1 + sig_len
    extra_start = offset
    era, nonce, tip, mode = b"\x00", 0, 0, 0
    for ext in _extensions(md):
        ident = ext["identifier"]
        if ident == "CheckMortality":
            if offset >= len(raw):
                raise ScaleError("truncated era")
            size = 1 if raw[offset] == 0 else 2
            era = raw[offset:offset + size]
            offset += size
        elif ident == "CheckNonce":
            nonce, offset = decode_compact(raw, offset)
        elif ident == "ChargeTransactionPayment":
            tip, offset = decode_compact(raw, offset)
        elif ident == "CheckMetadataHash":
            if offset >= len(raw):
                raise ScaleError("truncated metadata-hash mode")
            mode = raw[offset]
            offset += 1
    extra = raw[extra_start:offset]
    call = raw[offset:]
    pallet, name, args, end = md.decode_call(raw, offset)
    if end != len(raw):
        raise ScaleError(f"{len(raw) - end} trailing bytes after the call")
    return DecodedExtrinsic(bytes(raw), bytes(signer), sig_type, bytes(signature), bytes(era),
                            nonce, tip, mode, bytes(extra), bytes(call), pallet, name, args)


def verify_signature(xt: DecodedExtrinsic, additional: bytes) -> bool:
    """True when the signature is the sender's over this extrinsic's signing payload."""
    message = signing_payload(xt.call, xt.extra, additional)
    if xt.signature_type == SR25519:
        import sr25519

        try:
            return bool(sr25519.verify(xt.signature, message, xt.signer))
        except Exception:  # noqa: BLE001 - malformed bytes are a bad proof
            return False
    if xt.signature_type == 0:  # ed25519
        from nacl.exceptions import BadSignatureError
        from nacl.signing import VerifyKey

        try:
            VerifyKey(xt.signer).verify(message, xt.signature)
            return True
        except (BadSignatureError, ValueError):
            return False
    return False

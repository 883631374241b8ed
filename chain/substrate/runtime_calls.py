"""Runtime API calls by name (`taoctl runtime`), per a runtime's V15 metadata.

V15 metadata lists every runtime API method with its parameters' and result's types. This
module turns that list into what a command line needs, for any network alike:

- `RuntimeCatalogue.methods()`: every method with readable type names (`NetUid`,
  `Vec<AccountId32>`, `Option<(AccountId32, NetUid)>`);
- `encode_args`: arguments given as text, parsed against their declared types and SCALE
  encoded in order (what `state_call` takes);
- `decode`: the SCALE result read with the method's output type into JSON-able values in the
  form the Python clients print (substrate-interface's): accounts as ss58, single-field
  newtypes (`NetUid`, `TaoBalance`) and compacts as their number, byte strings as "0x" hex.
  `display=True` gives the human form instead: byte strings that are printable UTF-8 as text.

Bad input raises `BadRuntimeCall` (exit 2) naming the API, method or argument; a runtime that
cannot answer raises `RuntimeCallFailed` (exit 5).
"""

from __future__ import annotations

import difflib
import json
from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

from chain.backend import RuntimeAnswer, RuntimeMethod
from chain.exitcodes import EXIT_UNAVAILABLE, EXIT_USAGE
from chain.substrate.scale import Registry, ScaleError

_BYTE_NEWTYPES = ("AccountId32", "H160", "H256", "H512")
_INT_BITS = {"u8": 8, "u16": 16, "u32": 32, "u64": 64, "u128": 128, "u256": 256,
             "i8": 8, "i16": 16, "i32": 32, "i64": 64, "i128": 128, "i256": 256}


class BadRuntimeCall(ValueError):
    """An unknown API or method, or an argument that does not parse as its declared type."""

    name = "UsageError"
    exit_code = EXIT_USAGE


class RuntimeCallFailed(Exception):
    """The runtime could not answer the call (a method it does not implement, or one that
    failed); nothing changed."""

    name = "RuntimeCallFailed"
    exit_code = EXIT_UNAVAILABLE


def failure(name: str, message: str) -> RuntimeCallFailed:
    """The error of a runtime that could not answer `name`, from a node's error message
    ("Client error: Execution failed: Other: Exported method ... is not found")."""
    why = message
    for prefix in ("Client error: ", "Execution failed: ", "Other: ", f"{name}: "):
        why = why.removeprefix(prefix)
    if "Exported method" in why and "not found" in why:
        why = "the runtime does not implement it"
    return RuntimeCallFailed(f"the runtime could not answer {name}: {why}")


def _near(name: str, names: list[str]) -> str:
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    close += [n for n in names if n.lower().startswith(name.lower()) and n not in close]
    return f" (did you mean {', '.join(close[:3])}?)" if close else ""


class RuntimeCatalogue:
    """The runtime APIs of one V15 metadata (`metadata_reader.Read`), accounts in the
    network's ss58 format."""

    def __init__(self, v15: Any, ss58_format: int = 42) -> None:
        self.apis: dict[str, dict] = v15.apis
        self.registry = Registry(v15.types)
        self.ss58_format = ss58_format

    # -- the catalogue -------------------------------------------------------------------------
    def type_name(self, type_id: int) -> str:
        """A type as Rust spells it: `NetUid`, `Vec<u16>`, `Option<(AccountId32, NetUid)>`."""
        ty = self.registry.types[type_id]
        (kind, d), = ty["def"].items()
        path = ty.get("path") or []
        if kind == "primitive":
            return d
        if kind == "compact":
            return f"Compact<{self.type_name(d['type'])}>"
        if kind == "sequence":
            return f"Vec<{self.type_name(d['type'])}>"
        if kind == "array":
            return f"[{self.type_name(d['type'])}; {d['len']}]"
        if kind == "tuple":
            return "(" + ", ".join(self.type_name(t) for t in d) + ")"
        if path == ["Option"]:
            return f"Option<{self.type_name(d['variants'][1]['fields'][0]['type'])}>"
        return path[-1] if path else kind

    def methods(self) -> list[RuntimeMethod]:
        """Every method, in the metadata's order."""
        out = []
        for full, spec in self.apis.items():
            api, _, method = full.partition("_")
            out.append(RuntimeMethod(api, method,
                                     tuple((n, self.type_name(t)) for n, t in spec["inputs"]),
                                     self.type_name(spec["output"])))
        return out

    def api_names(self) -> list[str]:
        return list(dict.fromkeys(m.api for m in self.methods()))

    def method(self, api: str, method: str) -> RuntimeMethod:
        """The method by its names (exact, else a BadRuntimeCall with "did you mean")."""
        found = [m for m in self.methods() if m.api == api]
        if not found:
            raise BadRuntimeCall(f"no runtime API {api!r}" + _near(api, self.api_names()))
        for m in found:
            if m.method == method:
                return m
        raise BadRuntimeCall(f"{api} has no method {method!r}" +
                             _near(method, [m.method for m in found]))

    # -- arguments -----------------------------------------------------------------------------
    def encode_args(self, api: str, method: str, args: list[str]) -> tuple[bytes, list]:
        """(SCALE bytes of the arguments in order, the parsed values as JSON) for `args`
        given as text, one per declared parameter."""
        spec = self.method(api, method)
        inputs = self.apis[f"{api}_{method}"]["inputs"]
        if len(args) != len(inputs):
            wanted = ", ".join(f"{n}: {t}" for n, t in spec.inputs) or "none"
            raise BadRuntimeCall(f"{api}.{method} takes {len(inputs)} argument(s) ({wanted}), "
                                 f"got {len(args)}")
        out, shown = b"", []
        for (name, type_id), (_, type_name), text in zip(inputs, spec.inputs, args, strict=True):
            what = f"{name} ({type_name})"
            value = self.parse(type_id, text, what)
            try:
                out += self.registry.encode(type_id, value)
            except (ScaleError, TypeError, ValueError, KeyError) as exc:
                raise BadRuntimeCall(f"{what}: {exc}") from None
            shown.append(self.readable(type_id, value))
        return out, shown

    def parse(self, type_id: int, text: str, what: str) -> Any:
        """One argument from its text: numbers in ASCII digits within the type's bounds,
        true/false, accounts as ss58 or 0x hex, byte strings as 0x hex (else the text's UTF-8),
        `none` for an absent Option, enums by variant name, lists as a,b,c; anything else as
        JSON, or as "0x" hex of its SCALE encoding."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        inner = self._newtype(type_id)
        if inner is not None:
            return self.parse(inner, text, what)
        if self._account(type_id) or self._bytes(type_id):
            return self.from_json(type_id, text, what)
        if reg.is_option(type_id):
            if text.strip().lower() in ("none", "null"):
                return None
            return self.parse(d["variants"][1]["fields"][0]["type"], text, what)
        if kind in ("primitive", "compact"):
            return self.from_json(type_id, text, what)
        if kind == "sequence" and not text.lstrip().startswith(("[", "0x")):
            return [self.parse(d["type"], part.strip(), what)
                    for part in text.split(",") if part.strip()]
        if kind == "variant" and text.isidentifier():
            return self.from_json(type_id, text, what)
        if text.startswith("0x"):
            return self._scale_hex(type_id, text, what)
        try:
            value = json.loads(text)
        except ValueError:
            raise BadRuntimeCall(f"{what}: not JSON nor 0x SCALE hex: {text!r}") from None
        return self.from_json(type_id, value, what)

    def _scale_hex(self, type_id: int, text: str, what: str) -> Any:
        try:
            return self.registry.decode_all(type_id, bytes.fromhex(text[2:]))
        except (ValueError, ScaleError) as exc:
            raise BadRuntimeCall(f"{what}: {text!r} is not the SCALE encoding of it "
                                 f"({exc})") from None

    def from_json(self, type_id: int, value: Any, what: str) -> Any:
        """A JSON value (or text) as the type's SCALE value."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if self._account(type_id):
            return self._account_bytes(value, what)
        if self._bytes(type_id):
            return self._byte_string(type_id, value, what)
        inner = self._newtype(type_id)
        if inner is not None:
            return self.from_json(inner, value, what)
        if kind == "primitive":
            return self._primitive(d, value, what)
        if kind == "compact":
            return self.from_json(d["type"], value, what)
        if reg.is_option(type_id):
            if value is None or (isinstance(value, str) and value.lower() == "none"):
                return None
            return self.from_json(d["variants"][1]["fields"][0]["type"], value, what)
        if kind in ("sequence", "array"):
            if not isinstance(value, list):
                raise BadRuntimeCall(f"{what}: expected a list, got {value!r}")
            return [self.from_json(d["type"], v, what) for v in value]
        if kind == "tuple":
            if not isinstance(value, list) or len(value) != len(d):
                raise BadRuntimeCall(f"{what}: expected a list of {len(d)} values")
            return [self.from_json(t, v, what) for t, v in zip(d, value, strict=True)]
        if kind == "composite":
            return self._fields(d["fields"], value, what)
        if kind == "variant":
            return self._variant(d["variants"], value, what)
        raise BadRuntimeCall(f"{what}: a {kind} cannot be given on the command line")

    def _fields(self, fields: list[dict], value: Any, what: str) -> Any:
        if fields and fields[0].get("name"):
            if not isinstance(value, dict) or set(value) != {f["name"] for f in fields}:
                raise BadRuntimeCall(f"{what}: expected an object with "
                                     f"{', '.join(f['name'] for f in fields)}")
            return {f["name"]: self.from_json(f["type"], value[f["name"]], what)
                    for f in fields}
        if len(fields) == 1:
            return self.from_json(fields[0]["type"], value, what)
        if not isinstance(value, list) or len(value) != len(fields):
            raise BadRuntimeCall(f"{what}: expected a list of {len(fields)} values")
        return [self.from_json(f["type"], v, what) for f, v in zip(fields, value, strict=True)]

    def _variant(self, variants: list[dict], value: Any, what: str) -> Any:
        names = [v["name"] for v in variants]
        if isinstance(value, str):
            name, inner = value, None
        elif isinstance(value, dict) and len(value) == 1:
            (name, inner), = value.items()
        else:
            raise BadRuntimeCall(f"{what}: expected one of {', '.join(names)}")
        variant = next((v for v in variants if v["name"] == name), None)
        if variant is None:
            raise BadRuntimeCall(f"{what}: no variant {name!r} (one of {', '.join(names)})")
        if not variant["fields"]:
            return name
        return {name: self._fields(variant["fields"], inner, what)}

    def _primitive(self, kind: str, value: Any, what: str) -> Any:
        if kind == "bool":
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            raise BadRuntimeCall(f"{what}: true or false, not {value!r}")
        if kind in ("str", "char"):
            return str(value)
        if isinstance(value, str):
            body = value[1:] if value.startswith("-") else value
            if not body or not (body.isascii() and body.isdigit()):
                raise BadRuntimeCall(f"{what}: not a whole number: {value!r}")
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadRuntimeCall(f"{what}: not a whole number: {value!r}")
        bits = _INT_BITS[kind]
        low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if kind.startswith("i") \
            else (0, 2**bits - 1)
        if not low <= value <= high:
            raise BadRuntimeCall(f"{what}: {value} is outside {kind} ({low} to {high})")
        return value

    def _account_bytes(self, value: Any, what: str) -> bytes:
        if isinstance(value, str) and value.startswith("0x"):
            raw = self._hex(value, what)
            if len(raw) == 32:
                return raw
            raise BadRuntimeCall(f"{what}: an account is 32 bytes, not {len(raw)}")
        if not isinstance(value, str):
            raise BadRuntimeCall(f"{what}: expected an ss58 address, got {value!r}")
        from wallet.ss58 import ss58_decode

        try:
            return ss58_decode(value)
        except ValueError as exc:
            raise BadRuntimeCall(f"{what}: not an ss58 address: {value!r} ({exc})") from None

    def _byte_string(self, type_id: int, value: Any, what: str) -> bytes:
        kind, d = self.registry.kind(self._newtype(type_id) or type_id)
        if isinstance(value, list) and all(isinstance(b, int) and 0 <= b < 256 for b in value):
            raw = bytes(value)
        elif isinstance(value, str):
            raw = self._hex(value, what) if value.startswith("0x") else value.encode()
        else:
            raise BadRuntimeCall(f"{what}: expected 0x hex or text, got {value!r}")
        if kind == "array" and len(raw) != d["len"]:
            raise BadRuntimeCall(f"{what}: expected {d['len']} bytes, got {len(raw)}")
        return raw

    @staticmethod
    def _hex(text: str, what: str) -> bytes:
        try:
            return bytes.fromhex(text[2:])
        except ValueError:
            raise BadRuntimeCall(f"{what}: not hex: {text!r}") from None

    # -- type shapes -----------------------------------------------------------------------------
    def _newtype(self, type_id: int) -> int | None:
        """The wrapped type of a single unnamed-field struct (NetUid(u16), TaoBalance(u64)),
        else None. Accounts and hashes are not unwrapped: they have their own text forms."""
        kind, d = self.registry.kind(type_id)
        if kind != "composite" or len(d["fields"]) != 1 or d["fields"][0].get("name"):
            return None
        if self._account(type_id) or self._named_bytes(type_id):
            return None
        return d["fields"][0]["type"]

    def _account(self, type_id: int) -> bool:
        path = self.registry.types[type_id].get("path") or []
        return bool(path) and path[-1] == "AccountId32"

    def _named_bytes(self, type_id: int) -> bool:
        path = self.registry.types[type_id].get("path") or []
        return bool(path) and path[-1] in _BYTE_NEWTYPES

    def _bytes(self, type_id: int) -> bool:
        """Vec<u8>, [u8; N], or a newtype around one of them (H256, OpaqueMetadata)."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if kind in ("sequence", "array"):
            return reg.is_u8(d["type"])
        if kind == "composite" and len(d["fields"]) == 1 and not d["fields"][0].get("name"):
            return self._bytes(d["fields"][0]["type"])
        return False

    # -- results ---------------------------------------------------------------------------------
    def decode(self, api: str, method: str, raw: bytes, *, display: bool = False) -> Any:
        """The method's result: `raw` read as its output type, in readable form."""
        self.method(api, method)
        output = self.apis[f"{api}_{method}"]["output"]
        try:
            value = self.registry.decode_all(output, raw)
        except (ScaleError, ValueError, IndexError) as exc:
            raise RuntimeCallFailed(f"{api}.{method}: the answer does not decode as "
                                    f"{self.type_name(output)} ({exc})") from None
        return self.readable(output, value, display=display)

    def readable(self, type_id: int, value: Any, *, display: bool = False) -> Any:
        """A decoded SCALE value in the clients' JSON form (see the module docstring)."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if self._account(type_id) and isinstance(value, (bytes, bytearray)):
            from wallet.ss58 import ss58_encode

            return ss58_encode(bytes(value), self.ss58_format)
        if isinstance(value, (bytes, bytearray)):
            return _text_or_hex(bytes(value)) if display else "0x" + bytes(value).hex()
        if kind == "compact":
            return value
        if display and isinstance(value, (dict, int)):
            fixed = self._fixed(type_id, value)
            if fixed is not None:
                return fixed
        if kind == "composite":
            return self._readable_fields(d["fields"], value, display)
        if kind == "variant":
            if reg.is_option(type_id):
                if value is None:
                    return None
                return self.readable(d["variants"][1]["fields"][0]["type"], value,
                                     display=display)
            if isinstance(value, dict):
                (name, inner), = value.items()
                variant = next(v for v in d["variants"] if v["name"] == name)
                return {name: self._readable_fields(variant["fields"], inner, display)}
            return value
        if kind in ("sequence", "array"):
            if display and reg.kind(d["type"])[0] == "compact" and \
                    reg.is_u8(reg.kind(d["type"])[1]["type"]):
                return _text_or_hex(bytes(value))  # names and symbols as Vec<Compact<u8>>
            return [self.readable(d["type"], v, display=display) for v in value]
        if kind == "tuple":
            return [self.readable(t, v, display=display) for t, v in zip(d, value, strict=True)]
        return value

    def _readable_fields(self, fields: list[dict], value: Any, display: bool) -> Any:
        """A struct's or an enum variant's fields: named as an object, one unnamed as
        itself, several unnamed as a list."""
        if not fields:
            return value
        if fields[0].get("name"):
            return {f["name"]: self.readable(f["type"], value[f["name"]], display=display)
                    for f in fields}
        if len(fields) == 1:
            return self.readable(fields[0]["type"], value, display=display)
        return [self.readable(f["type"], v, display=display)
                for f, v in zip(fields, value, strict=True)]

    def _fixed(self, type_id: int, value: Any) -> str | None:
        """A fixed-point value as a decimal (display only): substrate_fixed's types (`bits`
        over 2^Frac, Frac read from the type's typenum parameter) and sp_arithmetic's
        FixedU128 (over 10^18); exact to 18 places, truncated toward zero."""
        ty = self.registry.types[type_id]
        path = ty.get("path") or []
        if path[:1] == ["substrate_fixed"] and isinstance(value, dict) and "bits" in value:
            frac = dict(ty.get("params") or []).get("Frac")
            if frac is None:
                return None
            return _decimal(value["bits"], 2 ** self._typenum(frac))
        if path == ["sp_arithmetic", "fixed_point", "FixedU128"] and isinstance(value, int):
            return _decimal(value, 10**18)
        return None

    def _typenum(self, type_id: int) -> int:
        """The number a typenum type stands for: UInt<msb, lsb> = 2 msb + lsb, UTerm = 0,
        B0 = 0, B1 = 1."""
        ty = self.registry.types[type_id]
        name = (ty.get("path") or [""])[-1]
        if name == "UInt":
            msb, lsb = (f["type"] for f in ty["def"]["composite"]["fields"])
            return 2 * self._typenum(msb) + self._typenum(lsb)
        return 1 if name == "B1" else 0

    def answer(self, api: str, method: str, args: list[str], run: Any) -> RuntimeAnswer:
        """Parse and encode `args`, `run(Api_method, params) -> result bytes`, decode."""
        spec = self.method(api, method)
        params, shown = self.encode_args(api, method, args)
        raw = run(f"{api}_{method}", params)
        return RuntimeAnswer(spec, shown, params, raw, self.decode(api, method, raw),
                             self.decode(api, method, raw, display=True))


def _decimal(numerator: int, denominator: int) -> str:
    """numerator / denominator in decimal, 18 places at most, truncated toward zero."""
    with localcontext() as ctx:
        ctx.prec = 100  # a 128-bit numerator and 18 places fit exactly
        shown = (Decimal(numerator) / Decimal(denominator)).quantize(
            Decimal(1).scaleb(-18), rounding=ROUND_DOWN)
    text = f"{shown:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _text_or_hex(raw: bytes) -> str:
    """Printable UTF-8 as itself, anything else as "0x" hex."""
    try:
        text = raw.decode()
    except UnicodeDecodeError:
        return "0x" + raw.hex()
    return text if text.isprintable() else "0x" + raw.hex()

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

Arguments are read by `chain.substrate.typed_text`. Bad input raises a `BadValue` (exit 2)
naming the API, method or argument; a runtime that cannot answer raises `RuntimeCallFailed`
(exit 5).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal, localcontext
from typing import Any

from chain.backend import RuntimeAnswer, RuntimeMethod
from chain.errors import did_you_mean
from chain.exitcodes import EXIT_UNAVAILABLE
from chain.substrate.scale import Registry, ScaleError
from chain.substrate.typed_text import BadValue, TypedText


class BadRuntimeCall(BadValue):
    """An unknown API or method, or the wrong number of arguments (an argument that does not
    parse as its type is the base class's `BadValue`)."""


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


class RuntimeCatalogue:
    """The runtime APIs of one V15 metadata (`metadata_reader.Read`), accounts in the
    network's ss58 format."""

    def __init__(self, v15: Any, ss58_format: int = 42) -> None:
        self.apis: dict[str, dict] = v15.apis
        self.registry = Registry(v15.types)
        self.text = TypedText(self.registry)
        self.ss58_format = ss58_format
        self._methods: list[RuntimeMethod] | None = None  # `methods`, built on first use

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
        """Every method, in the metadata's order (built once: a call looks its method up
        several times)."""
        if self._methods is None:
            out = []
            for full, spec in self.apis.items():
                api, _, method = full.partition("_")
                out.append(RuntimeMethod(api, method,
                                         tuple((n, self.type_name(t)) for n, t in spec["inputs"]),
                                         self.type_name(spec["output"])))
            self._methods = out
        return list(self._methods)

    def api_names(self) -> list[str]:
        return list(dict.fromkeys(m.api for m in self.methods()))

    def method(self, api: str, method: str) -> RuntimeMethod:
        """The method by its names (exact, else a BadRuntimeCall with "did you mean")."""
        found = [m for m in self.methods() if m.api == api]
        if not found:
            raise BadRuntimeCall(f"no runtime API {api!r}" + did_you_mean(api, self.api_names()))
        for m in found:
            if m.method == method:
                return m
        raise BadRuntimeCall(f"{api} has no method {method!r}" +
                             did_you_mean(method, [m.method for m in found]))

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
            value = self.text.parse(type_id, text, what)
            try:
                out += self.registry.encode(type_id, value)
            except (ScaleError, TypeError, ValueError, KeyError) as exc:
                raise BadValue(f"{what}: {exc}") from None
            shown.append(self.readable(type_id, value))
        return out, shown

    # -- results ---------------------------------------------------------------------------------
    def decode(self, api: str, method: str, raw: bytes, *, display: bool = False) -> Any:
        """The method's result: `raw` read as its output type, in readable form."""
        output, value = self._decoded(api, method, raw)
        return self.readable(output, value, display=display)

    def _decoded(self, api: str, method: str, raw: bytes) -> tuple[int, Any]:
        """(the method's output type, `raw` decoded as it)."""
        self.method(api, method)
        output = self.apis[f"{api}_{method}"]["output"]
        try:
            return output, self.registry.decode_all(output, raw)
        except (ScaleError, ValueError, IndexError) as exc:
            raise RuntimeCallFailed(f"{api}.{method}: the answer does not decode as "
                                    f"{self.type_name(output)} ({exc})") from None

    def readable(self, type_id: int, value: Any, *, display: bool = False) -> Any:
        """A decoded SCALE value in the clients' JSON form (see the module docstring)."""
        reg = self.registry
        kind, d = reg.kind(type_id)
        if self.text.is_account(type_id) and isinstance(value, (bytes, bytearray)):
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
        output, value = self._decoded(api, method, raw)  # once, shown two ways
        return RuntimeAnswer(spec, shown, params, raw, self.readable(output, value),
                             self.readable(output, value, display=True))


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

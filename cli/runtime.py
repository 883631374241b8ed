"""`taoctl runtime [API [METHOD [ARG...]]]`: any runtime API method by name (issue 15's escape
hatch), on every network.

The network's V15 metadata says which APIs exist, what each method takes and what it answers
(the sandbox: the spec-461 metadata `taoctl node serve` serves, answered by the node's own
runtime-API code over the sandbox's open block; `block` names the block whose state answered).
With no API the APIs are listed; with an API but no method, its methods and their argument types; with both, the
call: arguments parsed against their types and encoded, the answer decoded into readable
structures (`--json`: the clients' JSON form).
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from cli.netopts import AtBlockOpt, ChainDbOpt, NetworkOpt
from cli.output import JsonOpt


def runtime(
    api: Annotated[str | None, typer.Argument(
        help="The runtime API, e.g. SubnetInfoRuntimeApi (none: list the APIs).",
        show_default=False)] = None,
    method: Annotated[str | None, typer.Argument(
        help="The method, e.g. get_dynamic_info (none: list the API's methods).",
        show_default=False)] = None,
    args: Annotated[list[str] | None, typer.Argument(
        help="One value per parameter: ss58, integers, true/false, none, a,b,c lists, JSON, "
        "or 0x SCALE hex.", show_default=False)] = None,
    at_block: AtBlockOpt = None,
    network: NetworkOpt = "sandbox",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Call any runtime API method by name, arguments and answer per the metadata."""
    import json

    from cli.netopts import open_backend, state_block
    from cli.output import Output

    out = Output(json_out, True)
    backend = open_backend(network, chain_db, at_block=at_block)
    try:
        if method is None:
            methods = backend.runtime_methods()
            _listing(out, methods, api)
            return
        answer = backend.runtime_api(api or "", method, list(args or []))
        block = state_block(backend, at_block)
    finally:
        backend.close()
    spec = answer.method
    doc = {"api": spec.api, "method": spec.method, "args": answer.args,
           "inputs": spec.to_json()["inputs"], "output": spec.output, "block": block,
           "params_hex": "0x" + answer.params.hex(), "result_hex": "0x" + answer.raw.hex(),
           "value": answer.value}

    def render(console) -> None:
        shown = ", ".join(_scalar(a) if _plain(a) else json.dumps(a) for a in answer.args)
        console.print(f"{spec.api}.{spec.method}({shown}) -> {spec.output}  (block {block})",
                      markup=False, highlight=False)
        for line in tree(answer.display):
            console.print(line, markup=False, highlight=False)

    out.result(doc, render)


def _listing(out, methods: list, api: str | None) -> None:
    """The APIs (no `api`) or one API's methods with their types."""
    from cli.errors import UsageError
    from chain.errors import did_you_mean

    apis = list(dict.fromkeys(m.api for m in methods))
    if api is None:
        doc: dict[str, Any] = {"apis": [{"api": a, "methods": [m.method for m in methods
                                                               if m.api == a]} for a in apis]}

        def render(console) -> None:
            width = max(len(a) for a in apis)
            for entry in doc["apis"]:
                count = len(entry["methods"])
                console.print(f"{entry['api']:<{width}}  {count} method{'s' * (count != 1)}",
                              markup=False, highlight=False)
            console.print("`taoctl runtime API` lists an API's methods and their arguments.",
                          markup=False, highlight=False)

        out.result(doc, render)
        return
    if api not in apis:
        raise UsageError(f"no runtime API {api!r}" + did_you_mean(api, apis))
    mine = [m for m in methods if m.api == api]
    doc = {"api": api, "methods": [m.to_json() for m in mine]}

    def render_methods(console) -> None:
        for m in mine:
            params = ", ".join(f"{n}: {t}" for n, t in m.inputs)
            missing = "  (not answered by the sandbox)" if m.answered is False else ""
            console.print(f"{m.method}({params}) -> {m.output}{missing}", markup=False,
                          highlight=False)

    out.result(doc, render_methods)


def tree(value: Any, indent: str = "") -> list[str]:
    """A decoded value as indented lines: objects as `key: value`, lists of structures as
    `- ` items, lists of plain values on one line."""
    if isinstance(value, dict):
        if not value:
            return [indent + "{}"]
        lines = []
        for key, item in value.items():
            if _plain(item):
                lines.append(f"{indent}{key}: {_scalar(item)}")
            else:
                lines.append(f"{indent}{key}:")
                lines += tree(item, indent + "  ")
        return lines
    if isinstance(value, list):
        if all(_plain(v) for v in value):
            return [indent + "[" + ", ".join(_scalar(v) for v in value) + "]"]
        lines = []
        for item in value:
            sub = tree(item, indent + "  ")
            lines.append(indent + "- " + sub[0].lstrip())
            lines += sub[1:]
        return lines
    return [indent + _scalar(value)]


def _plain(value: Any) -> bool:
    if isinstance(value, list):
        return all(not isinstance(v, (dict, list)) for v in value)
    return not isinstance(value, dict)


def _scalar(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(v) for v in value) + "]"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value) if value != "" else '""'


app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command("runtime")(runtime)

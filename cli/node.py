"""`taoctl node serve`: the sandbox chain served as a Substrate JSON-RPC node on a websocket.

The node serves the same chain file as `--network sandbox` (`--chain-db`) as a spec-461 subtensor
node (the recorded spec-461 metadata), so btcli, the bittensor SDK, substrate-interface and
`taoctl --network ws://...` can talk to it. `--log-level` says what it logs to stderr (by
default every refused or failed request, with its method and why). It binds to 127.0.0.1 unless --host says otherwise. Ctrl-C (or SIGTERM) stops it.
Heavy imports (websockets, the node) happen inside the command.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cli.netopts import ChainDbOpt, chain_path
from cli.output import JsonOpt, Output
from chain.exitcodes import EXIT_UNAVAILABLE, EXIT_USAGE

app = typer.Typer(no_args_is_help=True)


@app.callback()
def node() -> None:
    """Serve the sandbox chain as a Substrate JSON-RPC node."""

LOOPBACK = ("127.0.0.1", "localhost", "::1")


class NodeServeError(Exception):
    """The node could not start (port taken, bad address)."""

    name = "NodeServeError"
    exit_code = EXIT_UNAVAILABLE


class BadOption(ValueError):
    name = "UsageError"
    exit_code = EXIT_USAGE


@app.command("serve")
def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="TCP port (0: any free port).")] = 9944,
    host: Annotated[str, typer.Option("--host", help="Address to bind; not loopback exposes "
                                      "the node to the network.")] = "127.0.0.1",
    block_time: Annotated[float | None, typer.Option(
        "--block-time", help="Also seal a block every SECONDS (blocks are always sealed per "
        "extrinsic).", show_default=False)] = None,
    log_level: Annotated[str, typer.Option(
        "--log-level", help="What the node logs to stderr: debug (every request), info (also "
        "submissions), warning (every refused or failed request, with its method and why), "
        "error.")] = "warning",
    chain_db: ChainDbOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Serve the sandbox chain over JSON-RPC (ws://HOST:PORT) as a spec-461 subtensor node."""
    import asyncio
    import signal

    out = Output(json_out)
    if not 0 <= port <= 65535:
        raise BadOption(f"--port {port} is not a TCP port (0..65535)")
    if block_time is not None and block_time <= 0:
        raise BadOption("--block-time must be a positive number of seconds")
    if log_level.lower() not in ("debug", "info", "warning", "error"):
        raise BadOption(f"--log-level {log_level!r}: one of debug, info, warning, error")
    if host not in LOOPBACK:
        out.warn(f"binding to {host}: anyone who can reach this address can submit "
                 "extrinsics to your sandbox chain")
    from chain.factory import node_server

    server = node_server(chain_path(chain_db), host, port, block_time=block_time,
                         log_level=log_level.lower())
    server.open()  # chain errors (no chain, corrupt file) surface here with their exit codes

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        task = asyncio.create_task(server.run(stop))
        while not server.bound.is_set() and not task.done():
            await asyncio.sleep(0.02)
        if task.done():
            task.result()  # raises the bind error
            return
        view = server.view
        info = {"url": f"ws://{host}:{server.port}", "host": host, "port": server.port,
                "chain_db": str(server.path), "genesis_hash": "0x" + view.chain.genesis_hash.hex(),
                "spec_version": view.md.spec_version, "best_block": view.head_number(),
                "block_time_s": block_time}

        def render(console) -> None:
            console.print(f"Serving {server.path} on [bold]{info['url']}[/bold] "
                          f"(spec {info['spec_version']}, best block {info['best_block']:,}); "
                          "Ctrl-C to stop")

        out.result(info, render)
        await task

    try:
        asyncio.run(main())
    except OSError as exc:
        raise NodeServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    out.info("node stopped")

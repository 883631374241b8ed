"""The `taoctl` entry point: a command tree whose groups load only when they are used.

`taoctl --help` must start in about 0.1 s, so this module imports typer and nothing of ours
beyond the group table. Each group lives in its own module (`cli/<group>.py`, exposing
`app = typer.Typer(...)`); a group may be assembled from several modules, so that independent
features (keys vs. balances) stay in separate files. Errors from every room are turned into a
one-line message (or a JSON error object under any JSON flag) and an exit code in `cli.errors`.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys

import typer
from typer.core import TyperGroup

from chain.heap import keep_freed_memory
from cli import typerfast

typerfast.install()

# group name -> (modules that contribute commands, one-line help shown by `taoctl --help`)
GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "quote": (("cli.quote",), "Quote stake and unstake swaps exactly as the chain executes them."),
    "wallet": (
        ("cli.wallet", "cli.wallet_chain"),
        "Coldkeys, hotkeys and balances in btcli's wallet format.",
    ),
    "chain": (("cli.chain",), "The bundled sandbox chain: init, status, advance, check."),
    "subnet": (("cli.subnet",), "Subnets: list, create, register neurons, prices, metagraph."),
    "stake": (("cli.stake", "cli.yields", "cli.stake_chart"),
              "Stake and unstake through the subnet pools, slippage shown first."),
    "portfolio": (("cli.portfolio",), "Cost basis, value and P&L of a coldkey's positions."),
    "weights": (("cli.weights",), "Set and show validator weights."),
    "simulate": (("cli.simulate",), "Run a copy of the chain forward and report earnings."),
    "query": (("cli.query",), "Read any storage item by subtensor's names."),  # proxyhatch
    "call": (("cli.call",), "Sign and submit any call by subtensor's names."),  # proxyhatch
    "explain": (("cli.explain",), "What a chain error means and what to do."),  # proxyhatch
    "proxy": (("cli.proxy",), "Proxies: let another account stake for a coldkey."),  # proxyhatch
    "runtime": (("cli.runtime",), "Call any runtime API by name, per the metadata."),  # hatch
    "node": (("cli.node",), "Serve the sandbox chain as a Substrate JSON-RPC node."),
    "walkthrough": (("cli.walkthrough",), "A guided tour of the main job on a fresh dev chain."),
    # -- watch (issue 17) --
    "watch": (("cli.watch",), "Live views refreshed every block: positions, metagraph, prices."),
}
# btcli's group aliases, accepted but not listed.
ALIASES = {"w": "wallet", "wallets": "wallet", "st": "stake", "s": "subnet", "subnets": "subnet",
           "wt": "weights", "weight": "weights"}


def _available(modules: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(m for m in modules if importlib.util.find_spec(m) is not None)


def finish(command) -> None:
    """What every command of the tree shares. One help style: click's plain layout, as the top
    level has (rich's boxed layout cuts long alias lists short and costs its import).
    `--timeout` wherever `--network` is (cli.netopts.with_timeout)."""
    from cli.netopts import with_timeout

    with_timeout(command)
    command.rich_markup_mode = None
    command.params = [p for p in command.params  # typer's shell-completion options: not ours
                      if p.name not in ("install_completion", "show_completion")]
    for sub in getattr(command, "commands", {}).values():
        if not sub.short_help and sub.help:  # a group lists its commands' first sentence whole
            sub.short_help = " ".join(sub.help.strip().split("\n\n")[0].split())
        finish(sub)


class LazyGroup(TyperGroup):
    """A top-level group that imports a command group's module only when that group runs."""

    def list_commands(self, ctx):  # noqa: D102 - click API
        return [name for name, (mods, _) in GROUPS.items() if _available(mods)]

    def get_command(self, ctx, cmd_name):  # noqa: D102 - click API
        name = ALIASES.get(cmd_name, cmd_name)
        if name not in GROUPS:
            return None
        modules = _available(GROUPS[name][0])
        if not modules:
            return None
        apps = [importlib.import_module(m).app for m in modules]
        base = apps[0]
        for extra in apps[1:]:
            base.registered_commands.extend(
                c for c in extra.registered_commands if c not in base.registered_commands
            )
        if not isinstance(base.info.help, str) or not base.info.help.strip():
            base.info.help = GROUPS[name][1]  # every group described, as in the top level
        command = typer.main.get_command(base)
        command.name = name
        finish(command)
        return command

    def format_commands(self, ctx, formatter):  # noqa: D102 - click API
        rows = [(name, GROUPS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def format_help(self, ctx, formatter):
        """Plain help for the top level: listing groups must not import them (or rich)."""
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)  # a group's options section lists its commands too
        self.format_epilog(ctx, formatter)


app = typer.Typer(
    cls=LazyGroup,
    name="taoctl",
    help="taoctl: wallets, exact stake quotes and a bundled chain for Bittensor.\n\n"
    "Every command takes --json for scripts; the default network is the bundled 'sandbox'.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"taoctl {version('taoctl')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """taoctl: wallets, exact stake quotes and a bundled chain for Bittensor."""


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map every error to a one-line message and a meaningful exit code."""
    args = sys.argv[1:] if argv is None else argv
    keep_freed_memory()  # epochs (chain advance, simulate, node) reuse freed heap memory
    command = typer.main.get_command(app)
    try:
        result = command.main(args=args, prog_name="taoctl", standalone_mode=False)
    except BaseException as exc:  # noqa: BLE001 - the one place errors become exit codes
        from cli.errors import debug_requested, json_requested, report

        sys.exit(report(exc, json_mode=json_requested(args),
                        debug=debug_requested(os.environ.get("TAOCTL_DEBUG"))))
    sys.exit(result if isinstance(result, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main()

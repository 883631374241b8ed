"""`taoctl walkthrough`: a guided tour of the main job on a fresh bundled chain.

It runs the same commands a user would type -- each one printed first, as `$ taoctl ...`, then
run as a real `taoctl` process -- in a workspace of its own (a dev chain file and a wallet
directory), so nothing in the user's own wallets or sandbox changes. At the end it prints the
`export` line that points further commands at the workspace, so the tour can be continued by hand.
Steps whose command group is not installed are skipped with a note.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from cli.errors import UsageError
from cli.output import JsonOpt, Output

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

WALLET = "demo"
BOB = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty"  # //Bob on every dev chain


@dataclass(frozen=True)
class Step:
    """One command of the tour: what it shows, and its arguments (computed from earlier steps)."""

    title: str
    args: Callable[[dict], list[str]]
    capture: str | None = None  # a read-only step whose JSON result later steps use


def _steps() -> list[Step]:
    def coldkey(seen: dict) -> str:
        return seen["wallet"]["ss58_address"]

    return [
        Step("Create a dev chain: Alice..Ferdie funded, Alice is sudo",
             lambda s: ["chain", "init", "--preset", "dev", "--force"]),
        Step("Create a wallet: a coldkey and its hotkey 'validator' (unencrypted for the tour: "
             "`taoctl wallet create --no-use-password`; without that flag the coldkey is "
             "encrypted, its password asked or read from TAOCTL_PASSWORD)",
             lambda s: ["wallet", "create", "--hotkey", "validator", "--no-use-password", "-y"]),
        Step("A second hotkey that will mine",
             lambda s: ["wallet", "new-hotkey", "--hotkey", "miner", "--no-use-password", "-y"]),
        Step("The wallet as btcli would lay it out",
             lambda s: ["wallet", "inspect"], capture="wallet"),
        Step("Fund it from Alice (a signed transfer on the dev chain)",
             lambda s: ["chain", "fund", coldkey(s), "3000"]),
        Step("Send 10 TAO to Bob", lambda s: ["wallet", "transfer", "--dest", BOB,
                                               "--amount", "10", "-y"]),
        Step("Create a subnet (locks the lock cost; the validator hotkey becomes UID 0)",
             lambda s: ["subnet", "create", "--hotkey", "validator", "--subnet-name", "tour",
                        "-y"]),
        Step("Start its emission", lambda s: ["subnet", "start", "--netuid", "1", "-y"]),
        Step("Register the miner hotkey (burned registration)",
             lambda s: ["subnet", "register", "--netuid", "1", "--hotkey", "miner", "-y"]),
        Step("Quote a stake from the live pool, before anything is signed",
             lambda s: ["quote", "stake", "--netuid", "1", "--amount", "2"]),
        Step("Stake 2 TAO on the validator (add_stake_limit at 0.5% tolerance)",
             lambda s: ["stake", "add", "--netuid", "1", "--amount", "2", "--hotkey",
                        "validator", "-y"]),
        Step("Advance one tempo (360 blocks): the first epoch hands out validator permits",
             lambda s: ["chain", "advance", "360"]),
        Step("The validator weights the miner (UID 1: the owner's hotkey holds UID 0)",
             lambda s: ["weights", "set", "--netuid", "1", "--uids", "1",
                        "--weights", "1", "--hotkey", "validator", "-y"]),
        Step("Advance two tempos (720 blocks, 2.4 hours of chain time)",
             lambda s: ["chain", "advance", "720"]),
        Step("The subnet after its epochs", lambda s: ["subnet", "metagraph", "--netuid", "1"]),
        Step("Your stakes: value at spot and what an unstake would really return",
             lambda s: ["stake", "list"]),
        Step("Balances", lambda s: ["wallet", "balance"]),
        Step("Halvings: past and next", lambda s: ["chain", "halving"]),
    ]


def _available(args: list[str]) -> bool:
    """Whether `taoctl <group> <command>` exists in this installation."""
    from cli.main import GROUPS, LazyGroup

    group = args[0]
    if group not in GROUPS:
        return False
    command = LazyGroup(name="taoctl").get_command(None, group)
    if command is None:
        return False
    commands = getattr(command, "commands", None)
    return commands is None or len(args) < 2 or args[1] in commands


def _default_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
    return Path(base) / "taoctl" / "walkthrough"


def _private_workspace(workspace: Path) -> None:
    """The workspace, its wallets folder (0700) and its marker file (0600), whatever the umask:
    it holds keys and a chain, which are nobody else's business."""
    from wallet.fsio import ensure_private_dir

    ensure_private_dir(workspace / "wallets")
    os.chmod(workspace, 0o700)
    marker = workspace / ".taoctl-walkthrough"
    os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(marker, 0o600)


@app.command("walkthrough")
def walkthrough(
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Workspace for the tour's chain and wallets (recreated).",
                     show_default=False),
    ] = None,
    json_mode: JsonOpt = False,
) -> None:
    """Run a short tour on a fresh dev chain: wallet, funding, transfer, subnet, stake, epochs."""
    out = Output(json_mode, no_prompt=True)
    workspace = (directory or _default_dir()).expanduser().resolve()
    if workspace.exists():
        if not (workspace / ".taoctl-walkthrough").exists() and any(workspace.iterdir()):
            raise UsageError(f"{workspace} is not empty and is not a walkthrough workspace")
        shutil.rmtree(workspace)
    _private_workspace(workspace)
    env = {**os.environ, "TAOCTL_CHAIN_DB": str(workspace / "chain.db"),
           "TAOCTL_WALLET_PATH": str(workspace / "wallets"), "TAOCTL_WALLET_NAME": WALLET,
           "TAOCTL_NETWORK": "sandbox"}
    exports = (f"export TAOCTL_CHAIN_DB={env['TAOCTL_CHAIN_DB']} "
               f"TAOCTL_WALLET_PATH={env['TAOCTL_WALLET_PATH']} TAOCTL_WALLET_NAME={WALLET}")
    out.info(f"[bold]Workspace[/bold] {workspace}")
    out.verbatim(f"$ {exports}\n")
    seen: dict = {}
    report = []
    for number, step in enumerate(_steps(), start=1):
        args = step.args(seen)
        shown = "taoctl " + " ".join(args)
        if not _available(args):
            out.info(f"[dim]{number}. {step.title}: skipped ({shown} is not installed)[/dim]\n")
            report.append({"command": shown, "skipped": True})
            continue
        out.info(f"[bold cyan]{number}. {step.title}[/bold cyan]")
        out.verbatim(f"$ {shown}")
        document = None
        if json_mode or step.capture:
            proc = subprocess.run([sys.executable, "-m", "cli.main", *args, "--json"], env=env,
                                  stdin=subprocess.DEVNULL, capture_output=True, text=True)
            document = json.loads(proc.stdout) if proc.stdout.strip() else None
            if not json_mode and proc.returncode == 0:  # read-only: show it the human way too
                subprocess.run([sys.executable, "-m", "cli.main", *args], env=env,
                               stdin=subprocess.DEVNULL)
            elif proc.stderr:
                sys.stderr.write(proc.stderr)
        else:
            proc = subprocess.run([sys.executable, "-m", "cli.main", *args], env=env,
                                  stdin=subprocess.DEVNULL)
        if step.capture and document is not None:
            seen[step.capture] = document
        report.append({"command": shown, "exit_code": proc.returncode, "result": document})
        if proc.returncode != 0:
            out.result({"workspace": str(workspace), "steps": report, "ok": False},
                       render=lambda console, n=number, cmd=shown: console.print(
                           f"[red]The tour stopped at step {n} ({cmd}).[/red]"))
            raise typer.Exit(proc.returncode)
        out.info("")
    out.info("[bold green]Done.[/bold green] Continue by hand with:")
    out.verbatim(exports)  # one line whatever the width: pasted, it sets every variable
    out.result({"workspace": str(workspace), "exports": exports, "steps": report, "ok": True},
               render=lambda console: None)

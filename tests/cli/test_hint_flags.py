"""Every hint names a flag the command accepts (issue 13, observation 4): the refusal hint of
`stake add` once said `--allow-partial`, which only `quote stake` accepts. This collects every
`--flag` written in a message, help text or docstring of the package and checks it against the
real options of the commands that can show it:

- after `taoctl <group> <command>` in the same text: that command's options;
- in a module that defines a group's commands (cli.main.GROUPS) or renders only for one group
  (RENDERS_FOR): the options of that group's commands;
- anywhere else (shared CLI modules, chain/, wallet/, amm/): the options of some command.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from cli.main import GROUPS, LazyGroup

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cli", "chain", "wallet", "amm")
RENDERS_FOR = {"cli/staking_view.py": "stake"}  # modules that only one group's commands use
ROOT_OPTIONS = {"--version", "--help", "-h"}
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z0-9_.-]*[a-z0-9]")
MENTION = re.compile(r"\btaoctl ([a-z]+)(?: ([a-z][a-z_-]*))?")


def command_options() -> dict[tuple[str, str], set[str]]:
    root = LazyGroup(name="taoctl")
    found = {}
    for name in GROUPS:
        group = root.get_command(None, name)
        for sub_name, sub in (getattr(group, "commands", None) or {name: group}).items():
            found[(name, sub_name)] = {o for p in sub.params
                                       for o in [*p.opts, *getattr(p, "secondary_opts", [])]}
    return found


def texts(path: Path):
    """Every string the module holds (f-strings by their literal parts), with its line; not
    the module's docstring (for developers) nor a lone flag (an option's own declaration, or
    an argument list, checked by test_the_walkthrough_runs_only_real_options)."""
    tree = ast.parse(path.read_text())
    docstring = ast.get_docstring(tree, clean=False)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == docstring or FLAG.fullmatch(node.value.split("/")[0]):
                continue
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr):
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}"
                                       for v in node.values)


def allowed_for(module: str, options) -> set[str]:
    groups = {name for name, (modules, _) in GROUPS.items()
              if module.removesuffix(".py").replace("/", ".") in modules}
    if module in RENDERS_FOR:
        groups = {RENDERS_FOR[module]}
    if not groups:
        return set().union(*options.values())
    return set().union(*(o for (g, _), o in options.items() if g in groups))


def misnamed_flags() -> list[str]:
    options = command_options()
    every = set().union(*options.values()) | ROOT_OPTIONS
    wrong = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = str(path.relative_to(ROOT))
            scope = allowed_for(module, options) | ROOT_OPTIONS
            for line, text in texts(path):
                start = 0
                for mention in MENTION.finditer(text):  # text before a `taoctl x y` mention
                    wrong += _check(text[start:mention.start()], scope, module, line)
                    group, command = mention.group(1), mention.group(2)
                    named = options.get((group, command)) or options.get((group, group))
                    if named is None:  # a group alone, or a command under another name
                        named = set().union(*(o for (g, _), o in options.items()
                                              if g == group)) or every
                    end = text.find("`", mention.end())
                    end = len(text) if end < 0 else end
                    wrong += _check(text[mention.end():end], named | ROOT_OPTIONS, module,
                                    line, f"taoctl {group} {command or ''}".strip())
                    start = end
                wrong += _check(text[start:], scope, module, line)
    return wrong


def _check(text: str, allowed: set[str], module: str, line: int, where: str = "") -> list[str]:
    return [f"{module}:{line}: {flag}" + (f" (after {where})" if where else "")
            for flag in FLAG.findall(text) if flag not in allowed]


def test_every_flag_a_message_names_is_an_option_of_its_command():
    assert misnamed_flags() == []


def test_the_walkthrough_runs_only_real_options():
    from cli.walkthrough import _steps

    options = command_options()
    seen = {"wallet": {"ss58_address": "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}}
    for step in _steps():
        args = step.args(seen)
        command = (args[0], args[1] if (args[0], args[1]) in options else args[0])
        for flag in (a for a in args if a.startswith("--")):
            assert flag in options[command], (args, flag)


def test_the_check_catches_the_old_stake_add_hint(tmp_path, monkeypatch):
    """The defect as it was: a stake rendering that tells the user to pass --allow-partial."""
    import tests.cli.test_hint_flags as me

    fake = tmp_path / "cli" / "staking_view.py"
    fake.parent.mkdir()
    fake.write_text('HINT = "raise --tolerance or use --allow-partial"\n')
    monkeypatch.setattr(me, "ROOT", tmp_path)
    monkeypatch.setattr(me, "PACKAGES", ("cli",))
    assert me.misnamed_flags() == ["cli/staking_view.py:1: --allow-partial"]

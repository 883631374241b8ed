"""Help in one style (issue 13, observation 10): every group described, the top level and the
groups laid out alike, no alias list or description cut short."""

from __future__ import annotations

import pytest

from cli.main import GROUPS, LazyGroup


def _tree():
    """(path, click command) for every group and command, as `taoctl` builds them."""
    root = LazyGroup(name="taoctl")
    for name in GROUPS:
        group = root.get_command(None, name)
        yield [name], group
        for sub_name, sub in sorted(getattr(group, "commands", {}).items()):
            if not sub.hidden:
                yield [name, sub_name], sub


@pytest.mark.in_process
def test_every_help_page_is_plain_whole_and_described(taoctl):
    top = taoctl.run("--help")
    assert top.returncode == 0
    pages = {(): top.stdout}
    for path, command in _tree():
        proc = taoctl.run(*path, "--help", env={"COLUMNS": "80"})
        assert proc.returncode == 0, (path, proc.stderr)
        pages[tuple(path)] = proc.stdout
        text = proc.stdout
        assert "╭" not in text and "│" not in text, f"taoctl {' '.join(path)} --help is boxed"
        cut = [line for line in text.splitlines()[1:] if "…" in line or line.endswith("...")]
        assert not cut, f"taoctl {' '.join(path)} --help cuts short: {cut}"
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines[0].startswith("Usage: taoctl "), text
        assert not lines[1].lstrip().startswith(("Options:", "Commands:")), \
            f"taoctl {' '.join(path)} has no description"
        for param in [p for p in command.params if not getattr(p, "hidden", False)]:
            for spelling in [*param.opts, *getattr(param, "secondary_opts", [])]:
                assert spelling in text, (path, spelling)
    assert all(page.startswith("Usage: taoctl") for page in pages.values())
    assert "Options:" in pages[()] and "Options:" in pages[("wallet",)]

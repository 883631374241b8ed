"""`taoctl query`: registered here, defined in `cli.hatch` (the escape hatch)."""

from __future__ import annotations

import typer

from cli.hatch import query

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command("query")(query)

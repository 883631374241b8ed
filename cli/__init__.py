"""taoctl's command-line interface: typer command groups over one output layer (`cli.output`)."""

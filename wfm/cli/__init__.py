"""The `wfm` command line: a thin Typer shell over the library, one module per command
(``wfm.cli.<name>_command``), the app and the shared options in :mod:`wfm.cli.shell`.

Each command parses options, calls the library function of the same name, writes outputs atomically and
prints a table (or JSON with --json). No arithmetic here.
"""

from __future__ import annotations

import sys

from wfm.cli import (  # noqa: F401 - each module registers its command on the app, in --help's order
    capacity_command,
    forecast_command,
    outbound_command,
    plan_command,
    ratio_command,
    review_command,
    roster_command,
    simulate_command,
    staff_command,
    whatif_command,
)
from wfm.cli.shell import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        sys.exit(exc.code)

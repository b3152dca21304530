"""`wfm ratio`: front line : back office against the target (wfm.ratio)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from wfm.cli.shell import (
    ConfigOpt,
    JsonOpt,
    QuietOpt,
    app,
    emit,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG

RatioRosterOpt = Annotated[
    Path | None,
    typer.Option(
        "--roster",
        help="Front line from this roster.csv (distinct agents, paid hours), per week; "
        "default: centre.front_line_headcount.",
    ),
]
RatioBasisOpt = Annotated[
    Literal["headcount", "fte"],
    typer.Option("--basis", help="Count people (headcount) or full-time equivalents (fte)."),
]


@app.command("ratio")
@wfm_command
def ratio_command(
    config: ConfigOpt = DEFAULT_CONFIG,
    roster: RatioRosterOpt = None,
    basis: RatioBasisOpt = "headcount",
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Check the front-line : back-office ratio against the target (9:1 mature, 85:15 new).

    Exit 0 when the back-office share is inside the tolerance band, 1 outside it (or with no back
    office at all). A management-layers mismatch is a warning only.
    """
    from wfm import ratio as stage
    from wfm.config import load_config
    from wfm.io import to_json

    cfg = load_config(config)
    front_line = stage.front_line_from_file(roster, cfg) if roster is not None else None
    result = stage.ratio(cfg, front_line=front_line, basis=basis)
    for warning in result.warnings:
        log(f"Warning: {warning}", quiet=quiet)
    if json_out:
        typer.echo(to_json(result.to_dict()))
    elif not (quiet and result.ok):
        emit(stage.render(result, cfg.centre.name))
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- whatif

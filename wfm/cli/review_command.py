"""`wfm review`: a plan run's forecast against what happened (wfm.review; issue 15, in progress)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import ConfigOpt, JsonOpt, QuietOpt, app, emit, log, wfm_command
from wfm.config import DEFAULT_CONFIG


@app.command("review")
@wfm_command
def review_command(
    run: Annotated[Path, typer.Argument(help="A `wfm plan` run folder, e.g. forecasts/runs/2026-11-30.")],
    actuals: Annotated[Path, typer.Option("--actuals", help="History CSV of what happened (the history format).")],
    config: ConfigOpt = DEFAULT_CONFIG,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Score a plan run's forecast against the actuals: WAPE, bias, MASE against last week's actuals, the
    Poisson noise floor and the p10-p90 band's coverage, per queue at the interval, 30 minutes and per day.

    `wfm review forecasts/runs/2026-11-30 --actuals actuals.csv --config configs/example.toml`.
    """
    from wfm.config import load_config
    from wfm.io import to_json
    from wfm.review.run import review_forecast

    cfg = load_config(config)
    result = review_forecast(run, actuals, cfg)
    if json_out:
        typer.echo(to_json(result.to_dict()))
        return
    for note in result.notes:
        log(f"note: {note}", quiet=quiet)
    emit(result.render(), quiet=quiet)

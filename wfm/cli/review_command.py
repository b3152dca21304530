"""`wfm review`: a plan run against what happened, and the weekly trend of the reviews (wfm.review)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import ConfigOpt, JsonOpt, QuietOpt, app, emit, log, wfm_command
from wfm.config import DEFAULT_CONFIG


@app.command("review")
@wfm_command
def review_command(
    run: Annotated[Path | None, typer.Argument(help="A `wfm plan` run folder, e.g. forecasts/runs/2026-11-30.")] = None,
    actuals: Annotated[Path | None, typer.Option(
        "--actuals", help="History CSV of what happened (the history format; optionally the ACD's outcome columns "
                          "answered, answered_within, abandoned[, asa]).")] = None,
    adherence: Annotated[Path | None, typer.Option(
        help="Agents actually logged in per interval (timestamp, rostered or agents[, group]): splits off the "
             "staffing not delivered as planned.")] = None,
    trend: Annotated[Path | None, typer.Option(
        "--trend", help="A runs folder: print and chart the weekly accuracy its reviews recorded (accuracy.csv).")
    ] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="Folder for the review's files (default: RUN/review/).")] = None,
    record: Annotated[bool, typer.Option(
        "--record/--no-record", help="Record the review's weekly rows in the runs folder's accuracy.csv.")] = True,
    replications: Annotated[int, typer.Option(
        help="Simulator replications for the estimated service (no outcome columns).", min=1, max=1000)] = 5,
    config: ConfigOpt = DEFAULT_CONFIG,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Review a plan run against the actuals: the forecast's accuracy (WAPE beside its Poisson noise floor,
    bias, MASE, band coverage; volume and AHT), staffing against need, service planned against actual (or
    estimated) and what caused the worst days' miss. Files go to RUN/review/; the weekly rows to the runs
    folder's accuracy.csv.

    `wfm review forecasts/runs/2026-11-30 --actuals actuals.csv`; `wfm review --trend forecasts/runs`.
    Exit 1 when a forecast is less accurate than `[review] max_wape` (or, with --trend, a bias is flagged).
    """
    from wfm.config import load_config
    from wfm.errors import InputError
    from wfm.io import to_json
    from wfm.outputs import check_out_paths
    from wfm.review.run import review, review_files, write_review
    from wfm.review.trend import trend as trend_of

    cfg = load_config(config)
    if trend is not None:
        if run is not None or actuals is not None or adherence is not None:
            raise InputError("--trend RUNS: give the runs folder alone (no RUN, --actuals or --adherence)")
        result = trend_of(trend, cfg.review)
        chart = result.write_chart(Path(trend) / "accuracy.png")
        if json_out:
            emit(to_json({**result.to_dict(), "chart": str(chart)}))
        else:
            emit(result.render(), quiet=quiet)
            log(f"wrote {chart}", quiet=quiet)
        raise typer.Exit(result.exit_code)
    if run is None or actuals is None:
        raise InputError("give a run folder and --actuals FILE (or --trend RUNS)")
    folder = out if out is not None else run / "review"
    if folder.resolve() == run.resolve():
        raise InputError(f"--out {out}: is the run folder itself; give the review a folder of its own")
    check_out_paths({f"--out {name}": folder / name for name in review_files.names},
                    {"--actuals": actuals, "--adherence": adherence, "--config": config})
    result = review(run, actuals, cfg, adherence=adherence, replications=replications)
    written = write_review(result, run, out, cfg.planning_interval_minutes, record=record)
    if json_out:
        emit(to_json({**result.to_dict(), "out": [str(p) for p in written]}))
    else:
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
        emit(result.render(), quiet=quiet)
        for path in written:
            log(f"wrote {path}", quiet=quiet)
    raise typer.Exit(result.exit_code)

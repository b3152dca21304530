"""`wfm simulate`: a roster run call by call (wfm.simulate)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from wfm.cli.shell import (
    ClusterOpt,
    ConfigOpt,
    JsonOpt,
    QuietOpt,
    SeedOpt,
    WorkersOpt,
    app,
    emit,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG


@app.command("simulate")
@wfm_command
def simulate_command(
    roster_or_agents: Annotated[
        Path, typer.Argument(help="roster.csv (from wfm roster), or agents per interval: timestamp,agents|rostered"
                                  "[,group].")
    ],
    forecast: Annotated[
        Path, typer.Option("--forecast", help="Forecast (or actual volumes) CSV: timestamp,queue,volume[,aht].")
    ],
    config: ConfigOpt = DEFAULT_CONFIG,
    replications: Annotated[int, typer.Option(help="Replications of the horizon (95% intervals across them).",
                                              min=1)] = 30,
    seed: SeedOpt = 0,
    routing: Annotated[
        Literal["fifo", "priority", "objective"] | None,
        typer.Option(help="fifo: oldest waiting call of the staff group; priority: the first non-empty queue "
                          "in --priority order; objective: the longest wait as a multiple of its queue's "
                          "objective (tuned to the forecast unless the config sets them) (default: each "
                          "staff group's routing in the config)."),
    ] = None,
    priority: Annotated[
        str | None, typer.Option(help="Queue order for --routing priority, highest first: q1,q2,... "
                                      "(default: tightest target first).")
    ] = None,
    service_cv: Annotated[
        float | None, typer.Option("--service-cv", help="Lognormal service times with this CV (default: "
                                                         "exponential).")
    ] = None,
    shrinkage: Annotated[
        Literal["fixed", "binomial"],
        typer.Option(help="fixed: floor(rostered x (1 - shrinkage)) take calls, as the Erlang figures; binomial: "
                          "each rostered agent away with that probability."),
    ] = "fixed",
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="A .csv file for the interval table, or a folder for "
                                                       "intervals.csv, days.csv and queues.csv (atomically).")
    ] = None,
    workers: WorkersOpt = 1,
    cluster: ClusterOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Simulate a roster against a forecast, call by call (discrete events), with confidence intervals.

    `wfm simulate roster.csv --forecast forecast.csv --replications 30 --out simulation/`. Exit 1 when a
    queue misses a target over the horizon (its simulated mean), 2 on bad input.
    """
    from wfm import simulate as stage
    from wfm.config import load_config
    from wfm.io import to_json

    stage.check_simulation_out(out, {"ROSTER_OR_AGENTS": roster_or_agents, "--forecast": forecast,
                                     "--config": config})
    cfg = load_config(config)
    watch = sys.stderr.isatty() and not quiet and not json_out
    result = stage.simulate_files(
        roster_or_agents, forecast, cfg, replications=replications, seed=seed, routing=routing,
        priority=priority, service_cv=service_cv,
        shrinkage=shrinkage, progress=stage.progress_printer(sys.stderr) if watch else None, workers=workers,
        cluster=cluster,
    )
    if watch:
        sys.stderr.write("\n")
    written = stage.write_simulation(result, out) if out is not None else []
    if json_out:
        emit(to_json({**result.summary(), "out": [str(p) for p in written]}))
    else:
        emit(stage.render(result), quiet=quiet)
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
        for path in written:
            log(f"wrote {path}", quiet=quiet)
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- plan

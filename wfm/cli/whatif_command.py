"""`wfm whatif`: storm scenarios and the least-cost recovery (wfm.whatif)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import (
    ClusterOpt,
    ConfigOpt,
    JsonOpt,
    OutOpt,
    QuietOpt,
    WorkersOpt,
    app,
    emit,
    jobs_progress,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG


@app.command("whatif")
@wfm_command
def whatif_command(
    scenarios: Annotated[
        Path, typer.Option("--scenarios", help="Scenario file (TOML): shocks and levers, e.g. configs/storm.toml.")
    ],
    config: ConfigOpt = DEFAULT_CONFIG,
    roster: Annotated[
        Path | None, typer.Option("--roster", help="Published roster.csv (default: roster the baseline now).")
    ] = None,
    forecast: Annotated[
        Path | None, typer.Option("--forecast", help="forecast.csv (default: forecast --history for --horizon).")
    ] = None,
    history: Annotated[
        Path, typer.Option("--history", help="History CSV to forecast from when no --forecast is given.")
    ] = Path("forecasts/history.csv"),
    horizon: Annotated[str, typer.Option(help="Plan length when forecasting: days (7d) or weeks (1w).")] = "7d",
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", help="Plan this many weeks (1 to 6) when forecasting from --history: a month-long "
                                     "scenario needs --weeks 4; a shorter --roster's weeks are repeated.", min=1, max=6),
    ] = None,
    only: Annotated[
        list[str] | None,
        typer.Option("--scenario", metavar="NAME", help="Run only this scenario of the file (repeat for several)."),
    ] = None,
    recovery_dir: Annotated[
        Path | None,
        typer.Option("--recovery-dir", metavar="DIR", help="Write each scenario's recovery by name into DIR/<scenario>/: "
                                            "recovery.csv, roster_after.csv and roster_before.csv, as one set."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(help="First plan day when forecasting, YYYY-MM-DD (default: the first open day after the history)."),
    ] = None,
    method: Annotated[
        str | None,
        typer.Option(help="Forecast model when forecasting: auto (best backtest WAPE per queue, as wfm plan; the "
                          "default), seasonal_naive, week_average, top_down, top_down_trend, blend or top_down_ets."),
    ] = None,
    sweep: Annotated[
        str | None, typer.Option(help="Run every scenario at each value: volume=1.0:3.0:0.25 (also aht=, absence=).")
    ] = None,
    workers: WorkersOpt = 1,
    cluster: ClusterOpt = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Recovery solver time limit per stage, seconds.", min=0.1, max=86_400)
    ] = 60.0,
    roster_time_limit: Annotated[
        float | None,
        typer.Option(help="Roster solver time limit when no --roster is given, seconds (default: config).", min=0.1, max=86_400),
    ] = None,
    intervals: Annotated[
        Path | None,
        typer.Option("--intervals", help="Write every interval of every run (before and after recovery) to this CSV."),
    ] = None,
    out: OutOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """What-if runs: shocks (surges, AHT, absence, seats down) and the least-cost recovery with the levers.

    `wfm whatif --config configs/example.toml --scenarios configs/storm.toml --weeks 4 [--roster roster.csv]
    [--recovery-dir DIR] [--scenario storm] [--sweep volume=1.0:3.0:0.25 --workers 2]`. The recovery is given
    to people by name, each keeping the rest rules (--recovery-dir writes recovery.csv and roster_after.csv).
    Exit 1 when some interval is still short of its required agents after recovery (a result, not an error):
    one `Breached:` line per scenario still short on stderr, --quiet or not.
    """
    from wfm import whatif as stage
    from wfm.config import load_config
    from wfm.errors import InputError
    from wfm.io import atomic_write_csv, atomic_write_json, to_json
    from wfm.outputs import check_not_inside, check_out_paths

    check_out_paths({"--out": out, "--intervals": intervals}, {
        "--scenarios": scenarios, "--config": config, "--roster": roster, "--forecast": forecast,
        "--history": history if forecast is None else None})
    if recovery_dir is not None:
        if recovery_dir.exists() and not recovery_dir.is_dir():
            raise InputError(f"--recovery-dir: {recovery_dir} is a file, not a folder")
        check_not_inside(recovery_dir, {"--scenarios": scenarios, "--config": config, "--roster": roster,
                                        "--forecast": forecast, "--history": history if forecast is None else None},
                         "--recovery-dir")
    cfg = load_config(config)
    scen = stage.select_scenarios(stage.load_scenarios(scenarios), only, str(scenarios))
    if weeks is not None:
        if forecast is not None:
            raise InputError(f"--weeks: only when forecasting from --history; {forecast} already gives the plan's "
                             "days (give a forecast that long, or leave out --forecast)")
        if horizon != "7d":
            raise InputError("--weeks and --horizon: give one of them (--weeks 4 is --horizon 28d)")
        horizon = f"{7 * weeks}d"
    if sweep is not None:
        stage.parse_sweep(sweep)  # a bad --sweep fails before any solving
    from wfm import milp
    from wfm.parallel import engine_of
    from wfm.roster import progress_printer

    # at a terminal, each solve in this process (the baseline roster, every recovery and re-roster when the
    # scenarios run here, not on workers) redraws one progress line, as `wfm plan` and `wfm roster` do
    watch = sys.stderr.isatty() and not (quiet or json_out)
    solving = progress_printer(sys.stderr) if watch else None
    with milp.reporting(solving):
        fc, ro, notes = stage.load_inputs(
            cfg, scen, forecast_path=forecast, history_path=history, roster_path=roster, horizon=horizon,
            start=start, method=method, roster_time_limit_s=roster_time_limit, source=str(scenarios),
        )
        with milp.reporting(solving if engine_of(workers, cluster) is None else None):
            result = stage.whatif(
                cfg, scen, fc, ro, sweep=sweep, workers=workers, cluster=cluster, time_limit_s=time_limit,
                source=str(scenarios), progress=jobs_progress("scenarios", quiet or json_out),
            )
    if watch:
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()
    result.notes = notes + result.notes
    doc = result.to_dict()
    if out is not None:
        atomic_write_json(out, doc)
    if intervals is not None:
        atomic_write_csv(intervals, result.intervals())
    written = stage.write_recovery_dirs(result, recovery_dir) if recovery_dir is not None else []
    if json_out:
        typer.echo(to_json(doc))
    else:
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
        emit(stage.render(result), quiet=quiet)
        for path in (out, intervals, *written):
            if path is not None:
                log(f"wrote {path}", quiet=quiet)
    for breach in result.breaches:  # as `wfm plan`: on stderr even with --quiet or --json
        log(f"Breached: {breach}")
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- simulate

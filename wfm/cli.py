"""The `wfm` command line: a thin Typer shell over the library.

Each command parses options, loads inputs (wfm.io / wfm.config), calls the library function of the
same name, writes outputs atomically and prints a table (or JSON with --json). No arithmetic here.
Errors: library code raises WfmError subclasses; `wfm_command` turns them into `Error: <message>`
on stderr and the exit code the README documents. Anything else is a bug: one line and a hint to
rerun with --debug for the traceback.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import typer

from wfm import __version__
from wfm.config import DEFAULT_CONFIG
from wfm.errors import WfmError

app = typer.Typer(
    name="wfm",
    help="Workforce planning for contact centres: forecast, staff (Erlang C/A), roster (MILP), ratio, what-if.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

EXIT_INTERNAL = 70

# --------------------------------------------------------------------------- shared options
ConfigOpt = Annotated[Path, typer.Option("--config", "-c", help="Centre config (TOML).")]
OutOpt = Annotated[Path | None, typer.Option("--out", "-o", help="Write the result here (atomically).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON result on stdout.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing on success (for cron).")]
SeedOpt = Annotated[int, typer.Option("--seed", help="Random seed (results are deterministic for a seed).")]

_state: dict[str, Any] = {"debug": bool(os.environ.get("WFM_DEBUG"))}

F = TypeVar("F", bound=Callable[..., Any])


def wfm_command(fn: F) -> F:
    """Run a command body, mapping WfmError to `Error: ...` + its exit code, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except WfmError as exc:
            typer.echo(f"Error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort):
            raise
        except KeyboardInterrupt:
            typer.echo("Error: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as exc:  # a bug, not a user error
            if _state["debug"] or type(exc).__module__.split(".")[0] in ("typer", "click"):
                raise
            typer.echo(
                f"Error: internal error ({type(exc).__name__}: {exc}); rerun with --debug for the traceback",
                err=True,
            )
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def emit(text: str = "", *, quiet: bool = False) -> None:
    """Print a line to stdout unless quiet."""
    if not quiet:
        typer.echo(text)


def log(text: str, *, quiet: bool = False) -> None:
    """Progress and notes go to stderr so stdout stays clean for --json."""
    if not quiet:
        typer.echo(text, err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wfm {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for internal errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Workforce planning for contact centres."""
    _state["debug"] = debug or bool(os.environ.get("WFM_DEBUG"))


# =========================================================================== commands
# Each command lives in its own section below, in pipeline order:
# forecast, staff, roster, ratio, whatif, simulate, plan.


# --------------------------------------------------------------------------- forecast
@app.command("forecast")
@wfm_command
def forecast_command(
    history: Annotated[Path, typer.Argument(help="History CSV: timestamp,[queue,]volume|calls|offered[,aht].")],
    horizon: Annotated[str, typer.Option(help="How far ahead: days (14d) or weeks (2w).")] = "14d",
    start: Annotated[
        str | None,
        typer.Option(help="First forecast day, YYYY-MM-DD (default: the first open day after the history)."),
    ] = None,
    method: Annotated[
        str, typer.Option(help="auto (best backtest WAPE per queue), seasonal_naive, week_average, top_down, "
                               "top_down_trend, blend or top_down_ets.")
    ] = "auto",
    backtest: Annotated[
        bool, typer.Option("--backtest", help="Print the backtest table (always run with --method auto).")
    ] = False,
    origins: Annotated[int, typer.Option(help="Backtest origins (one week apart, same horizon).", min=1)] = 4,
    holidays: Annotated[
        str | None, typer.Option(help="Holidays: a file of dates, a list (2026-01-01,2026-02-16..2026-02-18) "
                                      "or a country code (CN) for the holidays package.")
    ] = None,
    exclude: Annotated[
        str | None, typer.Option(help="Dates or ranges to leave out of training (e.g. a storm).")
    ] = None,
    interval: Annotated[
        int | None, typer.Option(help="Interval minutes (default: inferred; a multiple of the data's sums it up).")
    ] = None,
    config: ConfigOpt = DEFAULT_CONFIG,
    out: OutOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Forecast volume and AHT per interval and queue, with backtests.

    `wfm forecast forecasts/history.csv --horizon 14d --backtest --out forecasts/forecast.csv`
    """
    from tabulate import tabulate

    from wfm import forecast as fc
    from wfm import history as hist
    from wfm.config import load_config_or_none
    from wfm.io import atomic_write_csv, to_json

    cfg = load_config_or_none(config)
    raw = hist.read_history(history)
    h = hist.prepare_history(
        raw, cfg, source=str(history), interval_minutes=interval, holidays=holidays, exclude=exclude
    )
    result = fc.forecast(h, cfg, horizon, start, method, backtest_origins=origins, run_backtest=backtest or None)
    if out is not None:
        atomic_write_csv(out, result.forecast, float_format="%.10g")
    if json_out:
        emit(to_json({**result.to_dict(), "out": str(out) if out else None}))
        return
    log(h.report.summary, quiet=quiet)
    if backtest and len(result.metrics):
        emit(f"Backtest: {origins} origin(s), {result.horizon_days}-day horizon (* = chosen)", quiet=quiet)
        emit(tabulate(fc.metrics_table(result.metrics), headers="keys", showindex=False), quiet=quiet)
        emit(quiet=quiet)
    emit(tabulate(fc.daily_table(result.daily), headers="keys", showindex=False), quiet=quiet)
    for note in result.notes:
        log(f"note: {note}", quiet=quiet)
    if out is not None:
        log(f"wrote {out} ({len(result.forecast)} rows)", quiet=quiet)


# --------------------------------------------------------------------------- staff
@app.command()
@wfm_command
def staff(
    forecast: Annotated[
        Path | None, typer.Argument(help="Forecast CSV (timestamp,queue,volume,aht). Omit for calculator mode.")
    ] = None,
    config: ConfigOpt = DEFAULT_CONFIG,
    out: OutOpt = None,
    volume: Annotated[float | None, typer.Option(help="Calculator: calls offered in the interval.")] = None,
    interval: Annotated[float, typer.Option(help="Calculator: interval length, minutes.")] = 30.0,
    aht: Annotated[float | None, typer.Option(help="Calculator: average handle time, seconds.")] = None,
    sl: Annotated[str | None, typer.Option(help="Service-level target, percent/seconds [default: 80/20].")] = None,
    asa: Annotated[float | None, typer.Option(help="ASA target, seconds (met together with --sl).")] = None,
    max_occupancy: Annotated[float | None, typer.Option(help="Occupancy cap, e.g. 0.85.")] = None,
    shrinkage: Annotated[float, typer.Option(help="Shrinkage: scheduled = ceil(agents / (1 - shrinkage)).")] = 0.0,
    patience: Annotated[
        float | None, typer.Option(help="Mean caller patience, seconds: Erlang A (abandonment).")
    ] = None,
    max_abandon: Annotated[float | None, typer.Option(help="Abandonment cap (needs --patience), e.g. 0.05.")] = None,
    agents: Annotated[int | None, typer.Option(help="Evaluate this many agents instead of solving.")] = None,
    table: Annotated[str | None, typer.Option(help="Print the Erlang table for agents FROM:TO.")] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Size staff per interval with Erlang C (or Erlang A with --patience).

    Calculator mode: `wfm staff --volume 100 --interval 30 --aht 180 --sl 80/20 --shrinkage 0.3`.
    File mode: `wfm staff FORECAST.csv --config configs/example.toml --out staffing.csv`.
    """
    from tabulate import tabulate

    from wfm import staffing
    from wfm.config import load_config
    from wfm.io import atomic_write_csv, read_forecast, to_json

    if forecast is None:
        staffing.check_calculator_inputs(volume, aht)
        queue = staffing.calculator_queue(sl, asa, max_occupancy, shrinkage, patience, max_abandon)
        if table is not None:
            frame = staffing.staff_table(volume, interval, aht, queue, *staffing.parse_agent_range(table))
            if json_out:
                emit(to_json(frame.to_dict(orient="records")))
            else:
                emit(tabulate(frame, headers="keys", showindex=False, floatfmt=".4f"), quiet=quiet)
            return
        res = staffing.staff_interval(volume, interval, aht, queue, agents)
        if json_out:
            emit(to_json(res.to_dict()))
        else:
            emit(tabulate(staffing.interval_rows(res, queue), tablefmt="plain"), quiet=quiet)
        raise typer.Exit(0 if res.meets_targets else 1)

    cfg = load_config(config)
    result = staffing.staff(read_forecast(forecast, cfg.queue_names), cfg)
    if out is not None:
        atomic_write_csv(out, result)
    summary = staffing.staff_summary(result, cfg.centre.interval_minutes)
    if json_out:
        emit(to_json({"out": str(out) if out else None, "targets": staffing.targets_by_queue(result, cfg),
                      "days": summary.to_dict(orient="records")}))
    else:
        emit(staffing.summary_text(summary), quiet=quiet)
        log(staffing.targets_note(result, cfg), quiet=quiet)
        if out is not None:
            log(f"wrote {out} ({len(result)} rows)", quiet=quiet)


# --------------------------------------------------------------------------- roster
@app.command("roster")
@wfm_command
def roster_command(
    staffing_csv: Annotated[Path, typer.Argument(help="Staffing CSV from `wfm staff` (timestamp,queue,...,scheduled).")],
    config: ConfigOpt = DEFAULT_CONFIG,
    weeks: Annotated[int, typer.Option(help="Weeks to roster (1 to 6); weekly rules apply per week.")] = 1,
    start: Annotated[
        str | None, typer.Option(help="First roster day, YYYY-MM-DD (default: the first staffing day).")
    ] = None,
    agents: Annotated[
        Path | None, typer.Option(help="agents.csv: agent_id,contract[,unavailable,preferred_shifts].")
    ] = None,
    solver: Annotated[str | None, typer.Option(help="highs (default) or cbc.")] = None,
    time_limit: Annotated[
        float | None, typer.Option("--time-limit", help="Solver time limit, seconds (default: config).", min=0.1)
    ] = None,
    gap: Annotated[
        float | None, typer.Option(help="Stop within this relative gap of the bound, e.g. 0.01 (default: config).",
                                   min=0.0, max=0.99)
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Forbid under-coverage: no plan (exit 3) rather than a shortfall.")
    ] = False,
    out: OutOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Roster agents on shifts at least cost (MILP), with breaks, days off and named agents.

    `wfm roster staffing.csv --config configs/example.toml --weeks 1 --out roster.csv` writes roster.csv and
    coverage.csv beside it. Exit 1 when some intervals stay under-covered (listed), 3 when --strict cannot
    be met.
    """
    from tabulate import tabulate

    from wfm import roster as rmod
    from wfm.config import load_config
    from wfm.io import to_json

    cfg = load_config(config)
    watch = sys.stderr.isatty() and not quiet
    progress = rmod.progress_printer(sys.stderr) if watch else None
    result = rmod.roster_files(staffing_csv, cfg, agents_csv=agents, start=start, progress=progress, weeks=weeks,
                               solver=solver, time_limit_s=time_limit, gap=gap, strict=strict or None)
    if watch:
        sys.stderr.write("\n")
    cov_path = rmod.write_roster(result, out) if out is not None else None
    if json_out:
        emit(to_json({**result.summary(), "out": str(out) if out else None,
                      "coverage": str(cov_path) if cov_path else None, "uncovered": rmod.uncovered_records(result)}))
    else:
        emit(tabulate(rmod.summary_table(result), tablefmt="plain", disable_numparse=True), quiet=quiet)
        if out is not None:
            log(f"wrote {out} ({len(result.assignments)} rows), {cov_path} and {cov_path.parent / 'service.csv'}",
                quiet=quiet)
    if len(result.uncovered):
        log(rmod.uncovered_message(result))
    if broken := rmod.violations_message(result):
        log(broken)
    if short := rmod.short_periods_message(result):
        log(short)
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- ratio
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
    sweep: Annotated[
        str | None, typer.Option(help="Run every scenario at each value: volume=1.0:3.0:0.25 (also aht=, absence=).")
    ] = None,
    workers: Annotated[int, typer.Option(help="Parallel processes for the scenarios (same results).", min=1)] = 1,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Recovery solver time limit per stage, seconds.", min=0.1)
    ] = 60.0,
    roster_time_limit: Annotated[
        float | None,
        typer.Option(help="Roster solver time limit when no --roster is given, seconds (default: config).", min=0.1),
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

    `wfm whatif --config configs/example.toml --scenarios configs/storm.toml [--roster roster.csv]
    [--forecast forecast.csv] [--sweep volume=1.0:3.0:0.25 --workers 2]`. Exit 1 when some interval is still
    short of its required agents after recovery (a result, not an error).
    """
    from wfm import whatif as stage
    from wfm.config import load_config
    from wfm.io import atomic_write_csv, atomic_write_json, to_json

    cfg = load_config(config)
    scen = stage.load_scenarios(scenarios)
    if sweep is not None:
        stage.parse_sweep(sweep)  # a bad --sweep fails before any solving
    fc, ro, notes = stage.load_inputs(
        cfg, scen, forecast_path=forecast, history_path=history, roster_path=roster, horizon=horizon,
        roster_time_limit_s=roster_time_limit, source=str(scenarios),
    )
    result = stage.whatif(
        cfg, scen, fc, ro, sweep=sweep, workers=workers, time_limit_s=time_limit, source=str(scenarios)
    )
    result.notes = notes + result.notes
    doc = result.to_dict()
    if out is not None:
        atomic_write_json(out, doc)
    if intervals is not None:
        atomic_write_csv(intervals, result.intervals())
    if json_out:
        typer.echo(to_json(doc))
    else:
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
        emit(stage.render(result), quiet=quiet)
        for path in (out, intervals):
            if path is not None:
                log(f"wrote {path}", quiet=quiet)
    raise typer.Exit(result.exit_code)


# --------------------------------------------------------------------------- simulate
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
        Literal["fifo", "priority"] | None,
        typer.Option(help="fifo: oldest waiting call of the staff group; priority: the first non-empty queue "
                          "in --priority order (default: each staff group's routing in the config)."),
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

    cfg = load_config(config)
    watch = sys.stderr.isatty() and not quiet and not json_out
    result = stage.simulate_files(
        roster_or_agents, forecast, cfg, replications=replications, seed=seed, routing=routing,
        priority=priority, service_cv=service_cv,
        shrinkage=shrinkage, progress=stage.progress_printer(sys.stderr) if watch else None,
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
PlanHistoryOpt = Annotated[
    Path, typer.Option("--history", help="History CSV: timestamp,[queue,]volume|calls|offered[,aht].")
]
PlanOutOpt = Annotated[
    Path, typer.Option("--out", "-o", help="Runs folder: the plan is written to OUT/<start>/ all at once.")
]


@app.command("plan")
@wfm_command
def plan_command(
    ctx: typer.Context,
    config: ConfigOpt = DEFAULT_CONFIG,
    history: PlanHistoryOpt = Path("forecasts/history.csv"),
    start: Annotated[
        str | None, typer.Option(help="First day of the plan, YYYY-MM-DD (default: the Monday after the history).")
    ] = None,
    weeks: Annotated[int, typer.Option(help="Weeks to plan (1 to 6).")] = 1,
    agents: Annotated[
        Path | None, typer.Option(help="agents.csv: agent_id,contract[,unavailable,preferred_shifts].")
    ] = None,
    out: PlanOutOpt = Path("forecasts/runs"),
    time_limit: Annotated[
        float | None,
        typer.Option("--time-limit", help="Roster solver time limit, seconds (default: config roster.time_limit_s).",
                     min=0.1),
    ] = None,
    gap: Annotated[
        float | None, typer.Option(help="Roster: stop within this relative gap of the bound (default: config).",
                                   min=0.0, max=0.99)
    ] = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """The whole plan: forecast -> staffing -> roster -> ratio, into one run folder (cron-safe).

    `wfm plan --config configs/example.toml --history forecasts/history.csv --out forecasts/runs` writes
    forecasts/runs/<start>/ (forecast, staffing, roster, coverage, ratio, charts, summary.md, manifest.json).
    Exit 0 ok, 1 plan written but a target breached (service level, coverage or ratio), 2 bad input,
    3 no feasible plan, 75 another run holds the output folder.
    """
    from tabulate import tabulate

    from wfm import plan as stage
    from wfm.io import to_json

    show = sys.stdout.isatty() and not quiet and not json_out
    progress = stage.StageProgress(sys.stderr) if show else None
    command = {"path": ctx.command_path, "options": {k: None if v is None else str(v) if isinstance(v, Path) else v
                                                     for k, v in ctx.params.items()}}
    done = stage.run(config, history, out, agents=agents, start=start, weeks=weeks, time_limit_s=time_limit,
                     gap=gap, progress=progress, quiet=quiet, command=command)
    if progress:
        progress.done()
    result = done.result
    if json_out:
        emit(to_json({**result.to_dict(), "run_folder": str(done.folder)}))
    else:
        emit(tabulate(stage.headline_table(result, done.folder), tablefmt="plain", disable_numparse=True), quiet=quiet)
        for note in result.notes:
            log(f"note: {note}", quiet=quiet)
    for breach in result.breaches:
        log(f"Breached: {breach.target}: {breach.message}")
    raise typer.Exit(result.exit_code)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except SystemExit as exc:
        sys.exit(exc.code)

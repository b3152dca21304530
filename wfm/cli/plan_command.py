"""`wfm plan`: the whole plan in one run folder (wfm.plan)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import (
    ClusterOpt,
    ConfigOpt,
    JsonOpt,
    QuietOpt,
    WorkersOpt,
    app,
    emit,
    jobs_progress,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG

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
                     min=0.1, max=86_400),
    ] = None,
    gap: Annotated[
        float | None, typer.Option(help="Roster: stop within this relative gap of the bound (default: config).",
                                   min=0.0, max=0.99)
    ] = None,
    replications: Annotated[
        int, typer.Option(help="Simulate the final roster this many times to prove it (0: no simulation).",
                          min=0, max=10_000)
    ] = 100,
    interval: Annotated[
        int | None,
        typer.Option(help="Planning grid, minutes: a multiple of the history's intervals dividing the day (default: "
                          "config roster.interval_minutes, else centre.interval_minutes); the forecast is summed onto it."),
    ] = None,
    campaign: Annotated[
        Path | None,
        typer.Option(help="An outbound campaign file to blend into the week (default: the config's [outbound] "
                          "campaign, if any): idle agents first, then the least-cost extra hours; see wfm outbound."),
    ] = None,
    portfolio: Annotated[
        Path | None,
        typer.Option(help="A portfolio file (TOML, [[centres]] with config, history, out each): plan every centre "
                          "as its own job into its own run folder, and write a summary (exit: the worst centre's)."),
    ] = None,
    workers: WorkersOpt = 1,
    cluster: ClusterOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """The whole plan: forecast -> staffing -> roster -> ratio, into one run folder (cron-safe).

    `wfm plan --config configs/example.toml --history forecasts/history.csv --out forecasts/runs` writes
    forecasts/runs/<start>/ (forecast, staffing, roster, coverage, service, ratio, charts, summary.md,
    manifest.json); the roster is simulated --replications times and service.csv sets the simulated service next
    to the Erlang figures. With a campaign (--campaign or [outbound] campaign), the campaign is blended into the
    week (outbound.csv, outbound.png, and its progress in summary.md). Exit 0 ok, 1 plan written but a target
    breached (service level, coverage, a period target, ratio, or a campaign left short), 2 bad input,
    3 no feasible plan, 75 another run holds the output folder.
    """
    from tabulate import tabulate

    from wfm import plan as stage
    from wfm.errors import InputError
    from wfm.io import to_json

    if portfolio is not None:
        _portfolio(ctx, portfolio, workers, cluster, json_out, quiet)
    elif workers != 1 or cluster is not None:
        raise InputError("--workers and --cluster go with --portfolio (one plan is one job)")
    show = sys.stdout.isatty() and not quiet and not json_out
    progress = stage.StageProgress(sys.stderr) if show else None
    command = {"path": ctx.command_path, "options": {k: None if v is None else str(v) if isinstance(v, Path) else v
                                                     for k, v in ctx.params.items()}}
    done = stage.run(config, history, out, agents=agents, start=start, weeks=weeks, time_limit_s=time_limit,
                     gap=gap, replications=replications, interval_minutes=interval, campaign=campaign,
                     progress=progress, quiet=quiet, command=command)
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


PER_CENTRE = ("config", "history", "out", "start", "weeks", "agents", "campaign", "time_limit", "gap",
              "replications", "interval")


def _portfolio(ctx: typer.Context, path: Path, workers: int, cluster: str | None, json_out: bool,
               quiet: bool) -> None:
    """`wfm plan --portfolio FILE`: every centre of the file, then the summary (wfm.plan.portfolio)."""
    from tabulate import tabulate

    from wfm.errors import InputError
    from wfm.io import atomic_write_csv, to_json
    from wfm.outputs import check_out_paths
    from wfm.plan.portfolio import load_portfolio, portfolio, worst_exit

    given = [f"--{name.replace('_', '-')}" for name in PER_CENTRE
             if getattr(ctx.get_parameter_source(name), "name", "DEFAULT") not in ("DEFAULT", "DEFAULT_MAP")]
    if given:
        raise InputError(f"--portfolio: {', '.join(given)} belong in the portfolio file, one per centre")
    jobs, summary_path = load_portfolio(path)
    check_out_paths({"the portfolio summary": summary_path}, {"--portfolio": path, **{
        f"centre {j.name} {k}": getattr(j, k) for j in jobs for k in ("config", "history", "agents", "campaign")}})
    table = portfolio(jobs, workers=workers, cluster=cluster, progress=jobs_progress("centres", quiet or json_out))
    atomic_write_csv(summary_path, table)
    code = worst_exit(table)
    if json_out:
        emit(to_json({"centres": table.to_dict(orient="records"), "summary": str(summary_path), "exit_code": code}))
    else:
        shown = table.drop(columns=["error"]).astype(object)
        shown = shown.where(shown.notna(), "")
        emit(tabulate(shown.values.tolist(), headers=list(shown.columns), tablefmt="simple", disable_numparse=True),
             quiet=quiet)
        for r in table.itertuples():
            if r.error:
                log(f"{r.centre}: exit {r.exit_code}: {r.error}")
        log(f"wrote {summary_path}", quiet=quiet)
    raise typer.Exit(code)


"""`wfm capacity`: months ahead, headcount against attrition and the least-cost hiring classes (wfm.capacity)."""

from __future__ import annotations

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

DEFAULT_CAPACITY = Path("configs/capacity.toml")
DEFAULT_HISTORY = Path("forecasts/history.csv")


@app.command("capacity")
@wfm_command
def capacity_command(
    config: ConfigOpt = DEFAULT_CONFIG,
    capacity_file: Annotated[Path, typer.Option(
        "--capacity", help="Capacity file (TOML): horizon, attrition, hiring classes, headcount.")] = DEFAULT_CAPACITY,
    history: Annotated[Path | None, typer.Option(
        help="History CSV for the volume outlook (default forecasts/history.csv, unless the capacity file sets "
             "requirement_fte or --forecast is given).")] = None,
    forecast: Annotated[Path | None, typer.Option(
        help="A forecast CSV covering every week of the horizon, in place of the outlook.")] = None,
    weeks: Annotated[int | None, typer.Option(help="Weeks to plan (default: the capacity file's).", min=1,
                                              max=156)] = None,
    sweep: Annotated[str | None, typer.Option(
        help="Re-solve across values: attrition=0.125:4.0[:POINTS] (geometric), growth=LO:HI[:POINTS], "
             "aht=LO:HI[:POINTS] (a factor), or NAME=V1,V2,...")] = None,
    agents_week: Annotated[str | None, typer.Option(
        "--agents-week", help="With --agents-out: the Monday whose people (past training) to write as agents.csv "
                              "for `wfm plan --agents`.")] = None,
    agents_out: Annotated[Path | None, typer.Option("--agents-out", help="agents.csv to write (see --agents-week).")
                          ] = None,
    gap: Annotated[float | None, typer.Option(
        help="Stop within this relative gap of the bound (default: the capacity file's gap, or its "
             "sweep_gap for --sweep).", min=0, max=1)] = None,
    time_limit: Annotated[float | None, typer.Option(
        "--time-limit", help="Solver time limit per plan, seconds (default: the capacity file's time_limit_s).",
        min=0.1, max=86_400)] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", help="capacity.csv to write (the plan per week), with its chart beside it (.png).")] = None,
    workers: WorkersOpt = 1,
    cluster: ClusterOpt = None,
    json_out: JsonOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Plan headcount months ahead: the requirement per week (volume outlook or forecast, staffed with wfm's
    own staffing), people leaving at the stated attrition, and the least-cost hiring classes (training,
    nesting ramp, class sizes, trainers), overtime and agency, solved as a MILP with its bound and gap.

    `wfm capacity --capacity configs/capacity.toml --out capacity.csv`; `--sweep attrition=0.125:4.0`.
    Exit 1 when some week stays short of the requirement.
    """
    from wfm.capacity.report import plan_chart, plan_csv, render_sweep
    from wfm.capacity.run import agents_for_week, capacity, parse_sweep
    from wfm.capacity.run import sweep as run_sweep
    from wfm.capacity.settings import load_capacity
    from wfm.config import load_config
    from wfm.errors import InputError
    from wfm.io import atomic_write_csv, to_json
    from wfm.outputs import check_out_paths, publish_files

    if (agents_week is None) != (agents_out is None):
        raise InputError("--agents-week and --agents-out go together (the week's people, and the file to write)")
    if forecast is not None and history is not None:
        raise InputError("give --history or --forecast, not both")
    chart = out.with_suffix(".png") if out is not None else None
    check_out_paths({"--out": out, "the chart beside --out": chart, "--agents-out": agents_out},
                    {"--config": config, "--capacity": capacity_file, "--history": history, "--forecast": forecast})
    cfg = load_config(config)
    cap = load_capacity(capacity_file)
    if history is None and forecast is None and cap.capacity.requirement_fte is None:
        history = DEFAULT_HISTORY
    kw = {"history": history, "forecast": forecast, "weeks": weeks, "gap": gap, "time_limit_s": time_limit}
    if sweep is not None:
        name, values = parse_sweep(sweep)
        table = run_sweep(cfg, cap, name, values, workers=workers, cluster=cluster,
                          progress=jobs_progress("sweep points", quiet or json_out), **kw)
        if json_out:
            emit(to_json({"sweep": name, "rows": table.to_dict(orient="records")}))
        else:
            emit(render_sweep(name, table), quiet=quiet)
        raise typer.Exit(1 if (table["short_weeks"] > 0).any() else 0)
    plan = capacity(cfg, cap, **kw)
    written = []
    if out is not None:
        publish_files(out.parent, {out.name: plan_csv(plan).encode(), chart.name: plan_chart(plan)},
                      f"{out.stem}.manifest.json")
        written += [out, chart]
    if agents_out is not None:
        atomic_write_csv(agents_out, agents_for_week(plan, cfg, cap, agents_week))
        written.append(agents_out)
    if json_out:
        emit(to_json({**plan.to_dict(), "out": [str(p) for p in written]}))
    else:
        emit(plan.render(), quiet=quiet)
        for note in plan.notes:
            log(f"note: {note}", quiet=quiet)
        for path in written:
            log(f"wrote {path}", quiet=quiet)
    raise typer.Exit(plan.exit_code)

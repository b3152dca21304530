"""`wfm staff`: forecast -> staffing.csv, or one interval sized (wfm.staffing)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from wfm.cli.shell import (
    ConfigOpt,
    JsonOpt,
    OutOpt,
    QuietOpt,
    app,
    emit,
    log,
    wfm_command,
)
from wfm.config import DEFAULT_CONFIG


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
    from wfm.outputs import check_out_paths

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

    check_out_paths({"--out": out}, {"FORECAST": forecast, "--config": config})
    cfg = load_config(config)
    demand = read_forecast(forecast, cfg.queue_names, interval_minutes=cfg.centre.interval_minutes)
    result = staffing.staff(demand, cfg)
    if out is not None:
        atomic_write_csv(out, result)
    summary = staffing.staff_summary(result, cfg.planning_interval_minutes)
    if json_out:
        emit(to_json({"out": str(out) if out else None, "targets": staffing.targets_by_queue(result, cfg),
                      "days": summary.to_dict(orient="records")}))
    else:
        emit(staffing.summary_text(summary), quiet=quiet)
        log(staffing.targets_note(result, cfg), quiet=quiet)
        if note := staffing.grid_note(demand, cfg, str(forecast)):
            log(f"note: {note}", quiet=quiet)
        if out is not None:
            log(f"wrote {out} ({len(result)} rows)", quiet=quiet)


# --------------------------------------------------------------------------- roster

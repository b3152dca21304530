"""`wfm forecast`: history -> forecast.csv (wfm.forecast)."""

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
        int | None, typer.Option(help="Interval minutes: 5, 6, 10, 12, 15, 20, 30 or 60 (default: inferred; a "
                                      "multiple of the data's sums it up).")
    ] = None,
    dayfirst: Annotated[
        bool, typer.Option("--dayfirst", help="The history writes dates day first: 31/12/2026 08:00.")
    ] = False,
    monthfirst: Annotated[
        bool, typer.Option("--monthfirst", help="The history writes dates month first: 12/31/2026 08:00.")
    ] = False,
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
    from wfm.outputs import check_out_paths

    hist.check_interval_option(interval)
    date_order = hist.date_order_option(dayfirst, monthfirst)
    check_out_paths({"--out": out}, {"HISTORY": history, "--config": config, "--holidays": holidays,
                                     "--exclude": exclude})
    cfg = load_config_or_none(config)
    raw = hist.read_history(history)
    h = hist.prepare_history(
        raw, cfg, source=str(history), interval_minutes=interval, holidays=holidays, exclude=exclude,
        date_order=date_order,
    )
    result = fc.forecast(h, cfg, horizon, start, method, backtest_origins=origins, run_backtest=backtest or None)
    if out is not None:
        atomic_write_csv(out, result.forecast, float_format="%.10g")
    if json_out:
        emit(to_json({**result.to_dict(), "out": str(out) if out else None}))
        return
    log(h.report.summary, quiet=quiet)
    if backtest and len(result.metrics):
        emit(f"Backtest: {result.backtest_origins} origin(s), {result.horizon_days}-day horizon (* = chosen)",
             quiet=quiet)
        emit(tabulate(fc.metrics_table(result.metrics), headers="keys", showindex=False), quiet=quiet)
        emit(quiet=quiet)
    emit(tabulate(fc.daily_table(result.daily), headers="keys", showindex=False), quiet=quiet)
    for note in result.notes:
        log(f"note: {note}", quiet=quiet)
    if out is not None:
        log(f"wrote {out} ({len(result.forecast)} rows)", quiet=quiet)


# --------------------------------------------------------------------------- staff

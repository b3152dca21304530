"""What a what-if runs on: the forecast and the published roster, read from files or built by the forecast and
roster stages (:func:`load_inputs` makes the choice between them, for the CLI and notebooks alike)."""

from __future__ import annotations

import datetime as dt
import math
import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.history import History, prepare_history, read_history
from wfm.horizon import check_horizon, outside_days, roster_overlap
from wfm.roster.domain import MAX_WEEKS
from wfm.staffing import staff
from wfm.whatif.impact import parse_roster
from wfm.whatif.scenario import Scenario, validate

PathLike = str | os.PathLike[str]


def read_forecast(path: PathLike, config: CentreConfig | None = None, notes: list[str] | None = None
                  ) -> pd.DataFrame:
    """Read forecast.csv (``timestamp,queue,volume[,aht]``) with :func:`wfm.io.read_forecast`: errors name file,
    line and field; AHT at most ``wfm.io.MAX_AHT_S``. With ``config``: the queues must be the config's, the
    intervals on its data grid (``[centre] interval_minutes``) and summed onto its planning grid
    (:func:`wfm.forecast.grid.read_on_grid`, the note appended to ``notes``), over at most
    :data:`wfm.horizon.MAX_HORIZON_DAYS` days (:func:`wfm.horizon.check_horizon`)."""
    from wfm.forecast.grid import read_on_grid
    from wfm.io import read_forecast as read_forecast_csv

    if config is None:
        return read_forecast_csv(path)[["timestamp", "queue", "volume", "aht"]]
    out, note = read_on_grid(path, config)
    if note and notes is not None:
        notes.append(note)
    check_horizon(out["timestamp"], config.planning_interval_minutes, str(path))
    return out[["timestamp", "queue", "volume", "aht"]]


def read_published_roster(path: PathLike, parse: bool = True) -> pd.DataFrame:
    """Read roster.csv (``agent_id,contract,date,shift,start,end,breaks``) as strings with ``_line``; ``parse``:
    check every row now (located errors), else the caller parses it (:func:`wfm.whatif.impact.make_plan`)."""
    from wfm.io import read_csv
    from wfm.roster.files import check_roster_set

    check_roster_set(path)  # not a roster a killed `wfm roster` left beside another run's coverage
    frame = read_csv(path, required=["agent_id", "contract", "date", "start", "end"])
    if frame.empty:
        raise InputError(f"{path}: no data rows (expected one row per agent and working day)")
    if parse:
        parse_roster(frame, str(path))  # located errors now, not mid-run
    return frame


def baseline_history(config: CentreConfig, history: pd.DataFrame | History, source: str = "history") -> History:
    """The history the baseline forecast is made from: a raw history frame goes through
    :func:`wfm.history.prepare_history` (the config's ``[forecast]`` holidays, holiday_country and exclude)."""
    return history if isinstance(history, History) else prepare_history(history, config, source=source)


def load_inputs(
    config: CentreConfig,
    scenarios: Sequence[Scenario] = (),
    *,
    forecast_path: PathLike | None = None,
    history_path: PathLike | None = None,
    roster_path: PathLike | None = None,
    horizon: str | int = "7d",
    start: str | dt.date | None = None,
    method: str | None = None,
    roster_time_limit_s: float | None = None,
    source: str = "<scenarios>",
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The forecast and published roster of ``wfm whatif``, with notes on what was built.

    The forecast is read from ``forecast_path`` if given, else made from the history at ``history_path``
    for ``horizon`` (``7d``, ``1w``) from ``start`` (``YYYY-MM-DD``; default: the first open day after the
    history) with ``method`` (default ``auto``, as ``wfm plan``); ``start`` and ``method`` with a
    ``forecast_path`` are an InputError (the file gives the days and the model). The roster is read from ``roster_path`` if given, else built for the
    baseline within ``roster_time_limit_s`` (default: the config's ``[roster] time_limit_s``). See
    :func:`baseline_inputs`."""
    from wfm.forecast import METHODS, parse_horizon

    if forecast_path is not None and (start is not None or method is not None):
        given = " and ".join(o for o, v in (("--start", start), ("--method", method)) if v is not None)
        raise InputError(f"{given}: only when forecasting from --history; {forecast_path} already gives the plan's "
                         "days and forecast (leave out --forecast to forecast from the history)")
    if method is not None and method not in METHODS:
        raise InputError(f"--method: unknown method {method!r} (choose from {', '.join(METHODS)})")
    read_notes: list[str] = []
    forecast = read_forecast(forecast_path, config, read_notes) if forecast_path is not None else None
    roster = read_published_roster(roster_path) if roster_path is not None else None
    history, days = None, 7
    if forecast is None and history_path is not None:
        raw = read_history(history_path)
        days = parse_horizon(horizon)
        history = baseline_history(config, raw, source=str(history_path))
    limit = config.roster.time_limit_s if roster_time_limit_s is None else roster_time_limit_s
    forecast, roster, notes = baseline_inputs(
        config, forecast=forecast, history=history, roster=roster, horizon_days=days, start=start,
        method=method or "auto", roster_time_limit_s=limit,
        scenarios=scenarios, source=source,
        roster_source=str(roster_path) if roster_path is not None else "the roster",
        forecast_source=str(forecast_path) if forecast_path is not None else f"the forecast from {history_path}",
    )
    return forecast, roster, read_notes + notes


def baseline_inputs(
    config: CentreConfig,
    *,
    forecast: pd.DataFrame | None = None,
    history: pd.DataFrame | History | None = None,
    roster: pd.DataFrame | None = None,
    horizon_days: int = 7,
    start: str | dt.date | None = None,
    method: str = "auto",
    backtest_origins: int = 4,
    roster_time_limit_s: float = 20.0,
    scenarios: Sequence[Scenario] = (),
    source: str = "<scenarios>",
    roster_source: str = "the roster",
    forecast_source: str = "the forecast",
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The forecast and published roster a what-if runs on: given, or built with the forecast and roster stages
    (forecast: :func:`wfm.forecast.forecast` over ``history`` (:func:`baseline_history`) for ``horizon_days``
    from ``start`` (default: the first open day after the history) with ``method``, by default ``auto`` (the
    lowest backtest WAPE per queue over ``backtest_origins`` origins, as :func:`wfm.plan.run`); roster:
    :func:`wfm.roster.roster` on the baseline staffing, one cyclic roster for the plan's weeks). ``scenarios``
    are checked against the config and the forecast's dates before any roster is built. A given roster must
    share dates with the forecast (:func:`wfm.horizon.roster_overlap`, an InputError naming ``roster_source``
    and ``forecast_source`` when they share none); its rows dated outside the forecast are left out (the plan
    is cyclic: they would wrap onto its days). Returns them with notes on what was built or left out."""
    notes: list[str] = []
    if forecast is None:
        if history is None:
            raise InputError("give --forecast forecast.csv, or a history to forecast from (--history)")
        from wfm import forecast as fc_mod

        res = fc_mod.forecast(baseline_history(config, history), config, horizon_days, start=start, method=method,
                              backtest_origins=backtest_origins)
        forecast = fc_mod.on_grid(res, config.planning_interval_minutes).forecast
        notes.append(f"forecast: {method}, {horizon_days} days from {res.start:%Y-%m-%d}"
                     + (f", summed from {res.interval_minutes} onto {config.planning_interval_minutes} minutes"
                        if res.interval_minutes != config.planning_interval_minutes else "")
                     + f"; models: {_chosen(res)}")
    if scenarios:
        ts = pd.to_datetime(forecast["timestamp"])
        end = ts.max() + pd.Timedelta(minutes=config.planning_interval_minutes)
        validate(list(scenarios), config, ts.min(), end, source)
    if roster is not None:
        roster, more = _roster_on_plan(roster, forecast, roster_source, forecast_source)
        notes += more
    else:
        from wfm import roster as roster_mod

        days = pd.to_datetime(forecast["timestamp"]).dt.normalize().nunique()
        if math.ceil(days / 7) > MAX_WEEKS:
            raise InputError(
                f"{forecast_source} runs {days} days; wfm rosters at most {MAX_WEEKS} weeks: give the published "
                "roster (--roster roster.csv) or a shorter forecast"
            )
        built = roster_mod.roster(
            staff(forecast, config), config, weeks=max(1, math.ceil(days / 7)), time_limit_s=roster_time_limit_s
        )
        roster = built.assignments
        notes.append(
            f"roster: built for the baseline ({built.agents} agents, {built.status}, "
            f"time limit {roster_time_limit_s:g} s)"
        )
    return forecast, roster, notes


def _chosen(res) -> str:
    """``retail top_down (WAPE 4.1%), cards blend`` (the WAPE where backtested), as ``wfm plan`` says it."""
    return ", ".join(f"{q} {m}" + (f" (WAPE {w:.1%})" if (w := res.chosen_wape.get(q)) is not None else "")
                     for q, m in res.chosen.items())


def _roster_on_plan(
    roster: pd.DataFrame, forecast: pd.DataFrame, roster_source: str, forecast_source: str
) -> tuple[pd.DataFrame, list[str]]:
    """The roster's rows dated on the forecast's days, and notes on the rest (see :func:`baseline_inputs`)."""
    rows = parse_roster(roster, roster_source)
    ts = pd.to_datetime(forecast["timestamp"]).to_numpy()
    roster, rows, tiled = _repeat_weeks(roster, rows, ts, roster_source)
    notes = [tiled] if tiled else []
    notes += roster_overlap(rows, roster_source, ts, forecast["volume"].to_numpy(float), forecast_source)
    out = outside_days(rows.date, ts)
    if out.any():
        days = pd.DatetimeIndex(ts).normalize().unique().sort_values()
        span = f"{days[0]:%Y-%m-%d}" + (f" to {days[-1]:%Y-%m-%d}" if len(days) > 1 else "")
        notes.append(f"{roster_source}: {int(out.sum())} rows dated outside the days of {forecast_source} ({span}) "
                     "are left out (the plan is cyclic: they would wrap onto its days)")
        roster = roster[~out].reset_index(drop=True)
    return roster, notes


def _repeat_weeks(roster: pd.DataFrame, rows: Any, ts: np.ndarray, roster_source: str
                  ) -> tuple[pd.DataFrame, Any, str | None]:
    """A roster of whole weeks starting on the plan's first day, shorter than the plan, repeated week after
    week to its end (wfm's rosters are cyclic: the same agents work the same weeks again), with a note; the
    roster as it is otherwise."""
    first = pd.Timestamp(ts.min()).normalize()
    plan_days = int((pd.Timestamp(ts.max()).normalize() - first) // pd.Timedelta(days=1)) + 1
    dates = pd.to_datetime(pd.Series(rows.date))
    if dates.empty or dates.min() != first:
        return roster, rows, None
    span = int((dates.max() - first) // pd.Timedelta(days=1)) + 1
    weeks = -(-span // 7)
    if plan_days <= 7 * weeks:
        return roster, rows, None
    copies = -(-plan_days // (7 * weeks))
    base = pd.to_datetime(roster["date"].astype(str))
    parts = []
    for k in range(copies):
        part = roster.copy()
        part["date"] = (base + pd.Timedelta(days=7 * weeks * k)).dt.strftime("%Y-%m-%d")
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    if "_line" in out.columns:
        out = out.drop(columns=["_line"])
    note = (f"{roster_source}: its {weeks} week(s) repeated over the plan's {plan_days} days (wfm's rosters are "
            "cyclic: the same agents, the same weeks)")
    return out, parse_roster(out, roster_source), note

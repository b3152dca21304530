"""The forecast recipe: ``forecast(history, config, horizon, ...)`` is what ``wfm forecast`` runs.

It backtests, picks the model per queue (``method="auto"``), forecasts every interval of the horizon with
``volume_p10``/``volume_p90`` and the AHT, and returns a :class:`ForecastResult` with the tables the CLI prints.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wfm.config import DEFAULT_AHT_S, CentreConfig
from wfm.errors import InputError, InsufficientHistory
from wfm.forecast.aht import forecast_aht
from wfm.forecast.backtest import (
    AUTO_CANDIDATES,
    backtest,
    choose,
    first_data_day,
    last_data_day,
    predict_days,
    score_backtest,
)
from wfm.forecast.models import METHODS, make_models
from wfm.forecast.opening import close_outside_hours, fit_history_to_hours
from wfm.forecast.special_days import extend_holiday_flags, holiday_like_setting
from wfm.history import History, open_intervals, wall_time_status, weekday_index
from wfm.io import check_date

FORECAST_COLUMNS = ["timestamp", "queue", "volume", "aht", "volume_p10", "volume_p90"]
METRICS_COLUMNS = ["queue", "model", "wape", "bias", "mase", "daily_wape", "mape", "chosen"]
#: The model every backtest scores, as the baseline of MASE.
BASELINE = "seasonal_naive"


# --------------------------------------------------------------------------- the result
@dataclass
class ForecastResult:
    """What :func:`forecast` returns.

    forecast:   ``timestamp,queue,volume,aht,volume_p10,volume_p90``, every interval of the horizon.
    daily:      per day and queue: volume, peak interval volume, volume-weighted AHT.
    backtest:   the backtest frame (``queue,timestamp,cutoff,y,<alias>...``), empty when not run.
    metrics:    per queue and model: wape, bias, mase, daily_wape, mape, chosen.
    chosen:     queue -> model alias used; chosen_wape: queue -> its backtest WAPE (None when not backtested).
    """

    forecast: pd.DataFrame
    daily: pd.DataFrame
    backtest: pd.DataFrame
    metrics: pd.DataFrame
    chosen: dict[str, str]
    chosen_wape: dict[str, float | None]
    history_summary: str
    start: pd.Timestamp
    horizon_days: int
    interval_minutes: int
    notes: list[str] = field(default_factory=list)

    @property
    def backtest_origins(self) -> int:
        """The rolling origins the backtest ran on (fewer than asked when the history holds fewer)."""
        return int(self.backtest["cutoff"].nunique()) if len(self.backtest) else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": f"{self.start:%Y-%m-%d}",
            "horizon_days": self.horizon_days,
            "interval_minutes": self.interval_minutes,
            "history": self.history_summary,
            "chosen": self.chosen,
            "chosen_wape": self.chosen_wape,
            "daily": _records(self.daily),
            "metrics": _records(self.metrics),
            "notes": self.notes,
        }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    out = []
    for rec in frame.to_dict(orient="records"):
        clean = {}
        for k, v in rec.items():
            if isinstance(v, pd.Timestamp):
                v = f"{v:%Y-%m-%d}"
            elif isinstance(v, (np.floating, float)):
                v = None if not np.isfinite(v) else round(float(v), 4)
            elif isinstance(v, np.integer):
                v = int(v)
            elif isinstance(v, np.bool_):
                v = bool(v)
            clean[k] = v
        out.append(clean)
    return out


def parse_horizon(text: str | int) -> int:
    """Horizon in days from ``"14d"``, ``"2w"`` or ``14``."""
    if isinstance(text, int):
        days = text
    else:
        t = str(text).strip().lower()
        try:
            if t.endswith("w"):
                days = int(t[:-1]) * 7
            elif t.endswith("d"):
                days = int(t[:-1])
            else:
                days = int(t)
        except ValueError:
            raise InputError(f"--horizon: {text!r} is not a horizon (e.g. 14d or 2w)") from None
    if not 1 <= days <= 366:
        raise InputError(f"--horizon: {text!r} must be between 1 day and 366 days")
    return days


# --------------------------------------------------------------------------- the recipe
@dataclass(frozen=True)
class _Span:
    """Where the forecast sits on the history's grid (days counted from ``history.start``)."""

    start: pd.Timestamp  # the first forecast day
    start_day: int  # its index
    origin: int  # the day the models forecast from: the end of history, or start_day when that is earlier
    days: int  # the horizon, in days

    @property
    def lead_days(self) -> int:
        """Days between the origin and the first forecast day (forecast, then dropped)."""
        return self.start_day - self.origin


def forecast(
    history: History,
    config: CentreConfig | None = None,
    horizon: int | str = 14,
    start: str | dt.date | pd.Timestamp | None = None,
    method: str = "auto",
    *,
    backtest_origins: int = 4,
    run_backtest: bool | None = None,
) -> ForecastResult:
    """Forecast volume and AHT for every interval of ``horizon`` days from ``start``, per queue.

    ``history`` is a prepared :class:`History` (:func:`wfm.history.prepare_history`, which flags the config's
    ``[forecast]`` holidays and excluded days); a holiday without holiday history is forecast like the
    config's ``[forecast] holiday_like`` weekday. ``start`` defaults to the first open day after the history;
    history from ``start`` on is ignored. ``method="auto"`` backtests the candidates on ``backtest_origins``
    rolling origins (same horizon, one week apart) and picks the lowest-WAPE model per queue; a named method
    is used for every queue, backtested only when ``run_backtest`` (``None``: only for ``auto``).
    ``volume_p10``/``volume_p90`` come from the chosen model's backtest errors (scaled by the square root of
    the forecast), or from the model's own interval.
    """
    if not isinstance(history, History):
        raise InputError(
            f"forecast() takes a History, not {type(history).__name__}: clean the raw frame and flag its special "
            "days with wfm.history.prepare_history(raw, config) first"
        )
    h_days = parse_horizon(horizon)
    if method not in METHODS:
        raise InputError(f"--method: unknown method {method!r} (choose from {', '.join(METHODS)})")
    history, span = _place(history, start, h_days)
    qnames, notes = _queues(history, config)
    hours = config.centre.opening_hours if config is not None else None
    if hours is not None:
        history, moved = fit_history_to_hours(history, hours)
        if moved:
            notes.append(moved)
    holiday_like = holiday_like_setting(config)
    if run_backtest is None:
        run_backtest = method == "auto"
    cv, metrics = _backtest(history, qnames, method, h_days, backtest_origins, holiday_like, run_backtest, notes)
    chosen, chosen_wape = _choose(metrics, qnames, method, notes)
    out = _forecast_frame(history, config, qnames, chosen, cv, span, holiday_like)
    if hours is not None:
        out = close_outside_hours(out, hours, history.interval_minutes, history.holiday_dates)
    return ForecastResult(
        forecast=out, daily=daily_summary(out), backtest=cv, metrics=metrics, chosen=chosen,
        chosen_wape=chosen_wape, history_summary=history.report.summary, start=span.start,
        horizon_days=h_days, interval_minutes=history.interval_minutes, notes=notes,
    )


def _place(history: History, start: str | dt.date | pd.Timestamp | None, h_days: int) -> tuple[History, _Span]:
    """The forecast's span; the history cut at ``start`` when that is inside it (train only on what came
    before). Raises InsufficientHistory with less than a week of history before the start."""
    last = last_data_day(history) + 1
    if start is None:
        # the first day after the history on which some queue is open (Monday at a weekday-only centre)
        op = open_intervals(history.volume[:, :last]).any(axis=(0, 2))  # (7,)
        skip = next((k for k in range(7) if op[(last + k) % 7]), 0)
        start_ts = history.start + pd.Timedelta(days=last + skip)
    else:
        try:
            start_ts = pd.Timestamp(start)
        except (ValueError, TypeError, OverflowError):
            raise InputError(f"--start: {start!r} is not a date (expected YYYY-MM-DD)") from None
        check_date(start_ts, "--start")
        if start_ts != start_ts.normalize():
            raise InputError(f"--start: {start!r} must be a date (forecasts start at midnight)")
    start_day = max(int((start_ts - history.start).days), 0)
    if start_day < last:  # forecasting a past period: train only on what came before it
        history = _truncate(history, start_day)
        last = start_day
    if last - first_data_day(history) < 7:
        raise InsufficientHistory(
            f"{history.report.source}: need at least 7 days of history before {start_ts:%Y-%m-%d}, "
            f"have {max(0, last - first_data_day(history))}"
        )
    return history, _Span(start=start_ts, start_day=start_day, origin=last, days=h_days)


def _queues(history: History, config: CentreConfig | None) -> tuple[list[str], list[str]]:
    """The history's queues in config order (others after them), and notes on what does not match the config."""
    preferred = config.queue_names if config else []
    qnames = [q for q in preferred if q in history.queues] + [q for q in history.queues if q not in preferred]
    notes: list[str] = []
    if config:
        extra = [q for q in history.queues if q not in preferred]
        if extra:
            notes.append(f"queue(s) not in the config (default AHT and no targets): {', '.join(extra)}")
        if config.centre.interval_minutes != history.interval_minutes:
            notes.append(
                f"the history has {history.interval_minutes}-minute intervals, the config's [centre] "
                f"interval_minutes = {config.centre.interval_minutes}"
            )
    return qnames, notes


def _backtest(
    history: History, qnames: list[str], method: str, h_days: int, origins: int, holiday_like: str,
    run: bool, notes: list[str],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The backtest frame and its metrics: the seasonal naive baseline plus the auto candidates or the named
    method. Empty (with a note) when not run or when the history is too short to backtest."""
    metrics = pd.DataFrame(columns=METRICS_COLUMNS)
    if not run:
        return pd.DataFrame(), metrics
    names = [BASELINE, *AUTO_CANDIDATES] if method == "auto" else [BASELINE] + ([method] if method != BASELINE else [])
    models = make_models(history.season_length, names)
    p = history.per_day
    try:
        cv = backtest(models, history, h_days * p, origins, 7 * p, holiday_like, qnames)
        held = int(cv["cutoff"].nunique()) if len(cv) else 0
        if held < origins:
            notes.append(f"backtest on {held} origin(s): the history holds no more than that for a {h_days}-day "
                         f"horizon (asked for {origins})")
        return cv, score_backtest(cv, BASELINE)
    except InsufficientHistory as exc:
        notes.append(f"no backtest: {exc}")
        return pd.DataFrame(), metrics


def _choose(
    metrics: pd.DataFrame, qnames: list[str], method: str, notes: list[str]
) -> tuple[dict[str, str], dict[str, float | None]]:
    """The model per queue and its backtest WAPE; marks the chosen rows of ``metrics`` (in place).
    ``auto`` without a backtest falls back to week_average."""
    if method != "auto":
        chosen = {q: method for q in qnames}
    elif len(metrics):
        chosen = choose(metrics, AUTO_CANDIDATES)
    else:
        chosen = {q: "week_average" for q in qnames}
        notes.append("auto: too little history to backtest, used week_average")
    if len(metrics):
        metrics["chosen"] = [chosen.get(q) == m for q, m in zip(metrics["queue"], metrics["model"], strict=True)]
    chosen_wape: dict[str, float | None] = {}
    for q in qnames:
        row = metrics[(metrics["queue"] == q) & (metrics["model"] == chosen[q])] if len(metrics) else metrics
        chosen_wape[q] = float(row["wape"].iloc[0]) if len(row) and np.isfinite(row["wape"].iloc[0]) else None
    return chosen, chosen_wape


def _forecast_frame(
    history: History, config: CentreConfig | None, qnames: list[str], chosen: dict[str, str], cv: pd.DataFrame,
    span: _Span, holiday_like: str,
) -> pd.DataFrame:
    """Every interval of the horizon for every queue (``FORECAST_COLUMNS``), forecast from the end of
    history; wall times that do not exist (DST) dropped, values rounded."""
    train = history.training_volume()
    usable = ~(history.excluded | history.holiday)
    holiday = extend_holiday_flags(history, span.origin + span.lead_days + span.days)
    like = weekday_index(holiday_like)
    model_by_alias = {m.alias: m for m in make_models(history.season_length, sorted(set(chosen.values())))}
    cv_rows = {str(k): v for k, v in cv.groupby("queue", sort=False).indices.items()} if len(cv) else {}
    p = history.per_day
    skip = span.lead_days * p
    ts = span.start + pd.to_timedelta(np.arange(span.days * p) * history.interval_minutes, unit="min")
    frames = []
    for q in qnames:
        qi = history.queues.index(q)
        # the volume up to the origin, holidays included: holiday history for the holiday curves
        pred = predict_days([model_by_alias[chosen[q]]], train[qi], history.volume[qi, : span.origin], holiday,
                            usable, span.origin, span.lead_days + span.days, like, level=[80])[0]
        mean = pred["mean"][skip:]
        lo, hi = _bounds(mean, cv_rows.get(q), cv, chosen[q], pred["lo-80"][skip:], pred["hi-80"][skip:])
        aht_week = forecast_aht(history.volume[qi, : span.origin], history.aht[qi, : span.origin],
                                _default_aht(config, q))
        aht = aht_week[(span.start_day + np.arange(span.days)) % 7].ravel()
        frames.append(pd.DataFrame({
            "timestamp": ts, "queue": q, "volume": mean, "aht": aht, "volume_p10": lo, "volume_p90": hi,
        }))
    out = pd.concat(frames, ignore_index=True)
    nonexistent, _ = wall_time_status(pd.DatetimeIndex(out["timestamp"]), history.timezone)
    out = out[~nonexistent].reset_index(drop=True)
    out["volume"] = out["volume"].round(3)
    out["volume_p10"] = out["volume_p10"].round(3)
    out["volume_p90"] = out["volume_p90"].round(3)
    out["aht"] = out["aht"].round(1)
    return out


def _default_aht(config: CentreConfig | None, queue: str) -> float:
    """The queue's config ``aht_s`` (its default, 300 s, for a queue the config does not name)."""
    return config.queue(queue).aht_s if config and queue in config.queue_names else DEFAULT_AHT_S


def _bounds(mean: np.ndarray, rows: np.ndarray | None, cv: pd.DataFrame, alias: str, lo80: np.ndarray,
            hi80: np.ndarray):
    """p10/p90 from the backtest: quantiles of (actual - forecast) / sqrt(forecast) over open intervals.

    ``rows``: positions of this queue's rows in ``cv``."""
    if rows is not None and len(rows) and alias in cv.columns:
        y, f = cv["y"].to_numpy()[rows], cv[alias].to_numpy()[rows]
        ok = np.isfinite(y) & (f > 0)
        if ok.sum() >= 50:
            z = (y[ok] - f[ok]) / np.sqrt(np.maximum(f[ok], 1.0))
            q10, q90 = min(np.quantile(z, 0.1), 0.0), max(np.quantile(z, 0.9), 0.0)
            sd = np.sqrt(np.maximum(mean, 1.0))
            lo = np.where(mean > 0, np.maximum(mean + q10 * sd, 0.0), 0.0)
            hi = np.where(mean > 0, mean + q90 * sd, 0.0)
            return lo, hi
    return lo80, hi80


def _truncate(history: History, n_days: int) -> History:
    """The first ``n_days`` days of ``history`` (a shallow copy)."""
    h = copy.copy(history)
    h.volume = history.volume[:, :n_days]
    h.aht = history.aht[:, :n_days]
    h.holiday = history.holiday[:n_days]
    h.excluded = history.excluded[:n_days]
    return h



# --------------------------------------------------------------------------- tables
def daily_summary(fc: pd.DataFrame) -> pd.DataFrame:
    """Per day and queue: volume, the peak interval's volume and the volume-weighted AHT.

    (Interval p10/p90 do not add up to daily bounds, so they are not summed here.)"""
    f = fc.assign(date=fc["timestamp"].dt.normalize(), va=fc["volume"] * fc["aht"])
    g = f.groupby(["date", "queue"], sort=False).agg(
        volume=("volume", "sum"), peak=("volume", "max"), va=("va", "sum"),
    ).reset_index()
    g["aht"] = np.where(g["volume"] > 0, g["va"] / g["volume"].where(g["volume"] > 0, 1), np.nan)
    g = g.drop(columns="va")
    g.insert(1, "day", g["date"].dt.strftime("%a"))
    return g


def metrics_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """Backtest metrics for printing: percentages, MASE with 3 decimals, the chosen model starred."""
    t = metrics.copy()
    t["model"] = [f"{m} *" if c else m for m, c in zip(t["model"], t.get("chosen", [False] * len(t)), strict=True)]
    for col in ("wape", "bias", "daily_wape", "mape"):
        t[col] = [f"{v:+.1%}" if col == "bias" else f"{v:.1%}" if np.isfinite(v) else "-" for v in t[col]]
    t["mase"] = [f"{v:.3f}" if np.isfinite(v) else "-" for v in t["mase"]]
    return t[["queue", "model", "wape", "bias", "mase", "daily_wape", "mape"]]


def daily_table(daily: pd.DataFrame) -> pd.DataFrame:
    """The per-day, per-queue summary for printing (calls rounded, AHT in whole seconds)."""
    t = daily.copy()
    t["date"] = t["date"].dt.strftime("%Y-%m-%d")
    t["volume"] = t["volume"].round(0).astype(int)
    t["peak"] = t["peak"].round(1)
    t["aht"] = [f"{v:.0f}" if np.isfinite(v) else "-" for v in t["aht"]]
    return t.rename(columns={"peak": "peak_interval"})

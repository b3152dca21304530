"""The requirement over the roster's horizon and the coverage frame (``coverage.csv``) of a roster.

Coverage frame, one row per interval::

    timestamp, required_scheduled (scheduled agents asked for: staffing's ``scheduled``, summed or pooled),
    rostered (agents on shift and off break, before shrinkage), over, under,
    service_level (pooled Erlang value for the rostered agents, after shrinkage)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.roster.domain import MAX_SCHEDULED_PER_INTERVAL, check_requirement
from wfm.roster.rows import ROSTER_COLUMNS, parse_roster_rows, rostered_per_interval
from wfm.staffing import (
    ServiceCurves,
    check_period_requirement,
    group_service_level,
    pool_queues,
    queue_service_levels,
    service_curves,
    staffing_requirement,
)


def horizon_requirement(
    staffing: pd.DataFrame, config: CentreConfig, start: date | None, weeks: int
) -> tuple[date, pd.DatetimeIndex, np.ndarray, pd.DataFrame]:
    """The horizon's interval starts, required scheduled agents per interval (staffing's ``scheduled``, summed
    or pooled) and a staffing frame over the horizon (:func:`horizon_staffing`)."""
    start, idx, horizon = horizon_staffing(staffing, config, start, weeks)
    named = staffing.attrs.get("source", "staffing")
    horizon.attrs["source"] = named  # the horizon's rows are the staffing file's
    req = staffing_requirement(horizon, config, most_scheduled=MAX_SCHEDULED_PER_INTERVAL)
    req = req.set_index("timestamp")["scheduled"]
    required = req.reindex(idx).fillna(0).to_numpy(float)
    check_requirement(required, idx, named)
    return start, idx, required.astype(np.int64), horizon


def horizon_staffing(
    staffing: pd.DataFrame, config: CentreConfig, start: date | None, weeks: int
) -> tuple[date, pd.DatetimeIndex, pd.DataFrame]:
    """The horizon's first day and interval starts, and the staffing frame over it: each queue row moved to the
    horizon timestamp it serves.

    Intervals the staffing file lacks are taken from the same time whole weeks earlier or later (so one
    week of staffing serves a multi-week roster); an interval with no such week is an InputError.
    """
    named = staffing.attrs.get("source", "staffing")  # its file, when read by read_staffing
    for col in ("timestamp", "queue", "scheduled"):
        if col not in staffing.columns:
            raise InputError(f"{named}: missing column {col!r} (make it with `wfm staff`)")
    if staffing.empty:
        raise InputError(f"{named}: no data rows (expected one row per interval and queue, from `wfm staff`)")
    st = staffing.copy()
    st["timestamp"] = pd.to_datetime(st["timestamp"])
    if start is None:
        start = st["timestamp"].min().date()
    ivl = config.planning_interval_minutes
    stamps = np.sort(st["timestamp"].unique())
    if len(stamps) > 1:
        step = int(np.diff(stamps).min() // np.timedelta64(1, "m"))
        if step != ivl:
            raise InputError(
                f"{named}: its intervals are {step} minutes apart at the closest but the planning grid is {ivl} "
                "minutes ([roster] interval_minutes, else [centre] interval_minutes)"
            )
    idx = pd.date_range(pd.Timestamp(start), periods=weeks * 7 * 1440 // ivl, freq=f"{ivl}min", name="timestamp")
    have = set(st["timestamp"].unique())
    source = np.empty(len(idx), dtype="datetime64[ns]")
    values = idx.to_numpy()
    week = np.timedelta64(7, "D")
    lo, hi = st["timestamp"].min().to_datetime64(), st["timestamp"].max().to_datetime64()
    for i, ts in enumerate(values):
        if ts in have:
            source[i] = ts
            continue
        k = int(np.floor((ts - lo) / week))
        cand = ts - k * week
        if cand not in have:
            cand = cand + week
        if cand < lo or cand > hi or cand not in have:
            raise InputError(
                f"{named}: has no interval {pd.Timestamp(ts):%Y-%m-%d %H:%M} (nor the same time in another week) "
                f"for a {weeks}-week roster from {start}"
            )
        source[i] = cand
    shift_by = values - source
    # staffing frame over the horizon (each queue row moved to the horizon timestamp it serves)
    src = pd.DataFrame({"timestamp": values, "_src": source, "_shift": shift_by})
    rows = src.merge(st, left_on="_src", right_on="timestamp", suffixes=("", "_orig"))
    rows = rows.drop(columns=["timestamp_orig", "_src", "_shift"]).sort_values(["timestamp"], kind="stable")
    return start, idx, rows.reset_index(drop=True)


def period_curves(horizon_staffing: pd.DataFrame, config: CentreConfig, idx: pd.DatetimeIndex,
                  margins: Mapping[str, Mapping[str, float]] | None = None) -> ServiceCurves | None:
    """The service curves of the queues judged over a day or week, on the horizon's intervals (None when every
    queue is judged per interval); ``margins`` raise their targets (:func:`wfm.staffing.service_curves`)."""
    if all(q.service_level_period == "interval" for q in config.queues):
        return None
    check_period_requirement(config)
    return service_curves(horizon_staffing, config, timestamps=idx, margins=margins)


def horizon_of(assignments: pd.DataFrame, staffing: pd.DataFrame, start: date | None, weeks: int | None
               ) -> tuple[date, int]:
    """The horizon a roster frame is read over: ``start`` (default: the first staffing date) and ``weeks``
    (default: enough whole weeks for the staffing and the roster's dates)."""
    st_ts = pd.to_datetime(staffing["timestamp"])
    if start is None:
        start = st_ts.min().date()
    if weeks is None:
        last = st_ts.max()
        if not assignments.empty:
            last = max(last, pd.to_datetime(assignments["date"]).max())
        weeks = max(1, math.ceil(((last - pd.Timestamp(start)).days + 1) / 7))
    return start, weeks


def coverage(
    assignments: pd.DataFrame,
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    start: date | None = None,
    weeks: int | None = None,
) -> pd.DataFrame:
    """Recompute the coverage frame from a roster frame alone.

    The horizon runs ``weeks`` weeks from ``start`` (defaults: the first staffing date; enough whole weeks
    for the staffing and the roster's dates); shifts past its end wrap to its start (cyclic roster).
    """
    start, weeks = horizon_of(assignments, staffing, start, weeks)
    _, idx, required, horizon_staffing = horizon_requirement(staffing, config, start, weeks)
    ivl = config.planning_interval_minutes
    rostered = rostered_per_interval(parse_roster_rows(assignments, "roster", ROSTER_COLUMNS),
                                     pd.Timestamp(start), len(idx), ivl)
    sl = group_service_level(horizon_staffing, pd.Series(rostered, index=idx), config)
    return pd.DataFrame(
        {
            "timestamp": idx,
            "required_scheduled": required,
            "rostered": rostered,
            "over": np.maximum(rostered - required, 0),
            "under": np.maximum(required - rostered, 0),
            "service_level": np.round(sl["service_level"].to_numpy(float), 4),
        }
    )


SERVICE_COLUMNS = [
    "queue", "judged", "period", "start", "calls", "service_level", "target", "asa", "asa_target",
    "occupancy", "max_occupancy", "met", "model_service_level",
]


def service_table(rostered: np.ndarray, horizon_staffing: pd.DataFrame, config: CentreConfig,
                  idx: pd.DatetimeIndex, curves: ServiceCurves | None = None) -> pd.DataFrame:
    """Each queue's service over each day (and each week for a queue judged weekly) with the rostered agents
    (``service.csv``), recomputed with the routing model (:func:`wfm.staffing.queue_service_levels`).

    ``judged`` is the queue's ``service_level_period``. ``met``: for a queue judged per interval, every
    interval of the day with its calls meets its service-level target; for a queue judged over a day or
    week, the calls-weighted service level and ASA over the period meet its targets and the group's
    occupancy over the period's intervals with its calls (offered work / agents taking calls) is within its
    cap; empty for the days of a queue judged weekly. ``service_level`` and ``asa`` are calls-weighted over
    the period. ``model_service_level`` (rows judged over their period, with ``curves``): the same figure
    read off the roster MILP's service curves at the rostered agents, the one the MILP planned with."""
    per = queue_service_levels(horizon_staffing, pd.Series(rostered, index=idx), config)
    pool = pool_queues(horizon_staffing, config, timestamps=idx)
    work = pd.Series((pool.volume_by_queue * pool.aht_by_queue).sum(axis=0) / pool.interval_s, index=idx)
    per["work"] = work.reindex(per["timestamp"]).to_numpy()
    day = (per["timestamp"] - idx[0].normalize()).dt.days.to_numpy()
    rows = []
    for q in config.queues:
        mine = per[per["queue"] == q.name].assign(day=day[per["queue"].to_numpy() == q.name])
        units = [("day", mine["day"].to_numpy())]
        if q.service_level_period == "week":
            units.append(("week", mine["day"].to_numpy() // 7))
        for period, key in units:
            for k, g in mine.groupby(key, sort=True):
                first = idx[0].normalize() + pd.Timedelta(days=int(k) * (7 if period == "week" else 1))
                rows.append(_service_row(q, period, first, g))
    frame = pd.DataFrame(rows, columns=SERVICE_COLUMNS)
    if curves is not None:
        frame["model_service_level"] = _model_service_levels(frame, curves, rostered, idx)
    return frame


def _model_service_levels(frame: pd.DataFrame, curves: ServiceCurves, rostered: np.ndarray,
                          idx: pd.DatetimeIndex) -> list[float | None]:
    """Each judged row's service level from the MILP's curves at ``floor(rostered x (1 - shrinkage))``."""
    effective = np.floor(rostered * (1.0 - curves.shrinkage) + 1e-9)
    day = np.asarray((idx - idx[0].normalize()).days)
    out: list[float | None] = [None] * len(frame)
    for c in curves.curves:
        col = np.clip(effective - curves.low, 0, c.service_level.shape[1] - 1).astype(np.int64)
        sl = c.service_level[np.arange(len(idx)), col]
        key = day if c.period == "day" else day // 7
        for i, row in enumerate(frame.itertuples()):
            if row.queue != c.queue or row.period != c.period:
                continue
            k = (pd.Timestamp(row.start) - idx[0].normalize()).days // (1 if c.period == "day" else 7)
            mine = (key == k) & (c.volume > 0)
            if mine.any():
                out[i] = round(float((c.volume[mine] * sl[mine]).sum() / c.volume[mine].sum()), 6)
    return out


def _service_row(q, period: str, start: pd.Timestamp, g: pd.DataFrame) -> dict:
    calls = g["volume"].to_numpy(float)
    busy = calls > 0
    total = float(calls.sum())
    sl = float((calls * g["service_level"]).sum() / total) if total > 0 else 1.0
    asa = float((calls[busy] * g["asa"].to_numpy(float)[busy]).sum() / total) if total > 0 else 0.0
    agents = float(g["agents"].to_numpy(float)[busy].sum())
    occ = float(g["work"].to_numpy(float)[busy].sum() / agents) if agents > 0 else (0.0 if total == 0 else 1.0)
    if q.service_level_period == "interval":
        met: bool | None = bool((g["service_level"].to_numpy(float)[busy] >= q.service_level - 1e-9).all())
    elif q.service_level_period != period:
        met = None  # a day of a queue judged weekly: for information
    else:
        met = sl >= q.service_level - 1e-9 and (q.asa_s is None or asa <= q.asa_s + 1e-9) and (
            q.max_occupancy is None or occ <= q.max_occupancy + 1e-9)
    return {
        "queue": q.name, "judged": q.service_level_period, "period": period, "start": start.strftime("%Y-%m-%d"),
        "calls": round(total, 3), "service_level": round(sl, 4), "target": q.service_level,
        "asa": round(asa, 2) if math.isfinite(asa) else math.inf, "asa_target": q.asa_s,
        "occupancy": round(occ, 4), "max_occupancy": q.max_occupancy, "met": met, "model_service_level": None,
    }

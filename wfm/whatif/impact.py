"""The what-if's base (forecast + published roster on one interval grid) and the impact of a forecast on it:
agents on the phones, service level, ASA, abandoned calls and short intervals (:func:`assess_cover`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm import erlang
from wfm.config import CentreConfig
from wfm.io import checked_forecast, json_number
from wfm.milp import largest_remainder
from wfm.roster.rows import RosterRows, parse_roster_rows, rostered_per_interval
from wfm.staffing import group_service_level, queue_shrinkage, worst_interval

EPS = 1e-4  # agents: below this a shortfall is solver tolerance, not a gap


# =========================================================================== the base every scenario shares
@dataclass(frozen=True)
class WhatifBase:
    """Everything every scenario shares: the interval grid, the forecast and the published roster."""

    config: CentreConfig
    forecast: pd.DataFrame  # timestamp, queue, volume, aht on the full grid
    shifts: RosterRows
    roster: pd.DataFrame  # the published roster frame as given (for the ratio's front line)
    timestamps: pd.DatetimeIndex
    interval_minutes: int

    @property
    def start(self) -> pd.Timestamp:
        return self.timestamps[0]

    @property
    def end(self) -> pd.Timestamp:
        return self.timestamps[-1] + pd.Timedelta(minutes=self.interval_minutes)

    @property
    def hours(self) -> float:
        return self.interval_minutes / 60.0

    @property
    def dates(self) -> pd.DatetimeIndex:
        return pd.DatetimeIndex(self.timestamps.normalize().unique())

    @property
    def day_of(self) -> np.ndarray:
        """Day of the plan (0 = its first date) of each interval."""
        days = (self.timestamps.normalize() - self.start.normalize()) // pd.Timedelta(days=1)
        return np.asarray(days, dtype=np.int64)


def make_plan(
    config: CentreConfig, forecast: pd.DataFrame, roster: pd.DataFrame, source: str = "roster"
) -> WhatifBase:
    """Check and align the forecast (``timestamp,queue,volume[,aht]``) and roster (roster.csv columns).

    The grid runs from the forecast's first to its last interval; missing queue-intervals have no calls.
    """
    ivl = config.planning_interval_minutes
    fc = checked_forecast(forecast, config.queue_names)
    grid = pd.date_range(fc["timestamp"].min(), fc["timestamp"].max(), freq=f"{ivl}min")
    queues = [q for q in config.queue_names if q in set(fc["queue"])]
    full = pd.MultiIndex.from_product([grid, queues], names=["timestamp", "queue"])
    fc = fc.drop_duplicates(["timestamp", "queue"], keep="last").set_index(["timestamp", "queue"])
    fc = fc[["volume", "aht"]].reindex(full).reset_index()
    fc["volume"] = fc["volume"].fillna(0.0)
    default_aht = fc["queue"].map({q.name: float(q.aht_s) for q in config.queues})
    fc["aht"] = fc["aht"].where(np.isfinite(fc["aht"]) & (fc["aht"] > 0), default_aht)
    return WhatifBase(config, fc, parse_roster(roster, source), roster, pd.DatetimeIndex(grid), ivl)


def parse_roster(roster: pd.DataFrame, source: str = "roster") -> RosterRows:
    """roster.csv rows -> :class:`wfm.roster.rows.RosterRows` (errors name the row's line and field)."""
    return parse_roster_rows(roster, source, required=("agent_id", "contract", "date", "start", "end"))


def interval_index(ts: np.ndarray, plan: WhatifBase) -> np.ndarray:
    """Interval index of each timestamp on the plan's grid (may fall outside 0..T)."""
    delta = (np.asarray(ts, dtype="datetime64[ns]") - plan.start.to_datetime64()).astype("timedelta64[m]")
    return np.floor(delta.astype(np.int64) / plan.interval_minutes).astype(np.int64)


def rostered(plan: WhatifBase, row_weight: np.ndarray | None = None) -> np.ndarray:
    """Agents on the phones per interval of the plan: on shift and not on a break (x ``row_weight``).

    The roster is cyclic (as :mod:`wfm.roster` builds it): time past the plan's end wraps to its start.
    """
    w = np.ones(len(plan.shifts)) if row_weight is None else np.asarray(row_weight, dtype=float)
    return rostered_per_interval(plan.shifts, plan.start, len(plan.timestamps), plan.interval_minutes, w)


def row_presence(plan: WhatifBase, crew: Any) -> np.ndarray:
    """1 for each roster row whose person comes in, 0 for the named absent (:class:`wfm.whatif.people.People`
    of the plan's shifts and dates); rows outside the plan's days come in."""
    out = np.ones(len(plan.shifts))
    p_i, d_i = np.nonzero(crew.absent)
    out[crew.row[p_i, d_i]] = 0.0
    return out


# =========================================================================== impact
@dataclass
class Impact:
    """Service on the phones per interval, per day and overall.

    intervals: ``timestamp, volume, required_scheduled, rostered, service_level, asa, abandoned, short``
    days:      ``date, calls, service_level, asa, abandoned, worst_interval, worst_service_level, short_intervals``
    """

    intervals: pd.DataFrame
    days: pd.DataFrame
    calls: float
    service_level: float
    asa: float
    abandoned: float  # NaN when no queue has a known patience
    worst_interval: str
    worst_service_level: float
    short_intervals: int

    def summary(self) -> dict[str, Any]:
        return {
            "calls": round(self.calls, 1),
            "service_level": round(self.service_level, 4),
            "asa": json_number(self.asa, 1),
            "abandoned": json_number(self.abandoned, 1),
            "worst_interval": self.worst_interval,
            "worst_service_level": round(self.worst_service_level, 4),
            "short_intervals": self.short_intervals,
        }


def assess_cover(
    staffing: pd.DataFrame, rostered_agents: np.ndarray, required: np.ndarray, plan: WhatifBase
) -> Impact:
    """Service level, ASA and abandoned calls per interval with ``rostered_agents`` (rostered, before shrinkage).

    Service level and ASA are the staff group's, as for a roster (:func:`wfm.staffing.group_service_level`:
    the queues pooled into one, shrinkage applied). Abandoned calls: :func:`abandoned_calls`.
    ``short``: fewer on the phones than ``required``.
    """
    abandoned, calls = abandoned_calls(staffing, rostered_agents, plan)
    pooled = group_service_level(
        staffing, pd.Series(np.maximum(rostered_agents, 0.0), index=plan.timestamps), plan.config,
        plan.interval_minutes,
    )
    intervals = pd.DataFrame(
        {
            "timestamp": plan.timestamps,
            "volume": calls,
            "required_scheduled": required.astype(np.int64),
            "rostered": np.round(rostered_agents, 4),
            "service_level": np.where(calls > 0, pooled["service_level"].to_numpy(float), 1.0),
            "asa": np.where(calls > 0, pooled["asa"].to_numpy(float), 0.0),
            "abandoned": abandoned,
            "short": rostered_agents < required - EPS,
        }
    )
    answered = np.maximum(calls - np.nan_to_num(abandoned), 0.0)
    day = intervals["timestamp"].dt.normalize()
    rows = []
    for d, g in intervals.groupby(day, sort=True):
        rows.append({"date": d.strftime("%Y-%m-%d"), **_aggregate(g, answered[g.index.to_numpy()])})
    overall = _aggregate(intervals, answered, with_date=True)
    return Impact(intervals=intervals, days=pd.DataFrame(rows), **overall)


def abandoned_calls(
    staffing: pd.DataFrame, rostered_agents: np.ndarray, plan: WhatifBase
) -> tuple[np.ndarray, np.ndarray]:
    """Abandoned calls and calls per interval.

    Abandoned calls are counted per queue with Erlang A where the queue has a patience (none where it has
    not; NaN in every interval when no queue has a known patience, ``[[queues]] patience_s`` unset: unknown,
    not 0): the on-phone agents, less each queue's shrinkage, are shared between the queues as planned, in
    proportion to each queue's offered load in the plan's baseline forecast (the shocked one where the
    baseline has no calls; whole agents, largest remainder), so more calls on one queue never lighten another's.
    """
    queues = [q for q in plan.config.queues if q.name in set(staffing["queue"])]
    vol, aht = _queue_matrix(staffing, plan, queues)
    pv, pa = _queue_matrix(plan.forecast, plan, queues)
    planned = pv * pa
    share = np.where(planned.sum(axis=1)[:, None] > 0, _load_shares(planned), _load_shares(vol * aht))
    keep = np.array([1.0 - queue_shrinkage(q, plan.config.source) for q in queues])
    agents = largest_remainder(np.maximum(rostered_agents, 0.0)[:, None] * share * keep[None, :])
    ab = np.zeros_like(vol)
    ivl_s = 60.0 * plan.interval_minutes
    for j, q in enumerate(queues):
        if q.patience_s:
            m = erlang.evaluate(vol[:, j], aht[:, j], ivl_s, agents[:, j], q.answer_within_s, q.patience_s)
            ab[:, j] = m.abandon_rate
    if not any(q.patience_s for q in queues):
        return np.full(len(plan.timestamps), np.nan), vol.sum(axis=1)
    return (vol * ab).sum(axis=1), vol.sum(axis=1)


def _load_shares(load: np.ndarray) -> np.ndarray:
    total = load.sum(axis=1)
    return np.divide(load, total[:, None], out=np.zeros_like(load), where=total[:, None] > 0)


def _queue_matrix(frame: pd.DataFrame, plan: WhatifBase, queues: list) -> tuple[np.ndarray, np.ndarray]:
    n_t = len(plan.timestamps)
    vol = np.zeros((n_t, len(queues)))
    aht = np.ones((n_t, len(queues)))
    for j, q in enumerate(queues):
        rows = frame[frame["queue"] == q.name]
        idx = interval_index(pd.DatetimeIndex(rows["timestamp"]).to_numpy(), plan)
        vol[idx, j] = rows["volume"].to_numpy(float)
        aht[idx, j] = rows["aht"].to_numpy(float)
    return vol, aht


def _aggregate(g: pd.DataFrame, answered: np.ndarray, with_date: bool = False) -> dict[str, Any]:
    calls = float(g["volume"].sum())
    sl = float((g["volume"] * g["service_level"]).sum() / calls) if calls > 0 else 1.0
    ans = float(answered.sum())
    asa_x = g["asa"].to_numpy() * answered
    asa = float(np.nansum(np.where(answered > 0, asa_x, 0.0)) / ans) if ans > 0 else 0.0
    ts, sl_w = worst_interval(g, g["volume"] > 0)
    fmt = "%Y-%m-%d %H:%M" if with_date else "%H:%M"
    worst_ts, worst_sl = ("", 1.0) if ts is None else (ts.strftime(fmt), sl_w)
    return {
        "calls": calls,
        "service_level": sl,
        "asa": asa,
        "abandoned": float(g["abandoned"].sum()) if g["abandoned"].notna().any() else float("nan"),
        "worst_interval": worst_ts,
        "worst_service_level": worst_sl,
        "short_intervals": int(g["short"].sum()),
    }

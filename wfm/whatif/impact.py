"""The what-if's base (forecast + published roster on one interval grid) and the impact of a forecast on it:
agents on the phones, service level, ASA, abandoned calls and short intervals (:func:`assess_cover`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wfm import erlang, routing
from wfm.config import CentreConfig
from wfm.io import checked_forecast, json_number
from wfm.roster.rows import RosterRows, parse_roster_rows, rostered_per_interval
from wfm.staffing import group_load, pool_queues, worst_interval

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
    present = set(fc["queue"])
    queues = [q for q in config.queue_names if q in present]
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
    by_queue: pd.DataFrame | None = None  # date, queue, calls, service_level, abandoned (NaN: no patience)

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

    All three come from one model, :func:`pooled_service`: the staff group's, as for a roster (the queues
    sharing ``floor(rostered x (1 - shrinkage))`` agents under the group's routing,
    :func:`wfm.routing.group_metrics`), held to the agents' capacity where the calls offered exceed it.
    ``short``: fewer on the phones than ``required``. ``by_queue``: per day and queue.
    """
    names, vol, sl_q, asa_q, ab_q, patient = pooled_service(staffing, rostered_agents, plan)
    calls = vol.sum(axis=0)
    abandoned = _abandoned(vol, ab_q, patient)
    intervals = pd.DataFrame(
        {
            "timestamp": plan.timestamps,
            "volume": calls,
            "required_scheduled": required.astype(np.int64),
            "rostered": np.round(rostered_agents, 4),
            "service_level": np.where(calls > 0, _per_call(vol, sl_q), 1.0),
            "asa": np.where(calls > 0, _per_call(vol, asa_q), 0.0),
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
    return Impact(intervals=intervals, days=pd.DataFrame(rows), **overall,
                  by_queue=_by_queue(plan, names, vol, sl_q, ab_q, patient))


def abandoned_calls(
    staffing: pd.DataFrame, rostered_agents: np.ndarray, plan: WhatifBase
) -> tuple[np.ndarray, np.ndarray]:
    """Abandoned calls and calls per interval, from the same pooled model as the service level
    (:func:`pooled_service`: each queue's abandonment under the group's routing, with the agents the queues
    share). Queues without ``patience_s`` are left out (their callers' patience is unknown); NaN in every
    interval when no queue has a known patience (unknown, not 0)."""
    _, vol, _, _, ab_q, patient = pooled_service(staffing, rostered_agents, plan)
    return _abandoned(vol, ab_q, patient), vol.sum(axis=0)


def pooled_service(
    staffing: pd.DataFrame, rostered_agents: np.ndarray, plan: WhatifBase
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Each queue's calls, service level, ASA and abandonment rate per interval (arrays (queues, intervals),
    queues in routing order) with ``rostered_agents``; and which queues have a patience.

    The staff group's model (:func:`wfm.staffing.group_service_level`: ``floor(rostered x (1 - shrinkage))``
    agents, workload-weighted shrinkage, shared under the group's routing), corrected where the calls offered
    exceed what the agents can answer (:func:`overload_service`): there the per-queue figures of the routing
    model answer more calls than the agents can take (a storm day: 1.6 times their capacity) and spread the
    waits exponentially, where in overload every caller waits about the same time."""
    pool = pool_queues(staffing, plan.config, None, timestamps=plan.timestamps,
                       interval_minutes=plan.interval_minutes)
    # whole agents: rounded first, so 80 people at 30% shrinkage are 56 agents, not floor(55.99999...)
    on = np.round(np.maximum(rostered_agents, 0.0), 6)
    agents = np.floor(on * (1.0 - pool.shrinkage) + 1e-6)
    load = group_load(pool, plan.config)
    m = routing.group_metrics(load, agents)
    sl, asa, ab = overload_service(load, agents, m.service_level, m.asa, m.abandon_rate)
    patient = np.array([bool(q.patience_s) for q in load.queues])
    if load.routing == "fifo" and load.pooled_patience is None:
        # one FIFO pool with callers who never hang up is Erlang C: it says nothing of abandonment (n/a)
        patient[:] = False
    return [q.name for q in load.queues], load.volume, sl, asa, ab, patient


def overload_service(load: routing.GroupLoad, agents: np.ndarray, sl: np.ndarray, asa: np.ndarray,
                     ab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-queue service level, ASA and abandonment rate held to the agents' capacity where the group is
    overloaded (offered erlangs above the agents).

    Fluid model of many agents with abandonment (Whitt 2006): the head of queue k waits ``w_k``, a caller of
    it is answered if her patience outlasts ``w_k`` (``exp(-theta_k w_k)``), the routing sets the ratios of the
    waits (``objective``: ``w_k = u / b_k``, the weighted waits of the heads equal; ``fifo``: equal waits;
    ``priority``: the queues above served first) and ``u`` makes the work answered equal the agents. Abandonment
    is at least the fluid's (the capacity the agents have), ASA at least ``w_k``; a queue without patience
    whose calls alone fill the agents waits without end. The waits spread like the pooled queue's (Erlang A
    with the patience of the callers waiting, the group's calls and AHT): queue k's service level is the pool's
    within ``T_k x w_pool / w_k``; at most the routing model's. Elsewhere the routing model as it is.
    Measured against :mod:`wfm.simulate` in steady overload (the storm's intervals, load 1.04 to 2.7 times the
    agents, tests/whatif/test_service_vs_sim.py): service level within 2 points where the routing model was 2
    to 14 points above."""
    ivl = load.interval_s
    lam = load.volume / ivl
    a = lam * load.aht
    c = np.asarray(agents, dtype=float)
    over = (a.sum(axis=0) > c + 1e-9) & (load.total > 0)
    if not over.any():
        return sl, asa, ab
    theta = np.array([1.0 / q.patience_s if q.patience_s else 0.0 for q in load.queues])
    k = len(load.queues)
    if load.routing == "objective" and load.weights is not None:
        b = np.asarray(load.weights, dtype=float)
    elif load.routing == "priority" and k > 1:
        b = 1e-3 ** np.arange(k, dtype=float)  # strict priority: the queues above emptied first
    else:
        b = np.ones(k)
    w = _fluid_waits(a[:, over], theta, b, c[over])
    th = theta[:, None]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f_ab = np.where(np.isfinite(w), -np.expm1(-th * w), np.where(th > 0, 1.0, 0.0))
        lam_o = lam[:, over]
        mass = lam_o * np.where(th > 0, -np.expm1(-th * w) / np.where(th > 0, th, 1.0), w)  # callers waiting
        finite = np.where(np.isfinite(mass), mass, 0.0)
        theta_w = (th * finite).sum(axis=0) / np.maximum(finite.sum(axis=0), 1e-300)
        w_pool = np.log(a[:, over].sum(axis=0) / c[over]) / theta_w
        scaled_t = np.array([float(q.answer_within_s) for q in load.queues])[:, None] * w_pool[None] / w
        scaled_t = np.where(np.isfinite(scaled_t) & (w > 0), scaled_t, np.where(w > 0, 0.0, np.inf))
        total = load.total[over]
        aht = (load.volume * load.aht).sum(axis=0)[over] / total
        pat = np.where(theta_w > 0, 1.0 / np.where(theta_w > 0, theta_w, 1.0), np.nan)
        f_sl = np.stack([
            np.where(np.isfinite(scaled_t[j]),
                     erlang.evaluate(total, aht, ivl, c[over], np.where(np.isfinite(scaled_t[j]), scaled_t[j], 0.0),
                                     pat).service_level, 1.0)
            for j in range(k)
        ])
    calls = load.volume[:, over] > 0
    sl, asa, ab = sl.copy(), asa.copy(), ab.copy()
    sl[:, over] = np.where(calls, np.minimum(sl[:, over], np.nan_to_num(f_sl, nan=0.0)), sl[:, over])
    ab[:, over] = np.where(calls, np.maximum(ab[:, over], f_ab), ab[:, over])
    # a queue without patience whose calls alone fill the agents waits without end in steady state; its ASA is
    # counted as the interval's length (its callers wait at least into the next interval), not infinity
    asa[:, over] = np.where(calls, np.maximum(asa[:, over], np.minimum(w, ivl)), asa[:, over])
    return sl, asa, ab


def _fluid_waits(a: np.ndarray, theta: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The fluid head waits ``w_k = u / b_k`` (queues, intervals) for offered erlangs ``a`` above the agents
    ``c``: ``sum_k a_k exp(-theta_k u / b_k) = c`` (bisection); inf where the queues without patience alone
    fill the agents."""
    rate = (theta / b)[:, None]

    def answered(u: np.ndarray) -> np.ndarray:
        return (a * np.exp(-rate * u[None])).sum(axis=0)

    never = (a * (rate == 0)).sum(axis=0) >= c
    lo, hi = np.zeros(c.shape), np.ones(c.shape)
    for _ in range(200):
        grow = ~never & (answered(hi) > c)
        if not grow.any():
            break
        hi = np.where(grow, hi * 2.0, hi)
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        big = answered(mid) > c
        lo, hi = np.where(big, mid, lo), np.where(big, hi, mid)
    u = np.where(never, np.inf, 0.5 * (lo + hi))
    return u[None] / b[:, None]


def _abandoned(vol: np.ndarray, ab: np.ndarray, patient: np.ndarray) -> np.ndarray:
    """Abandoned calls per interval of the queues with a patience; NaN when none has one."""
    if not patient.any():
        return np.full(vol.shape[1], np.nan)
    return (vol * ab)[patient].sum(axis=0)


def _per_call(vol: np.ndarray, per_queue: np.ndarray) -> np.ndarray:
    total = vol.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = (vol * np.where(vol > 0, per_queue, 0.0)).sum(axis=0) / total
    return np.where(total > 0, weighted, per_queue[0])


def _by_queue(plan: WhatifBase, names: list[str], vol: np.ndarray, sl: np.ndarray, ab: np.ndarray,
              patient: np.ndarray) -> pd.DataFrame:
    """Per day and queue: calls, service level and abandoned calls (NaN, n/a, for a queue without patience)."""
    day = plan.day_of
    rows = []
    for d in range(int(day.max()) + 1 if day.size else 0):
        mine = day == d
        for j, name in enumerate(names):
            v = vol[j, mine]
            calls = float(v.sum())
            rows.append({
                "date": plan.dates[d].strftime("%Y-%m-%d"), "queue": name, "calls": calls,
                "service_level": float((v * sl[j, mine]).sum() / calls) if calls > 0 else 1.0,
                "abandoned": float((v * ab[j, mine]).sum()) if patient[j] else float("nan"),
            })
    return pd.DataFrame(rows, columns=["date", "queue", "calls", "service_level", "abandoned"])


def _aggregate(g: pd.DataFrame, answered: np.ndarray, with_date: bool = False) -> dict[str, Any]:
    calls = float(g["volume"].sum())
    sl = float((g["volume"] * g["service_level"]).sum() / calls) if calls > 0 else 1.0
    ans = float(answered.sum())
    asa_x = g["asa"].to_numpy() * np.where(answered > 0, answered, 1.0)  # inf x 0 is no wait, not NaN
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

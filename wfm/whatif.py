"""What-if runs (``wfm whatif``): shocks to the plan, their impact on the published roster, and the cheapest
recovery with the levers a centre really pulls.

Pipeline for each scenario (the baseline is the scenario with no shocks and no levers):

1. **Shock the forecast** (:func:`apply_shocks`): volume x multiplier (or + added calls) and AHT x multiplier
   over a window, per queue or all, with a linear ramp-up before the window and a linear decay after it.
2. **Size it** with the centre's targets (:func:`wfm.staffing.staff`): ``required`` per interval is the
   number of rostered agents needed (the queues' ``scheduled``, summed), exactly as for a roster.
3. **Impact on the published roster as it stands** (:func:`evaluate_cover`): on-phone agents per interval
   (on shift, not on a break) x (1 - absence share of the shift's day), capped by the seats left by a
   capacity cut. Service level and ASA are the staff group's (queues pooled, as for a roster); abandoned
   calls come from Erlang A per queue where the queue has a patience, with the on-phone agents shared
   between the queues as planned (in proportion to their offered load in the baseline forecast). An
   interval is **short** when its on-phone agents are below ``required``.
4. **Recovery** (:func:`recover`): a MILP (PuLP + HiGHS) picks how much of each lever to use, per interval
   or day, within each lever's limits: first it minimises the agent-intervals still short (so every interval
   the levers can reach is restored), then, holding that, the total cost. Levers:

   - ``back_office``: back-office people on the phones within daily hours, each counting as
     ``1 / handle_time_factor`` of an agent, at most ``max_hours_per_day`` each;
   - ``rest_days``: cancelled rest days, each an extra full shift (a template of the lever's contract) on a
     day off, limited per day by the agents off that day and over the plan by
     ``agents x (per_month - floor) x days / 30``;
   - ``overtime``: published shifts extended before the start or after the end, at most
     ``max_hours_per_day`` per agent and ``max_hours_per_week`` per agent (on the team's total per 7-day
     block);
   - ``agency``: up to ``max_agents`` extra agents at once within daily hours;
   - ``reoptimise``: re-roster the same agents (:func:`wfm.roster.roster`, whole cyclic weeks) for the
     shocked forecast and use the new shifts from ``from_day`` on, at ``cost_per_changed_shift`` per shift
     added or dropped; the levers then run on it, and the better of keeping and re-rostering wins (fewest
     agent-intervals short, then cost).

   Every lever person on the phones takes a seat: a capacity cut limits levers too. Back office, agency and
   overtime are hours (people on the phones per interval may be fractional: an average over the interval);
   cancelled rest days are whole shifts. Stage 2 starts from stage 1's plan.
5. **Ratio** while back office is on the phones: :func:`wfm.ratio.move_to_phones` with the peak number of
   back-office people on the phones at once.

Deterministic: the same inputs give the same plan (HiGHS branch and bound is deterministic), however many worker processes
run the scenarios of a sweep.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pulp
from tabulate import tabulate

from wfm import erlang
from wfm import ratio as ratio_mod
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InfeasibleRoster, InputError
from wfm.io import json_number
from wfm.milp import largest_remainder, solve_highs
from wfm.roster.rows import RosterRows, parse_roster_rows, rostered_per_interval
from wfm.scenario import (
    LEVERS,
    AbsenceShock,
    Scenario,
    VolumeShock,
    back_office_available,
    clock_minutes,
    parse_when,
    validate,
    window_bounds,
)
from wfm.staffing import group_service_level, staff, staffing_requirement, worst_interval

ROSTER_COLUMNS = ["agent_id", "contract", "date", "shift", "start", "end", "breaks"]
LEVER_LABELS = {
    "back_office": "back office",
    "rest_days": "rest days",
    "overtime": "overtime",
    "agency": "agency",
    "reoptimise": "re-roster",
}
SWEEP_KEYS = ("volume", "aht", "absence")
_EPS = 1e-4  # agents: below this a shortfall is solver tolerance, not a gap
_CLOCK = re.compile(r"^\d{1,2}:\d{2}$")


# =========================================================================== the plan
@dataclass(frozen=True)
class Plan:
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


def make_plan(
    config: CentreConfig, forecast: pd.DataFrame, roster: pd.DataFrame, source: str = "roster"
) -> Plan:
    """Check and align the forecast (``timestamp,queue,volume[,aht]``) and roster (roster.csv columns).

    The grid runs from the forecast's first to its last interval; missing queue-intervals have no calls.
    """
    ivl = config.centre.interval_minutes
    missing = [c for c in ("timestamp", "queue", "volume") if c not in forecast.columns]
    if missing:
        raise InputError(f"forecast is missing column(s) {', '.join(missing)}")
    if forecast.empty:
        raise InputError("forecast has no rows")
    fc = forecast.copy()
    fc["timestamp"] = pd.to_datetime(fc["timestamp"]).astype("datetime64[ns]")
    fc["queue"] = fc["queue"].astype(str)
    fc["volume"] = pd.to_numeric(fc["volume"], errors="coerce").astype(float)
    if "aht" not in fc.columns:
        fc["aht"] = np.nan
    fc["aht"] = pd.to_numeric(fc["aht"], errors="coerce").astype(float)
    unknown = sorted(set(fc["queue"]) - set(config.queue_names))
    if unknown:
        raise InputError(f"forecast has unknown queue {unknown[0]!r} (the config has: {', '.join(config.queue_names)})")
    if fc["volume"].isna().any() or (fc["volume"] < 0).any():
        raise InputError("forecast volume must be a non-negative number in every row")
    grid = pd.date_range(fc["timestamp"].min(), fc["timestamp"].max(), freq=f"{ivl}min")
    queues = [q for q in config.queue_names if q in set(fc["queue"])]
    full = pd.MultiIndex.from_product([grid, queues], names=["timestamp", "queue"])
    fc = fc.drop_duplicates(["timestamp", "queue"], keep="last").set_index(["timestamp", "queue"])
    fc = fc[["volume", "aht"]].reindex(full).reset_index()
    fc["volume"] = fc["volume"].fillna(0.0)
    default_aht = fc["queue"].map({q.name: float(q.aht_s) for q in config.queues})
    fc["aht"] = fc["aht"].where(np.isfinite(fc["aht"]) & (fc["aht"] > 0), default_aht)
    shifts = parse_roster(roster, source)
    return Plan(config, fc, shifts, roster, pd.DatetimeIndex(grid), ivl)


def parse_roster(roster: pd.DataFrame, source: str = "roster") -> RosterRows:
    """roster.csv rows -> :class:`wfm.roster.rows.RosterRows` (errors name the row's line and field)."""
    return parse_roster_rows(roster, source, required=("agent_id", "contract", "date", "start", "end"))


def _index(ts: np.ndarray, plan: Plan) -> np.ndarray:
    """Interval index of each timestamp on the plan's grid (may fall outside 0..T)."""
    delta = (np.asarray(ts, dtype="datetime64[ns]") - plan.start.to_datetime64()).astype("timedelta64[m]")
    return np.floor(delta.astype(np.int64) / plan.interval_minutes).astype(np.int64)


def on_phone(plan: Plan, row_weight: np.ndarray | None = None) -> np.ndarray:
    """Agents on the phones per interval of the plan: on shift and not on a break (x ``row_weight``).

    The roster is cyclic (as :mod:`wfm.roster` builds it): time past the plan's end wraps to its start.
    """
    w = np.ones(len(plan.shifts)) if row_weight is None else np.asarray(row_weight, dtype=float)
    return rostered_per_interval(plan.shifts, plan.start, len(plan.timestamps), plan.interval_minutes, w)


# =========================================================================== shocks
def shock_shape(
    timestamps: pd.DatetimeIndex, start: pd.Timestamp, end: pd.Timestamp, ramp_up_hours: float, decay_hours: float
) -> np.ndarray:
    """Strength of a shock per interval, 0..1: 1 inside ``[start, end)``, rising linearly over the
    ``ramp_up_hours`` before ``start`` and falling linearly over the ``decay_hours`` after ``end``."""
    t = (timestamps - start) / pd.Timedelta(hours=1)
    after = (timestamps - end) / pd.Timedelta(hours=1)
    t, after = np.asarray(t, dtype=float), np.asarray(after, dtype=float)
    out = np.where((t >= 0) & (after < 0), 1.0, 0.0)
    if ramp_up_hours > 0:
        rising = (t < 0) & (t >= -ramp_up_hours)
        out = np.where(rising, 1.0 + t / ramp_up_hours, out)
    if decay_hours > 0:
        falling = (after >= 0) & (after < decay_hours)
        out = np.where(falling, 1.0 - after / decay_hours, out)
    return out


@dataclass(frozen=True)
class Shocked:
    """A scenario's shocks resolved on the plan's grid."""

    forecast: pd.DataFrame  # timestamp, queue, volume, aht
    absence: np.ndarray  # share absent per plan date (len = days)
    seats: np.ndarray  # people allowed on the phones per interval (inf where no cut)


def apply_shocks(plan: Plan, scenario: Scenario) -> Shocked:
    """The scenario's shocked forecast, absence per day and seat cap per interval (windows must be valid)."""
    fc = plan.forecast.copy()
    ts = pd.DatetimeIndex(fc["timestamp"])
    vol = fc["volume"].to_numpy(float).copy()
    aht = fc["aht"].to_numpy(float).copy()
    queue = fc["queue"].to_numpy()
    where = f"scenario {scenario.name!r}"
    for i, v in enumerate(scenario.volume):
        start, end = window_bounds(v, plan.start, plan.end, f"{where}, volume[{i}]")
        s = shock_shape(ts, start, end, v.ramp_up_hours, v.decay_hours)
        hit = (queue == v.queue) if v.queue != "all" else np.ones(len(vol), dtype=bool)
        if v.multiplier is not None:
            vol = np.where(hit, vol * (1.0 + (v.multiplier - 1.0) * s), vol)
        else:
            vol = np.where(hit, vol + v.added_calls * s, vol)
    for i, a in enumerate(scenario.aht):
        start, end = window_bounds(a, plan.start, plan.end, f"{where}, aht[{i}]")
        s = shock_shape(ts, start, end, a.ramp_up_hours, a.decay_hours)
        hit = (queue == a.queue) if a.queue != "all" else np.ones(len(vol), dtype=bool)
        aht = np.where(hit, aht * (1.0 + (a.multiplier - 1.0) * s), aht)
    out = pd.DataFrame({"timestamp": fc["timestamp"], "queue": fc["queue"], "volume": vol, "aht": aht})
    dates = plan.dates
    present = np.ones(len(dates))
    for i, ab in enumerate(scenario.absence):
        start, end = window_bounds(ab, plan.start, plan.end, f"{where}, absence[{i}]")
        hit = (dates >= start.normalize()) & (dates < end)
        present = np.where(hit, present * (1.0 - ab.share), present)
    seats = np.full(len(plan.timestamps), np.inf)
    for i, c in enumerate(scenario.capacity):
        start, end = window_bounds(c, plan.start, plan.end, f"{where}, capacity[{i}]")
        hit = (plan.timestamps >= start) & (plan.timestamps < end)
        seats = np.where(hit, np.minimum(seats, c.seats), seats)
    return Shocked(out, 1.0 - present, seats)


def _row_presence(plan: Plan, absence: np.ndarray) -> np.ndarray:
    day = ((plan.shifts.date - plan.start.normalize().to_datetime64()) // np.timedelta64(1, "D")).astype(np.int64)
    inside = (day >= 0) & (day < len(absence))
    return np.where(inside, 1.0 - absence[np.clip(day, 0, len(absence) - 1)], 1.0)


# =========================================================================== impact
@dataclass
class Impact:
    """Service on the phones per interval, per day and overall.

    intervals: ``timestamp, volume, required, on_phone, service_level, asa, abandoned, short``
    days:      ``date, calls, service_level, asa, abandoned, worst_interval, worst_service_level, short_intervals``
    """

    intervals: pd.DataFrame
    days: pd.DataFrame
    calls: float
    service_level: float
    asa: float
    abandoned: float
    worst_interval: str
    worst_service_level: float
    short_intervals: int

    def summary(self) -> dict[str, Any]:
        return {
            "calls": round(self.calls, 1),
            "service_level": round(self.service_level, 4),
            "asa": _num(self.asa, 1),
            "abandoned": round(self.abandoned, 1),
            "worst_interval": self.worst_interval,
            "worst_service_level": round(self.worst_service_level, 4),
            "short_intervals": self.short_intervals,
        }


def _load_shares(load: np.ndarray) -> np.ndarray:
    total = load.sum(axis=1)
    return np.divide(load, total[:, None], out=np.zeros_like(load), where=total[:, None] > 0)


def _queue_matrix(frame: pd.DataFrame, plan: Plan, queues: list) -> tuple[np.ndarray, np.ndarray]:
    n_t = len(plan.timestamps)
    vol = np.zeros((n_t, len(queues)))
    aht = np.ones((n_t, len(queues)))
    for j, q in enumerate(queues):
        rows = frame[frame["queue"] == q.name]
        idx = _index(pd.DatetimeIndex(rows["timestamp"]).to_numpy(), plan)
        vol[idx, j] = rows["volume"].to_numpy(float)
        aht[idx, j] = rows["aht"].to_numpy(float)
    return vol, aht


def evaluate_cover(
    staffing: pd.DataFrame, on_phone_agents: np.ndarray, required: np.ndarray, plan: Plan
) -> Impact:
    """Service level, ASA and abandoned calls per interval with ``on_phone_agents`` (rostered, before shrinkage).

    Service level and ASA are the staff group's, as for a roster (:func:`wfm.staffing.group_service_level`:
    the queues pooled into one, shrinkage applied). Abandoned calls are counted per queue with Erlang A where
    the queue has a patience (none where it has not): the on-phone agents, less each queue's shrinkage, are
    shared between the queues as planned, in proportion to each queue's offered load in the plan's baseline
    forecast (the shocked one where the baseline has no calls; whole agents, largest remainder), so more calls
    on one queue never lighten another's. ``short``: fewer on the phones than ``required``.
    """
    cfg = plan.config
    queues = [q for q in cfg.queues if q.name in set(staffing["queue"])]
    vol, aht = _queue_matrix(staffing, plan, queues)
    pv, pa = _queue_matrix(plan.forecast, plan, queues)
    planned = pv * pa
    share = np.where(planned.sum(axis=1)[:, None] > 0, _load_shares(planned), _load_shares(vol * aht))
    keep = np.array([1.0 - q.shrinkage for q in queues])
    agents = largest_remainder(np.maximum(on_phone_agents, 0.0)[:, None] * share * keep[None, :])
    ab = np.zeros_like(vol)
    ivl_s = 60.0 * plan.interval_minutes
    for j, q in enumerate(queues):
        if q.patience_s:
            m = erlang.evaluate(vol[:, j], aht[:, j], ivl_s, agents[:, j], q.answer_within_s, q.patience_s)
            ab[:, j] = m.abandon_rate
    abandoned = (vol * ab).sum(axis=1)
    calls = vol.sum(axis=1)
    pooled = group_service_level(
        staffing, pd.Series(np.maximum(on_phone_agents, 0.0), index=plan.timestamps), cfg, plan.interval_minutes
    )
    sl_t = np.where(calls > 0, pooled["service_level"].to_numpy(float), 1.0)
    asa_t = np.where(calls > 0, pooled["asa"].to_numpy(float), 0.0)
    answered = np.maximum(calls - abandoned, 0.0)
    short = on_phone_agents < required - _EPS
    intervals = pd.DataFrame(
        {
            "timestamp": plan.timestamps,
            "volume": calls,
            "required": required.astype(np.int64),
            "on_phone": np.round(on_phone_agents, 4),
            "service_level": sl_t,
            "asa": asa_t,
            "abandoned": abandoned,
            "short": short,
        }
    )
    day = intervals["timestamp"].dt.normalize()
    rows = []
    for d, g in intervals.groupby(day, sort=True):
        rows.append({"date": d.strftime("%Y-%m-%d"), **_aggregate(g, answered[g.index.to_numpy()])})
    days = pd.DataFrame(rows)
    overall = _aggregate(intervals, answered, with_date=True)
    return Impact(intervals=intervals, days=days, **overall)


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
        "abandoned": float(g["abandoned"].sum()),
        "worst_interval": worst_ts,
        "worst_service_level": worst_sl,
        "short_intervals": int(g["short"].sum()),
    }


# =========================================================================== recovery (MILP)
@dataclass
class Recovery:
    """The least-cost use of the levers.

    status:      ``not_needed`` (nothing short), ``no_levers``, ``optimal`` or ``time_limit`` (best found)
    usage:       per interval: ``timestamp`` + agents on the phones from each lever used (people)
    hours:       per day: ``date`` + extra paid hours per lever (+ ``rest_days_cancelled``)
    cost_by_lever: lever -> cost; ``cost`` their sum
    on_phone:    agent equivalents on the phones after recovery
    """

    status: str
    levers: list[str]
    usage: pd.DataFrame
    hours: pd.DataFrame
    cost_by_lever: dict[str, float]
    on_phone: np.ndarray
    back_office_peak: int = 0
    rest_days_cancelled: int = 0
    reoptimised: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def cost(self) -> float:
        return float(sum(self.cost_by_lever.values()))

    @property
    def hours_by_lever(self) -> dict[str, float]:
        return {k: float(self.hours[k].sum()) for k in self.levers if k in self.hours.columns}


@dataclass(frozen=True)
class _Template:
    name: str
    offsets: np.ndarray  # on-phone interval offsets from the shift start
    starts: list[int]  # start minutes after midnight
    paid_hours: float


def _templates(config: CentreConfig, contract: str, ivl: int) -> list[_Template]:
    out = []
    for s in config.shifts:
        if contract not in s.contracts:
            continue
        n = s.length_minutes // ivl
        mask = np.ones(n, dtype=bool)
        unpaid = 0
        for b in s.breaks:
            w0, w1 = clock_minutes(b.window[0]), clock_minutes(b.window[1])
            at = w0 + max((w1 - w0) - b.minutes, 0) // 2
            mask[at // ivl : min(n, -(-(at + b.minutes) // ivl))] = False
            unpaid += 0 if b.paid else b.minutes
        lo, hi = clock_minutes(s.start[0]), clock_minutes(s.start[1])
        out.append(
            _Template(s.name, np.flatnonzero(mask), list(range(lo, hi + 1, s.start_step_minutes)),
                      (s.length_minutes - unpaid) / 60.0)
        )
    return out


def _in_hours(plan: Plan, hours: tuple[str, str]) -> np.ndarray:
    mins = plan.timestamps.hour * 60 + plan.timestamps.minute
    lo, hi = clock_minutes(hours[0]), clock_minutes(hours[1])
    mins = np.asarray(mins)
    return (mins >= lo) & (mins < hi) if lo < hi else (mins >= lo) | (mins < hi)


def recover(
    plan: Plan,
    scenario: Scenario,
    required: np.ndarray,
    base: np.ndarray,
    absence: np.ndarray,
    seats: np.ndarray,
    *,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
) -> Recovery:
    """Least-cost lever use restoring ``required`` on-phone agents wherever the levers can reach.

    ``base`` is on-phone agents per interval after absence and the seat cap; ``seats`` the people allowed on
    the phones (inf where no cut). Stage 1 minimises the agent-intervals still short, stage 2 the cost with
    that shortfall held. Raises InfeasibleRoster when the solver returns no plan at all.
    """
    lv = scenario.levers
    names = [n for n in lv.names if n != "reoptimise"]
    n_t = len(plan.timestamps)
    h = plan.hours
    deficit = required - base > _EPS
    day_of = np.asarray(((plan.timestamps.normalize() - plan.start.normalize()) // pd.Timedelta(days=1)), dtype=np.int64)
    n_days = len(plan.dates)
    zero = {k: np.zeros(n_t) for k in names}
    empty_hours = pd.DataFrame({"date": [d.strftime("%Y-%m-%d") for d in plan.dates]})
    for k in names:
        empty_hours[k] = 0.0

    def result(status: str, use: dict[str, np.ndarray], cover: np.ndarray, hours: pd.DataFrame,
               cost: dict[str, float], peak: int = 0, cancelled: int = 0) -> Recovery:
        usage = pd.DataFrame({"timestamp": plan.timestamps, **{k: np.round(use[k], 6) for k in names}})
        return Recovery(status, names, usage, hours, cost, cover, peak, cancelled)

    if not deficit.any():
        return result("not_needed", zero, base.copy(), empty_hours, dict.fromkeys(names, 0.0))
    if not names:
        return result("no_levers", zero, base.copy(), empty_hours, {})

    prob_vars: list[tuple[str, pulp.LpVariable, float, dict[int, float], dict[int, float]]] = []
    # (lever, var, cost, {t: cover}, {t: people})
    constraints: list[pulp.LpConstraint] = []
    integer = "Integer"  # cancelled rest days are whole shifts
    hours_var = "Continuous"  # back office, agency, overtime: people on the phones, averaged over an interval

    if lv.back_office is not None:
        bo = lv.back_office
        people = back_office_available(bo, plan.config)
        allowed = _in_hours(plan, bo.hours) & deficit
        per_day: dict[int, list[pulp.LpVariable]] = {}
        if people > 0:
            for t in np.flatnonzero(allowed):
                v = pulp.LpVariable(f"bo_{t}", 0, people, cat=hours_var)
                prob_vars.append(("back_office", v, bo.cost_per_hour * h, {t: 1.0 / bo.handle_time_factor}, {t: 1.0}))
                per_day.setdefault(int(day_of[t]), []).append(v)
        for _d, vs in per_day.items():
            if bo.max_hours_per_day * people < len(vs) * h * people:
                constraints.append(pulp.lpSum(vs) * h <= bo.max_hours_per_day * people)

    if lv.agency is not None and lv.agency.max_agents > 0:
        ag = lv.agency
        for t in np.flatnonzero(_in_hours(plan, ag.hours) & deficit):
            v = pulp.LpVariable(f"agency_{t}", 0, ag.max_agents, cat=hours_var)
            prob_vars.append(("agency", v, ag.cost_per_hour * h, {t: 1.0 / ag.handle_time_factor}, {t: 1.0}))

    if lv.overtime is not None:
        ot = lv.overtime
        k_max = int(math.floor(ot.max_hours_per_day * 60 / plan.interval_minutes + 1e-9))
        s = plan.shifts
        if k_max > 0 and len(s):
            presence = _row_presence(plan, absence)
            grp = pd.DataFrame({"start": s.start, "end": s.end, "date": s.date, "w": presence, "agent": s.agent_id})
            block = ((grp["date"] - plan.start.normalize()) // pd.Timedelta(days=1)) // 7
            grp["block"] = block.to_numpy()
            agents_in_block = grp.groupby("block")["agent"].nunique()
            weekly: dict[int, list[pulp.LpVariable]] = {}
            for gi, ((st, en, blk), g) in enumerate(grp.groupby(["start", "end", "block"], sort=True)):
                n_g = int(math.floor(g["w"].sum() + 1e-9))
                if n_g <= 0:
                    continue
                i0 = int(_index(np.array([st], dtype="datetime64[ns]"), plan)[0])
                i1 = int(_index(np.array([en], dtype="datetime64[ns]"), plan)[0])
                pre_t = [i0 - k for k in range(1, k_max + 1)]
                post_t = [i1 + k - 1 for k in range(1, k_max + 1)]
                pre_t = [t for t in pre_t if 0 <= t < n_t]
                post_t = [t for t in post_t if 0 <= t < n_t] if i1 >= 0 else []
                # only as deep as the deepest interval that is short
                pre_d = max([k + 1 for k, t in enumerate(pre_t) if deficit[t]], default=0)
                post_d = max([k + 1 for k, t in enumerate(post_t) if deficit[t]], default=0)
                pre_v, post_v = [], []
                for k in range(pre_d):
                    t = pre_t[k]
                    v = pulp.LpVariable(f"ot_pre_{gi}_{k}", 0, n_g, cat=hours_var)
                    prob_vars.append(("overtime", v, ot.cost_per_hour * h, {t: 1.0}, {t: 1.0}))
                    pre_v.append(v)
                for k in range(post_d):
                    t = post_t[k]
                    v = pulp.LpVariable(f"ot_post_{gi}_{k}", 0, n_g, cat=hours_var)
                    prob_vars.append(("overtime", v, ot.cost_per_hour * h, {t: 1.0}, {t: 1.0}))
                    post_v.append(v)
                for chain in (pre_v, post_v):
                    for a, b in zip(chain[1:], chain[:-1], strict=False):
                        constraints.append(a <= b)  # a deeper extension needs the shallower one
                # per agent per day: (pre depth) + (post depth) <= k_max
                for k in range(1, k_max + 1):
                    a = pre_v[k - 1] if k - 1 < len(pre_v) else None
                    j = k_max + 1 - k
                    b = post_v[j - 1] if j - 1 < len(post_v) else None
                    if a is not None and b is not None:
                        constraints.append(a + b <= n_g)
                weekly.setdefault(int(blk), []).extend(pre_v + post_v)
            for blk, vs in weekly.items():
                cap = ot.max_hours_per_week * int(agents_in_block.get(blk, 0))
                if vs and cap < len(vs) * h * 1e9:
                    constraints.append(pulp.lpSum(vs) * h <= cap)

    cancelled_vars: list[tuple[int, pulp.LpVariable, float]] = []
    if lv.rest_days is not None:
        rd = lv.rest_days
        s = plan.shifts
        ft = s.contract == rd.contract
        ft_agents = np.unique(s.agent_id[ft])
        n_ft = len(ft_agents)
        total_cap = int(math.floor(n_ft * (rd.per_month - rd.floor) * n_days / 30.0 + 1e-9))
        templates = _templates(plan.config, rd.contract, plan.interval_minutes)
        if not templates and n_ft:
            raise ConfigError(
                f"scenario {scenario.name!r}, levers.rest_days: no shift template for contract {rd.contract!r}"
            )
        if total_cap > 0:
            dates = plan.dates
            day_vars: dict[int, list[pulp.LpVariable]] = {}
            for d, date in enumerate(dates):
                working = np.unique(s.agent_id[ft & (s.date == date.to_datetime64())])
                off = int(math.floor((n_ft - len(working)) * (1.0 - absence[d]) + 1e-9))
                if off <= 0:
                    continue
                d0 = int(_index(np.array([date.to_datetime64()], dtype="datetime64[ns]"), plan)[0])
                for tpl in templates:
                    for m in tpl.starts:
                        ts = d0 + m // plan.interval_minutes + tpl.offsets
                        ts = ts[(ts >= 0) & (ts < n_t)]
                        if not deficit[ts].any():
                            continue
                        v = pulp.LpVariable(f"rest_{d}_{tpl.name}_{m}", 0, off, cat=integer)
                        cov = {int(t): 1.0 for t in ts}
                        prob_vars.append(("rest_days", v, rd.cost_per_hour * tpl.paid_hours, cov, dict(cov)))
                        day_vars.setdefault(d, []).append(v)
                        cancelled_vars.append((d, v, tpl.paid_hours))
                if d in day_vars:
                    constraints.append(pulp.lpSum(day_vars[d]) <= off)
            all_rest = [v for vs in day_vars.values() for v in vs]
            if all_rest:
                constraints.append(pulp.lpSum(all_rest) <= total_cap)

    if not prob_vars:
        return result("optimal", zero, base.copy(), empty_hours, dict.fromkeys(names, 0.0))

    cover_terms: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    people_terms: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    for _lever, v, _c, cov, ppl in prob_vars:
        for t, c in cov.items():
            cover_terms.setdefault(t, []).append((v, c))
        for t, c in ppl.items():
            people_terms.setdefault(t, []).append((v, c))
    short = {int(t): pulp.LpVariable(f"short_{t}", 0) for t in np.flatnonzero(deficit)}
    body: list[pulp.LpConstraint] = list(constraints)
    for t, sv in short.items():
        body.append(pulp.lpSum(c * v for v, c in cover_terms.get(t, [])) + sv >= float(required[t] - base[t]))
    for t, terms in people_terms.items():
        if np.isfinite(seats[t]):
            room = max(float(seats[t]) - float(base[t]), 0.0)
            body.append(pulp.lpSum(c * v for v, c in terms) <= math.floor(room + 1e-9))

    def solve(
        objective: Any, extra: list[pulp.LpConstraint], rel_gap: float, start: dict[str, float] | None = None
    ) -> tuple[str, pulp.LpProblem]:
        prob = pulp.LpProblem("recovery", pulp.LpMinimize)
        prob += objective
        for i, c in enumerate(body + extra):
            prob += c, f"c{i}"
        res = solve_highs(prob, time_limit_s=time_limit_s, gap=rel_gap, start=start)
        if not res.has_solution:  # every lever at zero is feasible, so this is a solver failure
            raise InfeasibleRoster(f"scenario {scenario.name!r}: the recovery solver returned no plan ({res.status})")
        return ("optimal" if res.optimal else "time_limit"), prob

    shortfall = pulp.lpSum(short.values())
    status1, _ = solve(shortfall, [], min(gap, 1e-6))
    s1 = sum(float(v.varValue or 0.0) for v in short.values())
    first = {v.name: float(v.varValue or 0.0) for _l, v, _c, _cov, _p in prob_vars}
    first.update({v.name: float(v.varValue or 0.0) for v in short.values()})
    cost_expr = pulp.lpSum(c * v for _l, v, c, _cov, _p in prob_vars)
    # stage 2 starts from stage 1's plan, which already holds the shortfall
    status2, _ = solve(cost_expr, [shortfall <= s1 + 1e-9 * max(1.0, s1) + 1e-9], gap, first)
    status = "optimal" if status1 == status2 == "optimal" else "time_limit"

    use = {k: np.zeros(n_t) for k in names}
    cover = base.copy()
    cost = dict.fromkeys(names, 0.0)
    hours = empty_hours.copy()
    for lever, v, c, cov, ppl in prob_vars:
        x = float(v.varValue or 0.0)
        x = float(round(x)) if v.cat == "Integer" else round(x, 6)
        if x <= 1e-9:
            continue
        cost[lever] += c * x
        for t, cf in cov.items():
            cover[t] += cf * x
        for t, p in ppl.items():
            use[lever][t] += p * x
    for k in names:
        if k == "rest_days":
            continue
        per_day = np.bincount(day_of, weights=use[k] * h, minlength=n_days)
        hours[k] = np.round(per_day, 4)
    cancelled = 0
    if "rest_days" in names:
        per_day = np.zeros(n_days)
        count = np.zeros(n_days, dtype=np.int64)
        for d, v, paid in cancelled_vars:
            x = int(round(v.varValue or 0.0))
            per_day[d] += x * paid
            count[d] += x
        hours["rest_days"] = np.round(per_day, 4)
        hours["rest_days_cancelled"] = count
        cancelled = int(count.sum())
    peak = int(math.ceil(use["back_office"].max() - 1e-6)) if "back_office" in names else 0
    cost = {k: round(v, 4) for k, v in cost.items()}
    return result(status, use, cover, hours, cost, peak, cancelled)


# =========================================================================== one scenario
@dataclass
class ScenarioResult:
    """Baseline or one scenario: impact before recovery, the recovery and the impact after it."""

    name: str
    before: Impact
    after: Impact
    recovery: Recovery
    ratio: ratio_mod.RatioResult | None = None
    sweep: dict[str, float] | None = None

    @property
    def breached(self) -> bool:
        """True when some interval is still short after recovery."""
        return self.after.short_intervals > 0

    def to_dict(self, detail: bool = True) -> dict[str, Any]:
        rec = self.recovery
        out: dict[str, Any] = {
            "name": self.name,
            "before": self.before.summary(),
            "after": self.after.summary(),
            "recovery": {
                "status": rec.status,
                "levers": rec.levers,
                "cost": round(rec.cost, 2),
                "cost_by_lever": {k: round(v, 2) for k, v in rec.cost_by_lever.items()},
                "hours_by_lever": {k: round(v, 2) for k, v in rec.hours_by_lever.items()},
                "back_office_peak": rec.back_office_peak,
                "rest_days_cancelled": rec.rest_days_cancelled,
                "reoptimised": rec.reoptimised,
                "notes": rec.notes,
            },
            "breached": self.breached,
        }
        if self.sweep:
            out["sweep"] = self.sweep
        if detail:
            out["days"] = _day_records(self)
            out["recovery"]["hours"] = _frame_records(rec.hours)
            out["still_short"] = [
                f"{t:%Y-%m-%d %H:%M}" for t in self.after.intervals.loc[self.after.intervals["short"], "timestamp"]
            ]
        if self.ratio is not None:
            out["ratio"] = self.ratio.to_dict()
        return out


def run_scenario(
    plan: Plan,
    scenario: Scenario,
    *,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
    sweep: dict[str, float] | None = None,
) -> ScenarioResult:
    """Shock, size, evaluate the published roster, recover, evaluate again, and the ratio while redeployed."""
    shocked = apply_shocks(plan, scenario)
    staffing = staff(shocked.forecast, plan.config, plan.interval_minutes)
    req = staffing_requirement(staffing, plan.config).set_index("timestamp")["scheduled"]
    required = req.reindex(plan.timestamps).fillna(0).to_numpy(float)
    present = _row_presence(plan, shocked.absence)
    base = np.minimum(on_phone(plan, present), shocked.seats)
    before = evaluate_cover(staffing, base, required, plan)
    rec = recover(plan, scenario, required, base, shocked.absence, shocked.seats, time_limit_s=time_limit_s, gap=gap)
    rec = _maybe_reoptimise(plan, scenario, staffing, required, shocked, rec, time_limit_s=time_limit_s, gap=gap)
    after = before if rec.status in ("not_needed", "no_levers") else evaluate_cover(staffing, rec.on_phone, required, plan)
    ratio_result = None
    if scenario.levers.back_office is not None and rec.back_office_peak > 0:
        ratio_result = redeploy_ratio(plan, rec.back_office_peak)
    return ScenarioResult(scenario.name, before, after, rec, ratio_result, sweep)


def redeploy_ratio(plan: Plan, moved: int) -> ratio_mod.RatioResult:
    """Front-line : back-office ratio with ``moved`` back-office people on the phones (front line from the roster)."""
    front = ratio_mod.front_line_from_roster(plan.roster, plan.config)
    return ratio_mod.move_to_phones(plan.config, moved, front_line=front, basis="headcount")


def _as_strings(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for c in out.columns:
        if c == "_line":
            continue
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            fmt = "%Y-%m-%d" if c == "date" else "%Y-%m-%d %H:%M"
            out[c] = out[c].dt.strftime(fmt)
        else:
            out[c] = out[c].astype(str)
    return out


def _maybe_reoptimise(
    plan: Plan, scenario: Scenario, staffing: pd.DataFrame, required: np.ndarray, shocked: Shocked,
    kept: Recovery, *, time_limit_s: float, gap: float,
) -> Recovery:
    lever = scenario.levers.reoptimise
    if lever is None or not lever.enabled or kept.status == "not_needed":
        return kept
    try:
        from wfm import roster as roster_mod
    except ImportError:  # pragma: no cover - the roster stage ships with the package
        kept.notes.append("re-roster skipped: wfm.roster is not available")
        return kept
    first = plan.start.normalize() + pd.Timedelta(days=lever.from_day - 1)
    if first >= plan.end:
        kept.notes.append(f"re-roster skipped: from_day {lever.from_day} is after the plan")
        return kept
    # the roster stage plans whole cyclic weeks: re-roster the plan's weeks for the shocked forecast, and
    # keep the published shifts before ``first``
    weeks = max(1, math.ceil(len(plan.dates) / 7))
    agents = (
        pd.DataFrame({"agent_id": plan.shifts.agent_id, "contract": plan.shifts.contract})
        .drop_duplicates("agent_id").sort_values("agent_id").reset_index(drop=True)
    )
    try:
        new = roster_mod.roster(
            staffing, plan.config, weeks=weeks, start=plan.start.date(), agents=agents,
            time_limit_s=lever.time_limit_s, strict=False,
        )
    except Exception as exc:  # a failed re-roster leaves the published one in place
        kept.notes.append(f"re-roster skipped: {exc}")
        return kept
    old = plan.roster
    old_dates = pd.to_datetime(old["date"].astype(str))
    keep_old = old[old_dates < first]
    new_rows = new.assignments.copy()
    new_rows = new_rows[pd.to_datetime(new_rows["date"].astype(str)) >= first]
    merged = pd.concat([_as_strings(keep_old.drop(columns=["_line"], errors="ignore")), _as_strings(new_rows)],
                       ignore_index=True)
    plan2 = replace(plan, roster=merged, shifts=parse_roster(merged, "re-roster"))
    present = _row_presence(plan2, shocked.absence)
    base2 = np.minimum(on_phone(plan2, present), shocked.seats)
    rec2 = recover(plan2, scenario, required, base2, shocked.absence, shocked.seats, time_limit_s=time_limit_s, gap=gap)
    changed = _changed_shifts(old[old_dates >= first], new_rows)
    rec2.cost_by_lever["reoptimise"] = round(changed * lever.cost_per_changed_shift, 4)
    rec2.levers = rec2.levers + ["reoptimise"]
    rec2.reoptimised = True
    rec2.notes.append(f"re-rostered from {first:%Y-%m-%d}: {changed} shifts changed")
    short_kept = float(np.clip(required - kept.on_phone, 0, None).sum())
    short_new = float(np.clip(required - rec2.on_phone, 0, None).sum())
    if (short_new, rec2.cost) < (short_kept - _EPS, math.inf) or (
        abs(short_new - short_kept) <= _EPS and rec2.cost < kept.cost - _EPS
    ):
        if rec2.status in ("not_needed", "no_levers"):
            rec2.status = "optimal"
        return rec2
    kept.notes.append(f"re-roster considered (cost {rec2.cost:.1f}, {changed} shifts changed) and not chosen")
    return kept


def _changed_shifts(old: pd.DataFrame, new: pd.DataFrame) -> int:
    """Shifts moved, added or dropped: (date, start, end) slots compared as multisets (names aside)."""
    from collections import Counter

    key = ["date", "start", "end"]
    a = Counter(map(tuple, _as_strings(old[key]).to_numpy().tolist()))
    b = Counter(map(tuple, _as_strings(new[key]).to_numpy().tolist()))
    return max(sum((b - a).values()), sum((a - b).values()))


# =========================================================================== inputs (for the CLI)
def read_forecast(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read forecast.csv (``timestamp,queue,volume[,aht]``); errors name file, line and field."""
    from wfm.io import parse_numbers, parse_timestamps, read_csv

    frame = read_csv(path, required=["timestamp", "queue", "volume"])
    out = pd.DataFrame({"timestamp": parse_timestamps(frame, "timestamp", path), "queue": frame["queue"]})
    out["volume"] = parse_numbers(frame, "volume", path, min_value=0)
    out["aht"] = (
        parse_numbers(frame, "aht", path, allow_blank=True, min_value=0, exclusive_min=True)
        if "aht" in frame.columns else np.nan
    )
    return out


def read_published_roster(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read roster.csv (``agent_id,contract,date,shift,start,end,breaks``) as strings with ``_line``."""
    from wfm.io import read_csv

    frame = read_csv(path, required=["agent_id", "contract", "date", "start", "end"])
    parse_roster(frame, str(path))  # located errors now, not mid-run
    return frame


def baseline_inputs(
    config: CentreConfig,
    *,
    forecast: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    roster: pd.DataFrame | None = None,
    horizon_days: int = 7,
    roster_time_limit_s: float = 20.0,
    scenarios: Sequence[Scenario] = (),
    source: str = "<scenarios>",
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The forecast and published roster a what-if runs on: given, or built with the forecast and roster stages
    (forecast: ``week_average`` over ``history`` for ``horizon_days``; roster: :func:`wfm.roster.roster` on the
    baseline staffing, one cyclic roster for the plan's weeks). ``scenarios`` are checked against the config
    and the forecast's dates before any roster is built. Returns them with notes on what was built."""
    notes: list[str] = []
    if forecast is None:
        if history is None:
            raise InputError("give --forecast forecast.csv, or a history to forecast from (--history)")
        from wfm import forecast as fc_mod
        from wfm.history import prepare_history

        res = fc_mod.forecast(
            prepare_history(history, config), config, horizon_days, method="week_average", run_backtest=False
        )
        forecast = res.forecast
        notes.append(f"forecast: week_average, {horizon_days} days from {res.start:%Y-%m-%d}")
    if scenarios:
        ts = pd.to_datetime(forecast["timestamp"])
        end = ts.max() + pd.Timedelta(minutes=config.centre.interval_minutes)
        validate(list(scenarios), config, ts.min(), end, source)
    if roster is None:
        from wfm import roster as roster_mod

        st = staff(forecast, config)
        days = pd.to_datetime(forecast["timestamp"]).dt.normalize().nunique()
        built = roster_mod.roster(
            st, config, weeks=max(1, math.ceil(days / 7)), time_limit_s=roster_time_limit_s
        )
        roster = _as_strings(built.assignments)
        notes.append(
            f"roster: built for the baseline ({built.agents} agents, {built.status}, "
            f"time limit {roster_time_limit_s:g} s)"
        )
    return forecast, roster, notes


# =========================================================================== all scenarios, sweeps
@dataclass
class WhatIfResult:
    """The baseline, every scenario (or every sweep point), in order."""

    baseline: ScenarioResult
    scenarios: list[ScenarioResult]
    sweep_key: str | None = None
    plan_start: str = ""
    plan_end: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def breached(self) -> bool:
        return any(s.breached for s in self.scenarios)

    @property
    def exit_code(self) -> int:
        """0 when every scenario is fully recovered, 1 when some interval is still short after recovery."""
        return 1 if self.breached else 0

    def comparison(self) -> pd.DataFrame:
        """The side-by-side frame: baseline, then each scenario before and after recovery."""
        rows = [_row("baseline", "", self.baseline.before, None)]
        for s in self.scenarios:
            label = s.name if not s.sweep else f"{s.name} {self.sweep_key}={s.sweep[self.sweep_key]:g}"
            rows.append(_row(label, "as published", s.before, None))
            rows.append(_row(label, "after recovery", s.after, s.recovery))
        return pd.DataFrame(rows)

    def intervals(self) -> pd.DataFrame:
        """Every interval of the baseline and of each scenario before and after recovery (long format):
        ``scenario, phase, timestamp, volume, required, on_phone, service_level, asa, abandoned, short`` plus
        the agents each lever puts on the phones (after recovery; 0 elsewhere)."""
        levers = [k for k in LEVERS if any(k in s.recovery.usage.columns for s in self.scenarios)]
        parts = []
        runs = [("baseline", None, self.baseline)] + [(s.name, s.sweep, s) for s in self.scenarios]
        for name, sweep, res in runs:
            label = name if not sweep else f"{name} {self.sweep_key}={sweep[self.sweep_key]:g}"
            phases = [("as published", res.before, None)]
            if name != "baseline":
                phases.append(("after recovery", res.after, res.recovery.usage))
            for phase, imp, usage in phases:
                frame = imp.intervals.copy()
                frame.insert(0, "phase", phase if name != "baseline" else "")
                frame.insert(0, "scenario", label)
                for k in levers:
                    frame[k] = usage[k].to_numpy() if usage is not None and k in usage.columns else 0.0
                parts.append(frame)
        return pd.concat(parts, ignore_index=True)

    def sweep_table(self) -> pd.DataFrame:
        rows = []
        for s in self.scenarios:
            rows.append(
                {
                    "scenario": s.name,
                    self.sweep_key or "value": s.sweep[self.sweep_key] if s.sweep else float("nan"),
                    "service_level_before": s.before.service_level,
                    "service_level_after": s.after.service_level,
                    "abandoned_before": s.before.abandoned,
                    "short_after": s.after.short_intervals,
                    "cost": s.recovery.cost,
                }
            )
        return pd.DataFrame(rows)

    def to_dict(self) -> dict[str, Any]:
        detail = self.sweep_key is None
        return {
            "plan": {"start": self.plan_start, "end": self.plan_end},
            "baseline": self.baseline.to_dict(detail),
            "scenarios": [s.to_dict(detail) for s in self.scenarios],
            "sweep": self.sweep_key,
            "breached": self.breached,
            "notes": self.notes,
        }


def _row(name: str, phase: str, imp: Impact, rec: Recovery | None) -> dict[str, Any]:
    return {
        "scenario": name,
        "phase": phase,
        "calls": imp.calls,
        "service_level": imp.service_level,
        "asa": imp.asa,
        "abandoned": imp.abandoned,
        "worst_interval": imp.worst_interval,
        "worst_service_level": imp.worst_service_level,
        "short_intervals": imp.short_intervals,
        "extra_hours": sum(rec.hours_by_lever.values()) if rec else 0.0,
        "cost": rec.cost if rec else 0.0,
    }


def parse_sweep(text: str) -> tuple[str, list[float]]:
    """``"volume=1.0:3.0:0.25"`` -> ``("volume", [1.0, 1.25, ..., 3.0])`` (end included); also ``aht=``,
    ``absence=`` or a list ``volume=1.5,2,2.5``."""
    m = re.match(r"^\s*([a-z_]+)\s*=\s*(.+)$", text or "")
    if not m:
        raise InputError(f"--sweep: {text!r} is not KEY=START:STOP:STEP (e.g. volume=1.0:3.0:0.25)")
    key, spec = m.group(1), m.group(2).strip()
    if key not in SWEEP_KEYS:
        raise InputError(f"--sweep: unknown key {key!r} (use one of: {', '.join(SWEEP_KEYS)})")
    try:
        if ":" in spec:
            parts = [float(x) for x in spec.split(":")]
            if len(parts) != 3:
                raise ValueError
            lo, hi, step = parts
            if step <= 0 or hi < lo:
                raise InputError(f"--sweep: {text!r} needs START <= STOP and STEP > 0")
            n = int(math.floor((hi - lo) / step + 1e-9)) + 1
            values = [round(lo + i * step, 10) for i in range(n)]
        else:
            values = [float(x) for x in spec.split(",")]
    except ValueError:
        raise InputError(f"--sweep: {text!r} is not KEY=START:STOP:STEP (e.g. volume=1.0:3.0:0.25)") from None
    if len(values) > 200:
        raise InputError(f"--sweep: {text!r} gives {len(values)} values (at most 200)")
    bad = [v for v in values if v < 0 or not math.isfinite(v) or (key == "absence" and v >= 1) or (key == "aht" and v <= 0)]
    if bad:
        raise InputError(f"--sweep: {key}={bad[0]:g} is out of range")
    return key, values


def swept(scenario: Scenario, key: str, value: float, plan: Plan) -> Scenario:
    """The scenario with its ``key`` shock set to ``value``: the volume/AHT multiplier at full strength, or
    the absence share. A scenario without such a shock gets one over the whole plan."""
    whole = {"start": f"{plan.start:%Y-%m-%d %H:%M}", "end": f"{plan.end:%Y-%m-%d %H:%M}"}
    if key == "volume":
        shocks = [v for v in scenario.volume if v.multiplier is not None]
        new = [v.model_copy(update={"multiplier": value}) for v in shocks] or [VolumeShock(multiplier=value, **whole)]
        return scenario.model_copy(update={"volume": new + [v for v in scenario.volume if v.multiplier is None]})
    if key == "aht":
        from wfm.scenario import AhtShock

        new = [a.model_copy(update={"multiplier": value}) for a in scenario.aht] or [AhtShock(multiplier=value, **whole)]
        return scenario.model_copy(update={"aht": new})
    new_ab = [a.model_copy(update={"share": value}) for a in scenario.absence] or [AbsenceShock(share=value, **whole)]
    return scenario.model_copy(update={"absence": new_ab})


def _run_task(args: tuple) -> ScenarioResult:
    plan, scenario, kwargs = args
    return run_scenario(plan, scenario, **kwargs)


def whatif(
    config: CentreConfig,
    scenarios: Sequence[Scenario],
    forecast: pd.DataFrame,
    roster: pd.DataFrame,
    *,
    sweep: str | None = None,
    workers: int = 1,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
    source: str = "<scenarios>",
) -> WhatIfResult:
    """Run the baseline and every scenario (or every scenario at every sweep value) on the published roster.

    ``forecast``: ``timestamp,queue,volume[,aht]``; ``roster``: roster.csv rows. ``workers`` > 1 runs the
    scenarios in that many processes; results are identical and in the same order however many run.
    """
    if workers < 1:
        raise InputError(f"--workers must be 1 or more, got {workers}")
    plan = make_plan(config, forecast, roster)
    validate(list(scenarios), config, plan.start, plan.end, source)
    kwargs = {"time_limit_s": time_limit_s, "gap": gap}
    tasks: list[tuple[Plan, Scenario, dict]] = [(plan, Scenario.model_construct(name="baseline"), kwargs)]
    key = None
    if sweep:
        key, values = parse_sweep(sweep)
        for s in scenarios:
            for v in sorted(values):
                tasks.append((plan, swept(s, key, v, plan), {**kwargs, "sweep": {key: v}}))
    else:
        tasks += [(plan, s, kwargs) for s in scenarios]
    if workers == 1 or len(tasks) == 1:
        results = [_run_task(t) for t in tasks]
    else:
        # spawn, not fork: a forked child inherits HiGHS's thread pool without its threads and hangs
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=ctx) as pool:
            results = list(pool.map(_run_task, tasks))
    return WhatIfResult(results[0], results[1:], key, f"{plan.start:%Y-%m-%d %H:%M}", f"{plan.end:%Y-%m-%d %H:%M}")


# =========================================================================== presentation
def _num(v: float, digits: int = 1) -> float | None:
    return json_number(v, digits)


def _frame_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    recs = []
    for r in frame.to_dict(orient="records"):
        recs.append({k: (round(v, 4) if isinstance(v, float) else (int(v) if isinstance(v, np.integer) else v))
                     for k, v in r.items()})
    return recs


def _day_records(s: ScenarioResult) -> list[dict[str, Any]]:
    b, a = s.before.days, s.after.days
    out = []
    for i in range(len(b)):
        out.append(
            {
                "date": b["date"].iloc[i],
                "calls": round(float(b["calls"].iloc[i]), 1),
                "service_level_before": round(float(b["service_level"].iloc[i]), 4),
                "service_level_after": round(float(a["service_level"].iloc[i]), 4),
                "asa_before": _num(float(b["asa"].iloc[i])),
                "asa_after": _num(float(a["asa"].iloc[i])),
                "abandoned_before": round(float(b["abandoned"].iloc[i]), 1),
                "abandoned_after": round(float(a["abandoned"].iloc[i]), 1),
                "worst_interval_before": b["worst_interval"].iloc[i],
                "worst_service_level_before": round(float(b["worst_service_level"].iloc[i]), 4),
                "worst_interval_after": a["worst_interval"].iloc[i],
                "worst_service_level_after": round(float(a["worst_service_level"].iloc[i]), 4),
                "short_before": int(b["short_intervals"].iloc[i]),
                "short_after": int(a["short_intervals"].iloc[i]),
            }
        )
    return out


def _pct(v: float) -> str:
    return f"{100 * v:.1f}%"


def _sec(v: float) -> str:
    return "inf" if not np.isfinite(v) else f"{v:.0f}s"


def render(result: WhatIfResult) -> str:
    """The text report: side-by-side table, then per scenario the days, the levers and the ratio."""
    if result.sweep_key:
        return render_sweep(result)
    out = [f"What-if, plan {result.plan_start} to {result.plan_end}", ""]
    rows = []
    for r in result.comparison().to_dict(orient="records"):
        rows.append(
            [
                r["scenario"], r["phase"], f"{r['calls']:,.0f}", _pct(r["service_level"]), _sec(r["asa"]),
                f"{r['abandoned']:,.0f}", f"{r['worst_interval']} {_pct(r['worst_service_level'])}",
                r["short_intervals"], f"{r['extra_hours']:,.1f}", f"{r['cost']:,.1f}",
            ]
        )
    headers = ["scenario", "phase", "calls", "service_level", "asa", "abandoned", "worst_interval",
               "short", "extra_hours", "cost"]
    out.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    for s in result.scenarios:
        out += ["", *render_scenario(s)]
    return "\n".join(out)


def render_scenario(s: ScenarioResult) -> list[str]:
    rec = s.recovery
    lines = [f"== {s.name}: recovery {rec.status}, cost {rec.cost:,.1f}"]
    levers = [k for k in rec.levers if k in rec.hours.columns]
    rows = []
    b, a = s.before.days, s.after.days
    for i in range(len(b)):
        row = [
            b["date"].iloc[i], f"{b['calls'].iloc[i]:,.0f}", _pct(b["service_level"].iloc[i]),
            _pct(a["service_level"].iloc[i]), f"{b['abandoned'].iloc[i]:,.0f}", f"{a['abandoned'].iloc[i]:,.0f}",
            f"{b['short_intervals'].iloc[i]} -> {a['short_intervals'].iloc[i]}",
        ]
        row += [f"{rec.hours[k].iloc[i]:,.1f}" for k in levers]
        rows.append(row)
    headers = ["date", "calls", "sl_before", "sl_after", "abandoned_before", "abandoned_after", "short"]
    headers += [f"{LEVER_LABELS[k].replace(' ', '_')}_h" for k in levers]
    lines.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    if levers:
        used = ", ".join(f"{LEVER_LABELS[k]} {rec.hours_by_lever[k]:,.1f} h ({rec.cost_by_lever.get(k, 0.0):,.1f})"
                         for k in levers)
        lines.append(f"levers: {used}")
    if "reoptimise" in rec.cost_by_lever:
        lines.append(f"re-roster: cost {rec.cost_by_lever['reoptimise']:,.1f}")
    if rec.rest_days_cancelled:
        lines.append(f"rest days cancelled: {rec.rest_days_cancelled}")
    short = s.after.intervals.loc[s.after.intervals["short"], "timestamp"]
    if len(short):
        lines.append(f"still short after recovery: {len(short)} intervals, {_spans(pd.DatetimeIndex(short))}")
    elif rec.status != "not_needed":
        lines.append("every interval restored to its required agents")
    if s.ratio is not None:
        r = s.ratio
        lines.append(
            f"ratio with {rec.back_office_peak} back office on the phones: {r.ratio_text} "
            f"(front line {r.front_line:g}, back office {r.back_office:g}, share {r.back_office_share:.1%}, {r.status})"
        )
    lines += rec.notes
    return lines


def _spans(ts: pd.DatetimeIndex, limit: int = 4) -> str:
    """Consecutive short intervals as ``MM-DD HH:MM-HH:MM`` spans (the first ``limit``)."""
    if len(ts) == 0:
        return ""
    step = ts[1] - ts[0] if len(ts) > 1 else pd.Timedelta(minutes=15)
    step = min(np.diff(ts.asi8).min() if len(ts) > 1 else step.value, step.value)
    spans = []
    start = prev = ts[0]
    for t in ts[1:]:
        if (t - prev).value != step:
            spans.append((start, prev))
            start = t
        prev = t
    spans.append((start, prev))
    text = ", ".join(f"{a:%m-%d %H:%M}-{(b + pd.Timedelta(step)):%H:%M}" for a, b in spans[:limit])
    return text + (f" (+{len(spans) - limit} more)" if len(spans) > limit else "")


def render_sweep(result: WhatIfResult) -> str:
    key = result.sweep_key
    out = [f"What-if sweep over {key}, plan {result.plan_start} to {result.plan_end}", ""]
    b = result.baseline.before
    out.append(f"baseline: service level {_pct(b.service_level)}, {b.short_intervals} intervals short")
    out.append("")
    rows = []
    for s in result.scenarios:
        rows.append(
            [
                s.name, f"{s.sweep[key]:g}", _pct(s.before.service_level), _pct(s.after.service_level),
                f"{s.before.abandoned:,.0f}", s.before.short_intervals, s.after.short_intervals,
                f"{s.recovery.cost:,.1f}",
            ]
        )
    headers = ["scenario", key, "sl_before", "sl_after", "abandoned_before", "short_before", "short_after", "cost"]
    out.append(tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True))
    return "\n".join(out)


__all__ = [
    "LEVERS",
    "Impact",
    "Plan",
    "Recovery",
    "ScenarioResult",
    "WhatIfResult",
    "apply_shocks",
    "evaluate_cover",
    "make_plan",
    "on_phone",
    "parse_roster",
    "parse_sweep",
    "recover",
    "redeploy_ratio",
    "render",
    "run_scenario",
    "shock_shape",
    "whatif",
    "parse_when",
    "baseline_inputs",
    "read_forecast",
    "read_published_roster",
    "swept",
]

"""Blending a campaign into a published week (``wfm outbound --run``): the roster's idle agents call first, and
only what they cannot do is bought, at least cost.

**Idle agents.** An interval's idle agents are those rostered beyond what inbound needs. Taking one more agent
off the phones in an interval must keep:
- the roster's own requirement (coverage.csv ``required_scheduled``);
- the agents the queues judged per interval need, and every queue's interval floor (the service curves' ``low``,
  :func:`wfm.roster.coverage.period_curves`);
- for each queue judged over a day or week, its target over the period: the calls answered in time, at the
  average speed of answer and the occupancy, summed over the period's intervals, as the roster's own period
  rows sum them (:func:`wfm.roster.model.add_service_period`), with the routing objectives and the margins
  the run published (the margins raise a day's target where the routing model promises more than the
  simulator finds, :mod:`wfm.plan.calibrate`).

Agents are taken one at a time, always where the inbound queues lose the fewest calls answered in time. The
curves are concave, so the next agent of an interval never costs less than the last. Taking stops once the
campaign's work is covered, or when no agent can be taken without breaking one of the limits above.

**Extra hours** for the rest come from two sources, chosen at least cost by a small MILP (PuLP + HiGHS):
- **overtime**: rostered agents stay on after their shift, in whole intervals, up to
  ``[campaign.extra] overtime_max_hours``, at ``overtime_cost_factor`` times their contract's rate;
- **extra shifts**: the config's shift templates (``[campaign.extra] shifts``, default all) that fit wholly
  inside the calling hours, each paid its paid hours at the cheapest rate of the contracts it is for, each
  calling for its time less its breaks.

With ``[roster] seats``, the agents on site in an interval (rostered, staying on, extra) stay within the seats.
What no source can give is left short: the campaign then reaches fewer records (exit 1).

**Dates.** A campaign day inside the run's dates uses that day of the roster. A day outside it uses the same
weekday and time of the run's week (a standing weekly roster), when the run spans whole weeks. Otherwise the
day has no roster and only extra shifts can call on it.

Every outbound agent-hour calls for ``1 - shrinkage`` of an hour: idle agents, agents staying on and extra shifts
alike.
"""

from __future__ import annotations

import heapq
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from wfm.clock import parse_clock
from wfm.config import CentreConfig
from wfm.errors import ConfigError, InputError
from wfm.outbound.campaign import Campaign, Work, record_work
from wfm.outbound.sizing import calling_slots
from wfm.roster.rows import RosterRows, parse_roster_rows, rostered_per_interval
from wfm.staffing import ServiceCurves

PathLike = str | os.PathLike[str]
SHORT_PENALTY = 1000.0  # per calling hour the campaign cannot get: far above any wage
EXTRA_GAP = 0.005
INTERVAL_COLUMNS = ["timestamp", "inbound_required", "rostered", "idle", "outbound_idle", "outbound_overtime",
                    "outbound_extra", "outbound_agents", "records"]
DAY_COLUMNS = ["date", "idle_agent_hours", "overtime_agent_hours", "extra_agent_hours", "agent_hours", "records",
               "records_done", "progress"]


@dataclass
class Week:
    """A published week as the blend reads it: per interval of the run the agents rostered (on shift, not on
    a break), the roster's requirement, the scheduled agents inbound needs at least (``floor``), the period
    curves (None when every queue is judged per interval), and the roster's rows."""

    timestamps: pd.DatetimeIndex
    rostered: np.ndarray
    required: np.ndarray
    floor: np.ndarray
    curves: ServiceCurves | None
    rows: RosterRows
    source: str = "run"


def read_week(config: CentreConfig, run: PathLike) -> Week:
    """The week of a run folder: its forecast, roster and coverage (each the file its manifest names), with
    the routing objectives and period margins the run published."""
    from wfm.io import read_csv, read_forecast
    from wfm.roster.readers import read_coverage
    from wfm.run_folder import run_file, run_manifest
    from wfm.simulate.run import published_objectives
    from wfm.staffing import staff

    doc = run_manifest(run)
    forecast = read_forecast(run_file(run, "forecast.csv", doc), [q.name for q in config.queues])
    cov = read_coverage(run_file(run, "coverage.csv", doc))
    roster_path = run_file(run, "roster.csv", doc)
    frame = read_csv(roster_path)
    cfg = published_objectives(config, roster_path)
    margins = (doc.get("routing") or {}).get("margins") or {}
    return week_of(cfg, staff(forecast, cfg), cov, frame, margins if isinstance(margins, dict) else None,
                   str(run), roster_source=str(roster_path))


def week_of(config: CentreConfig, staffing: pd.DataFrame, coverage: pd.DataFrame, roster: pd.DataFrame,
            margins: Mapping[str, Mapping[str, float]] | None = None, source: str = "run", *,
            roster_source: str = "roster") -> Week:
    """A week from its parts: the staffing frame, the coverage (``timestamp, required_scheduled``) and the
    roster rows (roster.csv's columns), with ``config``'s routing (objectives fixed) and the period ``margins``
    the roster was made with. The agents rostered per interval are counted from the roster rows."""
    from wfm.roster.coverage import period_curves

    if len({q.staff_group for q in config.queues}) > 1:
        raise ConfigError(f"{config.source}: the queues are served by several staff groups; wfm outbound blends "
                          "into one group's roster")
    rows = parse_roster_rows(roster, roster_source)
    step = config.planning_interval_minutes
    idx = pd.DatetimeIndex(coverage["timestamp"]).as_unit("ns")
    if len(idx) > 1 and (np.diff(idx.asi8) != step * 60_000_000_000).any():
        raise InputError(f"{source}: coverage.csv is not on the config's {step}-minute planning grid")
    rostered = rostered_per_interval(rows, idx[0], len(idx), step)
    required = coverage["required_scheduled"].to_numpy(np.int64)
    floor = required.copy()
    curves = None
    if any(q.service_level_period != "interval" for q in config.queues):
        curves = period_curves(staffing, config, idx, margins=margins)
        if curves is not None:
            need = np.ceil(curves.low / np.maximum(1.0 - curves.shrinkage, 1e-9) - 1e-9).astype(np.int64)
            floor = np.maximum(floor, need)
    return Week(idx, np.asarray(rostered, dtype=np.int64), required, floor, curves, rows, source)


@dataclass
class Blend:
    """A campaign blended into a week: per interval and per day (:data:`INTERVAL_COLUMNS`,
    :data:`DAY_COLUMNS`), the extra shifts and overtime bought, and the totals."""

    campaign: Campaign
    work: Work
    interval_minutes: int
    work_hours: float
    agent_hours: float
    intervals: pd.DataFrame
    days: pd.DataFrame
    shifts: pd.DataFrame  # date, shift, start, end, agents, cost (extra shifts bought)
    overtime: pd.DataFrame  # date, after (a shift end), contract, agents, minutes, cost
    idle_agent_hours_used: float
    idle_agent_hours_allowed: float  # what the inbound targets allow taking, were the campaign larger
    idle_agent_hours_available: float  # rostered above the interval requirement (the floor)
    extra_agent_hours: float
    extra_cost: float
    short_work_hours: float
    status: str
    source: str = "run"
    notes: list[str] = field(default_factory=list)

    @property
    def reach_achieved(self) -> float:
        return self.work.reach * (1.0 - self.short_work_hours / self.work_hours)

    @property
    def records_worked(self) -> float:
        return float(self.days["records"].sum())

    @property
    def exit_code(self) -> int:
        """1 when the campaign cannot work every record by its deadline, else 0."""
        return 1 if self.short_work_hours > 1e-6 * max(1.0, self.work_hours) else 0


def source_index(slots: pd.DatetimeIndex, week: Week) -> np.ndarray:
    """For each timestamp, its interval of the run (the same time; else the same weekday and time of the run's
    week when the run spans whole weeks); -1 where there is none."""
    idx = week.timestamps.as_unit("ns")
    slots = pd.DatetimeIndex(slots).as_unit("ns")
    pos = idx.get_indexer(slots)
    n = len(idx)
    step_ns = int(idx[1].value - idx[0].value) if n > 1 else 0
    if step_ns and n * step_ns % (7 * 86_400_000_000_000) == 0:
        period = n * step_ns
        off = (slots.asi8 - idx[0].value) % period
        whole = off % step_ns == 0
        pos = np.where(whole, off // step_ns, -1)
    return pos.astype(np.int64)


def blend(config: CentreConfig, c: Campaign, week: Week, *, source: str = "campaign",
          time_limit_s: float = 30.0) -> Blend:
    """The campaign in the week's idle agents first, then the least-cost extra hours (module docstring)."""
    work = record_work(c)
    step = config.planning_interval_minutes
    slot_h = step / 60.0
    productive = 1.0 - c.shrinkage
    work_hours = c.records * work.agent_minutes / 60.0
    slots = calling_slots(config, c, source=source)
    src = source_index(slots, week)
    notes = []
    if (src < 0).any():
        days = sorted({t.date() for t in slots[src < 0]})
        notes.append(f"{len(days)} calling day(s) have no roster in {week.source} (first {days[0]}): only extra "
                     "shifts call on them")
    outside = pd.DatetimeIndex(slots[src >= 0]).normalize().difference(week.timestamps.normalize().unique())
    if len(outside):
        notes.append(f"{len(outside)} calling day(s) outside the run's dates use the same weekday of its week (a "
                     "standing weekly roster)")
    taken, idle = take_idle(week, slots, src, work_hours / (slot_h * productive), step)
    allowed, _ = take_idle(week, slots, src, math.inf, step)
    idle_work = float(taken.sum()) * slot_h * productive
    rest = max(work_hours - idle_work, 0.0)
    extra = buy_extra(config, c, week, slots, src, taken, rest, time_limit_s)
    ot_agents, ex_agents, short = extra["overtime"], extra["extra"], extra["short"]
    out_agents = taken + ot_agents + ex_agents
    # records worked, in time order, up to the campaign's records (whole shifts can give more than it needs)
    done = np.minimum(np.cumsum(out_agents * slot_h * productive * 60.0 / work.agent_minutes), c.records)
    records = np.diff(np.concatenate([[0.0], done]))
    rostered = np.where(src >= 0, week.rostered[np.maximum(src, 0)], 0)
    required = np.where(src >= 0, week.floor[np.maximum(src, 0)], 0)
    frame = pd.DataFrame({"timestamp": slots, "inbound_required": required, "rostered": rostered,
                          "idle": idle.astype(np.int64),
                          "outbound_idle": taken, "outbound_overtime": ot_agents, "outbound_extra": ex_agents,
                          "outbound_agents": out_agents, "records": records})
    day = frame.assign(date=frame["timestamp"].dt.date).groupby("date", sort=True)
    days = pd.DataFrame({
        "idle_agent_hours": day["outbound_idle"].sum() * slot_h,
        "overtime_agent_hours": day["outbound_overtime"].sum() * slot_h,
        "extra_agent_hours": day["outbound_extra"].sum() * slot_h,
        "agent_hours": day["outbound_agents"].sum() * slot_h, "records": day["records"].sum()}).reset_index()
    days["records_done"] = days["records"].cumsum()
    days["progress"] = np.minimum(days["records_done"] / c.records, 1.0)
    idle_used = float(taken.sum()) * slot_h
    return Blend(c, work, step, work_hours, work_hours / productive, frame[INTERVAL_COLUMNS], days[DAY_COLUMNS],
                 extra["shifts"], extra["overtime_rows"], idle_used, float(allowed.sum()) * slot_h,
                 float(idle.sum()) * slot_h, float((ot_agents + ex_agents).sum()) * slot_h, extra["cost"], short,
                 extra["status"], week.source, notes)


# --------------------------------------------------------------------------- idle agents
@dataclass
class _Budget:
    """One period-judged queue's slack over one period: calls answered in time above its target, calls x ASA
    below its ASA target, and agent-intervals above what its occupancy cap needs."""

    sl: float
    asa: float
    occ: float


def take_idle(week: Week, slots: pd.DatetimeIndex, src: np.ndarray, need_agents: float, step: int
              ) -> tuple[np.ndarray, np.ndarray]:
    """Agents taken off inbound per calling interval (the last one only as far as needed: ``need_agents``
    agent-intervals in all), and the agents each interval could give before the period targets bind (its
    rostered less its floor)."""
    n = len(slots)
    have = src >= 0
    s = np.maximum(src, 0)
    spare = np.where(have, np.maximum(week.rostered[s] - week.floor[s], 0), 0).astype(np.int64)
    taken = np.zeros(n)
    if need_agents <= 0 or spare.sum() == 0:
        return taken, spare.astype(float)
    cv = week.curves
    if cv is None:
        return _take_in_order(spare, need_agents), spare.astype(float)
    # the whole days (whole weeks from the run's first day, with a queue judged over the week) the calling
    # intervals fall in, each interval mapped to the run: a period's slack is over all its intervals
    first, last = slots[0].normalize(), slots[-1].normalize() + pd.Timedelta(days=1)
    if any(curve.period != "day" for curve in cv.curves):
        origin = week.timestamps[0].normalize()
        first -= pd.Timedelta(days=(first - origin).days % 7)
        last += pd.Timedelta(days=-(last - origin).days % 7)
    horizon = pd.date_range(first, last, freq=pd.Timedelta(minutes=step), inclusive="left")
    hsrc = source_index(horizon, week)
    hpos = horizon.get_indexer(slots)
    keep = 1.0 - cv.shrinkage
    rost = week.rostered
    e_now = np.floor(rost * keep + 1e-9).astype(np.int64)  # agents taking calls, as the roster's model counts them
    budgets: dict[tuple[int, object], _Budget] = {}
    key_of = []
    for k, curve in enumerate(cv.curves):
        m = curve.service_level.shape[1]
        period = _period_keys(horizon, curve.period, week)
        ok = hsrc >= 0
        g = np.maximum(hsrc, 0)
        j = np.clip(e_now[g] - cv.low[g], 0, m - 1)
        calls = np.where(ok, curve.volume[g], 0.0)
        sl = curve.service_level[g, j]
        asa = curve.asa[g, j]
        frame = pd.DataFrame({"p": period, "g": np.where(ok, g, -1), "calls": calls, "sl": calls * sl,
                              "asa": calls * asa, "e": np.where(ok & (calls > 0), e_now[g], 0),
                              "work": np.where(calls > 0, cv.work[g], 0)})
        for p, grp in frame.groupby("p", sort=False):
            total = float(grp["calls"].sum())
            mine = grp["g"].to_numpy()
            target = curve.target_over(mine[mine >= 0]) if total > 0 else curve.service_level_target
            b_sl = float(grp["sl"].sum()) - target * total
            b_asa = (curve.asa_target * total - float(grp["asa"].sum())) if curve.asa_target is not None else math.inf
            b_occ = (curve.max_occupancy * float(grp["e"].sum()) - float(grp["work"].sum())
                     if curve.max_occupancy is not None else math.inf)
            budgets[(k, p)] = _Budget(b_sl, b_asa, b_occ)
        key_of.append(period[hpos])

    def loss(i: int, k_taken: int) -> list[tuple[int, object, float, float, float]]:
        g = int(src[i])
        e0 = int(np.floor((rost[g] - k_taken) * keep[g] + 1e-9))
        e1 = int(np.floor((rost[g] - k_taken - 1) * keep[g] + 1e-9))
        out = []
        for k, curve in enumerate(cv.curves):
            calls = float(curve.volume[g])
            if calls <= 0 or e1 == e0:
                continue
            m = curve.service_level.shape[1]
            j0, j1 = min(max(e0 - int(cv.low[g]), 0), m - 1), min(max(e1 - int(cv.low[g]), 0), m - 1)
            out.append((k, key_of[k][i], calls * (curve.service_level[g, j0] - curve.service_level[g, j1]),
                        calls * (curve.asa[g, j1] - curve.asa[g, j0]),
                        (curve.max_occupancy or 0.0) * (e0 - e1)))
        return out

    heap: list[tuple[float, int]] = []
    pending: dict[int, list] = {}
    for i in np.flatnonzero(spare > 0):
        parts = loss(int(i), 0)
        pending[int(i)] = parts
        heapq.heappush(heap, (sum(p[2] for p in parts), int(i)))
    got = 0.0
    while heap and got < need_agents - 1e-9:
        _, i = heapq.heappop(heap)
        parts = pending[i]
        if any(budgets[(k, p)].sl < d_sl - 1e-9 or budgets[(k, p)].asa < d_asa - 1e-9 or budgets[(k, p)].occ < d_occ - 1e-9
               for k, p, d_sl, d_asa, d_occ in parts):
            continue  # concave curves: this interval's next agents cost more still
        for k, p, d_sl, d_asa, d_occ in parts:
            b = budgets[(k, p)]
            b.sl, b.asa, b.occ = b.sl - d_sl, b.asa - d_asa, b.occ - d_occ
        share = min(1.0, need_agents - got)
        taken[i] += share
        got += share
        if taken[i] < spare[i] and share == 1.0:
            parts = loss(i, int(taken[i]))
            pending[i] = parts
            heapq.heappush(heap, (sum(p[2] for p in parts), i))
    return taken, spare.astype(float)


def _take_in_order(spare: np.ndarray, need: float) -> np.ndarray:
    """Every queue judged per interval: the idle agents are free to take, the earliest first."""
    cum = np.cumsum(spare)
    taken = np.minimum(spare.astype(float), np.maximum(need - (cum - spare), 0.0))
    return taken


def _period_keys(horizon: pd.DatetimeIndex, period: str, week: Week) -> np.ndarray:
    """The period each horizon interval is judged in: its date, or its week counted from the run's start."""
    if period == "day":
        return horizon.normalize().asi8
    start = week.timestamps[0].normalize()
    return ((horizon.normalize() - start) // pd.Timedelta(days=7)).to_numpy()


# --------------------------------------------------------------------------- extra hours
def buy_extra(config: CentreConfig, c: Campaign, week: Week, slots: pd.DatetimeIndex, src: np.ndarray,
              taken: np.ndarray, need_hours: float, time_limit_s: float) -> dict:
    """The least-cost overtime and extra shifts giving ``need_hours`` of calling (module docstring)."""
    from wfm.milp import solve_highs

    n = len(slots)
    step = config.planning_interval_minutes
    slot_h = step / 60.0
    productive = 1.0 - c.shrinkage
    empty = {"overtime": np.zeros(n), "extra": np.zeros(n), "short": 0.0, "cost": 0.0, "status": "not needed",
             "shifts": pd.DataFrame(columns=["date", "shift", "start", "end", "agents", "cost"]),
             "overtime_rows": pd.DataFrame(columns=["date", "after", "contract", "agents", "minutes", "cost"])}
    if need_hours <= 1e-9:
        return empty
    rates = {k.name: k.cost_per_paid_hour for k in config.contracts}
    pos = {t: i for i, t in enumerate(pd.DatetimeIndex(slots).as_unit("ns").asi8)}
    prob = pulp.LpProblem("outbound_extra", pulp.LpMinimize)
    cover: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(n)]  # calling agents per slot
    site: list[list[tuple[pulp.LpVariable, float]]] = [[] for _ in range(n)]  # agents on site per slot
    cost_terms, work_terms = [], []
    shift_vars, ot_vars = [], []
    templates = _templates(config, c)
    dates = sorted({t.date() for t in slots})
    # equal costs: the earlier day (the campaign ahead of its deadline), by a cost far below a cent
    early = {d: 1e-6 * k for k, d in enumerate(dates)}
    step_ns = step * 60_000_000_000
    for d in dates:
        base = pd.Timestamp(d).value
        for tpl, starts, rate, paid_h, phone_share in templates:
            for s in starts:
                first = base + s * 60_000_000_000
                idx = [pos.get(first + k * step_ns) for k in range(tpl.length_minutes // step)]
                if any(i is None for i in idx):
                    continue
                v = pulp.LpVariable(f"shift_{tpl.name}_{d:%Y%m%d}_{s:04d}", 0, cat="Integer")
                shift_vars.append((v, d, tpl.name, s, tpl.length_minutes, rate * paid_h))
                cost_terms.append((v, rate * paid_h + early[d]))
                work_terms.append((v, tpl.length_minutes / 60.0 * phone_share * productive))
                for i in idx:
                    cover[i].append((v, phone_share))
                    site[i].append((v, 1.0))
    j_max = int(c.extra.overtime_max_hours * 60 // step)
    if j_max > 0:
        rows = week.rows
        ends = pd.DatetimeIndex(rows.end)
        run_days = pd.DatetimeIndex(rows.date).normalize()
        for d in dates:
            day_slots = [i for i, t in enumerate(slots) if t.date() == d]
            if not day_slots or src[day_slots[0]] < 0:
                continue
            shift = pd.Timestamp(d) - week.timestamps[int(src[day_slots[0]])].normalize()
            mine = np.flatnonzero(run_days == week.timestamps[int(src[day_slots[0]])].normalize())
            if not len(mine):
                continue
            groups = pd.DataFrame({"end": (ends[mine] + shift).as_unit("ns").asi8,
                                   "contract": rows.contract[mine]}).value_counts()
            for (end, contract), count in sorted(groups.items()):
                stay = []
                for j in range(1, j_max + 1):
                    i = pos.get(end + (j - 1) * step_ns)
                    if i is None:
                        break
                    stay.append(i)
                if not stay:
                    continue
                rate = rates.get(contract, min(rates.values()) if rates else 1.0) * c.extra.overtime_cost_factor
                tag = f"{pd.Timestamp(end):%Y%m%d_%H%M}_{contract}"
                vs = []
                for j in range(1, len(stay) + 1):
                    v = pulp.LpVariable(f"stay_{tag}_{j}", 0, cat="Integer")
                    vs.append(v)
                    hours = j * slot_h
                    ot_vars.append((v, d, pd.Timestamp(end), contract, j * step, rate * hours))
                    cost_terms.append((v, rate * hours + early[d]))
                    work_terms.append((v, hours * productive))
                    for i in stay[:j]:
                        cover[i].append((v, 1.0))
                        site[i].append((v, 1.0))
                prob += pulp.lpSum(vs) <= int(count), f"stay_{tag}"
    short = pulp.LpVariable("short_hours", 0)
    prob += pulp.LpAffineExpression(cost_terms) + SHORT_PENALTY * short, "cost"
    prob += pulp.LpAffineExpression(work_terms) + short >= need_hours, "work"
    seats = config.roster.seats
    if seats is not None:
        for i in range(n):
            if site[i]:
                on = int(week.rostered[src[i]]) if src[i] >= 0 else 0
                prob += pulp.LpAffineExpression(site[i]) <= max(seats - on, 0), f"seats_{slots[i]:%Y%m%d_%H%M}"
    # many near-equal ways to buy the same hours: proven within 0.5%, or within a quarter of a paid hour
    res = solve_highs(prob, time_limit_s=time_limit_s, gap=EXTRA_GAP,
                      highs_options={"mip_abs_gap": 0.25 * min(rates.values(), default=1.0)})
    if not res.has_solution:
        raise InputError(f"{c.name}: no plan for the extra hours ({res.status})")
    ot = np.zeros(n)
    ex = np.zeros(n)
    for i in range(n):
        for v, w in cover[i]:
            val = round(v.value() or 0.0)
            if not val:
                continue
            if v.name.startswith("stay_"):
                ot[i] += val * w
            else:
                ex[i] += val * w
    shifts = pd.DataFrame([{"date": d, "shift": name, "start": _clock(s), "end": _clock(s + length),
                            "agents": int(round(v.value() or 0)), "cost": cost * round(v.value() or 0)}
                           for v, d, name, s, length, cost in shift_vars if round(v.value() or 0)],
                          columns=["date", "shift", "start", "end", "agents", "cost"])
    overtime = pd.DataFrame([{"date": d, "after": f"{end:%H:%M}", "contract": contract,
                              "agents": int(round(v.value() or 0)), "minutes": minutes,
                              "cost": cost * round(v.value() or 0)}
                             for v, d, end, contract, minutes, cost in ot_vars if round(v.value() or 0)],
                            columns=["date", "after", "contract", "agents", "minutes", "cost"])
    total = float(shifts["cost"].sum() + overtime["cost"].sum())
    return {"overtime": ot, "extra": ex, "short": float(short.value() or 0.0), "cost": total, "status": res.status,
            "shifts": shifts, "overtime_rows": overtime}


def _templates(config: CentreConfig, c: Campaign) -> list[tuple]:
    """The shift templates extra shifts may use: each with its starts (minutes from midnight) that keep the
    shift inside the calling hours, its cheapest contract rate, paid hours and the share of its time not on a
    break."""
    names = c.extra.shifts
    known = {s.name for s in config.shifts}
    for name in names or []:
        if name not in known:
            raise ConfigError(f"campaign.extra.shifts names {name!r}, not a shift of {config.source} "
                              f"({', '.join(sorted(known)) or 'none'})")
    rates = {k.name: k.cost_per_paid_hour for k in config.contracts}
    a, b = c.calling_window
    out = []
    for tpl in config.shifts:
        if names is not None and tpl.name not in names:
            continue
        lo = parse_clock(tpl.start[0], "start")
        hi = parse_clock(tpl.start[1], "start")
        starts = [s for s in range(lo, hi + 1, tpl.start_step_minutes) if s >= a and s + tpl.length_minutes <= b
                  and s % config.planning_interval_minutes == 0]
        if not starts or tpl.length_minutes % config.planning_interval_minutes:
            continue
        contract_rates = [rates[k] for k in tpl.contracts if k in rates]
        if not contract_rates:
            continue
        breaks = sum(br.minutes for br in tpl.breaks)
        unpaid = sum(br.minutes for br in tpl.breaks if not br.paid)
        out.append((tpl, starts, min(contract_rates), (tpl.length_minutes - unpaid) / 60.0,
                    (tpl.length_minutes - breaks) / tpl.length_minutes))
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


"""Recovery: the use of the levers that buys the most service at the least cost (:func:`recover`, a
two-stage linear programme through :func:`wfm.milp.solve_highs`), given to people by name
(:func:`wfm.whatif.naming.name_recovery`), and the re-roster lever (:func:`reoptimise`).

**Service, then cost.** Stage 1 minimises the calls not answered within their queue's answer time, up to
what each interval's target allows, over the plan: per short interval, those calls with ``base + k`` agents
on the phones come from the same pooled model as staffing (:func:`wfm.staffing.group_service_level`: the
group's routing, Erlang A where the queues have a patience, held to the agents' capacity in overload:
:func:`wfm.whatif.impact.pooled_service`, the model the figures are reported with), taken at up to 24 values of ``k`` from 0 to the
agents the interval is short, as a convex piecewise-linear curve (its lower convex envelope), so an agent
goes where it saves the most calls. Stage 2 then minimises the total cost while keeping, in every interval,
the agent equivalents of stage 1 that save calls there (a covering problem), starting from stage 1's plan. Every lever person on the phones takes a seat: a capacity cut limits levers too.

**By name, then recounted.** The solved units are given to people who may work them
(:mod:`wfm.whatif.naming`); the figures after recovery are recounted from that roster after recovery.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import pulp

from wfm.errors import InfeasibleRoster
from wfm.milp import solve_highs
from wfm.roster.rows import count_spans
from wfm.whatif.impact import EPS, WhatifBase, parse_roster, pooled_service, rostered, row_presence
from wfm.whatif.levers import LEVERS, RecoveryRows
from wfm.whatif.naming import Named, name_recovery, recount, unchanged
from wfm.whatif.people import People, PersonRules, people
from wfm.whatif.scenario import ReoptimiseLever, Scenario
from wfm.whatif.shocks import Shocked

CURVE_POINTS = 24  # values of k per short interval on the lost-calls curve
HOLD = 1e-6  # stage 2 keeps the agents stage 1 adds where they save calls, to this share (solver tolerance)


@dataclass
class Recovery:
    """The least-cost use of the levers, by name.

    status:      ``not_needed`` (nothing short), ``no_levers``, ``optimal`` or ``time_limit`` (best found)
    usage:       per interval: ``timestamp`` + people on the phones from each lever used
    hours:       per day: ``date`` + extra paid hours per lever, booked on the day they are worked
                 (+ ``rest_days_cancelled``, counted on the day the shift starts)
    cost_by_lever: lever -> cost (the sum of ``named.recovery``'s ``cost`` per lever); ``cost`` their sum
    rostered:    agent equivalents on the phones after recovery, recounted from ``named.roster_after``
    named:       ``recovery.csv`` and ``roster_after.csv`` (:class:`wfm.whatif.naming.Named`)
    """

    status: str
    levers: list[str]
    usage: pd.DataFrame
    hours: pd.DataFrame
    cost_by_lever: dict[str, float]
    rostered: np.ndarray
    back_office_peak: int = 0
    rest_days_cancelled: int = 0
    reoptimised: bool = False
    notes: list[str] = field(default_factory=list)
    named: Named | None = None

    @property
    def cost(self) -> float:
        return float(sum(self.cost_by_lever.values()))

    @property
    def hours_by_lever(self) -> dict[str, float]:
        return {k: float(self.hours[k].sum()) for k in self.levers if k in self.hours.columns}


def person_rules(plan: WhatifBase, scenario: Scenario) -> PersonRules:
    """The per-person rules of a recovery: ``[roster]``'s rest settings and the rest-day lever's floor."""
    r = plan.config.roster
    rd = scenario.levers.rest_days
    return PersonRules(int(round(r.min_rest_hours * 60)), r.min_rest_days_per_week, r.max_consecutive_days,
                       rd.contract if rd is not None else None, rd.floor if rd is not None else 0)


def lever_weights(scenario: Scenario) -> dict[str, float]:
    """Agent equivalents of one back-office or agency person on the phones (``1 / handle_time_factor``)."""
    out = {}
    for k in ("back_office", "agency"):
        lever = getattr(scenario.levers, k)
        if lever is not None:
            out[k] = 1.0 / lever.handle_time_factor
    return out


def recover(
    plan: WhatifBase,
    scenario: Scenario,
    staffing: pd.DataFrame | None,
    required: np.ndarray,
    base: np.ndarray,
    shocked: Shocked,
    crew: People,
    *,
    time_limit_s: float = 30.0,
    gap: float = 1e-3,
) -> Recovery:
    """The levers' use that answers the most calls within target, at least cost, given to people by name.

    ``base`` is on-phone agents per interval after the named absence (``crew``) and the seat cap; ``staffing``
    the shocked forecast's staffing (None: a requirement set by hand, every agent short counts the same,
    :func:`unit_curves`). Raises InfeasibleRoster when the solver returns no plan at all.
    """
    names = [n for n in scenario.levers.names if n != "reoptimise"]
    deficit = required - base > EPS
    if not deficit.any():
        return _unchanged(plan, names, base, "not_needed", dict.fromkeys(names, 0.0), crew)
    if not names:
        return _unchanged(plan, names, base, "no_levers", {}, crew)
    rows = RecoveryRows(plan, scenario.name, deficit, crew, person_rules(plan, scenario))
    for lever in LEVERS:
        settings = getattr(scenario.levers, lever.name)
        if settings is not None:
            lever.add(rows, settings)
    if not rows.terms:
        return _unchanged(plan, names, base, "optimal", dict.fromkeys(names, 0.0), crew)
    curves = (lost_call_curves(plan, staffing, base, required, deficit) if staffing is not None
              else unit_curves(base, required, deficit))
    status = _solve_two_stages(rows, curves, shocked.seats, base, time_limit_s=time_limit_s, gap=gap)
    named = name_recovery(rows, scenario)
    if _top_up_agency(rows, scenario, named, required, shocked.seats):
        named = name_recovery(rows, scenario)
    return _read_back(plan, scenario, names, named, shocked.seats, status)


def _top_up_agency(rows: RecoveryRows, scenario: Scenario, named: Named, required: np.ndarray,
                   seats: np.ndarray) -> bool:
    """Whole people fall short of the solution's fractions (1.25 back-office people are one agent; one of
    them is 0.8): where an interval is still short after naming, agency agents (whole, within their hours and
    ``max_agents``, and the seats) make up the difference. Returns whether any was added."""
    ag = scenario.levers.agency
    used = rows.per_interval.get("agency")
    if ag is None or not used:
        return False
    cover, heads = recount(rows.plan, named.roster_after, lever_weights(scenario), seats)
    added = False
    for t, v in used.items():
        gap = required[t] - cover[t]
        if gap <= EPS:
            continue
        now = float(np.ceil((v.varValue or 0.0) - 1e-6))
        more = min(int(np.ceil(gap * ag.handle_time_factor - 1e-6)), ag.max_agents - int(now))
        if np.isfinite(seats[t]):
            more = min(more, int(np.floor(seats[t] - heads[t] + 1e-9)))
        if more > 0:
            v.varValue = now + more
            added = True
    return added


def _unchanged(plan: WhatifBase, names: list[str], base: np.ndarray, status: str, cost: dict, crew: People
               ) -> Recovery:
    """No lever used: the published roster as it stands (less the named absent)."""
    usage = pd.DataFrame({"timestamp": plan.timestamps, **{k: np.zeros(len(plan.timestamps)) for k in names}})
    return Recovery(status, names, usage, _empty_hours(plan, names), cost, base.copy(), named=unchanged(plan, crew))


def _empty_hours(plan: WhatifBase, names: list[str]) -> pd.DataFrame:
    hours = pd.DataFrame({"date": [d.strftime("%Y-%m-%d") for d in plan.dates]})
    for k in names:
        hours[k] = 0.0
    return hours


# =========================================================================== the service curves
@dataclass(frozen=True)
class Curves:
    """Per short interval ``t``: segments of agents (``width``) and the calls each agent of a segment saves
    (``gain``, non-increasing along the curve); ``lost`` the calls over target with the base agents."""

    t: np.ndarray  # (n,) interval indices
    width: np.ndarray  # (n, m)
    gain: np.ndarray  # (n, m)
    lost: np.ndarray  # (n,)


def lost_call_curves(
    plan: WhatifBase, staffing: pd.DataFrame, base: np.ndarray, required: np.ndarray, deficit: np.ndarray
) -> Curves:
    """Calls not answered within target beyond what the target allows, per short interval, as a convex
    piecewise-linear function of the agents added (see the module docstring)."""
    ts = np.flatnonzero(deficit)
    short = np.ceil(required[ts] - base[ts] - EPS).astype(np.int64)
    k_max = int(short.max())
    ks = np.unique(np.concatenate([np.arange(min(k_max, CURVE_POINTS // 2) + 1),
                                   np.round(np.geomspace(max(1, CURVE_POINTS // 2), max(k_max, 1), CURVE_POINTS // 2))]))
    ks = ks[ks <= k_max].astype(np.int64)
    n = np.minimum(base[ts][None, :] + ks[:, None], required[ts][None, :])  # (points, intervals)
    late = np.empty((len(ks), len(ts)))
    for j in range(len(ks)):  # the model the figures are reported with (assess_cover)
        agents = base.astype(float).copy()
        agents[ts] = n[j]
        _, vol, sl, _, _, _ = pooled_service(staffing, agents, plan)
        late[j] = (vol * (1.0 - sl)).sum(axis=0)[ts]
    # n stops at required: past each interval's shortfall the curve is flat, nothing more is gained
    width = np.diff(ks).astype(float)
    slope = np.diff(late, axis=0) / width[:, None]  # (m, n): negative where agents help
    gain = -_convex_slopes(slope.T, width)
    gain = np.where(gain > 1e-9, gain, 0.0)
    return Curves(ts, np.tile(width, (len(ts), 1)), gain, late[0])


def unit_curves(base: np.ndarray, required: np.ndarray, deficit: np.ndarray) -> Curves:
    """Without a forecast to price service: each agent-equivalent up to ``required`` saves one unit."""
    ts = np.flatnonzero(deficit)
    short = (required[ts] - base[ts])[:, None]
    return Curves(ts, short, np.ones_like(short), short[:, 0])


def _convex_slopes(slope: np.ndarray, width: np.ndarray) -> np.ndarray:
    """Per row, the slopes of the lower convex envelope of a piecewise-linear curve: the weighted isotonic
    (non-decreasing) regression of its slopes (pool adjacent violators, weights = segment widths)."""
    out = np.empty_like(slope)
    for i, row in enumerate(slope):
        vals: list[float] = []
        wts: list[float] = []
        lens: list[int] = []
        for v, w in zip(row.tolist(), width.tolist(), strict=True):
            vals.append(v)
            wts.append(w)
            lens.append(1)
            while len(vals) > 1 and vals[-2] > vals[-1]:
                v2, w2, n2 = vals.pop(), wts.pop(), lens.pop()
                vals[-1] = (vals[-1] * wts[-1] + v2 * w2) / (wts[-1] + w2)
                wts[-1] += w2
                lens[-1] += n2
        out[i] = np.repeat(vals, lens)
    return out


# =========================================================================== the two stages
def _solve_two_stages(
    rows: RecoveryRows, curves: Curves, seats: np.ndarray, base: np.ndarray, *, time_limit_s: float, gap: float,
) -> str:
    """Stage 1: most calls saved (over target); stage 2: least cost holding that. Leaves the values in the
    variables; returns ``optimal`` or ``time_limit``."""
    added: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    for term in rows.terms:
        for t, c in term.cover.items():
            added.setdefault(t, []).append((term.var, c))
    saved_terms = []
    per_t: list[tuple[int, list]] = []
    body = list(rows.constraints) + _seat_rows(rows, seats, base)
    stage1 = list(body)
    for i, t in enumerate(curves.t.tolist()):
        segs = [(j, w, g) for j, (w, g) in enumerate(zip(curves.width[i], curves.gain[i], strict=True)) if g > 0]
        if not segs or t not in added:
            continue
        zs = [pulp.LpVariable(f"z_{t}_{j}", 0, float(w)) for j, w, _ in segs]
        stage1.append(pulp.lpSum(zs) <= pulp.lpSum(c * v for v, c in added[t]))
        saved_terms += [(z, float(g)) for z, (_, _, g) in zip(zs, segs, strict=True)]
        per_t.append((t, zs))
    saved = pulp.lpSum(g * z for z, g in saved_terms)
    status1 = _solve(rows.scenario, -saved, stage1, time_limit_s, gap)
    first = {t.var.name: float(t.var.varValue or 0.0) for t in rows.terms}
    # stage 2 keeps, in every interval, the agents that save calls there (a covering problem: quick to solve)
    hold = []
    for t, zs in per_t:
        kept = sum(float(z.varValue or 0.0) for z in zs)
        if kept > 1e-9:
            hold.append(pulp.lpSum(c * v for v, c in added[t]) >= kept * (1.0 - HOLD) - 1e-6)
    cost = pulp.lpSum(t.cost * t.var for t in rows.terms)
    status2 = _solve(rows.scenario, cost, body + hold, time_limit_s, gap, first)
    return "optimal" if status1 == status2 == "optimal" else "time_limit"


def _seat_rows(rows: RecoveryRows, seats: np.ndarray, base: np.ndarray) -> list[pulp.LpConstraint]:
    """Per interval with a seat cap: people the levers add <= the seats left."""
    terms: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    for term in rows.terms:
        for t, c in term.people.items():
            terms.setdefault(t, []).append((term.var, c))
    out = []
    for t, people_t in terms.items():
        if np.isfinite(seats[t]):
            room = max(float(seats[t]) - float(base[t]), 0.0)
            out.append(pulp.lpSum(c * v for v, c in people_t) <= math.floor(room + 1e-9))
    return out


def _solve(
    scenario: str, objective: Any, body: list[pulp.LpConstraint], time_limit_s: float, gap: float,
    start: dict[str, float] | None = None,
) -> str:
    prob = pulp.LpProblem("recovery", pulp.LpMinimize)
    prob += objective
    for i, c in enumerate(body):
        prob += c, f"c{i}"
    res = solve_highs(prob, time_limit_s=time_limit_s, gap=gap, start=start)
    if not res.has_solution:  # every lever at zero is feasible, so this is a solver failure
        raise InfeasibleRoster(f"scenario {scenario!r}: the recovery solver returned no plan ({res.status})")
    return "optimal" if res.optimal else "time_limit"


# =========================================================================== read back from the names
def _read_back(plan: WhatifBase, scenario: Scenario, names: list[str], named: Named, seats: np.ndarray,
               status: str) -> Recovery:
    """People per interval, paid hours per day and cost per lever, all from ``recovery.csv`` and
    ``roster_after.csv``; the agents after recovery recounted from the roster after recovery."""
    cover, _ = recount(plan, named.roster_after, lever_weights(scenario), seats)
    rec = named.recovery
    one_each = rec.assign(agent_id=[f"{p}#{i}" for i, p in enumerate(rec["person"])], contract=rec["lever"])
    spans = parse_roster(one_each, "recovery") if len(rec) else None
    use = {k: np.zeros(len(plan.timestamps)) for k in names}
    hours = _empty_hours(plan, names)
    n_d = len(plan.dates)
    for k in names:
        if spans is None:
            continue
        mine = (spans.contract == k).astype(float)
        use[k] = count_spans(spans.start, spans.end, mine, spans.break_start, spans.break_end,
                             mine[spans.break_row], plan.start, len(plan.timestamps), plan.interval_minutes)
        hours[k] = np.round(_hours_by_day(plan, spans, rec["hours"].to_numpy(float), mine.astype(bool), n_d), 4)
    cost = {k: round(float(rec.loc[rec["lever"] == k, "cost"].sum()), 4) for k in names}
    cancelled = 0
    if "rest_days" in names:
        per_day = rec[rec["lever"] == "rest_days"].groupby("date").size()
        hours["rest_days_cancelled"] = hours["date"].map(per_day).fillna(0).astype(np.int64)
        cancelled = int(per_day.sum())
    peak = int(use["back_office"].max()) if "back_office" in names else 0
    usage = pd.DataFrame({"timestamp": plan.timestamps, **{k: np.round(use[k], 6) for k in names}})
    out = Recovery(status, names, usage, hours, cost, cover, peak, cancelled, named=named)
    out.notes += named.notes
    return out


def _hours_by_day(plan: WhatifBase, spans, hours: np.ndarray, mine: np.ndarray, n_d: int) -> np.ndarray:
    """Each row's paid hours on the plan days it is worked, in proportion to its minutes on the phones on
    each day (a 22:00 shift books most of its hours on the next day); minutes past the plan's end count on
    its last day."""
    origin = plan.start.normalize().to_datetime64()
    out = np.zeros(n_d)
    minute = lambda x: int((x - origin) // np.timedelta64(1, "m"))  # noqa: E731
    for i in np.flatnonzero(mine):
        s, e = minute(spans.start[i]), minute(spans.end[i])
        on = np.ones(e - s, dtype=bool)
        for b in np.flatnonzero(spans.break_row == i):
            on[minute(spans.break_start[b]) - s: minute(spans.break_end[b]) - s] = False
        day = np.clip((s + np.flatnonzero(on)) // 1440, 0, n_d - 1)
        out += hours[i] * np.bincount(day, minlength=n_d)[:n_d] / max(int(on.sum()), 1)
    return out


# =========================================================================== re-roster
def reoptimise(
    plan: WhatifBase, scenario: Scenario, staffing: pd.DataFrame, required: np.ndarray, shocked: Shocked,
    kept: Recovery, *, time_limit_s: float, gap: float,
) -> Recovery:
    """Re-roster the same agents for the shocked forecast from ``from_day`` and recover on that; the better
    of keeping and re-rostering wins (fewest agent-intervals short, then cost). Skipped with a note when the
    roster stage cannot plan."""
    lever = scenario.levers.reoptimise
    if lever is None or not lever.enabled or kept.status == "not_needed":
        return kept
    first = plan.start.normalize() + pd.Timedelta(days=lever.from_day - 1)
    if first >= plan.end:
        kept.notes.append(f"re-roster skipped: from_day {lever.from_day} is after the plan")
        return kept
    try:
        new_rows = _reroster(plan, lever, staffing, first)
    except Exception as exc:  # a failed re-roster leaves the published one in place
        kept.notes.append(f"re-roster skipped: {exc}")
        return kept
    old = plan.roster
    old_dates = pd.to_datetime(old["date"].astype(str))
    merged = pd.concat([old[old_dates < first].drop(columns=["_line"], errors="ignore"), new_rows], ignore_index=True)
    plan2 = replace(plan, roster=merged, shifts=parse_roster(merged, "re-roster"))
    crew2 = people(plan2.shifts, plan2.dates, shocked.absence)
    base2 = np.minimum(rostered(plan2, row_presence(plan2, crew2)), shocked.seats)
    rec2 = recover(plan2, scenario, staffing, required, base2, shocked, crew2, time_limit_s=time_limit_s, gap=gap)
    changed = changed_shifts(old[old_dates >= first], new_rows)
    rec2.cost_by_lever["reoptimise"] = round(changed * lever.cost_per_changed_shift, 4)
    rec2.levers = rec2.levers + ["reoptimise"]
    rec2.reoptimised = True
    rec2.notes.append(f"re-rostered from {first:%Y-%m-%d}: {changed} shifts changed")
    if _better(rec2, kept, required):
        if rec2.status in ("not_needed", "no_levers"):
            rec2.status = "optimal"
        return rec2
    kept.notes.append(f"re-roster considered (cost {rec2.cost:.1f}, {changed} shifts changed) and not chosen")
    return kept


def _reroster(plan: WhatifBase, lever: ReoptimiseLever, staffing: pd.DataFrame, first: pd.Timestamp) -> pd.DataFrame:
    """The roster stage's shifts from ``first`` on for the shocked staffing: it plans whole cyclic weeks, so
    the plan's weeks are re-rostered and the published shifts before ``first`` are kept."""
    from wfm import roster as roster_mod

    agents = (
        pd.DataFrame({"agent_id": plan.shifts.agent_id, "contract": plan.shifts.contract})
        .drop_duplicates("agent_id").sort_values("agent_id").reset_index(drop=True)
    )
    try:
        new = roster_mod.roster(
            staffing, plan.config, weeks=max(1, math.ceil(len(plan.dates) / 7)), start=plan.start.date(),
            agents=agents, time_limit_s=lever.time_limit_s, strict=False,
        )
    except InfeasibleRoster as exc:
        raise InfeasibleRoster(_reroster_message(str(exc), lever)) from None
    rows = new.assignments
    return rows[pd.to_datetime(rows["date"].astype(str)) >= first]


def _reroster_message(message: str, lever: ReoptimiseLever) -> str:
    """The roster stage's no-plan message with the limit that applies here: the re-roster's time limit is
    ``[scenario.levers.reoptimise] time_limit_s``, not ``wfm roster``'s ``--time-limit``."""
    setting = f"[scenario.levers.reoptimise] time_limit_s (now {lever.time_limit_s:g})"
    if "--time-limit" in message:
        return message.split("; raise --time-limit")[0].replace("--time-limit", setting) + f"; raise {setting}"
    return message


def _better(new: Recovery, kept: Recovery, required: np.ndarray) -> bool:
    """Fewer agent-intervals short, or as many and cheaper."""
    short_kept = float(np.clip(required - kept.rostered, 0, None).sum())
    short_new = float(np.clip(required - new.rostered, 0, None).sum())
    return short_new < short_kept - EPS or (abs(short_new - short_kept) <= EPS and new.cost < kept.cost - EPS)


def changed_shifts(old: pd.DataFrame, new: pd.DataFrame) -> int:
    """Shifts moved, added or dropped: (date, start, end) slots compared as multisets of roster.csv cells."""
    key = ["date", "start", "end"]
    a = Counter(map(tuple, old[key].astype(str).to_numpy().tolist()))
    b = Counter(map(tuple, new[key].astype(str).to_numpy().tolist()))
    return max(sum((b - a).values()), sum((a - b).values()))

"""Recovery: the least-cost use of the levers (:func:`recover`, a two-stage MILP through
:func:`wfm.milp.solve_highs`), and the re-roster lever (:func:`reoptimise`).

Stage 1 minimises the agent-intervals still short (so every interval the levers can reach is restored), then,
holding that, stage 2 minimises the total cost, starting from stage 1's plan. Every lever person on the
phones takes a seat: a capacity cut limits levers too.
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
from wfm.whatif.impact import EPS, WhatifBase, parse_roster, rostered, row_presence
from wfm.whatif.levers import LEVERS, RecoveryRows
from wfm.whatif.scenario import ReoptimiseLever, Scenario
from wfm.whatif.shocks import Shocked


@dataclass
class Recovery:
    """The least-cost use of the levers.

    status:      ``not_needed`` (nothing short), ``no_levers``, ``optimal`` or ``time_limit`` (best found)
    usage:       per interval: ``timestamp`` + agents on the phones from each lever used (people)
    hours:       per day: ``date`` + extra paid hours per lever (+ ``rest_days_cancelled``)
    cost_by_lever: lever -> cost; ``cost`` their sum
    rostered:    agent equivalents on the phones after recovery
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

    @property
    def cost(self) -> float:
        return float(sum(self.cost_by_lever.values()))

    @property
    def hours_by_lever(self) -> dict[str, float]:
        return {k: float(self.hours[k].sum()) for k in self.levers if k in self.hours.columns}


def recover(
    plan: WhatifBase,
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
    the phones (inf where no cut). Raises InfeasibleRoster when the solver returns no plan at all.
    """
    names = [n for n in scenario.levers.names if n != "reoptimise"]
    deficit = required - base > EPS
    if not deficit.any():
        return _unchanged(plan, names, base, "not_needed", dict.fromkeys(names, 0.0))
    if not names:
        return _unchanged(plan, names, base, "no_levers", {})
    rows = RecoveryRows(plan, scenario.name, deficit, absence)
    for lever in LEVERS:
        settings = getattr(scenario.levers, lever.name)
        if settings is not None:
            lever.add(rows, settings)
    if not rows.terms:
        return _unchanged(plan, names, base, "optimal", dict.fromkeys(names, 0.0))
    status = _solve_two_stages(rows, required, base, seats, time_limit_s=time_limit_s, gap=gap)
    return _read_back(rows, names, base, status)


def _unchanged(plan: WhatifBase, names: list[str], base: np.ndarray, status: str, cost: dict) -> Recovery:
    """No lever used: the published roster as it stands."""
    usage = pd.DataFrame({"timestamp": plan.timestamps, **{k: np.zeros(len(plan.timestamps)) for k in names}})
    return Recovery(status, names, usage, _empty_hours(plan, names), cost, base.copy())


def _empty_hours(plan: WhatifBase, names: list[str]) -> pd.DataFrame:
    hours = pd.DataFrame({"date": [d.strftime("%Y-%m-%d") for d in plan.dates]})
    for k in names:
        hours[k] = 0.0
    return hours


# =========================================================================== the two stages
def _solve_two_stages(
    rows: RecoveryRows, required: np.ndarray, base: np.ndarray, seats: np.ndarray, *, time_limit_s: float,
    gap: float,
) -> str:
    """Stage 1: fewest agent-intervals short; stage 2: least cost holding that. Leaves the values in the
    variables; returns ``optimal`` or ``time_limit``."""
    short = {int(t): pulp.LpVariable(f"short_{t}", 0) for t in np.flatnonzero(rows.deficit)}
    body = rows.constraints + _cover_rows(rows, short, required, base) + _seat_rows(rows, seats, base)
    shortfall = pulp.lpSum(short.values())
    status1 = _solve(rows.scenario, shortfall, body, time_limit_s, min(gap, 1e-6))
    s1 = sum(float(v.varValue or 0.0) for v in short.values())
    first = {t.var.name: float(t.var.varValue or 0.0) for t in rows.terms}
    first.update({v.name: float(v.varValue or 0.0) for v in short.values()})
    cost = pulp.lpSum(t.cost * t.var for t in rows.terms)
    # stage 2 starts from stage 1's plan, which already holds the shortfall
    hold = shortfall <= s1 + 1e-9 * max(1.0, s1) + 1e-9
    status2 = _solve(rows.scenario, cost, body + [hold], time_limit_s, gap, first)
    return "optimal" if status1 == status2 == "optimal" else "time_limit"


def _cover_rows(
    rows: RecoveryRows, short: dict[int, pulp.LpVariable], required: np.ndarray, base: np.ndarray
) -> list[pulp.LpConstraint]:
    """Per short interval: agent equivalents the levers add + still short >= required - base."""
    terms: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    for term in rows.terms:
        for t, c in term.cover.items():
            terms.setdefault(t, []).append((term.var, c))
    return [pulp.lpSum(c * v for v, c in terms.get(t, [])) + sv >= float(required[t] - base[t])
            for t, sv in short.items()]


def _seat_rows(rows: RecoveryRows, seats: np.ndarray, base: np.ndarray) -> list[pulp.LpConstraint]:
    """Per interval with a seat cap: people the levers add <= the seats left."""
    terms: dict[int, list[tuple[pulp.LpVariable, float]]] = {}
    for term in rows.terms:
        for t, c in term.people.items():
            terms.setdefault(t, []).append((term.var, c))
    out = []
    for t, people in terms.items():
        if np.isfinite(seats[t]):
            room = max(float(seats[t]) - float(base[t]), 0.0)
            out.append(pulp.lpSum(c * v for v, c in people) <= math.floor(room + 1e-9))
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


def _read_back(rows: RecoveryRows, names: list[str], base: np.ndarray, status: str) -> Recovery:
    """The solved terms as people per interval, paid hours per day and cost per lever."""
    plan = rows.plan
    use = {k: np.zeros(len(plan.timestamps)) for k in names}
    cover = base.copy()
    cost = dict.fromkeys(names, 0.0)
    for term in rows.terms:
        x = float(term.var.varValue or 0.0)
        x = float(round(x)) if term.var.cat == "Integer" else round(x, 6)
        if x <= 1e-9:
            continue
        cost[term.lever] += term.cost * x
        for t, cf in term.cover.items():
            cover[t] += cf * x
        for t, p in term.people.items():
            use[term.lever][t] += p * x
    hours = _empty_hours(plan, names)
    for k in names:
        if k != "rest_days":
            hours[k] = np.round(np.bincount(plan.day_of, weights=use[k] * plan.hours, minlength=len(plan.dates)), 4)
    cancelled = _read_rest_days(rows, hours) if "rest_days" in names else 0
    peak = int(math.ceil(use["back_office"].max() - 1e-6)) if "back_office" in names else 0
    usage = pd.DataFrame({"timestamp": plan.timestamps, **{k: np.round(use[k], 6) for k in names}})
    cost = {k: round(v, 4) for k, v in cost.items()}
    return Recovery(status, names, usage, hours, cost, cover, peak, cancelled)


def _read_rest_days(rows: RecoveryRows, hours: pd.DataFrame) -> int:
    """Paid hours and shifts of the cancelled rest days per day into ``hours``; returns the shifts. Hours are
    booked on the days they are worked (a shift past midnight splits its paid hours by its on-phone intervals
    on each day); a shift counts as cancelled on the day it starts."""
    per_day = np.zeros(len(rows.plan.dates))
    count = np.zeros(len(rows.plan.dates), dtype=np.int64)
    for d, v, paid_by_day in rows.rest_day_shifts:
        x = int(round(v.varValue or 0.0))
        per_day += x * paid_by_day
        count[d] += x
    hours["rest_days"] = np.round(per_day, 4)
    hours["rest_days_cancelled"] = count
    return int(count.sum())


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
    base2 = np.minimum(rostered(plan2, row_presence(plan2, shocked.absence)), shocked.seats)
    rec2 = recover(plan2, scenario, required, base2, shocked.absence, shocked.seats, time_limit_s=time_limit_s, gap=gap)
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

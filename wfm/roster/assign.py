"""Named assignment: the solved tour counts of :mod:`wfm.roster.model` become one row per agent and working day.

1. Each week's tour counts become agent-weeks (a contract, a template, a start band, the days worked).
2. Each day, the shifts started in a template are split over its bands (earliest-deadline greedy, exact
   because bands are intervals of start times and the model's band split is a feasible transport).
3. Each shift's breaks are dealt out from the solved break counts.
4. Agent-weeks go to agents, week by week, per contract, by a min-cost assignment
   (:func:`scipy.optimize.linear_sum_assignment`): an unavailable date or too little rest after the
   previous week's last shift costs ``HARD``; weekend days and night shifts already worked make more of
   them cost more (fair spread); a template outside an agent's preferences costs a little.

Deterministic: every step works in a fixed order and the assignment is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from wfm.clock import format_clock
from wfm.roster.domain import Agent, roster_dates
from wfm.roster.model import Model
from wfm.roster.rows import ROSTER_COLUMNS

HARD = 100_000.0
WEEKEND_WEIGHT = 1.0
NIGHT_WEIGHT = 1.0
PREFERENCE_WEIGHT = 0.5


@dataclass
class AgentWeek:
    contract: str
    template: str
    week: int
    shifts: list[tuple[int, int, tuple[int, ...]]] = field(default_factory=list)  # (day, start idx, offsets)


@dataclass
class Assigned:
    frame: pd.DataFrame
    agents_by_contract: dict[str, int]
    hard: dict[str, int]
    soft: dict[str, dict[str, float]]
    unused: list[str]


def _split_starts(starts: dict[int, int], bands: list[tuple[int, int]], demand: list[int]) -> list[list[int]]:
    """Give each band ``demand[b]`` start indices from ``starts`` (index -> count), each start inside the
    band; earliest-deadline greedy over starts in increasing order."""
    left = list(demand)
    out: list[list[int]] = [[] for _ in bands]
    for s in sorted(starts):
        for _ in range(starts[s]):
            for b, (i, j) in enumerate(bands):
                if i <= s < j and left[b] > 0:
                    out[b].append(s)
                    left[b] -= 1
                    break
            else:  # pragma: no cover - the model guarantees a split exists
                raise RuntimeError("roster: shift starts cannot be split over start bands")
    return out


def agent_weeks(m: Model, counts: dict[str, Any]) -> list[AgentWeek]:
    """Expand the solved counts into agent-weeks with their shifts and breaks."""
    units: list[tuple[int, int]] = []  # (tour index, week)
    for (ti, k), n in sorted(counts["w"].items(), key=lambda kv: (kv[0][1], kv[0][0])):
        units.extend([(ti, k)] * n)
    weeks = [AgentWeek(m.tours[ti].contract, m.tours[ti].template, k) for ti, k in units]
    x, y = counts["x"], counts["y"]
    for tname, sh in m.shifts.items():
        bands = m.bands[tname]
        for d in range(7 * m.weeks):
            k, dow = divmod(d, 7)
            members: list[list[int]] = [[] for _ in bands]
            for u, (ti, kk) in enumerate(units):
                t = m.tours[ti]
                if kk == k and t.template == tname and m.works(ti, kk, dow):
                    members[t.band].append(u)
            starts = {s: x.get((tname, s, d), 0) for s in range(len(sh)) if x.get((tname, s, d), 0)}
            split = _split_starts(starts, bands, [len(g) for g in members])
            # breaks of each start, dealt out in offset order
            offsets: dict[int, list[list[int]]] = {}
            for s in starts:
                per_break = []
                for kb, (_, _, e, l_) in enumerate(sh[s].breaks):
                    lst: list[int] = []
                    for o in range(e, l_ + 1, m.config.planning_interval_minutes):
                        lst.extend([o] * y.get((tname, s, d, kb, o), 0))
                    per_break.append(lst)
                offsets[s] = per_break
            taken: dict[int, int] = {}
            for b, group in enumerate(members):
                for u, s in zip(group, sorted(split[b]), strict=True):
                    i = taken.get(s, 0)
                    taken[s] = i + 1
                    weeks[u].shifts.append((d, s, tuple(lst[i] for lst in offsets[s])))
    return weeks


def assign(m: Model, counts: dict[str, Any], start: date, agents: list[Agent] | None) -> Assigned:
    """Name the agent-weeks and build the roster frame (see module docstring)."""
    aw = agent_weeks(m, counts)
    dates = roster_dates(start, m.weeks)
    by_contract = agents_by_contract(m, aw, agents)
    ledger = _Ledger()
    for c in m.config.contracts:
        if by_contract[c.name]:
            _assign_contract(m, c.name, by_contract[c.name], aw, dates, ledger)
    return _assigned(m, by_contract, ledger)


def agents_by_contract(m: Model, aw: list[AgentWeek], agents: list[Agent] | None) -> dict[str, list[Agent]]:
    """The named agents of each contract; without names, A0001... as many as the busiest week needs."""
    cfg = m.config
    if agents is not None:
        return {c.name: [a for a in agents if a.contract == c.name] for c in cfg.contracts}
    by_contract: dict[str, list[Agent]] = {}
    n = 0
    for c in cfg.contracts:
        need = max((sum(1 for a in aw if a.contract == c.name and a.week == k) for k in range(m.weeks)), default=0)
        by_contract[c.name] = [Agent(f"A{n + i + 1:04d}", c.name) for i in range(need)]
        n += need
    return by_contract


@dataclass
class _Ledger:
    """What the assignment has given so far: roster rows, hard-rule breaks, weekend days and nights."""

    rows: list[tuple[str, str, str, str, str, str, str]] = field(default_factory=list)
    hard: dict[str, int] = field(default_factory=lambda: {"unavailable": 0, "min_rest_between_weeks": 0})
    weekend_days: dict[str, int] = field(default_factory=dict)
    nights: dict[str, int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)


@dataclass
class _Crew:
    """One contract's agents and what each has worked so far."""

    people: list[Agent]
    unavailable: np.ndarray  # agents x dates, 1.0 on an unavailable date
    weekend_days: np.ndarray
    nights: np.ndarray
    last_end: np.ndarray  # absolute minute of the end of each agent's latest shift


@dataclass
class _Week:
    """One week's agent-weeks of a contract, as arrays for the cost matrix."""

    units: list[AgentWeek]
    work: np.ndarray  # units x dates, 1.0 on a working day
    weekend_days: np.ndarray
    nights: np.ndarray
    first_start: np.ndarray  # absolute minute of each unit's first shift start


def _week_of(m: Model, units: list[AgentWeek], weekend: np.ndarray) -> _Week:
    n_u = len(units)
    week = _Week(units, np.zeros((n_u, len(weekend))), np.zeros(n_u), np.zeros(n_u), np.full(n_u, np.inf))
    for j, u in enumerate(units):
        for d, s, _ in u.shifts:
            sh = m.shifts[u.template][s]
            week.work[j, d] = 1
            week.weekend_days[j] += weekend[d]
            week.nights[j] += sh.night
            week.first_start[j] = min(week.first_start[j], d * 1440 + sh.start_minute)
    return week


def _week_costs(crew: _Crew, week: _Week, rest: float) -> np.ndarray:
    """Agents x agents (agent-weeks padded with idle columns): HARD for an unavailable date or too little
    rest since the agent's last shift; weekend days and nights already worked; templates not preferred."""
    n_a, n_u = len(crew.people), len(week.units)
    cost = np.zeros((n_a, n_a))
    cost[:, :n_u] += HARD * (crew.unavailable @ week.work.T)
    cost[:, :n_u] += HARD * (week.first_start[None, :] - crew.last_end[:, None] < rest)
    cost[:, :n_u] += WEEKEND_WEIGHT * crew.weekend_days[:, None] * week.weekend_days[None, :]
    cost[:, :n_u] += NIGHT_WEIGHT * crew.nights[:, None] * week.nights[None, :]
    templates = [u.template for u in week.units]
    for i, a in enumerate(crew.people):
        if a.preferred_shifts:
            miss = np.array([t not in a.preferred_shifts for t in templates], dtype=float)
            cost[i, :n_u] += PREFERENCE_WEIGHT * miss * week.work.sum(axis=1)
    return cost


def _assign_contract(
    m: Model, contract: str, people: list[Agent], aw: list[AgentWeek], dates: list[date], ledger: _Ledger
) -> None:
    """Give one contract's agent-weeks to its agents, week by week, by a min-cost assignment."""
    rest = m.config.roster.min_rest_hours * 60
    weekend = np.array([d.weekday() >= 5 for d in dates])
    n_a = len(people)
    crew = _Crew(people, np.array([[d in a.unavailable for d in dates] for a in people], dtype=float),
                 np.zeros(n_a), np.zeros(n_a), np.full(n_a, -np.inf))
    for k in range(m.weeks):
        week = _week_of(m, [a for a in aw if a.contract == contract and a.week == k], weekend)
        if len(week.units) > n_a:  # pragma: no cover - the model caps tours by agents
            raise RuntimeError("roster: more tours than agents")
        ri, ci = linear_sum_assignment(_week_costs(crew, week, rest))
        for i, j in zip(ri, ci, strict=True):
            if j < len(week.units):
                _give(m, crew, i, week, j, rest, dates, ledger)
    for i, a in enumerate(people):
        ledger.weekend_days[a.agent_id] = int(crew.weekend_days[i])
        ledger.nights[a.agent_id] = int(crew.nights[i])


def _give(m: Model, crew: _Crew, i: int, week: _Week, j: int, rest: float, dates: list[date], ledger: _Ledger) -> None:
    """Agent ``i`` works agent-week ``j``: count what it breaks and add its roster rows."""
    u, a = week.units[j], crew.people[i]
    ledger.used.add(a.agent_id)
    ledger.hard["unavailable"] += int(crew.unavailable[i] @ week.work[j])
    ledger.hard["min_rest_between_weeks"] += int(week.first_start[j] - crew.last_end[i] < rest)
    crew.weekend_days[i] += week.weekend_days[j]
    crew.nights[i] += week.nights[j]
    for d, s, offs in u.shifts:
        sh = m.shifts[u.template][s]
        st = sh.start_minute
        crew.last_end[i] = max(crew.last_end[i], d * 1440 + st + sh.length_minutes)
        brk = ";".join(
            f"{format_clock(st + o)}-{format_clock(st + o + bm)}"
            for o, (bm, _, _, _) in zip(offs, sh.breaks, strict=True)
        )
        ledger.rows.append((a.agent_id, a.contract, dates[d].isoformat(), u.template, format_clock(st),
                            format_clock(st + sh.length_minutes), brk))


def _assigned(m: Model, by_contract: dict[str, list[Agent]], ledger: _Ledger) -> Assigned:
    """The roster frame (by agent, then date), agents used per contract, the unused and the fairness spread."""
    cfg = m.config
    frame = pd.DataFrame(ledger.rows, columns=ROSTER_COLUMNS).sort_values(["agent_id", "date"], kind="stable")
    frame = frame.reset_index(drop=True)
    used = ledger.used
    all_agents = [a for c in cfg.contracts for a in by_contract[c.name]]
    unused = [a.agent_id for a in all_agents if a.agent_id not in used]
    counts_by_contract = {c.name: sum(1 for a in by_contract[c.name] if a.agent_id in used) for c in cfg.contracts}
    soft: dict[str, dict[str, float]] = {}
    for label, per in (("fair_weekends", ledger.weekend_days), ("fair_nights", ledger.nights)):
        vals = [v for a, v in per.items() if a in used]
        spread = (max(vals) - min(vals)) if vals else 0
        soft[label] = {"amount": float(spread), "penalty": 0.0}
    return Assigned(frame, counts_by_contract, ledger.hard, soft, unused)

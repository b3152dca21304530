"""Named assignment: the solved tour counts of :mod:`wfm.roster` become one row per agent and working day.

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
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from wfm.roster import ROSTER_COLUMNS, Agent, _clock

if TYPE_CHECKING:
    from wfm.roster import Model

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
                if kk == k and t.template == tname and t.days[dow]:
                    members[t.band].append(u)
            starts = {s: x.get((tname, s, d), 0) for s in range(len(sh)) if x.get((tname, s, d), 0)}
            split = _split_starts(starts, bands, [len(g) for g in members])
            # breaks of each start, dealt out in offset order
            offsets: dict[int, list[list[int]]] = {}
            for s in starts:
                per_break = []
                for kb, (_, _, e, l_) in enumerate(sh[s].breaks):
                    lst: list[int] = []
                    for o in range(e, l_ + 1, m.config.centre.interval_minutes):
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
    cfg = m.config
    rest = cfg.roster.min_rest_hours * 60
    dates = [start + timedelta(days=i) for i in range(7 * m.weeks)]
    weekend = np.array([d.weekday() >= 5 for d in dates])
    # agents per contract
    by_contract: dict[str, list[Agent]] = {}
    if agents is None:
        n = 0
        for c in cfg.contracts:
            need = max((sum(1 for a in aw if a.contract == c.name and a.week == k) for k in range(m.weeks)), default=0)
            by_contract[c.name] = [Agent(f"A{n + i + 1:04d}", c.name) for i in range(need)]
            n += need
    else:
        for c in cfg.contracts:
            by_contract[c.name] = [a for a in agents if a.contract == c.name]
    rows: list[tuple[str, str, str, str, str, str, str]] = []
    hard = {"unavailable": 0, "min_rest_between_weeks": 0}
    weekend_days: dict[str, int] = {}
    nights: dict[str, int] = {}
    used: set[str] = set()
    for c in cfg.contracts:
        people = by_contract[c.name]
        if not people:
            continue
        n_a = len(people)
        w_count = np.zeros(n_a)
        n_count = np.zeros(n_a)
        last_end = np.full(n_a, -np.inf)  # absolute minute of the end of each agent's latest shift
        unavailable = np.array([[d in a.unavailable for d in dates] for a in people], dtype=float)
        for k in range(m.weeks):
            units = [a for a in aw if a.contract == c.name and a.week == k]
            n_u = len(units)
            if n_u > n_a:  # pragma: no cover - the model caps tours by agents
                raise RuntimeError("roster: more tours than agents")
            work = np.zeros((n_u, len(dates)))
            u_we = np.zeros(n_u)
            u_night = np.zeros(n_u)
            first_start = np.full(n_u, np.inf)
            u_pref = np.zeros((n_u,), dtype=object)
            for j, u in enumerate(units):
                for d, s, _ in u.shifts:
                    sh = m.shifts[u.template][s]
                    work[j, d] = 1
                    u_we[j] += weekend[d]
                    u_night[j] += sh.night
                    first_start[j] = min(first_start[j], d * 1440 + sh.start_minute)
                u_pref[j] = u.template
            cost = np.zeros((n_a, n_a))
            cost[:, :n_u] += HARD * (unavailable @ work.T)
            cost[:, :n_u] += HARD * (first_start[None, :] - last_end[:, None] < rest)
            cost[:, :n_u] += WEEKEND_WEIGHT * w_count[:, None] * u_we[None, :]
            cost[:, :n_u] += NIGHT_WEIGHT * n_count[:, None] * u_night[None, :]
            for i, a in enumerate(people):
                if a.preferred_shifts:
                    miss = np.array([t not in a.preferred_shifts for t in u_pref], dtype=float)
                    cost[i, :n_u] += PREFERENCE_WEIGHT * miss * work.sum(axis=1)
            ri, ci = linear_sum_assignment(cost)
            for i, j in zip(ri, ci, strict=True):
                if j >= n_u:
                    continue
                u = units[j]
                a = people[i]
                used.add(a.agent_id)
                hard["unavailable"] += int(unavailable[i] @ work[j])
                hard["min_rest_between_weeks"] += int(first_start[j] - last_end[i] < rest)
                w_count[i] += u_we[j]
                n_count[i] += u_night[j]
                for d, s, offs in u.shifts:
                    sh = m.shifts[u.template][s]
                    st = sh.start_minute
                    last_end[i] = max(last_end[i], d * 1440 + st + sh.length_minutes)
                    brk = ";".join(
                        f"{_clock(st + o)}-{_clock(st + o + bm)}" for o, (bm, _, _, _) in zip(offs, sh.breaks, strict=True)
                    )
                    rows.append((a.agent_id, c.name, dates[d].isoformat(), u.template, _clock(st),
                                 _clock(st + sh.length_minutes), brk))
        for i, a in enumerate(people):
            weekend_days[a.agent_id] = int(w_count[i])
            nights[a.agent_id] = int(n_count[i])
    frame = pd.DataFrame(rows, columns=ROSTER_COLUMNS).sort_values(["agent_id", "date"], kind="stable")
    frame = frame.reset_index(drop=True)
    all_agents = [a for c in cfg.contracts for a in by_contract[c.name]]
    unused = [a.agent_id for a in all_agents if a.agent_id not in used]
    counts_by_contract = {c.name: sum(1 for a in by_contract[c.name] if a.agent_id in used) for c in cfg.contracts}
    soft: dict[str, dict[str, float]] = {}
    for label, per in (("fair_weekends", weekend_days), ("fair_nights", nights)):
        vals = [v for a, v in per.items() if a in used]
        spread = (max(vals) - min(vals)) if vals else 0
        soft[label] = {"amount": float(spread), "penalty": 0.0}
    return Assigned(frame, counts_by_contract, hard, soft, unused)

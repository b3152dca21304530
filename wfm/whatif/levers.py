"""The recovery levers: one ``add_<lever>`` function per lever, collected in :data:`LEVERS`.

Each function adds its lever's terms (a variable, its cost, the agent equivalents and the people it puts on
the phones per interval) and its limits to the shared :class:`RecoveryRows`; :func:`wfm.whatif.recovery.recover`
builds the rows, calls every lever the scenario pulls and solves. Only intervals short before recovery get
lever terms (overtime: only as deep as the deepest short interval next to a shift).

- ``back_office``: back-office people on the phones within daily hours, each counting as
  ``1 / handle_time_factor`` of an agent, at most ``max_hours_per_day`` each;
- ``agency``: up to ``max_agents`` extra agents at once within daily hours;
- ``overtime``: published shifts extended before the start or after the end, at most ``max_hours_per_day``
  per agent and ``max_hours_per_week`` per agent (on the team's total per 7-day block);
- ``rest_days``: cancelled rest days, each an extra full shift (a template of the lever's contract) on a day
  off, limited per day by the agents off that day and over the plan by ``agents x (per_month - floor) x days / 30``.

Back office, agency and overtime are hours (people on the phones per interval may be fractional: an average
over the interval); cancelled rest days are whole shifts. The re-roster lever (``reoptimise``) is not a term
of this MILP: it reruns the recovery on a new roster (:func:`wfm.whatif.recovery.reoptimise`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pulp

from wfm.clock import parse_clock
from wfm.config import CentreConfig
from wfm.errors import ConfigError
from wfm.whatif.impact import WhatifBase, interval_index, row_presence
from wfm.whatif.scenario import (
    AgencyLever,
    BackOfficeLever,
    OvertimeLever,
    RestDaysLever,
    back_office_available,
)


@dataclass(frozen=True)
class Term:
    """One lever variable: its cost per unit, agent equivalents (``cover``) and people (``people``, who take
    seats) on the phones per unit, by interval."""

    lever: str
    var: pulp.LpVariable
    cost: float
    cover: dict[int, float]
    people: dict[int, float]


@dataclass
class RecoveryRows:
    """The recovery MILP as the levers build it: terms, limits, and the rest-day shifts for the read-back."""

    plan: WhatifBase
    scenario: str  # the scenario's name, for errors
    deficit: np.ndarray  # bool per interval: short before recovery
    absence: np.ndarray  # share absent per plan day
    terms: list[Term] = field(default_factory=list)
    constraints: list[pulp.LpConstraint] = field(default_factory=list)
    # (day the shift starts, var, paid hours on each day of the plan: booked where they are worked)
    rest_day_shifts: list[tuple[int, pulp.LpVariable, np.ndarray]] = field(default_factory=list)

    def add(self, lever: str, var: pulp.LpVariable, cost: float, cover: dict, people: dict) -> None:
        self.terms.append(Term(lever, var, cost, cover, people))


@dataclass(frozen=True)
class Lever:
    """A recovery lever: its scenario-file name, its label in reports and the function adding its terms."""

    name: str
    label: str
    add: Callable[[RecoveryRows, Any], None]


def in_hours(plan: WhatifBase, hours: tuple[str, str]) -> np.ndarray:
    """Intervals whose start falls within the daily ``hours`` (``["22:00", "06:00"]`` wraps midnight)."""
    mins = np.asarray(plan.timestamps.hour * 60 + plan.timestamps.minute)
    lo, hi = (parse_clock(h, "lever hours", end_of_day=True) for h in hours)
    return (mins >= lo) & (mins < hi) if lo < hi else (mins >= lo) | (mins < hi)


# =========================================================================== back office
def add_back_office(rows: RecoveryRows, bo: BackOfficeLever) -> None:
    """Back-office people on the phones in short intervals within ``hours``: at most the chosen roles'
    headcount at once and ``max_hours_per_day`` each per day; each counts as ``1 / handle_time_factor``."""
    plan, h = rows.plan, rows.plan.hours
    people = back_office_available(bo, plan.config)
    if people <= 0:
        return
    day_of = plan.day_of
    per_day: dict[int, list[pulp.LpVariable]] = {}
    for t in np.flatnonzero(in_hours(plan, bo.hours) & rows.deficit):
        v = pulp.LpVariable(f"bo_{t}", 0, people)
        rows.add("back_office", v, bo.cost_per_hour * h, {t: 1.0 / bo.handle_time_factor}, {t: 1.0})
        per_day.setdefault(int(day_of[t]), []).append(v)
    for vs in per_day.values():
        if bo.max_hours_per_day * people < len(vs) * h * people:
            rows.constraints.append(pulp.lpSum(vs) * h <= bo.max_hours_per_day * people)


# =========================================================================== agency
def add_agency(rows: RecoveryRows, ag: AgencyLever) -> None:
    """Agency agents in short intervals within ``hours``, up to ``max_agents`` at once."""
    if ag.max_agents <= 0:
        return
    h = rows.plan.hours
    for t in np.flatnonzero(in_hours(rows.plan, ag.hours) & rows.deficit):
        v = pulp.LpVariable(f"agency_{t}", 0, ag.max_agents)
        rows.add("agency", v, ag.cost_per_hour * h, {t: 1.0 / ag.handle_time_factor}, {t: 1.0})


# =========================================================================== overtime
def add_overtime(rows: RecoveryRows, ot: OvertimeLever) -> None:
    """Published shifts extended interval by interval before their start or after their end (a deeper
    extension needs the shallower one), per group of shifts with the same start, end and 7-day block: at
    most ``max_hours_per_day`` per agent and day, ``max_hours_per_week`` per agent on the block's total."""
    plan, s = rows.plan, rows.plan.shifts
    k_max = int(math.floor(ot.max_hours_per_day * 60 / plan.interval_minutes + 1e-9))
    if k_max <= 0 or not len(s):
        return
    grp = pd.DataFrame({"start": s.start, "end": s.end, "date": s.date, "w": row_presence(plan, rows.absence),
                        "agent": s.agent_id})
    grp["block"] = (((grp["date"] - plan.start.normalize()) // pd.Timedelta(days=1)) // 7).to_numpy()
    agents_in_block = grp.groupby("block")["agent"].nunique()
    weekly: dict[int, list[pulp.LpVariable]] = {}
    for gi, ((st, en, blk), g) in enumerate(grp.groupby(["start", "end", "block"], sort=True)):
        n_g = int(math.floor(g["w"].sum() + 1e-9))  # agents of the group who come in
        if n_g > 0:
            weekly.setdefault(int(blk), []).extend(_extensions(rows, ot, gi, st, en, n_g, k_max))
    for blk, vs in weekly.items():
        cap = ot.max_hours_per_week * int(agents_in_block.get(blk, 0))
        if vs and cap < len(vs) * plan.hours * 1e9:
            rows.constraints.append(pulp.lpSum(vs) * plan.hours <= cap)


def _extensions(
    rows: RecoveryRows, ot: OvertimeLever, gi: int, start: Any, end: Any, n_g: int, k_max: int
) -> list[pulp.LpVariable]:
    """The extension variables of one shift group (``n_g`` agents): ``k`` intervals before its start and
    after its end, only as deep as the deepest short interval."""
    plan, n_t = rows.plan, len(rows.plan.timestamps)
    i0 = int(interval_index(np.array([start], dtype="datetime64[ns]"), plan)[0])
    i1 = int(interval_index(np.array([end], dtype="datetime64[ns]"), plan)[0])
    pre_t = [t for t in (i0 - k for k in range(1, k_max + 1)) if 0 <= t < n_t]
    post_t = [t for t in (i1 + k - 1 for k in range(1, k_max + 1)) if 0 <= t < n_t] if i1 >= 0 else []
    chains = []
    for side, ts in (("pre", pre_t), ("post", post_t)):
        depth = max([k + 1 for k, t in enumerate(ts) if rows.deficit[t]], default=0)
        chain = []
        for k in range(depth):
            v = pulp.LpVariable(f"ot_{side}_{gi}_{k}", 0, n_g)
            rows.add("overtime", v, ot.cost_per_hour * plan.hours, {ts[k]: 1.0}, {ts[k]: 1.0})
            chain.append(v)
        chains.append(chain)
    pre_v, post_v = chains
    for chain in chains:
        for deeper, shallower in zip(chain[1:], chain[:-1], strict=False):
            rows.constraints.append(deeper <= shallower)
    for k in range(1, k_max + 1):  # per agent per day: (pre depth) + (post depth) <= k_max
        j = k_max + 1 - k
        if k - 1 < len(pre_v) and j - 1 < len(post_v):
            rows.constraints.append(pre_v[k - 1] + post_v[j - 1] <= n_g)
    return pre_v + post_v


# =========================================================================== rest days
@dataclass(frozen=True)
class ShiftTemplate:
    """A shift a cancelled rest day may be worked as: its on-phone interval offsets, start minutes, paid hours."""

    name: str
    offsets: np.ndarray  # on-phone interval offsets from the shift start
    starts: list[int]  # start minutes after midnight
    paid_hours: float


def shift_templates(config: CentreConfig, contract: str, ivl: int) -> list[ShiftTemplate]:
    """The config's shift templates for ``contract``, each break placed in the middle of its window."""
    out = []
    for s in config.shifts:
        if contract not in s.contracts:
            continue
        n = s.length_minutes // ivl
        mask = np.ones(n, dtype=bool)
        unpaid = 0
        for b in s.breaks:
            w0, w1 = (parse_clock(w, f"shift {s.name!r} break window", offset=True) for w in b.window)
            at = w0 + max((w1 - w0) - b.minutes, 0) // 2
            mask[at // ivl : min(n, -(-(at + b.minutes) // ivl))] = False
            unpaid += 0 if b.paid else b.minutes
        lo, hi = (parse_clock(x, f"shift {s.name!r} start", offset=True) for x in s.start)
        out.append(ShiftTemplate(s.name, np.flatnonzero(mask), list(range(lo, hi + 1, s.start_step_minutes)),
                                 (s.length_minutes - unpaid) / 60.0))
    return out


def add_rest_days(rows: RecoveryRows, rd: RestDaysLever) -> None:
    """Whole extra shifts (templates of ``contract``) on days off, covering some short interval: per day at
    most the contract's agents off that day (less absence), over the plan ``agents x (per_month - floor) x
    days / 30``."""
    plan, s = rows.plan, rows.plan.shifts
    ft = s.contract == rd.contract
    n_ft = len(np.unique(s.agent_id[ft]))
    total_cap = int(math.floor(n_ft * (rd.per_month - rd.floor) * len(plan.dates) / 30.0 + 1e-9))
    templates = shift_templates(plan.config, rd.contract, plan.interval_minutes)
    if not templates and n_ft:
        raise ConfigError(f"scenario {rows.scenario!r}, levers.rest_days: no shift template for contract {rd.contract!r}")
    if total_cap <= 0:
        return
    every: list[pulp.LpVariable] = []
    for d, date in enumerate(plan.dates):
        working = np.unique(s.agent_id[ft & (s.date == date.to_datetime64())])
        off = int(math.floor((n_ft - len(working)) * (1.0 - rows.absence[d]) + 1e-9))
        day = _rest_day_shifts(rows, rd, templates, d, date, off) if off > 0 else []
        if day:
            rows.constraints.append(pulp.lpSum(day) <= off)
        every += day
    if every:
        rows.constraints.append(pulp.lpSum(every) <= total_cap)


def _rest_day_shifts(
    rows: RecoveryRows, rd: RestDaysLever, templates: list[ShiftTemplate], d: int, date: pd.Timestamp, off: int
) -> list[pulp.LpVariable]:
    """One whole-shift variable per template and start on day ``d`` that covers a short interval."""
    plan, n_t = rows.plan, len(rows.plan.timestamps)
    d0 = int(interval_index(np.array([date.to_datetime64()], dtype="datetime64[ns]"), plan)[0])
    out = []
    for tpl in templates:
        for m in tpl.starts:
            ts = d0 + m // plan.interval_minutes + tpl.offsets
            ts = ts[(ts >= 0) & (ts < n_t)]
            if not rows.deficit[ts].any():
                continue
            v = pulp.LpVariable(f"rest_{d}_{tpl.name}_{m}", 0, off, cat="Integer")
            cover = {int(t): 1.0 for t in ts}
            rows.add("rest_days", v, rd.cost_per_hour * tpl.paid_hours, cover, dict(cover))
            rows.rest_day_shifts.append((d, v, _paid_by_day(plan, d0 + m // plan.interval_minutes, tpl)))
            out.append(v)
    return out


def _paid_by_day(plan: WhatifBase, first: int, tpl: ShiftTemplate) -> np.ndarray:
    """A shift's paid hours on each day of the plan, in proportion to its on-phone intervals on that day (a
    22:00 shift books most of its hours on the next day); intervals past the plan's end count on its last day."""
    worked = first + tpl.offsets
    n_d = len(plan.dates)
    day = np.where(worked < len(plan.timestamps), plan.day_of[np.clip(worked, 0, len(plan.timestamps) - 1)], n_d - 1)
    return tpl.paid_hours * np.bincount(np.clip(day, 0, n_d - 1), minlength=n_d) / max(len(worked), 1)


# =========================================================================== the list
# In the order the MILP adds their columns (kept as it was, so that ties between equally cheap levers break
# the same way); reports list the levers in the scenario file's order (``Levers.names``).
LEVERS: list[Lever] = [
    Lever("back_office", "back office", add_back_office),
    Lever("agency", "agency", add_agency),
    Lever("overtime", "overtime", add_overtime),
    Lever("rest_days", "rest days", add_rest_days),
]
# the re-roster lever is not a MILP term (see :func:`wfm.whatif.recovery.reoptimise`): only its label is here
LABELS = {**{lever.name: lever.label for lever in LEVERS}, "reoptimise": "re-roster"}

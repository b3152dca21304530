"""The recovery levers: one ``add_<lever>`` function per lever, collected in :data:`LEVERS`.

Each function adds its lever's terms (a variable, its cost, the agent equivalents and the people it puts on
the phones per interval) and its limits to the shared :class:`RecoveryRows`, and records what the naming
step (:mod:`wfm.whatif.naming`) needs to give every unit to a person; :func:`wfm.whatif.recovery.recover`
builds the rows, calls every lever the scenario pulls, solves and names. Only intervals short before
recovery get lever terms (overtime: only as deep as the deepest short interval next to a shift). Every
variable counts whole people.

- ``back_office``: back-office people on the phones within daily hours (and days), each counting as
  ``1 / handle_time_factor`` of an agent; at most the chosen roles' headcount at once and
  ``max_hours_per_day`` each;
- ``agency``: up to ``max_agents`` agency agents at once within daily hours;
- ``overtime``: published shifts extended before the start or after the end, per group of people with the
  same shift and the same room before and after it (rest hours from their neighbouring shifts): at most
  ``max_hours_per_day`` per person and day and ``max_hours_per_week`` per person (on the group's total per
  7-day block);
- ``rest_days``: cancelled rest days, each an extra whole shift (a template of the lever's contract, its
  breaks staggered over their windows) on a person's day off; per day the people off are grouped by the
  start and end their neighbouring shifts allow (``min_rest_hours``) and by whether the rules let them give
  up that day (rest days per week, the month's floor, consecutive days: :mod:`wfm.whatif.people`), and
  each group can work at most as many shifts as it has people; per 7-day block and calendar month, at most
  the rest days the people can give up.

The re-roster lever (``reoptimise``) is not a term of this MILP: it reruns the recovery on a new roster
(:func:`wfm.whatif.recovery.reoptimise`).
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
from wfm.roster.domain import Shift
from wfm.whatif.impact import WhatifBase
from wfm.whatif.people import People, PersonRules, recall_budget, run_if_working
from wfm.whatif.scenario import (
    AgencyLever,
    BackOfficeLever,
    OvertimeLever,
    RestDaysLever,
    back_office_available,
)

DAY = 1440


@dataclass(frozen=True)
class Term:
    """One lever variable: its cost per unit, agent equivalents (``cover``) and people (``people``, who take
    seats) on the phones per unit, by interval."""

    lever: str
    var: pulp.LpVariable
    cost: float
    cover: dict[int, float]
    people: dict[int, float]


@dataclass(frozen=True)
class RestSlot:
    """Recalled rest days: ``var`` shifts ``shift`` on day ``day``, worked by people of ``members``."""

    day: int
    members: np.ndarray  # person indices (People) off that day who may work it
    shift: Shift
    var: pulp.LpVariable
    group: int = 0  # the group of people off that day (slots of one group share its people)


@dataclass(frozen=True)
class OvertimeGroup:
    """People ``members`` on the same shift on day ``day``: ``pre[k]`` of them work ``k + 1`` intervals or more
    before its start, ``post[k]`` after its end."""

    day: int
    members: np.ndarray
    pre: list[pulp.LpVariable]
    post: list[pulp.LpVariable]


@dataclass
class RecoveryRows:
    """The recovery MILP as the levers build it: terms, limits, and what the naming step reads back."""

    plan: WhatifBase
    scenario: str  # the scenario's name, for errors
    deficit: np.ndarray  # bool per interval: short before recovery
    people: People
    rules: PersonRules
    terms: list[Term] = field(default_factory=list)
    constraints: list[pulp.LpConstraint] = field(default_factory=list)
    rest_slots: list[RestSlot] = field(default_factory=list)
    overtime: list[OvertimeGroup] = field(default_factory=list)
    per_interval: dict[str, dict[int, pulp.LpVariable]] = field(default_factory=dict)  # back office, agency

    def add(self, lever: str, var: pulp.LpVariable, cost: float, cover: dict, people: dict) -> None:
        self.terms.append(Term(lever, var, cost, cover, people))

    @property
    def offset(self) -> int:
        """Minutes from the plan's first midnight to its first interval (People count from that midnight)."""
        return int((self.plan.start - self.plan.start.normalize()) / pd.Timedelta(minutes=1))


@dataclass(frozen=True)
class Lever:
    """A recovery lever: its scenario-file name, its label in reports and the function adding its terms."""

    name: str
    label: str
    add: Callable[[RecoveryRows, Any], None]


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def in_hours(plan: WhatifBase, hours: tuple[str, str], days: list[str] | None = None) -> np.ndarray:
    """Intervals whose start falls within the daily ``hours`` (``["22:00", "06:00"]`` wraps midnight) on
    ``days`` (``mon`` .. ``sun``; all when None)."""
    mins = np.asarray(plan.timestamps.hour * 60 + plan.timestamps.minute)
    lo, hi = (parse_clock(h, "lever hours", end_of_day=True) for h in hours)
    inside = (mins >= lo) & (mins < hi) if lo < hi else (mins >= lo) | (mins < hi)
    if days is not None:
        inside &= np.isin(np.asarray(plan.timestamps.day_of_week), [WEEKDAYS.index(d) for d in days])
    return inside


# =========================================================================== back office
def add_back_office(rows: RecoveryRows, bo: BackOfficeLever) -> None:
    """Back-office people on the phones in short intervals within ``hours`` (and ``days``): at most the
    chosen roles' headcount at once and ``max_hours_per_day`` each per day; each counts as
    ``1 / handle_time_factor`` of an agent."""
    plan, h = rows.plan, rows.plan.hours
    people = back_office_available(bo, plan.config)
    if people <= 0:
        return
    day_of = plan.day_of
    per_day: dict[int, list[pulp.LpVariable]] = {}
    used = rows.per_interval.setdefault("back_office", {})
    for t in np.flatnonzero(in_hours(plan, bo.hours, bo.days) & rows.deficit):
        v = pulp.LpVariable(f"bo_{t}", 0, people)
        rows.add("back_office", v, bo.cost_per_hour * h, {int(t): 1.0 / bo.handle_time_factor}, {int(t): 1.0})
        per_day.setdefault(int(day_of[t]), []).append(v)
        used[int(t)] = v
    for vs in per_day.values():
        if bo.max_hours_per_day * people < len(vs) * h * people:
            rows.constraints.append(pulp.lpSum(vs) * h <= bo.max_hours_per_day * people)


# =========================================================================== agency
def add_agency(rows: RecoveryRows, ag: AgencyLever) -> None:
    """Agency agents in short intervals within ``hours``, up to ``max_agents`` at once."""
    if ag.max_agents <= 0:
        return
    h = rows.plan.hours
    used = rows.per_interval.setdefault("agency", {})
    for t in np.flatnonzero(in_hours(rows.plan, ag.hours) & rows.deficit):
        v = pulp.LpVariable(f"agency_{t}", 0, ag.max_agents)
        rows.add("agency", v, ag.cost_per_hour * h, {int(t): 1.0 / ag.handle_time_factor}, {int(t): 1.0})
        used[int(t)] = v


# =========================================================================== overtime
def neighbours(p: People, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per person and day: the end of the person's last shift before that day and the start of their next
    one after it (minutes; -inf / +inf when none), over the shifts in ``present``."""
    end = np.where(present, p.end, -np.inf).astype(float)
    start = np.where(present, p.start, np.inf).astype(float)
    before = np.full(end.shape, -np.inf)
    after = np.full(start.shape, np.inf)
    if end.shape[1] > 1:
        before[:, 1:] = np.maximum.accumulate(end, axis=1)[:, :-1]
        after[:, :-1] = np.minimum.accumulate(start[:, ::-1], axis=1)[:, ::-1][:, 1:]
    return before, after


def add_overtime(rows: RecoveryRows, ot: OvertimeLever) -> None:
    """Published shifts extended interval by interval before their start or after their end (a deeper
    extension needs the shallower one), per group of people on the same day with the same shift and the same
    room for it before and after (``min_rest_hours`` from their neighbouring shifts; before the start, not past
    the shift date's midnight): at most ``max_hours_per_day`` per person and day, ``max_hours_per_week`` per
    person (the group's total per 7-day block, and no deeper than a week's allowance)."""
    plan, pp = rows.plan, rows.people
    ivl = plan.interval_minutes
    k_max = int(math.floor(min(ot.max_hours_per_day, ot.max_hours_per_week) * 60 / ivl + 1e-9))
    if k_max <= 0 or not pp.works.any():
        return
    present = pp.works & ~pp.absent
    before, after = neighbours(pp, present)
    rest = rows.rules.min_rest_minutes
    with np.errstate(invalid="ignore"):
        pre_cap = np.clip(np.floor((pp.start - before - rest) / ivl), 0, k_max)
        post_cap = np.clip(np.floor((after - pp.end - rest) / ivl), 0, k_max)
        # an extension before the start stays on the shift's own date (its row keeps its date and clock times)
        midnight = np.arange(pp.start.shape[1])[None, :] * DAY
        pre_cap = np.minimum(pre_cap, np.clip((pp.start - midnight) // ivl, 0, None))
    who, day = np.nonzero(present)
    key = pd.DataFrame({"d": day, "s": pp.start[who, day], "e": pp.end[who, day],
                        "pre": pre_cap[who, day].astype(int), "post": post_cap[who, day].astype(int), "p": who})
    weekly: dict[int, list[pulp.LpVariable]] = {}
    for gi, ((d, st, en, pre, post), g) in enumerate(key.groupby(["d", "s", "e", "pre", "post"], sort=True)):
        members = g["p"].to_numpy()
        pre_v, post_v = _extensions(rows, ot, gi, int(st), int(en), len(members), int(pre), int(post), k_max)
        if pre_v or post_v:
            rows.overtime.append(OvertimeGroup(int(d), members, pre_v, post_v))
            weekly.setdefault(int(d) // 7, []).extend(pre_v + post_v)
    staff = {b: int(present[:, 7 * b: 7 * b + 7].any(axis=1).sum()) for b in weekly}
    for blk, vs in weekly.items():
        cap = ot.max_hours_per_week * staff[blk]
        if vs and cap < len(vs) * plan.hours * len(pp.ids):
            rows.constraints.append(pulp.lpSum(vs) * plan.hours <= cap)


def _extensions(
    rows: RecoveryRows, ot: OvertimeLever, gi: int, start: int, end: int, n_g: int, pre_cap: int, post_cap: int,
    k_max: int,
) -> tuple[list[pulp.LpVariable], list[pulp.LpVariable]]:
    """The extension variables of one group of ``n_g`` people: ``k`` intervals before its start (at most
    ``pre_cap``) and after its end (``post_cap``), only as deep as the deepest short interval."""
    plan, n_t, ivl = rows.plan, len(rows.plan.timestamps), rows.plan.interval_minutes
    i0, i1 = (start - rows.offset) // ivl, (end - rows.offset) // ivl
    pre_t = [i0 - k for k in range(1, pre_cap + 1)]
    post_t = [i1 + k - 1 for k in range(1, post_cap + 1)]
    chains = []
    for side, ts in (("pre", pre_t), ("post", post_t)):
        depth = max([k + 1 for k, t in enumerate(ts) if 0 <= t < n_t and rows.deficit[t]], default=0)
        chain = []
        for k in range(depth):
            v = pulp.LpVariable(f"ot_{side}_{gi}_{k}", 0, n_g)
            t = ts[k]
            on = {t: 1.0} if 0 <= t < n_t else {}
            rows.add("overtime", v, ot.cost_per_hour * plan.hours, on, dict(on))
            chain.append(v)
        chains.append(chain)
    pre_v, post_v = chains
    for chain in chains:
        for deeper, shallower in zip(chain[1:], chain[:-1], strict=False):
            rows.constraints.append(deeper <= shallower)
    for k in range(1, k_max + 1):  # per person per day: (pre depth) + (post depth) <= k_max
        j = k_max + 1 - k
        if k - 1 < len(pre_v) and j - 1 < len(post_v):
            rows.constraints.append(pre_v[k - 1] + post_v[j - 1] <= n_g)
    return pre_v, post_v


# =========================================================================== rest days
def recall_templates(config: CentreConfig, contract: str, ivl: int) -> list[Shift]:
    """Every start of every shift template of ``contract`` on the planning grid (:func:`wfm.roster.tours.shifts_of`)."""
    from wfm.roster.tours import shifts_of

    out: list[Shift] = []
    for t in config.shifts:
        if contract in t.contracts:
            out += shifts_of(t, ivl, grid="the planning grid")
    return out


def shift_cover(shift: Shift, ivl: int) -> np.ndarray:
    """Agents on the phones per interval of a shift (from its start) when the shifts of one start take
    each break at every place of its window in turn: 1 outside break windows, less inside."""
    n = shift.length_minutes // ivl
    cover = np.ones(n)
    for minutes, _paid, e, l_ in shift.breaks:
        places = list(range(e, l_ + 1, ivl))
        for o in places:
            cover[o // ivl: (o + minutes) // ivl] -= 1.0 / len(places)
    return cover


def add_rest_days(rows: RecoveryRows, rd: RestDaysLever) -> None:
    """Whole extra shifts (templates of ``contract``) on days off that cover some short interval. The people
    off each day are grouped by the shift starts and ends their neighbouring shifts leave room for
    (``min_rest_hours``), counting only those who may give up that day (rest days per 7-day block and per
    month, consecutive days); each group works at most as many shifts as it has people, and each 7-day block
    and month at most the rest days its people can give up."""
    plan, pp, rules = rows.plan, rows.people, rows.rules
    ivl, n_t = plan.interval_minutes, len(plan.timestamps)
    mine = pp.contract == rd.contract
    templates = recall_templates(plan.config, rd.contract, ivl)
    if not templates and mine.any():
        raise ConfigError(f"scenario {rows.scenario!r}, levers.rest_days: no shift template for contract {rd.contract!r}")
    present = pp.works & ~pp.absent
    block_left, month_left = recall_budget(pp.contract, pp.dates, rules, present)
    month, _ = rules.month_floors(pp.dates)
    before, after = neighbours(pp, present)
    rest = rules.min_rest_minutes
    covers = {id(sh): shift_cover(sh, ivl) for sh in templates}
    # people with the same days off over the plan share their budgets: a pattern's recalls per 7-day block
    # and per month are at most its people x what each may give up there
    pattern = np.unique(~present, axis=0, return_inverse=True)[1].ravel()
    per_block: dict[tuple[int, int], list[pulp.LpVariable]] = {}
    per_month: dict[tuple[int, int], list[pulp.LpVariable]] = {}
    for d in range(len(pp.dates)):
        off = np.flatnonzero(mine & ~pp.works[:, d] & ~pp.unavailable[:, d]
                             & (block_left[:, d // 7] >= 1) & (month_left[:, month[d]] >= 1))
        off = np.array([p for p in off if run_if_working(present[p], d) <= rules.max_consecutive_days],
                       dtype=np.int64)
        if not len(off):
            continue
        lo = np.maximum(before[off, d] + rest - d * DAY, 0)
        hi = np.minimum(after[off, d] - rest - d * DAY, 3 * DAY)
        classes = pd.DataFrame({"pat": pattern[off], "lo": lo, "hi": hi, "p": off}).groupby(["pat", "lo", "hi"], sort=True)["p"]
        by_start: dict[tuple[str, int], tuple[Shift, np.ndarray, np.ndarray, list[pulp.LpVariable]]] = {}
        for ci, ((pat, c_lo, c_hi), members) in enumerate(classes):
            day = []
            for sh in templates:
                if sh.start_minute < c_lo or sh.start_minute + sh.length_minutes > c_hi:
                    continue
                first = (d * DAY + sh.start_minute - rows.offset) // ivl
                cov = covers[id(sh)]
                ts = (first + np.arange(len(cov))) % n_t  # the plan is cyclic, as the roster's count
                if not rows.deficit[ts].any():
                    continue
                v = pulp.LpVariable(f"rest_{d}_{ci}_{sh.template}_{sh.start_minute}", 0, len(members))
                by_start.setdefault((sh.template, sh.start_minute), (sh, ts, cov, []))[3].append(v)
                rows.rest_slots.append(RestSlot(d, members.to_numpy(), sh, v, ci))
                day.append(v)
            if day:
                rows.constraints.append(pulp.lpSum(day) <= len(members))
                per_block.setdefault((int(pat), d // 7), []).extend(day)
                per_month.setdefault((int(pat), int(month[d])), []).extend(day)
        # one term per start: the shifts of every group starting then (fewer entries in the cover rows)
        for (name, m), (sh, ts, cov, xs) in sorted(by_start.items()):
            y = pulp.LpVariable(f"rest_{d}_{name}_{m}", 0)
            rows.constraints.append(y == pulp.lpSum(xs))
            cover: dict[int, float] = {}
            for t, c in zip(ts.tolist(), cov.tolist(), strict=True):
                cover[t] = cover.get(t, 0.0) + c
            rows.add("rest_days", y, rd.cost_per_hour * sh.paid_minutes / 60.0, cover, dict(cover))
    for (pat, b), vs in per_block.items():
        group = (pattern == pat) & mine
        rows.constraints.append(pulp.lpSum(vs) <= int(np.clip(block_left[group, b], 0, None).sum()))
    for (pat, m), vs in per_month.items():
        group = (pattern == pat) & mine
        rows.constraints.append(pulp.lpSum(vs) <= int(np.clip(month_left[group, m], 0, None).sum()))



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

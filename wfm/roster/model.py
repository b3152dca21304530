"""The aggregated roster MILP: the :class:`Model`, the ``CONSTRAINTS`` catalogue and one ``add_<rule>``
per rule that needs rows. :func:`build_model` reads as the table of contents.

Variables (all per week ``k`` or day ``d`` of the horizon):

- ``w[tour, k]`` agents working a tour type in week k (integer);
- ``x[template, start, d]`` shifts starting at a start time on a day (integer);
- ``z[template, band, start, d]`` the split of those starts over the start bands (continuous);
- ``y[template, start, d, break, offset]`` breaks taken at each offset from the start (integer);
- ``under[g]``, ``over[g]`` agent-intervals short of and above the requirement (continuous);
- with a queue judged over a day or week (:class:`wfm.staffing.ServiceCurves`): ``e[g]`` agents taking calls
  (integer, at most the rostered agents after shrinkage), ``step[g][j]`` and ``below[g]`` the agents above
  and under the curves' ``low`` (continuous), ``short[q, p]``, ``late[q, p]`` and ``busy[q, p]`` the calls
  short of a period's service-level target, call-seconds over its ASA target, agent-intervals over its
  occupancy cap.

Rules enforced by the tour types (see :mod:`wfm.roster.tours`) or by the named assignment (see
:mod:`wfm.roster.assign`) have no rows here; ``CONSTRAINTS`` says where each rule lives.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pulp

from wfm.config import CentreConfig
from wfm.roster.closures import Closures
from wfm.roster.domain import Rule, Shift, TourType
from wfm.roster.tours import template_bands, tour_types
from wfm.staffing import PeriodCurve, ServiceCurves

CONSTRAINTS: list[Rule] = [
    # hard: contract rules, built into the tour types (every agent-week is one tour type)
    Rule("days_per_week", "hard", "Working days per week within the contract's range", "tour types"),
    Rule("paid_hours", "hard", "Paid hours per week within the contract's range", "tour types"),
    Rule("consecutive_days_off", "hard", "A run of consecutive days off each week", "tour types"),
    Rule("one_shift_a_day", "hard", "At most one shift a day", "tour types"),
    Rule("min_rest", "hard", "Minimum rest between shifts", "tour types (in a week), assignment (across)"),
    Rule("start_band", "hard", "Start times within a band across the week", "tour types"),
    Rule("contract_template", "hard", "Only templates that serve the contract", "tour types"),
    # hard: rows in the model
    Rule("tour_link", "hard", "Shifts worked each day equal tours working that day (a holiday is not worked)",
         "add_tour_link"),
    Rule("opening_hours", "hard", "No shift while the centre is closed", "add_variables (shut starts fixed at 0)"),
    Rule("breaks", "hard", "Every shift takes each break inside its window", "add_breaks"),
    Rule("max_share", "hard", "A contract's share of the agents at most max_share", "add_max_share"),
    Rule("headcount", "hard", "The same agents every week (multi-week)", "add_headcount"),
    Rule("available_agents", "hard", "No more agents of a contract, in all or on a day, than agents.csv has",
         "add_available_agents"),
    Rule("unavailable", "hard", "No shift on an agent's unavailable date", "assignment"),
    Rule("seats", "hard", "Agents on site at most the seats ([roster] seats)", "add_seats"),
    Rule("cover", "hard", "Rostered (on shift, off break) + under - over = required scheduled (under = 0 with --strict)",
         "add_cover"),
    Rule("service_period", "hard", "Each period-judged queue's calls-weighted service level, ASA and occupancy "
         "over each day/week meet its targets, each interval's from the curve of its agents", "add_service_period"),
    # soft: penalised in the objective or in the assignment
    Rule("under_coverage", "soft", "Agent-intervals short of the requirement", "objective (under_penalty)"),
    Rule("over_coverage", "soft", "Agent-intervals above the requirement", "objective (over_penalty)"),
    Rule("period_shortfall", "soft", "Calls short of a period service-level target, call-seconds over its ASA "
         "target (per target second), agent-intervals over its occupancy cap", "objective (period_penalty)"),
    Rule("paid_cost", "soft", "Cost of paid hours", "objective (cost_per_paid_hour)"),
    Rule("fair_weekends", "soft", "Weekend days spread fairly across agents", "assignment"),
    Rule("fair_nights", "soft", "Night shifts spread fairly across agents", "assignment"),
    Rule("preferred_shifts", "soft", "Agents get their preferred shift templates", "assignment"),
]


@dataclass
class Model:
    """The PuLP problem and the index of its variables (plain Python lists/dicts)."""

    prob: pulp.LpProblem
    config: CentreConfig
    shifts: dict[str, list[Shift]]
    tours: list[TourType]
    bands: dict[str, list[tuple[int, int]]]
    weeks: int
    slots_per_day: int
    required: np.ndarray
    idx: pd.DatetimeIndex
    strict: bool
    w: dict[tuple[int, int], pulp.LpVariable] = field(default_factory=dict)  # (tour, week)
    x: dict[tuple[str, int, int], pulp.LpVariable] = field(default_factory=dict)  # (template, start, day)
    z: dict[tuple[str, int, int, int], pulp.LpVariable] = field(default_factory=dict)  # (template, band, start, day)
    y: dict[tuple[str, int, int, int, int], pulp.LpVariable] = field(default_factory=dict)  # (+break, offset)
    under: dict[int, pulp.LpVariable] = field(default_factory=dict)
    over: dict[int, pulp.LpVariable] = field(default_factory=dict)
    curves: ServiceCurves | None = None
    available: dict[str, int] | None = None
    available_by_day: dict[str, list[int]] | None = None
    e: dict[int, pulp.LpVariable] = field(default_factory=dict)  # interval: agents taking calls
    below: dict[int, pulp.LpVariable] = field(default_factory=dict)  # interval: the first agent under ``low``
    deep: dict[int, pulp.LpVariable] = field(default_factory=dict)  # interval: further agents under ``low``
    step: dict[int, list[pulp.LpVariable]] = field(default_factory=dict)  # interval: each agent above low
    short: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)  # (queue, period): calls
    late: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)  # (queue, period): call-seconds
    busy: dict[tuple[str, int], pulp.LpVariable] = field(default_factory=dict)  # (queue, period): agent-intervals
    cost_expr: pulp.LpAffineExpression | None = None
    closures: Closures | None = None  # when the centre is closed over the horizon (wfm.roster.closures)

    def works(self, ti: int, k: int, dow: int) -> bool:
        """Does an agent of tour type ``ti`` work day ``dow`` of week ``k``? (Its pattern's day, unless the
        centre is closed that day for a holiday.)"""
        return self.tours[ti].days[dow] and not (self.closures and 7 * k + dow in self.closures.holidays)

    def holidays_in(self, ti: int, k: int) -> int:
        """Days of tour type ``ti``'s pattern in week ``k`` that are holidays (not worked)."""
        if not self.closures or not self.closures.holidays:
            return 0
        return sum(on and 7 * k + dow in self.closures.holidays for dow, on in enumerate(self.tours[ti].days))

    def holiday_hours(self, ti: int, k: int) -> float:
        """Paid hours of the holidays an agent of tour type ``ti`` takes in week ``k`` (0 for an unpaid
        contract): a day's paid hours each."""
        t = self.tours[ti]
        h = self.holidays_in(ti, k)
        if not h or self.config.contract(t.contract).holiday != "paid":
            return 0.0
        return h * t.paid_hours / sum(t.days)

    def tour_paid(self, ti: int, k: int) -> float:
        """Paid hours of an agent of tour type ``ti`` in week ``k``: the shifts worked plus paid holidays."""
        t = self.tours[ti]
        h = self.holidays_in(ti, k)
        return t.paid_hours - h * t.paid_hours / sum(t.days) + self.holiday_hours(ti, k) if h else t.paid_hours

    def tour_cost(self, ti: int, k: int) -> float:
        """:meth:`tour_paid` at the contract's cost per paid hour."""
        t = self.tours[ti]
        return t.cost if not self.holidays_in(ti, k) else \
            self.tour_paid(ti, k) * self.config.contract(t.contract).cost_per_paid_hour


def _expr(pairs: dict) -> pulp.LpAffineExpression:
    return pulp.LpAffineExpression(list(pairs.items()))


def _add(prob: pulp.LpProblem, pairs: dict, sense: int, rhs: float, name: str) -> None:
    prob.addConstraint(pulp.LpConstraint(_expr(pairs), sense, name, rhs), name)


def add_tour_link(prob: pulp.LpProblem, m: Model) -> None:
    """``tour_<template>_<band>_<day>``: agents of a band starting a shift on a day = tours of that band
    working that day; ``shift_<template>_<start>_<day>``: the band split of each start adds up to ``x``."""
    by_band: dict[tuple[str, int, int], dict] = {}
    for (ti, k), var in m.w.items():
        t = m.tours[ti]
        for dow in range(7):
            if m.works(ti, k, dow):
                by_band.setdefault((t.template, t.band, k * 7 + dow), {})[var] = -1.0
    for tname, sh in m.shifts.items():
        for b, (i, j) in enumerate(m.bands[tname]):
            for d in range(7 * m.weeks):
                pairs = by_band.get((tname, b, d), {})
                for s in range(i, j):
                    pairs[m.z[(tname, b, s, d)]] = 1.0
                _add(prob, pairs, pulp.LpConstraintEQ, 0, f"tour_{tname}_{b}_{d}")
        for s in range(len(sh)):
            for d in range(7 * m.weeks):
                pairs = {m.z[(tname, b, s, d)]: 1.0 for b, (i, j) in enumerate(m.bands[tname]) if i <= s < j}
                pairs[m.x[(tname, s, d)]] = -1.0
                _add(prob, pairs, pulp.LpConstraintEQ, 0, f"shift_{tname}_{s}_{d}")


def add_breaks(prob: pulp.LpProblem, m: Model) -> None:
    """``break_<template>_<start>_<day>_<k>``: every agent on a shift takes break k once inside its window."""
    for tname, sh in m.shifts.items():
        for s, shift in enumerate(sh):
            for k, (_, _, e, l_) in enumerate(shift.breaks):
                step = m.config.planning_interval_minutes
                for d in range(7 * m.weeks):
                    pairs = {m.y[(tname, s, d, k, o)]: 1.0 for o in range(e, l_ + 1, step)}
                    pairs[m.x[(tname, s, d)]] = -1.0
                    _add(prob, pairs, pulp.LpConstraintEQ, 0, f"break_{tname}_{s}_{d}_{k}")


def add_max_share(prob: pulp.LpProblem, m: Model) -> None:
    """``max_share_<contract>_<week>``: agents of a contract <= max_share x all agents, each week."""
    for c in m.config.contracts:
        if c.max_share is None:
            continue
        for k in range(m.weeks):
            pairs = {}
            for (ti, kk), var in m.w.items():
                if kk == k:
                    pairs[var] = (1.0 if m.tours[ti].contract == c.name else 0.0) - c.max_share
            _add(prob, pairs, pulp.LpConstraintLE, 0, f"max_share_{c.name}_{k}")


def add_headcount(prob: pulp.LpProblem, m: Model) -> None:
    """``headcount_<contract>_<week>``: the same number of agents of each contract every week."""
    for c in m.config.contracts:
        for k in range(1, m.weeks):
            pairs = {}
            for (ti, kk), var in m.w.items():
                if m.tours[ti].contract == c.name and kk in (0, k):
                    pairs[var] = 1.0 if kk == k else -1.0
            _add(prob, pairs, pulp.LpConstraintEQ, 0, f"headcount_{c.name}_{k}")


def add_available_agents(
    prob: pulp.LpProblem, m: Model, available: dict[str, int], by_day: dict[str, list[int]] | None = None
) -> None:
    """``available_<contract>_<week>``: no more tours of a contract than agents.csv names; and
    ``available_<contract>_d<day>``: no more of them working a day than are available that day (so the
    named assignment can keep everyone off their unavailable dates)."""
    for c in m.config.contracts:
        if c.name not in available:
            continue
        for k in range(m.weeks):
            pairs = {var: 1.0 for (ti, kk), var in m.w.items() if kk == k and m.tours[ti].contract == c.name}
            _add(prob, pairs, pulp.LpConstraintLE, available[c.name], f"available_{c.name}_{k}")
        days = (by_day or {}).get(c.name)
        if not days:
            continue
        for d, n in enumerate(days):
            if n >= available[c.name]:
                continue  # nobody of this contract is away that day
            k, dow = divmod(d, 7)
            pairs = {var: 1.0 for (ti, kk), var in m.w.items()
                     if kk == k and m.tours[ti].contract == c.name and m.works(ti, kk, dow)}
            _add(prob, pairs, pulp.LpConstraintLE, n, f"available_{c.name}_d{d}")


def _on_site_rows(m: Model) -> list[dict]:
    """Per interval: the shift variables on site then (coefficient 1)."""
    ivl = m.config.planning_interval_minutes
    n = len(m.required)
    rows: list[dict] = [{} for _ in range(n)]
    for (tname, s, d), var in m.x.items():
        shift = m.shifts[tname][s]
        g0 = d * m.slots_per_day + shift.start_minute // ivl
        for g in range(g0, g0 + shift.length_minutes // ivl):
            rows[g % n][var] = 1.0
    return rows


def add_seats(prob: pulp.LpProblem, m: Model) -> None:
    """``seats_<YYYYMMDD_HHMM>``: agents on site (on shift, breaks included) at most ``[roster] seats``."""
    seats = m.config.roster.seats
    if seats is None:
        return
    for g, pairs in enumerate(_on_site_rows(m)):
        if pairs:
            _add(prob, pairs, pulp.LpConstraintLE, float(seats), f"seats_{m.idx[g]:%Y%m%d_%H%M}")


def _rostered_rows(m: Model) -> list[dict]:
    """Per interval: the variables of agents on shift and off break then (shifts +1, breaks -1)."""
    ivl = m.config.planning_interval_minutes
    n = len(m.required)
    spd = m.slots_per_day
    rows = _on_site_rows(m)
    for (tname, s, d, k, o), var in m.y.items():
        shift = m.shifts[tname][s]
        g0 = d * spd + (shift.start_minute + o) // ivl
        for g in range(g0, g0 + shift.breaks[k][0] // ivl):
            rows[g % n][var] = rows[g % n].get(var, 0.0) - 1.0
    return rows


def add_cover(prob: pulp.LpProblem, m: Model) -> None:
    """``cover_<YYYYMMDD_HHMM>``: rostered (on shift - on break) + under - over = required scheduled, every
    interval."""
    n = len(m.required)
    rows = _rostered_rows(m)
    for g in range(n):
        pairs = rows[g]
        if g in m.under:
            pairs[m.under[g]] = 1.0
        pairs[m.over[g]] = -1.0
        _add(prob, pairs, pulp.LpConstraintEQ, float(m.required[g]), f"cover_{m.idx[g]:%Y%m%d_%H%M}")


def build_model(
    required: np.ndarray,
    idx: pd.DatetimeIndex,
    config: CentreConfig,
    shifts: dict[str, list[Shift]],
    weeks: int,
    strict: bool,
    available: dict[str, int] | None = None,
    available_by_day: dict[str, list[int]] | None = None,
    curves: ServiceCurves | None = None,
    closures: Closures | None = None,
) -> Model:
    """Variables, objective and every ``add_<rule>`` of the aggregated roster model."""
    prob = pulp.LpProblem("roster", pulp.LpMinimize)
    m = Model(prob, config, shifts, tour_types(config, shifts), template_bands(config, shifts), weeks,
              1440 // config.planning_interval_minutes, required, idx, strict, curves=curves, available=available,
              available_by_day=available_by_day, closures=closures)
    add_variables(m)
    add_objective(m)
    add_tour_link(prob, m)
    add_breaks(prob, m)
    add_max_share(prob, m)
    add_headcount(prob, m)
    if available:
        add_available_agents(prob, m, available, available_by_day)
    add_seats(prob, m)
    add_cover(prob, m)
    if curves is not None:
        add_service_period(prob, m)
    return m


def build_cover_model(m: Model, required: np.ndarray) -> Model:
    """The same roster model without period rows, covering ``required`` in every interval (its variables have
    the same names as ``m``'s)."""
    return build_model(required, m.idx, m.config, m.shifts, m.weeks, m.strict, m.available, m.available_by_day,
                       closures=m.closures)


def periods_of(m: Model, period: str) -> np.ndarray:
    """Each interval's period index over the horizon: its day, or its week (7-day blocks from the start)."""
    day = np.arange(len(m.required)) // m.slots_per_day
    return day if period == "day" else day // 7


def add_service_period(prob: pulp.LpProblem, m: Model) -> None:
    """Period targets (Koole and van der Sluis 2003, a global service-level constraint), in the incremental
    form: each interval's agents taking calls are ``e = low + sum_j step[j] - below - deep``, where
    ``step[j]`` in [0, 1] is the (j+1)-th agent above ``low``. A queue's service level there is its value at
    ``low`` plus each step's gain (the curve is concave from ``low``, so the solver takes the steps in order
    and the figure is exact at whole agents); the first agent under ``low`` (``below``, at most 1) costs the
    whole service level at ``low`` (a line falling to 0 at ``low - 1``: never optimistic), each further one
    (``deep``) the first step's gain, so that trading agents under ``low`` for steps above it never pays;
    each agent under ``low`` adds the ASA at ``low`` plus its target.

    - ``agents_<ts>``: ``e - sum(step) + below + deep = low``;
    - ``effective_<ts>``: ``e`` (whole) at most the rostered agents x (1 - shrinkage), so at most their floor,
      as :func:`wfm.staffing.group_service_level` counts;
    - ``period_sl_<queue>_<p>``: calls answered in time over the period + ``short`` >= target x its calls;
    - ``period_asa_<queue>_<p>``: calls x ASA over the period - ``late`` <= ASA target x its calls;
    - ``period_occ_<queue>_<p>``: offered work over the period <= max_occupancy x agent time (intervals with
      calls) + ``busy``.
    """
    cv = m.curves
    assert cv is not None
    rows = _rostered_rows(m)
    keep = 1.0 - cv.shrinkage
    for g, var in m.e.items():
        ts = f"{m.idx[g]:%Y%m%d_%H%M}"
        pairs = {v: -keep[g] * c for v, c in rows[g].items()}
        pairs[var] = 1.0
        _add(prob, pairs, pulp.LpConstraintLE, 1e-7, f"effective_{ts}")
        pairs = {step: -1.0 for step in m.step[g]}
        pairs[var] = 1.0
        pairs[m.below[g]] = 1.0
        pairs[m.deep[g]] = 1.0
        _add(prob, pairs, pulp.LpConstraintEQ, float(cv.low[g]), f"agents_{ts}")
    for c in cv.curves:
        periods = periods_of(m, c.period)
        for p in np.unique(periods):
            mine = [int(g) for g in np.flatnonzero((periods == p) & (c.volume > 0))]
            if mine:
                _add_period_rows(prob, m, c, int(p), mine)


def _add_steps(pairs: dict, steps: list[pulp.LpVariable], changes: np.ndarray, keep) -> None:
    """Add each step's change of a curve (weighted by calls) to a row's coefficients, where ``keep`` accepts
    it (a step past the curve's last column changes nothing)."""
    for step, d in zip(steps, changes, strict=False):
        if keep(d):
            pairs[step] = pairs.get(step, 0.0) + float(d)


def _add_period_rows(prob: pulp.LpProblem, m: Model, c: PeriodCurve, p: int, mine: list[int]) -> None:
    """One queue's period rows over its intervals ``mine`` with calls."""
    calls = c.volume
    total = float(calls[mine].sum())
    sl, pairs = 0.0, {}
    for g in mine:
        f = c.service_level[g]
        sl += calls[g] * f[0]
        _add_steps(pairs, m.step[g], calls[g] * np.diff(f), lambda d: d > 1e-9)
        pairs[m.below[g]] = pairs.get(m.below[g], 0.0) - calls[g] * f[0]
        pairs[m.deep[g]] = pairs.get(m.deep[g], 0.0) - calls[g] * max(f[min(1, len(f) - 1)] - f[0], 0.0)
    pairs[m.short[(c.queue, p)]] = 1.0
    _add(prob, pairs, pulp.LpConstraintGE, c.target_over(mine) * total - sl, f"period_sl_{c.queue}_{p}")
    if c.asa_target is not None:
        asa, pairs = 0.0, {}
        for g in mine:
            h = c.asa[g]
            asa += calls[g] * h[0]
            _add_steps(pairs, m.step[g], calls[g] * np.diff(h), lambda d: d < -1e-9)
            pairs[m.below[g]] = pairs.get(m.below[g], 0.0) + calls[g] * (h[0] + c.asa_target)
            pairs[m.deep[g]] = pairs.get(m.deep[g], 0.0) + calls[g] * (h[0] + c.asa_target)
        pairs[m.late[(c.queue, p)]] = -1.0
        _add(prob, pairs, pulp.LpConstraintLE, c.asa_target * total - asa, f"period_asa_{c.queue}_{p}")
    if c.max_occupancy is not None:
        work = float(m.curves.work[mine].sum())
        pairs = {m.e[g]: -c.max_occupancy for g in mine}
        pairs[m.busy[(c.queue, p)]] = -1.0
        _add(prob, pairs, pulp.LpConstraintLE, -work, f"period_occ_{c.queue}_{p}")


def add_variables(m: Model) -> None:
    """``w`` per tour and week; per template ``x`` and ``y`` per start and day, then ``z`` per band; then
    ``under`` (not with strict) and ``over`` per interval. The order is the solver's column order."""
    prob, ivl = m.prob, m.config.planning_interval_minutes
    days = range(7 * m.weeks)
    for ti in range(len(m.tours)):
        for k in range(m.weeks):
            m.w[(ti, k)] = prob.add_variable(f"w_{ti}_{k}", lowBound=0, cat=pulp.LpInteger)
    shut = m.closures.shut if m.closures is not None else None
    for tname, sh in m.shifts.items():
        for s, shift in enumerate(sh):
            for d in days:
                closed = shut is not None and bool(shut[_shift_slots(m, shift, d)].any())
                m.x[(tname, s, d)] = prob.add_variable(f"x_{tname}_{s}_{d}", lowBound=0, upBound=0 if closed else None,
                                                       cat=pulp.LpInteger)
                for k, (_, _, e, l_) in enumerate(shift.breaks):
                    for o in range(e, l_ + 1, ivl):
                        m.y[(tname, s, d, k, o)] = prob.add_variable(
                            f"y_{tname}_{s}_{d}_{k}_{o}", lowBound=0, cat=pulp.LpInteger
                        )
        for b, (i, j) in enumerate(m.bands[tname]):
            for s in range(i, j):
                for d in days:
                    m.z[(tname, b, s, d)] = prob.add_variable(f"z_{tname}_{b}_{s}_{d}", lowBound=0)
    for g in range(len(m.required)):
        if not m.strict:
            m.under[g] = prob.add_variable(f"under_{g}", lowBound=0)
        m.over[g] = prob.add_variable(f"over_{g}", lowBound=0)
    if m.curves is not None:
        add_period_variables(m)


def _shift_slots(m: Model, shift: Shift, d: int) -> np.ndarray:
    """The horizon's intervals a shift starting on day ``d`` spans (wrapping, as the cyclic roster does)."""
    ivl = m.config.planning_interval_minutes
    first = d * m.slots_per_day + shift.start_minute // ivl
    return (first + np.arange(shift.length_minutes // ivl)) % len(m.required)


def add_period_variables(m: Model) -> None:
    """Per interval where a period-judged queue has calls: ``e`` (whole), ``below``, ``deep`` and one ``step`` per agent
    of the curves above ``low``; per queue and period: ``short``, ``late`` (ASA target) and ``busy``
    (occupancy cap)."""
    prob, cv = m.prob, m.curves
    busy = np.zeros(len(m.required), dtype=bool)
    for c in cv.curves:
        busy |= c.volume > 0
    width = max(c.service_level.shape[1] for c in cv.curves) - 1
    for g in (int(g) for g in np.flatnonzero(busy)):
        m.e[g] = prob.add_variable(f"e_{g}", lowBound=0, cat=pulp.LpInteger)
        m.below[g] = prob.add_variable(f"below_{g}", lowBound=0, upBound=min(1.0, float(cv.low[g])))
        m.deep[g] = prob.add_variable(f"deep_{g}", lowBound=0, upBound=max(0.0, float(cv.low[g]) - 1.0))
        m.step[g] = [prob.add_variable(f"step_{g}_{j}", lowBound=0, upBound=1) for j in range(width)]
    for c in cv.curves:
        for p in np.unique(periods_of(m, c.period)):
            m.short[(c.queue, int(p))] = prob.add_variable(f"short_{c.queue}_{p}", lowBound=0)
            if c.asa_target is not None:
                m.late[(c.queue, int(p))] = prob.add_variable(f"late_{c.queue}_{p}", lowBound=0)
            if c.max_occupancy is not None:
                m.busy[(c.queue, int(p))] = prob.add_variable(f"busy_{c.queue}_{p}", lowBound=0)


def add_objective(m: Model) -> None:
    """Minimise paid cost (``paid_cost``) + ``under_penalty`` x under (``under_coverage``) + ``over_penalty``
    x over (``over_coverage``)."""
    rs = m.config.roster
    cost = {var: m.tour_cost(ti, k) for (ti, k), var in m.w.items()}
    m.cost_expr = _expr(cost)
    obj = dict(cost)
    for var in m.under.values():
        obj[var] = rs.under_penalty
    for var in m.short.values():
        obj[var] = rs.period_penalty
    targets = {c.queue: c.asa_target for c in (m.curves.curves if m.curves else [])}
    for (q, _), var in m.late.items():
        obj[var] = rs.period_penalty / float(targets[q])
    for var in m.busy.values():
        obj[var] = rs.period_penalty
    if rs.over_penalty:
        for var in m.over.values():
            obj[var] = rs.over_penalty
    m.prob.setObjective(_expr(obj))

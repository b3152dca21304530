"""Roster: required agents per interval -> weekly (or multi-week) shift roster at least cost (PuLP MILP).

The model is *implicit* (aggregated): it chooses how many agents work each tour type (contract x shift
template x start-time band x days-on pattern, per week), how many of them start each shift at each start time
on each day, and how many take each break at each offset; names are given afterwards
(:mod:`wfm.roster.assign`). Model size therefore grows with the number of start times and days, not with
the number of agents: a 1,300-seat week is a few thousand integer variables.

Business names: an :class:`Agent` works :class:`Shift` s; the result is a :class:`Roster`.

Rules (``CONSTRAINTS``, hard first). Contract rules are *built into the tour types*: a tour type exists only
if it satisfies them, so every agent's week satisfies them by construction and the model needs no row for
them; the rules that need rows are ``add_<rule>(prob, model)`` functions adding constraints with stable names.

The roster is *cyclic*: it repeats every ``weeks`` weeks, so a night shift starting on the last evening
covers the first morning of the horizon (:func:`coverage` wraps the same way).

Roster frame (``roster.csv``), one row per agent and working day::

    agent_id, contract, date (YYYY-MM-DD), shift (template name), start (HH:MM), end (HH:MM, the next day
    when not after start), breaks ("HH:MM-HH:MM;..." clock times, in shift order)

Coverage frame (``coverage.csv``), one row per interval::

    timestamp, required (scheduled agents asked for), on_phone (on shift and not on break), over, under,
    service_level (pooled Erlang value for the agents on the phones, after shrinkage)
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pulp

from wfm.clock import format_clock, parse_clock
from wfm.config import CentreConfig, Contract, ShiftTemplate
from wfm.errors import ConfigError, InfeasibleRoster, InputError
from wfm.milp import highs_available, largest_remainder, solve_highs
from wfm.roster.rows import (  # noqa: F401 - read_roster is part of wfm.roster
    ROSTER_COLUMNS,
    count_spans,
    parse_roster_rows,
    read_roster,
    rostered_per_interval,
)
from wfm.staffing import group_service_level, staffing_requirement, worst_interval

COVERAGE_COLUMNS = ["timestamp", "required", "on_phone", "over", "under", "service_level"]
AGENT_COLUMNS = ["agent_id", "contract", "unavailable", "preferred_shifts"]
SUMMARY_KEYS = [
    "objective", "lower_bound", "gap", "paid_hours", "cost", "agents", "agents_by_contract",
    "under_agent_intervals", "worst_interval", "solve_seconds", "solver",
]
MAX_WEEKS = 6


# =========================================================================== rules
@dataclass(frozen=True)
class Rule:
    """One roster rule: ``level`` is "hard" or "soft"; ``how`` says where it is enforced."""

    name: str
    level: str
    label: str
    how: str


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
    Rule("tour_link", "hard", "Shifts worked each day equal tours working that day", "add_tour_link"),
    Rule("breaks", "hard", "Every shift takes each break inside its window", "add_breaks"),
    Rule("max_share", "hard", "A contract's share of the agents at most max_share", "add_max_share"),
    Rule("headcount", "hard", "The same agents every week (multi-week)", "add_headcount"),
    Rule("available_agents", "hard", "No more agents of a contract, in all or on a day, than agents.csv has",
         "add_available_agents"),
    Rule("unavailable", "hard", "No shift on an agent's unavailable date", "assignment"),
    Rule("seats", "hard", "Agents on site at most the seats ([roster] seats)", "add_seats"),
    Rule("cover", "hard", "On the phones + under - over = required (under = 0 with --strict)", "add_cover"),
    # soft: penalised in the objective or in the assignment
    Rule("under_coverage", "soft", "Agent-intervals short of the requirement", "objective (under_penalty)"),
    Rule("over_coverage", "soft", "Agent-intervals above the requirement", "objective (over_penalty)"),
    Rule("paid_cost", "soft", "Cost of paid hours", "objective (cost_per_paid_hour)"),
    Rule("fair_weekends", "soft", "Weekend days spread fairly across agents", "assignment"),
    Rule("fair_nights", "soft", "Night shifts spread fairly across agents", "assignment"),
    Rule("preferred_shifts", "soft", "Agents get their preferred shift templates", "assignment"),
]


# =========================================================================== domain
@dataclass(frozen=True)
class Shift:
    """One shift template at one start time (minutes after midnight), with its break windows as
    ``(minutes, paid, earliest_start_offset, latest_start_offset)`` in minutes from the shift start."""

    template: str
    start_minute: int
    length_minutes: int
    paid_minutes: int
    breaks: tuple[tuple[int, bool, int, int], ...]
    night: bool


@dataclass(frozen=True)
class Agent:
    agent_id: str
    contract: str
    unavailable: frozenset[date] = frozenset()
    preferred_shifts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TourType:
    """A week's work pattern: contract, template, start band (indices into the template's starts) and the
    days worked (a 7-tuple of booleans, Monday first)."""

    contract: str
    template: str
    band: int
    days: tuple[bool, ...]
    paid_hours: float
    cost: float


@dataclass
class Roster:
    """A solved roster with its score (objective, bound, gap) and per-rule breakdown."""

    assignments: pd.DataFrame
    coverage: pd.DataFrame
    status: str
    objective: float
    lower_bound: float
    gap: float
    paid_hours: float
    cost: float
    agents: int
    agents_by_contract: dict[str, int]
    under_agent_intervals: int
    over_agent_intervals: int
    worst_interval: str | None
    worst_service_level: float | None
    solve_seconds: float
    solver: str
    weeks: int
    start: date
    hard: dict[str, int] = field(default_factory=dict)
    soft: dict[str, dict[str, float]] = field(default_factory=dict)
    model_size: dict[str, int] = field(default_factory=dict)
    unused_agents: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds: build, solve, assign, coverage

    @property
    def uncovered(self) -> pd.DataFrame:
        """Intervals with agents short, worst first."""
        c = self.coverage
        return c[c["under"] > 0].sort_values(["under", "timestamp"], ascending=[False, True], kind="stable")

    def summary(self) -> dict[str, Any]:
        """The --json keys (and a few more)."""
        return {
            "objective": round(self.objective, 4),
            "lower_bound": round(self.lower_bound, 4),
            "gap": round(self.gap, 6),
            "paid_hours": round(self.paid_hours, 2),
            "cost": round(self.cost, 4),
            "agents": self.agents,
            "agents_by_contract": dict(self.agents_by_contract),
            "under_agent_intervals": self.under_agent_intervals,
            "over_agent_intervals": self.over_agent_intervals,
            "worst_interval": self.worst_interval,
            "worst_service_level": None if self.worst_service_level is None else round(self.worst_service_level, 4),
            "solve_seconds": round(self.solve_seconds, 2),
            "solver": self.solver,
            "status": self.status,
            "weeks": self.weeks,
            "start": self.start.isoformat(),
            "hard": dict(self.hard),
            "soft": {k: dict(v) for k, v in self.soft.items()},
            "unused_agents": list(self.unused_agents),
        }

    to_json = summary


# =========================================================================== config checks
def _hhmm(text: str, where: str) -> int:
    """``"HH:MM"`` -> minutes; hours may exceed 23 (break windows are offsets from the shift start)."""
    try:
        return parse_clock(text, where, offset=True)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a time HH:MM") from None


_clock = format_clock


def shifts_of(template: ShiftTemplate, interval_minutes: int, where: str = "config") -> list[Shift]:
    """Every start time of a template as a :class:`Shift`; raises ConfigError for contradictions."""
    name = f"{where}: shift {template.name!r}"
    first = _hhmm(template.start[0], f"{name} start")
    last = _hhmm(template.start[1], f"{name} start")
    if first >= 1440 or last >= 1440:
        raise ConfigError(f"{name}: start times must be before 24:00")
    if last < first:
        raise ConfigError(f"{name}: latest start {template.start[1]} is before earliest start {template.start[0]}")
    for label, value in (
        ("earliest start", first),
        ("start_step_minutes", template.start_step_minutes if last > first else 0),
        ("length_minutes", template.length_minutes),
    ):
        if value % interval_minutes:
            raise ConfigError(f"{name}: {label} ({value} min) is not a whole number of {interval_minutes}-minute intervals")
    length = template.length_minutes
    breaks: list[tuple[int, bool, int, int]] = []
    for k, b in enumerate(template.breaks):
        a = _hhmm(b.window[0], f"{name} break {k + 1} window")
        z = _hhmm(b.window[1], f"{name} break {k + 1} window")
        if b.minutes % interval_minutes or a % interval_minutes or z % interval_minutes:
            raise ConfigError(
                f"{name}: break {k + 1} ({b.minutes} min, window {b.window[0]}-{b.window[1]}) is not on the "
                f"{interval_minutes}-minute interval grid"
            )
        if z > length:
            raise ConfigError(
                f"{name}: break {k + 1} window {b.window[0]}-{b.window[1]} ends after the {length // 60}h{length % 60:02d} shift"
            )
        if z - a < b.minutes:
            raise ConfigError(
                f"{name}: break {k + 1} of {b.minutes} min does not fit in its window {b.window[0]}-{b.window[1]}"
            )
        breaks.append((b.minutes, b.paid, a, z - b.minutes))
    breaks.sort(key=lambda t: t[2])
    for (m1, _, _, l1), (_m2, _, e2, _) in itertools.pairwise(breaks):
        if l1 + m1 > e2:
            raise ConfigError(f"{name}: break windows overlap (each break's window must end before the next one's starts)")
    paid = length - sum(m for m, p, _, _ in breaks if not p)
    starts = range(first, last + 1, template.start_step_minutes)
    return [
        Shift(template.name, s, length, paid, tuple(breaks), night=(s + length > 1440 or s < 300))
        for s in starts
    ]


def start_bands(shifts: list[Shift], band_minutes: int) -> list[tuple[int, int]]:
    """Maximal groups ``[i, j)`` of a template's starts spanning at most ``band_minutes``."""
    starts = [s.start_minute for s in shifts]
    bands: list[tuple[int, int]] = []
    last_j = 0
    for i in range(len(starts)):
        j = i
        while j < len(starts) and starts[j] - starts[i] <= band_minutes:
            j += 1
        if j > last_j:
            bands.append((i, j))
            last_j = j
        if j == len(starts):
            break
    return bands


def day_patterns(contract: Contract) -> list[tuple[bool, ...]]:
    """Days-on patterns (Monday first) meeting the contract's days per week and consecutive days off."""
    lo, hi = contract.days_range
    out = []
    for bits in itertools.product((True, False), repeat=7):
        n = sum(bits)
        if not lo <= n <= hi:
            continue
        if contract.consecutive_days_off and n < 7:
            longest = max(len(list(g)) for k, g in itertools.groupby(bits) if not k) if n < 7 else 0
            if longest < contract.consecutive_days_off:
                continue
        out.append(tuple(bits))
    return out


def check_roster_config(config: CentreConfig) -> dict[str, list[Shift]]:
    """Validate the roster sections; return each template's shifts. Raises ConfigError naming the conflict."""
    where = config.source or "config"
    if not config.contracts:
        raise ConfigError(f"{where}: no [[contracts]]: a roster needs at least one contract")
    if not config.shifts:
        raise ConfigError(f"{where}: no [[shifts]]: a roster needs at least one shift template")
    ivl = config.centre.interval_minutes
    names = {c.name for c in config.contracts}
    shifts: dict[str, list[Shift]] = {}
    rest = config.roster.min_rest_hours * 60
    for t in config.shifts:
        unknown = [c for c in t.contracts if c not in names]
        if unknown:
            raise ConfigError(f"{where}: shift {t.name!r} serves unknown contract {unknown[0]!r}")
        shifts[t.name] = shifts_of(t, ivl, where)
        if t.length_minutes + rest > 1440:
            raise ConfigError(
                f"{where}: shift {t.name!r} lasts {t.length_minutes / 60:g} h, so {config.roster.min_rest_hours:g} h "
                "of rest cannot fit before the next day's shift (shorten it or lower min_rest_hours)"
            )
    for c in config.contracts:
        serving = [t for t in config.shifts if c.name in t.contracts]
        if not serving:
            raise ConfigError(f"{where}: contract {c.name!r} is served by no shift template (list it in a [[shifts]] contracts)")
        if not day_patterns(c):
            raise ConfigError(f"{where}: contract {c.name!r}: no week has {c.days_range} days with {c.consecutive_days_off} consecutive days off")
        lo, hi = c.hours_range
        if not any(_days_for_hours(c, shifts[t.name][0].paid_minutes) for t in serving):
            paid = ", ".join(f"{t.name!r} {shifts[t.name][0].paid_minutes / 60:g} h" for t in serving)
            d0, d1 = c.days_range
            raise ConfigError(
                f"{where}: contract {c.name!r}: hours cannot add up: {d0}-{d1} days of {paid} paid never give "
                f"{lo:g}-{hi:g} paid hours a week"
            )
    return shifts


def _days_for_hours(contract: Contract, paid_minutes: int) -> list[int]:
    lo, hi = contract.hours_range
    d0, d1 = contract.days_range
    return [n for n in range(max(d0, 1), d1 + 1) if lo - 1e-9 <= n * paid_minutes / 60 <= hi + 1e-9]


def tour_types(config: CentreConfig, shifts: dict[str, list[Shift]]) -> list[TourType]:
    """All week patterns allowed by the contracts, templates and start bands, in a stable order."""
    band = config.roster.start_band_minutes
    rest = int(config.roster.min_rest_hours * 60)
    out: list[TourType] = []
    for c in config.contracts:
        pats = day_patterns(c)
        for t in config.shifts:
            if c.name not in t.contracts:
                continue
            sh = shifts[t.name]
            paid = sh[0].paid_minutes
            ok_days = set(_days_for_hours(c, paid))
            # consecutive days in one band: start(d+1) >= start(d) - width, so rest >= 24h - length - width
            width = min(band, 1440 - t.length_minutes - rest)
            for b, _ in enumerate(start_bands(sh, width)):
                for p in pats:
                    if sum(p) in ok_days:
                        hours = sum(p) * paid / 60
                        out.append(TourType(c.name, t.name, b, p, hours, hours * c.cost_per_paid_hour))
    return out


# =========================================================================== horizon and requirement
def horizon_requirement(
    staffing: pd.DataFrame, config: CentreConfig, start: date | None, weeks: int
) -> tuple[date, pd.DatetimeIndex, np.ndarray, pd.DataFrame]:
    """The horizon's interval starts, required agents per interval and a staffing frame over the horizon.

    Intervals the staffing file lacks are taken from the same time whole weeks earlier or later (so one
    week of staffing serves a multi-week roster); an interval with no such week is an InputError.
    """
    for col in ("timestamp", "queue", "scheduled"):
        if col not in staffing.columns:
            raise InputError(f"staffing is missing column {col!r} (make it with `wfm staff`)")
    if staffing.empty:
        raise InputError("staffing has no rows")
    st = staffing.copy()
    st["timestamp"] = pd.to_datetime(st["timestamp"])
    if start is None:
        start = st["timestamp"].min().date()
    ivl = config.centre.interval_minutes
    stamps = np.sort(st["timestamp"].unique())
    if len(stamps) > 1:
        step = int(np.diff(stamps).min() // np.timedelta64(1, "m"))
        if step != ivl:
            raise InputError(
                f"staffing intervals are {step} minutes but the config's interval_minutes is {ivl}"
            )
    idx = pd.date_range(pd.Timestamp(start), periods=weeks * 7 * 1440 // ivl, freq=f"{ivl}min", name="timestamp")
    have = set(st["timestamp"].unique())
    source = np.empty(len(idx), dtype="datetime64[ns]")
    values = idx.to_numpy()
    week = np.timedelta64(7, "D")
    lo, hi = st["timestamp"].min().to_datetime64(), st["timestamp"].max().to_datetime64()
    for i, ts in enumerate(values):
        if ts in have:
            source[i] = ts
            continue
        k = int(np.floor((ts - lo) / week))
        cand = ts - k * week
        if cand not in have:
            cand = cand + week
        if cand < lo or cand > hi or cand not in have:
            raise InputError(
                f"staffing has no interval {pd.Timestamp(ts):%Y-%m-%d %H:%M} (nor the same time in another week) "
                f"for a {weeks}-week roster from {start}"
            )
        source[i] = cand
    shift_by = values - source
    # staffing frame over the horizon (each queue row moved to the horizon timestamp it serves)
    src = pd.DataFrame({"timestamp": values, "_src": source, "_shift": shift_by})
    rows = src.merge(st, left_on="_src", right_on="timestamp", suffixes=("", "_orig"))
    rows = rows.drop(columns=["timestamp_orig", "_src", "_shift"]).sort_values(["timestamp"], kind="stable")
    horizon_staffing = rows.reset_index(drop=True)
    req = staffing_requirement(horizon_staffing, config).set_index("timestamp")["scheduled"]
    required = req.reindex(idx).fillna(0).to_numpy(np.int64)
    return start, idx, required, horizon_staffing


# =========================================================================== model
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
    cost_expr: pulp.LpAffineExpression | None = None


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
        for dow, on in enumerate(t.days):
            if on:
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
                step = m.config.centre.interval_minutes
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
                     if kk == k and m.tours[ti].contract == c.name and m.tours[ti].days[dow]}
            _add(prob, pairs, pulp.LpConstraintLE, n, f"available_{c.name}_d{d}")


def _on_site_rows(m: Model) -> list[dict]:
    """Per interval: the shift variables on site then (coefficient 1)."""
    ivl = m.config.centre.interval_minutes
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


def add_cover(prob: pulp.LpProblem, m: Model) -> None:
    """``cover_<YYYYMMDD_HHMM>``: on shift - on break + under - over = required, every interval."""
    ivl = m.config.centre.interval_minutes
    n = len(m.required)
    spd = m.slots_per_day
    rows = _on_site_rows(m)
    for (tname, s, d, k, o), var in m.y.items():
        shift = m.shifts[tname][s]
        g0 = d * spd + (shift.start_minute + o) // ivl
        for g in range(g0, g0 + shift.breaks[k][0] // ivl):
            rows[g % n][var] = rows[g % n].get(var, 0.0) - 1.0
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
) -> Model:
    """Variables, objective and every ``add_<rule>`` of the aggregated roster model."""
    rs = config.roster
    ivl = config.centre.interval_minutes
    tours = tour_types(config, shifts)
    band_w = config.roster.start_band_minutes
    rest = int(rs.min_rest_hours * 60)
    bands = {
        t.name: start_bands(shifts[t.name], min(band_w, 1440 - t.length_minutes - rest)) for t in config.shifts
    }
    prob = pulp.LpProblem("roster", pulp.LpMinimize)
    m = Model(prob, config, shifts, tours, bands, weeks, 1440 // ivl, required, idx, strict)
    days = range(7 * weeks)
    for ti in range(len(tours)):
        for k in range(weeks):
            m.w[(ti, k)] = prob.add_variable(f"w_{ti}_{k}", lowBound=0, cat=pulp.LpInteger)
    for tname, sh in shifts.items():
        for s, shift in enumerate(sh):
            for d in days:
                m.x[(tname, s, d)] = prob.add_variable(f"x_{tname}_{s}_{d}", lowBound=0, cat=pulp.LpInteger)
                for k, (_, _, e, l_) in enumerate(shift.breaks):
                    for o in range(e, l_ + 1, ivl):
                        m.y[(tname, s, d, k, o)] = prob.add_variable(
                            f"y_{tname}_{s}_{d}_{k}_{o}", lowBound=0, cat=pulp.LpInteger
                        )
        for b, (i, j) in enumerate(bands[tname]):
            for s in range(i, j):
                for d in days:
                    m.z[(tname, b, s, d)] = prob.add_variable(f"z_{tname}_{b}_{s}_{d}", lowBound=0)
    for g in range(len(required)):
        if not strict:
            m.under[g] = prob.add_variable(f"under_{g}", lowBound=0)
        m.over[g] = prob.add_variable(f"over_{g}", lowBound=0)
    cost = {var: tours[ti].cost for (ti, _), var in m.w.items()}
    m.cost_expr = _expr(cost)
    obj = dict(cost)
    for var in m.under.values():
        obj[var] = rs.under_penalty
    if rs.over_penalty:
        for var in m.over.values():
            obj[var] = rs.over_penalty
    prob.setObjective(_expr(obj))
    add_tour_link(prob, m)
    add_breaks(prob, m)
    add_max_share(prob, m)
    add_headcount(prob, m)
    if available:
        add_available_agents(prob, m, available, available_by_day)
    add_seats(prob, m)
    add_cover(prob, m)
    return m


# =========================================================================== solving
@dataclass
class SolveResult:
    status: str
    objective: float
    lower_bound: float
    seconds: float
    solver: str


def rounded_start(m: Model) -> bool:
    """Turn the LP relaxation's values (on the variables) into a whole plan: tours rounded to the nearest
    whole agent, starts and breaks dealt in proportion to the LP, slacks from the resulting coverage. Sets
    the variables' values (a MIP start for CBC). Returns False when the rounding breaks a hard rule
    (max_share, headcount, agents available), so no start is given."""
    # per contract, template, band and week: the LP's agents rounded up, dealt over its day patterns
    groups: dict[tuple[str, str, int, int], list[tuple[int, int]]] = {}
    for (ti, k) in m.w:
        t = m.tours[ti]
        groups.setdefault((t.contract, t.template, t.band, k), []).append((ti, k))
    w: dict[tuple[int, int], int] = {}
    for keys in groups.values():
        lp = np.array([m.w[key].varValue or 0.0 for key in keys])
        for key, n in zip(keys, largest_remainder(lp, math.ceil(lp.sum() - 0.05)), strict=True):
            w[key] = int(n)
    for k in range(m.weeks):
        for c in m.config.contracts:
            while c.max_share is not None:  # drop the most rounded-up tours of a contract over its share
                total = sum(n for (ti, kk), n in w.items() if kk == k)
                mine = [key for key in w if key[1] == k and m.tours[key[0]].contract == c.name and w[key] > 0]
                if not mine or sum(w[key] for key in mine) <= c.max_share * total + 1e-9:
                    break
                worst = max(mine, key=lambda key: (w[key] - (m.w[key].varValue or 0.0), -key[0]))
                w[worst] -= 1
        for c in m.config.contracts:
            n_c = sum(n for (ti, kk), n in w.items() if kk == k and m.tours[ti].contract == c.name)
            if k:
                n_0 = sum(n for (ti, kk), n in w.items() if kk == 0 and m.tours[ti].contract == c.name)
                if n_0 != n_c:
                    return False
    if any(m.prob.get_constraint_by_name(f"available_{c.name}_0") is not None for c in m.config.contracts):
        return False
    working: dict[tuple[str, int, int], int] = {}
    for (ti, k), n in w.items():
        t = m.tours[ti]
        for dow, on in enumerate(t.days):
            if on and n:
                key = (t.template, t.band, 7 * k + dow)
                working[key] = working.get(key, 0) + n
    x = {key: 0 for key in m.x}
    for tname, bands in m.bands.items():
        for b, (i, j) in enumerate(bands):
            for d in range(7 * m.weeks):
                keys = [(tname, b, s, d) for s in range(i, j)]
                alloc = largest_remainder([m.z[key].varValue or 0.0 for key in keys], working.get((tname, b, d), 0))
                for key, n in zip(keys, alloc, strict=True):
                    m.z[key].varValue = float(n)
                    x[(tname, key[2], d)] += int(n)
    ivl = m.config.centre.interval_minutes
    y: dict[tuple[str, int, int, int, int], int] = {}
    for (tname, s, d), n in x.items():
        m.x[(tname, s, d)].varValue = float(n)
        for k, (_, _, e, l_) in enumerate(m.shifts[tname][s].breaks):
            keys = [(tname, s, d, k, o) for o in range(e, l_ + 1, ivl)]
            alloc = largest_remainder([m.y[key].varValue or 0.0 for key in keys], n)
            for key, a in zip(keys, alloc, strict=True):
                m.y[key].varValue = float(a)
                y[key] = int(a)
    for key, var in m.w.items():
        var.varValue = float(w[key])
    on = phones_from_counts(m, {"x": x, "y": y})
    for g in m.over:
        gap_g = int(on[g]) - int(m.required[g])
        if gap_g < 0 and g not in m.under:
            return False
        m.over[g].varValue = float(max(gap_g, 0))
        if g in m.under:
            m.under[g].varValue = float(max(-gap_g, 0))
    return True


def phones_from_counts(m: Model, counts: dict[str, Any]) -> np.ndarray:
    """Agents on the phones per interval (cyclic) from shift and break counts."""
    minute = np.timedelta64(1, "m")
    origin = np.datetime64(0, "m")
    x = [(m.shifts[t][s], d, k) for (t, s, d), k in counts["x"].items() if k]
    y = [(m.shifts[t][s], d, o, b, k) for (t, s, d, b, o), k in counts["y"].items() if k]
    s0 = np.array([d * 1440 + sh.start_minute for sh, d, _ in x], dtype=np.int64) * minute + origin
    s1 = s0 + np.array([sh.length_minutes for sh, _, _ in x], dtype=np.int64) * minute
    b0 = np.array([d * 1440 + sh.start_minute + o for sh, d, o, _, _ in y], dtype=np.int64) * minute + origin
    b1 = b0 + np.array([sh.breaks[b][0] for sh, _, _, b, _ in y], dtype=np.int64) * minute
    return count_spans(s0, s1, np.array([k for *_, k in x], dtype=np.int64), b0, b1,
                       np.array([k for *_, k in y], dtype=np.int64), origin, len(m.required),
                       m.config.centre.interval_minutes)


def solve(
    m: Model,
    solver: str,
    time_limit_s: float,
    gap: float,
    progress: Callable[[dict[str, float]], None] | None = None,
) -> SolveResult:
    """Solve with HiGHS (dual bound from the branch and bound) or CBC (bound from the LP relaxation)."""
    prob = m.prob
    t0 = time.perf_counter()
    if solver == "highs" and not highs_available():
        solver = "cbc"
    if solver == "highs":
        res = solve_highs(prob, time_limit_s=time_limit_s, gap=gap, lp_first=True, threads=2, progress=progress)
        return SolveResult(res.status, res.objective, res.lower_bound, res.seconds, solver)
    # CBC: the LP relaxation for the bound, then the MIP from a rounded start
    relax = pulp.PULP_CBC_CMD(msg=False, mip=False, timeLimit=time_limit_s)
    prob.solve(relax)
    bound = float(pulp.value(prob.objective)) if prob.status == pulp.LpStatusOptimal else -math.inf
    if prob.status == pulp.LpStatusInfeasible:
        return SolveResult("Infeasible", math.nan, math.inf, time.perf_counter() - t0, "cbc")
    remaining = max(1.0, time_limit_s - (time.perf_counter() - t0))
    start = prob.status == pulp.LpStatusOptimal and rounded_start(m)  # CBC finds few plans by itself
    cmd = pulp.PULP_CBC_CMD(
        msg=False, timeLimit=remaining, gapRel=gap, threads=1, options=["randomSeed 0"], warmStart=start
    )
    prob.solve(cmd)
    has_solution = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = float(pulp.value(prob.objective)) if has_solution else math.nan
    if has_solution:
        status = pulp.LpStatus[prob.status]
    else:
        status = "Infeasible" if prob.status == pulp.LpStatusInfeasible else "Time limit reached"
    seconds = time.perf_counter() - t0
    if progress is not None and has_solution:
        g = (objective - bound) / max(abs(objective), 1e-9) if math.isfinite(bound) else math.inf
        progress({"incumbent": objective, "bound": bound, "gap": g, "seconds": seconds})
    return SolveResult(status, objective if has_solution else math.nan, bound, seconds, solver)


# =========================================================================== solution -> frames
def _int(var: pulp.LpVariable) -> int:
    v = var.varValue
    return 0 if v is None else int(round(v))


def solution_counts(m: Model) -> dict[str, Any]:
    """Rounded tour, shift and break counts of the solved model."""
    w = {key: _int(var) for key, var in m.w.items() if _int(var)}
    x = {key: _int(var) for key, var in m.x.items() if _int(var)}
    y = {key: _int(var) for key, var in m.y.items() if _int(var)}
    return {"w": w, "x": x, "y": y}


def roster(
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    weeks: int = 1,
    start: date | None = None,
    agents: pd.DataFrame | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    strict: bool | None = None,
    progress: Callable[[dict[str, float]], None] | None = None,
) -> Roster:
    """Roster ``weeks`` weeks from ``start`` (default: the first staffing date) covering ``scheduled``.

    ``agents`` (from :func:`read_agents`): named agents with contracts; without it agents are named
    A0001... Returns a :class:`Roster`; raises ConfigError for contradictory configs and InfeasibleRoster
    when no plan satisfies the hard rules (only possible with ``strict``) or the solver returns none.
    """
    from wfm.roster.assign import assign

    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError(f"--weeks must be 1 to {MAX_WEEKS}, got {weeks}")
    rs = config.roster
    solver = (solver or rs.solver).lower()
    if solver not in ("highs", "cbc"):
        raise InputError(f"unknown solver {solver!r} (use highs or cbc)")
    time_limit_s = rs.time_limit_s if time_limit_s is None else time_limit_s
    gap = rs.gap if gap is None else gap
    strict = rs.strict if strict is None else strict
    shifts = check_roster_config(config)
    start, idx, required, horizon_staffing = horizon_requirement(staffing, config, start, weeks)
    agent_list = _agents_from_frame(agents, config) if agents is not None else None
    available, by_day = None, None
    if agent_list is not None:
        available = {c.name: sum(a.contract == c.name for a in agent_list) for c in config.contracts}
        horizon_dates = roster_dates(start, weeks)
        by_day = {
            c.name: [sum(a.contract == c.name and d not in a.unavailable for a in agent_list) for d in horizon_dates]
            for c in config.contracts
        }
    t0 = time.perf_counter()
    m = build_model(required, idx, config, shifts, weeks, strict, available, by_day)
    t1 = time.perf_counter()
    result = solve(m, solver, time_limit_s, gap, progress)
    if not math.isfinite(result.objective):
        if strict:
            raise InfeasibleRoster(
                "no roster covers every interval under --strict with these contracts and shifts "
                "(drop --strict to see the shortfall)"
                if result.status == "Infeasible" else f"the solver found no roster within {time_limit_s:g} s"
            )
        raise InfeasibleRoster(
            f"the solver found no roster ({result.status}) within {time_limit_s:g} s; raise --time-limit"
            if result.status != "Infeasible" else "no roster satisfies the hard rules (check agents.csv and max_share)"
        )
    counts = solution_counts(m)
    t2 = time.perf_counter()
    assigned = assign(m, counts, start, agent_list)
    frame = assigned.frame
    t3 = time.perf_counter()
    cov = coverage(frame, horizon_staffing, config, start=start, weeks=weeks)
    t4 = time.perf_counter()
    cost = float(sum(m.tours[ti].cost * n for (ti, _), n in counts["w"].items()))
    paid = float(sum(m.tours[ti].paid_hours * n for (ti, _), n in counts["w"].items()))
    under = int(cov["under"].sum())
    over = int(cov["over"].sum())
    lb = result.lower_bound
    objective = result.objective
    g = (objective - lb) / max(abs(objective), 1e-9) if math.isfinite(lb) else math.inf
    ts, worst_sl = worst_interval(cov, cov["required"] > 0)
    worst_ts = None if ts is None else f"{ts:%Y-%m-%d %H:%M}"
    by_contract = {c.name: int(assigned.agents_by_contract.get(c.name, 0)) for c in config.contracts}
    hard = {"cover_strict_violations": under if strict else 0, **assigned.hard}
    soft = {
        "under_coverage": {"amount": under, "penalty": round(under * rs.under_penalty, 4)},
        "over_coverage": {"amount": over, "penalty": round(over * rs.over_penalty, 4)},
        "paid_cost": {"amount": round(paid, 2), "penalty": round(cost, 4)},
        **assigned.soft,
    }
    return Roster(
        assignments=frame,
        coverage=cov,
        status=result.status,
        objective=objective,
        lower_bound=lb,
        gap=max(0.0, g),
        paid_hours=paid,
        cost=cost,
        agents=int(sum(by_contract.values())),
        agents_by_contract=by_contract,
        under_agent_intervals=under,
        over_agent_intervals=over,
        worst_interval=worst_ts,
        worst_service_level=worst_sl,
        solve_seconds=result.seconds,
        solver=result.solver,
        weeks=weeks,
        start=start,
        hard=hard,
        soft=soft,
        model_size={
            "variables": len(m.prob.variables()),
            "integer_variables": len(m.w) + len(m.x) + len(m.y),
            "constraints": m.prob.numConstraints(),
            "tour_types": len(m.tours),
        },
        unused_agents=assigned.unused,
        timings={"build": t1 - t0, "solve": t2 - t1, "assign": t3 - t2, "coverage": t4 - t3},
    )


# =========================================================================== coverage from a roster frame
def coverage(
    assignments: pd.DataFrame,
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    start: date | None = None,
    weeks: int | None = None,
) -> pd.DataFrame:
    """Recompute the coverage frame from a roster frame alone.

    The horizon runs ``weeks`` weeks from ``start`` (defaults: the first staffing date; enough whole weeks
    for the staffing and the roster's dates); shifts past its end wrap to its start (cyclic roster).
    """
    st_ts = pd.to_datetime(staffing["timestamp"])
    if start is None:
        start = st_ts.min().date()
    if weeks is None:
        last = st_ts.max()
        if not assignments.empty:
            last = max(last, pd.to_datetime(assignments["date"]).max())
        weeks = max(1, math.ceil(((last - pd.Timestamp(start)).days + 1) / 7))
    _, idx, required, horizon_staffing = horizon_requirement(staffing, config, start, weeks)
    ivl = config.centre.interval_minutes
    on = rostered_per_interval(parse_roster_rows(assignments, "roster", ROSTER_COLUMNS), pd.Timestamp(start),
                               len(idx), ivl)
    sl = group_service_level(horizon_staffing, pd.Series(on, index=idx), config)
    return pd.DataFrame(
        {
            "timestamp": idx,
            "required": required,
            "on_phone": on,
            "over": np.maximum(on - required, 0),
            "under": np.maximum(required - on, 0),
            "service_level": np.round(sl["service_level"].to_numpy(float), 4),
        }
    )


# =========================================================================== readers
def _bad(path: Any, line: Any, col: str, what: str) -> InputError:
    return InputError(f"{path}, line {line}, field '{col}': {what}")


def read_agents(path: str | Path, config: CentreConfig | None = None) -> pd.DataFrame:
    """Read agents.csv: ``agent_id,contract[,unavailable,preferred_shifts]`` (dates and shift names
    separated by ';'). With ``config``, contracts and shift names are checked. Errors name file, line, field."""
    from wfm.io import read_csv

    frame = read_csv(path, required=["agent_id", "contract"])
    for col in ("unavailable", "preferred_shifts"):
        if col not in frame.columns:
            frame[col] = ""
    contracts = {c.name for c in config.contracts} if config else None
    templates = {t.name for t in config.shifts} if config else None
    seen: set[str] = set()
    for i in range(len(frame)):
        line = frame["_line"].iloc[i]
        aid, con = frame["agent_id"].iloc[i], frame["contract"].iloc[i]
        if not aid:
            raise _bad(path, line, "agent_id", "is blank")
        if aid in seen:
            raise _bad(path, line, "agent_id", f"{aid!r} appears twice")
        seen.add(aid)
        if contracts is not None and con not in contracts:
            raise _bad(path, line, "contract", f"unknown contract {con!r} (the config has: {', '.join(sorted(contracts))})")
        for d in filter(None, frame["unavailable"].iloc[i].split(";")):
            try:
                datetime.strptime(d.strip(), "%Y-%m-%d")
            except ValueError:
                raise _bad(path, line, "unavailable", f"is not a date: {d!r} (expected YYYY-MM-DD;...)") from None
        for s in filter(None, frame["preferred_shifts"].iloc[i].split(";")):
            if templates is not None and s.strip() not in templates:
                raise _bad(path, line, "preferred_shifts", f"unknown shift {s!r} (the config has: {', '.join(sorted(templates))})")
    return frame[AGENT_COLUMNS].reset_index(drop=True)


def _agents_from_frame(frame: pd.DataFrame, config: CentreConfig) -> list[Agent]:
    contracts = {c.name for c in config.contracts}
    out = []
    for row in frame.fillna("").astype(str).itertuples(index=False):
        if row.contract not in contracts:
            raise InputError(f"agent {row.agent_id!r}: unknown contract {row.contract!r}")
        un = frozenset(date.fromisoformat(d.strip()) for d in getattr(row, "unavailable", "").split(";") if d.strip())
        pref = frozenset(s.strip() for s in getattr(row, "preferred_shifts", "").split(";") if s.strip())
        out.append(Agent(row.agent_id, row.contract, un, pref))
    return out


def roster_dates(start: date, weeks: int) -> list[date]:
    return [start + timedelta(days=i) for i in range(7 * weeks)]


STAFFING_NUMERIC = ["volume", "aht", "agents", "scheduled"]


def read_staffing(path: str | Path, config: CentreConfig | None = None) -> pd.DataFrame:
    """Read a staffing CSV from `wfm staff` (``timestamp,queue,volume,aht,agents,...,scheduled``).

    Errors name file, line and field. Unknown queues are an error when ``config`` is given.
    """
    from wfm.io import parse_numbers, parse_timestamps, read_csv

    frame = read_csv(path, required=["timestamp", "queue", *STAFFING_NUMERIC])
    out = pd.DataFrame({"timestamp": parse_timestamps(frame, "timestamp", path), "queue": frame["queue"]})
    for col in STAFFING_NUMERIC:
        out[col] = parse_numbers(frame, col, path, min_value=0)
    out["fractional_agents"] = (
        parse_numbers(frame, "fractional_agents", path, min_value=0) if "fractional_agents" in frame else out["agents"]
    )
    for col in ("agents", "scheduled"):
        bad = np.flatnonzero(out[col].to_numpy() != np.round(out[col].to_numpy()))
        if len(bad):
            i = int(bad[0])
            raise _bad(path, frame["_line"].iloc[i], col, f"must be a whole number of agents, got {frame[col].iloc[i]}")
        out[col] = out[col].astype(np.int64)
    if config is not None:
        known = set(config.queue_names)
        bad = np.flatnonzero(~out["queue"].isin(known).to_numpy())
        if len(bad):
            i = int(bad[0])
            raise _bad(path, frame["_line"].iloc[i], "queue",
                       f"unknown queue {out['queue'].iloc[i]!r} (the config has: {', '.join(config.queue_names)})")
    dup = out.duplicated(["timestamp", "queue"]).to_numpy()
    if dup.any():
        i = int(np.flatnonzero(dup)[0])
        raise _bad(path, frame["_line"].iloc[i], "timestamp", "interval and queue appear twice")
    return out


# =========================================================================== presentation helpers (for the CLI)
def progress_printer(stream: Any) -> Callable[[dict[str, float]], None]:
    """A progress callback that redraws one line on ``stream``: incumbent, bound, gap, seconds."""

    def show(p: dict[str, float]) -> None:
        inc = p.get("incumbent", math.inf)
        bnd = p.get("bound", -math.inf)
        inc_s = f"{inc:,.1f}" if math.isfinite(inc) and abs(inc) < 1e20 else "-"
        bnd_s = f"{bnd:,.1f}" if math.isfinite(bnd) and abs(bnd) < 1e20 else "-"
        g = p.get("gap", math.inf)
        gap_s = f"{100 * g:.2f}%" if math.isfinite(g) and g < 1e6 else "-"
        stream.write(f"\rsolving: best {inc_s}  bound {bnd_s}  gap {gap_s}  {p.get('seconds', 0):.0f} s   ")
        stream.flush()

    return show


def summary_table(r: Roster) -> list[list[str]]:
    """Rows of the `wfm roster` summary table."""
    rows = [
        ["solver", f"{r.solver} ({r.status})"],
        ["weeks", f"{r.weeks} from {r.start.isoformat()}"],
        ["objective", f"{r.objective:,.2f}"],
        ["lower_bound", f"{r.lower_bound:,.2f}"],
        ["gap", f"{100 * r.gap:.2f}%"],
        ["paid_hours", f"{r.paid_hours:,.1f}"],
        ["cost", f"{r.cost:,.2f}"],
        ["agents", str(r.agents)],
    ]
    rows += [[f"agents: {name}", str(n)] for name, n in r.agents_by_contract.items()]
    rows += [
        ["under_agent_intervals", str(r.under_agent_intervals)],
        ["over_agent_intervals", str(r.over_agent_intervals)],
        ["worst_interval", "-" if r.worst_interval is None else f"{r.worst_interval} (SL {r.worst_service_level:.3f})"],
    ]
    if r.unused_agents:
        rows.append(["unused_agents", str(len(r.unused_agents))])
    broken = {k: v for k, v in r.hard.items() if v}
    if broken:
        rows.append(["hard_violations", ", ".join(f"{k} {v}" for k, v in broken.items())])
    rows.append(["solve_seconds", f"{r.solve_seconds:.1f}"])
    return rows


def violations_message(r: Roster) -> str:
    """A sentence naming the hard rules the named assignment had to break ('' when none)."""
    labels = {
        "unavailable": "shift(s) on an agent's unavailable date",
        "min_rest_between_weeks": "week change(s) with less than the minimum rest",
        "cover_strict_violations": "agent-interval(s) short under --strict",
    }
    parts = [f"{n} {labels.get(k, k)}" for k, n in r.hard.items() if n]
    return ("hard rules broken: " + ", ".join(parts)) if parts else ""


def uncovered_message(r: Roster, limit: int = 20) -> str:
    """One paragraph listing the intervals left short of agents (first ``limit`` in time order)."""
    u = r.uncovered.sort_values("timestamp")
    items = [f"{t:%Y-%m-%d %H:%M} ({n} short)" for t, n in zip(u["timestamp"], u["under"], strict=True)]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return (
        f"demand not met: {len(items)} interval(s) under-covered by {r.under_agent_intervals} agent-intervals: "
        + ", ".join(items[:limit]) + more
    )

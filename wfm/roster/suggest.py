"""Shift-design hints (``wfm roster --suggest-shifts``): the changes to ``[[shifts]]`` a planner would try,
each solved as a roster, ranked by what it saves.

:func:`suggest_shifts` rosters the config as it is (the *baseline*), then for each candidate change a modified
copy of the config, with the same staffing, solver, time limit and gap (:func:`wfm.roster.roster`, the same
MILP and the same start heuristic), and reports per candidate the paid hours and cost against the baseline,
both solves' gaps, whether the saving is larger than what the solver left open, which hours of the day it
fixes, and the TOML to paste.

**The candidates** (:func:`candidates`), per shift template in config order, then one new template:

- ``earlier``/``later``: the start window widened by :data:`WIDEN_MINUTES` (3 h) at one end, kept inside the day
  (00:00 to the last start before 24:00 on the template's step); the solver uses only the starts that pay;
- ``step``: a start every :data:`FINER_STEP` minutes (or every interval, when coarser) where the step is coarser;
- ``shorter``/``longer``: the shift one hour shorter or longer on site (breaks kept, a break window that
  would end after the shift moved earlier), when every contract the template serves still has a whole number
  of days in its paid hours (the example's 5-hour part-time shift: 4 h gives 16 or 20 h, 6 h gives 18 or 24 h);
  a contract with one figure of days and hours (the example's 5 x 8 = 40 h full-time) has none, so a full-time
  template's length is never changed alone;
- ``compressed``: for a template serving one such contract (d days of h paid hours), a new template beside it
  of h x d / (d - 1) paid hours (the example's 4 x 10 h week), paired with the contract's ``days_per_week``
  widened to ``[d - 1, d]``, and said so; both blocks are given to paste;
- ``after midnight``: for an evening template (earliest start from 12:00) whose later window would pass
  midnight, a new template beside it starting 00:00 up to that later end (the example's night 21:00-23:00:
  a ``night_late`` starting 00:00-02:00): start windows cannot wrap past midnight, so this is how a night shift
  covers 00:00-02:00 differently;
- ``new template``: a :data:`NEW_TEMPLATE_MINUTES` (4 h) template for the first contract a 4-hour shift fits
  (the example's part-time), starting every 30 minutes from the first to the last hour of the day with agents
  required (ending by the end of that hour), with the breaks of that contract's first template when they fit;
  the solver places it where it pays.

A change the config rules refuse (a window off the interval grid, a shift too long for the minimum rest) is
not tried. At most :data:`MAX_SUGGESTIONS` candidates are kept, in the order they are tried: by kind
(:data:`KIND_ORDER`: new template, compressed, later, shorter, earlier, step, after midnight, longer: the order
of what they saved on the example in `make bench` when it was set (in the latest run the compressed week saved
130 h, the new template 110 h); a longer shift never did), then the
template whose shifts are on site for the most over-coverage in the baseline first (each over-covered interval
shared among the templates of the agents on the phones then, in proportion); ``suggestions`` (default all)
solves only the first ones. The time taken is at most about ``(suggestions + 1) x`` the time limit.

**The verdict** compares objectives (paid cost plus any shortfall penalty): ``saves`` when the candidate's plan
costs less than the baseline's lower bound (no roster of the config as it is costs as little: the saving is
larger than the baseline's gap); ``costs more`` when the candidate's lower bound is above the baseline's plan;
``no saving`` when both plans cost the same and both are proven optimal; otherwise ``within solver
tolerance`` (the difference is inside what the two solves left open). Suggestions
are ranked by the objective saved; ``saved_hours`` and ``cost_saved`` are the paid hours and cost of the two
plans.

**Fixes**: the over-coverage (agent-hours a week above the requirement) by hour of day of both plans; the
hours where it drops most (at most three, joined when adjacent) are shown with the share over the requirement
before and after.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from wfm.clock import format_clock, parse_clock
from wfm.config import Break, CentreConfig, Contract, ShiftTemplate
from wfm.errors import ConfigError, InfeasibleRoster, InputError
from wfm.roster.domain import Roster
from wfm.roster.tours import _days_for_hours, check_roster_config, tour_types

MAX_SUGGESTIONS = 12  # candidates kept (and at most solved): each is a roster solve
# the order kinds are tried in: by what they saved on the example (make bench), most first
KIND_ORDER = ("new template", "compressed", "later", "shorter", "earlier", "step", "after midnight", "longer")
WIDEN_MINUTES = 180  # a start window widened by 3 hours at one end
FINER_STEP = 15  # the finer start step tried (or the interval, when longer)
LENGTH_CHANGE_MINUTES = 60  # shorter and longer by an hour
NEW_TEMPLATE_MINUTES = 240  # the new part-time template: 4 hours on site
NEW_TEMPLATE_STEP = 30  # ... starting every 30 minutes (or every interval, when longer)
FIXES_SHOWN = 3  # hours of the day named in a suggestion's fixes
EPS = 1e-6

Announce = Callable[[int, int, str], None]
"""``announce(i, n, text)`` before solve ``i`` of ``n`` (0 is the baseline): what is being solved."""


@dataclass(frozen=True)
class Block:
    """One config block to paste: ``table`` is ``shifts`` or ``contracts``; ``action`` ``replace`` (the block
    of that name) or ``add``; ``toml`` the block's text."""

    table: str
    name: str
    action: str
    toml: str


@dataclass(frozen=True)
class Candidate:
    """One candidate change: ``key`` (``<template>:<kind>``, stable), ``kind``, ``change`` in words, the
    modified ``config``, the ``blocks`` to paste, the template it changes or derives from (``source``; None for
    a new template) and ``over``, the baseline's over-coverage (agent-hours a week) that template's shifts are
    on site for (a new template: all of it)."""

    key: str
    kind: str
    change: str
    config: CentreConfig
    blocks: tuple[Block, ...]
    source: str | None = None
    over: float = 0.0

    def paste(self) -> str:
        """The TOML to paste, each block under a comment saying where it goes."""
        parts = []
        for b in self.blocks:
            where = (f"replaces the [[{b.table}]] block named {json.dumps(b.name)}" if b.action == "replace"
                     else f"a new [[{b.table}]] block, after the others")
            parts.append(f"# {where}\n{b.toml}")
        return "\n".join(parts)


@dataclass
class Suggestion:
    """A candidate solved: its roster (None when the solver found none: ``error`` says why) and the figures
    against the baseline."""

    candidate: Candidate
    roster: Roster | None
    error: str | None = None
    saved_hours: float = math.nan
    saved_share: float = math.nan  # of the baseline's paid hours
    cost_saved: float = math.nan
    objective_saved: float = math.nan
    verdict: str = "no plan"
    over_by_hour: np.ndarray = field(default_factory=lambda: np.full(24, np.nan))  # agent-hours a week
    fixes: list[dict[str, Any]] = field(default_factory=list)
    uses: dict[str, Any] | None = None  # :func:`uses`

    def to_dict(self) -> dict[str, Any]:
        c, r = self.candidate, self.roster
        out: dict[str, Any] = {
            "key": c.key, "kind": c.kind, "change": c.change, "verdict": self.verdict, "error": self.error,
            "blocks": [{"table": b.table, "name": b.name, "action": b.action, "toml": b.toml} for b in c.blocks],
            "toml": c.paste(),
        }
        if r is not None:
            out.update({
                "paid_hours": round(r.paid_hours, 2), "cost": round(r.cost, 4), "objective": round(r.objective, 4),
                "lower_bound": round(r.lower_bound, 4), "gap": round(r.gap, 6), "status": r.status,
                "agents": r.agents, "under_agent_intervals": r.under_agent_intervals,
                "saved_hours": round(self.saved_hours, 2), "saved_share": round(self.saved_share, 6),
                "cost_saved": round(self.cost_saved, 4), "objective_saved": round(self.objective_saved, 4),
                "over_by_hour": [round(float(v), 2) for v in self.over_by_hour], "fixes": self.fixes,
                "uses": self.uses, "solve_seconds": round(r.solve_seconds, 2),
            })
        return out


@dataclass
class ShiftSuggestions:
    """The baseline roster, the suggestions ranked by objective saved (no plan last) and how many candidates
    there were (``candidates``; ``len(suggestions)`` of them were solved)."""

    baseline: Roster
    suggestions: list[Suggestion]
    candidates: int
    over_by_hour: np.ndarray  # the baseline's over-coverage by hour of day, agent-hours a week
    required_by_hour: np.ndarray  # agents required by hour of day, agent-hours a week

    @property
    def best(self) -> Suggestion | None:
        """The suggestion saving most, when one saves anything."""
        top = self.suggestions[0] if self.suggestions else None
        return top if top is not None and top.objective_saved > EPS else None

    def to_dict(self) -> dict[str, Any]:
        b = self.baseline
        return {
            "baseline": {
                "paid_hours": round(b.paid_hours, 2), "cost": round(b.cost, 4), "objective": round(b.objective, 4),
                "lower_bound": round(b.lower_bound, 4), "gap": round(b.gap, 6), "status": b.status,
                "agents": b.agents, "over_by_hour": [round(float(v), 2) for v in self.over_by_hour],
                "required_by_hour": [round(float(v), 2) for v in self.required_by_hour],
                "solve_seconds": round(b.solve_seconds, 2),
            },
            "candidates": self.candidates,
            "suggestions": [s.to_dict() for s in self.suggestions],
        }


# =========================================================================== the library call
def suggest_shifts(
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    suggestions: int | None = None,
    weeks: int = 1,
    start: date | None = None,
    agents: pd.DataFrame | None = None,
    solver: str | None = None,
    time_limit_s: float | None = None,
    gap: float | None = None,
    strict: bool | None = None,
    margins: Mapping[str, Mapping[str, float]] | None = None,
    progress: Callable[[dict[str, float]], None] | None = None,
    announce: Announce | None = None,
) -> ShiftSuggestions:
    """Roster ``config`` as it is, then the first ``suggestions`` (1 to :data:`MAX_SUGGESTIONS`; default all)
    candidate changes to its shifts, each with the same settings (those of :func:`wfm.roster.roster`; ``time_limit_s`` is per solve);
    see the module docstring. ``progress`` gets each solve's solver progress; ``announce`` each solve's start.
    Raises what :func:`wfm.roster.roster` raises for the baseline; a candidate without a plan is reported as such."""
    from wfm.roster import roster

    if suggestions is not None:
        _check_count(suggestions)
    settings: dict[str, Any] = {"weeks": weeks, "start": start, "agents": agents, "solver": solver,
                                "time_limit_s": time_limit_s, "gap": gap, "strict": strict, "margins": margins}
    say = announce or (lambda i, n, text: None)
    say(0, 0, "the config as it is")
    base = roster(staffing, config, progress=progress, **settings)
    ivl = config.planning_interval_minutes
    over = by_hour(base.coverage, "over", ivl, base.weeks)
    required = by_hour(base.coverage, "required_scheduled", ivl, base.weeks)
    every = candidates(config, required, over_by_template(base, config))
    chosen = every[: len(every) if suggestions is None else int(suggestions)]
    out = []
    for i, cand in enumerate(chosen, start=1):
        say(i, len(chosen), cand.change)
        try:
            r = roster(staffing, cand.config, progress=progress, **settings)
        except InfeasibleRoster as exc:
            out.append(Suggestion(cand, None, error=str(exc)))
            continue
        out.append(_judge(base, cand, r, over, required, config))
    order = sorted(range(len(out)), key=lambda k: (out[k].roster is None, -_or(out[k].objective_saved), k))
    return ShiftSuggestions(base, [out[k] for k in order], len(every), over, required)


def _or(value: float) -> float:
    return value if math.isfinite(value) else -math.inf


def suggest_shifts_files(
    staffing_csv: str | os.PathLike[str],
    config: CentreConfig,
    *,
    agents_csv: str | os.PathLike[str] | None = None,
    start: str | date | None = None,
    **settings: Any,
) -> ShiftSuggestions:
    """:func:`suggest_shifts` on a staffing CSV (and an agents.csv), as :func:`wfm.roster.roster_files` reads them."""
    from wfm.roster.files import parse_start
    from wfm.roster.readers import read_agents, read_staffing

    if "suggestions" in settings:  # before the files are read: a bad count is a usage error
        _check_count(settings["suggestions"])
    staffing = read_staffing(staffing_csv, config)
    people = read_agents(agents_csv, config) if agents_csv is not None else None
    return suggest_shifts(staffing, config, start=parse_start(start), agents=people, **settings)


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_SUGGESTIONS:
        raise InputError(f"--suggestions must be 1 to {MAX_SUGGESTIONS}, got {n}")


def over_by_template(r: Roster, config: CentreConfig) -> dict[str, float]:
    """The over-coverage (agent-hours a week) each template's shifts are on site for in roster ``r``: each
    interval's over-coverage shared among the templates of the agents on the phones then, in proportion."""
    from wfm.roster.rows import parse_roster_rows, rostered_per_interval

    ivl = config.planning_interval_minutes
    over = r.coverage["over"].to_numpy(float)
    total = r.coverage["rostered"].to_numpy(float)
    rows = parse_roster_rows(r.assignments)
    start = pd.Timestamp(r.start)
    out = {}
    for t in config.shifts:
        mine = rostered_per_interval(rows, start, len(over), ivl, weight=(rows.shift == t.name).astype(float))
        share = np.divide(mine, total, out=np.zeros_like(over), where=total > 0)
        out[t.name] = float((over * share).sum() * ivl / 60.0 / r.weeks)
    return out


def by_hour(cov: pd.DataFrame, column: str, interval_minutes: int, weeks: int) -> np.ndarray:
    """A coverage column summed by hour of day, in agent-hours a week (24 values, 00:00 first)."""
    hours = pd.to_datetime(cov["timestamp"]).dt.hour.to_numpy()
    values = cov[column].to_numpy(float) * interval_minutes / 60.0 / weeks
    return np.bincount(hours, weights=values, minlength=24)[:24]


def _judge(base: Roster, cand: Candidate, r: Roster, over_before: np.ndarray, required: np.ndarray,
           config: CentreConfig | None = None) -> Suggestion:
    """The figures of candidate plan ``r`` against the baseline ``base`` of ``config`` (module docstring: the
    verdict)."""
    ivl = cand.config.planning_interval_minutes
    saved = base.objective - r.objective
    proven = base.objective - base.lower_bound <= EPS and r.objective - r.lower_bound <= EPS
    if r.objective < base.lower_bound - EPS:
        verdict = "saves"
    elif r.lower_bound > base.objective + EPS:
        verdict = "costs more"
    elif abs(saved) <= EPS and proven:
        verdict = "no saving"
    else:
        verdict = "within solver tolerance"
    over_after = by_hour(r.coverage, "over", ivl, r.weeks)
    return Suggestion(
        cand, r, saved_hours=base.paid_hours - r.paid_hours,
        saved_share=(base.paid_hours - r.paid_hours) / base.paid_hours if base.paid_hours else 0.0,
        cost_saved=base.cost - r.cost, objective_saved=saved, verdict=verdict, over_by_hour=over_after,
        fixes=fixes(over_before, over_after, required), uses=None if config is None else uses(cand, r, config),
    )


def uses(cand: Candidate, r: Roster, config: CentreConfig) -> dict[str, Any]:
    """What the candidate's plan ``r`` takes of its change: the shifts of the changed or new template that the
    config as it is could not have had (a start outside its window or off its step, another length, a new
    template), how many, and their earliest and latest start."""
    name = next(b.name for b in cand.blocks if b.table == "shifts")
    old = next((t for t in config.shifts if t.name == name), None)
    new = next(t for t in cand.config.shifts if t.name == name)
    before: set[int] = set()
    if old is not None and old.length_minutes == new.length_minutes:
        first, last = _window(old)
        before = set(range(first, last + 1, old.start_step_minutes)) if last > first else {first}
    starts = [m for m in (_minutes(x) for x in r.assignments.loc[r.assignments["shift"] == name, "start"])
              if m not in before]
    return {"template": name, "shifts": len(starts),
            "first": format_clock(min(starts)) if starts else None,
            "last": format_clock(max(starts)) if starts else None}


def uses_text(u: Mapping[str, Any] | None) -> str:
    """``38 shifts of day starting 14:15-16:45`` (or ``no shift of day uses it``)."""
    if not u:
        return ""
    if not u["shifts"]:
        return f"no shift of {u['template']} uses it"
    when = u["first"] if u["first"] == u["last"] else f"{u['first']}-{u['last']}"
    return f"{u['shifts']} shift{'s' if u['shifts'] != 1 else ''} of {u['template']} use it, starting {when}"


def fixes(before: np.ndarray, after: np.ndarray, required: np.ndarray, shown: int = FIXES_SHOWN) -> list[dict[str, Any]]:
    """The hours of the day whose over-coverage drops most (at most ``shown``, drops above 0.05 agent-hours),
    joined into runs of adjacent hours (23:00 and 00:00 are adjacent): each run's first hour, hours, and its
    over-coverage and requirement before and after (agent-hours a week)."""
    drop = before - after
    top = sorted(int(h) for h in np.argsort(-drop, kind="stable")[:shown] if drop[h] > 0.05)
    runs: list[list[int]] = []
    for h in top:
        if runs and runs[-1][-1] + 1 == h:
            runs[-1].append(h)
        else:
            runs.append([h])
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][-1] == 23:
        runs[0] = runs.pop() + runs[0]
    out = []
    for run in runs:
        req = float(required[run].sum())
        out.append({
            "from": f"{run[0]:02d}:00", "to": f"{(run[-1] + 1) % 24:02d}:00",
            "over_before": round(float(before[run].sum()), 2), "over_after": round(float(after[run].sum()), 2),
            "required": round(req, 2),
        })
    return out


# =========================================================================== the candidates
def candidates(config: CentreConfig, required_by_hour: np.ndarray,
               over_by_template: Mapping[str, float] | None = None) -> list[Candidate]:
    """Every candidate change of ``config``'s shifts the config rules accept (module docstring), at most
    :data:`MAX_SUGGESTIONS`, in the order they are tried: by :data:`KIND_ORDER`, then by the over-coverage
    ``over_by_template`` gives the template each changes or derives from (a new template: the total), most
    first, then in config order. ``required_by_hour`` (agent-hours by hour of day) places the new template."""
    attributed = dict(over_by_template or {})
    made: list[Candidate] = []
    for k, t in enumerate(config.shifts):
        for make in (_earlier, _later, _finer_step, _shorter, _longer, _compressed, _after_midnight):
            got = make(config, k, t)
            if got is not None:
                made.append(got)
    got = _new_template(config, required_by_hour)
    if got is not None:
        made.append(got)
    out, seen = [], set()
    for cand in made:
        if cand.key in seen or not _valid(cand.config):
            continue
        seen.add(cand.key)
        over = attributed.get(cand.source, 0.0) if cand.source is not None else sum(attributed.values())
        out.append(replace(cand, over=round(over, 6)))
    order = sorted(range(len(out)), key=lambda i: (KIND_ORDER.index(out[i].kind), -out[i].over, i))
    return [out[i] for i in order][:MAX_SUGGESTIONS]


def _valid(config: CentreConfig) -> bool:
    """The config rules accept the changed config, and every contract still has a week of work."""
    try:
        shifts = check_roster_config(config)
    except ConfigError:
        return False
    have = {t.contract for t in tour_types(config, shifts)}
    return all(c.name in have for c in config.contracts)


def _minutes(text: str) -> int:
    return parse_clock(text, "start")


def _window(t: ShiftTemplate) -> tuple[int, int]:
    return _minutes(t.start[0]), _minutes(t.start[1])


def _unique(config: CentreConfig, name: str) -> str:
    names = {t.name for t in config.shifts}
    if name not in names:
        return name
    k = 2
    while f"{name}_{k}" in names:
        k += 1
    return f"{name}_{k}"


def _replaced(config: CentreConfig, k: int, t: ShiftTemplate) -> CentreConfig:
    shifts = list(config.shifts)
    shifts[k] = t
    return config.model_copy(update={"shifts": shifts})


def _modified(config: CentreConfig, k: int, old: ShiftTemplate, new: ShiftTemplate, kind: str,
              change: str) -> Candidate:
    return Candidate(f"{old.name}:{kind}", kind, change, _replaced(config, k, new),
                     (Block("shifts", old.name, "replace", shift_toml(new)),), old.name)


def _earlier(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    first, last = _window(t)
    step = t.start_step_minutes
    new_first = first - (min(WIDEN_MINUTES, first) // step) * step if last > first else max(0, first - WIDEN_MINUTES)
    if new_first == first:
        return None
    new = t.model_copy(update={"start": (format_clock(new_first), t.start[1])})
    return _modified(config, k, t, new, "earlier", f"{t.name}: earliest start {t.start[0]} -> {new.start[0]}")


def _later(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    first, last = _window(t)
    step = t.start_step_minutes
    top = min(last + WIDEN_MINUTES, 1440 - config.planning_interval_minutes)
    new_last = first + ((top - first) // step) * step
    if new_last <= last:
        return None
    new = t.model_copy(update={"start": (t.start[0], format_clock(new_last))})
    return _modified(config, k, t, new, "later", f"{t.name}: latest start {t.start[1]} -> {new.start[1]}")


def _finer_step(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    first, last = _window(t)
    step = max(FINER_STEP, config.planning_interval_minutes)
    if last == first or t.start_step_minutes <= step:
        return None
    new = t.model_copy(update={"start_step_minutes": step})
    return _modified(config, k, t, new, "step", f"{t.name}: a start every {step} min (was {t.start_step_minutes})")


def _unpaid(t: ShiftTemplate) -> int:
    return sum(b.minutes for b in t.breaks if not b.paid)


def _fit_breaks(breaks: list[Break], length: int) -> list[Break] | None:
    """Break windows inside a shift of ``length`` minutes: one ending after it moved earlier by the excess
    (None when it would then start before the shift)."""
    out = []
    for b in breaks:
        a, z = (parse_clock(w, "break", offset=True) for w in b.window)
        if z > length:
            a, z = a - (z - length), length
            if a < 0:
                return None
        out.append(b.model_copy(update={"window": (_offset(a), _offset(z))}))
    return out


def _offset(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _length(config: CentreConfig, k: int, t: ShiftTemplate, delta: int, kind: str) -> Candidate | None:
    length = t.length_minutes + delta
    paid = length - _unpaid(t)
    if paid <= 0:
        return None
    contracts = {c.name: c for c in config.contracts}
    if not all(c in contracts and _days_for_hours(contracts[c], paid) for c in t.contracts):
        return None  # a contract would lose this template (hours that cannot add up): see `compressed`
    breaks = _fit_breaks(list(t.breaks), length)
    if breaks is None:
        return None
    new = t.model_copy(update={"length_minutes": length, "breaks": breaks})
    return _modified(config, k, t, new, kind, f"{t.name}: {_hours(t.length_minutes)} on site -> {_hours(length)} "
                     f"({_hours(paid)} paid)")


def _shorter(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    return _length(config, k, t, -LENGTH_CHANGE_MINUTES, "shorter")


def _longer(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    return _length(config, k, t, LENGTH_CHANGE_MINUTES, "longer")


def _starts(t: ShiftTemplate) -> str:
    return f"starts {t.start[0]}" if t.start[0] == t.start[1] else \
        f"starts {t.start[0]}-{t.start[1]} every {t.start_step_minutes} min"


def _hours(minutes: int) -> str:
    return f"{minutes / 60:g} h"


def _compressed(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    """For a template serving one contract of fixed days d and hours h: a new template of h / (d - 1) paid
    hours beside it, with the contract's days widened to [d - 1, d]."""
    if len(t.contracts) != 1:
        return None
    c = next((c for c in config.contracts if c.name == t.contracts[0]), None)
    if c is None:
        return None
    (d0, d1), (h0, h1) = c.days_range, c.hours_range
    if d0 != d1 or h0 != h1 or d0 < 2:
        return None
    paid = h0 * 60 / (d0 - 1)
    ivl = config.planning_interval_minutes
    if abs(paid - round(paid)) > EPS or round(paid) % ivl:
        return None
    length = int(round(paid)) + _unpaid(t)
    if length + config.roster.min_rest_hours * 60 > 1440:
        return None
    days = d0 - 1
    name = _unique(config, f"{t.name}_{days}x{int(round(paid)) // 60 if round(paid) % 60 == 0 else round(paid)}"
                           f"{'h' if round(paid) % 60 == 0 else 'min'}")
    new = t.model_copy(update={"name": name, "length_minutes": length})
    contract = c.model_copy(update={"days_per_week": (days, d0)})
    contracts = [contract if x.name == c.name else x for x in config.contracts]
    cfg = config.model_copy(update={"shifts": [*config.shifts, new], "contracts": contracts})
    return Candidate(
        f"{t.name}:compressed", "compressed",
        f"new {name}: {days} x {_hours(int(round(paid)))} weeks ({c.name} days_per_week {d0} -> [{days}, {d0}])",
        cfg, (Block("contracts", c.name, "replace", contract_toml(contract)), Block("shifts", name, "add", shift_toml(new))),
        t.name,
    )


def _after_midnight(config: CentreConfig, k: int, t: ShiftTemplate) -> Candidate | None:
    """An evening template whose later window would pass midnight: a new template starting 00:00 up to there."""
    first, last = _window(t)
    end = last + WIDEN_MINUTES - 1440
    if first < 720 or end < 0:
        return None
    step = t.start_step_minutes
    end = (end // step) * step
    new = t.model_copy(update={"name": _unique(config, f"{t.name}_late"), "start": ("00:00", format_clock(end))})
    cfg = config.model_copy(update={"shifts": [*config.shifts, new]})
    return Candidate(f"{t.name}:after_midnight", "after midnight", f"new {new.name}: {t.name} {_starts(new)}", cfg,
                     (Block("shifts", new.name, "add", shift_toml(new)),), t.name)


def _new_template(config: CentreConfig, required_by_hour: np.ndarray) -> Candidate | None:
    """A 4-hour template for the first contract it fits, starting across the hours with agents required."""
    ivl = config.planning_interval_minutes
    length = NEW_TEMPLATE_MINUTES
    if length % ivl:
        return None
    contract = None
    for c in config.contracts:
        if _days_for_hours(c, length):
            contract = c
            break
    if contract is None:
        return None
    hours = np.flatnonzero(required_by_hour > 0)
    if not len(hours):
        return None
    step = max(NEW_TEMPLATE_STEP, ivl)
    first = int(hours[0]) * 60
    last = max(first, min((int(hours[-1]) + 1) * 60 - length, 1440 - ivl))
    last = first + ((last - first) // step) * step
    breaks: list[Break] = []
    first_template = next(t for t in config.shifts if contract.name in t.contracts)
    if all(b.paid and parse_clock(b.window[1], "break", offset=True) <= length for b in first_template.breaks):
        breaks = list(first_template.breaks)  # they fit, and paid: the template stays 4 paid hours
    name = _unique(config, f"{contract.name}_{length // 60}h")
    new = ShiftTemplate(name=name, contracts=[contract.name], start=(format_clock(first), format_clock(last)),
                        start_step_minutes=step if last > first else ivl, length_minutes=length, breaks=breaks)
    cfg = config.model_copy(update={"shifts": [*config.shifts, new]})
    return Candidate(f"{name}:new", "new template", f"new {name}: {_hours(length)} for {contract.name}, {_starts(new)}",
                     cfg, (Block("shifts", name, "add", shift_toml(new)),))


# =========================================================================== TOML
def _value(v: Any) -> str:
    """One TOML value: strings as basic strings, numbers as they read, lists inline."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    raise TypeError(f"no TOML for {v!r}")


def shift_toml(t: ShiftTemplate) -> str:
    """A ``[[shifts]]`` block for template ``t``, laid out as configs/example.toml does."""
    lines = [
        "[[shifts]]",
        f"name = {_value(t.name)}",
        f"contracts = {_value(t.contracts)}",
        f"start = {_value(t.start)}",
        f"start_step_minutes = {t.start_step_minutes}",
        f"length_minutes = {t.length_minutes}",
    ]
    if t.breaks:
        items = [f"{{ minutes = {b.minutes}, paid = {_value(b.paid)}, window = {_value(b.window)} }}" for b in t.breaks]
        lines.append("breaks = [ " + ",\n           ".join(items) + " ]")
    return "\n".join(lines) + "\n"


def contract_toml(c: Contract) -> str:
    """A ``[[contracts]]`` block for contract ``c``."""
    lines = [
        "[[contracts]]",
        f"name = {_value(c.name)}",
        f"days_per_week = {_value(list(c.days_range))}",
        f"paid_hours_per_week = {_value(list(c.hours_range))}",
        f"consecutive_days_off = {c.consecutive_days_off}",
        f"cost_per_paid_hour = {float(c.cost_per_paid_hour)!r}",
    ]
    if c.max_share is not None:
        lines.append(f"max_share = {_value(float(c.max_share))}")
    return "\n".join(lines) + "\n"


# =========================================================================== what `wfm roster --suggest-shifts` prints
def baseline_lines(s: ShiftSuggestions) -> list[str]:
    """The baseline's paid hours, cost, bound and over-coverage, and how many candidates were solved."""
    b = s.baseline
    over, req = float(s.over_by_hour.sum()), float(s.required_by_hour.sum())
    share = f" ({over / req:.1%} of the {req:,.1f} required)" if req > 0 else ""
    return [
        f"baseline: {b.paid_hours:,.1f} paid hours, cost {b.cost:,.2f}, lower bound {b.lower_bound:,.2f}, gap "
        f"{100 * b.gap:.2f}% ({b.solver} {b.status}); over-coverage {over:,.1f} agent-hours a week{share}",
        f"candidates: {len(s.suggestions)} of {s.candidates} solved, ranked by the objective saved; a saving below the "
        f"baseline's gap ({b.objective - b.lower_bound:,.2f}) is within solver tolerance",
    ]


def _fix_text(f: Mapping[str, Any]) -> str:
    req = f["required"]
    if req > 0:
        return f"{f['from'][:2]}-{f['to'][:2]}h {f['over_before'] / req:.0%}->{f['over_after'] / req:.0%} over"
    return f"{f['from'][:2]}-{f['to'][:2]}h {f['over_before']:.1f}->{f['over_after']:.1f} agent-h over"


def suggestions_table(s: ShiftSuggestions) -> list[list[str]]:
    """Rows (header first) of the suggestions table, ranked."""
    rows = [["#", "change", "paid_hours", "saved_hours", "saved_%", "cost_saved", "gap", "verdict",
             "fixes (over the requirement)"]]
    for k, sg in enumerate(s.suggestions, start=1):
        r = sg.roster
        if r is None:
            rows.append([str(k), sg.candidate.change, "-", "-", "-", "-", "-", "no plan", sg.error or "-"])
            continue
        rows.append([
            str(k), sg.candidate.change, f"{r.paid_hours:,.1f}", f"{sg.saved_hours:,.1f}", f"{sg.saved_share:.1%}",
            f"{sg.cost_saved:,.2f}", f"{100 * r.gap:.2f}%" + ("" if r.status == "Optimal" else f" ({r.status})"),
            sg.verdict,
            ", ".join(_fix_text(f) for f in sg.fixes) or "-",
        ])
    return rows


def paste_text(s: ShiftSuggestions) -> str:
    """The TOML to paste for each suggestion, in rank order, each under a comment naming it."""
    parts = []
    for k, sg in enumerate(s.suggestions, start=1):
        used = uses_text(sg.uses)
        parts.append(f"# {k}. {sg.candidate.change}{f' ({used})' if used else ''}\n{sg.candidate.paste()}")
    return "\n".join(parts)

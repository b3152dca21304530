"""Where every paid hour goes: a roster's paid hours split into parts that add up to them exactly.

:func:`explain_paid_hours` reads a roster frame (roster.csv), the staffing frame it was made from and the
config, and returns :class:`PaidHours`: an ordered list of :class:`Part` s whose hours add up to the roster's
paid hours (to floating-point precision, and, rounded to the cent by largest remainders, the printed parts add
up to the printed total), with the over-coverage by hour of day and by shift template. docs/explain.md defines
each part; in short, in agent-hours (agents x interval hours ``h`` over the roster's horizon), per interval t:

====================== =====================================================================================
``W``                  workload: calls x AHT / interval seconds, summed over the queues
``Q``                  each queue's fractional agents meeting its targets but its occupancy cap, summed
``O``                  each queue's ``fractional_agents`` (staffing.csv: every target), summed
``P``, ``G``           requirement "pooled": the fractional agents of one FIFO pool (``P``) and of the group
                       under its routing (``G``), every queue at its own targets in every interval
                       (:func:`wfm.staffing.interval_requirement`); requirement "scheduled": both ``O``
``A``                  whole agents on the phones: ``G`` rounded up by the same search (pooled), or the
                       queues' ``agents`` summed
``U``, ``S``           ``A / (1 - shrinkage)``, and ``S`` the scheduled agents: ``ceil(U)`` pooled, or the
                       queues' ``scheduled`` summed; ``S`` is the requirement the roster is held to below
``R``                  the roster's own requirement (coverage.csv ``required_scheduled``; ``S`` unless a
                       queue is judged over a day or week, when it is the interval floor)
``r``                  agents on the phones (on shift, off break; :func:`wfm.roster.rows.rostered_per_interval`)
                       of the working rows, the contract-minimum shifts taken out
====================== =====================================================================================

The parts, in order: workload ``W``; queueing margin ``Q - W``; occupancy cap ``O - Q``; pooling ``P - O``;
routing ``G - P``; rounding ``(A - G) + (S - U)``; shrinkage ``U - A``; those seven add up to ``S``. Then
under-coverage ``-(S - r)`` over the intervals short of ``R``; period targets ``-(S - r)`` over the other
intervals below ``S`` (only a queue judged over a day or week has them); over-coverage ``r - S`` where
positive; contract minimums, the paid hours of whole working shifts no interval needs (a greedy pass in roster
order takes out each shift whose every interval on the phones keeps ``max(S, R)`` without it; with a queue
judged over a day or week, only from days (weeks) with no interval below ``S``); paid breaks of the other
working shifts; paid closed days, the paid hours of rows whose ``shift`` is :data:`HOLIDAY_SHIFT`; and off the
interval grid, the hours on the phones of the working shifts less ``r x h`` (0 for every roster wfm makes).

Paid hours of a row: its length less its unpaid breaks, a break unpaid when the config's break of its shift
template at the same position (breaks in time order, the template's by window) is unpaid; a holiday row is paid
its length less any breaks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from wfm.clock import format_clock, parse_clock
from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.io import json_number
from wfm.roster.coverage import horizon_of, horizon_requirement, horizon_staffing
from wfm.roster.rows import RosterRows, parse_roster_rows, rostered_per_interval
from wfm.staffing import interval_requirement, queue_shrinkage, size_intervals

HOLIDAY_SHIFT = "holiday"
"""The ``shift`` of a roster row that is a paid closed day (a holiday): paid, never on the phones."""

PART_KEYS = (
    "workload", "queueing_margin", "occupancy_cap", "pooling", "routing", "rounding", "shrinkage",
    "under_coverage", "period_targets", "over_coverage", "contract_minimums", "paid_breaks", "paid_closed_days",
    "off_grid",
)
"""Every part, in the order the table and the waterfall show them."""

_LABELS = {
    "workload": ("workload", "calls x AHT: the forecast calls' time on the phones"),
    "queueing_margin": ("queueing margin", "to answer within the service targets (Erlang; below 0: calls abandoned)"),
    "occupancy_cap": ("occupancy cap", "so that no agent is busier than the occupancy cap, where it binds"),
    "pooling": ("pooling", "one FIFO pool against the queues sized apart (scale saves; the strictest target costs)"),
    "routing": ("routing", "the group's routing against one FIFO pool (below 0: each queue gets its own target)"),
    "rounding": ("rounding", "whole agents on the phones, then whole agents to schedule"),
    "shrinkage": ("shrinkage", "scheduled but off the phones (absence, training, meetings)"),
    "under_coverage": ("under-coverage", "short where the roster misses its requirement"),
    "period_targets": ("period targets", "below an interval's own target: the queue is judged over the day or week"),
    "over_coverage": ("over-coverage (shift shapes)", "on the phones above the requirement: shift lengths and starts"),
    "contract_minimums": ("contract minimums", "whole shifts no interval needs: a contract's days or hours ask for "
                          "them"),
    "paid_breaks": ("paid breaks", "paid, off the phones"),
    "paid_closed_days": ("paid closed days", "holidays paid while the centre is closed (not worked)"),
    "off_grid": ("off the interval grid", "shifts or breaks off the grid: time on the phones less the intervals "
                 "counted"),
}
_OPTIONAL = {"period_targets", "off_grid"}  # shown in the table only when not 0


@dataclass(frozen=True)
class Part:
    """One part of the paid hours: ``hours`` exact, ``shown`` rounded to the cent so that the shown parts add
    up to the shown total (largest remainders); ``share`` of the paid hours."""

    key: str
    name: str
    hours: float
    shown: float
    share: float
    meaning: str


@dataclass(frozen=True)
class HourOver:
    """Over-coverage in one hour of the day (all days of the horizon): agent-hours on the phones above the
    requirement, the requirement's agent-hours, their ratio, and the lowest and highest ratio of one day."""

    hour: int
    over_hours: float
    required_hours: float
    share: float | None  # over / required; None without a requirement in that hour
    day_low: float | None
    day_high: float | None

    @property
    def label(self) -> str:
        return f"{format_clock(60 * self.hour)}-{format_clock(60 * (self.hour + 1)) if self.hour < 23 else '24:00'}"


@dataclass(frozen=True)
class ShiftOver:
    """Over-coverage by shift template: each interval's over-coverage shared among the agents on the phones
    then; with the template's shifts (kept), hours on the phones and contract-minimum shifts and paid hours."""

    shift: str
    shifts: int
    on_phone_hours: float
    over_hours: float
    contract_minimum_shifts: int
    contract_minimum_hours: float

    @property
    def share(self) -> float | None:
        """Over-coverage as a share of the template's hours on the phones."""
        return self.over_hours / self.on_phone_hours if self.on_phone_hours > 0 else None


@dataclass(frozen=True)
class PaidHours:
    """A roster's paid hours explained: :attr:`parts` add up to :attr:`paid_hours`."""

    paid_hours: float
    parts: list[Part]
    requirement: str  # "pooled" or "scheduled" ([roster] requirement)
    routing: str
    interval_minutes: int
    required_hours: float  # S x h: the scheduled requirement the parts up to shrinkage add up to
    by_hour: list[HourOver] = field(default_factory=list)
    by_shift: list[ShiftOver] = field(default_factory=list)

    @property
    def paid_shown(self) -> float:
        """The paid hours rounded to the cent: the shown parts add up to it."""
        return round(self.paid_hours, 2)

    def part(self, key: str) -> Part:
        return next(p for p in self.parts if p.key == key)

    def shown_parts(self) -> list[Part]:
        """The parts a table shows: all but an optional part (period targets, off the grid) that is 0."""
        return [p for p in self.parts if not (p.key in _OPTIONAL and p.shown == 0)]

    def top_hours(self, n: int = 5) -> list[HourOver]:
        """The ``n`` hours of the day with the most over-coverage (ties: the earlier hour), none that has none."""
        ranked = sorted((b for b in self.by_hour if b.over_hours > 0), key=lambda b: (-round(b.over_hours, 9), b.hour))
        return ranked[:n]

    def table_rows(self) -> list[list[str]]:
        """``[part, hours, share, meaning]`` rows and the paid-hours total, as `wfm roster --explain` prints."""
        rows = [[p.name, f"{p.shown:,.2f}", _pct(p.share), p.meaning] for p in self.shown_parts()]
        rows.append(["paid hours", f"{self.paid_shown:,.2f}", _pct(1.0 if self.paid_hours else 0.0),
                     "the roster's paid hours: the parts above add up to them"])
        return rows

    def hour_rows(self, n: int = 5) -> list[list[str]]:
        """``[hours, over, share, by day]`` for the :meth:`top_hours`."""
        return [[b.label, f"{b.over_hours:,.2f}", _over_pct(b.share),
                 "-" if b.day_low is None else f"{_pct(b.day_low)}-{_pct(b.day_high)}"] for b in self.top_hours(n)]

    def shift_rows(self) -> list[list[str]]:
        """``[shift, shifts, on the phones, over, share, contract minimums]`` per template."""
        return [[s.shift, str(s.shifts), f"{s.on_phone_hours:,.2f}", f"{s.over_hours:,.2f}", _over_pct(s.share),
                 f"{s.contract_minimum_shifts} ({s.contract_minimum_hours:,.2f} h)"] for s in self.by_shift]

    def to_dict(self) -> dict[str, Any]:
        """The JSON record (manifest.json ``paid_hours``, `wfm roster --explain --json` ``explain``): ``hours``
        are the shown figures, adding up to ``paid_hours``; ``exact_hours`` unrounded."""
        return {
            "paid_hours": self.paid_shown,
            "requirement": self.requirement,
            "routing": self.routing,
            "interval_minutes": self.interval_minutes,
            "required_hours": json_number(self.required_hours, 2),
            "parts": [{"part": p.key, "name": p.name, "hours": p.shown, "exact_hours": json_number(p.hours, 6),
                       "share": json_number(p.share, 4), "meaning": p.meaning} for p in self.parts],
            "over_by_hour": [{"hour": b.label, "over_hours": json_number(b.over_hours, 2),
                              "required_hours": json_number(b.required_hours, 2), "share": json_number(b.share, 4),
                              "day_low": json_number(b.day_low, 4), "day_high": json_number(b.day_high, 4)}
                             for b in self.by_hour],
            "over_by_shift": [{"shift": s.shift, "shifts": s.shifts, "on_phone_hours": json_number(s.on_phone_hours, 2),
                               "over_hours": json_number(s.over_hours, 2), "share": json_number(s.share, 4),
                               "contract_minimum_shifts": s.contract_minimum_shifts,
                               "contract_minimum_hours": json_number(s.contract_minimum_hours, 2)}
                              for s in self.by_shift],
        }


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.1%}"


def _over_pct(x: float | None) -> str:
    return "no requirement" if x is None else f"{x:.1%}"


# =========================================================================== the explanation
def explain_paid_hours(
    assignments: pd.DataFrame,
    staffing: pd.DataFrame,
    config: CentreConfig,
    *,
    start: date | None = None,
    weeks: int | None = None,
    coverage: pd.DataFrame | None = None,
    source: str = "roster",
    paid_holiday_hours: float = 0.0,
) -> PaidHours:
    """Split the paid hours of the roster frame ``assignments`` into the parts the module docstring defines.

    ``staffing`` is the staffing frame the roster was made from (as :func:`wfm.roster.coverage` reads it);
    the horizon runs ``weeks`` weeks from ``start`` (defaults as :func:`wfm.roster.coverage`). ``coverage``
    (the roster's coverage frame, optional) gives the roster's requirement ``R`` without working it out again
    (``required_scheduled``; its intervals must be the horizon's). Raises
    InputError naming ``source``, line and field for a row whose shift is no template of the config (nor
    :data:`HOLIDAY_SHIFT`) or whose breaks are not its template's. ``paid_holiday_hours``: holidays the roster
    pays that have no row (the centre closed on a day an agent's week would have worked,
    :attr:`wfm.roster.Roster.paid_holiday_hours`): part of the paid hours, and of the paid closed days.
    """
    named = staffing.attrs.get("source", "staffing")
    for col in ("timestamp", "queue", "volume", "agents", "scheduled"):
        if col not in staffing.columns:
            raise InputError(f"{named}: missing column {col!r} (make it with `wfm staff`)")
    if "fractional_agents" not in staffing.columns or "aht" not in staffing.columns:  # as read_staffing fills them
        staffing = staffing.assign(**{"fractional_agents": staffing.get("fractional_agents", staffing["agents"]),
                                      "aht": staffing.get("aht", np.nan)})
    start, weeks = horizon_of(assignments, staffing, start, weeks)
    if coverage is None:
        start, idx, required, hs = horizon_requirement(staffing, config, start, weeks)
    else:
        start, idx, hs = horizon_staffing(staffing, config, start, weeks)
        required = _required(coverage, idx)
    ivl = config.planning_interval_minutes
    h = ivl / 60.0
    rows = parse_roster_rows(assignments, source)
    holiday = rows.shift == HOLIDAY_SHIFT
    paid_row, paid_break = _paid_hours(rows, holiday, config, source)

    level = _levels(hs, config, idx, ivl)
    target = np.maximum(level.scheduled, required)
    on_phones = rostered_per_interval(rows, pd.Timestamp(start), len(idx), ivl, weight=(~holiday).astype(float))
    removed = _contract_minimum_rows(rows, holiday, on_phones - target, level.scheduled - on_phones, idx, ivl,
                                     config)
    kept = ~holiday & ~removed
    r = rostered_per_interval(rows, pd.Timestamp(start), len(idx), ivl, weight=kept.astype(float))
    s = level.scheduled.astype(float)
    over = np.maximum(r - s, 0.0)
    short = np.maximum(s - r, 0.0)
    missed = r < required
    exact_on_phones = rows.on_site_hours - rows.break_hours

    hours = {
        "workload": h * float(level.workload.sum()),
        "queueing_margin": h * float((level.without_cap - level.workload).sum()),
        "occupancy_cap": h * float((level.fractional - level.without_cap).sum()),
        "pooling": h * float((level.pooled - level.fractional).sum()),
        "routing": h * float((level.group - level.pooled).sum()),
        "rounding": h * float((level.agents - level.group).sum() + (s - level.unrounded).sum()),
        "shrinkage": h * float((level.unrounded - level.agents).sum()),
        "under_coverage": -h * float(short[missed].sum()),
        "period_targets": -h * float(short[~missed].sum()),
        "over_coverage": h * float(over.sum()),
        "contract_minimums": float(paid_row[removed].sum()),
        "paid_breaks": float(paid_break[kept].sum()),
        "paid_closed_days": float(paid_row[holiday].sum()) + float(paid_holiday_hours),
        "off_grid": float(exact_on_phones[kept].sum()) - h * float(r.sum()),
    }
    paid = float(paid_row.sum()) + float(paid_holiday_hours)
    shown = largest_remainder([hours[k] for k in PART_KEYS], paid)
    parts = [Part(k, _LABELS[k][0], hours[k] + 0.0, c, (hours[k] / paid if paid else 0.0) + 0.0, _LABELS[k][1])
             for k, c in zip(PART_KEYS, shown, strict=True)]
    return PaidHours(
        paid_hours=paid, parts=parts, requirement=config.roster.requirement, routing=config.routing(None)[0],
        interval_minutes=ivl, required_hours=h * float(s.sum()), by_hour=_by_hour(idx, over, s, h),
        by_shift=_by_shift(rows, kept, removed, paid_row, r, over, start, len(idx), ivl, h, config),
    )


def _required(coverage: pd.DataFrame, idx: pd.DatetimeIndex) -> np.ndarray:
    """The roster's requirement from its coverage frame, whose intervals must be the horizon's."""
    stamps = pd.DatetimeIndex(pd.to_datetime(coverage["timestamp"]))
    if len(stamps) != len(idx) or not (stamps == idx).all():
        raise InputError(f"coverage: its {len(stamps)} intervals are not the roster's horizon ({len(idx)} intervals "
                         f"from {idx[0]:%Y-%m-%d %H:%M})")
    return coverage["required_scheduled"].to_numpy(np.int64)


def largest_remainder(values: Sequence[float], total: float) -> list[float]:
    """``values`` rounded to the cent so that they add up to ``total`` rounded to the cent: each is rounded down,
    and the cents left go one each to the largest remainders (ties: the earlier value). ``values`` must add up
    to ``total`` (to well under a cent)."""
    cents = np.array([v * 100.0 for v in values])
    down = np.floor(cents + 1e-7)  # a value a hair under a whole cent is that cent
    need = int(round(total * 100.0)) - int(down.sum())
    if not 0 <= need <= len(values):
        raise ValueError(f"the parts add up to {sum(values):.6f}, not {total:.6f}")
    order = sorted(range(len(values)), key=lambda i: (-(cents[i] - down[i]), i))
    for i in order[:need]:
        down[i] += 1
    return [float(c) / 100.0 + 0.0 for c in down]


# --------------------------------------------------------------------------- paid hours per row
def _paid_hours(rows: RosterRows, holiday: np.ndarray, config: CentreConfig, source: str
                ) -> tuple[np.ndarray, np.ndarray]:
    """Each row's paid hours and paid break hours (see the module docstring)."""
    templates = {t.name: t for t in config.shifts}
    n = len(rows)
    counts = np.bincount(rows.break_row, minlength=n)
    order = np.lexsort((rows.break_start, rows.break_row))
    b_row = rows.break_row[order]
    b_hours = ((rows.break_end - rows.break_start)[order] / np.timedelta64(1, "h")).astype(float)
    first = np.concatenate(([0], np.cumsum(counts)[:-1])) if n else np.zeros(0, dtype=np.int64)
    rank = np.arange(len(b_row)) - first[b_row]
    paid_flag = np.zeros(len(b_row), dtype=bool)
    for name in pd.unique(rows.shift[~holiday]):
        mine = (rows.shift == name) & ~holiday
        i = int(np.flatnonzero(mine)[0])
        template = templates.get(str(name))
        if template is None:
            known = ", ".join(repr(t) for t in templates)
            raise InputError(f"{source}, line {rows.line[i]}, field 'shift': {str(name)!r} is not a shift template of "
                             f"the config ({known}; a paid closed day is {HOLIDAY_SHIFT!r}), so its paid hours are "
                             "unknown")
        flags = [b.paid for b in sorted(template.breaks, key=lambda b: parse_clock(b.window[0], "break", offset=True))]
        wrong = np.flatnonzero(mine & (counts != len(flags)))
        if len(wrong):
            j = int(wrong[0])
            raise InputError(f"{source}, line {rows.line[j]}, field 'breaks': shift {str(name)!r} has {len(flags)} "
                             f"break(s) in the config and this row {int(counts[j])}, so which are paid is unknown")
        at = mine[b_row]
        paid_flag[at] = np.asarray(flags, dtype=bool)[rank[at]]
    paid_break = np.bincount(b_row, weights=np.where(paid_flag, b_hours, 0.0), minlength=n).astype(float)
    unpaid_break = np.bincount(b_row, weights=np.where(paid_flag, 0.0, b_hours), minlength=n).astype(float)
    return rows.on_site_hours - unpaid_break, paid_break


# --------------------------------------------------------------------------- the requirement's levels
@dataclass(frozen=True)
class _Levels:
    """The requirement's levels per interval, in agents (see the module docstring)."""

    workload: np.ndarray  # W
    without_cap: np.ndarray  # Q
    fractional: np.ndarray  # O
    pooled: np.ndarray  # P
    group: np.ndarray  # G
    agents: np.ndarray  # A
    unrounded: np.ndarray  # U
    scheduled: np.ndarray  # S (int)


def _levels(hs: pd.DataFrame, config: CentreConfig, idx: pd.DatetimeIndex, ivl: int) -> _Levels:
    queues = list(config.queues)
    frame = hs[hs["queue"].isin(config.queue_names)]
    which = pd.Index(config.queue_names).get_indexer(frame["queue"])
    vol = frame["volume"].to_numpy(float)
    aht_file = frame["aht"].to_numpy(float)
    aht = np.where(np.isfinite(aht_file) & (aht_file > 0), aht_file, np.array([q.aht_s for q in queues])[which])
    frac = frame["fractional_agents"].to_numpy(float)
    capped = np.array([q.max_occupancy is not None for q in queues])[which]
    without_cap = frac.copy()
    if capped.any():
        free = [q.model_copy(update={"max_occupancy": None}) for q in queues]
        sized = size_intervals(vol[capped], aht[capped], 60.0 * ivl, free, which[capped], source=config.source)
        without_cap[capped] = sized.fractional_agents
    at = pd.DatetimeIndex(frame["timestamp"])

    def per_interval(values: np.ndarray) -> np.ndarray:
        return pd.Series(values).groupby(at).sum().reindex(idx, fill_value=0.0).to_numpy(float)

    o = per_interval(frac)
    if config.roster.requirement == "pooled":
        fifo = interval_requirement(hs, config, fifo=True, timestamps=idx)
        grp = fifo if config.routing(None)[0] == "fifo" else interval_requirement(hs, config, timestamps=idx)
        pooled = fifo["fractional_agents"].to_numpy(float)
        group = grp["fractional_agents"].to_numpy(float)
        agents = grp["agents"].to_numpy(float)
        unrounded = agents / (1.0 - grp["shrinkage"].to_numpy(float))
        scheduled = grp["scheduled"].to_numpy(np.int64)
    else:
        shrink = np.array([queue_shrinkage(q, config.source) for q in queues])[which]
        pooled = group = o
        agents = per_interval(frame["agents"].to_numpy(float))
        unrounded = per_interval(frame["agents"].to_numpy(float) / (1.0 - shrink))
        scheduled = np.round(per_interval(frame["scheduled"].to_numpy(float))).astype(np.int64)
    return _Levels(per_interval(vol * aht / (60.0 * ivl)), per_interval(without_cap), o, pooled, group, agents,
                   unrounded, scheduled)


# --------------------------------------------------------------------------- contract minimums
def _contract_minimum_rows(rows: RosterRows, holiday: np.ndarray, spare: np.ndarray, short: np.ndarray,
                           idx: pd.DatetimeIndex, ivl: int, config: CentreConfig) -> np.ndarray:
    """The working rows taken out as contract minimums: in roster order, a row whose every interval on the
    phones has ``spare`` (agents on the phones less ``max(S, R)``) of at least one left, the spare lowered as
    each is taken out. With a queue judged over a day or week, only rows whose days (weeks) have no interval
    below ``S`` (``short > 0``)."""
    n = len(idx)
    out = np.zeros(len(rows), dtype=bool)
    work = np.flatnonzero(~holiday)
    if not len(work) or not n:
        return out
    cells, member = _row_intervals(rows, work, idx[0], n, ivl)
    on = member > 0
    spare = np.asarray(spare, dtype=float).copy()
    room = np.where(on, spare[cells], np.inf).min(axis=1)
    ok = on.any(axis=1) & (room >= 1.0)
    periods = [q.service_level_period for q in config.queues]
    if any(p != "interval" for p in periods):
        per = (1440 // ivl) * (7 if "week" in periods else 1)
        low = np.bincount(np.arange(n) // per, weights=(np.asarray(short) > 0).astype(float)) > 0
        ok &= ~np.where(on, low[cells // per], False).any(axis=1)
    for k in np.flatnonzero(ok):
        c, m = cells[k][on[k]], member[k][on[k]]
        if spare[c].min() >= 1.0:
            np.subtract.at(spare, c, m)
            out[work[k]] = True
    return out


def _row_intervals(rows: RosterRows, which: np.ndarray, origin: pd.Timestamp, n: int, ivl: int
                   ) -> tuple[np.ndarray, np.ndarray]:
    """For rows ``which``: the intervals each touches (``cells``, rows x most intervals, wrapped into the cyclic
    horizon of ``n``) and the agents it counts there (``member``: 1 on the phones, 0 on a break or past its end),
    as :func:`wfm.roster.rows.count_spans` counts a shift less its breaks."""
    t0 = np.datetime64(pd.Timestamp(origin).to_datetime64(), "ns")

    def grid(s: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s_min = ((s - t0) // np.timedelta64(1, "m")).astype(np.int64)
        length = ((e - s) // np.timedelta64(1, "m")).astype(np.int64)
        return np.floor_divide(s_min, ivl), -(-length // ivl)

    g0, span = grid(rows.start[which], rows.end[which])
    width = int(span.max()) if len(span) else 0
    k = np.arange(width)[None, :]
    member = (k < span[:, None]).astype(np.int64)
    pos = np.full(len(rows), -1, dtype=np.int64)
    pos[which] = np.arange(len(which))
    mine = pos[rows.break_row] >= 0
    if mine.any():
        b_pos = pos[rows.break_row[mine]]
        b0, b_span = grid(rows.break_start[mine], rows.break_end[mine])
        rel = b0 - g0[b_pos]
        inside = (k >= rel[:, None]) & (k < (rel + b_span)[:, None])
        np.subtract.at(member, b_pos, inside.astype(np.int64))
    return (g0[:, None] + k) % n, member


# --------------------------------------------------------------------------- over-coverage by hour and shift
def _by_hour(idx: pd.DatetimeIndex, over: np.ndarray, required: np.ndarray, h: float) -> list[HourOver]:
    """Over-coverage per hour of the day, over all days (see :class:`HourOver`)."""
    frame = pd.DataFrame({"hour": idx.hour, "day": (idx.normalize() - idx[0].normalize()).days,
                          "over": over * h, "required": required * h})
    per_day = frame.groupby(["hour", "day"])[["over", "required"]].sum()
    per_day = per_day[per_day["required"] > 0]
    day_share = (per_day["over"] / per_day["required"]).groupby(level="hour").agg(["min", "max"])
    out = []
    for hour, g in frame.groupby("hour", sort=True):
        o, req = float(g["over"].sum()), float(g["required"].sum())
        low = day_share["min"].get(hour)
        high = day_share["max"].get(hour)
        out.append(HourOver(int(hour), o, req, o / req if req > 0 else None,
                            None if low is None else float(low), None if high is None else float(high)))
    return out


def _by_shift(rows: RosterRows, kept: np.ndarray, removed: np.ndarray, paid_row: np.ndarray, r: np.ndarray,
              over: np.ndarray, start: date, n: int, ivl: int, h: float, config: CentreConfig) -> list[ShiftOver]:
    """Over-coverage by shift template (see :class:`ShiftOver`), in the config's order of templates."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_agent = np.where(r > 0, over / r, 0.0)
    out = []
    for t in config.shifts:
        mine = rows.shift == t.name
        if not (mine & (kept | removed)).any():
            continue
        on = rostered_per_interval(rows, pd.Timestamp(start), n, ivl, weight=(mine & kept).astype(float))
        out.append(ShiftOver(
            shift=t.name, shifts=int((mine & kept).sum()), on_phone_hours=h * float(on.sum()),
            over_hours=h * float((per_agent * on).sum()), contract_minimum_shifts=int((mine & removed).sum()),
            contract_minimum_hours=float(paid_row[mine & removed].sum()),
        ))
    return out


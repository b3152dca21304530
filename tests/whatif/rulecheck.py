"""An independent rule checker for the what-if "recovery by name" outputs (``wfm whatif --recovery-dir DIR``).

It reads only the output files -- ``roster.csv`` (published), ``roster_after.csv`` and ``recovery.csv`` -- plus
a few rule values (:class:`Rules`), and lists every violation it finds as one readable line. It imports nothing
from ``wfm`` (only the standard library and numpy), so that it does not share code, or bugs, with what it checks.

Clock conventions (the files' own): ``date`` is the day a row starts; ``start``/``end`` are local ``HH:MM``; an
end at or before the start lies on the next day (an end equal to the start is a 24-hour span); a break clock
time earlier than the row's start lies on the next day. All arithmetic is on minutes counted from midnight of
``plan_start``, so night shifts and breaks after midnight are real times.

Rule names (the first word of every violation line), see :data:`RULES`:

- ``one_row_per_day``: a roster file has two rows for one person and date.
- ``unknown_lever``: a recovery row whose lever is not rest_days, overtime, back_office or agency.
- ``rest_hours``: between the end of one row and the start of the next of the same person in roster_after
  (ordered by start time), at least ``min_rest_hours``. Applied to every person in roster_after.
- ``rest_days_per_week``: per person of the published roster or roster_after whose contract is not
  back_office/agency, per whole 7-day block of the plan counted from ``plan_start`` (a trailing partial block is
  not checked), days without a roster_after row >= ``min_rest_days_per_week``.
- ``consecutive_days``: per person (same set), every run of consecutive dated roster_after rows inside the plan
  is at most ``max_consecutive_days`` long (one line per run that is too long).
- ``rest_day_floor``: per person whose contract is ``rest_day_contract`` (from the published roster, else
  roster_after), per calendar month touched by the plan: rest days (plan days of that month without a
  roster_after row) >= round_half_up(floor x plan days in that month / days in that month), computed exactly
  (fractions), halves rounded up: floor 4, 15 plan days of a 30-day month -> 2; 6 of 31 -> round(0.77) = 1.
- ``overtime_per_day``: sum of overtime ``hours`` per person and date <= ``overtime_max_hours_per_day``.
- ``overtime_per_week``: sum of overtime ``hours`` per person per 7-day block counted from ``plan_start`` <=
  ``overtime_max_hours_per_week``; a trailing partial block is checked too (it lies inside some 7 days).
- ``overtime_matches``: an overtime row's person has a published row on its date; the extension ends at that
  shift's start or starts at its end (clock times; the after-end extension of a night shift is on the next
  day); at most one extension before and one after; roster_after's row for that person/date is the published
  shift with its start/end moved to the extensions' and the published breaks (plus the overtime rows' own
  breaks, if any -- normally none).
- ``rest_day_is_rest_day``: a rest_days row is on a date without a published row of that person, and
  roster_after has a row for that person/date with the same start, end and breaks.
- ``recalled_breaks``: every break of a rest_days row lies inside its shift and on the grid.
- ``on_grid``: every start, end and break boundary of recovery.csv rows and of roster_after rows of people
  in the published roster is a multiple of ``interval_minutes`` from midnight. (Breaks of rest_days rows in
  recovery.csv are left to ``recalled_breaks``, so that one off-grid break there is one line, not two; its
  copy in roster_after is still reported here.)
- ``back_office_hours_per_day``: a back_office roster_after row's phone time (span minus breaks) <=
  ``back_office_max_hours_per_day``.
- ``back_office_window``: a back_office roster_after row lies inside ``back_office_hours`` on its date.
- ``back_office_matches``: per back_office person and date, the sum of its back_office recovery ``hours``
  equals the roster_after row's phone hours, and (if it does) the row's phone blocks are exactly the recovery
  rows' blocks (adjacent blocks merged).
- ``agency_window``, ``agency_matches``: the same for agency rows (window ``agency_hours``).
- ``agency_at_once``: at no minute more than ``agency_max_agents`` agency people on the phones (one line per
  stretch of time over the limit).
- ``cost``: a recovery row's cost == hours x ``costs[lever]`` (to ``cost_tolerance``) when the rate is
  given; a rest_days row's hours are > 0 and <= its span (paid breaks may count, so the breaks are not
  subtracted); an overtime, back_office or agency row's hours == (span minus breaks) in hours (to 1e-6).
- ``unexplained_row`` (the "accounted" rule): a roster_after row that is absent from or differs from the
  published roster needs a recovery row of that person and date: rest_days for a published person's date
  without a published row, overtime for a changed published row, back_office / agency for those contracts. A
  roster_after row of a person who is in neither the published roster nor recovery.csv is unexplained too. A
  published row missing from roster_after is allowed (an absent person).

:func:`recount` gives the people on the phones per interval of the plan from roster_after.csv.

Malformed files are not violations: a missing column, a bad date, a clock time that is not ``HH:MM`` (wfm's
readers also take full ``YYYY-MM-DD HH:MM`` timestamps; these files must not use them) or a break that is not
``HH:MM-HH:MM`` raises ``ValueError`` naming the file and line.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

import numpy as np

RULES = (
    "one_row_per_day",
    "unknown_lever",
    "rest_hours",
    "rest_days_per_week",
    "consecutive_days",
    "rest_day_floor",
    "overtime_per_day",
    "overtime_per_week",
    "overtime_matches",
    "rest_day_is_rest_day",
    "recalled_breaks",
    "on_grid",
    "back_office_hours_per_day",
    "back_office_window",
    "back_office_matches",
    "agency_window",
    "agency_matches",
    "agency_at_once",
    "cost",
    "unexplained_row",
)
LEVERS = ("rest_days", "overtime", "back_office", "agency")
NAMED = ("back_office", "agency")  # contracts of people recovery adds by name (not in the published roster)
DAY = 1440
TOL = 1e-6

ROSTER_COLUMNS = ["agent_id", "contract", "date", "shift", "start", "end", "breaks"]
RECOVERY_COLUMNS = ["person", "date", "lever", "start", "end", "breaks", "hours", "cost"]


@dataclass
class Rules:
    plan_start: date  # first day of the plan
    plan_days: int  # days in the plan (7, 28, ...)
    interval_minutes: int  # the planning grid
    min_rest_hours: float = 11.0
    min_rest_days_per_week: int = 1
    max_consecutive_days: int = 6
    rest_day_contract: str = "full_time"
    rest_day_floor_per_month: int | None = None
    overtime_max_hours_per_day: float | None = None
    overtime_max_hours_per_week: float | None = None
    back_office_max_hours_per_day: float | None = None
    back_office_hours: tuple[str, str] | None = None  # ("08:00", "20:00"): phone time only within it
    agency_hours: tuple[str, str] | None = None
    agency_max_agents: int | None = None
    costs: dict[str, float] = field(default_factory=dict)  # lever -> cost per hour
    cost_tolerance: float = 1e-6


# ----------------------------------------------------------------------------------------------- parsing


def _clock(text: str, where: str) -> int:
    """``HH:MM`` -> minutes from midnight (00:00 .. 23:59)."""
    try:
        hh, mm = text.strip().split(":")
        h, m = int(hh), int(mm)
    except ValueError:
        raise ValueError(f"{where}: bad clock time {text!r} (HH:MM)") from None
    if not (0 <= h < 24 and 0 <= m < 60):
        raise ValueError(f"{where}: bad clock time {text!r} (HH:MM)")
    return h * 60 + m


def _hhmm(minutes: int) -> str:
    m = minutes % DAY
    return f"{m // 60:02d}:{m % 60:02d}"


def _num(x: float) -> str:
    """A number as a short readable string: 9.0, 9.25, 10.5."""
    return repr(round(float(x), 4))


def _rule(x: float) -> str:
    return f"{x:g}"


@dataclass
class Row:
    """One row of a roster or recovery file, clock times in minutes from midnight."""

    person: str
    kind: str  # contract (roster) or lever (recovery)
    day: date
    start: int
    end: int
    breaks: tuple[tuple[int, int], ...]  # clock minutes, as written
    where: str  # file:line, for error messages
    hours: float = 0.0
    cost: float = 0.0

    @property
    def length(self) -> int:
        """Minutes from start to end: an end at or before the start is on the next day."""
        return (self.end - self.start) % DAY or DAY

    def offset(self, t: int) -> int:
        """Minutes from this row's start to the clock time ``t`` (a time before the start is the next day)."""
        return (t - self.start) % DAY

    def break_offsets(self) -> list[tuple[int, int]]:
        """Each break as (from, to) minutes after the row's start; a break that would end before it starts or
        past 24 h comes out with ``to`` beyond the span, so :meth:`breaks_inside` rejects it."""
        out = []
        for b0, b1 in self.breaks:
            o0, o1 = self.offset(b0), self.offset(b1)
            if o1 <= o0:
                o1 += DAY
            out.append((o0, o1))
        return out

    def breaks_inside(self) -> bool:
        return all(0 <= o0 < o1 <= self.length for o0, o1 in self.break_offsets())

    def abs_start(self, origin: date) -> int:
        """Start in minutes from midnight of ``origin``."""
        return (self.day - origin).days * DAY + self.start

    def abs_end(self, origin: date) -> int:
        return self.abs_start(origin) + self.length

    def phone_blocks(self, origin: date) -> list[tuple[int, int]]:
        """Span minus breaks (breaks clipped to the span, merged), in minutes from ``origin``; adjacent pieces
        merged, empty pieces dropped."""
        s0 = self.abs_start(origin)
        cuts = sorted((max(0, o0), min(self.length, o1)) for o0, o1 in self.break_offsets())
        blocks: list[tuple[int, int]] = []
        at = 0
        for o0, o1 in cuts:
            if o1 <= o0:
                continue
            if o0 > at:
                blocks.append((s0 + at, s0 + o0))
            at = max(at, o1)
        if at < self.length:
            blocks.append((s0 + at, s0 + self.length))
        return blocks

    def phone_minutes(self) -> int:
        return sum(b - a for a, b in self.phone_blocks(self.day))

    def clock_key(self) -> tuple[int, int, tuple[tuple[int, int], ...]]:
        return self.start, self.end, tuple(sorted(self.breaks))

    def boundaries(self, with_breaks: bool = True) -> list[int]:
        out = [self.start, self.end]
        if with_breaks:
            for b in self.breaks:
                out.extend(b)
        return out


def _breaks(text: str, where: str) -> tuple[tuple[int, int], ...]:
    out = []
    for part in (text or "").split(";"):
        part = part.strip()
        if not part:
            continue
        try:
            a, b = part.split("-")
        except ValueError:
            raise ValueError(f"{where}: bad break {part!r} (HH:MM-HH:MM)") from None
        out.append((_clock(a, where), _clock(b, where)))
    return tuple(out)


def _read(path: Path, columns: list[str]) -> list[dict[str, str]]:
    path = Path(path)
    if path.stat().st_size == 0:
        return []
    with path.open(newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing columns {missing} (has {reader.fieldnames})")
        return [dict(r, _line=str(i + 2)) for i, r in enumerate(reader)]


def read_roster(path: Path) -> list[Row]:
    """A roster CSV (``agent_id,contract,date,shift,start,end,breaks``) as :class:`Row` s (kind = contract)."""
    rows = []
    for r in _read(path, ROSTER_COLUMNS):
        where = f"{Path(path).name}:{r['_line']}"
        rows.append(
            Row(
                person=r["agent_id"].strip(),
                kind=r["contract"].strip(),
                day=date.fromisoformat(r["date"].strip()),
                start=_clock(r["start"], where),
                end=_clock(r["end"], where),
                breaks=_breaks(r["breaks"], where),
                where=where,
            )
        )
    return rows


def read_recovery(path: Path) -> list[Row]:
    """recovery.csv (``person,date,lever,start,end,breaks,hours,cost``) as :class:`Row` s (kind = lever)."""
    rows = []
    for r in _read(path, RECOVERY_COLUMNS):
        where = f"{Path(path).name}:{r['_line']}"
        rows.append(
            Row(
                person=r["person"].strip(),
                kind=r["lever"].strip(),
                day=date.fromisoformat(r["date"].strip()),
                start=_clock(r["start"], where),
                end=_clock(r["end"], where),
                breaks=_breaks(r["breaks"], where),
                where=where,
                hours=float(r["hours"]),
                cost=float(r["cost"]),
            )
        )
    return rows


def _window(pair: tuple[str, str] | None) -> tuple[int, int] | None:
    """A daily window (``"08:00", "20:00"``) as clock minutes (start, end); an end at or before the start is
    on the next day (a window crossing midnight)."""
    if pair is None:
        return None
    a, b = _clock(pair[0], "window"), _clock(pair[1], "window")
    return a, a + ((b - a) % DAY or DAY)


def _in_window(row: Row, window: tuple[int, int]) -> bool:
    """The row's span inside its date's window (or the previous day's, for a window crossing midnight)."""
    s = row.start
    e = s + row.length
    w0, w1 = window
    return any(w0 + k <= s and e <= w1 + k for k in (0, -DAY))


# ----------------------------------------------------------------------------------------------- check


def _index(rows: list[Row], name: str, out: list[str]) -> dict[tuple[str, date], Row]:
    """(person, date) -> row; a second row of the same person and date is a ``one_row_per_day`` violation."""
    idx: dict[tuple[str, date], Row] = {}
    for r in rows:
        key = (r.person, r.day)
        if key in idx:
            out.append(
                f"one_row_per_day: {r.person} {r.day}: two rows in {name} ({idx[key].where}, {r.where})"
            )
            continue
        idx[key] = r
    return idx


def rest_day_floor_needed(floor: int, plan_days_in_month: int, days_in_month: int) -> int:
    """The rest days a month needs under ``rest_day_floor``: round_half_up(floor x plan days of the month /
    days of the month), computed exactly (a half rounds up: 1 x 15/30 -> 1)."""
    return math.floor(Fraction(floor * plan_days_in_month, days_in_month) + Fraction(1, 2))


def check(published: Path, after: Path, recovery: Path, rules: Rules) -> list[str]:
    """Every violation of ``rules`` in the three files, one readable line each (empty: all rules hold).

    ``published`` is roster.csv, ``after`` roster_after.csv, ``recovery`` recovery.csv. Each line starts with
    the rule's name (see :data:`RULES` and the module docstring), then the person and date(s)."""
    out: list[str] = []
    pub_rows = read_roster(published)
    aft_rows = read_roster(after)
    rec_rows = read_recovery(recovery)
    pub = _index(pub_rows, "roster.csv", out)
    aft = _index(aft_rows, "roster_after.csv", out)
    origin = rules.plan_start
    grid = rules.interval_minutes

    rec_by: dict[tuple[str, str, date], list[Row]] = defaultdict(list)  # (lever, person, date) -> rows
    for r in rec_rows:
        if r.kind not in LEVERS:
            out.append(f"unknown_lever: {r.person} {r.day}: lever {r.kind!r} ({r.where})")
            continue
        rec_by[(r.kind, r.person, r.day)].append(r)

    contract: dict[str, str] = {}
    for r in aft.values():
        contract.setdefault(r.person, r.kind)
    for r in pub.values():
        contract[r.person] = r.kind  # the published contract wins
    published_people = {r.person for r in pub.values()}

    _rest_hours(aft, rules, out)
    _rest_days(aft, contract, rules, out)
    _overtime_limits(rec_rows, rules, out)
    _overtime_matches(pub, aft, rec_by, origin, out)
    _rest_day_rows(pub, aft, rec_by, grid, out)
    _on_grid(aft, rec_rows, published_people, grid, out)
    _named(aft, rec_by, rules, out)
    _agency_at_once(aft, rules, out)
    _cost(rec_rows, rules, out)
    _accounted(pub, aft, rec_by, published_people, out)
    return out


def _rest_hours(aft: dict[tuple[str, date], Row], rules: Rules, out: list[str]) -> None:
    by_person: dict[str, list[Row]] = defaultdict(list)
    for r in aft.values():
        by_person[r.person].append(r)
    need = rules.min_rest_hours * 60
    origin = rules.plan_start
    for person, rows in sorted(by_person.items()):
        rows.sort(key=lambda r: r.abs_start(origin))
        for a, b in zip(rows, rows[1:], strict=False):
            gap = b.abs_start(origin) - a.abs_end(origin)
            if gap < need - TOL:
                out.append(
                    f"rest_hours: {person} {a.day} -> {b.day}: {_num(gap / 60)} h < {_rule(rules.min_rest_hours)}"
                )


def _rest_days(
    aft: dict[tuple[str, date], Row], contract: dict[str, str], rules: Rules, out: list[str]
) -> None:
    origin, n = rules.plan_start, rules.plan_days
    worked: dict[str, np.ndarray] = {
        p: np.zeros(n, dtype=bool) for p, c in contract.items() if c not in NAMED
    }
    for (person, day), _r in aft.items():
        k = (day - origin).days
        if person in worked and 0 <= k < n:
            worked[person][k] = True
    for person in sorted(worked):
        w = worked[person]
        for b in range(n // 7):
            rest = int((~w[7 * b : 7 * b + 7]).sum())
            if rest < rules.min_rest_days_per_week:
                d0, d1 = origin + timedelta(days=7 * b), origin + timedelta(days=7 * b + 6)
                out.append(
                    f"rest_days_per_week: {person} {d0}..{d1}: {rest} rest days < {rules.min_rest_days_per_week}"
                )
        # runs of worked days
        run0 = None
        for k in range(n + 1):
            on = k < n and w[k]
            if on and run0 is None:
                run0 = k
            elif not on and run0 is not None:
                length = k - run0
                if length > rules.max_consecutive_days:
                    d0, d1 = origin + timedelta(days=run0), origin + timedelta(days=k - 1)
                    out.append(
                        f"consecutive_days: {person} {d0}..{d1}: {length} days in a row > {rules.max_consecutive_days}"
                    )
                run0 = None
        if rules.rest_day_floor_per_month is not None and contract[person] == rules.rest_day_contract:
            months: dict[tuple[int, int], list[int]] = defaultdict(list)
            for k in range(n):
                d = origin + timedelta(days=k)
                months[(d.year, d.month)].append(k)
            for (y, m), ks in sorted(months.items()):
                nxt = date(y + (m == 12), m % 12 + 1, 1)
                in_month = (nxt - date(y, m, 1)).days
                need = rest_day_floor_needed(rules.rest_day_floor_per_month, len(ks), in_month)
                rest = int((~w[ks]).sum())
                if rest < need:
                    out.append(
                        f"rest_day_floor: {person} {y:04d}-{m:02d}: {rest} rest days < {need} "
                        f"(floor {rules.rest_day_floor_per_month} x {len(ks)}/{in_month} days, rounded half up)"
                    )


def _overtime_limits(rec_rows: list[Row], rules: Rules, out: list[str]) -> None:
    per_day: dict[tuple[str, date], float] = defaultdict(float)
    per_week: dict[tuple[str, int], float] = defaultdict(float)
    for r in rec_rows:
        if r.kind != "overtime":
            continue
        per_day[(r.person, r.day)] += r.hours
        per_week[(r.person, (r.day - rules.plan_start).days // 7)] += r.hours
    if rules.overtime_max_hours_per_day is not None:
        for (person, day), h in sorted(per_day.items()):
            if h > rules.overtime_max_hours_per_day + TOL:
                out.append(
                    f"overtime_per_day: {person} {day}: {_num(h)} h > {_rule(rules.overtime_max_hours_per_day)}"
                )
    if rules.overtime_max_hours_per_week is not None:
        for (person, b), h in sorted(per_week.items()):
            if h > rules.overtime_max_hours_per_week + TOL:
                d0 = rules.plan_start + timedelta(days=7 * b)
                out.append(
                    f"overtime_per_week: {person} {d0}..{d0 + timedelta(days=6)}: {_num(h)} h "
                    f"> {_rule(rules.overtime_max_hours_per_week)}"
                )


def _overtime_matches(
    pub: dict[tuple[str, date], Row],
    aft: dict[tuple[str, date], Row],
    rec_by: dict[tuple[str, str, date], list[Row]],
    origin: date,
    out: list[str],
) -> None:
    for (lever, person, day), rows in sorted(rec_by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
        if lever != "overtime":
            continue
        p = pub.get((person, day))
        if p is None:
            out.append(f"overtime_matches: {person} {day}: overtime without a published shift that date")
            continue
        ps, pe = p.abs_start(origin), p.abs_end(origin)
        start, end = ps, pe
        before = after = 0
        breaks = set(p.breaks)
        bad = False
        for r in rows:
            length = r.length
            if r.start == p.end % DAY:  # after the end (a night shift's end is on the next day)
                after += 1
                end = max(end, pe + length)
            elif r.end == p.start:
                before += 1
                start = min(start, ps - length)
            else:
                out.append(
                    f"overtime_matches: {person} {day}: extension {_hhmm(r.start)}-{_hhmm(r.end)} touches neither "
                    f"the start nor the end of the published shift {_hhmm(p.start)}-{_hhmm(p.end)}"
                )
                bad = True
            breaks.update(r.breaks)
        if before > 1 or after > 1:
            out.append(
                f"overtime_matches: {person} {day}: {before} extensions before and {after} after the published shift "
                "(at most one each)"
            )
            bad = True
        if bad:
            continue
        a = aft.get((person, day))
        if a is None:
            out.append(f"overtime_matches: {person} {day}: overtime but no roster_after row")
            continue
        want = f"{_hhmm(start)}-{_hhmm(end)}"
        got = f"{_hhmm(a.start)}-{_hhmm(a.end)}"
        if (a.abs_start(origin), a.abs_end(origin)) != (start, end):
            out.append(
                f"overtime_matches: {person} {day}: roster_after shift {got} != published extended {want}"
            )
        elif set(a.breaks) != breaks or len(a.breaks) != len(breaks):
            out.append(
                f"overtime_matches: {person} {day}: roster_after breaks differ from the published shift's"
            )


def _rest_day_rows(
    pub: dict[tuple[str, date], Row],
    aft: dict[tuple[str, date], Row],
    rec_by: dict[tuple[str, str, date], list[Row]],
    grid: int,
    out: list[str],
) -> None:
    for (lever, person, day), rows in sorted(rec_by.items(), key=lambda kv: (kv[0][1], kv[0][2])):
        if lever != "rest_days":
            continue
        if len(rows) > 1:
            out.append(f"rest_day_is_rest_day: {person} {day}: {len(rows)} rest_days rows on one date")
        r = rows[0]
        if (person, day) in pub:
            out.append(f"rest_day_is_rest_day: {person} {day}: recalled on a day with a published shift")
        else:
            a = aft.get((person, day))
            if a is None:
                out.append(f"rest_day_is_rest_day: {person} {day}: recalled but no roster_after row")
            elif a.clock_key() != r.clock_key():
                out.append(
                    f"rest_day_is_rest_day: {person} {day}: roster_after row {_hhmm(a.start)}-{_hhmm(a.end)} "
                    f"{_fmt_breaks(a)} != recalled shift {_hhmm(r.start)}-{_hhmm(r.end)} {_fmt_breaks(r)}"
                )
        for rr in rows:
            if not rr.breaks_inside():
                out.append(f"recalled_breaks: {person} {day}: a break outside the shift ({_fmt_breaks(rr)})")
            off = [b for b in rr.boundaries()[2:] if b % grid]
            if off:
                out.append(
                    f"recalled_breaks: {person} {day}: break boundaries off the {grid}-minute grid "
                    f"({', '.join(_hhmm(b) for b in off)})"
                )


def _fmt_breaks(r: Row) -> str:
    return "[" + ";".join(f"{_hhmm(a)}-{_hhmm(b)}" for a, b in r.breaks) + "]"


def _on_grid(
    aft: dict[tuple[str, date], Row],
    rec_rows: list[Row],
    published_people: set[str],
    grid: int,
    out: list[str],
) -> None:
    for r in rec_rows:
        off = [b for b in r.boundaries(with_breaks=r.kind != "rest_days") if b % grid]
        if off:
            out.append(
                f"on_grid: {r.person} {r.day}: {r.kind} row times off the {grid}-minute grid "
                f"({', '.join(_hhmm(b) for b in off)}; {r.where})"
            )
    for (person, day), r in sorted(aft.items()):
        if person not in published_people:
            continue
        off = [b for b in r.boundaries() if b % grid]
        if off:
            out.append(
                f"on_grid: {person} {day}: roster_after times off the {grid}-minute grid "
                f"({', '.join(_hhmm(b) for b in off)})"
            )


def _merge(blocks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(blocks):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


def _named(
    aft: dict[tuple[str, date], Row],
    rec_by: dict[tuple[str, str, date], list[Row]],
    rules: Rules,
    out: list[str],
) -> None:
    """back_office_* and agency_* rules on roster_after rows of those contracts and their recovery rows."""
    origin = rules.plan_start
    windows = {"back_office": _window(rules.back_office_hours), "agency": _window(rules.agency_hours)}
    keys = {(r.kind, r.person, r.day) for r in aft.values() if r.kind in NAMED}
    keys |= {k for k in rec_by if k[0] in NAMED}
    for lever, person, day in sorted(keys, key=lambda k: (k[1], k[2], k[0])):
        a = aft.get((person, day))
        if a is not None and a.kind != lever:
            a = None  # a row of another contract: reported as a mismatch below
        rows = rec_by.get((lever, person, day), [])
        phone = a.phone_minutes() / 60 if a is not None else 0.0
        if a is not None:
            if lever == "back_office" and rules.back_office_max_hours_per_day is not None:
                if phone > rules.back_office_max_hours_per_day + TOL:
                    out.append(
                        f"back_office_hours_per_day: {person} {day}: {_num(phone)} h on the phones "
                        f"> {_rule(rules.back_office_max_hours_per_day)}"
                    )
            w = windows[lever]
            if w is not None and not _in_window(a, w):
                out.append(
                    f"{lever}_window: {person} {day}: on the phones {_hhmm(a.start)}-{_hhmm(a.end)} outside "
                    f"{_hhmm(w[0])}-{_hhmm(w[1])}"
                )
        if not rows:
            continue  # no recovery row: unexplained_row (below) reports it
        hours = sum(r.hours for r in rows)
        if abs(hours - phone) > TOL:
            have = "no roster_after row" if a is None else f"{_num(phone)} h on the phones in roster_after"
            out.append(f"{lever}_matches: {person} {day}: {_num(hours)} h in recovery.csv != {have}")
            continue
        want = _merge([blk for r in rows for blk in r.phone_blocks(origin)])
        got = _merge(a.phone_blocks(origin)) if a is not None else []
        if want != got:
            out.append(
                f"{lever}_matches: {person} {day}: roster_after phone blocks "
                f"{', '.join(f'{_hhmm(x)}-{_hhmm(y)}' for x, y in got)} != recovery.csv blocks "
                f"{', '.join(f'{_hhmm(x)}-{_hhmm(y)}' for x, y in want)}"
            )


def _agency_at_once(aft: dict[tuple[str, date], Row], rules: Rules, out: list[str]) -> None:
    if rules.agency_max_agents is None:
        return
    origin = rules.plan_start
    events: dict[int, int] = defaultdict(int)
    for r in aft.values():
        if r.kind == "agency":
            for a, b in r.phone_blocks(origin):
                events[a] += 1
                events[b] -= 1
    level = 0
    over_since = None
    peak = 0
    for t in sorted(events):
        level += events[t]
        if level > rules.agency_max_agents:
            if over_since is None:
                over_since, peak = t, level
            peak = max(peak, level)
        elif over_since is not None:
            d0 = origin + timedelta(days=over_since // DAY)
            out.append(
                f"agency_at_once: {d0} {_hhmm(over_since)}-{_hhmm(t)}: {peak} agency people on the phones "
                f"> {rules.agency_max_agents}"
            )
            over_since = None


def _cost(rec_rows: list[Row], rules: Rules, out: list[str]) -> None:
    for r in rec_rows:
        if r.kind not in LEVERS:
            continue
        rate = rules.costs.get(r.kind)
        if rate is not None and abs(r.cost - r.hours * rate) > rules.cost_tolerance:
            out.append(
                f"cost: {r.person} {r.day}: {r.kind} cost {_num(r.cost)} != {_num(r.hours)} h x {_rule(rate)} "
                f"({r.where})"
            )
        if r.kind == "rest_days":
            if not (0 < r.hours <= r.length / 60 + TOL):
                out.append(
                    f"cost: {r.person} {r.day}: rest_days hours {_num(r.hours)} not in (0, {_num(r.length / 60)}] "
                    f"({r.where})"
                )
        else:
            want = r.phone_minutes() / 60
            if abs(r.hours - want) > TOL:
                out.append(
                    f"cost: {r.person} {r.day}: {r.kind} hours {_num(r.hours)} != span minus breaks {_num(want)} "
                    f"({r.where})"
                )


def _accounted(
    pub: dict[tuple[str, date], Row],
    aft: dict[tuple[str, date], Row],
    rec_by: dict[tuple[str, str, date], list[Row]],
    published_people: set[str],
    out: list[str],
) -> None:
    for (person, day), a in sorted(aft.items()):
        if a.kind in NAMED:
            if (a.kind, person, day) not in rec_by:
                out.append(f"unexplained_row: {person} {day}: {a.kind} row without a {a.kind} recovery row")
            continue
        if person not in published_people:
            out.append(f"unexplained_row: {person} {day}: a person who is not in the published roster")
            continue
        p = pub.get((person, day))
        if p is None:
            if ("rest_days", person, day) not in rec_by:
                out.append(
                    f"unexplained_row: {person} {day}: a shift on a day without a published shift "
                    "and without a rest_days recovery row"
                )
        elif (p.clock_key() != a.clock_key() or p.kind != a.kind) and ("overtime", person, day) not in rec_by:
            out.append(
                f"unexplained_row: {person} {day}: differs from the published shift without an overtime row"
            )


# ----------------------------------------------------------------------------------------------- recount


def recount(
    after: Path,
    plan_start: date,
    plan_days: int,
    interval_minutes: int,
    weights: dict[str, float] | None = None,
) -> np.ndarray:
    """People on the phones per interval of the plan, from roster_after.csv.

    A person counts in an interval when on the phones (on shift, not on a break) for the whole interval;
    with every boundary on the grid this is exact (off-grid boundaries round inwards). Each person counts
    ``weights.get(contract, 1.0)`` (e.g. back_office 1/1.3). Time before the plan's start or past its end is
    ignored. Returns a float array of ``plan_days * 1440 // interval_minutes`` values."""
    weights = weights or {}
    n = plan_days * DAY // interval_minutes
    starts: list[int] = []
    ends: list[int] = []
    ws: list[float] = []
    for r in read_roster(after):
        w = weights.get(r.kind, 1.0)
        for a, b in r.phone_blocks(plan_start):
            starts.append(a)
            ends.append(b)
            ws.append(w)
    diff = np.zeros(n + 1)
    if starts:
        s = np.clip(-(-np.asarray(starts) // interval_minutes), 0, n)  # first whole interval
        e = np.clip(np.asarray(ends) // interval_minutes, 0, n)  # one past the last whole interval
        keep = e > s
        w = np.asarray(ws)[keep]
        np.add.at(diff, s[keep], w)
        np.add.at(diff, e[keep], -w)
    return np.cumsum(diff)[:n]

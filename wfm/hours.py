"""Opening hours: when the centre takes calls, as the config's ``[centre.open]`` declares them.

``[centre.open]`` names every weekday (``mon-fri = ["07:00", "21:00"]``, ``sat = "closed"``, ``sun = "24h"``),
special dates with their own hours (``"2026-12-24" = ["07:00", "12:00"]``, ``"2026-12-25" = "closed"``) and
what holidays do (``holidays = "closed"``, the default, or ``"open"``: a holiday keeps its weekday's hours).
A period may run past midnight (``["22:00", "06:00"]``: its morning belongs to the next calendar day).

Parsing and the config checks live here as plain functions on minutes (the config validator calls
:func:`parse_opening_hours`); the rest answers questions about calendar days and intervals:

- :func:`day_periods`: the open periods a calendar day starts (minutes from its midnight);
- :func:`open_mask`: which intervals ``[t, t + interval)`` overlap an open period (vectorised);
- :func:`closed_days`: the days with no open minute at all;
- :func:`holiday_closures`: the days closed although their weekday is open (holidays, special days): the
  days a contract's week shrinks by.

Times are the centre's wall clock, as every timestamp in wfm.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wfm.clock import format_clock, parse_clock

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Period = tuple[int, int]  # minutes from the day's midnight: start in [0, 1440), end in (start, start + 1440]
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class OpeningHours:
    """Parsed ``[centre.open]``: ``weekly[0]`` is Monday's periods; ``special`` a date's own periods (empty:
    closed); ``holidays_closed``: holidays are closed days (else they keep their weekday's hours)."""

    weekly: tuple[tuple[Period, ...], ...]
    special: Mapping[dt.date, tuple[Period, ...]] = field(default_factory=dict)
    holidays_closed: bool = True

    def periods_of(self, day: dt.date, holidays: frozenset[dt.date] | set[dt.date] = frozenset()) -> tuple[Period, ...]:
        """The periods ``day`` starts: its special hours, none on a closed holiday, else its weekday's."""
        if day in self.special:
            return self.special[day]
        if self.holidays_closed and day in holidays:
            return ()
        return self.weekly[day.weekday()]

    def describe(self) -> str:
        """One line: ``mon-fri 07:00-21:00; sat 09:00-13:00; sun closed`` (equal neighbours grouped)."""
        parts, i = [], 0
        while i < 7:
            j = i
            while j + 1 < 7 and self.weekly[j + 1] == self.weekly[i]:
                j += 1
            days = WEEKDAY_KEYS[i] if i == j else f"{WEEKDAY_KEYS[i]}-{WEEKDAY_KEYS[j]}"
            parts.append(f"{days} {_periods_text(self.weekly[i])}")
            i = j + 1
        text = "; ".join(parts)
        if self.special:
            text += f"; {len(self.special)} special day{'s' * (len(self.special) > 1)}"
        return text + ("; holidays closed" if self.holidays_closed else "; holidays open")


def _periods_text(periods: Sequence[Period]) -> str:
    if not periods:
        return "closed"
    if periods == ((0, 1440),):
        return "24h"
    return ", ".join(f"{format_clock(a)}-{'24:00' if b == 1440 else format_clock(b)}" for a, b in periods)


# --------------------------------------------------------------------------- parsing (the config validator)
def parse_opening_hours(table: Mapping[str, object]) -> OpeningHours:
    """``[centre.open]`` -> :class:`OpeningHours`; ``ValueError("<key>: ...")`` naming the key at fault: a
    weekday named twice or not at all, an unknown key, a bad time, periods of one day (or a night's tail and
    the next day's hours) that overlap, a period that opens and closes at the same time."""
    weekly: list[tuple[Period, ...] | None] = [None] * 7
    special: dict[dt.date, tuple[Period, ...]] = {}
    holidays_closed = True
    for key, value in table.items():
        name = str(key).strip().lower()
        if name == "holidays":
            if value not in ("closed", "open"):
                raise ValueError(f"holidays: must be \"closed\" or \"open\", got {value!r}")
            holidays_closed = value == "closed"
            continue
        periods = _periods(value, str(key))
        if _DATE.match(name.split("..")[0]):
            for day in _dates(name, str(key)):
                if day in special:
                    raise ValueError(f"{key}: {day} is named twice")
                special[day] = periods
            continue
        for wd in _weekdays(name, str(key)):
            if weekly[wd] is not None:
                raise ValueError(f"{key}: {WEEKDAY_KEYS[wd]} is named twice")
            weekly[wd] = periods
    missing = [WEEKDAY_KEYS[i] for i in range(7) if weekly[i] is None]
    if missing:
        raise ValueError(f"no hours for {', '.join(missing)}: name every weekday (e.g. sun = \"closed\")")
    week = tuple(p for p in weekly if p is not None)
    _check_week(week)
    hours = OpeningHours(week, special, holidays_closed)
    for day in sorted(special):  # a special day against its neighbours' nights
        _check_neighbours(hours, day)
    return hours


def _weekdays(name: str, key: str) -> list[int]:
    days: list[int] = []
    for part in name.split(","):
        part = part.strip()
        ends = [e.strip() for e in part.split("-")]
        if len(ends) > 2 or any(e not in WEEKDAY_KEYS for e in ends):
            raise ValueError(f"{key}: not a weekday (mon..sun), a range (mon-fri) or a date (YYYY-MM-DD)")
        a, b = WEEKDAY_KEYS.index(ends[0]), WEEKDAY_KEYS.index(ends[-1])
        days += [(a + k) % 7 for k in range((b - a) % 7 + 1)]
    if len(set(days)) != len(days):
        raise ValueError(f"{key}: names a weekday twice")
    return days


def _dates(name: str, key: str) -> list[dt.date]:
    try:
        a_text, _, b_text = name.partition("..")
        a = dt.date.fromisoformat(a_text.strip())
        b = dt.date.fromisoformat(b_text.strip()) if b_text else a
    except ValueError:
        raise ValueError(f"{key}: not a date YYYY-MM-DD (or a range YYYY-MM-DD..YYYY-MM-DD)") from None
    if b < a:
        raise ValueError(f"{key}: the range ends before it starts")
    if (b - a).days > 366:
        raise ValueError(f"{key}: a range of special days spans at most a year")
    return [a + dt.timedelta(days=k) for k in range((b - a).days + 1)]


def _periods(value: object, key: str) -> tuple[Period, ...]:
    """``"closed"``, ``"24h"``, ``["07:00", "21:00"]`` or a list of such pairs -> sorted periods."""
    if value == "closed":
        return ()
    if value == "24h":
        return ((0, 1440),)
    pairs = value if isinstance(value, list) and value and all(isinstance(v, list) for v in value) else [value]
    out: list[Period] = []
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2):
            raise ValueError(f"{key}: expected \"closed\", \"24h\", [\"HH:MM\", \"HH:MM\"] or a list of such pairs, "
                             f"got {value!r}")
        a = parse_clock(pair[0], f"{key} opens")
        b = parse_clock(pair[1], f"{key} closes", end_of_day=True)
        if a == b:
            raise ValueError(f"{key}: opens and closes at {pair[0]} (for a whole day write \"24h\")")
        out.append((a, b if b > a else b + 1440))  # closes before it opens: past midnight
    out.sort()
    for (a1, b1), (a2, _) in zip(out, out[1:], strict=False):
        if a2 < b1:
            raise ValueError(f"{key}: periods {format_clock(a1)}-{format_clock(b1)} and {format_clock(a2)}-... overlap")
    return tuple(out)


def _check_week(week: Sequence[Sequence[Period]]) -> None:
    """A night past midnight must close before the next day's first opening."""
    for d in range(7):
        tail = max((b for _, b in week[d]), default=0) - 1440
        nxt = (d + 1) % 7
        if tail > 0 and week[nxt] and week[nxt][0][0] < tail:
            raise ValueError(f"{WEEKDAY_KEYS[d]}: its night runs to {format_clock(tail)}, past "
                             f"{WEEKDAY_KEYS[nxt]}'s opening at {format_clock(week[nxt][0][0])}")


def _check_neighbours(hours: OpeningHours, day: dt.date) -> None:
    for first in (day - dt.timedelta(days=1), day):
        tail = max((b for _, b in hours.periods_of(first)), default=0) - 1440
        nxt = hours.periods_of(first + dt.timedelta(days=1))
        if tail > 0 and nxt and nxt[0][0] < tail:
            raise ValueError(f"{first + dt.timedelta(days=1)}: opens at {format_clock(nxt[0][0])}, before the "
                             f"night of {first} closes at {format_clock(tail)}")


# --------------------------------------------------------------------------- days and intervals
def day_periods(hours: OpeningHours, days: Iterable[dt.date], holidays: Iterable[dt.date] = ()) -> np.ndarray:
    """Every open period of ``days`` (and the night before the first) as absolute minutes since the epoch,
    shape ``(n, 2)``, sorted and non-overlapping."""
    hol = frozenset(holidays)
    days = sorted(set(days))
    if not days:
        return np.zeros((0, 2), np.int64)
    rows = []
    for k in range((days[-1] - days[0]).days + 2):
        day = days[0] + dt.timedelta(days=k - 1)
        base = (day - dt.date(1970, 1, 1)).days * 1440
        rows += [(base + a, base + b) for a, b in hours.periods_of(day, hol)]
    return np.asarray(rows, np.int64).reshape(-1, 2)


def open_mask(hours: OpeningHours, timestamps: pd.DatetimeIndex | pd.Series | np.ndarray, interval_minutes: int,
              holidays: Iterable[dt.date] = ()) -> np.ndarray:
    """True where the interval starting at each timestamp overlaps an open period (an interval half inside
    the opening hours is open: its calls must be answered)."""
    ts = pd.DatetimeIndex(timestamps)
    if len(ts) == 0:
        return np.zeros(0, bool)
    minutes = ((ts - pd.Timestamp("1970-01-01")) // pd.Timedelta(minutes=1)).to_numpy(np.int64)
    periods = day_periods(hours, {d.date() for d in ts.normalize().unique()}, holidays)
    if len(periods) == 0:
        return np.zeros(len(ts), bool)
    k = np.searchsorted(periods[:, 0], minutes + interval_minutes, side="left") - 1
    return (k >= 0) & (periods[np.maximum(k, 0), 1] > minutes)


def closed_days(hours: OpeningHours, days: Iterable[dt.date], holidays: Iterable[dt.date] = ()) -> list[dt.date]:
    """The days of ``days`` with no open minute (a night's tail from the day before counts as open)."""
    hol = frozenset(holidays)
    out = []
    for day in sorted(set(days)):
        before = hours.periods_of(day - dt.timedelta(days=1), hol)
        tail = max((b for _, b in before), default=0) > 1440
        if not hours.periods_of(day, hol) and not tail:
            out.append(day)
    return out


def holiday_closures(hours: OpeningHours, days: Iterable[dt.date], holidays: Iterable[dt.date] = ()
                     ) -> list[dt.date]:
    """The closed days of ``days`` whose weekday is open: holidays and special closed days, which shorten a
    contract's week (a regular closed weekday does not: the contract's week is built around it)."""
    return [d for d in closed_days(hours, days, holidays) if hours.weekly[d.weekday()]]

"""roster.csv: its columns, its one reader and its one counter.

A roster frame has one row per agent and working day::

    agent_id, contract, date (YYYY-MM-DD), shift (template name), start, end, breaks

``start``/``end`` are ``HH:MM`` on ``date`` (an end at or before the start is the next day) or full
``YYYY-MM-DD HH:MM`` timestamps; ``breaks`` is ``HH:MM-HH:MM;...`` (a break clock before the shift start is
the next day). One row per agent and date (a second row for the same agent and date is an error naming both
lines: counted twice it doubled the front line), dates in wfm's range, a shift at most 24 hours long. Every module that needs a roster's times goes through :func:`parse_roster_rows` (cells ->
:class:`RosterRows`, with errors naming source, line and field), and every count of agents on shift and off
break per interval goes through :func:`rostered_per_interval`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wfm.clock import clock_minutes_of
from wfm.errors import InputError
from wfm.io import DATE_RANGE, first_out_of_range

ROSTER_COLUMNS = ["agent_id", "contract", "date", "shift", "start", "end", "breaks"]
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(:\d{2})?$")
_BREAK = re.compile(r"^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$")
_DAY_NS = np.timedelta64(1, "D").astype("timedelta64[ns]")
MAX_SHIFT_HOURS = 24  # a roster row's end is at most this long after its start


@dataclass(frozen=True)
class RosterRows:
    """Roster rows as arrays, one element per agent and working day; breaks as their own arrays."""

    agent_id: np.ndarray  # str
    contract: np.ndarray  # str ('' when the frame has no contract column)
    shift: np.ndarray  # str ('' when the frame has no shift column)
    date: np.ndarray  # datetime64[ns], midnight of the shift's day
    start: np.ndarray  # datetime64[ns]
    end: np.ndarray  # datetime64[ns], after start
    break_row: np.ndarray  # int64: the row of each break
    break_start: np.ndarray  # datetime64[ns]
    break_end: np.ndarray  # datetime64[ns]
    line: np.ndarray  # int64: the source line of each row

    def __len__(self) -> int:
        return len(self.agent_id)

    @property
    def on_site_hours(self) -> np.ndarray:
        return (self.end - self.start) / np.timedelta64(1, "h")

    @property
    def break_hours(self) -> np.ndarray:
        """Hours of break per row."""
        per_break = (self.break_end - self.break_start) / np.timedelta64(1, "h")
        return np.bincount(self.break_row, weights=per_break, minlength=len(self)).astype(float)


def _texts(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series([""] * len(frame), dtype=object)
    return frame[column].fillna("").astype(str).str.strip().reset_index(drop=True)


def parse_roster_rows(
    frame: pd.DataFrame, source: str = "roster", required: Sequence[str] = ("agent_id", "date", "start", "end")
) -> RosterRows:
    """Roster cells (strings as read from roster.csv, with :func:`wfm.io.read_csv`'s ``_line``, or the frame
    a roster stage built) -> :class:`RosterRows`. Raises InputError naming ``source``, line and field."""
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise InputError(
            f"{source}: missing column(s) {', '.join(missing)} (roster.csv has {', '.join(ROSTER_COLUMNS)})"
        )
    n = len(frame)
    lines = frame["_line"].to_numpy(dtype=np.int64) if "_line" in frame.columns else np.arange(2, n + 2)

    def fail(mask: np.ndarray, column: str, what: str) -> None:
        i = int(np.flatnonzero(mask)[0])
        raise InputError(f"{source}, line {lines[i]}, field '{column}': {what.format(cell=cells[column].iloc[i])}")

    cells = {c: _texts(frame, c) for c in ("agent_id", "contract", "shift", "date", "start", "end", "breaks")}
    blank = (cells["agent_id"] == "").to_numpy()
    if blank.any():
        fail(blank, "agent_id", "is blank")
    codes, uniques = pd.factorize(cells["date"])
    parsed = pd.to_datetime(pd.Index(uniques, dtype=object), format="%Y-%m-%d", errors="coerce")
    bad = np.asarray(parsed.isna())[codes] if n else np.zeros(0, dtype=bool)
    if bad.any():
        fail(bad, "date", "is not a date: {cell!r} (expected YYYY-MM-DD)")
    outside = first_out_of_range(pd.Series(parsed))  # in pandas' own unit: a year 9999 wraps in nanoseconds
    if outside is not None:
        fail(codes == outside, "date", "{cell!r} is outside the dates wfm plans (" + DATE_RANGE + ")")
    dates = np.asarray(parsed, dtype="datetime64[ns]")[codes] if n else np.zeros(0, "datetime64[ns]")
    _no_second_row(cells["agent_id"], dates, lines, source)
    start, _ = _times(cells["start"], dates, lambda m, what=_NOT_A_TIME: fail(m, "start", what))
    end, end_clock = _times(cells["end"], dates, lambda m, what=_NOT_A_TIME: fail(m, "end", what))
    end = np.where(end_clock & (end <= start), end + _DAY_NS, end)
    bad = end <= start
    if bad.any():
        fail(bad, "end", "{cell!r} is not after the start")
    bad = end - start > np.timedelta64(MAX_SHIFT_HOURS, "h")
    if bad.any():
        fail(bad, "end", "{cell!r} is more than " + f"{MAX_SHIFT_HOURS} hours after the start")
    b_row, b_start, b_end = _breaks(cells["breaks"], dates, start, end, lambda i, what: fail(
        np.arange(n) == i, "breaks", what))
    return RosterRows(
        agent_id=cells["agent_id"].to_numpy(dtype=object).astype(str),
        contract=cells["contract"].to_numpy(dtype=object).astype(str),
        shift=cells["shift"].to_numpy(dtype=object).astype(str),
        date=dates,
        start=start,
        end=end,
        break_row=b_row,
        break_start=b_start,
        break_end=b_end,
        line=lines,
    )


def _no_second_row(agent: pd.Series, dates: np.ndarray, lines: np.ndarray, source: str) -> None:
    """InputError naming both lines when an agent has two rows on one date."""
    key = pd.DataFrame({"agent": agent.to_numpy(dtype=object), "date": dates})
    again = key.duplicated().to_numpy()
    if again.any():
        i = int(np.flatnonzero(again)[0])
        first = int(np.flatnonzero(((key["agent"] == key["agent"].iloc[i]) & (key["date"] == key["date"].iloc[i]))
                                   .to_numpy())[0])
        raise InputError(
            f"{source}, line {lines[i]}, field 'date': agent {key['agent'].iloc[i]!r} already has a row on "
            f"{pd.Timestamp(dates[i]):%Y-%m-%d} (line {lines[first]}); a roster has one row per agent and working day"
        )


_NOT_A_TIME = "is not a time: {cell!r} (expected HH:MM or YYYY-MM-DD HH:MM)"


def _times(cells: pd.Series, dates: np.ndarray, fail: object) -> tuple[np.ndarray, np.ndarray]:
    """``HH:MM`` on the row's date, or a full timestamp; returns the times and the mask of clock cells."""
    minutes = clock_minutes_of(cells)
    clock = ~np.isnan(minutes)
    stamps = np.full(len(cells), np.datetime64("NaT"), dtype="datetime64[ns]")
    full = ~clock & cells.str.match(_STAMP).to_numpy(dtype=bool)
    if full.any():
        parsed = pd.to_datetime(cells[full].str.replace("T", " "), format="mixed", errors="coerce")
        far = first_out_of_range(parsed.dropna())  # checked before nanoseconds, where a year 9999 wraps
        if far is not None:
            row = np.flatnonzero(full)[parsed.notna().to_numpy()][far]
            fail(np.arange(len(cells)) == row, "{cell!r} is outside the dates wfm plans (" + DATE_RANGE + ")")  # type: ignore[operator]
        stamps[full] = np.asarray(parsed, dtype="datetime64[ns]")
    bad = ~clock & np.isnat(stamps)
    if bad.any():
        fail(bad)  # type: ignore[operator]
    offset = np.where(clock, minutes, 0).astype(np.int64).astype("timedelta64[m]")
    return np.where(clock, dates + offset, stamps).astype("datetime64[ns]"), clock


def _breaks(
    cells: pd.Series, dates: np.ndarray, start: np.ndarray, end: np.ndarray, fail: object
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every ``HH:MM-HH:MM`` item of the breaks cells as (row, start, end); a break clock before its shift's
    start is the next day."""
    has = (cells != "") & (cells.str.lower() != "nan")
    rows = np.flatnonzero(has.to_numpy())
    if not len(rows):
        empty = np.zeros(0, dtype="datetime64[ns]")
        return np.zeros(0, dtype=np.int64), empty, empty.copy()
    items = cells.iloc[rows].str.split(";").explode()
    item_row = rows[np.repeat(np.arange(len(rows)), cells.iloc[rows].str.count(";").to_numpy() + 1)]
    items = items.str.strip().reset_index(drop=True)
    parts = items.str.extract(_BREAK)
    m0, m1 = clock_minutes_of(parts[0].fillna("")), clock_minutes_of(parts[1].fillna(""))
    bad = np.isnan(m0) | np.isnan(m1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        fail(int(item_row[k]), f"{items.iloc[k]!r} is not a break HH:MM-HH:MM (breaks are separated by ';')")  # type: ignore[operator]
    day = dates[item_row]
    b0 = day + m0.astype(np.int64).astype("timedelta64[m]")
    b0 = np.where(b0 < start[item_row], b0 + _DAY_NS, b0)
    b1 = day + m1.astype(np.int64).astype("timedelta64[m]")
    while (late := b1 <= b0).any():
        b1 = np.where(late, b1 + _DAY_NS, b1)
    outside = b1 > end[item_row]
    if outside.any():
        k = int(np.flatnonzero(outside)[0])
        fail(int(item_row[k]), f"{items.iloc[k]!r} is not inside the shift")  # type: ignore[operator]
    return item_row.astype(np.int64), b0.astype("datetime64[ns]"), b1.astype("datetime64[ns]")


def read_roster(path: str | Path) -> pd.DataFrame:
    """Read a roster.csv (every column of :data:`ROSTER_COLUMNS`, strings, with ``_line``), checking every
    field through :func:`parse_roster_rows`; errors name file, line and field."""
    from wfm.io import read_csv
    from wfm.roster.files import check_roster_set

    check_roster_set(path)  # not a roster a killed `wfm roster` left beside another run's coverage
    frame = read_csv(path, required=ROSTER_COLUMNS)
    if frame.empty:
        raise InputError(f"{path}: no data rows (expected one row per agent and working day)")
    parse_roster_rows(frame, str(path), required=ROSTER_COLUMNS)
    return frame.reset_index(drop=True)


def rostered_per_interval(
    rows: RosterRows,
    start: pd.Timestamp | np.datetime64,
    n_intervals: int,
    interval_minutes: int,
    weight: np.ndarray | None = None,
) -> np.ndarray:
    """Agents on shift and not on a break per interval of a cyclic horizon of ``n_intervals`` from ``start``.

    An agent counts in every interval their shift (less breaks) touches: from the interval holding the start,
    for ``ceil(length / interval)`` intervals. The roster is cyclic: time past the horizon's end (or before
    its start) wraps around. ``weight`` (one per row) counts each row as that many agents (e.g. the share
    present under an absence shock); without it the counts are whole numbers (int64)."""
    weight = np.ones(len(rows), dtype=np.int64) if weight is None else np.asarray(weight, dtype=float)
    return count_spans(rows.start, rows.end, weight, rows.break_start, rows.break_end, weight[rows.break_row],
                       start, n_intervals, interval_minutes)


def count_spans(
    start: np.ndarray,
    end: np.ndarray,
    weight: np.ndarray,
    break_start: np.ndarray,
    break_end: np.ndarray,
    break_weight: np.ndarray,
    origin: pd.Timestamp | np.datetime64,
    n_intervals: int,
    interval_minutes: int,
) -> np.ndarray:
    """The counter behind :func:`rostered_per_interval`, on plain arrays: ``weight`` agents on shift over each
    ``[start, end)`` less ``break_weight`` over each ``[break_start, break_end)``, per interval of a cyclic
    horizon of ``n_intervals`` from ``origin`` (integer weights give int64 counts)."""
    n = int(n_intervals)
    integral = np.asarray(weight).dtype.kind in "iu" and np.asarray(break_weight).dtype.kind in "iu"
    diff = np.zeros(n + 1, dtype=np.int64 if integral else float)
    if n == 0:
        return diff[:n]
    t0 = np.datetime64(pd.Timestamp(origin).to_datetime64(), "ns")
    ivl = int(interval_minutes)

    def spans(s: np.ndarray, e: np.ndarray, w: np.ndarray) -> None:
        if not len(s):
            return
        s_min = ((np.asarray(s, dtype="datetime64[ns]") - t0) // np.timedelta64(1, "m")).astype(np.int64)
        length = ((np.asarray(e, dtype="datetime64[ns]") - np.asarray(s, dtype="datetime64[ns]"))
                  // np.timedelta64(1, "m")).astype(np.int64)
        g0 = np.floor_divide(s_min, ivl) % n
        g1 = g0 + -(-length // ivl)
        np.add.at(diff, g0, w)
        np.add.at(diff, np.minimum(g1, n), -w)
        wrap = g1 > n
        if wrap.any():  # cyclic: the part past the horizon's end covers its start
            np.add.at(diff, np.zeros(int(wrap.sum()), dtype=np.int64), w[wrap])
            np.add.at(diff, np.minimum(g1[wrap] - n, n), -w[wrap])

    spans(start, end, np.asarray(weight))
    spans(break_start, break_end, -np.asarray(break_weight))
    return np.cumsum(diff[:n])

"""Interval history: loading, cleaning and the calendar grid every forecast model works on.

A history frame is long format, one row per interval and queue:

    timestamp   interval start, local wall-clock time (``YYYY-MM-DD HH:MM``)
    queue       queue name (optional in the file: one queue when absent)
    volume      calls offered in the interval (``calls`` and ``offered`` are accepted as aliases)
    aht         average handle time in seconds (optional)

``clean_history`` turns such a frame (as read by :func:`wfm.io.read_csv`, with its ``_line`` column, or
built in Python) into a :class:`History`: per-queue arrays on a calendar grid of whole days starting on a
Monday, so that "the same interval one week earlier" is always ``day - 7`` whatever is missing.
Missing cells are NaN (a gap, never a zero). What was cleaned is counted in a :class:`CleaningReport`
whose ``summary`` is one line for the planner.

:func:`prepare_history` is the one way in for the stages (forecast, plan, what-if): ``clean_history`` in the
config's timezone, then the config's ``[forecast]`` holidays, ``holiday_country`` and ``exclude`` plus the
user's ``--holidays``/``--exclude`` flagged on the grid.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.io import (
    AHT_NOTE,
    DATE_ORDERS,
    MAX_AHT_S,
    MAX_CALLS_PER_INTERVAL,
    line_of,
    parse_numbers,
    parse_timestamps,
    read_csv,
)

VOLUME_ALIASES = {
    "volume": ["calls", "offered", "calls_offered"],
    "timestamp": ["interval_start", "datetime", "date_time", "start_time", "ds"],
    "aht": ["aht_s", "handle_time"],
}
ALLOWED_INTERVALS = (5, 6, 10, 12, 15, 20, 30, 60)
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
#: Weeks of recent history that decide which intervals of the week are open ...
OPEN_LOOKBACK_WEEKS = 8
#: ... and in how many of them calls must have come for an interval to be learnt as open ...
MIN_OPEN_WEEKS = 2
#: ... and the longest quiet run between open intervals that is still open (longer: a closure).
MAX_QUIET_MINUTES = 120
#: The longest stretch without any row inside a history: rows further from the rest are a mistyped date.
MAX_GAP_DAYS = 366
#: The most cells (queues x days x intervals per day) a history's calendar grid may hold (80 MB per array).
MAX_GRID_CELLS = 10_000_000


@dataclass
class CleaningReport:
    """What cleaning did, counted. ``summary`` is the one line shown to the planner."""

    source: str = "history"
    rows: int = 0
    queues: int = 0
    interval_minutes: int = 0
    first: str = ""
    last: str = ""
    sorted_rows: bool = False
    duplicates_dropped: int = 0
    conflicts_kept_last: int = 0
    dst_repeated_merged: int = 0
    dst_days: int = 0
    blank_volume: int = 0
    blank_aht: int = 0
    aggregated_from: int | None = None
    gap_intervals: int = 0
    missing_days: int = 0
    closed_intervals_per_week: int = 0
    excluded_days: int = 0
    holiday_days: int = 0

    @property
    def summary(self) -> str:
        parts = [
            f"{self.source}: {self.rows:,} rows, {self.queues} queue{'s' * (self.queues != 1)}, "
            f"{self.interval_minutes}-min intervals, {self.first}..{self.last}"
        ]
        if self.aggregated_from:
            parts.append(f"aggregated from {self.aggregated_from}-min")
        if self.sorted_rows:
            parts.append("sorted")
        if self.duplicates_dropped:
            parts.append(f"{self.duplicates_dropped} duplicate rows dropped")
        if self.conflicts_kept_last:
            parts.append(f"{self.conflicts_kept_last} conflicting duplicates (kept the last)")
        if self.dst_repeated_merged:
            parts.append(f"{self.dst_repeated_merged} repeated DST-hour rows averaged")
        if self.dst_days:
            parts.append(f"{self.dst_days} DST days (23/25 h)")
        if self.blank_volume:
            parts.append(f"{self.blank_volume} blank volume cells left missing")
        if self.blank_aht:
            parts.append(f"{self.blank_aht} intervals with calls but no aht")
        if self.gap_intervals:
            gaps = f"{self.gap_intervals} gap intervals"
            if self.missing_days:
                gaps += f" ({self.missing_days} whole days)"
            parts.append(gaps + " left missing, not zero")
        else:
            parts.append("no gaps")
        parts.append(f"{self.closed_intervals_per_week} closed intervals/week")
        if self.excluded_days:
            parts.append(f"{self.excluded_days} days excluded")
        if self.holiday_days:
            parts.append(f"{self.holiday_days} holidays")
        return "; ".join(parts)

    def as_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items()}
        out["summary"] = self.summary
        return out


@dataclass
class History:
    """Cleaned history on a calendar grid.

    ``volume`` and ``aht`` have shape ``(queues, days, intervals_per_day)``; day 0 is ``start`` (a Monday).
    NaN means no data (a gap, an excluded day, a holiday kept out of training, or a wall time that does
    not exist on a 23-hour day). ``holiday`` and ``excluded`` flag days; ``last_day`` is the index of the
    last day with any data.
    """

    queues: list[str]
    interval_minutes: int
    start: pd.Timestamp
    volume: np.ndarray
    aht: np.ndarray
    holiday: np.ndarray
    excluded: np.ndarray
    timezone: str = "UTC"
    holiday_dates: frozenset[dt.date] = frozenset()
    report: CleaningReport = field(default_factory=CleaningReport)

    @property
    def per_day(self) -> int:
        return 1440 // self.interval_minutes

    @property
    def season_length(self) -> int:
        return 7 * self.per_day

    @property
    def n_days(self) -> int:
        return self.volume.shape[1]

    @property
    def has_aht(self) -> bool:
        return bool(np.isfinite(self.aht).any())

    def dates(self) -> pd.DatetimeIndex:
        return pd.date_range(self.start, periods=self.n_days, freq="D")

    def end(self) -> pd.Timestamp:
        """Start of the day after the last day of history."""
        return self.start + pd.Timedelta(days=self.n_days)

    def training_volume(self) -> np.ndarray:
        """Volume with excluded days and holidays blanked (what regular-day models train on)."""
        v = self.volume.copy()
        v[:, self.excluded | self.holiday, :] = np.nan
        return v

    def to_frame(self) -> pd.DataFrame:
        """Long frame ``timestamp,queue,volume,aht`` of every grid cell that holds data."""
        q, d, p = self.volume.shape
        ts = (self.start + pd.to_timedelta(np.arange(d * p) * self.interval_minutes, unit="min")).to_numpy()
        frames = []
        for i, name in enumerate(self.queues):
            v = self.volume[i].ravel()
            keep = np.isfinite(v)
            frames.append(
                pd.DataFrame(
                    {"timestamp": ts[keep], "queue": name, "volume": v[keep], "aht": self.aht[i].ravel()[keep]}
                )
            )
        return pd.concat(frames, ignore_index=True)


# --------------------------------------------------------------------------- reading
def read_history(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a history CSV into a raw frame (strings, with ``_line``) for :func:`clean_history`."""
    return read_csv(path, required=("timestamp", "volume"), aliases=VOLUME_ALIASES)


def _parse_volume_like(frame: pd.DataFrame, col: str, source: str) -> tuple[np.ndarray, int]:
    """A volume or AHT column as floats (NaN where blank: empty, ``nan``, ``na``, ``null``) and how many were
    blank, through :func:`wfm.io.parse_numbers`: located errors for a cell that is not a number, is negative,
    or is above the most wfm takes (``MAX_CALLS_PER_INTERVAL`` calls, ``MAX_AHT_S`` seconds)."""
    top, note = (MAX_AHT_S, AHT_NOTE) if col == "aht" else (MAX_CALLS_PER_INTERVAL, "the most wfm sizes")
    values = parse_numbers(frame, col, source, allow_blank=True, min_value=0.0, max_value=top, max_note=note,
                           blank_words=True)
    return values, int(np.isnan(values).sum())


def _parse_ts(frame: pd.DataFrame, source: str, date_order: str = "iso", timezone: str = "UTC") -> pd.Series:
    """The timestamp column as naive local wall times (:func:`wfm.io.parse_timestamps`: ISO, or day/month
    dates in the ``date_order`` given; UTC offsets dropped once checked against ``timezone``)."""
    col = frame["timestamp"]
    if pd.api.types.is_datetime64_any_dtype(col):
        if getattr(col.dt, "tz", None) is not None:
            col = col.dt.tz_localize(None)
        return col.astype("datetime64[ns]")
    if "_line" not in frame.columns:
        frame = frame.assign(_line=np.arange(2, len(frame) + 2))
    frame = frame.assign(timestamp=col.astype(str).str.strip())
    return parse_timestamps(frame, "timestamp", source, date_order=date_order, timezone=timezone)


# --------------------------------------------------------------------------- special days
_RANGE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})\s*(?:\.\.|:|/| to )\s*(\d{4}-\d{2}-\d{2})\s*$")


def parse_dates(spec: str | Iterable[str] | None, what: str = "--exclude") -> set[dt.date]:
    """Dates from ``"2026-03-01,2026-03-05..2026-03-07"`` (ranges with ``..``), or an iterable of such."""
    if spec is None:
        return set()
    items: list[str] = []
    for chunk in [spec] if isinstance(spec, str) else list(spec):
        items += [s.strip() for s in str(chunk).split(",") if s.strip()]
    out: set[dt.date] = set()
    for item in items:
        m = _RANGE.match(item)
        try:
            if m:
                a, b = dt.date.fromisoformat(m.group(1)), dt.date.fromisoformat(m.group(2))
                if b < a:
                    raise InputError(f"{what}: range {item!r} ends before it starts")
                out.update(a + dt.timedelta(days=k) for k in range((b - a).days + 1))
            else:
                out.add(dt.date.fromisoformat(item))
        except ValueError:
            raise InputError(
                f"{what}: {item!r} is not a date or range (expected YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD)"
            ) from None
    return out


def country_holidays(code: str, years: Iterable[int]) -> set[dt.date]:
    """Public holidays of a country (``holidays`` package), e.g. ``"IL"``, ``"CN"``, ``"US"``."""
    import holidays as _holidays

    known = _holidays.list_supported_countries()  # the package looks the code up as an attribute: check first
    if code.upper() not in known:
        raise InputError(f"--holidays: {code!r} is not a known country code of the holidays package "
                         "(ISO 3166 codes such as US, CN, IL)")
    try:
        cal = _holidays.country_holidays(code.upper(), years=sorted(set(years)))
    except NotImplementedError:
        raise InputError(f"--holidays: {code!r} is not a known country code of the holidays package") from None
    return set(cal.keys())


def resolve_holidays(spec: str | None, years: Iterable[int] = ()) -> set[dt.date]:
    """``--holidays``: a file (CSV with a ``date`` column, or one date per line), a list of dates, or a
    country code (2-3 letters) for the ``holidays`` package."""
    if not spec:
        return set()
    spec = spec.strip()
    path = Path(spec)
    if path.is_file():
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
        if lines and not re.match(r"^\d{4}-", lines[0]):
            header = [h.strip().lower() for h in lines[0].split(",")]
            col = header.index("date") if "date" in header else 0
            rows = lines[1:]
            first_line = 2
        else:
            col, rows, first_line = 0, lines, 1
        out: set[dt.date] = set()
        for k, row in enumerate(rows):
            cell = row.split(",")[col].strip() if len(row.split(",")) > col else ""
            try:
                out.add(dt.date.fromisoformat(cell[:10]))
            except ValueError:
                raise InputError(
                    f"{path}, line {first_line + k}, field 'date': is not a date: {cell!r} (expected YYYY-MM-DD)"
                ) from None
        return out
    if re.fullmatch(r"[A-Za-z]{2,3}", spec):
        return country_holidays(spec, years)
    return parse_dates(spec, what="--holidays")


def config_holidays(config: Any, years: Iterable[int]) -> set[dt.date]:
    """The holidays a config names for ``years``: its ``[forecast] holidays`` and ``holiday_country``."""
    settings = getattr(config, "forecast", None)
    if settings is None:
        return set()
    out = parse_dates(settings.holidays, "config forecast.holidays")
    if settings.holiday_country:
        out |= country_holidays(settings.holiday_country, years)
    return out


# --------------------------------------------------------------------------- DST
def dst_days(dates: pd.DatetimeIndex, timezone: str) -> dict[pd.Timestamp, float]:
    """Days that are not 24 hours long in ``timezone``: {midnight: hours}."""
    if timezone in ("UTC", "utc", "Etc/UTC") or len(dates) == 0:
        return {}
    mids = pd.date_range(dates[0], dates[-1] + pd.Timedelta(days=1), freq="D")
    aware = mids.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
    hours = np.diff(aware.asi8) / 3.6e12
    odd = np.flatnonzero(np.abs(hours - 24) > 1e-9)
    return {mids[i]: float(hours[i]) for i in odd}


def wall_time_status(times: pd.DatetimeIndex, timezone: str) -> tuple[np.ndarray, np.ndarray]:
    """Masks (nonexistent, ambiguous) of local wall times in ``timezone`` (DST gaps and repeats)."""
    n = len(times)
    if timezone in ("UTC", "utc", "Etc/UTC") or n == 0:
        return np.zeros(n, bool), np.zeros(n, bool)
    nonexistent = np.asarray(times.tz_localize(timezone, ambiguous=True, nonexistent="NaT").isna())
    ambiguous = np.asarray(times.tz_localize(timezone, ambiguous="NaT", nonexistent="shift_forward").isna())
    return nonexistent, ambiguous


# --------------------------------------------------------------------------- cleaning
def infer_interval(ts: np.ndarray, codes: np.ndarray) -> int | None:
    """Most common step (minutes) between consecutive distinct timestamps of a queue."""
    order = np.lexsort((ts, codes))
    t = ts[order].astype("datetime64[m]").astype(np.int64)
    c = codes[order]
    d = np.diff(t)
    same = (np.diff(c) == 0) & (d > 0)
    d = d[same]
    if len(d) == 0:
        return None
    vals, counts = np.unique(d, return_counts=True)
    return int(vals[np.argmax(counts)])


def clean_history(
    frame: pd.DataFrame,
    *,
    source: str = "history",
    interval_minutes: int | None = None,
    timezone: str = "UTC",
    default_queue: str = "all",
    exclude: Iterable[dt.date] = (),
    holidays: Iterable[dt.date] = (),
    date_order: str = "iso",
) -> History:
    """Clean a raw history frame and put it on the calendar grid.

    - ``volume`` (or ``calls``/``offered``) must be >= 0; blank cells are missing (a gap, not a zero).
      Negative volume or AHT, volume above ``MAX_CALLS_PER_INTERVAL`` or AHT above ``MAX_AHT_S``, or an
      unparseable timestamp, raise :class:`InputError` naming the line; so do rows more than
      ``MAX_GAP_DAYS`` from the rest. Timestamps are ISO, or day/month dates in ``date_order``
      (``"day_first"``, ``"month_first"``); UTC offsets are dropped once checked (:func:`wfm.io.parse_timestamps`).
    - Exact duplicate rows are dropped; rows for the same interval and queue that disagree keep the last
      one, except in the repeated hour of a 25-hour day (DST end in ``timezone``), where the two passes
      are averaged into one wall-clock interval. Without a ``queue`` column such a conflict is an error:
      it is the rows of several queues.
    - The interval is inferred (most common step, 5..60 minutes) unless given; data at a finer interval
      that divides ``interval_minutes`` is aggregated (volume summed, AHT volume-weighted).
    - ``exclude`` and ``holidays`` are dates; both are kept out of regular-day training.

    Most callers want :func:`prepare_history`, which adds the config's timezone and special days.
    """
    check_interval_option(interval_minutes)
    if date_order not in DATE_ORDERS:
        raise InputError(f"date order {date_order!r}: expected one of {', '.join(DATE_ORDERS)}")
    frame = _standard_columns(frame, source)
    report = CleaningReport(source=source, rows=len(frame))
    rows = _parse_rows(frame, source, default_queue, report, date_order, timezone)
    _check_span(rows, source)
    step, fine = _interval(rows, interval_minutes, source)
    _check_grid_size(rows, step, source)
    df = _drop_duplicates(rows, timezone, report, source)
    if fine != step:
        report.aggregated_from = fine
        df = _aggregate(df, step)
        _check_added_up(df, rows.queues, step, fine, source)
    hist, real_cells = _to_grid(df, rows.queues, step, timezone, report)
    set_special_days(hist, holidays=holidays, exclude=exclude)
    _count_gaps(hist.volume, real_cells, report)
    return hist


@dataclass
class _Rows:
    """The parsed columns of a raw history frame, one entry per row."""

    timestamp: pd.Series  # datetime64, wall-clock time
    volume: np.ndarray  # NaN where blank
    aht: np.ndarray  # NaN where blank, zero or absent
    queues: np.ndarray  # queue names, sorted
    queue_code: np.ndarray  # index into ``queues``
    line: np.ndarray  # line numbers in the file
    has_queue_column: bool = True  # False: every row is ``default_queue``'s


def _standard_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    """Lower-case column names, aliases renamed (``calls`` -> ``volume``...), required columns present."""
    frame = frame.rename(columns={c: c.strip().lower() for c in frame.columns})
    for name, aliases in VOLUME_ALIASES.items():
        if name not in frame.columns:
            for alias in aliases:
                if alias in frame.columns:
                    frame = frame.rename(columns={alias: name})
                    break
    for col in ("timestamp", "volume"):
        if col not in frame.columns:
            raise InputError(f"{source}: missing column {col} (columns found: {', '.join(map(str, frame.columns))})")
    if len(frame) == 0:
        raise InputError(f"{source}: no data rows")
    return frame.reset_index(drop=True)


def _parse_rows(frame: pd.DataFrame, source: str, default_queue: str, report: CleaningReport,
                date_order: str = "iso", timezone: str = "UTC") -> _Rows:
    """Timestamps, volume, AHT and queue codes, with located errors; blank cells and unsorted rows counted."""
    ts = _parse_ts(frame, source, date_order, timezone)
    volume, report.blank_volume = _parse_volume_like(frame, "volume", source)
    if "aht" in frame.columns:
        aht, _ = _parse_volume_like(frame, "aht", source)
        aht[aht == 0] = np.nan
        report.blank_aht = int((np.isnan(aht) & (volume > 0)).sum())  # no AHT without calls is normal
    else:
        aht = np.full(len(frame), np.nan)
    if "queue" in frame.columns:
        codes, uniq = pd.factorize(frame["queue"], use_na_sentinel=False)
        names = np.array([str(u).strip() if u is not None and u == u else "" for u in uniq], dtype=object)
        if (names == "").any():
            i = int(np.flatnonzero(names[codes] == "")[0])
            raise InputError(f"{source}, line {line_of(frame, i)}, field 'queue': is blank")
        qnames, remap = np.unique(names, return_inverse=True)  # sorted names; " a" and "a" merge
        qcodes = remap[codes]
    else:
        qnames, qcodes = np.array([default_queue], dtype=object), np.zeros(len(frame), dtype=np.int64)
    lines = frame["_line"].to_numpy() if "_line" in frame.columns else np.arange(2, len(frame) + 2)
    by_queue = np.argsort(qcodes, kind="stable")
    t_int = ts.to_numpy().astype(np.int64)[by_queue]
    report.sorted_rows = bool(np.any((np.diff(t_int) < 0) & (np.diff(qcodes[by_queue]) == 0)))
    return _Rows(ts, volume, aht, qnames, qcodes, lines, "queue" in frame.columns)


def _check_span(rows: _Rows, source: str) -> None:
    """No stretch of more than ``MAX_GAP_DAYS`` without a row: a row that far from the rest (a mistyped year)
    would move the forecast's start there. The error names the first row of the smaller side of the gap."""
    day = rows.timestamp.to_numpy().astype("datetime64[D]").astype(np.int64)
    uniq = np.unique(day)
    gaps = np.diff(uniq)
    big = np.flatnonzero(gaps > MAX_GAP_DAYS)
    if not len(big):
        return
    k = int(big[0])
    before = int((day <= uniq[k]).sum())
    stray, near = (uniq[k + 1], uniq[k]) if len(day) - before <= before else (uniq[k], uniq[k + 1])
    i = int(np.flatnonzero(day == stray)[0])
    raise InputError(
        f"{source}, line {rows.line[i]}, field 'timestamp': {rows.timestamp.iloc[i]:%Y-%m-%d %H:%M} lies "
        f"{int(gaps[k]):,} days from the rest of the history ({pd.Timestamp(near, unit='D'):%Y-%m-%d}); rows more "
        f"than {MAX_GAP_DAYS} days apart are refused (a mistyped year?)"
    )


def _check_grid_size(rows: _Rows, step: int, source: str) -> None:
    """The calendar grid (queues x days from the Monday before the first row x intervals a day) is bounded."""
    tsv = rows.timestamp.to_numpy().astype("datetime64[D]").astype(np.int64)
    days = int(tsv.max() - tsv.min()) + 7
    cells = len(rows.queues) * days * (1440 // step)
    if cells > MAX_GRID_CELLS:
        raise InputError(
            f"{source}: {len(rows.queues):,} queue(s) x {days:,} days x {1440 // step} intervals a day is "
            f"{cells:,} cells, more than the {MAX_GRID_CELLS:,} wfm holds; give fewer queues or a shorter history"
        )


def check_interval_option(interval_minutes: int | None) -> None:
    """``--interval``: None (infer it) or one of ``ALLOWED_INTERVALS`` (0 is not "infer")."""
    if interval_minutes is not None and interval_minutes not in ALLOWED_INTERVALS:
        raise InputError(
            f"--interval {interval_minutes}: must be one of {', '.join(map(str, ALLOWED_INTERVALS))} minutes "
            "(5 to 60, dividing the day); leave it out to infer the interval from the history"
        )


def date_order_option(dayfirst: bool, monthfirst: bool) -> str | None:
    """``--dayfirst``/``--monthfirst`` as a ``date_order`` (None: neither, the config decides)."""
    if dayfirst and monthfirst:
        raise InputError("--dayfirst and --monthfirst: give one of them (how the history writes its dates)")
    return "day_first" if dayfirst else "month_first" if monthfirst else None


def _interval(rows: _Rows, interval_minutes: int | None, source: str) -> tuple[int, int]:
    """``(step, fine)``: the grid's interval and the data's (smaller when a finer export is summed up to
    ``interval_minutes``). Raises when the interval is not supported or a timestamp is off its grid."""
    ts, tsv = rows.timestamp, rows.timestamp.to_numpy()
    data_step = infer_interval(tsv, rows.queue_code)
    step = interval_minutes or data_step
    if step is None:
        raise InputError(f"{source}: cannot infer the interval from a single row per queue; pass --interval")
    if step not in ALLOWED_INTERVALS:
        raise InputError(
            f"{source}: intervals of {step} minutes are not supported "
            f"(need 5 to 60 minutes dividing the day: {', '.join(map(str, ALLOWED_INTERVALS))}); "
            "pass --interval if the inference is wrong"
        )
    if interval_minutes and data_step and data_step > interval_minutes:
        raise InputError(
            f"{source}: --interval {interval_minutes} is finer than the data's {data_step}-minute intervals "
            "(intervals can be added up, not split)"
        )
    minute = (ts.dt.hour * 60 + ts.dt.minute).to_numpy()
    fine = data_step if (interval_minutes and data_step and data_step < step and step % data_step == 0) else step
    off = (minute % fine != 0) | (ts.dt.second.to_numpy() != 0) | (ts.dt.microsecond.to_numpy() != 0)
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise InputError(
            f"{source}, line {rows.line[i]}, field 'timestamp': {ts.iloc[i]:%Y-%m-%d %H:%M:%S} is not on the "
            f"{fine}-minute grid (interval starts must be multiples of {fine} minutes)"
        )
    return step, fine


def _drop_duplicates(rows: _Rows, timezone: str, report: CleaningReport, source: str = "history") -> pd.DataFrame:
    """One row per interval and queue (frame ``t, q, v, a, order``): exact duplicates dropped, the repeated
    DST hour averaged, other conflicts keep the last row; but without a queue column a conflict is an error
    (the rows of several queues, whose calls keeping one row would drop)."""
    tsv = rows.timestamp.to_numpy()
    df = pd.DataFrame({"t": tsv, "q": rows.queue_code, "v": rows.volume, "a": rows.aht, "order": np.arange(len(tsv))})
    exact = df.duplicated(subset=["t", "q", "v", "a"], keep="last")
    report.duplicates_dropped = int(exact.sum())
    df = df[~exact.to_numpy()]
    dup_any = df.duplicated(subset=["t", "q"], keep=False).to_numpy()
    if not dup_any.any():
        return df
    times = pd.DatetimeIndex(df["t"].to_numpy()[dup_any])
    _, ambiguous = wall_time_status(times, timezone)
    amb_idx = df.index.to_numpy()[dup_any][ambiguous]
    if len(amb_idx):
        sub = df.loc[amb_idx]
        report.dst_repeated_merged = len(sub)
        merged = sub.groupby(["t", "q"], as_index=False).agg(
            v=("v", "mean"), a=("a", "mean"), order=("order", "max")
        )
        df = pd.concat([df.drop(index=amb_idx), merged], ignore_index=True)
    df = df.sort_values("order", kind="stable")
    dup_last = df.duplicated(subset=["t", "q"], keep="last")
    report.conflicts_kept_last = int(dup_last.sum())
    if report.conflicts_kept_last and not rows.has_queue_column:
        again = df.duplicated(subset=["t", "q"], keep="first").to_numpy()
        j = int(np.flatnonzero(again)[0])
        t = df["t"].iloc[j]
        first = int(df["order"].to_numpy()[(df["t"] == t).to_numpy()][0])
        raise InputError(
            f"{source}, line {rows.line[int(df['order'].iloc[j])]}, field 'timestamp': {t:%Y-%m-%d %H:%M} appears "
            f"again with other figures (first on line {rows.line[first]}); without a 'queue' column each interval "
            "has one row: add a 'queue' column naming each row's queue, or remove the repeated row"
        )
    return df[~df.duplicated(subset=["t", "q"], keep="last").to_numpy()]


def _aggregate(df: pd.DataFrame, step: int) -> pd.DataFrame:
    """A finer export summed up to ``step`` minutes: volume summed, AHT volume-weighted."""
    t = pd.DatetimeIndex(df["t"].to_numpy()).floor(f"{step}min")
    va = df["v"].to_numpy() * df["a"].to_numpy()
    g = pd.DataFrame({"t": t, "q": df["q"].to_numpy(), "v": df["v"].to_numpy(), "va": va,
                      "vw": np.where(np.isfinite(va), df["v"].to_numpy(), 0.0)})
    g = g.groupby(["t", "q"], as_index=False).agg(
        v=("v", lambda s: s.sum(min_count=1)), va=("va", "sum"), vw=("vw", "sum")
    )
    g["a"] = np.where(g["vw"] > 0, g["va"] / g["vw"].where(g["vw"] > 0, 1.0), np.nan)
    return g[["t", "q", "v", "a"]]


def _check_added_up(df: pd.DataFrame, qnames: np.ndarray, step: int, fine: int, source: str) -> None:
    """The volume of an interval added up from a finer export stays within ``MAX_CALLS_PER_INTERVAL``."""
    high = (df["v"] > MAX_CALLS_PER_INTERVAL).to_numpy()
    if high.any():
        i = int(np.flatnonzero(high)[0])
        raise InputError(
            f"{source}: queue {qnames[int(df['q'].iloc[i])]!r} has {df['v'].iloc[i]:,.0f} calls in the {step}-minute "
            f"interval at {df['t'].iloc[i]:%Y-%m-%d %H:%M} once its {fine}-minute rows are added up, above "
            f"{MAX_CALLS_PER_INTERVAL:,.0f}, the most wfm sizes"
        )


def _to_grid(
    df: pd.DataFrame, qnames: np.ndarray, step: int, timezone: str, report: CleaningReport
) -> tuple[History, np.ndarray]:
    """The rows on the calendar grid from the Monday on or before the first day; wall times that do not
    exist (the lost hour of a 23-hour DST day) are NaN. Also returns the ``(days, per_day)`` mask of the
    grid's real cells: wall times that exist, from the first day of data on."""
    t = pd.DatetimeIndex(df["t"].to_numpy())
    first_day = t.min().normalize()
    start = first_day - pd.Timedelta(days=first_day.day_of_week)
    n_days = int((t.max().normalize() - start).days) + 1
    per_day = 1440 // step
    day_idx = ((t.normalize() - start).days).to_numpy()
    slot = ((t.hour * 60 + t.minute) // step).to_numpy()
    q = df["q"].to_numpy()
    vol = np.full((len(qnames), n_days, per_day), np.nan)
    aht = np.full((len(qnames), n_days, per_day), np.nan)
    vol[q, day_idx, slot] = df["v"].to_numpy()
    aht[q, day_idx, slot] = df["a"].to_numpy()
    nonexist = _nonexistent_cells(start, n_days, first_day, step, timezone, report)
    vol[:, nonexist] = np.nan
    aht[:, nonexist] = np.nan
    report.queues = len(qnames)
    report.interval_minutes = step
    report.first = f"{t.min():%Y-%m-%d}"
    report.last = f"{t.max():%Y-%m-%d}"
    hist = History(
        queues=[str(x) for x in qnames], interval_minutes=step, start=start, volume=vol, aht=aht,
        holiday=np.zeros(n_days, bool), excluded=np.zeros(n_days, bool), timezone=timezone, report=report,
    )
    in_span = np.arange(n_days) >= first_day.day_of_week
    return hist, in_span[:, None] & ~nonexist


def _nonexistent_cells(
    start: pd.Timestamp, n_days: int, first_day: pd.Timestamp, step: int, timezone: str, report: CleaningReport
) -> np.ndarray:
    """``(days, per_day)`` mask of wall times that do not exist in ``timezone``; DST days counted."""
    per_day = 1440 // step
    dates = pd.date_range(start, periods=n_days, freq="D")
    odd = dst_days(dates[dates >= first_day], timezone)
    report.dst_days = len(odd)
    nonexist = np.zeros((n_days, per_day), bool)
    for mid, hours in odd.items():
        if hours < 24:
            wall = pd.date_range(mid, periods=per_day, freq=f"{step}min")
            ne, _ = wall_time_status(wall, timezone)
            nonexist[(mid - start).days] = ne
    return nonexist


def _count_gaps(volume: np.ndarray, real_cells: np.ndarray, report: CleaningReport) -> None:
    """Count the gaps: missing cells at open intervals of the week among ``real_cells``, and the days
    missing every open interval; and the closed intervals per week."""
    open_week = open_intervals(volume)  # (Q, 7, P)
    dow = np.arange(volume.shape[1]) % 7
    open_cells = open_week[:, dow, :] & real_cells[None]
    missing = np.isnan(volume) & open_cells
    report.gap_intervals = int(missing.sum())
    n_open = open_cells.sum(2)
    whole = (missing.sum(2) == n_open) & (n_open > 0)  # (Q, D): every open interval of the day missing
    report.missing_days = int(whole.all(0).sum())
    report.closed_intervals_per_week = int((~open_week).sum())


def set_special_days(
    history: History, holidays: Iterable[dt.date] = (), exclude: Iterable[dt.date] = ()
) -> History:
    """Flag holiday and excluded days on the grid (in place; also returns it) and count them in the report."""
    dates = [d.date() for d in history.dates()]
    excl_set, hol_set = set(exclude), frozenset(holidays)
    history.excluded = np.array([d in excl_set for d in dates], bool)
    history.holiday = np.array([d in hol_set for d in dates], bool)
    history.holiday_dates = hol_set
    has = np.isfinite(history.volume).any(axis=(0, 2))
    history.report.excluded_days = int((history.excluded & has).sum())
    history.report.holiday_days = int((history.holiday & has).sum())
    return history


def open_intervals(volume: np.ndarray, lookback_weeks: int = OPEN_LOOKBACK_WEEKS) -> np.ndarray:
    """Which intervals of the week are open, per queue, learnt from the calls: shape ``(queues, 7, per_day)``.

    An interval of the week is open when calls came in it in at least ``MIN_OPEN_WEEKS`` of the last
    ``lookback_weeks`` calendar weeks of the queue's data (one week when that weekday has data in fewer than
    ``2 * MIN_OPEN_WEEKS`` of them), and so is every interval of a quiet run of at most
    ``MAX_QUIET_MINUTES`` between open ones (around the week): a call or two that trickle in after closing do
    not open an interval, and a quiet interval at night does not close one, so the requirement does not
    flicker 0/2/0 between neighbours (a centre closed for a shorter break declares it in ``[centre.open]``). ``volume`` is ``(Q, days, P)`` with day 0 a Monday. A queue with
    less than a week of data treats weekdays it has not seen yet as open.
    """
    nq, n_days, per_day = volume.shape
    has = np.isfinite(volume).any(axis=2)  # (Q, D)
    out = np.ones((nq, 7, per_day), bool)
    day = np.arange(n_days)
    for q in range(nq):
        idx = np.flatnonzero(has[q])
        if len(idx) == 0:
            continue
        first, last = idx[0], idx[-1]
        lo = max(first, last + 1 - 7 * lookback_weeks)
        a = lo - lo % 7  # whole calendar weeks: Monday .. Sunday
        b = last + 1 + (-(last + 1)) % 7
        block = np.zeros((b - a, per_day), bool)
        block[lo - a : last + 1 - a] = np.nan_to_num(volume[q, lo : last + 1], nan=0.0) > 0
        weeks_with_calls = block.reshape(-1, 7, per_day).sum(axis=0)
        seen_days = np.zeros(b - a, bool)
        seen_days[lo - a : last + 1 - a] = has[q, lo : last + 1]
        weeks_seen = seen_days.reshape(-1, 7).sum(axis=0)  # weeks holding data, per weekday
        need = np.where(weeks_seen >= 2 * MIN_OPEN_WEEKS, MIN_OPEN_WEEKS, 1)[:, None]
        carried = _fill_short_closures(weeks_with_calls >= need, 1440 // per_day)
        if last - first + 1 >= 7:
            out[q] = carried
        else:
            seen = np.zeros(7, bool)
            seen[day[lo : last + 1][has[q, lo : last + 1]] % 7] = True
            out[q] = carried | ~seen[:, None]
    return out


def _fill_short_closures(open_: np.ndarray, interval_minutes: int) -> np.ndarray:
    """``(7, P)``: a closed run of at most ``MAX_QUIET_MINUTES`` between open intervals (around the week:
    Sunday night runs into Monday) is open too: a quiet interval is not a closure."""
    flat = open_.ravel()
    if flat.all() or not flat.any():
        return open_
    shift = int(np.argmax(flat))  # start the circle at an open interval
    ring = np.roll(flat, -shift)
    starts = np.flatnonzero(~ring & np.roll(ring, 1))  # first interval of each closed run
    ends = np.flatnonzero(~ring & np.roll(ring, -1))  # last interval of each closed run
    out = ring.copy()
    for a, b in zip(starts, ends, strict=True):
        if (b - a + 1) * interval_minutes <= MAX_QUIET_MINUTES:
            out[a : b + 1] = True
    return np.roll(out, shift).reshape(open_.shape)


def weekday_index(name: str) -> int:
    try:
        return WEEKDAYS.index(name.strip().lower())
    except ValueError:
        raise InputError(f"unknown weekday {name!r} (expected one of {', '.join(WEEKDAYS)})") from None


def prepare_history(
    raw: pd.DataFrame,
    config: Any = None,
    *,
    source: str = "history",
    interval_minutes: int | None = None,
    holidays: str | Iterable[dt.date] | None = None,
    exclude: str | Iterable[dt.date] | None = None,
    date_order: str | None = None,
) -> History:
    """Clean a raw history frame in the config's timezone and flag its special days, for every caller alike.

    ``holidays``: a ``--holidays`` spec (file, list of dates, or country code) or dates; ``exclude``: a
    ``--exclude`` spec or dates. The config's ``[forecast]`` holidays, ``holiday_country`` and ``exclude``
    are added. ``date_order``: how the file writes day and month (``--dayfirst``/``--monthfirst``); default the
    config's ``[forecast] history_date_order``, else ISO only. Without a config: UTC, no config special days.
    """
    default_queue = config.queues[0].name if config is not None and len(config.queues) == 1 else "all"
    settings = getattr(config, "forecast", None)
    if date_order is None:
        date_order = getattr(settings, "history_date_order", None) or "iso"
    h = clean_history(
        raw, source=source, interval_minutes=interval_minutes,
        timezone=config.centre.timezone if config is not None else "UTC", default_queue=default_queue,
        date_order=date_order,
    )
    years = range(h.start.year, h.end().year + 2)
    hol = resolve_holidays(holidays, years) if holidays is None or isinstance(holidays, str) else set(holidays)
    excl = parse_dates(exclude, "--exclude") if exclude is None or isinstance(exclude, str) else set(exclude)
    hol |= config_holidays(config, years)
    if settings is not None:
        excl |= parse_dates(settings.exclude, "config forecast.exclude")
    set_special_days(h, holidays=hol, exclude=excl)
    return h

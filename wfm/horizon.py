"""The horizon a forecast gives `wfm whatif` and `wfm simulate`, checked before any grid is built: every interval
on the config's grid, at most :data:`MAX_HORIZON_DAYS` days, and a roster that shares its dates.

Both stages build one row per interval from the forecast's first interval to its last, so two rows a century
apart would ask for millions of intervals; and a roster dated away from the forecast used to give 0% service
with no word that the dates do not meet (:func:`roster_overlap`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
import pandas as pd

from wfm.errors import InputError
from wfm.io import format_timestamp
from wfm.roster.rows import RosterRows

MAX_HORIZON_DAYS = 366  # days from a forecast's first interval to its last that a what-if or simulation runs on


def located(source: str, row: int | None, field: str = "timestamp") -> str:
    """``"forecast.csv, line 7, field 'timestamp'"`` for data row ``row`` (0 = the first) when ``source`` is a
    CSV file (its lines counted again, only to name one in an error), else ``source``."""
    if row is not None and os.path.isfile(source):
        from wfm.io import read_csv

        lines = read_csv(source)["_line"].to_numpy()
        if row < len(lines):
            return f"{source}, line {lines[row]}, field '{field}'"
    return source


def check_horizon(timestamps: Sequence | pd.Series, interval_minutes: int, source: str = "forecast") -> None:
    """InputError naming ``source`` (and the row's line, for a file) when the forecast's intervals run over more
    than :data:`MAX_HORIZON_DAYS` days, or one of them is off the ``interval_minutes`` grid from the first."""
    ts = pd.DatetimeIndex(pd.to_datetime(pd.Series(timestamps)))
    if not len(ts):
        return
    first, last = ts.min(), ts.max()
    days = (last.normalize() - first.normalize()).days + 1
    if days > MAX_HORIZON_DAYS:
        i = int(np.argmax(ts.to_numpy()))
        raise InputError(
            f"{located(source, i)}: {format_timestamp(last)} is {days:,} days from the first interval "
            f"{format_timestamp(first)}; a what-if or simulation runs on at most {MAX_HORIZON_DAYS} days"
        )
    offset = (ts - first) / pd.Timedelta(minutes=interval_minutes)
    off = np.asarray(offset != np.floor(offset))
    if off.any():
        i = int(np.flatnonzero(off)[0])
        raise InputError(
            f"{located(source, i)}: {format_timestamp(ts[i])} is not on the {interval_minutes}-minute grid from the "
            f"first interval {format_timestamp(first)} (the config's interval_minutes is {interval_minutes})"
        )


def _days(values: np.ndarray) -> pd.DatetimeIndex:
    return pd.DatetimeIndex(pd.to_datetime(values)).normalize().unique().sort_values()


def _span(days: pd.DatetimeIndex) -> str:
    return f"{days[0]:%Y-%m-%d}" if len(days) == 1 else f"{days[0]:%Y-%m-%d} to {days[-1]:%Y-%m-%d}"


def roster_overlap(
    rows: RosterRows, roster_source: str, timestamps: np.ndarray, volume: np.ndarray, forecast_source: str
) -> list[str]:
    """Check a roster's dates against a forecast's: an InputError naming both files and their dates when they
    share none, or naming the roster's line when it runs over more than :data:`MAX_HORIZON_DAYS` days; else a
    note for the forecast's days with calls that have no roster row (nobody is rostered on them)."""
    if not len(rows) or not len(timestamps):
        return []
    r_days = _days(rows.date)
    if (r_days[-1] - r_days[0]).days + 1 > MAX_HORIZON_DAYS:
        i = int(np.argmax(rows.date))
        raise InputError(
            f"{roster_source}, line {rows.line[i]}, field 'date': {r_days[-1]:%Y-%m-%d} is "
            f"{(r_days[-1] - r_days[0]).days + 1:,} days from the roster's first date {r_days[0]:%Y-%m-%d}; "
            f"a roster a what-if or simulation runs on spans at most {MAX_HORIZON_DAYS} days"
        )
    f_days = _days(timestamps)
    if r_days.intersection(f_days).empty:
        raise InputError(
            f"{roster_source} ({_span(r_days)}) and {forecast_source} ({_span(f_days)}) have no date in common: "
            "a roster covers only the dates it names"
        )
    notes = []
    busy = _days(np.asarray(timestamps)[np.asarray(volume, dtype=float) > 0])
    bare = busy.difference(r_days)
    if len(bare):
        notes.append(
            f"{roster_source} has no shifts on {len(bare)} day{'s' * (len(bare) > 1)} with calls in "
            f"{forecast_source} ({_span(bare)}): nobody is rostered on "
            f"{'them' if len(bare) > 1 else 'it'} (the roster runs {_span(r_days)})"
        )
    return notes


def outside_days(roster_dates: np.ndarray, timestamps: np.ndarray) -> np.ndarray:
    """Mask of roster rows dated outside the forecast's dates."""
    f_days = _days(timestamps)
    d = pd.DatetimeIndex(pd.to_datetime(roster_dates)).normalize()
    return ~np.asarray(d.isin(f_days))

"""The forecast against declared opening hours (``[centre.open]``, :mod:`wfm.hours`).

- :func:`fit_history_to_hours`: calls the history holds outside the declared hours (rows for 21:00-21:05 at a
  centre that closes at 21:00) are moved into the nearest open interval of the same queue (at most a day
  away; else dropped), so no call is lost and no closed interval is learnt as open; one note says how many
  calls, in how many intervals, and when most of them came. Holidays and excluded days are left as they are
  (the hours are the centre's regular week).
- :func:`close_outside_hours`: every forecast interval outside the hours (closed weekdays, nights, closed
  holidays, special days) is 0 calls, so no staff are required then.
"""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd

from wfm.clock import format_clock
from wfm.history import History
from wfm.hours import OpeningHours, open_mask


def fit_history_to_hours(history: History, hours: OpeningHours) -> tuple[History, str | None]:
    """``history`` with its calls outside the regular weekly hours moved into the nearest open interval (a
    copy; the original when nothing is outside), and the note saying so (None when nothing was)."""
    regular = OpeningHours(hours.weekly, {}, holidays_closed=False)
    q, d, p = history.volume.shape
    ts = history.start + pd.to_timedelta(np.arange(d * p) * history.interval_minutes, unit="min")
    is_open = open_mask(regular, ts, history.interval_minutes)
    special = np.repeat(history.excluded | history.holiday, p)
    volume = history.volume.reshape(q, d * p)
    outside = (~is_open & ~special)[None, :] & (np.nan_to_num(volume, nan=0.0) > 0)
    if not outside.any():
        return history, None
    open_at = np.flatnonzero(is_open)
    moved = history.volume.copy().reshape(q, d * p)
    dropped = 0.0
    for qi in range(q):
        cells = np.flatnonzero(outside[qi])
        if not len(cells):
            continue
        calls = moved[qi, cells].copy()
        moved[qi, cells] = 0.0
        if not len(open_at):
            dropped += float(calls.sum())
            continue
        k = np.clip(np.searchsorted(open_at, cells), 1, len(open_at) - 1) if len(open_at) > 1 else \
            np.zeros(len(cells), np.int64)
        if len(open_at) > 1:
            left, right = open_at[k - 1], open_at[k]
            target = np.where(np.abs(cells - left) <= np.abs(right - cells), left, right)
        else:
            target = open_at[k]
        near = np.abs(target - cells) * history.interval_minutes <= 1440
        dropped += float(calls[~near].sum())
        tgt = target[near]
        moved[qi, tgt] = np.nan_to_num(moved[qi, tgt])  # an open interval with no row gets the calls alone
        np.add.at(moved[qi], tgt, calls[near])
    out = copy.copy(history)
    out.volume = moved.reshape(q, d, p)
    return out, _note(history, outside, ts, dropped)


def _note(history: History, outside: np.ndarray, ts: pd.DatetimeIndex, dropped: float) -> str:
    per_cell = np.nansum(np.where(outside, history.volume.reshape(outside.shape), 0.0), axis=0)  # calls moved
    cells = outside.any(axis=0)
    minute = (ts[cells].hour * 60 + ts[cells].minute).to_numpy()
    per_time = np.bincount(minute, weights=per_cell[cells], minlength=1440)
    top = int(np.argmax(per_time))
    where = "moved into the nearest open interval" + (f" ({dropped:,.0f} with none within a day: dropped)"
                                                       if dropped else "")
    return (f"{history.report.source}: {per_cell.sum():,.0f} calls in {int(outside.sum()):,} intervals lie outside "
            f"the opening hours ({format_clock(top)} holds the most, {per_time[top]:,.0f}); {where}")


def close_outside_hours(forecast: pd.DataFrame, hours: OpeningHours, interval_minutes: int,
                        holidays: frozenset | set) -> pd.DataFrame:
    """The forecast with 0 calls (and bounds) in every interval outside the opening hours."""
    shut = ~open_mask(hours, pd.DatetimeIndex(forecast["timestamp"]), interval_minutes, holidays)
    if not shut.any():
        return forecast
    out = forecast.copy()
    for col in ("volume", "volume_p10", "volume_p90"):
        if col in out.columns:
            out.loc[shut, col] = 0.0
    return out

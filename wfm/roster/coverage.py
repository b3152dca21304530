"""The requirement over the roster's horizon and the coverage frame (``coverage.csv``) of a roster.

Coverage frame, one row per interval::

    timestamp, required_scheduled (scheduled agents asked for: staffing's ``scheduled``, summed or pooled),
    rostered (agents on shift and off break, before shrinkage), over, under,
    service_level (pooled Erlang value for the rostered agents, after shrinkage)
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.errors import InputError
from wfm.roster.rows import ROSTER_COLUMNS, parse_roster_rows, rostered_per_interval
from wfm.staffing import group_service_level, staffing_requirement


def horizon_requirement(
    staffing: pd.DataFrame, config: CentreConfig, start: date | None, weeks: int
) -> tuple[date, pd.DatetimeIndex, np.ndarray, pd.DataFrame]:
    """The horizon's interval starts, required scheduled agents per interval (staffing's ``scheduled``, summed
    or pooled) and a staffing frame over the horizon.

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
    rostered = rostered_per_interval(parse_roster_rows(assignments, "roster", ROSTER_COLUMNS),
                                     pd.Timestamp(start), len(idx), ivl)
    sl = group_service_level(horizon_staffing, pd.Series(rostered, index=idx), config)
    return pd.DataFrame(
        {
            "timestamp": idx,
            "required_scheduled": required,
            "rostered": rostered,
            "over": np.maximum(rostered - required, 0),
            "under": np.maximum(required - rostered, 0),
            "service_level": np.round(sl["service_level"].to_numpy(float), 4),
        }
    )

"""The planning grid: a forecast on the data's grid summed onto a coarser one (``[roster] interval_minutes``).

Staffing is sized on the planning grid's intervals: the calls of the data's intervals inside one planning
interval are added up (volume summed, AHT call-weighted) and the agents are sized on that, which is not the
largest of the fine intervals' requirements. ``volume_p10``/``volume_p90`` keep the forecast's spread model
(an interval's error scales with the square root of its volume, intervals independent): the fine intervals'
distances from their mean add in quadrature.

    spacing_minutes    the closest two distinct timestamps of a frame, in minutes (its grid)
    check_grid         a planning grid against the data's: a multiple of it, dividing the day
    sum_to_grid        a forecast frame onto a coarser grid
    on_grid            a ForecastResult onto a coarser grid (daily table recomputed, a note added)
    read_on_grid       forecast.csv for a stage on the planning grid (simulate, what-if): read on the data's
                       grid, summed onto the planning grid with a note
    summed_note        that note (also wfm staff's)
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from wfm.errors import InputError

ALLOWED_GRIDS = (5, 6, 10, 12, 15, 20, 30, 60)
"""Interval lengths wfm plans on: 5 to 60 minutes, dividing the day (the history's ``ALLOWED_INTERVALS``)."""


def spacing_minutes(stamps: Iterable) -> int | None:
    """Minutes between the closest two distinct timestamps (the frame's grid); None with fewer than two."""
    unique = np.unique(pd.to_datetime(pd.Series(stamps)).to_numpy())
    if len(unique) < 2:
        return None
    return int(np.diff(unique).min() // np.timedelta64(1, "m"))


def check_grid(planning: int, data: int, *, what: str, data_source: str, error: type[Exception] = InputError) -> int:
    """``planning`` minutes as the planning grid over data on a ``data``-minute grid: one of ``ALLOWED_GRIDS``
    and a whole number of data intervals. ``what`` names the setting (``--interval 15``, ``[roster]
    interval_minutes = 15 in x.toml``), ``data_source`` the data (``history.csv``); raises ``error``."""
    if planning not in ALLOWED_GRIDS:
        raise error(f"{what}: the planning grid must be one of {', '.join(map(str, ALLOWED_GRIDS))} minutes "
                    "(5 to 60, dividing the day)")
    if planning < data:
        raise error(f"{what}: the planning grid is finer than {data_source}'s {data}-minute intervals (intervals "
                    f"can be added up, not split); plan on {_multiples(data)} minutes")
    if planning % data:
        raise error(f"{what}: the planning grid is not a multiple of {data_source}'s {data}-minute intervals "
                    f"({planning}/{data} is not a whole number, so its intervals cannot be added up to it); plan "
                    f"on {_multiples(data)} minutes")
    return planning


def _multiples(minutes: int) -> str:
    ok = [str(m) for m in ALLOWED_GRIDS if m % minutes == 0]
    return ", ".join(ok[:-1]) + f" or {ok[-1]}" if len(ok) > 1 else ok[0]


def sum_to_grid(frame: pd.DataFrame, minutes: int, *, source: str = "forecast") -> pd.DataFrame:
    """``frame`` (``timestamp,queue,volume[,aht,volume_p10,volume_p90]``) summed onto ``minutes``-minute
    intervals from midnight, per queue, in the frame's order (queues as they first appear, then time).

    - ``volume``: summed;
    - ``aht``: weighted by the calls of the intervals that have one (their plain mean where none has calls;
      blank when none has one);
    - ``volume_p10``/``volume_p90``: the volume minus/plus the fine intervals' distances from their own volume
      added in quadrature (``sqrt(sum d_i**2)``), p10 at least 0.

    Other columns are dropped (they do not add up). A frame already on ``minutes`` is returned as it is; one
    whose intervals do not add up to ``minutes`` raises InputError naming ``source``.
    """
    if frame.empty:
        return frame
    ts = pd.to_datetime(frame["timestamp"])
    fine = spacing_minutes(ts)
    minute = (ts.dt.hour * 60 + ts.dt.minute).to_numpy()
    on_grid = (minute % minutes == 0) & (ts.dt.second.to_numpy() == 0)
    if (fine is None or fine >= minutes) and on_grid.all():
        return frame
    if fine is not None and minutes % fine:
        raise InputError(f"{source}: its intervals are {fine} minutes apart, which do not add up to the "
                         f"{minutes}-minute planning grid ([roster] interval_minutes)")
    bucket = ts.dt.floor(f"{minutes}min")
    vol = frame["volume"].to_numpy(float)
    cols = {"timestamp": bucket.to_numpy(), "queue": frame["queue"].to_numpy(), "volume": vol}
    has_aht = "aht" in frame.columns
    if has_aht:
        aht = frame["aht"].to_numpy(float)
        known = np.isfinite(aht)
        cols["va"] = np.where(known, vol * np.nan_to_num(aht), 0.0)
        cols["vw"] = np.where(known, vol, 0.0)
        cols["a_sum"] = np.where(known, aht, 0.0)
        cols["a_n"] = known.astype(float)
    spread = [c for c in ("volume_p10", "volume_p90") if c in frame.columns]
    for c in spread:
        cols[c] = (frame[c].to_numpy(float) - vol) ** 2
    g = pd.DataFrame(cols).groupby(["queue", "timestamp"], sort=False).sum()
    out = pd.DataFrame({"timestamp": g.index.get_level_values("timestamp"),
                        "queue": g.index.get_level_values("queue"), "volume": g["volume"].to_numpy()})
    if has_aht:
        vw, n = g["vw"].to_numpy(), g["a_n"].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            weighted = g["va"].to_numpy() / vw
            plain = g["a_sum"].to_numpy() / n
        out["aht"] = np.where(vw > 0, weighted, np.where(n > 0, plain, np.nan))
    for c in spread:
        d = np.sqrt(g[c].to_numpy())
        out[c] = np.maximum(out["volume"] - d, 0.0) if c == "volume_p10" else out["volume"] + d
    return out[[c for c in frame.columns if c in out.columns]].reset_index(drop=True)


def on_grid(result, minutes: int):
    """``result`` (a :class:`wfm.forecast.ForecastResult`) with its forecast summed onto ``minutes``-minute
    intervals (:func:`sum_to_grid`), its daily table recomputed and a note saying so; ``result`` itself when
    already on that grid. The backtest and its metrics stay on the data's grid (they judge the model there)."""
    from wfm.forecast.core import daily_summary

    if minutes == result.interval_minutes:
        return result
    check_grid(minutes, result.interval_minutes, what=f"planning grid {minutes}", data_source="the forecast")
    out = copy.copy(result)
    summed = sum_to_grid(result.forecast, minutes)
    for col, places in (("volume", 3), ("volume_p10", 3), ("volume_p90", 3), ("aht", 1)):  # as forecast() rounds
        summed[col] = summed[col].round(places)
    out.forecast = summed
    out.daily = daily_summary(out.forecast)
    out.interval_minutes = minutes
    out.notes = [*result.notes, f"forecast made on the history's {result.interval_minutes}-minute intervals and "
                                f"summed onto the {minutes}-minute planning grid (volume summed, AHT call-weighted; "
                                "backtest WAPE on the history's intervals)"]
    return out


def read_on_grid(path: str | os.PathLike[str], config: Any) -> tuple[pd.DataFrame, str | None]:
    """forecast.csv (:func:`wfm.io.read_forecast`, the config's queues) for a stage that works on the config's
    planning grid (``[roster] interval_minutes``): a forecast on the data's grid (``[centre] interval_minutes``,
    as ``wfm forecast`` writes it) is summed onto the planning grid (:func:`sum_to_grid`), with a note saying
    so; a forecast on the planning grid is returned as read, with None. Errors name the file, line and field
    (a timestamp off the data's grid)."""
    from wfm.io import read_forecast

    data, planning = config.centre.interval_minutes, config.planning_interval_minutes
    frame = read_forecast(path, config.queue_names, interval_minutes=data)
    if planning == data:
        return frame, None
    summed = sum_to_grid(frame, planning, source=str(path))
    if summed is frame:
        return frame, None
    return summed, summed_note(str(path), spacing_minutes(frame["timestamp"]), planning)


def summed_note(source: str, fine: int | None, minutes: int, then: str = "") -> str:
    """The note a stage gives when it summed ``source``'s ``fine``-minute intervals onto the ``minutes``-minute
    planning grid (``then``: what it did there, e.g. "and sized there")."""
    return (f"{source}: its {fine}-minute intervals were summed onto the {minutes}-minute planning grid "
            f"([roster] interval_minutes){' ' + then if then else ''} (calls summed, AHT call-weighted)")

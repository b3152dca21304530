"""Shocks on the what-if's base: volume and AHT over a window with a linear ramp-up and decay, absence on
whole days, and seats down (:func:`apply_shocks`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.errors import ConfigError
from wfm.io import MAX_CALLS_PER_INTERVAL, format_timestamp
from wfm.whatif.impact import WhatifBase
from wfm.whatif.scenario import Scenario, window_bounds


def shock_shape(
    timestamps: pd.DatetimeIndex, start: pd.Timestamp, end: pd.Timestamp, ramp_up_hours: float, decay_hours: float
) -> np.ndarray:
    """Strength of a shock per interval, 0..1: 1 inside ``[start, end)``, rising linearly over the
    ``ramp_up_hours`` before ``start`` and falling linearly over the ``decay_hours`` after ``end``."""
    t = (timestamps - start) / pd.Timedelta(hours=1)
    after = (timestamps - end) / pd.Timedelta(hours=1)
    t, after = np.asarray(t, dtype=float), np.asarray(after, dtype=float)
    out = np.where((t >= 0) & (after < 0), 1.0, 0.0)
    if ramp_up_hours > 0:
        rising = (t < 0) & (t >= -ramp_up_hours)
        out = np.where(rising, 1.0 + t / ramp_up_hours, out)
    if decay_hours > 0:
        falling = (after >= 0) & (after < decay_hours)
        out = np.where(falling, 1.0 - after / decay_hours, out)
    return out


@dataclass(frozen=True)
class Shocked:
    """A scenario's shocks resolved on the plan's grid."""

    forecast: pd.DataFrame  # timestamp, queue, volume, aht
    absence: np.ndarray  # share absent per plan date (len = days)
    seats: np.ndarray  # people allowed on the phones per interval (inf where no cut)


def apply_shocks(plan: WhatifBase, scenario: Scenario) -> Shocked:
    """The scenario's shocked forecast, absence per day and seat cap per interval (windows must be valid)."""
    fc = plan.forecast.copy()
    ts = pd.DatetimeIndex(fc["timestamp"])
    vol = fc["volume"].to_numpy(float).copy()
    aht = fc["aht"].to_numpy(float).copy()
    queue = fc["queue"].to_numpy()
    where = f"scenario {scenario.name!r}"
    for i, v in enumerate(scenario.volume):
        start, end = window_bounds(v, plan.start, plan.end, f"{where}, volume[{i}]")
        s = shock_shape(ts, start, end, v.ramp_up_hours, v.decay_hours)
        hit = (queue == v.queue) if v.queue != "all" else np.ones(len(vol), dtype=bool)
        if v.multiplier is not None:
            vol = np.where(hit, vol * (1.0 + (v.multiplier - 1.0) * s), vol)
        else:
            vol = np.where(hit, vol + v.added_calls * s, vol)
    if (vol > MAX_CALLS_PER_INTERVAL).any():  # sized next: bounded as a forecast row is
        k = int(np.flatnonzero(vol > MAX_CALLS_PER_INTERVAL)[0])
        raise ConfigError(
            f"{where}, volume: the shocks take queue {queue[k]!r} to {vol[k]:,.0f} calls at "
            f"{format_timestamp(ts[k])}, above {MAX_CALLS_PER_INTERVAL:,.0f} per interval, the most wfm sizes"
        )
    for i, a in enumerate(scenario.aht):
        start, end = window_bounds(a, plan.start, plan.end, f"{where}, aht[{i}]")
        s = shock_shape(ts, start, end, a.ramp_up_hours, a.decay_hours)
        hit = (queue == a.queue) if a.queue != "all" else np.ones(len(vol), dtype=bool)
        aht = np.where(hit, aht * (1.0 + (a.multiplier - 1.0) * s), aht)
    out = pd.DataFrame({"timestamp": fc["timestamp"], "queue": fc["queue"], "volume": vol, "aht": aht})
    dates = plan.dates
    present = np.ones(len(dates))
    for i, ab in enumerate(scenario.absence):
        start, end = window_bounds(ab, plan.start, plan.end, f"{where}, absence[{i}]")
        hit = (dates >= start.normalize()) & (dates < end)
        present = np.where(hit, present * (1.0 - ab.share), present)
    seats = np.full(len(plan.timestamps), np.inf)
    for i, c in enumerate(scenario.capacity):
        start, end = window_bounds(c, plan.start, plan.end, f"{where}, capacity[{i}]")
        hit = (plan.timestamps >= start) & (plan.timestamps < end)
        seats = np.where(hit, np.minimum(seats, c.seats), seats)
    return Shocked(out, 1.0 - present, seats)

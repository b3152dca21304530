"""When the centre is closed over a roster's horizon: nobody is rostered then, and a closed day whose weekday
is open (a holiday, a special closed day) shortens the week of every contract that would have worked it.

- With ``[centre.open]`` (:mod:`wfm.hours`): every interval outside the declared hours is shut (no shift may
  overlap it), and the holidays are the days :func:`wfm.hours.holiday_closures` names (the config's
  ``[forecast]`` holidays and ``holiday_country`` closed unless ``holidays = "open"``; special closed days).
- Without it: a config holiday whose requirement is zero all day is a closed holiday, shut all day (a closed
  Monday forecast at zero no longer holds every full-timer's fifth day).

A tour type's week is a regular days-on pattern (:func:`wfm.roster.tours.day_patterns`); in a week with a
holiday, the pattern's holiday days are not worked: ``paid`` contracts are paid them (the day's paid hours),
``unpaid`` ones are not (:meth:`wfm.roster.model.Model.tour_paid`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from wfm.config import CentreConfig
from wfm.history import config_holidays
from wfm.hours import holiday_closures, open_mask


@dataclass(frozen=True)
class Closures:
    """``shut``: per interval of the horizon, True when nobody may be on site; ``holidays``: day indices of
    the horizon (0 = its first day) closed although their weekday is open."""

    shut: np.ndarray
    holidays: frozenset[int]

    @property
    def any(self) -> bool:
        return bool(self.shut.any() or self.holidays)


def closures(config: CentreConfig, idx: pd.DatetimeIndex, required: np.ndarray, start: dt.date) -> Closures:
    """The :class:`Closures` of the horizon ``idx`` (one timestamp per interval, from ``start``)."""
    ivl = config.planning_interval_minutes
    per_day = 1440 // ivl
    dates = [start + dt.timedelta(days=k) for k in range(len(idx) // per_day)]
    years = range(start.year - 1, start.year + 2)
    hours = config.centre.opening_hours
    if hours is not None:
        hol = config_holidays(config, years) if hours.holidays_closed else set()
        shut = ~open_mask(hours, idx, ivl, hol)
        days = {(d - start).days for d in holiday_closures(hours, dates, hol)}
        return Closures(shut, frozenset(days))
    named = config_holidays(config, years)
    per = np.asarray(required, float).reshape(-1, per_day)
    days = {k for k, d in enumerate(dates) if d in named and not (per[k] > 0).any()}
    shut = np.zeros(len(idx), bool)
    for k in days:
        shut[k * per_day:(k + 1) * per_day] = True
    return Closures(shut, frozenset(days))

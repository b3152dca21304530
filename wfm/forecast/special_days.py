"""Special days in the forecast: holidays in the horizon, and which weekday a holiday without history is like.

Holidays and excluded days are flagged on the history by :func:`wfm.history.prepare_history` (the config's
``[forecast]`` holidays, ``holiday_country`` and ``exclude`` plus the user's ``--holidays``/``--exclude``);
both are kept out of regular-day training. A holiday in the horizon is forecast from past holidays when there
are some (their ratio to a normal day, their shape), otherwise like the config's ``holiday_like`` weekday.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.config import CentreConfig, ForecastSettings
from wfm.forecast.models import _gauss_smooth
from wfm.history import History


def holiday_like_setting(config: CentreConfig | None = None) -> str:
    """The weekday a holiday without holiday history is forecast like: the config's ``[forecast]
    holiday_like`` (that setting's default without a config)."""
    settings = config.forecast if config is not None else ForecastSettings()
    return settings.holiday_like


def extend_holiday_flags(history: History, n_days: int) -> np.ndarray:
    """The history's holiday flags over ``n_days`` days from its start, past its end from its holiday dates
    (truncated when ``n_days`` is shorter than the history)."""
    flags, dates = history.holiday, history.holiday_dates
    out = np.zeros(n_days, bool)
    k = min(len(flags), n_days)
    out[:k] = flags[:k]
    if n_days > len(flags):
        extra = pd.date_range(history.start + pd.Timedelta(days=len(flags)), periods=n_days - len(flags))
        out[len(flags) :] = [d.date() in dates for d in extra]
    return out


def forecast_holidays(
    days: dict[str, np.ndarray], volume: np.ndarray, holiday: np.ndarray, usable: np.ndarray, cutoff_day: int,
    targets: np.ndarray, holiday_like: int, like_closed: bool,
) -> dict[str, np.ndarray]:
    """Replace the holidays of a model's prediction ``days`` (key -> (n_days, P), from ``cutoff_day``) by
    holiday curves (:func:`holiday_curves`); ``targets`` are the holidays' positions in ``days``. The
    interval bounds (``lo-``/``hi-``) keep their ratio to the mean."""
    mean0 = days["mean"]
    mean = mean0.copy()
    mean[targets] = holiday_curves(
        volume, holiday, usable, cutoff_day, cutoff_day + targets, mean0[targets], holiday_like,
        mean0.shape[1], like_closed=like_closed,
    )
    out = {}
    for key, arr in days.items():
        if key == "mean":
            out[key] = mean
            continue
        with np.errstate(invalid="ignore", divide="ignore"):
            ratio = np.where(mean0[targets] > 0, arr[targets] / mean0[targets], 1.0)
        arr = arr.copy()
        arr[targets] = ratio * mean[targets]
        out[key] = arr
    return out


def holiday_curves(
    volume: np.ndarray, holiday: np.ndarray, usable: np.ndarray, cutoff_day: int, target_days: np.ndarray,
    regular: np.ndarray, holiday_like: int, per_day: int, like_closed: bool = False,
) -> np.ndarray:
    """Forecast for holiday days in the horizon. ``volume`` (D, P) holds holidays' real volume.

    From holiday history when there is some: the median ratio of a holiday's total to the median of its
    weekday in the 4 weeks before, times the regular forecast's total, shaped like past holidays.
    Otherwise: the recent average of the weekday named by ``holiday_like`` (e.g. Sunday), or closed (0)
    when that weekday is closed (``like_closed``).
    """
    past = [
        d for d in np.flatnonzero(holiday[:cutoff_day])
        if np.isfinite(volume[d]).all() and volume[d].sum() > 0
    ]
    ratios, shapes = [], []
    for d in past:
        ref = [r for r in range(d - 28, d) if r >= 0 and (r - d) % 7 == 0 and usable[r]
               and np.isfinite(volume[r]).all()]
        if not ref:
            continue
        base = np.median([volume[r].sum() for r in ref])
        if base > 0:
            ratios.append(volume[d].sum() / base)
            shapes.append(volume[d] / volume[d].sum())
    out = np.empty((len(target_days), per_day))
    if ratios:
        shape = _gauss_smooth(np.mean(shapes, 0)[None], 12 / (1440 / per_day))[0]
        shape /= shape.sum()
        for i, _d in enumerate(target_days):
            out[i] = np.median(ratios) * regular[i].sum() * shape
        return out
    if like_closed:  # the named weekday is closed at this centre: so is the holiday
        return np.zeros_like(regular)
    like = [r for r in range(cutoff_day - 1, -1, -1) if r % 7 == holiday_like and usable[r]
            and np.isfinite(volume[r]).all()][:4]
    if not like:
        return regular.copy()
    out[:] = np.mean(volume[like], 0)
    return out

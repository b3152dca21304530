"""Handle time: the AHT forecast per weekday-interval, from the history's AHT or the queue's config ``aht_s``."""

from __future__ import annotations

import numpy as np

from wfm.forecast.models import _gauss_smooth


def forecast_aht(
    volume: np.ndarray, aht: np.ndarray, default: float, weeks: int = 8, prior_calls: float = 20.0,
    smooth_minutes: float = 30.0,
) -> np.ndarray:
    """AHT per weekday-interval, shape (7, P), from the last ``weeks`` weeks of ``(days, P)`` history.

    Volume-weighted mean per weekday-interval, smoothed over neighbouring intervals (numerator and
    denominator separately), and shrunk toward the queue's overall AHT with the weight of ``prior_calls``
    calls. With no AHT in the history: ``default`` (the queue's config ``aht_s``) everywhere.
    """
    n_days, p = volume.shape
    lo = max(0, n_days - 7 * weeks)
    v, a = volume[lo:], aht[lo:]
    ok = np.isfinite(v) & np.isfinite(a) & (v > 0)
    if not ok.any():
        return np.full((7, p), float(default))
    vw = np.where(ok, v, 0.0)
    va = np.where(ok, v * np.nan_to_num(a), 0.0)
    dow = (np.arange(lo, n_days)) % 7
    num = np.zeros((7, p))
    den = np.zeros((7, p))
    np.add.at(num, dow, va)
    np.add.at(den, dow, vw)
    overall = num.sum() / den.sum()
    sigma = smooth_minutes / (1440 / p)
    num_s, den_s = _gauss_smooth(num, sigma), _gauss_smooth(den, sigma)
    return (num_s + prior_calls * overall) / (den_s + prior_calls)

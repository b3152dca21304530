"""Synthetic hourly history with known structure, shared by the forecast tests.

``true_mean`` is the planted truth (a weekday level times an intraday curve, optionally a trend);
``history_frame`` draws Poisson counts from it as a raw long frame; ``prepared`` cleans such a frame and flags
its special days the one way :func:`wfm.forecast.forecast` takes history (:func:`wfm.history.prepare_history`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wfm.history import History, prepare_history

P = 24  # hourly intervals keep the tests fast
S = 7 * P
WEEKDAY_LEVEL = np.array([1.3, 1.1, 1.0, 1.0, 0.9, 0.5, 0.3])
HOURS = np.arange(P)
INTRADAY = 0.05 + np.exp(-0.5 * ((HOURS - 10.5) / 2.5) ** 2) + 0.7 * np.exp(-0.5 * ((HOURS - 15) / 2.0) ** 2)
INTRADAY = INTRADAY / INTRADAY.sum()


def true_mean(n_days: int, daily: float = 1000.0, trend_per_week: float = 0.0, first_day: int = 0) -> np.ndarray:
    d = first_day + np.arange(n_days)
    level = daily * WEEKDAY_LEVEL[d % 7] * (1 + trend_per_week * d / 7)
    return level[:, None] * INTRADAY[None, :]


def history_frame(weeks: int, seed: int | None = 1, start: str = "2026-01-05", aht: float | None = None,
                  queues=("q",), **kw) -> pd.DataFrame:
    mu = true_mean(7 * weeks, **kw).ravel()
    ts = pd.date_range(start, periods=len(mu), freq="60min")
    frames = []
    for i, q in enumerate(queues):
        vol = mu if seed is None else np.random.default_rng(seed + i).poisson(mu).astype(float)
        f = pd.DataFrame({"timestamp": ts, "queue": q, "volume": vol})
        if aht is not None:
            f["aht"] = aht + 60 * (ts.hour >= 12)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def prepared(frame: pd.DataFrame, config=None, **special_days) -> History:
    """``frame`` cleaned (in the config's timezone) with its special days flagged: what forecast() takes."""
    return prepare_history(frame, config, **special_days)

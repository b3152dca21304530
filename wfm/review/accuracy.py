"""Forecast accuracy against actuals (``wfm review``, step 1): WAPE, bias and MASE against the seasonal naive,
the Poisson noise floor beside each, and the p10-p90 band's coverage, per queue at the native interval, at 30
minutes and per day.

Conventions (the same as the backtest's, :func:`wfm.forecast.backtest.score_backtest`):

- ``wape`` = sum |forecast - actual| / sum actual;
- ``bias`` = sum (forecast - actual) / sum actual (positive: over-forecast; actuals = forecast x 1.1 give
  -0.1 / 1.1 = -9.09%);
- ``mase`` = sum |forecast - actual| / sum |naive - actual| over the same intervals, ``naive`` the weekly
  seasonal naive (the same interval a week before); below 1 beats it; NaN where no naive is known;
- ``noise_floor_wape`` = the WAPE a perfect forecast of the Poisson rate would still have: sum over the
  scored periods of E|N - lambda| for N ~ Poisson(lambda), lambda the forecast summed over the period, over sum
  lambda. E|N - lambda| = 2 e^-lambda lambda^(k+1) / k!, k = floor(lambda) (the Poisson mean absolute
  deviation). The forecast's error above it was avoidable; below it, luck;
- ``coverage``: the share of open intervals (forecast above 0) whose actual lies in [p10, p90], at the native
  interval only (a band does not add up over intervals).

Only intervals with a known actual are scored; the total scores every queue's periods together (one queue's
over-forecast does not cancel another's under-forecast).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

LEVELS = ("interval", "30min", "day")
COLUMNS = ["queue", "level", "periods", "actual", "forecast", "wape", "bias", "mase", "noise_floor_wape",
           "coverage"]


def poisson_mad(lam: np.ndarray) -> np.ndarray:
    """E|N - lambda| for N ~ Poisson(lambda), elementwise (0 at lambda = 0), in logs so large rates stay exact."""
    lam = np.asarray(lam, dtype=float)
    k = np.floor(lam)
    with np.errstate(divide="ignore", invalid="ignore"):
        log = np.log(2.0) - lam + (k + 1) * np.log(lam) - gammaln(k + 1)
    return np.where(lam > 0, np.exp(log), 0.0)


def level_key(ts: pd.Series, level: str, interval_minutes: int) -> pd.Series:
    """The period each timestamp falls in at ``level``: itself, its 30-minute block (a grid finer than 30
    minutes that divides it; else the native interval) or its date."""
    if level == "interval":
        return ts
    if level == "30min":
        return ts.dt.floor("30min") if interval_minutes < 30 and 30 % interval_minutes == 0 else ts
    if level == "day":
        return ts.dt.normalize()
    raise ValueError(f"unknown level {level!r} (one of {', '.join(LEVELS)})")


def score(frame: pd.DataFrame, interval_minutes: int) -> pd.DataFrame:
    """Accuracy per queue and level, and over all queues (``queue = "total"``).

    ``frame``: ``timestamp, queue, actual, forecast`` and optionally ``naive`` (the seasonal naive's forecast),
    ``p10``, ``p90``; rows whose actual is NaN are not scored. Returns :data:`COLUMNS`.
    """
    f = frame[np.isfinite(frame["actual"].to_numpy(float))].copy()
    f["timestamp"] = pd.to_datetime(f["timestamp"])
    if "naive" not in f:
        f["naive"] = np.nan
    f["naive_unknown"] = f["naive"].isna().astype(np.int64)
    rows = []
    for level in LEVELS:
        f["period"] = level_key(f["timestamp"], level, interval_minutes)
        per = f.groupby(["queue", "period"], sort=True).agg(
            actual=("actual", "sum"), forecast=("forecast", "sum"), naive=("naive", "sum"),
            unknown=("naive_unknown", "sum"))
        per["naive"] = per["naive"].where(per["unknown"] == 0)  # a period's naive needs every interval's
        # the total scores every queue's periods together (errors of two queues never cancel)
        for q, g in list(per.groupby(level=0, sort=False)) + [("total", per)]:
            rows.append({"queue": q, "level": level, **_scores(g)})
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "coverage"])
    out["coverage"] = np.nan
    if {"p10", "p90"} <= set(f.columns):
        band = f[f["forecast"] > 0]
        inside = (band["actual"] >= band["p10"]) & (band["actual"] <= band["p90"])
        cov = inside.groupby(band["queue"]).mean()
        at = out["level"] == "interval"
        out.loc[at, "coverage"] = out.loc[at, "queue"].map(cov).astype(float)
        out.loc[at & (out["queue"] == "total"), "coverage"] = float(inside.mean()) if len(inside) else np.nan
    return out[COLUMNS]


def _scores(g: pd.DataFrame) -> dict[str, float]:
    a = g["actual"].to_numpy(float)
    fc = g["forecast"].to_numpy(float)
    nv = g["naive"].to_numpy(float)
    total = a.sum()
    err = np.abs(fc - a).sum()
    known = np.isfinite(nv)
    naive_err = np.abs(nv[known] - a[known]).sum()
    return {
        "periods": int(len(a)),
        "actual": float(total),
        "forecast": float(fc.sum()),
        "wape": float(err / total) if total > 0 else np.nan,
        "bias": float((fc - a).sum() / total) if total > 0 else np.nan,
        "mase": float(np.abs(fc[known] - a[known]).sum() / naive_err) if known.any() and naive_err > 0 else np.nan,
        "noise_floor_wape": float(poisson_mad(fc).sum() / fc.sum()) if fc.sum() > 0 else np.nan,
    }
